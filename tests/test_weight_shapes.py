"""Weight shapes in `cnnlint shapes`: each layer's variables as the target Keras builds them.

Keras 2 and 3 are checked against the libraries (Keras 3 in this process, tf-keras, late Keras 2,
in a subprocess: `tests/differential_oracle.py`) over a generated set of layer configurations:
names, shapes, trainable flags, in `layer.weights` order. Keras 1 does not install on Python
3.11; its layouts are encoded from keras-team/keras at tag 1.2.2 and each test cites the line.
"""

from __future__ import annotations

import itertools
import json
from typing import Any

import pytest
from click.testing import CliRunner

from cnnlint.cli import main
from cnnlint.frontend import extract
from cnnlint.options import FrontendOptions
from cnnlint.report.summary import Row, Table, tables
from cnnlint.shapes import Dim, layer_weights
from cnnlint.targets import KerasTarget, KerasTargets, KerasVersion
from tests.differential_oracle import Outcome, disagreements, options, outcomes_in

Weights = list[tuple[str, tuple[int | None, ...], bool]]

KERAS1 = FrontendOptions(keras=KerasTargets(keras=KerasTarget(KerasVersion(1, 2, 2), "test")))
KERAS2_2 = FrontendOptions(keras=KerasTargets(keras=KerasTarget(KerasVersion(2, 2, 4), "test")))


# -- the generated configurations ----------------------------------------------------------------
def _configs() -> list[tuple[tuple[int, ...], str]]:
    """(input shape without the batch, layer source with `layers.`) for every layer kind with weights."""
    out: list[tuple[tuple[int, ...], str]] = []
    for n, (kernel, bias) in itertools.product((1, 2, 3), itertools.product((1, 3), (True, False))):
        shape = (9,) * n + (4,)
        out.append((shape, f"layers.Conv{n}D(6, {kernel}, use_bias={bias})"))
        out.append((shape, f"layers.Conv{n}DTranspose(5, {kernel}, use_bias={bias})"))
    out += [((4, 9, 9), "layers.Conv2D(6, (2, 3), data_format='channels_first')"),
            ((4, 9, 9, 9), "layers.Conv3D(6, 2, data_format='channels_first')"),
            ((4, 9, 9), "layers.Conv2DTranspose(3, 2, data_format='channels_first')"),
            ((9, 9, 8), "layers.Conv2D(6, 3, groups=2)"),
            ((9, 8), "layers.Conv1D(4, 3, groups=4, use_bias=False)")]
    for n, multiplier, bias in itertools.product((1, 2), (1, 3), (True, False)):
        shape = (9,) * n + (4,)
        out.append((shape, f"layers.SeparableConv{n}D(6, 3, depth_multiplier={multiplier}, use_bias={bias})"))
        out.append((shape, f"layers.DepthwiseConv{n}D(3, depth_multiplier={multiplier}, use_bias={bias})"))
    out += [((4, 9, 9), "layers.SeparableConv2D(6, 3, data_format='channels_first')"),
            ((4, 9, 9), "layers.DepthwiseConv2D(2, depth_multiplier=2, data_format='channels_first')")]
    for shape, bias in itertools.product(((12,), (5, 12), (3, 5, 12)), (True, False)):
        out.append((shape, f"layers.Dense(7, use_bias={bias})"))
    out += [((12,), "layers.Dense(7, trainable=False)"),
            ((10,), "layers.Embedding(50, 8)"), ((3, 4), "layers.Embedding(20, 6)")]
    for kind, bias, sequences in itertools.product(("SimpleRNN", "LSTM", "GRU"), (True, False), (True, False)):
        out.append(((6, 5), f"layers.{kind}(3, use_bias={bias}, return_sequences={sequences})"))
    out += [((6, 5), "layers.GRU(3, reset_after=False)"),
            ((6, 5), "layers.Bidirectional(layers.LSTM(4))"),
            ((6, 5), "layers.Bidirectional(layers.GRU(4, reset_after=False), merge_mode='sum')"),
            ((6, 5), "layers.Bidirectional(layers.SimpleRNN(2, return_sequences=True))")]
    for shape in ((12,), (7, 12), (5, 5, 12)):
        out.append((shape, "layers.BatchNormalization()"))
        out.append((shape, "layers.LayerNormalization()"))
        out.append((shape, "layers.PReLU()"))
    out += [((3, 5, 5), "layers.BatchNormalization(axis=1)"),
            ((5, 5, 6), "layers.BatchNormalization(center=False)"),
            ((5, 5, 6), "layers.BatchNormalization(scale=False, center=False)"),
            ((5, 5, 6), "layers.BatchNormalization(trainable=False)"),
            ((5, 5, 6), "layers.LayerNormalization(axis=[1, 2])"),
            ((5, 5, 6), "layers.LayerNormalization(center=False)"),
            ((5, 5, 6), "layers.GroupNormalization(groups=3)"),
            ((5, 5, 6), "layers.GroupNormalization(groups=2, scale=False)"),
            ((5, 5, 6), "layers.PReLU(shared_axes=[1, 2])"),
            ((5, 5, 6), "layers.PReLU(shared_axes=[3])"),
            ((4, 9), "layers.TimeDistributed(layers.Dense(3))"),
            ((4, 9, 9, 2), "layers.TimeDistributed(layers.Conv2D(3, 2))"),
            ((9, 9, 4), "layers.MaxPooling2D()"), ((9, 9, 4), "layers.Flatten()"),
            ((9, 4), "layers.Dropout(0.5)"), ((9, 9, 4), "layers.GlobalAveragePooling2D()")]
    return out


