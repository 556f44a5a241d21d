"""Losses and metrics computed from labels and predictions in raw TensorFlow: `tf.nn.*_cross_entropy*`,
TF1's `tf.losses.*`, Keras loss functions called directly, `tf.argmax` / `tf.equal` accuracies and
hand-written `tf.reduce_mean(tf.square(y - pred))`.

Each becomes an `ir.LossInputs` naming the library rule (the reading) it is computed by; the
rules (CNN013, CNN015) know what each reading does with the two shapes.
"""

from __future__ import annotations

from collections.abc import Callable

import libcst as cst

from cnnlint.frontend.keras import versions
from cnnlint.frontend.library import Call
from cnnlint.frontend.losses_common import ACCURACY as ACCURACY  # re-exported: the rules' readings
from cnnlint.frontend.losses_common import DIFFERENCE as DIFFERENCE
from cnnlint.frontend.losses_common import note_reduction as shared_note_reduction
from cnnlint.frontend.losses_common import record
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import Const, Value, as_int
from cnnlint.frontend.tensor import TensorV
from cnnlint.frontend.tensorflow.registry import api
from cnnlint.ir import LossInputs

TF = "tensorflow"
NN = "tensorflow.nn"
# What the Keras plugin's loss classes evaluate to (`keras.losses.CategoricalCrossentropy()`):
# `frontend/keras/training.py`'s LOSS_PREFIX, read here when such an object is called.
KERAS_LOSS_PREFIX = "keras-loss:"

# The readings: how a library combines labels and predictions (the rules' `LOSS_RULES` keys).
SOFTMAX = "tf.nn.softmax_cross_entropy_with_logits"
SIGMOID = "tf.nn.sigmoid_cross_entropy_with_logits"
SPARSE = "tf.nn.sparse_softmax_cross_entropy_with_logits"
TF1_SAME = "tf1.losses"  # TF1 losses that assert compatible shapes
TF1_SPARSE = "tf1.losses.sparse_softmax_cross_entropy"
KERAS_CATEGORICAL = "keras.categorical_crossentropy"
KERAS_SPARSE = "keras.sparse_categorical_crossentropy"
KERAS_BINARY = "keras.binary_crossentropy"
KERAS_REGRESSION = "keras.regression"  # mse / mae
KERAS2_REGRESSION = "keras2.regression"  # mse / mae functions of Keras 1-2 called directly: no squeeze
EQUAL = "tf.equal"
# ACCURACY, DIFFERENCE (hand-written, shared with the NumPy plugin): `cnnlint.frontend.losses_common`.

KERAS_FUNCTIONS = {
    "categorical_crossentropy": KERAS_CATEGORICAL, "sparse_categorical_crossentropy": KERAS_SPARSE,
    "binary_crossentropy": KERAS_BINARY, "mse": KERAS_REGRESSION, "MSE": KERAS_REGRESSION,
    "mean_squared_error": KERAS_REGRESSION, "mae": KERAS_REGRESSION, "MAE": KERAS_REGRESSION,
    "mean_absolute_error": KERAS_REGRESSION,
}
KERAS_CLASSES = {
    "categorical_crossentropy": KERAS_CATEGORICAL, "sparse_categorical_crossentropy": KERAS_SPARSE,
    "binary_crossentropy": KERAS_BINARY, "mean_squared_error": KERAS_REGRESSION,
    "mean_absolute_error": KERAS_REGRESSION,
}


def _texts(c: Call, labels: str, predictions: str) -> tuple[str, str]:
    sources = c.sources()
    return f"`{sources.get(labels, labels)}`", f"`{sources.get(predictions, predictions)}`"


def _per_example(c: Call, predictions: str) -> Value:
    """The loss per example: the predictions without their last (class) axis."""
    node = c.tensor(predictions)
    if node is None:
        return c.opaque()
    return c.add("reduce", [node], {"axis": [-1], "keepdims": False})


def _scalar(c: Call, predictions: str) -> Value:
    node = c.tensor(predictions)
    if node is None or c.has("reduction"):
        return c.opaque([node] if node is not None else None)
    return c.add("reduce", [node], {"axis": None, "keepdims": False})


