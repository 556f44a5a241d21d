"""The values of integer arrays written out in the program (`np.array([0, 2, 1])`): what
`to_categorical(y)` without `num_classes` reads (`max(y) + 1` columns). Only literal values are
kept: an array computed or drawn at random has values cnnlint does not know.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import Const, SeqV, Value
from cnnlint.frontend.tensor import TensorV
from cnnlint.ir import Node


@dataclass
class LiteralInts:
    """Per module: the largest value of each array node built from a literal of ints, with the node
    itself (graphs of uncalled functions and models reuse node numbers for other nodes)."""

    largest: dict[int, tuple[Node, int]] = field(default_factory=dict)


def literal_ints(value: Value) -> list[int] | None:
    """Every int of a (nested) list or tuple of ints; None for anything else (floats, bools, names)."""
    if isinstance(value, Const):
        v = value.value
        return [v] if isinstance(v, int) and not isinstance(v, bool) else None
    if isinstance(value, SeqV):
        found: list[int] = []
        for item in value.items:
            inner = literal_ints(item)
            if inner is None:
                return None
            found.extend(inner)
        return found
    return None


def note_literal(interp: Evaluator, made: Value, given: Value) -> None:
    """`made` (an array node) holds the literal ints of `given`, where it is such a literal."""
    values = literal_ints(given)
    if isinstance(made, TensorV) and values:
        interp.state(LiteralInts).largest[made.node] = (interp.graph.nodes[made.node], max(values))


def largest_int(interp: Evaluator, value: Value) -> int | None:
    """The largest value of a literal list of ints, or of an array made from one; else None."""
    if isinstance(value, TensorV):
        found = interp.state(LiteralInts).largest.get(value.node)
        nodes = interp.graph.nodes
        return found[1] if found is not None and value.node < len(nodes) and nodes[value.node] is found[0] else None
    values = literal_ints(value)
    return max(values) if values and isinstance(value, SeqV) else None
