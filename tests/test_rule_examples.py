"""Each rule's own VALID / INVALID examples behave as documented (Fixit style)."""

from __future__ import annotations

import pytest

from cnnlint.rules import ALL_RULES, Rule
from tests.conftest import codes

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
