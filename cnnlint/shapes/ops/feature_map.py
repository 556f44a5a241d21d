"""Ops that change the spatial size of a feature map without a window: up-sampling, cropping,
resizing, and padding (`tf.pad`, Keras `ZeroPadding`)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import Dim, non_positive
from cnnlint.shapes.ops.layout import Layout, join_channels, split_channels, unknown_if_none
from cnnlint.shapes.problems import NonPositive
from cnnlint.shapes.registry import Formula, MaybeShape, OpAttrs, OpDecl, Problem, Result, check_rank, declare
from cnnlint.shapes.words import count, num, spatial_name, value


@dataclass(frozen=True, kw_only=True)
class UpsampleAttrs(Layout):
    size: Sequence[int] | None = None  # the factor per spatial axis


def upsample(inputs: Sequence[MaybeShape], attrs: UpsampleAttrs) -> Result:
    """Nearest/bilinear up-sampling by an integer factor per spatial axis."""
    x, factors = inputs[0], attrs.size
    if x is None or factors is None:
        return Result(None)
    bad = check_rank(x, len(factors) + 2, "input")
    if bad:
        return bad
    batch, spatial, channels = split_channels(x, attrs.channels_first)
    out = [d * f for d, f in zip(spatial, factors, strict=True)]
    return Result(join_channels(batch, out, channels, attrs.channels_first))


@dataclass(frozen=True, kw_only=True)
class CropAttrs(Layout):
    cropping: Sequence[tuple[int, int]] | None = None  # (before, after) per spatial axis


def crop(inputs: Sequence[MaybeShape], attrs: CropAttrs) -> Result:
    """Cropping (before, after) rows off each spatial axis."""
    x, cropping = inputs[0], attrs.cropping
    if x is None or cropping is None:
        return Result(None)
    bad = check_rank(x, len(cropping) + 2, "input")
    if bad:
        return bad
    n = len(cropping)
    batch, spatial, channels = split_channels(x, attrs.channels_first)
    out: list[Dim] = []
    problems: list[Problem] = []
    for axis, (size, (before, after)) in enumerate(zip(spatial, cropping, strict=True)):
        dim = size - before - after
        if non_positive(dim):
            problems.append(Problem(NonPositive(op="crop", axis=axis, spatial_rank=n, size=size, output=dim, shape=x)))
        out.append(dim)
    if problems:
        return Result(None, tuple(problems))
    return Result(join_channels(batch, out, channels, attrs.channels_first))


@dataclass(frozen=True, kw_only=True)
class ResizeAttrs(Layout):
    size: Sequence[int | None] | None = None  # (height, width)


def resize(inputs: Sequence[MaybeShape], attrs: ResizeAttrs) -> Result:
    """Image resizing or cropping to a fixed (height, width); batch and channels are kept."""
    x, size = inputs[0], attrs.size
    if x is None or size is None:
        return Result(None)
    if len(x) == len(size) + 1:
        # One image without a batch axis (`ds.map(lambda x, y: (Resizing(224, 224)(x), y))`): Keras's
        # Resizing / CenterCrop / RandomCrop and `tf.image.resize` take it and keep it unbatched.
        sized = [unknown_if_none(d) for d in size]
        return Result((x[0], *sized) if attrs.channels_first else (*sized, x[-1]))
    bad = check_rank(x, len(size) + 2, "input")
    if bad:
        return bad
    batch, _, channels = split_channels(x, attrs.channels_first)
    return Result(join_channels(batch, [unknown_if_none(d) for d in size], channels, attrs.channels_first))


@dataclass(frozen=True, kw_only=True)
class PadAttrs(OpAttrs):
    paddings: Sequence[tuple[int, int]] | None = None  # (before, after) per axis, batch and channels included


def pad(inputs: Sequence[MaybeShape], attrs: PadAttrs) -> Result:
    """`tf.pad` with one (before, after) pair per axis."""
    x, paddings = inputs[0], attrs.paddings
    if x is None or paddings is None:
        return Result(None)
    bad = check_rank(x, len(paddings), "input")
    if bad:
        return bad
    return Result(tuple(d + before + after for d, (before, after) in zip(x, paddings, strict=True)))


# -- the working, for a learner (cnnlint shapes --explain) ---------------------------------------
def _spatial(x: MaybeShape, n: int, attrs: Layout) -> list[tuple[str, int, Dim]]:
    """(name, output axis, size) of each spatial axis of a feature map of `n` spatial axes."""
    if x is None or len(x) != n + 2:
        return []
    first = 2 if attrs.channels_first else 1
    return [(spatial_name(i, n), first + i, x[first + i]) for i in range(n)]


def upsample_explain(inputs: Sequence[MaybeShape], attrs: UpsampleAttrs) -> list[Formula]:
    factors = attrs.size or ()
    out: list[Formula] = []
    for (name, at, size), factor in zip(_spatial(inputs[0], len(factors), attrs), factors, strict=False):
        n = value(size)
        found = None if n is None else n * factor
        out.append(Formula(name, f"{num(size)} x {factor} = {count(size * factor) if found is None else found}",
                           at, found))
    return out


def crop_explain(inputs: Sequence[MaybeShape], attrs: CropAttrs) -> list[Formula]:
    cropping = attrs.cropping or ()
    out: list[Formula] = []
    for (name, at, size), (before, after) in zip(_spatial(inputs[0], len(cropping), attrs), cropping, strict=False):
        n = value(size)
        found = None if n is None else n - before - after
        shown = count(size - before - after) if found is None else found
        out.append(Formula(name, f"cropped {num(size)} - {before} - {after} = {shown}", at, found))
    return out


def pad_explain(inputs: Sequence[MaybeShape], attrs: PadAttrs) -> list[Formula]:
    x, paddings = inputs[0], attrs.paddings
    if x is None or paddings is None or len(x) != len(paddings):
        return []
    out: list[Formula] = []
    for at, (size, (before, after)) in enumerate(zip(x, paddings, strict=True)):
        if before == 0 and after == 0:
            continue
        n = value(size)
        found = None if n is None else n + before + after
        shown = count(size + before + after) if found is None else found
        text = f"padded {num(size, batch=at == 0)} + {before} + {after} = {shown}"
        out.append(Formula(f"axis {at}", text, at, found))
    return out


UPSAMPLE = declare(OpDecl("upsample", UpsampleAttrs, upsample, explain=upsample_explain))
CROP = declare(OpDecl("crop", CropAttrs, crop, explain=crop_explain))
RESIZE = declare(OpDecl("resize", ResizeAttrs, resize))
PAD = declare(OpDecl("pad", PadAttrs, pad, explain=pad_explain))
