"""Sizes the code declares None (variable by design), `Reshape` with two -1 entries, and
transposed convolutions' `output_padding` (docs/design-decisions.md, "Sizes declared None").

Each case is a small program with the findings cnnlint must give; the differential tests run the
same program with Keras 3 and tf-keras (`tests/differential_oracle.py`) and check that the library
raises exactly where cnnlint reports (at the same line) and, where it builds, that the model's
output shape is cnnlint's.
"""

from __future__ import annotations

import traceback
from collections.abc import Sequence
from typing import Any

import pytest

from cnnlint.frontend import extract
from cnnlint.rules import select_rules
from cnnlint.runner import check_source
from cnnlint.shapes import Dim
from cnnlint.shapes.dim import different, equal
from cnnlint.shapes.ops.basic import join
from cnnlint.shapes.ops.convolution import transposed_window
from cnnlint.shapes.registry import NoAttrs
from tests.differential_oracle import FLAVOURS, Outcome, disagreements, options, outcomes_in

HEADER = ("import numpy as np\nimport tensorflow as tf\nfrom tensorflow import keras\n"
          "from tensorflow.keras import layers\nfrom tensorflow.keras.layers import Input\n")
FIRST = HEADER.count("\n") + 1  # the line of a case's first line

# name -> (program after HEADER, findings as (code, line within the program, 1-based)).
CASES: dict[str, tuple[str, list[tuple[str, int]]]] = {
    # -- a Dense on a last axis that is None ---------------------------------------------------
    "flatten-variable-time": (
        "model = keras.Sequential([Input((None, 64)), layers.Flatten(), layers.Dense(10)])\n", [("CNN002", 1)]),
    "conv1d-variable-length": (
        "model = keras.Sequential([\n"
        "    layers.Conv1D(8, 3, activation='relu', input_shape=(None, 1)),\n"
        "    layers.MaxPooling1D(2),\n"
        "    layers.Flatten(),\n"
        "    layers.Dense(10, activation='softmax'),\n"
        "])\n", [("CNN002", 5)]),
    "conv2d-variable-image": (
        "inputs = Input((None, None, 3))\n"
        "x = layers.Conv2D(4, 3)(inputs)\n"
        "x = layers.Flatten()(x)\n"
        "model = keras.Model(inputs, layers.Dense(2)(x))\n", [("CNN002", 4)]),
    "dense-on-a-none-last-axis": (
        "inputs = Input((64, None))\nmodel = keras.Model(inputs, layers.Dense(3)(inputs))\n", [("CNN002", 2)]),
    "lstm-sequences-flattened": (
        "model = keras.Sequential([Input((None, 8)), layers.LSTM(4, return_sequences=True), layers.Flatten(),\n"
        "                          layers.Dense(2)])\n", [("CNN002", 2)]),
    "batch-shape-variable-time": (
        "inputs = Input(batch_shape=(None, None, 4))\n"
        "model = keras.Model(inputs, layers.Dense(2)(layers.Flatten()(inputs)))\n", [("CNN002", 2)]),
    "padding-keeps-none": (
        "model = keras.Sequential([Input((None, 4)), layers.ZeroPadding1D(2), layers.UpSampling1D(2),\n"
        "                          layers.Flatten(), layers.Dropout(0.5), layers.Dense(2)])\n", [("CNN002", 2)]),
    "concatenate-on-the-none-axis": (
        "a = Input((None, 4))\n"
        "x = layers.Concatenate(axis=1)([a, a])\n"
        "model = keras.Model(a, layers.Dense(2)(layers.Flatten()(x)))\n", [("CNN002", 3)]),
    "reshape-infers-none": (
        "model = keras.Sequential([Input((None, 64)), layers.Reshape((-1,)), layers.Dense(10)])\n",
        [("CNN002", 1)]),
    "none-through-a-variable": (
        "timesteps = None\n"
        "model = keras.Sequential([Input((timesteps, 16)), layers.Conv1D(4, 3, padding='same'), layers.Flatten(),\n"
        "                          layers.Dense(1)])\n", [("CNN002", 3)]),
    # ... and what Keras builds
    "global-pooling-2d": (
        "model = keras.Sequential([Input((None, None, 3)), layers.Conv2D(8, 3), layers.GlobalAveragePooling2D(),\n"
        "                          layers.Dense(10)])\n", []),
    "global-pooling-1d": (
        "model = keras.Sequential([Input((None, 64)), layers.Conv1D(8, 3), layers.GlobalMaxPooling1D(),\n"
        "                          layers.Dense(10)])\n", []),
    "dense-per-time-step": ("model = keras.Sequential([Input((None, 64)), layers.Dense(10)])\n", []),
    "lstm-last-step": ("model = keras.Sequential([Input((None, 8)), layers.LSTM(4), layers.Dense(2)])\n", []),
    "reshape-keeps-the-features": (
        "model = keras.Sequential([Input((None, 64)), layers.Reshape((-1, 32)), layers.Dense(10)])\n", []),
    "only-the-batch-is-none": (
        "inputs = Input(batch_shape=(None, 28, 1))\n"
        "model = keras.Model(inputs, layers.Dense(2)(layers.Flatten()(inputs)))\n", []),
    "cropping-a-fixed-axis": (
        "model = keras.Sequential([Input((None, 8)), layers.Permute((2, 1)), layers.Cropping1D(1),\n"
        "                          layers.Permute((2, 1)), layers.Dense(3)])\n", []),
    "a-size-cnnlint-does-not-know": (  # a number at run time, unknown statically: quiet
        "import os\n"
        "steps = int(os.environ.get('STEPS', '12'))\n"
        "model = keras.Sequential([Input((steps, 4)), layers.Flatten(), layers.Dense(2)])\n", []),
    # -- Reshape with two -1 ------------------------------------------------------------------
    "reshape-two-unknowns": (
        "model = keras.Sequential([Input((4, 6)), layers.Reshape((-1, -1))])\n", [("CNN004", 1)]),
    "reshape-two-unknowns-and-a-size": (
        "inputs = Input((4, 6))\nmodel = keras.Model(inputs, layers.Reshape((-1, -1, 3))(inputs))\n",
        [("CNN004", 2)]),
    "tf-reshape-two-unknowns": ("y = tf.reshape(tf.zeros([4, 6]), [-1, -1, 3])\n", [("CNN004", 1)]),
    "numpy-reshape-two-unknowns": ("y = np.zeros((4, 6)).reshape(-1, -1)\n", [("CNN004", 1)]),
    "reshape-one-unknown": (
        "model = keras.Sequential([Input((4, 6)), layers.Reshape((-1, 3))])\n", []),
    # -- output_padding --------------------------------------------------------------------------
    "output-padding-equals-strides": (
        "model = keras.Sequential([Input((8, 8, 1)), layers.Conv2DTranspose(4, 3, strides=2, output_padding=2)])\n",
        [("CNN005", 1)]),
    "output-padding-on-a-stride-1-axis": (
        "model = keras.Sequential([Input((7, 7, 3)),\n"
        "                          layers.Conv2DTranspose(4, 3, strides=(2, 1), output_padding=(1, 1))])\n",
        [("CNN005", 2)]),
    "output-padding-1d": (
        "model = keras.Sequential([Input((7, 3)), layers.Conv1DTranspose(4, 3, strides=2, output_padding=2)])\n",
        [("CNN005", 1)]),
    "output-padding-3d": (
        "model = keras.Sequential([Input((5, 5, 5, 2)),\n"
        "                          layers.Conv3DTranspose(2, 3, strides=2, output_padding=(1, 2, 0))])\n",
        [("CNN005", 2)]),
    "output-padding-variable-input": (
        "model = keras.Sequential([Input((None, None, 3)),\n"
        "                          layers.Conv2DTranspose(4, 3, strides=2, output_padding=3, padding='same')])\n",
        [("CNN005", 2)]),
}
# Transposed convolutions Keras accepts: every output shape is cnnlint's.
for _k in (2, 3):
    for _s in (1, 2, 3):
        for _p in range(_s):
            for _pad in ("valid", "same"):
                CASES[f"conv2d-transpose-k{_k}-s{_s}-op{_p}-{_pad}"] = (
                    f"model = keras.Sequential([Input((7, 6, 3)), layers.Conv2DTranspose(4, {_k}, strides={_s}, "
                    f"output_padding={_p}, padding='{_pad}')])\n", [])
