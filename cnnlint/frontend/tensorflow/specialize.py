"""The TF1 graph specialised at a `feed_dict`: the shapes TensorFlow sees when it runs.

`x = tf.placeholder("float")` has no static shape, so every op computed from it is unknown; but
`sess.run(cost, feed_dict={x: batch_x})` runs the graph with `batch_x`'s shape, and an op whose
shape function fails with it makes `sess.run` raise. Where a run feeds a placeholder whose
declared shape is missing or has unknown sizes with a value of known rank (compatible with the
declared shape: an incompatible one is CNN014's), the ops the fetches depend on are recomputed
with the fed shapes, in node order, into a new `ir.Graph` that extends the program's graph
(`Graph.fed` names the feed). Its own nodes are the recomputed ops; an op there carries the
problems that appear only with the fed shapes, and the rules report them at the op, saying which
feed made the shapes known. The raw-TensorFlow losses the fetches compute (`ir.LossInputs`) are
recomputed too and checked at the feed.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from types import MappingProxyType

from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import ObjectKeyedDictV, Value
from cnnlint.frontend.tensor import TensorV, literal_shape
from cnnlint.ir import Graph, Loc
from cnnlint.shapes import Dim, MaybeShape, Shape, infer

# A program that runs many different feeds: the first ones are specialised, the rest stay quiet.
MAX_SPECIALISATIONS = 24


@dataclass
class SpecialiseState:
    """Per module: the feeds already specialised, and what their findings already say."""

    done: set[tuple[object, ...]] = field(default_factory=set)
    # (op location, op, problem kinds) of each problem already carried by a specialised graph.
    problems: set[tuple[Loc, str, tuple[str, ...]]] = field(default_factory=set)
    # (feed location, loss location, readings) of each loss already recomputed.
    losses: set[tuple[Loc, Loc, tuple[str, ...]]] = field(default_factory=set)
    count: int = 0


def fed_shape(graph: Graph, value: Value) -> MaybeShape:
    """The shape of a fed value: an array or tensor of known rank, a nested list of numbers, a number."""
    if isinstance(value, TensorV):
        return graph.nodes[value.node].shape if value.node < len(graph.nodes) else None
    return literal_shape(value)  # `[[0, 1], [1, 0]]`, `0.5`


def merged_shape(declared: MaybeShape, fed: Shape) -> Shape | None:
    """The placeholder's shape as fed: the declared sizes, the fed ones where the declaration has
    none. None where the fed value does not fit the declaration (CNN014's) or tells nothing new."""
    if declared is None:
        return fed
    if len(declared) != len(fed):
        return None
    out: list[Dim] = []
    for want, got in zip(declared, fed, strict=True):
        if want.value is not None:
            if got.value is not None and got.value != want.value:
                return None
            out.append(want)
        else:
            out.append(got if got.value is not None else want)
    merged = tuple(out)
    return None if merged == declared else merged


def shape_text(shape: Shape) -> str:
    inner = ", ".join("?" if d.value is None else str(d.value) for d in shape)
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def _ancestors(graph: Graph, roots: list[int]) -> set[int]:
    seen: set[int] = set()
    stack = list(roots)
    while stack:
        current = stack.pop()
        if current in seen:
            continue
        seen.add(current)
        stack.extend(i for i in graph.nodes[current].inputs if i is not None)
    return seen


def specialise(interp: Evaluator, feed: ObjectKeyedDictV, fetched: list[int], loc: Loc) -> None:
    """`sess.run(fetches, feed_dict=feed)` at `loc`, where the fetches need the nodes `fetched`:
    the graph with the shapes fed, where they make an op or a loss fail that the static shapes
    leave unknown."""
    graph = interp.graph
    fed: dict[int, tuple[Shape, str]] = {}
    for key, value, text in feed.entries:
        if not isinstance(key, TensorV) or key.node >= len(graph.nodes):
            continue
        placeholder = graph.nodes[key.node]
        if placeholder.op != "input" or placeholder.attrs.get("kind") != "placeholder":
            continue
        shape = fed_shape(graph, value)
        merged = merged_shape(placeholder.shape, shape) if shape is not None else None
        if merged is not None:
            fed[key.node] = (merged, text)
    roots = [n for n in fetched if n < len(graph.nodes)]
    state = interp.state(SpecialiseState)
    if not fed or not roots or state.count >= MAX_SPECIALISATIONS:
        return
    # Unknown sizes are fresh symbols at each run of a loop: the same feed is told by its text.
    done = (loc, tuple(sorted((i, shape_text(s)) for i, (s, _) in fed.items())), tuple(sorted(set(roots))))
    if done in state.done:
        return  # the same feed run again (a loop the interpreter unrolls)
    state.done.add(done)
    state.count += 1
    needed = _ancestors(graph, roots)
    if not needed & fed.keys():
        return
    # The losses the fetches compute: an op of the loss call is needed (its labels may not be).
    locs = {graph.nodes[i].loc for i in needed}
    losses = [loss for loss in interp.ir.losses
              if loss.graph is graph and loss.origin is None and loss.loc in locs
              and loss.labels is not None and loss.predictions is not None]
    for loss in losses:
        needed |= _ancestors(graph, [n for n in (loss.labels, loss.predictions) if n is not None])

    note = "with the shapes fed at line {}: {}".format(
        loc.line, ", ".join(f"`{text}` {shape_text(shape)}" for _, (shape, text) in sorted(fed.items())))
    special = Graph(f"{graph.name} with the shapes fed at line {loc.line}", graph.path, loc.line,
                    list(graph.nodes), dict(graph.labels), len(graph.nodes), fed=note)
    remap = _recompute(special, graph, sorted(i for i in needed if i >= min(fed)), fed, state)
    found = any(node.problems for node in special.own_nodes)
    for loss in losses:
        assert loss.labels is not None and loss.predictions is not None
        labels, predictions = remap.get(loss.labels, loss.labels), remap.get(loss.predictions, loss.predictions)
        seen = (loc, loss.loc, loss.readings)
        if (labels, predictions) == (loss.labels, loss.predictions) or seen in state.losses:
            continue
        state.losses.add(seen)
        interp.ir.losses.append(dataclasses.replace(loss, loc=loc, graph=special, labels=labels,
                                                    predictions=predictions, origin=loss))
        found = True
    if found:
        interp.ir.graphs.append(special)


def _recompute(special: Graph, graph: Graph, order: list[int], fed: dict[int, tuple[Shape, str]],
               state: SpecialiseState) -> dict[int, int]:
    """Append to `special` each op of `order` whose inputs changed, with its shape recomputed;
    the map from each original node to its copy."""
    remap: dict[int, int] = {}
    for old in order:
        node = graph.nodes[old]
        if old in fed:
            attrs = MappingProxyType({**node.attrs, "shape": list(fed[old][0])})
            copy = dataclasses.replace(node, id=len(special.nodes), attrs=attrs, shape=fed[old][0], problems=())
        elif any(i in remap for i in node.inputs if i is not None):
            inputs = tuple(None if i is None else remap.get(i, i) for i in node.inputs)
            result = infer(node.op, [None if i is None else special.nodes[i].shape for i in inputs], node.attrs)
            problems = result.problems
            key = (node.loc, node.op, tuple(sorted(p.kind for p in problems)))
            if node.problems or key in state.problems:
                problems = ()  # reported on the graph itself, or at an earlier feed
            elif problems:
                state.problems.add(key)
            if result.shape == node.shape and not problems:
                continue  # the fed shapes change nothing here
            copy = dataclasses.replace(node, id=len(special.nodes), inputs=inputs, shape=result.shape,
                                       problems=problems)
        else:
            continue
        special.nodes.append(copy)
        remap[old] = copy.id
        if old in graph.labels:
            special.labels[copy.id] = graph.labels[old]
    return remap
