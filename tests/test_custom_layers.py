"""Custom Keras layers (`build` / `add_weight` / `call` / `compute_output_shape`), read by cnnlint
and built by Keras 3 and tf-keras (late Keras 2): output shapes, weight shapes and names,
parameter counts, and the line Keras refuses at (cnnlint/frontend/keras/custom_layers.py;
docs/model-idioms.md, "Custom layers")."""

from __future__ import annotations

import textwrap
import traceback
from typing import Any

import pytest

from cnnlint.frontend import extract
from cnnlint.ir import Graph, Node
from tests.differential_oracle import TARGETS, current_flavour, in_flavour, options

PRELUDE = "import tensorflow as tf\nfrom tensorflow import keras\n"

# id -> (body after the prelude, the flavours that run it).
BOTH = ("keras3", "tf-keras")
CASES: dict[str, tuple[str, tuple[str, ...]]] = {
    "dense-like": ("""
class MyDense(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units),
                                      initializer="glorot_uniform", trainable=True)
        self.bias = self.add_weight(name="bias", shape=(self.units,), initializer="zeros")
        super().build(input_shape)

    def call(self, inputs):
        return tf.matmul(inputs, self.kernel) + self.bias

    def get_config(self):
        config = super().get_config()
        config.update({"units": self.units})
        return config


model = keras.Sequential([keras.Input((20,)), MyDense(8), keras.layers.Dense(3)])
""", BOTH),
    "dense-like-functional-matmul-operator": ("""
class Projection(keras.layers.Layer):
    def __init__(self, units=16, **kwargs):
        super(Projection, self).__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.w = self.add_weight(shape=(int(input_shape[-1]), self.units), initializer="random_normal",
                                 name="w")

    def call(self, x):
        return x @ self.w


inp = keras.Input((10, 12))
out = Projection(4)(inp)
out = keras.layers.Flatten()(out)
model = keras.Model(inp, out)
""", BOTH),
    "attention-over-time": ("""
class Attention(keras.layers.Layer):
    def build(self, input_shape):
        self.W = self.add_weight(name="att_weight", shape=(input_shape[-1], 1), initializer="normal")
        self.b = self.add_weight(name="att_bias", shape=(input_shape[1], 1), initializer="zeros")

    def call(self, x):
        e = tf.tanh(tf.tensordot(x, self.W, axes=1) + self.b)
        a = tf.nn.softmax(e, axis=1)
        return tf.reduce_sum(x * a, axis=1)


inp = keras.Input((30, 64))
h = keras.layers.LSTM(32, return_sequences=True)(inp)
h = Attention()(h)
out = keras.layers.Dense(2, activation="softmax")(h)
model = keras.Model(inp, out)
""", BOTH),
    "scaling": ("""
class Scale(keras.layers.Layer):
    def build(self, input_shape):
        self.gamma = self.add_weight(name="gamma", shape=(input_shape[-1],), initializer="ones")
        self.moving = self.add_weight(name="moving", shape=(input_shape[-1],), initializer="zeros",
                                      trainable=False)

    def call(self, x):
        return x * self.gamma + self.moving


model = keras.Sequential()
model.add(keras.layers.Conv2D(8, 3, input_shape=(16, 16, 3)))
model.add(Scale())
model.add(keras.layers.GlobalAveragePooling2D())
""", BOTH),
    "compute-output-shape-only": ("""
class Twice(keras.layers.Layer):
    def call(self, x):
        return tf.tile(x, [1, 2])

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[1] * 2)


inp = keras.Input((5,))
out = keras.layers.Dense(3)(Twice()(inp))
model = keras.Model(inp, out)
""", BOTH),
    "returns-a-list": ("""
class Split(keras.layers.Layer):
    def build(self, input_shape):
        self.a = self.add_weight(name="a", shape=(input_shape[-1], 3))
        self.b = self.add_weight(name="b", shape=(input_shape[-1], 5))

    def call(self, x):
        return [tf.matmul(x, self.a), tf.matmul(x, self.b)]


inp = keras.Input((7,))
left, right = Split()(inp)
out = keras.layers.Concatenate()([left, right])
model = keras.Model(inp, out)
""", BOTH),
    "wrong-weight-shape": ("""
class BadDense(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(self.units, input_shape[-1]))

    def call(self, inputs):
        return tf.matmul(inputs, self.kernel)


inp = keras.Input((20,))
out = BadDense(8)(inp)
model = keras.Model(inp, out)
""", BOTH),
    "two-inputs": ("""
class Bilinear(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=(input_shape[0][-1], input_shape[1][-1]))

    def call(self, inputs):
        a, b = inputs
        return tf.reduce_sum(tf.matmul(a, self.w) * b, axis=-1, keepdims=True)


x1 = keras.Input((6,))
x2 = keras.Input((9,))
out = Bilinear()([x1, x2])
model = keras.Model([x1, x2], out)
""", BOTH),
    "conv-kernel-from-build": ("""
class MyConv(keras.layers.Layer):
    def __init__(self, filters, **kwargs):
        super().__init__(**kwargs)
        self.filters = filters

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(3, 3, input_shape[-1], self.filters))

    def call(self, x):
        return tf.nn.relu(tf.nn.conv2d(x, self.kernel, strides=1, padding="SAME"))


model = keras.Sequential([keras.Input((28, 28, 1)), MyConv(4), keras.layers.MaxPooling2D(), keras.layers.Flatten(),
                          keras.layers.Dense(10)])
""", BOTH),
    "positional-name-shape-tf-keras": ("""
from tensorflow.keras import backend as K


class KDense(keras.layers.Layer):
    def __init__(self, output_dim, **kwargs):
        self.output_dim = output_dim
        super(KDense, self).__init__(**kwargs)

    def build(self, input_shape):
        self.kernel = self.add_weight("kernel", (input_shape.as_list()[-1], self.output_dim),
                                      initializer="uniform")
        super(KDense, self).build(input_shape)

    def call(self, x):
        return K.softmax(K.dot(x, self.kernel))

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.output_dim)


model = keras.Sequential([keras.layers.Dense(12, input_shape=(4,)), KDense(6)])
""", ("tf-keras",)),
    "batch-dot-tf-keras": ("""
from tensorflow.keras import backend as K


class SelfScore(keras.layers.Layer):
    def call(self, x):
        return K.batch_dot(x, x, axes=[2, 2])


inp = keras.Input((11, 4))
out = SelfScore()(inp)
model = keras.Model(inp, out)
""", ("tf-keras",)),
    "positional-shape-keras3": ("""
class Bias(keras.layers.Layer):
    def build(self, input_shape):
        self.b = self.add_weight((input_shape[-1],), "zeros", name="b")

    def call(self, x):
        return keras.ops.relu(x + self.b)


model = keras.Sequential([keras.Input((3, 5)), Bias()])
""", ("keras3",)),
}

