"""The training-setup rules CNN201-CNN205: each buggy fixture is reported by its rule and its clean
twin by none of the family; where TensorFlow is installed, each fixture is run for a few training
steps on random data and shows the consequence the message states (the clean twin does not)."""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pytest

from tests.conftest import codes, lint

PRELUDE = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
x = np.random.RandomState(0).rand(32, 4).astype("float32")
y1 = np.random.RandomState(1).randint(0, 2, (32, 1)).astype("float32")
y3 = np.eye(3, dtype="float32")[np.random.RandomState(2).randint(0, 3, 32)]
"""


def source(body: str) -> str:
    return PRELUDE + textwrap.dedent(body)


# -- fixtures: (buggy, clean) ---------------------------------------------------------------------
SOFTMAX_ONE = {
    "sequential": ("""\
        model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, activation="relu"),
                                  layers.Dense(1, activation="softmax")])
        model.compile("adam", "binary_crossentropy")
        """, 'activation="softmax"', 'activation="sigmoid"'),
    "functional": ("""\
        inp = keras.Input(shape=(4,))
        out = layers.Activation("softmax")(layers.Dense(1)(layers.Dense(8, activation="relu")(inp)))
        model = keras.Model(inp, out)
        model.compile("adam", "binary_crossentropy")
        """, 'Activation("softmax")', 'Activation("sigmoid")'),
    "subclassed": ("""\
        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = layers.Dense(8, activation="relu")
                self.out = layers.Dense(1, activation="softmax")

            def call(self, inputs):
                return self.out(self.hidden(inputs))


        model = Net()
        model(x[:2])
        model.compile("adam", "binary_crossentropy")
        """, 'activation="softmax")\n', 'activation="sigmoid")\n'),
}
CATEGORICAL_ONE = {
    "sequential": ("""\
        model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1, activation="sigmoid")])
        model.compile("adam", "categorical_crossentropy")
        """, '"categorical_crossentropy"', '"binary_crossentropy"'),
    "functional-object": ("""\
        inp = keras.Input(shape=(4,))
        model = keras.Model(inp, layers.Dense(1, activation="sigmoid")(inp))
        model.compile("adam", loss=keras.losses.CategoricalCrossentropy())
        """, "CategoricalCrossentropy()", "BinaryCrossentropy()"),
}
SCORES = {
    "sequential": ("""\
        model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])
        model.compile("adam", "categorical_crossentropy")
        """, '"categorical_crossentropy"', "keras.losses.CategoricalCrossentropy(from_logits=True)"),
    "functional-binary": ("""\
        inp = keras.Input(shape=(4,))
        model = keras.Model(inp, layers.Dense(1)(inp))
        model.compile("adam", loss=keras.losses.BinaryCrossentropy())
        """, "BinaryCrossentropy()", "BinaryCrossentropy(from_logits=True)"),
}
TWICE = {
    "sequential": ("""\
        model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, activation="softmax"),
                                  layers.Activation("softmax")])
        model.compile("adam", "categorical_crossentropy")
        """, 'layers.Activation("softmax")', 'layers.Activation("linear")'),
    "functional": ("""\
        inp = keras.Input(shape=(4,))
        model = keras.Model(inp, layers.Softmax()(layers.Dense(3, activation=keras.activations.softmax)(inp)))
        model.compile("adam", "categorical_crossentropy")
        """, "activation=keras.activations.softmax", "activation=None"),
}
# Raw TensorFlow 2 (eager): `probs` / `logits`, `loss` computed once.
LOGITS_TF2 = ("""\
    w = tf.Variable(tf.random.stateless_normal([4, 3], seed=[1, 2]))
    probs = tf.nn.softmax(tf.matmul(x, w))
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y3, logits=probs))
    """, "logits=probs", "logits=tf.matmul(x, w)")
LOGITS_TF1 = """\
    xs = tf.compat.v1.placeholder(tf.float32, [None, 4])
    ys = tf.compat.v1.placeholder(tf.float32, [None, 3])
    w = tf.compat.v1.get_variable("w", [4, 3], initializer=tf.compat.v1.random_normal_initializer(stddev=3.0, seed=1))
    probs = tf.nn.softmax(tf.matmul(xs, w))
    loss = tf.reduce_mean(tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2(labels=ys, logits=probs))
    """
SOFTMAX_ONE_TF2 = ("""\
    w = tf.Variable(tf.random.stateless_normal([4, 1], seed=[1, 2]))
    probs = tf.nn.softmax(tf.matmul(x, w))
    """, "tf.nn.softmax(", "tf.nn.sigmoid(")


def clean(fixture: tuple[str, str, str]) -> str:
    body, bug, fix = fixture
    assert bug in body
    return body.replace(bug, fix, 1)


STATIC = [
    *[("CNN201", name, f) for name, f in SOFTMAX_ONE.items()], ("CNN201", "tf2", SOFTMAX_ONE_TF2),
    *[("CNN202", name, f) for name, f in CATEGORICAL_ONE.items()],
    ("CNN203", "tf2", LOGITS_TF2),
    *[("CNN204", name, f) for name, f in SCORES.items()],
    *[("CNN205", name, f) for name, f in TWICE.items()],
]


@pytest.mark.parametrize(("code", "name", "fixture"), STATIC, ids=[f"{c}-{n}" for c, n, _ in STATIC])
def test_buggy_reported_clean_quiet(code: str, name: str, fixture: tuple[str, str, str]) -> None:
    assert codes(source(fixture[0]), "CNN2") == [code]
    assert codes(source(clean(fixture)), "CNN2") == []


def test_tf1_softmax_into_logits_loss() -> None:
    assert codes(source(LOGITS_TF1), "CNN2") == ["CNN203"]
    assert codes(source(LOGITS_TF1.replace("tf.nn.softmax(tf.matmul(xs, w))", "tf.matmul(xs, w)")), "CNN2") == []
    layer = LOGITS_TF1.replace("tf.nn.softmax(tf.matmul(xs, w))", "tf.compat.v1.layers.dense(xs, 3, activation=tf.nn.softmax)")
    assert codes(source(layer), "CNN2") == ["CNN203"]
    assert codes(source(layer.replace(", activation=tf.nn.softmax", "")), "CNN2") == []


def test_softmax_in_a_subclassed_call_is_quiet() -> None:
    body = """\
        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.out = layers.Dense(3)

            def call(self, inputs, is_training=False):
                z = self.out(inputs)
                if not is_training:
                    z = tf.nn.softmax(z)
                return z


        net = Net()
        pred = net(x, is_training=True)
        loss = tf.nn.softmax_cross_entropy_with_logits(labels=y3, logits=pred)
        """
    assert "CNN203" not in codes(source(body), "CNN2")


NOTEBOOK_NET = """\
    class Net(keras.Model):
        def __init__(self):
            super().__init__()
            self.out = layers.Dense(3, activation=ACTIVATION)

        def __call__(self, inputs, is_training=False):
            z = self.out(inputs)
            if not is_training:
                z = tf.nn.softmax(z)
            return z


    net = Net()
    def cross_entropy(pred, labels):
        return tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=pred))
    train_loss = cross_entropy(net(x, is_training=True), y3)
    shown_loss = cross_entropy(net(x), y3)
    """


def test_softmax_under_a_training_flag_is_quiet_even_where_the_flag_is_known() -> None:
    """aymericdamien/TensorFlow-Examples' TF2 notebooks: the loss shown at display steps is
    computed on `net(x)`, whose `is_training=False` applies the softmax; training gets logits."""
    assert codes(source(NOTEBOOK_NET.replace("ACTIVATION", "None")), "CNN2") == []
    for test in ("if not training:", 'if mode != "train":'):
        body = NOTEBOOK_NET.replace("ACTIVATION", "None").replace("if not is_training:", test)
        body = body.replace("is_training=False", "training=False, mode='eval'").replace("is_training=True", "training=True")
        assert "CNN203" not in codes(source(body), "CNN2")


def test_a_softmax_output_layer_under_the_same_pattern_is_still_reported() -> None:
    """The same notebooks' save_restore_model: the output `Dense` itself has softmax, so the
    training loss gets probabilities whatever the flag (and predictions get softmax twice: CNN205)."""
    assert sorted(codes(source(NOTEBOOK_NET.replace("ACTIVATION", "tf.nn.softmax")), "CNN2")) == ["CNN203", "CNN205"]


def test_cnn203_is_on_by_default() -> None:
    assert "CNN203" in codes(source(LOGITS_TF1), "CNN")


@pytest.mark.parametrize("loss", [
    "keras.losses.CategoricalCrossentropy(from_logits=True)",
    "keras.losses.CategoricalCrossentropy(from_logits=flag)", "keras.losses.CategoricalCrossentropy(True)",
    "my_loss", '"mse"'])
def test_linear_output_quiet_unless_the_loss_certainly_wants_probabilities(loss: str) -> None:
    body = f"model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3)])\nmodel.compile('adam', {loss})\n"
    assert codes(source(body), "CNN2") == []


@pytest.mark.parametrize("activation", ["act", "my_softmax", "getattr(tf.nn, name)"])
def test_unknown_activation_is_quiet(activation: str) -> None:
    body = (f"model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1, activation={activation}),\n"
            f"                          layers.Activation({activation})])\n"
            "model.compile('adam', 'binary_crossentropy')\n")
    assert codes(source(body), "CNN2") == []


def test_softmax_on_another_axis_is_quiet() -> None:
    body = "w = tf.Variable(tf.zeros([4, 1]))\np = tf.nn.softmax(tf.matmul(x, w), axis=0)\n"
    assert codes(source(body), "CNN2") == []


def test_messages_say_what_happens_and_the_fix() -> None:
    (one,) = lint(source(SOFTMAX_ONE["sequential"][0]), "CNN201")
    assert "1.0 for every input" in one.message and "sigmoid" in one.message and one.severity == "error"
    (zero,) = lint(source(CATEGORICAL_ONE["sequential"][0]), "CNN202")
    assert "exactly 0.0" in zero.message and "binary_crossentropy" in zero.message and zero.severity == "error"
    (scores,) = lint(source(SCORES["sequential"][0]), "CNN204")
    assert "from_logits=True" in scores.message and scores.severity == "warning"


# -- consequences, run in TensorFlow ---------------------------------------------------------------
def run(body: str) -> dict[str, Any]:
    pytest.importorskip("tensorflow")
    scope: dict[str, Any] = {}
    exec(compile(source(body), "fixture.py", "exec"), scope)
    return scope


def trained(body: str, labels: str, steps: int = 3) -> dict[str, Any]:
    scope = run(body)
    model = scope["model"]
    model.run_eagerly = True  # tiny models: faster than tracing a graph
    history = model.fit(scope["x"], scope[labels], epochs=steps, batch_size=32, verbose=0)
    scope["losses"] = history.history["loss"]
    scope["predictions"] = np.asarray(model(scope["x"]))
    return scope


def cross_entropy(labels: Any, probabilities: Any) -> Any:
    return float(np.mean(-np.sum(np.asarray(labels) * np.log(np.asarray(probabilities)), axis=-1)))


def softmax(z: Any) -> Any:
    e = np.exp(z - z.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", list(SOFTMAX_ONE))
def test_softmax_over_one_unit_predicts_a_constant(name: str) -> None:
    assert_one_constant(trained(SOFTMAX_ONE[name][0], "y1")["predictions"])
    assert np.ptp(trained(clean(SOFTMAX_ONE[name]), "y1")["predictions"]) > 0


@pytest.mark.tensorflow
def test_tf_softmax_over_one_unit_is_constant() -> None:
    assert_one_constant(run(SOFTMAX_ONE_TF2[0])["probs"])
    assert np.ptp(np.asarray(run(clean(SOFTMAX_ONE_TF2))["probs"])) > 0


def assert_one_constant(predictions: Any) -> None:
    """Every prediction the same value, 1: exactly 1.0 on the machines of earlier runs, 0.99999994
    (1 - 2**-24, float32's last bit) from TensorFlow 2.21's CPU kernels on another machine."""
    values = np.asarray(predictions)
    assert np.ptp(values) == 0 and abs(float(values.flat[0]) - 1.0) <= 2 ** -23


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", list(CATEGORICAL_ONE))
def test_categorical_loss_on_one_unit_is_zero(name: str) -> None:
    assert trained(CATEGORICAL_ONE[name][0], "y1")["losses"] == [0.0, 0.0, 0.0]
    assert min(trained(clean(CATEGORICAL_ONE[name]), "y1")["losses"]) > 0.0


@pytest.mark.tensorflow
def test_probabilities_into_logits_loss_is_not_the_cross_entropy() -> None:
    buggy = run(LOGITS_TF2[0])
    assert abs(float(buggy["loss"]) - cross_entropy(buggy["y3"], buggy["probs"])) > 0.05
    fixed = run(clean(LOGITS_TF2))
    assert float(fixed["loss"]) == pytest.approx(cross_entropy(fixed["y3"], fixed["probs"]), rel=1e-4)


@pytest.mark.tensorflow
def test_tf1_probabilities_into_logits_loss_is_not_the_cross_entropy() -> None:
    tf = pytest.importorskip("tensorflow")
    scope: dict[str, Any] = {}
    with tf.Graph().as_default():
        exec(compile(source(LOGITS_TF1), "fixture.py", "exec"), scope)
        with tf.compat.v1.Session() as session:
            session.run(tf.compat.v1.global_variables_initializer())
            feed = {scope["xs"]: scope["x"], scope["ys"]: scope["y3"]}
            loss, probs = session.run([scope["loss"], scope["probs"]], feed)
    assert abs(float(loss) - cross_entropy(scope["y3"], probs)) > 0.05


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", list(SCORES))
def test_scores_into_probability_loss_is_not_the_cross_entropy(name: str) -> None:
    labels = "y3" if "binary" not in name else "y1"
    buggy = trained(SCORES[name][0], labels, steps=1)
    scores = buggy["predictions"]
    true = (cross_entropy(buggy[labels], softmax(scores)) if labels == "y3" else
            float(np.mean(np.log1p(np.exp(-np.abs(scores))) + np.maximum(scores, 0) - scores * buggy[labels])))
    computed = float(buggy["model"].compute_loss(y=buggy[labels], y_pred=scores))
    assert abs(computed - true) > 0.05
    fixed = trained(clean(SCORES[name]), labels, steps=1)
    scores = fixed["predictions"]
    true = (cross_entropy(fixed[labels], softmax(scores)) if labels == "y3" else
            float(np.mean(np.log1p(np.exp(-np.abs(scores))) + np.maximum(scores, 0) - scores * fixed[labels])))
    computed = float(fixed["model"].compute_loss(y=fixed[labels], y_pred=scores))
    assert computed == pytest.approx(true, rel=1e-3)


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", list(TWICE))
def test_activation_twice_is_closer_to_uniform(name: str) -> None:
    def spread(predictions: Any) -> float:
        return float(np.mean(np.abs(predictions - 1 / 3)))

    buggy = trained(TWICE[name][0], "y3", steps=2)
    fixed = trained(clean(TWICE[name]), "y3", steps=2)
    if name == "functional":  # the clean twin is linear then softmax: compare on the same weights
        fixed["model"].set_weights(buggy["model"].get_weights())
        fixed["predictions"] = np.asarray(fixed["model"](buggy["x"]))
    assert spread(buggy["predictions"]) < spread(fixed["predictions"])
