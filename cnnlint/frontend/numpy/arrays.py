"""NumPy arrays with literal shapes, NumPy's array functions and methods (reshape, stack, reductions, ...)
and the `math` / `numpy` scalar helpers used in size arithmetic."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import TYPE_CHECKING

from cnnlint.frontend.library import Call, call_library, shape_of_value
from cnnlint.frontend.losses_common import note_reduction
from cnnlint.frontend.numpy.literals import note_literal
from cnnlint.frontend.numpy.registry import api
from cnnlint.frontend.python.values import (
    UNKNOWN,
    BuiltinV,
    Const,
    DimV,
    ListOfV,
    SeqV,
    Value,
    as_dim,
    as_int,
    int_value,
)
from cnnlint.frontend.tensor import TensorV, dtype_attrs, literal_shape
from cnnlint.frontend.tensorflow.nn import axes_argument
from cnnlint.shapes import Dim
from cnnlint.shapes.dim import product

if TYPE_CHECKING:
    from cnnlint.frontend.python.evaluator import Evaluator
    from cnnlint.frontend.python.join import Joiner

NP = "numpy"


def _array(c: Call, shape: list[Dim | None] | None, dtype: str | None = None) -> Value:
    """A new array; `dtype` "int" / "bool" where indexing with it depends on it."""
    return c.add("input", [], {"shape": shape, "kind": "array", **({"dtype": dtype} if dtype else {})})


@api(f"{NP}.zeros", f"{NP}.ones", f"{NP}.empty", f"{NP}.full", params="shape")
def filled(c: Call) -> Value:
    return _array(c, c.shape_arg("shape"))


@api(f"{NP}.random.randn", f"{NP}.random.rand", params="")
def random_dims(c: Call) -> Value:
    dims = [as_dim(v) for v in c.extra]
    return _array(c, list(dims))


@api(f"{NP}.random.random", f"{NP}.random.random_sample", f"{NP}.random.sample", f"{NP}.random.standard_normal",
     f"{NP}.random.Generator.random", f"{NP}.random.Generator.standard_normal", params="size")
def random_size(c: Call) -> Value:
    return _array(c, c.shape_arg("size") if c.has("size") else [])


@api(f"{NP}.random.normal", f"{NP}.random.uniform", params="loc scale size", aliases={"low": "loc", "high": "scale"})
def random_distribution(c: Call) -> Value:
    return _array(c, c.shape_arg("size") if c.has("size") else [])


@api(f"{NP}.random.randint", f"{NP}.random.Generator.integers", params="low high size")
def randint(c: Call) -> Value:
    return _array(c, c.shape_arg("size") if c.has("size") else [], "int")


@api(f"{NP}.array", f"{NP}.asarray", f"{NP}.asanyarray", f"{NP}.ascontiguousarray", params="object dtype")
def array(c: Call) -> Value:
    given = c.get("object")
    value = _converted(c, given)
    if isinstance(value, TensorV):
        return value if value is not given else c.add("identity", [value.node], {})
    if isinstance(value, SeqV) and value.items:
        items = [_converted(c, v) for v in value.items]
        if all(isinstance(v, TensorV) for v in items):
            return c.add("stack", [v.node for v in items if isinstance(v, TensorV)], {"axis": 0})
    if isinstance(value, ListOfV):
        return _stacked_rows(c, value, 0)
    shape = literal_shape(value)
    made = _array(c, None if shape is None else list(shape))
    if not c.has("dtype"):
        note_literal(c.interp, made, value)  # `to_categorical` reads an int literal's largest value
    return made


def _converted(c: Call, value: Value) -> Value:
    """The array NumPy makes of a library value (a Pillow image: `Value.as_array`), else the value."""
    if isinstance(value, (TensorV, SeqV, ListOfV, Const)):
        return value
    converted = value.as_array(c.interp, c.site)
    return value if converted is None else converted


def _item_node(c: Call, items: ListOfV) -> int | None:
    """One item of a list of unknown length as a graph node (None where its items are not known alike)."""
    item = items.item
    if item is None or item is UNKNOWN:
        return None
    return c.interp_tensor(_converted(c, item))


def _stacked_rows(c: Call, items: ListOfV, axis: int) -> Value:
    """`np.array(xs)` / `np.stack(xs, axis)` of a list of unknown length: the item's shape with a new
    axis of unknown size at `axis`."""
    node = _item_node(c, items)
    rank = c.rank_of(node)
    if node is None or rank is None:
        return _array(c, None)
    at = axis + rank + 1 if axis < 0 else axis
    if not 0 <= at <= rank:
        return c.opaque([node])
    expanded = c.add("expand_dims", [node], {"axis": at})
    return c.add("index", [expanded.node], {"key": (*[("slice", None, None, None)] * at, ("slice?",)),
                                             **dtype_attrs(c.interp.graph, node)})


def _joined_rows(c: Call, items: ListOfV, axis: int) -> Value:
    """`np.concatenate(xs, axis)` of a list of unknown length: the item's shape, `axis` of unknown size."""
    node = _item_node(c, items)
    rank = c.rank_of(node)
    if node is None or rank is None:
        return _array(c, None)
    at = axis + rank if axis < 0 else axis
    if not 0 <= at < rank:
        return c.opaque([node])
    return c.add("index", [node], {"key": (*[("slice", None, None, None)] * at, ("slice?",)),
                                   **dtype_attrs(c.interp.graph, node)})


