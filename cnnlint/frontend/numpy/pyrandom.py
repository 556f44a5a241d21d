"""Python's `random` on the lists that hold a program's examples: `random.shuffle(pairs)` keeps the
list (its items reordered), `random.sample(xs, k)` / `random.choices(xs, k=k)` are `k` of its items,
`random.choice(xs)` one. An item is known only where every item of the list is alike (the same
shapes): which one is drawn is not known."""

from __future__ import annotations

from typing import Any

from cnnlint.frontend.library import Call
from cnnlint.frontend.numpy.registry import api
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import UNKNOWN, Const, DimV, GeneratorV, ListOfV, SeqV, Value, as_int
from cnnlint.frontend.tensor import TensorV

_NOT_ALIKE = object()


def _signature(interp: Evaluator, value: Value) -> Any:
    """What must agree for two items to be alike: a tensor's shape, a number's type, a tuple's parts."""
    if isinstance(value, TensorV):
        shape = interp.graph.nodes[value.node].shape
        return _NOT_ALIKE if shape is None or any(d.value is None for d in shape) else \
            ("tensor", tuple(d.value for d in shape))
    if isinstance(value, DimV):
        return ("int",)
    if isinstance(value, Const) and isinstance(value.value, (int, float, str, bool)):
        return (type(value.value).__name__,)
    if isinstance(value, SeqV):
        parts = [_signature(interp, v) for v in value.items]
        return _NOT_ALIKE if any(p is _NOT_ALIKE for p in parts) else ("seq", value.is_tuple, tuple(parts))
    return _NOT_ALIKE


def _item(interp: Evaluator, population: Value) -> Value | None:
    """What describes every item of `population`; None where the items are not known alike."""
    if isinstance(population, ListOfV) and not isinstance(population, GeneratorV):  # a generator is no sequence
        return population.item if population.item is not None and population.item is not UNKNOWN else None
    if isinstance(population, SeqV) and population.items:
        first = _signature(interp, population.items[0])
        if first is _NOT_ALIKE or any(_signature(interp, v) != first for v in population.items[1:]):
            return None
        return population.items[0]
    return None


def _length(population: Value) -> int | None:
    return len(population.items) if isinstance(population, SeqV) else None


@api("random.shuffle", params="x")
def shuffle(c: Call) -> Value:
    """In place: a list of items alike is the same to cnnlint; one of different items is not known
    item by item any more (its length is)."""
    xs = c.get("x")
    if isinstance(xs, SeqV) and not xs.is_tuple and _item(c.interp, xs) is None:
        xs.items[:] = [UNKNOWN] * len(xs.items)
    return Const(None)


@api("random.sample", params="population k counts")
def sample(c: Call) -> Value:
    population, k = c.get("population"), as_int(c.get("k", UNKNOWN))
    item = _item(c.interp, population)
    length = _length(population)
    if item is None or c.has("counts") or k is None or k < 0 or (length is not None and k > length):
        return UNKNOWN  # `k` over the population's length raises
    return SeqV([item] * k)


@api("random.choices", params="population weights cum_weights k")
def choices(c: Call) -> Value:
    population, k = c.get("population"), as_int(c.get("k", Const(1)))
    item = _item(c.interp, population)
    if item is None or k is None or k < 0:
        return UNKNOWN
    return SeqV([item] * k)


@api("random.choice", params="seq")
def choice(c: Call) -> Value:
    item = _item(c.interp, c.get("seq"))
    return UNKNOWN if item is None else item
