"""The input and target checks of early Keras at `fit` / `evaluate` / `predict`, by target version.

Keras 1, standalone Keras 2.0-2.3 and the tf.keras of TF <= 2.1 check arrays against the model
before running (`standardize_input_data`, `check_loss_and_target_compatibility`); later versions
expand a missing trailing axis of 1 and let the losses adjust the labels. Each rule below cites
the source it follows (the versions do not install on Python 3.11) and is checked under
`--keras-version 2.2` (a finding with that version's message), `3` and an unstated target (as
cnnlint read the code before targets); the programs later versions accept are run under Keras 3
and tf-keras here (`tests/realworld/_run.py`) to show it.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnnlint.cli import main
from cnnlint.options import FrontendOptions
from cnnlint.rules import select_rules
from cnnlint.runner import check_source
from cnnlint.targets import KerasTargets, KerasVersion, stated_targets

ROOT = Path(__file__).resolve().parent.parent


def targets(version: str) -> KerasTargets:
    parsed = KerasVersion.parse(version)
    assert parsed is not None
    return stated_targets(parsed, "--keras-version", KerasTargets())


def findings(code: str, version: str | None) -> list[tuple[str, int, str]]:
    options = FrontendOptions(keras=targets(version)) if version else FrontendOptions()
    result = check_source(code, "t.py", select_rules(None), options)
    assert result.error is None, result.error
    return [(d.code, d.loc.line, d.message) for d in result.diagnostics]


def codes(code: str, version: str | None) -> list[str]:
    return [c for c, _, _ in findings(code, version)]


def message(code: str, version: str, rule: str) -> str:
    found = [m for c, _, m in findings(code, version) if c == rule]
    assert len(found) == 1, findings(code, version)
    return found[0]


HEAD = "import numpy as np\nfrom keras import models, layers\n"
TF_HEAD = "import numpy as np\nfrom tensorflow.keras import models, layers\n"


def conv1d(data: str, head: str = HEAD) -> str:
    return head + (
        f"x = np.random.rand({data})\n"
        "y = np.random.randint(0, 2, size=(40,))\n"
        "net = models.Sequential()\n"
        "net.add(layers.Conv1D(4, 3, activation='relu', input_shape=(29, 1)))\n"
        "net.add(layers.Flatten())\n"
        "net.add(layers.Dense(1, activation='sigmoid'))\n"
        "net.compile(optimizer='adam', loss='binary_crossentropy')\n"
        "net.fit(x, y, epochs=1, verbose=0)\n"
    )


# -- inputs: standardize_input_data -----------------------------------------------------------------
# keras 2.2.4 keras/engine/training_utils.py, standardize_input_data (called by
# Model._standardize_user_data with exception_prefix='input', check_batch_axis=False):
#     if data[i].ndim != len(shape):
#         raise ValueError('Error when checking ' + exception_prefix + ': expected ' + names[i] +
#                          ' to have ' + str(len(shape)) + ' dimensions, but got array with shape ' + str(data_shape))
# The same in keras 1.2.2 and 2.0.8 keras/engine/training.py (standardize_input_data /
# _standardize_input_data) and tf.keras (TF 1.13-2.1) tensorflow/python/keras/engine/training_utils.py.
def test_a_missing_trailing_axis_is_refused_by_keras_2_2_and_expanded_by_keras_3() -> None:
    buggy, clean = conv1d("40, 29"), conv1d("40, 29, 1")
    assert codes(buggy, "2.2") == ["CNN012"]
    assert ("Keras 2.2 (--keras-version) checks arrays before running and raises `Error when checking input: "
            "expected conv1d_1_input to have 3 dimensions, but got array with shape (40, 29)`; "
            "reshape it: `x.reshape(-1, 29, 1)`") in message(buggy, "2.2", "CNN012")
    assert codes(buggy, "3") == [] and codes(buggy, None) == []
    assert codes(clean, "2.2") == codes(clean, "3") == codes(clean, None) == []


def test_an_extra_trailing_axis_of_1_is_refused_by_keras_2_2() -> None:
    # Keras 3 `Functional._adjust_input_rank` squeezes it; standardize_input_data compares ranks first.
    code = HEAD + (
        "x = np.random.rand(40, 29, 1)\ny = np.random.rand(40, 1)\n"
        "net = models.Sequential([layers.Dense(1, input_shape=(29,))])\n"
        "net.compile(optimizer='adam', loss='mse')\nnet.fit(x, y, epochs=1, verbose=0)\n")
    assert "expected dense_1_input to have 2 dimensions, but got array with shape (40, 29, 1)" in message(
        code, "2.2", "CNN012")
    assert codes(code, "3") == [] and codes(code, None) == []


# keras 2.2.4 standardize_input_data, after the rank check:
#     for dim, ref_dim in zip(data_shape, shape):
#         if ref_dim != dim and ref_dim:
#             raise ValueError('Error when checking ' + exception_prefix + ': expected ' + names[i] +
#                              ' to have shape ' + str(shape) + ' but got array with shape ' + str(data_shape))
def test_a_size_that_differs_gets_the_shape_message_under_every_target() -> None:
    code = HEAD + (
        "x = np.zeros((8, 28, 28, 3))\ny = np.zeros((8, 10))\n"
        "model = models.Sequential()\nmodel.add(layers.Conv2D(4, (3, 3), input_shape=(28, 28, 1)))\n"
        "model.add(layers.Flatten())\nmodel.add(layers.Dense(10, activation='softmax'))\n"
        "model.compile(loss='categorical_crossentropy', optimizer='adam')\nmodel.fit(x, y)\n")
    assert ("`Error when checking input: expected conv2d_1_input to have shape (28, 28, 1) but got array with "
            "shape (28, 28, 3)`") in message(code, "2.2", "CNN012")
    assert codes(code, "3") == codes(code, None) == ["CNN012"]
    assert "axis 3 is 3, not 1" in message(code, "3", "CNN012")


# keras 2.2.4 standardize_single_array: `elif x.ndim == 1: x = np.expand_dims(x, 1)` (keras 1.2.2
# training.py: "make arrays at least 2D"); tf.keras (TF 1.13+): "Expand data of shape (x,) to (x, 1),
# unless len(expected_shape)==1".
def test_a_1d_array_is_a_column_first() -> None:
    def dense(data: str, width: int) -> str:
        return HEAD + (
            f"x = np.zeros({data})\ny = np.zeros((40, 1))\n"
            f"net = models.Sequential([layers.Dense(1, input_shape=({width},))])\n"
            "net.compile(optimizer='adam', loss='mse')\nnet.fit(x, y, epochs=1, verbose=0)\n")

    assert codes(dense("(40,)", 1), "2.2") == []  # (40,) -> (40, 1): accepted
    wide = dense("(40,)", 5)
    assert "`Error when checking input: expected dense_1_input to have shape (5,) but got array with shape (1,)`" \
        in message(wide, "2.2", "CNN012")
    assert codes(wide, "3") == ["CNN012"]


def test_predict_and_evaluate_are_checked_too() -> None:
    # keras 2.2.4 training.py: evaluate, predict, train_on_batch, test_on_batch, predict_on_batch all
    # call self._standardize_user_data(x, ...) first.
    base = conv1d("40, 29, 1")
    for call in ("net.predict(np.zeros((5, 29)))", "net.evaluate(np.zeros((5, 29)), np.zeros((5,)))",
                 "net.train_on_batch(np.zeros((5, 29)), np.zeros((5,)))"):
        code = base + call + "\n"
        assert codes(code, "2.2") == ["CNN012"], call
        assert codes(code, "3") == [] and codes(code, None) == [], call


def test_predictions_of_a_refused_array_are_unknown_under_a_strict_target() -> None:
    code = conv1d("40, 29, 1") + "p = net.predict(np.zeros((5, 29)))\nq = p.reshape(7)\n"
    assert "CNN004" in codes(code, "3")  # Keras 3 predicts (5, 1): the reshape is wrong there
    assert codes(code, "2.2") == ["CNN012"]  # Keras 2.2 raises at predict: nothing after it is known


def test_tf_keras_of_tensorflow_1_names_its_layers_without_a_number() -> None:
    # tf.keras (TF 1.x, 2.0, 2.1) numbers layers from 0 (`conv1d`, `conv1d_1`), as Keras 3 does.
    code = conv1d("40, 29", head=TF_HEAD)
    assert "expected conv1d_input to have 3 dimensions" in message(code, "2.2", "CNN012")
    assert codes(code, "2.3") == [] and codes(code, "3") == []  # TF 2.2's tf.keras (2.3): expands


def test_keras_1_and_2_0_3_say_model_input() -> None:
    # keras 1.2.2 / 2.0.0-2.0.3 training.py: exception_prefix='model input' / 'model target'
    # ('input' / 'target' from 2.0.4); keras 1.2.2 topology.py create_input_layer:
    # `prefix = self.__class__.__name__.lower() + '_input_'`, `name = prefix + str(K.get_uid(prefix))`.
    code = HEAD.replace("models, layers", "models") + (
        "from keras.layers import Convolution1D, Flatten, Dense\n"
        "x = np.random.rand(40, 29)\ny = np.random.randint(0, 2, size=(40,))\n"
        "net = models.Sequential()\nnet.add(Convolution1D(4, 3, input_shape=(29, 1)))\n"
        "net.add(Flatten())\nnet.add(Dense(1, activation='sigmoid'))\n"
        "net.compile(optimizer='adam', loss='binary_crossentropy')\nnet.fit(x, y, nb_epoch=1)\n")
    assert "`Error when checking model input: expected convolution1d_input_1 to have 3 dimensions, but got " \
        "array with shape (40, 29)`" in message(code, "1.2", "CNN012")
    assert "Error when checking model input" in message(conv1d("40, 29"), "2.0.3", "CNN012")
    assert "Error when checking input:" in message(conv1d("40, 29"), "2.0.4", "CNN012")


def test_later_versions_and_a_mixed_module_keep_the_lenient_reading() -> None:
    buggy = conv1d("40, 29")
    assert codes(buggy, "2.4") == []  # keras 2.4 is a wrapper of tf.keras (TF 2.2+)
    assert codes(buggy, "2.12") == []
    mixed = buggy.replace("from keras import models, layers\n",
                          "from keras import models, layers\nimport tensorflow as tf\nk = tf.keras.backend\n")
    only_plain = KerasTargets(keras=targets("2.2").keras)  # tf.keras: the default (Keras 3)
    result = check_source(mixed, "t.py", select_rules(None), FrontendOptions(keras=only_plain))
    assert [d.code for d in result.diagnostics] == []  # which Keras built the model: not certain
    result = check_source(buggy, "t.py", select_rules(None), FrontendOptions(keras=only_plain))
    assert [d.code for d in result.diagnostics] == ["CNN012"]
    # the tf_keras package is late Keras 2 whatever the settings say
    assert codes(conv1d("40, 29", head="import numpy as np\nfrom tf_keras import models, layers\n"), "2.2") == []


# -- targets: the loss's expected shape, then check_loss_and_target_compatibility ---------------------
def classifier(loss: str, labels: str, units: int = 10, head: str = HEAD) -> str:
    return head + (
        f"x = np.zeros((40, 20))\ny = {labels}\n"
        f"model = models.Sequential([layers.Dense(16, input_shape=(20,)), layers.Dense({units}, activation='softmax')])\n"
        f"model.compile(loss={loss!r}, optimizer='adam')\nmodel.fit(x, y, epochs=1, verbose=0)\n")


# keras 2.2.4 training.py _standardize_user_data: the targets are checked by standardize_input_data
# (exception_prefix='target') against `output_shape` for a loss of the `losses` module, against
# `output_shape[:-1] + (1,)` for sparse_categorical_crossentropy, and not at all for another loss.
def test_class_numbers_for_categorical_crossentropy() -> None:
    buggy = classifier("categorical_crossentropy", "np.random.randint(0, 10, size=(40,))")
    found = message(buggy, "2.2", "CNN013")
    assert ("`Error when checking target: expected dense_2 to have shape (10,) but got array with shape (1,)`; "
            "these are class numbers: one-hot them with `keras.utils.to_categorical(y, 10)`") in found
    assert codes(buggy, "3") == codes(buggy, None) == ["CNN013"]  # Keras 3's loss refuses them too
    clean = classifier("categorical_crossentropy", "np.eye(10)[np.random.randint(0, 10, size=(40,))]")
    assert codes(clean, "2.2") == codes(clean, "3") == []


def test_one_hot_labels_for_sparse_categorical_crossentropy() -> None:
    buggy = classifier("sparse_categorical_crossentropy", "np.eye(10)[np.random.randint(0, 10, size=(40,))]")
    assert ("`Error when checking target: expected dense_2 to have shape (1,) but got array with shape (10,)`; "
            "these look one-hot: use categorical_crossentropy") in message(buggy, "2.2", "CNN013")
    clean = classifier("sparse_categorical_crossentropy", "np.random.randint(0, 10, size=(40,))")
    assert codes(clean, "2.2") == codes(clean, "3") == []
    assert codes(classifier("sparse_categorical_crossentropy", "np.zeros((40, 1))"), "2.2") == []


def segmentation(labels: str) -> str:
    return HEAD + (
        f"x = np.zeros((4, 8, 8, 3))\ny = np.random.randint(0, 3, size={labels})\n"
        "inp = layers.Input(shape=(8, 8, 3))\nout = layers.Conv2D(3, (1, 1), activation='softmax')(inp)\n"
        "model = models.Model(inp, out)\n"
        "model.compile(loss='sparse_categorical_crossentropy', optimizer='adam')\n"
        "model.fit(x, y, epochs=1, verbose=0)\n")


def test_sparse_labels_of_a_segmentation_need_their_trailing_axis_in_keras_2_2() -> None:
    # `output_shape[:-1] + (1,)` is (None, 8, 8, 1): labels (n, 8, 8) have 3 dimensions. (2.2.0+ puts
    # the 1 first for a channels_first output of rank 4 or 5, keras PR #9715: only the rank is
    # checked there.) Keras 3 and tf-keras train on them.
    buggy, clean = segmentation("(4, 8, 8)"), segmentation("(4, 8, 8, 1)")
    assert "`Error when checking target: expected conv2d_1 to have 4 dimensions, but got array with shape " \
        "(4, 8, 8)`" in message(buggy, "2.2", "CNN013")
    assert codes(buggy, "3") == codes(buggy, None) == []
    assert codes(clean, "2.2") == codes(clean, "3") == []


# keras 2.2.4 training_utils.py check_loss_and_target_compatibility:
#     if loss is losses.categorical_crossentropy:
#         if y.shape[-1] == 1:
#             raise ValueError('You are passing a target array of shape ' + str(y.shape) +
#                              ' while using as loss `categorical_crossentropy`. ' ...
# (the same in keras 1.2.2 training.py, by `loss.__name__`, and tf.keras r1.15-r2.1 via
# `losses.is_categorical_crossentropy`).
def test_one_column_of_targets_with_categorical_crossentropy() -> None:
    buggy = classifier("categorical_crossentropy", "np.ones((40, 1))", units=1)
    assert ("`You are passing a target array of shape (40, 1) while using as loss `categorical_crossentropy`. "
            "`categorical_crossentropy` expects targets to be binary matrices") in message(buggy, "2.2", "CNN013")
    # Keras 3 trains it (a loss of 0): no shape finding, only the training-setup ones on the
    # one-unit softmax head.
    assert codes(buggy, "3") == codes(buggy, None) == ["CNN201", "CNN202"]


def regression(labels: str, loss: str = "mse") -> str:
    return HEAD + (
        f"x = np.zeros((40, 20))\ny = np.zeros({labels})\n"
        "model = models.Sequential([layers.Dense(3, input_shape=(20,))])\n"
        f"model.compile(loss={loss!r}, optimizer='adam')\nmodel.fit(x, y, epochs=1, verbose=0)\n")


def test_regression_targets_are_not_broadcast_by_keras_2_2() -> None:
    # Keras 3 broadcasts (40, 1) against (None, 3) under mse: CNN015's silent broadcast; Keras 2.2
    # refuses them at standardize_input_data (mse and mae are functions of the `losses` module).
    buggy = regression("(40, 1)")
    assert codes(buggy, "3") == codes(buggy, None) == ["CNN015"]
    assert codes(buggy, "2.2") == ["CNN013"]
    assert "expected dense_1 to have shape (3,) but got array with shape (1,)" in message(buggy, "2.2", "CNN013")
    assert codes(regression("(40, 1)", "mae"), "2.2") == ["CNN013"]
    assert codes(regression("(40, 3)"), "2.2") == codes(regression("(40, 3)"), "3") == []


def test_a_loss_outside_the_losses_module_is_not_checked() -> None:
    # `getattr(losses, loss_fn.__name__, None) is None`: "a user-defined loss and we make no assumptions".
    code = regression("(40, 1)").replace(
        "model.compile(loss='mse'", "def my_loss(t, p):\n    return (t - p) ** 2\nmodel.compile(loss=my_loss")
    assert codes(code, "2.2") == []


def test_the_number_of_targets_is_still_checked() -> None:
    code = regression("(30, 3)")
    assert codes(code, "2.2") == ["CNN013"] and "30 labels for 40 examples" in message(code, "2.2", "CNN013")


# -- the command line and the realworld cases written for Keras 2.2.4 ---------------------------------
@pytest.mark.parametrize("case", ["003-conv1d-missing-feature-axis-keras2", "004-mnist-no-channel-axis-keras2"])
def test_realworld_cases_written_for_keras_2_2_are_found_with_keras_version_2_2(case: str) -> None:
    folder = ROOT / "tests" / "realworld" / case
    runner = CliRunner()
    buggy = runner.invoke(main, ["check", "--no-cache", "--keras-version", "2.2", str(folder / "buggy.py")])
    assert buggy.exit_code == 1 and "CNN012" in buggy.output and "dimensions, but got array with shape" in buggy.output
    fixed = runner.invoke(main, ["check", "--no-cache", "--keras-version", "2.2", str(folder / "fixed.py")])
    assert fixed.exit_code == 0, fixed.output
    default = runner.invoke(main, ["check", "--no-cache", str(folder / "buggy.py")])
    assert default.exit_code == 0, default.output  # Keras 3 trains it


# -- what later versions accept: run here ---------------------------------------------------------------
ACCEPTED_LATER = {
    "missing_axis": conv1d("40, 29"),
    "extra_axis": HEAD + ("x = np.random.rand(40, 29, 1)\ny = np.random.rand(40, 1)\n"
                          "net = models.Sequential([layers.Dense(1, input_shape=(29,))])\n"
                          "net.compile(optimizer='adam', loss='mse')\nnet.fit(x, y, epochs=1, verbose=0)\n"),
    "segmentation": segmentation("(4, 8, 8)"),
    "one_column_categorical": classifier("categorical_crossentropy", "np.ones((40, 1))", units=1),
    "broadcast_mse": regression("(40, 1)"),
}


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", ["keras3", "tf-keras"])
def test_later_keras_runs_what_keras_2_2_refused(flavour: str, tmp_path: Path) -> None:
    paths = []
    for name, code in ACCEPTED_LATER.items():
        path = tmp_path / f"{name}.py"
        path.write_text(code)
        paths.append(str(path))
        assert codes(code, "2.2") != [], name  # refused by Keras 2.2 (above)
    done = subprocess.run([sys.executable, str(ROOT / "tests" / "realworld" / "_run.py"), "--flavour", flavour,
                           *paths], capture_output=True, text=True, timeout=300, cwd=ROOT,
                          env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    line = [x for x in done.stdout.splitlines() if x.startswith("RESULTS ")]
    assert line, done.stdout[-2000:] + done.stderr[-2000:]
    results = json.loads(line[-1][len("RESULTS "):])
    assert {Path(r["path"]).stem: r["error"] for r in results if not r["ok"]} == {}


def test_a_pinned_keras_2_2_4_is_checked_strictly(tmp_path: Path) -> None:
    (tmp_path / "requirements.txt").write_text("keras==2.2.4\ntensorflow==1.12\n")
    (tmp_path / "train.py").write_text(conv1d("40, 29"))
    done = CliRunner().invoke(main, ["check", "--no-cache", str(tmp_path / "train.py")])
    assert done.exit_code == 1 and "CNN012" in done.output, done.output
    assert "Keras 2.2.4 (" in done.output and "requirements.txt:1: keras==2.2.4) checks arrays" in done.output
    later = tmp_path / "later"  # (pins are read once per folder and process)
    later.mkdir()
    (later / "requirements.txt").write_text("tensorflow==2.15\n")
    (later / "train.py").write_text(conv1d("40, 29"))
    done = CliRunner().invoke(main, ["check", "--no-cache", str(later / "train.py")])
    assert done.exit_code == 0, done.output
