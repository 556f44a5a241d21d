"""A Dense head on a feature map (or a sequence) whose missing Flatten is certain, found in one place:
CNN010 reports it at the Dense, and CNN006, CNN008 and CNN013 leave its symptom alone (one bug, one
finding).
"""

from __future__ import annotations

from math import prod

from cnnlint.frontend.tensorflow import losses as tf
from cnnlint.ir import Feed, Graph, LossInputs, Node
from cnnlint.rules.feeding import LABELLED, Ints, ints, label_problem, node_of
from cnnlint.shapes import Merge, Rank

# Ops that make or keep a spatial feature map: a Dense right after one reads it per position.
FEATURE_MAPS = frozenset({"conv", "depthwise_conv", "conv_transpose", "pool", "pad", "crop", "upsample", "resize"})
# Ops whose output is a sequence when it has rank 3 (`Embedding`, `LSTM(return_sequences=True)`):
# a Dense after one also reads it per position (per time step).
SEQUENCES = frozenset({"embedding", "rnn"})
# Losses under which Keras (3, and tf.keras 2) raises on labels of another rank than the output;
# regression losses subtract and may broadcast instead, so they never make the bug certain.
CROSS_ENTROPY = frozenset({"categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy"})


def feature_map_dense(graph: Graph, node_id: int | None) -> Node | None:
    """The Dense that reads a conv / pool feature map on the path of first inputs that leads to
    `node_id`, through element-wise layers (activation, dropout, normalisation) and further Denses;
    None when the path meets anything else first (a merge, a reshape, a global pooling)."""
    head: Node | None = None
    seen: set[int] = set()
    while node_id is not None and node_id not in seen:
        seen.add(node_id)
        node = graph.nodes[node_id]
        if node.op in FEATURE_MAPS or (node.op in SEQUENCES and node.shape is not None and len(node.shape) >= 3):
            return head
        if node.op == "dense":
            head = node
        elif node.op != "identity":
            return None
        node_id = node.inputs[0] if node.inputs else None
    return None


def fit_labels(feed: Feed) -> tuple[Ints, Ints] | None:
    """(labels, output) of a labelled feed whose labels `fit` refuses only because a Flatten is
    missing: they fail against the model's per-position output and fit the per-example output
    `(batch, units)` that a Flatten or global pooling before the head would give."""
    if feed.kind not in LABELLED or feed.loss not in CROSS_ENTROPY or feed.output_node is None:
        return None
    node = node_of(feed, feed.labels)
    labels, output = ints(node.shape if node else None), ints(feed.output)
    if not labels or len(labels) > 2 or output is None or len(output) < 3:
        return None
    if label_problem(feed, labels, output) is None or label_problem(feed, labels, (output[0], output[-1])):
        return None
    return labels, output


def missing_flatten_at_fit(feed: Feed) -> Node | None:
    """The head whose missing Flatten makes `fit` (`evaluate`, ...) refuse per-example labels."""
    if fit_labels(feed) is None:
        return None
    return feature_map_dense(feed.graph, feed.output_node)


def missing_flatten_before(graph: Graph, node: Node) -> tuple[Node, ...]:
    """The heads whose missing Flatten makes `node` fail: a layer that needs rank 2 (RepeatVector)
    fed a Dense's per-position output, or a Concatenate on the last axis joining such outputs with
    rank-2 tensors; () when the failure may have another cause."""
    for problem in node.problems:
        details = problem.details
        if isinstance(details, Rank) and details.expected == "2" and details.operand == "input":
            head = feature_map_dense(graph, node.inputs[0] if node.inputs else None)
            return (head,) if head is not None else ()
        if isinstance(details, Merge) and node.op == "concat" and details.reason == "rank":
            return _concat_heads(graph, node)
    return ()


def _concat_heads(graph: Graph, node: Node) -> tuple[Node, ...]:
    if node.attrs.get("axis") not in (-1, 1):
        return ()
    heads: list[Node] = []
    flat = False
    for i in node.inputs:
        shape = None if i is None else graph.nodes[i].shape
        if shape is None:
            return ()
        if len(shape) == 2:
            flat = True
            continue
        head = feature_map_dense(graph, i)
        if head is None:
            return ()
        if all(h.id != head.id for h in heads):
            heads.append(head)
    return tuple(heads) if flat else ()


# Losses of raw TensorFlow (and Keras losses called directly) that pair one label row with one row of
# logits or predictions: given per-example labels and a Dense's per-position output, every one raises.
# Binary cross-entropy and the regression losses are left out: tf-keras broadcasts them.
PER_ROW_LOSSES = frozenset({tf.SOFTMAX, tf.SIGMOID, tf.TF1_SAME, tf.KERAS_CATEGORICAL})
SPARSE_LOSSES = frozenset({tf.SPARSE, tf.TF1_SPARSE, tf.KERAS_SPARSE})


def loss_labels(loss: LossInputs) -> tuple[Ints, Ints] | None:
    """(labels, predictions) of a loss that fails only because a Flatten is missing: the predictions
    are a Dense's per-position output (rank 3 or more) and the labels are per example (one-hot rows
    `(n, k)` of the Dense's `k` units, or class numbers `(n,)` under a sparse loss), which the output a
    Flatten before the Dense gives, `(n, k)`, would match; every reading of the call must refuse them."""
    if loss.labels is None or loss.predictions is None or not loss.readings:
        return None
    graph = loss.graph
    labels, predictions = ints(graph.nodes[loss.labels].shape), ints(graph.nodes[loss.predictions].shape)
    if labels is None or predictions is None or len(predictions) < 3:
        return None
    positions = predictions[1:-1]
    if None in positions or prod(d or 0 for d in positions) < 2:
        return None  # one position (a 1x1 map): the rows may match, as after a Flatten
    classes = predictions[-1]
    for reading in loss.readings:
        if reading in PER_ROW_LOSSES:
            if len(labels) != 2 or labels[-1] is None or labels[-1] != classes:
                return None
        elif reading in SPARSE_LOSSES:
            if len(labels) != 1:
                return None
        else:
            return None
    return labels, predictions


def missing_flatten_at_loss(loss: LossInputs) -> Node | None:
    """The head whose missing Flatten makes a raw TensorFlow loss refuse per-example labels."""
    if loss_labels(loss) is None:
        return None
    return feature_map_dense(loss.graph, loss.predictions)
