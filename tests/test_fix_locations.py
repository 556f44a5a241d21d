"""Findings reported where the fix goes (issue 15): labels refused (or broadcast) at `fit` whose fix is
one layer's `units` or `return_sequences` are reported at that layer (CNN013, CNN015) with the `fit`
line as a related location; a reshape size written as a variable points at the line computing it
(CNN001, CNN004); CNN011 names a weight as the target Keras does (`embeddings`, Keras 1's `W`).

Each buggy program is also run with Keras 3 and tf-keras (tests marked `tensorflow`): it raises, or
trains on broadcast labels, where cnnlint says, and the fix the message names makes it train with
labels of the output's shape.
"""

from __future__ import annotations

import re
from typing import Any

import numpy as np
import pytest

from cnnlint.options import FrontendOptions
from cnnlint.rules import Diagnostic, select_rules
from cnnlint.runner import check_source
from cnnlint.targets import KerasTargets, KerasVersion, stated_targets


def lint(code: str, keras: str | None = None) -> list[Diagnostic]:
    """The findings of the default rules, for an unstated Keras or as `--keras-version` states it."""
    options = None
    if keras is not None:
        version = KerasVersion.parse(keras)
        assert version is not None
        options = FrontendOptions(keras=stated_targets(version, "test", KerasTargets()))
    result = check_source(code, "snippet.py", select_rules(None), options)
    assert result.error is None, result.error
    return result.diagnostics


def where(d: Diagnostic) -> tuple[str, int, list[int]]:
    """(code, primary line, related lines)."""
    return d.code, d.loc.line, [r.loc.line for r in d.related]


HEAD = "import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"

# 10 one-hot classes against a last Dense(1): the fix is units=10 there (line 9).
ONE_HOT_TEN = HEAD + """x = np.random.rand(32, 8)
y = keras.utils.to_categorical(np.random.randint(0, 10, size=(32,)), 10)
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(16, activation="relu"),
    layers.Dense(1, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
"""

# Binary labels against Dense(10): the fix is one sigmoid unit (line 8). (Linear: with a softmax or
# sigmoid activation tf-keras hands the loss the cached logits, `_keras_logits`, and raises in
# `sigmoid_cross_entropy_with_logits` where it broadcasts here.)
BINARY_TEN = HEAD + """x = np.random.rand(32, 8)
y = np.random.randint(0, 2, size=(32, 1)).astype("float32")
model = keras.Sequential([
    keras.Input((8,)),
    layers.Dense(10),
])
model.compile(optimizer="adam", loss="binary_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
"""

# One regression target against three outputs, broadcast by mae (realworld 038): units=1 (line 8).
MAE_THREE = HEAD + """x = np.random.rand(32, 4)
y = np.random.rand(32, 1)
model = keras.Sequential([
    keras.Input((4,)),
    layers.Dense(3),
])
model.compile(optimizer="adam", loss="mae")
model.fit(x, y, epochs=1, verbose=0)
"""

# One target per window against a Dense on every step (realworld 307): return_sequences=False (line 8).
EVERY_STEP = HEAD + """x = np.random.rand(32, 12, 2)
y = np.random.rand(32, 1)
model = keras.Sequential([
    keras.Input((12, 2)),
    layers.LSTM(8, return_sequences=True),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
"""

# A recurrent layer returning every step as the classifier's output (realworld 330): line 8.
NO_HEAD = HEAD + """x = np.random.rand(32, 12, 2)
y = np.random.randint(0, 3, size=(32, 1))
model = keras.Sequential([
    keras.Input((12, 2)),
    layers.LSTM(8, return_sequences=True),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x, y, epochs=1, verbose=0)
"""

# Per-step targets against a recurrent layer returning its last step (realworld 329): line 8.
LAST_STEP = HEAD + """x = np.random.rand(32, 12, 2)
y = np.random.rand(32, 12, 1)
model = keras.Sequential([
    keras.Input((12, 2)),
    layers.LSTM(8),
    layers.Dense(1),
])
model.compile(optimizer="adam", loss="mse")
model.fit(x, y, epochs=1, verbose=0)
"""

FIT_LINE = {"one_hot_ten": 12, "binary_ten": 11, "mae_three": 11, "every_step": 12, "no_head": 11,
            "last_step": 12}
PROGRAMS = {"one_hot_ten": ONE_HOT_TEN, "binary_ten": BINARY_TEN, "mae_three": MAE_THREE, "every_step": EVERY_STEP,
            "no_head": NO_HEAD, "last_step": LAST_STEP}
