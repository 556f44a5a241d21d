"""Inputs built to break a linter: each gives a clear message, never a crash or a hang."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest


def run_cli(path: Path) -> tuple[int, dict[str, object], str]:
    result = subprocess.run([sys.executable, "-m", "cnnlint", "--format", "json", str(path)],
                            capture_output=True, text=True, timeout=120)
    return result.returncode, json.loads(result.stdout), result.stderr


@pytest.mark.parametrize(
    ("name", "source", "reason"),
    [
        ("parens", "x = " + "(" * 10000 + "1" + ")" * 10000 + "\n", "brackets nested"),
        ("lists", "x = " + "[" * 500 + "]" * 500 + "\n", "brackets nested"),
        ("blocks", "".join("    " * i + "if x:\n" for i in range(150)) + "    " * 150 + "pass\n", "blocks nested"),
        ("chain", "x = 1" + " + 1" * 20000 + "\n", "operators"),
    ],
)
def test_deeply_nested_file_is_skipped_with_a_reason(tmp_path: Path, name: str, source: str, reason: str) -> None:
    src = tmp_path / f"{name}.py"
    src.write_text(source)
    status, report, stderr = run_cli(src)
    assert status == 1 and stderr == ""
    (error,) = report["errors"]  # type: ignore[misc]
    assert reason in error["message"] and error["message"].startswith("not analysed")


def test_long_but_flat_statement_is_analysed(tmp_path: Path) -> None:
    src = tmp_path / "table.py"
    src.write_text("import tensorflow as tf\nvalues = [" + ", ".join(str(i) for i in range(20000)) + "]\n"
                   "y = tf.reshape(tf.zeros([6]), [4, 4])\n")
    status, report, _ = run_cli(src)
    assert status == 1 and report["errors"] == []
    assert [d["code"] for d in report["diagnostics"]] == ["CNN004"]  # type: ignore[index, union-attr]
