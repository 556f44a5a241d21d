"""Raw TensorFlow: `tf.placeholder`, `tf.Variable`, `tf.nn.*`, `tf.reshape`, `tf.matmul`, ...

Each handler translates one call into registry ops; TF1 and TF2 spellings share handlers.
"""

from __future__ import annotations

from cnnlint.frontend.conventions import (
    add_spanned,
    data_format,
    padding,
    spatial,
    spatial_rank,
    training_branch,
    window_attrs,
)
from cnnlint.frontend.library import Call, declared_shape, shape_of_value, shape_value
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import UNKNOWN, BuiltinV, Const, SeqV, Value, as_int, as_str
from cnnlint.frontend.tensor import ShapeV, TensorV, literal_shape
from cnnlint.frontend.tensorflow.losses import note_reduction
from cnnlint.frontend.tensorflow.registry import api
from cnnlint.shapes import Dim

TF = "tensorflow"
NN = "tensorflow.nn"


# -- tensors the code states ------------------------------------------------------------------
def source(c: Call, shape: list[Dim | None] | None, kind: str, shape_param: str = "shape") -> TensorV:
    return add_spanned(c, "input", [], {"shape": shape, "kind": kind}, shape_param)


@api(f"{TF}.placeholder", params="dtype shape name")
def placeholder(c: Call) -> Value:
    # A `None` past the batch axis is variable by design: `tf.layers.dense` refuses it (CNN002).
    shape = declared_shape(c.get("shape"), batch=True) if c.has("shape") and not _is_none(c.get("shape")) else None
    return source(c, shape, "placeholder")


@api(f"{TF}.Variable", params="initial_value trainable validate_shape caching_device name",
     aliases={"initial_value": "initial_value"})
def variable(c: Call) -> Value:
    init = c.tensor("initial_value")
    if init is None:
        return c.opaque()
    return c.add("identity", [init], {"kind": "variable"})


@api(f"{TF}.get_variable", params="name shape dtype initializer")
def get_variable(c: Call) -> Value:
    if c.has("shape") and not _is_none(c.get("shape")):
        from cnnlint.frontend.tensorflow.initializers import check_variable  # (which imports this module)

        made = source(c, c.shape_arg("shape"), "variable")
        check_variable(c, made)  # `initializer=tf.constant_initializer(W)`
        return made
    init = c.args.get("initializer")
    if isinstance(init, TensorV):
        return c.add("identity", [init.node], {"kind": "variable"})
    return c.opaque()


@api(f"{TF}.random_normal", f"{TF}.random.normal", f"{TF}.truncated_normal", f"{TF}.random.truncated_normal",
     f"{TF}.random_uniform", f"{TF}.random.uniform", f"{TF}.zeros", f"{TF}.ones", f"{TF}.random.stateless_normal",
     params="shape")
def filled(c: Call) -> Value:
    return source(c, c.shape_arg("shape"), "constant")


_INITIALIZERS = (
    "RandomNormal", "RandomUniform", "TruncatedNormal", "GlorotNormal", "GlorotUniform", "HeNormal",
    "HeUniform", "LecunNormal", "LecunUniform", "Zeros", "Ones", "Orthogonal", "VarianceScaling",
    "random_normal", "random_uniform", "truncated_normal", "glorot_normal", "glorot_uniform", "he_normal",
    "he_uniform", "zeros", "ones", "orthogonal", "variance_scaling",
)  # `Constant` / `constant_initializer`: tensorflow/initializers.py (they remember their value)


@api(*(f"{prefix}.{name}" for prefix in (f"{TF}.initializers", f"{TF}.keras.initializers", "keras.initializers")
       for name in _INITIALIZERS),
     f"{TF}.random_normal_initializer", f"{TF}.truncated_normal_initializer", f"{TF}.random_uniform_initializer",
     f"{TF}.glorot_uniform_initializer", f"{TF}.glorot_normal_initializer", f"{TF}.zeros_initializer",
     f"{TF}.ones_initializer", f"{TF}.contrib.layers.xavier_initializer",
     f"{TF}.variance_scaling_initializer", params="")