Facts = dict[str, Any]


def _weight_name(name: str) -> str:
    return name.rsplit("/", 1)[-1].split(":", 1)[0]


def keras_facts(flavour: str, ids: list[str]) -> dict[str, Facts]:
    """Each case built by this process's Keras: its custom layers' output shapes, weights and
    parameter counts, or the line of the case Keras raised at."""
    out: dict[str, Facts] = {}
    for case_id in ids:
        code = PRELUDE + textwrap.dedent(CASES[case_id][0])
        scope: dict[str, Any] = {"__name__": "__case__"}
        try:
            exec(compile(code, "<case>", "exec"), scope)  # the test's own code, as Keras runs it
        except Exception as error:  # what Keras refuses
            lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == "<case>"]
            out[case_id] = {"refused_at": lines[-1], "error": f"{type(error).__name__}: {error}"[:300]}
            continue
        layers = []
        for layer in scope["model"].layers:
            if type(layer).__module__ != "__case__":
                continue
            output = layer.output
            shapes = [list(t.shape) for t in output] if isinstance(output, (list, tuple)) else [list(output.shape)]
            layers.append({
                "shapes": shapes,
                "weights": [[_weight_name(w.name), list(w.shape), bool(w.trainable)] for w in layer.weights],
                "params": int(layer.count_params()),
            })
        out[case_id] = {"layers": layers}
    return out


