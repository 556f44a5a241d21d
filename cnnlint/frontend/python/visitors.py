"""What a statement may change, found on its syntax tree: the names and attribute chains it may
rebind and the values it may mutate (for `havoc`), and whether a function is a generator."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from typing import Any

import libcst as cst


class AssignedNames(cst.CSTVisitor):
    """Names a statement may rebind, attributes it may rebind (`self.x = ...`), and the values it
    may mutate, each as the chain of names that reaches it (`("self", "blocks")` for
    `self.blocks.add(...)`)."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.rebound: set[tuple[str, ...]] = set()
        self.receivers: set[tuple[str, ...]] = set()
        # The receivers that are only ever the object of method calls (`model.fit(...)`), with
        # the methods called: a value may say that those methods leave it as it is.
        self.methods: dict[tuple[str, ...], set[str]] = {}
        self._other_uses: set[tuple[str, ...]] = set()

    def only_methods(self, chain: tuple[str, ...]) -> set[str] | None:
        """The methods called on `chain`, if it is used as a receiver in no other way."""
        if chain in self._other_uses or any(chain[:n] in self.rebound for n in range(1, len(chain) + 1)):
            return None
        return self.methods.get(chain)

    def _targets(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name):
            self.names.add(node.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self._targets(element.value)
        elif isinstance(node, cst.StarredElement):
            self._targets(node.value)
        elif isinstance(node, cst.Attribute):
            chain = chain_of(node)
            if chain is not None and len(chain) > 1 and chain[-1] == node.attr.value:
                self.rebound.add(chain)
            else:
                self._receiver(node.value)  # `a[i].x = ...` changes the object `a` holds
        elif isinstance(node, cst.Subscript):
            self._receiver(node.value)

    def _receiver(self, node: cst.BaseExpression, method: str | None = None) -> None:
        chain = chain_of(node)
        if chain is not None:
            self.receivers.add(chain)
            if method is not None and _plain(node):
                self.methods.setdefault(chain, set()).add(method)
            else:
                self._other_uses.add(chain)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._targets(target.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._targets(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._targets(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        if isinstance(node.name, (cst.Name, cst.Tuple, cst.List)):
            self._targets(node.name)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.names.add(node.name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            self._receiver(func.value, func.attr.value)  # `blocks.add(...)`, `self.blocks.add(...)`
        for arg in node.args:
            self._receiver(arg.value)  # a value passed to a call may be changed by it


def _plain(node: cst.BaseExpression) -> bool:
    """A dotted name (`a.b.c`), no subscript or call on the way."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return isinstance(node, cst.Name)


def chain_of(node: cst.BaseExpression) -> tuple[str, ...] | None:
    """The names that reach the value `node` holds or is part of: `a.b.c` -> `("a", "b", "c")`,
    `a.b[i].c` -> `("a", "b")` (the container subscripted), `f().x` -> None."""
    parts: list[str] = []
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        if isinstance(node, cst.Subscript):
            parts.clear()
        else:
            parts.append(node.attr.value)
        node = node.value
    return (node.value, *reversed(parts)) if isinstance(node, cst.Name) else None


class _Exits(cst.CSTVisitor):
    """Finds what may end a loop's iteration early (`break`, `continue`, `return`, `raise`,
    `yield`) or catch what it raises (`try`), outside nested functions and classes."""

    def __init__(self) -> None:
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.Break, cst.Continue, cst.Return, cst.Raise, cst.Yield, cst.Try, cst.TryStar)):
            self.found = True
        return not self.found and not isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda))


def straight_body(body: cst.CSTNode) -> bool:
    """Whether a loop body surely runs to its end in every iteration that does not fail."""
    def make() -> bool:
        finder = _Exits()
        walk(body, finder)
        return not finder.found

    return bool(_memo("straight", body, make))


class YieldFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Yield(self, node: cst.Yield) -> None:
        self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False



# libcst's `node.visit(visitor)` rebuilds every node it passes (it is made for transformers): a
# visitor that only reads is run here on the node's fields instead, about ten times faster.
_SKIPPED = (cst.BaseParenthesizableWhitespace, cst.EmptyLine, cst.TrailingWhitespace, cst.Newline,
            cst.Comment, cst.LeftParen, cst.RightParen, cst.Comma, cst.Dot, cst.Semicolon, cst.Colon,
            cst.AssignEqual)
_FIELDS: dict[type, tuple[str, ...]] = {}


def children(node: cst.CSTNode) -> Iterator[cst.CSTNode]:
    """The node's child nodes, without whitespace and punctuation, in field order."""
    names = _FIELDS.get(type(node))
    if names is None:
        names = _FIELDS[type(node)] = tuple(f.name for f in dataclasses.fields(node))
    for name in names:
        value = getattr(node, name)
        kind = _KINDS.get(type(value))
        if kind is None:
            kind = _kind(type(value))
        if kind == _CHILD:
            yield value
        elif kind == _SEQUENCE:
            for item in value:
                item_kind = _KINDS.get(type(item))
                if (item_kind if item_kind is not None else _kind(type(item))) == _CHILD:
                    yield item


# What a field's value is, by its type, worked out once per type: `isinstance` against libcst's
# abstract base classes goes through `ABCMeta.__instancecheck__`, which was a tenth of a check.
_OTHER, _CHILD, _SEQUENCE = 0, 1, 2
_KINDS: dict[type, int] = {}


def _kind(kind: type) -> int:
    if issubclass(kind, cst.CSTNode):
        found = _OTHER if issubclass(kind, _SKIPPED) else _CHILD
    else:
        found = _SEQUENCE if issubclass(kind, (list, tuple)) else _OTHER
    _KINDS[kind] = found
    return found


def walk(node: cst.CSTNode, visitor: cst.CSTVisitor) -> None:
    """`node.visit(visitor)` for a visitor that reads only (`on_visit` / `visit_X`, `on_leave`)."""
    if visitor.on_visit(node):
        for child in children(node):
            walk(child, visitor)
    visitor.on_leave(node)


# What a visitor finds in a node never changes (libcst trees are immutable): each is computed once
# per node and process, not at every call of a function or pass of a loop (a helper with a loop,
# run for every caller, would visit its body again each time).
# Each entry keeps its node (a whole function or loop body) alive: at most _MEMO_SIZE, the oldest
# dropped first, so that a long-lived process (`cnnlint server`, re-checking a file at every edit)
# does not keep every version's bodies. One check of a file needs a few dozen.
_MEMO: dict[tuple[str, int], tuple[cst.CSTNode, object]] = {}
_MEMO_SIZE = 1024


def _memo(kind: str, node: cst.CSTNode, make: Callable[[], object]) -> object:
    key = (kind, id(node))
    found = _MEMO.get(key)
    if found is not None and found[0] is node:
        return found[1]
    while len(_MEMO) >= _MEMO_SIZE:
        del _MEMO[next(iter(_MEMO))]
    value = make()
    _MEMO[key] = (node, value)  # the node is kept alive, so its id is not reused
    return value


def assigned_in(node: cst.CSTNode) -> AssignedNames:
    """`AssignedNames` of `node`, computed once."""
    def make() -> AssignedNames:
        collector = AssignedNames()
        walk(node, collector)
        return collector

    found = _memo("assigned", node, make)
    assert isinstance(found, AssignedNames)
    return found


def has_yield(node: cst.CSTNode) -> bool:
    """Whether `node` holds a `yield` (a function body: a generator), computed once."""
    def make() -> bool:
        finder = YieldFinder()
        walk(node, finder)
        return finder.found

    return bool(_memo("yield", node, make))


_HANDLERS: dict[tuple[type, str, type], Any] = {}


def handler(owner: type, prefix: str, kind: type) -> Any:
    """`owner`'s method for a node of class `kind` (`prefix` + its name: `expr_Call`), or None;
    looked up once per class (`getattr` with a default builds an `AttributeError` at each miss)."""
    key = (owner, prefix, kind)
    try:
        return _HANDLERS[key]
    except KeyError:
        found = _HANDLERS[key] = getattr(owner, prefix + kind.__name__, None)
        return found
