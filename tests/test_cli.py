"""The command-line contract of SPEC.md: commands, exit codes, JSON, selection, bad input."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnnlint.cli import main
from tests.conftest import FIXTURES

BUGGY = str(FIXTURES / "seeds" / "mnist_tf1_flatten_4x4.py")
CLEAN = str(FIXTURES / "seeds" / "mnist_tf1_clean.py")


def run(*args: str, stdin: str | None = None) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), input=stdin)
    return result.exit_code, result.output


def test_clean_file_exits_zero() -> None:
    status, out = run(CLEAN)
    assert status == 0
    assert "All checks passed" in out


def test_finding_exits_one_in_ruff_format() -> None:
    status, out = run("check", BUGGY)
    assert status == 1
    assert out.splitlines()[0].startswith(f"{BUGGY}:42:11: CNN001 ")


def test_exit_zero_keeps_the_report() -> None:
    status, out = run("--exit-zero", BUGGY)
    assert status == 0 and "CNN001" in out


def test_text_trace_explains_the_flatten_size() -> None:
    _, out = run(BUGGY)
    assert "7x7x64 = 3136 values per example" in out
    assert "28x28x1 -> conv2d 28x28x32 -> max_pool 14x14x32 -> conv2d 14x14x64 -> max_pool 7x7x64" in out


def test_json_report_follows_spec(tmp_path: Path) -> None:
    status, out = run("check", "--format", "json", BUGGY, CLEAN)
    assert status == 1
    report = json.loads(out)
    assert report["version"] == 1 and report["files_checked"] == 2 and report["errors"] == []
    (d,) = report["diagnostics"]
    assert set(d) == {"code", "name", "severity", "path", "line", "column", "end_line", "end_column",
                      "message", "trace", "related", "confirmed", "fix"}
    assert (d["code"], d["name"], d["severity"], d["path"]) == ("CNN001", "flatten-size-mismatch", "error", BUGGY)
    assert [(r["path"], r["line"], r["column"]) for r in d["related"]] == [(BUGGY, 29, 12)]
    assert (d["line"], d["column"]) == (42, 11) and d["end_line"] == 42 and d["end_column"] > d["column"]
    assert d["confirmed"] is None
    assert d["fix"]["applicability"] == "safe" and d["fix"]["edits"][0]["content"] == "7*7*64"
    assert {"line": 33, "op": "reshape", "shape": [None, 28, 28, 1]} in d["trace"]
    # a step made inside a helper called more than once names the call it belongs to
    assert {"line": 29, "op": "max_pool", "shape": [None, 7, 7, 64], "call": "maxpool2d(conv2, k=2) at line 39"} \
        in d["trace"]


def test_relative_paths_stay_relative(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(FIXTURES.parent)
    _, out = run("--format", "json", "fixtures/seeds/mnist_tf1_flatten_4x4.py")
    assert json.loads(out)["diagnostics"][0]["path"] == "fixtures/seeds/mnist_tf1_flatten_4x4.py"


def test_ignore_silences_a_rule() -> None:
    status, out = run("--ignore", "CNN001", BUGGY)
    assert status == 0 and "CNN001" not in out


def test_select_prefix_enables_opt_in_rules(tmp_path: Path) -> None:
    src = tmp_path / "pool.py"
    src.write_text(
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
        "y = tf.nn.max_pool(x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding='VALID')\n"
    )
    assert run(str(src))[0] == 0
    assert "CNN009" in run("--select", "CNN", str(src))[1]
    assert "CNN009" in run("--extend-select", "CNN009", str(src))[1]


def test_unknown_rule_code_is_a_usage_error() -> None:
    status, _ = run("--select", "XYZ1", CLEAN)
    assert status == 2


def test_syntax_error_is_cnn000_and_the_run_goes_on(tmp_path: Path) -> None:
    bad = tmp_path / "py2.py"
    bad.write_text('print "hello"\n')
    status, out = run("--format", "json", str(bad), BUGGY)
    report = json.loads(out)
    assert status == 1
    assert [d["code"] for d in report["diagnostics"]] == ["CNN000", "CNN001"]
    assert report["diagnostics"][0]["line"] == 1


def test_undecodable_file_is_reported_in_errors(tmp_path: Path) -> None:
    bad = tmp_path / "latin.py"
    bad.write_bytes(b"x = '\xff\xfe caf\xe9'\n")
    status, out = run("--format", "json", str(bad))
    report = json.loads(out)
    assert status == 1
    assert report["errors"][0]["path"] == str(bad) and "decode" in report["errors"][0]["message"]


def test_coding_cookie_is_honoured(tmp_path: Path) -> None:
    src = tmp_path / "latin.py"
    src.write_bytes(b"# -*- coding: latin-1 -*-\nname = 'caf\xe9'\n")
    assert run(str(src))[0] == 0


def test_missing_path_is_reported(tmp_path: Path) -> None:
    status, out = run("--format", "json", str(tmp_path / "nope.py"))
    assert status == 1 and "no such file" in json.loads(out)["errors"][0]["message"]


@pytest.mark.skipif(os.geteuid() == 0, reason="root can read any file")
def test_unreadable_file_is_reported(tmp_path: Path) -> None:
    src = tmp_path / "secret.py"
    src.write_text("x = 1\n")
    src.chmod(0)
    status, out = run("--format", "json", str(src))
    assert status == 1 and "permission" in json.loads(out)["errors"][0]["message"]


def test_directory_is_searched_recursively_skipping_venvs(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "model.py").write_text(Path(BUGGY).read_text())
    (tmp_path / ".venv").mkdir()
    (tmp_path / ".venv" / "lib.py").write_text(Path(BUGGY).read_text())
    _, out = run("--format", "json", str(tmp_path))
    report = json.loads(out)
    assert report["files_checked"] == 1
    assert report["diagnostics"][0]["path"] == str(tmp_path / "pkg" / "model.py")


def test_stdin_with_filename() -> None:
    status, out = run("--format", "json", "--stdin-filename", "model.py", "-", stdin=Path(BUGGY).read_text())
    assert status == 1 and json.loads(out)["diagnostics"][0]["path"] == "model.py"


def test_inline_suppression(tmp_path: Path) -> None:
    code = Path(BUGGY).read_text().replace("# expect: CNN001", "# cnnlint: ignore[CNN001]")
    src = tmp_path / "m.py"
    src.write_text(code)
    assert run(str(src))[0] == 0
    src.write_text(code.replace("ignore[CNN001]", "ignore[CNN004]"))
    assert run(str(src))[0] == 1
    src.write_text(code.replace("ignore[CNN001]", "ignore"))
    assert run(str(src))[0] == 0


def test_statistics_counts_per_rule() -> None:
    status, out = run("--statistics", str(FIXTURES))
    assert status == 1
    assert any(line.split("\t")[1:] == ["CNN001", "flatten-size-mismatch"] for line in out.splitlines())
    coverage = out.splitlines()[-1]
    assert coverage.startswith("models: ") and "with every shape known" in coverage


def test_statistics_counts_models_by_how_much_of_them_is_shaped(tmp_path: Path) -> None:
    (tmp_path / "m.py").write_text(
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "a = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(2)])\n"
        "b = keras.Sequential([layers.Conv2D(8, 3), layers.Dense(2)])\n"
        "def unknown(x):\n    return keras.Sequential([keras.layers.Lambda(lambda t: t), layers.Dense(2)])\n")
    _status, out = run("--statistics", "--exit-zero", str(tmp_path))
    assert out.splitlines()[-1] == "models: 3 found, 1 with every shape known, 1 partly, 1 unknown"


def test_rules_lists_every_rule_as_json() -> None:
    status, out = run("rules", "--format", "json")
    table = json.loads(out)
    assert status == 0
    assert {"code": "CNN009", "name": "strided-remainder", "severity": "warning", "default": False} .items() <= \
        next(r for r in table if r["code"] == "CNN009").items()


def test_explain_prints_docs_and_examples() -> None:
    status, out = run("explain", "cnn001")
    assert status == 0
    assert "## Why is this bad?" in out and "## Flagged" in out and "tf.reshape" in out
    assert run("explain", "CNN999")[0] == 2


def test_shapes_answers_why_7x7x64() -> None:
    status, out = run("shapes", CLEAN)
    assert status == 0
    rows = [line.split() for line in out.splitlines()]
    pools = [r for r in rows if "tf.nn.max_pool" in r]
    assert [r[-4:] for r in pools] == [["(None,", "14,", "14,", "32)"], ["(None,", "7,", "7,", "64)"]]


def test_shapes_json_follows_spec() -> None:
    status, out = run("shapes", "--format", "json", CLEAN)
    report = json.loads(out)
    assert status == 0 and report["version"] == 1
    (model,) = report["models"]
    assert model["path"] == CLEAN and model["name"] == "<module>"
    ops = [(layer["op"], layer["output"]) for layer in model["layers"]]
    assert ("conv2d", [None, 28, 28, 32]) in ops and ("max_pool", [None, 7, 7, 64]) in ops
    assert ("reshape", [None, 3136]) in ops


def test_version() -> None:
    status, out = run("--version")
    assert status == 0 and "cnnlint" in out


def _subprocess(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cnnlint", *args], capture_output=True, text=True, cwd=cwd,
                          timeout=120)


def test_static_mode_never_imports_tensorflow() -> None:
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from cnnlint.cli import main\n"
        f"CliRunner().invoke(main, [{str(FIXTURES)!r}, '--format', 'json'])\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'torch', 'jax')]\n"
        "print(bad)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert result.stdout.strip() == "[]", result.stderr


def test_user_code_is_never_executed(tmp_path: Path) -> None:
    sentinel = tmp_path / "SENTINEL"
    src = tmp_path / "evil.py"
    src.write_text(
        "import os\n"
        f"open({str(sentinel)!r}, 'w').write('ran')\n"
        f"os.system('touch {sentinel}')\n"
        f"exec(\"open({str(sentinel)!r}, 'w')\")\n"
        f"eval(\"__import__('os').system('touch {sentinel}')\")\n"
        "def __getattr__(name):\n"
        f"    open({str(sentinel)!r}, 'w')\n"
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 784])\n"
        "y = tf.reshape(x, [-1, 27, 28, 1])\n"
    )
    result = _subprocess("--format", "json", str(src), cwd=tmp_path)
    assert result.returncode == 1
    assert json.loads(result.stdout)["diagnostics"][0]["code"] == "CNN004"
    assert not sentinel.exists()


def test_python_dash_m_runs_the_cli() -> None:
    result = _subprocess("rules")
    assert result.returncode == 0 and "CNN001" in result.stdout and result.stderr == ""


def test_unreadable_file_is_reported_even_as_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    src = tmp_path / "secret.py"
    src.write_text("x = 1\n")

    def refuse(*args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr("cnnlint.runner.open", refuse, raising=False)
    status, out = run("--format", "json", str(src))
    assert status == 1 and "permission" in json.loads(out)["errors"][0]["message"]


def test_internal_error_is_contained_to_its_file(monkeypatch: pytest.MonkeyPatch) -> None:
    import cnnlint.frontend

    real = cnnlint.frontend.extract

    def explode(code: str, path: str, options: object = None) -> object:
        if "flatten_4x4" in path:
            raise RuntimeError("boom")
        return real(code, path, options)

    monkeypatch.setattr(cnnlint.frontend, "extract", explode)
    status, out = run("--format", "json", BUGGY, str(FIXTURES / "seeds" / "mnist_tf1_wd1_4x4.py"))
    report = json.loads(out)
    assert status == 2
    assert "internal error: RuntimeError: boom" in report["errors"][0]["message"]
    assert [d["code"] for d in report["diagnostics"]] == ["CNN001"]


NOTEBOOK = str(FIXTURES / "notebooks" / "mnist_softmax.ipynb")


def test_notebook_cells_are_one_program_and_positions_name_the_cell() -> None:
    status, out = run("--format", "json", NOTEBOOK)
    (d,) = json.loads(out)["diagnostics"]
    assert status == 1
    assert (d["code"], d["cell"], d["line"], d["column"]) == ("CNN002", 3, 2, 5)
    assert "cell 3, line 1" in d["message"]
    assert d["trace"][0]["line"] == 4


def test_notebook_text_output_names_the_cell() -> None:
    _, out = run(NOTEBOOK)
    assert out.startswith(f"{NOTEBOOK}:cell 3:2:5: CNN002")


@pytest.mark.parametrize("content", ["{not json", '{"metadata": {}}', "[1, 2]"])
def test_broken_notebook_is_an_error_entry(tmp_path: Path, content: str) -> None:
    src = tmp_path / "broken.ipynb"
    src.write_text(content)
    status, out = run("--format", "json", str(src))
    report = json.loads(out)
    assert status == 1 and "not a valid notebook" in report["errors"][0]["message"]


@pytest.mark.parametrize(
    ("source", "line", "column", "words"),
    [
        ('print "hello"\n', 1, 1, "Missing parentheses in call to 'print'"),
        ("def f(:\n    pass\n", 1, 7, "invalid syntax"),
        ("x = (1,\n", 1, 5, "never closed"),
    ],
)
def test_syntax_error_position_and_wording(tmp_path: Path, source: str, line: int, column: int, words: str) -> None:
    src = tmp_path / "bad.py"
    src.write_text(source)
    (d,) = json.loads(run("--format", "json", str(src))[1])["diagnostics"]
    assert (d["code"], d["line"], d["column"]) == ("CNN000", line, column)
    assert words in d["message"]


def test_shapes_in_a_notebook_name_cells() -> None:
    _, out = run("shapes", "--format", "json", NOTEBOOK)
    (model,) = json.loads(out)["models"]
    placeholder = model["layers"][0]
    assert (placeholder["cell"], placeholder["line"], placeholder["output"]) == (2, 4, [None, 784])
    _, text_out = run("shapes", NOTEBOOK)
    assert "cell 2:4" in text_out
