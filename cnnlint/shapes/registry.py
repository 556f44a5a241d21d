"""The op table: each op declared once (`OpDecl`) with its attributes, shape function, weights.

Like TensorFlow's `REGISTER_OP("Conv2D").Attr(...).SetShapeFn(...)`, a front end only translates a
call into an op name and attributes; the declaration checks the attributes and decides the output
shape or reports a typed problem, the parameter count and the weight shapes.
"""

from __future__ import annotations

import importlib
import types
import typing
from collections.abc import Callable, Iterator, Mapping, MutableMapping, Sequence
from dataclasses import dataclass, fields
from typing import ClassVar, Generic, Protocol, TypeAlias, TypeGuard, TypeVar

from cnnlint.shapes.dim import Dim

Shape = tuple[Dim, ...]
MaybeShape = Shape | None

# What an attribute holds, as the front ends give it (`Node.attrs`): sizes, flags, names, and
# sequences of them (per-axis values, padding pairs, index keys) or the attributes of an inner op.
AttrValue: TypeAlias = Dim | int | float | str | bool | Sequence["AttrValue"] | Mapping[str, "AttrValue"] | None
Attrs: TypeAlias = Mapping[str, AttrValue]


class AttrError(Exception):
    """An op that is not declared, or an attribute its declaration does not have (a front-end bug)."""


# -- problems ----------------------------------------------------------------------------------
# Problem kinds. Rules select the kinds they report; the shape engine never formats text.
RANK = "rank"
CHANNELS = "channels"
NON_POSITIVE = "non-positive"
STRIDED_REMAINDER = "strided-remainder"
FLATTEN_SIZE = "flatten-size"
RESHAPE_SIZE = "reshape-size"
INNER_DIM = "inner-dim"
MERGE = "merge"
WEIGHT_SHAPE = "weight-shape"
BUILT_AXIS = "built-axis"

DETAILS: dict[str, type[ProblemDetails]] = {}


@dataclass(frozen=True, kw_only=True)
class ProblemDetails:
    """The facts a rule needs to explain one problem: one subclass per kind, declared next to the op
    family that emits it (`Rank` here, since every family checks ranks)."""

    kind: ClassVar[str]

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        if "kind" in cls.__dict__:
            DETAILS[cls.kind] = cls


@dataclass(frozen=True, kw_only=True)
class Rank(ProblemDetails):
    """An operand of the wrong rank; `expected` is a rank or a bound ("2", ">= 3", "> 1")."""

    kind = RANK
    operand: str  # input, left, right, kernel, bias
    expected: str
    got: int
    shape: Shape
    built: bool = False  # the rank a reused Keras layer's first call built (`OpAttrs.built_rank`)


@dataclass(frozen=True, kw_only=True)
class BuiltAxis(ProblemDetails):
    """A reused Keras layer given another size on an axis its first call built it for (its
    `InputSpec(axes={axis: size})`: a normalisation's channels, a depthwise kernel's)."""

    kind = BUILT_AXIS
    axis: int
    expected: int
    got: Dim
    shape: Shape


@dataclass(frozen=True)
class Problem:
    """A shape fact that makes the op fail (`fatal`) or look suspicious (not fatal)."""

    details: ProblemDetails
    fatal: bool = True

    @property
    def kind(self) -> str:
        return self.details.kind


@dataclass(frozen=True)
class Result:
    shape: MaybeShape
    problems: tuple[Problem, ...] = ()

    @property
    def fatal(self) -> bool:
        return any(p.fatal for p in self.problems)


def fail(problem: ProblemDetails | str, **fields: object) -> Result:
    """The result of an op that cannot run: an unknown output and one fatal problem.

    `fail(kind, **fields)` builds the details of that kind from field names (for a test that
    stands in for a shape function).
    """
    if isinstance(problem, str):
        make = typing.cast(Callable[..., ProblemDetails], DETAILS[problem])
        problem = make(**fields)
    return Result(None, (Problem(problem),))


def check_rank(shape: Shape, expected: int, operand: str) -> Result | None:
    if len(shape) != expected:
        return fail(Rank(operand=operand, expected=str(expected), got=len(shape), shape=shape))
    return None


