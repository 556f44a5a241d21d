"""Where each node of a module is: libcst's `PositionProvider`, run on its own.

`MetadataWrapper(module).resolve(PositionProvider)` also walks the whole tree once for the
batchable providers it was not given, which is about a third of its cost (measured on real CNN
files: 0.10 s against 0.06 s on a 553-line file). The provider's own pass is a code generation
that records each node's range; it is run directly here, and through the wrapper where the
libcst in use does not have that shape (its private `_gen_impl` / `_computed`).
"""

from __future__ import annotations

import re
import typing
from collections.abc import Mapping, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from cnnlint.frontend.python.visitors import children
from cnnlint.ir import Loc

if typing.TYPE_CHECKING:
    from cnnlint.frontend.python.evaluator import Evaluator
    from cnnlint.frontend.python.modules import FileContext

# The other project files whose summaries were made in this process (`modules.FileContext`), for
# the ranges of their nodes; kept here so that a lazy range can look among those known when it
# was made.
CONTEXTS: list[FileContext] = []
# A physical line as Python and libcst count them: ended by \n, \r\n or \r only.
_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")

# The last trees resolved, so that a file resolved as another file's import and then checked itself
# (the same tree: `modules.parsed`) is resolved once. The tree is kept with its ranges.
# At most _KEPT trees, the oldest dropped first: each holds a whole parse (megabytes for a long
# file), so a long-lived process (`cnnlint server`, a large run) must not keep more.
_RESOLVED: dict[int, tuple[cst.Module, Mapping[cst.CSTNode, CodeRange]]] = {}
_KEPT = 8


def _keep(cache: dict[int, typing.Any], key: int, value: typing.Any) -> None:
    while len(cache) >= _KEPT:
        del cache[next(iter(cache))]
    cache[key] = value


# The text each tree was parsed from (libcst's `Module.code` renders the whole tree again).
_TEXTS: dict[int, tuple[cst.Module, str]] = {}


def parsed_from(module: cst.Module, text: str) -> cst.Module:
    """Remember that `module` is the tree of `text` (exactly: libcst trees render their text)."""
    _keep(_TEXTS, id(module), (module, text))
    return module


def kept_text(module: cst.Module) -> str | None:
    """The text `module` was parsed from, if it is still kept (None: not without rendering it)."""
    found = _TEXTS.get(id(module))
    return found[1] if found is not None and found[0] is module else None


def text_of(module: cst.Module) -> str:
    found = _TEXTS.get(id(module))
    if found is not None and found[0] is module:
        return found[1]
    return module.code


def positions(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    """Each node's range in `module` (the nodes of `module` itself: no copy is made)."""
    found = _RESOLVED.get(id(module))
    if found is not None and found[0] is module:
        return found[1]
    ranges = _resolve(module)
    _keep(_RESOLVED, id(module), (module, ranges))
    return ranges


def _resolve(module: cst.Module) -> Mapping[cst.CSTNode, CodeRange]:
    provider = PositionProvider()
    generate = getattr(provider, "_gen_impl", None)
    if callable(generate) and hasattr(provider, "_computed"):
        provider._computed = {}
        generate(module)
        return typing.cast(Mapping[cst.CSTNode, CodeRange], provider._computed)
    return MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)


class Entry:
    """While a function of another project file runs: the call in the checked file that ran it.
    Its range (a `Loc.via`) is found only when a range in the other file is read."""

    __slots__ = ("_interp", "_site", "_via")

    def __init__(self, interp: Evaluator, site: cst.CSTNode | None) -> None:
        self._interp, self._site = interp, site
        self._via: tuple[int, ...] | None = None

    def via(self) -> tuple[int, ...]:
        if self._via is None:
            site = self._site
            if site is not None and site in self._interp.positions:
                loc = self._interp.loc(site)
                self._via = (loc.line, loc.column, loc.end_line, loc.end_column)
            else:
                self._via = (0, 0, 0, 0)
        return self._via


# -- text of a node ------------------------------------------------------------------------------
_LEAVES = (cst.Name, cst.Integer, cst.Float, cst.Imaginary, cst.SimpleString)


def code(module: cst.Module, node: cst.CSTNode) -> str:
    """`module.code_for_node(node).strip()`, rendered directly for the nodes most often asked for
    (names, dotted names, numbers, strings, one-token operators): libcst renders any node through
    its whole code generator, which was a tenth of a check's time."""
    found = _plain(node)
    return found if found is not None else module.code_for_node(node).strip()


def _plain(node: cst.CSTNode) -> str | None:
    """The node's text where it is one of the simple shapes (None otherwise)."""
    kind = type(node)
    if kind in _LEAVES:
        leaf = typing.cast(cst.Name, node)
        return None if leaf.lpar or leaf.rpar else leaf.value
    if kind is cst.Attribute:
        attribute = typing.cast(cst.Attribute, node)
        if attribute.lpar or attribute.rpar:
            return None
        base, dot, attr = _plain(attribute.value), attribute.dot, _plain(attribute.attr)
        before, after = dot.whitespace_before, dot.whitespace_after
        if base is None or attr is None or type(before) is not cst.SimpleWhitespace \
                or type(after) is not cst.SimpleWhitespace:
            return None
        return base + before.value + "." + after.value + attr
    token = getattr(node, "_get_token", None) if isinstance(node, _ONE_TOKEN) else None  # not `not in`, `is not`
    if token is not None:
        before, after = node.whitespace_before, node.whitespace_after  # type: ignore[attr-defined]
        if type(before) is cst.SimpleWhitespace and type(after) is cst.SimpleWhitespace \
                and not before.value.strip() and not after.value.strip():
            return typing.cast(str, token())
    if kind is cst.Index:
        index = typing.cast(cst.Index, node)
        if index.star is None and index.whitespace_after_star is None:
            return _plain(index.value)
    return None


