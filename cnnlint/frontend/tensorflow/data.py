"""The data a program feeds its models: array indexing, `tf.data` pipelines, Keras data helpers.

Arrays are graph nodes like any tensor; a `tf.data.Dataset` is a `DatasetV` whose element
leaves are graph nodes. `fit_data` and `value_shape` are what rules and `feeds` read.
`Dataset.map(fn)` runs the user's `fn` on the element through the interpreter (as `tf.data` traces
it); iterators (`make_one_shot_iterator`, `as_numpy_iterator`) give the element.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import libcst as cst

from cnnlint.frontend.library import Call, declared_shape, shape_of_value
from cnnlint.frontend.names import canonical
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.join import Joiner
from cnnlint.frontend.python.values import (
    UNKNOWN,
    BoundV,
    ClassV,
    Const,
    DictV,
    DimV,
    FuncV,
    ModuleV,
    ObjectV,
    SeqV,
    Value,
    as_bool,
    as_int,
    class_lookup,
)
from cnnlint.frontend.tensor import ShapeV, TensorV, dtype_attrs, literal_shape
from cnnlint.frontend.tensorflow.registry import METHODS, api
from cnnlint.frontend.tensorflow.session import OpV
from cnnlint.ir import Loc
from cnnlint.shapes import Dim

Shape = list[Dim | None] | None


@dataclass(eq=False)
class DatasetV(Value):
    """A `tf.data.Dataset`: `spec`, the structure of one element (a TensorV, or a tuple / dict of them,
    as `SeqV` / `DictV`; UNKNOWN parts where unknown; a `DatasetV` per component after `window`),
    each leaf a graph node with that component's shape. `batched`: the elements are batches (after
    `.batch`, from `image_dataset_from_directory`); None when unknown. Immutable: methods that keep
    the element (`shuffle`, ...) return the same object.
    """

    spec: Value
    batched: bool | None = False

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        """Two pipelines of one variable (`if augment: ds = ds.map(...)`): the element both give
        (tensors joined by shape), batched where both are."""
        assert isinstance(other, DatasetV)
        element = joiner(self.spec, other.spec)
        if element is UNKNOWN:
            return None
        return DatasetV(element, self.batched if self.batched == other.batched else None)

    def element(self, interp: Evaluator, site: cst.CSTNode | None) -> Value | None:
        """`for x, y in ds:` binds each element (a batch of a batched dataset)."""
        return None if self.spec is UNKNOWN else self.spec

    def mutated_by(self, method: str) -> bool:
        return False


@dataclass(eq=False)
class IteratorV(Value):
    """An iterator over a dataset (`make_one_shot_iterator()`, `iter(ds)`, `as_numpy_iterator()`):
    `get_next()` / `next(it)` give the dataset's element."""

    spec: Value

    def element(self, interp: Evaluator, site: cst.CSTNode | None) -> Value | None:
        return None if self.spec is UNKNOWN else self.spec

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "initializer":
            return OpV("initializer")
        return None

    def mutated_by(self, method: str) -> bool:
        return False


@dataclass(eq=False)
class TensorSpecV(Value):
    """`tf.TensorSpec(shape, dtype)`: the shape of one component (None: unknown rank)."""

    shape: Shape
    dtype: str | None = None


def fit_data(x: Value, y: Value | None = None) -> tuple[Value, Value | None]:
    """What `fit(x, y)` / `evaluate` / `predict` feed a model, as (features, labels).

    A dataset gives its element's parts as Keras unpacks them (`(x, y)` or `(x, y, sample_weight)`;
    any other element is features only); any other value is returned as it is.
    """
    if not isinstance(x, DatasetV):
        return x, y
    element = x.spec
    if isinstance(element, SeqV) and element.is_tuple and 1 <= len(element.items) <= 3:
        return element.items[0], element.items[1] if len(element.items) > 1 else None
    return element, None


# -- a static shape the code states: `t.set_shape(shape)`, `tf.ensure_shape(t, shape)` --------------------
def _merged(old: tuple[Dim, ...] | None, given: list[Dim | None] | None) -> list[Dim | None] | None:
    """TensorFlow's `merge_with`: the given sizes where the tensor's are unknown; None where they
    conflict (a different rank or size: TensorFlow raises)."""
    if given is None:
        return None
    if old is None:
        return given
    if len(old) != len(given):
        return None
    out: list[Dim | None] = []
    for have, want in zip(old, given, strict=True):
        if want is None or want.value is None:
            out.append(have)
        elif have.value is not None and have.value != want.value:
            return None
        else:
            out.append(want)
    return out


