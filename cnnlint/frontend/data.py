"""The data a program feeds its models: array indexing, `tf.data` pipelines, Keras data helpers.

Arrays are graph nodes like any tensor; a `tf.data.Dataset` is a `DatasetV` whose element
leaves are graph nodes. `fit_data` and `value_shape` are what rules and `feeds` read.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from cnnlint.frontend.api import LAYER_HOOKS, Call, api, canonical, literal_shape
from cnnlint.frontend.interp import METHODS, Interpreter
from cnnlint.frontend.values import (
    ELLIPSIS,
    UNKNOWN,
    Const,
    DictV,
    DimV,
    ModuleV,
    SeqV,
    SliceV,
    TensorV,
    Value,
    as_bool,
    as_int,
    as_str,
)
from cnnlint.ir import Graph, Loc
from cnnlint.shapes import Dim, MaybeShape


@dataclass(eq=False)
class DatasetV(Value):
    """A `tf.data.Dataset`: the structure of one element (a TensorV, or a tuple / dict of them, as
    `SeqV` / `DictV`; UNKNOWN parts where unknown), each leaf a graph node with that component's
    shape. `batched`: the elements are batches (after `.batch`, from `image_dataset_from_directory`);
    None when unknown. Immutable: methods that keep the element (`shuffle`, ...) return the same object.
    """

    element: Value
    batched: bool | None = False


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


def value_shape(graph: Graph, value: Value | None) -> MaybeShape:
    """The static shape of array-like data: a tensor's node shape or a literal list's; None when unknown."""
    if isinstance(value, TensorV):
        return graph.nodes[value.node].shape
    if value is None:
        return None
    return literal_shape(value)


# -- indexing: `x[0]`, `x[:100]`, `x[..., None]`, `x[:, 0]`, `x[mask]`, `x[idx]` ------------------------
def _index_item(interp: Interpreter, part: Value, operands: list[int], nested: bool) -> tuple[Any, ...] | None:
    """One item of an index for the `index` op; operands collects index arrays. None: not understood."""
    if part is ELLIPSIS and not nested:
        return ("...",)
    if isinstance(part, Const) and part.value is None and not nested:
        return ("new",)
    if isinstance(part, ModuleV) and canonical(part.path) in ("numpy.newaxis", "tensorflow.newaxis") and not nested:
        return ("new",)
    if isinstance(part, SliceV) and not nested:
        bounds: list[int | None] = []
        for bound in (part.start, part.stop, part.step):
            n = as_int(bound)
            if n is None and not (isinstance(bound, Const) and bound.value is None):
                return ("slice?",)
            bounds.append(n)
        return ("slice", *bounds)
    n = as_int(part)
    if n is not None:
        return ("int", n)
    if isinstance(part, DimV):
        return ("int", None)
    if isinstance(part, TensorV):
        dtype = interp.graph.nodes[part.node].attrs.get("dtype")
        if dtype not in ("int", "bool"):
            return None  # an array of unknown type: an index array or a mask
        operands.append(part.node)
        return ("mask" if dtype == "bool" else "array", len(operands))
    if isinstance(part, SeqV) and (nested or not part.is_tuple):  # a list of integers is an index array
        shape = literal_shape(part)
        if shape is None or not shape or not _all_ints(part):
            return None
        return ("array", shape)
    return None


def _all_ints(value: Value) -> bool:
    if isinstance(value, SeqV):
        return all(_all_ints(v) for v in value.items)
    return as_int(value) is not None


def index_key(interp: Interpreter, key: Value | None, operands: list[int]) -> tuple[tuple[Any, ...], ...] | None:
    """A subscript as `index` op items (`x[a, b]` is `x[(a, b)]`), or None when not understood."""
    if key is None:
        return None
    parts = key.items if isinstance(key, SeqV) and key.is_tuple else [key]
    items = []
    for part in parts:
        item = _index_item(interp, part, operands, nested=False)
        if item is None and isinstance(part, SeqV) and part.is_tuple:
            item = _index_item(interp, part, operands, nested=True)
        if item is None:
            return None
        items.append(item)
    return tuple(items)


def _index_text(interp: Interpreter, site: cst.CSTNode | None) -> str:
    """The subscript as written (`[..., None]`), the name of its op in traces."""
    if not isinstance(site, cst.Subscript):
        return "[]"
    text = ", ".join(interp.code(element.slice) for element in site.slice)
    return f"[{text if len(text) <= 40 else text[:37] + '...'}]"


def tensor_index(interp: Interpreter, tensor: TensorV, key: Value | None, site: cst.CSTNode | None) -> Value:
    operands: list[int] = []
    items = index_key(interp, key, operands)
    loc = interp.loc(site) if site is not None else interp.graph.nodes[tensor.node].loc
    attrs = {"key": items, **_dtype(interp.graph, tensor.node)}
    return TensorV(interp.graph.add("index", _index_text(interp, site), [tensor.node, *operands], attrs, loc).id)


def _dtype(graph: Graph, node: int) -> dict[str, Any]:
    """The `dtype` attribute an array's parts keep (`y[0]` of integer labels is an integer)."""
    dtype = graph.nodes[node].attrs.get("dtype")
    return {"dtype": dtype} if dtype is not None else {}


