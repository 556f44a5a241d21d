"""NumPy arrays with literal shapes and the `math` / `numpy` scalar helpers used in size arithmetic."""

from __future__ import annotations

import math
from typing import TYPE_CHECKING

from cnnlint.frontend.api import Call, api, literal_shape
from cnnlint.frontend.values import UNKNOWN, BuiltinV, Const, TensorV, Value, as_dim, int_value
from cnnlint.shapes import Dim
from cnnlint.shapes.dim import product

if TYPE_CHECKING:
    from cnnlint.frontend.interp import Interpreter

NP = "numpy"


def _array(c: Call, shape: list[Dim | None] | None) -> Value:
    return c.add("input", [], {"shape": shape, "kind": "array"})


@api(f"{NP}.zeros", f"{NP}.ones", f"{NP}.empty", f"{NP}.full", params="shape")
def filled(c: Call) -> Value:
    return _array(c, c.shape_arg("shape"))


@api(f"{NP}.random.randn", f"{NP}.random.rand", params="")
def random_dims(c: Call) -> Value:
    dims = [as_dim(v) for v in c.extra]
    return _array(c, list(dims))


@api(f"{NP}.random.random", f"{NP}.random.random_sample", f"{NP}.random.sample", params="size")
def random_size(c: Call) -> Value:
    return _array(c, c.shape_arg("size") if c.has("size") else [])


@api(f"{NP}.random.normal", f"{NP}.random.uniform", params="loc scale size", aliases={"low": "loc", "high": "scale"})
def random_distribution(c: Call) -> Value:
    return _array(c, c.shape_arg("size") if c.has("size") else [])


@api(f"{NP}.random.randint", params="low high size")
def randint(c: Call) -> Value:
    return _array(c, c.shape_arg("size") if c.has("size") else [])


@api(f"{NP}.array", f"{NP}.asarray", params="object dtype")
def array(c: Call) -> Value:
    value = c.get("object")
    if isinstance(value, TensorV):
        return c.add("identity", [value.node], {})
    shape = literal_shape(value)
    return _array(c, None if shape is None else list(shape))


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


@api("math.sqrt", f"{NP}.sqrt", params="x")
def sqrt(c: Call) -> Value:
    value = c.get("x")
    if isinstance(value, Const) and isinstance(value.value, (int, float)) and value.value >= 0:
        return Const(math.sqrt(value.value))
    return UNKNOWN



@api("functools.partial", params="func")
def partial(c: Call) -> Value:
    """`partial(layers.Conv2D, padding="same")`: a callable with some arguments bound."""
    func = c.get("func")
    bound_args = list(c.extra)
    bound_kwargs = {k: v for k, v in c.args.items() if k != "func"}

    def call(interp: Interpreter, *args: Value, **kwargs: Value) -> Value:
        return interp.call(func, [*bound_args, *args], {**bound_kwargs, **kwargs}, interp.call_site)

    return BuiltinV(f"partial({c.interp.code(c.source_nodes['func']) if 'func' in c.source_nodes else ''})", call)
