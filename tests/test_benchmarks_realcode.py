"""benchmarks/realcode.py and benchmarks/same_output.py still run, on three fixtures (speed figures
belong to the benchmarks, never to a test: nothing here is timed)."""

from __future__ import annotations

import importlib.util
import json
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import FIXTURES, ROOT

FILES = ("keras/functional_shortcut_bug.py", "keras/subclassed_clean.py", "notebooks/mnist_softmax.ipynb")


def corpus(at: Path) -> Path:
    """A corpus of one repository folder holding the fixtures."""
    for name in FILES:
        target = at / "repo" / name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(FIXTURES / name, target)
    return at


def script(name: str, *args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, str(ROOT / "benchmarks" / name), *map(str, args)],
                          capture_output=True, text=True, timeout=120, cwd=ROOT)


def test_realcode_measures_the_parse_and_both_job_counts(tmp_path: Path) -> None:
    root = corpus(tmp_path / "corpus")
    done = script("realcode.py", root, "--jobs", "1,2", "--json", tmp_path / "out.json")
    assert done.returncode == 0, done.stderr
    result = json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))
    assert [f["path"] for f in result["files"]] == [f"repo/{name}" for name in sorted(FILES)]
    assert result["notebooks"] == 1
    assert all(f["cnnlint_cpu_s"] is not None and f["lines"] > 0 for f in result["files"])  # timed in the run
    runs = result["cnnlint"]
    assert sorted(runs) == ["1", "2"]
    assert {(r["files_checked"], r["findings"], r["report_sha256"]) for r in runs.values()} == \
        {(3, 2, runs["1"]["report_sha256"])}  # CNN008 in the script, CNN002 in the notebook
    assert result["parse"]["cpu_s"] > 0 and result["parse"]["failed"] == 0
    assert "ten slowest files" in done.stdout and "the same with every --jobs" in done.stdout


def test_realcode_selects_folders_and_spreads_a_limit(tmp_path: Path) -> None:
    spec = importlib.util.spec_from_file_location("realcode", ROOT / "benchmarks" / "realcode.py")
    assert spec is not None and spec.loader is not None
    realcode = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(realcode)
    root = corpus(tmp_path)
    assert realcode.select(root, [], False, None) == [f"repo/{name}" for name in sorted(FILES)]  # no SAMPLE folder
    assert realcode.select(root, ["repo/keras"], False, None) == [f"repo/{name}" for name in sorted(FILES[:2])]
    assert realcode.select(root, [], True, 2) == ["repo/keras/functional_shortcut_bug.py",
                                                  "repo/keras/subclassed_clean.py"]
    (root / "keras-team+keras").mkdir()  # a folder of the default sample: only the sample is measured
    (root / "keras-team+keras" / "a.py").write_text("import keras\n")
    assert realcode.select(root, [], False, None) == ["keras-team+keras/a.py"]


def test_same_output_finds_no_difference_in_one_checkout_and_every_one_in_another(tmp_path: Path) -> None:
    root = corpus(tmp_path / "corpus") / "repo" / "keras"
    (root / "subclassed_clean.py").unlink()
    other = tmp_path / "other"
    shutil.copytree(ROOT / "cnnlint", other / "cnnlint", ignore=shutil.ignore_patterns("__pycache__"))
    # The rule and the static catalog name it together (importing the rules checks they agree).
    for renamed in (other / "cnnlint" / "rules" / "cnn008_merge_shape_mismatch.py", other / "cnnlint" / "catalog.py"):
        text = renamed.read_text(encoding="utf-8")
        assert '"merge-shape-mismatch"' in text, renamed
        renamed.write_text(text.replace('"merge-shape-mismatch"', '"merge-mismatch"'), encoding="utf-8")

    same = script("same_output.py", ROOT, ROOT, root, "--jobs", "1", "--save", tmp_path / "same")
    assert same.returncode == 0, same.stdout + same.stderr
    assert "no differences" in same.stdout and "1 units: identical output" in same.stdout

    # The saved "before" against a checkout whose CNN008 is named otherwise.
    changed = script("same_output.py", tmp_path / "same" / "old.jsonl", other, root, "--save", tmp_path / "changed")
    assert changed.returncode == 1, changed.stdout + changed.stderr
    assert "~ ./functional_shortcut_bug.py:8:" in changed.stdout
    assert '.name: "merge-shape-mismatch" -> "merge-mismatch"' in changed.stdout
    assert "1 units: 1 differences" in changed.stdout

    # Two saved runs compare in full, without running cnnlint.
    saved = script("same_output.py", tmp_path / "same" / "new.jsonl", tmp_path / "changed" / "new.jsonl")
    assert saved.returncode == 1 and '-> "merge-mismatch"' in saved.stdout
    again = script("same_output.py", tmp_path / "same" / "old.jsonl", tmp_path / "same" / "new.jsonl")
    assert again.returncode == 0 and "identical output" in again.stdout


