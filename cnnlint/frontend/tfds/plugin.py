"""The TensorFlow Datasets plugin: `tfds.load` and `tfds.builder` of datasets whose features the
dataset's own definition states; the datasets are `tf.data` datasets (`tensorflow/data.py`)."""

from __future__ import annotations

from typing import ClassVar

from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.plugin import FunctionHook, Plugin
from cnnlint.frontend.python.values import Value, bound_method
from cnnlint.frontend.tfds.registry import LIBRARY, METHODS

# Its datasets' table fills LIBRARY and METHODS on the first lookup of a `tensorflow_datasets` name
# (the only way to one of its values).
LIBRARY.defer("tensorflow_datasets.", "cnnlint.frontend.tfds.datasets")


class TfdsPlugin(Plugin):
    name: ClassVar[str] = "tfds"
    # `tensorflow_datasets` holds the TensorFlow plugin's marker already.
    markers: ClassVar[tuple[bytes, ...]] = ()

    def function(self, path: str) -> FunctionHook | None:
        return LIBRARY.hook(path)

    def attribute(self, interp: Evaluator, value: Value, attr: str) -> Value | None:
        return bound_method(METHODS, value, attr)
