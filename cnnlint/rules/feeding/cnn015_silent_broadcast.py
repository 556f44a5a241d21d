"""CNN015 silent-broadcast."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.frontend.losses_common import NUMPY_ACCURACY, NUMPY_DIFFERENCE
from cnnlint.ir import ModuleIR
from cnnlint.rules.base import Diagnostic, Extra, Rule, trace_of
from cnnlint.rules.feeding import (
    BROADCAST_LOSSES,
    LABELLED,
    REGRESSION,
    differs,
    ints,
    keras_adjusted_labels,
    node_of,
    text,
)
from cnnlint.rules.feeding.cnn013_label_shape_mismatch import broadcast, broadcast_shape, loss_findings
from cnnlint.rules.heads import AtLayer, fit_note, layer_fix, line_of, missing_flatten_at_fit
from cnnlint.shapes.feeding import keras2_adjusted_labels


class SilentBroadcast(Rule):
    """
    ## What it does
    Reports a loss or an accuracy whose labels and predictions broadcast against each other
    instead of matching, so that TensorFlow computes it without an error on the wrong values:

    - a hand-written loss, `tf.reduce_mean(tf.square(y - pred))` (or `reduce_sum`, `tf.abs`,
      `tf.squared_difference`), where `y - pred` is bigger than both, as labels `(n,)` minus
      predictions `(n, 1)` give `(n, n)`: every label paired with every prediction;
    - an accuracy `tf.reduce_mean(tf.cast(tf.equal(a, b), tf.float32))` of `(n,)` and `(n, 1)`;
    - `tf.nn.softmax_cross_entropy_with_logits` with labels that broadcast to the logits
      (`(n, 1)` labels, or class numbers `(n,)` when n equals the number of classes);
    - a Keras `mse` / `mae` (compiled, or called as `tf.keras.losses.mse(y, p)`) whose labels
      broadcast against the output: `(n, 1)` labels for a `(None, 10)` output (a compiled loss
      under a target that checks targets before running, Keras 1-2.3, is CNN013's error instead);
    - `tf.losses.mean_squared_error(y, p)` where TF 2 (Keras) broadcasts and TF1 refuses;
    - a metric computed in NumPy, `np.mean(np.square(y - model.predict(x)))` (or `np.sum`,
      `.mean()`, `.sum()`, `np.subtract`, `np.abs`, `** 2`) or `np.mean(np.argmax(p, 1) == y)`,
      whose operands broadcast to a shape bigger than both: `(404,)` targets against the
      `(404, 1)` predictions of a `Dense(1)` model give a `(404, 404)` matrix.

    A broadcast written on purpose is not reported: operands given a new axis by the program
    (`a[:, None] - b[None, :]`, `np.expand_dims`, a reshape) or one made from the other
    (`x - x.mean(axis=0)`).

    A compiled loss's finding is reported at the layer that certainly holds the fix, with the
    `fit` call as a related location, as CNN013's (the `Dense` whose `units` differ from the labels'
    last axis, a recurrent layer's `return_sequences`; docs/output.md); else at `fit`.

    An unknown batch size is taken to be more than one example; other unknown sizes stay quiet.
    Shapes that cannot broadcast at all are errors (CNN013, CNN008), not this warning.

    ## Why is this bad?
    Nothing fails: the model trains on a meaningless loss (or reports a meaningless accuracy)
    and the author looks for the bug in the model or the data instead.

    TensorFlow 1.x releases before early 2018 refused what `softmax_cross_entropy_with_logits`
    now broadcasts: the kernel (`tensorflow/core/kernels/xent_op.cc`) checked
    `OP_REQUIRES(context, logits_in.IsSameSize(labels_in), errors::InvalidArgument("logits and
    labels must be same size: ..."))` until tensorflow/tensorflow#16784 (February 2018) added
    broadcasting. TF1's `tf.losses.*` still assert compatible shapes (`assert_is_compatible_with`).

    ## Example
    ```python
    y = tf.placeholder(tf.float32, [None])
    pred = tf.layers.dense(x, 1)  # (None, 1)
    loss = tf.reduce_mean(tf.square(y - pred))  # (None, None)
    ```

    ## Use instead
    ```python
    loss = tf.reduce_mean(tf.square(y - tf.squeeze(pred, axis=1)))  # (None,)
    ```

    ## Fix safety
    This rule has no automatic fix: which operand has the wrong shape is the author's choice.

    ## References
    - [tensorflow/tensorflow#16784: broadcast support for softmax_cross_entropy_with_logits](https://github.com/tensorflow/tensorflow/pull/16784)
    - [NumPy: broadcasting](https://numpy.org/doc/stable/user/basics.broadcasting.html)
    - [TensorFlow: tf.nn.softmax_cross_entropy_with_logits](https://www.tensorflow.org/api_docs/python/tf/nn/softmax_cross_entropy_with_logits)
    """

    code = "CNN015"
    name = "silent-broadcast"
    severity = "warning"
    summary = "a loss or metric whose labels and predictions broadcast to a bigger shape instead of matching"
    VALID = (
        "import numpy as np\nimport tensorflow as tf\ny = np.zeros((32,), np.float32)\n"
        "pred = np.zeros((32, 1), np.float32)\nloss = tf.reduce_mean(tf.square(y - tf.squeeze(pred, axis=1)))\n",
    )
    INVALID = (
        "import numpy as np\nimport tensorflow as tf\ny = np.zeros((32,), np.float32)\n"
        "pred = np.zeros((32, 1), np.float32)\nloss = tf.reduce_mean(tf.square(y - pred))\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        yield from loss_findings(self, module, "broadcast")
        yield from self._numpy_metrics(module)
        moved = AtLayer()
        for feed_index, feed in enumerate(module.feeds):
            # A compiled Keras regression loss: labels Keras broadcasts against the model's output.
            losses = BROADCAST_LOSSES if feed.labels_broadcast else REGRESSION
            if feed.kind not in LABELLED or feed.loss not in losses or missing_flatten_at_fit(feed) is not None:
                continue
            if feed.strict is not None:
                continue  # early Keras refuses targets of another shape than the output before running (CNN013)
            node = node_of(feed, feed.labels)
            labels, output = ints(node.shape if node else None), ints(feed.output)
            if node is None or not labels or not output or len(output) < 2:
                continue
            data = node_of(feed, feed.data[0]) if len(feed.data) == 1 else None
            examples = ints(data.shape if data else None)
            if examples and differs(examples[0], labels[0]):
                continue  # CNN013's: a different number of labels
            adjusted = (keras2_adjusted_labels if feed.labels_broadcast else keras_adjusted_labels)(labels, output)
            if len(adjusted) != len(output):
                continue
            found = broadcast(adjusted[1:], output[1:], batch=False)
            if found.fails or not (found.a_grows or found.b_grows):
                continue
            fix = layer_fix(module, feed, labels)
            given = "" if fix is None else f" given to {feed.kind} on {line_of(module, feed.loc)}"
            message = (f"labels `{feed.labels_text}`{given} are {text(labels)} and the output of {feed.target} is "
                       f"{text((None, *output[1:]))}: {feed.loss} broadcasts them instead of matching labels to "
                       "outputs; the model trains on a wrong loss")
            if fix is None:
                yield self.diagnostic(module, feed.loc, message, trace_of(feed.graph, node), Extra(feed=feed_index))
                continue
            # One layer certainly holds the fix (its units, its return_sequences): the finding is there.
            moved.add(self.diagnostic(module, fix.at, f"{message}; {fix.change}", trace_of(feed.graph, node),
                                      Extra(feed=feed_index), [(feed.loc, fit_note(feed, labels))]))
        yield from moved.diagnostics

    def _numpy_metrics(self, module: ModuleIR) -> Iterator[Diagnostic]:
        """A metric computed in NumPy (`np.mean((y - p) ** 2)`, `np.mean(np.argmax(p, 1) == y)`) whose
        operands broadcast to a shape bigger than both."""
        for loss in module.losses:
            what = NUMPY_METRICS.get(loss.readings[0]) if len(loss.readings) == 1 else None
            if what is None or loss.labels is None or loss.predictions is None:
                continue
            a, b = ints(loss.graph.nodes[loss.labels].shape), ints(loss.graph.nodes[loss.predictions].shape)
            if a is None or b is None:
                continue
            found = broadcast(a, b)
            if found.fails or not (found.a_grows and found.b_grows):
                continue
            many = " for more than one example" if found.assumed_batch else ""
            message = (f"`{loss.api}` of {loss.labels_text} {text(a)} and {loss.predictions_text} {text(b)} broadcasts "
                       f"to {text(broadcast_shape(a, b))}{many}: {what}")
            yield self.diagnostic(module, loss.loc, message, trace_of(loss.graph, loss.graph.nodes[loss.labels]))


NUMPY_METRICS = {
    NUMPY_DIFFERENCE: "the difference pairs every label with every prediction: the metric is wrong",
    NUMPY_ACCURACY: "the comparison pairs every label with every prediction: the accuracy is wrong",
}