def _stated_shape(interp: Evaluator, tensor: TensorV, shape: Value, api_name: str) -> TensorV | None:
    """A tensor with `tensor`'s shape merged with `shape`; a placeholder stays a placeholder (its
    static shape is what `feed_dict` is checked against)."""
    node = interp.graph.nodes[tensor.node]
    if node.layer is not None:
        return None  # a Keras layer's output: its model is traced from it
    placeholder = node.op == "input" and node.attrs.get("kind") == "placeholder"
    given = declared_shape(shape, batch=True) if placeholder else shape_of_value(shape)
    merged = _merged(node.shape, given)
    if merged is None:
        return None
    kind = "placeholder" if placeholder else "tensor"
    dtype = node.attrs.get("dtype")
    attrs: dict[str, Any] = {"shape": merged, "kind": kind, **({"dtype": dtype} if isinstance(dtype, str) else {})}
    return TensorV(interp.graph.add("input", api_name, [], attrs, _site_loc(interp)).id)


def _m_set_shape(interp: Evaluator, tensor: TensorV, shape: Value = UNKNOWN, *args: Value, **kwargs: Value) -> Value:
    """TF1's `t.set_shape([None, 28, 28, 1])`: `t` itself now has that static shape (in place)."""
    if type(tensor) is not TensorV:
        return UNKNOWN  # a DataFrame or another library's array has no `set_shape`
    stated = _stated_shape(interp, tensor, shape, ".set_shape")
    if stated is not None:
        tensor.node = stated.node
    return Const(None)


@api("tensorflow.ensure_shape", params="x shape name")
def ensure_shape(c: Call) -> Value:
    """`tf.ensure_shape(x, shape)`: `x` with the shape merged (checked when it runs)."""
    x = c.get("x")
    if not isinstance(x, TensorV) or type(x) is not TensorV:
        return UNKNOWN
    stated = _stated_shape(c.interp, x, c.get("shape"), c.shown)
    return UNKNOWN if stated is None else stated


METHODS[(TensorV, "set_shape")] = _m_set_shape


# -- Keras `Sequence` / `PyDataset` subclasses ------------------------------------------------------------
_SEQUENCES = frozenset(("keras.utils.Sequence", "keras.utils.data_utils.Sequence", "keras.utils.all_utils.Sequence",
                        "keras.utils.PyDataset"))


def _is_sequence_class(cls: ClassV) -> bool:
    for base in cls.bases:
        if isinstance(base, ModuleV) and canonical(base.path) in _SEQUENCES:
            return True
        if isinstance(base, ClassV) and _is_sequence_class(base):
            return True
    return False


def sequence_batches(interp: Evaluator, value: Value) -> DatasetV | None:
    """A user's `keras.utils.Sequence` (Keras 3: `PyDataset`) given to `fit`: Keras reads each batch
    as `seq[i]`, so its batches are what the class's `__getitem__` returns for some index `i`
    (a tuple `(x, y[, sample_weight])`, or the features alone). None for anything else."""
    if not isinstance(value, ObjectV) or not _is_sequence_class(value.cls):
        return None
    method = class_lookup(value.cls, "__getitem__")
    if not isinstance(method, FuncV):
        return None
    site = interp.call_site  # the `fit` call: where the batches are read
    batch = interp.call(BoundV(method, value), [DimV(Dim.unknown())], {}, site)
    interp.call_site = site
    if isinstance(batch, SeqV) and not batch.is_tuple:
        return None  # a list is not read as (x, y) by every Keras
    element = _as_element(interp, batch, _site_loc(interp))
    return None if element is UNKNOWN else DatasetV(element, batched=True)


# -- tf.data -------------------------------------------------------------------------------------------
DATASET = "tensorflow.data.Dataset"
_INT_DTYPES = ("int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64")


def _site_loc(interp: Evaluator) -> Loc:
    site = interp.call_site
    return interp.loc(site) if site is not None else Loc(1, 1, 1, 1)


def _map_leaves(value: Value, leaf: Callable[[int], Value]) -> Value:
    """The same structure with each tensor leaf replaced by `leaf(node)`."""
    if isinstance(value, TensorV):
        return leaf(value.node)
    if isinstance(value, SeqV):
        return SeqV([_map_leaves(v, leaf) for v in value.items], value.is_tuple)
    if isinstance(value, DictV):
        return DictV({k: _map_leaves(v, leaf) for k, v in value.items.items()})
    return UNKNOWN


