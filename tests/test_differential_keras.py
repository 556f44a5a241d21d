"""Seeded random Keras models, written as source in several styles, rebuilt by cnnlint and by Keras.

Every layer's output shape and parameter count must agree; a model Keras refuses to build (or
builds with a zero-size axis) must get a fatal problem from cnnlint at the refusing layer's line.
The oracle is Keras 3 (in this process, every seed) and tf-keras, late Keras 2 (a subprocess,
`tests/differential_oracle.py`, fewer seeds); cnnlint reads the code for the matching target.
`benchmarks/differential.py` runs many more seeds and prints the agreement figures.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import pytest

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.tensorflow

from cnnlint.frontend import extract  # noqa: E402
from cnnlint.options import FrontendOptions  # noqa: E402
from tests.differential_oracle import Outcome, disagreements, options, outcomes_in  # noqa: E402
from tests.keras_models import STYLES, Stack, grow, write  # noqa: E402

SEEDS = range(400)
TF_KERAS_SEEDS = range(0, 400, 8)  # 50 seeds, every style
Rows = list[tuple[tuple[int | None, ...], int]]


def keras_result(stack: Stack) -> tuple[Rows, int | None]:
    """(shape, params) per layer up to where Keras stops, and that layer's index."""
    rows = list(zip(stack.shapes, stack.params, strict=True))
    for i, shape in enumerate(stack.shapes):
        if 0 in shape[1:]:
            # Keras builds a zero-size map; cnnlint reports it (CNN005) by design.
            return rows[:i], i
    return rows, stack.refused_at


def cnnlint_result(code: str, lines: list[int], opts: FrontendOptions | None = None) -> tuple[Rows, int | None]:
    """(shape, params) per layer up to the first fatal problem, and that layer's index; a shape
    cnnlint does not know or a problem on another line fails the comparison."""
    module = extract(code, "snippet.py", opts)
    graph = next(g for g in module.graphs if g.models)
    model = graph.models[0]
    nodes = [graph.nodes[i] for i in model.nodes if graph.nodes[i].layer and graph.nodes[i].op != "input"]
    rows: Rows = []
    for i, node in enumerate(nodes):
        if any(p.fatal for p in node.problems):
            assert node.loc.line == lines[i], f"refused at line {node.loc.line}, layer {i} is at {lines[i]}"
            return rows, i
        assert node.shape is not None and node.params is not None, f"layer {i} ({node.api}) unknown"
        rows.append((tuple(d.value for d in node.shape), node.params.value or 0))
    return rows, None


def case_outcome(seed: int, flavour: str) -> Outcome:
    """Grow the seed's model with this process's Keras and compare cnnlint's reading of its source."""
    stack = grow(seed)
    source = write(stack, STYLES[seed % len(STYLES)])
    expected, refused = keras_result(stack)
    library = f"refuses layer {refused}" if refused is not None else "builds"
    try:
        actual, stopped = cnnlint_result(source.code, source.layer_lines, options(flavour))
    except AssertionError as error:
        return Outcome(f"seed-{seed}", False, False, library, str(error), source.code)
    n = min(len(actual), len(expected))
    said = f"refuses layer {stopped}" if stopped is not None else "builds"
    if actual[:n] != expected[:n]:
        wrong = next(i for i in range(n) if actual[i] != expected[i])
        library += f"; layer {wrong}: {expected[wrong]}"
        said += f"; layer {wrong}: {actual[wrong]}"
    return Outcome(f"seed-{seed}", actual[:n] == expected[:n], stopped == refused, library, said,
                   f"{source.code}# layers: {stack.layers}\n", known_difference(stack, flavour, refused, stopped))


# Known behaviour differences of tf-keras that cnnlint does not key on the target yet
# (docs/differential.md): tf-keras's `Resizing` / `CenterCrop` take no `data_format` (Keras 3 added
# it: `TypeError: ('Keyword argument not understood:', 'data_format')`), and tf-keras's
# `UpSampling3D` sets its `InputSpec(ndim=5)` before `super().__init__()`, which resets it: a
# rank-4 input is upsampled on axes 1-3 without an error.
TF_KERAS_DATA_FORMAT = "tf-keras's Resizing / CenterCrop take no data_format"
TF_KERAS_UPSAMPLING3D = "tf-keras's UpSampling3D has no rank check"


