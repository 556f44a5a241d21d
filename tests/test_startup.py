"""A plain `cnnlint check` of a small file imports only what the file needs (issue 17).

The op families of `shapes/ops/` load on the first lookup of one of their ops, from a static table
(`registry.FAMILIES`) held here to the families' own `declare` calls so that it cannot drift. What
whole plugin tables that answer
for one name prefix (`keras.applications.`, `tensorflow_datasets.`) load on the first lookup of a
name under it (`Library.defer`), and the notebook reader when a notebook is read. What
a run imports is read from `sys.modules` in a fresh interpreter, never timed (docs/performance.md
has the instruction counts).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

from cnnlint.shapes.registry import DECLARED_IN, FAMILIES
from tests.conftest import ROOT

OPS_DIR = ROOT / "cnnlint" / "shapes" / "ops"

SMALL_MODEL = """\
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    layers.Input(shape=(28, 28, 1)),
    layers.Conv2D(32, 3, activation="relu"),
    layers.MaxPooling2D(2),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
"""


def _declared_in_source() -> dict[str, tuple[str, ...]]:
    """Family -> the op names its module passes to `declare(OpDecl("name", ...))`, in order."""
    found: dict[str, tuple[str, ...]] = {}
    for path in sorted(OPS_DIR.glob("*.py")):
        names = []
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id == "declare":
                decl = node.args[0]
                assert isinstance(decl, ast.Call) and isinstance(decl.args[0], ast.Constant), ast.unparse(node)
                names.append(decl.args[0].value)
        if names:
            found[path.stem] = tuple(sorted(names))
    return found


def _fresh(code: str) -> str:
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_the_family_table_is_what_the_family_modules_declare() -> None:
    assert {family: tuple(sorted(ops)) for family, ops in FAMILIES.items()} == _declared_in_source()
    assert len(DECLARED_IN) == sum(len(ops) for ops in FAMILIES.values())  # no op in two families


def test_declare_all_declares_exactly_the_table() -> None:
    code = (
        "from cnnlint.shapes import registry\n"
        "print(sorted(registry.OPS.declared))\n"
        "registry.declare_all()\n"
        "print(sorted(registry.OPS.declared))\n"
    )
    before, after = _fresh(code).splitlines()
    assert before == "[]"  # nothing declared at import
    assert after == str(sorted(DECLARED_IN))


def test_looking_an_op_up_imports_its_family_and_iterating_imports_all() -> None:
    code = (
        "import sys\n"
        "from cnnlint.shapes import OPS, REGISTRY, declaration\n"
        "loaded = lambda: sorted(m.rsplit('.', 1)[1] for m in sys.modules if m.startswith('cnnlint.shapes.ops.'))\n"
        "print(loaded())\n"
        "declaration('conv')\n"
        "print(loaded())\n"
        "print('dense' in OPS, 'no_such_op' in OPS, REGISTRY.get('no_such_op'))\n"
        "print(loaded())\n"
        "print(len(OPS) == len(REGISTRY), loaded())\n"
    )
    lines = _fresh(code).splitlines()
    assert lines[0] == "[]"
    assert lines[1] == "['convolution', 'layout']"
    assert lines[2] == "True False None"
    assert lines[3] == "['convolution', 'dense', 'layout']"
    assert lines[4] == f"True {sorted([*FAMILIES, 'layout'])}"


def _imported_by_a_check(path: Path) -> list[str]:
    """The cnnlint modules a real `python -m cnnlint check --no-cache PATH` has imported at its exit."""
    code = (
        "import atexit, runpy, sys\n"
        "atexit.register(lambda: print(sorted(m for m in sys.modules if m.startswith('cnnlint')), file=sys.stderr))\n"
        f"sys.argv = ['cnnlint', 'check', '--no-cache', {str(path)!r}]\n"
        "runpy.run_module('cnnlint', run_name='__main__')\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120, cwd=ROOT)
    assert "All checks passed!" in result.stdout, result.stdout + result.stderr
    modules: list[str] = ast.literal_eval(result.stderr.strip().splitlines()[-1])
    return modules


def test_a_check_of_a_small_model_imports_only_the_families_it_needs(tmp_path: Path) -> None:
    path = tmp_path / "small.py"
    path.write_text(SMALL_MODEL, encoding="utf-8")
    modules = _imported_by_a_check(path)
    families = sorted(m.rsplit(".", 1)[1] for m in modules if m.startswith("cnnlint.shapes.ops."))
    assert families == ["basic", "convolution", "dense", "layout", "reshape"]

    for deferred in ("cnnlint.frontend.keras.applications", "cnnlint.frontend.tfds.datasets", "cnnlint.notebook",
                     "cnnlint.ipynb"):
        assert deferred not in modules


def test_a_deferred_table_is_imported_by_the_first_name_under_its_prefix(tmp_path: Path) -> None:
    path = tmp_path / "uses.py"
    path.write_text(
        "import tensorflow_datasets as tfds\n"
        "from tensorflow import keras\n"
        "ds = tfds.load('mnist', split='train', as_supervised=True)\n"
        "base = keras.applications.ResNet50(include_top=False, input_shape=(224, 224, 3))\n",
        encoding="utf-8")
    modules = _imported_by_a_check(path)
    assert "cnnlint.frontend.keras.applications" in modules and "cnnlint.frontend.tfds.datasets" in modules
    assert "cnnlint.notebook" not in modules


def test_every_deferred_table_is_in_the_whole_table() -> None:
    code = (
        "from cnnlint.frontend import plugins\n"
        "from cnnlint.frontend.keras.registry import LIBRARY as KERAS\n"
        "from cnnlint.frontend.tfds.registry import LIBRARY as TFDS\n"
        "print(sorted(KERAS.deferred), sorted(TFDS.deferred))\n"
        "print('keras.applications.ResNet50' in KERAS.all_specs(), 'tensorflow_datasets.load' in TFDS.all_specs())\n"
        "print(KERAS.deferred, TFDS.deferred)\n"
    )
    assert _fresh(code).splitlines() == ["['keras.applications.'] ['tensorflow_datasets.']", "True True", "{} {}"]
