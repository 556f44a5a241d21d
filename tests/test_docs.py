"""The rule pages under docs/rules are generated from the rule modules and must be up to date."""

from __future__ import annotations

from cnnlint.docgen import pages
from tests.conftest import ROOT


def test_rule_docs_are_up_to_date() -> None:
    folder = ROOT / "docs" / "rules"
    stale = [name for name, text in pages().items()
             if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text]
    assert stale == [], "run `python -m cnnlint.docgen` to regenerate " + ", ".join(stale)
