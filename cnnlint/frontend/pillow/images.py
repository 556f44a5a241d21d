"""`PIL.Image`: images opened from files (size and mode unknown), made (`Image.new`,
`Image.fromarray`), and the methods that give a new image (`convert`, `resize`, `crop`, ...) or
change one in place (`thumbnail`). Pillow's sizes are (width, height)."""

from __future__ import annotations

from cnnlint.frontend.library import Call
from cnnlint.frontend.pillow.registry import METHODS, api
from cnnlint.frontend.pillow.values import BANDS, ImageV
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import UNKNOWN, Const, ModuleV, SeqV, Value, as_dim, as_int, as_str
from cnnlint.frontend.tensor import TensorV
from cnnlint.shapes import Dim

IMAGE = "PIL.Image"
NONE = Const(None)
# fromarray: the mode of an array's last axis (a (h, w) array's mode depends on its dtype).
_ARRAY_MODES = {2: "LA", 3: "RGB", 4: "RGBA"}


def _size(value: Value) -> tuple[Dim | None, Dim | None] | None:
    """A Pillow size `(width, height)`; None where it is not a pair."""
    if not isinstance(value, SeqV) or len(value.items) != 2:
        return None
    width, height = (as_dim(v) for v in value.items)
    return width, height


@api(f"{IMAGE}.open", params="fp mode formats")
def open_image(c: Call) -> Value:
    return ImageV(None, None, None)


@api(f"{IMAGE}.new", params="mode size color")
def new(c: Call) -> Value:
    size = _size(c.get("size")) or (None, None)
    return ImageV(size[0], size[1], c.str_arg("mode"))


@api(f"{IMAGE}.fromarray", params="obj mode")
def fromarray(c: Call) -> Value:
    """(h, w) is one band (its mode the dtype's), (h, w, 2 / 3 / 4) 'LA' / 'RGB' / 'RGBA'."""
    array = c.get("obj")
    shape = c.interp.graph.nodes[array.node].shape if isinstance(array, TensorV) else None
    if shape is None or len(shape) not in (2, 3):
        return ImageV(None, None, None)
    height, width = shape[0], shape[1]
    mode = c.str_arg("mode")
    if mode is not None:
        return ImageV(width, height, mode)
    if len(shape) == 2:
        return ImageV(width, height, None, bands=1)
    channels = shape[2].value
    return ImageV(width, height, _ARRAY_MODES.get(channels) if channels is not None else None)


@api("PIL.ImageOps.grayscale", params="image")
def grayscale(c: Call) -> Value:
    image = c.get("image")
    return ImageV(image.width, image.height, "L") if isinstance(image, ImageV) else UNKNOWN


@api("PIL.ImageOps.fit", "PIL.ImageOps.pad", params="image size")
def fit(c: Call) -> Value:
    image, size = c.get("image"), _size(c.get("size")) or (None, None)
    return ImageV(size[0], size[1], image.mode) if isinstance(image, ImageV) else UNKNOWN


# -- methods ----------------------------------------------------------------------------------------
def _m_convert(interp: Evaluator, image: ImageV, mode: Value = NONE, *args: Value, **kwargs: Value) -> Value:
    """`img.convert('L')`: the same size in that mode (`convert()` alone: a mode of Pillow's choosing)."""
    name = as_str(kwargs.get("mode", mode))
    return ImageV(image.width, image.height, name if name in BANDS else None)


def _m_resize(interp: Evaluator, image: ImageV, size: Value = UNKNOWN, *args: Value, **kwargs: Value) -> Value:
    width, height = _size(kwargs.get("size", size)) or (None, None)
    return ImageV(width, height, image.mode, image.bands)


def _m_thumbnail(interp: Evaluator, image: ImageV, *args: Value, **kwargs: Value) -> Value:
    """In place: at most the size given, keeping the aspect ratio, so the sizes are unknown."""
    image.width = image.height = None
    return Const(None)


def _m_crop(interp: Evaluator, image: ImageV, box: Value = NONE, *args: Value, **kwargs: Value) -> Value:
    """`img.crop((left, upper, right, lower))` is (right - left, lower - upper), padded where outside."""
    box = kwargs.get("box", box)
    if isinstance(box, Const) and box.value is None:
        return _m_copy(interp, image)
    bounds = [as_int(v) for v in box.items] if isinstance(box, SeqV) and len(box.items) == 4 else None
    if bounds is None or any(b is None for b in bounds):
        return ImageV(None, None, image.mode, image.bands)
    left, upper, right, lower = (b for b in bounds if b is not None)
    width, height = max(right - left, 0), max(lower - upper, 0)
    return ImageV(Dim.const(width), Dim.const(height), image.mode, image.bands)


def _m_rotate(interp: Evaluator, image: ImageV, angle: Value = UNKNOWN, *args: Value, **kwargs: Value) -> Value:
    """The same size unless `expand=True`."""
    expand = kwargs.get("expand", args[1] if len(args) > 1 else Const(False))
    if isinstance(expand, Const) and expand.value in (False, 0):
        return _m_copy(interp, image)
    return ImageV(None, None, image.mode, image.bands)


_SWAPPING = frozenset(("ROTATE_90", "ROTATE_270", "TRANSPOSE", "TRANSVERSE"))
_KEEPING = frozenset(("FLIP_LEFT_RIGHT", "FLIP_TOP_BOTTOM", "ROTATE_180"))


def _m_transpose(interp: Evaluator, image: ImageV, method: Value = UNKNOWN, *args: Value, **kwargs: Value) -> Value:
    name = method.path.rsplit(".", 1)[-1] if isinstance(method, ModuleV) else None
    if name in _SWAPPING:
        return ImageV(image.height, image.width, image.mode, image.bands)
    if name in _KEEPING:
        return _m_copy(interp, image)
    return ImageV(None, None, image.mode, image.bands)


def _m_copy(interp: Evaluator, image: ImageV, *args: Value, **kwargs: Value) -> Value:
    return ImageV(image.width, image.height, image.mode, image.bands)


METHODS.update({
    (ImageV, "convert"): _m_convert, (ImageV, "resize"): _m_resize, (ImageV, "thumbnail"): _m_thumbnail,
    (ImageV, "crop"): _m_crop, (ImageV, "rotate"): _m_rotate, (ImageV, "transpose"): _m_transpose,
    (ImageV, "copy"): _m_copy, (ImageV, "filter"): _m_copy,
})
