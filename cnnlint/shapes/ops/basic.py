"""Ops that make or pass on a tensor: stated inputs, unknown results, element-wise ops of one
tensor (with per-channel weights: normalisation, PReLU), and the join of two branches."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import Dim, equal, product
from cnnlint.shapes.ops.layout import unknown_if_none
from cnnlint.shapes.registry import (
    MaybeShape,
    NoAttrs,
    OpAttrs,
    OpDecl,
    Result,
    Shape,
    Weight,
    check_rank,
    declare,
    rank_at_least,
)


@dataclass(frozen=True, kw_only=True)
class InputAttrs(OpAttrs):
    shape: Sequence[Dim | int | None] | None = None
    kind: str | None = None  # placeholder, constant, array, dataset, ...
    dtype: str | None = None  # "int" / "bool" where indexing with the array depends on it
    ragged: bool = False
    # A parameter of a function nobody calls ("build.input_shape"), read as this input: of unknown
    # rank until a ranked op is applied to it, then each axis past the batch axis a symbol named
    # `symbols.format(axis - symbols_from)` (`input_shape[0]`, `x.shape[1]`; ir.Graph.add).
    parameter: str | None = None
    symbols: str | None = None
    symbols_from: int = 1


def input_(inputs: Sequence[MaybeShape], attrs: InputAttrs) -> Result:
    """A tensor whose shape the code states: placeholder, variable, constant, array."""
    if attrs.shape is None:
        return Result(None)
    return Result(tuple(unknown_if_none(d) for d in attrs.shape))


@dataclass(frozen=True, kw_only=True)
class OpaqueAttrs(OpAttrs):
    weightless: bool = False  # a Keras layer known to own no weights (a Lambda)


def opaque(inputs: Sequence[MaybeShape], attrs: OpaqueAttrs) -> Result:
    """A tensor the code certainly makes, of a shape cnnlint does not know."""
    return Result(None)


def opaque_params(inputs: Sequence[MaybeShape], attrs: OpaqueAttrs, output: MaybeShape) -> Dim | None:
    """A layer cnnlint cannot read (or a model whose layers are not known) owns unknown weights."""
    return Dim.const(0) if attrs.weightless else None


def opaque_weights(inputs: Sequence[MaybeShape], attrs: OpaqueAttrs) -> list[Weight] | None:
    return [] if attrs.weightless else None


def join(inputs: Sequence[MaybeShape], attrs: NoAttrs) -> Result:
    """A value that two branches of an `if` computed: the sizes both agree on, unknown elsewhere."""
    a, b = inputs[0], inputs[1]
    if a is None or b is None or len(a) != len(b):
        return Result(None)
    return Result(tuple(x if equal(x, y) else Dim.unknown() for x, y in zip(a, b, strict=True)))


@dataclass(frozen=True, kw_only=True)
class IdentityAttrs(OpAttrs):
    # Spatial dropout needs a feature map of one rank; PReLU's shared axes must exist.
    rank: int | None = None
    min_rank: int | None = None
    kind: str | None = None  # "variable" for tf.Variable
    # Normalisation-style weights: `weights_per_channel` vectors over the sizes of `param_axes`
    # (PReLU: over every axis but the batch and `alpha_shared`), plus `extra_params`.
    weights_per_channel: int | None = None
    param_axes: Sequence[int] = (-1,)
    alpha_shared: Sequence[int] | None = None
    extra_params: int = 0
    # The names of those weights, trainable ones first (`gamma`, `beta`), then `state_weights`,
    # which training does not update (`moving_mean`, `moving_variance`); none named: unknown.
    weight_names: Sequence[str] = ()
    state_weights: Sequence[str] = ()


def identity(inputs: Sequence[MaybeShape], attrs: IdentityAttrs) -> Result:
    """Element-wise ops of one tensor (relu, dropout, batch norm, lrn, softmax, ...)."""
    x = inputs[0]
    if x is not None:
        if attrs.rank is not None:
            return check_rank(x, attrs.rank, "input") or Result(x)
        if attrs.min_rank is not None:
            return rank_at_least(x, attrs.min_rank) or Result(x)
    return Result(x)


def identity_params(inputs: Sequence[MaybeShape], attrs: IdentityAttrs, output: MaybeShape) -> Dim | None:
    x = inputs[0]
    if attrs.weights_per_channel is None:
        return Dim.const(0)
    if x is None:
        return None
    shared = attrs.alpha_shared
    axes = attrs.param_axes if shared is None else [
        i for i in range(1, len(x)) if i not in {a % len(x) for a in shared}]
    sizes: list[Dim] = []
    for axis in axes:
        if not -len(x) <= axis < len(x):
            return None
        sizes.append(x[axis])
    return product(sizes) * attrs.weights_per_channel + attrs.extra_params


# Keras 1's names (keras/layers/normalization.py and advanced_activations.py at 1.2.2).
_KERAS1_NAMES = {"moving_mean": "running_mean", "moving_variance": "running_std", "alpha": "alphas"}


def identity_weights(inputs: Sequence[MaybeShape], attrs: IdentityAttrs) -> list[Weight] | None:
    """Per-channel vectors of normalisation layers, each shaped by the sizes of `param_axes`
    (Keras 3 and tf-keras `BatchNormalization` take one axis, `LayerNormalization` several); a
    PReLU's `alpha` has every axis but the batch, 1 along the shared ones."""
    x = inputs[0]
    if attrs.weights_per_channel is None:
        return []
    names = [*attrs.weight_names, *attrs.state_weights]
    if x is None or len(names) != attrs.weights_per_channel or attrs.extra_params:
        return None
    shape: Shape
    if attrs.alpha_shared is not None:
        shared = {a % len(x) for a in attrs.alpha_shared}
        shape = tuple(Dim.const(1) if i in shared else x[i] for i in range(1, len(x)))
    else:
        if any(not -len(x) <= a < len(x) for a in attrs.param_axes):
            return None
        shape = tuple(x[a] for a in attrs.param_axes)
    rename = _KERAS1_NAMES if attrs.keras1 else {}
    return [Weight(rename.get(n, n), shape, trainable=n not in attrs.state_weights) for n in names]