@api(f"{NP}.eye", params="N M k dtype")
def eye(c: Call) -> Value:
    """`np.eye(n)` is (n, n), `np.eye(n, m)` (n, m): indexed by class numbers, it one-hots them."""
    n = as_dim(c.get("N"))
    m = as_dim(c.get("M")) if c.has("M") and not _is_none(c.get("M")) else n
    return _array(c, [n, m])


@api(f"{NP}.identity", params="n dtype")
def identity(c: Call) -> Value:
    n = as_dim(c.get("n"))
    return _array(c, [n, n])


# -- random generators: `np.random.default_rng(seed)`, `np.random.RandomState(seed)` --------------------
_GENERATOR_METHODS = {name: f"{NP}.random.Generator.{name}" for name in
                      ("random", "standard_normal", "integers", "choice")}
_GENERATOR_METHODS.update({name: f"{NP}.random.{name}" for name in ("uniform", "normal", "permutation")})
_RANDOM_STATE_METHODS = {name: f"{NP}.random.{name}" for name in
                         ("rand", "randn", "randint", "random", "random_sample", "sample", "standard_normal",
                          "uniform", "normal", "choice", "permutation")}


@dataclass(eq=False)
class RandomGeneratorV(Value):
    """A NumPy random generator: `default_rng(seed)` (a `Generator`) or, `legacy`, a `RandomState`.
    Its methods make arrays as the functions of `np.random` of the same names do."""

    legacy: bool

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        assert isinstance(other, RandomGeneratorV)
        return self if self.legacy == other.legacy else None

    def mutated_by(self, method: str) -> bool:
        return False  # drawing numbers changes no shape

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "shuffle":  # in place: the array keeps its shape
            return BuiltinV(attr, lambda _interp, *args, **kwargs: Const(None))
        path = (_RANDOM_STATE_METHODS if self.legacy else _GENERATOR_METHODS).get(attr)
        if path is None:
            return None
        name = path

        def method(interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
            return call_library(interp, name, list(args), kwargs, interp.call_site)

        return BuiltinV(attr, method)


@api(f"{NP}.random.default_rng", f"{NP}.random.Generator", params="seed")
def default_rng(c: Call) -> Value:
    return RandomGeneratorV(legacy=False)


@api(f"{NP}.random.RandomState", params="seed")
def random_state(c: Call) -> Value:
    return RandomGeneratorV(legacy=True)


@api(f"{NP}.random.Generator.choice", params="a size replace p axis shuffle")
def generator_choice(c: Call) -> Value:
    """`rng.choice(a, size)`: `size` items of `a` (rows of an array, along `axis` 0)."""
    a = c.get("a")
    size = c.shape_arg("size") if c.has("size") and not _is_none(c.get("size")) else []
    if not isinstance(a, TensorV):
        return _array(c, size, "int" if as_int(a) is not None else None)
    shape = c.interp.graph.nodes[a.node].shape
    if size is None or shape is None or not shape or c.int_arg("axis", 0) != 0:
        return c.opaque([a.node])
    dtype = c.interp.graph.nodes[a.node].attrs.get("dtype")
    return _array(c, [*size, *shape[1:]], dtype if isinstance(dtype, str) else None)


@api("random.randint", "random.randrange", params="a b step")
def python_random_int(c: Call) -> Value:
    """Python's `random.randint(a, b)` / `randrange(...)`: some int, unknown (a list of them has a
    shape: `np.array([random.randint(0, 9) for _ in range(50)])` is `(50,)`)."""
    return DimV(Dim.unknown())


@api("math.ceil", f"{NP}.ceil", params="x")
def ceil(c: Call) -> Value:
    value = c.get("x")
    if isinstance(value, Const) and isinstance(value.value, (int, float)) and math.isfinite(value.value):
        return Const(math.ceil(value.value))
    return UNKNOWN


@api("math.floor", f"{NP}.floor", params="x")
def floor(c: Call) -> Value:
    value = c.get("x")
    if isinstance(value, Const) and isinstance(value.value, (int, float)) and math.isfinite(value.value):
        return Const(math.floor(value.value))
    return UNKNOWN


@api("math.prod", f"{NP}.prod", f"{NP}.product", params="a")
def prod(c: Call) -> Value:
    items = c.interp.iterate(c.get("a"))
    if items is None:
        return UNKNOWN
    dims = [as_dim(v) for v in items]
    if any(d is None for d in dims):
        return UNKNOWN
    return int_value(product([d for d in dims if d is not None]))


@api("functools.reduce", params="function iterable initial")
def reduce(c: Call) -> Value:
    items = c.interp.iterate(c.get("iterable"))
    if items is None:
        return UNKNOWN
    if c.has("initial"):
        items = [c.get("initial"), *items]
    if not items:
        return UNKNOWN
    acc = items[0]
    for item in items[1:]:
        acc = c.interp.call(c.get("function"), [acc, item], {})
    return acc


@api("operator.mul", params="a b")
def mul(c: Call) -> Value:
    return c.interp.binop("Multiply", c.get("a"), c.get("b"), c.site) if c.site is not None else UNKNOWN


@api("math.sqrt", params="x")
def sqrt(c: Call) -> Value:
    value = c.get("x")
    if isinstance(value, Const) and isinstance(value.value, (int, float)) and value.value >= 0:
        return Const(math.sqrt(value.value))
    return UNKNOWN


# -- element-wise functions: `np.square(a)` keeps a's shape, `np.subtract(a, b)` broadcasts as `a - b` --------
@api(f"{NP}.square", f"{NP}.abs", f"{NP}.absolute", f"{NP}.fabs", f"{NP}.sqrt", f"{NP}.exp", f"{NP}.log",
     f"{NP}.log1p", f"{NP}.log2", f"{NP}.log10", f"{NP}.negative", f"{NP}.sign", f"{NP}.tanh", params="x")
def unary(c: Call) -> Value:
    """An array of x's shape; of a plain number, the number where it is `np.sqrt` of one (size arithmetic).
    Other values stay unknown: a pandas object gives a pandas object."""
    value = c.get("x")
    if isinstance(value, Const):
        return sqrt(c) if c.path == f"{NP}.sqrt" else UNKNOWN
    node = c.tensor("x")
    return UNKNOWN if node is None else c.add("identity", [node], {})


_BINARY = ("add", "subtract", "multiply", "divide", "true_divide", "floor_divide", "power", "maximum", "minimum")
_COMPARE = {"equal": "==", "not_equal": "!=", "less": "<", "less_equal": "<=", "greater": ">",
            "greater_equal": ">="}


def _operands(c: Call) -> list[int | None]:
    """The array operands of `x1`, `x2` as nodes (plain numbers left out, as `a - 2` leaves them);
    None in the list for an operand not known (a pandas object gives a pandas object)."""
    nodes: list[int | None] = []
    for name in ("x1", "x2"):
        value = c.get(name)
        if isinstance(value, TensorV):
            nodes.append(value.node)
        elif literal_shape(value) == () or as_dim(value) is not None:
            continue
        elif literal_shape(value) is not None:
            nodes.append(c.interp_tensor(value))
        else:
            nodes.append(None)
    return nodes


@api(*(f"{NP}.{name}" for name in (*_BINARY, *_COMPARE)), params="x1 x2")
def binary(c: Call) -> Value:
    """NumPy's two-operand ufuncs: the broadcast of both shapes (a boolean array for comparisons)."""
    nodes = _operands(c)
    fn = c.path.rsplit(".", 1)[-1]
    if not nodes or None in nodes:
        return UNKNOWN  # two plain numbers, or an operand not known (maybe a pandas object)
    if fn in _COMPARE:
        return c.add("compare", nodes, {"fn": _COMPARE[fn], "dtype": "bool"})
    return c.add("broadcast", nodes, {"fn": fn})



@api("functools.partial", params="func")
def partial(c: Call) -> Value:
    """`partial(layers.Conv2D, padding="same")`: a callable with some arguments bound."""
    func = c.get("func")
    bound_args = list(c.extra)
    bound_kwargs = {k: v for k, v in c.args.items() if k != "func"}

    def call(interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
        return interp.call(func, [*bound_args, *args], {**bound_kwargs, **kwargs}, interp.call_site)

    return BuiltinV(f"partial({c.interp.code(c.source_nodes['func']) if 'func' in c.source_nodes else ''})", call)


# -- NumPy array functions: each one registry op, with NumPy's argument rules ----------------------
def _rank(c: Call, node: int | None) -> int | None:
    return c.rank_of(node)


@api(f"{NP}.reshape", params="a shape order", aliases={"newshape": "shape"})
def reshape(c: Call) -> Value:
    target = c.get("shape")
    shape = None if isinstance(target, TensorV) or not c.has("shape") else shape_of_value(target)
    return c.add("reshape", [c.tensor("a")], {"shape": shape})


@api(f"{NP}.expand_dims", params="a axis")
def expand_dims(c: Call) -> Value:
    x = c.tensor("a")
    axes = axes_argument(c.get("axis"))
    if not isinstance(axes, list) or not axes:
        return c.opaque([x])
    if len(axes) == 1:
        return c.add("expand_dims", [x], {"axis": axes[0]})
    rank = _rank(c, x)
    if rank is None:
        return c.opaque([x])
    out_rank = rank + len(axes)
    normal = sorted(a % out_rank for a in axes if -out_rank <= a < out_rank)
    if len(set(normal)) != len(axes):
        return c.opaque([x])  # NumPy raises: an axis out of range or repeated
    result = TensorV(x) if x is not None else c.opaque()
    for axis in normal:  # in increasing order, each new axis lands where NumPy puts it
        result = c.add("expand_dims", [result.node], {"axis": axis})
    return result


@api(f"{NP}.squeeze", params="a axis")
def squeeze(c: Call) -> Value:
    axes = axes_argument(c.get("axis", Const(None)))
    if axes is False:
        return c.opaque([c.tensor("a")])
    return c.add("squeeze", [c.tensor("a")], {"axis": axes})


@api(f"{NP}.transpose", params="a axes")
def transpose(c: Call) -> Value:
    x = c.tensor("a")
    axes = axes_argument(c.get("axes", Const(None)))
    if axes is False:
        return c.opaque([x])
    if isinstance(axes, list):
        rank = _rank(c, x)
        if rank is not None:
            axes = [a + rank if -rank <= a < 0 else a for a in axes]
    return c.add("transpose", [x], {"perm": axes})


def _arrays(c: Call, name: str) -> list[int | None] | None:
    items = c.interp.iterate(c.get(name))
    if not items:
        return None
    return [c.interp_tensor(_converted(c, v)) for v in items]


def _list_of(c: Call, name: str) -> ListOfV | None:
    """The argument where it is a list of unknown length (arrays appended in a loop)."""
    value = c.get(name)
    return value if isinstance(value, ListOfV) else None


@api(f"{NP}.stack", "tensorflow.stack", params="arrays axis", aliases={"values": "arrays"})
def stack(c: Call) -> Value:
    axis = c.int_arg("axis", 0)
    rows = _list_of(c, "arrays")
    if rows is not None and axis is not None:
        return _stacked_rows(c, rows, axis)
    nodes = _arrays(c, "arrays")
    if nodes is None or axis is None:
        return c.opaque(nodes)
    return c.add("stack", nodes, {"axis": axis})


@api(f"{NP}.concatenate", f"{NP}.concat", params="arrays axis")
def concatenate(c: Call) -> Value:
    axis = c.int_arg("axis", 0)
    rows = _list_of(c, "arrays")
    if rows is not None and axis is not None:
        return _joined_rows(c, rows, axis)
    nodes = _arrays(c, "arrays")
    if nodes is None or axis is None:  # `axis=None` flattens first
        return c.opaque(nodes)
    return c.add("concat", nodes, {"axis": axis})


@api(f"{NP}.vstack", f"{NP}.row_stack", params="tup")
def vstack(c: Call) -> Value:
    rows = _list_of(c, "tup")
    if rows is not None:  # 1-D items are rows: (?, n); others are joined on axis 0
        rank = c.rank_of(_item_node(c, rows))
        return _stacked_rows(c, rows, 0) if rank == 1 else _joined_rows(c, rows, 0) if rank else _array(c, None)
    nodes = _arrays(c, "tup")
    return c.add("vstack", nodes, {}) if nodes is not None else c.opaque()


@api(f"{NP}.hstack", params="tup")
def hstack(c: Call) -> Value:
    rows = _list_of(c, "tup")
    if rows is not None:  # 1-D items are joined end to end, others along axis 1
        rank = c.rank_of(_item_node(c, rows))
        return _joined_rows(c, rows, 0 if rank == 1 else 1) if rank else _array(c, None)
    nodes = _arrays(c, "tup")
    return c.add("hstack", nodes, {}) if nodes is not None else c.opaque()


def _reduce(c: Call, dtype: str | None = None) -> Value:
    x = c.tensor("a")
    axes = axes_argument(c.get("axis", Const(None)))
    keep = c.bool_arg("keepdims")
    if axes is False or keep is None:
        return c.opaque([x])
    return c.add("reduce", [x], {"axis": axes, "keepdims": keep, **({"dtype": dtype} if dtype else {})})


@api(f"{NP}.mean", f"{NP}.sum", f"{NP}.max", f"{NP}.min", f"{NP}.amax", f"{NP}.amin", f"{NP}.std",
     f"{NP}.var", f"{NP}.median", params="a axis")
def reduction(c: Call) -> Value:
    folded = _fold_numbers(c)
    if folded is not None:
        return folded
    result = _reduce(c)
    fn = c.path.rsplit(".", 1)[-1]
    if fn in ("mean", "sum") and isinstance(result, TensorV) and c.interp.graph.nodes[result.node].op == "reduce":
        # a hand-written metric, `np.mean((y - p) ** 2)`, `(np.argmax(p, 1) == y).mean()` (CNN015)
        note_reduction(c.interp, result, accuracy=True, numpy=True)
    return result


def _fold_numbers(c: Call) -> Value | None:
    """`np.max([h, w])` of plain numbers, over all axes: the number (size arithmetic)."""
    value, fn = c.get("a"), c.path.rsplit(".", 1)[-1]
    if not isinstance(value, SeqV) or not value.items or c.has("axis") or fn not in ("sum", "max", "min", "amax",
                                                                                      "amin"):
        return None
    numbers = [v.value for v in value.items if isinstance(v, Const) and isinstance(v.value, (int, float))
               and not isinstance(v.value, bool)]
    if len(numbers) != len(value.items):
        return None
    return Const(sum(numbers) if fn == "sum" else max(numbers) if fn.endswith("max") else min(numbers))


@api(f"{NP}.argmax", f"{NP}.argmin", params="a axis out keepdims")
def argmax(c: Call) -> Value:
    return _reduce(c, "int")


@api(f"{NP}.arange", params="start stop step")
def arange(c: Call) -> Value:
    """`np.arange` of integers: (len(range(start, stop, step)),)."""
    bounds = [c.get(name) for name in ("start", "stop", "step") if c.has(name)]
    if len(bounds) == 1:
        size = as_dim(bounds[0])
        if size is not None and size.value is None:
            return _array(c, [size], "int")  # np.arange(len(x)) for a symbolic length
    ints = [as_int(v) for v in bounds]
    if not bounds or any(i is None for i in ints) or ints[2:3] == [0]:
        return c.opaque()
    try:
        n = len(range(*[i for i in ints if i is not None]))
    except OverflowError:
        return c.opaque()
    return _array(c, [Dim.const(n)], "int")


@api(f"{NP}.random.permutation", params="x")
def permutation(c: Call) -> Value:
    """`np.random.permutation(n)`: the integers below n in some order; of an array: shuffled rows."""
    value = c.get("x")
    if isinstance(value, TensorV):
        return c.add("identity", [value.node], {})
    size = as_dim(value)
    return _array(c, [size] if size is not None else None, "int")


@api(f"{NP}.random.choice", params="a size replace p")
def choice(c: Call) -> Value:
    """`np.random.choice(n, size)` of integers; of a 1-D array, items of its type."""
    a = c.get("a")
    shape = c.shape_arg("size") if c.has("size") and not _is_none(c.get("size")) else []
    dtype = c.interp.graph.nodes[a.node].attrs.get("dtype") if isinstance(a, TensorV) else None
    return _array(c, shape, "int" if as_int(a) is not None else dtype if isinstance(dtype, str) else None)


def _is_none(value: Value) -> bool:
    return isinstance(value, Const) and value.value is None


from cnnlint.frontend.numpy import readers  # noqa: E402, F401  (it fills the table; plugin.py imports this module)
