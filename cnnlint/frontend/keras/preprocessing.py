"""Keras's image preprocessing and data generators: `ImageDataGenerator(...).flow_from_directory /
flow / flow_from_dataframe`, `load_img` + `img_to_array`, `timeseries_dataset_from_array`,
`text_dataset_from_directory`.

A generator of batches is a `BatchesV`, a batched `DatasetV` to `fit`, `evaluate` and `predict`
(which unpack `(x, y)` batches alike); shapes as `keras.src.legacy.preprocessing.image` (Keras 3) and
`tf_keras.preprocessing.image` give them, checked in `tests/test_data_loaders.py`.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from cnnlint.frontend.keras import versions
from cnnlint.frontend.keras.datasets import _CHANNELS, _dim, _is_none, directory_dataset
from cnnlint.frontend.keras.findings import LegacyApi, MethodRewrite
from cnnlint.frontend.keras.registry import METHODS, api
from cnnlint.frontend.library import Call
from cnnlint.frontend.pillow.values import ImageV
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.join import Joiner
from cnnlint.frontend.python.values import UNKNOWN, Const, SeqV, Value, as_bool, as_int, as_str, int_value
from cnnlint.frontend.tensor import TensorV, dtype_attrs
from cnnlint.frontend.tensorflow.data import DatasetV
from cnnlint.ir import Loc
from cnnlint.shapes import Dim
from cnnlint.targets import KerasTarget

Dims = list[Dim | None]
_MODES = {1: "L", 3: "RGB", 4: "RGBA"}  # load_img's `img.convert(...)` per colour mode


def _loc(interp: Evaluator) -> Loc:
    site = interp.call_site
    return interp.loc(site) if site is not None else Loc(1, 1, 1, 1)


def _input(interp: Evaluator, shape: Dims | None, api_name: str, **attrs: str) -> TensorV:
    return TensorV(interp.graph.add("input", api_name, [], {"shape": shape, "kind": "dataset", **attrs},
                                    _loc(interp)).id)


# -- generators of batches -------------------------------------------------------------------------------
@dataclass(eq=False)
class BatchesV(DatasetV):
    """A Keras iterator of batches (`DirectoryIterator`, `NumpyArrayIterator`, `DataFrameIterator`): a
    batched dataset whose element is one batch; `image_shape` and `batch_size` where known."""

    image_shape: Dims | None = None
    batch_size: int | None = None

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        assert isinstance(other, BatchesV)
        element = joiner(self.spec, other.spec)
        if element is UNKNOWN:
            return None
        same = self.image_shape == other.image_shape and self.batch_size == other.batch_size
        return BatchesV(element, True, self.image_shape if same else None, self.batch_size if same else None)

    def mutated_by(self, method: str) -> bool:
        return False

    def subscript(self, interp: Evaluator, key: Value, site: cst.CSTNode | None) -> Value | None:
        return self.spec if as_int(key) is not None else None  # `gen[i]`: batch i

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "image_shape" and self.image_shape is not None:
            return SeqV([UNKNOWN if d is None else int_value(d) for d in self.image_shape], is_tuple=True)
        if attr == "batch_size" and self.batch_size is not None:
            return Const(self.batch_size)
        return None


@dataclass(eq=False)
class ImageGeneratorV(Value):
    """An `ImageDataGenerator`: augmentation keeps shapes; only its data format matters."""

    data_format: str | None

    def mutated_by(self, method: str) -> bool:
        return False


@api("keras.preprocessing.image.ImageDataGenerator", "keras_preprocessing.image.ImageDataGenerator",
     "keras.legacy.preprocessing.image.ImageDataGenerator",
     params="featurewise_center samplewise_center featurewise_std_normalization samplewise_std_normalization "
            "zca_whitening zca_epsilon rotation_range width_shift_range height_shift_range brightness_range "
            "shear_range zoom_range channel_shift_range fill_mode cval horizontal_flip vertical_flip rescale "
            "preprocessing_function data_format validation_split interpolation_order dtype")
def image_data_generator(c: Call) -> Value:
    target = versions.target_of(c)
    if c.written.startswith("keras.preprocessing.") and not target.in_tensorflow \
            and versions.removed_in_keras3(target) and isinstance(c.site, cst.Call):
        # Keras 3's `keras.preprocessing.image` has only the image utilities (load_img, ...): the
        # import itself fails (`ImportError: cannot import name 'ImageDataGenerator'`).
        _refused(c.interp, c.site, "ImageDataGenerator", target,
                 "Keras 3 has no `keras.preprocessing.image.ImageDataGenerator`: load the images with "
                 "`keras.utils.image_dataset_from_directory(...)` and augment them with layers such as "
                 "`keras.layers.RandomFlip`, or import the legacy class from `tensorflow.keras.preprocessing.image`")
    return ImageGeneratorV(c.str_arg("data_format", c.interp.options.data_format))


def _refused(interp: Evaluator, site: cst.CSTNode, name: str, target: KerasTarget, advice: str,
             rewrite: MethodRewrite | None = None, fix_message: str | None = None) -> None:
    """A Keras 2 API that the stated Keras 3 target no longer has (CNN007, an error)."""
    interp.finding(site, LegacyApi((name,), interp.code(site), advice, fix_message, rewrite, prose=True,
                                   verdict="refused", target=versions.described(target)))


# The generator methods Keras 3 removed, their successors, and the keywords each successor takes
# with the same meaning (keras 3.15 `Trainer.fit` / `evaluate` / `predict`, tf-keras 2.21
# `Model.fit_generator` / ...): `generator` is `x`, any other positional argument is the
# successor's `y` (no fix); the loading keywords are refused by the successors and only set how
# batches are loaded, so dropping them is offered as an unsafe fix.
_GENERATOR_METHODS: dict[str, tuple[str, frozenset[str]]] = {
    "fit_generator": ("fit", frozenset({"steps_per_epoch", "epochs", "verbose", "callbacks", "validation_data",
                                        "validation_steps", "validation_freq", "class_weight", "shuffle",
                                        "initial_epoch"})),
    "evaluate_generator": ("evaluate", frozenset({"steps", "callbacks", "verbose"})),
    "predict_generator": ("predict", frozenset({"steps", "callbacks", "verbose"})),
}
_LOADING = frozenset({"max_queue_size", "workers", "use_multiprocessing"})


def refused_generator_method(interp: Evaluator, targets: list[KerasTarget]) -> None:
    """`model.fit_generator(gen, ...)` where every Keras the module reaches is a stated Keras 3:
    `AttributeError: 'Sequential' object has no attribute 'fit_generator'` (CNN007), with the call
    written with `fit` as its fix where that keeps its meaning."""
    site = interp.call_site
    if not isinstance(site, cst.Call) or not isinstance(site.func, cst.Attribute) or not targets \
            or not all(versions.removed_in_keras3(t) for t in targets):
        return
    method = site.func.attr.value
    if method not in _GENERATOR_METHODS:
        return
    new, same = _GENERATOR_METHODS[method]
    positional = [a for a in site.args if a.keyword is None]
    keywords = {a.keyword.value for a in site.args if a.keyword is not None}
    first = (len(positional) == 1 and site.args[0].keyword is None and not positional[0].star
             and "generator" not in keywords) or (not positional and "generator" in keywords)
    modern = f"{interp.code(site.func.value)}.{new}(...)"
    rewrite = None
    if first and keywords - {"generator"} <= same | _LOADING:
        dropped = tuple(sorted(keywords & _LOADING))
        rewrite = MethodRewrite(new, {"generator": "x"}, dropped, interp.source(site),
                                "unsafe" if dropped else "safe")
    advice = f"call `{modern}` with the generator as `x`" + (
        " (Keras 3 sets `workers` / `use_multiprocessing` / `max_queue_size` on a `keras.utils.PyDataset`, "
        "not on the call)" if keywords & _LOADING else "")
    fix_message = f"Call `{new}` instead of `{method}`" + (
        f" (dropping {', '.join(f'`{k}`' for k in sorted(keywords & _LOADING))})" if keywords & _LOADING else "")
    _refused(interp, site, method, targets[0], advice, rewrite, fix_message if rewrite else None)


def _bind(names: str, args: tuple[Value, ...], kwargs: dict[str, Value]) -> dict[str, Value] | None:
    """A method's arguments by name, or None for an argument it does not take."""
    params = names.split()
    if len(args) > len(params) or kwargs.keys() - set(params):
        return None
    return {**dict(zip(params, args, strict=False)), **kwargs}


