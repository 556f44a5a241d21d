"""Shared by CNN012-CNN014: per-example shapes of fed data, and Keras's own leniency.

Shapes here are tuples of ints and None (unknown), batch axis included. Every comparison is
made only where both sides are known: an unknown size never produces a finding.
"""

from __future__ import annotations

from collections.abc import Sequence

from cnnlint.ir import Feed, Node
from cnnlint.shapes import Dim, MaybeShape
from cnnlint.shapes.feeding import keras_adjusted_input, keras_adjusted_labels

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