def _source(interp: Evaluator, shape: Shape, loc: Loc, api_name: str, dtype: str | None = None) -> TensorV:
    """A component whose shape the pipeline states (a `range` counter, a generator's output)."""
    attrs: dict[str, Any] = {"shape": shape, "kind": "dataset", **({"dtype": dtype} if dtype else {})}
    return TensorV(interp.graph.add("input", api_name, [], attrs, loc).id)


def dtype_name(value: Value) -> str | None:
    """"int" for an integer dtype (`tf.int32`, `"int64"`, `np.uint8`), else the dtype's own name."""
    name = value.path.rsplit(".", 1)[-1] if isinstance(value, ModuleV) else value.value \
        if isinstance(value, Const) and isinstance(value.value, str) else None
    if name is None:
        return None
    return "int" if name in _INT_DTYPES else name


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
    return DatasetV(SeqV([d.spec for d in datasets], is_tuple=True), batched.pop() if len(batched) == 1 else None)


@api(f"{DATASET}.range", params="")
def range_dataset(c: Call) -> Value:
    """`Dataset.range(n)` / `range(start, stop, step)`: int64 scalars."""
    return DatasetV(_source(c.interp, [], c.loc(), c.shown, "int"), batched=False)


@api(f"{DATASET}.list_files", "tensorflow.data.TFRecordDataset", "tensorflow.data.TextLineDataset",
     params="")
def string_dataset(c: Call) -> Value:
    """File names, records or lines: string scalars."""
    return DatasetV(_source(c.interp, [], c.loc(), c.shown, "string"), batched=False)


@api("tensorflow.TensorSpec", params="shape dtype name")
def tensor_spec(c: Call) -> Value:
    shape = c.get("shape", Const(None))
    dims = None if isinstance(shape, Const) and shape.value is None else shape_of_value(shape)
    return TensorSpecV(dims, dtype_name(c.get("dtype", Const("float32"))))


@api("tensorflow.TensorShape", params="dims")
def tensor_shape(c: Call) -> Value:
    """`tf.TensorShape([None, 4])` (`TensorShape(None)`: unknown rank)."""
    dims = c.get("dims", Const(None))
    if isinstance(dims, Const) and dims.value is None:
        return ShapeV(None)
    shape = shape_of_value(dims)
    return UNKNOWN if shape is None else ShapeV(tuple(Dim.unknown() if d is None else d for d in shape))


def _signature(interp: Evaluator, signature: Value, loc: Loc, api_name: str) -> Value:
    """The element an `output_signature` of `TensorSpec`s (tuples, dicts of them) describes."""
    if isinstance(signature, TensorSpecV):
        return _source(interp, signature.shape, loc, api_name, signature.dtype)
    if isinstance(signature, SeqV):
        return SeqV([_signature(interp, v, loc, api_name) for v in signature.items], is_tuple=True)
    if isinstance(signature, DictV):
        return DictV({k: _signature(interp, v, loc, api_name) for k, v in signature.items.items()})
    return UNKNOWN


def _typed(interp: Evaluator, types: Value, shapes: Value | None, loc: Loc, api_name: str) -> Value:
    """The element of `output_types` with `output_shapes` (matched up to the types' structure; a
    component without a shape has an unknown rank)."""
    if isinstance(types, SeqV):
        parts = shapes.items if isinstance(shapes, SeqV) else [None] * len(types.items) if shapes is None else None
        if parts is None or len(parts) != len(types.items):
            return UNKNOWN
        return SeqV([_typed(interp, t, s, loc, api_name) for t, s in zip(types.items, parts, strict=True)],
                    is_tuple=True)
    if isinstance(types, DictV):
        if shapes is not None and not (isinstance(shapes, DictV) and shapes.items.keys() == types.items.keys()):
            return UNKNOWN
        return DictV({k: _typed(interp, t, shapes.items[k] if isinstance(shapes, DictV) else None, loc, api_name)
                      for k, t in types.items.items()})
    if shapes is None or (isinstance(shapes, Const) and shapes.value is None):
        return _source(interp, None, loc, api_name, dtype_name(types))
    dims = shape_of_value(shapes)
    if dims is None and not isinstance(shapes, ShapeV):
        return UNKNOWN
    return _source(interp, dims, loc, api_name, dtype_name(types))


@api(f"{DATASET}.from_generator", params="generator output_types output_shapes args output_signature name")
def from_generator(c: Call) -> Value:
    """The element the generator is declared to yield: `output_signature=` or `output_types` /
    `output_shapes`; the generator itself is not followed."""
    if c.has("output_signature"):
        return DatasetV(_signature(c.interp, c.get("output_signature"), c.loc(), c.shown), batched=False)
    if c.has("output_types"):
        shapes = c.args.get("output_shapes")
        return DatasetV(_typed(c.interp, c.get("output_types"), shapes, c.loc(), c.shown), batched=False)
    return DatasetV(UNKNOWN, None)