def test_same_output_compares_two_plain_sweeps_and_their_kept_shapes(tmp_path: Path) -> None:
    repo = {"kind": "repo", "repo": "o/r", "folder": "o+r", "files": 1, "errors": 0, "timed_out": [], "crashed": "",
            "models": 1, "models_known": 1, "wall_s": 1.0}
    finding = {"kind": "diagnostic", "repo": "o/r", "folder": "o+r", "path": "a.py", "cell": None, "line": 3,
               "column": 1, "code": "CNN001", "severity": "error", "message": "m"}
    model = {"name": "model", "path": "./a.py", "line": 2, "layers": [{"line": 3, "op": "Dense", "output": [None, 4]}]}
    for name, output in (("old", 4), ("new", 5)):
        (tmp_path / f"{name}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in (repo, finding)), encoding="utf-8")
        (tmp_path / f"{name}.shapes").mkdir()
        model["layers"][0]["output"] = [None, output]  # type: ignore[index]
        (tmp_path / f"{name}.shapes" / "o+r.json").write_text(json.dumps({"models": [model]}), encoding="utf-8")
    done = script("same_output.py", tmp_path / "old.jsonl", tmp_path / "new.jsonl")
    assert done.returncode == 1, done.stdout + done.stderr
    assert "~ shapes o+r/a.py:2: model model\n    .layers[0].output[1]: 4 -> 5" in done.stdout
    assert "1 units: 1 differences" in done.stdout


def test_check_cpu_times_each_checkout_on_each_folder(tmp_path: Path) -> None:
    root = corpus(tmp_path / "corpus")
    done = script("check_cpu.py", "--checkout", ROOT, "--checkout", ROOT, root / "repo")
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[1].split()[0] == "repo" and len(lines[1].split()) == 3  # the folder, then one time per checkout
    assert lines[-1].startswith("ratio to the first: 1.00x, ")


BLOCKS = """from tensorflow.keras import Input, Model, layers

def block(x, n):
    x = layers.Conv2D(n, 3, padding="same")(x)
    return layers.Activation("relu")(x)

inputs = Input(shape=(32, 32, 3))
x = block(inputs, {first})
x = block(x, 8)
model = Model(inputs, layers.GlobalAveragePooling2D()(x))
"""


def test_memo_potential_counts_the_steps_of_calls_that_repeat_a_signature(tmp_path: Path) -> None:
    """The second `block` call repeats the first only where both get the same shape and width."""
    (tmp_path / "same").mkdir()
    (tmp_path / "same" / "m.py").write_text(BLOCKS.format(first="8").replace("Input(shape=(32, 32, 3))",
                                                                           "Input(shape=(32, 32, 8))"))
    (tmp_path / "distinct").mkdir()
    (tmp_path / "distinct" / "m.py").write_text(BLOCKS.format(first="4"))
    same = script("memo_potential.py", tmp_path / "same")
    distinct = script("memo_potential.py", tmp_path / "distinct")
    assert same.returncode == 0 and distinct.returncode == 0, same.stderr + distinct.stderr
    assert "in repeated calls: 0 (0.0%)" in distinct.stdout
    repeated = int(same.stdout.split("in repeated calls: ")[1].split()[0])
    assert repeated > 0 and "m.py" in same.stdout
