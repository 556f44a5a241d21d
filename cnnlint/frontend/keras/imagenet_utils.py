"""`imagenet_utils._obtain_input_shape` (keras_applications, Keras 2) / `obtain_input_shape` (tf.keras,
Keras 3): the input shape an application builder computes from its arguments, as
`keras_applications/imagenet_utils.py` computes it. Where the function would raise (a wrong
`input_shape` for ImageNet weights, a size under the minimum), or any argument is unknown, the
result is unknown: the refusal itself is the applications' finding, not this helper's.
"""

from __future__ import annotations

from cnnlint.frontend.keras.registry import api
from cnnlint.frontend.library import Call
from cnnlint.frontend.python.values import UNKNOWN, Const, SeqV, Value

_NAMES = [f"{prefix}.{name}" for prefix in ("keras.applications.imagenet_utils", "keras_applications.imagenet_utils",
                                            "keras.src.applications.imagenet_utils")
          for name in ("_obtain_input_shape", "obtain_input_shape")]


# keras 2.0.x named `require_flatten` `include_top` (keras/applications/imagenet_utils.py at 2.0.0).
@api(*_NAMES, params="input_shape default_size min_size data_format require_flatten weights",
     aliases={"include_top": "require_flatten"})
def obtain_input_shape(c: Call) -> Value:
    known, shape = _sizes(c.get("input_shape"))
    default_size, min_size = c.int_arg("default_size"), c.int_arg("min_size")
    data_format = c.str_arg("data_format")
    # A required argument: not given (or not read) is unknown, never False.
    flatten = c.bool_arg("require_flatten") if c.has("require_flatten") else None
    weights = c.get("weights", Const(None))
    if not known or default_size is None or min_size is None or flatten is None \
            or data_format not in ("channels_first", "channels_last") or not isinstance(weights, Const):
        return UNKNOWN
    first = data_format == "channels_first"
    imagenet = weights.value == "imagenet"
    if not imagenet and shape and len(shape) == 3:
        channels = shape[0] if first else shape[-1]
        default: tuple[int | None, ...] = (channels, default_size, default_size) if first else \
            (default_size, default_size, channels)
    else:
        default = (3, default_size, default_size) if first else (default_size, default_size, 3)
    if imagenet and flatten:
        return _tuple(default) if shape is None or shape == default else UNKNOWN
    if shape:
        if len(shape) != 3:
            return UNKNOWN
        channels, sizes = (shape[0], shape[1:]) if first else (shape[-1], shape[:2])
        if (imagenet and channels != 3) or any(s is not None and s < min_size for s in sizes):
            return UNKNOWN
        result: tuple[int | None, ...] = shape
    elif flatten:
        result = default
    else:
        result = (3, None, None) if first else (None, None, 3)
    if flatten and None in result:
        return UNKNOWN
    return _tuple(result)


def _sizes(value: Value) -> tuple[bool, tuple[int | None, ...] | None]:
    """The `input_shape` argument: (known, None when not given, else a tuple of ints / None)."""
    if isinstance(value, Const) and value.value is None:
        return True, None
    if isinstance(value, SeqV):
        out: list[int | None] = []
        for item in value.items:
            if isinstance(item, Const) and (item.value is None or (isinstance(item.value, int)
                                                                    and not isinstance(item.value, bool))):
                out.append(item.value)
            else:
                return False, None
        return True, tuple(out)
    return False, None


def _tuple(sizes: tuple[int | None, ...]) -> Value:
    return SeqV([Const(s) for s in sizes], is_tuple=True)
