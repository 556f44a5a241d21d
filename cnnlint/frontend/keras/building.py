"""Models that only learn their input shape from data: an unbuilt `Sequential` (no `Input`, no
`input_shape`) or a subclassed `Model` first met by `fit` / `evaluate` / `predict`. Keras builds
them there from the data's shape, `(batch, *x.shape[1:])` (Keras 3 `Trainer._symbolic_build`,
tf-keras `Model._build_graph_network_for_inferred_shape`), without the trailing-axis adjustment a
built model makes; cnnlint does the same.

Where the model's first layer cannot take the data's rank (MNIST's `(60000, 28, 28)` into a
`Conv2D`: "expected min_ndim=4, found ndim=3"), the model is not built from it: the data is
reported (CNN012) at the call that fed it, where the fix goes, and the model is built later on
an input of unknown shape, as for a model nobody feeds.
"""

from __future__ import annotations

import libcst as cst

from cnnlint.frontend.keras.layers import _input_node, _is_model_class, _m_build, apply, call_object
from cnnlint.frontend.keras.values import KerasState, SequentialV
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import UNKNOWN, BuiltinV, ObjectV, Value
from cnnlint.frontend.tensor import ShapeV, TensorV
from cnnlint.ir import Feed, Graph, Loc
from cnnlint.shapes import Dim, MaybeShape
from cnnlint.shapes.registry import Rank


def _unbuilt(interp: Evaluator, model: Value) -> bool:
    state = interp.state(KerasState)
    if isinstance(model, SequentialV):
        return model.output is None and model.complete and bool(model.layers) and model.graph is interp.graph
    if isinstance(model, ObjectV):
        return model not in state.subclassed and model not in state.built
    return False


def _refused_rank(graph: Graph, start: int, entry: int) -> int | None:
    """The rank a layer fed the model's input needs, where it refuses the input's (None if none does)."""
    for node in graph.nodes[start:]:
        if entry not in node.inputs:
            continue
        for problem in node.problems:
            details = problem.details
            if problem.fatal and isinstance(details, Rank) and details.operand == "input":
                wanted = int(details.expected.lstrip(">= "))
                if details.got < wanted:
                    return wanted
    return None


def _run(interp: Evaluator, model: Value, entry: TensorV) -> None:
    if isinstance(model, SequentialV):
        x: Value = entry
        for item in model.layers:
            x = apply(interp, item, x, None)
    elif isinstance(model, ObjectV):
        call_object(interp, model, [entry], {}, None)


def _probe(interp: Evaluator, model: Value, shape: list[Dim | None], loc: Loc) -> int | None:
    """Run the model on the data's shape in a scratch copy of the graph: the rank its first
    layer needs where it refuses the data, else None. The copy and what the run recorded go."""
    home = interp.graph
    scratch = home.extension("probe", loc)
    state = interp.state(KerasState)
    had = dict(state.subclassed), set(state.built), dict(state.model_graphs)
    ir = interp.ir
    recorded = len(ir.findings), len(ir.feeds), len(ir.losses), len(ir.graphs)
    interp.graph = scratch
    try:
        start = len(scratch.nodes)
        entry = _input_node(interp, shape, loc)
        _run(interp, model, entry)
        return _refused_rank(scratch, start, entry.node)
    finally:
        interp.graph = home
        state.subclassed, state.built, state.model_graphs = had[0], had[1], had[2]
        # What the run stated is stated again when the model is built for real.
        del ir.findings[recorded[0]:], ir.feeds[recorded[1]:], ir.losses[recorded[2]:], ir.graphs[recorded[3]:]


def build_from_data(interp: Evaluator, model: Value, x: Value | None, kind: str, x_text: str) -> None:
    """`fit(x, ...)` / `predict(x)` of a model without an input shape: build it from `x`'s shape,
    or report `x` (a `Feed` CNN012 checks) where its first layer refuses that rank."""
    site = interp.call_site
    if site is None or not isinstance(x, TensorV) or not _unbuilt(interp, model):
        return
    data = interp.graph.nodes[x.node].shape
    if not data:
        return
    shape: list[Dim | None] = [None, *data[1:]]
    loc = interp.loc(site)
    wanted = _probe(interp, model, shape, loc)
    if wanted is not None:
        # The model as Keras builds it from the data, with the axes its first layer still needs.
        expected: MaybeShape = (Dim.unknown(), *data[1:], *(Dim.unknown() for _ in range(wanted - len(data))))
        title = model.model.title if isinstance(model, SequentialV) else \
            interp.state(KerasState).object_names.get(model, "model") if isinstance(model, ObjectV) else "model"
        interp.ir.feeds.append(Feed(kind, loc, interp.graph, f"model `{title}`", (expected,), (x.node,), (x_text,)))
        return
    if isinstance(model, SequentialV):
        _m_build(interp, model, ShapeV(tuple(Dim.unknown() if d is None else d for d in shape)))
    elif isinstance(model, ObjectV):
        call_object(interp, model, [_input_node(interp, shape, loc)], {}, None)


def site_text(interp: Evaluator, site: cst.CSTNode | None, index: int, name: str) -> str:
    """The source text of a call's argument (positional `index` or keyword `name`)."""
    if not isinstance(site, cst.Call):
        return name
    positional = [a for a in site.args if a.keyword is None and not a.star]
    if index < len(positional):
        return interp.code(positional[index].value)
    for arg in site.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return interp.code(arg.value)
    return name


_FEEDING = ("fit", "evaluate", "predict", "train_on_batch", "test_on_batch", "predict_on_batch")


def object_method(interp: Evaluator, obj: ObjectV, attr: str) -> Value | None:
    """`fit` / `predict` / ... of a subclassed model: built from the data on first use."""
    if attr not in _FEEDING or not _is_model_class(obj.cls):
        return None

    def method(interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
        x = kwargs.get("x", args[0] if args else None)
        build_from_data(interp, obj, x, attr, site_text(interp, interp.call_site, 0, "x"))
        return UNKNOWN

    return BuiltinV(attr, method)
