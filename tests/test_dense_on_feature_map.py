"""CNN010: a Dense head on a feature map is reported only where the labels or a later layer make the
missing Flatten certain, at the Dense, once; every reported program really fails in Keras, and the
per-position heads left alone (segmentation, ConvNeXt) really train.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.conftest import lint

SEGMENTATION = """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input((128, 128, 3)),
    layers.Conv2D(16, 3, padding='same'),
    layers.Dense(4, activation='softmax'),
])
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
model.fit(np.zeros((8, 128, 128, 3)), np.zeros((8, 128, 128)), verbose=0)
"""

CONVNEXT_BLOCK = """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(14, 14, 32))
x = layers.DepthwiseConv2D(7, padding='same')(inputs)
x = layers.LayerNormalization(epsilon=1e-6)(x)
x = layers.Dense(128, activation='gelu')(x)
x = layers.Dense(32)(x)
x = layers.Add()([inputs, x])
x = layers.GlobalAveragePooling2D()(x)
model = keras.Model(inputs, layers.Dense(10, activation='softmax')(x))
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
model.fit(np.zeros((8, 14, 14, 32)), np.zeros((8,)), verbose=0)
"""


def classifier(units: int, loss: str, labels: tuple[int, ...], hidden: bool = False, rank: int = 2) -> str:
    """A conv classifier whose head (line 7) forgot Flatten, fitted on `labels` at line 11."""
    conv, pool, shape = ("Conv2D", "MaxPooling2D", "(28, 28, 1)") if rank == 2 else ("Conv1D", "MaxPooling1D", "(28, 1)")
    head = "layers.Dense(32, activation='relu'), layers.Dropout(0.5), " if hidden else ""
    data = "(8, 28, 28, 1)" if rank == 2 else "(8, 28, 1)"
    activation = "sigmoid" if loss == "binary_crossentropy" else "softmax"
    return (
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "\n"
        f"model = keras.Sequential([keras.Input(shape={shape}), layers.{conv}(8, 3, activation='relu'),\n"
        f"                          layers.{pool}(),\n"
        f"                          {head}layers.Dense({units}, activation='{activation}')])\n"
        "\n"
        f"model.compile(optimizer='sgd', loss='{loss}')\n"
        "\n"
        f"model.fit(np.zeros({data}), np.zeros({labels}), batch_size=4, verbose=0)\n"
    )


HEAD_AT_FIT = {
    "sparse labels (n,)": classifier(10, "sparse_categorical_crossentropy", (8,)),
    "sparse labels (n, 1)": classifier(10, "sparse_categorical_crossentropy", (8, 1)),
    "one-hot labels (n, k)": classifier(10, "categorical_crossentropy", (8, 10)),
    "binary labels (n, 1)": classifier(1, "binary_crossentropy", (8, 1)),
    "binary labels (n,)": classifier(1, "binary_crossentropy", (8,)),
    "a hidden Dense and Dropout after the map": classifier(10, "sparse_categorical_crossentropy", (8,), hidden=True),
    "a Conv1D map": classifier(10, "categorical_crossentropy", (8, 10), rank=1),
}

REPEAT_VECTOR = """\
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(8, 3)(inputs)
x = layers.Dense(16)(x)
x = layers.Dropout(0.2)(x)
model = keras.Model(inputs, layers.RepeatVector(3)(x))
"""

CONCATENATE = """\
from tensorflow import keras
from tensorflow.keras import layers