# -- dataset methods -----------------------------------------------------------------------------------
def _m_batch(interp: Evaluator, ds: DatasetV, batch_size: Value = UNKNOWN, drop_remainder: Value | None = None,
             *args: Value, **kwargs: Value) -> Value:
    size = as_int(batch_size) if drop_remainder is not None and as_bool(drop_remainder) is True else None
    loc = _site_loc(interp)

    def batch(node: int) -> Value:
        attrs = {"size": size, **dtype_attrs(interp.graph, node)}
        return TensorV(interp.graph.add("batch", ".batch", [node], attrs, loc).id)

    return DatasetV(_map_leaves(ds.spec, batch), batched=True)


def _m_unbatch(interp: Evaluator, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    loc = _site_loc(interp)

    def row(node: int) -> Value:
        attrs = {"key": (("int", None),), **dtype_attrs(interp.graph, node)}
        return TensorV(interp.graph.add("index", ".unbatch", [node], attrs, loc).id)

    return DatasetV(_map_leaves(ds.spec, row), batched=False)


def _padded(interp: Evaluator, spec: Value, padded: Value, size: int | None, loc: Loc) -> Value:
    """One component of `padded_batch(n, padded_shapes)`: the batch axis, then each axis as the padded
    shape gives it (None or -1: the longest in the batch, unknown)."""
    if isinstance(spec, SeqV):
        if not isinstance(padded, SeqV) or len(padded.items) != len(spec.items):
            return UNKNOWN
        return SeqV([_padded(interp, s, p, size, loc) for s, p in zip(spec.items, padded.items, strict=True)],
                    is_tuple=True)
    if isinstance(spec, DictV):
        if not isinstance(padded, DictV) or padded.items.keys() != spec.items.keys():
            return UNKNOWN
        return DictV({k: _padded(interp, v, padded.items[k], size, loc) for k, v in spec.items.items()})
    if not isinstance(spec, TensorV):
        return UNKNOWN
    shape = interp.graph.nodes[spec.node].shape
    dims = shape_of_value(padded)
    if shape is None or dims is None or len(dims) != len(shape):
        return UNKNOWN
    wanted = [None if d is None or d.value == -1 else d for d in dims]
    dtype = interp.graph.nodes[spec.node].attrs.get("dtype")
    return _source(interp, [Dim.const(size) if size is not None else None, *wanted], loc, ".padded_batch",
                   dtype if isinstance(dtype, str) else None)


def _m_padded_batch(interp: Evaluator, ds: DatasetV, batch_size: Value = UNKNOWN, padded_shapes: Value | None = None,
                    padding_values: Value | None = None, drop_remainder: Value | None = None,
                    *args: Value, **kwargs: Value) -> Value:
    """`padded_batch(n)` keeps each component's known sizes (unknown ones become the longest in the
    batch); with `padded_shapes`, the sizes are the ones given."""
    if padded_shapes is None or (isinstance(padded_shapes, Const) and padded_shapes.value is None):
        return _m_batch(interp, ds, batch_size, drop_remainder)
    size = as_int(batch_size) if drop_remainder is not None and as_bool(drop_remainder) is True else None
    return DatasetV(_padded(interp, ds.spec, padded_shapes, size, _site_loc(interp)), batched=True)


def _call_on_element(interp: Evaluator, ds: DatasetV, fn: Value) -> Value:
    """`fn` called as `tf.data` calls it: a tuple element as positional arguments, anything else as one."""
    spec = ds.spec
    args = list(spec.items) if isinstance(spec, SeqV) and spec.is_tuple else [spec]
    return interp.call(fn, args, {}, interp.call_site)


def _as_element(interp: Evaluator, value: Value, loc: Loc, top: bool = True) -> Value:
    """A mapped function's return value as `tf.data` structures it: tensors, tuples, dicts (a returned
    list is a tuple); a Python number or string is a scalar tensor."""
    if isinstance(value, TensorV):
        return value
    if isinstance(value, SeqV) and (value.is_tuple or top):
        return SeqV([_as_element(interp, v, loc, False) for v in value.items], is_tuple=True)
    if isinstance(value, DictV):
        return DictV({k: _as_element(interp, v, loc, False) for k, v in value.items.items()})
    if isinstance(value, DimV) or (isinstance(value, Const) and isinstance(value.value, int)
                                   and not isinstance(value.value, bool)):
        return _source(interp, [], loc, ".map", "int")
    if isinstance(value, Const) and isinstance(value.value, (float, str, bool)):
        return _source(interp, [], loc, ".map", type(value.value).__name__)
    shape = literal_shape(value)
    return _source(interp, list(shape), loc, ".map") if shape is not None else UNKNOWN


def _m_map(interp: Evaluator, ds: DatasetV, map_func: Value = UNKNOWN, *args: Value, **kwargs: Value) -> Value:
    """`map(fn)`: the element is what `fn` returns on the element (`num_parallel_calls` and the
    like ignored); unknown where `fn` cannot be followed."""
    loc = _site_loc(interp)
    element = _as_element(interp, _call_on_element(interp, ds, map_func), loc)
    if element is UNKNOWN:
        return DatasetV(UNKNOWN, None)
    return DatasetV(element, ds.batched)


def _m_flat_map(interp: Evaluator, ds: DatasetV, map_func: Value = UNKNOWN, *args: Value, **kwargs: Value) -> Value:
    """`flat_map(fn)` / `interleave(fn)`: the element of the dataset `fn` returns."""
    result = _call_on_element(interp, ds, map_func)
    if isinstance(result, DatasetV) and result.spec is not UNKNOWN:
        return DatasetV(result.spec, result.batched)
    return DatasetV(UNKNOWN, None)


def _m_window(interp: Evaluator, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    """`window(size, shift, stride, drop_remainder)`: each component becomes a dataset of its rows."""
    return DatasetV(_map_leaves(ds.spec, lambda node: DatasetV(TensorV(node), batched=False)), batched=False)


def _m_enumerate(interp: Evaluator, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    """`enumerate()`: `(int64 counter, element)`."""
    counter = _source(interp, [], _site_loc(interp), ".enumerate", "int")
    return DatasetV(SeqV([counter, ds.spec], is_tuple=True), ds.batched)


def _m_iterator(interp: Evaluator, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    return IteratorV(ds.spec)


def _m_same(interp: Evaluator, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    return ds


def _m_unknown(interp: Evaluator, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    """`apply`, `scan` and the like: the element is whatever the function makes (not followed)."""
    return DatasetV(UNKNOWN, None)


def _m_get_next(interp: Evaluator, it: IteratorV, *args: Value, **kwargs: Value) -> Value:
    """`iterator.get_next()`: the element's tensors, as graph tensors of a TF1 program."""
    loc = _site_loc(interp)
    return _map_leaves(it.spec, lambda node: TensorV(interp.graph.add("identity", "get_next", [node], {}, loc).id))


@api("tensorflow.data.make_one_shot_iterator", "tensorflow.data.make_initializable_iterator",
     params="dataset shared_name")
def make_iterator(c: Call) -> Value:
    """`tf.compat.v1.data.make_one_shot_iterator(ds)` / `make_initializable_iterator(ds)`."""
    ds = c.get("dataset")
    return IteratorV(ds.spec) if isinstance(ds, DatasetV) else UNKNOWN


@api("tensorflow.data.Iterator.from_structure", params="output_types output_shapes shared_name output_classes")
def iterator_from_structure(c: Call) -> Value:
    return IteratorV(_typed(c.interp, c.get("output_types"), c.args.get("output_shapes"), c.loc(), c.shown))


def _m_make_initializer(interp: Evaluator, it: IteratorV, *args: Value, **kwargs: Value) -> Value:
    return OpV("make_initializer")


METHODS[(DatasetV, "batch")] = _m_batch
METHODS[(DatasetV, "unbatch")] = _m_unbatch
METHODS[(DatasetV, "padded_batch")] = _m_padded_batch
METHODS[(DatasetV, "map")] = _m_map
METHODS[(DatasetV, "flat_map")] = _m_flat_map
METHODS[(DatasetV, "interleave")] = _m_flat_map
METHODS[(DatasetV, "window")] = _m_window
METHODS[(DatasetV, "enumerate")] = _m_enumerate
for _name in ("make_one_shot_iterator", "make_initializable_iterator", "as_numpy_iterator", "__iter__"):
    METHODS[(DatasetV, _name)] = _m_iterator
for _name in ("shuffle", "prefetch", "repeat", "cache", "take", "skip", "filter", "shard", "with_options",
              "take_while", "ignore_errors", "apply_options"):
    METHODS[(DatasetV, _name)] = _m_same
for _name in ("apply", "scan", "group_by_window"):
    METHODS[(DatasetV, _name)] = _m_unknown
METHODS[(IteratorV, "get_next")] = _m_get_next
METHODS[(IteratorV, "make_initializer")] = _m_make_initializer
