"""Sliding windows: convolutions (plain, grouped, separable, depthwise, transposed) and pooling.

The window arithmetic along one axis (`window`) is shared by all of them; a window that does not
fit is a `NonPositive` problem, one that leaves input rows unread a `StridedRemainder`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import Dim, different, divides, non_positive, product
from cnnlint.shapes.ops.layout import (
    Layout,
    PerAxis,
    channels,
    join_channels,
    per_axis,
    split_channels,
    unknown_if_none,
)
from cnnlint.shapes.problems import AxisPadding, Channels, NonPositive, OutputPadding, StridedRemainder
from cnnlint.shapes.registry import (
    NON_POSITIVE,
    STRIDED_REMAINDER,
    Formula,
    MaybeShape,
    OpDecl,
    Problem,
    Rank,
    Result,
    Shape,
    Weight,
    check_rank,
    declare,
    fail,
)
from cnnlint.shapes.words import count, int_product, num, params_formula, spatial_name, value

# "SAME" | "VALID" | "CAUSAL", or explicit (before, after) rows per spatial axis.
Padding = str | list[tuple[int, int]] | None


# -- attributes --------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Window(Layout):
    """What every sliding-window op has; `rank` is the number of spatial axes (None: from the input)."""

    rank: int | None = None
    strides: PerAxis = None
    dilations: PerAxis = None
    padding: Padding = "VALID"


@dataclass(frozen=True, kw_only=True)
class ConvAttrs(Window):
    """A kernel given as an input `(k..., in, out)`, or as `kernel_size` and `filters` (a layer)."""

    kernel_size: PerAxis = None
    filters: int | Dim | None = None
    groups: int | None = 1
    use_bias: bool = True
    separable: int | None = None  # SeparableConv: the depth multiplier before the pointwise step


@dataclass(frozen=True, kw_only=True)
class DepthwiseAttrs(Window):
    kernel_size: PerAxis = None
    depth_multiplier: int | None = 1
    use_bias: bool = True


@dataclass(frozen=True, kw_only=True)
class ConvTransposeAttrs(Window):
    padding: Padding = None
    kernel_size: PerAxis = None
    filters: int | Dim | None = None
    use_bias: bool = True
    output_padding: PerAxis = None
    output_shape: Sequence[Dim | int | None] | None = None  # tf.nn.conv2d_transpose states it


@dataclass(frozen=True, kw_only=True)
class PoolAttrs(Window):
    pool_size: PerAxis = None
    kind: str | None = None  # max, avg


# -- the window along one axis -----------------------------------------------------------------
def window(
    size: Dim, kernel: Dim | None, stride: int | None, dilation: int | None, padding: AxisPadding
) -> tuple[Dim, str | None, Dim | None]:
    """Output length of a sliding window along one axis.

    Returns (output, problem kind or None, leftover input rows for a valid stride).
    """
    if stride is None or dilation is None or padding is None or stride <= 0:
        return Dim.unknown(), None, None
    if padding == "SAME":
        return size.ceildiv(stride), None, None
    if kernel is None:
        return Dim.unknown(), None, None
    span = (kernel - 1) * dilation
    if padding == "CAUSAL":
        return size.ceildiv(stride), None, None
    if isinstance(padding, tuple):
        before, after = padding
        size = size + before + after
    elif padding != "VALID":
        return Dim.unknown(), None, None
    room = size - span
    if non_positive(room):
        return room, NON_POSITIVE, None
    out = room.ceildiv(stride)
    leftover = (room - 1).mod(stride)
    # A window narrower than its stride (a 1x1/2 shortcut) skips positions everywhere by design.
    subsamples = kernel.value is not None and kernel.value < stride
    if leftover.value is not None and leftover.value > 0 and not subsamples:
        return out, STRIDED_REMAINDER, leftover
    return out, None, None


def _per_axis(x: Shape, n: int, attrs: Window) -> tuple[tuple[Dim, ...], tuple[int | None, ...], tuple[int | None, ...],
                                                    Sequence[AxisPadding]]:
    """The spatial sizes of `x` and the window's stride, dilation and padding on each of its `n` axes
    (what both the shape function and its formulas read)."""
    _, spatial, _ = split_channels(x, attrs.channels_first)
    padding = attrs.padding
    pads: Sequence[AxisPadding] = padding if isinstance(padding, list) else [padding] * n
    return spatial, per_axis(attrs.strides, n, 1), per_axis(attrs.dilations, n, 1), pads


def _windows(x: Shape, n: int, kernel: Sequence[Dim | None], attrs: Window, op: str) -> tuple[list[Dim], list[Problem]]:
    """Apply `window` on each spatial axis; collect problems with their axis."""
    spatial, strides, dilations, pads = _per_axis(x, n, attrs)
    out: list[Dim] = []
    problems: list[Problem] = []
    for axis in range(n):
        dim, kind, leftover = window(spatial[axis], kernel[axis], strides[axis], dilations[axis], pads[axis])
        if kind == NON_POSITIVE:
            problems.append(Problem(NonPositive(
                op=op, axis=axis, spatial_rank=n, size=spatial[axis], output=dim, kernel=kernel[axis],
                stride=strides[axis], dilation=dilations[axis], padding=pads[axis])))
        elif kind == STRIDED_REMAINDER and leftover is not None:
            problems.append(Problem(StridedRemainder(
                op=op, axis=axis, spatial_rank=n, size=spatial[axis], output=dim, kernel=kernel[axis],
                stride=strides[axis], dilation=dilations[axis], padding=pads[axis], leftover=leftover), fatal=False))
        out.append(dim)
    return out, problems


def _kernel_dims(kernel_size: PerAxis, n: int) -> list[Dim | None]:
    return [None if k is None else Dim.of(k) for k in per_axis(kernel_size, n, None)]


def _feature_map_input(x: Shape, rank: int | None, channels_first: bool) -> tuple[int, Dim, Dim] | Result:
    """The spatial rank, batch and channels of a conv / pool input, or the failure of its rank."""
    n = rank or len(x) - 2
    if n < 1:
        return _spatial_rank_fails(x)
    bad = check_rank(x, n + 2, "input")
    if bad:
        return bad
    batch, _, channels = split_channels(x, channels_first)
    return n, batch, channels


def _spatial_rank_fails(x: Shape) -> Result:
    return fail(Rank(operand="input", expected=">= 3", got=len(x), shape=x))


def _windowed(x: Shape, batch: Dim, n: int, kernel: Sequence[Dim | None], attrs: Window, op: str,
              c_out: Dim) -> Result:
    spatial, problems = _windows(x, n, kernel, attrs, op)
    if any(p.fatal for p in problems):
        return Result(None, tuple(problems))
    return Result(join_channels(batch, spatial, c_out, attrs.channels_first), tuple(problems))


# -- shape functions ---------------------------------------------------------------------------
def conv(inputs: Sequence[MaybeShape], attrs: ConvAttrs) -> Result:
    """N-d convolution; the kernel is a tensor input `(k..., in, out)` or `kernel_size`+`filters`."""
    x = inputs[0]
    kernel = inputs[1] if len(inputs) > 1 else None
    if x is None:
        return Result(None)
    read = _feature_map_input(x, attrs.rank, attrs.channels_first)
    if isinstance(read, Result):
        return read
    n, batch, c_in = read
    groups = attrs.groups or 1
    if kernel is not None:
        bad = check_rank(kernel, n + 2, "kernel")
        if bad:
            return bad
        ksize: list[Dim | None] = list(kernel[:n])
        k_in, c_out = kernel[n], kernel[n + 1]
        if divides(k_in, c_in) is False:
            return fail(Channels(expected=k_in, got=c_in, kernel=kernel, input=x))
    else:
        ksize = _kernel_dims(attrs.kernel_size, n)
        c_out = unknown_if_none(attrs.filters)
        if groups > 1 and divides(Dim.const(groups), c_in) is False:
            return fail(Channels(expected=Dim.const(groups), got=c_in, groups=groups, input=x))
    return _windowed(x, batch, n, ksize, attrs, "conv", c_out)


def depthwise_conv(inputs: Sequence[MaybeShape], attrs: DepthwiseAttrs) -> Result:
    """Depthwise convolution; kernel `(k..., in, multiplier)` or `kernel_size`+`depth_multiplier`."""
    x = inputs[0]
    kernel = inputs[1] if len(inputs) > 1 else None
    if x is None:
        return Result(None)
    n = attrs.rank or 2
    bad = check_rank(x, n + 2, "input")
    if bad:
        return bad
    batch, _, c_in = split_channels(x, attrs.channels_first)
    if kernel is not None:
        bad = check_rank(kernel, n + 2, "kernel")
        if bad:
            return bad
        ksize: list[Dim | None] = list(kernel[:n])
        if different(kernel[n], c_in):
            return fail(Channels(expected=kernel[n], got=c_in, kernel=kernel, input=x))
        multiplier = kernel[n + 1]
    else:
        ksize = _kernel_dims(attrs.kernel_size, n)
        multiplier = unknown_if_none(attrs.depth_multiplier)
    return _windowed(x, batch, n, ksize, attrs, "conv", c_in * multiplier)


def pool(inputs: Sequence[MaybeShape], attrs: PoolAttrs) -> Result:
    """Max or average pooling over `pool_size` windows; channels are kept."""
    x = inputs[0]
    if x is None:
        return Result(None)
    read = _feature_map_input(x, attrs.rank, attrs.channels_first)
    if isinstance(read, Result):
        return read
    n, batch, c = read
    return _windowed(x, batch, n, _kernel_dims(attrs.pool_size, n), attrs, "pool", c)


def conv_transpose(inputs: Sequence[MaybeShape], attrs: ConvTransposeAttrs) -> Result:
    """Transposed convolution with an explicit `output_shape` and kernel `(k..., out, in)`."""
    x = inputs[0]
    kernel = inputs[1] if len(inputs) > 1 else None
    if x is None:
        return Result(None)
    n = attrs.rank or len(x) - 2
    bad = check_rank(x, n + 2, "input")
    if bad:
        return bad
    first = attrs.channels_first
    batch, spatial, c_in = split_channels(x, first)
    if kernel is not None:
        bad = check_rank(kernel, n + 2, "kernel")
        if bad:
            return bad
        if different(kernel[n + 1], c_in):
            return fail(Channels(expected=kernel[n + 1], got=c_in, kernel=kernel, input=x, transpose=True))
    strides = per_axis(attrs.strides, n, 1)
    out_pads = per_axis(attrs.output_padding, n, None)
    too_wide = tuple(
        Problem(OutputPadding(op="conv_transpose", axis=i, spatial_rank=n, size=spatial[i], output=Dim.unknown(),
                              shape=x, stride=stride, output_padding=pad))
        for i, (stride, pad) in enumerate(zip(strides, out_pads, strict=False))
        if i < n and stride is not None and pad is not None and pad >= stride)
    if too_wide:
        return Result(None, too_wide)
    if attrs.output_shape is not None:
        return Result(tuple(unknown_if_none(d) for d in attrs.output_shape))
    if attrs.kernel_size is None:
        return Result(None)
    kernel_size = per_axis(attrs.kernel_size, n, None)
    dilations = per_axis(attrs.dilations, n, 1)
    out = [transposed_window(spatial[i], kernel_size[i], strides[i], dilations[i], attrs.padding, out_pads[i])
           for i in range(n)]
    problems = tuple(
        Problem(NonPositive(op="conv_transpose", axis=i, spatial_rank=n, size=spatial[i], output=dim, shape=x,
                            kernel=kernel_size[i], stride=strides[i], output_padding=out_pads[i]))
        for i, dim in enumerate(out) if non_positive(dim)
    )
    if problems:
        return Result(None, problems)
    return Result(join_channels(batch, out, unknown_if_none(attrs.filters), first))


def transposed_window(
    size: Dim, kernel: int | None, stride: int | None, dilation: int | None, padding: Padding,
    output_padding: int | None,
) -> Dim:
    """Output length of a transposed convolution along one axis (Keras 3 / tf.layers rules)."""
    if kernel is None or stride is None or dilation is None or padding not in ("SAME", "VALID"):
        return Dim.unknown()
    span = kernel + (kernel - 1) * (dilation - 1)
    if output_padding is None:
        if padding == "VALID":
            return size * stride + max(span - stride, 0)
        return size * stride
    pad = span // 2 if padding == "SAME" else 0
    return (size - 1) * stride + span - 2 * pad + output_padding


# -- weights -----------------------------------------------------------------------------------
def _kernel_volume(kernel_size: PerAxis) -> Dim | None:
    if kernel_size is None or isinstance(kernel_size, int) or any(k is None for k in kernel_size):
        return None
    return product([Dim.of(k) for k in kernel_size if k is not None])


def _kernel_shape(kernel_size: PerAxis) -> list[Dim] | None:
    if kernel_size is None or isinstance(kernel_size, int) or any(k is None for k in kernel_size):
        return None
    return [Dim.of(k) for k in kernel_size if k is not None]


def _bias(use_bias: bool, size: Dim) -> Dim:
    return size if use_bias else Dim.const(0)


def _with_bias(weights: list[Weight], use_bias: bool) -> list[Weight]:
    """The weights without the bias (the last one) where `use_bias=False`."""
    return weights if use_bias else weights[:-1]


def conv_params(inputs: Sequence[MaybeShape], attrs: ConvAttrs, output: MaybeShape) -> Dim | None:
    c_in, volume, filters = channels(inputs[0], attrs), _kernel_volume(attrs.kernel_size), attrs.filters
    if c_in is None or volume is None or filters is None:
        return None
    multiplier = attrs.separable
    if multiplier is not None:  # depthwise (k..., in, m) then pointwise (1..., in*m, filters)
        return volume * c_in * multiplier + c_in * multiplier * filters + _bias(attrs.use_bias, Dim.of(filters))
    groups = attrs.groups or 1
    per_group = c_in.floordiv(groups) if groups > 1 else c_in
    return volume * per_group * filters + _bias(attrs.use_bias, Dim.of(filters))


def conv_weights(inputs: Sequence[MaybeShape], attrs: ConvAttrs) -> list[Weight] | None:
    """Keras 2 and 3: `kernel (k..., in / groups, filters)`, `bias (filters,)`; separable:
    `depthwise_kernel (k..., in, m)`, `pointwise_kernel (1..., in * m, filters)`, `bias`.

    Keras 1 (keras/layers/convolutional.py at 1.2.2): `Convolution1D` is a 2-D convolution
    underneath, `W (k, 1, in, filters)`; `Convolution2D`/`3D` keep `W (k..., in, filters)` with
    `dim_ordering='tf'` and `W (filters, in, k...)` with `'th'`; `SeparableConvolution2D`'s
    `th` kernels are `(m, in, kh, kw)` and `(filters, in * m, 1, 1)`; the bias is `b`.
    """
    c_in, kernel = channels(inputs[0], attrs), _kernel_shape(attrs.kernel_size)
    if c_in is None or kernel is None or attrs.filters is None:
        return None
    f = Dim.of(attrs.filters)
    bias = _with_bias([Weight("b" if attrs.keras1 else "bias", (f,))], attrs.use_bias)
    multiplier = attrs.separable
    if multiplier is not None:
        m = Dim.const(multiplier)
        ones = [Dim.const(1)] * len(kernel)
        if attrs.keras1 and attrs.channels_first:
            return [Weight("depthwise_kernel", (m, c_in, *kernel)),
                    Weight("pointwise_kernel", (f, c_in * m, *ones)), *bias]
        return [Weight("depthwise_kernel", (*kernel, c_in, m)), Weight("pointwise_kernel", (*ones, c_in * m, f)),
                *bias]
    groups = attrs.groups or 1
    per_group = c_in.floordiv(groups) if groups > 1 else c_in
    if not attrs.keras1:
        return [Weight("kernel", (*kernel, per_group, f)), *bias]
    if len(kernel) == 1:
        return [Weight("W", (kernel[0], Dim.const(1), per_group, f)), *bias]
    if attrs.channels_first:
        return [Weight("W", (f, per_group, *kernel)), *bias]
    return [Weight("W", (*kernel, per_group, f)), *bias]


def depthwise_params(inputs: Sequence[MaybeShape], attrs: DepthwiseAttrs, output: MaybeShape) -> Dim | None:
    c_in, volume, multiplier = channels(inputs[0], attrs), _kernel_volume(attrs.kernel_size), attrs.depth_multiplier
    if c_in is None or volume is None or multiplier is None:
        return None
    return volume * c_in * multiplier + _bias(attrs.use_bias, c_in * multiplier)


def depthwise_weights(inputs: Sequence[MaybeShape], attrs: DepthwiseAttrs) -> list[Weight] | None:
    """`depthwise_kernel (k..., in, m)`, `bias (in * m,)`; Keras 3 names the kernel `kernel`
    (keras/src/layers/convolutional/base_depthwise_conv.py). Keras 1 had no such layer."""
    c_in, kernel = channels(inputs[0], attrs), _kernel_shape(attrs.kernel_size)
    if c_in is None or kernel is None or attrs.depth_multiplier is None:
        return None
    m = Dim.const(attrs.depth_multiplier)
    name = "kernel" if attrs.keras_major >= 3 else "depthwise_kernel"
    return _with_bias([Weight(name, (*kernel, c_in, m)), Weight("bias", (c_in * m,))], attrs.use_bias)


def conv_transpose_params(inputs: Sequence[MaybeShape], attrs: ConvTransposeAttrs, output: MaybeShape) -> Dim | None:
    c_in, volume, filters = channels(inputs[0], attrs), _kernel_volume(attrs.kernel_size), attrs.filters
    if c_in is None or volume is None or filters is None:
        return None
    return volume * c_in * filters + _bias(attrs.use_bias, Dim.of(filters))


def conv_transpose_weights(inputs: Sequence[MaybeShape], attrs: ConvTransposeAttrs) -> list[Weight] | None:
    """Keras 2 and 3: `kernel (k..., filters, in)`, `bias (filters,)`. Keras 1's
    `Deconvolution2D` builds the weights of the `Convolution2D` it subclasses (1.2.2 defines no
    `build` of its own): `W (kh, kw, in, filters)` with `tf`, `(filters, in, kh, kw)` with `th`."""
    c_in, kernel = channels(inputs[0], attrs), _kernel_shape(attrs.kernel_size)
    if c_in is None or kernel is None or attrs.filters is None:
        return None
    f = Dim.of(attrs.filters)
    if attrs.keras1:
        w = (f, c_in, *kernel) if attrs.channels_first else (*kernel, c_in, f)
        return _with_bias([Weight("W", w), Weight("b", (f,))], attrs.use_bias)
    return _with_bias([Weight("kernel", (*kernel, f, c_in)), Weight("bias", (f,))], attrs.use_bias)


# -- the working, for a learner (cnnlint shapes --explain) ---------------------------------------
def _ceil(n: int | None, s: int) -> int | None:
    return None if n is None else -(-n // s)


def _result(found: int | None, engine: Dim) -> str:
    """The number a working ends in: worked out from the formula where every size is known, else
    the engine's size (a symbolic one)."""
    return count(engine) if found is None else str(found)


