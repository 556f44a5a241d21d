"""How code reaches into built models (`model.layers[i]`, `get_layer`, `layer.output`,
`model.input` / `model.output`, `output_shape`, a model or Sequential used as a layer): each
program runs in Keras 3 and in tf-keras and through cnnlint, and the shapes (or the refusal)
must agree. See docs/model-idioms.md."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from typing import Any

import pytest

from cnnlint.frontend.python.values import Const, SeqV, Value
from cnnlint.frontend.tensor import ShapeV, TensorV
from cnnlint.ir import Graph
from tests.conftest import codes, module_scope

Shape = tuple[int | None, ...]

FUNCTIONAL = """
inp = keras.Input((32, 32, 3))
x = layers.Conv2D(4, 3, name="c")(inp)
x = layers.MaxPooling2D()(x)
x = layers.Flatten()(x)
y = layers.Dense(5)(x)
f = keras.Model(inp, y)
"""
SEQUENTIAL = """
m = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten(), layers.Dense(10)])
"""


@dataclass(frozen=True)
class Case:
    name: str
    code: str
    # Flavours where Keras answers (the others refuse the attribute: cnnlint may still answer).
    flavours: tuple[str, ...] = ("keras", "tf_keras")


CASES = [
    Case("feature extractor from layers[-2]", FUNCTIONAL + "result = keras.Model(f.input, f.layers[-2].output).output"),
    Case("model.layers lists the input layer first", FUNCTIONAL + "result = f.layers[0].output"),
    Case("get_layer by given name", FUNCTIONAL + "result = f.get_layer('c').output"),
    Case("get_layer by index", FUNCTIONAL + "result = f.get_layer(index=2).output"),
    Case("layer.input", FUNCTIONAL + "result = f.layers[-1].input"),
    Case("model.outputs / inputs", FUNCTIONAL + "result = keras.Model(f.inputs, f.outputs).outputs[0]"),
    Case("model.output_shape", FUNCTIONAL + "result = f.output_shape"),
    Case("model.input_shape", FUNCTIONAL + "result = f.input_shape"),
    Case("new head on an inner layer", FUNCTIONAL + "result = layers.Dense(3)(f.get_layer('c').output)"),
    Case("sequential layers skip the Input", SEQUENTIAL + "result = m.layers[0].output"),
    Case("sequential output_shape", SEQUENTIAL + "result = m.output_shape"),
    Case("sequential get_layer by default name", SEQUENTIAL + "result = m.get_layer('flatten').output"),
    Case("sequential layer input", SEQUENTIAL + "result = m.layers[2].input"),
    Case("sequential inputs", SEQUENTIAL + "result = keras.Model(m.inputs, m.layers[1].output).output"),
    # Keras 3's Sequential has no `input` / `output` until it is called ("never been called").
    Case("sequential input", SEQUENTIAL + "result = keras.Model(m.input, m.layers[-2].output).output",
         ("tf_keras",)),
    # Keras 3's layers have no `output_shape`.
    Case("layer output_shape", SEQUENTIAL + "result = m.layers[0].output_shape", ("tf_keras",)),
    Case("model called as a layer", FUNCTIONAL + "result = f(keras.Input((32, 32, 3)))"),
    Case("sequential nested in a sequential",
         "inner = keras.Sequential([layers.Dense(4)])\n"
         "outer = keras.Sequential([keras.Input((6,)), inner, layers.Dense(2)])\nresult = outer.output_shape"),
    Case("functional model first in a sequential", FUNCTIONAL +
         "s = keras.Sequential([f, layers.Dense(2)])\nresult = s.output_shape"),
]


def program(code: str, flavour: str) -> str:
    return f"import {flavour} as keras\nfrom {flavour} import layers\n" + textwrap.dedent(code)


def keras_shape(value: Any) -> Shape:
    shape = value if isinstance(value, tuple) else value.shape
    return tuple(None if d is None else int(d) for d in shape)


def run(code: str, flavour: str) -> Shape:
    module = pytest.importorskip(flavour)
    module.backend.clear_session()
    namespace: dict[str, Any] = {}
    exec(compile(program(code, flavour), "case.py", "exec"), namespace)
    return keras_shape(namespace["result"])


def static_shape(value: Value, graph: Graph) -> Shape | None:
    if isinstance(value, TensorV):
        shape = graph.nodes[value.node].shape
    elif isinstance(value, ShapeV):
        shape = value.dims
    elif isinstance(value, SeqV) and all(isinstance(v, Const) for v in value.items):
        return tuple(v.value if isinstance(v, Const) and isinstance(v.value, int) else None for v in value.items)
    else:
        return None
    return None if shape is None else tuple(d.value for d in shape)


def static(code: str, flavour: str) -> Shape | None:
    scope, graph = module_scope(program(code, flavour))
    return static_shape(scope.vars["result"], graph)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_cnnlint_knows_the_shape(case: Case) -> None:
    for flavour in ("keras", "tf_keras"):
        assert static(case.code, flavour) is not None, flavour


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", ["keras", "tf_keras"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_the_shape_is_the_one_keras_gives(case: Case, flavour: str) -> None:
    if flavour not in case.flavours:
        with pytest.raises(AttributeError):
            run(case.code, flavour)
        return
    assert static(case.code, flavour) == run(case.code, flavour)


# -- buggy and clean programs: Keras refuses the buggy one, cnnlint reports it; both accept the clean one
BUGGY = {
    "concat of a map and a vector taken from the layers": (FUNCTIONAL + """
