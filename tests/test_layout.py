"""The front end's layout holds: the Python interpreter names no framework, framework plugins do
not answer for each other's names, and no module grows past the size a reader can hold."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from cnnlint.frontend.plugins import MARKERS, PLUGINS

ROOT = Path(__file__).resolve().parents[1] / "cnnlint"
PYTHON = ROOT / "frontend" / "python"
FRAMEWORK_WORDS = ("keras", "tensorflow", "numpy", "torch", "Sequential", "Layer", "Tensor")


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    out: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            out.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module is not None:
            out.append(node.module)
    return out


@pytest.mark.parametrize("path", sorted(PYTHON.glob("*.py")), ids=lambda p: p.name)
def test_the_python_interpreter_imports_no_framework_plugin(path: Path) -> None:
    for module in _imports(path):
        assert not module.startswith("cnnlint.frontend.") or module.startswith("cnnlint.frontend.python"), \
            f"{path.name} imports {module}"


@pytest.mark.parametrize("path", sorted(PYTHON.glob("*.py")), ids=lambda p: p.name)
def test_the_python_interpreter_names_no_framework_value(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.id for node in ast.walk(tree) if isinstance(node, ast.Name)}
    names |= {node.attr for node in ast.walk(tree) if isinstance(node, ast.Attribute)}
    framework = sorted(n for n in names if any(word in n for word in FRAMEWORK_WORDS))
    assert not framework, f"{path.name} names {framework}"


def test_no_two_plugins_answer_for_one_name() -> None:
    """Every plugin folder's library table (`<folder>/registry.py`'s `LIBRARY`) is disjoint from the others."""
    import importlib

    import cnnlint.frontend.plugins  # noqa: F401  (imports every plugin, which fills the tables)

    tables: dict[str, set[str]] = {}
    for folder in sorted(p for p in (ROOT / "frontend").iterdir() if (p / "registry.py").exists()):
        registry = importlib.import_module(f"cnnlint.frontend.{folder.name}.registry")
        tables[folder.name] = set(registry.LIBRARY.all_specs())
    assert {"keras", "tensorflow", "numpy"} <= set(tables)
    for a in tables:
        for b in tables:
            if a < b:
                assert not tables[a] & tables[b], f"{a} and {b} both handle {sorted(tables[a] & tables[b])[:5]}"


def test_every_plugin_is_listed_once_and_markers_come_from_plugins() -> None:
    assert len(set(PLUGINS)) == len(PLUGINS)
    assert set(MARKERS) == {b"tensorflow", b"keras", b"tf_slim"}


@pytest.mark.parametrize("path", sorted(ROOT.rglob("*.py")), ids=lambda p: str(p.relative_to(ROOT)))
def test_no_module_is_over_800_lines(path: Path) -> None:
    lines = path.read_text(encoding="utf-8").count("\n")
    assert lines <= 800, f"{path.relative_to(ROOT)} has {lines} lines"
