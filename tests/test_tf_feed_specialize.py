"""TF1 graphs fed through placeholders without a (complete) shape: the graph is checked again with
the shapes each `feed_dict` gives (`cnnlint/frontend/tensorflow/specialize.py`).

Each case is a buggy program and its fix; the static tests check cnnlint's findings, the TensorFlow
tests run the same programs in `tf.compat.v1` graph mode (the buggy one raises, the fixed one runs).
"""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from cnnlint.frontend.tensorflow.specialize import merged_shape
from cnnlint.shapes import Dim
from tests.conftest import lint, module_of

HEADER = "import numpy as np\nimport tensorflow.compat.v1 as tf\n"

# name: (buggy, fixed, (code, line) the buggy program reports); line numbers count the HEADER.
CASES: dict[str, tuple[str, str, tuple[str, int]]] = {
    # An RGBA picture fed to an untyped placeholder, into a convolution made for RGB (realworld 138).
    "conv-channels": (
        """\
        t_input = tf.placeholder(np.float32, name="input")
        t_preprocessed = tf.expand_dims(t_input - 117.0, 0)
        kernel = tf.constant(np.random.rand(7, 7, 3, 64).astype(np.float32))
        conv = tf.nn.relu(tf.nn.conv2d(t_preprocessed, kernel, strides=[1, 2, 2, 1], padding="SAME"))
        score = tf.reduce_mean(conv)
        img = np.zeros((48, 64, 4), np.float32)
        with tf.Session() as sess:
            print(sess.run(score, {t_input: img}))
        """,
        """\
        t_input = tf.placeholder(np.float32, name="input")
        t_preprocessed = tf.expand_dims(t_input - 117.0, 0)
        kernel = tf.constant(np.random.rand(7, 7, 3, 64).astype(np.float32))
        conv = tf.nn.relu(tf.nn.conv2d(t_preprocessed, kernel, strides=[1, 2, 2, 1], padding="SAME"))
        score = tf.reduce_mean(conv)
        img = np.zeros((48, 64, 3), np.float32)
        with tf.Session() as sess:
            print(sess.run(score, {t_input: img}))
        """,
        ("CNN003", 6),
    ),
    # Labels (1, 500) from a nested list, fed to an untyped placeholder (ISSTA 2018 StackOverflow UT-9).
    "softmax-labels-transposed": (
        """\
        data = np.random.normal(0, 0.1, [500, 10])
        label = [[0 for _ in range(500)]]
        x = tf.placeholder("float", shape=[None, 10])
        y = tf.placeholder("float")
        W = tf.Variable(tf.zeros([10, 2]))
        prediction = tf.matmul(x, W)
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=prediction, labels=y))
        optimize = tf.train.GradientDescentOptimizer(1e-4).minimize(cost)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        for i in range(3):
            _, loss = sess.run([optimize, cost], feed_dict={x: data, y: label})
        """,
        """\
        data = np.random.normal(0, 0.1, [500, 10])
        label = [[0 for _ in range(500)]]
        x = tf.placeholder("float", shape=[None, 10])
        y = tf.placeholder("float")
        W = tf.Variable(tf.zeros([10, 2]))
        prediction = tf.matmul(x, W)
        y_trans = tf.concat([1 - tf.transpose(y), tf.transpose(y)], 1)
        cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(logits=prediction, labels=y_trans))
        optimize = tf.train.GradientDescentOptimizer(1e-4).minimize(cost)
        sess = tf.Session()
        sess.run(tf.global_variables_initializer())
        for i in range(3):
            _, loss = sess.run([optimize, cost], feed_dict={x: data, y: label})
        """,
        ("CNN013", 14),
    ),
    # One-hot labels into a sparse loss through `shape=(None)` (realworld 104), run by `op.run`.
    "sparse-one-hot": (
        """\
        X = tf.placeholder(tf.float32, shape=(None, 784))
        y = tf.placeholder(tf.int64, shape=(None))
        logits = tf.matmul(X, tf.Variable(tf.zeros([784, 10])))
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        training_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
        X_batch, y_batch = np.zeros((50, 784), np.float32), np.zeros((50, 10), np.int64)
        with tf.Session() as sess:
            tf.global_variables_initializer().run()
            training_op.run(feed_dict={X: X_batch, y: y_batch})
        """,
        """\
        X = tf.placeholder(tf.float32, shape=(None, 784))
        y = tf.placeholder(tf.int64, shape=(None))
        logits = tf.matmul(X, tf.Variable(tf.zeros([784, 10])))
        loss = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=logits))
        training_op = tf.train.GradientDescentOptimizer(0.01).minimize(loss)
        X_batch, y_batch = np.zeros((50, 784), np.float32), np.zeros(50, np.int64)
        with tf.Session() as sess:
            tf.global_variables_initializer().run()
            training_op.run(feed_dict={X: X_batch, y: y_batch})
        """,
        ("CNN013", 11),
    ),
    # Images fed flat to an untyped placeholder that a matmul needs as (batch, 784): `Matrix size-incompatible`.
    "matmul-inner-dim": (
        """\
        x = tf.placeholder("float")
        W = tf.Variable(tf.zeros([784, 10]))
        logits = tf.matmul(x, W)
        images = np.zeros((100, 392), np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(logits.eval(feed_dict={x: images}))
        """,
        """\
        x = tf.placeholder("float")
        W = tf.Variable(tf.zeros([784, 10]))
        logits = tf.matmul(x, W)
        images = np.zeros((100, 784), np.float32)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(logits.eval(feed_dict={x: images}))
        """,
        ("CNN002", 5),
    ),
    # An accuracy fed positionally through `.eval({...})`: 10 classes of labels against 5 of predictions.
    "eval-accuracy-incompatible": (
        """\
        x = tf.placeholder("float", [None, 784])
        y = tf.placeholder("float", [None, None])
        prediction = tf.matmul(x, tf.Variable(tf.zeros([784, 10])))
        correct = tf.equal(prediction, y)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(accuracy.eval({x: np.zeros((20, 784)), y: np.zeros((20, 5))}))
        """,
        """\
        x = tf.placeholder("float", [None, 784])
        y = tf.placeholder("float", [None, None])
        prediction = tf.matmul(x, tf.Variable(tf.zeros([784, 10])))
        correct = tf.equal(prediction, y)
        accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(accuracy.eval({x: np.zeros((20, 784)), y: np.zeros((20, 10))}))
        """,
        ("CNN013", 10),
    ),
}

