"""The op registry: one pure shape function per op, from input shapes and attributes to a result.

Like TensorFlow's `SetShapeFn`, a front end only translates a call into an op name and
attributes; the function registered here decides the output shape or reports a typed problem.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cnnlint.shapes.dim import Dim

Shape = tuple[Dim, ...]
MaybeShape = Shape | None


# Problem kinds. Rules select the kinds they report; the shape engine never formats text.
RANK = "rank"
CHANNELS = "channels"
NON_POSITIVE = "non-positive"
STRIDED_REMAINDER = "strided-remainder"
FLATTEN_SIZE = "flatten-size"
RESHAPE_SIZE = "reshape-size"
INNER_DIM = "inner-dim"
MERGE = "merge"
WEIGHT_SHAPE = "weight-shape"


@dataclass(frozen=True)
class Problem:
    """A shape fact that makes the op fail (`fatal`) or look suspicious (not fatal)."""

    kind: str
    fatal: bool
    details: Mapping[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Result:
    shape: MaybeShape
    problems: tuple[Problem, ...] = ()

    @property
    def fatal(self) -> bool:
        return any(p.fatal for p in self.problems)


ShapeFn = Callable[[Sequence[MaybeShape], Mapping[str, Any]], Result]

REGISTRY: dict[str, ShapeFn] = {}


def register(*ops: str) -> Callable[[ShapeFn], ShapeFn]:
    def decorate(fn: ShapeFn) -> ShapeFn:
        for op in ops:
            REGISTRY[op] = fn
        return fn

    return decorate


def infer(op: str, inputs: Sequence[MaybeShape], attrs: Mapping[str, Any]) -> Result:
    """Run the shape function of `op`. Unregistered ops have an unknown output."""
    fn = REGISTRY.get(op)
    if fn is None:
        return Result(None)
    result = fn(inputs, attrs)
    if result.fatal:
        # After an error the output is unknown, so one bug gives one finding, not a cascade.
        return Result(None, result.problems)
    return result


def fail(kind: str, **details: Any) -> Result:
    return Result(None, (Problem(kind, True, details),))