def _dilated(kernel: Dim | int, dilation: int) -> list[str]:
    """`kernel 3 dilated by 2: 3 + (3 - 1)(2 - 1) = 5`, the window a dilated kernel spans; [] for no dilation."""
    if dilation == 1:
        return []
    k, spans = num(kernel), num(kernel + (kernel - 1) * (dilation - 1))
    return [f"kernel {k} dilated by {dilation}: {k} + ({k} - 1)({dilation} - 1) = {spans}"]


def window_formula(size: Dim, kernel: Dim | None, stride: int | None, dilation: int | None,
                   padding: AxisPadding) -> tuple[str, int | None] | None:
    """`window` written out: `SAME: ceil(28 / 2) = 14`, `VALID: floor((300 - 5) / 1) + 1 = 296`,
    with the dilated kernel and the padded size first where they differ; None where `window` has
    no rule (an unknown stride or padding)."""
    if stride is None or dilation is None or padding is None or stride <= 0:
        return None
    engine, _, _ = window(size, kernel, stride, dilation, padding)
    n = value(size)
    if padding == "SAME":
        found = _ceil(n, stride)
        return f"SAME: ceil({num(size)} / {stride}) = {_result(found, engine)}", found
    if kernel is None or (padding != "VALID" and padding != "CAUSAL" and not isinstance(padding, tuple)):
        return None
    effective = kernel + (kernel - 1) * (dilation - 1)
    steps = _dilated(kernel, dilation)
    if padding == "CAUSAL":
        found = _ceil(n, stride)
        steps.append(f"CAUSAL (padded {num(effective - 1)} before): ceil({num(size)} / {stride}) = "
                     f"{_result(found, engine)}")
        return "; ".join(steps), found
    mode = "VALID"
    if isinstance(padding, tuple):
        before, after = padding
        padded = size + before + after
        steps.append(f"padded {num(size)} + {before} + {after} = {num(padded)}")
        size, n, mode = padded, value(padded), ""
    k = value(effective)
    found = None if n is None or k is None else (n - k) // stride + 1
    valid = f"floor(({num(size)} - {num(effective)}) / {stride}) + 1 = {_result(found, engine)}"
    steps.append(f"{mode}: {valid}" if mode else valid)
    return "; ".join(steps), found


