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
    return (
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "\n"
        f"model = keras.Sequential([keras.Input(shape={shape}), layers.{conv}(8, 3, activation='relu'),\n"
        f"                          layers.{pool}(),\n"
        f"                          {head}layers.Dense({units})])\n"
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
