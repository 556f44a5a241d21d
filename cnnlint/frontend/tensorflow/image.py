"""`tf.image` and `tf.io` as input pipelines use them: resizing, cropping, augmentation, decoding
files, and `tf.one_hot`. Shapes are TensorFlow's static shapes; an image is `(height, width,
channels)` or a batch `(n, height, width, channels)`.
"""

from __future__ import annotations

from cnnlint.frontend.library import Call
from cnnlint.frontend.python.values import UNKNOWN, Const, SeqV, Value, as_bool, as_dim, as_int
from cnnlint.frontend.tensorflow.registry import api
from cnnlint.shapes import Dim

IMG = "tensorflow.image"
IO = "tensorflow.io"
Dims = list[Dim | None]


def _shape(c: Call, name: str) -> tuple[int | None, tuple[Dim, ...] | None]:
    """The node of argument `name` and its shape."""
    node = c.tensor(name)
    found = c.node(node)
    return node, None if found is None else found.shape


def _made(c: Call, shape: Dims | None, inputs: list[int | None] | None = None, dtype: str | None = None) -> Value:
    """A tensor of a shape computed here (None: unknown)."""
    if shape is None:
        return c.opaque(inputs)
    return c.add("input", [], {"shape": shape, "kind": "data", **({"dtype": dtype} if dtype else {})})


def _size(value: Value) -> Dims:
    """A (height, width) argument; unknown sizes where it is not a pair of known ints."""
    if isinstance(value, SeqV) and len(value.items) == 2:
        return [_positive(v) for v in value.items]
    return [None, None]


def _positive(value: Value) -> Dim | None:
    n = as_int(value)
    return Dim.const(n) if n is not None and n > 0 else None


def _resized(c: Call, image: str, size: Dims) -> Value:
    """`image` with its spatial axes replaced by `size`: a 4-D batch through the `resize` op, a 3-D image
    directly; any other rank unknown (TensorFlow refuses it)."""
    node, shape = _shape(c, image)
    if shape is None or len(shape) not in (3, 4):
        return c.opaque([node])
    if len(shape) == 4:
        sizes = [d.value if d is not None else None for d in size]
        return c.add("resize", [node], {"size": sizes, "data_format": "channels_last"})
    return _made(c, [*size, shape[-1]], [node])


@api(f"{IMG}.resize", params="images size method preserve_aspect_ratio antialias name")
def resize(c: Call) -> Value:
    """`tf.image.resize(images, (h, w))`; `preserve_aspect_ratio=True` leaves both sizes unknown."""
    keep = as_bool(c.get("preserve_aspect_ratio", Const(False)))
    return _resized(c, "images", _size(c.get("size")) if keep is False else [None, None])


@api(f"{IMG}.resize_images", params="images size method align_corners preserve_aspect_ratio name")
def resize_images(c: Call) -> Value:
    """TF1's `tf.image.resize_images`."""
    return resize(c)


@api(f"{IMG}.resize_bilinear", f"{IMG}.resize_nearest_neighbor", f"{IMG}.resize_bicubic", f"{IMG}.resize_area",
     params="images size align_corners name half_pixel_centers")
def resize_4d(c: Call) -> Value:
    """TF1's 4-D-only resizes."""
    _, shape = _shape(c, "images")
    return _resized(c, "images", _size(c.get("size"))) if shape is not None and len(shape) == 4 else \
        c.opaque([c.tensor("images")])


@api(f"{IMG}.resize_with_pad", f"{IMG}.resize_image_with_pad", f"{IMG}.resize_with_crop_or_pad",
     f"{IMG}.resize_image_with_crop_or_pad", params="image target_height target_width method antialias")
def resize_to_target(c: Call) -> Value:
    return _resized(c, "image", [_positive(c.get("target_height")), _positive(c.get("target_width"))])


@api(f"{IMG}.crop_to_bounding_box", f"{IMG}.pad_to_bounding_box",
     params="image offset_height offset_width target_height target_width")
def to_bounding_box(c: Call) -> Value:
    return _resized(c, "image", [_positive(c.get("target_height")), _positive(c.get("target_width"))])


@api(f"{IMG}.central_crop", params="image central_fraction")
def central_crop(c: Call) -> Value:
    return _resized(c, "image", [None, None])


