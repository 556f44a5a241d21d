"""The data a program feeds its models: array indexing, `tf.data` pipelines, Keras data helpers.

Arrays are graph nodes like any tensor; a `tf.data.Dataset` is a `DatasetV` whose element
leaves are graph nodes. `fit_data` and `value_shape` are what rules and `feeds` read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from cnnlint.frontend.library import Call
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.join import Joiner
from cnnlint.frontend.python.values import (
    UNKNOWN,
    DictV,
    SeqV,
    Value,
    as_bool,
    as_int,
)
from cnnlint.frontend.tensor import TensorV, dtype_attrs
from cnnlint.frontend.tensorflow.registry import METHODS, api
from cnnlint.ir import Loc


@dataclass(eq=False)
class DatasetV(Value):
    """A `tf.data.Dataset`: the structure of one element (a TensorV, or a tuple / dict of them, as
    `SeqV` / `DictV`; UNKNOWN parts where unknown), each leaf a graph node with that component's
    shape. `batched`: the elements are batches (after `.batch`, from `image_dataset_from_directory`);
    None when unknown. Immutable: methods that keep the element (`shuffle`, ...) return the same object.
    """

    element: Value
    batched: bool | None = False

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        """Two pipelines of one variable (`if augment: ds = ds.map(...)`): the element both give
        (tensors joined by shape), batched where both are."""
        assert isinstance(other, DatasetV)
        element = joiner(self.element, other.element)
        if element is UNKNOWN:
            return None
        return DatasetV(element, self.batched if self.batched == other.batched else None)


def fit_data(x: Value, y: Value | None = None) -> tuple[Value, Value | None]:
    """What `fit(x, y)` / `evaluate` / `predict` feed a model, as (features, labels).

    A dataset gives its element's parts as Keras unpacks them (`(x, y)` or `(x, y, sample_weight)`;
    any other element is features only); any other value is returned as it is.
    """
    if not isinstance(x, DatasetV):
        return x, y
    element = x.element
    if isinstance(element, SeqV) and element.is_tuple and 1 <= len(element.items) <= 3:
        return element.items[0], element.items[1] if len(element.items) > 1 else None
    return element, None


# -- tf.data -------------------------------------------------------------------------------------------
DATASET = "tensorflow.data.Dataset"


def _site_loc(interp: Evaluator) -> Loc:
    site = interp.call_site
    return interp.loc(site) if site is not None else Loc(1, 1, 1, 1)


def _map_leaves(value: Value, leaf: Any) -> Value:
    """The same structure with each tensor leaf replaced by `leaf(node)`."""
    if isinstance(value, TensorV):
        result: Value = leaf(value.node)
        return result
    if isinstance(value, SeqV):
        return SeqV([_map_leaves(v, leaf) for v in value.items], value.is_tuple)
    if isinstance(value, DictV):
        return DictV({k: _map_leaves(v, leaf) for k, v in value.items.items()})
    return UNKNOWN


def _components(c: Call, value: Value) -> Value:
    """A dataset's input structure: tuples and dicts are structure; a list or number becomes one tensor."""
    if isinstance(value, SeqV) and value.is_tuple:
        return SeqV([_components(c, v) for v in value.items], is_tuple=True)
    if isinstance(value, DictV):
        return DictV({k: _components(c, v) for k, v in value.items.items()})
    if isinstance(value, SeqV) and value.items and all(isinstance(v, TensorV) for v in value.items):
        return c.add("stack", [v.node for v in value.items if isinstance(v, TensorV)], {"axis": 0})
    node = c.interp_tensor(value)
    return TensorV(node) if node is not None else UNKNOWN


@api(f"{DATASET}.from_tensor_slices", params="tensors name")
def from_tensor_slices(c: Call) -> Value:
    """Elements are the rows of every component (each one's shape without its first axis)."""
    def row(node: int) -> Value:
        return c.add("index", [node], {"key": (("int", None),), **dtype_attrs(c.interp.graph, node)})

    return DatasetV(_map_leaves(_components(c, c.get("tensors")), row), batched=False)


@api(f"{DATASET}.from_tensors", params="tensors name")
def from_tensors(c: Call) -> Value:
    return DatasetV(_components(c, c.get("tensors")), batched=False)


@api(f"{DATASET}.zip", params="datasets name")
def zip_datasets(c: Call) -> Value:
    """`Dataset.zip((a, b))` (or `zip(a, b)`): elements are tuples of the datasets' elements."""
    value = c.get("datasets")
    parts = [value, *c.extra] if isinstance(value, DatasetV) else c.interp.iterate(value) or []
    datasets = [p for p in parts if isinstance(p, DatasetV)]
    if not datasets or len(datasets) != len(parts):
        return DatasetV(UNKNOWN, None)
    batched = {d.batched for d in datasets}
    return DatasetV(SeqV([d.element for d in datasets], is_tuple=True), batched.pop() if len(batched) == 1 else None)


def _m_batch(interp: Evaluator, ds: DatasetV, batch_size: Value = UNKNOWN, drop_remainder: Value | None = None,
             *args: Value, **kwargs: Value) -> Value:
    size = as_int(batch_size) if drop_remainder is not None and as_bool(drop_remainder) is True else None
    loc = _site_loc(interp)

    def batch(node: int) -> Value:
        attrs = {"size": size, **dtype_attrs(interp.graph, node)}
        return TensorV(interp.graph.add("batch", ".batch", [node], attrs, loc).id)

    return DatasetV(_map_leaves(ds.element, batch), batched=True)


def _m_unbatch(interp: Evaluator, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    loc = _site_loc(interp)

    def row(node: int) -> Value:
        attrs = {"key": (("int", None),), **dtype_attrs(interp.graph, node)}
        return TensorV(interp.graph.add("index", ".unbatch", [node], attrs, loc).id)

    return DatasetV(_map_leaves(ds.element, row), batched=False)


def _m_same(interp: Evaluator, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    return ds


def _m_unknown(interp: Evaluator, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    """`map` and the like: the element is whatever the function returns (not followed)."""
    return DatasetV(UNKNOWN, None)


def _m_padded_batch(interp: Evaluator, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    return DatasetV(UNKNOWN, True)


METHODS[(DatasetV, "batch")] = _m_batch
METHODS[(DatasetV, "unbatch")] = _m_unbatch
METHODS[(DatasetV, "padded_batch")] = _m_padded_batch
for _name in ("shuffle", "prefetch", "repeat", "cache", "take", "skip", "filter", "shard", "with_options",
              "take_while", "ignore_errors"):
    METHODS[(DatasetV, _name)] = _m_same
for _name in ("map", "flat_map", "interleave", "apply", "window", "scan", "group_by_window"):
    METHODS[(DatasetV, _name)] = _m_unknown
