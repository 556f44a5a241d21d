"""The data-feeding rules, CNN012-CNN014 (one module each in this folder), and what they share
with CNN010 and `heads.py`: per-example shapes of fed data, and Keras's own leniency.

Shapes here are tuples of ints and None (unknown), batch axis included. Every comparison is
made only where both sides are known: an unknown size never produces a finding.
"""

from __future__ import annotations

from collections.abc import Sequence

from cnnlint.ir import Feed, Node
from cnnlint.shapes import Dim, MaybeShape
from cnnlint.shapes.feeding import broadcast_fails, keras2_adjusted_labels, keras_adjusted_input, keras_adjusted_labels

Ints = tuple[int | None, ...]
__all__ = ["keras_adjusted_input", "keras_adjusted_labels"]


def ints(shape: MaybeShape) -> Ints | None:
    if shape is None:
        return None
    return tuple(d.value if isinstance(d, Dim) else None for d in shape)


def node_of(feed: Feed, node_id: int | None) -> Node | None:
    return None if node_id is None else feed.graph.nodes[node_id]


def text(shape: Sequence[int | None]) -> str:
    inner = ", ".join("None" if d is None else str(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def differs(a: int | None, b: int | None) -> bool:
    return a is not None and b is not None and a != b


def origin(feed: Feed, node: Node) -> str:
    """` from mnist.load_data() (line 5)` when the data's first op says where it came from."""
    first = node
    while first.inputs and first.inputs[0] is not None:
        first = feed.graph.nodes[first.inputs[0]]
    if first.op == "input" and first.api.endswith("load_data"):
        return f" from {first.api}() (line {first.loc.line})"
    return ""


LABELLED = frozenset({"fit", "evaluate", "train_on_batch", "test_on_batch"})
REGRESSION = frozenset({"mean_squared_error", "mean_absolute_error"})
# The compiled losses late Keras 2 broadcasts labels in (`Feed.labels_broadcast`).
BROADCAST_LOSSES = REGRESSION | {"binary_crossentropy"}


def label_problem(feed: Feed, labels: Ints, output: Ints | None) -> str | None:
    """Why Keras refuses `labels` against a model output of shape `output` under the feed's loss
    (None when it accepts them or cannot tell); CNN013's message, also asked by CNN010 of the
    per-example output a Flatten would give."""
    loss = feed.loss
    if output is None or loss is None or loss == "?" or len(output) < 2:
        return None
    shown = f"the output of {feed.target} is {text((None, *output[1:]))}"
    if feed.labels_broadcast and loss in BROADCAST_LOSSES:
        # Late Keras 2 broadcasts them (a wrong loss, CNN015's) unless they cannot broadcast.
        late = keras2_adjusted_labels(labels, output)
        if broadcast_fails(late, output):
            return f"{loss} subtracts labels that cannot broadcast against the output: {shown}"
        return None
    adjusted = keras_adjusted_labels(labels, output)
    if loss == "categorical_crossentropy":
        if len(adjusted) != len(output):
            return (f"{loss} needs one-hot labels of the output's rank and {shown}; one-hot them with "
                    f"{_to_categorical(feed.labels_text, output[-1])} or use sparse_categorical_crossentropy")
        if adjusted[-1] == 1 and differs(adjusted[-1], output[-1]):  # class numbers, not one-hot
            return (f"these are class numbers, {loss} needs one-hot labels and {shown}; one-hot them with "
                    f"{_to_categorical(feed.labels_text, output[-1])} or use sparse_categorical_crossentropy")
        if differs(adjusted[-1], output[-1]):
            return f"{loss} needs {output[-1]} classes per label and {shown}"
        return _other_axes(adjusted, output, loss, shown)
    if loss == "sparse_categorical_crossentropy":
        sparse = adjusted[:-1] if len(adjusted) == len(output) and adjusted[-1] == 1 else adjusted
        if len(sparse) != len(output) - 1:
            return (f"{loss} needs one class number per example and {shown}; for one-hot labels use "
                    "categorical_crossentropy")
        return _other_axes(sparse, output[:-1], loss, shown)
    if loss == "binary_crossentropy":
        if len(adjusted) != len(output) or any(differs(adjusted[i], output[i]) for i in range(1, len(output))):
            return f"{loss} needs labels of the output's shape and {shown}"
    if loss in REGRESSION:
        # Keras subtracts the labels from the output: only shapes that cannot broadcast fail.
        if len(adjusted) != len(output):
            return f"{loss} subtracts labels of rank {len(adjusted)} from an output of rank {len(output)}: {shown}"
        axes = [i for i in range(1, len(output)) if differs(adjusted[i], output[i])
                and adjusted[i] != 1 and output[i] != 1]
        if axes:
            return f"{loss} needs labels that broadcast against the output and {shown}"
    return None


def _to_categorical(labels: str, classes: int | None) -> str:
    if " " in labels:  # a dataset's labels: no single expression to write
        return "`keras.utils.to_categorical`"
    return f"`keras.utils.to_categorical({labels}, {classes or 'num_classes'})`"


def _other_axes(labels: Ints, output: Ints, loss: str, shown: str) -> str | None:
    axes = [i for i in range(1, min(len(labels), len(output))) if differs(labels[i], output[i])]
    return f"{loss}: labels and output differ on axis {axes[0]} and {shown}" if axes else None
