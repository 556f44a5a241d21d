"""Ops that rearrange the axes of a tensor without computing: reshape and flatten, transpose,
added and removed axes, reductions, repeats. A target that cannot hold the values is a
`ReshapeSize` problem (`FlattenSize` for a feature map flattened to rows)."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import Dim, different, divides, equal, exact_div, never_equal, product
from cnnlint.shapes.ops.layout import norm_axis, unknown_if_none
from cnnlint.shapes.problems import FlattenSize, ReshapeSize, ReshapeUnknowns
from cnnlint.shapes.registry import (
    Formula,
    MaybeShape,
    NoAttrs,
    OpAttrs,
    OpDecl,
    ProblemDetails,
    Rank,
    Result,
    Shape,
    check_rank,
    declare,
    fail,
    rank_at_least,
)
from cnnlint.shapes.words import count, int_product, num, times, value


@dataclass(frozen=True, kw_only=True)
class ReshapeAttrs(OpAttrs):
    shape: Sequence[Dim | None] | None = None  # one entry may be -1; None: an unknown entry
    keep_batch: bool = False  # Keras `Reshape(target_shape)`: the batch axis stays


def reshape(inputs: Sequence[MaybeShape], attrs: ReshapeAttrs) -> Result:
    """Reshape to `shape`, one entry of which may be -1. Unknown entries are None."""
    src = inputs[0]
    target = attrs.shape
    if target is None:
        return Result(None)
    given = target[1:] if attrs.keep_batch else target  # Keras's target leaves out the batch axis
    unknowns = sum(1 for t in given if t is not None and t.value == -1)
    if unknowns > 1:
        return fail(ReshapeUnknowns(source=src or (), target=tuple(target), unknowns=unknowns))
    if attrs.keep_batch and src is not None and src:
        # Keras `Reshape(target_shape)`: the batch axis stays, each example is reshaped.
        one = Dim.const(1)
        sizes = [t for t in target[1:] if t is not None]
        per_example, wanted = product(src[1:]), product(sizes)
        if len(sizes) == len(target) - 1 and not any(t.value == -1 for t in sizes) \
                and never_equal(per_example, wanted) and not different(per_example, wanted):
            # Sizes no value of the symbols makes equal (a multiple of 64 is never 10); where the
            # sizes are simply different, the reshape below says more.
            return fail(ReshapeSize(source=src, target=tuple(target), total=per_example, target_total=wanted,
                                    per_example=per_example, features=wanted))
        result = reshape([(one, *src[1:])], ReshapeAttrs(shape=[one, *target[1:]]))
        if result.shape is None:
            return Result(None, tuple(
                dataclasses.replace(p, details=_with_operands(p.details, src, target)) for p in result.problems))
        return Result((src[0], *result.shape[1:]), result.problems)
    infer_at = [i for i, t in enumerate(target) if t is not None and t.value == -1]
    if src is None or len(infer_at) > 1 or any(t is None for i, t in enumerate(target) if i not in infer_at):
        return Result(tuple(Dim.unknown() if t is None or t.value == -1 else t for t in target))
    dims: list[Dim] = [t for t in target if t is not None]
    kind = FlattenSize if len(dims) == 2 and len(src) >= 3 else ReshapeSize
    total = product(src)
    per_example_src = product(src[1:]) if len(src) >= 2 else None
    per_example_tgt = product(dims[1:]) if len(dims) >= 2 else None
    if kind is FlattenSize:
        folds = _flatten_compatible(src, dims[-1])
    else:
        folds = _fold_compatible(per_example_src, per_example_tgt)
    source, written = src, tuple(target)
    if infer_at:
        at = infer_at[0]
        rest = product([d for i, d in enumerate(dims) if i != at])
        if rest.value == 0:
            return Result(None)
        if at == 0 and folds is False and (not src[0].is_const or len(src) >= 4):
            # Rows cut examples apart, when axis 0 is a batch: an unknown axis 0, or a known one of
            # a batch of feature maps (rank 4+: a fixed-size TF1 placeholder). A known axis 0 of a
            # rank-3 tensor may be one image's height (`tf.reshape(image, [-1, 64])` in a
            # `Dataset.map` function): only a total that does not divide is certain then (below).
            return fail(kind(source=source, target=written, per_example=per_example_src, features=per_example_tgt))
        inferred = exact_div(total, rest)
        if inferred is None:
            if total.value is not None and rest.value is not None:
                return fail(kind(source=source, target=written, total=total, known=rest))
            inferred = Dim.unknown()
        dims[at] = inferred
        return Result(tuple(dims))
    if different(total, product(dims)) or (folds is False and not src[0].is_const):
        return fail(kind(source=source, target=written, total=total, target_total=product(dims),
                         per_example=per_example_src, features=per_example_tgt))
    return Result(tuple(dims))


def _with_operands(details: ProblemDetails, source: Shape, target: Sequence[Dim | None]) -> ProblemDetails:
    """A per-example reshape's problem told in terms of the whole tensors."""
    if isinstance(details, ReshapeSize):
        return dataclasses.replace(details, source=source, target=tuple(target))
    return details