z = layers.Concatenate()([f.get_layer("c").output, f.layers[-2].output])
""", "CNN008"),
    "head on the feature extractor fed the wrong width": (FUNCTIONAL + """
feat = keras.Model(f.input, f.layers[-2].output)
h = layers.Dense(3)
h(feat.output)
h(keras.Input((10,)))
""", "CNN002"),
    "model.output of a sequential added to another layer's output": (SEQUENTIAL + """
a = layers.Dense(4)(m.layers[1].output)
z = layers.Add()([a, m.layers[-1].output])
""", "CNN008"),
    "weights of another layer reshaped to the wrong kernel": ("""
a = keras.Sequential([keras.Input((10,)), layers.Dense(5)])
b = keras.Sequential([keras.Input((8,)), layers.Dense(5)])
W, bias = a.layers[0].get_weights()
b.layers[0].set_weights([W.reshape(10, 5), bias])
""", "CNN011"),
    "an embedding matrix of another vocabulary": ("""
import numpy as np
e = keras.Sequential([keras.Input((7,)), layers.Embedding(100, 16, weights=[np.zeros((50, 16))])])
""", "CNN011"),
}
CLEAN = {
    "concat of two vectors taken from the layers": FUNCTIONAL + """
z = layers.Concatenate()([f.layers[-2].output, f.layers[-1].output])
""",
    "head on the feature extractor": FUNCTIONAL + """
feat = keras.Model(f.input, f.layers[-2].output)
out = layers.Dense(3)(feat.output)
new = keras.Model(feat.input, out)
""",
    "model.output of a sequential added to a layer of its width": SEQUENTIAL + """
a = layers.Dense(10)(m.layers[1].output)
z = layers.Add()([a, m.layers[-1].output])
""",
    "weights of another layer reshaped to the kernel": """
a = keras.Sequential([keras.Input((2, 5)), layers.Flatten(), layers.Dense(5)])
b = keras.Sequential([keras.Input((10,)), layers.Dense(5)])
W, bias = a.layers[1].get_weights()
b.layers[0].set_weights([W.reshape(10, 5), bias])
""",
    "an embedding matrix of the vocabulary": """
import numpy as np
e = keras.Sequential([keras.Input((7,)), layers.Embedding(100, 16, weights=[np.zeros((100, 16))])])
""",
}


@pytest.mark.parametrize("name", list(BUGGY))
def test_a_buggy_program_is_reported(name: str) -> None:
    code, rule = BUGGY[name]
    for flavour in ("keras", "tf_keras"):
        assert codes(program(code, flavour)) == [rule], flavour


@pytest.mark.parametrize("name", list(CLEAN))
def test_a_clean_program_is_quiet(name: str) -> None:
    for flavour in ("keras", "tf_keras"):
        assert codes(program(CLEAN[name], flavour)) == [], flavour


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", ["keras", "tf_keras"])
@pytest.mark.parametrize("name", list(BUGGY))
def test_keras_refuses_the_buggy_program(name: str, flavour: str) -> None:
    module = pytest.importorskip(flavour)
    module.backend.clear_session()
    with pytest.raises(ValueError):
        exec(compile(program(BUGGY[name][0], flavour), "case.py", "exec"), {})


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", ["keras", "tf_keras"])
@pytest.mark.parametrize("name", list(CLEAN))
def test_keras_builds_the_clean_program(name: str, flavour: str) -> None:
    module = pytest.importorskip(flavour)
    module.backend.clear_session()
    exec(compile(program(CLEAN[name], flavour), "case.py", "exec"), {})


# -- where the answer is not certain, cnnlint gives none
UNCERTAIN = {
    "a layer applied twice has no one output": FUNCTIONAL + """
d = f.layers[-1]
d(keras.Input((900,)))
result = d.output
""",
    "a model with a TensorFlow op has layers cnnlint does not list": """
import tensorflow as tf
inp = keras.Input((8,))
x = layers.Dense(4)(inp)
x = x * 2.0
y = layers.Dense(2)(x)
f = keras.Model(inp, y)
result = f.layers[-1].output
""",
    "a model used as a layer is one layer of the outer model": FUNCTIONAL + """
