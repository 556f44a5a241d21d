"""Dimensions, shapes and op names as text and as JSON values: the one spelling that rule messages,
traces and every output format share."""

from __future__ import annotations

from collections.abc import Sequence

from cnnlint.findings import JsonDim as JsonDim  # re-exported
from cnnlint.ir import Graph, Node
from cnnlint.shapes import Dim, Formula, Shape, explain
from cnnlint.shapes.dim import int_text, product


def dim_text(dim: Dim | int | None) -> str:
    if dim is None:
        return "?"
    d = Dim.of(dim)
    if d.has_anonymous and d.value is None:
        return "?"
    return d.render()


def shape_text(shape: Shape | Sequence[Dim | None] | None) -> str:
    """`(None, 28, 28, 1)`: an unknown first (batch) axis written `None`, as Keras prints it; an
    unknown size elsewhere `?`."""
    if shape is None:
        return "(unknown)"
    inner = ", ".join("None" if i == 0 and dim_text(d) == "?" else dim_text(d) for i, d in enumerate(shape))
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def example_text(shape: Shape) -> str:
    """Per-example sizes without the batch axis: `7x7x64` (`h - 2 x w - 2 x 32` with symbols)."""
    sizes = [dim_text(d) for d in shape[1:]]
    plain = all(text.isdigit() or text == "?" for text in sizes)
    return ("x" if plain else " x ").join(sizes) or "scalar"


def volume_text(shape: Shape) -> str:
    """`7x7x64 = 3136` (just `784` for a single axis)."""
    rest = shape[1:]
    total = dim_text(product(rest))
    if len(rest) <= 1:
        return total
    return f"{example_text(shape)} = {total}"


def json_dim(dim: Dim) -> JsonDim:
    if dim.value is not None:
        # A number too long for Python to print (over 4300 digits) cannot be written as a JSON number.
        text = int_text(dim.value)
        return dim.value if "<" not in text else text
    if dim.has_anonymous:
        return None
    return dim.render()


def json_shape(shape: Shape | None) -> tuple[JsonDim, ...] | None:
    return None if shape is None else tuple(json_dim(d) for d in shape)


def op_name(node: Node) -> str:
    """The short op name used in traces and summaries: `conv2d` for `tf.nn.conv2d`; a subscript as written."""
    if node.api.startswith("["):
        return node.api
    return node.api.rsplit(".", 1)[-1] or node.op


def formulas(graph: Graph, node: Node, params: bool = True) -> list[Formula]:
    """The working behind a node's output sizes (and, for a layer, its parameter count), from the
    shapes of its inputs as tables show them (`cnnlint shapes --explain`, the failing step of a trace)."""
    inputs = [None if i is None else graph.shown_shape(i) for i in node.inputs]
    return explain(node.op, inputs, node.attrs, params=params and node.layer is not None and node.params is not None)


def formula_lines(found: list[Formula]) -> list[str]:
    """`height and width: SAME: ceil(28 / 2) = 14`: one line per working, the axes worked out
    alike named together."""
    lines: list[tuple[list[str], str]] = []
    for f in found:
        if lines and lines[-1][1] == f.text and f.axis is not None:
            lines[-1][0].append(f.what)
        else:
            lines.append(([f.what], f.text))
    return [f"{_names(names)}: {text}" for names, text in lines]


def _names(names: list[str]) -> str:
    return names[0] if len(names) == 1 else ", ".join(names[:-1]) + f" and {names[-1]}"
