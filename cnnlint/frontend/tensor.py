"""Tensors and arrays as values of the interpreter: a node of the model graph (`TensorV`) and a
static shape (`ShapeV`, TensorFlow's `TensorShape`), with Python's operators on them.

Every framework plugin makes its tensors as `TensorV`s (a NumPy array, a `tf.Tensor` and a Keras
tensor are all graph nodes); what the operators mean (`a + b` broadcasts, `a @ b` is a matrix
product, `x[0]` indexes, `y == 3` is a boolean array) is the same for all of them here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import libcst as cst

from cnnlint.frontend.names import canonical
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.join import Joiner
from cnnlint.frontend.python.values import (
    ELLIPSIS,
    UNKNOWN,
    BoundV,
    BuiltinV,
    Const,
    DimV,
    ModuleV,
    Naming,
    OpaqueV,
    ParamV,
    SeqV,
    SliceV,
    Value,
    as_dim,
    as_int,
    int_value,
    subscript_items,
)
from cnnlint.ir import Graph
from cnnlint.shapes import Dim


@dataclass(eq=False)
class TensorV(Value):
    """A tensor or array: a node of the current graph."""

    node: int
    hashed_by_identity = True

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        """Two tensors the branches of an `if` left in one variable: a `join` node of both, whose
        shape keeps the sizes they agree on (so a bug after the `if` is still seen)."""
        assert isinstance(other, TensorV)
        if self.node == other.node:
            return self
        interp, graph = joiner.interp, joiner.graph
        if interp is None or joiner.site is None or graph is None or graph is not interp.graph:
            return None
        if max(self.node, other.node) >= len(graph.nodes):
            return None
        if graph.nodes[self.node].shape is None or graph.nodes[other.node].shape is None:
            return None
        joined = TensorV(graph.add("join", "if/else", [self.node, other.node], {}, interp.loc(joiner.site)).id)
        joiner.made.append(joined)
        return joined

    def named(self, interp: Evaluator, name: str, how: Naming) -> None:
        interp.graph.label(self.node, name, len(interp.frames) + (1 if how == "entry" else 0))

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "shape":
            return ShapeV(interp.graph.nodes[self.node].shape)
        return None

    def subscript(self, interp: Evaluator, key: Value, site: cst.CSTNode | None) -> Value | None:
        return tensor_index(interp, self, key, site)

    def binop(self, interp: Evaluator, op: str, left: Value, right: Value, site: cst.CSTNode) -> Value | None:
        if op == "MatrixMultiply":
            return _binop_matmul(interp, left, right, site)
        if op in _BROADCASTING:
            return _binop_broadcast(interp, left, right, site)
        return UNKNOWN

    def unop(self, interp: Evaluator, op: str, site: cst.CSTNode) -> Value | None:
        return TensorV(interp.graph.add("identity", "-", [self.node], {}, interp.loc(site)).id)

    def compare(self, interp: Evaluator, op: str, left: Value, right: Value, site: cst.CSTNode) -> Value | None:
        return tensor_compare(interp, op, left, right, site)

    def element(self, interp: Evaluator, site: cst.CSTNode | None) -> Value | None:
        """A row, `x[i]`: what `for row in x` gives each time (the first axis dropped)."""
        if self.node >= len(interp.graph.nodes):
            return None
        loc = interp.loc(site) if site is not None else interp.graph.nodes[self.node].loc
        attrs = {"key": (("int", None),), **dtype_attrs(interp.graph, self.node)}
        return TensorV(interp.graph.add("index", "[i]", [self.node], attrs, loc).id)

    def mutated_by(self, method: str) -> bool:
        return False  # no method of an array or tensor changes its shape in place (`x.resize` aside)

    def length(self, interp: Evaluator) -> Value | None:
        shape = interp.graph.nodes[self.node].shape
        if not shape:
            return UNKNOWN
        return int_value(shape[0])


@dataclass(eq=False)
class ShapeV(Value):
    """A `TensorShape` (`x.shape`, `x.get_shape()`); None dims mean unknown rank."""

    dims: tuple[Dim, ...] | None

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        assert isinstance(other, ShapeV)
        return self if self.dims == other.dims else None

    def elements(self) -> list[Value] | None:
        return None if self.dims is None else [int_value(d) for d in self.dims]

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr in ("ndims", "rank"):
            return UNKNOWN if self.dims is None else Const(len(self.dims))
        if attr == "as_list":
            return _bound(self, attr, _as_list)
        return None

    def subscript(self, interp: Evaluator, key: Value, site: cst.CSTNode | None) -> Value | None:
        items = self.elements()
        if items is None:
            return UNKNOWN
        return subscript_items(items, key, lambda part: ShapeV(tuple(as_dim(v) or Dim.unknown() for v in part)))

    def binop(self, interp: Evaluator, op: str, left: Value, right: Value, site: cst.CSTNode) -> Value | None:
        if op == "Add" and isinstance(left, ShapeV) and isinstance(right, ShapeV):
            if left.dims is None or right.dims is None:
                return ShapeV(None)
            return ShapeV(left.dims + right.dims)
        return None


def through_opaque(interp: Evaluator, value: Value) -> Value:
    """`value`; for what a call cnnlint cannot follow returned (`custom_block(x)`, an `OpaqueV`)
    with tensors among its arguments, a tensor of unknown shape computed from them: an `opaque`
    node named after the call, so the graph stays connected (a model's layers after it are still
    its layers) and `shapes` can say where the shapes stopped being known."""
    if isinstance(value, ParamV):
        return parameter_tensor(interp, value)
    if not isinstance(value, OpaqueV):
        return value
    key = id(interp.graph)
    if key not in value.nodes:
        inputs: list[int] = []
        for argument in value.arguments:
            items = argument.items if isinstance(argument, SeqV) else (argument,)
            inputs += [item.node for item in items if isinstance(item, TensorV)]
        if not inputs or value.site is None:
            return value
        site = value.site
        shown = interp.code(site.func) if isinstance(site, cst.Call) else "call"
        value.nodes[key] = interp.graph.add("opaque", shown, inputs, {}, interp.loc(site)).id
    return TensorV(value.nodes[key])


def parameter_tensor(interp: Evaluator, param: ParamV) -> TensorV:
    """A parameter of a function nobody calls, used as a tensor: an input of unknown rank whose
    sizes are named after it (`x.shape[1]`) once an op fixes the rank."""
    key = id(interp.graph)
    if key not in param.nodes:
        attrs = {"shape": None, "kind": "parameter", **parameter_symbols(param, f"{param.name}.shape[{{}}]", 0)}
        param.nodes[key] = interp.graph.add("input", param.name, [], attrs, interp.loc(param.site)).id
    return TensorV(param.nodes[key])


def parameter_symbols(param: ParamV, template: str, first: int) -> dict[str, Any]:
    """The input attributes (`InputAttrs.parameter`) of an input made from `param`."""
    return {"parameter": f"{param.function}.{param.name}", "symbols": template, "symbols_from": first}


def _bound(value: Value, name: str, impl: Any) -> Value:
    return BoundV(BuiltinV(name, impl), value)


@dataclass(eq=False)
class UnknownSizeNone(Const):
    """`as_list()`'s None for a size cnnlint does not know (it may be a number): not a None the code
    declares, so a model input given this shape keeps the size unknown (`shape_of_value`)."""


def _as_list(interp: Evaluator, shape: ShapeV) -> Value:
    if shape.dims is None:
        return UNKNOWN
    return SeqV([int_value(d) if not d.has_anonymous or d.value is not None
                 else Const(None) if d.is_none else UnknownSizeNone(None) for d in shape.dims])


def value_shape(graph: Graph, value: Value | None) -> tuple[Dim, ...] | None:
    """The static shape of array-like data: a tensor's node shape or a literal list's; None when unknown."""
    if isinstance(value, TensorV):
        return graph.nodes[value.node].shape
    if value is None:
        return None
    return literal_shape(value)


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


_BROADCASTING = frozenset(("Add", "Subtract", "Multiply", "Divide", "FloorDivide", "Power", "Modulo"))


# -- indexing: `x[0]`, `x[:100]`, `x[..., None]`, `x[:, 0]`, `x[mask]`, `x[idx]` ------------------------
def _index_item(interp: Evaluator, part: Value, operands: list[int], nested: bool) -> tuple[Any, ...] | None:
    """One item of an index for the `index` op; operands collects index arrays. None: not understood."""
    if part is ELLIPSIS and not nested:
        return ("...",)
    if isinstance(part, Const) and part.value is None and not nested:
        return ("new",)
    if isinstance(part, ModuleV) and canonical(part.path) in ("numpy.newaxis", "tensorflow.newaxis") and not nested:
        return ("new",)
    if isinstance(part, SliceV) and not nested:
        bounds: list[int | None] = []
        for bound in (part.start, part.stop, part.step):
            n = as_int(bound)
            if n is None and not (isinstance(bound, Const) and bound.value is None):
                return ("slice?",)
            bounds.append(n)
        return ("slice", *bounds)
    n = as_int(part)
    if n is not None:
        return ("int", n)
    if isinstance(part, DimV):
        return ("int", None)
    if isinstance(part, TensorV):
        dtype = interp.graph.nodes[part.node].attrs.get("dtype")
        if dtype not in ("int", "bool"):
            return None  # an array of unknown type: an index array or a mask
        operands.append(part.node)
        return ("mask" if dtype == "bool" else "array", len(operands))
    if isinstance(part, SeqV) and (nested or not part.is_tuple):  # a list of integers is an index array
        shape = literal_shape(part)
        if shape is None or not shape or not _all_ints(part):
            return None
        return ("array", shape)
    return None


def _all_ints(value: Value) -> bool:
    if isinstance(value, SeqV):
        return all(_all_ints(v) for v in value.items)
    return as_int(value) is not None


def index_key(interp: Evaluator, key: Value | None, operands: list[int]) -> tuple[tuple[Any, ...], ...] | None:
    """A subscript as `index` op items (`x[a, b]` is `x[(a, b)]`), or None when not understood."""
    if key is None:
        return None
    parts = key.items if isinstance(key, SeqV) and key.is_tuple else [key]
    items = []
    for part in parts:
        item = _index_item(interp, part, operands, nested=False)
        if item is None and isinstance(part, SeqV) and part.is_tuple:
            item = _index_item(interp, part, operands, nested=True)
        if item is None:
            return None
        items.append(item)
    return tuple(items)


def _index_text(interp: Evaluator, site: cst.CSTNode | None) -> str:
    """The subscript as written (`[..., None]`), the name of its op in traces."""
    if not isinstance(site, cst.Subscript):
        return "[]"
    text = ", ".join(interp.code(element.slice) for element in site.slice)
    return f"[{text if len(text) <= 40 else text[:37] + '...'}]"


def tensor_index(interp: Evaluator, tensor: TensorV, key: Value | None, site: cst.CSTNode | None) -> Value:
    operands: list[int] = []
    items = index_key(interp, key, operands)
    loc = interp.loc(site) if site is not None else interp.graph.nodes[tensor.node].loc
    attrs = {"key": items, **dtype_attrs(interp.graph, tensor.node)}
    return TensorV(interp.graph.add("index", _index_text(interp, site), [tensor.node, *operands], attrs, loc).id)


def dtype_attrs(graph: Graph, node: int) -> dict[str, Any]:
    """The `dtype` attribute an array's parts keep (`y[0]` of integer labels is an integer)."""
    dtype = graph.nodes[node].attrs.get("dtype")
    return {"dtype": dtype} if dtype is not None else {}