@api(f"{IMG}.random_crop", "tensorflow.random_crop", params="value size seed name")
def random_crop(c: Call) -> Value:
    """`random_crop(value, size)`: exactly `size`."""
    node, shape = _shape(c, "value")
    size = c.get("size")
    if shape is None or not isinstance(size, SeqV) or len(size.items) != len(shape):
        return c.opaque([node])
    return _made(c, [_positive(v) for v in size.items], [node])


def _channels(c: Call, name: str, channels: int) -> Value:
    node, shape = _shape(c, name)
    if shape is None or not shape:
        return c.opaque([node])
    return _made(c, [*shape[:-1], Dim.const(channels)], [node])


@api(f"{IMG}.rgb_to_grayscale", params="images name")
def rgb_to_grayscale(c: Call) -> Value:
    return _channels(c, "images", 1)


@api(f"{IMG}.grayscale_to_rgb", params="images name")
def grayscale_to_rgb(c: Call) -> Value:
    return _channels(c, "images", 3)


@api(*(f"{IMG}.{name}" for name in (
    "flip_left_right", "flip_up_down", "random_flip_left_right", "random_flip_up_down", "per_image_standardization",
    "random_brightness", "random_contrast", "random_saturation", "random_hue", "adjust_brightness",
    "adjust_contrast", "adjust_saturation", "adjust_hue", "adjust_gamma", "rgb_to_hsv", "hsv_to_rgb", "rgb_to_yuv",
    "yuv_to_rgb", "stateless_random_flip_left_right", "stateless_random_flip_up_down",
    "stateless_random_brightness", "stateless_random_contrast")), params="image", aliases={"images": "image"})
def same_shape(c: Call) -> Value:
    """Augmentations and colour conversions that keep the shape."""
    node = c.tensor("image")
    return UNKNOWN if node is None else c.add("identity", [node], {})


# -- files -------------------------------------------------------------------------------------------
@api(f"{IO}.read_file", "tensorflow.read_file", params="filename name")
def read_file(c: Call) -> Value:
    """A file's bytes: a string scalar."""
    return _made(c, [], dtype="string")


def _channel_count(value: Value) -> Dim | None:
    n = as_int(value)
    return Dim.const(n) if n is not None and n > 0 else None


def _decoded(c: Call) -> Value:
    return _made(c, [None, None, _channel_count(c.get("channels", Const(0)))], dtype="int")


@api(f"{IO}.decode_jpeg", f"{IMG}.decode_jpeg", params="contents channels ratio fancy_upscaling "
     "try_recover_truncated acceptable_fraction dct_method name")
def decode_jpeg(c: Call) -> Value:
    """`decode_jpeg(contents, channels=k)`: `(h, w, k)`, h and w unknown; `channels=0` leaves k unknown."""
    return _decoded(c)


@api(f"{IO}.decode_png", f"{IMG}.decode_png", f"{IO}.decode_bmp", f"{IMG}.decode_bmp",
     params="contents channels dtype name")
def decode_png(c: Call) -> Value:
    return _decoded(c)


@api(f"{IO}.decode_image", f"{IMG}.decode_image", params="contents channels dtype name expand_animations")
def decode_image(c: Call) -> Value:
    """`decode_image` is 3-D only with `expand_animations=False` (a GIF is 4-D otherwise)."""
    if as_bool(c.get("expand_animations", Const(True))) is not False:
        return c.opaque()
    channels = c.get("channels", Const(None))
    return _made(c, [None, None, None if isinstance(channels, Const) and channels.value is None
                     else _channel_count(channels)], dtype="int")


@api(f"{IO}.decode_gif", f"{IMG}.decode_gif", params="contents name")
def decode_gif(c: Call) -> Value:
    return _made(c, [None, None, None, Dim.const(3)], dtype="int")



# -- labels ------------------------------------------------------------------------------------------
@api("tensorflow.one_hot", params="indices depth on_value off_value axis dtype name")
def one_hot(c: Call) -> Value:
    """`tf.one_hot(indices, depth, axis=-1)`: the indices' shape with a new axis of size `depth` at `axis`."""
    node, shape = _shape(c, "indices")
    axis = c.get("axis", Const(None))
    position = -1 if isinstance(axis, Const) and axis.value is None else as_int(axis)
    if shape is None or position is None or not -1 <= position <= len(shape):
        return c.opaque([node])
    dims: Dims = list(shape)
    dims.insert(position if position >= 0 else len(shape), as_dim(c.get("depth")))
    return _made(c, dims, [node])
