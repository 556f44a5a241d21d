"""CNN013 label-shape-mismatch."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from math import prod
from typing import Literal

from cnnlint.frontend.tensorflow import losses as tf
from cnnlint.ir import Feed, LossInputs, ModuleIR
from cnnlint.rules.base import Diagnostic, Extra, Rule, trace_of
from cnnlint.rules.feeding import (
    LABELLED,
    REGRESSION,
    Ints,
    _to_categorical,
    differs,
    ints,
    keras_adjusted_labels,
    label_problem,
    node_of,
    origin,
    text,
)
from cnnlint.rules.heads import AtLayer, fit_note, layer_fix, line_of, missing_flatten_at_fit, missing_flatten_at_loss


class LabelShapeMismatch(Rule):
    """
    ## What it does
    Reports labels passed to `fit`, `evaluate`, `train_on_batch` or `test_on_batch` that cannot
    match the model's output under the loss given to `compile` (a string, a `keras.losses`
    function or class): integer labels with `categorical_crossentropy`, one-hot labels with
    `sparse_categorical_crossentropy`, a class count that differs from the output's, binary
    labels against a multi-class output, regression targets of another shape; and labels with a
    different number of examples than the data. Keras's own adjustments are kept: labels of
    shape `(n,)` against an output `(None, 1)` (and `(n, 1)` for sparse labels) are fine.
    Under a target Keras that checks targets before running (Keras 1, standalone 2.0-2.3, tf.keras
    of TF <= 2.1) the labels must have the output's shape (`output[:-1] + (1,)` for
    `sparse_categorical_crossentropy`; a user-defined loss is not checked), and one column with
    `categorical_crossentropy` is refused, each with that version's message.

    Per-example labels refused only because the model's `Dense` head reads a feature map without
    a `Flatten` (its output is per position) are CNN010's finding, reported at that `Dense`.
    Where another layer certainly holds the fix, the finding is reported there, with the `fit` call
    as a related location: the output `Dense` whose `units` are the one axis that differs from the
    labels' last axis ("set `units=10` on this `Dense`"), a recurrent layer returning every step for
    per-example labels (`return_sequences=False`) or only its last step for per-step labels
    (`return_sequences=True`); docs/output.md lists when.

    In raw TensorFlow it reports labels and logits (or predictions) that the loss refuses:
    `tf.nn.softmax_cross_entropy_with_logits` (and `_v2`), whose labels must broadcast to the
    logits (class numbers `(n,)` against logits `(n, 10)` fail unless n is 1 or 10; with an
    unknown batch, for every batch but 1 and 10); `tf.nn.sigmoid_cross_entropy_with_logits` (one
    shape); `tf.nn.sparse_softmax_cross_entropy_with_logits` (one class number per row of logits);
    TF1's `tf.losses.*` / `tf.compat.v1.losses.*` (compatible shapes); Keras losses called
    directly (`tf.keras.losses.categorical_crossentropy(y, p)`, `CategoricalCrossentropy()(y, p)`,
    `mse`, ...); and `tf.equal` of shapes that do not broadcast. Where the file does not say which
    library a name is (`tf.losses.mean_squared_error` is TF1's, or Keras's in TF 2), only shapes
    every reading refuses are reported. The `tf.nn` losses are read only when called with
    `labels=` and `logits=` (TF 0.x took them positionally, in the other order).

    ## Why is this bad?
    Keras raises `ValueError: Arguments target and output must have the same shape` (or rank,
    or "Dimensions must be equal" for `mse` / `mae`) at the first batch, after loading the data
    and building the model; TensorFlow raises `logits and labels must be broadcastable` or
    `Incompatible shapes`. Shapes accepted by broadcasting (`(n, 1)` labels against a `(None, 3)`
    output under `mse`) compute a wrong loss without an error: CNN015 reports them.

    ## Example
    ```python
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x_train, y_train)  # y_train holds class numbers, shape (60000,)
    ```

    ## Use instead
    ```python
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train)
    ```

    ## Fix safety
    This rule has no automatic fix: one-hot encoding the labels and changing the loss are both
    correct, and the choice is the author's.

    ## References
    - [Keras: probabilistic losses](https://keras.io/api/losses/probabilistic_losses/)
    """

    code = "CNN013"
    name = "label-shape-mismatch"
    summary = "labels passed to `fit` / `evaluate` cannot match the model's output under its loss"
    VALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "(x, y), _ = keras.datasets.mnist.load_data()\n"
        "model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])\n"
        "model.compile('adam', 'sparse_categorical_crossentropy')\nmodel.fit(x, y)\n",
    )
    INVALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "(x, y), _ = keras.datasets.mnist.load_data()\n"
        "model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])\n"
        "model.compile('adam', 'categorical_crossentropy')\nmodel.fit(x, y)\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        moved = AtLayer()
        for feed_index, feed in enumerate(module.feeds):
            if feed.kind not in LABELLED:
                continue
            node = node_of(feed, feed.labels)
            labels = ints(node.shape if node else None)
            if node is None or labels is None or not labels:
                continue
            problem = self.cardinality(feed, labels) or self.under_loss(feed, labels)
            if problem is None:
                continue
            fix = layer_fix(module, feed, labels) if self.cardinality(feed, labels) is None else None
            if fix is None:
                message = f"labels `{feed.labels_text}`{origin(feed, node)} are {text(labels)}: {problem}"
                yield self.diagnostic(module, feed.loc, message, trace_of(feed.graph, node), Extra(feed=feed_index))
                continue
            # One layer certainly holds the fix (its units, its return_sequences): the finding is there.
            message = (f"labels `{feed.labels_text}`{origin(feed, node)} given to {feed.kind} on "
                       f"{line_of(module, feed.loc)} are {text(labels)}: {problem.split(';')[0]}; {fix.change}")
            moved.add(self.diagnostic(module, fix.at, message, trace_of(feed.graph, node),
                                      Extra(feed=feed_index), [(feed.loc, fit_note(feed, labels))]))
        yield from moved.diagnostics
        yield from loss_findings(self, module, "error")

    @staticmethod
    def cardinality(feed: Feed, labels: Ints) -> str | None:
        data = node_of(feed, feed.data[0]) if len(feed.data) == 1 else None
        shape = ints(data.shape if data else None)
        if shape and differs(shape[0], labels[0]):
            return f"{labels[0]} labels for {shape[0]} examples of `{feed.data_text[0]}` (Keras: data cardinality)"
        return None

    @staticmethod
    def under_loss(feed: Feed, labels: Ints) -> str | None:
        if missing_flatten_at_fit(feed) is not None:  # CNN010's: the fix is a Flatten at the head
            return None
        output = ints(feed.output)
        if feed.strict is not None:  # Keras 1-2.3, tf.keras of TF <= 2.1: checked before running
            # (where the check passes or cannot tell, the labels still meet the loss, as below)
            refused = LabelShapeMismatch.strict(feed, labels, output)
            return refused if refused is not None else label_problem(feed, labels, output)
        if feed.loss in REGRESSION and output and len(labels) == 1 and len(output) == 2 and labels[0] == output[1]:
            return None  # n labels against n units: a batch of all n broadcasts (Keras trains), others fail
        return label_problem(feed, labels, output)

    @staticmethod
    def strict(feed: Feed, labels: Ints, output: Ints | None) -> str | None:
        """Early Keras's refusal of the labels (`standardize_input_data` against the loss's target
        shape, then `check_loss_and_target_compatibility`), with the usual fix."""
        fit = feed.strict
        if fit is None or output is None:
            return None
        refused = fit.target_refusal(feed.loss, labels, output)
        if refused is None:
            return None
        targets = fit.standardized(labels, output)
        hint = ""
        if feed.loss == "categorical_crossentropy" and targets[-1] == 1 and len(targets) == len(output):
            hint = (f"; these are class numbers: one-hot them with {_to_categorical(feed.labels_text, output[-1])} "
                    "or use sparse_categorical_crossentropy")
        elif (feed.loss == "sparse_categorical_crossentropy" and len(targets) == len(output)
              and targets[-1] is not None and targets[-1] > 1 and targets[-1] == output[-1]):
            hint = "; these look one-hot: use categorical_crossentropy"
        return f"{fit.keras} checks them before running and raises `{refused}`{hint}"


# -- losses and accuracies computed in raw TensorFlow (`ir.LossInputs`), shared with CNN015 ------------
@dataclass(frozen=True)
class Verdict:
    """What the library does with the two shapes: raises (`error`, CNN013) or broadcasts them to a
    bigger shape and computes a wrong loss (`broadcast`, CNN015); `why` completes the message."""

    kind: Literal["error", "broadcast"]
    why: str


LossRule = Callable[[Ints, Ints], Verdict | None]
BROADCASTABLE = "TensorFlow raises `logits and labels must be broadcastable`"
TF1_REFUSED = ("TensorFlow 1.x before the broadcasting of tensorflow/tensorflow#16784 (early 2018) refused "
               "labels of another shape than the logits")


def _more_than_one(d: int | None, batch: bool) -> tuple[bool, bool]:
    """(d is certainly more than 1, only by assuming a batch of more than one example)."""
    if d is not None:
        return d > 1, False
    return batch, batch


@dataclass(frozen=True)
class Broadcast:
    """NumPy broadcasting of `a` against `b`, where certain: it fails, or it makes `a` (`b`) bigger."""

    fails: bool
    a_grows: bool
    b_grows: bool
    assumed_batch: bool  # a grows only for a batch of more than one example


def broadcast(a: Ints, b: Ints, batch: bool = True) -> Broadcast:
    """`batch`: axis 0 of each is its batch (an unknown size there is taken as more than one)."""
    fails = a_grows = b_grows = assumed = False
    for k in range(1, max(len(a), len(b)) + 1):
        da, db = (a[-k] if k <= len(a) else 1), (b[-k] if k <= len(b) else 1)
        if differs(da, db) and da != 1 and db != 1:
            fails = True
        if da == 1:
            grows, by_batch = _more_than_one(db, batch and k == len(b))
            a_grows, assumed = a_grows or grows, assumed or (grows and by_batch)
        if db == 1:
            grows, by_batch = _more_than_one(da, batch and k == len(a))
            b_grows, assumed = b_grows or grows, assumed or (grows and by_batch)
    return Broadcast(fails, a_grows, b_grows, assumed)


def broadcast_shape(a: Ints, b: Ints) -> Ints:
    """The shape NumPy broadcasting gives, where it does not fail (None: unknown size)."""
    out: list[int | None] = []
    for k in range(max(len(a), len(b)), 0, -1):
        da, db = (a[-k] if k <= len(a) else 1), (b[-k] if k <= len(b) else 1)
        out.append(db if da == 1 else da if db == 1 else da if da is not None else db)
    return tuple(out)


def _batch_note(b: Broadcast) -> str:
    return " for any batch of more than one example" if b.assumed_batch else ""


def _same_shape(what: str) -> LossRule:
    def check(labels: Ints, predictions: Ints) -> Verdict | None:
        if len(labels) != len(predictions) or any(differs(x, y) for x, y in zip(labels, predictions, strict=True)):
            return Verdict("error", what)
        return None

    return check


def _rows(shape: Ints) -> int | None:
    outer = shape[:-1]
    return None if None in outer else prod(d for d in outer if d is not None)


def softmax_cross_entropy(labels: Ints, logits: Ints) -> Verdict | None:
    """`tf.nn.softmax_cross_entropy_with_logits` (since tensorflow/tensorflow#16784): both are flattened to matrices of
    (rows, classes), which must broadcast, and the loss is reshaped to the logits' rows."""
    if not labels or not logits:
        return None
    label_rows, classes, logit_rows, logit_classes = _rows(labels), labels[-1], _rows(logits), logits[-1]
    if differs(classes, logit_classes) and classes != 1 and logit_classes != 1:
        where = "one row of" if len(labels) == 1 else "rows of"
        return Verdict("error", f"the labels are {where} {classes} values against {logit_classes} logits per example: "
                                f"{BROADCASTABLE}")
    if len(labels) == 1 and classes is None and logit_classes is not None and logit_classes > 1:
        return Verdict("error", f"labels of rank 1 are read as one row of a batch's size against {logit_classes} "
                                f"logits per example: {BROADCASTABLE} for any batch other than 1 or {logit_classes}; "
                                "for class numbers use tf.nn.sparse_softmax_cross_entropy_with_logits")
    if differs(label_rows, logit_rows) and label_rows != 1:
        return Verdict("error", f"{label_rows} rows of labels against {logit_rows} rows of logits: {BROADCASTABLE}")
    rows_grow = label_rows == 1 and (logit_rows > 1 if logit_rows is not None else len(logits) == 2)
    assumed = rows_grow and logit_rows is None
    columns_grow = ((classes == 1 and logit_classes is not None and logit_classes > 1)
                    or (logit_classes == 1 and classes is not None and classes > 1))
    if columns_grow or rows_grow:
        batch = " for any batch of more than one example" if assumed and not columns_grow else ""
        return Verdict("broadcast", f"TensorFlow broadcasts them instead of matching labels to logits{batch}; "
                                    f"{TF1_REFUSED}")
    return None


def sparse_softmax_cross_entropy(labels: Ints, logits: Ints, squeeze: bool = False) -> Verdict | None:
    """`tf.nn.sparse_softmax_cross_entropy_with_logits`: one class number per row of logits.
    TF1's `tf.losses` and Keras first drop a trailing 1 of labels of the logits' rank (`squeeze`)."""
    if squeeze and len(labels) == len(logits) and labels and labels[-1] == 1:
        labels = labels[:-1]
    if len(labels) != len(logits) - 1:
        return Verdict("error", f"class-number labels need rank {len(logits) - 1} (the logits' rank less the class "
                                "axis); for one-hot labels use the non-sparse loss")
    axes = [i for i in range(len(labels)) if differs(labels[i], logits[i])]
    if axes:
        return Verdict("error", f"labels and logits differ on axis {axes[0]}")
    return None


def _regression(labels: Ints, predictions: Ints) -> Verdict | None:
    """Keras `mse` / `mae`: a trailing 1 is added or dropped to match ranks, then they broadcast."""
    b = broadcast(keras_adjusted_labels(labels, predictions), predictions)
    if b.fails:
        return Verdict("error", "Keras subtracts shapes that do not broadcast")
    if b.a_grows or b.b_grows:
        return Verdict("broadcast", "Keras broadcasts them instead of matching labels to predictions" + _batch_note(b))
    return None


def _unadjusted_regression(labels: Ints, predictions: Ints) -> Verdict | None:
    """Keras 1-2's `mse` / `mae` functions called directly: they subtract as given (no rank
    adjustment), so `(n,)` labels against `(n, 1)` predictions pair every label with every one."""
    b = broadcast(labels, predictions)
    if b.fails:
        return Verdict("error", "Keras subtracts shapes that do not broadcast")
    if b.a_grows or b.b_grows:
        shape = ", ".join("None" if d is None else str(d) for d in broadcast_shape(labels, predictions))
        return Verdict("broadcast", f"this Keras's loss functions subtract them as given (no rank matching), "
                       f"a ({shape}{',' if shape.count(',') == 0 else ''}) difference" + _batch_note(b))
    return None


def _binary(labels: Ints, predictions: Ints) -> Verdict | None:
    # Keras 3 needs the same shape, tf-keras broadcasts: only shapes neither accepts are certain.
    if broadcast(keras_adjusted_labels(labels, predictions), predictions).fails:
        return Verdict("error", "binary_crossentropy needs labels of the predictions' shape")
    return None


def _equal(a: Ints, b: Ints) -> Verdict | None:
    if broadcast(a, b).fails:
        return Verdict("error", "TensorFlow raises `Incompatible shapes`")
    return None


def _bigger_than_both(what: str) -> LossRule:
    def check(a: Ints, b: Ints) -> Verdict | None:
        found = broadcast(a, b)
        if not found.fails and found.a_grows and found.b_grows:
            return Verdict("broadcast", f"{what}{_batch_note(found)}")
        return None

    return check


TF1_SAME_SHAPE = "TF1's tf.losses asserts that labels and predictions have compatible shapes"
LOSS_RULES: dict[str, LossRule] = {
    tf.SOFTMAX: softmax_cross_entropy,
    tf.SIGMOID: _same_shape("tf.nn.sigmoid_cross_entropy_with_logits needs labels of the logits' shape"),
    tf.SPARSE: sparse_softmax_cross_entropy,
    tf.TF1_SAME: _same_shape(TF1_SAME_SHAPE),
    tf.TF1_SPARSE: lambda labels, logits: sparse_softmax_cross_entropy(labels, logits, squeeze=True),
    tf.KERAS_CATEGORICAL: _same_shape("categorical_crossentropy needs one-hot labels of the predictions' shape"),
    tf.KERAS_SPARSE: lambda labels, logits: sparse_softmax_cross_entropy(labels, logits, squeeze=True),
    tf.KERAS_BINARY: _binary,
    tf.KERAS_REGRESSION: _regression,
    tf.KERAS2_REGRESSION: _unadjusted_regression,
    tf.EQUAL: _equal,
    tf.ACCURACY: _bigger_than_both("`==` compares every label with every prediction: the accuracy is wrong"),
    tf.DIFFERENCE: _bigger_than_both("the difference pairs every label with every prediction: the loss is wrong"),
}


LOGITS = frozenset({tf.SOFTMAX, tf.SIGMOID, tf.SPARSE, tf.TF1_SPARSE})


def loss_verdict(loss: LossInputs) -> tuple[Verdict, Ints, Ints] | None:
    """The verdict on a loss for every library it may be computed by: an error where each refuses
    the shapes, a broadcast where each is wrong and one broadcasts; None otherwise."""
    if loss.labels is None or loss.predictions is None:
        return None
    labels, predictions = ints(loss.graph.nodes[loss.labels].shape), ints(loss.graph.nodes[loss.predictions].shape)
    if labels is None or predictions is None:
        return None
    verdicts = [LOSS_RULES[reading](labels, predictions) for reading in loss.readings if reading in LOSS_RULES]
    if not verdicts or any(v is None for v in verdicts) or len(verdicts) != len(loss.readings):
        return None
    found = [v for v in verdicts if v is not None]
    if len(found) == 1:
        return found[0], labels, predictions
    kind: Literal["error", "broadcast"] = "error" if all(v.kind == "error" for v in found) else "broadcast"
    chosen = next(v for v in found if v.kind == kind)
    others = "; ".join(v.why for v in found if v is not chosen)
    return Verdict(kind, f"{chosen.why} ({others})"), labels, predictions


def loss_message(loss: LossInputs, verdict: Verdict, labels: Ints, predictions: Ints) -> str:
    names = ("labels", "logits") if loss.readings[0] in LOGITS else ("labels", "predictions")
    if loss.readings[0] in (tf.EQUAL, tf.ACCURACY, tf.DIFFERENCE):
        shown = f" broadcast to {text(broadcast_shape(labels, predictions))}" if verdict.kind == "broadcast" else ""
        return (f"`{loss.api}` of {loss.labels_text} {text(labels)} and {loss.predictions_text} {text(predictions)}"
                f"{shown}: {verdict.why}")
    return (f"`{loss.api}`: {names[0]} {loss.labels_text} are {text(labels)} and {names[1]} "
            f"{loss.predictions_text} are {text(predictions)}: {verdict.why}")


def loss_findings(rule: Rule, module: ModuleIR, kind: str) -> Iterator[Diagnostic]:
    for loss in module.losses:
        found = loss_verdict(loss)
        if found is None or found[0].kind != kind or missing_flatten_at_loss(loss) is not None:
            continue  # (a missing Flatten is CNN010's, at the head)
        verdict, labels, predictions = found
        message = loss_message(loss, verdict, labels, predictions)
        if loss.origin is not None:  # recomputed with the shapes of a `feed_dict`, reported at the feed
            if loss_verdict(loss.origin) is not None:
                continue  # already reported at the loss
            message += f" (computed at line {loss.origin.loc.line}, {loss.graph.fed})"
        if loss.labels is not None:
            yield rule.diagnostic(module, loss.loc, message, trace_of(loss.graph, loss.graph.nodes[loss.labels]))

