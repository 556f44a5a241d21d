"""`kernel_initializer=Constant(W)` and the like (issue 15): the value of a `Constant` initializer
against the weight the layer builds (CNN011).

Each case is built by the real libraries, one flavour per process (tests/differential_oracle.py):
Keras 3 broadcasts the value (`value * ones(shape)`), tf-keras and TF 2's `tf.constant_initializer`
reshape it (`tf.constant(value, shape=shape)`: as many values, or one), and TF 1's `constant_v1`
(what Keras 2 of the TensorFlow 1 era calls, still `tf.compat.v1.constant` in a graph) repeats the
last value where there are fewer and refuses more. cnnlint reports under a stated target exactly
where that target's library refuses, and under an unstated one only where all of them refuse.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from cnnlint.options import FrontendOptions
from cnnlint.rules import select_rules
from cnnlint.runner import check_source
from cnnlint.targets import KerasTarget, KerasTargets, KerasVersion
from tests.differential_oracle import TARGETS, in_flavour

# (layer, input shape, argument, value shape or None for a scalar, the initializer as called)
Case = tuple[str, tuple[int, ...], str, "tuple[int, ...] | None", str]
CONSTANT = "keras.initializers.Constant"
TF_CONSTANT = "tf.constant_initializer"

_DENSE = [("kernel_initializer", v) for v in (
    (20, 64), (64, 20), (64,), (1, 64), (20, 1), (1280,), (20, 32), (40, 64), (10, 64), (2, 20, 64), None, (1,))] + \
    [("bias_initializer", v) for v in ((64,), (20,), (1, 64), (32,), (128,))]
_EMBEDDING = [("embeddings_initializer", v) for v in (
    (1000, 50), (1000, 64), (1001, 64), (999, 64), (64, 1000), (2000, 64), (64,), (1000, 1))]
_CONV = [("kernel_initializer", v) for v in ((64,), (3, 3, 64), (64, 1, 3, 3), (3, 3, 1, 32), (3, 3, 1, 128),
                                              (3, 3, 2, 64))] + [("bias_initializer", (32,))]
CASES: list[Case] = [
    *(("Dense(64, {arg}=I)", (20,), arg, v, CONSTANT) for arg, v in _DENSE),
    *(("Dense(64, {arg}=I)", (20,), arg, v, TF_CONSTANT) for arg, v in _DENSE),
    *(("Embedding(1000, 64, {arg}=I)", (10,), arg, v, CONSTANT) for arg, v in _EMBEDDING),
    *(("Embedding(1000, 64, {arg}=I)", (10,), arg, v, TF_CONSTANT) for arg, v in _EMBEDDING),
    *(("Conv2D(64, 3, {arg}=I)", (8, 8, 1), arg, v, CONSTANT) for arg, v in _CONV),
    ("Conv2D(64, 3, {arg}=I)", (8, 8, 1), "kernel_initializer", (64, 1, 3, 3), TF_CONSTANT),
    ("Conv1D(16, 5, {arg}=I)", (30, 8), "kernel_initializer", (5, 16, 8), CONSTANT),
    ("Conv1D(16, 5, {arg}=I)", (30, 8), "kernel_initializer", (5, 8, 16), "keras.initializers.constant"),
    ("Conv2DTranspose(16, 3, {arg}=I)", (8, 8, 4), "kernel_initializer", (3, 3, 4, 16), CONSTANT),
    ("Conv2DTranspose(16, 3, {arg}=I)", (8, 8, 4), "kernel_initializer", (3, 3, 16, 4), CONSTANT),
    ("DepthwiseConv2D(3, {arg}=I)", (8, 8, 4), "depthwise_initializer", (3, 3, 4, 2), CONSTANT),
    ("DepthwiseConv2D(3, {arg}=I)", (8, 8, 4), "depthwise_initializer", (3, 3, 1, 4), CONSTANT),
    ("DepthwiseConv2D(3, {arg}=I)", (8, 8, 4), "depthwise_initializer", (3, 3, 4, 1), CONSTANT),
    ("SeparableConv2D(8, 3, {arg}=I)", (8, 8, 4), "pointwise_initializer", (1, 1, 8, 4), CONSTANT),
    ("SeparableConv2D(8, 3, {arg}=I)", (8, 8, 4), "pointwise_initializer", (1, 1, 4, 8), CONSTANT),
    ("SeparableConv2D(8, 3, {arg}=I)", (8, 8, 4), "depthwise_initializer", (3, 3, 4, 2), CONSTANT),
    ("Dense(64, {arg}=I)", (20,), "kernel_initializer", (64, 20), "keras.initializers.Constant(value=W)"),
    ("Dense(64, {arg}=I)", (20,), "kernel_initializer", (10, 64), "tf.keras.initializers.Constant"),
]

# The TensorFlow pin of the differential targets: `tf.constant_initializer` is TF 2's.
TF_PIN = KerasVersion(2, 21)


def _options(flavour: str) -> FrontendOptions:
    return FrontendOptions(keras=dataclasses.replace(TARGETS[flavour], tensorflow=TF_PIN))


def code(case: Case) -> str:
    layer, shape, argument, value, callee = case
    init = f"{callee}(W)" if not callee.endswith(")") else callee
    w = "0.5" if value is None else f"np.zeros({value}, dtype='float32')"
    return ("import numpy as np\nimport tensorflow as tf\nimport keras\nfrom keras import layers\n"
            f"W = {w}\nI = {init}\n"
            f"model = keras.Sequential([keras.Input(shape={shape}), layers.{layer.format(arg=argument)}])\n")


def found(source: str, opts: FrontendOptions | None) -> list[str]:
    diagnostics = check_source(source, "snippet.py", select_rules(["CNN011"]), options=opts).diagnostics
    return [d.message for d in diagnostics if d.code == "CNN011"]


def _tf1_refuses(value: tuple[int, ...] | None, weight: tuple[int, ...]) -> bool:
    """TF 1's `constant_v1` (Keras 2.0-2.3's `K.constant`, TF 1's `constant_initializer`) in a graph."""
    import numpy as np
    import tensorflow as tf

    with tf.Graph().as_default():
        try:
            tf.compat.v1.constant(0.5 if value is None else np.zeros(value, "float32"), shape=weight)
        except (TypeError, ValueError):
            return True
    return False


