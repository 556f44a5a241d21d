"""Shape functions for the framework-neutral ops that every front end translates into.

Conventions: shapes include the batch axis; `data_format` is `channels_last` (NHWC) or
`channels_first` (NCHW); spatial attributes (`strides`, `dilations`, `kernel_size`, `padding`)
hold one entry per spatial axis. An attribute that is None is unknown and makes the affected
dimensions unknown rather than wrong.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from cnnlint.shapes.dim import Dim, different, divides, equal, exact_div, non_positive, product
from cnnlint.shapes.params import weight_shapes
from cnnlint.shapes.registry import (
    CHANNELS,
    FLATTEN_SIZE,
    INNER_DIM,
    MERGE,
    NON_POSITIVE,
    RANK,
    RESHAPE_SIZE,
    STRIDED_REMAINDER,
    WEIGHT_SHAPE,
    MaybeShape,
    Problem,
    Result,
    Shape,
    fail,
    infer,
    register,
)

Attrs = Mapping[str, Any]
Padding = Any  # "SAME" | "VALID" | "CAUSAL" | (before, after)


def _unknown_if_none(value: Dim | int | None) -> Dim:
    if value is None:
        return Dim.unknown()
    return Dim.of(value)


def split_channels(shape: Shape, channels_first: bool) -> tuple[Dim, Shape, Dim]:
    """(batch, spatial dims, channels) of a feature map."""
    if channels_first:
        return shape[0], shape[2:], shape[1]
    return shape[0], shape[1:-1], shape[-1]


def join_channels(batch: Dim, spatial: Sequence[Dim], channels: Dim, channels_first: bool) -> Shape:
    if channels_first:
        return (batch, channels, *spatial)
    return (batch, *spatial, channels)


def _channels_first(attrs: Attrs) -> bool:
    return bool(attrs.get("data_format", "channels_last") == "channels_first")


def _per_axis(value: Any, n: int, default: Any) -> tuple[Any, ...]:
    if value is None:
        return (default,) * n
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,) * n


def window(
    size: Dim, kernel: Dim | None, stride: int | None, dilation: int | None, padding: Padding
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


def _windows(
    x: Shape, n: int, kernel: Sequence[Dim | None], attrs: Attrs, op_rank_name: str
) -> tuple[list[Dim], list[Problem]]:
    """Apply `window` on each spatial axis; collect problems with their axis."""
    channels_first = _channels_first(attrs)
    _, spatial, _ = split_channels(x, channels_first)
    strides = _per_axis(attrs.get("strides"), n, 1)
    dilations = _per_axis(attrs.get("dilations"), n, 1)
    padding = attrs.get("padding", "VALID")
    pads = padding if isinstance(padding, list) else [padding] * n
    out: list[Dim] = []
    problems: list[Problem] = []
    for axis in range(n):
        dim, kind, leftover = window(spatial[axis], kernel[axis], strides[axis], dilations[axis], pads[axis])
        details = {
            "axis": axis,
            "spatial_rank": n,
            "size": spatial[axis],
            "kernel": kernel[axis],
            "stride": strides[axis],
            "dilation": dilations[axis],
            "padding": pads[axis],
            "output": dim,
            "leftover": leftover,
            "op": op_rank_name,
        }
        if kind == NON_POSITIVE:
            problems.append(Problem(NON_POSITIVE, True, details))
        elif kind == STRIDED_REMAINDER:
            problems.append(Problem(STRIDED_REMAINDER, False, details))
        out.append(dim)
    return out, problems


def _check_rank(shape: Shape, expected: int, operand: str) -> Result | None:
    if len(shape) != expected:
        return fail(RANK, operand=operand, expected=str(expected), got=len(shape), shape=shape)
    return None


@register("input")
def input_(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """A tensor whose shape the code states: placeholder, variable, constant, array."""
    shape = attrs.get("shape")
    if shape is None:
        return Result(None)
    return Result(tuple(_unknown_if_none(d) for d in shape))


@register("join")
def join(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """A value that two branches of an `if` computed: the sizes both agree on, unknown elsewhere."""
    a, b = inputs[0], inputs[1]
    if a is None or b is None or len(a) != len(b):
        return Result(None)
    return Result(tuple(x if equal(x, y) else Dim.unknown() for x, y in zip(a, b, strict=True)))


@register("identity")
def identity(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Element-wise ops of one tensor (relu, dropout, batch norm, lrn, softmax, ...)."""
    x = inputs[0]
    if x is not None:
        # Spatial dropout needs a feature map of one rank; PReLU's shared axes must exist.
        rank, min_rank = attrs.get("rank"), attrs.get("min_rank")
        if rank is not None:
            return _check_rank(x, rank, "input") or Result(x)
        if min_rank is not None and len(x) < min_rank:
            return fail(RANK, operand="input", expected=f">= {min_rank}", got=len(x), shape=x)
    return Result(x)