i2 = keras.Input((32, 32, 3))
o2 = layers.Dense(2)(f(i2))
g = keras.Model(i2, o2)
result = g.layers[1].output
""",
    "an unknown name": FUNCTIONAL + "result = f.get_layer('nope').output",
    # Keras 3 keeps the list (`[t]`), tf-keras gives the tensor.
    "the output of a model given a one-item list": FUNCTIONAL + "result = keras.Model(f.inputs, [y]).output",
    "the input of a model given a one-item list": FUNCTIONAL + "result = keras.Model([inp], y).input",
}


@pytest.mark.parametrize("name", list(UNCERTAIN))
def test_an_uncertain_answer_is_unknown(name: str) -> None:
    for flavour in ("keras", "tf_keras"):
        assert static(UNCERTAIN[name], flavour) is None


# -- models that learn their input shape from the data (an unbuilt Sequential, a subclassed Model)
DATA = "import numpy as np\nx = np.zeros((64, 28, 28{channel}))\ny = np.zeros((64,))\n"
UNBUILT_SEQUENTIAL = """
model = keras.Sequential([layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(10)])
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
model.fit(x, y, epochs=1, verbose=0)
"""
SUBCLASSED = """
class Net(keras.Model):
    def __init__(self):
        super().__init__()
        self.conv = layers.Conv2D(4, 3)
        self.flat = layers.Flatten()
        self.out = layers.Dense(10)

    def call(self, inputs):
        return self.out(self.flat(self.conv(inputs)))

model = Net()
model.compile(loss="sparse_categorical_crossentropy", optimizer="adam")
model.fit(x, y, epochs=1, verbose=0)
"""
LABELS = """
import numpy as np
x = np.zeros((64, 20))
y = np.zeros((64, {classes}))
model = keras.Sequential([layers.Dense(8), layers.Dense(10, activation="softmax")])
model.compile(loss="categorical_crossentropy", optimizer="adam")
model.fit(x, y, epochs=1, verbose=0)
"""
FROM_DATA = {
    "unbuilt sequential fed images without a channel axis":
        (DATA.format(channel="") + UNBUILT_SEQUENTIAL, DATA.format(channel=", 1") + UNBUILT_SEQUENTIAL, "CNN012"),
    "subclassed model fed images without a channel axis":
        (DATA.format(channel="") + SUBCLASSED, DATA.format(channel=", 1") + SUBCLASSED, "CNN012"),
    "unbuilt sequential fed labels of another width":
        (LABELS.format(classes=5), LABELS.format(classes=10), "CNN013"),
}


@pytest.mark.parametrize("name", list(FROM_DATA))
def test_a_model_built_from_its_data(name: str) -> None:
    buggy, clean, rule = FROM_DATA[name]
    for flavour in ("keras", "tf_keras"):
        assert codes(program(buggy, flavour)) == [rule], flavour
        assert codes(program(clean, flavour)) == [], flavour


def test_the_built_model_has_the_data_shape() -> None:
    code = DATA.format(channel=", 1") + UNBUILT_SEQUENTIAL + "result = model.output_shape\n"
    assert static(code, "keras") == (None, 10)


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", ["keras", "tf_keras"])
@pytest.mark.parametrize("name", list(FROM_DATA))
def test_keras_builds_the_model_from_its_data(name: str, flavour: str) -> None:
    buggy, clean, _ = FROM_DATA[name]
    module = pytest.importorskip(flavour)
    module.backend.clear_session()
    with pytest.raises(ValueError):
        exec(compile(program(buggy, flavour), "case.py", "exec"), {})
    module.backend.clear_session()
    exec(compile(program(clean, flavour), "case.py", "exec"), {})


def test_a_model_built_from_data_without_a_channel_axis_is_told_to_add_one() -> None:
    """An unbuilt Sequential whose Conv2D gets `(n, 28, 28)` at `fit`: any channel count would do,
    so the message asks for the axis (Keras builds the model on `x[..., None]`), not for a size."""
    from cnnlint.rules import select_rules
    from cnnlint.runner import check_source

    code = """
import numpy as np
from tensorflow import keras
x = np.zeros((8, 28, 28))
y = np.zeros((8,))
model = keras.Sequential([keras.layers.Conv2D(4, 3), keras.layers.Flatten(), keras.layers.Dense(1)])
model.compile("sgd", "mse")
model.fit(x, y)
"""
    (d,) = check_source(code, "t.py", select_rules(None)).diagnostics
    assert d.code == "CNN012" and "add one (`[..., None]`" in d.message and "size ?" not in d.message
    assert check_source(code.replace("model.fit(x, y)", "model.fit(x[..., None], y)"), "t.py",
                        select_rules(None)).diagnostics == []
