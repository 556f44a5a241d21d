"""CNN206 (TF1 variables never or repeatedly initialised): each buggy fixture is reported and its
clean twin is not; where TensorFlow is installed, the buggy program raises FailedPreconditionError
or ends each epoch with the weights it started from, and its clean twin does not."""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pytest

from tests.conftest import codes, lint

PRELUDE = """\
import numpy as np
import tensorflow as tf
X = np.random.RandomState(0).rand(32, 4).astype("float32")
Y = X.sum(axis=1, keepdims=True)
x = tf.compat.v1.placeholder(tf.float32, [None, 4])
y = tf.compat.v1.placeholder(tf.float32, [None, 1])
"""
VARIABLE = """\
w = tf.Variable(tf.zeros([4, 1]))
pred = tf.matmul(x, w)
"""
GET_VARIABLE = """\
w = tf.compat.v1.get_variable("w", [4, 1], initializer=tf.compat.v1.zeros_initializer())
pred = tf.matmul(x, w) + 1.0
"""
TRAIN = """\
loss = tf.reduce_mean(tf.square(pred - y))
train = tf.compat.v1.train.GradientDescentOptimizer(0.05).minimize(loss)
history = []
"""
INIT = "sess.run(tf.compat.v1.global_variables_initializer())"


def program(model: str, body: str) -> str:
    return PRELUDE + model + TRAIN + textwrap.dedent(body)


# (model, buggy body, clean body)
NEVER = {
    "variable-with": (VARIABLE, """\
        with tf.compat.v1.Session() as sess:
            for epoch in range(3):
                sess.run(train, feed_dict={x: X, y: Y})
        """, f"""\
        with tf.compat.v1.Session() as sess:
            {INIT}
            for epoch in range(3):
                sess.run(train, feed_dict={{x: X, y: Y}})
        """),
    "get-variable-assigned": (GET_VARIABLE, """\
        sess = tf.compat.v1.Session()
        for step in range(3):
            sess.run([train, loss], feed_dict={x: X, y: Y})
        """, f"""\
        sess = tf.compat.v1.Session()
        {INIT}
        for step in range(3):
            sess.run([train, loss], feed_dict={{x: X, y: Y}})
        """),
    "read-only": (VARIABLE, """\
        sess = tf.compat.v1.InteractiveSession()
        out = sess.run(pred, feed_dict={x: X})
        """, """\
        sess = tf.compat.v1.InteractiveSession()
        tf.compat.v1.global_variables_initializer().run()
        out = sess.run(pred, feed_dict={x: X})
        """),
}
# Initialised at each pass of the loop that trains.
REPEATED = {
    "epochs-nested": (VARIABLE, f"""\
        with tf.compat.v1.Session() as sess:
            for epoch in range(3):
                {INIT}
                for step in range(2):
                    sess.run(train, feed_dict={{x: X, y: Y}})
                history.append(sess.run(w))
        """, f"""\
        with tf.compat.v1.Session() as sess:
            {INIT}
            for epoch in range(3):
                for step in range(2):
                    sess.run(train, feed_dict={{x: X, y: Y}})
                history.append(sess.run(w))
        """),
    "same-loop": (VARIABLE, """\
        init = tf.compat.v1.global_variables_initializer()
        sess = tf.compat.v1.Session()
        for i in range(3):
            sess.run(init)
            sess.run(train, feed_dict={x: X, y: Y})
            history.append(sess.run(w))
        """, """\
        init = tf.compat.v1.global_variables_initializer()
        sess = tf.compat.v1.Session()
        sess.run(init)
        for i in range(3):
            sess.run(train, feed_dict={x: X, y: Y})
            history.append(sess.run(w))
        """),
}


@pytest.mark.parametrize("name", list(NEVER))
def test_never_initialised_reported_clean_quiet(name: str) -> None:
    model, buggy, fixed = NEVER[name]
    (found,) = lint(program(model, buggy), "CNN2")
    assert found.code == "CNN206" and found.severity == "error"
    assert "FailedPreconditionError" in found.message and "global_variables_initializer" in found.message
    assert codes(program(model, fixed), "CNN2") == []


@pytest.mark.parametrize("name", list(REPEATED))
def test_initialised_in_the_training_loop_reported_clean_quiet(name: str) -> None:
    model, buggy, fixed = REPEATED[name]
    (found,) = lint(program(model, buggy), "CNN2")
    assert found.code == "CNN206" and found.severity == "warning"
    assert "reset" in found.message and "before the loop" in found.message
    assert codes(program(model, fixed), "CNN2") == []


