"""`--confirm`: every finding is checked by running the rebuilt model in TensorFlow.

One worker run over all fixtures is shared by the tests (TensorFlow is imported once).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

pytest.importorskip("tensorflow")
pytestmark = pytest.mark.tensorflow

from click.testing import CliRunner  # noqa: E402

from cnnlint import confirm  # noqa: E402
from cnnlint.cli import main  # noqa: E402
from cnnlint.rules import select_rules  # noqa: E402
from cnnlint.runner import check_file  # noqa: E402
from cnnlint.shapes import registry  # noqa: E402
from cnnlint.shapes.registry import NON_POSITIVE, fail  # noqa: E402
from tests.conftest import FIXTURES, module_of  # noqa: E402

NOT_SHAPE_FINDINGS = {"CNN000", "CNN007"}


@pytest.fixture(scope="module")
def fixture_report() -> dict[str, Any]:
    result = CliRunner().invoke(main, ["check", "--confirm", "--device", "cpu", "--format", "json", "--select", "CNN",
                                       str(FIXTURES)])
    assert result.exit_code == 1, result.output
    report: dict[str, Any] = json.loads(result.stdout)
    return report


# Findings whose claim is not an error: a strided remainder (CNN009) and a stated input size that
# Keras ignores past the first layer (CNN002 at line 24). TensorFlow has nothing to reproduce there.
ABOUT_MEANING = {("fixtures/keras/sequential_add_bugs.py", 15), ("fixtures/keras/sequential_add_bugs.py", 24),
                 ("fixtures/tf_raw/strided_valid_pool.py", 7)}


def _place(d: dict[str, Any]) -> tuple[str, int]:
    return Path(d["path"]).resolve().relative_to(FIXTURES.parent).as_posix(), d["line"]


def test_every_planted_shape_bug_in_the_fixtures_is_confirmed(fixture_report: dict[str, Any]) -> None:
    shape_findings = [d for d in fixture_report["diagnostics"] if d["code"] not in NOT_SHAPE_FINDINGS
                      and _place(d) not in ABOUT_MEANING]
    assert len(shape_findings) >= 20
    unconfirmed = [(d["path"], d["line"], d["code"], d["confirmation"]) for d in shape_findings
                   if d["confirmed"] is not True]
    assert unconfirmed == []


def test_a_finding_about_meaning_is_never_confirmed_only_unchecked_with_a_reason(
        fixture_report: dict[str, Any]) -> None:
    meaning = [d for d in fixture_report["diagnostics"] if _place(d) in ABOUT_MEANING]
    assert {_place(d) for d in meaning} == ABOUT_MEANING
    assert all(d["confirmed"] is None and "about meaning, not an error" in d["confirmation"] for d in meaning)
    assert all("computes the same output" in d["confirmation"] for d in meaning if d["code"] == "CNN009")


def test_findings_that_are_not_about_shapes_get_null_with_a_reason(fixture_report: dict[str, Any]) -> None:
    others = [d for d in fixture_report["diagnostics"] if d["code"] in NOT_SHAPE_FINDINGS]
    assert others and all(d["confirmed"] is None and "not a shape finding" in d["confirmation"] for d in others)


def test_text_output_names_tensorflow_and_the_device() -> None:
    path = FIXTURES / "seeds" / "mnist_tf1_flatten_4x4.py"
    result = CliRunner().invoke(main, ["check", "--confirm", "--device", "cpu", str(path)])
    assert "confirmed by TensorFlow 2." in result.output and "on CPU" in result.output


def test_clean_models_show_no_disagreement_in_shapes_confirm() -> None:
    clean = [str(p) for p in FIXTURES.rglob("*.py") if "# expect:" not in p.read_text()]
    result = CliRunner().invoke(main, ["shapes", "--confirm", "--device", "cpu", "--format", "json", *clean])
    models = json.loads(result.stdout)["models"]
    compared = [layer for m in models for layer in m["layers"] if layer["agrees"] is not None]
    assert len(compared) > 100
    assert [(m["path"], layer) for m in models for layer in m["layers"] if layer["agrees"] is False] == []


def test_a_finding_tensorflow_contradicts_is_reported_as_a_disagreement(monkeypatch: pytest.MonkeyPatch) -> None:
    def wrong_pool(inputs: Any, attrs: Any) -> registry.Result:
        if inputs[0] is None:
            return registry.Result(None)
        return fail(NON_POSITIVE, axis=0, spatial_rank=2, size=inputs[0][1], kernel=2, stride=2, dilation=1,
                    padding="VALID", output=0, leftover=None, op="pool")

    monkeypatch.setitem(registry.REGISTRY, "pool", wrong_pool)
    path = FIXTURES / "tf_raw" / "cifar_tf2_nn_clean.py"
    result = check_file(str(path), select_rules(["CNN005"]))
    assert result.module is not None and result.diagnostics
    outcome = confirm.run([result.module], "cpu")
    (checked, *_) = confirm.confirm_diagnostics(result.diagnostics, [result.module], {0: 0}, outcome)
    assert checked.confirmed is False and "ran this op" in checked.extra.confirmation


def test_unknown_sizes_give_null_with_a_reason() -> None:
    module = module_of("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, None, 28, 1])\n"
                       "y = tf.reshape(x, [-1, 100])\n")
    outcome = confirm.run([module], "cpu")
    node = module.graphs[0].nodes[-1]
    confirmed, reason = confirm.verdict(outcome, "0:0", module.graphs[0], node, True)
    assert confirmed is None and "unknown" in reason


def test_a_huge_declared_input_is_skipped_not_allocated() -> None:
    module = module_of("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 100000, 100000, 3])\n"
                       "y = tf.nn.max_pool(x, 2, 2, 'VALID')\n")
    outcome = confirm.run([module], "cpu")
    confirmed, reason = confirm.verdict(outcome, "0:0", module.graphs[0], module.graphs[0].nodes[-1], True)
    assert confirmed is None and "cap" in reason


def test_the_time_limit_gives_null_for_everything() -> None:
    module = module_of("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 4])\ny = x + 1\n")
    outcome = confirm.run([module], "cpu", timeout=0.01)
    assert outcome.failure is not None and "did not finish" in outcome.failure
    confirmed, _ = confirm.verdict(outcome, "0:0", module.graphs[0], module.graphs[0].nodes[-1], True)
    assert confirmed is None


def test_a_flatten_that_folds_the_batch_is_confirmed_by_the_leading_dimension() -> None:
    module = module_of("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 4, 4, 64])\n"
                       "y = tf.reshape(x, [-1, 512])\n")
    outcome = confirm.run([module], "cpu")
    confirmed, reason = confirm.verdict(outcome, "0:0", module.graphs[0], module.graphs[0].nodes[-1], True)
    assert confirmed is True and "becomes 2 rows" in reason


def test_confirm_without_tensorflow_exits_2_with_the_install_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(confirm, "available", lambda: False)
    result = CliRunner().invoke(main, ["check", "--confirm", str(FIXTURES / "seeds")])
    assert result.exit_code == 2 and "pip install 'cnnlint[confirm]'" in result.output


def _gpu_visible() -> bool:
    import tensorflow as tf

    return bool(tf.config.list_physical_devices("GPU"))


@pytest.mark.skipif(_gpu_visible(), reason="this machine has a GPU")
def test_device_gpu_without_a_gpu_exits_2() -> None:
    result = CliRunner().invoke(main, ["check", "--confirm", "--device", "gpu", str(FIXTURES / "seeds")])
    assert result.exit_code == 2 and "no GPU" in result.output


@pytest.mark.gpu
@pytest.mark.skipif(not _gpu_visible(), reason="no GPU visible to TensorFlow")
def test_fixture_bugs_are_confirmed_on_the_gpu() -> None:
    result = CliRunner().invoke(main, ["check", "--confirm", "--device", "gpu", "--format", "json", str(FIXTURES)])
    report = json.loads(result.stdout)
    shape_findings = [d for d in report["diagnostics"] if d["code"] not in NOT_SHAPE_FINDINGS
                      and _place(d) not in ABOUT_MEANING]
    assert shape_findings and all(d["confirmed"] is True and "on GPU" in d["confirmation"] for d in shape_findings)


def test_static_check_output_has_confirmed_null_without_the_flag(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--format", "json", str(FIXTURES / "seeds" / "mnist_tf1_dense_4x4.py")])
    (d,) = json.loads(result.stdout)["diagnostics"]
    assert d["confirmed"] is None and "confirmation" not in d


# A stand-in worker that speaks the worker's protocol and misbehaves on the first model (`0:0`):
# it hangs or aborts there, and rebuilds every other model as a one-op success.
FAKE_WORKER = """
import json, os, sys, time
job = json.load(sys.stdin)
say = lambda m: (sys.stdout.write(json.dumps(m) + "\\n"), sys.stdout.flush())
say({"tensorflow": "0.fake", "device": "CPU", "import_seconds": 0.0})
for graph in job["graphs"]:
    for batch in graph["batches"]:
        for node in graph["nodes"]:
            say({"at": [graph["key"], batch, node["id"]]})
            if graph["key"] == "0:0" and node["id"] == 1:
                if MODE == "hang":
                    time.sleep(60)
                sys.stderr.write("F0000 00:00:1.0 1 kernel.cc:1] Check failed: fake abort\\n")
                sys.stderr.flush()
                os.abort()
            say({"result": {"shape": [batch, 4]}})
    say({"graph": graph["key"]})