def _window_formulas(x: Shape, n: int, kernel: Sequence[Dim | None], attrs: Window) -> list[Formula]:
    spatial, strides, dilations, pads = _per_axis(x, n, attrs)
    out: list[Formula] = []
    for axis in range(min(n, len(spatial), len(kernel), len(strides), len(dilations), len(pads))):
        worked = window_formula(spatial[axis], kernel[axis], strides[axis], dilations[axis], pads[axis])
        if worked is not None:
            at = axis + (2 if attrs.channels_first else 1)
            out.append(Formula(spatial_name(axis, n), worked[0], at, worked[1]))
    return out


def _window_input(inputs: Sequence[MaybeShape], rank: int | None) -> tuple[Shape, int] | None:
    x = inputs[0] if inputs else None
    if x is None:
        return None
    n = rank or len(x) - 2
    return (x, n) if n >= 1 and len(x) == n + 2 else None


def _tensor_kernel(inputs: Sequence[MaybeShape], n: int) -> list[Dim | None] | None:
    kernel = inputs[1] if len(inputs) > 1 else None
    return None if kernel is None or len(kernel) != n + 2 else list(kernel[:n])


def conv_explain(inputs: Sequence[MaybeShape], attrs: ConvAttrs) -> list[Formula]:
    found = _window_input(inputs, attrs.rank)
    if found is None:
        return []
    x, n = found
    return _window_formulas(x, n, _tensor_kernel(inputs, n) or _kernel_dims(attrs.kernel_size, n), attrs)