def rank_at_least(shape: Shape, minimum: int, operand: str = "input") -> Result | None:
    if len(shape) < minimum:
        return fail(Rank(operand=operand, expected=f">= {minimum}", got=len(shape), shape=shape))
    return None


# -- declarations ------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class OpAttrs:
    """The attributes of an op: each op subclasses this with its fields, their types and defaults.

    Front ends give attributes as a mapping (`Node.attrs`); `OpDecl.parse` turns it into the op's
    dataclass, refusing a name the op does not have or a value of the wrong kind.

    Two attributes every op has, for the weights of a Keras layer applied as it: `keras_version`,
    the target Keras before Keras 3 (`"1.2.2"`, `"2.21"`; None: Keras 3), whose layers build
    other weights (Keras 1's layouts and names, Keras 2's `depthwise_kernel`), and `trainable`
    (False: made with `trainable=False`, every weight non-trainable).
    """

    keras_version: str | None = None
    trainable: bool = True
    # A Keras layer applied again: the `InputSpec` its first call's `build` set, checked before the
    # op as Keras's `__call__` does (cnnlint/frontend/keras/input_specs.py): the input's rank and
    # the sizes of some axes (`built_sizes[i]` along `built_axes[i]`).
    built_rank: int | None = None
    built_axes: Sequence[int] = ()
    built_sizes: Sequence[int] = ()

    @property
    def keras_major(self) -> int:
        return 3 if self.keras_version is None else int(self.keras_version.split(".")[0])

    @property
    def keras1(self) -> bool:
        return self.keras_major == 1


@dataclass(frozen=True, kw_only=True)
class NoAttrs(OpAttrs):
    """The attributes of an op that has none of its own."""


@dataclass(frozen=True)
class Weight:
    """One variable a Keras layer builds, as `layer.weights` lists it: its name (`kernel`; Keras 1's
    `W`), shape, and whether training updates it (`trainable_weights`) or not (moving statistics)."""

    name: str
    shape: Shape
    trainable: bool = True

    @property
    def size(self) -> Dim:
        out = Dim.const(1)
        for d in self.shape:
            out = out * d
        return out


@dataclass(frozen=True)
class Formula:
    """The arithmetic behind one size an op computes, with the numbers filled in, for a learner:
    `what` names it (`height`, `features`, `params`), `text` is the working (`SAME: ceil(28 / 2) =
    14`), `axis` is the output axis it gives (None: the parameter count), and `value` is the
    number the working ends in (None where a size is not known)."""

    what: str
    text: str
    axis: int | None = None
    value: int | None = None


A = TypeVar("A", bound=OpAttrs)


