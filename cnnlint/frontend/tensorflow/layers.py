"""TF1 functional layers: `tf.layers.*` and `tf.contrib.layers.*` (also reached as `slim`)."""

from __future__ import annotations

from cnnlint.frontend.conventions import data_format, padding, spatial, spatial_rank
from cnnlint.frontend.library import Call
from cnnlint.frontend.python.values import Value
from cnnlint.frontend.tensorflow.registry import api

LAYERS = "tensorflow.layers"
CONTRIB = "tensorflow.contrib.layers"


def layer_window(
    c: Call, op: str, fixed_rank: int | None, *, kernel: str, strides: str, stride_default: int | None,
    pad_default: str, extra: dict[str, object] | None = None,
) -> Value:
    """A layer-style conv or pool: ints or tuples per axis, padding 'valid'/'same'."""
    x = c.tensor("inputs")
    n = spatial_rank(c, x, fixed_rank)
    layout = data_format(c.args.get("data_format"))
    if layout is None or n is None:
        return c.opaque([x])
    first = layout == "channels_first"
    attrs: dict[str, object] = {
        "rank": n,
        "data_format": layout,
        "strides": spatial(c.args.get(strides), n, first, stride_default),
        "dilations": spatial(c.args.get("dilation_rate"), n, first, 1),
        "padding": padding(c.args.get("padding"), n, first, pad_default),
        ("pool_size" if op == "pool" else "kernel_size"): spatial(c.args.get(kernel), n, first, None),
        **(extra or {}),
    }
    if attrs["padding"] is None:
        return c.opaque([x])
    return c.add(op, [x], attrs)


CONV_PARAMS = "inputs filters kernel_size strides padding data_format dilation_rate activation"


def _conv(c: Call, n: int) -> Value:
    return layer_window(c, "conv", n, kernel="kernel_size", strides="strides", stride_default=1,
                        pad_default="VALID", extra={"filters": c.int_arg("filters")})


@api(f"{LAYERS}.conv1d", params=CONV_PARAMS)
def conv1d(c: Call) -> Value:
    return _conv(c, 1)


@api(f"{LAYERS}.conv2d", params=CONV_PARAMS)
def conv2d(c: Call) -> Value:
    return _conv(c, 2)


@api(f"{LAYERS}.conv3d", params=CONV_PARAMS)
def conv3d(c: Call) -> Value:
    return _conv(c, 3)


@api(f"{LAYERS}.conv2d_transpose", params=CONV_PARAMS)
def conv2d_transpose(c: Call) -> Value:
    return layer_window(c, "conv_transpose", 2, kernel="kernel_size", strides="strides", stride_default=1,
                        pad_default="VALID", extra={"filters": c.int_arg("filters")})


POOL_PARAMS = "inputs pool_size strides padding data_format"


def _pool(c: Call, n: int, kind: str) -> Value:
    return layer_window(c, "pool", n, kernel="pool_size", strides="strides", stride_default=None,
                        pad_default="VALID", extra={"kind": kind})


@api(f"{LAYERS}.max_pooling1d", params=POOL_PARAMS)
def max_pooling1d(c: Call) -> Value:
    return _pool(c, 1, "max")


@api(f"{LAYERS}.max_pooling2d", params=POOL_PARAMS)
def max_pooling2d(c: Call) -> Value:
    return _pool(c, 2, "max")


@api(f"{LAYERS}.max_pooling3d", params=POOL_PARAMS)
def max_pooling3d(c: Call) -> Value:
    return _pool(c, 3, "max")


@api(f"{LAYERS}.average_pooling1d", params=POOL_PARAMS)
def average_pooling1d(c: Call) -> Value:
    return _pool(c, 1, "avg")


@api(f"{LAYERS}.average_pooling2d", params=POOL_PARAMS)
def average_pooling2d(c: Call) -> Value:
    return _pool(c, 2, "avg")


@api(f"{LAYERS}.average_pooling3d", params=POOL_PARAMS)
def average_pooling3d(c: Call) -> Value:
    return _pool(c, 3, "avg")


@api(f"{LAYERS}.dense", params="inputs units activation")
def dense(c: Call) -> Value:
    return c.add("dense", [c.tensor("inputs")], {"units": c.int_arg("units")})


@api(f"{CONTRIB}.fully_connected", params="inputs num_outputs activation_fn")
def fully_connected(c: Call) -> Value:
    return c.add("dense", [c.tensor("inputs")], {"units": c.int_arg("num_outputs")})


@api(f"{LAYERS}.flatten", f"{CONTRIB}.flatten", params="inputs")
def flatten(c: Call) -> Value:
    return c.add("flatten", [c.tensor("inputs")], {})


@api(f"{LAYERS}.dropout", f"{LAYERS}.batch_normalization", f"{CONTRIB}.dropout", f"{CONTRIB}.batch_norm",
     f"{CONTRIB}.layer_norm", params="inputs")
def shape_preserving(c: Call) -> Value:
    return c.add("identity", [c.tensor("inputs")], {})


@api(f"{CONTRIB}.conv2d", f"{CONTRIB}.convolution2d",
     params="inputs num_outputs kernel_size stride padding data_format rate activation_fn")
def contrib_conv2d(c: Call) -> Value:
    """TF 1.0-1.4 made `conv2d` the N-d `convolution` (a rank-3 input is a 1-D convolution);
    later 1.x pass `conv_dims=2`, which refuses it. Which TensorFlow the code targets is not
    known: an input of any rank but 4 gives an unknown output, never a finding."""
    x = c.tensor("inputs")
    shape = c.interp.graph.nodes[x].shape if x is not None else None
    if shape is not None and len(shape) != 4:
        return c.opaque([x] if x is not None else None)
    if c.has("rate"):
        c.args.setdefault("dilation_rate", c.get("rate"))
    return layer_window(c, "conv", 2, kernel="kernel_size", strides="stride", stride_default=1,
                        pad_default="SAME", extra={"filters": c.int_arg("num_outputs")})


@api(f"{CONTRIB}.max_pool2d", params="inputs kernel_size stride padding data_format")
def contrib_max_pool2d(c: Call) -> Value:
    return layer_window(c, "pool", 2, kernel="kernel_size", strides="stride", stride_default=2,
                        pad_default="VALID", extra={"kind": "max"})


@api(f"{CONTRIB}.avg_pool2d", params="inputs kernel_size stride padding data_format")
def contrib_avg_pool2d(c: Call) -> Value:
    return layer_window(c, "pool", 2, kernel="kernel_size", strides="stride", stride_default=2,
                        pad_default="VALID", extra={"kind": "avg"})