def cnnlint_facts(flavour: str, case_id: str) -> Facts:
    code = PRELUDE + textwrap.dedent(CASES[case_id][0])
    module = extract(code, "case.py", options(flavour))
    graph = next(g for g in module.graphs if g.models)
    fatal = [n for n in graph.nodes if any(p.fatal for p in n.problems)]
    if fatal:
        return {"refused_at": fatal[0].loc.line}
    layers = []
    for node in _custom_nodes(graph):
        shapes: list[list[int | None]]
        if node.attrs.get("from_call") or node.attrs.get("output") is not None:
            assert node.shape is not None, f"{case_id}: {node.api} output unknown"
            shapes = [[d.value for d in node.shape]]
        else:  # a list of outputs: the tensors its `call` returned
            n_in = 1
            shapes = [[d.value for d in (graph.nodes[i].shape or ())] for i in node.inputs[n_in:] if i is not None]
        weights = graph_weights(graph, node)
        layers.append({"shapes": shapes, "weights": weights,
                       "params": None if node.params is None else node.params.value})
    return {"layers": layers}


def _custom_nodes(graph: Graph) -> list[Node]:
    return [n for n in graph.nodes if n.op == "custom_layer"]


def graph_weights(graph: Graph, node: Node) -> list[list[Any]] | None:
    from cnnlint.shapes import layer_weights
    found = layer_weights(node.op, [], node.attrs)
    return None if found is None else [[w.name, [d.value for d in w.shape], w.trainable] for w in found]


def _compare(flavour: str) -> list[str]:
    ids = [i for i, (_, flavours) in CASES.items() if flavour in flavours]
    if flavour == current_flavour():
        truth = keras_facts(flavour, ids)
    else:
        truth = in_flavour(flavour, "tests.test_custom_layers:keras_facts", ids, timeout=600)
    bad = []
    for case_id in ids:
        expected, got = dict(truth[case_id]), cnnlint_facts(flavour, case_id)
        expected.pop("error", None)
        if expected != got:
            bad.append(f"{flavour} {case_id}: keras {truth[case_id]}\n  cnnlint {got}")
    return bad


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", sorted(TARGETS))
def test_custom_layers_agree_with_keras(flavour: str) -> None:
    pytest.importorskip("tensorflow")
    bad = _compare(flavour)
    assert not bad, "\n".join(bad)


# -- static cases: versions the oracles do not install (Keras 1 and 2.2, TF1's tf.keras) ----------------
def _layers(code: str) -> list[Node]:
    module = extract(textwrap.dedent(code), "snippet.py")
    graph = next(g for g in module.graphs if _custom_nodes(g))
    return _custom_nodes(graph)


def _row(node: Node) -> tuple[list[int | None] | None, list[tuple[str, list[int | None]]] | None, int | None]:
    from cnnlint.shapes import layer_weights
    weights = layer_weights(node.op, [], node.attrs)
    return (None if node.shape is None else [d.value for d in node.shape],
            None if weights is None else [(w.name, [d.value for d in w.shape]) for w in weights],
            None if node.params is None else node.params.value)


# Keras 2.2 (`keras/engine/topology.py` at 2.2.4: `build(input_shape)` gets a tuple; `add_weight(name,
# shape, ...)`), TF 1.x tf.keras (a `TensorShape` of `Dimension`s: `input_shape[-1].value`).
TF1_ATTENTION = """
import tensorflow as tf
from keras.engine.topology import Layer
from keras import backend as K
from keras.models import Sequential
from keras.layers import Dense, LSTM


class AttLayer(Layer):
    def __init__(self, **kwargs):
        super(AttLayer, self).__init__(**kwargs)

    def build(self, input_shape):
        assert len(input_shape) == 3
        self.W = self.add_weight("att_W", (input_shape[-1].value, 1), initializer="normal")
        super(AttLayer, self).build(input_shape)

    def call(self, x, mask=None):
        eij = K.squeeze(K.tanh(K.dot(x, self.W)), -1)
        ai = K.exp(eij)
        weights = ai / K.sum(ai, axis=1, keepdims=True)
        return K.sum(x * K.expand_dims(weights), axis=1)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], input_shape[-1])


model = Sequential()
model.add(LSTM(64, return_sequences=True, input_shape=(20, 10)))
model.add(AttLayer())
model.add(Dense(4))
"""