# -- tf.nn ------------------------------------------------------------------------------------
def _record_nn(c: Call, reading: str) -> None:
    # Only with keywords: TF 0.x took `(logits, labels)` positionally, TF 2 takes `(labels, logits)`.
    if {"labels", "logits"} <= c.kwarg_names:
        record(c.interp, (reading,), c.shown, c, c.args.get("labels"), c.args.get("logits"),
               _texts(c, "labels", "logits"))


@api(f"{NN}.softmax_cross_entropy_with_logits", f"{NN}.softmax_cross_entropy_with_logits_v2",
     params="labels logits axis name", aliases={"dim": "axis"})
def softmax_cross_entropy(c: Call) -> Value:
    if as_int(c.get("axis", Const(-1))) != -1:
        return c.opaque([c.tensor("logits")])
    _record_nn(c, SOFTMAX)
    return _per_example(c, "logits")


@api(f"{NN}.sigmoid_cross_entropy_with_logits", params="labels logits name")
def sigmoid_cross_entropy(c: Call) -> Value:
    _record_nn(c, SIGMOID)
    logits = c.tensor("logits")
    return c.add("identity", [logits], {}) if logits is not None else c.opaque()


@api(f"{NN}.sparse_softmax_cross_entropy_with_logits", params="labels logits name")
def sparse_softmax_cross_entropy(c: Call) -> Value:
    _record_nn(c, SPARSE)
    return _per_example(c, "logits")


# -- tf.losses (TF1) and tf.compat.v1.losses ----------------------------------------------------
def _tf1_loss(reading: str, labels: str, predictions: str) -> Callable[[Call], Value]:
    def handler(c: Call) -> Value:
        record(c.interp, (reading,), c.shown, c, c.args.get(labels), c.args.get(predictions),
               _texts(c, labels, predictions))
        return _scalar(c, predictions)

    return handler


# Names only TF1's `tf.losses` has: whichever module path reached them, they are TF1's.
for _name, _reading, _labels, _predictions in (
    ("softmax_cross_entropy", TF1_SAME, "onehot_labels", "logits"),
    ("sparse_softmax_cross_entropy", TF1_SPARSE, "labels", "logits"),
    ("sigmoid_cross_entropy", TF1_SAME, "multi_class_labels", "logits"),
    ("log_loss", TF1_SAME, "labels", "predictions"),
    ("absolute_difference", TF1_SAME, "labels", "predictions"),
):
    api(f"{TF}.losses.{_name}", params=f"{_labels} {_predictions} weights")(_tf1_loss(_reading, _labels, _predictions))


@api(f"{TF}.losses.mean_squared_error", params="labels predictions weights",
     aliases={"y_true": "labels", "y_pred": "predictions"})
def tf_losses_mean_squared_error(c: Call) -> Value:
    """TF1's `tf.losses.mean_squared_error(labels, predictions)` or, in TF 2 with tf-keras, Keras's
    `(y_true, y_pred)`: `tf.compat.v1` or the keyword names say which; else both readings."""
    if c.written.startswith(f"{TF}.compat.v1.") or c.kwarg_names & {"labels", "predictions", "weights"}:
        readings: tuple[str, ...] = (TF1_SAME,)
    elif c.written.startswith(f"{TF}.compat.v2.") or c.kwarg_names & {"y_true", "y_pred"}:
        readings = (KERAS_REGRESSION,)
    else:
        readings = (TF1_SAME, KERAS_REGRESSION)
    record(c.interp, readings, c.shown, c, c.args.get("labels"), c.args.get("predictions"),
           _texts(c, "labels", "predictions"))
    return _scalar(c, "predictions") if readings == (TF1_SAME,) else c.opaque()


