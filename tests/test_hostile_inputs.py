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


# -- the hostile-input suite: every case is generated here, run through the real command line --
# Each gives a finding, an `errors` entry with a clear message, or nothing; exit 0 or 1; no
# traceback; a time limit (the subprocess timeout) and a memory limit (RLIMIT_AS) it must stay in.
MEMORY_LIMIT = 3 * 1024**3

ABSURD_SHAPES = """\
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
a = tf.zeros([10**30, 3])
b = tf.reshape(a, [-1, 7])
c = tf.zeros([-5, 3])
d = tf.reshape(tf.zeros([6]), [-4, 2])
m = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(0, 3), layers.Conv2D(8, kernel_size=-1),
                      layers.Conv2D(8, 3, strides=0), layers.MaxPooling2D(0), layers.Dense(-3),
                      layers.Conv2D(8, 10**20)])
x = tf.placeholder(tf.float32, [None, 10**100, 3])
w = tf.Variable(tf.zeros([3, 2**64]))
y = tf.matmul(tf.reshape(x, [-1, 3]), w)
z = tf.nn.conv2d(tf.zeros([1, 28, 28, 1]), tf.zeros([3, 3, 1, 8]), strides=[1, 0, 0, 1], padding='SAME')
p = tf.nn.max_pool(tf.zeros([1, 28, 28, 1]), ksize=[1, -2, 2, 1], strides=[1, 2, 2, 1], padding='VALID')
q = tf.zeros([1] * 10**6)
"""

RECURSION = """\
import tensorflow as tf
def f(x):
    return f(x)
def g(x):
    return h(x) + 1
def h(x):
    return g(x)
y = f(tf.zeros([1, 2]))
z = g(tf.zeros([1, 2]))
"""

HUGE_LOOPS = """\
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential()
for i in range(10**9):
    model.add(layers.Dense(10))
x = tf.zeros([1, 3])
for i in range(10**9):
    x = tf.concat([x, x], axis=0)
while True:
    x = x + 1
big = [0] * 10**12
text = 'a' * 10**12
"""

LATIN1 = "# -*- coding: latin-1 -*-\nimport tensorflow as tf\nname = 'café'\ny = tf.reshape(tf.zeros([6]), [4, 4])\n"


def _cases() -> list[tuple[str, str, bytes | str | None, str]]:
    """(id, file name, contents, expected): `error:<text>`, `codes:<CODE,...>` or `nothing`."""
    model_lines = "import tensorflow as tf\n" + "x = tf.zeros([1, 28, 28, 1])\ny = tf.reshape(x, [-1, 784])\n" * 180_000
    return [
        ("parens-10000", "a.py", "x = " + "(" * 10000 + "1" + ")" * 10000 + "\n", "error:brackets nested"),
        ("unary-10000", "a.py", "x = " + "-" * 10000 + "1\n", "error:operators"),
        ("not-10000", "a.py", "x = " + "not " * 10000 + "1\n", "error:operators"),
        ("if-blocks-10000", "a.py", "".join(" " * i + "if x:\n" for i in range(10000)) + " " * 10000 + "pass\n",
         "error:not analysed"),  # 48 MB of indentation: over the size limit before the nesting guard
        ("if-blocks-1000", "a.py", "".join(" " * i + "if x:\n" for i in range(1000)) + " " * 1000 + "pass\n",
         "error:blocks nested"),
        ("attributes-50000", "a.py", "x = a" + ".b" * 50000 + "\n", "error:a chain of more than"),
        ("calls-50000", "a.py", "x = f" + "()" * 50000 + "\n", "error:a chain of more than"),
        ("subscripts-50000", "a.py", "x = a" + "[0]" * 50000 + "\n", "error:a chain of more than"),
        ("lambdas-5000", "a.py", "f = " + "lambda: " * 5000 + "1\n", "error:operators"),
        ("libcst-cannot-parse", "a.py", "import tensorflow\nx = 'a'" + " 'b'" * 20000 + "\n",
         "error:libcst, the parser cnnlint uses, cannot read this valid Python file"),
        ("10-MB", "a.py", model_lines, "error:over cnnlint's 512 KB limit"),
        ("nul-byte", "a.py", b"import tensorflow as tf\nx = 1\x00\n", "codes:CNN000"),
        ("invalid-utf8", "a.py", b"import tensorflow as tf\nx = '\xff\xfe'\n", "error:cannot decode: invalid utf-8"),
        ("utf16-bom", "a.py", "import tensorflow as tf\n".encode("utf-16"), "error:UTF-16"),
        ("python2", "a.py", 'import tensorflow as tf\nprint "x"\n', "codes:CNN000"),
        ("latin1-coding-line", "a.py", LATIN1.encode("latin-1"), "codes:CNN004"),
        ("empty", "a.py", "", "nothing"),
        ("directory-named-py", "a.py", None, "nothing"),
        ("notebook-not-json", "a.ipynb", "{not json", "error:not a valid notebook"),
        ("notebook-without-cells", "a.ipynb", '{"metadata": {}, "nbformat": 4}', "error:no 'cells'"),
        ("absurd-shapes", "a.py", ABSURD_SHAPES, "any"),
        ("recursion", "a.py", RECURSION, "nothing"),
        ("huge-loops", "a.py", HUGE_LOOPS, "nothing"),
    ]


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (MEMORY_LIMIT, MEMORY_LIMIT))


