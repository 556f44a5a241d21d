"""TensorFlow 1's tutorial MNIST loader: `input_data.read_data_sets(dir, one_hot=..., reshape=...)`,
its `train` / `validation` / `test` sets with `.images`, `.labels`, `.num_examples`, `.next_batch(k)`.

Modelled on TF 1.x `tensorflow/contrib/learn/python/learn/datasets/mnist.py` (commit 13aeec48 of
tensorflow/tensorflow), which `tensorflow/examples/tutorials/mnist/input_data.py` re-exports:
- `extract_images` (l. 65): images `(n, 28, 28, 1)` uint8; `extract_labels` (l. 100): labels `(n,)`
  uint8, or `dense_to_one_hot` (l. 69-75) `(n, 10)` with `one_hot=True`;
- `read_data_sets` (l. 212-217, 259-267): 60000 train and 10000 test images; the first
  `validation_size` (default 5000, `0 <= validation_size <= 60000` else ValueError) train images
  are the validation set;
- `DataSet.__init__` (l. 138-144): `reshape=True` (the default) makes the images `(n, 784)`;
  `dtype=float32` (the default) scales them to float32;
- `DataSet.next_batch` (l. 167-209): the next `batch_size` rows, wrapping around at the end of an
  epoch, so `k` rows for `k <= num_examples`; `fake_data=True` (l. 169-176) is not modelled.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from cnnlint.frontend.library import Call
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.join import Joiner
from cnnlint.frontend.python.values import UNKNOWN, Const, SeqV, Value, as_bool, as_int
from cnnlint.frontend.tensor import TensorV
from cnnlint.frontend.tensorflow.registry import METHODS, api
from cnnlint.ir import Loc
from cnnlint.shapes import Dim

TRAIN_ROWS, TEST_ROWS, CLASSES = 60000, 10000, 10
SPLITS = ("train", "validation", "test")
_FALSE: Value = Const(False)


@dataclass(eq=False)
class MnistSetV(Value):
    """One `DataSet` (`mnist.train`): its images and labels (graph nodes) and number of rows."""

    images: int
    labels: int
    rows: int

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        assert isinstance(other, MnistSetV)
        same = (self.images, self.labels, self.rows) == (other.images, other.labels, other.rows)
        return self if same else None

    def mutated_by(self, method: str) -> bool:
        return False  # `next_batch` reshuffles rows in place: the shapes stay

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "images":
            return TensorV(self.images)
        if attr == "labels":
            return TensorV(self.labels)
        if attr == "num_examples":
            return Const(self.rows)
        return None


@dataclass(eq=False)
class MnistV(Value):
    """What `read_data_sets` returns: the namedtuple `Datasets(train, validation, test)`."""

    sets: tuple[MnistSetV, MnistSetV, MnistSetV]

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        assert isinstance(other, MnistV)
        parts = [joiner(a, b) for a, b in zip(self.sets, other.sets, strict=True)]
        if all(isinstance(p, MnistSetV) for p in parts):
            return MnistV((parts[0], parts[1], parts[2]))  # type: ignore[arg-type]
        return None

    def mutated_by(self, method: str) -> bool:
        return False

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        return self.sets[SPLITS.index(attr)] if attr in SPLITS else None

    def subscript(self, interp: Evaluator, key: Value, site: cst.CSTNode | None) -> Value | None:
        index = as_int(key)
        return self.sets[index] if index is not None and -3 <= index < 3 else None

    def elements(self) -> list[Value] | None:
        return list(self.sets)

    def length(self, interp: Evaluator) -> Value | None:
        return Const(3)


@api("tensorflow.examples.tutorials.mnist.input_data.read_data_sets",
     "tensorflow.contrib.learn.python.learn.datasets.mnist.read_data_sets",
     "tensorflow.contrib.learn.datasets.mnist.read_data_sets",
     params="train_dir fake_data one_hot dtype reshape validation_size seed source_url")
def read_data_sets(c: Call) -> Value:
    if as_bool(c.get("fake_data", Const(False))) is not False:
        return UNKNOWN
    one_hot, reshape = as_bool(c.get("one_hot", Const(False))), as_bool(c.get("reshape", Const(True)))
    validation = as_int(c.get("validation_size", Const(5000)))
    if one_hot is None or reshape is None or validation is None or not 0 <= validation <= TRAIN_ROWS:
        return UNKNOWN
    return _mnist(c, one_hot, reshape, validation)


@api("tensorflow.contrib.learn.datasets.load_dataset",
     "tensorflow.contrib.learn.python.learn.datasets.load_dataset", params="name size test_with_fake_data")
def load_dataset(c: Call) -> Value:
    """`load_dataset("mnist")` is `mnist.load_mnist()`: `read_data_sets` with its defaults."""
    name, size = c.get("name"), c.get("size", Const("small"))
    if not (isinstance(name, Const) and name.value == "mnist" and isinstance(size, Const) and size.value == "small"):
        return UNKNOWN
    if as_bool(c.get("test_with_fake_data", Const(False))) is not False:
        return UNKNOWN
    return _mnist(c, one_hot=False, reshape=True, validation=5000)


def _mnist(c: Call, one_hot: bool, reshape: bool, validation: int) -> Value:
    image: list[Dim | None] = [Dim.const(784)] if reshape else [Dim.const(28), Dim.const(28), Dim.const(1)]
    label: list[Dim | None] = [Dim.const(CLASSES)] if one_hot else []
    label_attrs = {} if one_hot else {"dtype": "int"}
    sets = []
    for rows in (TRAIN_ROWS - validation, validation, TEST_ROWS):
        images = c.add("input", [], {"shape": [Dim.const(rows), *image], "kind": "constant"}, "read_data_sets")
        labels = c.add("input", [], {"shape": [Dim.const(rows), *label], "kind": "constant", **label_attrs},
                       "read_data_sets")
        sets.append(MnistSetV(images.node, labels.node, rows))
    return MnistV((sets[0], sets[1], sets[2]))


def _m_next_batch(interp: Evaluator, data: MnistSetV, batch_size: Value = UNKNOWN,
                  fake_data: Value = _FALSE, shuffle: Value = _FALSE, *args: Value, **kwargs: Value) -> Value:
    """`(images[start:start + k], labels[...])`: `k` rows while `k <= num_examples`."""
    if args or kwargs or as_bool(fake_data) is not False:
        return UNKNOWN
    k = as_int(batch_size)
    item = ("slice", None, k, None) if k is not None and 0 <= k <= data.rows else ("slice?",)
    site = interp.call_site
    loc = interp.loc(site) if site is not None else Loc(1, 1, 1, 1)
    parts: list[Value] = []
    for node in (data.images, data.labels):
        dtype = interp.graph.nodes[node].attrs.get("dtype")
        attrs = {"key": (item,), **({"dtype": dtype} if dtype else {})}
        parts.append(TensorV(interp.graph.add("index", ".next_batch", [node], attrs, loc).id))
    return SeqV(parts, is_tuple=True)


METHODS[(MnistSetV, "next_batch")] = _m_next_batch