INPUT = declare(OpDecl("input", InputAttrs, input_))
OPAQUE = declare(OpDecl("opaque", OpaqueAttrs, opaque, params=opaque_params, weights=opaque_weights,
                        not_rebuildable="its output is unknown, so there is nothing to compare"))
# The worker rebuilds a join as either branch.
JOIN = declare(OpDecl("join", NoAttrs, join))
IDENTITY = declare(OpDecl("identity", IdentityAttrs, identity, params=identity_params, weights=identity_weights))


@dataclass(frozen=True, kw_only=True)
class CustomLayerAttrs(OpAttrs):
    """A user's subclass of Keras's `Layer` (cnnlint/frontend/keras/custom_layers.py): the weights
    its `build` made (names, shapes, trainable flags; `weights_known` False where any is not
    known) and its output: the last input (what its `call` computed; `from_call`) or the shape its
    `compute_output_shape` gives (`output`; None: not known)."""

    weight_names: Sequence[str] = ()
    weight_shapes: Sequence[Sequence[Dim]] = ()
    weight_trainable: Sequence[int] = ()
    weights_known: bool = True
    from_call: bool = True
    output: Sequence[Dim | None] | None = None


def custom_layer(inputs: Sequence[MaybeShape], attrs: CustomLayerAttrs) -> Result:
    if attrs.from_call:
        return Result(inputs[-1] if inputs else None)
    if attrs.output is None:
        return Result(None)
    return Result(tuple(unknown_if_none(d) for d in attrs.output))


def custom_layer_weights(inputs: Sequence[MaybeShape], attrs: CustomLayerAttrs) -> list[Weight] | None:
    if not attrs.weights_known:
        return None
    return [Weight(name, tuple(shape), trainable=bool(trainable))
            for name, shape, trainable in zip(attrs.weight_names, attrs.weight_shapes, attrs.weight_trainable,
                                              strict=True)]


def custom_layer_params(inputs: Sequence[MaybeShape], attrs: CustomLayerAttrs, output: MaybeShape) -> Dim | None:
    weights = custom_layer_weights(inputs, attrs)
    return None if weights is None else sum((w.size for w in weights), Dim.const(0))


CUSTOM_LAYER = declare(OpDecl("custom_layer", CustomLayerAttrs, custom_layer, params=custom_layer_params,
                              weights=custom_layer_weights,
                              not_rebuildable="the user's own layer class: its code is never run"))
