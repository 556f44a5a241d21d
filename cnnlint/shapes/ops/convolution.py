"""Sliding windows: convolutions (plain, grouped, separable, depthwise, transposed) and pooling.

The window arithmetic along one axis (`window`) is shared by all of them; a window that does not
fit is a `NonPositive` problem, one that leaves input rows unread a `StridedRemainder`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import Dim, different, divides, non_positive, product
from cnnlint.shapes.ops.layout import (
    AxisPadding,
    Layout,
    PerAxis,
    channels,
    join_channels,
    per_axis,
    split_channels,
    unknown_if_none,
)
from cnnlint.shapes.registry import (
    CHANNELS,
    NON_POSITIVE,
    STRIDED_REMAINDER,
    MaybeShape,
    OpDecl,
    Problem,
    ProblemDetails,
    Rank,
    Result,
    Shape,
    Weight,
    check_rank,
    declare,
    fail,
)

# "SAME" | "VALID" | "CAUSAL", or explicit (before, after) rows per spatial axis.
Padding = str | list[tuple[int, int]] | None


# -- problems ----------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class WindowAxis(ProblemDetails):
    """A window (or a crop) along one spatial axis: the sizes a message about that axis shows."""

    op: str  # conv, pool, conv_transpose, crop
    axis: int  # among the spatial axes
    spatial_rank: int
    size: Dim  # the input along the axis
    output: Dim
    kernel: Dim | int | None = None
    stride: int | None = None
    dilation: int | None = None
    padding: AxisPadding = None
    leftover: Dim | None = None
    shape: Shape | None = None  # the input, for the ops whose message shows it
    output_padding: int | None = None


@dataclass(frozen=True, kw_only=True)
class NonPositive(WindowAxis):
    """The window does not fit: the output along `axis` would be `output` <= 0."""

    kind = NON_POSITIVE


@dataclass(frozen=True, kw_only=True)
class StridedRemainder(WindowAxis):
    """A `VALID` window never reads the last `leftover` rows along `axis` (not an error)."""

    kind = STRIDED_REMAINDER
    leftover: Dim


@dataclass(frozen=True, kw_only=True)
class OutputPadding(NonPositive):
    """A transposed convolution's `output_padding` is not less than its stride along `axis`:
    refused when the layer is made (Keras 3 `BaseConvTranspose.__init__`: "`output_padding` must be
    strictly less than `strides` for all dimensions"; tf-keras 2.x and keras 2.2.4
    `Conv2DTranspose.__init__`: "Stride ... must be greater than output padding"). `output` is
    unknown: there is none. Reported by CNN005 (kind `non-positive`), like the windows."""


@dataclass(frozen=True, kw_only=True)
class Channels(ProblemDetails):
    """The kernel expects `expected` input channels (or groups that divide them); the input has `got`."""

    kind = CHANNELS
    expected: Dim
    got: Dim
    input: Shape
    kernel: Shape | None = None
    groups: int | None = None
    transpose: bool = False  # a transposed convolution's kernel is (..., out, in)


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


def _windows(x: Shape, n: int, kernel: Sequence[Dim | None], attrs: Window, op: str) -> tuple[list[Dim], list[Problem]]:
    """Apply `window` on each spatial axis; collect problems with their axis."""
    _, spatial, _ = split_channels(x, attrs.channels_first)
    strides = per_axis(attrs.strides, n, 1)
    dilations = per_axis(attrs.dilations, n, 1)
    padding = attrs.padding
    pads: Sequence[AxisPadding] = padding if isinstance(padding, list) else [padding] * n
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


CONV = declare(OpDecl("conv", ConvAttrs, conv, params=conv_params, weights=conv_weights))
DEPTHWISE_CONV = declare(OpDecl("depthwise_conv", DepthwiseAttrs, depthwise_conv, params=depthwise_params,
                                weights=depthwise_weights))
CONV_TRANSPOSE = declare(OpDecl("conv_transpose", ConvTransposeAttrs, conv_transpose, params=conv_transpose_params,
                                weights=conv_transpose_weights))
POOL = declare(OpDecl("pool", PoolAttrs, pool))
