"""What the TensorFlow and NumPy plugins share about losses and metrics: recording an
`ir.LossInputs`, and finding the labels and predictions of a hand-written loss or accuracy under a
reduction (`tf.reduce_mean(tf.square(y - pred))`, `np.square(np.subtract(y, p)).mean()`,
`np.mean(np.argmax(p, 1) == y)`).

The readings (how a library combines labels and predictions) are the rules' `LOSS_RULES` keys;
those of this module are the hand-written ones.
"""

from __future__ import annotations

from cnnlint.frontend.library import Call
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import Value
from cnnlint.frontend.tensor import TensorV
from cnnlint.ir import Graph, LossInputs, Node

# Hand-written in TensorFlow: a reduction (`tf.reduce_*`) of `labels - predictions` or of `==`.
ACCURACY = "accuracy"  # the mean of an element-wise `==` of labels and predictions
DIFFERENCE = "difference"  # a reduction of (a function of) `labels - predictions`
# The same computed in NumPy (`np.mean`, `x.sum()`): a metric, not the loss a model trains on.
NUMPY_ACCURACY = "numpy.accuracy"
NUMPY_DIFFERENCE = "numpy.difference"

SUBTRACTIONS = frozenset({"-", "subtract", "sub", "squared_difference"})
_WALKED = 8  # how many element-wise ops on one tensor are looked through


def record(interp: Evaluator, readings: tuple[str, ...], api_text: str, site: Node | Call,
           labels: Value | None, predictions: Value | None, texts: tuple[str, str]) -> None:
    """Record a loss or metric of `labels` and `predictions` (nothing where either is not a tensor)."""
    loc = site.loc if isinstance(site, Node) else site.loc()
    nodes = [v.node if isinstance(v, TensorV) else None for v in (labels, predictions)]
    if None in nodes:
        return
    if any(r.readings == readings and r.loc == loc for r in interp.ir.losses):
        return
    interp.ir.losses.append(LossInputs(readings, api_text, loc, interp.graph, nodes[0], nodes[1], *texts))


def note_reduction(interp: Evaluator, result: TensorV, *, accuracy: bool, numpy: bool) -> None:
    """A reduction `result` of a difference or a comparison (through element-wise ops of one tensor):
    its two operands, recorded as a hand-written loss (`DIFFERENCE`) or, where `accuracy` (a mean),
    an accuracy; `numpy`: computed by NumPy (a metric)."""
    graph = interp.graph
    node = _through_elementwise(graph, graph.nodes[result.node])
    if node is None or len(node.inputs) != 2 or None in node.inputs:
        return
    labels, predictions = (TensorV(i) for i in node.inputs if i is not None)
    if any(_new_axis(graph, t.node) for t in (labels, predictions)):
        return  # `a[:, None] - b[None, :]`: a pairwise difference on purpose, not labels against predictions
    if _reduction_of(graph, labels.node, predictions.node) or _reduction_of(graph, predictions.node, labels.node):
        return  # `x - x.mean(axis=0)`: centring, one operand made from the other
    texts = (graph.describe(labels.node), graph.describe(predictions.node))
    if node.op == "broadcast" and node.attrs.get("fn") in SUBTRACTIONS:
        record(interp, (NUMPY_DIFFERENCE if numpy else DIFFERENCE,), node.api, node, labels, predictions, texts)
    elif node.op == "compare" and node.attrs.get("fn") == "==" and accuracy:
        record(interp, (NUMPY_ACCURACY if numpy else ACCURACY,), node.api, node, labels, predictions, texts)


def _one_tensor(node: Node) -> bool:
    """An element-wise op of one tensor: `tf.square`, `np.abs`, `tf.cast`, `** 2`, `* 0.5`, `.astype(int)`."""
    if node.op == "identity" or (node.op == "broadcast" and len(node.inputs) == 1):
        return True
    return node.op == "index" and node.attrs.get("key") == (("...",),) and len(node.inputs) == 1


def _through_elementwise(graph: Graph, reduced: Node) -> Node | None:
    """The first op under a reduction that is not element-wise on one tensor."""
    if not reduced.inputs or reduced.inputs[0] is None:
        return None
    node = graph.nodes[reduced.inputs[0]]
    for _ in range(_WALKED):
        if not _one_tensor(node) or node.inputs[0] is None:
            return node
        node = graph.nodes[node.inputs[0]]
    return None


def _new_axis(graph: Graph, node_id: int) -> bool:
    """Whether the program gave this tensor a new axis itself (`x[:, None]`, `np.expand_dims`, a
    reshape), maybe under element-wise ops (`x[:, None].astype(float)`)."""
    node = graph.nodes[node_id]
    for _ in range(_WALKED):
        if node.op in ("expand_dims", "reshape"):
            return True
        key = node.attrs.get("key") if node.op == "index" else None
        if isinstance(key, tuple) and any(isinstance(item, tuple) and item[:1] == ("new",) for item in key):
            return True
        if not _one_tensor(node) or node.inputs[0] is None:
            return False
        node = graph.nodes[node.inputs[0]]
    return False


def _reduction_of(graph: Graph, reduced: int, source: int) -> bool:
    """Whether `reduced` is a reduction of `source` (`x.mean(axis=0)` of `x`), maybe under element-wise ops."""
    node = graph.nodes[reduced]
    for _ in range(_WALKED):
        if node.op == "reduce":
            return bool(node.inputs) and node.inputs[0] == source
        if not _one_tensor(node) or node.inputs[0] is None:
            return False
        node = graph.nodes[node.inputs[0]]
    return False
