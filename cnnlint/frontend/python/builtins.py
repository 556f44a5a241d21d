"""Python's builtins (`range`, `len`, `zip`, ...) and the methods of its containers, on abstract values."""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from cnnlint.frontend.python.folding import formattable
from cnnlint.frontend.python.join import Joiner, join_items
from cnnlint.frontend.python.limits import MAX_ITEMS, MAX_UNROLL
from cnnlint.frontend.python.supercall import builtin_super
from cnnlint.frontend.python.values import (
    NOKEY,
    UNKNOWN,
    BuiltinV,
    Const,
    DictV,
    DimV,
    ListOfV,
    SeqV,
    Value,
    as_dim,
    as_int,
    int_value,
    key_value,
    py_literal,
)
from cnnlint.shapes import Dim

if TYPE_CHECKING:
    from cnnlint.frontend.python.evaluator import Evaluator


def havoc_value(container: Value) -> None:
    """Every item of a list or dict becomes UNKNOWN (something unknown was stored in it)."""
    if isinstance(container, DictV):
        for k in container.items:
            container.items[k] = UNKNOWN
    elif isinstance(container, SeqV):
        container.items[:] = [UNKNOWN] * len(container.items)


_ZERO: Value = Const(0)
_ZERO_F: Value = Const(0.0)
_MINUS_ONE: Value = Const(-1)
_NONE: Value = Const(None)


def _b_range(interp: Evaluator, *args: Value) -> Value:
    ints = [as_int(a) for a in args]
    if not ints or len(ints) > 3:
        return UNKNOWN
    if any(i is None for i in ints):
        return ListOfV(UNKNOWN, is_tuple=True)  # `range(n)`, n unknown: some ints
    try:
        r = range(*ints)  # type: ignore[arg-type]
        if len(r) > MAX_UNROLL * 4:  # OverflowError past sys.maxsize items
            return UNKNOWN
    except (ValueError, OverflowError):  # a zero step
        return UNKNOWN
    return SeqV([Const(i) for i in r], is_tuple=True)


def _b_len(interp: Evaluator, value: Value) -> Value:
    """`len(v)` is `v.__len__()`: a value's own length first (a DataFrame's rows, though iterating
    it gives its column labels), else the number of items iterating gives."""
    length = value.length(interp)
    if length is not None:
        return length
    items = interp.iterate(value)
    return UNKNOWN if items is None else Const(len(items))


def _b_int(interp: Evaluator, value: Value = _ZERO, *rest: Value) -> Value:
    if rest:
        return UNKNOWN
    if isinstance(value, Const) and isinstance(value.value, (int, float)) and not isinstance(value.value, bool):
        if isinstance(value.value, float) and not math.isfinite(value.value):
            return UNKNOWN
        return Const(int(value.value))
    if isinstance(value, Const) and isinstance(value.value, str):
        try:
            return Const(int(value.value))
        except ValueError:
            return UNKNOWN
    if isinstance(value, DimV):
        return value
    return UNKNOWN


def _b_float(interp: Evaluator, value: Value = _ZERO_F) -> Value:
    if isinstance(value, Const) and isinstance(value.value, (int, float)):
        return Const(float(value.value))
    return UNKNOWN


def _unknown_length(interp: Evaluator, value: Value, is_tuple: bool) -> Value:
    """A list of `value`'s items where their number is unknown: a `ListOfV` of what describes
    each, or UNKNOWN where nothing does."""
    item = interp.summarize(value, interp.call_site)
    if item is None and not isinstance(value, ListOfV):
        return UNKNOWN
    return ListOfV(item, is_tuple)


def _b_list(interp: Evaluator, value: Value | None = None) -> Value:
    if value is None:
        return SeqV([])
    items = interp.iterate(value)
    return _unknown_length(interp, value, False) if items is None else SeqV(items)


def _b_tuple(interp: Evaluator, value: Value | None = None) -> Value:
    if value is None:
        return SeqV([], is_tuple=True)
    items = interp.iterate(value)
    return _unknown_length(interp, value, True) if items is None else SeqV(items, is_tuple=True)