@dataclass(frozen=True)
class OpDecl(Generic[A]):
    """Everything cnnlint knows of one op.

    `shape` maps input shapes and attributes to a `Result`; `params` counts the weights of a
    Keras layer applied as this op (None: it has none); `weights` lists the variables the layer
    builds, in `layer.weights` (and `get_weights()`) order, where the code fixes them (None from
    it: unknown; no `weights` and no `params`: the op has none); `not_rebuildable` says why `--confirm`'s worker has no
    TensorFlow rebuild for it (None: it has one, keyed by `name`, checked by the tests).
    """

    name: str
    attrs: type[A]
    shape: Callable[[Sequence[MaybeShape], A], Result]
    params: Callable[[Sequence[MaybeShape], A, MaybeShape], Dim | None] | None = None
    weights: Callable[[Sequence[MaybeShape], A], list[Weight] | None] | None = None
    not_rebuildable: str | None = None
    # The working behind the output's sizes and the parameter count (`Formula`s; cnnlint shapes
    # --explain, the failing step of a trace): written next to the shape function it follows.
    explain: Callable[[Sequence[MaybeShape], A], list[Formula]] | None = None
    explain_params: Callable[[Sequence[MaybeShape], A], list[Formula]] | None = None

    def parse(self, attrs: Mapping[str, object]) -> A:
        """The op's attribute dataclass; AttrError for a name it does not have or a value of the wrong kind."""
        allowed = attr_types(self.attrs)
        for key, value in attrs.items():
            kinds = allowed.get(key)
            if kinds is None:
                known = ", ".join(sorted(allowed)) or "none"
                raise AttrError(f"op {self.name!r} has no attribute {key!r} (its attributes: {known})")
            if not isinstance(value, kinds):
                wanted = " | ".join(sorted({k.__name__ for k in kinds}))
                raise AttrError(f"attribute {key!r} of op {self.name!r} is a {type(value).__name__} ({value!r}), "
                                f"not {wanted}")
        try:
            # The values were checked against the annotations just above.
            return typing.cast(Callable[..., A], self.attrs)(**attrs)
        except TypeError as error:  # a required attribute is missing
            raise AttrError(f"op {self.name!r}: {error}") from None

    def shape_of(self, inputs: Sequence[MaybeShape], attrs: OpAttrs) -> Result:
        assert isinstance(attrs, self.attrs), (self.name, attrs)
        return self.shape(inputs, attrs)

    def count_params(self, inputs: Sequence[MaybeShape], attrs: Mapping[str, object], output: MaybeShape) -> Dim | None:
        parsed = self.parse(attrs)
        return Dim.const(0) if self.params is None else self.params(inputs, parsed, output)

    def layer_weights(self, inputs: Sequence[MaybeShape], attrs: Mapping[str, object]) -> list[Weight] | None:
        parsed = self.parse(attrs)
        if self.weights is None:
            return [] if self.params is None else None
        found = self.weights(inputs, parsed)
        if found is None or parsed.trainable:
            return found
        return [Weight(w.name, w.shape, trainable=False) for w in found]

    def weight_shapes(self, inputs: Sequence[MaybeShape], attrs: Mapping[str, object]) -> list[Shape] | None:
        parsed = self.parse(attrs)
        found = None if self.weights is None else self.weights(inputs, parsed)
        return None if found is None else [w.shape for w in found]

    def formulas(self, inputs: Sequence[MaybeShape], attrs: Mapping[str, object], params: bool) -> list[Formula]:
        parsed = self.parse(attrs)
        hook = self.explain_params if params else self.explain
        return [] if hook is None else hook(inputs, parsed)


class Op(Protocol):
    """A declaration, whatever its attribute class: what the table holds."""

    @property
    def name(self) -> str: ...

    @property
    def not_rebuildable(self) -> str | None: ...

    def parse(self, attrs: Mapping[str, object]) -> OpAttrs: ...

    def shape_of(self, inputs: Sequence[MaybeShape], attrs: OpAttrs) -> Result: ...

    def count_params(
        self, inputs: Sequence[MaybeShape], attrs: Mapping[str, object], output: MaybeShape
    ) -> Dim | None: ...

    def layer_weights(self, inputs: Sequence[MaybeShape], attrs: Mapping[str, object]) -> list[Weight] | None: ...

    def weight_shapes(self, inputs: Sequence[MaybeShape], attrs: Mapping[str, object]) -> list[Shape] | None: ...

    def formulas(self, inputs: Sequence[MaybeShape], attrs: Mapping[str, object], params: bool) -> list[Formula]: ...


ShapeFn = Callable[[Sequence[MaybeShape], OpAttrs], Result]

# Which family module of `shapes/ops/` declares which ops. A family is imported on the first lookup
# of one of its ops (a small model needs a few of them), all of them by `declare_all()` or by going
# through a table; tests/test_op_declarations.py holds this table to the modules' `declare` calls.
FAMILIES: dict[str, tuple[str, ...]] = {
    "backbone": ("backbone",),
    "basic": ("input", "opaque", "join", "identity", "custom_layer"),
    "convolution": ("conv", "depthwise_conv", "conv_transpose", "pool"),
    "data": ("index", "compare", "stack", "vstack", "hstack", "batch", "to_categorical", "pad_sequences"),
    "dense": ("matmul", "dense"),
    "feature_map": ("upsample", "crop", "resize", "pad"),
    "merge": ("broadcast", "bias_add", "concat"),
    "recurrent": ("rnn", "embedding", "time_distributed"),
    "reshape": ("reshape", "flatten", "transpose", "expand_dims", "squeeze", "reduce", "repeat_vector"),
    "weights": ("set_weights", "initial_value"),
}
DECLARED_IN: dict[str, str] = {op: family for family, ops in FAMILIES.items() for op in ops}

V = TypeVar("V")


