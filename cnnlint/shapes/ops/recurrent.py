"""Ops over sequences: recurrent layers, embedding lookups, and `TimeDistributed`, which runs
another op on every step."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import Dim, different
from cnnlint.shapes.ops.layout import unknown_if_none
from cnnlint.shapes.problems import InnerDim
from cnnlint.shapes.registry import (
    AttrValue,
    Formula,
    MaybeShape,
    OpAttrs,
    OpDecl,
    Result,
    Shape,
    Weight,
    check_rank,
    count_params,
    declare,
    explain,
    fail,
    infer,
    layer_weights,
    rank_at_least,
)
from cnnlint.shapes.words import count, num, params_formula, value


@dataclass(frozen=True, kw_only=True)
class RnnAttrs(OpAttrs):
    units: int | None = None
    gates: int = 1  # SimpleRNN 1, GRU 3, LSTM 4
    return_sequences: bool = False
    use_bias: bool = True
    reset_after: bool | None = False  # GRU's second bias (None: the target's default is not known)
    bidirectional: bool = False
    output_units: int | None = None  # a Bidirectional layer's output: 2 * units when concatenated
    cudnn: bool = False  # CuDNNLSTM / CuDNNGRU: two biases per gate
    # Keras 1's `consume_less`: "gpu" builds one W/U/b, "cpu" and "mem" one set per gate
    # (None: not known).
    consume_less: str | None = "cpu"
    # The features its kernel was built for by an earlier call (a layer reused on another input).
    in_features: int | None = None
    # `stateful=True`: its state holds one row per example of the fixed batch it was built for.
    stateful: bool = False


def rnn(inputs: Sequence[MaybeShape], attrs: RnnAttrs) -> Result:
    """A recurrent layer over (batch, steps, features): the last output or one per step."""
    x = inputs[0]
    if x is None:
        return Result(None)
    bad = check_rank(x, 3, "input")
    if bad:
        return bad
    if attrs.in_features is not None and different(x[2], attrs.in_features):
        return fail(InnerDim(features=x[2], expected=Dim.const(attrs.in_features), left=x))
    units = unknown_if_none(attrs.output_units if attrs.output_units is not None else attrs.units)
    return Result((x[0], x[1], units) if attrs.return_sequences else (x[0], units))


def rnn_params(inputs: Sequence[MaybeShape], attrs: RnnAttrs, output: MaybeShape) -> Dim | None:
    """SimpleRNN has one kernel/recurrent kernel/bias set; LSTM four gates; GRU three."""
    x, units = inputs[0], attrs.units
    if x is None or len(x) != 3 or units is None or attrs.reset_after is None:
        return None
    bias = Dim.const(units * (2 if attrs.reset_after or attrs.cudnn else 1)) if attrs.use_bias else Dim.const(0)
    per_gate = x[2] * units + units * units + bias
    return per_gate * attrs.gates * (2 if attrs.bidirectional else 1)


# Keras 1's per-gate weights, in `trainable_weights` order (keras/layers/recurrent.py at 1.2.2:
# LSTM sets the list itself, i, c, f, o; GRU keeps the order it adds them, z, r, h).
_KERAS1_GATES = {1: ("",), 3: ("_z", "_r", "_h"), 4: ("_i", "_c", "_f", "_o")}


def _one_direction(x: Shape, attrs: RnnAttrs, units: int) -> list[Weight] | None:
    u, gates = Dim.const(units), attrs.gates
    if attrs.keras1:
        if attrs.consume_less is None or attrs.cudnn or not attrs.use_bias:
            return None  # Keras 1's recurrent layers always have a bias (no `use_bias`)
        if attrs.consume_less == "gpu" or gates == 1:
            return [Weight("W", (x[2], u * gates)), Weight("U", (u, u * gates)), Weight("b", (u * gates,))]
        return [w for g in _KERAS1_GATES[gates]
                for w in (Weight(f"W{g}", (x[2], u)), Weight(f"U{g}", (u, u)), Weight(f"b{g}", (u,)))]
    out = [Weight("kernel", (x[2], u * gates)), Weight("recurrent_kernel", (u, u * gates))]
    if attrs.use_bias:
        bias: Shape = (Dim.const(2), u * gates) if attrs.reset_after else \
            (u * gates * 2,) if attrs.cudnn else (u * gates,)
        out.append(Weight("bias", bias))
    return out


def rnn_weights(inputs: Sequence[MaybeShape], attrs: RnnAttrs) -> list[Weight] | None:
    """Keras 2 and 3: `kernel (in, g * units)`, `recurrent_kernel (units, g * units)`, `bias
    (g * units,)` for g gates (GRU with `reset_after`: `(2, 3 * units)`; CuDNN layers: `(2 * g *
    units,)`); `Bidirectional`: the forward layer's, then the backward one's. Keras 1: see
    `_KERAS1_GATES`."""
    x, units = inputs[0], attrs.units
    if x is None or len(x) != 3 or units is None or attrs.reset_after is None:
        return None
    one = _one_direction(x, attrs, units)
    if one is None or not attrs.bidirectional:
        return one
    return [Weight(f"{side}/{w.name}", w.shape, w.trainable) for side in ("forward", "backward") for w in one]


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


def rnn_params_explain(inputs: Sequence[MaybeShape], attrs: RnnAttrs) -> list[Formula]:
    """`4 gates x (100 x 64 + 64 x 64 + 64) = 42,240`: per gate a kernel, a recurrent kernel, a bias."""
    x, units = inputs[0], attrs.units
    engine = rnn_params(inputs, attrs, None)
    if x is None or len(x) != 3 or units is None or engine is None:
        return []
    biases = (2 if attrs.reset_after or attrs.cudnn else 1) if attrs.use_bias else 0
    bias = "" if not biases else f" + {units}" if biases == 1 else f" + 2 x {units}"
    sides = 2 if attrs.bidirectional else 1
    features = value(x[2])
    found = None if features is None else (features * units + units * units + biases * units) * attrs.gates * sides
    gates = f"{attrs.gates} gate{'s' if attrs.gates != 1 else ''}"
    text = f"{gates} x ({num(x[2])} x {units} + {units} x {units}{bias})" + (" x 2 directions" if sides == 2 else "")
    return [Formula("params", f"{text} = {count(engine) if found is None else f'{found:,}'}", None, found)]


def embedding_params_explain(inputs: Sequence[MaybeShape], attrs: EmbeddingAttrs) -> list[Formula]:
    """`10000 x 64 = 640,000`: one vector of `output_dim` values per word of the vocabulary."""
    return params_formula([[attrs.input_dim, attrs.output_dim]], embedding_params(inputs, attrs, None))


def embedding_weights(inputs: Sequence[MaybeShape], attrs: EmbeddingAttrs) -> list[Weight] | None:
    """`embeddings (input_dim, output_dim)`; Keras 1's `W`."""
    if attrs.input_dim is None or attrs.output_dim is None:
        return None
    return [Weight("W" if attrs.keras1 else "embeddings", (Dim.const(attrs.input_dim), Dim.const(attrs.output_dim)))]