say({"done": 0.0})
"""

TWO_MODELS = ("import tensorflow as tf\n"
              "def first():\n    x = tf.placeholder(tf.float32, [None, 4])\n    return tf.reshape(x, [-1, 3])\n"
              "def second():\n    x = tf.placeholder(tf.float32, [None, 4])\n    return tf.reshape(x, [-1, 4])\n")


@pytest.mark.parametrize("mode", ["hang", "crash"])
def test_a_model_that_hangs_or_crashes_tensorflow_is_reported_and_the_others_still_run(
        monkeypatch: pytest.MonkeyPatch, tmp_path: Path, mode: str) -> None:
    script = tmp_path / "fake_worker.py"
    script.write_text(f"MODE = {mode!r}\n" + FAKE_WORKER)
    monkeypatch.setattr(confirm, "WORKER", [sys.executable, str(script)])
    module = module_of(TWO_MODELS)
    assert len(module.graphs) == 2
    outcome = confirm.run([module], "cpu", timeout=3)
    assert outcome.failure is None and outcome.runs.get("0:1")  # the second model ran in a new worker
    first = module.graphs[0]
    confirmed, reason = confirm.verdict(outcome, "0:0", first, first.nodes[1], True)
    if mode == "hang":
        assert confirmed is None and "did not finish this model within 3 s" in reason
    else:  # the op that aborted TensorFlow is the evidence
        assert confirmed is True and "TensorFlow aborted" in reason and "Check failed: fake abort" in reason


def test_the_worker_is_restarted_a_bounded_number_of_times(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    script = tmp_path / "always_crashes.py"
    script.write_text("import json, os, sys\njob = json.load(sys.stdin)\n"
                      "print(json.dumps({'tensorflow': '0.fake', 'device': 'CPU'}), flush=True)\n"
                      "print(json.dumps({'at': [job['graphs'][0]['key'], 1, 0]}), flush=True)\nos.abort()\n")
    monkeypatch.setattr(confirm, "WORKER", [sys.executable, str(script)])
    module = module_of("import tensorflow as tf\n" + "".join(
        f"def f{i}():\n    return tf.placeholder(tf.float32, [None, 4]) + 1\n" for i in range(9)))
    outcome = confirm.run([module], "cpu", timeout=10)
    assert len(outcome.broken) == 9
    assert sum("restarted" in why for _, why in outcome.broken.values()) == 9 - confirm.MAX_RESTARTS


def test_confirm_mode_imports_tensorflow_only_in_the_worker_and_never_runs_user_code(tmp_path: Path) -> None:
    sentinel = tmp_path / "SENTINEL"
    src = tmp_path / "evil.py"
    src.write_text("import os\nimport tensorflow as tf\n"
                   f"open({str(sentinel)!r}, 'w').write('ran')\nos.system('touch {sentinel}')\n"
                   f"__import__('os').system('touch {sentinel}')\n"
                   f"exec(\"open({str(sentinel)!r}, 'w')\")\n"
                   f"eval(\"__import__('subprocess').run(['touch', {str(sentinel)!r}])\")\n"
                   "def __getattr__(name):\n"
                   f"    open({str(sentinel)!r}, 'w')\n"
                   "class Meta(type):\n"
                   f"    def __getattr__(cls, name):\n        open({str(sentinel)!r}, 'w')\n"
                   "x = tf.placeholder(tf.float32, [None, 784])\ny = tf.reshape(x, [-1, 100])\n"
                   "z = tf.reshape(os.environ, [-1, 3])\n")
    code = (
        "import sys\n"
        "from click.testing import CliRunner\n"
        "from cnnlint.cli import main\n"
        f"r = CliRunner().invoke(main, ['check', '--confirm', '--device', 'cpu', {str(src)!r}])\n"
        "print(r.output)\n"
        "print([m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras')])\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300)
    assert "confirmed by TensorFlow" in result.stdout
    assert result.stdout.strip().splitlines()[-1] == "[]"
    assert not sentinel.exists()


def test_text_output_ends_with_how_many_findings_tensorflow_confirmed() -> None:
    result = CliRunner().invoke(main, ["check", "--confirm", "--device", "cpu", str(FIXTURES / "seeds")])
    summary = [line for line in result.stdout.splitlines() if line.startswith("TensorFlow confirmed")]
    assert summary and ", disputed 0" in summary[0]


def test_readme_confirm_example_is_what_cnnlint_prints() -> None:
    from tests.conftest import ROOT

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    command = "$ cnnlint check --confirm fixtures/seeds/mnist_tf1_wd1_4x4.py\n"
    shown = readme[readme.index(command) + len(command):].split("```")[0].strip().splitlines()
    result = CliRunner().invoke(main, ["check", "--confirm", str(ROOT / "fixtures/seeds/mnist_tf1_wd1_4x4.py")])
    printed = result.stdout.replace(str(ROOT) + "/", "")
    for line in shown:
        assert line.rstrip(". ").removesuffix("...").rstrip() in printed, line


def test_a_data_finding_tensorflow_contradicts_is_disputed(monkeypatch: pytest.MonkeyPatch) -> None:
    from cnnlint.rules.feeding.cnn012_fit_input_mismatch import FitInputMismatch

    monkeypatch.setattr(FitInputMismatch, "compare", staticmethod(lambda data, expected: "invented"))
    path = FIXTURES / "data" / "mnist_grey_model_clean.py"
    result = check_file(str(path), select_rules(["CNN012"]))
    assert result.module is not None and result.diagnostics
    outcome = confirm.run([result.module], "cpu")
    checked = confirm.confirm_diagnostics(result.diagnostics, [result.module], dict.fromkeys(range(2), 0), outcome)
    assert checked and all(d.confirmed is False and "accepted this data" in d.extra.confirmation for d in checked)


# -- CNN010: confirmed only by the failure it predicts -----------------------------------------
HEAD_AT_FIT = ("import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"
               "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3), layers.MaxPooling2D(),\n"
               "                          layers.Dense(10, activation='softmax')])\n"
               "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
               "model.fit(np.zeros((8, 28, 28, 1)), np.zeros((8,)))\n")
HEAD_BEFORE_REPEAT = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n"
                      "inputs = keras.Input(shape=(28, 28, 1))\n"
                      "x = layers.Dense(16)(layers.Conv2D(8, 3)(inputs))\n"
                      "model = keras.Model(inputs, layers.RepeatVector(3)(layers.Dropout(0.1)(x)))\n")


def _confirmed(code: str) -> list[Any]:
    from cnnlint.runner import check_source

    result = check_source(code, "head.py", select_rules(["CNN"]))
    assert result.module is not None
    outcome = confirm.run([result.module], "cpu")
    return confirm.confirm_diagnostics(result.diagnostics, [result.module], dict.fromkeys(range(9), 0), outcome)


def test_a_dense_head_refused_at_fit_is_confirmed_by_the_keras_error_at_fit() -> None:
    (d,) = _confirmed(HEAD_AT_FIT)
    assert (d.code, d.loc.line) == ("CNN010", 5)
    assert d.confirmed is True and "must have rank (ndim) `target.ndim - 1`" in d.extra.confirmation


def test_a_dense_head_before_a_rank_2_layer_is_confirmed_by_that_layer_failing() -> None:
    (d,) = _confirmed(HEAD_BEFORE_REPEAT)
    assert (d.code, d.loc.line) == ("CNN010", 4)
    assert d.confirmed is True and "repeat_vector" in d.extra.confirmation and "ndim=2" in d.extra.confirmation


def test_a_dense_head_that_keras_fits_is_disputed_not_confirmed(monkeypatch: pytest.MonkeyPatch) -> None:
    from cnnlint.rules import cnn010_dense_on_feature_map as cnn010

    # A broken ownership test would report the segmentation head: TensorFlow then fits it and disputes.
    monkeypatch.setattr(cnn010, "fit_labels", lambda feed: ((8, 16, 16), (None, 16, 16, 4)))
    code = ("import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"
            "model = keras.Sequential([keras.Input((16, 16, 3)), layers.Conv2D(4, 3, padding='same'),\n"
            "                          layers.Dense(4, activation='softmax')])\n"
            "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
            "model.fit(np.zeros((8, 16, 16, 3)), np.zeros((8, 16, 16)))\n")
    (d,) = [d for d in _confirmed(code) if d.code == "CNN010"]
    assert d.confirmed is False and "accepted this data" in d.extra.confirmation


def _fake_outcome(result: dict[str, Any], node_id: int) -> confirm.Outcome:
    return confirm.Outcome(tensorflow="0.fake", device="CPU", runs={"0:0": {1: {node_id: result}, 2: {node_id: result}}})


def test_a_warning_tensorflow_runs_as_cnnlint_computed_is_unchecked_never_confirmed() -> None:
    module = module_of("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 112, 112, 64])\n"
                       "y = tf.nn.max_pool(x, 3, 2, 'VALID')\n")
    graph = module.graphs[0]
    node = graph.nodes[-1]
    same = confirm.verdict(_fake_outcome({"shape": [1, 55, 55, 64]}, node.id), "0:0", graph, node, False)
    assert same[0] is None and "about meaning" in same[1] and "(1, 55, 55, 64)" in same[1]
    other = confirm.verdict(_fake_outcome({"shape": [1, 56, 56, 64]}, node.id), "0:0", graph, node, False)
    assert other[0] is False and "computes (1, 56, 56, 64)" in other[1]
    refused = confirm.verdict(_fake_outcome({"error": "ValueError: no"}, node.id), "0:0", graph, node, False)
    assert refused[0] is False and "refused this op" in refused[1]


@pytest.mark.parametrize("source, code", [
    # A kernel known only by its shape (a reshaped `default_rng` draw): zeros of that shape.
    ("import numpy as np\nimport tensorflow as tf\nrng = np.random.default_rng(0)\n"
     "w = rng.standard_normal((4000, 64)).reshape(5, 5, 160, 64)\n"
     "x = tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 3])\n"
     "y = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')\n", "CNN003"),
    # Images collected in a loop of unknown length: any number of rows shows the finding.
    ("import numpy as np\nimport tensorflow as tf\nimages = []\nfor path in open('files.txt'):\n"
     "    images.append(np.zeros((28, 28, 1)))\nX = np.array(images)\nflat = tf.reshape(X, [-1, 100])\n", "CNN001"),
])
def test_data_known_only_by_its_shape_is_fed_as_zeros(tmp_path: Path, source: str, code: str) -> None:
    path = tmp_path / "prog.py"
    path.write_text(source)
    result = CliRunner().invoke(main, ["check", "--confirm", "--device", "cpu", "--format", "json", "--no-cache",
                                       str(path)])
    (finding,) = json.loads(result.stdout)["diagnostics"]
    assert finding["code"] == code and finding["confirmed"] is True, finding