def known_difference(stack: Stack, flavour: str, refused: int | None, stopped: int | None) -> str:
    if flavour != "tf-keras" or refused == stopped:
        return ""
    if refused is not None and re.match(r"layers\.(Resizing|CenterCrop)\(.*data_format", stack.layers[refused]):
        return TF_KERAS_DATA_FORMAT
    if stopped is not None and stack.layers[stopped].startswith("layers.UpSampling3D(") and (
            refused is None or refused > stopped):
        return TF_KERAS_UPSAMPLING3D
    return ""


def outcomes(flavour: str, seeds: Sequence[int]) -> list[dict[str, Any]]:
    """The oracle side of the suite: run in a process of `flavour` (tests/differential_oracle.py)."""
    found = []
    for i, seed in enumerate(seeds):
        if i % 50 == 49:
            keras.backend.clear_session()
        found.append(case_outcome(seed, flavour).as_dict())
    return found


@pytest.mark.parametrize("seed", SEEDS, ids=[f"seed-{s}" for s in SEEDS])
def test_every_layer_shape_and_param_count_agree_with_keras(seed: int) -> None:
    stack = grow(seed)
    source = write(stack, STYLES[seed % len(STYLES)])
    expected = keras_result(stack)
    actual = cnnlint_result(source.code, source.layer_lines, options("keras3"))
    assert actual == expected, f"\n{source.code}\nlayers: {stack.layers}"


@pytest.mark.parametrize("seed", SEEDS[::10], ids=[f"seed-{s}" for s in SEEDS[::10]])
def test_the_default_target_reads_the_models_as_keras_3(seed: int) -> None:
    """No `keras-version` and no pins (the default) reads these models as `--keras-version 3` does."""
    stack = grow(seed)
    source = write(stack, STYLES[seed % len(STYLES)])
    assert cnnlint_result(source.code, source.layer_lines) == keras_result(stack)


@pytest.fixture(scope="module")
def tf_keras_outcomes() -> list[Outcome]:
    pytest.importorskip("tf_keras")
    return outcomes_in("tf-keras", "tests.test_differential_keras:outcomes", TF_KERAS_SEEDS)


def test_every_layer_shape_and_param_count_agree_with_tf_keras(tf_keras_outcomes: list[Outcome]) -> None:
    assert len(tf_keras_outcomes) == len(TF_KERAS_SEEDS)
    assert disagreements(tf_keras_outcomes) == []


def test_known_tf_keras_differences_are_recognised() -> None:
    """Seeds of the benchmark's run where tf-keras differs (docs/differential.md); when cnnlint
    keys these on the target, drop the `known` marker."""
    stack = Stack(0, (3, 8, 8), ["layers.CenterCrop(4, 5, data_format='channels_first')"], refused_at=0)
    assert known_difference(stack, "tf-keras", 0, None) == TF_KERAS_DATA_FORMAT
    source = write(stack, "functional")
    assert cnnlint_result(source.code, source.layer_lines, options("tf-keras"))[1] is None  # still accepted
    stack = Stack(0, (8, 8, 3), ["layers.Activation('relu')", "layers.UpSampling3D(2)"])
    assert known_difference(stack, "tf-keras", None, 1) == TF_KERAS_UPSAMPLING3D
    assert known_difference(stack, "keras3", None, 1) == ""
    source = write(stack, "functional")
    assert cnnlint_result(source.code, source.layer_lines, options("tf-keras"))[1] == 1  # still refused


# -- targeted probes: behaviours that may differ between Keras 2 and 3 ---------------------------
PROBE_HEADER = ("import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"
                "from tensorflow.keras.layers import Input\n")
