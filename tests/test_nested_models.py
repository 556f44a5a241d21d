"""Models inside models, layers reused on other inputs, shapes read from other layers: each program
runs through cnnlint and in Keras 3 and tf-keras, and the shapes, parameter counts or the refusal
must agree. See docs/model-idioms.md ("Models inside models, reused layers")."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import pytest

from cnnlint.ir import Graph
from tests.conftest import codes, lint, module_of, module_scope
from tests.test_model_idioms import keras_shape, static_shape

Shape = tuple[int | None, ...]

BASE = """
import numpy as np
base = keras.Sequential([keras.Input((32, 32, 3)), layers.Conv2D(8, 3), layers.MaxPooling2D(), layers.Flatten(),
                         layers.Dense(5)])
"""
FUNCTIONAL = """
import numpy as np
fi = keras.Input((32, 32, 3))
fo = layers.Dense(5)(layers.Flatten()(layers.Conv2D(8, 3)(fi)))
fm = keras.Model(fi, fo)
"""
ENCODER = """
encoder = keras.Sequential([
    keras.Input((400, 3)),
    layers.Conv1D(32, 25),
    layers.MaxPooling1D(4),
    layers.Conv1D(64, 16, name="encoder_out"),
])
"""


def program(code: str, flavour: str) -> str:
    return f"import {flavour} as keras\nfrom {flavour} import layers\nfrom {flavour} import backend as K\n" + \
        textwrap.dedent(code)


def run(code: str, flavour: str) -> dict[str, Any]:
    module = pytest.importorskip(flavour)
    module.backend.clear_session()
    namespace: dict[str, Any] = {}
    exec(compile(program(code, flavour), "case.py", "exec"), namespace)
    return namespace


# -- shapes and parameter counts ---------------------------------------------------------------
@dataclass(frozen=True)
class Case:
    name: str
    code: str  # binds `result` (a tensor or a shape) and, optionally, a model `m`
    # Where the code runs: Keras 3 has no `backend.int_shape`, and its `shape` is a plain tuple.
    flavours: tuple[str, ...] = ("keras", "tf_keras")


CASES = [
    Case("TimeDistributed of a Sequential CNN", BASE + """
frames = keras.Input((7, 32, 32, 3))
result = layers.TimeDistributed(base)(frames)
m = keras.Model(frames, layers.LSTM(4)(result))
"""),
    Case("TimeDistributed of a functional model", FUNCTIONAL + """
frames = keras.Input((7, 32, 32, 3))
result = layers.TimeDistributed(fm)(frames)
m = keras.Model(frames, result)
"""),
    Case("TimeDistributed Sequential first in a Sequential", BASE + """
m = keras.Sequential([keras.Input((6, 32, 32, 3)), layers.TimeDistributed(base), layers.GRU(3)])
result = m.output_shape
"""),
    Case("TimeDistributed of a Conv2D", """
frames = keras.Input((7, 32, 32, 3))
result = layers.TimeDistributed(layers.Conv2D(4, 3))(frames)
m = keras.Model(frames, result)
"""),
    Case("a conv layer reused on another spatial size", """
conv = layers.Conv2D(16, 3)
a = conv(keras.Input((28, 28, 3)))
result = conv(keras.Input((40, 50, 3)))
"""),
    Case("an embedding reused on another shape", """
emb = layers.Embedding(100, 8)
a = emb(keras.Input((10,)))
result = emb(keras.Input((20, 3)))
"""),
    Case("a shared LSTM on two inputs of its width (siamese)", """
lstm = layers.LSTM(8)
a, b = keras.Input((10, 4)), keras.Input((12, 4))
result = layers.Concatenate()([lstm(a), lstm(b)])
m = keras.Model([a, b], result)
"""),
    Case("a model called twice on inputs of its shape", FUNCTIONAL + """
a, b = keras.Input((32, 32, 3)), keras.Input((32, 32, 3))
result = layers.Subtract()([fm(a), fm(b)])
"""),
    Case("get_layer(name).output.shape[1:] as an input shape", ENCODER + """
