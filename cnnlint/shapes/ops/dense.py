"""Fully connected ops: the matrix product and the Dense layer. Features that do not meet the
weight's input size are an `InnerDim` problem."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import Dim, different
from cnnlint.shapes.ops.layout import unknown_if_none
from cnnlint.shapes.problems import InnerDim, UndefinedFeatures
from cnnlint.shapes.registry import (
    Formula,
    MaybeShape,
    OpAttrs,
    OpDecl,
    Problem,
    Result,
    Weight,
    declare,
    fail,
    rank_at_least,
)
from cnnlint.shapes.words import num, params_formula, value


@dataclass(frozen=True, kw_only=True)
class MatmulAttrs(OpAttrs):
    transpose_a: bool = False
    transpose_b: bool = False


def matmul(inputs: Sequence[MaybeShape], attrs: MatmulAttrs) -> Result:
    """`a @ b` for rank >= 2 operands, with optional transposes."""
    a, b = inputs[0], inputs[1]
    if a is None or b is None:
        return Result(None)
    for operand, shape in (("left", a), ("right", b)):
        bad = rank_at_least(shape, 2, operand)
        if bad:
            return bad
    rows, features = (a[-1], a[-2]) if attrs.transpose_a else (a[-2], a[-1])
    expected, cols = (b[-1], b[-2]) if attrs.transpose_b else (b[-2], b[-1])
    if different(features, expected):
        return fail(InnerDim(features=features, expected=expected, left=a, right=b))
    batch = a[:-2] if len(a) >= len(b) else b[:-2]
    return Result((*batch, rows, cols))


@dataclass(frozen=True, kw_only=True)
class DenseAttrs(OpAttrs):
    units: int | Dim | None = None
    use_bias: bool = True
    in_features: int | None = None  # the input size the code states
    stated_only: bool = False  # ... where the framework ignores it (Keras past the first layer)


def dense(inputs: Sequence[MaybeShape], attrs: DenseAttrs) -> Result:
    """A fully connected layer on the last axis; `in_features` is the size the code states."""
    x = inputs[0]
    if x is None:
        return Result(None)
    bad = rank_at_least(x, 2)
    if bad:
        return bad
    stated = attrs.in_features
    out = (*x[:-1], unknown_if_none(attrs.units))
    if x[-1].is_none and (stated is None or attrs.stated_only):
        # Keras 3 `Dense.build` (keras/src/layers/core/dense.py) makes a kernel (None, units):
        # "Shapes used to initialize variables must be fully-defined"; tf-keras 2.x and tf.layers /
        # tf.contrib.layers (tensorflow r1.15 python/keras/layers/core.py `Dense.build`): "The last
        # dimension of the inputs to `Dense` should be defined. Found `None`." A kernel the code
        # states (a TF RNN cell's) is built from its own size: not checked here.
        return fail(UndefinedFeatures(features=x[-1], expected=x[-1], left=x))
    if stated is not None and different(x[-1], stated):
        problem = InnerDim(features=x[-1], expected=Dim.of(stated), left=x)
        if attrs.stated_only:  # a size the author wrote down but the framework ignores
            return Result(out, (Problem(problem, fatal=False),))
        return fail(problem)
    return Result(out)


def dense_params(inputs: Sequence[MaybeShape], attrs: DenseAttrs, output: MaybeShape) -> Dim | None:
    x, units = inputs[0], attrs.units
    if x is None or not x or units is None:
        return None
    return x[-1] * units + (Dim.of(units) if attrs.use_bias else Dim.const(0))


def dense_weights(inputs: Sequence[MaybeShape], attrs: DenseAttrs) -> list[Weight] | None:
    """`kernel (in, units)`, `bias (units,)`; Keras 1 names them `W` and `b` (same shapes)."""
    x = inputs[0]
    if x is None or not x or attrs.units is None:
        return None
    units = Dim.of(attrs.units)
    kernel, bias = ("W", "b") if attrs.keras1 else ("kernel", "bias")
    weights = [Weight(kernel, (x[-1], units)), Weight(bias, (units,))]
    return weights if attrs.use_bias else weights[:1]


def matmul_explain(inputs: Sequence[MaybeShape], attrs: MatmulAttrs) -> list[Formula]:
    """`(None x 3136) @ (3136 x 1024) = None x 1024`: the inner sizes meet, rows and columns stay."""
    a, b = inputs[0], inputs[1] if len(inputs) > 1 else None
    if a is None or b is None or len(a) < 2 or len(b) < 2:
        return []
    rows, features = (a[-1], a[-2]) if attrs.transpose_a else (a[-2], a[-1])
    expected, cols = (b[-1], b[-2]) if attrs.transpose_b else (b[-2], b[-1])
    first = len(a) == 2
    if different(features, expected):
        text = f"({num(rows, batch=first)} x {num(features)}) @ ({num(expected)} x {num(cols)}): the inner sizes " \
               f"{num(features)} and {num(expected)} must be equal"
        return [Formula("columns", text, max(len(a), len(b)) - 1, None)]
    text = (f"({num(rows, batch=first)} x {num(features)}) @ ({num(expected)} x {num(cols)}) = "
            f"{num(rows, batch=first)} x {num(cols)}")
    return [Formula("columns", text, max(len(a), len(b)) - 1, value(cols))]


def dense_params_explain(inputs: Sequence[MaybeShape], attrs: DenseAttrs) -> list[Formula]:
    """`3136 x 1024 + 1024 = 3,212,288`: the kernel (features x units) and the bias (units)."""
    x, units = inputs[0], attrs.units
    if x is None or not x or units is None:
        return []
    return params_formula([[x[-1], units], [units] if attrs.use_bias else []], dense_params(inputs, attrs, None))


MATMUL = declare(OpDecl("matmul", MatmulAttrs, matmul, explain=matmul_explain))
DENSE = declare(OpDecl("dense", DenseAttrs, dense, params=dense_params, weights=dense_weights,
                       explain_params=dense_params_explain))
