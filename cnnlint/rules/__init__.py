"""The rule table: every rule class, in code order, and selection by code prefix.

Rules are found, not listed: each module named `cnnNNN_kebab_name` in this package, or in one
of its folders (a family of rules sharing checks, like `feeding/`), holds one `Rule` subclass.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable

from cnnlint.rules.base import Diagnostic, Rule

RULE_MODULE = re.compile(r"cnn\d{3}_\w+")


def rule_modules() -> list[str]:
    """The dotted names of the rule modules, folders included, in name order."""
    names = [info.name for info in pkgutil.walk_packages(__path__, f"{__name__}.", onerror=_unimportable)
             if RULE_MODULE.fullmatch(info.name.rsplit(".", 1)[-1])]
    return sorted(names, key=lambda name: name.rsplit(".", 1)[-1])


def _unimportable(name: str) -> None:
    # walk_packages would skip a folder that fails to import: its rules would go missing silently.
    raise ImportError(f"cannot import the rule folder {name}")


def rules_in(module_name: str) -> list[type[Rule]]:
    """The rule classes a module defines (not those it imports)."""
    module = importlib.import_module(module_name)
    return [value for value in vars(module).values()
            if isinstance(value, type) and issubclass(value, Rule) and value.__module__ == module_name
            and "code" in vars(value)]


ALL_RULES: tuple[type[Rule], ...] = tuple(
    sorted((rule for name in rule_modules() for rule in rules_in(name)), key=lambda rule: rule.code)
)

BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}


class SelectionError(ValueError):
    pass


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code.startswith(p) for p in patterns)


def validate(patterns: Iterable[str]) -> None:
    for pattern in patterns:
        if not any(rule.code.startswith(pattern) for rule in ALL_RULES):
            raise SelectionError(f"unknown rule code or prefix: {pattern!r}")


def select_rules(
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
) -> list[Rule]:
    """Instantiate the enabled rules: the default set (or `select`), plus `extend_select`, minus `ignore`."""
    select = list(select) if select is not None else None
    ignore, extend_select = list(ignore), list(extend_select)
    validate([*(select or []), *ignore, *extend_select])
    chosen: list[Rule] = []
    for rule in ALL_RULES:
        enabled = _matches(rule.code, select) if select is not None else not rule.opt_in
        if _matches(rule.code, extend_select):
            enabled = True
        if _matches(rule.code, ignore):
            enabled = False
        if enabled:
            chosen.append(rule())
    return chosen


__all__ = ["ALL_RULES", "BY_CODE", "Diagnostic", "Rule", "SelectionError", "select_rules"]
