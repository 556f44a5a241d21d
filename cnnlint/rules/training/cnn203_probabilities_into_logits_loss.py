"""CNN203 probabilities-into-logits-loss."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.ir import Graph, ModuleIR, Node
from cnnlint.rules.base import Diagnostic, Extra, Rule, trace_of
from cnnlint.rules.training import SQUASHING, activation_of, default_axis, producer

# Raw TensorFlow losses that apply softmax / sigmoid to their `logits` themselves (the last part of
# the call as written, and the module it must be in).
LOGITS_LOSSES = {
    "softmax_cross_entropy_with_logits": ".nn.", "softmax_cross_entropy_with_logits_v2": ".nn.",
    "sparse_softmax_cross_entropy_with_logits": ".nn.", "sigmoid_cross_entropy_with_logits": ".nn.",
    "softmax_cross_entropy": ".losses.", "sigmoid_cross_entropy": ".losses.",
    "sparse_softmax_cross_entropy": ".losses.",
}
TF_PREFIXES = ("tf.", "tensorflow.")


def logits_loss(node: Node) -> bool:
    name = node.api.rsplit(".", 1)[-1]
    module = LOGITS_LOSSES.get(name)
    return (module is not None and node.api.startswith(TF_PREFIXES) and module in node.api
            and "keras" not in node.api)


class ProbabilitiesIntoLogitsLoss(Rule):
    """
    ## What it does
    Reports the output of a softmax or a sigmoid passed as the `logits` of a raw TensorFlow loss
    that applies softmax or sigmoid itself: `tf.nn.softmax_cross_entropy_with_logits` (and `_v2`),
    `tf.nn.sparse_softmax_cross_entropy_with_logits`, `tf.nn.sigmoid_cross_entropy_with_logits`,
    TF1's `tf.compat.v1.losses.softmax_cross_entropy` / `sparse_softmax_cross_entropy` /
    `sigmoid_cross_entropy`. The activation must be certain (`tf.nn.softmax`, a layer with
    `activation="softmax"` or `tf.nn.sigmoid`, an `Activation` layer).

    Keras losses are not reported: on the TensorFlow backend they detect a softmax or sigmoid
    output and use its logits.

    ## Why is this bad?
    The loss applies its softmax (sigmoid) to values that are already probabilities: it is no
    longer the cross-entropy of the model's output, its values are squashed and its gradients
    shrink. The model still trains, worse, and its reported loss is wrong.

    ## Example
    ```python
    probs = tf.nn.softmax(tf.matmul(x, w) + b)
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=probs)
    ```

    ## Use instead
    ```python
    logits = tf.matmul(x, w) + b
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits)
    probs = tf.nn.softmax(logits)  # for predictions
    ```

    A softmax or sigmoid made on one branch of an `if` on a training flag (`if not
    is_training: x = tf.nn.softmax(x)`, `if not training:`, `if mode != "train":`) is not
    reported: the loss computed for training gets the other branch's logits, and one computed
    on the predictions for display only shows a wrong number.

    ## Fix safety
    This rule has no automatic fix: the probabilities are often also used for predictions,
    and where to take the logits from is the author's choice.

    ## References
    - [TensorFlow: tf.nn.softmax_cross_entropy_with_logits](https://www.tensorflow.org/api_docs/python/tf/nn/softmax_cross_entropy_with_logits)
    """

    code = "CNN203"
    name = "probabilities-into-logits-loss"
    severity = "warning"
    summary = "a softmax or sigmoid output passed as logits to a raw TensorFlow loss that applies it again"
    VALID = (
        "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32, [None, 4])\n"
        "y = tf.compat.v1.placeholder(tf.float32, [None, 3])\nlogits = tf.compat.v1.layers.dense(x, 3)\n"
        "loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits)\n",
    )
    INVALID = (
        "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32, [None, 4])\n"
        "y = tf.compat.v1.placeholder(tf.float32, [None, 3])\nprobs = tf.nn.softmax(tf.compat.v1.layers.dense(x, 3))\n"
        "loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=probs)\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for index, graph in enumerate(module.graphs):
            for node in graph.own_nodes:
                if not logits_loss(node):
                    continue
                squashed = self.squashed(graph, node)
                if squashed is None:
                    continue
                activation = activation_of(squashed)
                applies = "sigmoid" if "sigmoid" in node.api.rsplit(".", 1)[-1] else "softmax"
                what = f"`{squashed.api}`" + (f" `{squashed.layer}`" if squashed.layer else "")
                message = (f"the logits of `{node.api}` are the output of {what} (line {squashed.loc.line}), which "
                           f"applies {activation}; the loss applies {applies} again, so it is not the cross-entropy "
                           f"of the model's output and its gradients shrink; pass the values before the "
                           f"{activation} as logits")
                yield self.diagnostic(module, node.loc, message, trace_of(graph, squashed),
                                      Extra(node=(index, node.id)), [(squashed.loc, f"{activation} applied here")])

    @staticmethod
    def squashed(graph: Graph, loss: Node) -> Node | None:
        """The softmax / sigmoid node whose output is the loss's logits."""
        logits = producer(graph, loss)
        if logits is None or activation_of(logits) not in SQUASHING or not default_axis(logits):
            return None
        if "under" in logits.sources:
            return None  # made only on one branch of `if not is_training:`: training may take the other
        return logits
