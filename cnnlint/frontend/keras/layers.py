"""Keras: layer objects, `Input`, `Sequential`, functional `Model`, subclassed models.

A layer constructor call makes a `LayerV` holding its bound arguments and its Keras name;
applying it to a tensor (inside a `Sequential` whose input shape is known, functionally as
`layer(x)`, or from a subclassed model's `call`) translates it into a registry op. Layers not
listed here are unknown and keep everything after them quiet. Every model found is recorded
in the graph (`ir.Model`) so that `cnnlint shapes` can print it like `model.summary()`.
"""

from __future__ import annotations

import dataclasses
import re
import typing
from collections.abc import Callable

import libcst as cst

from cnnlint.frontend.conventions import training_branch
from cnnlint.frontend.keras import idioms, initializers, input_specs, keras1, versions
from cnnlint.frontend.keras.argument_spans import argument_spans
from cnnlint.frontend.keras.classes import LAYER_PARAMS, MERGES, PREFIXES, canonical_kind
from cnnlint.frontend.keras.findings import KeywordRewrite, LayerRewrite, LegacyApi, VersionDependent
from cnnlint.frontend.keras.registry import METHODS, api
from cnnlint.frontend.keras.translations import TRANSLATIONS, Attrs, rank_of_kind
from cnnlint.frontend.keras.values import FunctionalV, KerasState, LayerV, SequentialV
from cnnlint.frontend.library import Call, declared_shape
from cnnlint.frontend.names import canonical
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import (
    UNKNOWN,
    BuiltinV,
    ClassV,
    Const,
    FuncV,
    ModuleV,
    ObjectV,
    ParamV,
    SeqV,
    Value,
    as_int,
    as_str,
    class_lookup,
)
from cnnlint.frontend.tensor import ShapeV, TensorV, parameter_symbols, through_opaque
from cnnlint.ir import Feed, Graph, Loc, Model
from cnnlint.shapes import Dim, MaybeShape
from cnnlint.shapes.feeding import keras_adjusted_input, mismatched_axes
from cnnlint.targets import KerasTarget


