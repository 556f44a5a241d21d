"""Each Keras layer class as a registry op: its attributes read from the layer's arguments
(`Conv2D(32, 3, strides=2)` is `conv` with `kernel_size=(3, 3)`, `strides=(2, 2)`, ...)."""

from __future__ import annotations

import re
from collections.abc import Callable

from cnnlint.frontend.conventions import data_format, padding, spatial
from cnnlint.frontend.keras.classes import IDENTITY
from cnnlint.frontend.keras.values import LayerV
from cnnlint.frontend.library import shape_of_value
from cnnlint.frontend.python.values import UNKNOWN, Const, SeqV, Value, as_int, as_size


def rank_of_kind(kind: str) -> int:
    match = re.search(r"(\d)D", kind)
    return int(match.group(1)) if match else 0


Attrs = dict[str, object]
Translation = Callable[[LayerV, int], "tuple[str, Attrs] | None"]


def _layout(layer: LayerV) -> str | None:
    return data_format(layer.args.get("data_format"))


def _use_bias(layer: LayerV) -> bool | None:
    value = layer.args.get("use_bias", Const(True))
    return bool(value.value) if isinstance(value, Const) else None


def _windowed(layer: LayerV, n: int) -> Attrs | None:
    """Attributes every convolution shares: layout, padding, kernel, strides, dilation, bias."""
    layout = _layout(layer)
    if layout is None:
        return None
    first = layout == "channels_first"
    pad = padding(layer.args.get("padding"), n, first, "VALID")
    kernel = spatial(layer.args.get("kernel_size"), n, first, None)
    use_bias = _use_bias(layer)
    if pad is None or kernel is None or use_bias is None:
        return None
    return {
        "rank": n, "data_format": layout, "padding": pad, "kernel_size": kernel, "use_bias": use_bias,
        "strides": spatial(layer.args.get("strides"), n, first, 1),
        "dilations": spatial(layer.args.get("dilation_rate"), n, first, 1),
    }