# name: (code under Keras 3, the layer's line, words of the fix, the fixed program)
MOVED: dict[str, tuple[str, int, str, str]] = {
    "one_hot_ten": ("CNN013", 9, "set `units=10` on this `Dense` (it has 1)",
                    ONE_HOT_TEN.replace('Dense(1, activation="softmax")', 'Dense(10, activation="softmax")')),
    "binary_ten": ("CNN013", 8, "for binary labels use sigmoid with 1 unit",
                   BINARY_TEN.replace("layers.Dense(10)", 'layers.Dense(1, activation="sigmoid")')),
    "mae_three": ("CNN015", 8, "set `units=1` on this `Dense` (it has 3)",
                  MAE_THREE.replace("layers.Dense(3)", "layers.Dense(1)")),
    "every_step": ("CNN015", 8, "give it `return_sequences=False`",
                   EVERY_STEP.replace("LSTM(8, return_sequences=True)", "LSTM(8)")),
    "no_head": ("CNN013", 8, "give it `return_sequences=False` and a `Dense` head",
                NO_HEAD.replace("LSTM(8, return_sequences=True),", "LSTM(8), layers.Dense(3, activation='softmax'),")
                .replace("size=(32, 1))", "size=(32,))").replace("categorical_crossentropy",
                                                                 "sparse_categorical_crossentropy")),
    "last_step": ("CNN015", 8, "give it `return_sequences=True`",
                  LAST_STEP.replace("LSTM(8)", "LSTM(8, return_sequences=True)")),
}


# The training-setup findings (CNN2xx) the buggy programs also have, rightly: a one-unit softmax
# under categorical_crossentropy, raw scores under binary_crossentropy.
TRAINING = {"one_hot_ten": ["CNN201", "CNN202"], "binary_ten": ["CNN204"]}


def shape_findings(name: str, found: list[Diagnostic]) -> list[Diagnostic]:
    """The findings other than the training-setup ones, after checking those are what TRAINING says."""
    assert sorted(d.code for d in found if d.code.startswith("CNN2")) == TRAINING.get(name, [])
    return [d for d in found if not d.code.startswith("CNN2")]


@pytest.mark.parametrize("name", list(MOVED))
def test_the_finding_is_at_the_layer_to_change_and_fit_is_related(name: str) -> None:
    code, line, fix, fixed = MOVED[name]
    (d,) = shape_findings(name, lint(PROGRAMS[name]))
    assert where(d) == (code, line, [FIT_LINE[name]])
    assert fix in d.message
    # The same facts as at `fit`: the labels and the output, and where the labels are given.
    assert re.search(r"labels `y` given to fit on line \d+ are \(32, [\d, ]*\)", d.message), d.message
    assert "the output of model `model` is (None, " in d.message
    assert d.related[0].message.startswith("the labels (32, ") and d.related[0].message.endswith(" here")
    assert lint(fixed) == []


def test_per_step_labels_name_the_recurrent_layer_under_every_target() -> None:
    for keras in ("2.2", "2.21", "3"):
        (d,) = lint(LAST_STEP, keras)
        assert (d.loc.line, [r.loc.line for r in d.related]) == (8, [12]), keras
        assert "return_sequences=True" in d.message
    assert lint(LAST_STEP, "2.2")[0].code == "CNN013"  # Keras 2.2 checks the targets before running


def test_early_keras_refusal_is_reported_at_the_dense_whose_units_differ() -> None:
    """Keras 1.2's `standardize_input_data` refuses `(n, 96, 1)` targets for a `(None, 96, 96)`
    output (realworld 327): at the `TimeDistributed(Dense(96))`, with its refusal text kept."""
    code = ("import numpy as np\nfrom keras.models import Sequential\n"
            "from keras.layers import LSTM, TimeDistributed, Dense\n"
            "model = Sequential()\n"
            "model.add(LSTM(16, input_shape=(96, 1), return_sequences=True))\n"
            "model.add(TimeDistributed(Dense(96)))\n"
            "model.compile(loss='mse', optimizer='adam')\n"
            "model.fit(np.random.rand(8, 96, 1), np.random.rand(8, 96, 1))\n")
    (d,) = lint(code, "1.2")
    assert where(d) == ("CNN013", 6, [8])
    assert "Error when checking model target" in d.message
    assert "set `units=1` on the `Dense` in this `TimeDistributed` (it has 96)" in d.message
    (late,) = lint(code)
    assert where(late) == ("CNN015", 6, [8])


def test_a_layer_made_on_one_line_and_applied_on_another_is_reported_where_it_is_made() -> None:
    code = HEAD + """head = layers.Dense(3)
inputs = keras.Input((4,))
model = keras.Model(inputs, head(inputs))
model.compile(optimizer="adam", loss="mae")
model.fit(np.random.rand(32, 4), np.random.rand(32, 1))
"""
    (d,) = lint(code)
    assert where(d) == ("CNN015", 4, [8]) and "set `units=1` on this `Dense` (it has 3)" in d.message