# -- names ---------------------------------------------------------------------------------
def snake_case(name: str) -> str:
    """Keras's default layer name for a class: `MaxPooling2D` -> `max_pooling2d`."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def unique_name(interp: Evaluator, base: str) -> str:
    """`conv2d`, then `conv2d_1`, ... as Keras names objects in a fresh session."""
    counters = interp.state(KerasState).uids
    count = counters.get(base, 0)
    counters[base] = count + 1
    return base if count == 0 else f"{base}_{count}"


def _name_arg(interp: Evaluator, args: dict[str, Value], kind: str) -> str:
    given = as_str(args.get("name", UNKNOWN))
    return given if given is not None else unique_name(interp, snake_case(kind))


# -- layer objects -------------------------------------------------------------------------
def _make_layer(kind: str) -> Callable[[Call], Value]:
    def make(c: Call) -> Value:
        target = versions.target_of(c)
        dependent = keras1.version_dependent_positionals(kind, c, LAYER_PARAMS[kind].split(), target) \
            if kind in LAYER_PARAMS else []
        if dependent:
            reading = keras1.legacy_positional_reading(kind, c, dependent, target)
            if isinstance(c.site, cst.Call) and not (reading == "keras1" and versions.is_keras1(target)):
                c.interp.finding(c.site, VersionDependent(kind, tuple(dependent), tuple(
                    c.interp.code(c.source_nodes[n]) for n in dependent if n in c.source_nodes),
                    verdict=None if reading is None else "converted" if reading == "keras1" else "refused",
                    target=versions.described(target)))
            if reading == "keras1":  # Keras 1, or 2.0-2.3's conversion: the Keras 1 kernel
                modern, args = keras1.modern_args(kind, keras1.keras1_positions(kind, LAYER_PARAMS[kind].split(), c))
                return LayerV(modern, args, c.shown, c.site, c.sources(), _name_arg(c.interp, args, modern))
            args = _keras2_args(kind, c.args, c.kwarg_names)
            return LayerV(kind, args, c.shown, c.site, c.sources(), _name_arg(c.interp, args, kind),
                          version_dependent=True)
        if keras1.is_keras1_call(kind, c):
            as_strides = keras1.reads_kernel_as_strides(kind, c, target)
            if as_strides:
                # tf.keras's `Convolution2D` is `Conv2D`: the shapes are the ones it computes.
                modern, args = canonical_kind(keras1.CLASSES[kind]), _keras2_args(kind, c.args, c.kwarg_names)
            else:
                given = keras1.keras1_positions(kind, LAYER_PARAMS[kind].split(), c) \
                    if kind in keras1.KERAS1_ALIASES else c.args
                modern, args = keras1.modern_args(kind, given)
            if isinstance(c.site, cst.Call):
                modern_text = keras1.modern_call(kind, c.site, c.interp.module)
                names = keras1.legacy_names(kind, c.site)
                legacy(c.interp, c.site, names, modern_text,
                       fix_message=f"Rewrite as `{modern_text}`", as_strides=as_strides, target=target,
                       rewrite=keras1.fix_facts(kind, c.site, c.interp.loc, c.interp.source(c.site),
                                                keras1.fix_applicability(kind, c.site, c)))
        else:
            modern, args = canonical_kind(keras1.CLASSES.get(kind, kind)), _keras2_args(kind, c.args, c.kwarg_names)
        if "batch_input_shape" in c.kwarg_names and isinstance(c.site, cst.Call) \
                and versions.refuses_batch_input_shape(target):
            legacy(c.interp, c.site, ["batch_input_shape"], "pass `keras.Input(batch_shape=...)` as the model's first "
                   "layer instead (or `input_shape=` and `batch_size=` on `Input`)", prose=True, target=target,
                   verdict="refused")
        return LayerV(modern, args, c.shown, c.site, c.sources(), _name_arg(c.interp, args, modern),
                      origins=c.origins())

    return _with_target(make)


def _with_target(make: Callable[[Call], Value]) -> Callable[[Call], Value]:
    def make_for_target(c: Call) -> Value:
        layer = make(c)
        if isinstance(layer, LayerV):
            layer.target = versions.target_of(c)
        return layer

    return make_for_target


def _weight_attrs(layer: LayerV, op: str, attrs: Attrs) -> Attrs:
    """What the layer's weights depend on beyond its op (docs/weights.md): a target before Keras 3
    (Keras 1's layouts and names), `trainable=False`, and a recurrent layer's version-keyed
    arguments (`_recurrent_attrs`), on the layer itself or the one `TimeDistributed` wraps."""
    extra: Attrs = {}
    target = layer.target
    trainable = layer.args.get("trainable")
    if isinstance(trainable, Const) and trainable.value is False:
        extra["trainable"] = False
    if target is not None and target.version.major < 3:
        extra["keras_version"] = str(target.version)
    inner = layer.args.get("layer") if layer.kind in ("Bidirectional", "TimeDistributed") else layer
    if target is not None and isinstance(inner, LayerV):
        if op == "rnn":
            extra.update(_recurrent_attrs(inner, target))
        elif op == "time_distributed" and attrs.get("inner_op") == "rnn" and isinstance(attrs.get("inner_attrs"), dict):
            recurrent = _recurrent_attrs(inner, target)
            if recurrent:
                extra["inner_attrs"] = {**typing.cast(Attrs, attrs["inner_attrs"]), **recurrent}
    return {**attrs, **extra} if extra else attrs


def _recurrent_attrs(layer: LayerV, target: KerasTarget) -> Attrs:
    """Keras 1's `consume_less` ("cpu" by default: one W/U/b per gate), and GRU's `reset_after`
    default: False in Keras 1, standalone Keras 2.0-2.3 and tf.keras before TF 2.0 (`GRU` v1),
    True in tf.keras from TF 2.0 and in Keras 3; tf.keras 2.2 is both TF 1.13-1.15 and TF 2.0-2.1."""
    extra: Attrs = {}
    version = target.version
    if versions.is_keras1(target):
        consume = layer.args.get("consume_less", Const("cpu"))
        extra["consume_less"] = consume.value if isinstance(consume, Const) and \
            consume.value in ("cpu", "mem", "gpu") else None
    if layer.kind == "GRU" and "reset_after" not in layer.args and target.stated:
        if target.in_tensorflow and version.major == 2 and version.minor == 2:
            extra["reset_after"] = None
        elif version.major < 2 or (not target.in_tensorflow and not version.at_least(2, 4)) or \
                (target.in_tensorflow and not version.at_least(2, 2)):
            extra["reset_after"] = False
    return extra


def _keras2_args(kind: str, args: dict[str, Value], keywords: frozenset[str] | set[str] = frozenset()) -> \
        dict[str, Value]:
    """A Keras 2 call of a class registered with Keras 1 positions (`Convolution2D(32, (3, 3))`):
    the positional arguments renamed to the Keras 2 parameters at their positions; `keywords`
    (`activation="relu"`) keep their names."""
    if kind not in keras1.KERAS1_PARAMS:
        return dict(args)
    old, new = keras1.KERAS1_PARAMS[kind].split(), LAYER_PARAMS[keras1.CLASSES[kind]].split()
    return {new[old.index(k)] if k in old and old.index(k) < len(new) and k not in keywords else k: v
            for k, v in args.items()}


def legacy(interp: Evaluator, site: cst.CSTNode, names: list[str], modern: str, *, fix_message: str | None = None,
           rewrite: LayerRewrite | KeywordRewrite | None = None, as_strides: bool = False, prose: bool = False,
           target: KerasTarget | None = None, verdict: versions.Verdict | None = None) -> None:
    """Record a Keras 1 spelling for CNN007, with the Keras 2+ text that replaces the call and
    the facts CNN007 writes its fix from (`rewrite`); a bare callee's binding is added by
    `finish_legacy_fixes`. Nothing where the target is Keras 1 (the spelling is current there);
    `target` None: the plain `keras` one (a training method, whose namespace is not at hand)."""
    target = target if target is not None else versions.target_for(interp, "keras.")
    verdict = verdict or versions.legacy_verdict(target, tuple(names))
    if verdict == "current":
        return
    interp.finding(site, LegacyApi(tuple(names), interp.code(site), modern, fix_message, rewrite, as_strides, prose,
                                   verdict, versions.described(target)))


def finish_legacy_fixes(interp: Evaluator) -> None:
    interp.ir.findings = keras1.resolve_bare_callees(interp.ir.findings, interp.module, interp.loc)


for _kind, _params in LAYER_PARAMS.items():
    api(*(f"{prefix}.{_kind}" for prefix in PREFIXES), params=_params,
        aliases={"shape": "input_shape"} if _kind == "InputLayer" else None)(_make_layer(canonical_kind(_kind)))
for _kind, _params in keras1.KERAS1_PARAMS.items():
    api(*(f"{prefix}.{_kind}" for prefix in PREFIXES), params=_params)(_make_layer(_kind))


@api(*(f"{prefix}.merge" for prefix in PREFIXES), params="inputs mode concat_axis dot_axes output_shape name")
def merge(c: Call) -> Value:
    """Keras 1 `merge([a, b], mode='concat', concat_axis=1)`: the Keras 2 merge layer of that mode."""
    mode = c.str_arg("mode", "sum")
    helper = keras1.MERGE_MODES.get(mode or "")
    if isinstance(c.site, cst.Call):
        inputs = c.interp.code(c.source_nodes["inputs"]) if "inputs" in c.source_nodes else "..."
        axis = c.interp.code(c.source_nodes["concat_axis"]) if "concat_axis" in c.source_nodes else None
        func = c.interp.code(c.site.func)
        head = func[: -len("merge")] if func.endswith("merge") else ""
        axis_part = f", axis={axis}" if axis and helper == "concatenate" else ""
        modern = f"{head}{helper}({inputs}{axis_part})" if helper else \
            "use a merge layer (Add, Concatenate, Dot, ...) or a Lambda layer for a custom mode"
        legacy(c.interp, c.site, ["merge", *(["mode"] if c.has("mode") else [])], modern,
               target=versions.target_of(c))
    if helper is None:
        return UNKNOWN
    kind = "Concatenate" if helper == "concatenate" else helper.capitalize()
    args = {"axis": c.get("concat_axis")} if kind == "Concatenate" and c.has("concat_axis") else {}
    layer = LayerV(kind, args, kind, c.site, c.sources(), _name_arg(c.interp, {}, kind))
    return apply(c.interp, layer, c.get("inputs"), c.site)


@api(*(f"{prefix}.Merge" for prefix in PREFIXES), params="layers mode concat_axis")
def merge_layer(c: Call) -> Value:
    """Keras 1 `Merge([branch_a, branch_b], mode='concat')` of models: reported, not modelled."""
    if isinstance(c.site, cst.Call):
        mode = c.str_arg("mode", "sum") or ""
        helper = {**keras1.MERGE_MODES, "dot": "dot", "cos": "dot"}.get(mode, "a merge layer")
        advice = f"rewrite it with the functional API: `{helper}([branch_a(x), branch_b(x)])`"
        legacy(c.interp, c.site, ["Merge"], advice + (" with `normalize=True`" if mode == "cos" else ""), prose=True,
               target=versions.target_of(c))
    return UNKNOWN


def _merge_helper(kind: str) -> Callable[[Call], Value]:
    """`layers.add([a, b])`, `concatenate([a, b], axis=1)`: make the layer and apply it."""

    def helper(c: Call) -> Value:
        args = {k: v for k, v in c.args.items() if k != "inputs"}
        layer = LayerV(kind, args, kind, c.site, c.sources(), _name_arg(c.interp, args, kind))
        return apply(c.interp, layer, c.get("inputs"), c.site)

    return helper


for _kind in (*MERGES, "Concatenate"):
    api(*(f"{prefix}.{_kind.lower()}" for prefix in PREFIXES), "keras.backend.concatenate" if _kind == "Concatenate"
        else f"keras.layers.{_kind.lower()}", params="inputs axis" if _kind == "Concatenate" else "inputs")(
        _merge_helper(_kind))


@api("keras.Input", "keras.layers.Input", "keras.engine.input_layer.Input",
     params="shape batch_size name dtype sparse tensor")
def input_(c: Call) -> Value:
    tensor, target = c.get("tensor", Const(None)), versions.target_of(c)
    if isinstance(tensor, TensorV) and isinstance(c.site, cst.Call) and versions.removed_in_keras3(target) \
            and _made_without_keras(c.interp.graph, tensor.node):  # a tf.placeholder / constant / array
        legacy(c.interp, c.site, ["Input(tensor=...)"], "Keras 3 wraps only a Keras tensor (`ValueError: Argument "
               "`input_tensor` must be a KerasTensor`): give `shape=` (and `batch_size=`) and feed the data to "
               "`fit` / `predict`, or call the model on the tensor", prose=True, target=target, verdict="refused")
    if c.has("batch_shape"):
        shape = declared_shape(c.args["batch_shape"], batch=True)
    else:
        dims = declared_shape(c.args["shape"], batch=False) if c.has("shape") else None
        shape = None if dims is None else [_batch(c.get("batch_size", Const(None))), *dims]
    name, given = _name_arg(c.interp, c.args, "InputLayer"), c.get("shape", Const(None))
    symbols = parameter_symbols(given, f"{given.name}[{{}}]", 1) if isinstance(given, ParamV) and shape is None else {}
    return TensorV(c.interp.graph.add("input", "Input", [], {"shape": shape, "kind": "placeholder", **symbols},
                                      c.loc(), c.sources(), layer=name).id)


def _made_without_keras(graph: Graph, node_id: int) -> bool:
    """Whether no Keras layer or `Input` takes part in the tensor (so it is no Keras tensor)."""
    seen: set[int] = set()
    stack = [node_id]
    while stack:
        i = stack.pop()
        if i in seen:
            continue
        seen.add(i)
        node = graph.nodes[i]
        if node.layer is not None or any(j is None for j in node.inputs):
            return False
        stack.extend(j for j in node.inputs if j is not None)
    return True


def _batch(value: Value) -> Dim | None:
    n = as_int(value)
    return None if n is None else Dim.const(n)


# -- models --------------------------------------------------------------------------------
def _new_model(interp: Evaluator, kind: str, name: str, site: cst.CSTNode | None) -> Model:
    loc = interp.loc(site) if site is not None else None
    # A model a helper of another file builds: at the call of the helper (read when first needed).
    model = Model(name, kind, 1 if loc is None else lambda: loc.via[0] if loc.path and loc.via and loc.via[0] > 0
                  else loc.line)
    interp.state(KerasState).model_graphs[model] = None
    return model


def _record(interp: Evaluator, model: Model, first: int) -> None:
    """Count the nodes added since `first` as the model's layers (in the graph it was built in)."""
    graphs = interp.state(KerasState).model_graphs
    home = graphs.get(model)
    if home is None:
        graphs[model] = home = interp.graph
        interp.graph.models.append(model)
    if home is not interp.graph:
        return
    model.nodes.extend(range(first, len(interp.graph.nodes)))


@api("keras.Sequential", "keras.models.Sequential", params="layers name")
def sequential(c: Call) -> Value:
    name = _name_arg(c.interp, c.args, "Sequential")
    model = SequentialV([], _new_model(c.interp, "Sequential", name, c.site), graph=c.interp.graph)
    c.interp.state(KerasState).sequentials.append(model)
    items = c.interp.iterate(c.get("layers", SeqV([])))
    if items is None:
        model.lose_contents()
        return model
    for item in items:
        _add(c.interp, model, item)
    return model


def _add(interp: Evaluator, model: SequentialV, item: Value) -> Value:
    model.layers.append(item)
    if model.output is UNKNOWN:
        return Const(None)
    first = len(interp.graph.nodes)
    if model.output is None and len(model.layers) > 1:
        return Const(None)  # lazy: Keras reads an input shape from the first layer only, ignores later ones
    if model.output is None:
        model.output = _start(interp, item)
        if isinstance(item, TensorV) or (isinstance(item, LayerV) and item.kind == "InputLayer"):
            _record(interp, model.model, first)
            if isinstance(item, TensorV) and item.node not in model.model.nodes:
                model.model.nodes.insert(0, item.node)  # an `Input` made before the Sequential call
            return Const(None)
        if model.output is None:
            return Const(None)  # Keras builds lazily: no input shape yet, nothing to check
    model.output = apply(interp, item, model.output, None)
    _record(interp, model.model, first)
    model.model.outputs = [model.output.node] if isinstance(model.output, TensorV) else []
    return Const(None)


def _start(interp: Evaluator, item: Value) -> Value | None:
    """The model's input tensor, from an `Input` entry or a first layer's `input_shape`."""
    if isinstance(item, TensorV):
        return item
    if isinstance(item, ObjectV):  # a user's layer: its `super().__init__(input_shape=...)`, if any
        from cnnlint.frontend.keras.super_init import declared_input  # it imports this module
        return declared_input(interp, item)
    if isinstance(item, FunctionalV) and len(item.inputs) == 1:  # `Sequential([base_model, ...])`
        line, entry = item.model.line, interp.graph.nodes[item.inputs[0]].shape
        return _input_node(interp, None if entry is None else list(entry), Loc(line, 1, line, 1))
    if not isinstance(item, LayerV):
        return UNKNOWN
    args = item.args
    shape: list[Dim | None] | None
    if "batch_input_shape" in args:
        shape = declared_shape(args["batch_input_shape"], batch=True)
    elif "input_shape" in args:
        dims = declared_shape(args["input_shape"], batch=False)
        shape = None if dims is None else [_batch(args.get("batch_size", Const(None))), *dims]
    elif item.kind == "Embedding":
        # `input_dim` is the vocabulary; Keras 2's `input_length` is the sequence length.
        if "input_length" not in args:
            return None
        shape = [None, _batch(args["input_length"])]
    elif "input_dim" in args:
        if rank_of_kind(item.kind) == 1:  # Keras 1/2 `Conv1D(input_dim=300, input_length=400)`
            shape = [None, _batch(args.get("input_length", Const(None))), _batch(args["input_dim"])]
        elif item.kind in _RECURRENT_INPUT and not _keras3(item):
            # Keras 1 and every Keras 2 (the RNN base class of keras 2.2.4, tf.keras and tf-keras 2.21)
            # read `LSTM(32, input_dim=10)` as `input_shape=(input_length, input_dim)`; Keras 3 as (10,).
            shape = [None, _batch(args.get("input_length", Const(None))), _batch(args["input_dim"])]
        else:
            shape = [None, _batch(args["input_dim"])]
    else:
        return None
    return _input_node(interp, shape, _loc(interp, item), _shape_spans(interp, item))


_RECURRENT_INPUT = frozenset({"SimpleRNN", "LSTM", "GRU", "CuDNNLSTM", "CuDNNGRU"})


def _keras3(layer: LayerV) -> bool:
    """Whether the layer is certainly made by Keras 3 (a stated target; unstated reads Keras 1/2)."""
    return layer.target is not None and layer.target.stated and layer.target.version.major >= 3


def _shape_spans(interp: Evaluator, layer: LayerV) -> dict[str, Loc]:
    """Where a first layer's `input_shape=` / `batch_input_shape=` is written (key `shape`), for rules
    that report at the input's shape (CNN012's channels-first shape)."""
    site = layer.site
    if not isinstance(site, cst.Call):
        return {}
    for arg in site.args:
        if arg.keyword is not None and arg.keyword.value in ("input_shape", "batch_input_shape"):
            return {"shape": interp.loc(arg)}
    return {}


def _input_node(interp: Evaluator, shape: list[Dim | None] | None, loc: Loc,
                spans: dict[str, Loc] | None = None) -> TensorV:
    name = unique_name(interp, "input_layer")
    return TensorV(interp.graph.add("input", "Input", [], {"shape": shape, "kind": "placeholder"}, loc,
                                    layer=name, spans=spans).id)


def _m_add(interp: Evaluator, model: SequentialV, layer: Value) -> Value:
    return _add(interp, model, layer)


def _m_build(interp: Evaluator, model: SequentialV, input_shape: Value = UNKNOWN) -> Value:
    if model.output is None:
        shape = declared_shape(input_shape, batch=True)
        site = interp.call_site
        first = len(interp.graph.nodes)
        loc = interp.loc(site) if site is not None else Loc(model.model.line, 1, model.model.line, 1)
        x: Value = _input_node(interp, shape, loc)
        for item in model.layers:
            x = apply(interp, item, x, None)
        model.output = x
        _record(interp, model.model, first)
        model.model.outputs = [x.node] if isinstance(x, TensorV) else []
    return Const(None)


def _m_none(interp: Evaluator, model: Value, *args: Value, **kwargs: Value) -> Value:
    return Const(None)


def keras1_fit_arguments(interp: Evaluator, model: Value, *args: Value, **kwargs: Value) -> Value:
    """`fit(nb_epoch=...)` and the other Keras 1 arguments of the training methods: CNN007."""
    site = interp.call_site
    old: list[str] = [name for name in ("nb_epoch", "samples_per_epoch", "nb_val_samples") if name in kwargs]
    if old and isinstance(site, cst.Call):
        if old == ["nb_epoch"]:
            modern = re.sub(r"\bnb_epoch\s*=", "epochs=", interp.code(site))
            legacy(interp, site, old, modern, fix_message="Rename `nb_epoch` to `epochs`",
                   rewrite=KeywordRewrite({"nb_epoch": "epochs"}, interp.source(site)))
        else:  # counts of samples became counts of batches: no mechanical rewrite
            modern = ("use epochs= for nb_epoch, steps_per_epoch= (batches, not samples) for samples_per_epoch "
                      "and validation_steps= for nb_val_samples")
            legacy(interp, site, old, modern)
    return UNKNOWN


METHODS[(SequentialV, "add")] = _m_add
METHODS[(SequentialV, "build")] = _m_build
for _cls in (SequentialV, FunctionalV):
    METHODS[(_cls, "summary")] = _m_none


def finish_sequentials(interp: Evaluator) -> None:
    """A Sequential never given an input shape is still a model: list its layers, sizes unknown."""
    current = interp.graph
    for model in interp.state(KerasState).sequentials:
        if model.output is None and model.graph is not None and model.layers:
            interp.graph = model.graph
            interp.call_site = None
            _m_build(interp, model)
    interp.graph = current


def finish_subclassed(interp: Evaluator) -> None:
    """A subclassed model nobody calls or builds is run once on an input of unknown shape."""
    current = interp.graph
    state = interp.state(KerasState)
    called = state.subclassed
    for obj, graph in list(state.model_objects.items()):
        if obj in called:
            continue
        interp.graph = graph
        line = interp.loc(obj.cls.node).line
        configured = interp.options.input_shapes.get(obj.cls.name)
        shape = None if configured is None else [None, *(Dim.of(int(n)) for n in configured)]
        x = _input_node(interp, shape, Loc(line, 1, line, 1))
        call_object(interp, obj, [x], {}, None)
    interp.graph = current


@api("keras.Model", "keras.models.Model", "keras.engine.training.Model", "keras.engine.functional.Functional",
     params="inputs outputs name", aliases={"input": "inputs", "output": "outputs"})
def functional_model(c: Call) -> Value:
    if isinstance(c.site, cst.Call) and c.kwarg_names & {"input", "output"}:
        modern = c.interp.code(c.site)
        for old_name in ("input", "output"):
            modern = re.sub(rf"\b{old_name}\s*=", f"{old_name}s=", modern)
        old = sorted(c.kwarg_names & {"input", "output"})
        legacy(c.interp, c.site, old, modern, target=versions.target_of(c),
               fix_message="Rename " + " and ".join(f"`{name}` to `{name}s`" for name in old),
               rewrite=KeywordRewrite({"input": "inputs", "output": "outputs"}, c.interp.source(c.site)))
    inputs = _tensor_ids(c.interp, c.get("inputs"))
    outputs = c.get("outputs")
    output_ids = _tensor_ids(c.interp, outputs)
    name = _name_arg(c.interp, c.args, "Functional")
    model = _new_model(c.interp, "Model", name, c.site)
    if inputs is None or output_ids is None:
        return FunctionalV([], UNKNOWN, model)
    nodes = _between(c.interp, inputs, output_ids)
    if nodes:
        interp = c.interp
        interp.state(KerasState).model_graphs[model] = interp.graph
        interp.graph.models.append(model)
        model.nodes.extend(nodes)
        model.outputs = output_ids
    return FunctionalV(inputs, outputs, model, listed_inputs=isinstance(c.get("inputs"), SeqV))


def _tensor_ids(interp: Evaluator, value: Value) -> list[int] | None:
    if isinstance(value := through_opaque(interp, value), TensorV):
        return [value.node]
    items = interp.iterate(value) if isinstance(value, SeqV) else None
    if items is None:
        return None
    ids = [v.node for v in (through_opaque(interp, item) for item in items) if isinstance(v, TensorV)]
    return ids if len(ids) == len(items) else None


def _between(interp: Evaluator, inputs: list[int], outputs: list[int]) -> list[int]:
    """Nodes on a path from the model's inputs to its outputs (its layers), in execution order."""
    nodes = interp.graph.nodes
    seen: set[int] = set()
    stack = list(outputs)
    while stack:
        node_id = stack.pop()
        if node_id in seen:
            continue
        seen.add(node_id)
        if node_id not in inputs:
            stack.extend(i for i in nodes[node_id].inputs if i is not None)
    return sorted(seen)


def _standardised(interp: Evaluator, model: Model, expected: list[MaybeShape], given: list[int],
                  site: cst.CSTNode | None, loc: Loc | None) -> list[int] | None:
    """The tensors a Keras model really receives when called on `given` (Keras 3 adds or drops a
    trailing axis of size 1); None when Keras refuses them, recorded as a Feed for CNN012."""
    graph = interp.graph
    out: list[int] = []
    refused = False
    for shape, node_id in zip(expected, given, strict=True):
        data = graph.nodes[node_id].shape
        if shape is None or data is None:
            out.append(node_id)
            continue
        want = tuple(d.value for d in shape)
        have = tuple(d.value for d in data)
        adjusted = keras_adjusted_input(have, want)
        if adjusted is None or mismatched_axes(adjusted, want):
            refused = True
            out.append(node_id)
        elif len(have) == len(want) + 1:
            out.append(graph.add("squeeze", "Keras drops the trailing 1", [node_id], {"axis": [-1]},
                                 loc or graph.nodes[node_id].loc).id)
        elif len(have) == len(want) - 1:
            out.append(graph.add("expand_dims", "Keras adds a trailing 1", [node_id], {"axis": -1},
                                 loc or graph.nodes[node_id].loc).id)
        else:
            out.append(node_id)
    if refused and site is not None and not _is_symbolic(graph, given):
        text = interp.code(site.args[0].value) if isinstance(site, cst.Call) and site.args else "x"
        home = interp.state(KerasState).model_graphs.get(model)
        interp.ir.feeds.append(Feed("call", interp.loc(site), graph, f"model `{model.title}`",
                                    tuple(expected), tuple(given), tuple(text for _ in given),
                                    model=model if home is graph else None,
                                    inputs=tuple(i for i in model.nodes if graph.nodes[i].op == "input"),
                                    output_node=model.outputs[0] if len(model.outputs) == 1 else None))
    return None if refused else out


def _is_symbolic(graph: Graph, nodes: list[int]) -> bool:
    """Whether the tensors are Keras symbolic inputs (a model used as a layer), not data."""
    return all(graph.nodes[i].op != "input" or graph.nodes[i].attrs.get("kind") == "placeholder" for i in nodes) \
        and any(graph.nodes[i].layer is not None for i in nodes)


# -- subclassed models and layers ----------------------------------------------------------
_KERAS_BASES = ("keras.Model", "keras.models.Model", "keras.layers.Layer", "keras.engine.training.Model",
                "keras.engine.base_layer.Layer", "keras.layers.core.Layer", "keras.engine.topology.Layer",
                "keras.engine.Layer", "keras.Layer")


def _is_keras_class(cls: ClassV) -> bool:
    for base in cls.bases:
        if isinstance(base, ModuleV) and canonical(base.path) in _KERAS_BASES:
            return True
        if isinstance(base, ClassV) and _is_keras_class(base):
            return True
    return False


def _is_model_class(cls: ClassV) -> bool:
    for base in cls.bases:
        if isinstance(base, ModuleV) and canonical(base.path) in ("keras.Model", "keras.models.Model",
                                                                  "keras.engine.training.Model"):
            return True
        if isinstance(base, ClassV) and _is_model_class(base):
            return True
    return False


def call_object(interp: Evaluator, obj: ObjectV, args: list[Value], kwargs: dict[str, Value],
                site: cst.CSTNode | None) -> Value:
    """`model(x)` on a subclassed Model or Layer: Keras runs `build(input_shape)` once, then `call`."""
    from cnnlint.frontend.keras import custom_layers, super_init  # they import this module
    if (functional := super_init.functional_of(interp, obj)) is not None:  # `super().__init__(inputs, outputs)`
        return apply(interp, functional, args[0], site) if args else UNKNOWN
    if custom_layers.is_layer_class(obj.cls):
        return custom_layers.call_layer(interp, obj, args, kwargs, site)
    call = class_lookup(obj.cls, "call")
    if not _is_keras_class(obj.cls) or not isinstance(call, FuncV) or not args:
        return UNKNOWN
    x = args[0]
    keras_state = interp.state(KerasState)
    state = keras_state.subclassed
    first = len(interp.graph.nodes)
    build = class_lookup(obj.cls, "build")
    built = keras_state.built
    if isinstance(build, FuncV) and obj not in built:
        built.add(obj)
        shape = interp.graph.nodes[x.node].shape if isinstance(x, TensorV) else None
        interp.call(build, [obj, ShapeV(shape)], {})
    result = interp.call(call, [obj, *args], kwargs)
    if _is_model_class(obj.cls) and obj not in state:
        model = state[obj] = _new_model(interp, obj.cls.name, _name_arg(interp, obj.attrs, obj.cls.name),
                                            obj.cls.node)
        model.var = keras_state.object_names.get(obj)
        _record(interp, model, first)
        if isinstance(x, TensorV) and x.node not in model.nodes:
            model.nodes.insert(0, x.node)
        model.outputs = [result.node] if isinstance(result, TensorV) else []
    return result


def object_attribute(interp: Evaluator, obj: ObjectV, attr: str) -> Value | None:
    """Methods Keras gives every model: `build(shape)` runs `call` on an input of that shape."""
    if not _is_keras_class(obj.cls):
        return None
    if attr == "build":
        def build(interp: Evaluator, input_shape: Value = UNKNOWN) -> Value:
            site = interp.call_site
            loc = interp.loc(site) if site is not None else Loc(1, 1, 1, 1)
            x = _input_node(interp, declared_shape(input_shape, batch=True), loc)
            call_object(interp, obj, [x], {}, site)
            return Const(None)

        return BuiltinV("build", build)
    if attr in ("summary", "compile"):
        return BuiltinV(attr, lambda interp, *a, **k: Const(None))
    return UNKNOWN


def name_model(interp: Evaluator, value: Value, name: str, depth: int) -> None:
    """Models are titled after the variable that holds them (the outermost one wins)."""
    if isinstance(value, (SequentialV, FunctionalV)):
        if value.model.var is None or depth == 0:
            value.model.var = name
    elif isinstance(value, ObjectV):
        interp.state(KerasState).object_names.setdefault(value, name)
        if _is_model_class(value.cls):
            interp.state(KerasState).model_objects.setdefault(value, interp.graph)


# -- applying layers -----------------------------------------------------------------------
def _loc(interp: Evaluator, layer: LayerV, site: cst.CSTNode | None = None) -> Loc:
    node = site if site is not None else layer.site
    return interp.loc(node) if node is not None else Loc(1, 1, 1, 1)


def apply(interp: Evaluator, layer: Value, x: Value, site: cst.CSTNode | None) -> Value:
    """A layer or a whole model applied to a tensor (a list of tensors for merge layers)."""
    x = through_opaque(interp, x)
    if isinstance(layer, SequentialV) and not layer.complete:
        # Layers not known exactly: what comes out is unknown, never the known part applied.
        loc = interp.loc(site) if site is not None else Loc(layer.model.line, 1, layer.model.line, 1)
        return _opaque(interp, "Sequential", x, loc, layer.model.name)
    if isinstance(layer, ObjectV):
        return call_object(interp, layer, [x], {}, site)  # a subclassed layer inside a Sequential
    if isinstance(layer, SequentialV):
        refused = False
        if isinstance(x, TensorV) and layer.graph is not None:
            entry = [i for i in layer.model.nodes if layer.graph.nodes[i].op == "input"][:1]
            if entry and layer.graph is interp.graph:
                standard = _standardised(interp, layer.model, [interp.graph.nodes[entry[0]].shape], [x.node], site,
                                         interp.loc(site) if site is not None else None)
                if standard is None and not _is_symbolic(interp.graph, [x.node]):
                    return UNKNOWN
                refused = standard is None  # Keras tensors: run on them as tf-keras does (see `idioms.replay`)
                x = x if standard is None else TensorV(standard[0])
        for item in layer.layers:
            if isinstance(item, TensorV):  # its `keras.Input(...)`: the data takes its place
                continue
            x = input_specs.replaying(interp, apply, item, x, site)  # a model applied as a layer
        return UNKNOWN if refused else x
    if isinstance(layer, FunctionalV):
        return idioms.replay(interp, layer, x, site)
    if not isinstance(layer, LayerV):
        return UNKNOWN
    idioms.remember_layer(interp, layer)
    loc = _loc(interp, layer, site)
    if layer.version_dependent:
        return _opaque(interp, layer.kind, x, loc, layer.name)
    if layer.kind in MERGES or layer.kind == "Concatenate":
        ids = _tensor_ids(interp, x) if isinstance(x, SeqV) else None
        if ids is None or len(ids) < 2:
            return UNKNOWN
        merge: tuple[str, Attrs] = ("concat", {"axis": as_int(layer.args.get("axis", Const(-1)))}) \
            if layer.kind == "Concatenate" else ("broadcast", {"fn": MERGES[layer.kind]})
        node = interp.graph.add(merge[0], layer.kind, ids, merge[1], loc, layer.sources, layer=layer.name)
        return TensorV(node.id)
    if layer.kind == "Lambda":
        return _lambda(interp, layer, x, loc)
    if layer.kind == "TimeDistributed" and isinstance(layer.args.get("layer"), (SequentialV, FunctionalV)):
        return idioms.time_distributed_model(interp, layer, x, loc, apply, site)
    if not isinstance(x, TensorV):
        return UNKNOWN
    family = layer.kind if layer.kind in TRANSLATIONS else layer.kind.rstrip("0123456789D")
    translate = TRANSLATIONS.get(family)
    if translate is None:
        return UNKNOWN
    configured = interp.state(KerasState).data_format or interp.options.data_format
    if configured == "unknown" and "data_format" not in layer.args and "dim_ordering" not in layer.args:
        return _opaque(interp, layer.kind, x, loc, layer.name)  # set by the program to what cnnlint cannot read
    read_as = layer
    if configured != "channels_last" and "data_format" not in layer.args:  # `data-format` in the configuration
        read_as = dataclasses.replace(layer, args={**layer.args, "data_format": Const(configured)})
    op_attrs = translate(read_as, rank_of_kind(layer.kind))
    if op_attrs is None:
        return _opaque(interp, layer.kind, x, loc, layer.name)
    op, attrs = op_attrs
    if "data_format" in attrs and "data_format" not in layer.args:
        attrs = {**attrs, "layout_from_config": True}  # messages say which layout was assumed
    attrs, built = idioms.built_weights(interp, layer, x.node, op, attrs, loc)
    attrs = _weight_attrs(layer, op, attrs)
    # spans["layer"]: where the layer was made (`head = Dense(3)`), when it is applied elsewhere
    # (`head(x)`): the line whose arguments a finding's fix changes.
    made = {"layer": interp.loc(layer.site), **argument_spans(interp, layer.site, layer.kind)} \
        if isinstance(layer.site, cst.Call) and interp.owns(layer.site) else None
    branch = training_branch(interp)  # `if not training: x = self.softmax(x)` (CNN203)
    sources = layer.sources if branch is None else {**layer.sources, "under": interp.code(branch)}
    node = interp.graph.add(op, layer.kind, [x.node, *built], attrs, loc, sources, layer=layer.name,
                            origins=layer.origins, spans=made)
    initializers.check_constants(interp, layer, x.node, op, attrs, loc)  # `Constant(W)` arguments (CNN011)
    layer.applied = (x.node, op, attrs)
    if "weights" in layer.args:
        _give_weights(interp, layer, layer.args["weights"], loc)
    return TensorV(node.id)


def _opaque(interp: Evaluator, kind: str, x: Value, loc: Loc, name: str) -> TensorV:
    """A layer whose output cnnlint does not know: a row in the model, an unknown shape after it."""
    inputs = [x.node] if isinstance(x, TensorV) else []
    return TensorV(interp.graph.add("opaque", kind, inputs, {}, loc, layer=name).id)


def _give_weights(interp: Evaluator, layer: LayerV, weights: Value, loc: Loc) -> None:
    """`weights=[W, b]` or `set_weights([W, b])`: checked against the layer's weight shapes (CNN011)."""
    items = interp.iterate(weights) if isinstance(weights, SeqV) else None
    if layer.applied is None or items is None or not all(isinstance(w, TensorV) for w in items):
        return
    x, op, attrs = layer.applied
    nodes = [w.node for w in items if isinstance(w, TensorV)]
    interp.graph.add("set_weights", f"{layer.kind}.set_weights", [x, *nodes],
                     {"layer_op": op, "layer_attrs": attrs, "layer_name": layer.name, "kind": layer.kind}, loc)


def _m_set_weights(interp: Evaluator, layer: LayerV, weights: Value = UNKNOWN) -> Value:
    site = interp.call_site
    _give_weights(interp, layer, weights, interp.loc(site) if site is not None else _loc(interp, layer))
    return Const(None)


METHODS[(LayerV, "set_weights")] = _m_set_weights


def _lambda(interp: Evaluator, layer: LayerV, x: Value, loc: Loc) -> Value:
    """`Lambda(fn)`: the function's ops on the input, then one row for the layer itself."""
    function = layer.args.get("function", UNKNOWN)
    result = interp.call(function, [x], {}) if isinstance(function, FuncV) else UNKNOWN
    inputs = [result.node] if isinstance(result, TensorV) else [x.node] if isinstance(x, TensorV) else []
    op = "identity" if isinstance(result, TensorV) else "opaque"
    return TensorV(interp.graph.add(op, "Lambda", inputs, {"weightless": True} if op == "opaque" else {}, loc,
                                    layer=layer.name).id)