image, tabular = keras.Input(shape=(28, 28, 1)), keras.Input(shape=(5,))
x = layers.MaxPooling2D()(layers.Conv2D(8, 3)(image))
x = layers.Dense(16)(x)
merged = layers.Concatenate()([x, tabular])
model = keras.Model([image, tabular], layers.Dense(1)(merged))
"""

HEAD_BEFORE_A_LAYER = {"RepeatVector": (REPEAT_VECTOR, 6), "Concatenate with a rank-2 input": (CONCATENATE, 6)}


def found(code: str) -> list[tuple[int, str]]:
    return [(d.loc.line, d.code) for d in lint(code)]


# -- static: what is reported, where, by which rule --------------------------------------------
def test_a_segmentation_head_with_per_pixel_labels_is_not_reported() -> None:
    assert found(SEGMENTATION) == []


def test_dense_layers_inside_a_convnext_block_are_not_reported() -> None:
    assert found(CONVNEXT_BLOCK) == []


def test_a_dense_head_on_a_feature_map_is_not_reported_when_no_labels_say_what_it_predicts() -> None:
    assert found(classifier(10, "sparse_categorical_crossentropy", (8,)).split("\nmodel.compile")[0] + "\n") == []


@pytest.mark.parametrize("case", HEAD_AT_FIT, ids=list(HEAD_AT_FIT))
def test_per_example_labels_at_fit_report_cnn010_at_the_dense_and_nothing_else(case: str) -> None:
    head_line = 7
    assert found(HEAD_AT_FIT[case]) == [(head_line, "CNN010")]


def test_the_finding_names_the_labels_the_fit_line_and_the_per_position_output() -> None:
    (d,) = lint(HEAD_AT_FIT["sparse labels (n,)"])
    assert d.severity == "error"
    assert "outputs (None, 13, 13, 10), one prediction per position" in d.message
    assert "`np.zeros((8,))` given to fit on line 11 are (8,), one per example" in d.message
    assert d.message.endswith("add Flatten() or global pooling before this Dense")
    assert [step.op for step in d.trace] == ["Input", "Conv2D", "MaxPooling2D", "Dense"]


def test_fit_and_evaluate_with_the_same_labels_give_one_finding() -> None:
    code = HEAD_AT_FIT["sparse labels (n,)"] + "model.evaluate(np.zeros((8, 28, 28, 1)), np.zeros((8,)))\n"
    assert found(code) == [(7, "CNN010")]


def test_labels_a_flatten_would_not_fix_stay_cnn013s() -> None:
    # Five classes per label for a ten-unit head: flattening alone leaves a class-count mismatch.
    assert found(classifier(10, "categorical_crossentropy", (8, 5))) == [(11, "CNN013")]


def test_a_regression_loss_never_makes_the_missing_flatten_certain() -> None:
    # `mse` subtracts and may broadcast (batch 13 would run): not CNN010's to claim.
    assert (7, "CNN010") not in found(classifier(1, "mse", (8, 1)))


@pytest.mark.parametrize("case", HEAD_BEFORE_A_LAYER, ids=list(HEAD_BEFORE_A_LAYER))
def test_a_later_layer_that_needs_rank_2_reports_cnn010_at_the_dense_not_a_rank_or_merge_error(case: str) -> None:
    code, head_line = HEAD_BEFORE_A_LAYER[case]
    (d,) = lint(code)
    assert (d.loc.line, d.code) == (head_line, "CNN010")
    assert "keeps rank 4" in d.message and "add Flatten() or global pooling before this Dense" in d.message
    assert d.trace[-1].shape is None  # the trace ends at the layer that fails


def test_a_concatenate_of_a_feature_map_without_a_dense_stays_cnn008() -> None:
    code = CONCATENATE.replace("x = layers.Dense(16)(x)\n", "")
    assert found(code) == [(6, "CNN008")]


# -- Keras itself: the reported programs fail, the quiet ones train ----------------------------
def run_program(code: str) -> dict[str, Any]:
    """Execute a test program (never user code: these sources are written here) with Keras."""
    pytest.importorskip("tensorflow")
    namespace: dict[str, Any] = {}
    exec(compile(code, "program.py", "exec"), namespace)
    return namespace


@pytest.mark.tensorflow
def test_keras_trains_the_segmentation_head() -> None:
    model = run_program(SEGMENTATION)["model"]
    assert tuple(model.output_shape) == (None, 128, 128, 4)


@pytest.mark.tensorflow
def test_keras_trains_the_convnext_block() -> None:
    assert tuple(run_program(CONVNEXT_BLOCK)["model"].output_shape) == (None, 10)


@pytest.mark.tensorflow
@pytest.mark.parametrize("case", [*HEAD_AT_FIT, *HEAD_BEFORE_A_LAYER], ids=[*HEAD_AT_FIT, *HEAD_BEFORE_A_LAYER])
def test_keras_refuses_every_program_cnn010_reports(case: str) -> None:
    code = HEAD_AT_FIT[case] if case in HEAD_AT_FIT else HEAD_BEFORE_A_LAYER[case][0]
    with pytest.raises(ValueError, match=r"rank|ndim|matching shapes"):
        run_program(code)


# -- sequences: a Dense on an Embedding's, a recurrent layer's or a Conv1D's per-step output ---------
def sequence_model(layer: str, units: int, loss: str, labels: tuple[int, ...], shape: str = "(20, 5)",
                   data: tuple[int, ...] = (8, 20, 5)) -> str:
    """A sequence model whose Dense head (line 6) reads every time step, fitted on `labels` at line 9."""
    return (
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "\n"
        f"model = keras.Sequential([keras.Input(shape={shape}), {layer},\n"
        f"                          layers.Dense({units}, activation='{'sigmoid' if units == 1 else 'softmax'}')])\n"
        f"model.compile(optimizer='sgd', loss='{loss}')\n"
        "\n"
        f"model.fit(np.zeros({data}), np.zeros({labels}), batch_size=4, verbose=0)\n"
    )


EMBEDDING = "layers.Embedding(100, 16)"
LSTM_SEQUENCES = "layers.LSTM(8, return_sequences=True)"
SEQUENCE_AT_FIT = {
    "Embedding, sparse labels (n,)": sequence_model(EMBEDDING, 10, "sparse_categorical_crossentropy", (8,),
                                                    "(20,)", (8, 20)),
    "Embedding, binary labels (n,)": sequence_model(EMBEDDING, 1, "binary_crossentropy", (8,), "(20,)", (8, 20)),
    "Embedding, binary labels (n, 1)": sequence_model(EMBEDDING, 1, "binary_crossentropy", (8, 1), "(20,)", (8, 20)),
    "LSTM sequences, one-hot labels (n, k)": sequence_model(LSTM_SEQUENCES, 10, "categorical_crossentropy", (8, 10)),
    "LSTM sequences, sparse labels (n,)": sequence_model(LSTM_SEQUENCES, 10, "sparse_categorical_crossentropy", (8,)),
    "LSTM sequences, binary labels (n, 1)": sequence_model(LSTM_SEQUENCES, 1, "binary_crossentropy", (8, 1)),
    "Conv1D, binary labels (n, 1)": sequence_model("layers.Conv1D(8, 3)", 1, "binary_crossentropy", (8, 1)),
}
# Late tf.keras squeezes the `(None, T, 1)` output to `(None, T)` under binary cross-entropy and
# broadcasts `(n, 1)` labels over it: it trains, a wrong model; Keras 3 refuses.
TF_KERAS_BROADCASTS = {"Embedding, binary labels (n, 1)", "LSTM sequences, binary labels (n, 1)",
                       "Conv1D, binary labels (n, 1)"}
SEQUENCE_TAGGING = {
    "LSTM sequences, sparse labels per step (n, T)": sequence_model(LSTM_SEQUENCES, 4,
                                                                    "sparse_categorical_crossentropy", (8, 20)),
    "Embedding, one-hot labels per step (n, T, k)": sequence_model(EMBEDDING, 4, "categorical_crossentropy",
                                                                   (8, 20, 4), "(20,)", (8, 20)),
    "Embedding, sparse labels per step (n, T, 1)": sequence_model(EMBEDDING, 4, "sparse_categorical_crossentropy",
                                                                  (8, 20, 1), "(20,)", (8, 20)),
}


@pytest.mark.parametrize("case", SEQUENCE_AT_FIT, ids=list(SEQUENCE_AT_FIT))
def test_per_example_labels_for_a_dense_on_a_sequence_report_cnn010_at_the_dense(case: str) -> None:
    (d,) = lint(SEQUENCE_AT_FIT[case])
    assert (d.loc.line, d.code, d.severity) == (6, "CNN010", "error")
    (note,) = d.related
    assert note.loc.line == 9 and note.path == d.path  # the fit line, where the labels meet the output
    assert note.message.startswith("the labels (8") and ", one per example, meet the output (None, " in note.message


def test_a_dense_on_a_recurrent_sequence_says_per_time_step_and_offers_return_sequences() -> None:
    (d,) = lint(SEQUENCE_AT_FIT["LSTM sequences, one-hot labels (n, k)"])
    assert d.message.startswith("Dense reads the sequence (None, 20, 8) per time step, so model `model` outputs "
                                "(None, 20, 10), one prediction per time step")
    assert d.message.endswith("add Flatten(), global pooling or return_sequences=False before this Dense")
    assert d.related[0].message == ("the labels (8, 10), one per example, meet the output (None, 20, 10), "
                                    "one per time step, here")


def test_binary_labels_on_a_per_step_output_name_what_late_tf_keras_does() -> None:
    (d,) = lint(SEQUENCE_AT_FIT["LSTM sequences, binary labels (n, 1)"])
    assert ("Keras 3 refuses them under binary_crossentropy (late tf.keras may instead broadcast each label over "
            "every time step and train a wrong model)") in d.message


@pytest.mark.parametrize("case", SEQUENCE_TAGGING, ids=list(SEQUENCE_TAGGING))
def test_sequence_tagging_with_labels_per_step_is_not_reported(case: str) -> None:
    assert found(SEQUENCE_TAGGING[case]) == []


# -- raw TensorFlow: a dense layer on a feature map into a loss that pairs one label row per example ----
TF1_SOFTMAX = """\
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 28, 28, 1])
y = tf.placeholder(tf.float32, [None, 10])
h = tf.layers.conv2d(x, 32, 3, activation=tf.nn.relu)
h = tf.layers.max_pooling2d(h, 2, 2)
logits = tf.layers.dense(h, 10)
loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
"""

TF_SPARSE = """\
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 28, 28, 1])
y = tf.placeholder(tf.int64, [None])
h = tf.keras.layers.Conv2D(32, 3, activation='relu')(x)
logits = tf.keras.layers.Dense(10)(h)
loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
"""

TF_PER_PIXEL = TF_SPARSE.replace("[None])", "[None, 26, 26])")


def test_a_tf_dense_on_a_feature_map_into_softmax_cross_entropy_is_cnn010_at_the_dense() -> None:
    (d,) = lint(TF1_SOFTMAX)
    assert (d.loc.line, d.code) == (7, "CNN010")
    assert d.message.startswith("tf.layers.dense reads the feature map (None, 13, 13, 32) of `h` per position, so "
                                "`logits` is (None, 13, 13, 10), one prediction per position; "
                                "`tf.nn.softmax_cross_entropy_with_logits` on line 8 pairs it with the labels `y` "
                                "(None, 10), one per example, and raises")
    assert d.message.endswith("add tf.layers.flatten() or global pooling before this tf.layers.dense")
    assert [(r.loc.line, r.message) for r in d.related] == [
        (8, "the labels (None, 10), one per example, meet the predictions (None, 13, 13, 10), one per position, here")]


def test_a_sparse_loss_on_per_position_logits_is_cnn010_only() -> None:
    assert found(TF_SPARSE) == [(6, "CNN010")]


def test_per_pixel_labels_into_a_sparse_loss_are_a_segmentation_head() -> None:
    assert found(TF_PER_PIXEL) == []


# -- Keras and TensorFlow themselves --------------------------------------------------------------
def tf_keras_program(code: str) -> str:
    """The same program written for the tf-keras package (late Keras 2)."""
    return (code.replace("from tensorflow import keras\n", "import tf_keras as keras\n")
            .replace("from tensorflow.keras import layers\n", "from tf_keras import layers\n"))


@pytest.mark.tensorflow
@pytest.mark.parametrize("case", SEQUENCE_AT_FIT, ids=list(SEQUENCE_AT_FIT))
def test_keras_3_refuses_every_sequence_program_cnn010_reports(case: str) -> None:
    with pytest.raises(ValueError, match=r"rank|ndim|same shape"):
        run_program(SEQUENCE_AT_FIT[case])


@pytest.mark.tensorflow
@pytest.mark.parametrize("case", SEQUENCE_AT_FIT, ids=list(SEQUENCE_AT_FIT))
def test_tf_keras_refuses_the_sequence_programs_or_broadcasts_binary_labels(case: str) -> None:
    pytest.importorskip("tf_keras")
    code = tf_keras_program(SEQUENCE_AT_FIT[case])
    if case in TF_KERAS_BROADCASTS:
        model = run_program(code)["model"]  # trains: one label broadcast over every time step
        assert len(model.output_shape) == 3
    else:
        with pytest.raises(ValueError):
            run_program(code)


@pytest.mark.tensorflow
@pytest.mark.parametrize("case", SEQUENCE_TAGGING, ids=list(SEQUENCE_TAGGING))
def test_keras_3_and_tf_keras_train_the_sequence_taggers(case: str) -> None:
    assert tuple(run_program(SEQUENCE_TAGGING[case])["model"].output_shape) == (None, 20, 4)
    pytest.importorskip("tf_keras")
    assert tuple(run_program(tf_keras_program(SEQUENCE_TAGGING[case]))["model"].output_shape) == (None, 20, 4)


@pytest.mark.tensorflow
def test_tensorflow_refuses_per_example_labels_against_per_position_logits() -> None:
    tf = pytest.importorskip("tensorflow")
    logits = tf.zeros((4, 13, 13, 10))
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError)):
        tf.nn.softmax_cross_entropy_with_logits(labels=tf.zeros((4, 10)), logits=logits)
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError)):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.zeros((4,), tf.int64), logits=logits)
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError)):
        tf.compat.v1.losses.softmax_cross_entropy(onehot_labels=tf.zeros((4, 10)), logits=logits)
    per_pixel = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.zeros((4, 13, 13), tf.int64), logits=logits)
    assert tuple(per_pixel.shape) == (4, 13, 13)


@pytest.mark.tensorflow
@pytest.mark.parametrize("case", [*HEAD_AT_FIT, *HEAD_BEFORE_A_LAYER], ids=[*HEAD_AT_FIT, *HEAD_BEFORE_A_LAYER])
def test_tf_keras_refuses_every_feature_map_program_cnn010_reports(case: str) -> None:
    # With a sigmoid head tf-keras hands binary_crossentropy the cached logits and
    # sigmoid_cross_entropy_with_logits refuses (n,) labels against (None, 13, 13, 1); a linear head
    # would broadcast them (and be CNN204's).
    pytest.importorskip("tf_keras")
    code = tf_keras_program(HEAD_AT_FIT[case] if case in HEAD_AT_FIT else HEAD_BEFORE_A_LAYER[case][0])
    with pytest.raises(ValueError):
        run_program(code)


@pytest.mark.tensorflow
def test_tf_keras_trains_the_segmentation_head() -> None:
    pytest.importorskip("tf_keras")
    assert tuple(run_program(tf_keras_program(SEGMENTATION))["model"].output_shape) == (None, 128, 128, 4)