def outcomes(flavour: str, indices: list[int]) -> list[dict[str, Any]]:
    """The oracle side: each case run by this process's library, and read by cnnlint for the
    flavour's target and for an unstated one."""
    out = []
    for index in indices:
        case = CASES[index]
        source = code(case)
        scope: dict[str, Any] = {}
        try:
            exec(source, scope)  # the test's own generated source, run by the real library
            refused = ""
        except Exception as error:  # InvalidArgumentError, TypeError, ValueError
            refused = f"{type(error).__name__}: {str(error)[:120]}"
        out.append({"index": index, "source": source, "refused": refused, "stated": found(source, _options(flavour)),
                    "unstated": found(source, None)})
    return out


@pytest.fixture(scope="module")
def measured() -> dict[str, list[dict[str, Any]]]:
    pytest.importorskip("tensorflow")
    pytest.importorskip("tf_keras")
    everything = list(range(len(CASES)))
    return {flavour: in_flavour(flavour, "tests.test_constant_initializer:outcomes", everything)
            for flavour in ("keras3", "tf-keras")}


def _disagreements(rows: list[dict[str, Any]]) -> list[str]:
    return [f"{r['index']}: library {r['refused'] or 'accepts'}; cnnlint {r['stated']}\n{r['source']}"
            for r in rows if bool(r["refused"]) != bool(r["stated"])]


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", ["keras3", "tf-keras"])
def test_a_stated_target_reports_exactly_where_its_library_refuses(
        measured: dict[str, list[dict[str, Any]]], flavour: str) -> None:
    rows = measured[flavour]
    assert len(rows) == len(CASES)
    assert _disagreements(rows) == []
    assert any(r["refused"] for r in rows) and any(not r["refused"] for r in rows)


