"""`tf.nn.dropout`: an element-wise op whose second argument TF1 reads as `keep_prob` and TF2 as
the drop `rate`; what the code gives it is stated as a `DropoutRate` finding (CNN207)."""

from __future__ import annotations

import libcst as cst

from cnnlint.frontend.library import Call
from cnnlint.frontend.python.values import UNKNOWN, Const, Value
from cnnlint.frontend.tensorflow.findings import DropoutRate
from cnnlint.frontend.tensorflow.registry import api

NN = "tensorflow.nn"


def certainly_tf2(c: Call) -> bool:
    """Whether this `tf.nn.dropout` is TF2's: reached through `tf.compat.v2`, or plain `tf.nn`
    where the project pins TensorFlow 2 or states Keras 3 (TF 2.16+); never `tf.compat.v1`'s."""
    if ".compat.v1." in c.written:
        return False
    if ".compat.v2." in c.written:
        return True
    targets = c.interp.options.keras
    return (targets.tensorflow is not None and targets.tensorflow.major >= 2) or (
        targets.tf_keras.stated and targets.tf_keras.version.major >= 3)


def keep_name(node: cst.BaseExpression | None) -> bool:
    """A variable (or attribute) whose name says it is a keep probability: `keep_prob`, `self.keep`."""
    if isinstance(node, cst.Attribute):
        node = node.attr
    return isinstance(node, cst.Name) and "keep" in node.value.lower()


def number(value: Value) -> float | None:
    if isinstance(value, Const) and isinstance(value.value, (int, float)) and not isinstance(value.value, bool):
        return float(value.value)
    return None


@api(f"{NN}.dropout", params="x second", aliases={"features": "x", "input": "x", "value": "x", "t": "x"})
def dropout(c: Call) -> Value:
    if "keep_prob" not in c.args and c.site is not None:
        name = "rate" if "rate" in c.args else "second" if "second" in c.args else None
        node = c.source_nodes.get(name) if name is not None else None
        if name is not None and node is not None:
            c.interp.finding(c.site, DropoutRate(c.interp.code(node), number(c.args[name]), name == "second",
                                                 keep_name(node), certainly_tf2(c)))
    x = c.tensor("x")
    if x is None:
        value = c.get("x")
        return UNKNOWN if not isinstance(value, Const) else value
    return c.add("identity", [x], {})