def _flatten_compatible(src: Shape, features: Dim) -> bool | None:
    """Whether flattening a feature map to rows of `features` values keeps axes whole.

    Rows may be whole examples (h*w*c) or, with the leading axes folded into the batch,
    rows of a whole trailing block (w*c, or c for pixels as rows in a segmentation head), or
    single values (rows of 1: a DeconvNet's unpooling by `tf.matmul(tf.reshape(x, [-1, 1]), k)`).
    A row size that is none of these cuts an axis apart: certainly a bug.
    """
    if equal(features, 1):  # `tf.reshape(x, [-1, 1])`: every value its own row, nothing is cut apart
        return True
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


def flatten(inputs: Sequence[MaybeShape], attrs: NoAttrs) -> Result:
    x = inputs[0]
    if x is None:
        return Result(None)
    return rank_at_least(x, 1) or Result((x[0], product(x[1:])))


@dataclass(frozen=True, kw_only=True)
class TransposeAttrs(OpAttrs):
    perm: Sequence[int] | None = None  # None: reverse the axes


def transpose(inputs: Sequence[MaybeShape], attrs: TransposeAttrs) -> Result:
    x, perm = inputs[0], attrs.perm
    if x is None:
        return Result(None)
    if perm is None:
        return Result(tuple(reversed(x)))
    if sorted(perm) != list(range(len(x))):
        return fail(Rank(operand="input", expected=str(len(perm)), got=len(x), shape=x))
    return Result(tuple(x[p] for p in perm))


@dataclass(frozen=True, kw_only=True)
class ExpandDimsAttrs(OpAttrs):
    axis: int | None = None


def expand_dims(inputs: Sequence[MaybeShape], attrs: ExpandDimsAttrs) -> Result:
    x, axis = inputs[0], attrs.axis
    if x is None or axis is None:
        return Result(None)
    norm = norm_axis(axis, len(x) + 1)
    if norm is None:
        return fail(Rank(operand="input", expected=f">= {abs(axis)}", got=len(x), shape=x))
    out = list(x)
    out.insert(norm, Dim.const(1))
    return Result(tuple(out))


@dataclass(frozen=True, kw_only=True)
class SqueezeAttrs(OpAttrs):
    axis: Sequence[int] | None = None  # None: every axis of size 1


def squeeze(inputs: Sequence[MaybeShape], attrs: SqueezeAttrs) -> Result:
    x, axes = inputs[0], attrs.axis
    if x is None:
        return Result(None)
    if axes is None:
        if any(d.value is None for d in x):
            return Result(None)
        return Result(tuple(d for d in x if d.value != 1))
    norm = {norm_axis(a, len(x)) for a in axes}
    if None in norm or any(x[i].value not in (None, 1) for i in norm if i is not None):
        return Result(None)  # squeezing an axis that is not 1 fails at run time: unknown, not a finding
    return Result(tuple(d for i, d in enumerate(x) if i not in norm))


@dataclass(frozen=True, kw_only=True)
class ReduceAttrs(OpAttrs):
    axis: Sequence[int] | None = None  # None: all axes
    keepdims: bool = False
    rank: int | None = None  # Keras global pooling needs a feature map of this rank
    dtype: str | None = None