def test_return_sequences_is_asked_of_the_layer_a_bidirectional_wraps() -> None:
    code = LAST_STEP.replace("layers.LSTM(8),", "layers.Bidirectional(layers.LSTM(8)),")
    (d,) = lint(code)
    assert where(d) == ("CNN015", 8, [12])
    assert "the recurrent layer in this `Bidirectional` returns only its last step" in d.message


def test_two_feeds_the_same_change_fixes_make_one_finding_with_both_related() -> None:
    code = MAE_THREE + "model.evaluate(x, y, verbose=0)\n"
    (d,) = lint(code)
    assert where(d) == ("CNN015", 8, [11, 12])


def test_a_dataset_fixes_the_class_count_so_the_finding_stays_at_fit() -> None:
    """MNIST has 10 classes: `to_categorical(y_train, 5)` is the labels' mistake, not the Dense(10)'s."""
    code = HEAD + """(x_train, y_train), _ = keras.datasets.mnist.load_data()
model = keras.Sequential([
    keras.Input((28, 28)),
    layers.Flatten(),
    layers.Dense(10, activation="softmax"),
])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.fit(x_train, keras.utils.to_categorical(y_train, 5))
"""
    (d,) = lint(code)
    assert where(d) == ("CNN013", 11, [])


def test_labels_the_model_accepts_elsewhere_keep_the_finding_at_fit() -> None:
    """The program trains the same model on 10 columns: the 3-column labels are the odd ones."""
    code = HEAD + """x = np.random.rand(32, 8)
model = keras.Sequential([keras.Input((8,)), layers.Dense(10, activation="softmax")])
model.compile(optimizer="adam", loss="categorical_crossentropy")
model.train_on_batch(x, np.zeros((32, 10)))
model.fit(x, np.zeros((32, 3)))
"""
    (d,) = lint(code)
    assert where(d) == ("CNN013", 8, [])


def test_class_numbers_and_counts_stay_at_fit() -> None:
    # Class numbers under categorical_crossentropy: the labels are to one-hot, not the units to change.
    numbers = ONE_HOT_TEN.replace("keras.utils.to_categorical(np.random.randint(0, 10, size=(32,)), 10)",
                                  "np.random.randint(0, 10, size=(32, 1))").replace("Dense(1,", "Dense(10,")
    (d,) = lint(numbers)
    assert where(d) == ("CNN013", 12, []) and "one-hot" in d.message
    # A different number of labels than examples: the data's fault.
    (count,) = lint(MAE_THREE.replace("y = np.random.rand(32, 1)", "y = np.random.rand(30, 1)"))
    assert where(count) == ("CNN013", 11, [])
    # Sparse labels do not say how many classes there are.
    sparse = BINARY_TEN.replace("binary_crossentropy", "sparse_categorical_crossentropy") \
        .replace("size=(32, 1))", "size=(32, 4))")
    assert [where(d) for d in lint(sparse)] == [("CNN013", 11, [])]


# -- CNN001 / CNN004: where a size written as a variable is computed ---------------------------------
TF1 = """import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 28, 28, 1])
h = tf.layers.max_pooling2d(tf.layers.conv2d(x, 64, 3, padding='same'), 2, 2)
flat_size = 7 * 7 * 64
flat = tf.reshape(h, [-1, flat_size])
side = 30
img = tf.reshape(tf.placeholder(tf.float32, [None, 784]), [-1, side, side, 1])
"""


def test_cnn001_and_cnn004_point_at_the_line_computing_the_size() -> None:
    first, second = lint(TF1)
    assert where(first) == ("CNN001", 5, [3, 4])
    assert "3136 comes from `flat_size`" in first.message
    assert [r.message for r in first.related][1] == "`flat_size` is computed here"
    assert (first.related[1].loc.column, first.related[1].loc.end_column) == (1, 10)
    assert where(second) == ("CNN004", 7, [6])  # `side`, used twice, is one note
    assert second.related[0].message == "`side` is computed here"


def test_a_size_written_on_its_own_line_or_reassigned_has_no_note() -> None:
    literal = TF1.replace("[-1, flat_size]", "[-1, 7 * 7 * 64]")
    assert where(lint(literal)[0]) == ("CNN001", 5, [3])
    # Reassigned in a branch: the value read is no longer the one the first line computed.
    joined = TF1.replace("flat_size = 7 * 7 * 64\n", "flat_size = 7 * 7 * 64\nif tf:\n    flat_size = 5\n")
    assert all(r.message != "`flat_size` is computed here" for d in lint(joined) for r in d.related
               if r.loc.line == 4)


KERAS_RESHAPE = HEAD + """flat = 7 * 7 * 64
model = keras.Sequential([
    keras.Input((28, 28, 1)),
    layers.Conv2D(32, 3, padding="same"),
    layers.Reshape((flat,)),
    layers.Dense(10),
])
"""