# -- Keras loss functions called directly (`tf.keras.losses.mse(y, p)`, TF 2's `tf.losses.mse`) ----
def _keras_function(reading: str) -> Callable[[Call], Value]:
    def handler(c: Call) -> Value:
        readings = (reading,)
        if reading == KERAS_REGRESSION and versions.loss_functions_squeeze(versions.target_of(c)) is False:
            readings = (KERAS2_REGRESSION,)  # Keras 1-2: `mean(square(y_pred - y_true), axis=-1)`
        record(c.interp, readings, c.shown, c, c.args.get("y_true"), c.args.get("y_pred"),
               _texts(c, "y_true", "y_pred"))
        if reading == KERAS_REGRESSION:
            return c.opaque()  # its shape is the broadcast's, less the last axis
        return _per_example(c, "y_pred")

    return handler


for _name, _reading in KERAS_FUNCTIONS.items():
    _names = [f"keras.losses.{_name}", f"keras.metrics.{_name}"]
    if _name != "mean_squared_error":  # TF1's own, above
        _names.append(f"{TF}.losses.{_name}")
    api(*_names, params="y_true y_pred")(_keras_function(_reading))


def call_keras_loss(interp: Evaluator, loss: Const, args: list[Value], kwargs: dict[str, Value],
                    site: cst.CSTNode | None) -> Value | None:
    """`keras.losses.CategoricalCrossentropy()(y, p)`: a Keras loss object called (a scalar)."""
    name = str(loss.value)[len(KERAS_LOSS_PREFIX):].split("|")[0]  # (a `|from_logits` mark)
    reading = KERAS_CLASSES.get(name)
    if reading is None or site is None:
        return None
    labels = kwargs.get("y_true", args[0] if args else None)
    predictions = kwargs.get("y_pred", args[1] if len(args) > 1 else None)
    loc = interp.loc(site)
    texts = (_value_text(interp, labels, "y_true"), _value_text(interp, predictions, "y_pred"))
    if isinstance(labels, TensorV) and isinstance(predictions, TensorV):
        shown = interp.code(site.func) if isinstance(site, cst.Call) else name
        interp.ir.losses.append(LossInputs((reading,), shown, loc, interp.graph, labels.node, predictions.node, *texts))
        return TensorV(interp.graph.add("reduce", name, [predictions.node], {"axis": None, "keepdims": False},
                                        loc).id)
    return None


def _value_text(interp: Evaluator, value: Value | None, default: str) -> str:
    return interp.graph.describe(value.node) if isinstance(value, TensorV) else f"`{default}`"


# -- accuracies: tf.argmax, tf.equal ------------------------------------------------------------
@api(f"{TF}.argmax", f"{TF}.argmin", f"{TF}.math.argmax", f"{TF}.math.argmin",
     params="input axis name dimension output_type", aliases={"dimension": "axis"})
def argmax(c: Call) -> Value:
    axis = c.get("axis", Const(None))
    index = 0 if isinstance(axis, Const) and axis.value is None else as_int(axis)
    x = c.tensor("input")
    if index is None or x is None:
        return c.opaque([x] if x is not None else None)
    return c.add("reduce", [x], {"axis": [index], "keepdims": False, "dtype": "int"})


@api(f"{TF}.equal", f"{TF}.math.equal", f"{TF}.not_equal", f"{TF}.math.not_equal", params="x y name")
def equal(c: Call) -> Value:
    x, y = c.tensor("x"), c.tensor("y")
    fn = "!=" if c.path.endswith("not_equal") else "=="
    if fn == "==":
        record(c.interp, (EQUAL,), c.shown, c, c.args.get("x"), c.args.get("y"), _texts(c, "x", "y"))
    if x is None or y is None:
        return c.opaque([n for n in (x, y) if n is not None] or None)  # broadcast with an unknown: unknown
    return c.add("compare", [x, y], {"fn": fn, "dtype": "bool"})


# -- hand-written losses and accuracies: a reduction of `y - pred` or of `y == pred` ------------------
def note_reduction(c: Call, result: TensorV) -> None:
    """`tf.reduce_mean(tf.square(y - pred))`, `tf.reduce_mean(tf.cast(tf.equal(a, b), tf.float32))`:
    the operands of the difference or comparison that is reduced, as a loss or an accuracy."""
    shared_note_reduction(c.interp, result, accuracy=c.path.endswith("reduce_mean"), numpy=False)