def reduce(inputs: Sequence[MaybeShape], attrs: ReduceAttrs) -> Result:
    """`tf.reduce_mean` / `reduce_sum` / ... over `axis` (None: all axes)."""
    x = inputs[0]
    if x is None:
        return Result(None)
    if attrs.rank is not None:
        bad = check_rank(x, attrs.rank, "input")
        if bad:
            return bad
    axes = attrs.axis
    norm = set(range(len(x))) if axes is None else {norm_axis(a, len(x)) for a in axes}
    if None in norm:
        return Result(None)
    if attrs.keepdims:
        return Result(tuple(Dim.const(1) if i in norm else d for i, d in enumerate(x)))
    return Result(tuple(d for i, d in enumerate(x) if i not in norm))


@dataclass(frozen=True, kw_only=True)
class RepeatVectorAttrs(OpAttrs):
    n: int | None = None


def repeat_vector(inputs: Sequence[MaybeShape], attrs: RepeatVectorAttrs) -> Result:
    """Keras `RepeatVector(n)`: (batch, features) -> (batch, n, features)."""
    x = inputs[0]
    if x is None:
        return Result(None)
    return check_rank(x, 2, "input") or Result((x[0], unknown_if_none(attrs.n), x[1]))


# -- the working, for a learner (cnnlint shapes --explain) ---------------------------------------
def _sizes(dims: Sequence[Dim], first: int = 0) -> str:
    """`7 x 7 x 64`, the batch axis (at `first` == 0) written `None` where it is not known."""
    shown = [num(d, batch=first + i == 0) for i, d in enumerate(dims)]
    return " x ".join(shown)


def reshape_explain(inputs: Sequence[MaybeShape], attrs: ReshapeAttrs) -> list[Formula]:
    """The size a -1 stands for: `-1 = (None x 7 x 7 x 64) / 3136 = None`, all the values over
    the product of the sizes given beside it (per example for Keras's `Reshape`)."""
    src, target = inputs[0] if inputs else None, attrs.shape
    first = 1 if attrs.keep_batch else 0
    if src is None or target is None or any(t is None for t in target[first:]):
        return []
    dims = [Dim.unknown() if t is None else t for t in target]
    infer_at = [i for i, t in enumerate(dims) if i >= first and t.value == -1]
    if len(infer_at) != 1 or len(src) < first:
        return []
    at = infer_at[0]
    values, known = src[first:], [d for i, d in enumerate(dims[first:], start=first) if i != at]
    total, rest = int_product(values), int_product(known)
    found = None if total is None or not rest or total % rest else total // rest
    result = reshape(inputs, attrs).shape
    over = f"({_sizes(values, first)})" if len(values) > 1 else _sizes(values, first)
    by = times(known) if len(known) <= 1 else f"({times(known)})"
    if result is None:  # the values do not fill whole rows: say how many one example holds
        per_example = int_product(src[1:]) if first == 0 and len(src) > 2 and value(src[0]) is None else None
        text = f"-1 = {over} / {by or 1}, which does not come out whole" if per_example is None or rest is None else \
            f"-1 = {over} / {by}: rows of {rest} values cut examples of {times(src[1:])} = {per_example} values apart"
        return [Formula(f"axis {at}", text, at, None)]
    shown = str(found) if found is not None else num(result[at], batch=at == 0)
    return [Formula(f"axis {at}", f"-1 = {over} / {by or 1} = {shown}", at, found)]


def flatten_explain(inputs: Sequence[MaybeShape], attrs: NoAttrs) -> list[Formula]:
    """`7 x 7 x 64 = 3136`: the values of one example in a row."""
    x = inputs[0] if inputs else None
    if x is None or len(x) < 3:
        return []
    found = int_product(x[1:])
    return [Formula("features", f"{times(x[1:])} = {count(product(x[1:])) if found is None else found}", 1, found)]


RESHAPE = declare(OpDecl("reshape", ReshapeAttrs, reshape, explain=reshape_explain))
FLATTEN = declare(OpDecl("flatten", NoAttrs, flatten, explain=flatten_explain))
TRANSPOSE = declare(OpDecl("transpose", TransposeAttrs, transpose))
EXPAND_DIMS = declare(OpDecl("expand_dims", ExpandDimsAttrs, expand_dims))
SQUEEZE = declare(OpDecl("squeeze", SqueezeAttrs, squeeze))
REDUCE = declare(OpDecl("reduce", ReduceAttrs, reduce))
REPEAT_VECTOR = declare(OpDecl("repeat_vector", RepeatVectorAttrs, repeat_vector))