_ONE_TOKEN = (cst.BaseBinaryOp, cst.BaseCompOp, cst.BaseBooleanOp)
# Operations whose range strictly holds that of each operand (a token lies outside it: the call's
# parentheses, the operator, the dot, the brackets), so that no two of one kind in a tree share a
# range: two lazy ranges of them compare without positions (`Placing.same_place`).
_SPANNING = frozenset({cst.Call, cst.BinaryOperation, cst.Comparison, cst.BooleanOperation, cst.UnaryOperation,
                       cst.Subscript, cst.Attribute})


class Placing:
    """Where an `Evaluator`'s nodes are, and their text. Positions are resolved on first use: a
    range is lazy (`Loc.lazy`) until one is read, and a check that reports nothing seldom reads one."""

    module: cst.Module
    _positions: Mapping[cst.CSTNode, CodeRange] | None
    _spanning_nodes: set[cst.CSTNode] | None  # the module's `_SPANNING` nodes (`owns`, before the positions)
    _lines: list[str] | None
    entry: Entry | tuple[()]
    running: list[FileContext]
    own_calls: set[cst.Call]

    @property
    def positions(self) -> Mapping[cst.CSTNode, CodeRange]:
        """Each node's range, resolved on first use (a module imported only for its constants never is)."""
        if self._positions is None:
            self._positions = positions(self.module)
        return self._positions

    def loc(self, node: cst.CSTNode) -> Loc:
        """The node's range; before the module's positions are needed, a lazy one (most are never read)."""
        if self._positions is not None:
            return self._loc(node, self.entry, self.running, None)
        entry, running, known = self.entry, tuple(self.running), tuple(CONTEXTS)
        place = (self, node) if type(node) in _SPANNING else None
        return Loc.lazy(lambda: self._loc(node, entry, running, known), place)

    def same_place(self, first: object, second: object) -> bool | None:
        """Whether two operations have the same range, without positions (`Loc.lazy`'s `place`):
        two of this module's own tree are exactly when they are the same node (`_SPANNING`); one
        of another file (its range carries that file and the call that ran it) is left to its range."""
        kind = type(first)
        if kind is not type(second) or kind not in _SPANNING:
            return None
        if self.owns(first) and (first is second or self.owns(second)):
            return first is second
        return None

    def owns(self, node: object) -> bool:
        """Whether the call or other `_SPANNING` node is this module's code (not another file's,
        run for a call): a call that ran while no other file's code was running, else one of the
        module's nodes of those kinds (found by walking the tree, which costs a fraction of
        resolving its positions)."""
        if node in self.own_calls:
            return True
        if self._positions is not None:
            return node in self._positions
        return node in self._spanning()

    def _spanning(self) -> set[cst.CSTNode]:
        """The module's calls and other `_SPANNING` operations, found by walking the tree once (a
        fraction of the cost of resolving its positions)."""
        if self._spanning_nodes is None:
            found: set[cst.CSTNode] = set()
            todo: list[cst.CSTNode] = [self.module]
            while todo:
                current = todo.pop()
                if type(current) in _SPANNING:
                    found.add(current)
                todo.extend(children(current))
            self._spanning_nodes = found
        return self._spanning_nodes

    def _loc(self, node: cst.CSTNode, entry: Entry | tuple[()], running: Sequence[FileContext],
             known: Sequence[FileContext] | None) -> Loc:
        rng: CodeRange | None = self.positions.get(node)
        if rng is not None:
            return Loc(rng.start.line, rng.start.column + 1, rng.end.line, rng.end.column + 1)
        from cnnlint.frontend.python import modules  # it imports this module

        return modules.foreign_loc(node, entry.via() if entry else (), running, known)  # another file's code

    @property
    def text(self) -> str:
        """The module's whole text."""
        return text_of(self.module)

    def code(self, node: cst.CSTNode) -> str:
        return code(self.module, node)

    def source(self, node: cst.CSTNode) -> str:
        """The node's text exactly as the file has it (continuation lines keep their columns,
        which libcst's `code_for_node` renders without the enclosing block's indentation)."""
        from cnnlint.frontend.python import modules  # it imports this module

        loc = self.loc(node)
        if self._lines is None:
            self._lines = _LINE.findall(self.text)  # not str.splitlines: a form feed is no line end
        lines = (modules.lines_of(node) if loc.path else self._lines)[loc.line - 1 : loc.end_line]
        if not lines:
            return ""
        if len(lines) == 1:
            return lines[0][loc.column - 1 : loc.end_column - 1]
        return lines[0][loc.column - 1 :] + "".join(lines[1:-1]) + lines[-1][: loc.end_column - 1]