@pytest.mark.tensorflow
def test_keras3_and_tf_keras_disagree_on_broadcast_and_reshape(measured: dict[str, list[dict[str, Any]]]) -> None:
    # The measurement behind the readings: a (64,) kernel value broadcasts in Keras 3 only, a
    # (64, 20) value for a (20, 64) kernel is reshaped by tf-keras only.
    by_case = {(CASES[r["index"]][2], CASES[r["index"]][3], CASES[r["index"]][4], CASES[r["index"]][0]): r
               for r in measured["keras3"]}
    tf_keras = {r["index"]: r for r in measured["tf-keras"]}
    broadcast = by_case[("kernel_initializer", (64,), CONSTANT, "Dense(64, {arg}=I)")]
    reshaped = by_case[("kernel_initializer", (64, 20), CONSTANT, "Dense(64, {arg}=I)")]
    assert not broadcast["refused"] and tf_keras[broadcast["index"]]["refused"]
    assert reshaped["refused"] and not tf_keras[reshaped["index"]]["refused"]
    # `tf.constant_initializer` is TensorFlow's in both: it reshapes, never broadcasts
    tf_broadcast = by_case[("kernel_initializer", (64,), TF_CONSTANT, "Dense(64, {arg}=I)")]
    assert tf_broadcast["refused"] and tf_keras[tf_broadcast["index"]]["refused"]


@pytest.mark.tensorflow
def test_an_unstated_target_reports_only_what_every_keras_refuses(measured: dict[str, list[dict[str, Any]]]) -> None:
    rows = {flavour: {r["index"]: r for r in measured[flavour]} for flavour in measured}
    reported = [i for i in range(len(CASES)) if rows["keras3"][i]["unstated"]]
    assert reported, "no case is refused everywhere"
    for i in reported:
        assert rows["keras3"][i]["refused"] and rows["tf-keras"][i]["refused"], rows["keras3"][i]["source"]
        assert rows["tf-keras"][i]["unstated"] == rows["keras3"][i]["unstated"]
    # the TF 1-era Keras: more values than the weight holds, each reported case
    weights = {"Dense(64, {arg}=I)": {"kernel_initializer": (20, 64), "bias_initializer": (64,)},
               "Embedding(1000, 64, {arg}=I)": {"embeddings_initializer": (1000, 64)},
               "Conv2D(64, 3, {arg}=I)": {"kernel_initializer": (3, 3, 1, 64), "bias_initializer": (64,)}}
    for i in reported:
        layer, _, argument, value, _ = CASES[i]
        if layer in weights:
            assert _tf1_refuses(value, weights[layer][argument]), CASES[i]


@pytest.mark.tensorflow
def test_tf1_constant_v1_pads_fewer_values_and_refuses_more() -> None:
    # Why the unstated target stays quiet on Embedding(1000, 64) given a (1000, 50) matrix: TF 1's
    # `constant_v1` (Keras 2.2.4's `K.constant`) fills the rest with the last value.
    pytest.importorskip("tensorflow")
    assert not _tf1_refuses((1000, 50), (1000, 64))
    assert _tf1_refuses((1001, 64), (1000, 64))
    assert not _tf1_refuses((64, 1000), (1000, 64))
    assert not _tf1_refuses(None, (1000, 64))


# -- static behaviour (no TensorFlow) ------------------------------------------------------------
KERAS3 = FrontendOptions(keras=TARGETS["keras3"])
TF_KERAS = _options("tf-keras")
KERAS1 = FrontendOptions(keras=KerasTargets(keras=KerasTarget(KerasVersion(1, 2, 2), "test")))
KERAS2_2 = FrontendOptions(keras=KerasTargets(keras=KerasTarget(KerasVersion(2, 2, 4), "test")))


def _embedding(value: str, callee: str = CONSTANT, imports: str = "import keras\nfrom keras import layers\n") -> str:
    return ("import numpy as np\nimport tensorflow as tf\n" + imports +
            f"emb = {value}\n"
            "model = keras.Sequential([keras.Input(shape=(10,)),\n"
            f"    layers.Embedding(1000, 64, embeddings_initializer={callee}(emb))])\n")


def test_the_embedding_matrix_of_the_wrong_width_names_the_argument_and_the_weight() -> None:
    [message] = found(_embedding("np.zeros((1000, 50))"), KERAS3)
    assert message.startswith("`embeddings_initializer=keras.initializers.Constant(...)` gives a (1000, 50) value, "
                              "but the `embeddings` of `embedding` (Embedding) is (1000, 64)")
    assert "do not broadcast (50 against 64)" in message
    [message] = found(_embedding("np.zeros((1000, 50))"), TF_KERAS)
    assert "needs as many values, or one: 50000 values for 64000" in message


