"""The Keras front end: code forms, Keras 1 spellings and the static summary, one behaviour per test."""

from __future__ import annotations

import json

from cnnlint.report.summary import tables
from tests.conftest import codes, lint, module_of

HEADER = "from tensorflow import keras\nfrom tensorflow.keras import layers\n"


def summary(code: str) -> list[tuple[str | None, str, tuple[int | None, ...] | None, int | None]]:
    """(layer name, type, output shape, params) of every row of the first Keras model."""
    table = next(t for t in tables(module_of(code)) if t.kind is not None)
    return [
        (row.node.layer, row.op, None if row.node.shape is None else tuple(d.value for d in row.node.shape),
         None if row.node.params is None else row.node.params.value)
        for row in table.rows
    ]


def test_seed_002_conv1d_over_300_steps_gives_296() -> None:
    rows = summary(HEADER + "m = keras.Sequential([keras.Input(shape=(300, 1)), layers.Conv1D(111, 5)])\n")
    assert rows[-1] == ("conv1d", "Conv1D", (None, 296, 111), 5 * 1 * 111 + 111)


def test_layers_get_keras_default_names_in_creation_order() -> None:
    rows = summary(HEADER + "m = keras.Sequential([keras.Input(shape=(8, 8, 3)), layers.Conv2D(4, 3),\n"
                   "    layers.Conv2D(4, 3), layers.MaxPooling2D(), layers.Conv2D(2, 1, name='head')])\n")
    assert [r[0] for r in rows] == ["input_layer", "conv2d", "conv2d_1", "max_pooling2d", "head"]


def test_sequential_without_input_shape_is_listed_with_the_sizes_its_layers_fix() -> None:
    """No input shape: the sizes are unknown, but a Conv2D's input is rank 4 (it takes no other), so
    its output is (?, ?, ?, 4); a Flatten is rank 2; a Dense of unknown input rank stays unknown."""
    rows = summary(HEADER + "m = keras.Sequential([layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(2)])\n")
    assert [r[1] for r in rows] == ["Input", "Conv2D", "Flatten", "Dense"]
    assert [r[2] for r in rows] == [None, (None, None, None, 4), (None, None), (None, 2)]


def test_build_gives_a_sequential_its_input_shape() -> None:
    rows = summary(HEADER + "m = keras.Sequential([layers.Conv2D(4, 3), layers.Flatten()])\n"
                   "m.build((None, 10, 10, 1))\n")
    assert rows[-1][2] == (None, 256)


def test_input_shape_from_a_known_array() -> None:
    rows = summary("import numpy as np\n" + HEADER + "x_train = np.zeros((100, 28, 28, 1))\n"
                   "m = keras.Sequential([layers.Conv2D(8, 3, input_shape=x_train.shape[1:])])\n")
    assert rows[-1][2] == (None, 26, 26, 8)


def test_dataset_shapes_reach_the_model() -> None:
    rows = summary(HEADER + "(x, y), _ = keras.datasets.cifar10.load_data()\n"
                   "m = keras.Sequential([keras.Input(shape=x.shape[1:]), layers.Conv2D(8, 3)])\n")
    assert rows[-1][2] == (None, 30, 30, 8)


def test_partial_layer_factory_keeps_its_bound_arguments() -> None:
    rows = summary("from functools import partial\n" + HEADER +
                   "Conv = partial(layers.Conv2D, kernel_size=3, padding='same')\n"
                   "m = keras.Sequential([keras.Input(shape=(8, 8, 3)), Conv(16)])\n")
    assert rows[-1][2] == (None, 8, 8, 16)


def test_functional_model_called_on_a_new_input_replays_its_layers() -> None:
    code = HEADER + ("i = keras.Input(shape=(16,))\nbase = keras.Model(i, layers.Dense(4)(i))\n"
                     "j = keras.Input(shape=(16,))\nouter = keras.Model(j, layers.Dense(2)(base(j)))\n")
    outer = next(t for t in tables(module_of(code)) if t.title == "outer")
    assert [(row.op, tuple(d.value for d in row.node.shape or ())) for row in outer.rows] == [
        ("Input", (None, 16)), ("Dense", (None, 4)), ("Dense", (None, 2))]


def test_an_if_with_an_unknown_test_keeps_each_branch_to_itself() -> None:
    code = HEADER + ("import sys\nm = keras.Sequential([keras.Input(shape=(8, 8, 3)), layers.Conv2D(4, 3)])\n"
                     "if sys.argv[1] == 'flat':\n    m.add(layers.Flatten())\nelse:\n"
                     "    m.add(layers.GlobalAveragePooling2D())\nm.add(layers.Dense(2))\n")
    assert codes(code) == []