CONFIGS = _configs()


def _code(shape: tuple[int, ...], layer: str) -> str:
    return ("import keras\nfrom keras import layers\n"
            f"model = keras.Sequential([keras.Input(shape={shape}), {layer}])\n")


def _last_row(code: str, opts: FrontendOptions | None = None) -> tuple[Table, Row]:
    module = extract(code, "snippet.py", opts)
    table = next(t for t in tables(module) if t.kind is not None)
    return table, table.rows[-1]


def static_weights(code: str, opts: FrontendOptions | None = None) -> Weights | None:
    _, row = _last_row(code, opts)
    if row.weights is None:
        return None
    return [(w.name, tuple(d.value for d in w.shape), w.trainable) for w in row.weights]


def _library_name(path: str) -> str:
    """`kernel` from Keras 3's `kernel` / tf-keras's `conv2d/kernel:0`; `forward/kernel` for a
    Bidirectional layer's `bidirectional/forward_lstm/lstm_cell/kernel`."""
    parts = path.split(":")[0].split("/")
    side = next((p.split("_")[0] for p in parts if p.startswith(("forward_", "backward_"))), None)
    return parts[-1] if side is None else f"{side}/{parts[-1]}"


def library_weights(shape: tuple[int, ...], layer: str) -> Weights:
    import keras
    from keras import layers

    built = eval(layer, {"layers": layers})  # the test's own generated source
    built(keras.Input(shape=shape))
    trainable = {id(w) for w in built.trainable_weights}
    return [(_library_name(getattr(w, "path", w.name)), tuple(w.shape), id(w) in trainable)
            for w in built.weights]


def outcomes(flavour: str, indices: list[int]) -> list[dict[str, Any]]:
    """The oracle side: each configuration built by this process's Keras and read by cnnlint."""
    found = []
    for index in indices:
        shape, layer = CONFIGS[index]
        expected = library_weights(shape, layer)
        actual = static_weights(_code(shape, layer), options(flavour))
        found.append(Outcome(f"{index}: {layer} on {shape}", actual == [tuple(w) for w in expected], True,
                             json.dumps(expected), json.dumps(actual), _code(shape, layer)).as_dict())
    return found


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", ["keras3", "tf-keras"])
def test_weights_agree_with_keras_3_and_tf_keras(flavour: str) -> None:
    pytest.importorskip("keras")
    if flavour == "tf-keras":
        pytest.importorskip("tf_keras")
    found = outcomes_in(flavour, "tests.test_weight_shapes:outcomes", list(range(len(CONFIGS))))
    assert len(found) == len(CONFIGS)
    assert disagreements(found) == []


@pytest.mark.parametrize(("shape", "layer"), CONFIGS, ids=[f"{i}" for i in range(len(CONFIGS))])
def test_weights_add_up_to_the_parameter_count(shape: tuple[int, ...], layer: str) -> None:
    for opts in (None, KERAS1):
        table, row = _last_row(_code(shape, layer), opts)
        if opts is KERAS1 and row.weights is None and "use_bias=False" in layer:
            continue  # Keras 1's recurrent layers always have a bias: a Keras 2 spelling, not read
        assert row.weights is not None and row.node.params is not None, layer
        total = Dim.const(0)
        for w in row.weights:
            total = total + w.size
        assert total.value == row.node.params.value, layer
        assert table.total_params is not None and table.trainable_params is not None
        assert table.non_trainable_params is not None
        assert (table.trainable_params + table.non_trainable_params).value == table.total_params.value