CASES["conv2d-transpose-dilated"] = (
    "model = keras.Sequential([Input((7, 7, 3)), layers.Conv2DTranspose(4, 3, dilation_rate=2, output_padding=0)])\n",
    [])
CASES["conv1d-transpose"] = (
    "model = keras.Sequential([Input((9, 3)), layers.Conv1DTranspose(4, 3, strides=2, output_padding=1)])\n", [])
CASES["conv3d-transpose"] = (
    "model = keras.Sequential([Input((5, 6, 7, 2)), layers.Conv3DTranspose(2, 3, strides=(2, 3, 1), "
    "output_padding=(1, 2, 0), padding='same')])\n", [])
CASES["conv2d-transpose-no-output-padding"] = (
    "model = keras.Sequential([Input((7, 7, 3)), layers.Conv2DTranspose(4, 3, strides=2), "
    "layers.Conv2DTranspose(4, 4, strides=2, padding='same')])\n", [])

# TF1 graphs (`tf.compat.v1.layers` needs tf-keras here): name -> (program, findings).
TF1_HEADER = "import tensorflow as tf\ntf.compat.v1.disable_eager_execution()\n"
TF1_CASES: dict[str, tuple[str, list[tuple[str, int]]]] = {
    "tf-layers-dense-after-flatten": (
        "x = tf.compat.v1.placeholder(tf.float32, [None, None, 3])\n"
        "flat = tf.compat.v1.layers.flatten(x)\n"
        "logits = tf.compat.v1.layers.dense(flat, 10)\n", [("CNN002", 3)]),
    "tf-layers-dense-on-a-fixed-map": (
        "x = tf.compat.v1.placeholder(tf.float32, [None, 5, 3])\n"
        "logits = tf.compat.v1.layers.dense(tf.compat.v1.layers.flatten(x), 10)\n", []),
    "tf-matmul-on-a-none-axis": (  # a plain matmul runs on whatever is fed: no finding
        "x = tf.compat.v1.placeholder(tf.float32, [None, None])\n"
        "w = tf.Variable(tf.zeros([4, 10]))\n"
        "logits = tf.matmul(x, w)\n", []),
}