def test_tf1_dimension_value_and_positional_name_shape() -> None:
    assert [_row(n) for n in _layers(TF1_ATTENTION)] == [([None, 64], [("att_W", [64, 1])], 64)]


KERAS1 = """
import numpy as np
from keras.engine.topology import Layer
from keras import backend as K
from keras.models import Sequential
from keras.layers import Dense


class MyLayer(Layer):
    def __init__(self, output_dim, **kwargs):
        self.output_dim = output_dim
        super(MyLayer, self).__init__(**kwargs)

    def build(self, input_shape):
        input_dim = input_shape[1]
        self.W = K.variable(np.random.random((input_dim, self.output_dim)))
        self.trainable_weights = [self.W]

    def call(self, x, mask=None):
        return {call}

    def get_output_shape_for(self, input_shape):
        return (input_shape[0], self.output_dim)


model = Sequential()
model.add(Dense(32, input_dim=16))
model.add(MyLayer(7))
model.add(Dense(2))
"""


def test_keras1_variable_and_trainable_weights() -> None:
    assert [_row(n) for n in _layers(KERAS1.replace("{call}", "K.dot(x, self.W)"))] == \
        [([None, 7], [("W", [32, 7])], 224)]


def test_keras1_get_output_shape_for_where_call_is_not_followed() -> None:
    rows = [_row(n) for n in _layers(KERAS1.replace("{call}", "some_theano_op(x, self.W)"))]
    assert rows == [([None, 7], [("W", [32, 7])], 224)]


@pytest.mark.parametrize("base", ["keras.layers.Layer", "keras.Layer", "tf.keras.layers.Layer",
                                  "keras.engine.topology.Layer", "keras.engine.base_layer.Layer"])
def test_every_spelling_of_the_base_class(base: str) -> None:
    code = f"""
    import tensorflow as tf
    import keras
    import keras.engine.topology
    import keras.engine.base_layer

    class Scale({base}):
        def build(self, input_shape):
            self.s = self.add_weight(name="s", shape=(input_shape[-1],), initializer="ones")

        def call(self, x):
            return x * self.s

    inp = keras.Input((6,))
    model = keras.Model(inp, Scale()(inp))
    """
    assert [_row(n) for n in _layers(code)] == [([None, 6], [("s", [6])], 6)]


UNKNOWN_CODE = """
import tensorflow as tf
from tensorflow import keras


class Odd(keras.layers.Layer):
    def build(self, input_shape):
        self.k = self.add_weight(name="k", shape=shape_from_config(input_shape))

    def call(self, x):
        return tf.einsum("bi,ij->bj", x, self.k)


inp = keras.Input((4,))
out = keras.layers.Dense(3)(Odd()(inp))
model = keras.Model(inp, out)
"""


def test_what_cannot_be_followed_stays_unknown_and_quiet() -> None:
    from tests.conftest import codes
    assert [_row(n) for n in _layers(UNKNOWN_CODE)] == [(None, None, None)]
    assert codes(UNKNOWN_CODE) == []


BAD_KERNEL = """
import tensorflow as tf
from tensorflow import keras


class BadDense(keras.layers.Layer):
    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(8, input_shape[-1]))

    def call(self, inputs):
        return tf.matmul(inputs, self.kernel)


inp = keras.Input((20,))
model = keras.Model(inp, BadDense()(inp))
"""


def test_a_mismatch_inside_call_is_reported_at_its_line() -> None:
    from tests.conftest import lint
    found = lint(BAD_KERNEL)
    assert [(d.code, d.loc.line) for d in found] == [("CNN002", 11)]


