"""Keras: layer objects, `Input`, `Sequential` (list or `.add`), and layers called on tensors.

A layer constructor call makes a `LayerV` holding its bound arguments; applying it to a tensor
(inside a `Sequential` whose input shape is known, or functionally as `layer(x)`) translates it
into a registry op. Layers not listed here are unknown and keep everything after them quiet.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from cnnlint.frontend.api import LAYER_HOOKS, Call, api, shape_of_value
from cnnlint.frontend.interp import METHODS, Interpreter
from cnnlint.frontend.tf_nn import data_format, padding, spatial
from cnnlint.frontend.values import UNKNOWN, Const, LayerV, SequentialV, SeqV, TensorV, Value, as_int
from cnnlint.ir import Loc
from cnnlint.shapes import Dim

PREFIXES = ("keras.layers", "keras.layers.convolutional", "keras.layers.core", "keras.layers.pooling",
            "keras.layers.normalization", "keras.layers.advanced_activations")

# Class name -> constructor parameters in positional order (Keras 2 and 3 agree on these).
LAYER_PARAMS = {
    **{f"Conv{n}D": "filters kernel_size strides padding data_format dilation_rate groups activation"
       for n in (1, 2, 3)},
    **{f"{kind}Pooling{n}D": "pool_size strides padding data_format" for kind in ("Max", "Average")
       for n in (1, 2, 3)},
    **{f"Global{kind}Pooling{n}D": "data_format keepdims" for kind in ("Max", "Average") for n in (1, 2, 3)},
    "Dense": "units activation",
    **{f"ZeroPadding{n}D": "padding data_format" for n in (1, 2, 3)},
    **{f"UpSampling{n}D": "size data_format" for n in (1, 2, 3)},
    **{f"Cropping{n}D": "cropping data_format" for n in (1, 2, 3)},
    "Flatten": "data_format",
    "InputLayer": "input_shape batch_size dtype",
    **{name: "arg" for name in ("Dropout", "SpatialDropout1D", "SpatialDropout2D", "SpatialDropout3D",
                                "BatchNormalization", "LayerNormalization", "Activation", "ReLU", "LeakyReLU",
                                "Softmax", "ELU", "PReLU", "GaussianNoise", "GaussianDropout", "AlphaDropout")},
}
IDENTITY = frozenset(k for k, v in LAYER_PARAMS.items() if v == "arg")


def _make_layer(kind: str) -> Callable[[Call], Value]:
    def make(c: Call) -> Value:
        return LayerV(kind, dict(c.args), c.shown, c.site, c.sources())

    return make


for _kind, _params in LAYER_PARAMS.items():
    api(*(f"{prefix}.{_kind}" for prefix in PREFIXES), params=_params,
        aliases={"shape": "input_shape"} if _kind == "InputLayer" else None)(_make_layer(_kind))


@api("keras.Input", "keras.layers.Input", params="shape batch_size name dtype sparse tensor")
def input_(c: Call) -> Value:
    if c.has("batch_shape"):
        shape = c.shape_arg("batch_shape")
    else:
        dims = c.shape_arg("shape")
        shape = None if dims is None else [_batch(c.get("batch_size", Const(None))), *dims]
    return c.add("input", [], {"shape": shape, "kind": "placeholder"})


@api("keras.Sequential", "keras.models.Sequential", params="layers name")
def sequential(c: Call) -> Value:
    model = SequentialV([])
    items = c.interp.iterate(c.get("layers", SeqV([])))
    if items is None:
        model.output = UNKNOWN
        return model
    for item in items:
        _add(c.interp, model, item)
    return model


def _batch(value: Value) -> Dim | None:
    n = as_int(value)
    return None if n is None else Dim.const(n)


def _add(interp: Interpreter, model: SequentialV, item: Value) -> Value:
    model.layers.append(item)
    if model.output is UNKNOWN:
        return Const(None)
    if model.output is None:
        model.output = _start(interp, item)
        if isinstance(item, TensorV) or (isinstance(item, LayerV) and item.kind == "InputLayer"):
            return Const(None)
        if model.output is None:
            return Const(None)  # Keras builds lazily: no input shape yet, nothing to check
    model.output = apply(interp, item, model.output, None)
    return Const(None)


def _start(interp: Interpreter, item: Value) -> Value | None:
    """The model's input tensor, from an `Input` entry or a first layer's `input_shape`."""
    if isinstance(item, TensorV):
        return item
    if not isinstance(item, LayerV):
        return UNKNOWN
    args = item.args
    shape: list[Dim | None] | None
    if "batch_input_shape" in args:
        shape = shape_of_value(args["batch_input_shape"])
    elif "input_shape" in args:
        dims = shape_of_value(args["input_shape"])
        shape = None if dims is None else [None, *dims]
    elif "input_dim" in args:
        n = as_int(args["input_dim"])
        shape = [None, None if n is None else Dim.const(n)]
    else:
        return None
    node = interp.graph.add("input", "input_shape", [], {"shape": shape, "kind": "placeholder"}, _loc(interp, item))
    return TensorV(node.id)


def _m_add(interp: Interpreter, model: SequentialV, layer: Value) -> Value:
    return _add(interp, model, layer)


METHODS[("SequentialV", "add")] = _m_add


def _loc(interp: Interpreter, layer: LayerV, site: cst.CSTNode | None = None) -> Loc:
    node = site if site is not None else layer.site
    return interp.loc(node) if node is not None else Loc(1, 1, 1, 1)


def apply(interp: Interpreter, layer: Value, x: Value, site: cst.CSTNode | None) -> Value:
    """A layer or a whole Sequential model applied to a tensor."""
    if isinstance(layer, SequentialV):
        for item in layer.layers:
            x = apply(interp, item, x, site)
        return x
    if not isinstance(layer, LayerV) or not isinstance(x, TensorV):
        return UNKNOWN
    translate = TRANSLATIONS.get(layer.kind.rstrip("0123456789D") if layer.kind not in TRANSLATIONS else layer.kind)
    if translate is None:
        return UNKNOWN
    op_attrs = translate(layer, _rank(layer.kind))
    loc = _loc(interp, layer, site)
    if op_attrs is None:
        return TensorV(interp.graph.add("opaque", layer.shown, [x.node], {}, loc).id)
    op, attrs = op_attrs
    return TensorV(interp.graph.add(op, layer.shown, [x.node], attrs, loc, layer.sources).id)


def _rank(kind: str) -> int:
    return int(kind[-2]) if kind.endswith("D") and kind[-2].isdigit() else 0


Attrs = dict[str, object]
Translation = Callable[[LayerV, int], "tuple[str, Attrs] | None"]


def _layout(layer: LayerV) -> str | None:
    return data_format(layer.args.get("data_format"))


def _conv(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    layout = _layout(layer)
    if layout is None:
        return None
    first = layout == "channels_first"
    pad = padding(layer.args.get("padding"), n, first, "VALID")
    kernel = spatial(layer.args.get("kernel_size"), n, first, None)
    groups = as_int(layer.args.get("groups", Const(1)))
    if pad is None or kernel is None or groups is None:
        return None
    return "conv", {
        "rank": n, "data_format": layout, "padding": pad, "kernel_size": kernel, "groups": groups,
        "filters": as_int(layer.args.get("filters", UNKNOWN)),
        "strides": spatial(layer.args.get("strides"), n, first, 1),
        "dilations": spatial(layer.args.get("dilation_rate"), n, first, 1),
    }


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
    return "reduce", {"axis": axes, "keepdims": bool(keep.value)}


def _pairs(value: Value | None, n: int, default: int) -> list[tuple[int, int]] | None:
    """Keras padding/cropping: an int, one int per axis, or a (before, after) pair per axis."""
    if value is None or (isinstance(value, Const) and value.value is None):
        return [(default, default)] * n
    single = as_int(value)
    if single is not None:
        return [(single, single)] * n
    if not isinstance(value, SeqV) or len(value.items) != n:
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
    return "dense", {"units": as_int(layer.args.get("units", UNKNOWN))}


def _flatten(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    return "flatten", {}


def _identity(layer: LayerV, n: int) -> tuple[str, Attrs] | None:
    return "identity", {}


TRANSLATIONS: dict[str, Translation] = {
    "Conv": _conv,
    "MaxPooling": _pool,
    "AveragePooling": _pool,
    "GlobalMaxPooling": _global_pool,
    "GlobalAveragePooling": _global_pool,
    "Dense": _dense,
    "Flatten": _flatten,
    "ZeroPadding": _zero_padding,
    "UpSampling": _upsampling,
    "Cropping": _cropping,
    **{name: _identity for name in IDENTITY},
}

LAYER_HOOKS["apply"] = apply


@api("keras.backend.image_data_format", "keras.config.image_data_format", "keras.backend.image_dim_ordering",
     params="")
def image_data_format(c: Call) -> Value:
    """The configured data format: cnnlint analyses code as Keras runs it by default."""
    layout = str(c.interp.options.get("data_format", "channels_last"))
    if c.path.endswith("image_dim_ordering"):
        return Const("th" if layout == "channels_first" else "tf")
    return Const(layout)
