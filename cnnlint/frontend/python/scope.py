"""Scopes, call frames and the control-flow signals of the interpreter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from cnnlint.frontend.python.values import Value
from cnnlint.ir import Loc


class _Signal(Exception):
    """Control flow of the interpreted program."""


class ReturnSignal(_Signal):
    def __init__(self, value: Value) -> None:
        self.value = value


class BreakSignal(_Signal):
    pass


class ContinueSignal(_Signal):
    pass


class RaiseSignal(_Signal):
    """The program certainly raises here: the rest of this path never runs."""


class LoopUncertain(_Signal):
    """A break/continue under an unknown condition: the loop's effect is unknown."""


class BudgetExceeded(Exception):
    pass


class Scope:
    """Variables of a module, function or class body."""

    def __init__(self, kind: str, parent: Scope | None = None, module: Scope | None = None) -> None:
        self.kind = kind
        self.vars: dict[str, Value] = {}
        self.parent = parent
        self.module: Scope = module or self
        self.global_names: set[str] = set()
        self.star_imports: list[str] = []
        # A module scope of another project file (`cnnlint.frontend.python.modules.FileContext`):
        # its functions run with that file's positions. None: the file being checked.
        self.file: Any = None
        # Where a variable was last assigned by `name = ...`, with the value it got then: a size
        # read from it can point at that line (`flat = 7 * 7 * 64`), while it still holds that value.
        self.where: dict[str, tuple[Loc, Value]] = {}

    def lookup(self, name: str) -> Value | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars and not (scope.kind == "class" and scope is not self):
                return scope.vars[name]
            scope = scope.parent
        if name in self.module.vars:
            return self.module.vars[name]
        return None

    def assign(self, name: str, value: Value, at: Loc | None = None) -> None:
        target = self.module if name in self.global_names else self
        target.vars[name] = value
        if at is None:
            target.where.pop(name, None)
        else:
            target.where[name] = (at, value)

    def assigned_at(self, name: str, value: Value) -> Loc | None:
        """Where `name` got `value` (the very object), when an assignment statement gave it."""
        for scope in self.chain():
            found = scope.where.get(name)
            if found is not None and found[1] is value:
                return found[0]
        return None

    def chain(self) -> list[Scope]:
        out: list[Scope] = []
        scope: Scope | None = self
        while scope is not None:
            out.append(scope)
            scope = scope.parent
        if self.module not in out:
            out.append(self.module)
        return out


@dataclass
class Frame:
    possible_returns: list[Value] = field(default_factory=list)
    # The values a generator function's body yields (None: not a generator).
    yields: list[Value] | None = None
    # The function running and its local scope (for a zero-argument `super()`; `supercall.py`).
    func: Value | None = None
    scope: Scope | None = None


def name_of(node: cst.CSTNode) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    return None