@dataclass(frozen=True, kw_only=True)
class TimeDistributedAttrs(OpAttrs):
    # The op on each step; "model": a Keras model applied to one step in the graph, whose output
    # is the node's second input (its layers are rows of their own and count their parameters).
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
    if attrs.inner_op == "model":
        step = inputs[1] if len(inputs) > 1 else None
        return Result(None if step is None or not step else (x[0], x[1], *step[1:]))
    inner = infer(attrs.inner_op, [_step(x)], attrs.inner_attrs)
    if inner.shape is None:
        return Result(None, inner.problems)
    return Result((x[0], x[1], *inner.shape[1:]), inner.problems)


def time_distributed_params(inputs: Sequence[MaybeShape], attrs: TimeDistributedAttrs,
                            output: MaybeShape) -> Dim | None:
    x = inputs[0]
    if attrs.inner_op == "model":
        return Dim.const(0)  # counted by the inner model's rows
    if x is None or len(x) < 3:
        return None
    return count_params(attrs.inner_op, [_step(x)], attrs.inner_attrs, None)


def time_distributed_explain(inputs: Sequence[MaybeShape], attrs: TimeDistributedAttrs,
                             params: bool = False) -> list[Formula]:
    """The inner op's working on one step; an output axis past the batch moves one on (the steps)."""
    x = inputs[0]
    if attrs.inner_op == "model" or x is None or len(x) < 3:
        return []
    found = explain(attrs.inner_op, [_step(x)], attrs.inner_attrs, params=params)
    return [dataclasses.replace(f, axis=None if f.axis is None else f.axis + (f.axis >= 1)) for f in found
            if (f.axis is None) == params]


def time_distributed_params_explain(inputs: Sequence[MaybeShape], attrs: TimeDistributedAttrs) -> list[Formula]:
    return time_distributed_explain(inputs, attrs, params=True)


def _inner_attrs(attrs: TimeDistributedAttrs) -> dict[str, AttrValue]:
    """The inner layer's attributes with the wrapper's target and `trainable`."""
    inner = dict(attrs.inner_attrs)
    if attrs.keras_version is not None:
        inner["keras_version"] = attrs.keras_version
    if not attrs.trainable:
        inner["trainable"] = False
    return inner


def time_distributed_weights(inputs: Sequence[MaybeShape], attrs: TimeDistributedAttrs) -> list[Weight] | None:
    """The inner layer's weights, built for one step."""
    x = inputs[0]
    if attrs.inner_op == "model":
        return []  # the inner model's rows show theirs
    if x is None or len(x) < 3:
        return None
    return layer_weights(attrs.inner_op, [_step(x)], _inner_attrs(attrs))


RNN = declare(OpDecl("rnn", RnnAttrs, rnn, params=rnn_params, weights=rnn_weights, explain_params=rnn_params_explain))
EMBEDDING = declare(OpDecl("embedding", EmbeddingAttrs, embedding, params=embedding_params,
                           weights=embedding_weights, explain_params=embedding_params_explain))
TIME_DISTRIBUTED = declare(OpDecl("time_distributed", TimeDistributedAttrs, time_distributed,
                                  params=time_distributed_params, weights=time_distributed_weights,
                                  explain=time_distributed_explain, explain_params=time_distributed_params_explain))