def _b_dict(interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
    if args:
        return UNKNOWN
    return DictV(dict(kwargs))


def _b_enumerate(interp: Evaluator, value: Value, start: Value = _ZERO) -> Value:
    items = interp.iterate(value)
    first = as_int(start)
    if items is None or first is None:
        item = interp.summarize(value, interp.call_site)
        if item is None:
            return UNKNOWN
        return ListOfV(SeqV([UNKNOWN, item], True), True)  # (an int, each item)
    return SeqV([SeqV([Const(first + i), v], True) for i, v in enumerate(items)], True)


def _b_zip(interp: Evaluator, *values: Value) -> Value:
    lists = [interp.iterate(v) for v in values]
    if any(items is None for items in lists):
        # Some length unknown: the tuples' parts are what describes each item of each iterable.
        parts = [interp.summarize(v, interp.call_site) for v in values]
        if not values or all(part is None for part in parts):
            return UNKNOWN
        return ListOfV(SeqV([UNKNOWN if part is None else part for part in parts], True), True)
    return SeqV([SeqV(list(group), True) for group in zip(*lists, strict=False)], True)


def _b_iter(interp: Evaluator, value: Value, *rest: Value) -> Value:
    """`iter(v)`: an iterator gives the items `v` gives (a dataset is its own description)."""
    if rest:
        return UNKNOWN  # iter(callable, sentinel)
    items = interp.iterate(value)
    return SeqV(items, is_tuple=True) if items is not None else value


def _b_next(interp: Evaluator, value: Value, *default: Value) -> Value:
    """`next(it)`: one of the items (which one is not tracked: what describes them all)."""
    item = interp.summarize(value, interp.call_site)
    if item is None:
        return UNKNOWN
    return join_items([item, *default], Joiner(interp, interp.call_site, interp.graph)) or UNKNOWN


def _b_reversed(interp: Evaluator, value: Value) -> Value:
    items = interp.iterate(value)
    return _unknown_length(interp, value, True) if items is None else SeqV(list(reversed(items)), True)


def _numeric_fold(interp: Evaluator, args: tuple[Value, ...], fn: Any) -> Value:
    values = list(args)
    if len(values) == 1:
        items = interp.iterate(values[0])
        if items is None:
            return UNKNOWN
        values = items
    consts = [v.value for v in values if isinstance(v, Const) and isinstance(v.value, (int, float))]
    if len(consts) != len(values) or not consts:
        return UNKNOWN
    return Const(fn(consts))


def _b_min(interp: Evaluator, *args: Value) -> Value:
    return _numeric_fold(interp, args, min)


def _b_max(interp: Evaluator, *args: Value) -> Value:
    return _numeric_fold(interp, args, max)


def _b_sum(interp: Evaluator, value: Value) -> Value:
    items = interp.iterate(value)
    if items is None:
        return UNKNOWN
    total = Dim.const(0)
    for item in items:
        d = as_dim(item)
        if d is None:
            return _numeric_fold(interp, (value,), sum)
        total = total + d
    return int_value(total)


def _b_abs(interp: Evaluator, value: Value) -> Value:
    if isinstance(value, Const) and isinstance(value.value, (int, float)):
        return Const(abs(value.value))
    if interp.call_site is not None:
        result = value.unop(interp, "Abs", interp.call_site)
        if result is not None:
            return result
    return UNKNOWN


def _b_round(interp: Evaluator, value: Value, digits: Value | None = None) -> Value:
    if digits is None and isinstance(value, Const) and isinstance(value.value, (int, float)):
        if isinstance(value.value, float) and not math.isfinite(value.value):
            return UNKNOWN
        return Const(round(value.value))
    return UNKNOWN


def _b_unknown(interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
    return UNKNOWN


def _b_none(interp: Evaluator, *args: Value, **kwargs: Value) -> Value:
    return Const(None)


_BUILTIN_IMPLS: dict[str, Callable[..., Value]] = {
        "range": _b_range,
        "len": _b_len,
        "int": _b_int,
        "float": _b_float,
        "list": _b_list,
        "tuple": _b_tuple,
        "dict": _b_dict,
        "enumerate": _b_enumerate,
        "zip": _b_zip,
        "reversed": _b_reversed,
        "iter": _b_iter,
        "next": _b_next,
        "min": _b_min,
        "max": _b_max,
        "sum": _b_sum,
        "abs": _b_abs,
        "round": _b_round,
        "print": _b_none,
        "isinstance": _b_unknown,
        "getattr": _b_unknown,
        "open": _b_unknown,
        "eval": _b_unknown,
        "exec": _b_unknown,
        "__import__": _b_unknown,
        "super": builtin_super,
}
BUILTINS: dict[str, Value] = {name: BuiltinV(name, impl) for name, impl in _BUILTIN_IMPLS.items()}


# -- methods of modelled values ----------------------------------------------------------
def _m_append(interp: Evaluator, seq: SeqV, value: Value) -> Value:
    seq.items.append(value)
    return Const(None)


def _m_grow(interp: Evaluator, seq: ListOfV, value: Value) -> Value:
    """`xs.append(v)` on a list of unknown length: its item now describes `v` too."""
    seq.item = join_items([seq.item, value], Joiner(interp, interp.call_site, interp.graph))
    return Const(None)


def _m_grow_by(interp: Evaluator, seq: ListOfV, value: Value) -> Value:
    """`xs.extend(vs)` / `xs += vs` on a list of unknown length."""
    item = interp.summarize(value, interp.call_site)
    return _m_grow(interp, seq, UNKNOWN if item is None else item)


def _m_extend(interp: Evaluator, seq: SeqV, value: Value) -> Value:
    items = interp.iterate(value)
    if items is None or len(seq.items) + len(items) > MAX_ITEMS:
        seq.items[:] = [UNKNOWN] * len(seq.items)
        return UNKNOWN
    seq.items.extend(items)
    return Const(None)


def _m_insert(interp: Evaluator, seq: SeqV, index: Value, value: Value) -> Value:
    i = as_int(index)
    if i is None:
        return UNKNOWN
    seq.items.insert(i, value)
    return Const(None)


def _m_pop(interp: Evaluator, seq: SeqV, index: Value = _MINUS_ONE) -> Value:
    i = as_int(index)
    if i is None or not seq.items or not -len(seq.items) <= i < len(seq.items):
        return UNKNOWN
    return seq.items.pop(i)


def _m_get(interp: Evaluator, d: DictV, key: Value, default: Value = _NONE) -> Value:
    k = py_literal(key)
    if k is NOKEY:
        return UNKNOWN
    return d.items.get(k, default)


def _m_keys(interp: Evaluator, d: DictV) -> Value:
    return SeqV([key_value(k) for k in d.items], True)


def _m_values(interp: Evaluator, d: DictV) -> Value:
    return SeqV(list(d.items.values()), True)


def _m_items(interp: Evaluator, d: DictV) -> Value:
    return SeqV([SeqV([key_value(k), v], True) for k, v in d.items.items()], True)


def _m_update(interp: Evaluator, d: DictV, other: Value | None = None, **kwargs: Value) -> Value:
    if other is not None:
        if not isinstance(other, DictV):
            havoc_value(d)
            return UNKNOWN
        d.items.update(other.items)
    d.items.update(kwargs)
    return Const(None)


def _m_format(interp: Evaluator, template: Const, *args: Value, **kwargs: Value) -> Value:
    if not isinstance(template.value, str) or len(template.value) > 1000:
        return UNKNOWN
    if not all(formattable(v) for v in (*args, *kwargs.values())):
        return UNKNOWN
    try:
        return Const(template.value.format(*(v.value for v in args),  # type: ignore[attr-defined]
                                           **{k: v.value for k, v in kwargs.items()}))  # type: ignore[attr-defined]
    except (IndexError, KeyError, ValueError, AttributeError):
        return UNKNOWN


# The methods of Python's own values, by type and name.
METHODS: dict[tuple[type[Value], str], Callable[..., Value]] = {
    (Const, "format"): _m_format,
    (SeqV, "append"): _m_append,
    (SeqV, "extend"): _m_extend,
    (SeqV, "insert"): _m_insert,
    (SeqV, "pop"): _m_pop,
    (ListOfV, "append"): _m_grow,
    (ListOfV, "extend"): _m_grow_by,
    (DictV, "get"): _m_get,
    (DictV, "keys"): _m_keys,
    (DictV, "values"): _m_values,
    (DictV, "items"): _m_items,
    (DictV, "update"): _m_update,
}
