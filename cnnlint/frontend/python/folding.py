"""Constant folding: Python's operators on known numbers, strings and symbolic sizes."""

from __future__ import annotations

import re
from typing import Any

from cnnlint.frontend.python.limits import MAX_DIM_TERMS, MAX_INT_BITS, MAX_TEXT
from cnnlint.frontend.python.values import NOKEY, UNKNOWN, Const, DictV, SeqV, Value, as_dim, int_value, py_literal
from cnnlint.shapes import Dim


def formattable(value: Value) -> bool:
    return isinstance(value, Const) and isinstance(value.value, (int, str)) and not isinstance(value.value, bool)


def const_binop(op: str, a: Any, b: Any) -> Value:
    numeric = (int, float)
    try:
        if op == "Add" and isinstance(a, str) and isinstance(b, str):
            return Const(a + b) if len(a) + len(b) <= MAX_TEXT else UNKNOWN
        if op == "Add" and isinstance(a, numeric) and isinstance(b, numeric):
            return Const(a + b)
        if not (isinstance(a, numeric) and isinstance(b, numeric)):
            if op == "Modulo" and isinstance(a, str) and isinstance(b, (int, str)):
                return Const(a % b) if len(a) < 1000 and modest_format(a) else UNKNOWN
            if op == "Multiply" and isinstance(a, str) and isinstance(b, int) and b < 10_000 \
                    and len(a) * b <= MAX_TEXT:
                return Const(a * b)
            return UNKNOWN
        if op == "Subtract":
            return Const(a - b)
        if op == "Multiply":
            if isinstance(a, int) and isinstance(b, int) and a.bit_length() + b.bit_length() > MAX_INT_BITS:
                return UNKNOWN
            return Const(a * b)
        if op == "Divide":
            return Const(a / b)
        if op == "FloorDivide":
            return Const(a // b)
        if op == "Modulo":
            return Const(a % b)
        if op == "Power":
            if (isinstance(b, int) and b > 64) or abs(a) > 1e6:
                return UNKNOWN
            return Const(a**b)
    except (ZeroDivisionError, OverflowError, ValueError, TypeError):
        return UNKNOWN
    return UNKNOWN


def dim_binop(op: str, a: Dim, b: Dim) -> Value:
    if op == "Add":
        return int_value(a + b)
    if op == "Subtract":
        return int_value(a - b)
    if op == "Multiply":
        if len(a.terms) * len(b.terms) > MAX_DIM_TERMS or _dim_bits(a) + _dim_bits(b) > MAX_INT_BITS:
            return UNKNOWN  # repeated squaring: exponentially many terms, or huge coefficients and powers
        return int_value(a * b)
    den = b.value
    if op == "FloorDivide" and den is not None and den > 0:
        return int_value(a.floordiv(den))
    if op == "Modulo" and den is not None and den > 0:
        return int_value(a.mod(den))
    return UNKNOWN


def _dim_bits(d: Dim) -> int:
    """A size measure of a dimension: its largest coefficient's bits plus its highest power."""
    return max((abs(c).bit_length() + sum(p for _, p in m) for m, c in d.terms), default=0)


def modest_format(text: str) -> bool:
    """Whether a `%` format string asks for no width or precision of 10,000 or more characters."""
    return re.search(r"%[^a-zA-Z%]*\d{5}", text) is None


def compare(op: str, a: Value, b: Value) -> bool | None:
    if op in ("Is", "IsNot"):
        if isinstance(a, Const) and isinstance(b, Const) and (a.value is None or b.value is None):
            same = a.value is b.value
            return same if op == "Is" else not same
        if isinstance(b, Const) and b.value is None and a is not UNKNOWN:
            return op == "IsNot"
        return None
    if op in ("In", "NotIn"):
        if isinstance(b, (SeqV, DictV)):
            key = py_literal(a)
            pool = [py_literal(v) for v in b.items] if isinstance(b, SeqV) else list(b.items)
            if key is NOKEY or NOKEY in pool:
                return None
            return (key in pool) if op == "In" else (key not in pool)
        if isinstance(a, Const) and isinstance(b, Const) and isinstance(a.value, str) and isinstance(b.value, str):
            return (a.value in b.value) if op == "In" else (a.value not in b.value)  # `"feat" in name`
        return None
    if op in ("Equal", "NotEqual"):
        # A list or dict is never equal to None (`shape == None` on a Python list is False).
        for x, y in ((a, b), (b, a)):
            if isinstance(x, (SeqV, DictV)) and isinstance(y, Const) and y.value is None:
                return op == "NotEqual"
    if isinstance(a, Const) and isinstance(b, Const):
        try:
            return bool(_CMP[op](a.value, b.value))
        except (TypeError, KeyError):
            return None
    da, db = as_dim(a), as_dim(b)
    if da is None or db is None:
        return None
    diff = da - db
    lo, hi = diff.bounds()
    if op == "Equal":
        return True if diff.value == 0 else (False if lo > 0 or hi < 0 else None)
    if op == "NotEqual":
        return False if diff.value == 0 else (True if lo > 0 or hi < 0 else None)
    if op == "LessThan":
        return True if hi < 0 else (False if lo >= 0 else None)
    if op == "LessThanEqual":
        return True if hi <= 0 else (False if lo > 0 else None)
    if op == "GreaterThan":
        return True if lo > 0 else (False if hi <= 0 else None)
    if op == "GreaterThanEqual":
        return True if lo >= 0 else (False if hi < 0 else None)
    return None


_CMP: dict[str, Any] = {
    "Equal": lambda a, b: a == b,
    "NotEqual": lambda a, b: a != b,
    "LessThan": lambda a, b: a < b,
    "LessThanEqual": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEqual": lambda a, b: a >= b,
}