# Correct TF1 programs (TensorFlow-Examples style): fed consistently, nothing to report.
CORRECT = {
    "logistic-regression": """\
        x = tf.placeholder("float", [None, 784])
        y = tf.placeholder("float")
        W = tf.Variable(tf.zeros([784, 10]))
        b = tf.Variable(tf.zeros([10]))
        pred = tf.nn.softmax(tf.matmul(x, W) + b)
        cost = tf.reduce_mean(-tf.reduce_sum(y * tf.log(pred), reduction_indices=1))
        optimizer = tf.train.GradientDescentOptimizer(0.01).minimize(cost)
        correct = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
        accuracy = tf.reduce_mean(tf.cast(correct, "float"))
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            for epoch in range(2):
                batch_xs, batch_ys = np.zeros((100, 784)), np.zeros((100, 10))
                _, c = sess.run([optimizer, cost], feed_dict={x: batch_xs, y: batch_ys})
            print(accuracy.eval({x: np.zeros((10000, 784)), y: np.zeros((10000, 10))}))
        """,
    "mlp-keep-prob": """\
        x = tf.placeholder(tf.float32, shape=[None, 784])
        y = tf.placeholder(tf.float32, shape=None)
        keep_prob = tf.placeholder(tf.float32)
        h = tf.nn.dropout(tf.nn.relu(tf.matmul(x, tf.Variable(tf.zeros([784, 256])))), keep_prob)
        logits = tf.matmul(h, tf.Variable(tf.zeros([256, 10])))
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=logits))
        train = tf.train.AdamOptimizer(0.001).minimize(loss)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(train, feed_dict={x: np.zeros((64, 784)), y: np.zeros((64, 10)), keep_prob: 0.5})
            print(sess.run(loss, {x: np.zeros((8, 784)), y: np.zeros((8, 10)), keep_prob: 1.0}))
        """,
    # A broken op the run does not fetch: TensorFlow never computes it.
    "unfetched-op": """\
        x = tf.placeholder("float")
        W = tf.Variable(tf.zeros([784, 10]))
        unused = tf.matmul(x, tf.zeros([3, 10]))
        logits = tf.matmul(x, W)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(sess.run(logits, feed_dict={x: np.zeros((4, 784))}))
        """,
}


def _program(body: str) -> str:
    return HEADER + textwrap.dedent(body)


def _found(body: str) -> list[tuple[str, int]]:
    return [(d.code, d.loc.line) for d in lint(_program(body))]


@pytest.mark.parametrize("name", sorted(CASES))
def test_buggy_program_is_reported_with_the_feed(name: str) -> None:
    buggy, _, expected = CASES[name]
    found = lint(_program(buggy))
    assert [(d.code, d.loc.line) for d in found] == [expected]
    assert "with the shapes fed at line" in found[0].message


@pytest.mark.parametrize("name", sorted(CASES))
def test_fixed_program_is_clean(name: str) -> None:
    assert _found(CASES[name][1]) == []


