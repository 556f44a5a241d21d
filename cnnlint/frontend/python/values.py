"""Abstract values of the interpreter: what a Python expression is known to evaluate to.

Anything not modelled is `UNKNOWN`, which silences every check that depends on it. The values
here are Python's own (numbers, strings, containers, functions, classes, objects, modules). A
framework plugin adds value types of its own (a tensor, a Keras model) as subclasses of `Value`
that override the hooks of the value protocol below; the interpreter calls those hooks and
never names a framework type.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, ClassVar, Literal

import libcst as cst

from cnnlint.shapes import Dim

if TYPE_CHECKING:
    from cnnlint.frontend.python.evaluator import Evaluator
    from cnnlint.frontend.python.join import Joiner
    from cnnlint.frontend.python.scope import Scope

# How a value came to be named: `x = v` (a variable), `self.x = v` (an attribute), `d[k] = v`
# (an item), `{k: v}` (an entry of a dict literal, a name weaker than the variable's).
Naming = Literal["variable", "attribute", "item", "entry"]
Sources = dict[str | int, cst.BaseExpression]


class Value:
    """Base class of abstract values, and the value protocol a framework's value type implements.

    Every hook's default says "not known" (None, or no effect); the interpreter turns that into
    UNKNOWN. Hooks receive the interpreter (`Evaluator`) for the graph, locations and calls.
    """

    # A value Python hashes by identity (a tensor used as a dict key, as in a TF1 `feed_dict`).
    hashed_by_identity: ClassVar[bool] = False
    # A mutable value whose contents an unknown loop or call may change in place (a model that
    # layers are added to): `forget` is called on it where a container would become UNKNOWN.
    forgettable: ClassVar[bool] = False

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        """This value and `other`, the values of one variable after two branches: what both
        agree on (`joiner(a, b)` joins parts), or None for UNKNOWN. Called with `self is not other`
        and `type(self) is type(other)`."""
        return None

    def copy(self, memo: dict[int, Value]) -> Value:
        """A copy for one branch of a fork (a mutable value must not be shared by both)."""
        return self

    def forget(self) -> None:
        """An unknown loop or call may have changed this value in place: lose what is known."""

    def truth(self) -> bool | None:
        return None

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        return None

    def subscript(self, interp: Evaluator, key: Value, site: cst.CSTNode | None) -> Value | None:
        return None

    def binop(self, interp: Evaluator, op: str, left: Value, right: Value, site: cst.CSTNode) -> Value | None:
        """`left op right` where this value is one of the two operands (it is asked first when
        it is the left one)."""
        return None

    def unop(self, interp: Evaluator, op: str, site: cst.CSTNode) -> Value | None:
        """`-x`, `+x`, `~x`, or `abs(x)` (op "Abs")."""
        return None

    def compare(self, interp: Evaluator, op: str, left: Value, right: Value, site: cst.CSTNode) -> Value | None:
        """An element-wise comparison (`y == 3` on an array), or None to compare as Python does."""
        return None

    def length(self, interp: Evaluator) -> Value | None:
        return None

    def elements(self) -> list[Value] | None:
        """The values iterating over it gives, where known."""
        return None

    def element(self, interp: Evaluator, site: cst.CSTNode | None) -> Value | None:
        """One value that describes every value iterating over it gives, where their number is
        unknown (a row `x[i]` of an array, a batch of a dataset), or None where not known. A loop
        of unknown trip count binds its target to this for its one abstract pass."""
        return None

    def as_array(self, interp: Evaluator, site: cst.CSTNode | None) -> Value | None:
        """The array `np.array(v)` / `np.asarray(v)` makes of this value (a Pillow image, a pandas
        DataFrame), where the value's library knows it; None where not known."""
        return None

    def enter(self, interp: Evaluator) -> Value | None:
        """What `with v as name:` binds (`v.__enter__()`), where known: a Pillow image or a
        session gives itself; None (UNKNOWN) for any other context manager."""
        return None

    def mutated_by(self, method: str) -> bool:
        """Whether calling `method` on this value may change it in place (an unknown loop that
        calls it makes the value forget what is known). Framework values name their read-only
        methods (`fit`, `predict`, `summary`); anything else may mutate."""
        return True

    def call(
        self, interp: Evaluator, args: list[Value], kwargs: dict[str, Value],
        site: cst.CSTNode | None, sources: Sources,
    ) -> Value | None:
        return None

    def named(self, interp: Evaluator, name: str, how: Naming) -> None:
        """The program gave this value a name (`x = v`, `self.x = v`, `d["k"] = v`)."""


class _Unknown(Value):
    def __repr__(self) -> str:
        return "UNKNOWN"


UNKNOWN: Value = _Unknown()


class OpaqueV(_Unknown):
    """What a call cnnlint cannot follow returns (a function of a module it cannot see, a method
    of an unknown object): unknown like UNKNOWN in every use, but it remembers the arguments it
    was computed from and the call, so a framework can keep a graph connected through it (a layer
    applied to `custom_block(x)` comes after `x`, with an unknown shape in between) and say why
    its shapes stop being known. Never joined with anything but UNKNOWN."""

    def __init__(self, arguments: tuple[Value, ...], site: cst.CSTNode | None) -> None:
        self.arguments = arguments
        self.site = site
        self.nodes: dict[int, int] = {}  # graph id -> the opaque node made for it (one per graph)

    def __repr__(self) -> str:
        return "UNKNOWN(opaque call)"


