"""Where a model's shapes stop being known, and why: once per model, for `cnnlint shapes`
(docs/output.md, "Where shapes stop being known").

A model with an unknown shape gets no finding from there on, so the user is told the first place
the shapes become unknown and the cause, in the words of the code: a parameter of a function
nobody calls, a call cnnlint cannot follow (a function of a module it cannot see), a layer it does
not model, data whose sizes come from a file, or an argument of a layer that is not known. The
reason names what to declare in `[tool.cnnlint.input-shapes]` where that would help.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cnnlint.ir import Graph, Node
from cnnlint.shapes import MaybeShape

# Inputs whose sizes come from outside the code (`InputAttrs.kind`): what the reason says of them.
_SOURCES = {
    "array": "an array whose sizes come from a file or from data cnnlint does not read",
    "dataset": "a dataset whose element sizes are not known",
    "placeholder": "some of its sizes are not known",
}


@dataclass(frozen=True)
class UnknownFrom:
    """The first node of a model whose output shape is not fully known, and why."""

    node: Node
    reason: str


def known(shape: MaybeShape) -> bool:
    """Every axis known past the batch axis (a named symbol counts as known)."""
    return shape is not None and not any(d.has_anonymous for d in shape[1:])


def unknown_from(graph: Graph, nodes: Sequence[int]) -> UnknownFrom | None:
    """Where the shapes of the model made of `nodes` (in execution order) stop being known."""
    inside = set(nodes)
    for i in nodes:
        node = graph.nodes[i]
        if known(graph.shown_shape(i)):
            continue
        if node.problems or i in graph.failed:
            return None  # a finding, or after one: the finding says why
        # An input from outside the model (a tensor computed before it) is the cause.
        outside = [j for j in node.inputs if j is not None and j not in inside and not known(graph.shown_shape(j))]
        cause = graph.nodes[outside[0]] if outside else node
        return UnknownFrom(cause, reason(graph, cause))
    return None


def reason(graph: Graph, node: Node) -> str:
    """Why `node`'s output shape is not known, in a sentence."""
    shown = node.api or node.op
    if node.op == "input":
        parameter = node.attrs.get("parameter")
        if isinstance(parameter, str):
            function, _, name = parameter.rpartition(".")
            if node.attrs.get("kind") == "parameter":
                return (f"`{name}` is a parameter of `{function}()`, which no code cnnlint reads calls: "
                        f"its shape is not known" + ("" if graph.settled.get(node.id) else ", nor its rank"))
            return (f"`{name}` is a parameter of `{function}()`, which no code cnnlint reads calls: its sizes are "
                    f"not known (give them in `[tool.cnnlint.input-shapes]` as `\"{parameter}\" = [...]`)")
        given = ", ".join(f"`{key}={text}`" for key, text in node.sources.items() if "[" not in key)
        kind = node.attrs.get("kind")
        what = _SOURCES.get(kind, "its shape is not known") if isinstance(kind, str) else "its shape is not known"
        return f"`{shown}`: {what}" + (f" ({given})" if given else "")
    if node.op == "opaque":
        if node.layer is not None:
            return f"`{shown}` is a layer cnnlint does not model (or reads only for some Keras versions)"
        return f"`{shown}(...)` is a call cnnlint cannot follow (a function of a module it cannot see, or not modelled)"
    unknown = [f"`{text}`" for key, text in node.sources.items() if key in node.attrs and node.attrs[key] is None]
    if unknown:
        return f"`{shown}`: the value of {', '.join(unknown)} is not known"
    inputs = [graph.nodes[j] for j in node.inputs if j is not None]
    if inputs and all(known(graph.shown_shape(j.id)) for j in inputs):
        return f"`{shown}`: its output shape is not known from its arguments"
    return f"`{shown}`: its input's shape is not known"
