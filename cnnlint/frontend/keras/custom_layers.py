"""User subclasses of Keras's `Layer`, built and called as Keras does (docs/model-idioms.md,
"Custom layers").

When such a layer is first applied to a tensor, Keras runs the user's `build(input_shape)` once
(`self.add_weight(...)` makes each weight; Keras 1's `self.W = K.variable(...)` with
`self.trainable_weights = [...]`), then `call(inputs)`. cnnlint does the same on the symbolic
input: `build` gets the input shape (a `TensorShape`-like value: `input_shape[-1]`,
`input_shape[-1].value`, `input_shape.as_list()`, `int(input_shape[-1])`; a list of them for a layer
called on a list), `call` is inlined so its ops (`K.dot`, `tf.matmul`, element-wise ops with the
weights) are graph nodes whose problems are found where they are written, and one `custom_layer`
node stands for the layer: its Keras name, its output and its weights (`cnnlint shapes`). Where
`call` cannot be followed, `compute_output_shape` (Keras 1's `get_output_shape_for`) gives the
output if its result is known; otherwise the output is unknown, and so are the weights where
`build` could not be followed. Also the Keras backend functions such layers use (`K.dot`,
`K.batch_dot`, `K.sum`, ...) and the `keras.ops` of Keras 3.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from cnnlint.frontend.keras.layers import _is_keras_class, _is_model_class, snake_case, unique_name
from cnnlint.frontend.keras.registry import api
from cnnlint.frontend.library import Call, call_library, shape_of_value
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import (
    UNKNOWN,
    BuiltinV,
    ClassV,
    Const,
    DimV,
    FuncV,
    ObjectV,
    SeqV,
    Value,
    as_int,
    as_str,
    class_lookup,
)
from cnnlint.frontend.tensor import ShapeV, TensorV, literal_shape
from cnnlint.ir import CallSite, Graph, Loc
from cnnlint.shapes import Dim


@dataclass
class _Weight:
    name: str
    node: int  # its `input` node (kind "weight"): its shape is the weight's
    trainable: bool


@dataclass
class CustomState:
    """Per module: the weights each custom layer object made, the layers built and their names."""

    weights: dict[ObjectV, list[_Weight]] = field(default_factory=dict)
    # Layers whose `build` could not be followed: their weights are not known.
    unknown_weights: set[ObjectV] = field(default_factory=set)
    built: set[ObjectV] = field(default_factory=set)
    # The graph each layer was built in: applied in another (a model rebuilt from its data, a
    # function's graph), it is built again there, so that its weights are nodes of that graph.
    graphs: dict[ObjectV, Graph] = field(default_factory=dict)
    names: dict[ObjectV, str] = field(default_factory=dict)
    # How deep the interpreter is inside a custom layer's `build` (TF1's `Dimension.value` is read there).
    building: int = 0


def is_layer_class(cls: ClassV) -> bool:
    """A subclass of a Keras `Layer` that is not a `Model` (layers.py decides what is a Keras class)."""
    return _is_keras_class(cls) and not _is_model_class(cls)


# -- inside the layer object -----------------------------------------------------------------
def object_method(interp: Evaluator, obj: ObjectV, attr: str) -> Value | None:
    """`self.add_weight(...)` (and tf.keras's older `add_variable`) on a Keras layer or model object."""
    if attr not in ("add_weight", "add_variable") or not _is_keras_class(obj.cls):
        return None

    def add_weight(interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
        return _add_weight(interp, obj, list(args), kwargs)

    return BuiltinV(attr, add_weight)


def _add_weight(interp: Evaluator, obj: ObjectV, args: list[Value], kwargs: dict[str, Value]) -> Value:
    """Keras 2.1+ and tf.keras: `add_weight(name, shape, dtype, initializer, ...)`; Keras 2.0 and
    Keras 3: `add_weight(shape, initializer, ...)`. Positional arguments are read by their type (a
    string is the name, a tuple or list the shape), which every version agrees with."""
    name, shape_value = kwargs.get("name"), kwargs.get("shape")
    for value in args[:2]:
        if isinstance(value, Const) and isinstance(value.value, str) and name is None:
            name = value
        elif isinstance(value, (SeqV, ShapeV)) and shape_value is None:
            shape_value = value
    shape = None if shape_value is None else shape_of_value(shape_value)
    if shape is not None and any(d is None for d in shape):
        shape = None
    trainable = kwargs.get("trainable", Const(True))
    site = interp.call_site
    loc = interp.loc(site) if site is not None else Loc(1, 1, 1, 1)
    # A weight of unknown shape is an `opaque` tensor: no row of its own in `cnnlint shapes`.
    node = interp.graph.add("input", "add_weight", [], {"shape": shape, "kind": "weight"}, loc) if shape is not None \
        else interp.graph.add("opaque", "add_weight", [], {}, loc)
    state = interp.state(CustomState)
    known_flag = isinstance(trainable, Const) and isinstance(trainable.value, bool)
    label = as_str(name) if name is not None else None
    if shape is None or not known_flag or (label is None and name is not None):
        state.unknown_weights.add(obj)
    state.weights.setdefault(obj, []).append(
        _Weight(label or "variable", node.id, bool(trainable.value) if isinstance(trainable, Const) else True))
    return TensorV(node.id)


def dimension_value(interp: Evaluator, value: Value, attr: str) -> Value | None:
    """TF1's `input_shape[-1].value` (a `Dimension`) inside a custom layer's `build`: the size,
    None where unknown."""
    if attr != "value" or interp.state(CustomState).building == 0:
        return None
    if isinstance(value, Const) and (value.value is None or as_int(value) is not None):
        return value
    if isinstance(value, DimV):
        return value if not value.dim.has_anonymous else Const(value.dim.value)
    return None


# -- applying the layer ----------------------------------------------------------------------
def _input_shape(interp: Evaluator, x: Value) -> Value:
    """What `build` and `compute_output_shape` receive: the input's shape, a list of shapes for a list."""
    if isinstance(x, TensorV):
        return ShapeV(interp.graph.nodes[x.node].shape)
    if isinstance(x, SeqV) and x.items and all(isinstance(v, TensorV) for v in x.items):
        return SeqV([_input_shape(interp, v) for v in x.items])
    return UNKNOWN


def _tensors(x: Value) -> list[int] | None:
    if isinstance(x, TensorV):
        return [x.node]
    if isinstance(x, SeqV) and x.items and all(isinstance(v, TensorV) for v in x.items):
        return [v.node for v in x.items if isinstance(v, TensorV)]
    return None


def _build(interp: Evaluator, obj: ObjectV, x: Value) -> None:
    state = interp.state(CustomState)
    if obj in state.built and state.graphs.get(obj) is interp.graph:
        return
    if obj in state.built:  # built in another graph: its weight tensors are nodes there
        state.weights.pop(obj, None)
        state.unknown_weights.discard(obj)
        obj.attrs.pop("built", None)
    state.built.add(obj)
    state.graphs[obj] = interp.graph
    built = obj.attrs.get("built")
    if isinstance(built, Const) and built.value is True:
        return  # the program called `build` itself (which set `self.built = True`): Keras does not again
    build = class_lookup(obj.cls, "build")
    if build is None:
        return  # `Layer.build` does nothing
    if not isinstance(build, FuncV):
        state.unknown_weights.add(obj)
        return
    state.building += 1
    try:
        done = interp.call(build, [obj, _input_shape(interp, x)], {})
    finally:
        state.building -= 1
    if done is UNKNOWN:  # it raised, or could not be followed
        state.unknown_weights.add(obj)
    if obj not in state.weights:
        _keras1_weights(interp, obj)


def _keras1_weights(interp: Evaluator, obj: ObjectV) -> None:
    """Keras 1: `self.W = K.variable(...)`; `self.trainable_weights = [self.W, self.b]`."""
    state = interp.state(CustomState)
    listed = [(attr, True) for attr in ("trainable_weights",)] + [("non_trainable_weights", False)]
    names = {id(v): k for k, v in obj.attrs.items() if isinstance(v, TensorV)}
    for attr, trainable in listed:
        value = obj.attrs.get(attr)
        if value is None:
            continue
        items = value.items if isinstance(value, SeqV) else None
        if items is None or not all(isinstance(v, TensorV) for v in items):
            state.unknown_weights.add(obj)
            return
        for item in items:
            assert isinstance(item, TensorV)
            if interp.graph.nodes[item.node].shape is None:
                state.unknown_weights.add(obj)
            state.weights.setdefault(obj, []).append(_Weight(names.get(id(item), "variable"), item.node, trainable))


def call_layer(interp: Evaluator, obj: ObjectV, args: list[Value], kwargs: dict[str, Value],
               site: cst.CSTNode | None) -> Value:
    """`layer(x)` on a custom layer object: `build` once, `call` inlined, one node for the layer."""
    call = class_lookup(obj.cls, "call")
    if not args:
        return UNKNOWN
    x = args[0]
    inputs = _tensors(x)
    state = interp.state(CustomState)
    name = state.names.get(obj)
    if name is None:
        given = as_str(obj.attrs.get("name", UNKNOWN))  # `self.name = ...` is rare, but Keras's own
        name = state.names[obj] = given or unique_name(interp, snake_case(obj.cls.name))
    if inputs is None:
        return _node(interp, obj, name, [], site, output=None)
    first = len(interp.graph.nodes)
    _build(interp, obj, x)
    result = interp.call(call, [obj, *args], kwargs) if isinstance(call, FuncV) else UNKNOWN
    _note_calls(interp, obj, name, inputs, site, first)
    if isinstance(result, TensorV):
        if interp.graph.nodes[result.node].shape is not None:
            return _node(interp, obj, name, [*inputs, result.node], site, from_call=True)
        # `call` makes a tensor of a shape cnnlint cannot follow: what `compute_output_shape` says
        return _node(interp, obj, name, [*inputs, result.node], site, output=_declared_output(interp, obj, x))
    if isinstance(result, SeqV) and result.items and all(isinstance(v, TensorV) for v in result.items):
        outputs = [v.node for v in result.items if isinstance(v, TensorV)]
        _node(interp, obj, name, [*inputs, *outputs], site, output=None)  # a row for the layer, its weights
        return result
    return _node(interp, obj, name, inputs, site, output=_declared_output(interp, obj, x))


def _note_calls(interp: Evaluator, obj: ObjectV, name: str, inputs: list[int], site: cst.CSTNode | None,
                first: int) -> None:
    """The nodes this application's `build` and `call` made point at the application (a nested
    layer's nodes keep their own): a finding inside `call` names the call that ran it."""
    where = site if site is not None else obj.site  # in a `Sequential`: the entry that makes the layer
    if where is None:
        return
    call_site = CallSite(interp.loc(where), name, tuple(inputs))
    for node_id in range(first, len(interp.graph.nodes)):
        interp.graph.calls.setdefault(node_id, call_site)


def _declared_output(interp: Evaluator, obj: ObjectV, x: Value) -> list[Dim | None] | None:
    """What the layer's `compute_output_shape` (Keras 1: `get_output_shape_for`) says, if known."""
    for method in ("compute_output_shape", "get_output_shape_for"):
        func = class_lookup(obj.cls, method)
        if isinstance(func, FuncV):
            shape = shape_of_value(interp.call(func, [obj, _input_shape(interp, x)], {}))
            return shape
    return None


def _node(interp: Evaluator, obj: ObjectV, name: str, inputs: list[int], site: cst.CSTNode | None, *,
          from_call: bool = False, output: list[Dim | None] | None = None) -> Value:
    state = interp.state(CustomState)
    here = state.graphs.get(obj) is interp.graph  # its weight tensors are nodes of this graph
    weights = state.weights.get(obj, []) if here else []
    shapes = [interp.graph.nodes[w.node].shape for w in weights]
    known = here and obj not in state.unknown_weights and all(s is not None for s in shapes)
    attrs = {
        "weight_names": [w.name for w in weights] if known else [],
        "weight_shapes": [list(s) for s in shapes if s is not None] if known else [],
        "weight_trainable": [int(w.trainable) for w in weights] if known else [],
        "weights_known": known, "from_call": from_call, "output": output,
    }
    where = site if site is not None else obj.site if obj.site is not None else obj.cls.node
    node = interp.graph.add("custom_layer", obj.cls.name, inputs, attrs, interp.loc(where), layer=name)
    return TensorV(node.id)


# -- the Keras backend functions custom layers use (Keras 1 and 2, tf.keras; Keras 3's keras.ops) --
def _rank(c: Call, node: int | None) -> int | None:
    return c.rank_of(node)


@api("keras.backend.dot", params="x y")
def dot(c: Call) -> Value:
    """`K.dot(x, W)`: the last axis of `x` against the first of a matrix `W` (tensorflow_backend.py)."""
    a, b = c.tensor("x"), c.tensor("y")
    # A vector `W` fails in every TensorFlow backend: `y_permute_dim.pop(-2)` (IndexError) for a
    # rank-3 `x`, `tf.matmul`'s rank check for a matrix `x`; the matmul op reports the rank.
    if _rank(c, b) in (1, 2) and (_rank(c, a) or 0) >= 2:
        return c.add("matmul", [a, b], {"transpose_a": False, "transpose_b": False})
    return c.opaque([a, b])


@api("keras.backend.batch_dot", params="x y axes")
def batch_dot(c: Call) -> Value:
    """`K.batch_dot(x, y, axes)` on two rank-3 tensors: a batched matmul, the axes choosing the transposes
    (Keras 2's default `axes=[2, 1]`, keras/backend/tensorflow_backend.py at 2.2.4)."""
    a, b = c.tensor("x"), c.tensor("y")
    axes = c.get("axes", Const(None))
    pair: tuple[int | None, ...]
    if isinstance(axes, Const) and axes.value is None:
        pair = (2, 1)
    elif as_int(axes) is not None:
        pair = (as_int(axes), as_int(axes))
    elif isinstance(axes, SeqV) and len(axes.items) == 2:
        pair = tuple(as_int(v) for v in axes.items)
    else:
        pair = (None, None)
    if _rank(c, a) != 3 or _rank(c, b) != 3 or None in pair:
        return c.opaque([a, b])
    i, j = (p % 3 for p in pair if p is not None)
    if i == 0 or j == 0:
        return c.opaque([a, b])
    return c.add("matmul", [a, b], {"transpose_a": i == 1, "transpose_b": j == 2})


@api("keras.backend.softmax", "keras.backend.tanh", "keras.backend.sigmoid", "keras.backend.relu",
     "keras.backend.exp", "keras.backend.log", "keras.backend.abs", "keras.backend.square", "keras.backend.sqrt",
     "keras.backend.elu", "keras.backend.softplus", "keras.backend.softsign", "keras.backend.hard_sigmoid",
     "keras.backend.l2_normalize", "keras.backend.sign", "keras.backend.stop_gradient", "keras.backend.cast",
     "keras.ops.softmax", "keras.ops.tanh", "keras.ops.sigmoid", "keras.ops.relu", "keras.ops.exp",
     "keras.ops.log", "keras.ops.abs", "keras.ops.square", "keras.ops.sqrt", "keras.ops.cast",
     "keras.activations.softmax", "keras.activations.tanh", "keras.activations.sigmoid",
     "keras.activations.relu", params="x")
def elementwise(c: Call) -> Value:
    x = c.get("x")
    if not isinstance(x, TensorV):
        return c.opaque([c.tensor("x")])
    return c.add("identity", [x.node], {})


def _delegate(c: Call, path: str, args: list[Value], kwargs: dict[str, Value]) -> Value:
    return call_library(c.interp, path, args, {k: v for k, v in kwargs.items()}, c.site)


@api("keras.backend.sum", "keras.backend.mean", "keras.backend.max", "keras.backend.min", "keras.backend.prod",
     "keras.ops.sum", "keras.ops.mean", "keras.ops.max", "keras.ops.min", "keras.ops.prod",
     params="x axis keepdims")
def reduction(c: Call) -> Value:
    fn = {"sum": "reduce_sum", "mean": "reduce_mean", "max": "reduce_max", "min": "reduce_min",
          "prod": "reduce_prod"}[c.path.rsplit(".", 1)[-1]]
    return _delegate(c, f"tensorflow.{fn}", [c.get("x")],
                     {"axis": c.get("axis", Const(None)), "keepdims": c.get("keepdims", Const(False))})


@api("keras.backend.reshape", "keras.ops.reshape", params="x shape", aliases={"newshape": "shape"})
def reshape(c: Call) -> Value:
    return _delegate(c, "tensorflow.reshape", [c.get("x"), c.get("shape")], {})


@api("keras.backend.permute_dimensions", "keras.ops.transpose", "keras.backend.transpose", params="x pattern",
     aliases={"axes": "pattern"})
def permute(c: Call) -> Value:
    kwargs = {"perm": c.get("pattern")} if c.has("pattern") and c.get("pattern") != Const(None) else {}
    return _delegate(c, "tensorflow.transpose", [c.get("x")], kwargs)


@api("keras.backend.expand_dims", "keras.ops.expand_dims", params="x axis")
def expand_dims(c: Call) -> Value:
    return _delegate(c, "tensorflow.expand_dims", [c.get("x"), c.get("axis", Const(-1))], {})


@api("keras.backend.squeeze", "keras.ops.squeeze", params="x axis")
def squeeze(c: Call) -> Value:
    return _delegate(c, "tensorflow.squeeze", [c.get("x")], {"axis": c.get("axis", Const(None))})


@api("keras.ops.matmul", params="x1 x2")
def ops_matmul(c: Call) -> Value:
    return _delegate(c, "tensorflow.matmul", [c.get("x1"), c.get("x2")], {})


@api("keras.backend.bias_add", params="x bias data_format")
def bias_add(c: Call) -> Value:
    return _delegate(c, "tensorflow.nn.bias_add", [c.get("x"), c.get("bias")], {})


@api("tensorflow.tensordot", "tensorflow.linalg.tensordot", params="a b axes name")
def tensordot(c: Call) -> Value:
    """`tf.tensordot(x, W, axes=1)` (or `[[rank-1], [0]]`) with a matrix `W`: `x`'s last axis
    against `W`'s first, a matmul; other contractions are not followed."""
    a, b = c.tensor("a"), c.tensor("b")
    rank = _rank(c, a)
    axes = c.get("axes")
    last = as_int(axes) == 1
    if isinstance(axes, SeqV) and len(axes.items) == 2 and rank is not None:
        left, right = (v.items if isinstance(v, SeqV) and len(v.items) == 1 else [v] for v in axes.items)
        last = len(left) == 1 and len(right) == 1 and as_int(left[0]) in (-1, rank - 1) and as_int(right[0]) == 0
    if last and _rank(c, b) == 2 and (rank or 0) >= 2:
        return c.add("matmul", [a, b], {"transpose_a": False, "transpose_b": False})
    return c.opaque([a, b])


@api("keras.backend.variable", params="value dtype name")
def variable(c: Call) -> Value:
    """Keras 1 and 2's `K.variable(array)`: a tensor of the array's shape."""
    value = c.get("value")
    shape = c.interp.graph.nodes[value.node].shape if isinstance(value, TensorV) else literal_shape(value)
    return c.add("input", [], {"shape": None if shape is None else list(shape), "kind": "weight"})


@api("keras.backend.zeros", "keras.backend.ones", "keras.backend.random_uniform_variable",
     "keras.backend.random_normal_variable", params="shape")
def shaped_variable(c: Call) -> Value:
    return c.add("input", [], {"shape": c.shape_arg("shape"), "kind": "weight"})


@api("keras.initializers.get", "keras.initializations.get", params="identifier")
def initializer_get(c: Call) -> Value:
    """`initializers.get("normal")` (Keras 1's `initializations.get`): called with a shape, a
    tensor of that shape, as the initializer classes are (tensorflow/nn.py)."""
    identifier = c.get("identifier")
    if isinstance(identifier, (BuiltinV, FuncV)):
        return identifier
    if as_str(identifier) is None:
        return UNKNOWN
    return call_library(c.interp, "keras.initializers.RandomNormal", [], {}, c.site)


@api("keras.backend.epsilon", params="")
def epsilon(c: Call) -> Value:
    """`K.epsilon()`: a Python float (1e-7 unless `K.set_epsilon` changed it), a scalar in every op."""
    return Const(1e-7)


@api("keras.backend.floatx", params="")
def floatx(c: Call) -> Value:
    return Const("float32")


@api("keras.backend.batch_flatten", params="x")
def batch_flatten(c: Call) -> Value:
    """`K.batch_flatten(x)`: `reshape(x, (-1, prod(shape[1:])))` (tensorflow_backend.py)."""
    x = c.get("x")
    if not isinstance(x, TensorV) or (c.rank_of(x.node) or 0) < 2:
        return c.opaque([c.tensor("x")])
    return c.add("flatten", [x.node], {})
