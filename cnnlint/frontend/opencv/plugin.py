"""The OpenCV plugin: images read, decoded, resized and converted by `cv2` (NumPy arrays)."""

from __future__ import annotations

from typing import ClassVar

from cnnlint.frontend.opencv import images  # noqa: F401  (it fills the table)
from cnnlint.frontend.opencv.registry import LIBRARY
from cnnlint.frontend.python.plugin import FunctionHook, Plugin


class OpenCVPlugin(Plugin):
    name: ClassVar[str] = "opencv"
    # OpenCV alone builds no model: a file is worth reading for a framework's markers.
    markers: ClassVar[tuple[bytes, ...]] = ()

    def function(self, path: str) -> FunctionHook | None:
        return LIBRARY.hook(path)
