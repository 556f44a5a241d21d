"""The TensorFlow side of `--confirm`: rebuild serialised graphs with real ops on dummy tensors.

Runs in its own process (`python -m cnnlint.confirm.worker`), reads one JSON job on stdin and
writes one JSON answer on stdout. It never sees user source code: only the ops, attributes and
declared shapes the static front end extracted. Every op is run on zero tensors for each batch
size asked for; its output shape or TensorFlow's error is recorded.
"""

from __future__ import annotations

import json
import os
import re
import sys
import time
from collections.abc import Callable
from typing import Any

Node = dict[str, Any]
tf: Any = None
keras: Any = None


class Unavailable(Exception):
    """The op cannot be rebuilt (an unknown size, an unsupported op): no verdict."""


def _last(x: Any, first: bool) -> Any:
    """A channels_first tensor as channels_last (TensorFlow's CPU kernels want NHWC)."""
    if not first:
        return x
    rank = len(x.shape)
    return tf.transpose(x, [0, *range(2, rank), 1])


def _back(y: Any, first: bool) -> Any:
    if not first:
        return y
    rank = len(y.shape)
    return tf.transpose(y, [0, rank - 1, *range(1, rank - 1)])


def _first(node: Node) -> bool:
    return bool(node["attrs"].get("data_format") == "channels_first")


def _need(values: list[Any], *names: Any) -> None:
    if any(v is None for v in (*values, *names)):
        raise Unavailable("a size or attribute the code leaves unknown")


def _pad_for(x: Any, node: Node, kernel: list[int]) -> tuple[Any, str]:
    """Explicit and causal padding as a `tf.pad` before a VALID op."""
    padding = node["attrs"].get("padding", "VALID")
    dilations = node["attrs"].get("dilations") or [1] * len(kernel)
    if isinstance(padding, list):
        pairs = [[0, 0], *padding, [0, 0]]
        return tf.pad(x, pairs), "VALID"
    if padding == "CAUSAL":
        pairs = [[0, 0], *[[(k - 1) * d, 0] for k, d in zip(kernel, dilations, strict=True)], [0, 0]]
        return tf.pad(x, pairs), "VALID"
    return x, padding


