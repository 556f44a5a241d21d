"""`Constant(value)` initializers (`keras.initializers.Constant`, `tf.constant_initializer`, ...): an
initializer object that remembers its value and the API it came from, so that a Keras layer given
it (frontend/keras/initializers.py) or `tf.get_variable` can check the value against the weight it
fills (CNN011; docs/weights.md)."""

from __future__ import annotations

from dataclasses import dataclass

from cnnlint.frontend.library import Call
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import BuiltinV, Value
from cnnlint.frontend.tensor import TensorV, literal_shape
from cnnlint.frontend.tensorflow.nn import initializer
from cnnlint.frontend.tensorflow.registry import api
from cnnlint.shapes.problems import PAD, SIZE
from cnnlint.shapes.registry import Shape

TF = "tensorflow"


@dataclass(eq=False)
class ConstantInitV(BuiltinV):
    """A `Constant(value)` initializer: callable with a shape like every initializer (tensorflow/nn.py),
    plus its `value` and the path the code reached it through (`written`: which implementation)."""

    value: Value
    written: str
    shown: str  # as the code calls it: `tf.constant_initializer`


@api(*(f"{prefix}.{name}" for prefix in (f"{TF}.initializers", f"{TF}.keras.initializers", "keras.initializers")
       for name in ("Constant", "constant")),
     f"{TF}.constant_initializer", params="value dtype verify_shape")
def constant_initializer(c: Call) -> Value:
    base = initializer(c)
    assert isinstance(base, BuiltinV)
    return ConstantInitV(base.name, base.impl, c.get("value"), c.written, c.shown)


KERAS_PATHS = ("keras.", "tf_keras.", "tensorflow.keras.", "tensorflow.initializers.", "tensorflow.compat.v1.keras.")


def tf_readings(interp: Evaluator, init: ConstantInitV) -> tuple[str, ...] | None:
    """How TensorFlow's own `constant_initializer` fills a variable (None: a Keras initializer):
    `tf.compat.v1`'s is `constant_v1` (eager: as many values; graphs: at most as many), plain
    `tf.constant_initializer` TF 2's (`tf.constant`: as many, or one) where the project pins
    TensorFlow 2 or states Keras 3 (TF 2.16+), else it may be TF 1's."""
    if init.written.startswith(KERAS_PATHS):
        return None
    if ".compat.v1." in init.written:
        return (PAD,)
    targets = interp.options.keras
    tf2 = (targets.tensorflow is not None and targets.tensorflow.major >= 2) or (
        targets.tf_keras.stated and targets.tf_keras.version.major >= 3)
    return (SIZE,) if tf2 else (PAD,)


def value_shape(interp: Evaluator, value: Value) -> Shape | None:
    if isinstance(value, TensorV):
        return interp.graph.nodes[value.node].shape
    return literal_shape(value)


def check_variable(c: Call, variable: TensorV) -> None:
    """`tf.get_variable(name, shape, initializer=tf.constant_initializer(W))`: an `initial_value` node."""
    init = c.get("initializer")
    if not isinstance(init, ConstantInitV):
        return
    shape, ways = value_shape(c.interp, init.value), tf_readings(c.interp, init)
    if shape is None or ways is None:
        return
    value = init.value.node if isinstance(init.value, TensorV) else \
        c.add("input", [], {"shape": shape, "kind": "constant"}).node
    c.add("initial_value", [value, variable.node], {"name": c.str_arg("name"), "readings": ways, "callee": init.shown})