def _static(code: str, flavour: str) -> tuple[list[tuple[str, int]], tuple[int | None, ...] | None]:
    """cnnlint's findings (code, line) and the output shape of `model` (values; None unknown)."""
    result = check_source(code, "case.py", select_rules(["CNN"]), options(flavour))
    found = sorted((d.code, d.loc.line) for d in result.diagnostics)
    shape = None
    for graph in extract(code, "case.py", options(flavour)).graphs:
        for model in graph.models:
            if model.var == "model" and model.outputs and graph.nodes[model.outputs[0]].shape is not None:
                shape = tuple(d.value for d in graph.nodes[model.outputs[0]].shape or ())
    return found, shape


def _expected(findings: list[tuple[str, int]], first: int) -> list[tuple[str, int]]:
    return sorted((code, line + first - 1) for code, line in findings)


@pytest.mark.parametrize("name", sorted(CASES))
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_static_findings(name: str, flavour: str) -> None:
    code, findings = CASES[name]
    found, _ = _static(HEADER + code, flavour)
    assert found == _expected(findings, FIRST)


@pytest.mark.parametrize("name", sorted(TF1_CASES))
def test_static_findings_tf1(name: str) -> None:
    code, findings = TF1_CASES[name]
    found, _ = _static(TF1_HEADER + code, "tf-keras")
    assert found == _expected(findings, TF1_HEADER.count("\n") + 1)


def test_the_message_says_where_the_fix_goes() -> None:
    code = HEADER + CASES["conv1d-variable-length"][0]
    [finding] = check_source(code, "case.py", select_rules(["CNN"]), options("keras3")).diagnostics
    assert "use GlobalAveragePooling1D (or GlobalMaxPooling1D) instead of Flatten" in finding.message
    assert "(None, None, 8)" in finding.message  # the map the Flatten flattens, as Keras prints it
    [note] = finding.related
    assert note.loc.line == FIRST + 1 and "declared here with a None size" in note.message
    image = HEADER + CASES["conv2d-variable-image"][0]
    [finding] = check_source(image, "case.py", select_rules(["CNN"]), options("keras3")).diagnostics
    assert "GlobalAveragePooling2D" in finding.message


# -- the algebra ---------------------------------------------------------------------------------
def test_a_declared_none_stays_none_through_the_arithmetic() -> None:
    n = Dim.none()
    assert n.is_none and n.has_anonymous and not Dim.unknown().is_none
    for derived in (n * 64, n + 2, (n - 3).ceildiv(2), (n * 3).floordiv(2), n.mod(5) + n, n * Dim.unknown()):
        assert derived.is_none
    assert not (n - n).is_none and (n - n).value == 0  # a size that no longer depends on it
    assert not Dim.const(7).is_none


def test_a_declared_none_is_unknown_to_every_comparison() -> None:
    n, m = Dim.none(), Dim.none()
    assert equal(n, n) and not equal(n, m) and not different(n, 64) and not different(n, m)


def test_a_join_of_none_and_a_size_is_unknown_not_none() -> None:
    n = Dim.none()
    seven = Dim.const(7)
    [joined] = join([(n,), (seven,)], NoAttrs()).shape or ()
    assert not joined.is_none and not joined.is_const
    [same] = join([(n,), (n,)], NoAttrs()).shape or ()
    assert same.is_none  # both branches have that None


def test_the_batch_axis_is_never_declared_none() -> None:
    code = HEADER + "x = tf.compat.v1.placeholder(tf.float32, [None, 3])\nmodel = keras.Sequential([Input((3,))])\n"
    for graph in extract(code, "case.py", options("keras3")).graphs:
        for node in graph.nodes:
            if node.op == "input" and node.shape is not None:
                assert not any(d.is_none for d in node.shape)