def conv(node: Node, ins: list[Any]) -> Any:
    a = node["attrs"]
    first = _first(node)
    x = _last(ins[0], first)
    n = a.get("rank") or len(x.shape) - 2
    groups = a.get("groups") or 1
    if len(ins) > 1:
        kernel = ins[1]
    else:
        _need(a.get("kernel_size") or [None], a.get("filters"))
        c_in = x.shape[-1]
        multiplier = a.get("separable")
        if multiplier is not None:  # depthwise then pointwise: the shape is a conv with the same window
            kernel = tf.zeros([*a["kernel_size"], c_in, a["filters"]])
        else:
            if c_in % groups:
                raise ValueError(f"input channels {c_in} not divisible by groups {groups}")
            kernel = tf.zeros([*a["kernel_size"], c_in // groups, a["filters"]])
    ksize = [int(k) for k in kernel.shape[:n]]
    x, padding = _pad_for(x, node, ksize)
    strides = a.get("strides") or [1] * n
    dilations = a.get("dilations") or [1] * n
    if groups > 1:
        xs = tf.split(x, groups, axis=-1)
        ks = tf.split(kernel, groups, axis=-1)
        y = tf.concat([tf.nn.convolution(xi, ki, strides=strides, padding=padding, dilations=dilations)
                       for xi, ki in zip(xs, ks, strict=True)], axis=-1)
    else:
        y = tf.nn.convolution(x, kernel, strides=strides, padding=padding, dilations=dilations)
    return _back(y, first)


def depthwise_conv(node: Node, ins: list[Any]) -> Any:
    a = node["attrs"]
    first = _first(node)
    x = _last(ins[0], first)
    n = a.get("rank") or 2
    c_in = x.shape[-1]
    if len(ins) > 1:
        kernel = ins[1]
    else:
        _need(a.get("kernel_size") or [None])
        kernel = tf.zeros([*a["kernel_size"], c_in, a.get("depth_multiplier", 1)])
    ksize = [int(k) for k in kernel.shape[:n]]
    x, padding = _pad_for(x, node, ksize)
    strides = list(a.get("strides") or [1] * n)
    dilations = list(a.get("dilations") or [1] * n)
    if n == 1:
        x, kernel = tf.expand_dims(x, 1), tf.expand_dims(kernel, 0)
        strides, dilations = [1, *strides], [1, *dilations]
    y = tf.nn.depthwise_conv2d(x, kernel, strides=[1, *strides, 1], padding=padding, dilations=dilations)
    return _back(tf.squeeze(y, 1) if n == 1 else y, first)


def pool(node: Node, ins: list[Any]) -> Any:
    a = node["attrs"]
    first = _first(node)
    x = _last(ins[0], first)
    n = a.get("rank") or len(x.shape) - 2
    _need(a.get("pool_size") or [None], *(a.get("strides") or [None]))
    x, padding = _pad_for(x, node, a["pool_size"])
    kind = "AVG" if "avg" in node["api"].lower() or "average" in node["api"].lower() else "MAX"
    y = tf.nn.pool(x, window_shape=a["pool_size"], pooling_type=kind, strides=a.get("strides") or [1] * n,
                   padding=padding)
    return _back(y, first)


def conv_transpose(node: Node, ins: list[Any]) -> Any:
    a = node["attrs"]
    first = _first(node)
    x = _last(ins[0], first)
    n = a.get("rank") or len(x.shape) - 2
    if a.get("output_shape") is not None:
        out = list(a["output_shape"])
        out[0] = x.shape[0] if out[0] is None else out[0]
        _need(out)
        if first:
            out = [out[0], *out[2:], out[1]]
        return _back(tf.nn.conv_transpose(x, ins[1], out, strides=a.get("strides") or [1] * n,
                                          padding=a.get("padding", "VALID")), first)
    _need(a.get("kernel_size") or [None], a.get("filters"))
    layer_class = getattr(keras.layers, f"Conv{n}DTranspose")
    layer = layer_class(a["filters"], a["kernel_size"], strides=a.get("strides") or 1,
                        padding=str(a.get("padding", "VALID")).lower(), output_padding=a.get("output_padding"),
                        dilation_rate=a.get("dilations") or 1, use_bias=a.get("use_bias", True))
    return _back(layer(x), first)


def reshape(node: Node, ins: list[Any]) -> Any:
    a = node["attrs"]
    target = list(a["shape"])
    if a.get("keep_batch"):
        target[0] = ins[0].shape[0]
    _need(target)
    return tf.reshape(ins[0], target)


def dense(node: Node, ins: list[Any]) -> Any:
    a = node["attrs"]
    x = ins[0]
    _need([a.get("units")])
    rows = x.shape[-1] if a.get("stated_only") or a.get("in_features") is None else a["in_features"]
    kernel = tf.zeros([rows, a["units"]])
    return tf.tensordot(x, kernel, axes=[[len(x.shape) - 1], [0]])


def broadcast(node: Node, ins: list[Any]) -> Any:
    out = ins[0]
    for other in ins[1:]:
        out = out + other  # the shape rule of every element-wise op is NumPy broadcasting
    return out


def bias_add(node: Node, ins: list[Any]) -> Any:
    first = _first(node)
    return _back(tf.nn.bias_add(_last(ins[0], first), ins[1]), first)


def upsample(node: Node, ins: list[Any]) -> Any:
    first = _first(node)
    y = _last(ins[0], first)
    for axis, factor in enumerate(node["attrs"]["size"], start=1):
        y = tf.repeat(y, factor, axis=axis)
    return _back(y, first)


def crop(node: Node, ins: list[Any]) -> Any:
    first = _first(node)
    y = _last(ins[0], first)
    for axis, (before, after) in enumerate(node["attrs"]["cropping"], start=1):
        size = y.shape[axis]
        if size - before - after <= 0:
            raise ValueError(f"cropping {before}+{after} from an axis of {size} leaves nothing")
        y = tf.gather(y, list(range(before, size - after)), axis=axis)
    return _back(y, first)


def resize(node: Node, ins: list[Any]) -> Any:
    first = _first(node)
    size = node["attrs"]["size"]
    _need(size)
    return _back(tf.image.resize(_last(ins[0], first), size), first)


def reduce(node: Node, ins: list[Any]) -> Any:
    a = node["attrs"]
    x = ins[0]
    if a.get("rank") is not None and len(x.shape) != a["rank"]:
        raise ValueError(f"expected rank {a['rank']}, got {len(x.shape)}")
    return tf.reduce_mean(x, axis=a.get("axis"), keepdims=bool(a.get("keepdims")))


def rnn(node: Node, ins: list[Any]) -> Any:
    a = node["attrs"]
    _need([a.get("units")])
    layer_class = {1: keras.layers.SimpleRNN, 3: keras.layers.GRU, 4: keras.layers.LSTM}[a.get("gates", 1)]
    layer = layer_class(a["units"], return_sequences=bool(a.get("return_sequences")))
    if a.get("in_features") is not None:  # a layer reused: its kernel was built on the first call's features
        step = ins[0].shape[-1]
        if step is not None and int(step) != a["in_features"]:
            raise ValueError(f"Dimensions must be equal, but are {int(step)} and {a['in_features']}")
    if a.get("bidirectional"):
        merge = "concat" if a.get("output_units") == 2 * a["units"] else "sum"
        layer = keras.layers.Bidirectional(layer, merge_mode=merge)
    return layer(ins[0])


def identity(node: Node, ins: list[Any]) -> Any:
    a = node["attrs"]
    x = ins[0]
    if a.get("rank") is not None and len(x.shape) != a["rank"]:
        raise ValueError(f"expected rank {a['rank']}, got {len(x.shape)}")
    if a.get("min_rank") is not None and len(x.shape) < a["min_rank"]:
        raise ValueError(f"expected rank >= {a['min_rank']}, got {len(x.shape)}")
    return tf.identity(x)


def set_weights(node: Node, ins: list[Any]) -> Any:
    """Build the Keras layer the weights are for on its input, then hand it the weights."""
    a = node["attrs"]
    inner = {"op": a["layer_op"], "attrs": a["layer_attrs"], "api": a["kind"]}
    x = ins[0]
    la = inner["attrs"]
    op = inner["op"]
    if op == "dense":
        layer = keras.layers.Dense(la["units"], use_bias=la.get("use_bias", True))
    elif op in ("conv", "conv_transpose", "depthwise_conv") and la.get("separable") is None:
        n = la.get("rank") or len(x.shape) - 2
        common = {"strides": la.get("strides") or 1, "padding": str(la.get("padding", "VALID")).lower(),
                  "use_bias": la.get("use_bias", True), "data_format": la.get("data_format", "channels_last")}
        if op == "conv":
            layer = getattr(keras.layers, f"Conv{n}D")(la["filters"], la["kernel_size"], groups=la.get("groups", 1),
                                                       **common)
        elif op == "conv_transpose":
            layer = getattr(keras.layers, f"Conv{n}DTranspose")(la["filters"], la["kernel_size"], **common)
        else:
            layer = getattr(keras.layers, f"DepthwiseConv{n}D")(la["kernel_size"],
                                                                depth_multiplier=la.get("depth_multiplier", 1),
                                                                **common)
    else:
        raise Unavailable(f"weights of {a['kind']} are not rebuilt")
    if a.get("layer_name"):
        layer.name = a["layer_name"]
    if a.get("initializer"):  # `kernel_initializer=Constant(value)`: rebuilt as Keras 3 reads it
        if "broadcast" not in a.get("readings", ()):
            raise Unavailable("the initializer is not Keras 3's")
        setattr(layer, a["initializer"], keras.initializers.Constant(ins[1].numpy()))
        layer.build(tuple(x.shape))
        return None
    layer.build(tuple(x.shape))
    layer.set_weights([w.numpy() for w in ins[1:]])
    return None


def repeat_vector(node: Node, ins: list[Any]) -> Any:
    if len(ins[0].shape) != 2:
        raise ValueError(f"RepeatVector needs a rank-2 input, got rank {len(ins[0].shape)}")
    return tf.repeat(tf.expand_dims(ins[0], 1), node["attrs"]["n"], axis=1)


# Per op (named as cnnlint's declarations, `cnnlint.shapes.OPS`), its rebuild as TensorFlow ops.
BUILDERS: dict[str, Callable[[Node, list[Any]], Any]] = {
    "identity": identity,
    # The same value reached by two branches of an `if`: either branch's tensor will do.
    "join": lambda n, ins: ins[0],
    "conv": conv,
    "depthwise_conv": depthwise_conv,
    "pool": pool,
    "conv_transpose": conv_transpose,
    "reshape": reshape,
    "flatten": lambda n, ins: tf.reshape(ins[0], [ins[0].shape[0], -1]),
    "matmul": lambda n, ins: tf.matmul(ins[0], ins[1], transpose_a=bool(n["attrs"].get("transpose_a")),
                                       transpose_b=bool(n["attrs"].get("transpose_b"))),
    "dense": dense,
    "broadcast": broadcast,
    "bias_add": bias_add,
    "concat": lambda n, ins: tf.concat(ins, axis=n["attrs"]["axis"]),
    "transpose": lambda n, ins: tf.transpose(ins[0], n["attrs"].get("perm")),
    "expand_dims": lambda n, ins: tf.expand_dims(ins[0], n["attrs"]["axis"]),
    "squeeze": lambda n, ins: tf.squeeze(ins[0], n["attrs"].get("axis")),
    "pad": lambda n, ins: tf.pad(ins[0], n["attrs"]["paddings"]),
    "reduce": reduce,
    "upsample": upsample,
    "crop": crop,
    "resize": resize,
    "repeat_vector": repeat_vector,
    "embedding": lambda n, ins: tf.gather(tf.zeros([n["attrs"]["input_dim"], n["attrs"]["output_dim"]]),
                                          tf.cast(ins[0], tf.int32)),
    "rnn": rnn,
    "set_weights": set_weights,
}


def _input(node: Node, batch: int, max_elements: int) -> Any:
    shape = node["attrs"].get("shape")
    if shape is None:
        raise Unavailable("the code does not state this tensor's shape")
    dims = list(shape)
    if dims and dims[0] is None and node["attrs"].get("kind") not in ("constant", "variable"):
        # A placeholder's batch, or data whose number of rows the code leaves unknown (a list of
        # images grown in a loop, a generator's batches): any number of rows shows the finding,
        # which never depends on it.
        dims[0] = batch
    if any(d is None for d in dims):
        raise Unavailable("the code leaves a size of this tensor unknown")
    count = 1
    for d in dims:
        count *= d
    if count > max_elements:
        raise Unavailable(f"declared shape {tuple(dims)} has {count:,} values, over the {max_elements:,} cap")
    return tf.zeros(dims)


def _error_text(error: Exception) -> str:
    """TensorFlow's or Keras's message, first informative line, without the wrapping around it."""
    lines = [re.sub(r"\x1b\[[0-9;]*m", "", line).strip() for line in str(error).splitlines()]
    lines = [line for line in lines if line]
    if lines and lines[0].startswith("Exception encountered when calling") and len(lines) > 1:
        lines = lines[1:]  # Keras names the layer call first, the reason next
    text = lines[0] if lines else ""
    text = re.sub(r"\{\{[^}]*\}\}\s*", "", text)
    text = re.sub(r"\s*\[Op:[^\]]*\].*$", "", text)
    text = re.sub(r" for '[^']*' with", " with", text)  # the traced node's name and attributes
    text = re.sub(r" and with input tensors computed as partial shapes:.*$", "", text)
    text = text.replace("Input 0 with name 'None' of layer", "Input 0 of layer")
    return f"{type(error).__name__}: {text}"[:300]


def _keras_padding(attrs: dict[str, Any]) -> str | None:
    padding = attrs.get("padding", "VALID")
    return padding.lower() if isinstance(padding, str) else None


def _layout(a: dict[str, Any]) -> dict[str, Any]:
    return {"data_format": a["data_format"]} if a.get("data_format") else {}


def _conv_common(a: dict[str, Any]) -> dict[str, Any] | None:
    """The arguments every Keras convolution takes; None for explicit padding or an unknown rank."""
    padding = _keras_padding(a)
    if padding is None or a.get("rank") is None:
        return None
    _need(a.get("kernel_size") or [None])
    return {"strides": a.get("strides") or 1, "padding": padding, "dilation_rate": a.get("dilations") or 1,
            "use_bias": a.get("use_bias", True), **_layout(a)}


def _keras_conv(a: dict[str, Any], api: str) -> Any:
    common = _conv_common(a)
    if common is None:
        return None
    _need([a.get("filters")])
    n = a["rank"]
    if a.get("separable") is not None:
        return getattr(keras.layers, f"SeparableConv{n}D")(a["filters"], a["kernel_size"],
                                                           depth_multiplier=a["separable"], **common)
    return getattr(keras.layers, f"Conv{n}D")(a["filters"], a["kernel_size"], groups=a.get("groups") or 1, **common)


def _keras_depthwise_conv(a: dict[str, Any], api: str) -> Any:
    common = _conv_common(a)
    if common is None:
        return None
    multiplier = a.get("depth_multiplier", 1)
    return getattr(keras.layers, f"DepthwiseConv{a['rank']}D")(a["kernel_size"], depth_multiplier=multiplier, **common)


def _keras_conv_transpose(a: dict[str, Any], api: str) -> Any:
    common = _conv_common(a)
    if common is None:
        return None
    _need([a.get("filters")])
    return getattr(keras.layers, f"Conv{a['rank']}DTranspose")(a["filters"], a["kernel_size"],
                                                               output_padding=a.get("output_padding"), **common)


def _keras_pool(a: dict[str, Any], api: str) -> Any:
    padding = _keras_padding(a)
    n = a.get("rank")
    if padding is None or n is None:
        return None
    kind = "AveragePooling" if "avg" in api.lower() or "average" in api.lower() else "MaxPooling"
    return getattr(keras.layers, f"{kind}{n}D")(a["pool_size"], strides=a.get("strides"), padding=padding,
                                                **_layout(a))


def _keras_global_pool(a: dict[str, Any], api: str) -> Any:
    if "Global" not in api or not a.get("rank"):
        return None
    kind = "GlobalAveragePooling" if "Average" in api or "Avg" in api else "GlobalMaxPooling"
    first = a.get("axis") and a["axis"][0] == 2
    return getattr(keras.layers, f"{kind}{a['rank'] - 2}D")(
        data_format="channels_first" if first else "channels_last", keepdims=bool(a.get("keepdims")))


def _keras_dense(a: dict[str, Any], api: str) -> Any:
    _need([a.get("units")])
    return keras.layers.Dense(a["units"], use_bias=a.get("use_bias", True))


def _keras_reshape(a: dict[str, Any], api: str) -> Any:
    if not a.get("keep_batch"):
        return None
    _need(a["shape"][1:])
    return keras.layers.Reshape(a["shape"][1:])


def _keras_permute(a: dict[str, Any], api: str) -> Any:
    return keras.layers.Permute(a["perm"][1:]) if a.get("perm") and a["perm"][0] == 0 else None


def _keras_repeat_vector(a: dict[str, Any], api: str) -> Any:
    _need([a.get("n")])
    return keras.layers.RepeatVector(a["n"])


def _keras_embedding(a: dict[str, Any], api: str) -> Any:
    _need([a.get("input_dim"), a.get("output_dim")])
    return keras.layers.Embedding(a["input_dim"], a["output_dim"])


def _keras_crop(a: dict[str, Any], api: str) -> Any:
    pairs = [tuple(p) for p in a["cropping"]]
    return getattr(keras.layers, f"Cropping{len(pairs)}D")(pairs[0] if len(pairs) == 1 else pairs, **_layout(a))


def _keras_resize(a: dict[str, Any], api: str) -> Any:
    if api not in ("Resizing", "CenterCrop", "RandomCrop"):
        return None
    _need(a["size"])
    return getattr(keras.layers, api)(*a["size"], **_layout(a))


def _keras_merge(a: dict[str, Any], api: str) -> Any:
    if api in ("Add", "Subtract", "Multiply", "Average", "Maximum", "Minimum"):
        return getattr(keras.layers, api)()
    return None


def _keras_normalization(a: dict[str, Any], api: str) -> Any:
    if api not in ("BatchNormalization", "LayerNormalization") or not a.get("param_axes"):
        return None
    axis = a["param_axes"]
    return getattr(keras.layers, api)(axis=axis[0] if len(axis) == 1 else axis)


def _keras_time_distributed(a: dict[str, Any], api: str) -> Any:
    inner = keras_layer(a["inner_op"], a["inner_attrs"], api)
    if inner is None:
        raise Unavailable("the layer inside TimeDistributed is not rebuilt")
    return keras.layers.TimeDistributed(inner)


# Per op, the Keras layer a Keras node of that op was extracted from, rebuilt from its
# configuration; None where the node has no Keras layer of its own (an op the front end lowered,
# explicit padding). Keyed by the op names of cnnlint's declarations (`cnnlint.shapes.OPS`).
KERAS_LAYERS: dict[str, Callable[[dict[str, Any], str], Any]] = {
    "conv": _keras_conv,
    "depthwise_conv": _keras_depthwise_conv,
    "conv_transpose": _keras_conv_transpose,
    "pool": _keras_pool,
    "reduce": _keras_global_pool,
    "dense": _keras_dense,
    "flatten": lambda a, api: keras.layers.Flatten(),
    "reshape": _keras_reshape,
    "transpose": _keras_permute,
    "repeat_vector": _keras_repeat_vector,
    "embedding": _keras_embedding,
    "upsample": lambda a, api: getattr(keras.layers, f"UpSampling{len(a['size'])}D")(a["size"], **_layout(a)),
    "crop": _keras_crop,
    "resize": _keras_resize,
    "concat": lambda a, api: keras.layers.Concatenate(axis=a["axis"]),
    "broadcast": _keras_merge,
    "identity": _keras_normalization,
    "time_distributed": _keras_time_distributed,
}


def keras_layer(op: str, a: dict[str, Any], api: str) -> Any:
    """The Keras layer a Keras node was extracted from, or None (then it is rebuilt as TensorFlow ops)."""
    make = KERAS_LAYERS.get(op)
    return None if make is None else make(a, api)


MERGES = {"concat", "broadcast"}


def _check_built_spec(a: dict[str, Any], x: Any) -> None:
    """A Keras layer applied again: the `InputSpec` its first call built (a fresh layer here has
    none), checked as Keras's `__call__` does (cnnlint/frontend/keras/input_specs.py)."""
    shape = tuple(x.shape)
    rank = a.get("built_rank")
    if rank is not None and len(shape) != rank:
        raise ValueError(f"expected ndim={rank}, found ndim={len(shape)}. Full shape received: {shape}")
    for axis, size in zip(a.get("built_axes", ()), a.get("built_sizes", ()), strict=True):
        if shape[axis] is not None and int(shape[axis]) != size:
            raise ValueError(f"expected axis {axis} of input shape to have value {size}, "
                             f"but received input with shape {shape}")


def build(node: Node, ins: list[Any]) -> Any:
    """Run one node: as a real Keras layer when it came from one, else as TensorFlow ops."""
    if ins and node.get("keras") and ("built_rank" in node["attrs"] or node["attrs"].get("built_axes")):
        _check_built_spec(node["attrs"], ins[0])
    # A Keras convolution given a kernel input is a layer reused on another input: its kernel is the
    # one its first call built (cnnlint/frontend/keras/idioms.py), so it runs as `tf.nn` with it.
    if node.get("keras") and not (node["op"] == "conv" and len(ins) > 1):
        layer = keras_layer(node["op"], node["attrs"], node["api"])
        if layer is not None and node.get("layer"):
            layer.name = node["layer"]  # errors name the layer as cnnlint and the user's summary do
        if layer is not None:
            return layer(ins if node["op"] in MERGES else ins[0])
    builder = BUILDERS.get(node["op"])
    if builder is None:
        raise Unavailable(f"op {node['op']} is not rebuilt")
    if node["op"] in EAGER_ONLY:
        return builder(node, ins)
    # Traced first, as TF1 code is: the op's shape function sees the real input shapes and raises
    # a ValueError ("Shape must be rank 4 but is rank 2") where some eager kernels would abort.
    return tf.function(lambda *xs: builder(node, list(xs)), autograph=False)(*ins)


# Ops that build Keras layers (variables) or read values: run eagerly.
EAGER_ONLY = {"conv_transpose", "rnn", "set_weights"}
# Every op the worker rebuilds; "input" is made from its declared shape (`_input`).
REBUILT = frozenset({"input", *BUILDERS, *KERAS_LAYERS})


def _say(message: dict[str, Any]) -> None:
    """One message to the parent, flushed at once: if TensorFlow aborts next, the parent knows where."""
    sys.stdout.write(json.dumps(message) + "\n")
    sys.stdout.flush()


def run_graph(key: str, nodes: list[Node], batch: int, max_elements: int) -> None:
    values: dict[int, Any] = {}
    missing: dict[int, str] = {}  # why a node has no value: its own reason or its input's
    for node in nodes:
        _say({"at": [key, batch, node["id"]]})
        _say({"result": _run_node(node, values, missing, batch, max_elements)})


def _run_node(node: Node, values: dict[int, Any], missing: dict[int, str], batch: int,
              max_elements: int) -> dict[str, Any]:
    try:
        if node["op"] == "input":
            out = _input(node, batch, max_elements)
        elif "data_shape" in node:
            # Data the code prepares (`np.array(images)`, `x[:100]`): the ops after it get zeros of
            # the shape cnnlint gives it; TensorFlow did not compute that shape, so it is not shown.
            values[node["id"]] = _input({**node, "attrs": {"shape": node["data_shape"]}}, batch, max_elements)
            return {"unavailable": "a data preparation op: --confirm feeds zeros of its shape, it does not rebuild it"}
        else:
            ins = []
            for i in node["inputs"]:
                if i is None or i not in values:
                    raise Unavailable(missing.get(i, "an input of this op could not be rebuilt") if i is not None
                                      else "an input of this op is not a tensor the code builds")
                ins.append(values[i])
            out = build(node, ins)
    except Unavailable as reason:
        missing[node["id"]] = str(reason)
        return {"unavailable": str(reason)}
    except Exception as error:  # TensorFlow's own refusal is the evidence we want
        missing[node["id"]] = "TensorFlow refused an earlier op"
        return {"error": _error_text(error)}
    if out is None:
        return {"ok": True}
    values[node["id"]] = out
    return {"shape": [int(d) if d is not None else None for d in out.shape]}


def _small(shape: list[int | None] | None, rows: int, max_elements: int) -> tuple[int, ...]:
    """A data shape with `rows` examples; every other size must be known and the array small."""
    if shape is None or not shape or any(d is None for d in shape[1:]):
        raise Unavailable("the data's shape is not fully known")
    out = (rows, *(int(d) for d in shape[1:] if d is not None))
    count = 1
    for d in out:
        count *= d
    if count > max_elements:
        raise Unavailable(f"data of {count:,} values is over the {max_elements:,} cap")
    return out


def _rows(feed: Node) -> tuple[int, int]:
    """Examples to feed (x, y): 8 each, or 8 and 6 when the code gives them different counts."""
    data = feed["data"][0] if feed["data"] else None
    labels = feed.get("labels")
    if data and labels and data[0] is not None and labels[0] is not None and data[0] != labels[0]:
        return 8, 6
    return 8, 8


def _keras_model(feed: Node) -> Any:
    """The fed model, rebuilt from its extracted layers on symbolic Keras inputs."""
    spec = feed.get("model")
    if spec is None:
        raise Unavailable("the model is not rebuilt for its data")
    inputs = [keras.Input(shape=tuple(shape[1:])) for shape in feed["expected"]]
    if len(inputs) != len(spec["inputs"]):
        raise Unavailable("the model's inputs are not known")
    values: dict[int, Any] = dict(zip(spec["inputs"], inputs, strict=True))
    for node in spec["nodes"]:
        if node["id"] in values or node["op"] == "input":
            continue
        layer = keras_layer(node["op"], node["attrs"], node["api"]) if node.get("keras") else None
        if layer is None and _shape_preserving(node):
            layer = keras.layers.Identity()  # an activation, dropout, ...: the shape is what matters here
        if layer is None:
            raise Unavailable(f"{node['api']} is not rebuilt as a Keras layer")
        ins = [values[i] for i in node["inputs"] if i is not None]
        values[node["id"]] = layer(ins if node["op"] in MERGES else ins[0])
    return keras.Model(inputs, values[spec["output"]])


def _shape_preserving(node: Node) -> bool:
    """A Keras layer the IR keeps as a shape-preserving op with no rank condition of its own."""
    a = node["attrs"]
    return bool(node.get("keras")) and node["op"] == "identity" and a.get("rank") is None and a.get("min_rank") is None


def run_feed(feed: Node, max_elements: int) -> dict[str, Any]:
    """Feed zeros of the data's shape to the rebuilt model (or placeholder) the way the code does."""
    import numpy as np

    try:
        rows, label_rows = _rows(feed)
        if feed["kind"] == "feed_dict":
            value = np.zeros(_small(feed["data"][0], rows, max_elements), "float32")
            with tf.Graph().as_default():
                placeholder = tf.compat.v1.placeholder(tf.float32, feed["expected"][0])
                total = tf.reduce_sum(placeholder)
                with tf.compat.v1.Session() as session:
                    session.run(total, feed_dict={placeholder: value})
            return {"ok": "the value was fed"}
        model = _keras_model(feed)
        x = [np.zeros(_small(shape, rows, max_elements), "float32") for shape in feed["data"]]
        data = x[0] if len(x) == 1 else x
        if feed["kind"] in ("call", "predict", "predict_on_batch"):
            model.predict(data, verbose=0)
            return {"ok": "the model ran on it"}
        if feed.get("labels") is None or feed.get("loss") in (None, "?"):
            raise Unavailable("the labels or the loss are not known")
        y = np.zeros(_small(feed["labels"], label_rows, max_elements), "float32")
        model.compile(optimizer="sgd", loss=feed["loss"])
        model.fit(data, y, epochs=1, batch_size=4, verbose=0)
        return {"ok": "one epoch of fit ran"}
    except Unavailable as reason:
        return {"unavailable": str(reason)}
    except Exception as error:  # the refusal we came for
        return {"error": _error_text(error)}


def main() -> None:
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    job = json.load(sys.stdin)
    global tf, keras
    started = time.perf_counter()
    import keras as keras_module
    import tensorflow as tf_module

    tf, keras = tf_module, keras_module
    gpus = tf.config.list_physical_devices("GPU")
    imported = time.perf_counter()
    device = job.get("device", "cpu")
    if device == "auto":
        device = "gpu" if gpus else "cpu"
    if device == "gpu" and not gpus:
        _say({"error": "--device gpu: TensorFlow sees no GPU on this machine"})
        return
    _say({"tensorflow": tf.__version__, "device": "GPU" if device == "gpu" else "CPU",
          "import_seconds": imported - started})
    with tf.device("/GPU:0" if device == "gpu" else "/CPU:0"):
        for graph in job["graphs"]:
            for batch in graph["batches"]:
                run_graph(graph["key"], graph["nodes"], batch, job.get("max_elements", 20_000_000))
            for feed in graph.get("feeds", []):
                _say({"at": [graph["key"], "feed", feed["index"]]})
                _say({"result": run_feed(feed, job.get("max_elements", 20_000_000))})
            _say({"graph": graph["key"]})
    _say({"done": time.perf_counter() - imported})


if __name__ == "__main__":
    main()
