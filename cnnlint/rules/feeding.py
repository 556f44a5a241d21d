"""Shared by CNN012-CNN014: per-example shapes of fed data, and Keras's own leniency.

Shapes here are tuples of ints and None (unknown), batch axis included. Every comparison is
made only where both sides are known: an unknown size never produces a finding.
"""

from __future__ import annotations

from collections.abc import Sequence

from cnnlint.ir import Feed, Node
from cnnlint.shapes import Dim, MaybeShape

Ints = tuple[int | None, ...]


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


def keras_adjusted_input(data: Ints, expected: Ints) -> Ints | None:
    """The data as Keras 3 feeds it to a functional / Sequential model: a rank off by one is
    fixed when the extra or missing axis is a trailing 1 (`Functional._adjust_input_rank`);
    None when Keras refuses the rank."""
    if len(data) == len(expected):
        return data
    if len(data) == len(expected) + 1 and data[-1] == 1:
        return data[:-1]
    if len(data) == len(expected) - 1 and expected[-1] == 1:
        return (*data, 1)
    return None


def keras_adjusted_labels(labels: Ints, output: Ints) -> Ints:
    """Keras 3 losses first bring the labels to the output's rank when only a trailing 1
    differs (`squeeze_or_expand_to_same_rank`)."""
    if len(labels) == len(output) - 1 and output[-1] == 1:
        return (*labels, 1)
    if len(output) == len(labels) - 1 and labels[-1] == 1:
        return labels[:-1]
    return labels


def origin(feed: Feed, node: Node) -> str:
    """` from mnist.load_data() (line 5)` when the data's first op says where it came from."""
    first = node
    while first.inputs and first.inputs[0] is not None:
        first = feed.graph.nodes[first.inputs[0]]
    if first.op == "input" and first.api.endswith("load_data"):
        return f" from {first.api}() (line {first.loc.line})"
    return ""