# -- seed 002: Keras 1 Convolution1D ------------------------------------------------------------
SEED_002 = (
    "from keras.models import Sequential\n"
    "from keras.layers import Convolution1D\n"
    "model = Sequential()\n"
    "model.add(Convolution1D(nb_filter=111, filter_length=5, border_mode='valid', activation='relu',\n"
    "                        subsample_length=1, input_dim=300, input_length=400))\n"
)


def test_seed_002_keras1_conv1d_kernel_has_the_extra_axis_of_its_2d_convolution() -> None:
    # keras/layers/convolutional.py@1.2.2, Convolution1D.build, line 130:
    #     self.W_shape = (self.filter_length, 1, input_dim, self.nb_filter)
    # and the bias, line 139: self.b = self.add_weight((self.nb_filter,), ...)
    _, row = _last_row(SEED_002, KERAS1)
    assert static_weights(SEED_002, KERAS1) == [("W", (5, 1, 300, 111), True), ("b", (111,), True)]
    assert row.node.shape is not None and tuple(d.value for d in row.node.shape) == (None, 396, 111)


@pytest.mark.parametrize("version", [KERAS2_2, options("tf-keras"), options("keras3"), None])
def test_seed_002_under_keras_2_and_3_the_kernel_is_k_in_filters(version: FrontendOptions | None) -> None:
    _, row = _last_row(SEED_002, version)
    assert static_weights(SEED_002, version) == [("kernel", (5, 300, 111), True), ("bias", (111,), True)]
    assert row.node.shape is not None and tuple(d.value for d in row.node.shape) == (None, 396, 111)


def test_seed_002_cli_text_and_json(tmp_path: Any) -> None:
    path = tmp_path / "seed.py"
    path.write_text(SEED_002)
    text = CliRunner().invoke(main, ["shapes", "--keras-version", "1", str(path)]).output
    assert "W (5, 1, 300, 111), b (111,)" in text
    assert "  Trainable params: 166,611\n  Non-trainable params: 0" in text
    modern = CliRunner().invoke(main, ["shapes", "--keras-version", "2", str(path)]).output
    assert "kernel (5, 300, 111), bias (111,)" in modern
    out = CliRunner().invoke(main, ["shapes", "--format", "json", "--keras-version", "3", str(path)]).output
    (model,) = json.loads(out)["models"]
    assert model["layers"][-1]["weights"] == [{"name": "kernel", "shape": [5, 300, 111], "trainable": True},
                                              {"name": "bias", "shape": [111], "trainable": True}]
    assert model["params"] == {"trainable": 5 * 300 * 111 + 111, "non_trainable": 0}


# -- Keras 1, from its source ---------------------------------------------------------------------
def _keras1(shape: tuple[int, ...], layer: str) -> Weights | None:
    code = ("from keras.models import Sequential\nfrom keras import layers\n"
            f"model = Sequential([layers.InputLayer(input_shape={shape}), {layer}])\n")
    return static_weights(code, KERAS1)


def test_keras1_conv2d_tf_ordering_is_rows_cols_in_filters() -> None:
    # keras/layers/convolutional.py@1.2.2, Convolution2D.build, lines 426-428 (dim_ordering 'tf'):
    #     stack_size = input_shape[3]
    #     self.W_shape = (self.nb_row, self.nb_col, stack_size, self.nb_filter)
    assert _keras1((28, 28, 3), "layers.Convolution2D(32, 3, 5, dim_ordering='tf')") == [
        ("W", (3, 5, 3, 32), True), ("b", (32,), True)]


def test_keras1_conv2d_th_ordering_is_filters_in_rows_cols() -> None:
    # keras/layers/convolutional.py@1.2.2, Convolution2D.build, lines 423-425 (dim_ordering 'th'):
    #     stack_size = input_shape[1]
    #     self.W_shape = (self.nb_filter, stack_size, self.nb_row, self.nb_col)
    assert _keras1((3, 28, 28), "layers.Convolution2D(32, 3, 5, dim_ordering='th', bias=False)") == [
        ("W", (32, 3, 3, 5), True)]


