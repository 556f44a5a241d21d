"""Array methods and properties (`x.ndim`, `x.T`, `x.reshape(...)`, `x.mean(axis=0)`, `x.size`),
as NumPy defines them; TensorFlow's eager tensors share most of them."""

from __future__ import annotations

from collections.abc import Callable

from cnnlint.frontend.library import call_library, shape_of_value
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import UNKNOWN, BuiltinV, Const, ModuleV, SeqV, Value, int_value
from cnnlint.frontend.tensor import TensorV
from cnnlint.ir import Loc
from cnnlint.shapes.dim import product

NP = "numpy"


def _ndim(interp: Evaluator, tensor: TensorV) -> Value:
    shape_ = interp.graph.nodes[tensor.node].shape
    return UNKNOWN if shape_ is None else Const(len(shape_))


def _transpose_attr(interp: Evaluator, tensor: TensorV) -> Value:
    return TensorV(interp.graph.add("transpose", ".T", [tensor.node], {"perm": None}, _site_loc(interp, tensor)).id)


def _site_loc(interp: Evaluator, tensor: TensorV) -> Loc:
    site = interp.call_site
    return interp.loc(site) if site is not None else interp.graph.nodes[tensor.node].loc


def _astype(interp: Evaluator, tensor: TensorV) -> Value:
    """`array.astype(dtype)` keeps the shape; an integer or boolean type is kept for indexing
    (`np.eye(10)[y.astype(int)]`)."""
    def apply(_interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
        kind = _dtype_kind(args[0] if args else kwargs.get("dtype", UNKNOWN))
        loc = _site_loc(interp, tensor)
        if kind is None:
            return TensorV(interp.graph.add("identity", ".astype", [tensor.node], {}, loc).id)
        return TensorV(interp.graph.add("index", ".astype", [tensor.node], {"key": (("...",),), "dtype": kind},
                                        loc).id)

    return BuiltinV("astype", apply)


_INT_TYPES = frozenset(("int", "int8", "int16", "int32", "int64", "uint8", "uint16", "uint32", "uint64", "intp",
                        "uint", "long", "longlong", "i4", "i8", "u1"))


def _dtype_kind(value: Value) -> str | None:
    """"int" / "bool" for an integer or boolean dtype (`"int32"`, `np.int64`, `int`), else None."""
    name = value.value if isinstance(value, Const) and isinstance(value.value, str) else None
    if isinstance(value, ModuleV):
        name = value.path.rsplit(".", 1)[-1]
    elif isinstance(value, BuiltinV):
        name = value.name
    if name is None:
        return None
    name = name.removeprefix("np.")
    return "bool" if name in ("bool", "bool_") else "int" if name in _INT_TYPES else None


def _reshape_method(interp: Evaluator, tensor: TensorV) -> Value:
    """NumPy's `array.reshape(a, b)` / `array.reshape((a, b))`; integer arrays stay integers."""
    def apply(_interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
        target: Value = args[0] if len(args) == 1 else SeqV(list(args), is_tuple=True)
        shape_ = None if isinstance(target, TensorV) or not args else shape_of_value(target)
        loc = _site_loc(interp, tensor)
        reshaped = interp.graph.add("reshape", ".reshape", [tensor.node], {"shape": shape_}, loc)
        dtype = interp.graph.nodes[tensor.node].attrs.get("dtype")
        if dtype not in ("int", "bool") or reshaped.shape is None:
            return TensorV(reshaped.id)
        return TensorV(interp.graph.add("index", ".reshape", [reshaped.id], {"key": (("...",),), "dtype": dtype},
                                        loc).id)

    return BuiltinV("reshape", apply)


# -- array methods (`x.mean(axis=0)`, `x.transpose(1, 0)`, `x.size`): the functions above ----------
def _method(path: str, star: bool = False) -> Callable[[Evaluator, TensorV], Value]:
    """`x.name(...)` as `numpy.name(x, ...)`; `star`: `x.transpose(1, 0)` also means `axes=(1, 0)`."""
    def attribute(interp: Evaluator, tensor: TensorV) -> Value:
        def call(_interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
            rest = [SeqV(list(args), is_tuple=True)] if star and len(args) > 1 else list(args)
            return call_library(interp, path, [tensor, *rest], kwargs, interp.call_site)

        return BuiltinV(path.rsplit(".", 1)[-1], call)

    return attribute


def _flatten_method(interp: Evaluator, tensor: TensorV) -> Value:
    def call(_interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
        return call_library(interp, f"{NP}.reshape", [tensor, Const(-1)], {}, interp.call_site)

    return BuiltinV("flatten", call)


def _copy_method(interp: Evaluator, tensor: TensorV) -> Value:
    return BuiltinV("copy", lambda _interp, *args, **kwargs: call_library(
        interp, f"{NP}.array", [tensor], {}, interp.call_site))


def _size(interp: Evaluator, tensor: TensorV) -> Value:
    shape = interp.graph.nodes[tensor.node].shape
    return UNKNOWN if shape is None else int_value(product(list(shape)))


TENSOR_ATTRIBUTES: dict[str, Callable[[Evaluator, TensorV], Value]] = {
    "ndim": _ndim, "T": _transpose_attr, "astype": _astype, "reshape": _reshape_method,
    **{name: _method(f"{NP}.{name}") for name in
       ("mean", "sum", "max", "min", "std", "var", "argmax", "argmin", "squeeze")},
    "transpose": _method(f"{NP}.transpose", star=True),
    "flatten": _flatten_method, "ravel": _flatten_method, "copy": _copy_method, "size": _size,
}
