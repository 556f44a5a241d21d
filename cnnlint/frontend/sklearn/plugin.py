"""The scikit-learn plugin: `train_test_split` (`model_selection.py`) and the transformers of a
model's data (`preprocessing.py`)."""

from __future__ import annotations

from typing import ClassVar

from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.plugin import FunctionHook, Plugin
from cnnlint.frontend.python.values import Value, bound_method
from cnnlint.frontend.sklearn import model_selection, preprocessing  # noqa: F401  (they fill the tables)
from cnnlint.frontend.sklearn.registry import LIBRARY, METHODS


class SklearnPlugin(Plugin):
    name: ClassVar[str] = "sklearn"
    # scikit-learn alone builds no model: a file is worth reading for a framework's markers.
    markers: ClassVar[tuple[bytes, ...]] = ()

    def function(self, path: str) -> FunctionHook | None:
        return LIBRARY.hook(path)

    def attribute(self, interp: Evaluator, value: Value, attr: str) -> Value | None:
        return bound_method(METHODS, value, attr)