FIT = "model.compile('sgd', '{loss}')\nmodel.fit(np.zeros({x}), np.zeros({y}), batch_size=4, verbose=0)\n"
PROBES: dict[str, str] = {
    "fit-missing-trailing-axis": "model = keras.Sequential([Input((30, 1)), layers.Conv1D(4, 3), layers.Flatten(), "
                                 "layers.Dense(1)])\n" + FIT.format(loss="mse", x=(8, 30), y=(8, 1)),
    "fit-extra-trailing-axis": "model = keras.Sequential([Input((6,)), layers.Dense(1)])\n"
                               + FIT.format(loss="mse", x=(8, 6, 1), y=(8, 1)),
    "fit-missing-two-axes": "model = keras.Sequential([Input((6, 6, 1)), layers.Flatten(), layers.Dense(1)])\n"
                            + FIT.format(loss="mse", x=(8, 36), y=(8, 1)),
    "flatten-unknown-time-then-dense": "inputs = Input((None, 3))\n"
                                       "model = keras.Model(inputs, layers.Dense(2)(layers.Flatten()(inputs)))\n",
    "flatten-unknown-image-then-dense": "inputs = Input((None, None, 3))\nx = layers.Conv2D(4, 3)(inputs)\n"
                                        "model = keras.Model(inputs, layers.Dense(2)(layers.Flatten()(x)))\n",
    "reshape-wrong-size": "inputs = Input((12,))\nmodel = keras.Model(inputs, layers.Reshape((5, 2))(inputs))\n",
    "reshape-two-unknowns": "inputs = Input((12,))\nmodel = keras.Model(inputs, layers.Reshape((-1, -1))(inputs))\n",
    "input-shape-on-second-layer": "model = keras.Sequential([layers.Dense(4, input_shape=(3,)), "
                                   "layers.Dense(2, input_shape=(99,))])\n",
    "input-dim-first-layer": "model = keras.Sequential([layers.Dense(4, input_dim=3), layers.Dense(2)])\n",
    "batch-input-shape-first-layer": "model = keras.Sequential([layers.Dense(4, batch_input_shape=(8, 3)), "
                                     "layers.Dense(2)])\n",
    "input-batch-shape": "inputs = Input(batch_shape=(8, 3))\nmodel = keras.Model(inputs, layers.Dense(2)(inputs))\n",
    "dense-on-rank-3": "inputs = Input((5, 7))\nmodel = keras.Model(inputs, layers.Dense(3)(inputs))\n",
    "conv-transpose-output-padding-equal-strides": "inputs = Input((8, 8, 1))\nmodel = keras.Model(inputs, "
        "layers.Conv2DTranspose(4, 3, strides=2, output_padding=2)(inputs))\n",
    "conv-transpose-output-padding-same": "inputs = Input((7, 7, 1))\nmodel = keras.Model(inputs, "
        "layers.Conv2DTranspose(4, 3, strides=2, padding='same', output_padding=0)(inputs))\n",
    "conv-positional-strides": "model = keras.Sequential([Input((28, 28, 1)), layers.Conv2D(32, 3, 3)])\n",
    "conv-kernel-bigger-than-input": "model = keras.Sequential([Input((2, 2, 1)), layers.Conv2D(1, 3)])\n",
    "pool-bigger-than-input": "model = keras.Sequential([Input((2, 2, 1)), layers.MaxPooling2D(3)])\n",
    "add-broadcast-spatial": "a, b = Input((4, 4, 3)), Input((1, 1, 3))\nmodel = keras.Model([a, b], layers.Add()([a, b]))\n",
    "add-broadcast-units": "a, b = Input((4,)), Input((1,))\nmodel = keras.Model([a, b], layers.Add()([a, b]))\n",
    "add-other-ranks": "a, b = Input((4,)), Input((3, 4))\nmodel = keras.Model([a, b], layers.Add()([a, b]))\n",
    "multiply-mismatch": "a, b = Input((4,)), Input((3,))\nmodel = keras.Model([a, b], layers.Multiply()([a, b]))\n",
    "concatenate-other-ranks": "a, b = Input((4,)), Input((3, 4))\n"
                               "model = keras.Model([a, b], layers.Concatenate()([a, b]))\n",
    "concatenate-mismatch": "a, b = Input((4, 4, 3)), Input((5, 4, 3))\n"
                            "model = keras.Model([a, b], layers.Concatenate()([a, b]))\n",
    "concatenate-axis-1": "a, b = Input((4, 4, 3)), Input((5, 4, 3))\n"
                          "model = keras.Model([a, b], layers.Concatenate(axis=1)([a, b]))\n",
    "embedding-input-length": "model = keras.Sequential([Input((10,)), layers.Embedding(100, 8, input_length=10), "
                              "layers.Flatten(), layers.Dense(1)])\n",
    "global-pool-on-vector": "model = keras.Sequential([Input((6,)), layers.GlobalAveragePooling1D()])\n",
    "sparse-labels-n-1": "model = keras.Sequential([Input((4,)), layers.Dense(3)])\n"
                         + FIT.format(loss="sparse_categorical_crossentropy", x=(8, 4), y=(8, 1)),
    "binary-labels-n-on-one-unit": "model = keras.Sequential([Input((4,)), layers.Dense(1, activation='sigmoid')])\n"
                                   + FIT.format(loss="binary_crossentropy", x=(8, 4), y=(8,)),
    "categorical-class-numbers": "model = keras.Sequential([Input((4,)), layers.Dense(10)])\n"
                                 + FIT.format(loss="categorical_crossentropy", x=(8, 4), y=(8,)),
    "binary-labels-n-1-on-three-units": "model = keras.Sequential([Input((4,)), layers.Dense(3)])\n"
                                        + FIT.format(loss="binary_crossentropy", x=(8, 4), y=(8, 1)),
    "unbuilt-sequential-fit": "model = keras.Sequential([layers.Dense(4), layers.Dense(2)])\n"
                              + FIT.format(loss="mse", x=(8, 3), y=(8, 2)),
    "unbuilt-sequential-fit-wrong-labels": "model = keras.Sequential([layers.Dense(4), layers.Dense(2)])\n"
                                           + FIT.format(loss="categorical_crossentropy", x=(8, 3), y=(8, 5)),
}
# Probes where the two Keras versions differ and cnnlint does not key the behaviour on the target
# yet (docs/differential.md): probe -> (the flavour where cnnlint disagrees, what differs).
# "*": under both targets.
MISSED = "cnnlint misses it (Keras plugin; reported)"
KNOWN_PROBES: dict[str, tuple[str, str]] = {
    "input-shape-on-second-layer": ("*", "by design: CNN002 reports an `input_shape` Keras ignores past the first "
                                         "layer (translations.py `_dense`)"),
}