def _image_shape(gen: ImageGeneratorV, bound: dict[str, Value]) -> Dims | None:
    """`target_size` (height, width) and the channels of `color_mode`, in the generator's layout."""
    size = bound.get("target_size", SeqV([Const(256), Const(256)], is_tuple=True))
    mode = bound.get("color_mode", Const("rgb"))
    channels = _CHANNELS.get(as_str(mode) or "")
    if not isinstance(size, SeqV) or len(size.items) != 2 or channels is None or gen.data_format is None:
        return None
    spatial = [_dim(v) for v in size.items]
    if gen.data_format == "channels_first":
        return [Dim.const(channels), *spatial]
    return [*spatial, Dim.const(channels)]


def _labelled(interp: Evaluator, images: TensorV, mode: Value, classes: Dim | None, api_name: str) -> Value:
    """A batch by `class_mode`: (images, labels), (images, images) for "input", images for None."""
    if _is_none(mode):
        return images
    name = as_str(mode)
    if name == "input":
        return SeqV([images, images], is_tuple=True)
    labels: dict[str, Dims] = {"categorical": [None, classes], "binary": [None], "sparse": [None]}
    if name not in labels:
        return UNKNOWN
    return SeqV([images, _input(interp, labels[name], api_name)], is_tuple=True)


