"""The library-call table: canonical API names, argument binding and value coercions.

Front-end modules (`tf_nn`, `tf_layers`, `pylib`, ...) register one handler per library
function with its parameter list; a handler reads bound arguments and adds ops to the graph.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import libcst as cst

from cnnlint.frontend.values import (
    UNKNOWN,
    Const,
    DimV,
    ObjectV,
    SeqV,
    ShapeV,
    TensorV,
    Value,
    as_dim,
    as_int,
    as_str,
    int_value,
)
from cnnlint.ir import Loc, Node
from cnnlint.shapes import Dim

if TYPE_CHECKING:
    from cnnlint.frontend.interp import Interpreter

Handler = Callable[["Call"], Value]


@dataclass(frozen=True)
class Spec:
    params: tuple[str, ...]
    aliases: Mapping[str, str]
    handler: Handler


TABLE: dict[str, Spec] = {}

# Longest prefix first: module paths that name the same API.
_CANONICAL_PREFIXES = (
    ("tensorflow.compat.v1.", "tensorflow."),
    ("tensorflow.compat.v2.", "tensorflow."),
    ("tensorflow.python.keras.", "keras."),
    ("tensorflow.keras.", "keras."),
    ("tf_keras.", "keras."),
    ("keras.src.", "keras."),
    ("tensorflow.contrib.slim.", "tensorflow.contrib.layers."),
)


# Modules that re-export a framework under a path of their own, and the framework's own path.
# tensorflow_model_optimization's compat module is tf_keras (Keras 2) where installed; it is read
# as the Keras of today where the two agree (see docs/design-decisions.md).
_REEXPORTS = (
    ("tensorflow_model_optimization.python.core.keras.compat.keras", "tf_keras"),
    ("keras.api._v2.keras", "keras"),
    ("keras.api._v1.keras", "keras"),
    ("keras._tf_keras.keras", "keras"),
    ("tf_keras.api._v2.keras", "tf_keras"),
    ("tf_keras.api._v1.keras", "tf_keras"),
    ("tf_slim", "tensorflow.contrib.slim"),
)


def reexported(path: str) -> str:
    """The framework's own path of a name reached through a module that re-exports it:
    `tensorflow_model_optimization.python.core.keras.compat.keras.layers.Conv2D` is
    `tf_keras.layers.Conv2D`, `tf_slim.conv2d` is `tensorflow.contrib.slim.conv2d`. Besides the
    known re-exports, a module `keras` inside a module `compat` (`from ...compat import keras`, the
    usual shim between tf.keras and tf_keras) is Keras; any other `keras` deeper in a path
    (`myproject.keras.layers`, `tfmot.sparsity.keras`) is not: it may be the project's own code."""
    for prefix, replacement in _REEXPORTS:
        if path == prefix or path.startswith(prefix + "."):
            return replacement + path[len(prefix):]
    parts = path.split(".")
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] == "keras" and parts[i - 1] == "compat":
            return ".".join(("tf_keras", *parts[i + 1:]))
    return path


def canonical(path: str) -> str:
    path = reexported(path)
    changed = True
    while changed:
        changed = False
        for prefix, replacement in _CANONICAL_PREFIXES:
            if path.startswith(prefix):
                path = replacement + path[len(prefix):]
                changed = True
    return path


def api(*names: str, params: str = "", aliases: Mapping[str, str] | None = None) -> Callable[[Handler], Handler]:
    """Register a handler under one or more canonical names."""

    def decorate(handler: Handler) -> Handler:
        spec = Spec(tuple(params.split()), dict(aliases or {}), handler)
        for name in names:
            TABLE[name] = spec
        return handler

    return decorate


