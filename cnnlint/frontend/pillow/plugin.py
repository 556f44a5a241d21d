"""The Pillow plugin: images opened, made, converted and resized by `PIL.Image`, and the arrays
NumPy makes of them (`np.array(img)`)."""

from __future__ import annotations

from typing import ClassVar

from cnnlint.frontend.pillow import images  # noqa: F401  (it fills the tables)
from cnnlint.frontend.pillow.registry import LIBRARY, METHODS
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.plugin import FunctionHook, Plugin
from cnnlint.frontend.python.values import Value, bound_method


class PillowPlugin(Plugin):
    name: ClassVar[str] = "pillow"
    # Pillow alone builds no model: a file is worth reading for a framework's markers.
    markers: ClassVar[tuple[bytes, ...]] = ()

    def function(self, path: str) -> FunctionHook | None:
        return LIBRARY.hook(path)

    def attribute(self, interp: Evaluator, value: Value, attr: str) -> Value | None:
        return bound_method(METHODS, value, attr)