class OpTable(MutableMapping[str, V]):
    """A table keyed by op name, filled by `declare` as the families are imported: looking an op up
    imports the family that declares it (`DECLARED_IN`); iterating or counting imports them all."""

    def __init__(self) -> None:
        self.declared: dict[str, V] = {}

    def __getitem__(self, op: str) -> V:
        found = self.declared.get(op)
        if found is None and _load_family(op):
            found = self.declared.get(op)
        if found is None:
            raise KeyError(op)
        return found

    def __setitem__(self, op: str, value: V) -> None:
        self.declared[op] = value

    def __delitem__(self, op: str) -> None:
        del self.declared[op]

    def __iter__(self) -> Iterator[str]:
        declare_all()
        return iter(self.declared)

    def __len__(self) -> int:
        declare_all()
        return len(self.declared)


OPS: OpTable[Op] = OpTable()
# The shape function `infer` calls for each op, filled from the declarations (a test may stand in one).
REGISTRY: OpTable[ShapeFn] = OpTable()


def _load_family(op: str) -> bool:
    """Import the family that declares `op`; False for an op no family declares."""
    family = DECLARED_IN.get(op)
    if family is None:
        return False
    importlib.import_module(f"cnnlint.shapes.ops.{family}")
    return True


def declare_all() -> None:
    """Import every op family, for what needs the whole table (the catalog, docs, tests)."""
    for family in FAMILIES:
        importlib.import_module(f"cnnlint.shapes.ops.{family}")


def declare(decl: OpDecl[A]) -> OpDecl[A]:
    if decl.name in OPS.declared:
        raise AttrError(f"op {decl.name!r} is declared twice")
    attr_types(decl.attrs)  # an annotation the check cannot read fails at import, not at the first use
    OPS.declared[decl.name] = decl
    REGISTRY.declared[decl.name] = decl.shape_of
    return decl


def declaration(op: str) -> Op:
    found = OPS.declared.get(op)
    if found is None and _load_family(op):
        found = OPS.declared.get(op)
    if found is None:
        raise AttrError(f"op {op!r} is not declared (declared ops: {', '.join(sorted(OPS))})")
    return found


# Ops whose input rank the op itself fixes: a Keras `Conv2D` takes rank 4 and nothing else, so on
# an input of unknown rank (a builder's parameter, analysed with no caller) the input is read as
# that rank with unknown sizes, and what holds for every size is still checked (its output's
# channels meet a merge; a `Flatten` is rank 2 whatever comes in). A program where the input has
# another rank fails at this op anyway. Ops whose rank comes from their input (`rank` None, as
# `tf.nn.conv2d`, which takes extra batch axes) are left unknown.
RANKED_INPUT = frozenset({"conv", "depthwise_conv", "conv_transpose", "pool"})


def input_rank(op: str, attrs: Mapping[str, object]) -> int | None:
    """The rank `op` takes as its first input, where the op fixes it (see RANKED_INPUT)."""
    if op not in RANKED_INPUT:
        return None
    rank = getattr(declaration(op).parse(attrs), "rank", None)
    return rank + 2 if isinstance(rank, int) and rank >= 1 else None


def _assumed_input(op: str, inputs: Sequence[MaybeShape], parsed: object) -> Sequence[MaybeShape]:
    if not inputs or inputs[0] is not None or op not in RANKED_INPUT:
        return inputs
    rank = getattr(parsed, "rank", None)
    if not isinstance(rank, int) or rank < 1:
        return inputs
    return [tuple(Dim.unknown() for _ in range(rank + 2)), *inputs[1:]]


def _built_spec(inputs: Sequence[MaybeShape], parsed: OpAttrs) -> Result | None:
    """What the `InputSpec` a reused layer's first call built refuses (Keras: "expected ndim=3,
    found ndim=2", "expected axis -1 of input shape to have value 4"); None: nothing certain."""
    x = inputs[0] if inputs else None
    if x is None:
        return None
    if parsed.built_rank is not None and len(x) != parsed.built_rank:
        return fail(Rank(operand="input", expected=str(parsed.built_rank), got=len(x), shape=x, built=True))
    for axis, size in zip(parsed.built_axes, parsed.built_sizes, strict=True):
        if -len(x) <= axis < len(x) and x[axis].value is not None and x[axis].value != size:
            return fail(BuiltAxis(axis=axis, expected=size, got=x[axis], shape=x))
    return None


