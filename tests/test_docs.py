"""The rule pages under docs/rules are generated from the rule modules and must be up to date."""

from __future__ import annotations

from cnnlint.docgen import pages
from tests.conftest import ROOT


def test_rule_docs_are_up_to_date() -> None:
    folder = ROOT / "docs" / "rules"
    stale = [name for name, text in pages().items()
             if not (folder / name).exists() or (folder / name).read_text(encoding="utf-8") != text]
    assert stale == [], "run `python -m cnnlint.docgen` to regenerate " + ", ".join(stale)


def test_readme_shapes_example_is_what_cnnlint_prints() -> None:
    from click.testing import CliRunner

    from cnnlint.cli import main

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ cnnlint shapes fixtures/seeds/conv1d_modern_seed002.py\n"
    shown = readme[readme.index(command) + len(command):].split("```")[0].strip()
    result = CliRunner().invoke(main, ["shapes", str(ROOT / "fixtures/seeds/conv1d_modern_seed002.py")])
    printed = result.output.replace(str(ROOT) + "/", "")
    assert printed.startswith(shown)