def test_a_layer_is_built_once_and_keeps_its_weights() -> None:
    """A shared custom layer applied to a second, wider input: its kernel was built for the first."""
    from tests.conftest import codes
    code = BAD_KERNEL.replace("(8, input_shape[-1])", "(input_shape[-1], 8)").replace(
        "model = keras.Model(inp, BadDense()(inp))",
        "layer = BadDense()\nmodel = keras.Model(inp, layer(inp))\nwide = keras.Input((30,))\nlayer(wide)")
    assert codes(code) == ["CNN002"]
    assert codes(code.replace("wide = keras.Input((30,))", "wide = keras.Input((20,))")) == []


def test_k_dot_with_a_weight_vector_fails_in_every_tensorflow_backend() -> None:
    from tests.conftest import codes
    code = TF1_ATTENTION.replace("(input_shape[-1].value, 1)", "(input_shape[-1].value,)").replace(
        "K.squeeze(K.tanh(K.dot(x, self.W)), -1)", "K.tanh(K.dot(x, self.W))")
    assert codes(code) == ["CNN006"]


@pytest.mark.parametrize(("axes", "shape"), [("None", [None, 11, 11]), ("[2, 1]", [None, 11, 11]),
                                             ("[2, 2]", [None, 11, 11]), ("[1, 1]", [None, 4, 4]),
                                             ("(1, 2)", None)])
def test_batch_dot_axes(axes: str, shape: list[int | None] | None) -> None:
    code = f"""
    from tensorflow import keras
    from tensorflow.keras import backend as K

    class Score(keras.layers.Layer):
        def call(self, x):
            return K.batch_dot(x, {"K.permute_dimensions(x, (0, 2, 1))" if axes in ("None", "[2, 1]") else "x"},
                               axes={axes})

    inp = keras.Input((11, 4))
    model = keras.Model(inp, Score()(inp))
    """
    got = _row(_layers(code)[0])[0]
    assert got == shape


def test_a_layer_built_by_the_program_is_not_built_again() -> None:
    code = """
    from tensorflow import keras

    class Scale(keras.layers.Layer):
        def build(self, input_shape):
            self.s = self.add_weight(name="s", shape=(input_shape[-1],))
            self.built = True

        def call(self, x):
            return x * self.s

    layer = Scale()
    layer.build((None, 6))
    inp = keras.Input((6,))
    model = keras.Model(inp, layer(inp))
    """
    assert [_row(n) for n in _layers(code)] == [([None, 6], [("s", [6])], 6)]


def test_keras_contrib_instance_norm_pattern_built_again_for_the_data() -> None:
    """keras-contrib's InstanceNormalization: `del reduction_axes[0]` leaves the reduced axes, and
    a `Sequential` built from its data at `fit` builds the layer in that graph (its weights are
    that graph's nodes). Found in /work/corpus as a false CNN004 before both were followed."""
    from tests.conftest import codes
    code = '''
    import numpy as np
    from keras import backend as K
    from keras.layers import Layer
    from keras.models import Sequential


    class Norm(Layer):
        def __init__(self, axis=None, **kwargs):
            super(Norm, self).__init__(**kwargs)
            self.axis = axis

        def build(self, input_shape):
            shape = (1,) if self.axis is None else (input_shape[self.axis],)
            self.beta = self.add_weight(shape=shape, name="beta", initializer="zeros")
            self.built = True

        def call(self, inputs, training=None):
            input_shape = K.int_shape(inputs)
            reduction_axes = list(range(0, len(input_shape)))
            if self.axis is not None:
                del reduction_axes[self.axis]
            del reduction_axes[0]
            mean = K.mean(inputs, reduction_axes, keepdims=True)
            broadcast_shape = [1] * len(input_shape)
            if self.axis is not None:
                broadcast_shape[self.axis] = input_shape[self.axis]
            return inputs - mean + K.reshape(self.beta, broadcast_shape)


    model = Sequential()
    model.add(Norm(axis=1, input_shape=(3, 4, 4)))
    model.compile(loss="mse", optimizer="sgd")
    x = np.random.normal(size=(10, 3, 4, 4))
    model.fit(x, x, epochs=1)
    '''
    assert codes(code) == []
    assert [_row(n) for n in _layers(code)] == [([None, 3, 4, 4], [("beta", [3])], 3)]