@pytest.mark.parametrize("body", [
    # something that may initialise the variables runs first
    "saver = tf.compat.v1.train.Saver()\nwith tf.compat.v1.Session() as sess:\n"
    "    saver.restore(sess, 'model.ckpt')\n    sess.run(train, feed_dict={x: X, y: Y})\n",
    "with tf.compat.v1.Session() as sess:\n    prepare(sess)\n    sess.run(train, feed_dict={x: X, y: Y})\n",
    "with tf.compat.v1.Session() as sess:\n    sess.run(init_op)\n    sess.run(train, feed_dict={x: X, y: Y})\n",
    "with tf.compat.v1.Session() as sess:\n    sess.run(w.assign(np.ones((4, 1))))\n    print(sess.run(w))\n",
    "with tf.compat.v1.Session() as sess:\n    tf.compat.v1.global_variables_initializer().run()\n"
    "    sess.run(train, feed_dict={x: X, y: Y})\n",
    "with tf.compat.v1.Session() as sess:\n    sess.run(tf.compat.v1.group(a, b))\n    sess.run(train, feed_dict={x: X, y: Y})\n",
    "with tf.compat.v1.Session() as sess:\n    if restore:\n        saver.restore(sess, path)\n    else:\n"
    f"        {INIT}\n    sess.run(train, feed_dict={{x: X, y: Y}})\n",
    "with tf.compat.v1.train.MonitoredTrainingSession() as sess:\n    sess.run(train, feed_dict={x: X, y: Y})\n",
    "sv = tf.compat.v1.train.Supervisor()\nwith sv.managed_session() as sess:\n    sess.run(train, feed_dict={x: X, y: Y})\n",
    "sess = tf.compat.v1.keras.backend.get_session()\nsess.run(train, feed_dict={x: X, y: Y})\n",
    # the session is initialised by a function the file never calls (run from elsewhere)
    "sess = tf.compat.v1.Session()\ndef setup():\n    sess.run(tf.compat.v1.global_variables_initializer())\n"
    "sess.run(train, feed_dict={x: X, y: Y})\n",
    # a variable fed its value is not read
    "with tf.compat.v1.Session() as sess:\n    print(sess.run(pred, feed_dict={x: X, w: np.ones((4, 1))}))\n",
    # no variable read: placeholders only
    "with tf.compat.v1.Session() as sess:\n    print(sess.run(x * 2.0, feed_dict={x: X}))\n",
    # re-initialised per fold, trained in a nested loop; only once at the first step
    "sess = tf.compat.v1.Session()\nfor fold in range(5):\n    sess.run(tf.compat.v1.global_variables_initializer())\n"
    "    for step in range(3):\n        sess.run(train, feed_dict={x: X, y: Y})\n",
    "sess = tf.compat.v1.Session()\nfor step in range(n):\n    if step == 0:\n"
    f"        {INIT}\n    sess.run(train, feed_dict={{x: X, y: Y}})\n",
    # local variables only (streaming metrics reset per evaluation)
    "sess = tf.compat.v1.Session()\nsess.run(tf.compat.v1.global_variables_initializer())\nfor step in range(n):\n"
    "    sess.run(tf.compat.v1.local_variables_initializer())\n    sess.run(train, feed_dict={x: X, y: Y})\n",
])
def test_what_may_initialise_keeps_it_quiet(body: str) -> None:
    assert codes(program(VARIABLE, body), "CNN206") == []


def test_one_finding_per_session_and_each_session_on_its_own() -> None:
    body = """\
        one = tf.compat.v1.Session()
        one.run(tf.compat.v1.global_variables_initializer())
        two = tf.compat.v1.Session()
        two.run(train, feed_dict={x: X, y: Y})
        two.run(train, feed_dict={x: X, y: Y})
        one.run(train, feed_dict={x: X, y: Y})
        """
    (found,) = lint(program(VARIABLE, body), "CNN206")
    assert found.loc.line == len((PRELUDE + VARIABLE + TRAIN).splitlines()) + 4 and "`two.run(train)`" in found.message


# -- consequences, run in TensorFlow ---------------------------------------------------------------
def run(source: str) -> dict[str, Any]:
    tf = pytest.importorskip("tensorflow")
    scope: dict[str, Any] = {}
    with tf.Graph().as_default():
        tf.compat.v1.set_random_seed(0)
        exec(compile(source, "fixture.py", "exec"), scope)
    return scope


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", list(NEVER))
def test_never_initialised_raises_failed_precondition(name: str) -> None:
    tf = pytest.importorskip("tensorflow")
    model, buggy, fixed = NEVER[name]
    with pytest.raises(tf.errors.FailedPreconditionError):
        run(program(model, buggy))
    run(program(model, fixed))


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", list(REPEATED))
def test_initialised_in_the_loop_resets_the_weights(name: str) -> None:
    model, buggy, fixed = REPEATED[name]
    history = run(program(model, buggy))["history"]
    assert len(history) == 3 and all(np.array_equal(h, history[0]) for h in history)
    history = run(program(model, fixed))["history"]
    assert not np.array_equal(history[0], history[-1])