def test_keras1_conv3d_th_and_tf() -> None:
    # keras/layers/convolutional.py@1.2.2, Convolution3D.build, lines 1173-1181.
    assert _keras1((2, 8, 8, 8), "layers.Convolution3D(4, 3, 3, 3, dim_ordering='th')") == [
        ("W", (4, 2, 3, 3, 3), True), ("b", (4,), True)]
    assert _keras1((8, 8, 8, 2), "layers.Convolution3D(4, 3, 3, 3, dim_ordering='tf')") == [
        ("W", (3, 3, 3, 2, 4), True), ("b", (4,), True)]


def test_keras1_dense_and_embedding_are_w_and_b() -> None:
    # keras/layers/core.py@1.2.2, Dense.build, line 794: self.W = self.add_weight((input_dim, self.output_dim), ...)
    assert _keras1((16,), "layers.Dense(8)") == [("W", (16, 8), True), ("b", (8,), True)]
    # keras/layers/embeddings.py@1.2.2, Embedding.build, line 95: self.W = self.add_weight((self.input_dim, ...
    assert _keras1((10,), "layers.Embedding(100, 8)") == [("W", (100, 8), True)]


def test_keras1_lstm_builds_one_w_u_b_per_gate_in_i_c_f_o_order() -> None:
    # keras/layers/recurrent.py@1.2.2: Recurrent.__init__ defaults consume_less='cpu' (line 167);
    # LSTM.build adds W_i, U_i, b_i, ... per gate (lines 731-777) and sets
    # self.trainable_weights = [W_i, U_i, b_i, W_c, U_c, b_c, W_f, U_f, b_f, W_o, U_o, b_o] (780-783).
    found = _keras1((6, 5), "layers.LSTM(3)")
    assert found is not None
    assert [n for n, _, _ in found] == ["W_i", "U_i", "b_i", "W_c", "U_c", "b_c", "W_f", "U_f", "b_f",
                                        "W_o", "U_o", "b_o"]
    assert [s for _, s, _ in found[:3]] == [(5, 3), (3, 3), (3,)]


def test_keras1_consume_less_gpu_fuses_the_gates() -> None:
    # keras/layers/recurrent.py@1.2.2, LSTM.build, lines 710-729 (consume_less == 'gpu'): W, U, b.
    assert _keras1((6, 5), "layers.LSTM(3, consume_less='gpu')") == [
        ("W", (5, 12), True), ("U", (3, 12), True), ("b", (12,), True)]
    # GRU.build, lines 480-492 (gpu) and 494-529 (z, r, h in the order added).
    assert _keras1((6, 5), "layers.GRU(3, consume_less='gpu')") == [
        ("W", (5, 9), True), ("U", (3, 9), True), ("b", (9,), True)]
    found = _keras1((6, 5), "layers.GRU(3)")
    assert found is not None and [n for n, _, _ in found][::3] == ["W_z", "W_r", "W_h"]


def test_keras1_consume_less_of_a_wrapped_layer_counts() -> None:
    assert _keras1((4, 6, 5), "layers.TimeDistributed(layers.LSTM(3, consume_less='gpu'))") == [
        ("W", (5, 12), True), ("U", (3, 12), True), ("b", (12,), True)]
    found = _keras1((6, 5), "layers.Bidirectional(layers.GRU(3, consume_less='gpu'))")
    assert found is not None and [n for n, _, _ in found] == [
        "forward/W", "forward/U", "forward/b", "backward/W", "backward/U", "backward/b"]


def test_keras1_consume_less_not_known_leaves_the_weights_unknown() -> None:
    assert _keras1((6, 5), "layers.LSTM(3, consume_less=mode)") is None


def test_keras1_simple_rnn_and_batchnorm_and_prelu() -> None:
    # keras/layers/recurrent.py@1.2.2, SimpleRNN.build, lines 326-336: W, U, b.
    assert _keras1((6, 5), "layers.SimpleRNN(3)") == [("W", (5, 3), True), ("U", (3, 3), True), ("b", (3,), True)]
    # keras/layers/normalization.py@1.2.2, BatchNormalization.build, lines 86-101: gamma, beta, and the
    # non-trainable running_mean, running_std, each (input_shape[axis],).
    assert _keras1((5, 5, 6), "layers.BatchNormalization()") == [
        ("gamma", (6,), True), ("beta", (6,), True), ("running_mean", (6,), False), ("running_std", (6,), False)]
    # keras/layers/advanced_activations.py@1.2.2, PReLU.build, lines 86-93: input_shape[1:], 1 on shared axes.
    assert _keras1((5, 5, 6), "layers.PReLU(shared_axes=[1, 2])") == [("alphas", (1, 1, 6), True)]


