"""`kernel_initializer=Constant(W)`, `embeddings_initializer=Constant(matrix)`, ...: the value of a
`Constant` initializer checked against the weight it fills when the layer is first built (CNN011).

How each implementation fills a weight from its value (measured in tests/test_constant_initializer.py,
docs/weights.md): Keras 3 broadcasts it (`value * ones(shape)`), TF 2's `tf.constant(value,
shape=shape)` (tf-keras, `tf.constant_initializer`) reshapes it and needs as many values (or one),
TF 1's `constant_v1` (Keras 2 of the TensorFlow 1 era) repeats the last value where there are fewer
and refuses more. A finding needs every implementation the code may be read for to refuse it.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from cnnlint.frontend.keras import versions
from cnnlint.frontend.keras.values import LayerV
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.tensor import TensorV
from cnnlint.frontend.tensorflow.initializers import ConstantInitV, tf_readings, value_shape
from cnnlint.ir import Loc
from cnnlint.shapes import layer_weights
from cnnlint.shapes.problems import BROADCAST, PAD, SIZE
from cnnlint.targets import KerasTarget

# The constructor argument -> the weight it fills, by the name Keras 2 and 3 give it. Only the
# layers whose `build` calls the initializer with the weight's own shape (an LSTM's bias
# initializer, for one, is called per gate: not here).
ARGUMENTS = {
    "kernel_initializer": "kernel",
    "bias_initializer": "bias",
    "embeddings_initializer": "embeddings",
    "depthwise_initializer": "depthwise_kernel",
    "pointwise_initializer": "pointwise_kernel",
}
OPS = frozenset(("dense", "conv", "conv_transpose", "depthwise_conv", "embedding"))


def _keras_readings(target: KerasTarget) -> tuple[str, ...] | None:
    """A Keras `Constant`: Keras 3 broadcasts; tf.keras of TF 2.2+ (Keras 2.3+) and standalone
    Keras 2.4+ (tf.keras) call TF 2's `tf.constant`; standalone 2.0-2.3 call `K.constant` (TF 1's
    `constant_v1`, or Theano's and CNTK's `value * np.ones(shape)`), tf.keras of TF 1 `constant_v1`.
    Keras 1 has no `Constant`. Unstated: any of them."""
    if not target.stated:
        return (BROADCAST, PAD)
    if target.version.major >= 3:
        return (BROADCAST,)
    if target.version.major < 2:
        return None
    if target.version.at_least(2, 3) if target.in_tensorflow else target.version.at_least(2, 4):
        return (SIZE,)
    return (PAD,) if target.in_tensorflow else (BROADCAST, PAD)


def readings(interp: Evaluator, init: ConstantInitV) -> tuple[str, ...] | None:
    """How the initializer may fill a weight: each of `READINGS` the code may be read for."""
    own = tf_readings(interp, init)  # `tf.constant_initializer`: TensorFlow's own
    if own is not None:
        return own
    if ".compat.v1." in init.written:  # `tf.compat.v1.keras.initializers`: TF 1's classes, or Keras 3's
        return (BROADCAST, PAD)
    # (`tf.initializers` is tf.keras's: Keras 3's from TF 2.16, measured; TF 1's own classes before)
    return _keras_readings(versions.target_for(interp, init.written))


def check_constants(interp: Evaluator, layer: LayerV, x: int, op: str, attrs: Mapping[str, object],
                    loc: Loc) -> None:
    """At the layer's first build (`layer.applied` not yet set): one `set_weights` node (with its
    `initializer`) per `Constant` argument whose value's shape is known."""
    given = {a: init for a in ARGUMENTS if isinstance(init := layer.args.get(a), ConstantInitV)}
    if not given or layer.applied is not None or op not in OPS:
        return
    if isinstance(layer.site, cst.Call) and interp.owns(layer.site):
        loc = interp.loc(layer.site)  # the constructor: where the argument is written
    found = layer_weights(op, [interp.graph.nodes[x].shape], attrs)
    names = {w.name for w in found or ()}
    for argument, init in given.items():
        weight = ARGUMENTS[argument]
        if op == "depthwise_conv":  # Keras 3 names the depthwise kernel `kernel`; a `kernel_initializer` is refused
            weight = {"kernel_initializer": "", "depthwise_initializer": next(
                (n for n in ("depthwise_kernel", "kernel") if n in names), "")}.get(argument, weight)
        shape = value_shape(interp, init.value)
        ways = readings(interp, init)
        if weight not in names or shape is None or ways is None:
            continue
        value = init.value.node if isinstance(init.value, TensorV) else \
            interp.graph.add("input", "Constant", [], {"shape": shape, "kind": "constant"}, loc).id
        interp.graph.add("set_weights", f"{layer.kind}.{argument}", [x, value],
                         {"layer_op": op, "layer_attrs": attrs, "layer_name": layer.name, "kind": layer.kind,
                          "initializer": argument, "weight": weight, "readings": ways,
                          "callee": init.shown}, loc)