def test_unstated_fewer_values_are_quiet_more_values_that_do_not_broadcast_are_reported() -> None:
    assert found(_embedding("np.zeros((1000, 50))"), None) == []
    [message] = found(_embedding("np.zeros((1001, 64))"), None)
    assert "does not broadcast to that shape (1001 against 1000)" in message
    assert "64064 values for 64000" in message


def test_the_reported_line_is_the_layer_that_takes_the_argument() -> None:
    source = _embedding("np.zeros((1000, 50))")
    diagnostics = check_source(source, "snippet.py", select_rules(["CNN011"]), options=KERAS3).diagnostics
    assert [(d.loc.line, d.loc.column) for d in diagnostics] == [(7, 5)]


def test_values_that_fit_are_quiet_whatever_the_target() -> None:
    for opts in (None, KERAS3, TF_KERAS):
        assert found(_embedding("np.zeros((1000, 64))"), opts) == []
        assert found(_embedding("0.1"), opts) == []
        assert found(_embedding("np.random.rand(1000, 64)"), opts) == []


def test_a_bias_row_broadcast_over_a_kernel_is_keras3_only() -> None:
    source = ("import numpy as np\nimport keras\nfrom keras import layers\n"
              "model = keras.Sequential([keras.Input(shape=(8, 8, 1)),\n"
              "    layers.Conv2D(64, 3, kernel_initializer=keras.initializers.Constant(np.zeros(64)))])\n")
    assert found(source, KERAS3) == [] and found(source, None) == []
    [message] = found(source, TF_KERAS)
    assert message.startswith("`kernel_initializer=keras.initializers.Constant(...)` gives a (64,) value, "
                              "but the `kernel` of `conv2d` (Conv2D) is (3, 3, 1, 64)")


def test_tf_constant_initializer_reshapes_as_tf2_does() -> None:
    source = _embedding("np.zeros((1000, 50))", TF_CONSTANT)
    [message] = found(source, KERAS3)
    assert message.startswith("`embeddings_initializer=tf.constant_initializer(...)` gives a (1000, 50) value")
    assert found(_embedding("np.zeros((64, 1000))", TF_CONSTANT), KERAS3) == []  # same count: reshaped
    # without a TensorFlow pin it may be TF 1's, which fills fewer values
    no_pin = FrontendOptions(keras=dataclasses.replace(TARGETS["tf-keras"], tensorflow=None))
    assert found(source, no_pin) == []
    assert found(_embedding("np.zeros((1001, 64))", TF_CONSTANT), no_pin) != []


def test_every_spelling_of_the_constant_initializer() -> None:
    for callee in ("keras.initializers.Constant", "keras.initializers.constant", "tf.keras.initializers.Constant",
                   "tf.initializers.Constant", "tf.compat.v1.constant_initializer", "tf.constant_initializer"):
        assert found(_embedding("np.zeros((2000, 64))", callee), KERAS3) != [], callee
    source = _embedding("np.zeros((2000, 64))").replace("Constant(emb)", "Constant(value=emb)")
    assert found(source, KERAS3) != []
    imports = "from tensorflow import keras\nfrom tensorflow.keras import layers\nfrom tensorflow.keras.initializers import Constant\n"
    assert found(_embedding("np.zeros((2000, 64))", "Constant", imports), KERAS3) != []


def test_a_value_of_unknown_shape_is_quiet() -> None:
    assert found(_embedding("np.load('glove.npy')"), KERAS3) == []


def test_a_vocabulary_size_read_from_data_is_quiet() -> None:
    # `Embedding(len(words) + 1, ...)`: its weights are not known (docs/weights.md), nor checked
    source = ("import numpy as np\nimport keras\nfrom keras import layers\n"
              "words = open('words.txt').read().split()\n"
              "matrix = np.zeros((len(words) + 1, 300))\n"
              "model = keras.Sequential([keras.Input(shape=(10,)),\n"
              "    layers.Embedding(len(words) + 1, 100, embeddings_initializer=keras.initializers.Constant(matrix))])\n")
    assert found(source, KERAS3) == []


