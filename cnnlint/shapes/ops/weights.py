"""Weights handed to a Keras layer (`set_weights`, `weights=`, a `Constant(array)` initializer),
checked against the shapes the layer's own op declares, and a TF 1 variable's constant initializer
(`initial_value`). A mismatch is a `WeightShape` problem."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import different, positive, product
from cnnlint.shapes.problems import BROADCAST, PAD, SIZE, WeightShape
from cnnlint.shapes.registry import (
    AttrValue,
    MaybeShape,
    OpAttrs,
    OpDecl,
    Result,
    Shape,
    declare,
    fail,
    layer_weights,
    weight_shapes,
)


@dataclass(frozen=True, kw_only=True)
class SetWeightsAttrs(OpAttrs):
    layer_op: str  # the op the layer was applied as, and its attributes
    layer_attrs: Mapping[str, AttrValue]
    layer_name: str | None = None
    kind: str | None = None  # the layer's Keras class
    # Not `set_weights` but `kernel_initializer=Constant(value)` (input 1 the value): the argument,
    # the name of the weight it fills, and how the initializer may fill it (each of `problems.READINGS` the
    # target may be; a finding only where every one refuses the value).
    initializer: str | None = None
    weight: str | None = None
    readings: tuple[str, ...] = ()
    callee: str | None = None  # the initializer as written (`keras.initializers.Constant`), for messages


def refuses(reading: str, value: Shape, weight: Shape) -> bool:
    """Whether an initializer of `reading` certainly cannot fill a `weight`-shaped variable from `value`."""
    if reading == BROADCAST:
        return any(different(v, w) and different(v, 1) and different(w, 1)
                   for v, w in zip(reversed(value), reversed(weight), strict=False))
    count, size = product(value), product(weight)
    if reading == SIZE:
        return different(count, size) and different(count, 1)
    return reading == PAD and positive(count - size)


def _initial_value(inputs: Sequence[MaybeShape], attrs: SetWeightsAttrs) -> Result:
    found = layer_weights(attrs.layer_op, inputs[:1], attrs.layer_attrs)
    value = inputs[1] if len(inputs) > 1 else None
    weight = next((w for w in found or () if w.name == attrs.weight), None)
    if weight is None or value is None or not attrs.readings:
        return Result(None)
    if all(refuses(r, value, weight.shape) for r in attrs.readings):
        return fail(WeightShape(given=(value,), expected=(weight.shape,), index=0, initializer=attrs.initializer,
                                weight=weight.name, readings=tuple(attrs.readings)))
    return Result(None)


def set_weights(inputs: Sequence[MaybeShape], attrs: SetWeightsAttrs) -> Result:
    """Input 0 is what the layer was applied to, the others the weights it is given (or, with
    `initializer`, the value of the `Constant` that fills the weight `weight`)."""
    if attrs.initializer is not None:
        return _initial_value(inputs, attrs)
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


@dataclass(frozen=True, kw_only=True)
class InitialValueAttrs(OpAttrs):
    name: str | None = None  # the variable's
    readings: tuple[str, ...] = ()  # as `SetWeightsAttrs.readings`
    callee: str | None = None


def initial_value(inputs: Sequence[MaybeShape], attrs: InitialValueAttrs) -> Result:
    """`tf.get_variable(name, shape, initializer=tf.constant_initializer(value))`: input 0 is the
    value, input 1 the variable; no output (the variable is input 1 itself)."""
    value, variable = (inputs[0], inputs[1]) if len(inputs) > 1 else (None, None)
    if value is None or variable is None or not attrs.readings:
        return Result(None)
    if all(refuses(r, value, variable) for r in attrs.readings):
        return fail(WeightShape(given=(value,), expected=(variable,), index=0, initializer="initializer",
                                weight=attrs.name, readings=tuple(attrs.readings)))
    return Result(None)


INITIAL_VALUE = declare(OpDecl("initial_value", InitialValueAttrs, initial_value,
                               not_rebuildable="a check of a TF 1 variable's initializer, with no output to compare"))