@pytest.mark.parametrize("name", sorted(CORRECT))
def test_correct_program_is_clean(name: str) -> None:
    assert _found(CORRECT[name]) == []


def test_the_message_names_the_feed_and_the_trace_has_the_fed_shapes() -> None:
    (finding,) = lint(_program(CASES["conv-channels"][0]))
    assert finding.message.endswith("(with the shapes fed at line 10: `img` (48, 64, 4))")
    assert [(step.line, step.shape) for step in finding.trace][:3] == [(3, (48, 64, 4)), (4, (48, 64, 4)),
                                                                 (4, (1, 48, 64, 4))]


def test_a_loss_is_reported_at_the_feed_and_names_its_line() -> None:
    (finding,) = lint(_program(CASES["softmax-labels-transposed"][0]))
    assert "labels `y` are (1, 500) and logits `prediction` are (500, 2)" in finding.message
    assert finding.message.endswith("(computed at line 9, with the shapes fed at line 14: `data` (500, 10), "
                                    "`label` (1, 500))")


def test_the_same_feed_run_in_a_loop_gives_one_specialised_graph() -> None:
    module = module_of(_program(CASES["softmax-labels-transposed"][0]))
    assert [g.fed is not None for g in module.graphs] == [False, True]
    assert len([loss for loss in module.losses if loss.origin is not None]) == 1


def test_two_feeds_of_the_same_broken_op_report_it_once() -> None:
    body = CASES["conv-channels"][0] + "    print(sess.run(conv, {t_input: img}))\n"
    assert _found(body) == [("CNN003", 6)]


def test_the_shapes_table_marks_the_specialised_graph() -> None:
    from cnnlint.report.summary import tables

    module = module_of(_program(CASES["conv-channels"][0]))
    names = [(t.title, t.kind) for t in tables(module)]
    assert names[-1] == ("<module> with the shapes fed at line 10", None)
    special = module.graphs[-1]
    assert special.models == [] and special.own_nodes[0].shape == (Dim.const(48), Dim.const(64), Dim.const(4))


def test_an_incompatible_feed_is_cnn014_only() -> None:
    body = """\
        x = tf.placeholder("float", [None, 784])
        W = tf.Variable(tf.zeros([784, 10]))
        logits = tf.matmul(x, W)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            print(sess.run(logits, feed_dict={x: np.zeros((4, 10))}))
        """
    assert _found(body) == [("CNN014", 8)]


def test_a_loss_already_wrong_statically_is_not_reported_again_at_the_feed() -> None:
    body = """\
        x = tf.placeholder(tf.float32, [None, 10])
        y = tf.placeholder(tf.float32, [None])
        loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x))
        with tf.Session() as sess:
            sess.run(loss, feed_dict={x: np.zeros((32, 10)), y: np.zeros(32)})
        """
    assert _found(body) == [("CNN013", 5)]


def test_only_placeholders_are_specialised() -> None:
    body = """\
        v = tf.Variable(tf.zeros([3, 10]))
        z = tf.identity(v)
        logits = tf.matmul(z, tf.zeros([10, 2]))
        with tf.Session() as sess:
            print(sess.run(logits, feed_dict={v: np.zeros((3, 7))}))
        """
    assert _found(body) == []


def test_merged_shape_keeps_declared_sizes_and_refuses_incompatible_ones() -> None:
    unknown, four, ten = Dim.unknown(), Dim.const(4), Dim.const(10)
    assert merged_shape(None, (four, ten)) == (four, ten)
    assert merged_shape((unknown, ten), (four, ten)) == (four, ten)
    assert merged_shape((unknown, ten), (four, four)) is None  # CNN014's
    assert merged_shape((unknown, ten), (four,)) is None
    assert merged_shape((four, ten), (four, ten)) is None  # nothing new


# -- TensorFlow agrees: the buggy programs raise, the fixed and correct ones run --------------------------------
@pytest.fixture(scope="module")
def tf() -> Any:
    return pytest.importorskip("tensorflow")


def _runs(tf: Any, body: str) -> bool:
    with tf.Graph().as_default():
        try:
            exec(_program(body), {"print": lambda *a: None})  # the programs above, not user code
        except (ValueError, tf.errors.InvalidArgumentError):
            return False
    return True


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", sorted(CASES))
def test_tensorflow_raises_on_the_buggy_and_runs_the_fixed(tf: Any, name: str) -> None:
    buggy, fixed, _ = CASES[name]
    assert not _runs(tf, buggy)
    assert _runs(tf, fixed)


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", sorted(CORRECT))
def test_tensorflow_runs_the_correct_programs(tf: Any, name: str) -> None:
    assert _runs(tf, CORRECT[name])
