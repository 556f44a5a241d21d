"""The rule table: every rule class, in code order, and selection by code prefix.

Rules are found, not listed: each module named `cnnNNN_kebab_name` in this package, or in one
of its folders (a family of rules sharing checks, like `feeding/`), holds one `Rule` subclass.
"""

from __future__ import annotations

import importlib
import pkgutil
import re
from collections.abc import Iterable

from cnnlint import catalog
from cnnlint.catalog import SelectionError, validate
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


def catalog_lines() -> list[str]:
    """The rule modules as `cnnlint.catalog.RULES` must list them."""
    return [repr(catalog.RuleInfo(r.code, r.name, r.severity, r.opt_in, r.__module__)) for r in ALL_RULES]


if [repr(info) for info in catalog.RULES] != catalog_lines():  # selection would miss or misname a rule
    raise ImportError("cnnlint.catalog.RULES is out of date with the rule modules; it should read:\n"
                      + "\n".join(catalog_lines()))


def select_rules(
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
) -> list[Rule]:
    """Instantiate the enabled rules: the default set (or `select`), plus `extend_select`, minus
    `ignore` (decided by `cnnlint.catalog`, which raises SelectionError for an unknown code)."""
    return [BY_CODE[info.code]() for info in catalog.selected(select, ignore, extend_select)]


__all__ = ["ALL_RULES", "BY_CODE", "Diagnostic", "Rule", "SelectionError", "select_rules", "validate"]
