"""OpenCV's images: NumPy arrays of (height, width) or (height, width, channels), sizes unknown
until the program fixes them. `cv2.imread` / `cv2.imdecode` by their flag, `cv2.resize` (its
`dsize` is (width, height); a channel axis of size 1 is dropped), `cv2.cvtColor` by its code, and
filters that keep the shape. A missing file (`imread` gives None) is not modelled."""

from __future__ import annotations

from cnnlint.frontend.library import Call
from cnnlint.frontend.opencv.registry import api
from cnnlint.frontend.python.values import UNKNOWN, Const, ModuleV, SeqV, Value, as_dim, as_int
from cnnlint.frontend.tensor import TensorV
from cnnlint.shapes import Dim

CV = "cv2"
Shape = list[Dim | None]

# imread flags -> the channels of the image read (1: a (h, w) array); other flags (IMREAD_UNCHANGED,
# IMREAD_ANYCOLOR, ...) leave them to the file.
_IMREAD_CHANNELS = {
    "IMREAD_GRAYSCALE": 1, "IMREAD_COLOR": 3, "IMREAD_COLOR_BGR": 3, "IMREAD_COLOR_RGB": 3,
    "IMREAD_REDUCED_GRAYSCALE_2": 1, "IMREAD_REDUCED_GRAYSCALE_4": 1, "IMREAD_REDUCED_GRAYSCALE_8": 1,
    "IMREAD_REDUCED_COLOR_2": 3, "IMREAD_REDUCED_COLOR_4": 3, "IMREAD_REDUCED_COLOR_8": 3,
}
_IMREAD_VALUES = {0: 1, 1: 3, 256: 3, 16: 1, 32: 1, 64: 1, 17: 3, 33: 3, 65: 3}
_REDUCED = frozenset((16, 32, 64, 17, 33, 65))
_IMREAD_NUMBERS = {"IMREAD_GRAYSCALE": 0, "IMREAD_COLOR": 1, "IMREAD_COLOR_BGR": 1, "IMREAD_COLOR_RGB": 256,
                   "IMREAD_REDUCED_GRAYSCALE_2": 16, "IMREAD_REDUCED_GRAYSCALE_4": 32,
                   "IMREAD_REDUCED_GRAYSCALE_8": 64, "IMREAD_REDUCED_COLOR_2": 17, "IMREAD_REDUCED_COLOR_4": 33,
                   "IMREAD_REDUCED_COLOR_8": 65, "IMREAD_UNCHANGED": -1}

# cvtColor codes (name and value, as cv2 defines them) -> (channels accepted, channels made); every
# OpenCV version accepts these inputs (newer ones accept more, which is left unknown).
_GRAY, _COLOR, _ALPHA = (1,), (3, 4), (4,)
_CONVERSIONS: dict[int, tuple[tuple[int, ...], int]] = {
    0: (_COLOR, 4), 1: (_COLOR, 3), 2: (_COLOR, 4), 3: (_COLOR, 3), 4: (_COLOR, 3), 5: (_ALPHA, 4),
    6: (_COLOR, 1), 7: (_COLOR, 1), 8: (_GRAY, 3), 9: (_GRAY, 4), 10: (_ALPHA, 1), 11: (_ALPHA, 1),
    36: ((3,), 3), 37: ((3,), 3), 40: ((3,), 3), 41: ((3,), 3), 44: ((3,), 3), 45: ((3,), 3),
    54: ((3,), 3), 55: ((3,), 3), 82: ((3,), 3), 83: ((3,), 3),
}
_CONVERSION_NAMES = {
    "COLOR_BGR2BGRA": 0, "COLOR_RGB2RGBA": 0, "COLOR_BGRA2BGR": 1, "COLOR_RGBA2RGB": 1, "COLOR_BGR2RGBA": 2,
    "COLOR_RGB2BGRA": 2, "COLOR_RGBA2BGR": 3, "COLOR_BGRA2RGB": 3, "COLOR_BGR2RGB": 4, "COLOR_RGB2BGR": 4,
    "COLOR_BGRA2RGBA": 5, "COLOR_RGBA2BGRA": 5, "COLOR_BGR2GRAY": 6, "COLOR_RGB2GRAY": 7, "COLOR_GRAY2BGR": 8,
    "COLOR_GRAY2RGB": 8, "COLOR_GRAY2BGRA": 9, "COLOR_GRAY2RGBA": 9, "COLOR_BGRA2GRAY": 10,
    "COLOR_RGBA2GRAY": 11, "COLOR_BGR2YCrCb": 36, "COLOR_BGR2YCR_CB": 36, "COLOR_RGB2YCrCb": 37,
    "COLOR_RGB2YCR_CB": 37, "COLOR_BGR2HSV": 40, "COLOR_RGB2HSV": 41, "COLOR_BGR2LAB": 44, "COLOR_BGR2Lab": 44,
    "COLOR_RGB2LAB": 45, "COLOR_RGB2Lab": 45, "COLOR_HSV2BGR": 54, "COLOR_HSV2RGB": 55, "COLOR_BGR2YUV": 82,
    "COLOR_RGB2YUV": 83,
}


