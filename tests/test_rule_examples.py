"""Each rule's own VALID / INVALID examples behave as documented (Fixit style)."""

from __future__ import annotations

import pytest

from cnnlint.rules import ALL_RULES, Rule, rule_modules, rules_in
from tests.conftest import ROOT, codes

CASES = [(rule, i, "valid", ex) for rule in ALL_RULES for i, ex in enumerate(rule.VALID)] + [
    (rule, i, "invalid", ex) for rule in ALL_RULES for i, ex in enumerate(rule.INVALID)
]


@pytest.mark.parametrize(
    ("rule", "index", "kind", "example"), CASES, ids=[f"{r.code}-{k}-{i}" for r, i, k, _ in CASES]
)
def test_rule_example(rule: type[Rule], index: int, kind: str, example: str) -> None:
    found = codes(example)
    if kind == "valid":
        assert rule.code not in found
        assert found == [] or rule.code == "CNN000"
    else:
        assert rule.code in found


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_rule_is_documented_with_ruff_headings(rule: type[Rule]) -> None:
    doc = rule.documentation()
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## References"):
        assert heading in doc
    assert rule.VALID and rule.INVALID
    assert rule.name == rule.name.lower() and " " not in rule.name


def test_rule_codes_are_unique_and_ordered() -> None:
    all_codes = [r.code for r in ALL_RULES]
    assert all_codes == sorted(set(all_codes))


def test_each_rule_module_is_named_for_the_one_rule_it_holds() -> None:
    for name in rule_modules():
        (rule,) = rules_in(name)
        assert name.rsplit(".", 1)[-1] == f"{rule.code.lower()}_{rule.name.replace('-', '_')}"


def test_rule_modules_in_folders_are_found() -> None:
    folder = ROOT / "cnnlint" / "rules"
    files = sorted(folder.rglob("cnn[0-9][0-9][0-9]_*.py"))
    found = [".".join(("cnnlint", "rules", *p.relative_to(folder).with_suffix("").parts)) for p in files]
    assert sorted(rule_modules()) == sorted(found)
    assert "cnnlint.rules.feeding.cnn012_fit_input_mismatch" in found
    assert [r.code for r in ALL_RULES] == sorted(r.code for name in found for r in rules_in(name))