@pytest.mark.parametrize(("size", "kernel", "stride", "pad", "padding", "out"), [
    (7, 3, 2, 1, "SAME", 14), (7, 3, 2, 1, "VALID", 16), (7, 2, 3, 2, "VALID", 22), (7, 2, 3, 2, "SAME", 20),
    (7, 1, 2, 1, "VALID", 14), (7, 3, 1, 0, "VALID", 9),
])
def test_transposed_window_with_output_padding(size: int, kernel: int, stride: int, pad: int, padding: str,
                                               out: int) -> None:
    """Keras 3 `compute_conv_transpose_output_length`: (n - 1) * s + k - 2 * (k // 2 if same else 0) + p
    (the values measured with Keras 3 and tf-keras 2.21 here)."""
    assert transposed_window(Dim.const(size), kernel, stride, 1, padding, pad) == out


# -- the library on the same programs ------------------------------------------------------------
def case_outcome(name: str, flavour: str, tf1: bool = False) -> Outcome:
    header, code, findings = (TF1_HEADER, *TF1_CASES[name]) if tf1 else (HEADER, *CASES[name])
    source = header + code
    namespace: dict[str, Any] = {"__name__": "case"}
    real: tuple[int | None, ...] | None = None
    raised: int | None = None
    try:
        exec(compile(source, "<case>", "exec"), namespace)  # our own programs above, never user code
        model = namespace.get("model")
        if model is not None:
            real = tuple(model.outputs[0].shape)
        library = f"builds {real}"
    except Exception as error:
        lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == "<case>"]
        raised = lines[-1] if lines else None
        text = [t.strip() for t in str(error).splitlines() if t.strip()]
        library = f"raises {type(error).__name__} at line {raised}: {(text or [''])[-1][:160]}"
    found, shape = _static(source, flavour)
    expected = _expected(findings, header.count("\n") + 1)
    # The library raises in the statement that makes the layer cnnlint reports (a multi-line
    # `Sequential([...])` raises at its first line).
    agree = found == expected and (raised is not None) == bool(found) and \
        all(raised is not None and raised <= line for _, line in found)
    shapes = None if real is None or shape is None else shape[1:] == real[1:]
    return Outcome(name, shapes, agree, library, f"findings {found}, output {shape}", source)


def outcomes(flavour: str, seeds: Sequence[int]) -> list[dict[str, Any]]:
    """Every case in a process of `flavour` (the seeds are unused); TF1 cases only under tf-keras."""
    import tensorflow as tf

    found = []
    for name in CASES:
        tf.keras.backend.clear_session()
        found.append(case_outcome(name, flavour).as_dict())
    if flavour == "tf-keras":
        for name in TF1_CASES:
            tf.compat.v1.reset_default_graph()
            found.append(case_outcome(name, flavour, tf1=True).as_dict())
    return found


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", FLAVOURS)
def test_the_library_raises_where_cnnlint_reports_and_builds_the_same_shapes(flavour: str) -> None:
    if flavour == "tf-keras":
        pytest.importorskip("tf_keras")
    found = outcomes_in(flavour, "tests.test_none_axes:outcomes", [], child=True)
    assert len(found) == len(CASES) + (len(TF1_CASES) if flavour == "tf-keras" else 0)
    assert disagreements(found) == []
    # Every model the library builds has cnnlint's output shape (not merely an unknown one).
    assert [o.id for o in found if o.library.startswith("builds (") and o.shapes is not True] == []


def test_as_list_of_a_size_cnnlint_does_not_know_is_not_declared_none() -> None:
    """`as_list()` gives None for a size cnnlint does not know (here a placeholder's batch axis,
    which it never marks): a model input of that shape keeps the size unknown, so no finding."""
    code = ("import tensorflow as tf\nfrom tensorflow import keras\n"
            "x = tf.compat.v1.placeholder(tf.float32, [None, 5, 3])\n"
            "inputs = keras.Input(shape=x.get_shape().as_list())\n"
            "model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.Flatten()(inputs)))\n")
    assert _static(code, "keras3")[0] == []
    declared = code.replace("x.get_shape().as_list()", "[None, 5, 3]")
    assert _static(declared, "keras3")[0] == [("CNN002", 5)]


def test_a_none_default_of_an_uncalled_function_is_not_declared_none() -> None:
    """A function no code calls runs with its defaults; a `None` default is the usual "not given"
    (a caller passes the size), so it is not a declared None. Called with None, it is."""
    code = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n\n\n"
            "def build(timesteps=None, features=4):\n"
            "    return keras.Sequential([keras.Input((timesteps, features)), layers.Flatten(), layers.Dense(2)])\n")
    assert _static(code, "keras3")[0] == []
    assert _static(code + "\n\nmodel = build()\n", "keras3")[0] == [("CNN002", 6)]