def _from_files(interp: Evaluator, gen: ImageGeneratorV, bound: dict[str, Value], api_name: str,
                labels: Value | None = None) -> Value:
    shape = _image_shape(gen, bound)
    batch_size = bound.get("batch_size", Const(32))
    images = _input(interp, None if shape is None else [None, *shape], api_name)
    mode = bound.get("class_mode", Const("categorical"))
    names = bound.get("classes", Const(None))
    classes = Dim.const(len(names.items)) if isinstance(names, SeqV) else None
    element = labels if labels is not None else _labelled(interp, images, mode, classes, api_name)
    if isinstance(element, SeqV) and element.items and labels is not None:
        element = SeqV([images, *element.items[1:]], is_tuple=True)
    return BatchesV(element, True, shape, as_int(batch_size))


_DIRECTORY = ("directory target_size color_mode classes class_mode batch_size shuffle seed save_to_dir save_prefix "
              "save_format follow_links subset interpolation keep_aspect_ratio")


def _m_flow_from_directory(interp: Evaluator, gen: ImageGeneratorV, *args: Value, **kwargs: Value) -> Value:
    bound = _bind(_DIRECTORY, args, kwargs)
    return UNKNOWN if bound is None else _from_files(interp, gen, bound, ".flow_from_directory")


_DATAFRAME = ("dataframe directory x_col y_col weight_col target_size color_mode classes class_mode batch_size "
              "shuffle seed save_to_dir save_prefix save_format subset interpolation validate_filenames")


def _m_flow_from_dataframe(interp: Evaluator, gen: ImageGeneratorV, *args: Value, **kwargs: Value) -> Value:
    """Like `flow_from_directory`; `class_mode="raw"` gives the `y_col` values, `weight_col` a third part."""
    bound = _bind(_DATAFRAME, args, kwargs)
    if bound is None:
        return UNKNOWN
    mode, y_col = bound.get("class_mode", Const("categorical")), bound.get("y_col", Const("class"))
    api_name = ".flow_from_dataframe"
    labels: Value | None = None
    if as_str(mode) == "raw":
        per_row: Dims | None = [] if as_str(y_col) is not None else \
            [Dim.const(len(y_col.items))] if isinstance(y_col, SeqV) else None
        if per_row is None:
            return UNKNOWN
        labels = SeqV([UNKNOWN, _input(interp, [None, *per_row], api_name)], is_tuple=True)
    batches = _from_files(interp, gen, bound, api_name, labels)
    if not _is_none(bound.get("weight_col", Const(None))) and isinstance(batches, BatchesV):
        parts = batches.spec
        if not (isinstance(parts, SeqV) and len(parts.items) == 2):
            return UNKNOWN  # no labels: Keras yields the images alone
        weights = _input(interp, [None], api_name)
        return BatchesV(SeqV([*parts.items, weights], is_tuple=True), True, batches.image_shape, batches.batch_size)
    return batches


