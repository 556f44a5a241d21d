"""What `cnnlint shapes` prints, independent of the format: one table per model or program.

A Keras model's table lists its layers with Keras names, types, output shapes and parameter
counts (a static `model.summary()`); ops outside any model (raw `tf.nn` code) get one table
per graph.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from cnnlint.ir import Graph, ModuleIR, Node
from cnnlint.report.render import op_name
from cnnlint.report.unknowns import UnknownFrom, unknown_from
from cnnlint.shapes import Dim, Weight, layer_weights


@dataclass(frozen=True)
class Row:
    node: Node
    cell: int | None
    line: int
    op: str
    variable: str | None
    # With `--confirm`: TensorFlow's shape at batch 1, its error text, or None (not rebuilt).
    tensorflow: TensorFlowShape = None
    # A layer's weights as the target Keras builds them ([] for none, None when not known).
    weights: list[Weight] | None = None

    @property
    def agrees(self) -> bool | None:
        """Whether TensorFlow computed the static shape (the batch axis may differ)."""
        static, actual = self.node.shape, self.tensorflow
        if not isinstance(actual, list):
            return None if actual is None or static is None else False
        if static is None or len(static) != len(actual):
            return False if static is not None else None
        return all(d.value is None or d.value == a for i, (d, a) in enumerate(zip(static, actual, strict=True))
                   if i > 0 or d.value is not None)


@dataclass(frozen=True)
class Table:
    title: str
    kind: str | None  # "Sequential", "Model", a subclass name; None for a raw graph
    keras_name: str | None
    path: str
    cell: int | None
    line: int
    rows: list[Row]
    confirmed: bool = False
    # Where the shapes stop being known and why (report/unknowns.py); None when all are known.
    unknown: UnknownFrom | None = None
    unknown_place: tuple[int | None, int] = (None, 0)  # its (cell, line)
    # The graph the rows come from, for what reads the edges (report/pictures.py, "connected to").
    graph: Graph | None = dataclasses.field(default=None, compare=False, repr=False)

    def connected_to(self, row: Row) -> list[Row]:
        """The rows a row reads (a functional graph's "connected to"), looking through ops not listed."""
        if self.graph is None:
            return []
        listed = {r.node.id: r for r in self.rows}
        found: list[Row] = []
        stack = [i for i in self.graph.nodes[row.node.id].inputs if i is not None]
        seen: set[int] = set()
        while stack:
            current = stack.pop(0)
            if current in seen:
                continue
            seen.add(current)
            if current in listed:
                found.append(listed[current])
            else:
                stack.extend(i for i in self.graph.nodes[current].inputs if i is not None)
        return found

    @property
    def total_params(self) -> Dim | None:
        """Weights of the layers in the table, each layer counted once; None when any is unknown,
        or when no layer but its inputs is known (a model whose layers cnnlint could not read)."""
        return self._params(None)

    @property
    def trainable_params(self) -> Dim | None:
        return self._params(trainable=True)

    @property
    def non_trainable_params(self) -> Dim | None:
        return self._params(trainable=False)

    @property
    def unread(self) -> bool:
        """A Keras model without a known layer besides its inputs (built from layers cnnlint does not know)."""
        return self.kind is not None and all(row.node.layer is None or row.node.op == "input" for row in self.rows)

    def _params(self, trainable: bool | None) -> Dim | None:
        """The sizes of the table's layers' weights, each layer once: all of them (`trainable` None:
        the layers' parameter counts) or the (non-)trainable ones; None when any is not known."""
        if self.unread:
            return None
        seen: set[str] = set()
        total = Dim.const(0)
        for row in self.rows:
            layer = row.node.layer
            if layer is None or layer in seen:
                continue
            seen.add(layer)
            if trainable is None:
                if row.node.params is None:
                    return None
                total = total + row.node.params
                continue
            if row.weights is None:
                return None
            for weight in row.weights:
                if weight.trainable == trainable:
                    total = total + weight.size
        return total


def visible_nodes(graph: Graph) -> list[int]:
    """Ops worth a row in a summary: weight initialisers wrapped by a variable are folded in."""
    wrapped = {
        node.inputs[0] for node in graph.own_nodes
        if node.attrs.get("kind") == "variable" and node.inputs and node.inputs[0] is not None
    }
    return [n.id for n in graph.own_nodes if n.id not in wrapped and n.op not in ("opaque", "set_weights", "join")]


# TensorFlow's shape of a node at batch 1 (from `--confirm`), its error text, or None when not run.
TensorFlowShape = list[int | None] | str | None
TensorFlowShapes = dict[tuple[int, int], TensorFlowShape]


def _row(module: ModuleIR, graph: Graph, node: Node, tensorflow: TensorFlowShape, placed: bool = True,
         weighed: bool = True) -> Row:
    cell, line = module.place(node.loc.line) if placed else (None, 0)
    if node.shape is None and (settled := graph.shown_shape(node.id)) is not None:
        node = dataclasses.replace(node, shape=settled)  # a parameter, shown at the rank it was read as
    return Row(node, cell, line, op_name(node), graph.labels.get(node.id), tensorflow,
               _weights(graph, node) if weighed else None)


def _weights(graph: Graph, node: Node) -> list[Weight] | None:
    """The weights of a layer's node, from its op's declaration; None for a layer whose
    parameters are not known (an op that failed, an unknown layer) and for other ops."""
    if node.layer is None or node.params is None:
        return None
    inputs = [None if i is None else graph.shown_shape(i) for i in node.inputs]
    return layer_weights(node.op, inputs, node.attrs)


def tables(module: ModuleIR, tensorflow: TensorFlowShapes | None = None, placed: bool = True,
           weighed: bool = True) -> list[Table]:
    """The module's tables; with `tensorflow` (from `--confirm`) each row also has TensorFlow's shape.
    `placed=False`: cells and lines left out (0), for counts that must not resolve positions;
    `weighed=False`: no row's weights (None), for counts that do not read them."""
    out: list[Table] = []
    seen = tensorflow or {}
    for index, graph in enumerate(module.graphs):
        if graph.fed and not any(node.problems for node in graph.own_nodes):
            continue  # the graph again with the shapes a feed gives, where they show no new problem
        def row(i: int) -> Row:
            return _row(module, graph, graph.nodes[i], seen.get((index, i)), placed, weighed)  # noqa: B023  (used at once)

        in_models: set[int] = set()
        for model in graph.models:
            rows = [row(i) for i in model.nodes
                    if graph.nodes[i].layer is not None or graph.nodes[i].op not in ("opaque", "input", "join")]
            cell, line = module.place(model.line) if placed else (None, 0)
            out.append(Table(model.title, model.kind, model.name, module.path, cell, line, rows,
                             tensorflow is not None, *_unknown(module, graph, model.nodes, placed), graph))
            in_models.update(model.nodes)
        rest = [i for i in visible_nodes(graph) if i not in in_models]
        if rest:
            cell, line = module.place(graph.line) if placed else (None, 0)
            out.append(Table(graph.name, None, None, module.path, cell, line, [row(i) for i in rest],
                             tensorflow is not None, *_unknown(module, graph, rest, placed), graph))
    return out


def _unknown(module: ModuleIR, graph: Graph, nodes: list[int],
             placed: bool = True) -> tuple[UnknownFrom | None, tuple[int | None, int]]:
    where = unknown_from(graph, nodes)
    return where, (None, 0) if where is None or not placed else module.place(where.node.loc.line)


# -- coverage: how much of the code's models cnnlint could shape -----------------------------------
MODEL_OPS = frozenset({"conv", "depthwise_conv", "conv_transpose", "pool", "dense", "rnn", "embedding", "backbone"})


@dataclass(frozen=True)
class Coverage:
    """Models (Keras models, and graphs of raw TensorFlow ops that hold a layer-like op) and how
    many have every output shape known (the batch axis aside; a named symbol counts as known, as
    `benchmarks/sweep.py` counts), some, or none."""

    models: int = 0
    fully: int = 0
    partly: int = 0

    @property
    def unknown(self) -> int:
        return self.models - self.fully - self.partly

    def __add__(self, other: Coverage) -> Coverage:
        return Coverage(self.models + other.models, self.fully + other.fully, self.partly + other.partly)


def coverage(module: ModuleIR) -> Coverage:
    models = fully = partly = 0
    for table in tables(module, placed=False, weighed=False):
        ops = [r for r in table.rows if r.node.op not in ("input",)]
        if not any(r.node.op in MODEL_OPS for r in ops):
            continue
        models += 1
        known = [r.node.shape is not None and not any(d.has_anonymous for d in r.node.shape[1:]) for r in ops]
        if all(known):
            fully += 1
        elif any(r.node.shape is not None for r in ops):
            partly += 1
    return Coverage(models, fully, partly)
