"""CNN208 (stacked layers whose kernels are all one constant): each buggy fixture is reported and
its clean twin is not; where TensorFlow is installed, after a few training steps every unit of
the buggy first layer still has the same weights, and the clean twin's do not."""

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
y3 = np.eye(3, dtype="float32")[np.random.RandomState(2).randint(0, 3, 32)]
images = np.random.RandomState(3).rand(32, 6, 6, 1).astype("float32")
"""
SEEDED = "keras.initializers.GlorotUniform(seed=0)"


def source(body: str) -> str:
    return PRELUDE + textwrap.dedent(body)


# (buggy, the constant initialiser of the first layer, its random replacement)
FIXTURES = {
    "sequential": ("""\
        model = keras.Sequential([keras.Input(shape=(4,)),
                                  layers.Dense(8, activation="tanh", kernel_initializer=keras.initializers.Constant(0.1)),
                                  layers.Dense(3, activation="softmax", kernel_initializer="zeros")])
        """, "keras.initializers.Constant(0.1)", SEEDED),
    "functional-conv": ("""\
        inp = keras.Input(shape=(6, 6, 1))
        c = layers.Conv2D(4, 3, activation="relu", kernel_initializer="ones")(inp)
        c = layers.Flatten()(layers.MaxPooling2D()(c))
        model = keras.Model(inp, layers.Dense(3, activation="softmax", kernel_initializer=keras.initializers.Zeros())(c))
        """, '"ones"', SEEDED),
    "subclassed": ("""\
        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = layers.Dense(8, activation="tanh", kernel_initializer="ones")
                self.out = layers.Dense(3, activation="softmax", kernel_initializer="ones")

            def call(self, inputs):
                return self.out(self.hidden(inputs))


        model = Net()
        model(x[:2])
        """, 'activation="tanh", kernel_initializer="ones"', f'activation="tanh", kernel_initializer={SEEDED}'),
}
TF2 = ("""\
    w1 = tf.Variable(tf.fill([4, 8], 0.1))
    b1 = tf.Variable(tf.zeros([8]))
    w2 = tf.Variable(tf.constant(0.1, shape=[8, 3]))
    opt = keras.optimizers.SGD(0.5)
    for step in range(3):
        with tf.GradientTape() as tape:
            h = tf.tanh(tf.matmul(x, w1) + b1)
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y3, logits=tf.matmul(h, w2)))
        grads = tape.gradient(loss, [w1, b1, w2])
        opt.apply_gradients(zip(grads, [w1, b1, w2]))
    kernel = w1.numpy()
    """, "tf.fill([4, 8], 0.1)", "tf.random.stateless_normal([4, 8], seed=[1, 2])")
TF1 = ("""\
    xs = tf.compat.v1.placeholder(tf.float32, [None, 4])
    ys = tf.compat.v1.placeholder(tf.float32, [None, 3])
    w1 = tf.compat.v1.get_variable("w1", [4, 8], initializer=tf.compat.v1.constant_initializer(0.1))
    w2 = tf.compat.v1.get_variable("w2", [8, 3], initializer=tf.compat.v1.zeros_initializer())
    h = tf.tanh(tf.matmul(xs, w1))
    loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=ys, logits=tf.matmul(h, w2)))
    train = tf.compat.v1.train.GradientDescentOptimizer(0.5).minimize(loss)
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        for step in range(3):
            sess.run(train, feed_dict={xs: x, ys: y3})
        kernel = sess.run(w1)
    """, "tf.compat.v1.constant_initializer(0.1)", "tf.compat.v1.glorot_uniform_initializer(seed=0)")
ALL = {**FIXTURES, "tf2": TF2, "tf1": TF1}


def clean(fixture: tuple[str, str, str]) -> str:
    body, bug, fix = fixture
    assert bug in body
    return body.replace(bug, fix, 1)


@pytest.mark.parametrize("name", list(ALL))
def test_constant_stack_reported_clean_quiet(name: str) -> None:
    assert codes(source(ALL[name][0]), "CNN2") == ["CNN208"]
    assert codes(source(clean(ALL[name])), "CNN2") == []


@pytest.mark.parametrize("body", [
    # a Dropout between breaks the symmetry
    "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, kernel_initializer='zeros'),\n"
    "                          layers.Dropout(0.5), layers.Dense(3, kernel_initializer='zeros')])\n",
    # a random bias breaks it too
    "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, kernel_initializer='zeros',\n"
    "                          bias_initializer='random_normal'), layers.Dense(3, kernel_initializer='zeros')])\n",
    # only one of the two is constant
    "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, kernel_initializer='zeros'),\n"
    "                          layers.Dense(3)])\n",
    # one constant layer alone; an initialiser given as a variable or an array
    "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(3, kernel_initializer='zeros')])\n",
    "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, kernel_initializer=init),\n"
    "                          layers.Dense(3, kernel_initializer=init)])\n",
    "W = np.ones((4, 8))\nmodel = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(8, "
    "kernel_initializer=keras.initializers.Constant(W)),\n"
    "                          layers.Dense(3, kernel_initializer='zeros')])\n",
    # one unit: nothing to be symmetric
    "model = keras.Sequential([keras.Input(shape=(4,)), layers.Dense(1, kernel_initializer='zeros'),\n"
    "                          layers.Dense(3, kernel_initializer='zeros')])\n",
    # the first layer also feeds another, random, branch
    "inp = keras.Input(shape=(4,))\nh = layers.Dense(8, kernel_initializer='zeros')(inp)\n"
    "out = layers.Concatenate()([layers.Dense(3, kernel_initializer='zeros')(h), layers.Dense(3)(h)])\n",
    # raw TF: a random first kernel, a random bias
    "w1 = tf.Variable(tf.random.normal([4, 8]))\nw2 = tf.Variable(tf.zeros([8, 3]))\n"
    "out = tf.matmul(tf.nn.relu(tf.matmul(x, w1)), w2)\n",
    "w1 = tf.Variable(tf.zeros([4, 8]))\nb1 = tf.Variable(tf.random.normal([8]))\nw2 = tf.Variable(tf.zeros([8, 3]))\n"
    "out = tf.matmul(tf.nn.relu(tf.matmul(x, w1) + b1), w2)\n",
])
def test_broken_symmetry_or_unknown_is_quiet(body: str) -> None:
    assert codes(source(body), "CNN208") == []


@pytest.mark.parametrize("after", ["model.load_weights('weights.h5')\n", "model.layers[0].set_weights(ws)\n",
                                   "tf.train.Checkpoint(model=model).restore(path)\n"])
def test_weights_given_other_values_keep_it_quiet(after: str) -> None:
    body = textwrap.dedent(FIXTURES["sequential"][0])
    assert codes(source(body), "CNN208") == ["CNN208"]
    assert codes(source(body + "ws = model.get_weights()\npath = 'ckpt'\n" + after), "CNN") == []


def test_message_says_what_happens_and_the_fix() -> None:
    (found,) = lint(source(FIXTURES["sequential"][0]), "CNN208")
    assert "identical" in found.message and "glorot_uniform" in found.message and found.severity == "warning"


# -- consequences, run in TensorFlow ---------------------------------------------------------------
def first_kernel(body: str) -> Any:
    tf = pytest.importorskip("tensorflow")
    scope: dict[str, Any] = {}
    tf.keras.utils.set_random_seed(0)
    if "compat.v1.Session" in body:
        with tf.Graph().as_default():
            exec(compile(source(body), "fixture.py", "exec"), scope)
        return scope["kernel"]
    exec(compile(source(body), "fixture.py", "exec"), scope)
    if "kernel" in scope:
        return scope["kernel"]
    model = scope["model"]
    model.compile(tf.keras.optimizers.SGD(0.5), "categorical_crossentropy")
    data = scope["images"] if "Conv2D" in body else scope["x"]
    model.fit(data, scope["y3"], epochs=3, batch_size=8, verbose=0)
    return np.asarray(model.layers[0].kernel if model.layers[0].weights else model.layers[1].kernel)


def units_identical(kernel: Any) -> bool:
    units = np.asarray(kernel).reshape(-1, np.asarray(kernel).shape[-1])
    return bool(np.allclose(units, units[:, :1], atol=1e-6))


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", list(ALL))
def test_constant_stack_keeps_units_identical(name: str) -> None:
    assert units_identical(first_kernel(ALL[name][0]))
    assert not units_identical(first_kernel(clean(ALL[name])))