def initializer(c: Call) -> Value:
    """An initializer object: calling it with a shape makes a tensor of that shape."""
    def make(interp: Evaluator, shape_: Value = UNKNOWN, *args: Value, **kwargs: Value) -> Value:
        dims = shape_of_value(kwargs.get("shape", shape_))
        loc = interp.loc(interp.call_site) if interp.call_site is not None else c.loc()
        return TensorV(interp.graph.add("input", "initializer", [], {"shape": dims, "kind": "constant"}, loc).id)

    return BuiltinV("initializer", make)


@api(f"{TF}.fill", params="dims value")
def fill(c: Call) -> Value:
    return source(c, c.shape_arg("dims"), "constant", "dims")


@api(f"{TF}.constant", params="value dtype shape name")
def constant(c: Call) -> Value:
    if c.has("shape") and not _is_none(c.get("shape")):
        return source(c, c.shape_arg("shape"), "constant")
    value = c.get("value")
    if isinstance(value, TensorV):
        return c.add("identity", [value.node], {})
    shape = literal_shape(value)
    return source(c, None if shape is None else list(shape), "constant")


@api(f"{TF}.convert_to_tensor", f"{TF}.zeros_like", f"{TF}.ones_like", f"{TF}.identity", f"{TF}.stop_gradient",
     f"{TF}.cast", f"{TF}.to_float", f"{TF}.to_double", f"{TF}.to_int32", f"{TF}.to_int64", f"{TF}.to_bfloat16",
     f"{TF}.abs", f"{TF}.exp", f"{TF}.log", f"{TF}.math.log", f"{TF}.square", f"{TF}.sqrt",
     f"{TF}.sigmoid", f"{TF}.tanh", f"{TF}.math.sigmoid", f"{TF}.math.tanh", f"{TF}.clip_by_value",
     f"{TF}.image.convert_image_dtype", f"{TF}.math.abs", f"{TF}.math.exp", f"{TF}.math.square",
     f"{NN}.relu", f"{NN}.relu6", f"{NN}.elu", f"{NN}.selu", f"{NN}.leaky_relu", f"{NN}.sigmoid", f"{NN}.tanh",
     f"{NN}.softmax", f"{NN}.log_softmax", f"{NN}.softplus", f"{NN}.softsign", f"{NN}.swish", f"{NN}.silu",
     f"{NN}.gelu", f"{NN}.crelu_", f"{NN}.lrn", f"{NN}.local_response_normalization",
     f"{NN}.l2_normalize", f"{NN}.batch_normalization", f"{TF}.math.l2_normalize",
     params="x", aliases={"features": "x", "input": "x", "value": "x", "logits": "x", "t": "x", "tensor": "x",
                          "input_tensor": "x", "image": "x"})
def elementwise(c: Call) -> Value:
    x = c.tensor("x")
    if x is None:
        value = c.get("x")
        return UNKNOWN if not isinstance(value, Const) else value
    branch = training_branch(c.interp) if c.path.endswith(("softmax", "sigmoid")) else None
    if branch is not None:
        c.source_nodes["under"] = branch  # `if not is_training: x = tf.nn.softmax(x)` (CNN203)
    return c.add("identity", [x], {})


# -- convolution and pooling ------------------------------------------------------------------
def _conv(c: Call, fixed_rank: int | None, *, strides: str = "strides") -> Value:
    x, kernel = c.tensor("input"), c.tensor("filters")
    n = spatial_rank(c, x, fixed_rank)
    if n is None:
        kernel_rank = c.rank_of(kernel)
        n = None if kernel_rank is None else kernel_rank - 2
    attrs = window_attrs(c, n, strides=strides, stride_default=1 if strides == "strides_opt" else None)
    if attrs is None:
        return c.opaque([x, kernel])
    return c.add("conv", [x, kernel], attrs)


CONV_ALIASES = {"filter": "filters", "value": "input", "dilation_rate": "dilations"}


@api(f"{NN}.conv1d", params="input filters stride padding data_format dilations name", aliases=CONV_ALIASES)
def conv1d(c: Call) -> Value:
    return _conv(c, 1, strides="stride")


@api(f"{NN}.conv2d", params="input filters strides padding data_format dilations name", aliases=CONV_ALIASES)
def conv2d(c: Call) -> Value:
    fmt = c.args.get("data_format")
    if isinstance(fmt, Const) and isinstance(fmt.value, bool):
        c.args.pop("data_format")  # TF1's positional use_cudnn_on_gpu
    return _conv(c, 2)


