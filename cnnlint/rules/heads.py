"""A Dense head on a feature map (or a sequence) whose missing Flatten is certain, found in one place:
CNN010 reports it at the Dense, and CNN006, CNN008 and CNN013 leave its symptom alone (one bug, one
finding). Also the other layers that certainly hold the fix of labels refused at `fit` (`layer_fix`):
CNN013 and CNN015 report those at the layer, with `fit` as a related location.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from math import prod

from cnnlint.frontend.tensorflow import losses as tf
from cnnlint.ir import Feed, Graph, Loc, LossInputs, ModuleIR, Node
from cnnlint.rules.base import Diagnostic
from cnnlint.rules.feeding import LABELLED, REGRESSION, Ints, differs, ints, label_problem, node_of, text
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


# -- the layer to change when labels at `fit` disagree with the output (CNN013, CNN015) ---------------
@dataclass(frozen=True)
class LayerFix:
    """Where the fix of labels that `fit` refuses (or broadcasts) goes, when one layer certainly holds
    it: the layer to change and what to change there (the end of the finding's message)."""

    layer: Node
    change: str

    @property
    def at(self) -> Loc:
        """Where the layer is made (its arguments are the fix), else where it is applied."""
        return self.layer.spans.get("layer", self.layer.loc)


# Losses whose labels say how many units the head needs (sparse labels do not: class numbers).
UNITS_LOSSES = frozenset({"categorical_crossentropy", "binary_crossentropy", *REGRESSION})


def layer_fix(module: ModuleIR, feed: Feed, labels: Ints) -> LayerFix | None:
    """The layer whose change makes labels refused (or broadcast) at `fit` fit the model's output,
    where it is certain: the output `Dense` whose units are the one axis that differs from the
    labels' (known) last axis; the last recurrent layer returning every step of a sequence that the
    per-example labels do not have (`return_sequences=False`); a recurrent layer returning only its
    last step for per-step labels (`return_sequences=True`). None otherwise: the finding stays at `fit`.

    Not certain, so None, where the labels come from a Keras dataset (`mnist.load_data()`: the
    dataset fixes the number of classes, a wrong `to_categorical(y, 5)` is the labels' fault) or where
    the program gives the same model other labels it accepts (`train_on_batch(x, y10)` then
    `fit(x, y3)`: the odd labels are the mistake)."""
    if feed.kind not in LABELLED or feed.output_node is None or _from_dataset(feed):
        return None
    if any(_accepted(other) for other in module.feeds if other is not feed and _same_model(other, feed)):
        return None
    return _units_fix(feed, labels) or _every_step_fix(feed, labels) or _last_step_fix(feed, labels)


def _from_dataset(feed: Feed) -> bool:
    node = node_of(feed, feed.labels)
    seen: set[int] = set()
    while node is not None and node.id not in seen:
        seen.add(node.id)
        if node.op == "input" and node.api.endswith("load_data"):
            return True
        node = node_of(feed, node.inputs[0]) if node.inputs else None
    return False


def _same_model(a: Feed, b: Feed) -> bool:
    if a.model is not None or b.model is not None:
        return a.model is b.model
    return a.graph is b.graph and a.output_node == b.output_node


def _accepted(feed: Feed) -> bool:
    """Whether a labelled feed's labels are known and fit its output."""
    node = node_of(feed, feed.labels)
    labels, output = ints(node.shape if node else None), ints(feed.output)
    if feed.kind not in LABELLED or not labels or output is None or None in labels[1:] or None in output[1:]:
        return False
    expected = output[1:-1] if feed.loss == "sparse_categorical_crossentropy" else output[1:]
    given = labels[1:-1] if len(labels) == len(expected) + 2 and labels[-1] == 1 else labels[1:]
    if given != expected and (*given, 1) != expected:
        return False  # (labels that broadcast are no evidence either)
    return _accepts(feed, labels, output)


def _accepts(feed: Feed, labels: Ints, output: Ints) -> bool:
    """Whether the target takes `labels` against a model output of shape `output` (after the fix)."""
    if label_problem(feed, labels, output) is not None:
        return False
    return feed.strict is None or feed.loss is None or feed.strict.target_refusal(feed.loss, labels, output) is None


def _past(graph: Graph, node_id: int, ops: frozenset[str]) -> tuple[Node, list[Node]]:
    """The first node on the path of first inputs from `node_id` whose op is not in `ops`, and the
    nodes passed on the way."""
    passed: list[Node] = []
    node = graph.nodes[node_id]
    while node.op in ops and node.inputs and node.inputs[0] is not None and len(passed) < 64:
        passed.append(node)
        node = graph.nodes[node.inputs[0]]
    return node, passed


def _units(node: Node) -> tuple[int, str] | None:
    """(units, how to name it) of a `Dense`, or of the `Dense` in a `TimeDistributed`."""
    if node.op == "dense":
        units, named = node.attrs.get("units"), f"this `{node.api}`"
    elif node.op == "time_distributed" and node.attrs.get("inner_op") == "dense":
        inner = node.attrs.get("inner_attrs")
        units = inner.get("units") if isinstance(inner, Mapping) else None
        named = f"the `Dense` in this `{node.api}`"
    else:
        return None
    return (units, named) if isinstance(units, int) and not isinstance(units, bool) else None


def _units_fix(feed: Feed, labels: Ints) -> LayerFix | None:
    output = ints(feed.output)
    if feed.loss not in UNITS_LOSSES or output is None or len(output) < 2 or feed.output_node is None:
        return None
    layer, _ = _past(feed.graph, feed.output_node, frozenset({"identity"}))
    found = _units(layer)
    if found is None or found[0] != output[-1]:
        return None
    units, named = found
    per = labels if len(labels) == len(output) else (*labels, 1) if len(labels) == len(output) - 1 else None
    if per is None or any(differs(a, b) for a, b in zip(per[1:-1], output[1:-1], strict=True)):
        return None
    wanted = per[-1]
    if wanted is None or wanted < 1 or wanted == units:
        return None
    if feed.loss == "categorical_crossentropy" and wanted == 1:
        return None  # class numbers: the labels are to one-hot, not the units
    if not _accepts(feed, labels, (*output[:-1], wanted)):
        return None
    if feed.loss == "binary_crossentropy" and wanted == 1:
        change = (f"for binary labels use sigmoid with 1 unit: set `units=1` and `activation='sigmoid'` on "
                  f"{named} (it has {units})")
    else:
        what = f"{wanted} one-hot classes" if feed.loss == "categorical_crossentropy" else \
            f"{wanted} value{'s' if wanted > 1 else ''}"
        change = f"the labels' last axis holds {what}: set `units={wanted}` on {named} (it has {units})"
    return LayerFix(layer, change)


def _every_step_fix(feed: Feed, labels: Ints) -> LayerFix | None:
    """Per-example labels `(n,)` / `(n, k)` against a sequence output `(None, T, u)` made by a
    recurrent layer with `return_sequences=True` through per-step layers (Dense, activations)."""
    output = ints(feed.output)
    if output is None or len(output) != 3 or feed.output_node is None or len(labels) not in (1, 2):
        return None
    steps = output[1]
    if steps is None or steps < 2 or (len(labels) == 2 and (labels[1] is None or labels[1] == steps)):
        return None
    rnn, passed = _past(feed.graph, feed.output_node, frozenset({"identity", "dense", "time_distributed"}))
    if any(n.op == "time_distributed" and n.attrs.get("inner_op") != "dense" for n in passed):
        return None
    entry = ints(rnn.shape)
    if rnn.op != "rnn" or rnn.attrs.get("return_sequences") is not True or entry is None or len(entry) != 3 \
            or entry[1] != steps:
        return None
    head = any(n.op != "identity" for n in passed)
    if head:
        if not _accepts(feed, labels, (output[0], output[-1])):
            return None  # a second fix is needed: not this one alone
        change = (f"the labels hold one label per example and {_recurrent(rnn)} returns each of its {steps} steps: "
                  "give it `return_sequences=False`")
    else:
        change = (f"the labels hold one label per example and {_recurrent(rnn)} returns each of its {steps} steps "
                  "as the model's output: give it `return_sequences=False` and a `Dense` head for the labels")
        if feed.loss == "categorical_crossentropy" and (len(labels) == 1 or labels[-1] == 1):
            change += " (these are class numbers: one-hot them or use sparse_categorical_crossentropy)"
    return LayerFix(rnn, change)


def _last_step_fix(feed: Feed, labels: Ints) -> LayerFix | None:
    """Per-step labels `(n, T, k)` against an output `(None, k')` made from a recurrent layer that
    returns only its last step of T steps (`return_sequences=False`), through per-example layers
    (Dense, activations, dropout)."""
    output = ints(feed.output)
    if output is None or len(output) != 2 or len(labels) != 3 or labels[1] is None or feed.output_node is None:
        return None
    rnn, _ = _past(feed.graph, feed.output_node, frozenset({"identity", "dense"}))
    if rnn.op != "rnn" or rnn.attrs.get("return_sequences") is not False or not rnn.inputs or rnn.inputs[0] is None:
        return None
    entry = ints(feed.graph.nodes[rnn.inputs[0]].shape)
    if entry is None or len(entry) != 3 or entry[1] != labels[1]:
        return None
    return LayerFix(rnn, f"the labels hold one label per step of {labels[1]} steps and {_recurrent(rnn)} returns "
                         "only its last step: give it `return_sequences=True` (and the head one output per step)")


def _recurrent(rnn: Node) -> str:
    """How the change names the recurrent layer: `return_sequences` goes on the layer a wrapper holds."""
    if rnn.api.rsplit(".", 1)[-1] == "Bidirectional":
        return f"the recurrent layer in this `{rnn.api}`"
    return f"this `{rnn.api}`"


def fit_note(feed: Feed, labels: Ints) -> str:
    """The related note at `fit` of a finding moved to the layer to change."""
    output = ints(feed.output)
    shown = "?" if output is None else text((None, *output[1:]))
    return f"the labels {text(labels)} meet the output {shown} of {feed.target} here"


def line_of(module: ModuleIR, loc: Loc) -> str:
    """"line 12" (in a notebook, "cell 3, line 2")."""
    cell, in_cell = module.place(loc.line)
    return f"line {in_cell}" if cell is None else f"cell {cell}, line {in_cell}"


class AtLayer:
    """Findings moved to the layer to change, one per layer: a second `fit` (`evaluate`) whose labels
    the same change fixes adds its own related location to the first finding."""

    def __init__(self) -> None:
        self._found: dict[Loc, Diagnostic] = {}

    def add(self, diagnostic: Diagnostic) -> None:
        first = self._found.get(diagnostic.loc)
        if first is None:
            self._found[diagnostic.loc] = diagnostic
            return
        more = tuple(r for r in diagnostic.related if r not in first.related)
        self._found[diagnostic.loc] = replace(first, related=first.related + more)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return list(self._found.values())