@register("conv")
def conv(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """N-d convolution; the kernel is a tensor input `(k..., in, out)` or `kernel_size`+`filters`."""
    x = inputs[0]
    kernel = inputs[1] if len(inputs) > 1 else None
    if x is None:
        return Result(None)
    n = attrs.get("rank") or len(x) - 2
    if n < 1:
        return fail(RANK, operand="input", expected=">= 3", got=len(x), shape=x)
    bad = _check_rank(x, n + 2, "input")
    if bad:
        return bad
    channels_first = _channels_first(attrs)
    batch, _, c_in = split_channels(x, channels_first)
    groups = attrs.get("groups", 1) or 1
    if kernel is not None:
        bad = _check_rank(kernel, n + 2, "kernel")
        if bad:
            return bad
        ksize: list[Dim | None] = list(kernel[:n])
        k_in, c_out = kernel[n], kernel[n + 1]
        if divides(k_in, c_in) is False:
            return fail(CHANNELS, expected=k_in, got=c_in, kernel=kernel, input=x)
    else:
        ksize = [None if k is None else Dim.of(k) for k in _per_axis(attrs.get("kernel_size"), n, None)]
        c_out = _unknown_if_none(attrs.get("filters"))
        if groups > 1 and divides(Dim.const(groups), c_in) is False:
            return fail(CHANNELS, expected=Dim.const(groups), got=c_in, groups=groups, input=x)
    spatial, problems = _windows(x, n, ksize, attrs, "conv")
    if any(p.fatal for p in problems):
        return Result(None, tuple(problems))
    return Result(join_channels(batch, spatial, c_out, channels_first), tuple(problems))


@register("depthwise_conv")
def depthwise_conv(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Depthwise convolution; kernel `(k..., in, multiplier)` or `kernel_size`+`depth_multiplier`."""
    x = inputs[0]
    kernel = inputs[1] if len(inputs) > 1 else None
    if x is None:
        return Result(None)
    n = attrs.get("rank") or 2
    bad = _check_rank(x, n + 2, "input")
    if bad:
        return bad
    channels_first = _channels_first(attrs)
    batch, _, c_in = split_channels(x, channels_first)
    if kernel is not None:
        bad = _check_rank(kernel, n + 2, "kernel")
        if bad:
            return bad
        ksize: list[Dim | None] = list(kernel[:n])
        if different(kernel[n], c_in):
            return fail(CHANNELS, expected=kernel[n], got=c_in, kernel=kernel, input=x)
        multiplier = kernel[n + 1]
    else:
        ksize = [None if k is None else Dim.of(k) for k in _per_axis(attrs.get("kernel_size"), n, None)]
        multiplier = _unknown_if_none(attrs.get("depth_multiplier", 1))
    spatial, problems = _windows(x, n, ksize, attrs, "conv")
    if any(p.fatal for p in problems):
        return Result(None, tuple(problems))
    return Result(join_channels(batch, spatial, c_in * multiplier, channels_first), tuple(problems))


@register("pool")
def pool(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Max or average pooling over `pool_size` windows; channels are kept."""
    x = inputs[0]
    if x is None:
        return Result(None)
    n = attrs.get("rank") or len(x) - 2
    if n < 1:
        return fail(RANK, operand="input", expected=">= 3", got=len(x), shape=x)
    bad = _check_rank(x, n + 2, "input")
    if bad:
        return bad
    channels_first = _channels_first(attrs)
    batch, _, channels = split_channels(x, channels_first)
    ksize = [None if k is None else Dim.of(k) for k in _per_axis(attrs.get("pool_size"), n, None)]
    spatial, problems = _windows(x, n, ksize, attrs, "pool")
    if any(p.fatal for p in problems):
        return Result(None, tuple(problems))
    return Result(join_channels(batch, spatial, channels, channels_first), tuple(problems))


@register("conv_transpose")
def conv_transpose(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Transposed convolution with an explicit `output_shape` and kernel `(k..., out, in)`."""
    x = inputs[0]
    kernel = inputs[1] if len(inputs) > 1 else None
    if x is None:
        return Result(None)
    n = attrs.get("rank") or len(x) - 2
    bad = _check_rank(x, n + 2, "input")
    if bad:
        return bad
    channels_first = _channels_first(attrs)
    _, _, c_in = split_channels(x, channels_first)
    if kernel is not None:
        bad = _check_rank(kernel, n + 2, "kernel")
        if bad:
            return bad
        if different(kernel[n + 1], c_in):
            return fail(CHANNELS, expected=kernel[n + 1], got=c_in, kernel=kernel, input=x, transpose=True)
    output_shape = attrs.get("output_shape")
    if output_shape is not None:
        return Result(tuple(_unknown_if_none(d) for d in output_shape))
    if attrs.get("kernel_size") is None:
        return Result(None)
    batch, spatial, _ = split_channels(x, channels_first)
    kernel_size = _per_axis(attrs["kernel_size"], n, None)
    strides = _per_axis(attrs.get("strides"), n, 1)
    dilations = _per_axis(attrs.get("dilations"), n, 1)
    out_pads = _per_axis(attrs.get("output_padding"), n, None)
    out = [
        transposed_window(spatial[i], kernel_size[i], strides[i], dilations[i], attrs.get("padding"), out_pads[i])
        for i in range(n)
    ]
    problems = tuple(
        Problem(NON_POSITIVE, True, {"axis": i, "spatial_rank": n, "size": spatial[i], "output": dim,
                                     "op": "conv_transpose", "shape": x, "kernel": kernel_size[i],
                                     "stride": strides[i], "output_padding": out_pads[i]})
        for i, dim in enumerate(out) if non_positive(dim)
    )
    if problems:
        return Result(None, problems)
    return Result(join_channels(batch, out, _unknown_if_none(attrs.get("filters")), channels_first))


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


def _reshape_fail(kind: str, src: Shape, target: Sequence[Dim | None], **details: Any) -> Result:
    return fail(kind, source=src, target=tuple(target), **details)


@register("reshape")
def reshape(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Reshape to `shape`, one entry of which may be -1. Unknown entries are None."""
    src = inputs[0]
    target: Sequence[Dim | None] | None = attrs.get("shape")
    if target is None:
        return Result(None)
    if attrs.get("keep_batch") and src is not None and src:
        # Keras `Reshape(target_shape)`: the batch axis stays, each example is reshaped.
        one = Dim.const(1)
        result = reshape([(one, *src[1:])], {"shape": [one, *target[1:]]})
        if result.shape is None:
            return Result(None, tuple(
                Problem(p.kind, p.fatal, {**p.details, "source": src, "target": tuple(target)})
                for p in result.problems))
        return Result((src[0], *result.shape[1:]), result.problems)
    infer_at = [i for i, t in enumerate(target) if t is not None and t.value == -1]
    if src is None or len(infer_at) > 1 or any(t is None for i, t in enumerate(target) if i not in infer_at):
        return Result(tuple(Dim.unknown() if t is None or t.value == -1 else t for t in target))
    dims: list[Dim] = [t for t in target if t is not None]
    kind = FLATTEN_SIZE if len(dims) == 2 and len(src) >= 3 else RESHAPE_SIZE
    total = product(src)
    per_example_src = product(src[1:]) if len(src) >= 2 else None
    per_example_tgt = product(dims[1:]) if len(dims) >= 2 else None
    if kind == FLATTEN_SIZE:
        folds = _flatten_compatible(src, dims[-1])
    else:
        folds = _fold_compatible(per_example_src, per_example_tgt)
    if infer_at:
        at = infer_at[0]
        rest = product([d for i, d in enumerate(dims) if i != at])
        if rest.value == 0:
            return Result(None)
        if at == 0 and folds is False:
            return _reshape_fail(
                kind, src, target, per_example=per_example_src, features=per_example_tgt
            )
        inferred = exact_div(total, rest)
        if inferred is None:
            if total.value is not None and rest.value is not None:
                return _reshape_fail(kind, src, target, total=total, known=rest)
            inferred = Dim.unknown()
        dims[at] = inferred
        return Result(tuple(dims))
    if different(total, product(dims)) or (folds is False and not src[0].is_const):
        return _reshape_fail(
            kind, src, target, total=total, target_total=product(dims),
            per_example=per_example_src, features=per_example_tgt,
        )
    return Result(tuple(dims))


def _flatten_compatible(src: Shape, features: Dim) -> bool | None:
    """Whether flattening a feature map to rows of `features` values keeps axes whole.

    Rows may be whole examples (h*w*c) or, with the leading axes folded into the batch,
    rows of a whole trailing block (w*c, or c for pixels as rows in a segmentation head).
    A row size that is none of these cuts an axis apart: certainly a bug.
    """
    suffixes = [product(src[i:]) for i in range(1, len(src))]
    if any(equal(features, s) for s in suffixes):
        return True
    if all(different(features, s) for s in suffixes):
        return False
    return None


def _fold_compatible(per_src: Dim | None, per_tgt: Dim | None) -> bool | None:
    """Whether rows of the target can be whole examples, parts of one, or several together.

    A reshape that keeps the batch axis leading is fine when the per-example sizes are equal,
    or when one divides the other (pixels as rows, as in segmentation heads). Neither dividing
    the other means examples are cut apart: certainly a bug.
    """
    if per_src is None or per_tgt is None:
        return None
    if equal(per_src, per_tgt):
        return True
    one, other = divides(per_tgt, per_src), divides(per_src, per_tgt)
    if one is False and other is False:
        return False
    return None if one is None or other is None else True


@register("flatten")
def flatten(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    x = inputs[0]
    if x is None:
        return Result(None)
    if len(x) < 1:
        return fail(RANK, operand="input", expected=">= 1", got=len(x), shape=x)
    return Result((x[0], product(x[1:])))


@register("matmul")
def matmul(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """`a @ b` for rank >= 2 operands, with optional transposes."""
    a, b = inputs[0], inputs[1]
    if a is None or b is None:
        return Result(None)
    for operand, shape in (("left", a), ("right", b)):
        if len(shape) < 2:
            return fail(RANK, operand=operand, expected=">= 2", got=len(shape), shape=shape)
    ta, tb = attrs.get("transpose_a", False), attrs.get("transpose_b", False)
    rows, features = (a[-1], a[-2]) if ta else (a[-2], a[-1])
    expected, cols = (b[-1], b[-2]) if tb else (b[-2], b[-1])
    if different(features, expected):
        return fail(INNER_DIM, features=features, expected=expected, left=a, right=b)
    batch = a[:-2] if len(a) >= len(b) else b[:-2]
    return Result((*batch, rows, cols))


@register("dense")
def dense(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """A fully connected layer on the last axis; `in_features` is the size the code states."""
    x = inputs[0]
    if x is None:
        return Result(None)
    if len(x) < 2:
        return fail(RANK, operand="input", expected=">= 2", got=len(x), shape=x)
    stated = attrs.get("in_features")
    out = (*x[:-1], _unknown_if_none(attrs.get("units")))
    if stated is not None and different(x[-1], stated):
        if attrs.get("stated_only"):  # a size the author wrote down but the framework ignores
            return Result(out, (Problem(INNER_DIM, False, {"features": x[-1], "expected": Dim.of(stated), "left": x}),))
        return fail(INNER_DIM, features=x[-1], expected=Dim.of(stated), left=x)
    return Result(out)


def broadcast_dims(a: Dim, b: Dim) -> Dim | None:
    """The broadcast of two dimensions, None when they certainly cannot broadcast."""
    if equal(a, b) or a.value == 1:
        return b
    if b.value == 1:
        return a
    a_not_one = a.value is not None or different(a, 1)
    b_not_one = b.value is not None or different(b, 1)
    if a_not_one and b_not_one and different(a, b):
        return None
    if a.value is not None:
        return a
    if b.value is not None:
        return b
    return Dim.unknown()


@register("broadcast")
def broadcast(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Element-wise binary ops with NumPy broadcasting (`+`, `tf.add`, `tf.multiply`, ...)."""
    if any(s is None for s in inputs):
        return Result(None)
    shapes: list[Shape] = [s for s in inputs if s is not None]
    out: list[Dim] = []
    rank = max(len(s) for s in shapes)
    for axis in range(-rank, 0):
        dims = [s[axis] for s in shapes if len(s) >= -axis]
        acc = dims[0]
        for d in dims[1:]:
            joined = broadcast_dims(acc, d)
            if joined is None:
                return fail(MERGE, shapes=tuple(shapes), axis=axis, op=attrs.get("fn", "add"))
            acc = joined
        out.append(acc)
    return Result(tuple(out))


@register("bias_add")
def bias_add(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    x, bias = inputs[0], inputs[1]
    if x is None or bias is None:
        return Result(x)
    if len(bias) != 1:
        return fail(RANK, operand="bias", expected="1", got=len(bias), shape=bias)
    if len(x) < 2:
        return fail(RANK, operand="input", expected=">= 2", got=len(x), shape=x)
    channels = x[1] if _channels_first(attrs) else x[-1]
    if different(channels, bias[0]):
        return fail(MERGE, shapes=(x, bias), axis=1 if _channels_first(attrs) else -1, op="bias_add")
    return Result(x)


def _norm_axis(axis: int, rank: int) -> int | None:
    if -rank <= axis < rank:
        return axis % rank
    return None


@register("concat")
def concat(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    if any(s is None for s in inputs) or not inputs:
        return Result(None)
    shapes: list[Shape] = [s for s in inputs if s is not None]
    rank = len(shapes[0])
    if any(len(s) != rank for s in shapes):
        return fail(MERGE, shapes=tuple(shapes), axis=None, op="concat", reason="rank")
    axis = attrs.get("axis")
    if axis is None:
        return Result(None)
    norm = _norm_axis(axis, rank)
    if norm is None:
        return fail(RANK, operand="input", expected=f"> {axis if axis >= 0 else -axis - 1}", got=rank,
                    shape=shapes[0])
    out = list(shapes[0])
    for s in shapes[1:]:
        for i in range(rank):
            if i != norm and different(out[i], s[i]):
                return fail(MERGE, shapes=tuple(shapes), axis=i, op="concat")
        out[norm] = out[norm] + s[norm]
    return Result(tuple(out))


@register("transpose")
def transpose(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    x = inputs[0]
    if x is None:
        return Result(None)
    perm = attrs.get("perm")
    if perm is None:
        return Result(tuple(reversed(x)))
    if sorted(perm) != list(range(len(x))):
        return fail(RANK, operand="input", expected=str(len(perm)), got=len(x), shape=x)
    return Result(tuple(x[p] for p in perm))


@register("expand_dims")
def expand_dims(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    x = inputs[0]
    axis = attrs.get("axis")
    if x is None or axis is None:
        return Result(None)
    norm = _norm_axis(axis, len(x) + 1)
    if norm is None:
        return fail(RANK, operand="input", expected=f">= {abs(axis)}", got=len(x), shape=x)
    out = list(x)
    out.insert(norm, Dim.const(1))
    return Result(tuple(out))


@register("squeeze")
def squeeze(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    x = inputs[0]
    if x is None:
        return Result(None)
    axes = attrs.get("axis")
    if axes is None:
        if any(d.value is None for d in x):
            return Result(None)
        return Result(tuple(d for d in x if d.value != 1))
    norm = {_norm_axis(a, len(x)) for a in axes}
    if None in norm or any(x[i].value not in (None, 1) for i in norm if i is not None):
        return Result(None)  # squeezing an axis that is not 1 fails at run time: unknown, not a finding
    return Result(tuple(d for i, d in enumerate(x) if i not in norm))


@register("pad")
def pad(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """`tf.pad` with one (before, after) pair per axis."""
    x = inputs[0]
    paddings = attrs.get("paddings")
    if x is None or paddings is None:
        return Result(None)
    bad = _check_rank(x, len(paddings), "input")
    if bad:
        return bad
    return Result(tuple(d + before + after for d, (before, after) in zip(x, paddings, strict=True)))


@register("reduce")
def reduce(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """`tf.reduce_mean` / `reduce_sum` / ... over `axis` (None: all axes)."""
    x = inputs[0]
    if x is None:
        return Result(None)
    rank = attrs.get("rank")
    if rank is not None:
        bad = _check_rank(x, rank, "input")
        if bad:
            return bad
    axes = attrs.get("axis")
    keep = attrs.get("keepdims", False)
    norm = set(range(len(x))) if axes is None else {_norm_axis(a, len(x)) for a in axes}
    if None in norm:
        return Result(None)
    if keep:
        return Result(tuple(Dim.const(1) if i in norm else d for i, d in enumerate(x)))
    return Result(tuple(d for i, d in enumerate(x) if i not in norm))


def _feature_map(inputs: Sequence[MaybeShape], attrs: Attrs, key: str) -> tuple[Shape, list[Any]] | Result:
    """The input and the per-spatial-axis attribute `key` of a layout-aware op, or the early result."""
    x = inputs[0]
    per_axis = attrs.get(key)
    if x is None or per_axis is None:
        return Result(None)
    return _check_rank(x, len(per_axis) + 2, "input") or (x, list(per_axis))


@register("upsample")
def upsample(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Nearest/bilinear up-sampling by an integer factor per spatial axis."""
    found = _feature_map(inputs, attrs, "size")
    if isinstance(found, Result):
        return found
    x, factors = found
    channels_first = _channels_first(attrs)
    batch, spatial, channels = split_channels(x, channels_first)
    return Result(join_channels(batch, [d * f for d, f in zip(spatial, factors, strict=True)], channels,
                                channels_first))


@register("crop")
def crop(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Cropping (before, after) rows off each spatial axis."""
    found = _feature_map(inputs, attrs, "cropping")
    if isinstance(found, Result):
        return found
    x, cropping = found
    n = len(cropping)
    channels_first = _channels_first(attrs)
    batch, spatial, channels = split_channels(x, channels_first)
    out: list[Dim] = []
    problems: list[Problem] = []
    for axis, (size, (before, after)) in enumerate(zip(spatial, cropping, strict=True)):
        dim = size - before - after
        if non_positive(dim):
            problems.append(Problem(NON_POSITIVE, True, {
                "axis": axis, "spatial_rank": n, "size": size, "output": dim, "op": "crop", "shape": x,
            }))
        out.append(dim)
    if problems:
        return Result(None, tuple(problems))
    return Result(join_channels(batch, out, channels, channels_first))


@register("repeat_vector")
def repeat_vector(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Keras `RepeatVector(n)`: (batch, features) -> (batch, n, features)."""
    x = inputs[0]
    if x is None:
        return Result(None)
    return _check_rank(x, 2, "input") or Result((x[0], _unknown_if_none(attrs.get("n")), x[1]))


@register("embedding")
def embedding(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """A lookup table: every index in the input becomes a vector of `output_dim` values."""
    x = inputs[0]
    if x is None:
        return Result(None)
    return Result((*x, _unknown_if_none(attrs.get("output_dim"))))


@register("resize")
def resize(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Image resizing or cropping to a fixed (height, width); batch and channels are kept."""
    found = _feature_map(inputs, attrs, "size")
    if isinstance(found, Result):
        return found
    x, size = found
    channels_first = _channels_first(attrs)
    batch, _, channels = split_channels(x, channels_first)
    return Result(join_channels(batch, [_unknown_if_none(d) for d in size], channels, channels_first))


@register("set_weights")
def set_weights(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Weights handed to a layer (`set_weights`, `weights=`): input 0 is what the layer was applied to."""
    given = inputs[1:]
    expected = weight_shapes(attrs["layer_op"], inputs[:1], attrs["layer_attrs"])
    if expected is None or any(g is None for g in given):
        return Result(None)
    if len(given) != len(expected):
        return fail(WEIGHT_SHAPE, given=tuple(given), expected=tuple(expected), count=True)
    for i, (g, e) in enumerate(zip(given, expected, strict=True)):
        if g is not None and (len(g) != len(e) or any(different(a, b) for a, b in zip(g, e, strict=True))):
            return fail(WEIGHT_SHAPE, given=tuple(given), expected=tuple(expected), index=i)
    return Result(None)


@register("rnn")
def rnn(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """A recurrent layer over (batch, steps, features): the last output or one per step."""
    x = inputs[0]
    if x is None:
        return Result(None)
    bad = _check_rank(x, 3, "input")
    if bad:
        return bad
    units = _unknown_if_none(attrs.get("output_units", attrs.get("units")))
    return Result((x[0], x[1], units) if attrs.get("return_sequences") else (x[0], units))


@register("time_distributed")
def time_distributed(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """`TimeDistributed(layer)`: the inner op on every step of (batch, steps, ...)."""
    x = inputs[0]
    if x is None:
        return Result(None)
    if len(x) < 3:
        return fail(RANK, operand="input", expected=">= 3", got=len(x), shape=x)
    inner = infer(attrs["inner_op"], [(x[0], *x[2:])], attrs["inner_attrs"])
    if inner.shape is None:
        return Result(None, inner.problems)
    return Result((x[0], x[1], *inner.shape[1:]), inner.problems)


# -- data: NumPy / TensorFlow array ops and input pipelines ------------------------------------
FULL_SLICE = ("slice", None, None, None)


@register("index")
def index(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """`x[key]` as NumPy and TensorFlow index: integers, slices, `None`, `...`, index arrays, masks.

    `key` items: ("int", i or None), ("slice", start, stop, step), ("slice?",) (unknown bounds),
    ("new",), ("...",), ("array", k) and ("mask", k) (input k is an integer index array or a
    boolean mask; k may instead be the shape of a literal list). An index that fails at run time
    (out of range, a mask of the wrong shape) makes the result unknown, never a problem.
    """
    x = inputs[0]
    key = attrs.get("key")
    if x is None or key is None:
        return Result(None)
    return Result(_index(x, key, inputs))


def _index(x: Shape, key: Sequence[tuple[Any, ...]], inputs: Sequence[MaybeShape]) -> MaybeShape:
    consumed = 0
    for item in key:
        if item[0] in ("array", "mask"):
            operand = _operand(item, inputs)
            if operand is None or (item[0] == "mask" and not operand):
                return None
            consumed += len(operand) if item[0] == "mask" else 1
        elif item[0] in ("int", "slice", "slice?"):
            consumed += 1
    ellipses = sum(1 for item in key if item[0] == "...")
    if ellipses > 1 or consumed > len(x):
        return None
    items: list[tuple[Any, ...]] = []
    for item in key:
        items.extend([FULL_SLICE] * (len(x) - consumed) if item[0] == "..." else [item])
    if not ellipses:
        items.extend([FULL_SLICE] * (len(x) - consumed))
    advanced = any(item[0] in ("array", "mask") for item in items)
    parts: list[tuple[Dim, ...] | None] = []  # None: the place of an advanced (array) index
    picked: list[Shape] = []
    axis = 0
    for item in items:
        kind = item[0]
        if kind == "new":
            parts.append((Dim.const(1),))
            continue
        if kind == "mask":
            mask = _operand(item, inputs)
            assert mask is not None
            if any(different(a, b) for a, b in zip(mask, x[axis:axis + len(mask)], strict=True)):
                return None
            axis += len(mask)
            parts.append(None)
            picked.append((Dim.unknown(),))  # as many as the mask has True values
            continue
        size = x[axis]
        axis += 1
        if kind == "int":
            at, n = item[1], size.value
            if at is not None and n is not None and not -n <= at < n:
                return None
            if advanced:  # with index arrays, integers are advanced indices too (broadcast as scalars)
                parts.append(None)
                picked.append(())
        elif kind == "array":
            parts.append(None)
            picked.append(_operand(item, inputs) or ())
        else:
            length = _slice_length(size, item)
            if length is None:
                return None
            parts.append((length,))
    if not picked:
        return tuple(d for part in parts if part is not None for d in part)
    joined = broadcast(picked, {}).shape
    if joined is None:
        return None
    at = [i for i, part in enumerate(parts) if part is None]
    basic = [d for part in parts if part is not None for d in part]
    if at != list(range(at[0], at[-1] + 1)):  # separated advanced indices: their axes come first
        return (*joined, *basic)
    before = [d for part in parts[:at[0]] if part is not None for d in part]
    return (*before, *joined, *basic[len(before):])


def _operand(item: tuple[Any, ...], inputs: Sequence[MaybeShape]) -> MaybeShape:
    """The shape of an index array or mask: an input of the op, or the shape of a literal list."""
    ref = item[1]
    return ref if isinstance(ref, tuple) else inputs[ref]


def _slice_length(size: Dim, item: tuple[Any, ...]) -> Dim | None:
    """The length of `start:stop:step` on an axis of `size`, clamped like Python; None if it fails."""
    if item[0] == "slice?":
        return Dim.unknown()
    start, stop, step = item[1:]
    if step == 0:
        return None
    n = size.value
    if n is not None:
        try:
            return Dim.const(len(range(*slice(start, stop, step).indices(max(n, 0)))))
        except OverflowError:
            return Dim.unknown()
    whole = start in (None, 0) and stop is None and step in (None, 1)
    reversed_whole = start is None and stop is None and step == -1
    return size if whole or reversed_whole else Dim.unknown()


@register("compare")
def compare(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Element-wise comparisons (`y == 3`): a boolean array of the broadcast shape; never a problem."""
    return Result(broadcast(inputs, attrs).shape)


@register("stack")
def stack(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """`np.stack` / `tf.stack`: arrays of one shape joined along a new axis `axis`.

    Arrays of different shapes fail at run time: the result is unknown (no rule reports it).
    """
    axis = attrs.get("axis")
    if not inputs or axis is None or any(s is None for s in inputs):
        return Result(None)
    shapes: list[Shape] = [s for s in inputs if s is not None]
    out = list(shapes[0])
    for s in shapes[1:]:
        if len(s) != len(out) or any(different(a, b) for a, b in zip(out, s, strict=True)):
            return Result(None)
        out = [a if a.value is not None else b for a, b in zip(out, s, strict=True)]
    at = _norm_axis(axis, len(out) + 1)
    if at is None:
        return Result(None)
    out.insert(at, Dim.const(len(shapes)))
    return Result(tuple(out))


@register("vstack")
def vstack(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """`np.vstack`: a 1-D array of n values is a row (1, n); then joined on axis 0."""
    if not inputs or any(s is None for s in inputs):
        return Result(None)
    one = Dim.const(1)
    rows: list[MaybeShape] = [(one, one) if not s else (one, s[0]) if len(s) == 1 else s
                              for s in inputs if s is not None]
    return concat(rows, {"axis": 0})


@register("hstack")
def hstack(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """`np.hstack`: 1-D arrays are joined end to end (axis 0), others along axis 1."""
    if not inputs or any(s is None for s in inputs):
        return Result(None)
    arrays: list[MaybeShape] = [s if s else (Dim.const(1),) for s in inputs if s is not None]
    first = arrays[0]
    return concat(arrays, {"axis": 0 if first is not None and len(first) == 1 else 1})


@register("batch")
def batch(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """`Dataset.batch(n)`: each element gains a leading axis, `size` (unknown when the last batch may be short)."""
    x = inputs[0]
    if x is None:
        return Result(None)
    return Result((_unknown_if_none(attrs.get("size")), *x))


@register("to_categorical")
def to_categorical(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Keras `to_categorical(y, num_classes)`: one-hot values on a new last axis, a trailing axis of 1 replaced.

    `legacy` (Keras 1 / early Keras 2 `np_utils`, which flattened `y` first): known only where
    both behaviours agree, for labels of shape (n,) or (n, 1).
    """
    y = inputs[0]
    if y is None:
        return Result(None)
    classes = _unknown_if_none(attrs.get("num_classes"))
    if attrs.get("legacy"):
        if len(y) == 1 or (len(y) == 2 and y[1].value == 1):
            return Result((y[0], classes))
        return Result(None)
    if len(y) > 1:
        last = y[-1].value
        if last is None:
            return Result(None)
        if last == 1:
            y = y[:-1]
    return Result((*y, classes))


@register("pad_sequences")
def pad_sequences(inputs: Sequence[MaybeShape], attrs: Attrs) -> Result:
    """Keras `pad_sequences(sequences, maxlen)`: (number of sequences, maxlen, ...); without `maxlen` (`given`
    false) the longest sequence decides, known only for a rectangular array."""
    x = inputs[0]
    if not x:
        return Result(None)
    maxlen = attrs.get("maxlen")
    if len(x) == 1 or attrs.get("given"):
        return Result((x[0], _unknown_if_none(maxlen), *x[2:]))
    return Result(x)