def probe_outcome(name: str, flavour: str) -> Outcome:
    import traceback

    from cnnlint.rules import select_rules
    from cnnlint.runner import check_source

    code = PROBE_HEADER + PROBES[name]
    namespace: dict[str, Any] = {"__name__": "probe"}
    keras.backend.clear_session()
    try:
        exec(compile(code, "<probe>", "exec"), namespace)  # our own probes above, never user code
        model = namespace["model"]
        real: tuple[int | None, ...] | None = tuple(model.outputs[0].shape)
        library = f"builds {real}" + (", trains" if "fit(" in code else "")
    except Exception as error:
        line = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == "<probe>"][-1:]
        message = [text.strip() for text in str(error).splitlines() if text.strip()]
        real, library = None, f"raises {type(error).__name__} at line {line}: {(message or [''])[-1][:160]}"
    result = check_source(code, "probe.py", select_rules(["CNN"]), options(flavour))
    errors = [f"{d.code} line {d.loc.line}" for d in result.diagnostics if d.severity == "error"]
    warnings = [f"{d.code} line {d.loc.line}" for d in result.diagnostics if d.severity != "error"]
    shape = None
    module = extract(code, "probe.py", options(flavour))
    for graph in module.graphs:
        for model_ir in graph.models:
            if model_ir.var == "model" and model_ir.outputs and graph.nodes[model_ir.outputs[0]].shape is not None:
                shape = tuple(d.value for d in graph.nodes[model_ir.outputs[0]].shape or ())
    said = f"errors {errors}, warnings {warnings}, output {shape}"
    # The batch axis is not compared: a Sequential that `fit` builds has the batch's size there.
    shapes = None if real is None or shape is None else shape[1:] == real[1:]
    known_flavour, known = KNOWN_PROBES.get(name, ("", ""))
    return Outcome(name, shapes, (real is None) == bool(errors), library, said, code,
                   known if known_flavour in (flavour, "*") else "")


def probe_outcomes(flavour: str, seeds: Sequence[int]) -> list[dict[str, Any]]:
    """Every probe (the seeds are unused), in a process of `flavour`."""
    return [probe_outcome(name, flavour).as_dict() for name in PROBES]


@pytest.fixture(scope="module", params=["keras3", "tf-keras"])
def probes(request: pytest.FixtureRequest) -> tuple[str, list[Outcome]]:
    if request.param == "tf-keras":
        pytest.importorskip("tf_keras")
    return request.param, outcomes_in(request.param, "tests.test_differential_keras:probe_outcomes", [])


def test_every_probe_agrees_or_is_a_known_difference(probes: tuple[str, list[Outcome]]) -> None:
    _, found = probes
    assert len(found) == len(PROBES)
    assert disagreements(found) == []


def test_the_known_differences_are_still_there(probes: tuple[str, list[Outcome]]) -> None:
    """docs/differential.md lists them; when cnnlint keys one on the target (or finds what it
    missed) this fails: drop it from KNOWN_PROBES (and the doc's line)."""
    flavour, found = probes
    still = {o.id for o in found if o.known and not o.agrees}
    assert still == {name for name, (where, _) in KNOWN_PROBES.items() if where in (flavour, "*")}
