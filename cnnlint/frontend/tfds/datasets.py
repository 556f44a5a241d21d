"""`tfds.load(name, split=..., as_supervised=..., batch_size=..., with_info=...)` and
`tfds.builder(name).as_dataset(...)` for datasets whose features their definition fixes.

Each dataset's features are read from its builder in tensorflow/datasets
(`tensorflow_datasets/image_classification/mnist.py`: MNIST, Fashion-MNIST, KMNIST
`Image(shape=(28, 28, 1))` + `ClassLabel(num_classes=10)`, 60000 / 10000 examples; `cifar.py`:
CIFAR-10 `id` text, `Image(shape=(32, 32, 3))`, `ClassLabel(num_classes=10)`, CIFAR-100 the same
plus `coarse_label` (20 classes) and 100 labels; `cats_vs_dogs.py`: `Image()`, whose default shape is
`(None, None, 3)` (`core/features/image_feature.py`), 2 classes; the others in the table of
docs/data/loaders.md, each from its builder's `_info` and the catalog page
tensorflow.org/datasets/catalog/<name>). A `ClassLabel` is an int64 scalar, an `Image` uint8, a
`Text` a string scalar. A name with a config (`"emnist/letters"`) is known only for the configs listed;
a name without one is the builder's first config, its default. How `as_dataset` builds the pipeline is
`DatasetBuilder._build_single_dataset`
(`core/dataset_builder.py`): `batch_size` pads and batches (`padded_batch`, a short last batch),
`as_supervised` maps each element to the tuple of `supervised_keys`, and `batch_size=-1` returns the
whole split as one element of tensors instead of a dataset; `split=None` gives a dict of every split,
and a list / tuple of splits a list / tuple of datasets (`tree_utils.map_structure`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import libcst as cst

from cnnlint.frontend.library import Call
from cnnlint.frontend.names import canonical
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.join import Joiner
from cnnlint.frontend.python.values import UNKNOWN, Const, DictV, ModuleV, SeqV, Value, as_bool, as_int, as_str
from cnnlint.frontend.tensor import TensorV
from cnnlint.frontend.tensorflow.data import DatasetV
from cnnlint.frontend.tfds.registry import METHODS, api
from cnnlint.ir import Loc
from cnnlint.shapes import Dim

Shape = tuple[int | None, ...]
_NONE: Value = Const(None)
_FALSE: Value = Const(False)


@dataclass(frozen=True)
class Feature:
    shape: Shape
    dtype: str | None = None  # "int" for class labels (the `input` op's dtype attribute)
    classes: int | None = None  # a ClassLabel's num_classes


@dataclass(frozen=True)
class Builder:
    features: Mapping[str, Feature]
    supervised: tuple[str, str] | None  # None: no supervised keys (`as_supervised=True` raises)
    splits: Mapping[str, int | None]
    features_fixed: bool = True  # False: the feature dict differs between versions (only the supervised pair is known)


_TEXT = Feature((), "string")
_LABEL10 = Feature((), "int", 10)
_IMAGE_LABEL = ("image", "label")
_MNIST = Builder({"image": Feature((28, 28, 1)), "label": _LABEL10}, _IMAGE_LABEL, {"train": 60000, "test": 10000})
_CIFAR10 = Builder({"id": _TEXT, "image": Feature((32, 32, 3)), "label": _LABEL10}, _IMAGE_LABEL,
                   {"train": 50000, "test": 10000})


def _classify(image: Shape, classes: int, splits: Mapping[str, int | None], **more: Feature) -> Builder:
    """An image classification builder: `image`, `label` and more features, supervised `(image, label)`."""
    return Builder({"image": Feature(image), "label": Feature((), "int", classes), **more}, _IMAGE_LABEL, splits)


def _emnist(classes: int, train: int, test: int) -> Builder:
    return _classify((28, 28, 1), classes, {"train": train, "test": test})


_EMNIST = {"byclass": _emnist(62, 697932, 116323), "bymerge": _emnist(47, 697932, 116323),
           "balanced": _emnist(47, 112800, 18800), "letters": _emnist(37, 88800, 14800),
           "digits": _emnist(10, 240000, 40000), "mnist": _emnist(10, 60000, 10000)}
_EUROSAT_RGB = _classify((64, 64, 3), 10, {"train": 27000}, filename=_TEXT)
_IMDB = Builder({"text": _TEXT, "label": Feature((), "int", 2)}, ("text", "label"),
                {"train": 25000, "test": 25000, "unsupervised": 50000})
# `mnist_corrupted`'s configs all share MNIST's features (`image_classification/mnist_corrupted.py`).
_MNIST_CORRUPTIONS = ("identity", "shot_noise", "impulse_noise", "glass_blur", "motion_blur", "shear", "scale",
                      "rotate", "brightness", "translate", "stripe", "fog", "spatter", "dotted_line", "zigzag",
                      "canny_edges")
_VARIABLE = (None, None, 3)  # `Image()` without a shape
BUILDERS: dict[str, Builder] = {
    "mnist": _MNIST,
    "fashion_mnist": _MNIST,
    "kmnist": _MNIST,
    "cifar10": _CIFAR10,
    "cifar100": Builder({"id": _TEXT, "image": Feature((32, 32, 3)), "label": Feature((), "int", 100),
                         "coarse_label": Feature((), "int", 20)}, _IMAGE_LABEL, {"train": 50000, "test": 10000}),
    "cats_vs_dogs": _classify(_VARIABLE, 2, {"train": None}, **{"image/filename": _TEXT}),
    "svhn_cropped": _classify((32, 32, 3), 10, {"train": 73257, "test": 26032, "extra": 531131}, id=_TEXT),
    "horses_or_humans": _classify((300, 300, 3), 2, {"train": 1027, "test": 256}),
    "rock_paper_scissors": _classify((300, 300, 3), 3, {"train": 2520, "test": 372}),
    "beans": _classify((500, 500, 3), 3, {"train": 1034, "validation": 133, "test": 128}),
    "tf_flowers": _classify(_VARIABLE, 5, {"train": 3670}),
    "colorectal_histology": _classify((150, 150, 3), 8, {"train": None}, filename=_TEXT),
    "deep_weeds": _classify((256, 256, 3), 9, {"train": None}),
    "stl10": _classify((96, 96, 3), 10, {"train": 5000, "test": 8000, "unlabelled": 100000}),
    "caltech101": _classify(_VARIABLE, 102, {"train": None, "test": None}, **{"image/file_name": _TEXT}),
    "oxford_flowers102": _classify(_VARIABLE, 102, {"train": 1020, "validation": 1020, "test": 6149},
                                   file_name=_TEXT),
    # food101 2.1.0 added an `id` feature: only the supervised pair is the same in every version.
    "food101": Builder({"image": Feature(_VARIABLE), "label": Feature((), "int", 101)}, _IMAGE_LABEL,
                       {"train": None, "validation": None}, features_fixed=False),
    "binarized_mnist": Builder({"image": Feature((28, 28, 1))}, None,
                               {"train": 50000, "validation": 10000, "test": 10000}),
    "eurosat": _EUROSAT_RGB,  # the first config, `rgb`, is the default
    "eurosat/rgb": _EUROSAT_RGB,
    "eurosat/all": Builder({"sentinel2": Feature((64, 64, 13)), "label": Feature((), "int", 10), "filename": _TEXT},
                           ("sentinel2", "label"), {"train": 27000}),
    "imdb_reviews": _IMDB,  # the first config, `plain_text`, is the default
    "imdb_reviews/plain_text": _IMDB,
    "emnist": _EMNIST["byclass"],
    **{f"emnist/{name}": b for name, b in _EMNIST.items()},
    "mnist_corrupted": _MNIST,
    **{f"mnist_corrupted/{name}": _MNIST for name in _MNIST_CORRUPTIONS},
}


# -- the dataset's info: `info.features["label"].num_classes`, `info.splits["train"].num_examples` -------
@dataclass(eq=False)
class FeatureV(Value):
    feature: Feature

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "shape":
            return SeqV([Const(d) for d in self.feature.shape], is_tuple=True)
        if attr == "num_classes" and self.feature.classes is not None:
            return Const(self.feature.classes)
        return None


@dataclass(eq=False)
class SplitInfoV(Value):
    rows: int | None

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        return Const(self.rows) if attr == "num_examples" and self.rows is not None else None


@dataclass(eq=False)
class FeaturesV(Value):
    """`info.features` of a dataset whose feature dict differs between versions: the features every
    version has can be looked up, but the dict itself (its length, its keys) is unknown."""

    builder: Builder

    def subscript(self, interp: Evaluator, key: Value, site: cst.CSTNode | None) -> Value | None:
        name = as_str(key)
        feature = self.builder.features.get(name) if name is not None else None
        return None if feature is None else FeatureV(feature)


@dataclass(eq=False)
class InfoV(Value):
    """A `tfds.core.DatasetInfo`: the features, splits and supervised keys of one dataset."""

    builder: Builder

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        assert isinstance(other, InfoV)
        return self if self.builder is other.builder else None

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "features":
            if not self.builder.features_fixed:
                return FeaturesV(self.builder)
            return DictV({k: FeatureV(f) for k, f in self.builder.features.items()})
        if attr == "splits":
            return DictV({k: SplitInfoV(n) for k, n in self.builder.splits.items()})
        if attr == "supervised_keys":
            keys = self.builder.supervised
            return _NONE if keys is None else SeqV([Const(k) for k in keys], is_tuple=True)
        return None


@dataclass(eq=False)
class BuilderV(Value):
    """`tfds.builder(name)`."""

    builder: Builder
    name: str

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        assert isinstance(other, BuilderV)
        return self if self.builder is other.builder else None

    def mutated_by(self, method: str) -> bool:
        return False

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        return InfoV(self.builder) if attr == "info" else None


# -- building the datasets -------------------------------------------------------------------------------
def _builder(value: Value) -> tuple[str, Builder] | None:
    """The builder a dataset name names (`"mnist"`, `"mnist:3.*.*"`); None for a config (`"x/y"`)."""
    name = as_str(value)
    if name is None:
        return None
    name = name.split(":", 1)[0].strip()
    builder = BUILDERS.get(name)
    return None if builder is None else (name, builder)


def _split_name(value: Value) -> str | None:
    """A split as a string: `"train"`, `"train[:80%]"`, `tfds.Split.TRAIN`."""
    if isinstance(value, ModuleV):
        path = canonical(value.path)
        for split in ("TRAIN", "TEST", "VALIDATION"):
            if path.endswith(f".Split.{split}"):
                return split.lower()
        return None
    return as_str(value)


@dataclass(frozen=True)
class _Options:
    supervised: bool
    batch: int | None  # None: not batched; -1: the whole split as tensors
    loc: Loc
    api: str


def _one_split(interp: Evaluator, builder: Builder, split: str, options: _Options) -> Value:
    """The dataset (or, with `batch_size=-1`, the tensors) of one split."""
    if options.batch == -1:
        rows = builder.splits.get(split) if split in builder.splits else None
        head: list[Dim | None] = [Dim.const(rows) if rows is not None else None]
    else:
        head = [None] if options.batch is not None else []

    def leaf(feature: Feature) -> Value:
        shape = [*head, *(None if d is None else Dim.const(d) for d in feature.shape)]
        attrs = {"shape": shape, "kind": "dataset", **({"dtype": feature.dtype} if feature.dtype else {})}
        return TensorV(interp.graph.add("input", options.api, [], attrs, options.loc).id)

    if options.supervised:
        element: Value = SeqV([leaf(builder.features[k]) for k in builder.supervised or ()], is_tuple=True)
    else:
        element = DictV({k: leaf(f) for k, f in builder.features.items()})
    return element if options.batch == -1 else DatasetV(element, batched=options.batch is not None)


def _datasets(interp: Evaluator, builder: Builder, split: Value, options: _Options) -> Value:
    if (builder.supervised is None) if options.supervised else not builder.features_fixed:
        return UNKNOWN  # tfds raises without supervised keys; a dict that depends on the version
    if isinstance(split, Const) and split.value is None:
        return DictV({name: _one_split(interp, builder, name, options) for name in builder.splits})
    if isinstance(split, SeqV):
        names = [_split_name(v) for v in split.items]
        if any(n is None for n in names):
            return UNKNOWN
        return SeqV([_one_split(interp, builder, n or "", options) for n in names], split.is_tuple)
    name = _split_name(split)
    return UNKNOWN if name is None else _one_split(interp, builder, name, options)


def _options(interp: Evaluator, site: cst.CSTNode | None, api_name: str, supervised: Value,
             batch_size: Value) -> _Options | None:
    as_supervised = as_bool(supervised)
    batch = None if isinstance(batch_size, Const) and batch_size.value is None else as_int(batch_size)
    if as_supervised is None or (batch is None and not isinstance(batch_size, Const)):
        return None
    if batch is not None and batch < -1:
        return None
    loc = interp.loc(site) if site is not None else Loc(1, 1, 1, 1)
    return _Options(as_supervised, batch, loc, api_name)


@api("tensorflow_datasets.load",
     params="name split data_dir batch_size shuffle_files download as_supervised decoders read_config "
            "with_info builder_kwargs download_and_prepare_kwargs as_dataset_kwargs try_gcs")
def load(c: Call) -> Value:
    found = _builder(c.get("name"))
    options = _options(c.interp, c.site, c.shown, c.get("as_supervised", Const(False)),
                       c.get("batch_size", Const(None)))
    with_info = as_bool(c.get("with_info", Const(False)))
    if found is None or options is None or with_info is None or c.extra:
        return UNKNOWN
    for unknown in ("decoders", "builder_kwargs", "as_dataset_kwargs"):
        if not (isinstance(c.get(unknown, Const(None)), Const)):
            return UNKNOWN  # they may change the features or the config
    data = _datasets(c.interp, found[1], c.get("split", Const(None)), options)
    if data is UNKNOWN:
        return UNKNOWN
    return SeqV([data, InfoV(found[1])], is_tuple=True) if with_info else data


@api("tensorflow_datasets.builder", params="name data_dir config version")
def builder(c: Call) -> Value:
    found = _builder(c.get("name"))
    if found is None or c.has("config"):
        return UNKNOWN
    return BuilderV(found[1], found[0])


def _m_as_dataset(interp: Evaluator, value: BuilderV, split: Value = _NONE, *args: Value,
                  batch_size: Value = _NONE, as_supervised: Value = _FALSE, decoders: Value = _NONE,
                  **kwargs: Value) -> Value:
    options = _options(interp, interp.call_site, ".as_dataset", as_supervised, batch_size)
    if options is None or args or not (isinstance(decoders, Const) and decoders.value is None):
        return UNKNOWN
    return _datasets(interp, value.builder, split, options)


def _m_none(interp: Evaluator, value: BuilderV, *args: Value, **kwargs: Value) -> Value:
    return Const(None)


METHODS[(BuilderV, "as_dataset")] = _m_as_dataset
METHODS[(BuilderV, "download_and_prepare")] = _m_none
