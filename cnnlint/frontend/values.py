"""Abstract values of the interpreter: what a Python expression is known to evaluate to.

Anything not modelled is `UNKNOWN`, which silences every check that depends on it.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst

from cnnlint.shapes import Dim

if TYPE_CHECKING:
    from cnnlint.frontend.interp import Scope
    from cnnlint.ir import Graph, Model


class Value:
    """Base class of abstract values."""


class _Unknown(Value):
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Value = _Unknown()


class _Ellipsis(Value):
    def __repr__(self) -> str:
        return "Ellipsis"


ELLIPSIS: Value = _Ellipsis()  # `...`, as in `x[..., None]`


@dataclass(eq=False)
class Const(Value):
    """A known Python scalar: int, float, str, bool, None."""

    value: int | float | str | bool | None


@dataclass(eq=False)
class DimV(Value):
    """A symbolic integer (e.g. `x.shape[1]` where that axis is symbolic)."""

    dim: Dim


@dataclass(eq=False)
class SeqV(Value):
    """A list or tuple (lists are mutable, as in Python)."""

    items: list[Value]
    is_tuple: bool = False


@dataclass(eq=False)
class DictV(Value):
    items: dict[Any, Value]


@dataclass(eq=False)
class FeedDictV(Value):
    """A dict literal keyed by tensors (`{x: batch_x, y: batch_y}`): a TF1 `feed_dict`.
    `entries` are (key, value, the value's source text); not a DictV, so nothing reads it as one."""

    entries: list[tuple[Value, Value, str]]


@dataclass(eq=False)
class SliceV(Value):
    start: Value
    stop: Value
    step: Value


@dataclass(eq=False)
class TensorV(Value):
    """A tensor or array: a node of the current graph."""

    node: int


@dataclass(eq=False)
class ShapeV(Value):
    """A `TensorShape` (`x.shape`, `x.get_shape()`); None dims mean unknown rank."""

    dims: tuple[Dim, ...] | None


@dataclass(eq=False)
class ModuleV(Value):
    """A module or an attribute path inside one (`tensorflow.nn.conv2d`)."""

    path: str


@dataclass(eq=False)
class FuncV(Value):
    """A user function or lambda, with the scope it closes over."""

    node: cst.FunctionDef | cst.Lambda
    scope: Scope
    name: str
    defaults: dict[str, Value] = field(default_factory=dict)


@dataclass(eq=False)
class BuiltinV(Value):
    """A Python builtin or a method of a modelled value, implemented by the interpreter."""

    name: str
    impl: Callable[..., Value]


@dataclass(eq=False)
class ClassV(Value):
    name: str
    bases: list[Value]
    methods: dict[str, Value]
    node: cst.ClassDef


@dataclass(eq=False)
class ObjectV(Value):
    cls: ClassV
    attrs: dict[str, Value] = field(default_factory=dict)


@dataclass(eq=False)
class BoundV(Value):
    func: Value
    self_value: Value


@dataclass(eq=False)
class LayerV(Value):
    """A Keras layer object: its class, bound constructor arguments and where it was made."""

    kind: str
    args: dict[str, Value]
    shown: str
    site: cst.CSTNode | None
    sources: dict[str, str] = field(default_factory=dict)
    name: str = ""
    # Where the layer was last applied: (input node, op, attrs), for weights given later.
    applied: tuple[int, str, dict[str, Any]] | None = None
    # The arguments mean different things in different Keras versions: its output is unknown.
    version_dependent: bool = False


@dataclass(eq=False)
class SequentialV(Value):
    """A Keras `Sequential` model; `output` is None until its input shape is known."""

    layers: list[Value]
    model: Model
    output: Value | None = None
    graph: Graph | None = None
    # False once its layer list is not known exactly (built from an unknown list, `add`ed to in
    # a loop of unknown length or on one branch of an unknown `if`): applying it gives an unknown
    # output, never the layers that happen to be known.
    complete: bool = True

    def lose_contents(self) -> None:
        self.complete = False
        self.output = UNKNOWN


@dataclass(eq=False)
class FunctionalV(Value):
    """A functional Keras `Model(inputs, outputs)`: the graph nodes between them."""

    inputs: list[int]
    outputs: Value
    model: Model


def as_int(value: Value) -> int | None:
    if isinstance(value, Const) and isinstance(value.value, int) and not isinstance(value.value, bool):
        return value.value
    if isinstance(value, DimV):
        return value.dim.value
    return None


def as_dim(value: Value) -> Dim | None:
    """The value as a dimension, if it is an integer (known or symbolic)."""
    if isinstance(value, DimV):
        return value.dim
    n = as_int(value)
    if n is not None:
        return Dim.const(n)
    if isinstance(value, Const) and isinstance(value.value, float) and value.value.is_integer():
        return Dim.const(int(value.value))
    return None


def int_value(dim: Dim) -> Value:
    """A dimension as a value: a plain int when constant."""
    n = dim.value
    return Const(n) if n is not None else DimV(dim)


def as_str(value: Value) -> str | None:
    if isinstance(value, Const) and isinstance(value.value, str):
        return value.value
    return None


def as_bool(value: Value) -> bool | None:
    """Python truthiness, where known."""
    if isinstance(value, Const):
        return bool(value.value)
    if isinstance(value, SeqV):
        return bool(value.items)
    if isinstance(value, DictV):
        return bool(value.items)
    if isinstance(value, DimV):
        lo, hi = value.dim.bounds()
        if lo > 0 or hi < 0:
            return True
        return None
    if isinstance(value, (FuncV, ClassV, ModuleV, BuiltinV, TensorV, ObjectV, BoundV)):
        return None if isinstance(value, (TensorV, ObjectV)) else True
    return None


def py_literal(value: Value) -> Any:
    """The value as a plain Python object for hashing as a dict key, or a sentinel."""
    if isinstance(value, Const):
        return value.value
    if isinstance(value, SeqV) and value.is_tuple:
        items = tuple(py_literal(v) for v in value.items)
        return _NOKEY if _NOKEY in items else items
    return _NOKEY


class _NoKey:
    pass


_NOKEY = _NoKey()
NOKEY: Any = _NOKEY
