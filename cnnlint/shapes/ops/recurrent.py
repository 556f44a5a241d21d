"""Ops over sequences: recurrent layers, embedding lookups, and `TimeDistributed`, which runs
another op on every step."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import Dim
from cnnlint.shapes.ops.layout import unknown_if_none
from cnnlint.shapes.registry import (
    AttrValue,
    MaybeShape,
    OpAttrs,
    OpDecl,
    Result,
    Shape,
    check_rank,
    count_params,
    declare,
    infer,
    rank_at_least,
)


@dataclass(frozen=True, kw_only=True)
class RnnAttrs(OpAttrs):
    units: int | None = None
    gates: int = 1  # SimpleRNN 1, GRU 3, LSTM 4
    return_sequences: bool = False
    use_bias: bool = True
    reset_after: bool = False  # GRU's second bias
    bidirectional: bool = False
    output_units: int | None = None  # a Bidirectional layer's output: 2 * units when concatenated


def rnn(inputs: Sequence[MaybeShape], attrs: RnnAttrs) -> Result:
    """A recurrent layer over (batch, steps, features): the last output or one per step."""
    x = inputs[0]
    if x is None:
        return Result(None)
    bad = check_rank(x, 3, "input")
    if bad:
        return bad
    units = unknown_if_none(attrs.output_units if attrs.output_units is not None else attrs.units)
    return Result((x[0], x[1], units) if attrs.return_sequences else (x[0], units))


def rnn_params(inputs: Sequence[MaybeShape], attrs: RnnAttrs, output: MaybeShape) -> Dim | None:
    """SimpleRNN has one kernel/recurrent kernel/bias set; LSTM four gates; GRU three."""
    x, units = inputs[0], attrs.units
    if x is None or len(x) != 3 or units is None:
        return None
    bias = Dim.const(units * (2 if attrs.reset_after else 1)) if attrs.use_bias else Dim.const(0)
    per_gate = x[2] * units + units * units + bias
    return per_gate * attrs.gates * (2 if attrs.bidirectional else 1)


@dataclass(frozen=True, kw_only=True)
class EmbeddingAttrs(OpAttrs):
    input_dim: int | None = None  # the vocabulary
    output_dim: int | None = None


def embedding(inputs: Sequence[MaybeShape], attrs: EmbeddingAttrs) -> Result:
    """A lookup table: every index in the input becomes a vector of `output_dim` values."""
    x = inputs[0]
    if x is None:
        return Result(None)
    return Result((*x, unknown_if_none(attrs.output_dim)))


def embedding_params(inputs: Sequence[MaybeShape], attrs: EmbeddingAttrs, output: MaybeShape) -> Dim | None:
    if attrs.input_dim is None or attrs.output_dim is None:
        return None
    return Dim.const(attrs.input_dim * attrs.output_dim)


@dataclass(frozen=True, kw_only=True)
class TimeDistributedAttrs(OpAttrs):
    inner_op: str
    inner_attrs: Mapping[str, AttrValue]  # checked against `inner_op`'s declaration when used


def _step(x: Shape) -> Shape:
    return (x[0], *x[2:])


def time_distributed(inputs: Sequence[MaybeShape], attrs: TimeDistributedAttrs) -> Result:
    """`TimeDistributed(layer)`: the inner op on every step of (batch, steps, ...)."""
    x = inputs[0]
    if x is None:
        return Result(None)
    bad = rank_at_least(x, 3)
    if bad:
        return bad
    inner = infer(attrs.inner_op, [_step(x)], attrs.inner_attrs)
    if inner.shape is None:
        return Result(None, inner.problems)
    return Result((x[0], x[1], *inner.shape[1:]), inner.problems)


def time_distributed_params(inputs: Sequence[MaybeShape], attrs: TimeDistributedAttrs,
                            output: MaybeShape) -> Dim | None:
    x = inputs[0]
    if x is None or len(x) < 3:
        return None
    return count_params(attrs.inner_op, [_step(x)], attrs.inner_attrs, None)


RNN = declare(OpDecl("rnn", RnnAttrs, rnn, params=rnn_params))
EMBEDDING = declare(OpDecl("embedding", EmbeddingAttrs, embedding, params=embedding_params))
TIME_DISTRIBUTED = declare(OpDecl("time_distributed", TimeDistributedAttrs, time_distributed,
                                  params=time_distributed_params))