result = keras.Input(shape=encoder.get_layer("encoder_out").output.shape[1:])
"""),
    Case("K.int_shape(t)[1:] as an input shape", ENCODER + """
result = keras.Input(shape=K.int_shape(encoder.output)[1:])
""", ("tf_keras",)),
    Case("t.shape.as_list()[1:] as an input shape", ENCODER + """
result = keras.Input(shape=encoder.layers[1].output.shape.as_list()[1:])
""", ("tf_keras",)),
    Case("Input(batch_shape=...)", "result = keras.Input(batch_shape=(16, 10))"),
    Case("Input(shape=..., batch_size=...)", "result = keras.Input(shape=(10,), batch_size=16)"),
]


def static(code: str, flavour: str) -> Shape | None:
    scope, graph = module_scope(program(code, flavour))
    return static_shape(scope.vars["result"], graph)


def static_params(code: str, flavour: str) -> int | None:
    module = module_of(program(code, flavour))
    graph: Graph = module.graphs[0]
    model = next((m for m in graph.models if m.var == "m"), None)
    if model is None:
        return None
    total = 0
    counted: set[str] = set()
    for node_id in model.nodes:
        node = graph.nodes[node_id]
        if node.layer is None or node.layer in counted:  # a step of TimeDistributed; a shared layer again
            continue
        counted.add(node.layer)
        if node.params is None or node.params.value is None:
            return None
        total += node.params.value
    return total


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cnnlint_knows_the_shape(case: Case) -> None:
    for flavour in ("keras", "tf_keras"):
        assert static(case.code, flavour) is not None, flavour
        assert codes(program(case.code, flavour)) == [], flavour


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", ["keras", "tf_keras"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_shape_and_params_are_the_ones_keras_gives(case: Case, flavour: str) -> None:
    if flavour not in case.flavours:
        pytest.skip(f"not {flavour} code")
    namespace = run(case.code, flavour)
    assert static(case.code, flavour) == keras_shape(namespace["result"])
    if "m" in namespace:
        assert static_params(case.code, flavour) == namespace["m"].count_params()


def test_time_distributed_model_rows() -> None:
    """The inner model's layers are rows of the outer one, run on one step."""
    module = module_of(program(CASES[0].code, "keras"))
    graph = module.graphs[0]
    model = next(m for m in graph.models if m.var == "m")
    rows = [(graph.nodes[i].api, graph.nodes[i].shape) for i in model.nodes]
    shown = [(api, None if s is None else tuple(d.value for d in s)) for api, s in rows]
    assert ("TimeDistributed: one step", (None, 32, 32, 3)) in shown
    assert ("Conv2D", (None, 30, 30, 8)) in shown
    assert ("TimeDistributed", (None, 7, 5)) in shown