def _rows(interp: Evaluator, value: Value) -> Value:
    """Batches of an array's rows: its shape with an unknown first axis."""
    if not isinstance(value, TensorV):
        return UNKNOWN
    attrs = {"key": (("slice?",),), **dtype_attrs(interp.graph, value.node)}
    return TensorV(interp.graph.add("index", ".flow", [value.node], attrs, _loc(interp)).id)


def _m_flow(interp: Evaluator, gen: ImageGeneratorV, *args: Value, **kwargs: Value) -> Value:
    """Batches of `x`'s rows (a rank-4 array, else Keras raises), with `y`'s and `sample_weight`'s."""
    bound = _bind("x y batch_size shuffle sample_weight seed save_to_dir save_prefix save_format "
                  "ignore_class_split subset", args, kwargs)
    x = None if bound is None else bound.get("x")
    if bound is None or not isinstance(x, TensorV):
        return UNKNOWN
    shape = interp.graph.nodes[x.node].shape
    if shape is not None and len(shape) != 4:
        return UNKNOWN
    parts = [_rows(interp, x)]
    for name in ("y", "sample_weight"):
        value = bound.get(name, Const(None))
        if not _is_none(value):
            if name == "sample_weight" and len(parts) == 1:
                return UNKNOWN  # weights without labels: not a batch Keras unpacks
            parts.append(_rows(interp, value))
    element = parts[0] if len(parts) == 1 else SeqV(parts, is_tuple=True)
    batch_size = as_int(bound.get("batch_size", Const(32)))
    return BatchesV(element, True, None if shape is None else list(shape[1:]), batch_size)


def _m_none(interp: Evaluator, gen: ImageGeneratorV, *args: Value, **kwargs: Value) -> Value:
    return Const(None)


METHODS[(ImageGeneratorV, "flow_from_directory")] = _m_flow_from_directory
METHODS[(ImageGeneratorV, "flow_from_dataframe")] = _m_flow_from_dataframe
METHODS[(ImageGeneratorV, "flow")] = _m_flow
METHODS[(ImageGeneratorV, "fit")] = _m_none


# -- load_img and img_to_array -----------------------------------------------------------------------------
@api("keras.utils.load_img", "keras.preprocessing.image.load_img", "keras_preprocessing.image.load_img",
     params="path")
def load_img(c: Call) -> Value:
    """A Pillow image: Keras's `target_size` is (height, width), Pillow's size (width, height).
    Keras 3 and tf_keras differ in their positional parameters after `path` (tf_keras has
    `grayscale` first), so only keywords are read."""
    if c.extra or c.kwarg_names - {"grayscale", "color_mode", "target_size", "interpolation", "keep_aspect_ratio"}:
        return UNKNOWN
    target = versions.target_of(c)
    if c.has("grayscale") and not c.written.startswith("keras_preprocessing.") \
            and versions.removed_in_keras3(target) and isinstance(c.site, cst.Call):
        # Keras 3's `load_img(path, color_mode, target_size, interpolation, keep_aspect_ratio)`:
        # `TypeError: load_img() got an unexpected keyword argument 'grayscale'`.
        _refused(c.interp, c.site, "load_img(grayscale=...)", target,
                 'Keras 3\'s `load_img` has no `grayscale`: write `color_mode="grayscale"`')
        return UNKNOWN
    grayscale = as_bool(c.get("grayscale", Const(False)))
    mode = "grayscale" if grayscale else c.str_arg("color_mode", "rgb")
    channels = _CHANNELS.get(mode or "") if grayscale is not None else None
    size = c.get("target_size", Const(None))
    if channels is None or not (_is_none(size) or (isinstance(size, SeqV) and len(size.items) == 2)):
        return UNKNOWN
    height, width = (None, None) if not isinstance(size, SeqV) else (_dim(size.items[0]), _dim(size.items[1]))
    return ImageV(width, height, _MODES[channels])


