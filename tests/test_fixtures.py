"""Every fixture yields exactly the findings its `# expect: CODE` comments announce."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from cnnlint.rules import select_rules
from cnnlint.runner import check_file
from tests.conftest import FIXTURES

EXPECT = re.compile(r"#\s*expect:\s*(?P<codes>CNN\d{3}(?:\s*,\s*CNN\d{3})*)")
ALL_FIXTURES = sorted(p for p in FIXTURES.rglob("*.py"))


def expected_findings(path: Path) -> set[tuple[int, str]]:
    found: set[tuple[int, str]] = set()
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        match = EXPECT.search(line)
        if match:
            found |= {(number, code.strip()) for code in match.group("codes").split(",")}
    return found


@pytest.mark.parametrize("path", ALL_FIXTURES, ids=lambda p: str(p.relative_to(FIXTURES)))
def test_fixture_reports_exactly_the_planted_bugs(path: Path) -> None:
    result = check_file(str(path), select_rules(["CNN"]))
    assert result.error is None
    actual = {(d.loc.line, d.code) for d in result.diagnostics}
    assert actual == expected_findings(path)


def test_fixture_tree_holds_clean_and_buggy_programs() -> None:
    buggy = [p for p in ALL_FIXTURES if expected_findings(p)]
    clean = [p for p in ALL_FIXTURES if not expected_findings(p)]
    assert len(buggy) >= 5 and len(clean) >= 3