def depthwise_explain(inputs: Sequence[MaybeShape], attrs: DepthwiseAttrs) -> list[Formula]:
    found = _window_input(inputs, attrs.rank or 2)
    if found is None:
        return []
    x, n = found
    windows = _window_formulas(x, n, _tensor_kernel(inputs, n) or _kernel_dims(attrs.kernel_size, n), attrs)
    kernel = inputs[1] if len(inputs) > 1 else None
    multiplier = kernel[n + 1] if kernel is not None and len(kernel) == n + 2 else attrs.depth_multiplier
    c_in = channels(x, attrs)
    if multiplier is None or c_in is None:
        return windows
    total = int_product([c_in, multiplier])
    shown = num(c_in * multiplier) if total is None else str(total)
    at = 1 if attrs.channels_first else n + 1
    return [*windows, Formula("channels", f"{num(c_in)} x {num(multiplier)} (depth multiplier) = {shown}", at, total)]


def pool_explain(inputs: Sequence[MaybeShape], attrs: PoolAttrs) -> list[Formula]:
    found = _window_input(inputs, attrs.rank)
    if found is None:
        return []
    x, n = found
    return _window_formulas(x, n, _kernel_dims(attrs.pool_size, n), attrs)


def transposed_formula(size: Dim, kernel: int | None, stride: int | None, dilation: int | None, padding: Padding,
                       output_padding: int | None) -> tuple[str, int | None] | None:
    """`transposed_window` written out: `SAME: 14 x 2 = 28`, `VALID: 14 x 2 + max(3 - 2, 0) = 29`,
    `(14 - 1) x 2 + 3 - 2 x 1 + 1 = 28` with an `output_padding`."""
    if kernel is None or stride is None or dilation is None or padding not in ("SAME", "VALID"):
        return None
    engine = transposed_window(size, kernel, stride, dilation, padding, output_padding)
    span = kernel + (kernel - 1) * (dilation - 1)
    steps = _dilated(kernel, dilation)
    n = value(size)
    if output_padding is None:
        if padding == "VALID":
            found = None if n is None else n * stride + max(span - stride, 0)
            steps.append(f"VALID: {num(size)} x {stride} + max({span} - {stride}, 0) = {_result(found, engine)}")
        else:
            found = None if n is None else n * stride
            steps.append(f"SAME: {num(size)} x {stride} = {_result(found, engine)}")
        return "; ".join(steps), found
    pad = span // 2 if padding == "SAME" else 0
    found = None if n is None else (n - 1) * stride + span - 2 * pad + output_padding
    steps.append(f"{padding} with output_padding {output_padding}: ({num(size)} - 1) x {stride} + {span} - 2 x {pad}"
                 f" + {output_padding} = {_result(found, engine)}")
    return "; ".join(steps), found


