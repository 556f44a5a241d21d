"""Keras's data helpers: `load_data()` of the bundled datasets, the configured image data format,
`image_dataset_from_directory`, `to_categorical`, `pad_sequences`."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import libcst as cst

from cnnlint.frontend.keras import versions
from cnnlint.frontend.keras.registry import api
from cnnlint.frontend.keras.values import KerasState
from cnnlint.frontend.library import Call
from cnnlint.frontend.numpy.literals import largest_int
from cnnlint.frontend.pandas.mutation import changed_in_place
from cnnlint.frontend.python.values import UNKNOWN, Const, SeqV, Value, as_bool, as_int, as_str
from cnnlint.frontend.tensor import TensorV, literal_shape
from cnnlint.frontend.tensorflow.data import DatasetV
from cnnlint.shapes import Dim


@api("keras.backend.image_data_format", "keras.config.image_data_format", "keras.backend.image_dim_ordering",
     params="")
def image_data_format(c: Call) -> Value:
    """The data format in force: the one the program set, else the configured one (cnnlint
    analyses code as Keras runs it by default)."""
    layout = c.interp.state(KerasState).data_format or c.interp.options.data_format
    if layout == "unknown":
        return UNKNOWN
    if c.path.endswith("image_dim_ordering"):
        return Const("th" if layout == "channels_first" else "tf")
    return Const(layout)


@api("keras.backend.set_image_data_format", "keras.config.set_image_data_format",
     "keras.backend.set_image_dim_ordering", params="data_format")
def set_image_data_format(c: Call) -> Value:
    """`K.set_image_dim_ordering('th')` (Keras 1-2), `set_image_data_format('channels_first')`: the
    layers made after it without a `data_format` of their own use it; one cnnlint cannot read
    leaves their outputs unknown."""
    text = c.str_arg("data_format", None)
    layout = {"th": "channels_first", "tf": "channels_last"}.get(text or "", text)
    target = versions.target_of(c)
    from cnnlint.frontend.keras.layers import legacy  # layers imports the tables this module fills

    if c.path.endswith("set_image_dim_ordering") and isinstance(c.site, cst.Call) \
            and versions.removed_image_dim_ordering(target):
        modern = f"set_image_data_format({layout!r})" if layout in ("channels_first", "channels_last") else \
            "set_image_data_format('channels_first')"
        legacy(c.interp, c.site, ["set_image_dim_ordering"], f"write `{modern}`", prose=True, target=target,
               verdict="refused")
    c.interp.state(KerasState).data_format = layout if layout in ("channels_first", "channels_last") else "unknown"
    return Const(None)


# (train images, train labels), (test images, test labels) as `load_data()` returns them.
DATASETS = {
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "fashion_mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "cifar100": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
    "boston_housing": ((404, 13), (404,), (102, 13), (102,)),
}


def _load_data(name: str) -> Callable[[Call], Value]:
    def load(c: Call) -> Value:
        arrays: list[Value] = [c.add("input", [], {"shape": [Dim.const(d) for d in shape], "kind": "constant"},
                        f"{name}.load_data") for shape in DATASETS[name]]
        return SeqV([SeqV(arrays[:2], is_tuple=True), SeqV(arrays[2:], is_tuple=True)], is_tuple=True)

    return load


for _name in DATASETS:
    api(f"keras.datasets.{_name}.load_data", params="path")(_load_data(_name))


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
    layout = c.str_arg("data_format", c.interp.options.data_format)
    if layout == "channels_first":
        image = [image[2], *spatial]
    return directory_dataset(c, image)


def directory_dataset(c: Call, per_example: list[Dim | None]) -> Value:
    """What `*_dataset_from_directory` gives: (examples, labels) batched by `batch_size` (single
    examples for `batch_size=None`), labels by `label_mode` and `labels`; `subset="both"` two
    datasets. `per_example` is the shape of one example (an image, `[]` for a text)."""
    batch_size = c.get("batch_size", Const(32))
    batched = False if _is_none(batch_size) else True if as_int(batch_size) is not None else None
    head: list[Dim | None] = [None] if batched else []

    def source(shape: list[Dim | None] | None, dtype: dict[str, str]) -> TensorV:
        full = None if shape is None or batched is None else [*head, *shape]
        return c.add("input", [], {"shape": full, "kind": "dataset", **dtype})

    examples = source(per_example, {})
    mode = c.get("label_mode", Const("int"))
    if _is_none(c.get("labels", Const("inferred"))) or _is_none(mode):
        element: Value = examples
    else:
        names = c.get("class_names")
        classes = Dim.const(len(names.items)) if isinstance(names, SeqV) else None
        per_mode: dict[str, list[Dim | None]] = {"int": [], "binary": [Dim.const(1)], "categorical": [classes]}
        labels = per_mode.get(as_str(mode) or "")
        element = SeqV([examples, source(labels, {"dtype": "int"} if labels == [] else {})], is_tuple=True)
    subset = c.get("subset", Const(None))
    if as_str(subset) == "both":
        return SeqV([DatasetV(element, batched), DatasetV(element, batched)])
    return DatasetV(element, batched) if isinstance(subset, Const) else UNKNOWN


def _dim(value: Value) -> Dim | None:
    n = as_int(value)
    return Dim.const(n) if n is not None else None


def _is_none(value: Value) -> bool:
    return isinstance(value, Const) and value.value is None


@api("keras.utils.to_categorical", "keras.utils.np_utils.to_categorical", params="y num_classes dtype",
     aliases={"x": "y", "nb_classes": "num_classes"})
def to_categorical(c: Call) -> Value:
    """One-hot labels; Keras 1's `np_utils` flattened the labels first (`legacy`). Without
    `num_classes` Keras makes `max(y) + 1` columns: known only for labels written out as a literal
    (`[0, 2, 1]`, `np.array([...])`), never for data drawn at random or read."""
    given = c.get("num_classes", Const(None))
    num_classes = as_int(given)  # None: not given, or not known
    node = c.source_nodes.get("y")
    if _is_none(given) and node is not None and not changed_in_place(c.interp, c.interp.code(node)):
        largest = largest_int(c.interp, c.get("y"))  # an array item-assigned anywhere may hold other values
        num_classes = largest + 1 if largest is not None and largest >= 0 else None
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