@api(f"{NN}.conv3d", params="input filters strides padding data_format dilations name", aliases=CONV_ALIASES)
def conv3d(c: Call) -> Value:
    return _conv(c, 3)


@api(f"{NN}.convolution", params="input filters strides_opt padding data_format dilations name",
     aliases={**CONV_ALIASES, "strides": "strides_opt"})
def convolution(c: Call) -> Value:
    if as_str(c.get("strides_opt")) is not None:  # TF1 order: (input, filter, padding, strides)
        c.args["padding"], c.args["strides_opt"] = c.args["strides_opt"], c.args.get("padding", Const(None))
    return _conv(c, None, strides="strides_opt")


@api(f"{NN}.atrous_conv2d", params="input filters rate padding name", aliases=CONV_ALIASES)
def atrous_conv2d(c: Call) -> Value:
    c.args["strides"] = Const(1)
    c.args["dilations"] = c.get("rate")
    return _conv(c, 2)


@api(f"{NN}.depthwise_conv2d", f"{NN}.depthwise_conv2d_native",
     params="input filters strides padding data_format dilations name", aliases={**CONV_ALIASES, "rate": "dilations"})
def depthwise_conv2d(c: Call) -> Value:
    x, kernel = c.tensor("input"), c.tensor("filters")
    attrs = window_attrs(c, 2)
    if attrs is None:
        return c.opaque([x, kernel])
    return c.add("depthwise_conv", [x, kernel], attrs)


@api(f"{NN}.separable_conv2d",
     params="input depthwise_filter pointwise_filter strides padding data_format dilations name",
     aliases={"rate": "dilations"})
def separable_conv2d(c: Call) -> Value:
    x, depthwise, pointwise = c.tensor("input"), c.tensor("depthwise_filter"), c.tensor("pointwise_filter")
    attrs = window_attrs(c, 2)
    if attrs is None:
        return c.opaque([x])
    inner = c.add("depthwise_conv", [x, depthwise], attrs)
    pointwise_attrs = {**attrs, "strides": (1, 1), "dilations": (1, 1), "padding": "VALID"}
    return c.add("conv", [inner.node, pointwise], pointwise_attrs)


def _conv_transpose(c: Call, fixed_rank: int | None) -> Value:
    x, kernel = c.tensor("input"), c.tensor("filters")
    n = spatial_rank(c, x, fixed_rank)
    attrs = window_attrs(c, n, pad_default="SAME")
    if attrs is None:
        return c.opaque([x, kernel])
    output = c.get("output_shape")
    # A 1-D list or tensor of sizes; anything else (an int: TF raises) is not read as a shape.
    attrs["output_shape"] = shape_of_value(output) if isinstance(output, (SeqV, ShapeV)) else None
    return c.add("conv_transpose", [x, kernel], attrs)


TRANSPOSE_ALIASES = {"filter": "filters", "value": "input"}


@api(f"{NN}.conv2d_transpose", params="input filters output_shape strides padding data_format dilations name",
     aliases=TRANSPOSE_ALIASES)
def conv2d_transpose(c: Call) -> Value:
    return _conv_transpose(c, 2)


@api(f"{NN}.conv1d_transpose", params="input filters output_shape strides padding data_format dilations name",
     aliases=TRANSPOSE_ALIASES)
def conv1d_transpose(c: Call) -> Value:
    return _conv_transpose(c, 1)


@api(f"{NN}.conv3d_transpose", params="input filters output_shape strides padding data_format dilations name",
     aliases=TRANSPOSE_ALIASES)
def conv3d_transpose(c: Call) -> Value:
    return _conv_transpose(c, 3)


@api(f"{NN}.conv_transpose", params="input filters output_shape strides padding data_format dilations name",
     aliases=TRANSPOSE_ALIASES)
def conv_transpose(c: Call) -> Value:
    return _conv_transpose(c, None)


def _pool(c: Call, fixed_rank: int | None, kind: str) -> Value:
    x = c.tensor("input")
    n = spatial_rank(c, x, fixed_rank)
    attrs = window_attrs(c, n)
    if attrs is None:
        return c.opaque([x])
    layout_first = attrs["data_format"] == "channels_first"
    attrs["pool_size"] = spatial(c.args.get("ksize"), n, layout_first, None)
    attrs["kind"] = kind
    return c.add("pool", [x], attrs)