def conv_transpose_explain(inputs: Sequence[MaybeShape], attrs: ConvTransposeAttrs) -> list[Formula]:
    found = _window_input(inputs, attrs.rank)
    if found is None or attrs.output_shape is not None or attrs.kernel_size is None:
        return []
    x, n = found
    _, spatial, _ = split_channels(x, attrs.channels_first)
    kernel, strides = per_axis(attrs.kernel_size, n, None), per_axis(attrs.strides, n, 1)
    dilations, out_pads = per_axis(attrs.dilations, n, 1), per_axis(attrs.output_padding, n, None)
    out: list[Formula] = []
    for axis in range(min(n, len(kernel), len(strides), len(dilations), len(out_pads))):
        worked = transposed_formula(spatial[axis], kernel[axis], strides[axis], dilations[axis], attrs.padding,
                                    out_pads[axis])
        if worked is not None:
            out.append(Formula(spatial_name(axis, n), worked[0], axis + (2 if attrs.channels_first else 1), worked[1]))
    return out


def conv_params_explain(inputs: Sequence[MaybeShape], attrs: ConvAttrs) -> list[Formula]:
    c_in, kernel, filters = channels(inputs[0], attrs), _kernel_shape(attrs.kernel_size), attrs.filters
    if c_in is None or kernel is None or filters is None:
        return []
    bias: list[Dim | int | None] = [filters] if attrs.use_bias else []
    engine = conv_params(inputs, attrs, None)
    if attrs.separable is not None:
        m = attrs.separable
        return params_formula([[*kernel, c_in, m], [c_in, m, filters], bias], engine)
    groups = attrs.groups or 1
    known = value(c_in)
    if groups != 1 and known is None:
        return []
    per_group: Dim | int = c_in if groups == 1 or known is None else known // groups
    return params_formula([[*kernel, per_group, filters], bias], engine)