_COMPARISONS = {"Equal": "==", "NotEqual": "!=", "LessThan": "<", "LessThanEqual": "<=", "GreaterThan": ">",
                "GreaterThanEqual": ">="}


def tensor_compare(interp: Interpreter, op: str, left: Value, right: Value, site: cst.CSTNode) -> Value | None:
    """`y == 3`, `a < b` on arrays: a boolean array (a mask for indexing)."""
    text = _COMPARISONS.get(op)
    if text is None:
        return None
    operands: list[int] = []
    for side in (left, right):
        if isinstance(side, TensorV):
            operands.append(side.node)
        elif not (isinstance(side, DimV) or (isinstance(side, Const) and isinstance(side.value, (int, float)))):
            return None
    node = interp.graph.add("compare", text, operands, {"fn": text, "dtype": "bool"}, interp.loc(site))
    return TensorV(node.id)


LAYER_HOOKS["tensor_index"] = tensor_index
LAYER_HOOKS["tensor_compare"] = tensor_compare


# -- tf.data -------------------------------------------------------------------------------------------
DATASET = "tensorflow.data.Dataset"


def _site_loc(interp: Interpreter) -> Loc:
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
        return c.add("index", [node], {"key": (("int", None),), **_dtype(c.interp.graph, node)})

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


def _m_batch(interp: Interpreter, ds: DatasetV, batch_size: Value = UNKNOWN, drop_remainder: Value | None = None,
             *args: Value, **kwargs: Value) -> Value:
    size = as_int(batch_size) if drop_remainder is not None and as_bool(drop_remainder) is True else None
    loc = _site_loc(interp)

    def batch(node: int) -> Value:
        attrs = {"size": size, **_dtype(interp.graph, node)}
        return TensorV(interp.graph.add("batch", ".batch", [node], attrs, loc).id)

    return DatasetV(_map_leaves(ds.element, batch), batched=True)