@api("keras.utils.img_to_array", "keras.preprocessing.image.img_to_array", "keras_preprocessing.image.img_to_array",
     params="img data_format dtype")
def img_to_array(c: Call) -> Value:
    """`(h, w, c)` (or `(c, h, w)` channels first): a 2-D image gains a channel axis of 1."""
    layout = c.str_arg("data_format", c.interp.options.data_format)
    value = c.get("img")
    array = value if isinstance(value, TensorV) else value.as_array(c.interp, c.site)
    if not isinstance(array, TensorV) or layout not in ("channels_last", "channels_first"):
        return UNKNOWN
    shape = c.interp.graph.nodes[array.node].shape
    if shape is None or len(shape) not in (2, 3):
        return c.opaque([array.node]) if shape is None else UNKNOWN  # other ranks: Keras raises
    dims: Dims = list(shape) if len(shape) == 3 else [*shape, Dim.const(1)]
    if layout == "channels_first":
        dims = [dims[2], dims[0], dims[1]]
    return c.add("input", [], {"shape": dims, "kind": "constant"})


# -- tf.data datasets of arrays and text files ----------------------------------------------------------
@api("keras.utils.timeseries_dataset_from_array", "keras.preprocessing.timeseries_dataset_from_array",
     params="data targets sequence_length sequence_stride sampling_rate batch_size shuffle seed start_index "
            "end_index format")
def timeseries_dataset_from_array(c: Call) -> Value:
    """Windows of `sequence_length` rows of `data`: inputs (batch, ?, *row) (the element spec's), targets
    (batch, *target row); `targets=None` gives the inputs alone, `batch_size=None` single windows."""
    if c.str_arg("format", "tf") != "tf":
        return UNKNOWN
    batch_size = c.get("batch_size", Const(128))
    batched = False if _is_none(batch_size) else True if as_int(batch_size) is not None else None
    data = c.get("data")
    node = c.interp_tensor(data) if isinstance(data, (TensorV, SeqV)) else None
    shape = None if node is None else c.interp.graph.nodes[node].shape
    if batched is None or shape is None or not shape:
        return DatasetV(UNKNOWN, batched)
    head: Dims = [None] if batched else []
    # The windows hold `sequence_length` rows, but the dataset's element_spec (what `fit` traces the
    # model with) leaves that axis unknown: a model built for other lengths may still run.
    inputs = c.add("input", [], {"shape": [*head, None, *shape[1:]], "kind": "dataset"})
    targets = c.get("targets")
    if _is_none(targets):
        return DatasetV(inputs, batched)
    target_node = c.interp_tensor(targets) if isinstance(targets, (TensorV, SeqV)) else None
    target_shape = None if target_node is None else c.interp.graph.nodes[target_node].shape
    per_target = None if target_shape is None or not target_shape else [*head, *target_shape[1:]]
    target_attrs = {} if target_node is None else dtype_attrs(c.interp.graph, target_node)
    labels = c.add("input", [], {"shape": per_target, "kind": "dataset", **target_attrs})
    return DatasetV(SeqV([inputs, labels], is_tuple=True), batched)


@api("keras.utils.text_dataset_from_directory", "keras.preprocessing.text_dataset_from_directory",
     params="directory labels label_mode class_names batch_size max_length shuffle seed validation_split subset "
            "follow_links format verbose")
def text_dataset_from_directory(c: Call) -> Value:
    """(texts, labels): texts (batch,) strings, labels by `label_mode` as `image_dataset_from_directory`."""
    if c.str_arg("format", "tf") != "tf":
        return UNKNOWN
    return directory_dataset(c, [])
