"""The join lattice: what two paths through an `if` (or two returns) agree on, and the copies a
fork makes so that each path starts from the same state.

Python's values join here; a framework's value type joins itself (`Value.join`), with the
`Joiner` to join its parts and to add a node to the graph where two different tensors meet.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, TypeVar

import libcst as cst

from cnnlint.frontend.python.limits import MAX_FORK_STATE
from cnnlint.frontend.python.scope import Scope
from cnnlint.frontend.python.values import (
    UNKNOWN,
    BuiltinV,
    ClassV,
    Const,
    DictV,
    DimV,
    FuncV,
    ListOfV,
    ModuleV,
    ObjectV,
    SeqV,
    Value,
)

if TYPE_CHECKING:
    from cnnlint.frontend.python.evaluator import Evaluator
    from cnnlint.ir import Graph

V = TypeVar("V", bound=Value)


@dataclass
class Joiner:
    """Joins the values of two paths. With a `site` (the `if` whose branches are joined), a
    framework value may make new graph nodes there (two tensors of one variable become a `join`
    node whose shape keeps the sizes both give); without one it may not. `made` lists the values
    made that way, so that the interpreter names them after the variables they were joined in."""

    interp: Evaluator | None = None
    site: cst.CSTNode | None = None
    # The graph the fork started in: a tensor of another graph is not joined.
    graph: Graph | None = None
    made: list[Value] = field(default_factory=list)
    # Pairs already joined, by identity (with the pair kept alive so that ids are not reused):
    # a value shared in both states is joined once, so a list of lists built by `a = [a, a]`
    # joins in time linear in its depth, and a list that holds itself joins to a list that does.
    memo: dict[tuple[int, int], tuple[Value, Value, Value]] = field(default_factory=dict)

    def __call__(self, a: Value, b: Value) -> Value:
        return join(a, b, self)

    def remember(self, a: Value, b: Value, joined: V) -> V:
        self.memo[(id(a), id(b))] = (a, b, joined)
        return joined


def join(a: Value, b: Value, joiner: Joiner | None = None) -> Value:
    """The value known on both paths; UNKNOWN where they disagree."""
    if a is b:
        return a
    joiner = joiner if joiner is not None else Joiner()
    done = joiner.memo.get((id(a), id(b)))
    if done is not None:
        return done[2]
    if isinstance(a, Const) and isinstance(b, Const) and type(a.value) is type(b.value) and a.value == b.value:
        return a
    if isinstance(a, DimV) and isinstance(b, DimV) and a.dim == b.dim:
        return a
    # A container's join is remembered before its items are joined, so that a container that
    # holds itself meets its own join.
    if isinstance(a, SeqV) and isinstance(b, SeqV) and len(a.items) == len(b.items) and a.is_tuple == b.is_tuple:
        seq = joiner.remember(a, b, SeqV([], a.is_tuple))
        seq.items = [joiner(x, y) for x, y in zip(a.items, b.items, strict=True)]
        return seq
    if isinstance(a, (SeqV, ListOfV)) and isinstance(b, (SeqV, ListOfV)) and a.is_tuple == b.is_tuple:
        # A list of unknown length on one path at least: one item that describes every item.
        listof = joiner.remember(a, b, ListOfV(None, a.is_tuple))
        listof.item = join_items([*_items_of(a), *_items_of(b)], joiner)
        return listof
    if isinstance(a, DictV) and isinstance(b, DictV) and a.items.keys() == b.items.keys():
        dict_ = joiner.remember(a, b, DictV({}))
        dict_.items = {k: joiner(v, b.items[k]) for k, v in a.items.items()}
        return dict_
    if isinstance(a, ObjectV) and isinstance(b, ObjectV) and a.cls is b.cls and a.attrs.keys() == b.attrs.keys():
        obj = joiner.remember(a, b, ObjectV(a.cls, site=a.site if a.site is b.site else None))
        obj.attrs = {k: joiner(v, b.attrs[k]) for k, v in a.attrs.items()}
        return obj
    if isinstance(a, (FuncV, ClassV, ModuleV, BuiltinV)) and _same_callable(a, b):
        return a
    if type(a) is type(b) and not isinstance(a, (Const, DimV, SeqV, DictV, ObjectV)):
        joined = a.join(b, joiner)
        return joiner.remember(a, b, UNKNOWN if joined is None else joined)
    return UNKNOWN


def join_all(values: list[Value], joiner: Joiner | None = None) -> Value:
    if not values:
        return UNKNOWN
    out = values[0]
    for v in values[1:]:
        out = join(out, v, joiner)
    return out


def join_items(items: list[Value | None], joiner: Joiner | None = None) -> Value | None:
    """One value describing each of `items` (None entries: no item), None if there is none."""
    known = [item for item in items if item is not None]
    return join_all(known, joiner) if known else None


def _items_of(value: SeqV | ListOfV) -> list[Value | None]:
    if isinstance(value, ListOfV):
        return [value.item]
    return list(value.items)


def _same_callable(a: Value, b: Value) -> bool:
    if isinstance(a, ModuleV) and isinstance(b, ModuleV):
        return a.path == b.path
    if isinstance(a, FuncV) and isinstance(b, FuncV):
        return a.node is b.node
    return False


class _TooLarge(Exception):
    """A snapshot would copy more container items than its limit."""


# Types whose values a fork shares (their `copy` is `Value.copy`: nothing mutable inside), found
# once per type: most values in a state are constants, functions, classes and tensors.
_SHARED: dict[type, bool] = {}


def _shared(kind: type) -> bool:
    found = _SHARED.get(kind)
    if found is None:
        found = _SHARED[kind] = getattr(kind, "copy", None) is Value.copy \
            and not issubclass(kind, (SeqV, ListOfV, DictV, ObjectV))
    return found


def copy(value: Value, memo: dict[int, Value], budget: list[int] | None = None) -> Value:
    """A copy of the mutable parts of `value` (shared parts copied once, as `memo` records);
    `budget`: container items that may still be copied (`_TooLarge` past it)."""
    if _shared(type(value)):
        return value
    if id(value) in memo:
        return memo[id(value)]
    if budget is not None and isinstance(value, (SeqV, DictV, ObjectV)):
        budget[0] -= len(value.items) if isinstance(value, (SeqV, DictV)) else len(value.attrs)
        if budget[0] < 0:
            raise _TooLarge
    if isinstance(value, SeqV):
        seq_copy = SeqV([], value.is_tuple)
        memo[id(value)] = seq_copy
        seq_copy.items = [copy(v, memo, budget) for v in value.items]
        return seq_copy
    if isinstance(value, ListOfV):
        list_copy = ListOfV(None, value.is_tuple)
        memo[id(value)] = list_copy
        list_copy.item = copy(value.item, memo, budget) if value.item is not None else None
        return list_copy
    if isinstance(value, DictV):
        dict_copy = DictV({})
        memo[id(value)] = dict_copy
        dict_copy.items = {k: copy(v, memo, budget) for k, v in value.items.items()}
        return dict_copy
    if isinstance(value, ObjectV):
        obj_copy = ObjectV(value.cls, site=value.site)
        memo[id(value)] = obj_copy
        obj_copy.attrs = {k: copy(v, memo, budget) for k, v in value.attrs.items()}
        return obj_copy
    copied = value.copy(memo)
    if copied is not value:
        memo[id(value)] = copied
    return copied


def snapshot(scopes: list[Scope]) -> list[dict[str, Value]]:
    """Copies of the variables of `scopes` (values shared between them copied once), to run a
    path from and come back to (a fork, a loop's abstract pass, a generator's body)."""
    return _copies(scopes, None)


def snapshot_within(scopes: list[Scope], limit: int) -> list[dict[str, Value]] | None:
    """`snapshot`, or None when it would copy more than `limit` container items (the same count
    as `state_size`, in one pass instead of two)."""
    try:
        return _copies(scopes, [limit])
    except _TooLarge:
        return None


def _copies(scopes: list[Scope], budget: list[int] | None) -> list[dict[str, Value]]:
    memo: dict[int, Value] = {}
    return [{k: copy(v, memo, budget) for k, v in s.vars.items()} for s in scopes]


def restore(scopes: list[Scope], states: list[dict[str, Value]]) -> None:
    """Make each scope's variables those of its state (a snapshot, or the state a path left)."""
    for s, vars_ in zip(scopes, states, strict=True):
        s.vars.clear()
        s.vars.update(vars_)


def state_size(scope: Scope) -> int:
    """Container items reachable from the scopes a fork would copy (stops counting past the limit)."""
    seen: set[int] = set()
    stack: list[Value] = [v for s in scope.chain() for v in s.vars.values()]
    count = 0
    while stack and count <= MAX_FORK_STATE:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, SeqV):
            count += len(value.items)
            stack.extend(value.items)
        elif isinstance(value, DictV):
            count += len(value.items)
            stack.extend(value.items.values())
        elif isinstance(value, ObjectV):
            count += len(value.attrs)
            stack.extend(value.attrs.values())
    return count