def _m_unbatch(interp: Interpreter, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    loc = _site_loc(interp)

    def row(node: int) -> Value:
        attrs = {"key": (("int", None),), **_dtype(interp.graph, node)}
        return TensorV(interp.graph.add("index", ".unbatch", [node], attrs, loc).id)

    return DatasetV(_map_leaves(ds.element, row), batched=False)


def _m_same(interp: Interpreter, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    return ds


def _m_unknown(interp: Interpreter, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    """`map` and the like: the element is whatever the function returns (not followed)."""
    return DatasetV(UNKNOWN, None)


def _m_padded_batch(interp: Interpreter, ds: DatasetV, *args: Value, **kwargs: Value) -> Value:
    return DatasetV(UNKNOWN, True)


METHODS[("DatasetV", "batch")] = _m_batch
METHODS[("DatasetV", "unbatch")] = _m_unbatch
METHODS[("DatasetV", "padded_batch")] = _m_padded_batch
for _name in ("shuffle", "prefetch", "repeat", "cache", "take", "skip", "filter", "shard", "with_options",
              "take_while", "ignore_errors"):
    METHODS[("DatasetV", _name)] = _m_same
for _name in ("map", "flat_map", "interleave", "apply", "window", "scan", "group_by_window"):
    METHODS[("DatasetV", _name)] = _m_unknown


# -- Keras data helpers ----------------------------------------------------------------------------------
_CHANNELS = {"rgb": 3, "grayscale": 1, "rgba": 4}


@api("keras.utils.image_dataset_from_directory", "keras.preprocessing.image_dataset_from_directory",
     params="directory labels label_mode class_names color_mode batch_size image_size shuffle seed "
            "validation_split subset interpolation follow_links crop_to_aspect_ratio pad_to_aspect_ratio data_format")
def image_dataset_from_directory(c: Call) -> Value:
    """(images, labels): images (batch, height, width, channels), labels by `label_mode`;
    `batch_size=None` gives single examples, `subset="both"` two datasets."""
    size = c.get("image_size", SeqV([Const(256), Const(256)], is_tuple=True))
    spatial = [_dim(v) for v in size.items] if isinstance(size, SeqV) and len(size.items) == 2 else [None, None]
    channels = _CHANNELS.get(c.str_arg("color_mode", "rgb") or "")
    image = [*spatial, None if channels is None else Dim.const(channels)]
    layout = c.str_arg("data_format", str(c.interp.options.get("data_format", "channels_last")))
    if layout == "channels_first":
        image = [image[2], *spatial]
    batch_size = c.get("batch_size", Const(32))
    batched = False if _is_none(batch_size) else True if as_int(batch_size) is not None else None
    head: list[Dim | None] = [None] if batched else []

    def source(per_example: list[Dim | None] | None, dtype: dict[str, str]) -> TensorV:
        shape = None if per_example is None or batched is None else [*head, *per_example]
        return c.add("input", [], {"shape": shape, "kind": "dataset", **dtype})

    images = source(image, {})
    mode = c.get("label_mode", Const("int"))
    if _is_none(c.get("labels", Const("inferred"))) or _is_none(mode):
        element: Value = images
    else:
        names = c.get("class_names")
        classes = Dim.const(len(names.items)) if isinstance(names, SeqV) else None
        per_mode: dict[str, list[Dim | None]] = {"int": [], "binary": [Dim.const(1)], "categorical": [classes]}
        labels = per_mode.get(as_str(mode) or "")
        element = SeqV([images, source(labels, {"dtype": "int"} if labels == [] else {})], is_tuple=True)
    subset = c.get("subset", Const(None))
    if as_str(subset) == "both":
        return SeqV([DatasetV(element, batched), DatasetV(element, batched)])
    return DatasetV(element, batched) if isinstance(subset, Const) else UNKNOWN


def _dim(value: Value) -> Dim | None:
    n = as_int(value)
    return Dim.const(n) if n is not None else None


def _is_none(value: Value) -> bool:
    return isinstance(value, Const) and value.value is None


@api("sklearn.model_selection.train_test_split", "sklearn.cross_validation.train_test_split", params="")
def train_test_split(c: Call) -> Value:
    """Two parts of every array (train, test): some of its rows, how many left unknown."""
    out: list[Value] = []
    for array in c.extra:
        node = c.interp_tensor(array) if isinstance(array, (TensorV, SeqV)) else None
        for _ in range(2):
            out.append(c.add("index", [node], {"key": (("slice?",),), **_dtype(c.interp.graph, node)})
                       if node is not None else UNKNOWN)
    return SeqV(out) if out else UNKNOWN


@api("keras.utils.to_categorical", "keras.utils.np_utils.to_categorical", params="y num_classes dtype",
     aliases={"x": "y", "nb_classes": "num_classes"})
def to_categorical(c: Call) -> Value:
    """One-hot labels; Keras 1's `np_utils` flattened the labels first (`legacy`)."""
    num_classes = as_int(c.get("num_classes", Const(None)))  # None: not given, or not known
    legacy = "np_utils" in c.path
    return c.add("to_categorical", [c.tensor("y")], {"num_classes": num_classes, "legacy": legacy})


@api("keras.preprocessing.sequence.pad_sequences", "keras.utils.pad_sequences",
     params="sequences maxlen dtype padding truncating value")
def pad_sequences(c: Call) -> Value:
    """(number of sequences, maxlen): every sequence cut or padded to `maxlen` steps."""
    value = c.get("sequences")
    if isinstance(value, SeqV) and value.items and literal_shape(value) is None:  # ragged lists of lists
        node: int | None = c.add("input", [], {"shape": [Dim.const(len(value.items))], "kind": "constant"}).node
    else:
        node = c.interp_tensor(value) if isinstance(value, (TensorV, SeqV)) else None
    maxlen = c.get("maxlen", Const(None))
    return c.add("pad_sequences", [node], {"maxlen": as_int(maxlen), "given": not _is_none(maxlen)})


# Text datasets: (train sequences, train labels), (test sequences, test labels); each example a list
# of word indices of its own length, so the sequence arrays are 1-D (object arrays).
TEXT_DATASETS = {"imdb": (25000, 25000), "reuters": (11228, None)}


def _text_dataset(name: str) -> Any:
    def load(c: Call) -> Value:
        maxlen = c.get("maxlen", Const(None))
        filtered = as_bool(maxlen)  # `if maxlen:` drops longer sequences: how many is data-dependent
        train, test = TEXT_DATASETS[name]
        sizes: tuple[int | None, int | None] = (train, test)
        if test is None:  # reuters: one set split at int(n * (1 - test_split))
            split = c.get("test_split", Const(0.2))
            fraction = split.value if isinstance(split, Const) and isinstance(split.value, (int, float)) else None
            at = int(train * (1 - fraction)) if fraction is not None and 0 <= fraction <= 1 else None
            sizes = (at, None if at is None else train - at)
        if filtered is not False:
            sizes = (None, None)
        arrays: list[Value] = []
        for size in sizes:
            shape = [None if size is None else Dim.const(size)]
            arrays.append(c.add("input", [], {"shape": shape, "kind": "constant", "ragged": True},
                                f"{name}.load_data"))
            arrays.append(c.add("input", [], {"shape": shape, "kind": "constant", "dtype": "int"},
                                f"{name}.load_data"))
        return SeqV([SeqV(arrays[:2], is_tuple=True), SeqV(arrays[2:], is_tuple=True)], is_tuple=True)

    return load


api("keras.datasets.imdb.load_data",
    params="path num_words skip_top maxlen seed start_char oov_char index_from")(_text_dataset("imdb"))
api("keras.datasets.reuters.load_data",
    params="path num_words skip_top maxlen test_split seed start_char oov_char index_from")(_text_dataset("reuters"))
