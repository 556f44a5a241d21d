"""How real code reaches into a built Keras model: `model.layers[i]`, `model.get_layer(name)`,
`layer.output` / `layer.input`, `model.output` / `model.input(s)`, `output_shape` / `input_shape`.

Each answer is a value the program can keep building on (`Model(base.input,
base.layers[-2].output)`, `Flatten()(base.output)`), or unknown wherever Keras's answer is not
certain from the code (a layer applied twice, a layer list with layers cnnlint does not see one
by one). Checked against Keras 3 and tf-keras in tests/test_model_idioms.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from cnnlint.frontend.keras import input_specs
from cnnlint.frontend.keras.registry import METHODS, api
from cnnlint.frontend.keras.values import FunctionalV, KerasState, LayerV, SequentialV
from cnnlint.frontend.library import Call
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import UNKNOWN, Const, SeqV, Value, as_int, as_str
from cnnlint.frontend.tensor import ShapeV, TensorV
from cnnlint.ir import Feed, Graph, Loc, Node
from cnnlint.shapes import Dim, MaybeShape, Shape, weight_shapes
from cnnlint.shapes.dim import different
from cnnlint.shapes.feeding import keras_adjusted_input, mismatched_axes
from cnnlint.shapes.registry import AttrValue


@dataclass
class IdiomState:
    """The layers applied so far in a module, by their Keras name (the graph's nodes name them)."""

    layers: dict[str, LayerV] = field(default_factory=dict)
    # A subclassed layer or model was called: its inner layers' nodes stand for one Keras layer.
    objects_called: bool = False
    # Layers whose weights fix an input size, by object: what their first call built.
    built: dict[int, BuiltLayer] = field(default_factory=dict)


@dataclass
class BuiltLayer:
    """What a layer's first call built: in which graph, the input size its weights fix, where (the
    node of that call), and a convolution's kernel shape. It keeps the layer alive (ids stay unique)."""

    graph: Graph
    size: Dim | None
    layer: LayerV
    loc: Loc
    kernel: Shape | None


def remember_layer(interp: Evaluator, layer: LayerV) -> None:
    """Called for every layer application: `get_layer` and `model.layers` look layers up here."""
    interp.state(IdiomState).layers.setdefault(layer.name, layer)


def _built_size(op: str, shape: MaybeShape, attrs: dict[str, object]) -> Dim | None:
    """The input size a layer's weights fix at its first call: a Dense's or a recurrent layer's
    features (the kernel's rows), a convolution's channels (the kernel's input axis)."""
    if shape is None or len(shape) < 2:
        return None
    if op == "conv":
        return shape[1] if attrs.get("data_format") == "channels_first" else shape[-1]
    return shape[-1]


# Ops whose weights fix the size of one input axis, for `built_weights`. A convolution's kernel
# in a grouped or separable convolution is not `(k..., in, filters)`: those are left alone.
_FIXED_BY_WEIGHTS = ("dense", "rnn", "conv")


def built_weights(interp: Evaluator, layer: LayerV, x: int, op: str, attrs: dict[str, object], loc: Loc,
                  replayed: bool = False) -> tuple[dict[str, object], list[int]]:
    """A layer applied again (a layer of another model, a shared layer, a model replayed on a new
    input) keeps the weights its first call built: the input size they fix is checked from then on.
    Returns the attributes and the extra inputs of the new node.

    - `Dense` (CNN002): Keras 3 "expected axis -1 of input shape to have value 900"; tf-keras
      "Dimensions must be equal" (on a rank-2 input).
    - `Conv1D`/`Conv2D`/`Conv3D` on another channel count (CNN003): Keras 3 "expected axis -1 of
      input shape to have value 3"; tf-keras "Depth of input (16) is not a multiple of input depth
      of filter (3)". The node is given the kernel the first call built as its second input, so
      the message names its shape and the line of that call.
    - `SimpleRNN`/`LSTM`/`GRU` on another feature count (CNN002): tf-keras "Dimensions must be
      equal, but are 6 and 4" when called; Keras 3 builds the symbolic call and fails at the first
      batch (the kernel is `(4, 4 * units)`).

    The `InputSpec` other layers' first call builds (a normalisation's rank and channels) is
    added by `input_specs.input_spec`; `replayed`: the node of a model applied as a layer."""
    attrs = input_specs.input_spec(interp, layer, x, op, attrs, loc, replayed)
    if op not in _FIXED_BY_WEIGHTS or "in_features" in attrs:
        return attrs, []
    if op == "conv" and (attrs.get("separable") is not None or attrs.get("groups") not in (None, 1)):
        return attrs, []
    built = interp.state(IdiomState).built
    first = built.get(id(layer))
    shape = interp.graph.nodes[x].shape
    size = _built_size(op, shape, attrs)
    if first is None:
        if shape is not None:
            weights = weight_shapes(op, [shape], attrs) if op == "conv" else None
            built[id(layer)] = BuiltLayer(interp.graph, size, layer, loc, weights[0] if weights else None)
        return attrs, []
    if first.graph is not interp.graph or first.size is None or first.size.value is None:
        return attrs, []
    if not replayed and not input_specs.built_before(interp, first.loc, loc):
        return attrs, []  # applied on the two paths of an `if`: one of them built it
    if op != "conv":
        return {**attrs, "in_features": first.size.value}, []
    if first.kernel is None or size is None or not different(size, first.size):
        return attrs, []
    kernel = interp.graph.add("input", f"{layer.kind} kernel", [], {"shape": first.kernel, "kind": "array"},
                              first.loc)
    interp.graph.labels[kernel.id] = f"{layer.name}.kernel"
    return attrs, [kernel.id]


# -- layers ----------------------------------------------------------------------------------
def _nodes_named(graph: Graph, name: str) -> list[int]:
    return [node.id for node in graph.nodes if node.layer == name]


def _only_application(interp: Evaluator, layer: LayerV) -> int | None:
    """The node of the layer's one application; None when it was applied never or more than once
    (tf-keras then refuses `layer.output`: "Layer has multiple inbound nodes")."""
    nodes = _nodes_named(interp.graph, layer.name)
    return nodes[0] if len(nodes) == 1 else None


def _tensors(ids: list[int]) -> Value:
    return KerasTensorV(ids[0]) if len(ids) == 1 else SeqV([KerasTensorV(i) for i in ids])


def _declared_batch(graph: Graph, node_id: int) -> bool:
    """Whether the tensor's batch axis is None in Keras: it comes from a Keras input whose batch the
    code leaves None (no `batch_size=` / `batch_shape=` on `Input`)."""
    seen: set[int] = set()
    current: int | None = node_id
    while current is not None and current not in seen:
        seen.add(current)
        node = graph.nodes[current]
        if node.op == "input":
            shape = node.attrs.get("shape")
            return node.layer is not None and node.attrs.get("kind") == "placeholder" and \
                isinstance(shape, (list, tuple)) and bool(shape) and shape[0] is None and \
                not {"batch_size", "batch_shape", "batch_input_shape"} & set(node.sources)
        current = node.inputs[0] if node.inputs else None
    return False


def keras_shape(graph: Graph, node_id: int) -> ShapeV:
    """A Keras tensor's `shape` (`layer.output.shape`, `model.output_shape`): its batch axis is
    None in Keras, so a shape read from it and given as another input's `input_shape` keeps a None
    axis there (realworld 320: `Flatten(input_shape=encoder.output.shape)` flattens an undefined axis)."""
    shape = graph.nodes[node_id].shape
    if shape and shape[0].value is None and not shape[0].is_none and _declared_batch(graph, node_id):
        return ShapeV((Dim.none(), *shape[1:]))
    return ShapeV(shape)


@dataclass(eq=False)
class KerasTensorV(TensorV):
    """A tensor read from a built model (`layer.output`, `model.output`): its `shape` is Keras's,
    with a None batch axis (`keras_shape`)."""

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "shape" and self.node < len(interp.graph.nodes):
            return keras_shape(interp.graph, self.node)
        return super().attribute(interp, attr)

    def copy(self, memo: dict[int, Value]) -> Value:
        return self


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
        made = [keras_shape(interp.graph, i) for i in ids]
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
        made: list[Value] = [keras_shape(interp.graph, i) for i in ids]
        return made[0] if len(made) == 1 else SeqV(made)
    if plural:
        return SeqV([KerasTensorV(i) for i in ids])
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


# -- a model inside TimeDistributed ------------------------------------------------------------
Apply = Callable[[Evaluator, Value, Value, "cst.CSTNode | None"], Value]


def _model_entry(interp: Evaluator, inner: SequentialV | FunctionalV) -> MaybeShape:
    """The input shape a built model was made for (None: not known or several inputs)."""
    graph = interp.graph
    if interp.state(KerasState).model_graphs.get(inner.model) is not graph:
        return None
    if isinstance(inner, SequentialV):
        entry = _entry(inner)
        return None if entry is None or not inner.complete else graph.nodes[entry[0]].shape
    return graph.nodes[inner.inputs[0]].shape if len(inner.inputs) == 1 else None


def time_distributed_model(interp: Evaluator, layer: LayerV, x: Value, loc: Loc, apply: Apply,
                           site: cst.CSTNode | None = None) -> Value:
    """`TimeDistributed(model)`: the inner `Sequential` or functional model run on one step,
    `(batch, *x.shape[2:])`, then the steps put back: `(batch, steps, *step_output[1:])`.

    The inner layers are applied to the step tensor as on any other input, so what they refuse is
    reported on the per-step shape. A step the inner model's input refuses is reported at the call
    (CNN012): both Keras refuse it, Keras 3 in the model's input check ("Input 0 ... of layer
    'functional' is incompatible with the layer: expected shape=(None, 32, 32, 3), found
    shape=(None, 40, 40, 3)"), tf-keras the same from `TimeDistributed.compute_output_shape`.
    Parameters are those of the inner layers' rows."""
    inner = layer.args["layer"]
    if not isinstance(x, TensorV) or not isinstance(inner, (SequentialV, FunctionalV)):
        return UNKNOWN
    graph = interp.graph
    shape = graph.nodes[x.node].shape
    attrs: dict[str, AttrValue] = {"inner_op": "model", "inner_attrs": {}}
    if shape is None or len(shape) < 3:  # the wrapper refuses the rank (or it is not known)
        return TensorV(graph.add("time_distributed", layer.kind, [x.node], attrs, loc, layer=layer.name).id)
    step = graph.add("index", "TimeDistributed: one step", [x.node],
                     {"key": (("slice", None, None, None), ("int", None))}, loc)
    expected = _model_entry(interp, inner)
    y: Value = UNKNOWN
    if expected is not None and step.shape is not None:
        want = tuple(d.value for d in expected)
        have = tuple(d.value for d in step.shape)
        adjusted = keras_adjusted_input(have, want)
        if adjusted is None or mismatched_axes(adjusted, want):
            text = interp.code(site.args[0].value) if isinstance(site, cst.Call) and site.args else "x"
            interp.ir.feeds.append(Feed("call", loc, graph, f"model `{inner.model.title}` (inside `TimeDistributed`)",
                                        (expected,), (step.id,), (f"{text}[:, t]",)))
            expected = None
        else:
            y = apply(interp, inner, TensorV(step.id), None)
    else:
        y = apply(interp, inner, TensorV(step.id), None)
    inputs = [x.node, y.node] if isinstance(y, TensorV) else [x.node, None]
    return TensorV(graph.add("time_distributed", layer.kind, inputs, attrs, loc, layer=layer.name).id)


def replayed_weights(interp: Evaluator, node: Node, inputs: list[int | None]) -> tuple[dict[str, object], list[int]]:
    """A layer's node again in a functional model called on new tensors: the same layer object,
    so the input size its first call built stays fixed (`built_weights`)."""
    layer = interp.state(IdiomState).layers.get(node.layer) if node.layer is not None else None
    attrs: dict[str, object] = dict(node.attrs)
    if layer is None or not inputs or inputs[0] is None or len(node.inputs) != 1:
        return attrs, []
    return built_weights(interp, layer, inputs[0], node.op, attrs, node.loc, replayed=True)


@api("keras.backend.int_shape", params="x")
def int_shape(c: Call) -> Value:
    """`K.int_shape(t)`: the shape as a tuple of ints and None (Keras: `tuple(x.shape)`); a size
    cnnlint does not know is not a None the code declared (`tensor.UnknownSizeNone`)."""
    x = c.get("x")
    if not isinstance(x, TensorV) or x.node >= len(c.interp.graph.nodes):
        return UNKNOWN
    shape = keras_shape(c.interp.graph, x.node) if isinstance(x, KerasTensorV) or \
        c.interp.graph.nodes[x.node].layer is not None else ShapeV(c.interp.graph.nodes[x.node].shape)
    listed = shape.attribute(c.interp, "as_list")
    items = c.interp.call(listed, [], {}) if listed is not None else UNKNOWN
    return SeqV(list(items.items), is_tuple=True) if isinstance(items, SeqV) else UNKNOWN


def replay(interp: Evaluator, model: FunctionalV, x: Value, site: cst.CSTNode | None) -> Value:
    """A functional model called on new tensors: its ops again, fed from those tensors."""
    from cnnlint.frontend.keras.layers import _is_symbolic, _standardised, _tensor_ids  # it imports this module

    given = _tensor_ids(interp, x)
    if given is None or len(given) != len(model.inputs) or not isinstance(model.outputs, TensorV):
        return UNKNOWN
    graph = interp.graph
    loc = interp.loc(site) if site is not None else None
    standard = _standardised(interp, model.model, [graph.nodes[i].shape for i in model.inputs], given, site, loc)
    refused = standard is None
    if standard is None:
        if not _is_symbolic(graph, given):
            return UNKNOWN
        # Keras tensors the model's input refuses (Keras 3 raises there); tf-keras runs the layers on
        # them, and what a layer's built weights refuse is refused by both (`built_weights`).
        standard = given
    mapping = dict(zip(model.inputs, standard, strict=True))
    for node_id in model.model.nodes:
        if node_id in mapping:
            continue
        node = graph.nodes[node_id]
        inputs = [None if i is None else mapping.get(i, i) for i in node.inputs]
        attrs, built = replayed_weights(interp, node, inputs)
        new = graph.add(node.op, node.api, [*inputs, *built], attrs, loc or node.loc, node.sources, layer=node.layer)
        mapping[node_id] = new.id
    out = mapping.get(model.outputs.node)
    return UNKNOWN if out is None or refused else TensorV(out)