def run_bounded(*args: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "cnnlint", "--no-cache", "--format", "json", *args], cwd=cwd,
                          capture_output=True, text=True, timeout=90, preexec_fn=_limit_memory)


def _expect(result: subprocess.CompletedProcess[str], expected: str) -> None:
    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode in (0, 1), (result.returncode, result.stderr)
    report = json.loads(result.stdout)
    messages = [e["message"] for e in report["errors"]]
    codes = [d["code"] for d in report["diagnostics"]]
    assert not any("internal error" in m for m in messages), messages
    if expected.startswith("error:"):
        assert len(messages) == 1 and expected[6:] in messages[0], messages
        assert result.returncode == 1
    elif expected.startswith("codes:"):
        assert codes == expected[6:].split(","), (codes, messages)
    elif expected == "nothing":
        assert (codes, messages, result.returncode) == ([], [], 0)


@pytest.mark.parametrize(("name", "filename", "contents", "expected"), _cases(), ids=[c[0] for c in _cases()])
def test_hostile_input(tmp_path: Path, name: str, filename: str, contents: bytes | str | None, expected: str) -> None:
    target = tmp_path / filename
    if contents is None:
        target.mkdir()
    elif isinstance(contents, bytes):
        target.write_bytes(contents)
    else:
        target.write_text(contents, encoding="utf-8")
    _expect(run_bounded(filename, cwd=tmp_path), expected)


def test_symlink_loop_fifo_and_device_are_reported(tmp_path: Path) -> None:
    import os

    os.symlink("loop_b.py", tmp_path / "loop_a.py")
    os.symlink("loop_a.py", tmp_path / "loop_b.py")
    os.symlink("/dev/zero", tmp_path / "zero.py")
    os.mkfifo(tmp_path / "fifo.py")
    for name, reason in (("loop_a.py", "symbolic links"), ("zero.py", "not a regular file"),
                         ("fifo.py", "not a regular file")):
        _expect(run_bounded(name, cwd=tmp_path), f"error:{reason}")
    # Walking the directory meets all of them, and still finishes.
    result = run_bounded(".", cwd=tmp_path)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert len(json.loads(result.stdout)["errors"]) == 4


def test_an_unreadable_file_is_reported(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import builtins
    import os

    from click.testing import CliRunner

    from cnnlint.cli import main

    target = tmp_path / "secret.py"
    target.write_text("import tensorflow as tf\n")
    if os.geteuid() != 0:  # root reads anything: simulate the refusal instead
        target.chmod(0)
        _expect(run_bounded("secret.py", cwd=tmp_path), "error:permission denied")
        target.chmod(0o644)
    real_open = builtins.open

    def refusing_open(file: object, *args: object, **kwargs: object) -> object:
        if str(file).endswith("secret.py"):
            raise PermissionError(13, "Permission denied", str(file))
        return real_open(file, *args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(builtins, "open", refusing_open)
    result = CliRunner().invoke(main, ["check", "--format", "json", str(target)])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["errors"] == [{"path": str(target), "message": "permission denied"}]


def test_the_per_file_time_budget_stops_the_interpreter_quietly() -> None:
    import time

    from cnnlint.frontend import extract

    code = "import tensorflow as tf\n" + "".join(
        f"def f{i}(x):\n    for j in range(500):\n        x = tf.concat([x, x], 0)\n    return x\n" for i in range(300))
    started = time.monotonic()
    module = extract(code, "slow.py", {"file_seconds": 0.5})
    assert time.monotonic() - started < 5
    assert module.incomplete is not None and "stopped after" in module.incomplete


def test_an_internal_error_gives_up_one_model_and_one_rule_not_the_file(monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from cnnlint.cli import main
    from cnnlint.rules.cnn010_dense_on_feature_map import DenseOnFeatureMap
    from cnnlint.shapes import registry

    def broken_pool(inputs: object, attrs: object) -> object:
        raise KeyError("simulated bug")

    def broken_rule(self: object, module: object) -> object:
        raise ValueError("simulated rule bug")

    monkeypatch.setitem(registry.REGISTRY, "pool", broken_pool)
    monkeypatch.setattr(DenseOnFeatureMap, "check", broken_rule)
    code = ("import tensorflow as tf\n"
            "def first(x):\n    return tf.nn.max_pool(x, 2, 2, 'VALID')\n"
            "def second():\n    x = tf.placeholder(tf.float32, [None, 7, 7, 64])\n    return tf.reshape(x, [-1, 1024])\n")
    result = CliRunner().invoke(main, ["check", "--format", "json", "--stdin-filename", "m.py", "-"], input=code)
    report = json.loads(result.stdout)
    assert result.exit_code == 2
    assert [(d["code"], d["line"]) for d in report["diagnostics"]] == [("CNN001", 6)]
    (error,) = report["errors"]
    assert "function first(): KeyError" in error["message"] and "rule CNN010: ValueError" in error["message"]
    assert "please report" in error["message"]