# -- buggy programs: cnnlint reports them; Keras refuses them when built or at the first batch ----
BUGGY: dict[str, tuple[str, str, int]] = {
    # Keras 3: "expected axis -1 of input shape to have value 3, but received input with shape
    # (None, 28, 28, 16)"; tf-keras: "Depth of input (16) is not a multiple of input depth of filter (3)".
    "a Conv2D reused on another channel count": ("""
inp = keras.Input((28, 28, 3))
conv = layers.Conv2D(16, 3, padding="same")
a = conv(inp)
b = conv(a)
""", "CNN003", 5),
    "a Conv1D reused on another channel count": ("""
conv = layers.Conv1D(8, 3)
a = conv(keras.Input((10, 4)))
b = conv(keras.Input((10, 6)))
""", "CNN003", 4),
    # tf-keras: "Dimensions must be equal, but are 6 and 4" when called; Keras 3 builds the
    # symbolic call and refuses the first batch (the kernel is (4, 32)).
    "an LSTM reused on another feature count": ("""
import numpy as np
lstm = layers.LSTM(8)
s1, s2 = keras.Input((10, 4)), keras.Input((10, 6))
l1 = lstm(s1)
l2 = lstm(s2)
keras.Model([s1, s2], [l1, l2]).predict([np.zeros((1, 10, 4)), np.zeros((1, 10, 6))], verbose=0)
""", "CNN002", 6),
    "a GRU reused on another feature count": ("""
import numpy as np
gru = layers.GRU(8)
s1, s2 = keras.Input((10, 4)), keras.Input((10, 6))
g1 = gru(s1)
g2 = gru(s2)
keras.Model([s1, s2], [g1, g2]).predict([np.zeros((1, 10, 4)), np.zeros((1, 10, 6))], verbose=0)
""", "CNN002", 6),
    # Keras 3: "Input 0 ... of layer 'functional' is incompatible with the layer: expected
    # shape=(None, 32, 32, 3), found shape=(None, 40, 40, 3)"; tf-keras the same (compute_output_shape).
    "TimeDistributed of a model on frames of another size": (BASE + """
y = layers.TimeDistributed(base)(keras.Input((7, 40, 40, 3)))
""", "CNN012", 6),
    "TimeDistributed of a functional model on frames of another size": (FUNCTIONAL + """
y = layers.TimeDistributed(fm)(keras.Input((7, 40, 40, 3)))
""", "CNN012", 7),
    # tf-keras refuses the call ("expected axis -1 of input shape to have value 3"); Keras 3's
    # input check squeezes the trailing 1 and lets it through; the first batch fails in the conv.
    "TimeDistributed of a model on grey frames": (BASE + """
frames = keras.Input((7, 32, 32, 1))
y = layers.TimeDistributed(base)(frames)
keras.Model(frames, y).predict(np.zeros((1, 7, 32, 32, 1)), verbose=0)
""", "CNN012", 7),
    # Keras 3 refuses the model's input ("expected shape=(None, 32, 32, 3), found shape=(None, 40,
    # 40, 3)"); tf-keras runs the layers and the Dense refuses ("expected axis -1 of input shape to
    # have value 7200, but received input with shape (None, 11552)").
    "a functional model called on another image size": (FUNCTIONAL + """
r = fm(keras.Input((40, 40, 3)))
""", "CNN002", 7),
    "a Sequential called on another image size": (BASE + """
r = base(keras.Input((40, 40, 3)))
""", "CNN002", 6),
    # realworld 320: the batch axis of `output.shape` becomes a None axis of the head's input.
    "an input shape read with its batch axis": (ENCODER + """
head = keras.Sequential([layers.Flatten(input_shape=encoder.get_layer("encoder_out").output.shape),
                         layers.Dense(6)])
""", "CNN002", 10),
}

CLEAN: dict[str, str] = {
    "a Conv2D reused on a map of its channels": """
inp = keras.Input((28, 28, 3))
conv = layers.Conv2D(3, 3, padding="same")
b = conv(conv(inp))
""",
    "a BatchNormalization reused on its channels": """
bn = layers.BatchNormalization()
a = bn(keras.Input((28, 28, 3)))
b = bn(keras.Input((14, 14, 3)))
""",
    "TimeDistributed of a model on its frames": BASE + """
frames = keras.Input((7, 32, 32, 3))
y = layers.LSTM(4)(layers.TimeDistributed(base)(frames))
keras.Model(frames, y).predict(np.zeros((1, 7, 32, 32, 3)), verbose=0)
""",
    "a fully convolutional model called on another size": """
import numpy as np
i = keras.Input((None, None, 3))
fc = keras.Model(i, layers.Conv2D(4, 3)(i))
r = fc(keras.Input((40, 40, 3)))
""",
    "an input shape read without its batch axis": ENCODER + """
head = keras.Sequential([layers.Flatten(input_shape=encoder.get_layer("encoder_out").output.shape[1:]),
                         layers.Dense(6)])
""",
}


