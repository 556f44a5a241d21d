"""What a rule is: a code, a name, a severity, documentation with examples, and a check.

A rule module holds one `Rule` subclass (Fixit style): its docstring is the documentation
(ruff's headings), `VALID` / `INVALID` are examples the tests run and `cnnlint explain` prints.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from cnnlint.ir import Graph, Loc, ModuleIR, Node
from cnnlint.shapes import Dim, Problem, Shape
from cnnlint.shapes.dim import int_text, product


@dataclass(frozen=True)
class TraceStep:
    line: int
    op: str
    shape: tuple[int | str | None, ...] | None
    label: str | None = None
    api: str = ""


@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    severity: str
    path: str
    loc: Loc
    message: str
    trace: tuple[TraceStep, ...] = ()
    confirmed: bool | None = None
    fix: Any = None
    cell: int | None = None
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.path, self.cell or 0, self.loc.line, self.loc.column, self.code)


def make_fix(message: str, edits: Iterable[tuple[Loc, str]], applicability: str = "safe") -> dict[str, Any]:
    """A `Diagnostic.fix` in ruff's JSON shape: each edit replaces a source range (1-based, end
    exclusive, columns in characters) with `content`; an empty range inserts."""
    return {
        "applicability": applicability,
        "message": message,
        "edits": [
            {"content": content, "location": {"row": loc.line, "column": loc.column},
             "end_location": {"row": loc.end_line, "column": loc.end_column}}
            for loc, content in sorted(set(edits))
        ],
    }


def offered(fix: Any, unsafe_fixes: bool) -> bool:
    """Whether `--fix` applies this fix: a safe one always, an unsafe one only with `--unsafe-fixes`
    (ruff's applicability; a fix with no stated applicability is taken as unsafe)."""
    return bool(fix) and (fix.get("applicability") == "safe" or unsafe_fixes)


class Rule:
    """Base class of all rules; subclasses set the class attributes and implement `check`."""

    code: ClassVar[str]
    name: ClassVar[str]
    severity: ClassVar[str] = "error"
    opt_in: ClassVar[bool] = False
    summary: ClassVar[str]
    VALID: ClassVar[Sequence[str]] = ()
    INVALID: ClassVar[Sequence[str]] = ()

    def check(self, module: ModuleIR) -> Iterable[Diagnostic]:
        raise NotImplementedError

    @classmethod
    def documentation(cls) -> str:
        return textwrap.dedent(cls.__doc__ or "").strip()

    def diagnostic(
        self, module: ModuleIR, loc: Loc, message: str, trace: tuple[TraceStep, ...] = (), **extra: Any
    ) -> Diagnostic:
        return Diagnostic(self.code, self.name, self.severity, module.path, loc, message, trace, extra=extra)


class ProblemRule(Rule):
    """A rule that reports shape problems of some kinds found by the shape engine."""

    kinds: ClassVar[tuple[str, ...]]

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for index, graph in enumerate(module.graphs):
            for node in graph.own_nodes:
                # One finding per op: problems on several axes are described together.
                problems = [p for p in node.problems if p.kind in self.kinds and self.applies(graph, node, p)]
                if problems:
                    message = self.message(graph, node, problems[0])
                    if node.attrs.get("layout_from_config") and problems[0].kind in LAYOUT_DEPENDENT:
                        layout = node.attrs.get("data_format", "channels_last")
                        message += f" (assuming {layout}, the configured image data format)"
                    yield self.diagnostic(module, node.loc, message, trace_of(graph, node), problems=problems,
                                          node=(index, node.id))

    def applies(self, graph: Graph, node: Node, problem: Problem) -> bool:
        return True

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        raise NotImplementedError


# Problems whose existence depends on which axis holds the channels.
LAYOUT_DEPENDENT = frozenset({"non-positive", "strided-remainder", "channels"})

AXES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def axis_name(axis: int, rank: int) -> str:
    names = AXES.get(rank, ())
    return names[axis] if axis < len(names) else f"axis {axis}"


def same_kind_axes(node: Node, problem: Problem) -> tuple[str, str]:
    """("height and width", "28 and 28") for every axis of `node` with a problem like `problem`."""
    found = [p.details for p in node.problems if p.kind == problem.kind]
    names = [axis_name(d["axis"], d["spatial_rank"]) for d in found]
    sizes = [dim_text(d["size"]) for d in found]
    return " and ".join(names), " and ".join(sizes)


# -- shared wording ----------------------------------------------------------------------------
def dim_text(dim: Dim | int | None) -> str:
    if dim is None:
        return "?"
    d = Dim.of(dim)
    if d.has_anonymous and d.value is None:
        return "?"
    return d.render()


def shape_text(shape: Shape | Sequence[Dim | None] | None) -> str:
    """`(?, 28, 28, 1)`."""
    if shape is None:
        return "(unknown)"
    inner = ", ".join(dim_text(d) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def example_text(shape: Shape) -> str:
    """Per-example sizes without the batch axis: `7x7x64`."""
    return "x".join(dim_text(d) for d in shape[1:]) or "scalar"


def volume_text(shape: Shape) -> str:
    """`7x7x64 = 3136` (just `784` for a single axis)."""
    rest = shape[1:]
    total = dim_text(product(rest))
    if len(rest) <= 1:
        return total
    return f"{example_text(shape)} = {total}"


def json_dim(dim: Dim) -> int | str | None:
    if dim.value is not None:
        # A number too long for Python to print (over 4300 digits) cannot be written as a JSON number.
        text = int_text(dim.value)
        return dim.value if "<" not in text else text
    if dim.has_anonymous:
        return None
    return dim.render()


def json_shape(shape: Shape | None) -> tuple[int | str | None, ...] | None:
    return None if shape is None else tuple(json_dim(d) for d in shape)


def op_name(node: Node) -> str:
    """The short op name used in traces: `conv2d` for `tf.nn.conv2d`; a subscript as written."""
    if node.api.startswith("["):
        return node.api
    return node.api.rsplit(".", 1)[-1] or node.op


def trace_of(graph: Graph, node: Node) -> tuple[TraceStep, ...]:
    return tuple(
        TraceStep(n.loc.line, op_name(n), json_shape(n.shape), graph.labels.get(n.id), n.api)
        for n in graph.trace(node.id)
    )


def operand(graph: Graph, node: Node, index: int) -> tuple[str, Node | None]:
    """How to name input `index` of a node, and its producer."""
    if index >= len(node.inputs) or node.inputs[index] is None:
        return "the input", None
    producer = graph.nodes[node.inputs[index]]  # type: ignore[index]
    return graph.describe(producer.id), producer


def came_from(node: Node, key: str, value: Dim | None) -> str:
    """"; 1024 comes from `expr`" when the number was computed rather than written."""
    source = node.sources.get(key)
    if source is None or value is None:
        return ""
    if source.replace(" ", "") == dim_text(value):
        return ""
    return f"; {dim_text(value)} comes from `{source}`"