def test_keras1_bidirectional_is_forward_then_backward() -> None:
    # keras/layers/wrappers.py@1.2.2, Bidirectional.get_weights:
    #     return self.forward_layer.get_weights() + self.backward_layer.get_weights()
    found = _keras1((6, 5), "layers.Bidirectional(layers.SimpleRNN(2))")
    assert found is not None and [n for n, _, _ in found] == [
        "forward/W", "forward/U", "forward/b", "backward/W", "backward/U", "backward/b"]


def test_keras1_deconvolution2d_has_the_convolution2d_kernel() -> None:
    # keras/layers/convolutional.py@1.2.2: Deconvolution2D (line 505) defines no build; it
    # subclasses Convolution2D, whose build (line 428) gives (nb_row, nb_col, stack_size, nb_filter).
    found = _keras1((7, 7, 16), "layers.Deconvolution2D(8, 3, 3, output_shape=(None, 9, 9, 8), "
                    "dim_ordering='tf')")
    assert found is None or found[0] == ("W", (3, 3, 16, 8), True)


def _op_weights(op: str, shape: tuple[int | None, ...], attrs: dict[str, object]) -> Weights | None:
    found = layer_weights(op, [tuple(Dim.unknown() if d is None else Dim.const(d) for d in shape)], attrs)
    return None if found is None else [(w.name, tuple(d.value for d in w.shape), w.trainable) for w in found]


def test_keras1_separable_th_and_tf_kernels() -> None:
    # keras/layers/convolutional.py@1.2.2, SeparableConvolution2D.build, lines 976-983 (the front end
    # does not read Keras 1's SeparableConvolution2D yet: the op's declaration is checked alone).
    attrs: dict[str, object] = {"kernel_size": (3, 3), "filters": 6, "separable": 2, "keras_version": "1.2.2"}
    assert _op_weights("conv", (None, 4, 9, 9), {**attrs, "data_format": "channels_first"}) == [
        ("depthwise_kernel", (2, 4, 3, 3), True), ("pointwise_kernel", (6, 8, 1, 1), True), ("b", (6,), True)]
    assert _op_weights("conv", (None, 9, 9, 4), attrs) == [
        ("depthwise_kernel", (3, 3, 4, 2), True), ("pointwise_kernel", (1, 1, 8, 6), True), ("b", (6,), True)]


# -- version-keyed defaults and what stays unknown --------------------------------------------------
def test_gru_reset_after_default_follows_the_target() -> None:
    code = _code((6, 5), "layers.GRU(3)")
    # keras/layers/recurrent.py@2.2.4 line 1602 and @2.3.1 line 1644: GRU(..., reset_after=False, ...)
    assert static_weights(code, KERAS2_2) == [("kernel", (5, 9), True), ("recurrent_kernel", (3, 9), True),
                                              ("bias", (9,), True)]
    assert static_weights(code, options("keras3")) == [("kernel", (5, 9), True), ("recurrent_kernel", (3, 9), True),
                                                       ("bias", (2, 9), True)]
    wrapped = static_weights(_code((6, 5), "layers.Bidirectional(layers.GRU(3))"), KERAS2_2)
    assert wrapped is not None and wrapped[2] == ("forward/bias", (9,), True)
    tf_2_2 = FrontendOptions(keras=KerasTargets(tf_keras=KerasTarget(KerasVersion(2, 2), "test", in_tensorflow=True)))
    tf_code = code.replace("import keras\nfrom keras import layers", "from tensorflow import keras\n"
                           "from tensorflow.keras import layers")
    assert static_weights(tf_code, tf_2_2) is None  # TF 1.13-1.15 (False) or 2.0-2.1 (True)


def test_trainable_false_makes_every_weight_non_trainable_in_the_totals() -> None:
    table, _ = _last_row(_code((4,), "layers.Dense(3, trainable=False)"))
    assert table.trainable_params is not None and table.trainable_params.value == 0
    assert table.non_trainable_params is not None and table.non_trainable_params.value == 15


def test_unknown_layer_weights_are_unknown_and_totals_too() -> None:
    code = ("import keras\nfrom keras import layers\nfrom mylib import n\n"
            "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(n), layers.Dense(3)])\n")
    module = extract(code, "snippet.py")
    table = next(t for t in tables(module) if t.kind is not None)
    assert table.trainable_params is None
    text = CliRunner().invoke(main, ["shapes", "--stdin-filename", "m.py", "-"], input=code).output
    assert "Total params: unknown" in text and "Trainable params" not in text