def test_a_keras_reshape_size_from_a_variable_points_at_it() -> None:
    (d,) = lint(KERAS_RESHAPE)
    assert where(d) == ("CNN001", 8, [7, 4])
    assert "3136 comes from `flat`" in d.message and d.related[1].message == "`flat` is computed here"


def test_numpy_reshape_size_from_a_variable_points_at_it() -> None:
    (d,) = lint("import numpy as np\na = np.zeros((6, 4))\nn = 5\nb = np.reshape(a, (n, 5))\n")
    assert where(d) == ("CNN004", 4, [2, 3]) and d.related[1].message == "`n` is computed here"


# -- CNN011: the target Keras's weight names ----------------------------------------------------------
EMBEDDING = HEAD + """inputs = keras.Input((20,))
embed = layers.Embedding(1001, 100)
y = embed(inputs)
embed.set_weights([np.zeros((1000, 100))])
lstm = layers.LSTM(16)
z = lstm(y)
lstm.set_weights([np.zeros((100, 64)), np.zeros((16, 60)), np.zeros(64)])
"""


def test_cnn011_names_the_embedding_matrix_and_the_recurrent_kernel_as_keras_does() -> None:
    first, second = lint(EMBEDDING)
    assert first.message.startswith("`embeddings` of shape (1000, 100) given to `embedding` (Embedding), which "
                                    "needs (1001, 100) (input_dim, output_dim)")
    assert second.message.startswith("`recurrent_kernel` of shape (16, 60) given to `lstm` (LSTM)")
    keras1 = ("import numpy as np\nfrom keras.models import Sequential\nfrom keras.layers import Embedding\n"
              "model = Sequential()\nmodel.add(Embedding(1001, 100, weights=[np.zeros((1000, 100))], "
              "input_length=20))\n")
    (d,) = lint(keras1, "1.2")
    assert d.message.startswith("`W` of shape (1000, 100)")  # keras/layers/embeddings.py (1.2.2) line 95
    (modern,) = lint(keras1, "2.2")
    assert modern.message.startswith("`embeddings` of shape (1000, 100)")


# -- Keras itself ---------------------------------------------------------------------------------------
def run_program(code: str, tf_keras: bool) -> dict[str, Any]:
    """Execute a test program (written here, never user code) with Keras 3 or tf-keras."""
    pytest.importorskip("tensorflow")
    if tf_keras:
        pytest.importorskip("tf_keras")
        code = (code.replace("from tensorflow import keras\n", "import tf_keras as keras\n")
                .replace("from tensorflow.keras import layers\n", "from tf_keras import layers\n"))
    namespace: dict[str, Any] = {}
    exec(compile(code, "program.py", "exec"), namespace)
    return namespace


# What Keras does with each buggy program: raise, or train on broadcast labels (CNN015's silent bug).
RAISES = {"one_hot_ten": (True, True), "binary_ten": (True, False), "mae_three": (False, False),
          "every_step": (False, False), "no_head": (True, True), "last_step": (False, False)}


@pytest.mark.tensorflow
@pytest.mark.parametrize("tf_keras", [False, True], ids=["keras3", "tf_keras"])
@pytest.mark.parametrize("name", list(MOVED))
def test_keras_fails_or_broadcasts_the_buggy_program_and_trains_the_fix_the_message_names(
        name: str, tf_keras: bool) -> None:
    raises = RAISES[name][tf_keras]
    if raises:
        with pytest.raises(ValueError):
            run_program(PROGRAMS[name], tf_keras)
    else:
        run_program(PROGRAMS[name], tf_keras)  # trains on a wrong loss
    keras_code = shape_findings(name, lint(PROGRAMS[name], "2.21" if tf_keras else "3"))
    assert [d.code for d in keras_code] == (["CNN013"] if raises else ["CNN015"])
    fixed = run_program(MOVED[name][3], tf_keras)
    output = tuple(fixed["model"].output_shape)[1:]
    labels = np.asarray(fixed["y"]).shape[1:]
    assert labels == output or (MOVED[name][0] == "CNN013" and name == "no_head" and labels == ())


@pytest.mark.tensorflow
@pytest.mark.parametrize("tf_keras", [False, True], ids=["keras3", "tf_keras"])
def test_keras_refuses_the_reshape_and_names_the_weights_as_cnnlint_does(tf_keras: bool) -> None:
    with pytest.raises(ValueError):
        run_program(KERAS_RESHAPE, tf_keras)
    with pytest.raises(ValueError):
        run_program(EMBEDDING, tf_keras)
    done = run_program(EMBEDDING.split("embed.set_weights")[0] + "lstm = layers.LSTM(16)\nz = lstm(y)\n", tf_keras)
    names = [w.name.split("/")[-1].split(":")[0] for w in (*done["embed"].weights, *done["lstm"].weights)]
    assert names == ["embeddings", "kernel", "recurrent_kernel", "bias"]