POOL_PARAMS = "input ksize strides padding data_format name"
POOL_ALIASES = {"value": "input"}


@api(f"{NN}.max_pool", f"{NN}.max_pool_v2", params=POOL_PARAMS, aliases=POOL_ALIASES)
def max_pool(c: Call) -> Value:
    return _pool(c, None, "max")


@api(f"{NN}.avg_pool", f"{NN}.avg_pool_v2", params=POOL_PARAMS, aliases=POOL_ALIASES)
def avg_pool(c: Call) -> Value:
    return _pool(c, None, "avg")


@api(f"{NN}.max_pool1d", params=POOL_PARAMS, aliases=POOL_ALIASES)
def max_pool1d(c: Call) -> Value:
    return _pool(c, 1, "max")


@api(f"{NN}.max_pool2d", params=POOL_PARAMS, aliases=POOL_ALIASES)
def max_pool2d(c: Call) -> Value:
    return _pool(c, 2, "max")


@api(f"{NN}.max_pool3d", params=POOL_PARAMS, aliases=POOL_ALIASES)
def max_pool3d(c: Call) -> Value:
    return _pool(c, 3, "max")


@api(f"{NN}.avg_pool1d", params=POOL_PARAMS, aliases=POOL_ALIASES)
def avg_pool1d(c: Call) -> Value:
    return _pool(c, 1, "avg")


@api(f"{NN}.avg_pool2d", params=POOL_PARAMS, aliases=POOL_ALIASES)
def avg_pool2d(c: Call) -> Value:
    return _pool(c, 2, "avg")


@api(f"{NN}.avg_pool3d", params=POOL_PARAMS, aliases=POOL_ALIASES)
def avg_pool3d(c: Call) -> Value:
    return _pool(c, 3, "avg")


@api(f"{NN}.pool", params="input window_shape pooling_type strides padding data_format dilations name")
def pool(c: Call) -> Value:
    x = c.tensor("input")
    n = spatial_rank(c, x, None)
    attrs = window_attrs(c, n, stride_default=1)
    if attrs is None:
        return c.opaque([x])
    attrs["pool_size"] = spatial(c.args.get("window_shape"), n, False, None)
    return c.add("pool", [x], attrs)


# -- shape manipulation -----------------------------------------------------------------------
@api(f"{TF}.reshape", params="tensor shape name")
def reshape(c: Call) -> Value:
    x = c.tensor("tensor")
    target = c.get("shape")
    shape = None if isinstance(target, TensorV) else shape_of_value(target)
    return add_spanned(c, "reshape", [x], {"shape": shape}, "shape")


@api(f"{TF}.matmul", f"{TF}.linalg.matmul", params="a b transpose_a transpose_b adjoint_a adjoint_b")
def matmul(c: Call) -> Value:
    ta = c.bool_arg("transpose_a") or c.bool_arg("adjoint_a")
    tb = c.bool_arg("transpose_b") or c.bool_arg("adjoint_b")
    return c.add("matmul", [c.tensor("a"), c.tensor("b")], {"transpose_a": ta, "transpose_b": tb})


@api(f"{TF}.add", f"{TF}.subtract", f"{TF}.multiply", f"{TF}.divide", f"{TF}.truediv", f"{TF}.maximum",
     f"{TF}.minimum", f"{TF}.math.add", f"{TF}.math.subtract", f"{TF}.math.multiply", f"{TF}.math.divide",
     f"{TF}.math.maximum", f"{TF}.math.minimum", f"{TF}.squared_difference", f"{TF}.math.squared_difference",
     f"{TF}.pow", f"{TF}.mul", f"{TF}.sub", f"{TF}.div",
     params="x y name")
def binary(c: Call) -> Value:
    return _broadcast(c, [c.get("x"), c.get("y")], c.path.rsplit(".", 1)[-1])


@api(f"{TF}.add_n", f"{TF}.math.add_n", params="inputs name")
def add_n(c: Call) -> Value:
    items = c.interp.iterate(c.get("inputs"))
    if items is None:
        return c.opaque()
    return _broadcast(c, items, "add_n")


def _broadcast(c: Call, values: list[Value], fn: str) -> Value:
    tensors = [v for v in values if isinstance(v, TensorV)]
    scalars_ok = all(isinstance(v, TensorV) or literal_shape(v) == () for v in values)
    if not tensors or not scalars_ok:
        return c.opaque([c.interp_tensor(v) for v in values])
    return c.add("broadcast", [t.node for t in tensors], {"fn": fn})


