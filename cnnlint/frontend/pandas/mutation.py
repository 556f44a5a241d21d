"""Where a program changes a DataFrame in place in ways the interpreter does not follow: item
assignment (`df["c"] = v` adds a column, `df.loc[len(df)] = row` a row, `del df["c"]`), also
through a function's parameter. Such a value keeps its rank but forgets its sizes.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from cnnlint.frontend.python.evaluator import Evaluator

_INDEXERS = frozenset(("loc", "iloc", "at", "iat"))


@dataclass
class PandasState:
    """Per module: the source text of every value item-assigned (`df`, `self.data`), and the
    functions that item-assign to one of their parameters."""

    scanned: bool = False
    changed: set[str] = field(default_factory=set)
    mutating_functions: set[str] = field(default_factory=set)


class _Finder(cst.CSTVisitor):
    def __init__(self, module: cst.Module, state: PandasState) -> None:
        self.module = module
        self.state = state
        self.functions: list[tuple[str, frozenset[str]]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = node.params
        names = [p.name.value for p in (*params.posonly_params, *params.params, *params.kwonly_params)]
        self.functions.append((node.name.value, frozenset(names)))

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._target(target.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def _target(self, target: cst.BaseExpression) -> None:
        if isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._target(element.value)
            return
        if not isinstance(target, cst.Subscript):
            return
        base = target.value
        if isinstance(base, cst.Attribute) and base.attr.value in _INDEXERS:
            base = base.value
        self.state.changed.add(self.module.code_for_node(base).strip())
        if isinstance(base, cst.Name) and self.functions and base.value in self.functions[-1][1]:
            self.state.mutating_functions.add(self.functions[-1][0])


def state_of(interp: Evaluator) -> PandasState:
    state = interp.state(PandasState)
    if not state.scanned:
        state.scanned = True
        interp.module.visit(_Finder(interp.module, state))
    return state


def changed_in_place(interp: Evaluator, name: str) -> bool:
    """Whether the program item-assigns to what it names `name` (a variable or `self.x`)."""
    return name in state_of(interp).changed


def mutating_call(interp: Evaluator, site: cst.Call) -> bool:
    """Whether `site` calls a function of the module that item-assigns to one of its parameters."""
    func = site.func
    name = func.value if isinstance(func, cst.Name) else func.attr.value if isinstance(func, cst.Attribute) else None
    return name is not None and name in state_of(interp).mutating_functions
