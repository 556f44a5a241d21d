"""The dimension algebra itself (`shapes/dim.py`): integer polynomials over symbols with floor
division, and three-valued comparisons that never claim what some value of the symbols denies.

Expressions are generated as trees and built twice: as `Dim`s over symbols `a`, `b` (each at
least 1, as a size is) and as plain integers for concrete values of them. Every "definitely"
answer must hold for every sampled value; constants must agree with Python exactly.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from cnnlint.shapes.dim import Dim, different, divides, equal, exact_div, non_positive, positive, product

Tree = Any  # ("const", n) | ("sym", name) | (op, left, right) | ("floordiv", tree, k)
VALUES = [{"a": a, "b": b} for a in (1, 2, 3, 7, 28, 100) for b in (1, 2, 5, 64)]


def trees() -> st.SearchStrategy[Tree]:
    leaves = st.one_of(st.tuples(st.just("const"), st.integers(-50, 300)),
                       st.tuples(st.just("sym"), st.sampled_from(["a", "b"])))

    def extend(inner: st.SearchStrategy[Tree]) -> st.SearchStrategy[Tree]:
        return st.one_of(
            st.tuples(st.sampled_from(["add", "sub", "mul"]), inner, inner),
            st.tuples(st.sampled_from(["floordiv", "ceildiv"]), inner, st.integers(1, 9)),
        )

    return st.recursive(leaves, extend, max_leaves=6)


def as_dim(tree: Tree) -> Dim:
    kind = tree[0]
    if kind == "const":
        return Dim.const(tree[1])
    if kind == "sym":
        return Dim.symbol(tree[1])
    if kind in ("floordiv", "ceildiv"):
        inner = as_dim(tree[1])
        return inner.floordiv(tree[2]) if kind == "floordiv" else inner.ceildiv(tree[2])
    ops: dict[str, Callable[[Dim, Dim], Dim]] = {"add": Dim.__add__, "sub": Dim.__sub__, "mul": Dim.__mul__}
    return ops[kind](as_dim(tree[1]), as_dim(tree[2]))


def as_int(tree: Tree, env: dict[str, int]) -> int:
    kind = tree[0]
    if kind == "const":
        return int(tree[1])
    if kind == "sym":
        return env[tree[1]]
    if kind == "floordiv":
        return as_int(tree[1], env) // tree[2]
    if kind == "ceildiv":
        return -(-as_int(tree[1], env) // tree[2])
    left, right = as_int(tree[1], env), as_int(tree[2], env)
    return {"add": left + right, "sub": left - right, "mul": left * right}[kind]


@settings(max_examples=300, deadline=None, derandomize=True)
@given(trees())
def test_bounds_hold_for_every_value_of_the_symbols(tree: Tree) -> None:
    lo, hi = as_dim(tree).bounds()
    for env in VALUES:
        assert lo <= as_int(tree, env) <= hi


@settings(max_examples=300, deadline=None, derandomize=True)
@given(trees(), trees())
def test_definitely_equal_and_definitely_different_are_never_wrong(x: Tree, y: Tree) -> None:
    a, b = as_dim(x), as_dim(y)
    assert not (equal(a, b) and different(a, b))
    for env in VALUES:
        if equal(a, b):
            assert as_int(x, env) == as_int(y, env)
        if different(a, b):
            assert as_int(x, env) != as_int(y, env)
    if positive(a):
        assert all(as_int(x, env) >= 1 for env in VALUES)
    if non_positive(a):
        assert all(as_int(x, env) <= 0 for env in VALUES)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(trees(), trees())
def test_divides_and_exact_division_are_sound(x: Tree, y: Tree) -> None:
    num, den = as_dim(x), as_dim(y)
    if divides(den, num) is True:
        for env in VALUES:
            d = as_int(y, env)
            assert d != 0 and as_int(x, env) % d == 0
    quotient = exact_div(num, den)
    if quotient is not None:
        assert den * quotient == num


@pytest.mark.parametrize(("n", "k"), [(n, k) for n in (-7, -1, 0, 1, 5, 27, 28, 29, 10**40) for k in (1, 2, 3, 7)])
def test_constant_floor_and_ceiling_division_agree_with_python(n: int, k: int) -> None:
    assert Dim.const(n).floordiv(k).value == n // k
    assert Dim.const(n).ceildiv(k).value == -(-n // k)
    assert Dim.const(n).mod(k).value == n % k


def test_same_padding_of_a_symbolic_size_is_its_ceiling() -> None:
    h = Dim.symbol("h")
    assert h.ceildiv(2) == (h + 1).floordiv(2)
    assert (2 * h).floordiv(2) == h  # exact division simplifies
    assert h.ceildiv(2).render() == "(h + 1) // 2"


def test_unknowns_are_equal_only_to_themselves() -> None:
    u, v = Dim.unknown(), Dim.unknown()
    assert equal(u, u) and not equal(u, v) and not different(u, v)
    assert u.value is None and u.has_anonymous


def test_a_flattened_map_is_the_product_of_its_sizes() -> None:
    batch = Dim.symbol("batch")
    flat = product([batch, Dim.const(7), Dim.const(7), Dim.const(64)])
    assert exact_div(flat, batch) == Dim.const(3136)
    assert different(Dim.const(3136), Dim.const(1024))
    assert divides(Dim.const(1024), flat) is None  # 3136 * batch is a multiple of 1024 for some batches
