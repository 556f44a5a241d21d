"""How real code reaches into a built Keras model: `model.layers[i]`, `model.get_layer(name)`,
`layer.output` / `layer.input`, `model.output` / `model.input(s)`, `output_shape` / `input_shape`.

Each answer is a value the program can keep building on (`Model(base.input,
base.layers[-2].output)`, `Flatten()(base.output)`), or unknown wherever Keras's answer is not
certain from the code (a layer applied twice, a layer list with layers cnnlint does not see one
by one). Checked against Keras 3 and tf-keras in tests/test_model_idioms.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from cnnlint.frontend.keras.registry import METHODS
from cnnlint.frontend.keras.values import FunctionalV, KerasState, LayerV, SequentialV
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import UNKNOWN, Const, SeqV, Value, as_int, as_str
from cnnlint.frontend.tensor import ShapeV, TensorV
from cnnlint.ir import Graph
from cnnlint.shapes import weight_shapes


@dataclass
class IdiomState:
    """The layers applied so far in a module, by their Keras name (the graph's nodes name them)."""

    layers: dict[str, LayerV] = field(default_factory=dict)
    # A subclassed layer or model was called: its inner layers' nodes stand for one Keras layer.
    objects_called: bool = False
    # Dense layers by object: the graph and input width of their first call (the layer kept alive).
    widths: dict[int, tuple[Graph, int | None, LayerV]] = field(default_factory=dict)


def remember_layer(interp: Evaluator, layer: LayerV) -> None:
    """Called for every layer application: `get_layer` and `model.layers` look layers up here."""
    interp.state(IdiomState).layers.setdefault(layer.name, layer)


def built_weights(interp: Evaluator, layer: LayerV, x: int, op: str, attrs: dict[str, object]) -> dict[str, object]:
    """A `Dense` layer applied again (a layer of another model, a shared layer) keeps the kernel
    its first call built: its input width is fixed from then on (Keras 3: "expected axis -1 of
    input shape to have value 900"; tf-keras: "Dimensions must be equal")."""
    if op != "dense" or "in_features" in attrs:
        return attrs
    built = interp.state(IdiomState).widths
    first = built.get(id(layer))
    shape = interp.graph.nodes[x].shape
    if first is None:
        if shape:
            built[id(layer)] = (interp.graph, shape[-1].value, layer)
        return attrs
    graph, width, _ = first
    if graph is not interp.graph or width is None:
        return attrs
    return {**attrs, "in_features": width}


# -- layers ----------------------------------------------------------------------------------
def _nodes_named(graph: Graph, name: str) -> list[int]:
    return [node.id for node in graph.nodes if node.layer == name]


def _only_application(interp: Evaluator, layer: LayerV) -> int | None:
    """The node of the layer's one application; None when it was applied never or more than once
    (tf-keras then refuses `layer.output`: "Layer has multiple inbound nodes")."""
    nodes = _nodes_named(interp.graph, layer.name)
    return nodes[0] if len(nodes) == 1 else None


def _tensors(ids: list[int]) -> Value:
    return TensorV(ids[0]) if len(ids) == 1 else SeqV([TensorV(i) for i in ids])


def layer_attribute(interp: Evaluator, layer: LayerV, attr: str) -> Value | None:
    """`layer.output`, `layer.input`, `layer.output_shape`, `layer.input_shape`, `layer.name`."""
    if attr == "name":
        # A name Keras assigns differs across versions for inputs (`input_layer` / `input_1`).
        return Const(layer.name) if as_str(layer.args.get("name", UNKNOWN)) == layer.name else UNKNOWN
    if attr not in ("output", "input", "output_shape", "input_shape"):
        return None
    node_id = _only_application(interp, layer)
    if node_id is None:
        return UNKNOWN
    node = interp.graph.nodes[node_id]
    if node.op == "input":  # an InputLayer: its input and output are the one tensor
        ids = [node_id]
    elif attr.startswith("input"):
        ids = [i for i in node.inputs if i is not None]
        if not ids or len(ids) != len(node.inputs):
            return UNKNOWN
    else:
        ids = [node_id]
    if attr.endswith("_shape"):
        shapes = [interp.graph.nodes[i].shape for i in ids]
        if any(s is None for s in shapes):
            return UNKNOWN
        made = [ShapeV(s) for s in shapes]
        return made[0] if len(made) == 1 else SeqV(list(made))
    return _tensors(ids)


# -- models ----------------------------------------------------------------------------------
def _sequential_layers(model: SequentialV) -> list[Value] | None:
    """What `model.layers` lists for a Sequential: its layers, never its `Input`."""
    if not model.complete:
        return None
    return [item for item in model.layers
            if not isinstance(item, TensorV) and not (isinstance(item, LayerV) and item.kind == "InputLayer")]


def _functional_layers(interp: Evaluator, model: FunctionalV) -> list[Value] | None:
    """`model.layers` of a functional model: one entry per layer, in the order Keras lists them
    (its inputs first, then the layers in the order they were applied); None wherever a node
    is not one layer of ours applied once (TensorFlow ops, Lambda internals, nested models or
    Sequentials, subclassed layers), since the indices would then be Keras's, not ours."""
    state = interp.state(KerasState)
    if state.subclassed or state.built or state.model_objects or interp.state(IdiomState).objects_called:
        return None
    graph = interp.graph
    if state.model_graphs.get(model.model) is not graph:
        return None
    known = interp.state(IdiomState).layers
    nested = {id(item) for seq in state.sequentials for item in seq.layers}
    out: list[Value] = []
    for node_id in model.model.nodes:
        node = graph.nodes[node_id]
        if node.layer is None:
            return None
        if len(_nodes_named(graph, node.layer)) != 1:
            return None
        if node.op == "input":
            if node_id not in model.inputs:
                return None
            out.append(LayerV("InputLayer", {}, "InputLayer", None, name=node.layer))
            continue
        layer = known.get(node.layer)
        if layer is None or id(layer) in nested:
            return None
        out.append(layer)
    return out


def model_layers(interp: Evaluator, model: Value) -> list[Value] | None:
    if isinstance(model, SequentialV):
        return _sequential_layers(model)
    if isinstance(model, FunctionalV):
        return _functional_layers(interp, model)
    return None


def _entry(model: SequentialV) -> list[int] | None:
    if model.graph is None or not isinstance(model.output, TensorV):
        return None
    inputs = [i for i in model.model.nodes if model.graph.nodes[i].op == "input"][:1]
    return inputs or None


def model_attribute(interp: Evaluator, model: SequentialV | FunctionalV, attr: str) -> Value | None:
    """`model.layers`, `model.input(s)`, `model.output(s)`, `model.input_shape`, `model.output_shape`."""
    if attr == "layers":
        found = model_layers(interp, model)
        return UNKNOWN if found is None else SeqV(found)
    if attr not in ("input", "inputs", "output", "outputs", "input_shape", "output_shape"):
        return None
    if interp.state(KerasState).model_graphs.get(model.model) is not interp.graph:
        return UNKNOWN
    if isinstance(model, SequentialV):
        entry = _entry(model)
        if entry is None:
            return UNKNOWN
        inputs: list[int] = entry
        output = model.output
    else:
        inputs, output = list(model.inputs), model.outputs
        if not inputs:
            return UNKNOWN
    outputs = output.items if isinstance(output, SeqV) else [output]
    if not all(isinstance(o, TensorV) for o in outputs):
        return UNKNOWN
    out_ids = [o.node for o in outputs if isinstance(o, TensorV)]
    ids = inputs if attr.startswith("input") else out_ids
    plural = attr.endswith("s")
    if attr.endswith("_shape"):
        shapes = [interp.graph.nodes[i].shape for i in ids]
        if any(s is None for s in shapes):
            return UNKNOWN
        made: list[Value] = [ShapeV(s) for s in shapes]
        return made[0] if len(made) == 1 else SeqV(made)
    if plural:
        return SeqV([TensorV(i) for i in ids])
    if isinstance(model, FunctionalV) and len(ids) == 1:
        # Given as a one-item list, Keras 3 keeps the list (`model.output` is `[t]`) where tf-keras
        # gives the tensor: which one the code meant is the target's.
        listed = model.listed_inputs if attr == "input" else isinstance(model.outputs, SeqV)
        if listed:
            return UNKNOWN
    return _tensors(ids)


def _m_get_layer(interp: Evaluator, model: Value, name: Value = UNKNOWN, index: Value = UNKNOWN) -> Value:
    """`model.get_layer("conv2d_1")` / `get_layer(index=2)`: the layer of that name or position."""
    layers = model_layers(interp, model)
    wanted = as_str(name)
    if wanted is not None:
        if isinstance(model, SequentialV) and layers is not None:
            named = [item for item in layers if isinstance(item, LayerV) and item.name == wanted]
            return named[0] if len(named) == 1 else UNKNOWN
        if isinstance(model, FunctionalV) and layers is None:
            # The list is not known one by one, but a layer of that name applied once inside it is.
            graph = interp.graph
            nodes = _nodes_named(graph, wanted)
            layer = interp.state(IdiomState).layers.get(wanted)
            if len(nodes) == 1 and nodes[0] in model.model.nodes and layer is not None:
                return layer
            return UNKNOWN
        named = [item for item in layers or [] if isinstance(item, LayerV) and item.name == wanted]
        return named[0] if len(named) == 1 else UNKNOWN
    position = as_int(index)
    if layers is None or position is None or not -len(layers) <= position < len(layers):
        return UNKNOWN
    return layers[position]


for _cls in (SequentialV, FunctionalV):
    METHODS[(_cls, "get_layer")] = _m_get_layer


def attribute(interp: Evaluator, value: Value, attr: str) -> Value | None:
    """The properties above, for the plugin's `attribute` hook (methods are in `METHODS`)."""
    if isinstance(value, LayerV):
        return layer_attribute(interp, value, attr)
    if isinstance(value, (SequentialV, FunctionalV)):
        return model_attribute(interp, value, attr)
    return None


def _m_get_weights(interp: Evaluator, layer: LayerV) -> Value:
    """`layer.get_weights()` of a layer applied once: arrays of the shapes Keras built (`[kernel,
    bias]`), so that `other.set_weights([W.reshape(...), b])` is checked (CNN011)."""
    node_id = _only_application(interp, layer)
    site = interp.call_site
    if node_id is None or site is None:
        return UNKNOWN
    node = interp.graph.nodes[node_id]
    inputs = [None if i is None else interp.graph.nodes[i].shape for i in node.inputs]
    shapes = weight_shapes(node.op, inputs, node.attrs)
    if shapes is None:
        return UNKNOWN
    loc = interp.loc(site)
    shown = interp.code(site.func) if isinstance(site, cst.Call) else "get_weights"
    return SeqV([TensorV(interp.graph.add("input", shown, [], {"shape": shape, "kind": "array"}, loc).id)
                 for shape in shapes])


METHODS[(LayerV, "get_weights")] = _m_get_weights
