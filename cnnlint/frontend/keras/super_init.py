"""Keras's own methods reached through `super()` in a user's layer or model (docs/model-idioms.md,
"Custom layers"): `Layer.__init__`'s `name=`, `input_shape=` / `input_dim=`; `Model.__init__`'s
`inputs=` / `outputs=` (the model then is that functional model); `Layer.build`."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from cnnlint.frontend.keras.layers import _KERAS_BASES, _input_node, _is_model_class, _start, snake_case, unique_name
from cnnlint.frontend.keras.values import FunctionalV, KerasState
from cnnlint.frontend.library import call_library, declared_shape
from cnnlint.frontend.names import canonical
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.supercall import SuperV
from cnnlint.frontend.python.values import (
    UNKNOWN,
    BuiltinV,
    Const,
    ModuleV,
    ObjectV,
    SeqV,
    Value,
    as_int,
    as_str,
    class_lookup,
)
from cnnlint.ir import Loc
from cnnlint.shapes import Dim


@dataclass
class SuperInitState:
    """Per module: the input shape each layer object was given, the objects that are functional models."""

    inputs: dict[ObjectV, list[Dim | None]] = field(default_factory=dict)
    functional: dict[ObjectV, FunctionalV] = field(default_factory=dict)


def attribute(interp: Evaluator, value: SuperV, attr: str) -> Value | None:
    """`super().attr` where the lookup reaches Keras's `Layer` or `Model`."""
    base = value.framework_base()
    if not isinstance(base, ModuleV) or canonical(base.path) not in _KERAS_BASES:
        return None
    obj = value.obj
    if attr == "__init__":
        def init(interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
            return _init(interp, obj, list(args), kwargs, interp.call_site)

        return BuiltinV("__init__", init)
    if attr == "build" and not _is_model_class(obj.cls):
        def build(interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
            obj.attrs["built"] = Const(True)  # what `Layer.build` does (Keras 2 and 3)
            return Const(None)

        return BuiltinV("build", build)
    return None  # `call`, `get_config`, `compute_output_shape`, ...: not known


def _init(interp: Evaluator, obj: ObjectV, args: list[Value], kwargs: dict[str, Value],
          site: cst.CSTNode | None) -> Value:
    name = as_str(kwargs.get("name", UNKNOWN))
    if name is not None:
        obj.attrs["name"] = Const(name)  # Keras's `self.name`
    if not _is_model_class(obj.cls):
        shape = _input_shape(kwargs)
        if shape is not None:
            interp.state(SuperInitState).inputs[obj] = shape
        return Const(None)
    # `Model.__init__(inputs, outputs)` (Keras's `functional_init_arguments`): a functional model,
    # unless the class has a `call` of its own, which Keras runs instead of the graph.
    if (len(args) >= 2 or {"inputs", "outputs"} <= kwargs.keys()) and class_lookup(obj.cls, "call") is None:
        if name is None:  # Keras names it after the class, not "functional"
            kwargs = {**kwargs, "name": Const(unique_name(interp, snake_case(obj.cls.name)))}
        model = call_library(interp, "keras.Model", args, kwargs, site)
        if isinstance(model, FunctionalV):
            model.model.kind = obj.cls.name
            made = interp.loc(obj.site) if obj.site is not None else None
            if made is not None and not made.path:
                model.model.line = made.line
            interp.state(SuperInitState).functional[obj] = model
            interp.state(KerasState).subclassed[obj] = model.model  # a model already: never run on unknowns
    return Const(None)


def _input_shape(kwargs: dict[str, Value]) -> list[Dim | None] | None:
    """The input shape `Layer.__init__` takes from `input_shape=` or `input_dim=`. With both, or with
    `batch_input_shape=` / `batch_size=` (refused by Keras 3, read by Keras 2), it is left unknown."""
    given = kwargs.keys() & {"input_shape", "input_dim", "batch_input_shape", "batch_size"}
    if given == {"input_shape"} and isinstance(kwargs["input_shape"], SeqV):  # tf-keras: `tuple(input_shape)`
        dims = declared_shape(kwargs["input_shape"], batch=False)
        return None if dims is None else [None, *dims]
    if given == {"input_dim"}:
        n = as_int(kwargs["input_dim"])
        return None if n is None else [None, Dim.const(n)]
    return None


def functional_of(interp: Evaluator, value: Value) -> FunctionalV | None:
    """The functional model a user's `Model` subclass is (`super().__init__(inputs, outputs)`)."""
    return interp.state(SuperInitState).functional.get(value) if isinstance(value, ObjectV) else None


def declared_input(interp: Evaluator, obj: ObjectV) -> Value | None:
    """The input of a `Sequential` whose first entry is a user's layer given an input shape (or a
    functional model subclass); None: the model waits for `build` or data, as Keras does."""
    functional = functional_of(interp, obj)
    if functional is not None:
        return _start(interp, functional)
    shape = interp.state(SuperInitState).inputs.get(obj)
    if shape is None:
        return None
    site = obj.site
    loc = interp.loc(site) if site is not None else interp.loc(obj.cls.node)
    spans: dict[str, Loc] = {}
    if isinstance(site, cst.Call):
        for arg in site.args:
            if arg.keyword is not None and arg.keyword.value == "input_shape":
                spans["shape"] = interp.loc(arg)
    return _input_node(interp, shape, loc, spans)

