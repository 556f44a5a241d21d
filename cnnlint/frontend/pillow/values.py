"""A Pillow image as a value: its size (width, height: Pillow's order) and mode, where known, and
the array NumPy makes of it: (height, width) for one band ('L', '1', 'P', 'I', 'F'), else
(height, width, bands) ('RGB' 3, 'RGBA' 4, 'LA' 2)."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.join import Joiner
from cnnlint.frontend.python.values import UNKNOWN, Const, SeqV, Value, int_value
from cnnlint.frontend.tensor import TensorV
from cnnlint.ir import Loc
from cnnlint.shapes import Dim
from cnnlint.shapes.dim import equal

# Mode -> bands (the last axis of its array; 1: no such axis).
BANDS = {
    **dict.fromkeys(("1", "L", "P", "I", "F", "I;16", "I;16B", "I;16L", "I;16N"), 1),
    **dict.fromkeys(("LA", "La", "PA"), 2),
    **dict.fromkeys(("RGB", "YCbCr", "LAB", "HSV"), 3),
    **dict.fromkeys(("RGBA", "RGBa", "RGBX", "CMYK"), 4),
}
# Methods that return something new and leave the image as it is (others may change it in place:
# `thumbnail`, `paste`, `putalpha`, ...).
READ_ONLY = frozenset(("convert", "resize", "crop", "rotate", "transpose", "copy", "save", "show", "filter",
                       "getpixel", "getdata", "split", "tobytes", "getbands", "getextrema", "histogram",
                       "point", "reduce", "quantize", "close"))


@dataclass(eq=False)
class ImageV(Value):
    """A `PIL.Image.Image`: `width` / `height` None where unknown, `mode` None where unknown, or
    `bands` alone where only the array's rank is known (`Image.fromarray` of a (h, w) array)."""

    width: Dim | None
    height: Dim | None
    mode: str | None
    bands: int | None = None
    forgettable = True

    def __post_init__(self) -> None:
        if self.mode is not None:
            self.bands = BANDS.get(self.mode)

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        assert isinstance(other, ImageV)
        return ImageV(_same(self.width, other.width), _same(self.height, other.height),
                      self.mode if self.mode == other.mode else None, self.bands if self.bands == other.bands else None)

    def copy(self, memo: dict[int, Value]) -> Value:
        return ImageV(self.width, self.height, self.mode, self.bands)

    def forget(self) -> None:
        self.width = self.height = self.mode = self.bands = None

    def mutated_by(self, method: str) -> bool:
        return method not in READ_ONLY

    def enter(self, interp: Evaluator) -> Value | None:
        return self  # `with Image.open(p) as img:`

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "size":
            return SeqV([_int(self.width), _int(self.height)], is_tuple=True)
        if attr == "width":
            return _int(self.width)
        if attr == "height":
            return _int(self.height)
        if attr == "mode":
            return UNKNOWN if self.mode is None else Const(self.mode)
        return None

    def as_array(self, interp: Evaluator, site: cst.CSTNode | None) -> Value | None:
        """`np.array(img)`: (height, width) or (height, width, bands); rank unknown with the mode."""
        rows, columns = self.height or Dim.unknown(), self.width or Dim.unknown()
        shape = None if self.bands is None else [rows, columns] if self.bands == 1 else [
            rows, columns, Dim.const(self.bands)]
        loc = interp.loc(site) if site is not None else Loc(1, 1, 1, 1)
        api = interp.code(site.func) if isinstance(site, cst.Call) else "np.array"
        return TensorV(interp.graph.add("input", api, [], {"shape": shape, "kind": "array"}, loc).id)


def _same(a: Dim | None, b: Dim | None) -> Dim | None:
    return a if a is not None and b is not None and equal(a, b) else None


def _int(dim: Dim | None) -> Value:
    return UNKNOWN if dim is None else int_value(dim)