def test_every_op_with_a_parameter_count_declares_its_weights() -> None:
    from cnnlint.shapes import OPS

    unknown = {"backbone"}  # a whole network: its weights are not listed here
    missing = [name for name, decl in OPS.items()
               if getattr(decl, "params", None) is not None and getattr(decl, "weights", None) is None]
    assert sorted(missing) == sorted(unknown)
    assert layer_weights("pool", [None], {"pool_size": 2}) == []


def test_a_model_whose_layers_are_not_read_has_unknown_totals_not_zero() -> None:
    code = ("import keras\nfrom keras import layers\nfrom mylib import Custom\n"
            "model = keras.Sequential([keras.Input(shape=(4,)), Custom(), layers.Dense(3)])\n")
    table = next(t for t in tables(extract(code, "snippet.py")) if t.kind is not None)
    assert table.total_params is None and table.trainable_params is None and table.non_trainable_params is None


# -- the same declarations check weights handed to a layer (CNN011) ---------------------------------
SET_WEIGHTS_CASES = [
    ("Embedding(1001, 50, weights=[np.zeros((1000, 50))])", (20,), None),
    ("Embedding(1000, 50, weights=[np.zeros((1000, 50))])", (20,), None),
    ("LSTM(8)", (20, 50), "[np.zeros((50, 32)), np.zeros((8, 32)), np.zeros((33,))]"),
    ("LSTM(8)", (20, 50), "[np.zeros((50, 32)), np.zeros((8, 32)), np.zeros((32,))]"),
    ("GRU(8)", (20, 50), "[np.zeros((50, 24)), np.zeros((8, 24)), np.zeros((24,))]"),
    ("GRU(8)", (20, 50), "[np.zeros((50, 24)), np.zeros((8, 24)), np.zeros((2, 24))]"),
    ("BatchNormalization()", (5, 6), "[np.ones(6), np.zeros(6), np.zeros(6), np.ones(6)]"),
    ("BatchNormalization()", (5, 6), "[np.ones(6), np.zeros(6), np.zeros(6), np.ones(5)]"),
    ("BatchNormalization(center=False)", (5, 6), "[np.ones(6), np.zeros(6), np.zeros(6), np.ones(6)]"),
    ("PReLU(shared_axes=[1])", (5, 6), "[np.zeros((1, 6))]"),
    ("PReLU()", (5, 6), "[np.zeros((6,))]"),
]


def _cnn011(code: str, opts: FrontendOptions | None = None) -> bool:
    from cnnlint.rules import select_rules
    from cnnlint.runner import check_source

    found = check_source(code, "snippet.py", select_rules(["CNN011"]), options=opts).diagnostics
    return any(d.code == "CNN011" for d in found)


def _set_weights_code(layer: str, shape: tuple[int, ...], given: str | None) -> str:
    code = ("import numpy as np\nimport keras\nfrom keras import layers\n"
            f"layer = layers.{layer}\nmodel = keras.Sequential([keras.Input(shape={shape}), layer])\n")
    return code + (f"layer.set_weights({given})\n" if given is not None else "")


@pytest.mark.tensorflow
@pytest.mark.parametrize(("layer", "shape", "given"), SET_WEIGHTS_CASES)
def test_weights_given_to_a_layer_are_refused_where_keras_3_refuses_them(
        layer: str, shape: tuple[int, ...], given: str | None) -> None:
    pytest.importorskip("keras")
    code = _set_weights_code(layer, shape, given)
    try:
        exec(code, {})  # the test's own generated source, run by the real library
        refused = False
    except ValueError:
        refused = True
    assert _cnn011(code) == refused, code


def test_keras1_set_weights_expects_the_keras1_kernel() -> None:
    # keras/layers/convolutional.py@1.2.2 line 130: W is (filter_length, 1, input_dim, nb_filter).
    def code(kernel: str) -> str:
        return SEED_002.replace("input_length=400)", f"input_length=400, weights=[np.zeros({kernel}), np.zeros(111)])") \
            .replace("from keras.models", "import numpy as np\nfrom keras.models")

    assert not _cnn011(code("(5, 1, 300, 111)"), KERAS1) and _cnn011(code("(5, 300, 111)"), KERAS1)
    assert _cnn011(code("(5, 1, 300, 111)"), options("keras3"))