def _conv(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    attrs = _windowed(layer, n)
    groups = as_int(layer.args.get("groups", Const(1)))
    if attrs is None or groups is None:
        return None
    return "conv", {**attrs, "groups": groups, "filters": as_size(layer.args.get("filters", UNKNOWN))}


def _separable(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    attrs = _windowed(layer, n)
    multiplier = as_int(layer.args.get("depth_multiplier", Const(1)))
    if attrs is None or multiplier is None:
        return None
    return "conv", {**attrs, "separable": multiplier, "filters": as_size(layer.args.get("filters", UNKNOWN))}


def _depthwise(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    attrs = _windowed(layer, n)
    multiplier = as_int(layer.args.get("depth_multiplier", Const(1)))
    if attrs is None or multiplier is None:
        return None
    return "depthwise_conv", {**attrs, "depth_multiplier": multiplier}


def _conv_transpose(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    attrs = _windowed(layer, n)
    if attrs is None or attrs["padding"] not in ("SAME", "VALID"):
        return None
    out_pad = layer.args.get("output_padding")
    output_padding = None
    if out_pad is not None and not (isinstance(out_pad, Const) and out_pad.value is None):
        output_padding = spatial(out_pad, n, attrs["data_format"] == "channels_first", None)
        if output_padding is None:
            return None
    return "conv_transpose", {**attrs, "output_padding": output_padding,
                              "filters": as_size(layer.args.get("filters", UNKNOWN))}


def _pool(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    layout = _layout(layer)
    if layout is None:
        return None
    first = layout == "channels_first"
    size = spatial(layer.args.get("pool_size"), n, first, 2)
    strides_value = layer.args.get("strides")
    strides = size if strides_value is None or (isinstance(strides_value, Const) and strides_value.value is None) \
        else spatial(strides_value, n, first, None)
    pad = padding(layer.args.get("padding"), n, first, "VALID")
    if pad is None:
        return None
    return "pool", {"rank": n, "data_format": layout, "pool_size": size, "strides": strides, "padding": pad}


def _global_pool(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    layout = _layout(layer)
    keep = layer.args.get("keepdims", Const(False))
    if layout is None or not isinstance(keep, Const):
        return None
    axes = list(range(2, n + 2)) if layout == "channels_first" else list(range(1, n + 1))
    return "reduce", {"axis": axes, "keepdims": bool(keep.value), "rank": n + 2}


def _pairs(value: Value | None, n: int, default: int) -> list[tuple[int, int]] | None:
    """Keras padding/cropping: an int, one int per axis, or a (before, after) pair per axis."""
    if value is None or (isinstance(value, Const) and value.value is None):
        return [(default, default)] * n
    single = as_int(value)
    if single is not None:
        return [(single, single)] * n
    if not isinstance(value, SeqV):
        return None
    if n == 1 and len(value.items) == 2:  # ZeroPadding1D((1, 2)): one (before, after) pair
        before, after = as_int(value.items[0]), as_int(value.items[1])
        return None if before is None or after is None else [(before, after)]
    if len(value.items) != n:
        return None
    pairs: list[tuple[int, int]] = []
    for item in value.items:
        both = as_int(item)
        if both is not None:
            pairs.append((both, both))
        elif isinstance(item, SeqV) and len(item.items) == 2:
            before, after = as_int(item.items[0]), as_int(item.items[1])
            if before is None or after is None:
                return None
            pairs.append((before, after))
        else:
            return None
    return pairs


def _zero_padding(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    layout = _layout(layer)
    pairs = _pairs(layer.args.get("padding"), n, 1)
    if layout is None or pairs is None:
        return None
    full = [(0, 0), (0, 0), *pairs] if layout == "channels_first" else [(0, 0), *pairs, (0, 0)]
    return "pad", {"paddings": full}


def _upsampling(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    layout = _layout(layer)
    size = spatial(layer.args.get("size"), n, layout == "channels_first", 2) if layout is not None else None
    if layout is None or size is None:
        return None
    return "upsample", {"size": size, "data_format": layout}


def _cropping(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    layout = _layout(layer)
    pairs = _pairs(layer.args.get("cropping"), n, 0)
    if layout is None or pairs is None:
        return None
    return "crop", {"cropping": pairs, "data_format": layout}


def _dense(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    use_bias = _use_bias(layer)
    if use_bias is None:
        return None
    attrs: Attrs = {"units": as_size(layer.args.get("units", UNKNOWN)), "use_bias": use_bias}
    # `Dense(128, input_dim=1024)` states what the author believes comes in; Keras ignores it
    # past the first layer, so a disagreement is reported (CNN002) without stopping the model.
    stated = shape_of_value(layer.args["input_shape"]) if "input_shape" in layer.args else None
    in_features = as_int(layer.args["input_dim"]) if "input_dim" in layer.args else \
        stated[-1].value if stated and stated[-1] is not None and len(stated) == 1 else None
    if in_features is not None:
        attrs.update(in_features=in_features, stated_only=True)
    return "dense", attrs


def _flatten(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    return "flatten", {}


def _reshape(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    target = shape_of_value(layer.args.get("target_shape", UNKNOWN))
    if target is None:
        return None
    return "reshape", {"shape": [None, *target], "keep_batch": True}


def _permute(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    dims = shape_of_value(layer.args.get("dims", UNKNOWN))
    if dims is None or any(d is None or d.value is None for d in dims):
        return None
    return "transpose", {"perm": [0, *(d.value for d in dims if d is not None)]}


def _repeat(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    return "repeat_vector", {"n": as_int(layer.args.get("n", UNKNOWN))}


def _embedding(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    return "embedding", {"input_dim": as_int(layer.args.get("input_dim", UNKNOWN)),
                         "output_dim": as_int(layer.args.get("output_dim", UNKNOWN))}


def _resize(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    layout = _layout(layer)
    height, width = as_int(layer.args.get("height", UNKNOWN)), as_int(layer.args.get("width", UNKNOWN))
    if layout is None:
        return None
    return "resize", {"size": [height, width], "data_format": layout}


def _axes(value: Value | None, default: int) -> list[int] | None:
    if value is None:
        return [default]
    single = as_int(value)
    if single is not None:
        return [single]
    if isinstance(value, SeqV):
        axes = [as_int(v) for v in value.items]
        return None if any(a is None for a in axes) else [a for a in axes if a is not None]
    return None


def _flag(layer: LayerV, name: str) -> int | None:
    value = layer.args.get(name, Const(True))
    return int(bool(value.value)) if isinstance(value, Const) else None


def _normalization(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    """Batch/layer/group normalisation: one scale and one offset per channel (plus moving stats)."""
    axes = _axes(layer.args.get("axis"), -1)
    center, scale = _flag(layer, "center"), _flag(layer, "scale")
    if axes is None or center is None or scale is None:
        return None
    per_channel = center + scale + (2 if layer.kind == "BatchNormalization" else 0)
    names = [*(["gamma"] if scale else []), *(["beta"] if center else [])]
    state = ["moving_mean", "moving_variance"] if layer.kind == "BatchNormalization" else []
    return "identity", {"weights_per_channel": per_channel, "param_axes": axes, "weight_names": names,
                        "state_weights": state}


def _preprocessing_normalization(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    axes = _axes(layer.args.get("axis"), -1)
    if axes is None:
        return None
    return "identity", {"weights_per_channel": 2, "param_axes": axes, "extra_params": 1}


def _prelu(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    shared = _axes(layer.args.get("shared_axes"), 0) if "shared_axes" in layer.args else []
    if shared is None:
        return None
    return "identity", {"weights_per_channel": 1, "alpha_shared": shared, "weight_names": ["alpha"],
                        "min_rank": max((a + 1 for a in shared if a > 0), default=2)}


_GATES = {"SimpleRNN": 1, "LSTM": 4, "GRU": 3, "CuDNNLSTM": 4, "CuDNNGRU": 3}


def _rnn(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    units = as_int(layer.args.get("units", UNKNOWN))
    flags = {name: layer.args.get(name, Const(default)) for name, default in
             (("return_sequences", False), ("return_state", False), ("use_bias", True), ("reset_after", True))}
    if not all(isinstance(v, Const) for v in flags.values()) or _flag_value(flags["return_state"]):
        return None  # a list of tensors, or unknown flags
    return "rnn", {"units": units, "gates": _GATES[layer.kind],
                   "return_sequences": _flag_value(flags["return_sequences"]),
                   "use_bias": _flag_value(flags["use_bias"]),
                   "reset_after": layer.kind == "GRU" and _flag_value(flags["reset_after"]),
                   **({"cudnn": True} if layer.kind.startswith("CuDNN") else {}),
                   **({"stateful": True} if _flag_value(layer.args.get("stateful", Const(False))) else {})}


def _flag_value(value: Value) -> bool:
    return isinstance(value, Const) and bool(value.value)


def _bidirectional(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    inner = layer.args.get("layer")
    mode = layer.args.get("merge_mode", Const("concat"))
    if not isinstance(inner, LayerV) or inner.kind not in _GATES or not isinstance(mode, Const):
        return None
    translated = _rnn(inner, 0)
    if translated is None or mode.value not in ("concat", "sum", "mul", "ave"):
        return None
    op, attrs = translated
    units = as_int(inner.args.get("units", UNKNOWN))
    doubled = None if units is None else 2 * units if mode.value == "concat" else units
    return op, {**attrs, "bidirectional": True, "output_units": doubled}


def _time_distributed(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    inner = layer.args.get("layer")
    if not isinstance(inner, LayerV):
        return None
    family = inner.kind if inner.kind in TRANSLATIONS else inner.kind.rstrip("0123456789D")
    translate = TRANSLATIONS.get(family)
    translated = translate(inner, rank_of_kind(inner.kind)) if translate is not None else None
    if translated is None:
        return None
    return "time_distributed", {"inner_op": translated[0], "inner_attrs": translated[1]}


def _identity(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    return "identity", {"rank": n + 2} if layer.kind.startswith("SpatialDropout") else {}


TRANSLATIONS: dict[str, Translation] = {
    "Conv": _conv,
    "Convolution": _conv,
    "SeparableConv": _separable,
    "DepthwiseConv": _depthwise,
    **{f"Conv{n}DTranspose": _conv_transpose for n in (1, 2, 3)},
    "MaxPooling": _pool,
    "AveragePooling": _pool,
    "GlobalMaxPooling": _global_pool,
    "GlobalAveragePooling": _global_pool,
    "Dense": _dense,
    "Flatten": _flatten,
    "ZeroPadding": _zero_padding,
    "UpSampling": _upsampling,
    "Cropping": _cropping,
    "Reshape": _reshape,
    "Permute": _permute,
    "RepeatVector": _repeat,
    "Embedding": _embedding,
    "Resizing": _resize,
    "CenterCrop": _resize,
    "RandomCrop": _resize,
    "BatchNormalization": _normalization,
    "LayerNormalization": _normalization,
    "GroupNormalization": _normalization,
    "Normalization": _preprocessing_normalization,
    "PReLU": _prelu,
    **{name: _rnn for name in _GATES},
    "Bidirectional": _bidirectional,
    "TimeDistributed": _time_distributed,
    **{name: _identity for name in IDENTITY},
}