def infer(op: str, inputs: Sequence[MaybeShape], attrs: Mapping[str, object], assume_rank: bool = True) -> Result:
    """Run the shape function of `op` on its attributes, checked against its declaration;
    `assume_rank`: read an input of unknown rank as the rank the op takes (not after a failure)."""
    parsed = declaration(op).parse(attrs)
    refused = _built_spec(inputs, parsed)
    if refused is not None:
        return refused
    if assume_rank and op == "flatten" and inputs and inputs[0] is None:
        return Result((Dim.unknown(), Dim.unknown()))  # rank 2 whatever its input's rank
    result = REGISTRY[op](_assumed_input(op, inputs, parsed) if assume_rank else inputs, parsed)
    if result.fatal:
        # After an error the output is unknown, so one bug gives one finding, not a cascade.
        return Result(None, result.problems)
    return result


def count_params(op: str, inputs: Sequence[MaybeShape], attrs: Mapping[str, object], output: MaybeShape) -> Dim | None:
    """Weights a Keras layer applied as `op` owns: 0 for ops without weights, None when unknown."""
    return declaration(op).count_params(inputs, attrs, output)


def weight_shapes(op: str, inputs: Sequence[MaybeShape], attrs: Mapping[str, object]) -> list[Shape] | None:
    """The shapes `get_weights()` returns for a layer applied as `op`, where the code fixes them."""
    return declaration(op).weight_shapes(inputs, attrs)


def layer_weights(op: str, inputs: Sequence[MaybeShape], attrs: Mapping[str, object]) -> list[Weight] | None:
    """The variables a Keras layer applied as `op` builds (names, shapes, trainable), in
    `layer.weights` order; [] for a layer without weights, None when they are not known."""
    return declaration(op).layer_weights(inputs, attrs)


def explain(op: str, inputs: Sequence[MaybeShape], attrs: Mapping[str, object], params: bool = True) -> list[Formula]:
    """The working behind the output sizes of `op` on `inputs` (and, with `params`, its parameter
    count); [] for an op without formulas. Written from the inputs, so it also shows how a failing
    op goes wrong (`floor((2 - 3) / 1) + 1 = 0`)."""
    decl = declaration(op)
    return decl.formulas(inputs, attrs, False) + (decl.formulas(inputs, attrs, True) if params else [])


# -- attribute checks --------------------------------------------------------------------------
def attr_values(op: str, attrs: Mapping[str, object]) -> dict[str, AttrValue]:
    """The attributes of a node, each checked to be an `AttrValue` (what a graph may hold)."""
    out: dict[str, AttrValue] = {}
    for key, value in attrs.items():
        if not is_attr_value(value):
            raise AttrError(f"attribute {key!r} of op {op!r} holds {value!r}, which is no attribute value")
        out[key] = value
    return out


def is_attr_value(value: object) -> TypeGuard[AttrValue]:
    if value is None or isinstance(value, (Dim, int, float, str)):
        return True
    if isinstance(value, (list, tuple)):
        return all(is_attr_value(v) for v in value)
    if isinstance(value, Mapping):
        return all(isinstance(k, str) and is_attr_value(v) for k, v in value.items())
    return False


_ATTR_TYPES: dict[type[OpAttrs], dict[str, tuple[type, ...]]] = {}


def attr_types(cls: type[OpAttrs]) -> dict[str, tuple[type, ...]]:
    """Attribute name -> the Python types its value may have, read from the dataclass annotations.

    Coarse on purpose: a `Sequence[...]` is any list or tuple, whatever it holds.
    """
    found = _ATTR_TYPES.get(cls)
    if found is None:
        hints = typing.get_type_hints(cls)
        found = _ATTR_TYPES[cls] = {f.name: _runtime_types(hints[f.name]) for f in fields(cls)}
    return found


def _runtime_types(hint: object) -> tuple[type, ...]:
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        return tuple(t for arg in typing.get_args(hint) for t in _runtime_types(arg))
    if origin is typing.Literal:
        return tuple({type(v) for v in typing.get_args(hint)})
    if origin is Sequence:
        return (list, tuple)
    if isinstance(origin, type):  # list[...], tuple[...], Mapping[...]
        return (origin,)
    if hint is float:
        return (int, float)
    if isinstance(hint, type):
        return (hint,)
    raise TypeError(f"attribute annotation {hint!r} has no runtime check")