@api(f"{NN}.bias_add", params="value bias data_format name")
def bias_add(c: Call) -> Value:
    layout = data_format(c.args.get("data_format"))
    if layout is None:
        return c.opaque([c.tensor("value")])
    return c.add("bias_add", [c.tensor("value"), c.tensor("bias")], {"data_format": layout})


@api(f"{TF}.concat", params="values axis name")
def concat(c: Call) -> Value:
    values, axis = c.get("values"), c.get("axis")
    if as_int(values) is not None and isinstance(axis, SeqV):  # pre-1.0 order: concat(axis, values)
        values, axis = axis, values
    items = c.interp.iterate(values)
    if items is None:
        return c.opaque()
    nodes = [c.interp_tensor(v) for v in items]
    return c.add("concat", nodes, {"axis": as_int(axis)})


@api(f"{TF}.transpose", params="a perm conjugate name")
def transpose(c: Call) -> Value:
    perm_value = c.get("perm", Const(None))
    perm = None
    if isinstance(perm_value, SeqV):
        ints = [as_int(v) for v in perm_value.items]
        if any(i is None for i in ints):
            return c.opaque([c.tensor("a")])
        perm = [i for i in ints if i is not None]
    elif not _is_none(perm_value):
        return c.opaque([c.tensor("a")])
    return c.add("transpose", [c.tensor("a")], {"perm": perm})


@api(f"{TF}.squeeze", params="input axis name squeeze_dims", aliases={"squeeze_dims": "axis"})
def squeeze(c: Call) -> Value:
    axis = c.get("axis", Const(None))
    axes = axes_argument(axis)
    if axes is False:
        return c.opaque([c.tensor("input")])
    return c.add("squeeze", [c.tensor("input")], {"axis": axes})


@api(f"{TF}.expand_dims", params="input axis name dim", aliases={"dim": "axis"})
def expand_dims(c: Call) -> Value:
    return c.add("expand_dims", [c.tensor("input")], {"axis": c.int_arg("axis")})


@api(f"{TF}.pad", params="tensor paddings mode constant_values name")
def pad(c: Call) -> Value:
    value = c.get("paddings")
    pairs = padding(value, c.rank_of(c.tensor("tensor")), False) if isinstance(value, SeqV) else None
    full = None
    if isinstance(value, SeqV) and pairs is not None:
        full = [(as_int(p.items[0]), as_int(p.items[1])) for p in value.items if isinstance(p, SeqV)]
    return c.add("pad", [c.tensor("tensor")], {"paddings": full})


@api(f"{TF}.reduce_mean", f"{TF}.reduce_sum", f"{TF}.reduce_max", f"{TF}.reduce_min", f"{TF}.reduce_prod",
     f"{TF}.math.reduce_mean", f"{TF}.math.reduce_sum", f"{TF}.math.reduce_max", f"{TF}.math.reduce_min",
     params="input_tensor axis keepdims name", aliases={"keep_dims": "keepdims", "reduction_indices": "axis"})
def reduce(c: Call) -> Value:
    axes = axes_argument(c.get("axis", Const(None)))
    keep = c.bool_arg("keepdims")
    if axes is False or keep is None:
        return c.opaque([c.tensor("input_tensor")])
    result = c.add("reduce", [c.tensor("input_tensor")], {"axis": axes, "keepdims": keep})
    note_reduction(c, result)  # a hand-written loss or accuracy (CNN015)
    return result


@api(f"{TF}.shape", params="input out_type name")
def shape(c: Call) -> Value:
    node = c.node(c.tensor("input"))
    return shape_value(node.shape if node is not None else None)


def axes_argument(value: Value) -> list[int] | bool | None:
    """An `axis` argument as a list of ints, None for all axes, False when unknown (TF and NumPy alike)."""
    if _is_none(value):
        return None
    single = as_int(value)
    if single is not None:
        return [single]
    if isinstance(value, SeqV):
        ints = [as_int(v) for v in value.items]
        if all(i is not None for i in ints):
            return [i for i in ints if i is not None]
    return False


def _is_none(value: Value) -> bool:
    return isinstance(value, Const) and value.value is None


