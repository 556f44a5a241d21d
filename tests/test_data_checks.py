"""CNN012-CNN014 on the ways data reaches a model: arrays, tf.data pipelines, model(x), feed_dict."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from tests.conftest import lint

HEADER = ("import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n"
          "from tensorflow.keras import layers\n(x_train, y_train), _ = keras.datasets.mnist.load_data()\n")
RGB = ("model = keras.Sequential([keras.Input(shape=(28, 28, 3)), layers.Conv2D(8, 3), layers.Flatten(), "
       "layers.Dense(10, activation='softmax')])\nmodel.compile('adam', 'categorical_crossentropy')\n")
GREY = ("model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten(), "
        "layers.Dense(10, activation='softmax')])\nmodel.compile('adam', 'sparse_categorical_crossentropy')\n")


def found(code: str) -> list[tuple[int, str]]:
    return [(d.loc.line, d.code) for d in lint(HEADER + code)]


def test_a_batched_dataset_is_checked_like_arrays_and_an_unbatched_one_element_by_element() -> None:
    batched = "ds = tf.data.Dataset.from_tensor_slices((x_train, y_train)).shuffle(100).batch(32)\n"
    assert found(batched + RGB + "model.fit(ds, epochs=1)\n") == [(9, "CNN012"), (9, "CNN013")]
    assert found(batched + GREY + "model.fit(ds, epochs=1)\n") == []
    # Unbatched, Keras takes each (28, 28) image for a batch of 28 rows: no model of 28x28 images
    # takes it (its labels are not checked: they are a "batch" of another size).
    unbatched = "ds = tf.data.Dataset.from_tensor_slices((x_train, y_train))\n"
    assert found(unbatched + RGB + "model.fit(ds, epochs=1)\n") == [(9, "CNN012")]
    assert found(unbatched + GREY + "model.fit(ds, epochs=1)\n") == [(9, "CNN012")]


UNBATCHED = [((2,), (2,), True), ((28, 28, 1), (28, 28, 1), True), ((4, 10), (10,), False),
             ((28, 28), (28, 28, 1), True)]


@pytest.mark.tensorflow
def test_an_unbatched_dataset_is_reported_exactly_where_keras_refuses_it() -> None:
    """Each element of an unbatched dataset is a batch to Keras 3 (`model.fit(ds)`)."""
    pytest.importorskip("tensorflow")
    programs = []
    for element, inputs, _ in UNBATCHED:
        programs.append(
            "import numpy as np\nimport tensorflow as tf\nimport keras\n"
            f"ds = tf.data.Dataset.from_tensor_slices((np.zeros((8, *{element}), 'float32'), np.zeros((8, 2), 'float32')))\n"
            f"model = keras.Sequential([keras.Input({inputs}), keras.layers.Flatten(), keras.layers.Dense(2)])\n"
            "model.compile(loss='mse', optimizer='adam')\nmodel.fit(ds, epochs=1, verbose=0)\n")
    runner = (
        "import sys, json\nout = []\n"
        "for code in json.loads(sys.stdin.read()):\n"
        "    try:\n        exec(code, {})\n        out.append(False)\n"
        "    except Exception:\n        out.append(True)\n"
        "print(json.dumps(out))\n")
    done = subprocess.run([sys.executable, "-c", runner], input=json.dumps(programs), capture_output=True,
                          text=True, timeout=300, check=True)
    refused = json.loads(done.stdout.strip().splitlines()[-1])
    assert refused == [r for _, _, r in UNBATCHED]
    for code, fails in zip(programs, refused, strict=True):
        assert bool([d for d in lint(code) if d.code == "CNN012"]) == fails, code


def test_one_hot_labels_from_to_categorical_fit_categorical_crossentropy() -> None:
    code = GREY.replace("sparse_categorical_crossentropy", "categorical_crossentropy")
    assert found(code + "model.fit(x_train, keras.utils.to_categorical(y_train, 10))\n") == []
    assert found(code + "model.fit(x_train, keras.utils.to_categorical(y_train, 5))\n") == [(8, "CNN013")]
    assert found(code + "model.fit(x_train[..., None], y_train[:100])\n") == [(8, "CNN013")]


def test_calling_a_model_on_data_follows_keras_input_standardisation() -> None:
    # (1, 28, 28) into Input((28, 28, 1)): Keras adds the axis; no finding, no cascade of rank errors.
    assert found(GREY + "a = model(np.zeros((1, 28, 28)))\nb = model(x_train.reshape(-1, 784))\n") == [
        (9, "CNN012")]
    functional = ("inputs = keras.Input(shape=(28, 28, 1))\n"
                  "f = keras.Model(inputs, layers.Dense(10)(layers.Flatten()(layers.Conv2D(8, 3)(inputs))))\n")
    assert found(functional + "a = f(np.zeros((1, 28, 28)))\nb = f(np.zeros((1, 28, 28, 3)))\n") == [(9, "CNN012")]


def test_a_model_used_as_a_layer_is_not_data() -> None:
    code = ("inputs = keras.Input(shape=(28, 28, 1))\n"
            "base = keras.Model(inputs, layers.Conv2D(8, 3)(inputs))\n"
            "outer_in = keras.Input(shape=(28, 28, 1))\n"
            "outer = keras.Model(outer_in, layers.Dense(10)(layers.Flatten()(base(outer_in))))\n")
    assert found(code) == []


def test_numpy_matmul_of_vectors_is_not_a_rank_error() -> None:
    assert found("a = np.zeros((3,))\nc = a @ a\nd = np.zeros((4, 3)) @ a\n") == []