@pytest.mark.parametrize("name", list(BUGGY))
def test_a_buggy_program_is_reported(name: str) -> None:
    code, rule, line = BUGGY[name]
    for flavour in ("keras", "tf_keras"):
        found = lint(program(code, flavour))
        # `line` counts the code's first (empty) line as 1; `program` adds three lines before it
        assert [(d.code, d.loc.line) for d in found] == [(rule, line + 3)], flavour


@pytest.mark.parametrize("name", list(CLEAN))
def test_a_clean_program_is_quiet(name: str) -> None:
    for flavour in ("keras", "tf_keras"):
        assert codes(program(CLEAN[name], flavour)) == [], flavour


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", ["keras", "tf_keras"])
@pytest.mark.parametrize("name", list(BUGGY))
def test_keras_refuses_the_buggy_program(name: str, flavour: str) -> None:
    tf = pytest.importorskip("tensorflow")
    try:
        run(BUGGY[name][0], flavour)
    except (ValueError, tf.errors.OpError):  # at the call, or TensorFlow's InvalidArgumentError at a batch
        return
    pytest.fail(f"{flavour} accepted it")


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", ["keras", "tf_keras"])
@pytest.mark.parametrize("name", list(CLEAN))
def test_keras_builds_the_clean_program(name: str, flavour: str) -> None:
    run(CLEAN[name], flavour)


def test_the_reused_conv_names_the_kernel_of_its_first_call() -> None:
    code, _, _ = BUGGY["a Conv2D reused on another channel count"]
    (found,) = lint(program(code, "keras"))
    assert "(3, 3, 3, 16)" in found.message and "line 7" in found.message
    assert "expects 3 input channels" in found.message and "has 16" in found.message


# -- the ops themselves ----------------------------------------------------------------------------
def test_a_recurrent_op_checks_the_features_its_kernel_was_built_for() -> None:
    from cnnlint.shapes import Dim, infer

    x = (Dim.unknown(), Dim.const(10), Dim.const(6))
    refused = infer("rnn", [x], {"units": 8, "gates": 4, "in_features": 4})
    assert refused.shape is None and [p.kind for p in refused.problems] == ["inner-dim"]
    same = infer("rnn", [x], {"units": 8, "gates": 4, "in_features": 6})
    assert same.shape is not None and same.shape[1].value == 8


def test_time_distributed_of_a_model_puts_the_steps_back() -> None:
    from cnnlint.shapes import Dim, count_params, infer

    b = Dim.unknown()
    frames = (b, Dim.const(7), Dim.const(32), Dim.const(32), Dim.const(3))
    attrs = {"inner_op": "model", "inner_attrs": {}}
    result = infer("time_distributed", [frames, (b, Dim.const(5))], attrs)
    assert result.shape == (b, Dim.const(7), Dim.const(5))
    assert infer("time_distributed", [frames, None], attrs).shape is None
    assert count_params("time_distributed", [frames, (b, Dim.const(5))], attrs, result.shape) == Dim.const(0)


@pytest.mark.tensorflow
def test_confirm_rebuilds_the_reused_layers(tmp_path: Any) -> None:
    """`--confirm` runs a reused conv with the kernel its first call built, and a reused LSTM
    with its kernel's features: TensorFlow refuses both, as cnnlint says."""
    import json
    import subprocess
    import sys

    path = tmp_path / "reused.py"
    path.write_text(program(BUGGY["a Conv2D reused on another channel count"][0]
                            + BUGGY["an LSTM reused on another feature count"][0].split("keras.Model(")[0], "keras"))
    out = subprocess.run([sys.executable, "-m", "cnnlint", "check", "--confirm", "--no-cache", "--exit-zero",
                          "--format", "json", str(path)], capture_output=True, text=True, check=True, timeout=300)
    found = json.loads(out.stdout)["diagnostics"]
    assert sorted(d["code"] for d in found) == ["CNN002", "CNN003"]
    assert all(d["confirmed"] for d in found), found
