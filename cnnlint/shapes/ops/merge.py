"""Ops of several tensors that must agree: element-wise ops with NumPy broadcasting, a bias added
per channel, concatenation. Tensors that cannot be joined are a `Merge` problem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import Dim, different, equal
from cnnlint.shapes.ops.layout import Layout, norm_axis
from cnnlint.shapes.problems import Merge
from cnnlint.shapes.registry import (
    Formula,
    MaybeShape,
    OpAttrs,
    OpDecl,
    Rank,
    Result,
    Shape,
    declare,
    fail,
    rank_at_least,
)
from cnnlint.shapes.words import count, int_sum, num, value


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


@dataclass(frozen=True, kw_only=True)
class BroadcastAttrs(OpAttrs):
    fn: str = "add"  # as the user wrote it: `+`, `tf.multiply`, `Add`, ...
    dtype: str | None = None  # "int" where both operands are integers


def broadcast(inputs: Sequence[MaybeShape], attrs: BroadcastAttrs) -> Result:
    """Element-wise binary ops with NumPy broadcasting (`+`, `tf.add`, `tf.multiply`, ...)."""
    if any(s is None for s in inputs):
        return Result(None)
    shapes: list[Shape] = [s for s in inputs if s is not None]
    if not shapes:
        return Result(None)  # no tensor operand (a comparison of values that are not tensors)
    out: list[Dim] = []
    rank = max(len(s) for s in shapes)
    for axis in range(-rank, 0):
        dims = [s[axis] for s in shapes if len(s) >= -axis]
        acc = dims[0]
        for d in dims[1:]:
            joined = broadcast_dims(acc, d)
            if joined is None:
                return fail(Merge(op=attrs.fn, shapes=tuple(shapes), axis=axis))
            acc = joined
        out.append(acc)
    return Result(tuple(out))


def bias_add(inputs: Sequence[MaybeShape], attrs: Layout) -> Result:
    x, bias = inputs[0], inputs[1]
    if x is None or bias is None:
        return Result(x)
    if len(bias) != 1:
        return fail(Rank(operand="bias", expected="1", got=len(bias), shape=bias))
    bad = rank_at_least(x, 2)
    if bad:
        return bad
    first = attrs.channels_first
    channels = x[1] if first else x[-1]
    if different(channels, bias[0]):
        return fail(Merge(op="bias_add", shapes=(x, bias), axis=1 if first else -1))
    return Result(x)


@dataclass(frozen=True, kw_only=True)
class AxisAttrs(OpAttrs):
    axis: int | None = None


def concat(inputs: Sequence[MaybeShape], attrs: AxisAttrs) -> Result:
    if any(s is None for s in inputs) or not inputs:
        return Result(None)
    shapes: list[Shape] = [s for s in inputs if s is not None]
    rank = len(shapes[0])
    if any(len(s) != rank for s in shapes):
        return fail(Merge(op="concat", shapes=tuple(shapes), axis=None, reason="rank"))
    axis = attrs.axis
    if axis is None:
        return Result(None)
    norm = norm_axis(axis, rank)
    if norm is None:
        return fail(Rank(operand="input", expected=f"> {axis if axis >= 0 else -axis - 1}", got=rank,
                         shape=shapes[0]))
    out = list(shapes[0])
    for s in shapes[1:]:
        for i in range(rank):
            if i != norm and different(out[i], s[i]):
                return fail(Merge(op="concat", shapes=tuple(shapes), axis=i))
        out[norm] = out[norm] + s[norm]
    return Result(tuple(out))


def concat_explain(inputs: Sequence[MaybeShape], attrs: AxisAttrs) -> list[Formula]:
    """`32 + 64 = 96`: the sizes along the joined axis add up."""
    if not inputs or any(s is None for s in inputs) or attrs.axis is None:
        return []
    shapes = [s for s in inputs if s is not None]
    rank = len(shapes[0])
    at = norm_axis(attrs.axis, rank)
    if at is None or any(len(s) != rank or any(different(s[i], shapes[0][i]) for i in range(rank) if i != at)
                         for s in shapes):
        return []  # joined along another axis than where they differ: nothing adds up
    sizes = [s[at] for s in shapes]
    total = sizes[0]
    for d in sizes[1:]:
        total = total + d
    found = int_sum([value(d) for d in sizes])
    shown = count(total) if found is None else str(found)
    return [Formula(f"axis {at}", " + ".join(num(d, batch=at == 0) for d in sizes) + f" = {shown}", at, found)]


BROADCAST = declare(OpDecl("broadcast", BroadcastAttrs, broadcast))
BIAS_ADD = declare(OpDecl("bias_add", Layout, bias_add))
CONCAT = declare(OpDecl("concat", AxisAttrs, concat, explain=concat_explain))