_COMPARISONS = {"Equal": "==", "NotEqual": "!=", "LessThan": "<", "LessThanEqual": "<=", "GreaterThan": ">",
                "GreaterThanEqual": ">="}


def tensor_compare(interp: Evaluator, op: str, left: Value, right: Value, site: cst.CSTNode) -> Value | None:
    """`y == 3`, `a < b` on arrays: a boolean array (a mask for indexing)."""
    text = _COMPARISONS.get(op)
    if text is None:
        return None
    operands: list[int] = []
    for side in (left, right):
        if isinstance(side, TensorV):
            operands.append(side.node)
        elif not (isinstance(side, DimV) or (isinstance(side, Const) and isinstance(side.value, (int, float)))):
            return None
    node = interp.graph.add("compare", text, operands, {"fn": text, "dtype": "bool"}, interp.loc(site))
    return TensorV(node.id)


def _tensor_operand(interp: Evaluator, value: Value, site: cst.CSTNode) -> int | bool | None:
    """A node for a tensor operand, None for a scalar, False when unknown."""
    if isinstance(value, TensorV):
        return value.node
    if literal_shape(value) == () or as_dim(value) is not None:
        return None
    return False


def _binop_broadcast(interp: Evaluator, left: Value, right: Value, site: cst.CSTNode) -> Value:
    a, b = _tensor_operand(interp, left, site), _tensor_operand(interp, right, site)
    op = interp.code(site.operator).strip() if isinstance(site, cst.BinaryOperation) else "op"
    if a is False or b is False:
        inputs = [n for n in (a, b) if isinstance(n, int) and not isinstance(n, bool)]
        return TensorV(interp.graph.add("opaque", op, inputs, {}, interp.loc(site)).id)
    inputs = [n for n in (a, b) if n is not None and not isinstance(n, bool)]
    attrs: dict[str, Any] = {"fn": op}
    if op in ("+", "-", "*", "//", "%") and all(_integral(interp, v) for v in (left, right)):
        attrs["dtype"] = "int"  # `np.arange(n) % k` stays integers (an index array: `np.eye(k)[...]`)
    return TensorV(interp.graph.add("broadcast", op, inputs, attrs, interp.loc(site)).id)


def _integral(interp: Evaluator, value: Value) -> bool:
    if isinstance(value, TensorV):
        return interp.graph.nodes[value.node].attrs.get("dtype") == "int"
    return isinstance(value, Const) and isinstance(value.value, int) and not isinstance(value.value, bool)


def _binop_matmul(interp: Evaluator, left: Value, right: Value, site: cst.CSTNode) -> Value:
    a, b = _tensor_operand(interp, left, site), _tensor_operand(interp, right, site)
    inputs = [n if isinstance(n, int) and not isinstance(n, bool) else None for n in (a, b)]
    shapes = [interp.graph.nodes[n].shape if n is not None else None for n in inputs]
    if any(shape is not None and len(shape) < 2 for shape in shapes):
        # NumPy's `@` takes vectors (a dot product); tf.matmul does not: unknown, not a finding.
        known = [n for n in inputs if n is not None]
        return TensorV(interp.graph.add("opaque", "@", known, {}, interp.loc(site)).id)
    return TensorV(interp.graph.add("matmul", "@", inputs, {}, interp.loc(site)).id)
