"""The NumPy plugin: array constructors and functions, array methods and properties, and the
Python helpers array code uses (`math.prod`, `functools.reduce`)."""

from __future__ import annotations

from typing import ClassVar

from cnnlint.frontend.numpy import arrays, pyrandom  # noqa: F401  (they fill the tables)
from cnnlint.frontend.numpy.methods import TENSOR_ATTRIBUTES
from cnnlint.frontend.numpy.registry import LIBRARY
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.plugin import FunctionHook, Plugin
from cnnlint.frontend.python.values import Value
from cnnlint.frontend.tensor import TensorV


class NumPyPlugin(Plugin):
    name: ClassVar[str] = "numpy"
    # NumPy alone builds no model: a file is worth reading for a framework's markers.
    markers: ClassVar[tuple[bytes, ...]] = ()

    def function(self, path: str) -> FunctionHook | None:
        return LIBRARY.hook(path)

    def attribute(self, interp: Evaluator, value: Value, attr: str) -> Value | None:
        if isinstance(value, TensorV):
            read = TENSOR_ATTRIBUTES.get(attr)
            if read is not None:
                return read(interp, value)
        return None
