"""Linter integration: configuration, discovery, prefilter, cache, jobs and output plumbing."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES

BUGGY = (FIXTURES / "seeds" / "mnist_tf1_flatten_4x4.py").read_text()
CLEAN = (FIXTURES / "seeds" / "fc_as_conv_clean.py").read_text()
SUBCLASSED = '''\
from tensorflow import keras
from tensorflow.keras import layers


def build_model(input_shape):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(32, 3, padding="same")(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Reshape((16 * 16 * 32,))(x)
    return keras.Model(inputs, layers.Dense(10)(x))


class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(8, 5)
        self.flat = layers.Reshape((24 * 24 * 4,))

    def call(self, x):
        return self.flat(self.conv(x))


net = Net()
'''


def cnnlint(*args: str, cwd: Path, env: dict[str, str] | None = None,
            stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    full_env = {**os.environ, **(env or {})}  # CNNLINT_NO_CACHE=1 unless the test is marked `cache`
    return subprocess.run([sys.executable, "-m", "cnnlint", *args], cwd=cwd, capture_output=True, text=True,
                          env=full_env, input=stdin, timeout=300)


def project(tmp_path: Path, config: str = "", files: dict[str, str] | None = None) -> Path:
    (tmp_path / "pyproject.toml").write_text("[project]\nname = 'demo'\n" + config)
    for name, text in (files or {}).items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return tmp_path


def codes_by_path(result: subprocess.CompletedProcess[str]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for d in json.loads(result.stdout)["diagnostics"]:
        out.setdefault(d["path"], []).append(d["code"])
    return out


# -- configuration ----------------------------------------------------------------------------
@pytest.mark.parametrize("config, message", [
    ("[tool.cnnlint]\nselct = ['CNN']\n", "unknown key `selct`"),
    ("[tool.cnnlint]\nselect = 'CNN001'\n", "`select` must be a list"),
    ("[tool.cnnlint]\nignore = ['XYZ']\n", "unknown rule code or prefix: 'XYZ'"),
    ("[tool.cnnlint]\ndata-format = 'NHWC'\n", "`data-format` must be"),
    ("[tool.cnnlint.input-shapes]\nNet = [28, 'x']\n", "`input-shapes.Net` must be a list of positive integers"),
    ("[tool.cnnlint\n", "not valid TOML"),
])
def test_a_bad_configuration_exits_2_naming_the_key_and_the_file(tmp_path: Path, config: str, message: str) -> None:
    root = project(tmp_path, config, {"a.py": BUGGY})
    result = cnnlint("check", ".", cwd=root)
    assert result.returncode == 2
    assert message in result.stderr and str(root / "pyproject.toml") in result.stderr


def test_select_ignore_and_per_file_ignores_come_from_pyproject(tmp_path: Path) -> None:
    config = ("[tool.cnnlint]\nignore = ['CNN002']\n"
              "[tool.cnnlint.per-file-ignores]\n\"legacy/*\" = ['CNN001']\n")
    root = project(tmp_path, config, {"src/a.py": BUGGY, "legacy/b.py": BUGGY})
    found = codes_by_path(cnnlint("check", "--format", "json", ".", cwd=root))
    assert found == {"src/a.py": ["CNN001"]}
    # The command line adds to the configured ignores and replaces the selection.
    found = codes_by_path(cnnlint("check", "--format", "json", "--select", "CNN002", ".", cwd=root))
    assert found == {}


def test_the_nearest_pyproject_with_a_cnnlint_table_applies_from_a_subdirectory(tmp_path: Path) -> None:
    root = project(tmp_path, "[tool.cnnlint]\nignore = ['CNN001']\n", {"pkg/sub/a.py": BUGGY})
    (root / "pkg" / "pyproject.toml").write_text("[project]\nname = 'inner'\n")  # no [tool.cnnlint]: skipped
    result = cnnlint("check", "--format", "json", ".", cwd=root / "pkg" / "sub")
    assert codes_by_path(result) == {}


def test_explicit_config_file(tmp_path: Path) -> None:
    root = project(tmp_path, files={"a.py": BUGGY})
    (root / "cnnlint.toml").write_text("ignore = ['CNN001']\n")
    assert codes_by_path(cnnlint("check", "--format", "json", "--config", "cnnlint.toml", "a.py", cwd=root)) == {}


def test_configured_input_shapes_fill_in_what_the_code_leaves_open(tmp_path: Path) -> None:
    root = project(tmp_path, files={"m.py": SUBCLASSED})
    assert codes_by_path(cnnlint("check", "--format", "json", ".", cwd=root)) == {}
    config = '[tool.cnnlint.input-shapes]\n"build_model.input_shape" = [28, 28, 1]\nNet = [28, 28, 1]\n'
    root = project(tmp_path, config)
    found = json.loads(cnnlint("check", "--format", "json", ".", cwd=root).stdout)["diagnostics"]
    assert [(d["line"], d["code"]) for d in found] == [(9, "CNN001"), (20, "CNN001")]


def test_configured_data_format_is_used_where_the_code_states_none(tmp_path: Path) -> None:
    code = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n"
            "m = keras.Sequential([keras.Input(shape=(3, 32, 32)), layers.Conv2D(8, 3), layers.MaxPooling2D(2),\n"
            "                      layers.Reshape((15 * 15 * 8,))])\n")
    root = project(tmp_path, files={"m.py": code})
    # Read as channels_last, the height is 3: the pool after the 3x3 conv has nothing left.
    assert codes_by_path(cnnlint("check", "--format", "json", ".", cwd=root)) == {"m.py": ["CNN005"]}
    project(tmp_path, "[tool.cnnlint]\ndata-format = 'channels_first'\n")
    assert codes_by_path(cnnlint("check", "--format", "json", ".", cwd=root)) == {}


# -- discovery --------------------------------------------------------------------------------
def test_gitignore_default_excludes_and_extend_exclude(tmp_path: Path) -> None:
    files = {name: BUGGY for name in ("src/a.py", "generated/b.py", "build/c.py", ".venv/d.py", "notes/e.py",
                                      "src/deep/ignored_f.py")}
    root = project(tmp_path, "[tool.cnnlint]\nextend-exclude = ['notes/']\n", files)
    subprocess.run(["git", "init", "-q"], cwd=root, check=True)
    (root / ".gitignore").write_text("generated/\n")
    (root / "src" / ".gitignore").write_text("ignored_*.py\n")
    found = codes_by_path(cnnlint("check", "--format", "json", ".", cwd=root))
    assert list(found) == ["src/a.py"]
    # respect-gitignore = false brings the ignored files back; excludes still apply.
    project(tmp_path, "[tool.cnnlint]\nextend-exclude = ['notes/']\nrespect-gitignore = false\n")
    found = codes_by_path(cnnlint("check", "--format", "json", ".", cwd=root))
    assert sorted(found) == ["generated/b.py", "src/a.py", "src/deep/ignored_f.py"]


def test_a_file_named_on_the_command_line_is_checked_unless_force_exclude(tmp_path: Path) -> None:
    root = project(tmp_path, "[tool.cnnlint]\nextend-exclude = ['vendor/']\n", {"vendor/a.py": BUGGY})
    assert codes_by_path(cnnlint("check", "--format", "json", "vendor/a.py", cwd=root)) == {"vendor/a.py": ["CNN001"]}
    result = cnnlint("check", "--format", "json", "--force-exclude", "vendor/a.py", cwd=root)
    assert result.returncode == 0 and codes_by_path(result) == {}
    result = cnnlint("check", "--format", "json", "--force-exclude", "--stdin-filename", "vendor/a.py", "-",
                     cwd=root, stdin=BUGGY)
    assert codes_by_path(result) == {}


def test_files_without_tensorflow_are_not_parsed_unless_named(tmp_path: Path) -> None:
    root = project(tmp_path, files={"plain/py2.py": 'print "hello"\n', "plain/tf2.py": 'import tensorflow\nprint "x"\n'})
    assert codes_by_path(cnnlint("check", "--format", "json", "plain", cwd=root)) == {"plain/tf2.py": ["CNN000"]}
    named = codes_by_path(cnnlint("check", "--format", "json", "plain/py2.py", cwd=root))
    assert named == {"plain/py2.py": ["CNN000"]}


# -- cache and jobs ---------------------------------------------------------------------------
def tree(root: Path, count: int = 24) -> None:
    for i in range(count):
        (root / "pkg" / f"m{i:02d}.py").parent.mkdir(parents=True, exist_ok=True)
        (root / "pkg" / f"m{i:02d}.py").write_text(BUGGY if i % 3 == 0 else CLEAN if i % 3 == 1 else "x = 1\n")


@pytest.mark.cache
@pytest.mark.parametrize("output_format", ["text", "json", "sarif", "github"])
def test_warm_cache_gives_the_same_output_as_a_cold_run(tmp_path: Path, output_format: str) -> None:
    root = project(tmp_path)
    tree(root)
    cold = cnnlint("check", "--format", output_format, ".", cwd=root)
    assert (root / ".cnnlint_cache").is_dir()
    warm = cnnlint("check", "--format", output_format, ".", cwd=root)
    assert (cold.returncode, cold.stdout) == (warm.returncode, warm.stdout) and cold.returncode == 1


@pytest.mark.cache
def test_cache_entries_follow_content_and_configuration_and_corrupt_ones_are_ignored(tmp_path: Path) -> None:
    root = project(tmp_path)
    tree(root, 3)
    cnnlint("check", ".", cwd=root)
    entries = [p for p in (root / ".cnnlint_cache").rglob("*.json")]
    assert entries
    for entry in entries:
        entry.write_text("{not json")
    again = cnnlint("check", "--format", "json", ".", cwd=root)
    assert again.returncode == 1 and codes_by_path(again) == {"pkg/m00.py": ["CNN001"]}
    (root / "pkg" / "m00.py").write_text(CLEAN)
    assert codes_by_path(cnnlint("check", "--format", "json", ".", cwd=root)) == {}
    (root / "pkg" / "m00.py").write_text(BUGGY)
    project(tmp_path, "[tool.cnnlint]\nignore = ['CNN001']\n")
    assert codes_by_path(cnnlint("check", "--format", "json", ".", cwd=root)) == {}


@pytest.mark.cache
def test_no_cache_writes_nothing(tmp_path: Path) -> None:
    root = project(tmp_path)
    tree(root, 3)
    cnnlint("check", "--no-cache", ".", cwd=root)
    assert not (root / ".cnnlint_cache").exists()


def test_jobs_do_not_change_the_output(tmp_path: Path) -> None:
    root = project(tmp_path)
    tree(root, 40)
    shutil.copy(FIXTURES / "notebooks" / "mnist_softmax.ipynb", root / "pkg" / "nb.ipynb")
    one = cnnlint("check", "--format", "json", "--jobs", "1", ".", cwd=root)
    four = cnnlint("check", "--format", "json", "--jobs", "4", ".", cwd=root)
    assert one.stdout == four.stdout and json.loads(one.stdout)["diagnostics"]


# -- output plumbing --------------------------------------------------------------------------
def test_quiet_prints_findings_only_and_output_file_takes_the_report(tmp_path: Path) -> None:
    root = project(tmp_path, files={"a.py": BUGGY, "b.py": CLEAN})
    quiet = cnnlint("check", "--quiet", "a.py", cwd=root)
    assert quiet.returncode == 1 and "CNN001" in quiet.stdout and "Found" not in quiet.stdout
    assert cnnlint("check", "-q", "b.py", cwd=root).stdout == ""
    result = cnnlint("check", "--format", "sarif", "--output-file", "report.sarif", "a.py", cwd=root)
    assert result.returncode == 1 and result.stdout == ""
    assert json.loads((root / "report.sarif").read_text())["version"] == "2.1.0"


def test_colour_only_on_request_or_on_a_terminal(tmp_path: Path) -> None:
    root = project(tmp_path, files={"a.py": BUGGY})
    assert "\x1b[" not in cnnlint("check", "a.py", cwd=root).stdout
    assert "\x1b[" in cnnlint("check", "a.py", cwd=root, env={"FORCE_COLOR": "1"}).stdout
    no_colour = {"FORCE_COLOR": "1", "NO_COLOR": "1"}
    assert "\x1b[" not in cnnlint("check", "a.py", cwd=root, env=no_colour).stdout


def test_a_suppression_on_the_last_line_of_a_multi_line_call_applies(tmp_path: Path) -> None:
    code = ("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 7, 7, 64])\n"
            "y = tf.reshape(\n    x,\n    [-1, 1024],\n)  # cnnlint: ignore[CNN001]\n")
    root = project(tmp_path, files={"a.py": code})
    assert codes_by_path(cnnlint("check", "--format", "json", "a.py", cwd=root)) == {}


def test_unused_suppressions_are_reported_on_request_only_for_selected_codes() -> None:
    from cnnlint.rules import select_rules
    from cnnlint.runner import check_source

    code = ("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 7, 7, 64])\n"
            "a = tf.reshape(x, [-1, 1024])  # cnnlint: ignore[CNN001]\n"  # used
            "b = tf.reshape(x, [-1, 3136])  # cnnlint: ignore[CNN001,CNN004]\n"  # both unused
            "c = 1  # cnnlint: ignore\n"  # unused blanket
            "d = 2  # cnnlint: ignore[CNN100]\n")  # kept on purpose
    found = check_source(code, "a.py", select_rules(None, extend_select=["CNN100"])).diagnostics
    assert [(d.loc.line, d.code) for d in found] == [(4, "CNN100"), (5, "CNN100")]
    assert "CNN001, CNN004" in found[0].message
    # CNN004 not selected: its code in a comment is not called unused.
    found = check_source(code, "a.py", select_rules(["CNN001", "CNN100"])).diagnostics
    first = found[0]
    assert (first.loc.line, first.message.split(" lists ")[-1][:7]) == (4, "CNN001,")
    assert check_source(code, "a.py", select_rules(None)).diagnostics == []


# -- fixes through the command line -------------------------------------------------------------
LEGACY = (FIXTURES / "seeds" / "conv1d_keras1_seed002.py").read_text()
UNFIXABLE = (FIXTURES / "seeds" / "mnist_tf1_wd1_4x4.py").read_text()


def test_fix_writes_fixes_reports_what_remains_and_a_second_run_changes_nothing(tmp_path: Path) -> None:
    root = project(tmp_path, files={"a.py": BUGGY, "b.py": LEGACY, "c.py": UNFIXABLE})
    diff = cnnlint("check", "--diff", ".", cwd=root)
    assert diff.returncode == 1 and "+    fc1 = tf.reshape(conv2, [-1, 7*7*64])" in diff.stdout
    assert "-from keras.layers import Convolution1D" in diff.stdout
    assert (root / "a.py").read_text() == BUGGY  # --diff writes nothing
    fixed = cnnlint("check", "--fix", ".", cwd=root)
    assert fixed.returncode == 1  # c.py's finding has no fix
    assert fixed.stdout.strip().endswith("Found 3 findings (2 fixed, 1 remaining).")
    assert "[-1, 7*7*64]" in (root / "a.py").read_text() and "Conv1D(filters=111" in (root / "b.py").read_text()
    after = {name: (root / name).read_text() for name in ("a.py", "b.py", "c.py")}
    again = cnnlint("check", "--fix", ".", cwd=root)
    assert {name: (root / name).read_text() for name in after} == after
    assert again.returncode == 1 and "(0 fixed" not in again.stdout and "Found 1 finding." in again.stdout
    assert cnnlint("check", "--diff", ".", cwd=root).returncode == 0


def test_fix_with_every_finding_fixed_exits_0_and_stdin_prints_the_fixed_code(tmp_path: Path) -> None:
    root = project(tmp_path, files={"b.py": LEGACY})
    assert cnnlint("check", "--fix", "b.py", cwd=root).returncode == 0
    piped = cnnlint("check", "--fix", "--stdin-filename", "b.py", "-", cwd=root, stdin=LEGACY)
    assert piped.returncode == 0 and piped.stdout == (root / "b.py").read_text()
    assert "1 fixed, 0 remaining" in piped.stderr


def test_fix_in_a_notebook_keeps_outputs_and_metadata(tmp_path: Path) -> None:
    source = Path(__file__).parent / "fix_cases" / "legacy_keras.ipynb"
    root = project(tmp_path)
    shutil.copy(source, root / "nb.ipynb")
    before = json.loads((root / "nb.ipynb").read_text())
    result = cnnlint("check", "--fix", "nb.ipynb", cwd=root)
    after = json.loads((root / "nb.ipynb").read_text())
    assert "fixed" in result.stdout and after != before
    assert after["metadata"] == before["metadata"]
    assert [c.get("outputs") for c in after["cells"]] == [c.get("outputs") for c in before["cells"]]
    assert cnnlint("check", "--diff", "nb.ipynb", cwd=root).returncode == 0


def test_a_file_that_cannot_be_written_keeps_its_findings_and_is_reported(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from click.testing import CliRunner

    from cnnlint import fix
    from cnnlint.cli import main

    root = project(tmp_path, files={"b.py": LEGACY})

    def refuse(path: str, text: str, encoding: str | None = None) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(fix, "write_atomic", refuse)
    monkeypatch.chdir(root)
    result = CliRunner().invoke(main, ["check", "--fix", "--format", "json", "b.py"])
    report = json.loads(result.stdout)
    assert result.exit_code == 1 and (root / "b.py").read_text() == LEGACY
    assert [d["code"] for d in report["diagnostics"]] == ["CNN007"]
    assert report["errors"] == [{"path": "b.py", "message": "cannot write the fixes: Permission denied"}]


def test_the_progress_callback_counts_every_file(tmp_path: Path) -> None:
    from cnnlint import pipeline
    from cnnlint.discover import discover

    root = project(tmp_path)
    tree(root, 12)
    done: list[int] = []
    results = pipeline.run(list(discover([str(root)])), pipeline.Settings(), jobs=2, progress=done.append)
    assert sum(done) == len(results) == 12


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_run_holds_the_bytes_of_a_few_files_not_of_the_tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                              jobs: int) -> None:
    """Files are read again when their turn comes: the bytes read ahead of the results given back
    stay bounded (one file at a time, or the pool's tasks in flight), whatever the tree's size."""
    from cnnlint import pipeline
    from cnnlint.discover import discover

    root = project(tmp_path)
    tree(root, 60)
    events: list[str] = []
    read = pipeline.read_bytes

    def counted(path: str) -> bytes | pipeline.FileResult:
        events.append("read")
        return read(path)

    monkeypatch.setattr(pipeline, "read_bytes", counted)
    calls: list[int] = []

    def progress(n: int) -> None:
        events.append("done" if calls else "first pass")  # the first call: the files settled without analysis
        calls.append(n)

    results = pipeline.run(list(discover([str(root)])), pipeline.Settings(), jobs=jobs, progress=progress)
    analysed = [r for r in results if not r.skipped]
    assert len(results) == 60 and len(analysed) == 40 and not any(r.error for r in results)
    assert events.count("read") == 100 and events.index("first pass") == 60  # every file read once first
    second = events[61:]
    ahead = most = 0
    for event in second:
        ahead += 1 if event == "read" else -1
        most = max(most, ahead)
    assert second.count("read") == len(analysed)
    assert most <= (1 if jobs == 1 else 2 * pipeline._IN_FLIGHT * pipeline._CHUNK)
