"""What a rule is: a code, a name, a severity, documentation with examples, and a check.

A rule module holds one `Rule` subclass (Fixit style): its docstring is the documentation
(ruff's headings), `VALID` / `INVALID` are examples the tests run and `cnnlint explain` prints.
"""

from __future__ import annotations

import dataclasses
import os
import textwrap
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import ClassVar

# The plain data of a finding lives in cnnlint.findings (no front end, no shapes); rules import it from here.
from cnnlint.findings import (
    NO_EXTRA,
    Applicability,
    Diagnostic,
    Edit,
    Extra,
    Fix,
    Related,
    Suppression,
    TraceStep,
    make_fix,
    offered,
)
from cnnlint.ir import Graph, HelperCall, Loc, ModuleIR, Node
from cnnlint.report.render import dim_text, formula_lines, formulas, json_shape, op_name, shape_text
from cnnlint.shapes import Dim, Problem, WindowAxis


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
        self, module: ModuleIR, loc: Loc, message: str, trace: tuple[TraceStep, ...] = (), extra: Extra = NO_EXTRA,
        related: Iterable[tuple[Loc, str]] = (),
    ) -> Diagnostic:
        """A finding at `loc` of this module; `related`: (range in the same file, what happens there),
        in order, the primary range itself and repeats left out."""
        notes: list[Related] = []
        for at, text in related:
            note = Related(at.path or module.path, dataclasses.replace(at, path=""), text)
            if at != loc and note not in notes:
                notes.append(note)
        # A range in another file of the project (an imported helper run for this file's call) is
        # reported in that file, with the last step of its trace in this file as related.
        path = loc.path or module.path
        steps = tuple(dataclasses.replace(s, path=s.path or module.path) for s in trace) if loc.path else trace
        steps = tuple(dataclasses.replace(s, path="") if s.path == path else s for s in steps)
        if loc.path:
            if len(loc.via) == 4 and loc.via[0] > 0:
                notes.append(Related(module.path, Loc(*loc.via), "the call in this file that runs it"))
        # The same finding reached from several calls is one finding (its first call is related).
        return Diagnostic(self.code, self.name, self.severity, path, dataclasses.replace(loc, path="", via=()),
                          message, steps, related=tuple(notes), extra=extra)


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
                    if graph.fed:  # a TF1 graph specialised at a `feed_dict`: which feed made the shapes known
                        message += f" ({graph.fed})"
                    yield self.diagnostic(module, node.loc, message, trace_of(graph, node),
                                          Extra(node=(index, node.id), problems=tuple(problems)),
                                          [*self.related(graph, node, problems[0]), *call_site_notes(graph, node)])

    def applies(self, graph: Graph, node: Node, problem: Problem) -> bool:
        return True

    def related(self, graph: Graph, node: Node, problem: Problem) -> list[tuple[Loc, str]]:
        """The other places that take part in the finding (an operand's producer, where a size was
        computed), as (range, what happens there); none by default."""
        return []

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        raise NotImplementedError


class SuppressionRule(Rule):
    """A rule about the suppression comments themselves: the runner calls `check_suppressions` once
    every other rule has run, with each comment of the file and the codes it silenced."""

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        return iter(())

    def check_suppressions(
        self, module: ModuleIR, silenced: Mapping[Suppression, frozenset[str]], selected: frozenset[str]
    ) -> Iterable[Diagnostic]:
        """`silenced`: each comment and the codes of the findings it hid; `selected`: the codes run."""
        raise NotImplementedError


# Problems whose existence depends on which axis holds the channels.
LAYOUT_DEPENDENT = frozenset({"non-positive", "strided-remainder", "channels"})

AXES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def axis_name(axis: int, rank: int) -> str:
    names = AXES.get(rank, ())
    return names[axis] if axis < len(names) else f"axis {axis}"


def same_kind_axes(node: Node, problem: Problem) -> tuple[str, str]:
    """("height and width", "28 and 28") for every axis of `node` with a problem like `problem`."""
    found = [p.details for p in node.problems if p.kind == problem.kind and isinstance(p.details, WindowAxis)]
    names = [axis_name(d.axis, d.spatial_rank) for d in found]
    sizes = [dim_text(d.size) for d in found]
    return " and ".join(names), " and ".join(sizes)


