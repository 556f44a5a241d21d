"""Weights handed to a Keras layer (`set_weights`, `weights=`), checked against the shapes the
layer's own op declares. A mismatch is a `WeightShape` problem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import different
from cnnlint.shapes.registry import (
    WEIGHT_SHAPE,
    AttrValue,
    MaybeShape,
    OpAttrs,
    OpDecl,
    ProblemDetails,
    Result,
    Shape,
    declare,
    fail,
    weight_shapes,
)


@dataclass(frozen=True, kw_only=True)
class WeightShape(ProblemDetails):
    """The arrays `given` do not match the `expected` weights: their number (`count`) or the
    shape of the one at `index`."""

    kind = WEIGHT_SHAPE
    given: tuple[MaybeShape, ...]
    expected: tuple[Shape, ...]
    count: bool = False
    index: int | None = None


@dataclass(frozen=True, kw_only=True)
class SetWeightsAttrs(OpAttrs):
    layer_op: str  # the op the layer was applied as, and its attributes
    layer_attrs: Mapping[str, AttrValue]
    layer_name: str | None = None
    kind: str | None = None  # the layer's Keras class


def set_weights(inputs: Sequence[MaybeShape], attrs: SetWeightsAttrs) -> Result:
    """Input 0 is what the layer was applied to, the others the weights it is given."""
    given = tuple(inputs[1:])
    expected = weight_shapes(attrs.layer_op, inputs[:1], attrs.layer_attrs)
    if expected is None or any(g is None for g in given):
        return Result(None)
    if len(given) != len(expected):
        return fail(WeightShape(given=given, expected=tuple(expected), count=True))
    for i, (g, e) in enumerate(zip(given, expected, strict=True)):
        if g is not None and (len(g) != len(e) or any(different(a, b) for a, b in zip(g, e, strict=True))):
            return fail(WeightShape(given=given, expected=tuple(expected), index=i))
    return Result(None)


SET_WEIGHTS = declare(OpDecl("set_weights", SetWeightsAttrs, set_weights))
