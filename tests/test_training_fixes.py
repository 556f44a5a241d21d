"""The unsafe fixes of the training-setup rules: CNN201 writes `sigmoid` for a softmax over one
unit, CNN204 gives a linear output the activation its loss expects. Each is offered as unsafe
(never applied by `--fix` alone), its result parses, and the finding is gone from it."""

from __future__ import annotations

import ast
import textwrap

import pytest

from cnnlint.fix import apply_fixes
from tests.conftest import lint

PRELUDE = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
CASES = [
    ("CNN201", "m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1, activation='softmax')])\n",
     "layers.Dense(1, activation='sigmoid')"),
    ("CNN201", "inp = keras.Input(shape=(4,))\nm = keras.Model(inp, layers.Activation(\"softmax\")(layers.Dense(1)(inp)))\n",
     'layers.Activation("sigmoid")'),
    ("CNN204", "m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])\nm.compile('adam', 'categorical_crossentropy')\n",
     'layers.Dense(3, activation="softmax")'),
    ("CNN204", "m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, name='head',)])\n"
               "m.compile('adam', 'categorical_crossentropy')\n", "layers.Dense(3, name='head', activation=\"softmax\",)"),
    ("CNN204", "m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1, activation=None)])\n"
               "m.compile('adam', loss=keras.losses.BinaryCrossentropy())\n", 'layers.Dense(1, activation="sigmoid")'),
    ("CNN204", "inp = keras.Input(shape=(4,))\nm = keras.Model(inp, layers.Dense(3, activation='linear')(inp))\n"
               "m.compile('adam', 'categorical_crossentropy')\n", 'layers.Dense(3, activation="softmax")(inp)'),
]


@pytest.mark.parametrize(("code", "body", "expected"), CASES, ids=[f"{c}-{i}" for i, (c, _, _) in enumerate(CASES)])
def test_the_unsafe_fix_applies_parses_and_removes_the_finding(code: str, body: str, expected: str) -> None:
    source = PRELUDE + body
    found = [d for d in lint(source, "CNN2") if d.code == code]
    assert len(found) == 1 and found[0].fix is not None and found[0].fix.applicability == "unsafe"
    result = apply_fixes(source, found)
    assert result.changed and expected in result.source
    ast.parse(result.source)
    assert [d.code for d in lint(result.source, "CNN2")] == []


@pytest.mark.parametrize("body", [
    "m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1, activation=keras.activations.softmax)])\n",
    "kw = {}\nm = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, **kw)])\nm.compile('adam', 'categorical_crossentropy')\n",
])
def test_no_fix_where_the_edit_is_not_mechanical(body: str) -> None:
    assert all(d.fix is None for d in lint(PRELUDE + body, "CNN2"))


def test_fix_flag_alone_leaves_the_file_unchanged(tmp_path: object) -> None:
    from click.testing import CliRunner

    from cnnlint.cli import main

    path = __import__("pathlib").Path(str(tmp_path)) / "model.py"
    original = PRELUDE + textwrap.dedent(CASES[0][1])
    path.write_text(original)
    runner = CliRunner()
    runner.invoke(main, ["check", "--no-cache", "--select", "CNN2", "--fix", str(path)])
    assert path.read_text() == original
    runner.invoke(main, ["check", "--no-cache", "--select", "CNN2", "--fix", "--unsafe-fixes", str(path)])
    assert "activation='sigmoid'" in path.read_text()