class ParamV(_Unknown):
    """A parameter without a value: an argument a function nobody calls is analysed without
    (`def block(x, filters)`). Unknown like UNKNOWN in every use; a framework may read it as a
    tensor or a shape of unknown sizes, named after the parameter, with the rank the first op
    applied to it takes (docs/project.md, "Builders nobody calls")."""

    def __init__(self, function: str, name: str, site: cst.CSTNode) -> None:
        self.function = function
        self.name = name
        self.site = site
        self.nodes: dict[int, int] = {}  # graph id -> the input node made for it
        self._dim: Dim | None = None

    def __repr__(self) -> str:
        return f"UNKNOWN(parameter {self.function}.{self.name})"

    @property
    def dim(self) -> Dim:
        """The parameter read as a size (`Conv2D(filters, 3)`): one symbol, the same at every use."""
        if self._dim is None:
            self._dim = Dim.parameter(self.name)
        return self._dim


def opaque(args: list[Value], kwargs: dict[str, Value], site: cst.CSTNode | None) -> Value:
    """The result of a call that cannot be followed: an `OpaqueV` when it had arguments."""
    if site is None or not (args or kwargs):
        return UNKNOWN
    return OpaqueV((*args, *kwargs.values()), site)


class _Ellipsis(Value):
    def __repr__(self) -> str:
        return "Ellipsis"


ELLIPSIS: Value = _Ellipsis()  # `...`, as in `x[..., None]`


@dataclass(eq=False)
class Const(Value):
    """A known Python scalar: int, float, str, bool, None."""

    value: int | float | str | bool | None


@dataclass(eq=False)
class DefaultNone(Const):
    """`None` as the default of a parameter of a function no code in the file calls: a None like
    any other, except that a shape built from it is not a None the code declares (a caller
    usually passes the size; `frontend/library.py` `shape_of_value`)."""


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
class ListOfV(Value):
    """A list (or tuple) of unknown length whose every item is described by `item`: a list grown
    by `append` in a loop of unknown trip count, a comprehension over an unknown iterable,
    `range(n)` with `n` unknown. `item` is None while no item is known to exist (the list may be
    empty), UNKNOWN where the items are not all known alike."""

    item: Value | None
    is_tuple: bool = False

    def element(self, interp: Evaluator, site: cst.CSTNode | None) -> Value | None:
        return self.item

    def subscript(self, interp: Evaluator, key: Value, site: cst.CSTNode | None) -> Value | None:
        if isinstance(key, SliceV):
            return ListOfV(self.item, self.is_tuple)
        return self.item  # `xs[0]`, `xs[-1]`, `xs[i]`: one of the items (if there is one)

    def mutated_by(self, method: str) -> bool:
        return method not in ("index", "count", "copy")

@dataclass(eq=False)
class GeneratorV(ListOfV):
    """What calling a generator function gives: an iterator of unknown length whose every item is
    described by `item` (the values its body yields, joined). Frameworks that take a generator of
    batches (Keras `fit(gen)`, `fit_generator`) read each item as one batch."""


@dataclass(eq=False)
class DictV(Value):
    items: dict[Any, Value]


@dataclass(eq=False)
class ObjectKeyedDictV(Value):
    """A dict literal keyed by values that hash by identity (`{x: batch_x, y: batch_y}` with
    tensors `x` and `y`: a TF1 `feed_dict`). `entries` are (key, value, the value's source text);
    not a DictV, so nothing reads it as one."""

    entries: list[tuple[Value, Value, str]]


@dataclass(eq=False)
class SliceV(Value):
    start: Value
    stop: Value
    step: Value


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
    site: cst.CSTNode | None = None  # the call that made it (`MyLayer(10)`), where known


@dataclass(eq=False)
class BoundV(Value):
    func: Value
    self_value: Value


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


def as_size(value: Value) -> int | Dim | None:
    """A layer's size argument (`units`, `filters`): an int, or a symbol for a parameter nobody
    passes (`ParamV`)."""
    n = as_int(value)
    if n is None and isinstance(value, ParamV):
        return value.dim
    return n


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
    if isinstance(value, (FuncV, ClassV, ModuleV, BuiltinV, BoundV)):
        return True
    return value.truth()


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


def class_lookup(cls: ClassV, attr: str) -> Value | None:
    """An attribute of a user class, found through its bases as Python's MRO would (depth first)."""
    if attr in cls.methods:
        return cls.methods[attr]
    for base in cls.bases:
        if isinstance(base, ClassV):
            found = class_lookup(base, attr)
            if found is not None:
                return found
    return None


def key_value(key: Any) -> Value:
    """A dict key (a Python literal) as a value again."""
    if isinstance(key, tuple):
        return SeqV([key_value(k) for k in key], is_tuple=True)
    return Const(key)


def bound_method(methods: Mapping[tuple[type[Value], str], Callable[..., Value]], value: Value,
                 attr: str) -> Value | None:
    """`value.attr` as a method of a table keyed by (value type, name), bound to `value`; None if absent."""
    impl = methods.get((type(value), attr))
    return None if impl is None else BoundV(BuiltinV(attr, impl), value)


def subscript_items(items: list[Value], key: Value, make: Callable[[list[Value]], Value]) -> Value:
    """`items[key]` for an index or a slice of known bounds; `make` builds the sliced value."""
    if isinstance(key, SliceV):
        bounds = [opt_int(v) for v in (key.start, key.stop, key.step)]
        if any(b is False for b in bounds):
            return UNKNOWN
        return make(list(items[slice(*bounds)]))
    index = as_int(key)
    if index is None or not -len(items) <= index < len(items):
        return UNKNOWN
    return items[index]


def opt_int(value: Value) -> int | bool | None:
    """An int, None for an omitted bound, False when unknown."""
    if isinstance(value, Const) and value.value is None:
        return None
    n = as_int(value)
    return False if n is None else n