class Call:
    """One library call being interpreted: bound arguments plus graph-building helpers."""

    def __init__(
        self,
        interp: Interpreter,
        path: str,
        spec: Spec,
        args: list[Value],
        kwargs: dict[str, Value],
        site: cst.CSTNode | None,
        sources: Mapping[str | int, cst.BaseExpression],
        written: str = "",
    ) -> None:
        self.interp = interp
        self.path = path
        # The module path as the code reached it (`tensorflow.keras.layers.Conv2D`), before
        # `canonical` folded it: tf.keras and standalone Keras read some calls differently.
        self.written = written or path
        self.site = site
        self.args: dict[str, Value] = {}
        self.kwarg_names = frozenset(kwargs)
        self.extra: list[Value] = args[len(spec.params):]
        self.source_nodes: dict[str, cst.BaseExpression] = {}
        for i, value in enumerate(args[: len(spec.params)]):
            self.args[spec.params[i]] = value
            if i in sources:
                self.source_nodes[spec.params[i]] = sources[i]
        for key, value in kwargs.items():
            name = spec.aliases.get(key, key)
            self.args[name] = value
            if key in sources:
                self.source_nodes[name] = sources[key]

    # -- reading arguments ---------------------------------------------------------------
    def has(self, name: str) -> bool:
        return name in self.args

    def get(self, name: str, default: Value | None = None) -> Value:
        if name in self.args:
            return self.args[name]
        return default if default is not None else UNKNOWN

    def int_arg(self, name: str, default: int | None = None) -> int | None:
        if name not in self.args:
            return default
        return as_int(self.args[name])

    def str_arg(self, name: str, default: str | None = None) -> str | None:
        if name not in self.args:
            return default
        value = self.args[name]
        if isinstance(value, Const) and value.value is None:
            return default
        return as_str(value)

    def bool_arg(self, name: str, default: bool = False) -> bool | None:
        if name not in self.args:
            return default
        value = self.args[name]
        if isinstance(value, Const) and isinstance(value.value, (bool, int)):
            return bool(value.value)
        return None

    def tensor(self, name: str) -> int | None:
        """The argument as a graph node (lists and scalars become constants)."""
        value = self.args.get(name)
        if value is None:
            return None
        return self.interp_tensor(value, name)

    def interp_tensor(self, value: Value, name: str = "value") -> int | None:
        if isinstance(value, TensorV):
            return value.node
        shape = literal_shape(value)
        if shape is None:
            return None
        return self.add("input", [], {"shape": shape, "kind": "constant"}).node

    def shape_arg(self, name: str) -> list[Dim | None] | None:
        """A shape argument (`[None, 28, 28, 1]`, `(5, 5)`, `x.shape`, an int)."""
        if name not in self.args:
            return None
        return shape_of_value(self.args[name])

    def node(self, node_id: int | None) -> Node | None:
        return None if node_id is None else self.interp.graph.nodes[node_id]

    def rank_of(self, node_id: int | None) -> int | None:
        node = self.node(node_id)
        return None if node is None or node.shape is None else len(node.shape)

    # -- building ------------------------------------------------------------------------
    @property
    def shown(self) -> str:
        """The callee as the user wrote it (`tf.nn.conv2d`)."""
        if isinstance(self.site, cst.Call):
            return self.interp.code(self.site.func)
        return self.path.rsplit(".", 1)[-1]

    def loc(self) -> Loc:
        if self.site is None:
            return Loc(1, 1, 1, 1)
        return self.interp.loc(self.site)

    def sources(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for name, node in self.source_nodes.items():
            out[name] = self.interp.code(node)
            if isinstance(node, (cst.List, cst.Tuple)):
                for i, element in enumerate(node.elements):
                    out[f"{name}[{i}]"] = self.interp.code(element.value)
        return out

    def add(self, op: str, inputs: Sequence[int | None], attrs: Mapping[str, Any], api: str | None = None) -> TensorV:
        node = self.interp.graph.add(op, api or self.shown, inputs, attrs, self.loc(), self.sources())
        return TensorV(node.id)

    def opaque(self, inputs: Sequence[int | None] | None = None) -> TensorV:
        """A tensor this call certainly makes, of unknown shape."""
        return self.add("opaque", inputs or [], {})


def literal_shape(value: Value) -> tuple[Dim, ...] | None:
    """The shape of a nested list/tuple of numbers, or () for a scalar."""
    if isinstance(value, Const) and isinstance(value.value, (int, float, bool)):
        return ()
    if isinstance(value, DimV):
        return ()
    if isinstance(value, SeqV):
        if not value.items:
            return (Dim.const(0),)
        inner = [literal_shape(v) for v in value.items]
        first = inner[0]
        if first is None or any(s != first for s in inner):
            return None
        return (Dim.const(len(value.items)), *first)
    return None


def shape_of_value(value: Value) -> list[Dim | None] | None:
    """Read a shape given as a Python value; None entries are unknown sizes."""
    if isinstance(value, ShapeV):
        return None if value.dims is None else list(value.dims)
    n = as_dim(value)
    if n is not None:
        return [n]
    if isinstance(value, SeqV):
        dims: list[Dim | None] = []
        for item in value.items:
            if isinstance(item, Const) and item.value is None:
                dims.append(None)
                continue
            d = as_dim(item)
            if d is None:
                dims.append(None)
            else:
                dims.append(d)
        return dims
    return None


def shape_value(shape: tuple[Dim, ...] | None) -> Value:
    """`tf.shape(x)` as a Python list of sizes, where the rank is known."""
    if shape is None:
        return UNKNOWN
    return SeqV([int_value(d) for d in shape], is_tuple=True)


class ApiTable:
    """What the interpreter asks about library calls and tensor values."""

    def knows(self, path: str) -> bool:
        return canonical(path) in TABLE

    def call(
        self,
        interp: Interpreter,
        path: str,
        args: list[Value],
        kwargs: dict[str, Value],
        site: cst.CSTNode | None,
        sources: Mapping[str | int, cst.BaseExpression],
    ) -> Value:
        name = canonical(path)
        spec = TABLE.get(name)
        if spec is None:
            return UNKNOWN
        return spec.handler(Call(interp, name, spec, args, kwargs, site, sources, written=reexported(path)))

    def call_object(
        self, interp: Interpreter, obj: ObjectV, args: list[Value], kwargs: dict[str, Value],
        site: cst.CSTNode | None, sources: Mapping[str | int, cst.BaseExpression],
    ) -> Value:
        from cnnlint.frontend.interp import _class_lookup

        method = _class_lookup(obj.cls, "__call__")
        if method is not None:
            return interp.call(method, [obj, *args], kwargs)
        hook = LAYER_HOOKS.get("call_object")
        return hook(interp, obj, args, kwargs, site) if hook is not None else UNKNOWN

    def apply_layer(self, interp: Interpreter, layer: Value, x: Value, site: cst.CSTNode | None) -> Value:
        hook = LAYER_HOOKS.get("apply")
        return hook(interp, layer, x, site) if hook is not None else UNKNOWN

    def object_attribute(self, interp: Interpreter, obj: ObjectV, attr: str) -> Value:
        hook = LAYER_HOOKS.get("object_attribute")
        return hook(interp, obj, attr) if hook is not None else UNKNOWN

    def name_model(self, interp: Interpreter, model: Value, name: str, depth: int) -> None:
        hook = LAYER_HOOKS.get("name_model")
        if hook is not None:
            hook(interp, model, name, depth)

    def finish(self, interp: Interpreter) -> None:
        """End of the module: front ends complete what they left open (models never built)."""
        for hook in FINISHERS:
            hook(interp)

    def tensor_attribute(self, interp: Interpreter, tensor: TensorV, attr: str) -> Value:
        hook = TENSOR_ATTRIBUTES.get(attr)
        return hook(interp, tensor) if hook is not None else UNKNOWN

    def tensor_index(self, interp: Interpreter, tensor: Value, key: Value | None, site: cst.CSTNode | None) -> Value:
        hook = LAYER_HOOKS.get("tensor_index")
        return hook(interp, tensor, key, site) if hook is not None and isinstance(tensor, TensorV) else UNKNOWN

    def tensor_compare(
        self, interp: Interpreter, op: str, left: Value, right: Value, site: cst.CSTNode,
    ) -> Value | None:
        """An element-wise comparison of a tensor (`y == 3`), or None to compare as Python does."""
        hook = LAYER_HOOKS.get("tensor_compare")
        return hook(interp, op, left, right, site) if hook is not None else None

    def tensor_len(self, interp: Interpreter, tensor: TensorV) -> Value:
        shape = interp.graph.nodes[tensor.node].shape
        if not shape:
            return UNKNOWN
        return int_value(shape[0])

    def tensor_binop(self, interp: Interpreter, op: str, left: Value, right: Value, site: cst.CSTNode) -> Value:
        hook = BINOPS.get(op)
        return hook(interp, left, right, site) if hook is not None else UNKNOWN

    def tensor_unop(self, interp: Interpreter, value: TensorV, site: cst.CSTNode) -> Value:
        return TensorV(interp.graph.add("identity", "-", [value.node], {}, interp.loc(site)).id)


TensorHook = Callable[["Interpreter", TensorV], Value]
BinopHook = Callable[["Interpreter", Value, Value, cst.CSTNode], Value]
TENSOR_ATTRIBUTES: dict[str, TensorHook] = {}
LAYER_HOOKS: dict[str, Callable[..., Any]] = {}
BINOPS: dict[str, BinopHook] = {}
FINISHERS: list[Callable[[Interpreter], None]] = []