def test_a_shared_layer_is_reported_once() -> None:
    source = ("import numpy as np\nimport keras\nfrom keras import layers\n"
              "a = keras.Input(shape=(20,))\nb = keras.Input(shape=(20,))\n"
              "dense = layers.Dense(64, kernel_initializer=keras.initializers.Constant(np.zeros((64, 30))))\n"
              "model = keras.Model([a, b], [dense(a), dense(b)])\n")
    assert len(found(source, KERAS3)) == 1


def test_keras2_of_the_tf1_era_and_keras1() -> None:
    # Standalone Keras 2.0-2.3: `K.constant` (TF 1's `constant_v1`, or Theano's broadcast); Keras 1
    # has no `Constant` (its initializers are `keras.initializations` functions): never reported.
    assert found(_embedding("np.zeros((1000, 50))"), KERAS2_2) == []
    assert found(_embedding("np.zeros((1001, 64))"), KERAS2_2) != []
    assert found(_embedding("np.zeros((1001, 64))"), KERAS1) == []


def test_a_recurrent_layer_is_not_checked() -> None:
    # LSTM's bias initializer is called per gate when `unit_forget_bias` (Keras 3 `LSTMCell.build`).
    source = ("import numpy as np\nimport keras\nfrom keras import layers\n"
              "model = keras.Sequential([keras.Input(shape=(5, 8)),\n"
              "    layers.LSTM(16, bias_initializer=keras.initializers.Constant(np.zeros(16)))])\n")
    assert found(source, KERAS3) == []


# -- TF 1 variables ---------------------------------------------------------------------------------
VARIABLE_VALUES = [(1000, 64), (64, 1000), (1000, 50), (1001, 64), (64,), None, (2000, 64)]
VARIABLE_INITIALIZERS = ["tf.constant_initializer", "tf.compat.v1.constant_initializer"]


def _variable(value: tuple[int, ...] | None, callee: str) -> str:
    w = "0.5" if value is None else f"np.zeros({value}, dtype='float32')"
    return ("import numpy as np\nimport tensorflow as tf\n"
            f"W = {w}\n"
            f"emb = tf.compat.v1.get_variable('emb', shape=[1000, 64], initializer={callee}(W))\n")


TF2_PIN = FrontendOptions(keras=dataclasses.replace(TARGETS["tf-keras"], tensorflow=TF_PIN))


@pytest.mark.tensorflow
@pytest.mark.parametrize("callee", VARIABLE_INITIALIZERS)
@pytest.mark.parametrize("value", VARIABLE_VALUES, ids=str)
def test_a_tf1_variable_is_reported_where_tensorflow_refuses_it(value: tuple[int, ...] | None, callee: str) -> None:
    tf = pytest.importorskip("tensorflow")
    source = _variable(value, callee)
    refused = {}
    for mode in ("graph", "eager"):
        try:
            if mode == "graph":
                with tf.Graph().as_default():
                    exec(source, {})  # the test's own generated source, run by TensorFlow
            else:
                exec(source.replace("'emb'", f"'emb_{abs(hash((value, callee)))}'"), {})
            refused[mode] = False
        except (TypeError, ValueError):
            refused[mode] = True
    # a finding (with or without a TensorFlow 2 pin) only where both graph and eager code refuse
    for opts in (None, TF2_PIN):
        if found(source, opts):
            assert refused["graph"] and refused["eager"], (opts, source)
    # TF 2's own `tf.constant_initializer` with TensorFlow 2 pinned: exactly where it refuses
    if callee == "tf.constant_initializer":
        assert bool(found(source, TF2_PIN)) == refused["graph"] == refused["eager"], source
    # TF 1's `constant_v1`: more values than the variable holds, whatever the pins
    if callee == "tf.compat.v1.constant_initializer":
        assert bool(found(source, None)) == refused["graph"], source


def test_a_tf1_variable_message_names_the_variable() -> None:
    [message] = found(_variable((1001, 64), "tf.constant_initializer"), None)
    assert message == ("`initializer=tf.constant_initializer(...)` gives a (1001, 64) value, but the variable `emb` "
                       "is (1000, 64): the initializer takes at most as many values as the weight holds: "
                       "64064 values for 64000")
    assert found(_variable((1000, 50), "tf.constant_initializer"), None) == []  # TF 1 fills it
    assert found(_variable((1000, 50), "tf.constant_initializer"), TF2_PIN) != []