def depthwise_params_explain(inputs: Sequence[MaybeShape], attrs: DepthwiseAttrs) -> list[Formula]:
    c_in, kernel, m = channels(inputs[0], attrs), _kernel_shape(attrs.kernel_size), attrs.depth_multiplier
    if c_in is None or kernel is None or m is None:
        return []
    bias: list[Dim | int | None] = [c_in, m] if attrs.use_bias else []
    return params_formula([[*kernel, c_in, m], bias], depthwise_params(inputs, attrs, None))


def conv_transpose_params_explain(inputs: Sequence[MaybeShape], attrs: ConvTransposeAttrs) -> list[Formula]:
    c_in, kernel, filters = channels(inputs[0], attrs), _kernel_shape(attrs.kernel_size), attrs.filters
    if c_in is None or kernel is None or filters is None:
        return []
    bias: list[Dim | int | None] = [filters] if attrs.use_bias else []
    return params_formula([[*kernel, c_in, filters], bias], conv_transpose_params(inputs, attrs, None))


CONV = declare(OpDecl("conv", ConvAttrs, conv, params=conv_params, weights=conv_weights, explain=conv_explain,
                      explain_params=conv_params_explain))
DEPTHWISE_CONV = declare(OpDecl("depthwise_conv", DepthwiseAttrs, depthwise_conv, params=depthwise_params,
                                weights=depthwise_weights, explain=depthwise_explain,
                                explain_params=depthwise_params_explain))
CONV_TRANSPOSE = declare(OpDecl("conv_transpose", ConvTransposeAttrs, conv_transpose, params=conv_transpose_params,
                                weights=conv_transpose_weights, explain=conv_transpose_explain,
                                explain_params=conv_transpose_params_explain))
POOL = declare(OpDecl("pool", PoolAttrs, pool, explain=pool_explain))