def test_lambda_layer_runs_its_function() -> None:
    rows = summary(HEADER + "i = keras.Input(shape=(4, 4, 2))\n"
                   "m = keras.Model(i, layers.Lambda(lambda t: t * 2.0)(i))\n")
    assert rows[-1][:3] == ("lambda", "Lambda", (None, 4, 4, 2))


def test_unknown_custom_layer_keeps_everything_after_it_quiet() -> None:
    code = HEADER + ("from mylib import Mystery\ni = keras.Input(shape=(28, 28, 1))\nx = Mystery()(i)\n"
                     "x = layers.Conv2D(4, 3)(x)\nm = keras.Model(i, layers.Dense(2)(layers.Flatten()(x)))\n")
    assert codes(code) == []


def test_keras1_conv2d_alias_reads_nb_row_nb_col_not_a_stride() -> None:
    code = ("from keras.models import Sequential\nfrom keras.layers import Conv2D, Reshape\n"
            "model = Sequential()\nmodel.add(Conv2D(16, 3, 3, border_mode='same', input_shape=(28, 28, 1)))\n"
            "model.add(Reshape((12544,)))\n")
    assert codes(code) == ["CNN007"]


def test_keras1_message_spells_the_seed_002_call_in_keras_2() -> None:
    (d,) = lint("from keras.layers import Convolution1D\n"
                "c = Convolution1D(nb_filter=111, filter_length=5, border_mode='valid', subsample_length=1)\n")
    assert "`Conv1D(filters=111, kernel_size=5, padding='valid', strides=1)`" in d.message


def test_keras1_embedding_init_becomes_embeddings_initializer() -> None:
    (d,) = lint("from keras.layers import Embedding\ne = Embedding(10, 100, init='glorot_normal')\n")
    assert "Embedding(10, 100, embeddings_initializer='glorot_normal')" in d.message


def test_keras1_merge_with_a_custom_mode_is_not_rewritten_to_a_wrong_layer() -> None:
    (d,) = lint("from keras.layers import merge, Input\na = Input(shape=(4,))\n"
                "m = merge([a, a], mode=lambda t: t[0], output_shape=lambda s: s[0])\n")
    assert "dot(" not in d.message and "Lambda" in d.message


def test_keras1_fit_generator_sample_counts_are_not_renamed_mechanically() -> None:
    (d,) = lint(HEADER + "m = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1)])\n"
                "m.fit_generator(gen, samples_per_epoch=1000, nb_epoch=5)\n")
    assert "steps_per_epoch= (batches, not samples)" in d.message


def test_modern_convolution2d_alias_is_not_keras1() -> None:
    assert codes("from keras.layers import Convolution2D\nc = Convolution2D(32, (3, 3), (2, 2))\n") == []


def test_stated_dense_input_dim_that_disagrees_is_cnn002_and_the_model_goes_on() -> None:
    code = HEADER + ("m = keras.Sequential([keras.Input(shape=(7, 7, 64)), layers.Flatten(),\n"
                     "    layers.Dense(1024, input_dim=1024), layers.Dense(10)])\n")
    assert codes(code) == ["CNN002"]
    assert summary(code)[-1][2] == (None, 10)


def test_shapes_json_has_names_params_and_totals(tmp_path: object) -> None:
    from click.testing import CliRunner

    from cnnlint.cli import main

    code = HEADER + "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])\n"
    result = CliRunner().invoke(main, ["shapes", "--format", "json", "--stdin-filename", "m.py", "-"], input=code)
    (model,) = json.loads(result.output)["models"]
    assert model["kind"] == "Sequential" and model["name"] == "model" and model["total_params"] == 15
    assert model["layers"][-1] == {"line": 3, "op": "Dense", "output": [None, 3], "name": "dense", "params": 15,
                                   "weights": [{"name": "kernel", "shape": [4, 3], "trainable": True},
                                               {"name": "bias", "shape": [3], "trainable": True}]}
    assert model["params"] == {"trainable": 15, "non_trainable": 0}


def test_notebook_format_continuation_line_is_not_a_magic(tmp_path: object) -> None:
    from cnnlint.notebook import load

    text = json.dumps({"cells": [{"cell_type": "code", "source": ["print('%d'\n", "      %(1))\n", "%time x = 1\n"]}]})
    book = load(text)
    assert "%(1))" in book.source and "%time" not in book.source


def test_subclassed_model_never_called_is_listed_with_unknown_shapes() -> None:
    code = HEADER + ("class Net(keras.Model):\n    def __init__(self):\n        super().__init__()\n"
                     "        self.conv = layers.Conv2D(8, 3)\n        self.fc = layers.Dense(2)\n\n"
                     "    def call(self, x):\n        return self.fc(self.conv(x))\n\nnet = Net()\n")
    rows = summary(code)
    assert [r[1] for r in rows] == ["Input", "Conv2D", "Dense"]
    assert [r[2] for r in rows] == [None, (None, None, None, 8), (None, None, None, 2)]
    assert codes(code) == []
