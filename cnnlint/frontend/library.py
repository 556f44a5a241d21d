"""What framework plugins share to model library calls: canonical API names, a per-plugin table
of handlers (`Library`), argument binding by signature (`Call`) and value coercions.

A plugin registers one handler per library function with its parameter list
(`@LIBRARY.function("tensorflow.nn.conv2d", params="input filters strides ...")`); a handler
reads the bound arguments and adds ops to the graph. `Library.hook` is the plugin's answer to
`Plugin.function`.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import libcst as cst

from cnnlint.frontend.names import canonical, reexported
from cnnlint.frontend.python.evaluator import Evaluator as Interpreter
from cnnlint.frontend.python.plugin import FunctionHook
from cnnlint.frontend.python.positions import code
from cnnlint.frontend.python.values import (
    UNKNOWN,
    Const,
    ParamV,
    SeqV,
    Value,
    as_dim,
    as_int,
    as_str,
    int_value,
)
from cnnlint.frontend.tensor import ShapeV, TensorV, literal_shape, through_opaque
from cnnlint.ir import LazyTexts, Loc, Node
from cnnlint.shapes import Dim

Handler = Callable[["Call"], Value]


@dataclass(frozen=True)
class Spec:
    params: tuple[str, ...]
    aliases: Mapping[str, str]
    handler: Handler


class Library:
    """One plugin's library functions and classes, by canonical name."""

    def __init__(self) -> None:
        self.specs: dict[str, Spec] = {}
        # Name prefix -> the module whose handlers answer for every name under it, imported on the
        # first lookup of such a name: a whole table most files never use (`keras.applications.`).
        self.deferred: dict[str, str] = {}

    def defer(self, prefix: str, module: str) -> None:
        """Leave the handlers of names starting with `prefix` to `module`, imported when one is looked up."""
        self.deferred[prefix] = module

    def all_specs(self) -> dict[str, Spec]:
        """Every handler, the deferred modules imported (for what needs the whole table)."""
        for module in list(self.deferred.values()):
            importlib.import_module(module)
        self.deferred.clear()
        return self.specs

    def _undeferred(self, name: str) -> Spec | None:
        for prefix, module in list(self.deferred.items()):
            if name.startswith(prefix):
                del self.deferred[prefix]
                importlib.import_module(module)
        return self.specs.get(name)

    def function(
        self, *names: str, params: str = "", aliases: Mapping[str, str] | None = None,
    ) -> Callable[[Handler], Handler]:
        """Register a handler under one or more canonical names."""

        def decorate(handler: Handler) -> Handler:
            spec = Spec(tuple(params.split()), dict(aliases or {}), handler)
            for name in names:
                if name in self.specs and self.specs[name].handler is not handler:
                    raise ValueError(f"{name} has two handlers")
                self.specs[name] = spec
            return handler

        return decorate

    def hook(self, path: str) -> FunctionHook | None:
        """The handler of `path` bound as a `FunctionHook`, or None if this library lacks it."""
        name = canonical(path)
        spec = self.specs.get(name)
        if spec is None and self.deferred:
            spec = self._undeferred(name)
        if spec is None:
            return None
        written = reexported(path)

        def run(interp: Interpreter, path: str, args: list[Value], kwargs: dict[str, Value],
                site: cst.CSTNode | None, sources: Mapping[str | int, cst.BaseExpression]) -> Value:
            return spec.handler(Call(interp, name, spec, args, kwargs, site, sources, written=written))

        return run


def call_library(interp: Interpreter, path: str, args: list[Value], kwargs: dict[str, Value],
                 site: cst.CSTNode | None = None) -> Value:
    """Call the library function `path` as the program would (`x.mean()` is `numpy.mean(x)`)."""
    hook = interp.plugins.function(path)
    return UNKNOWN if hook is None else hook(interp, path, args, kwargs, site, {})

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
        value = through_opaque(self.interp, value)
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

    def sources(self) -> LazyTexts:
        """The text of each argument, by parameter name, and `name[i]` for the items of a list or
        tuple, each rendered when it is first read."""
        nodes: dict[str, cst.CSTNode] = {}
        for name, node in self.source_nodes.items():
            nodes[name] = node
            if isinstance(node, (cst.List, cst.Tuple)):
                for i, element in enumerate(node.elements):
                    nodes[f"{name}[{i}]"] = element.value
        module = self.interp.module  # the module whose nodes these are, as `interp.code` reads them now
        return LazyTexts(tuple(nodes), lambda key: code(module, nodes[key]))

    def origins(self) -> dict[str, Loc]:
        """Where each argument (or list item) written as a variable got its integer value, keys as in
        `sources` (`shape[1]` of `tf.reshape(x, [-1, flat])`: the line `flat = 7 * 7 * 64`)."""
        out: dict[str, Loc] = {}
        sites = self.interp.name_sites
        for name, node in self.source_nodes.items():
            if isinstance(node, cst.Name) and node in sites:
                out[name] = sites[node]
            if isinstance(node, (cst.List, cst.Tuple)):
                for i, element in enumerate(node.elements):
                    if isinstance(element.value, cst.Name) and element.value in sites:
                        out[f"{name}[{i}]"] = sites[element.value]
        return out

    def add(self, op: str, inputs: Sequence[int | None], attrs: Mapping[str, Any], api: str | None = None) -> TensorV:
        node = self.interp.graph.add(op, api or self.shown, inputs, attrs, self.loc(), self.sources(),
                                     origins=self.origins())
        return TensorV(node.id)

    def opaque(self, inputs: Sequence[int | None] | None = None) -> TensorV:
        """A tensor this call certainly makes, of unknown shape."""
        return self.add("opaque", inputs or [], {})


def shape_of_value(value: Value, declared: bool = False) -> list[Dim | None] | None:
    """Read a shape given as a Python value; None entries are unknown sizes. `declared`: the shape
    of a model input or placeholder, where a `None` the code writes is variable by design
    (`Dim.none()`); a size cnnlint does not know stays None (unknown)."""
    if isinstance(value, ShapeV):
        return None if value.dims is None else list(value.dims)
    n = as_dim(value)
    if n is not None:
        return [n]
    if isinstance(value, SeqV):
        dims: list[Dim | None] = []
        for item in value.items:
            if isinstance(item, Const) and item.value is None:
                dims.append(Dim.none() if declared and type(item) is Const else None)
                continue
            d = item.dim if isinstance(item, ParamV) else as_dim(item)  # `[None, h, w, 3]` in `def build(h, w)`
            dims.append(d)
        return dims
    return None


def declared_shape(value: Value, batch: bool) -> list[Dim | None] | None:
    """The shape of a model input or placeholder (`shape_of_value(declared=True)`); `batch`: the
    first entry is the batch axis, always None in the framework: it stays an unknown size."""
    dims = shape_of_value(value, declared=True)
    if batch and dims and dims[0] is not None and dims[0].is_none:
        dims[0] = None
    return dims


def shape_value(shape: tuple[Dim, ...] | None) -> Value:
    """`tf.shape(x)` as a Python list of sizes, where the rank is known."""
    if shape is None:
        return UNKNOWN
    return SeqV([int_value(d) for d in shape], is_tuple=True)