def trace_of(graph: Graph, node: Node) -> tuple[TraceStep, ...]:
    """The path to `node`; a step with a shape problem carries the working behind its sizes, a step
    made by a helper called more than once the call it belongs to."""
    path = graph.trace(node.id)
    calls = helper_calls(graph, path)
    return tuple(
        TraceStep(n.loc.line, op_name(n), json_shape(graph.shown_shape(n.id)), graph.labels.get(n.id),
                  n.api, n.loc.path, tuple(formula_lines(formulas(graph, n, params=False))) if n.problems else (),
                  call)
        for n, call in zip(path, calls, strict=True)
    )


def helper_calls(graph: Graph, nodes: Sequence[Node]) -> list[str]:
    """For each node, the calls of helpers called from more than one place that made it,
    `block(x, 64) at line 20` (outermost first, joined by ` > `); "" where there are none."""
    stacks = [graph.helpers.get(n.id, ()) for n in nodes]
    if not any(stacks):
        return ["" for _ in nodes]
    sites: dict[str, set[tuple[str, int, str]]] = {}
    for stack in graph.helpers.values():
        for call in stack:
            sites.setdefault(call.function, set()).add((call.loc.path, call.loc.line, call.text))
    return [" > ".join(f"{_clipped(c.text)} at {_where(c)}" for c in stack if len(sites[c.function]) > 1)
            for stack in stacks]


def _where(call: HelperCall) -> str:
    """`line 20`, or `blocks.py:20` for a call in another project file."""
    return f"{os.path.basename(call.loc.path)}:{call.loc.line}" if call.loc.path else f"line {call.loc.line}"


def _clipped(text: str, size: int = 48) -> str:
    one = " ".join(text.split())
    return one if len(one) <= size else one[: size - 3] + "..."


def call_site_notes(graph: Graph, node: Node) -> list[tuple[Loc, str]]:
    """For an op inside a custom layer's `call`: where the layer is applied, and to what."""
    site = graph.calls.get(node.id)
    if site is None:
        return []
    shapes = " and ".join(shape_text(graph.nodes[i].shape) for i in site.inputs)
    return [(site.loc, f"the layer `{site.layer}` is called here on {shapes}")]


def operand(graph: Graph, node: Node, index: int) -> tuple[str, Node | None]:
    """How to name input `index` of a node, and its producer."""
    if index >= len(node.inputs) or node.inputs[index] is None:
        return "the input", None
    producer = graph.nodes[node.inputs[index]]  # type: ignore[index]
    return graph.describe(producer.id), producer


def first_application(graph: Graph, node: Node) -> Node | None:
    """The node of the first call of the Keras layer `node` applies again (None: not known)."""
    if node.layer is None:
        return None
    return next((n for n in graph.nodes[:node.id] if n.layer == node.layer and n.op == node.op), None)


def producer_notes(graph: Graph, node: Node, indices: Iterable[int] | None = None) -> list[tuple[Loc, str]]:
    """A related location per operand of `node` (all, or those at `indices`) made on another line: where it
    gets its shape, ``"`h_pool2` gets the shape (None, 7, 7, 64) here"``."""
    notes: list[tuple[Loc, str]] = []
    chosen = range(len(node.inputs)) if indices is None else indices
    for i in dict.fromkeys(node.inputs[j] for j in chosen if j < len(node.inputs)):
        producer = None if i is None else graph.nodes[i]
        if producer is not None and producer.loc.line != node.loc.line and producer.shape is not None:
            shape = shape_text(producer.shape)
            notes.append((producer.loc, f"{graph.describe(producer.id)} gets the shape {shape} here"))
    return notes


def came_from(node: Node, key: str, value: Dim | None) -> str:
    """"; 1024 comes from `expr`" when the number was computed rather than written."""
    source = node.sources.get(key)
    if source is None or value is None:
        return ""
    if source.replace(" ", "") == dim_text(value):
        return ""
    return f"; {dim_text(value)} comes from `{source}`"


# Re-exported from cnnlint.findings (the names rules have always imported from here).
__all__ = ["NO_EXTRA", "Applicability", "Diagnostic", "Edit", "Extra", "Fix", "Related", "Suppression",
           "TraceStep", "make_fix", "offered"]