def _constant(value: Value, names: dict[str, int]) -> int | None:
    """A cv2 constant as its number: `cv2.IMREAD_GRAYSCALE` (by name) or the number written."""
    if isinstance(value, ModuleV) and value.path.startswith(f"{CV}."):
        return names.get(value.path[len(CV) + 1:])
    return as_int(value)


def _image(c: Call, shape: Shape | None) -> TensorV:
    """An image array of the shape this call gives (an `input` op states it)."""
    return c.add("input", [], {"shape": shape, "kind": "array"})


def _read_shape(flag: int | None) -> Shape | None:
    """The shape `imread(path, flag)` gives: (h, w) or (h, w, 3), sizes the file's; None: rank unknown."""
    channels = _IMREAD_VALUES.get(flag) if flag is not None else None
    if channels is None:
        return None
    return [None, None] if channels == 1 else [None, None, Dim.const(channels)]


@api(f"{CV}.imread", params="filename flags")
def imread(c: Call) -> Value:
    flag = _constant(c.get("flags"), _IMREAD_NUMBERS) if c.has("flags") else 1
    return _image(c, _read_shape(flag))


@api(f"{CV}.imdecode", params="buf flags")
def imdecode(c: Call) -> Value:
    flag = _constant(c.get("flags"), _IMREAD_NUMBERS)
    return _image(c, _read_shape(flag))


def _shape_of(c: Call, name: str) -> tuple[int | None, tuple[Dim, ...] | None]:
    node = c.tensor(name)
    found = c.node(node)
    return node, None if found is None else found.shape


def _scaled(size: Dim, factor: Value) -> Dim | None:
    """`size * factor` where OpenCV's rounding cannot matter (an exact integer), else unknown."""
    n = size.value
    f = factor.value if isinstance(factor, Const) and isinstance(factor.value, (int, float)) else None
    if n is None or f is None or isinstance(f, bool) or f <= 0:
        return None
    scaled = n * f
    return Dim.const(int(scaled)) if float(scaled).is_integer() else None


@api(f"{CV}.resize", params="src dsize dst fx fy interpolation")
def resize(c: Call) -> Value:
    """`cv2.resize(img, (w, h))` is (h, w[, c]); a channel axis of size 1 is dropped. With `dsize`
    None or (0, 0), the sizes are the image's times `fx` / `fy`."""
    node, shape = _shape_of(c, "src")
    if shape is None or len(shape) not in (2, 3):
        return c.opaque([node])
    rest = list(shape[2:]) if len(shape) == 3 and shape[2].value != 1 else []
    if len(shape) == 3 and shape[2].value is None:
        return c.opaque([node])  # whether a 1 is dropped is the data's
    dsize = c.get("dsize", Const(None))
    if isinstance(dsize, SeqV) and len(dsize.items) == 2:
        width, height = (as_dim(v) for v in dsize.items)
        if width is None or height is None:
            return _image(c, [None, None, *rest])
        if width.value != 0 and height.value != 0:
            return _image(c, [height, width, *rest])
    elif not (isinstance(dsize, Const) and dsize.value is None):
        return _image(c, [None, None, *rest])
    # No size (None, or an area of 0): the image's sizes scaled by fx, fy.
    fx, fy = c.get("fx", Const(0)), c.get("fy", Const(0))
    return _image(c, [_scaled(shape[0], fy), _scaled(shape[1], fx), *rest])


@api(f"{CV}.cvtColor", params="src code dst dstCn")
def cvt_color(c: Call) -> Value:
    """`cv2.cvtColor(img, code)`: (h, w) for a conversion to gray, else (h, w, channels made)."""
    node, shape = _shape_of(c, "src")
    code = _constant(c.get("code"), _CONVERSION_NAMES)
    conversion = _CONVERSIONS.get(code) if code is not None else None
    if shape is None or conversion is None or len(shape) not in (2, 3):
        return c.opaque([node])
    accepted, made = conversion
    channels = shape[2].value if len(shape) == 3 else 1
    if channels not in accepted:
        return c.opaque([node])  # refused, or accepted only by some versions
    return _image(c, [shape[0], shape[1], *([Dim.const(made)] if made > 1 else [])])


@api(f"{CV}.GaussianBlur", f"{CV}.medianBlur", f"{CV}.blur", f"{CV}.bilateralFilter", f"{CV}.flip",
     f"{CV}.bitwise_not", f"{CV}.equalizeHist", f"{CV}.dilate", f"{CV}.erode", f"{CV}.normalize",
     params="src")
def same_shape(c: Call) -> Value:
    """Filters and flips: an image of the input's shape."""
    return c.add("identity", [c.tensor("src")], {})


@api(f"{CV}.Canny", params="image")
def canny(c: Call) -> Value:
    """An edge map: (h, w) of the image's sizes."""
    node, shape = _shape_of(c, "image")
    if shape is None or len(shape) not in (2, 3):
        return c.opaque([node])
    return _image(c, [shape[0], shape[1]])


@api(f"{CV}.threshold", params="src thresh maxval type")
def threshold(c: Call) -> Value:
    """`(retval, image)`: the image keeps its shape."""
    return SeqV([UNKNOWN, c.add("identity", [c.tensor("src")], {})], is_tuple=True)
