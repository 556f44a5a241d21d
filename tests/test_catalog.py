"""The static rule index (cnnlint.catalog) against the rule modules, and a cached run's imports."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from cnnlint import catalog
from cnnlint.rules import ALL_RULES, BY_CODE, SelectionError, catalog_lines, select_rules


def test_catalog_lists_every_rule_module() -> None:
    assert [repr(info) for info in catalog.RULES] == catalog_lines(), \
        "update cnnlint/catalog.py RULES to:\n" + "\n".join(catalog_lines())
    assert [info.code for info in catalog.RULES] == [rule.code for rule in ALL_RULES]


@pytest.mark.parametrize(("select", "ignore", "extend"), [
    (None, (), ()), (["CNN"], (), ()), (["CNN00"], ["CNN007"], ()), (None, ["CNN01"], ["CNN100"]),
    (["CNN001"], (), ["CNN009"]), (None, (), ["CNN"]), ([], (), ()),
])
def test_selection_is_the_rules_selection(select: list[str] | None, ignore: list[str], extend: list[str]) -> None:
    codes = [info.code for info in catalog.selected(select, ignore, extend)]
    assert [rule.code for rule in select_rules(select, ignore, extend)] == codes
    default = [r.code for r in ALL_RULES if not r.opt_in]
    if select is None and not ignore and not extend:
        assert codes == default


def test_unknown_code_is_refused_by_both() -> None:
    with pytest.raises(SelectionError):
        catalog.validate(["CNN999"])
    with pytest.raises(SelectionError):
        select_rules(["XYZ"])
    assert catalog.SelectionError is SelectionError
    assert set(catalog.BY_CODE) == set(BY_CODE)


HEAVY = ("libcst", "cnnlint.frontend", "cnnlint.shapes", "cnnlint.rules", "cnnlint.ir", "click.testing")


def _imported(args: list[str], cwd: Path) -> tuple[str, list[str]]:
    probe = textwrap.dedent(f"""
        import json, sys
        from cnnlint import cli
        try:
            cli.main({args!r}, standalone_mode=False)
        except SystemExit:
            pass
        print(json.dumps(sorted(sys.modules)), file=sys.stderr)
    """)
    done = subprocess.run([sys.executable, "-c", probe], cwd=cwd, capture_output=True, text=True, timeout=120)
    modules = json.loads(done.stderr.strip().splitlines()[-1])
    return done.stdout, [m for m in modules if m.startswith(HEAVY)]


@pytest.mark.cache
def test_a_cached_run_imports_no_front_end(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text("[tool.cnnlint]\n")
    (tmp_path / "model.py").write_text(textwrap.dedent("""
        from tensorflow import keras
        from tensorflow.keras import layers
        model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten(),
                                  layers.Dense(10, input_dim=100)])
        other = keras.Sequential([keras.Input(shape=(4, 4, 1)), layers.Flatten(), layers.Dense(10)])
        other.fit([[1, 2]], [1])
    """))
    first, heavy_first = _imported(["check", "model.py"], tmp_path)
    assert heavy_first, "the first run analyses the file"
    second, heavy = _imported(["check", "model.py"], tmp_path)
    assert second == first
    assert heavy == [], f"a run answered from the cache imported {heavy}"
    for args in (["check", "--format", "json", "model.py"], ["check", "--statistics", "model.py"],
                 ["check", "--format", "github", "model.py"], ["check", "--output-format", "concise", "model.py"],
                 ["check", "--output-format", "json-lines", "model.py"]):
        _, heavy = _imported(args, tmp_path)
        assert heavy == [], f"{args}: imported {heavy}"


def test_prefilter_markers_are_the_plugins() -> None:
    from cnnlint import runner
    from cnnlint.frontend.plugins import MARKERS

    assert set(runner.MARKERS) == set(MARKERS)
