"""Mini-batches by slicing in a loop (`X[i:i + bs]`), and fixed batch sizes fed a remainder batch.

Loops over a known `range` of at most `MAX_UNROLL` items are unrolled; longer ones (and counted
`while` loops) get one abstract pass, whose slice has an unknown first axis and every other axis
known, then their last iteration once more, where the slice is the remainder. The differential
tests run the same TF1 graphs with TensorFlow and compare what it refuses.
"""

from __future__ import annotations

import textwrap

import numpy as np
import pytest

from tests.conftest import lint, module_of

HEADER = """
import numpy as np
import tensorflow as tf
"""


def tf1(body: str) -> str:
    return HEADER + textwrap.dedent(body)


def feed_findings(code: str) -> list[tuple[str, int, str]]:
    return [(d.code, d.loc.line, d.message) for d in lint(code)]


def line_of(code: str, text: str) -> int:
    return next(i for i, line in enumerate(code.splitlines(), 1) if text in line)


# -- the remainder batch against a fixed batch size ------------------------------------------

FIXED = """
X = np.random.rand({n}, 784).astype(np.float32)
x = tf.placeholder(tf.float32, [{bs}, 784])
y = tf.reduce_sum(x)
bs = {bs}
with tf.Session() as sess:
{loop}
"""

LOOPS = {
    "range-step": ("    for i in range(0, len(X), bs):\n        xb = X[i:i + bs]\n"
                   "        sess.run(y, feed_dict={x: xb})"),
    "range-ceil": ("    for i in range(int(np.ceil(len(X) / bs))):\n        xb = X[i * bs:(i + 1) * bs]\n"
                   "        sess.run(y, feed_dict={x: xb})"),
    "while": ("    start = 0\n    while start < len(X):\n        xb = X[start:start + bs]\n        start += bs\n"
              "        sess.run(y, feed_dict={x: xb})"),
    "while-assign": ("    start = 0\n    while start < len(X):\n        xb = X[start:start + bs]\n"
                     "        start = start + bs\n        sess.run(y, feed_dict={x: xb})"),
    "epochs": ("    for epoch in range(3):\n        for i in range(0, len(X), bs):\n            xb = X[i:i + bs]\n"
               "            sess.run(y, feed_dict={x: xb})"),
    "with-block": ("    for i in range(0, len(X), bs):\n        with tf.device('/cpu:0'):\n            xb = X[i:i + bs]\n"
                   "            sess.run(y, feed_dict={x: xb})"),
}


@pytest.mark.parametrize("loop", sorted(LOOPS))
@pytest.mark.parametrize(("n", "bs"), [(1050, 100), (60050, 100)])  # unrolled; too long to unroll
def test_the_remainder_batch_is_reported_with_its_arithmetic(loop: str, n: int, bs: int) -> None:
    if loop.startswith("while") and n == 1050:
        n = 1150  # `while` loops are never unrolled: any size takes the counted path
    code = tf1(FIXED.format(n=n, bs=bs, loop=LOOPS[loop]))
    found = feed_findings(code)
    rest = n % bs
    assert [(c, line) for c, line, _ in found] == [("CNN014", line_of(code, "sess.run(y"))]
    message = found[0][2]
    assert f"is ({rest}, 784) but placeholder `x` has shape ({bs}, 784): axis 0 is {rest}, not {bs}" in message
    assert f"the last batch has {rest} rows: {n} = {n // bs} x {bs} + {rest}" in message


@pytest.mark.parametrize("n", [1000, 60000])
@pytest.mark.parametrize("loop", sorted(LOOPS))
def test_no_finding_when_the_batch_size_divides_the_rows(loop: str, n: int) -> None:
    assert feed_findings(tf1(FIXED.format(n=n, bs=100, loop=LOOPS[loop]))) == []


@pytest.mark.parametrize("n", [1050, 60050])
def test_a_floor_trip_count_never_reaches_the_remainder(n: int) -> None:
    loop = ("    for i in range(len(X) // bs):\n        xb = X[i * bs:(i + 1) * bs]\n"
            "        sess.run(y, feed_dict={x: xb})")
    assert feed_findings(tf1(FIXED.format(n=n, bs=100, loop=loop))) == []


def test_a_one_line_loop_body() -> None:
    code = tf1(FIXED.format(n=60050, bs=100, loop="    for i in range(0, len(X), bs): sess.run(y, feed_dict={x: X[i:i + bs]})"))
    found = feed_findings(code)
    assert len(found) == 1 and "the last batch has 50 rows: 60050 = 600 x 100 + 50" in found[0][2]


def test_a_range_past_sys_maxsize_is_no_crash() -> None:
    loop = "    for i in range(10**30):\n        xb = X[i:i + bs]\n        sess.run(y, feed_dict={x: xb})"
    # the loop does reach slices past the end of X (no crash of cnnlint: `len` of such a range overflows)
    assert [c for c, _, _ in feed_findings(tf1(FIXED.format(n=1000, bs=100, loop=loop)))] == ["CNN014"]


def test_the_last_batch_behind_shape_keeping_ops() -> None:
    loop = ("    for i in range(0, len(X), bs):\n        xb = (X[i:i + bs] / 255.0).astype(np.float32)\n"
            "        sess.run(y, feed_dict={x: xb})")
    found = feed_findings(tf1(FIXED.format(n=60001, bs=100, loop=loop)))
    assert len(found) == 1 and "the last batch has 1 row: 60001 = 600 x 100 + 1" in found[0][2]


def test_shape_keyword_with_a_batch_size_variable() -> None:
    code = tf1("""
        batch_size = 64
        data = np.zeros((200, 10), dtype=np.float32)
        x = tf.placeholder(tf.float32, shape=(batch_size, 10))
        out = tf.reduce_mean(x)
        sess = tf.Session()
        for k in range(0, data.shape[0], batch_size):
            sess.run(out, feed_dict={x: data[k:k + batch_size]})
    """)
    found = feed_findings(code)
    assert [(c, line) for c, line, _ in found] == [("CNN014", line_of(code, "sess.run(out"))]
    assert "the last batch has 8 rows: 200 = 3 x 64 + 8" in found[0][2]


@pytest.mark.parametrize("guard", [
    "if len(xb) < bs:\n            continue",
    "if xb.shape[0] != bs:\n            break",
])
@pytest.mark.parametrize("n", [1050, 60050])
def test_a_loop_that_skips_the_short_batch_is_quiet(guard: str, n: int) -> None:
    loop = f"    for i in range(0, len(X), bs):\n        xb = X[i:i + bs]\n        {guard}\n" \
           "        sess.run(y, feed_dict={x: xb})"
    assert feed_findings(tf1(FIXED.format(n=n, bs=100, loop=loop))) == []


def test_a_padded_last_batch_is_quiet() -> None:
    loop = ("    for i in range(0, len(X), bs):\n        xb = X[i:i + bs]\n        if len(xb) < bs:\n"
            "            xb = np.pad(xb, ((0, bs - len(xb)), (0, 0)))\n        sess.run(y, feed_dict={x: xb})")
    assert feed_findings(tf1(FIXED.format(n=60050, bs=100, loop=loop))) == []


def test_a_feed_under_a_condition_is_not_assumed_in_the_last_iteration() -> None:
    loop = ("    step = 0\n    for i in range(0, len(X), bs):\n        xb = X[i:i + bs]\n        step += 1\n"
            "        if step % 7 == 0:\n            sess.run(y, feed_dict={x: xb})")
    assert feed_findings(tf1(FIXED.format(n=60050, bs=100, loop=loop))) == []


def test_unknown_row_count_reports_no_remainder() -> None:
    code = tf1("""
        X = np.load("features.npy").reshape(-1, 784)
        x = tf.placeholder(tf.float32, [100, 784])
        y = tf.reduce_sum(x)
        with tf.Session() as sess:
            for i in range(0, len(X), 100):
                sess.run(y, feed_dict={x: X[i:i + 100]})
    """)
    assert feed_findings(code) == []


def test_a_placeholder_with_an_open_batch_axis_takes_the_remainder() -> None:
    code = tf1(FIXED.format(n=60050, bs=100, loop=LOOPS["range-step"]).replace("[100, 784]", "[None, 784]"))
    assert feed_findings(code) == []


def test_an_uncounted_while_loop_reports_no_remainder() -> None:
    loop = ("    start = 0\n    while start < len(X):\n        xb = X[start:start + bs]\n"
            "        start += np.random.randint(1, bs)\n        sess.run(y, feed_dict={x: xb})")
    assert feed_findings(tf1(FIXED.format(n=1050, bs=100, loop=loop))) == []


# -- the other axes stay known in every batch ------------------------------------------------

@pytest.mark.parametrize("n", [1050, 60050, None])
@pytest.mark.parametrize("loop", ["range-step", "range-ceil", "while", "epochs"])
def test_a_wrong_feature_size_is_reported_once_for_every_batch(loop: str, n: int | None) -> None:
    rows = "np.load('x.npy').reshape(-1, 700)" if n is None else f"np.random.rand({n}, 700).astype(np.float32)"
    code = tf1(FIXED.format(n=0, bs=100, loop=LOOPS[loop]).replace("np.random.rand(0, 784).astype(np.float32)", rows)
               .replace("[100, 784]", "[None, 784]"))
    found = feed_findings(code)
    assert [(c, line) for c, line, _ in found] == [("CNN014", line_of(code, "sess.run(y"))]
    assert "axis 1 is 700, not 784" in found[0][2]


def test_a_wrong_feature_size_into_a_fixed_batch_is_reported_once() -> None:
    code = tf1(FIXED.format(n=60050, bs=100, loop=LOOPS["range-step"]).replace("[100, 784]", "[100, 700]"))
    found = feed_findings(code)
    assert len(found) == 1
    assert "axis 1 is 784, not 700" in found[0][2] and "axis 0" not in found[0][2]


@pytest.mark.parametrize("n", [1050, 60050])
def test_keras_train_on_batch_in_a_loop_reports_the_feature_size_once(n: int) -> None:
    code = f"""
import numpy as np
from tensorflow import keras
X = np.random.rand({n}, 700).astype(np.float32)
Y = np.random.rand({n}, 10).astype(np.float32)
model = keras.Sequential([keras.Input(shape=(784,)), keras.layers.Dense(10)])
model.compile("sgd", "mse")
for i in range(0, len(X), 64):
    model.train_on_batch(X[i:i + 64], Y[i:i + 64])
"""
    found = feed_findings(code)
    assert [(c, line) for c, line, _ in found] == [("CNN012", line_of(code, "train_on_batch"))]
    assert "axis 1 is 700, not 784" in found[0][2]


def test_slices_in_a_long_loop_keep_their_feature_axes() -> None:
    """The abstract pass's slice is `(?, 28, 28)`, the last iteration's the remainder `(50, 28, 28)`."""
    module = module_of("""
        import numpy as np
        X = np.random.rand(60050, 28, 28)
        for i in range(0, len(X), 100):
            xb = X[i:i + 100]
            flat = xb.reshape(-1, 784)
    """)
    graph = module.graphs[0]
    seen: dict[str, set[str]] = {}
    for node in graph.nodes:
        label = graph.labels.get(node.id)
        if label in ("xb", "flat") and node.shape is not None:
            seen.setdefault(label, set()).add(",".join("?" if d.value is None else str(d.value) for d in node.shape))
    assert seen == {"xb": {"?,28,28", "50,28,28"}, "flat": {"?,784", "50,784"}}


def test_a_keras_model_with_a_fixed_batch_takes_the_remainder() -> None:
    """Keras 3 and tf-keras accept a short last batch into `Input(batch_shape=(32, ...))` (a
    model without stateful layers): no finding (`test_keras_fixed_batch_really_accepts_the_remainder`)."""
    code = """
import numpy as np
import keras
x = np.random.rand(50, 8).astype("float32")
y = np.random.rand(50, 1).astype("float32")
inp = keras.Input(batch_shape=(32, 8))
model = keras.Model(inp, keras.layers.Dense(1)(inp))
model.compile("sgd", "mse")
model.fit(x, y, batch_size=32, epochs=1)
model.predict(x, batch_size=32)
"""
    assert feed_findings(code) == []


# -- against the real libraries ---------------------------------------------------------------

def _run_tf1(n: int, bs: int, placeholder_batch: int | None, floor: bool = False) -> str | None:
    """Feeds `X[i:i + bs]` batches of an (n, 16) array to a placeholder of `placeholder_batch`
    rows with TensorFlow's TF1 API; the error text, or None when every batch is accepted."""
    import tensorflow as tf

    v1 = tf.compat.v1
    graph = tf.Graph()
    with graph.as_default():
        x = v1.placeholder(tf.float32, [placeholder_batch, 16])
        total = tf.reduce_sum(x)
        data = np.zeros((n, 16), dtype=np.float32)
        with v1.Session(graph=graph) as sess:
            starts = range(0, (n // bs) * bs, bs) if floor else range(0, n, bs)
            try:
                for i in starts:
                    sess.run(total, feed_dict={x: data[i:i + bs]})
            except ValueError as error:
                return str(error)
    return None


@pytest.mark.tensorflow
@pytest.mark.parametrize(("n", "bs", "fixed", "floor"), [
    (1050, 100, 100, False), (1000, 100, 100, False), (1050, 100, None, False), (1050, 100, 100, True),
    (200, 64, 64, False),
])
def test_tensorflow_refuses_exactly_the_remainders_cnnlint_reports(n: int, bs: int, fixed: int | None,
                                                                    floor: bool) -> None:
    error = _run_tf1(n, bs, fixed, floor)
    placeholder = "None" if fixed is None else str(fixed)
    loop = ("    for i in range(len(X) // bs):\n        xb = X[i * bs:(i + 1) * bs]\n"
            "        sess.run(y, feed_dict={x: xb})") if floor else LOOPS["range-step"]
    code = tf1(FIXED.format(n=n, bs=bs, loop=loop).replace("784", "16")
               .replace(f"[{bs}, 16]", f"[{placeholder}, 16]"))
    found = feed_findings(code)
    if error is None:
        assert found == []
    else:
        assert f"Cannot feed value of shape ({n % bs}, 16)" in error
        assert len(found) == 1 and f"is ({n % bs}, 16)" in found[0][2]


def _keras_fixed_batch(flavour: str, stateful: bool) -> str | None:
    import subprocess
    import sys

    script = textwrap.dedent(f"""
        import os
        if {flavour == "tf-keras"!r}:
            os.environ["TF_USE_LEGACY_KERAS"] = "1"
            import tensorflow as tf
            keras = tf.keras
        else:
            import keras
        import numpy as np
        x = np.random.rand(50, 5, 8).astype("float32")
        y = np.random.rand(50, 1).astype("float32")
        layers = [keras.Input(batch_shape=(32, 5, 8)), keras.layers.LSTM(4, stateful={stateful}),
                  keras.layers.Dense(1)]
        model = keras.Sequential(layers)
        model.compile("sgd", "mse")
        model.fit(x, y, batch_size=32, epochs=1, verbose=0)
        model.predict(x, batch_size=32, verbose=0)
    """)
    result = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=300)
    return None if result.returncode == 0 else result.stderr


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", ["keras3", "tf-keras"])
def test_keras_fixed_batch_really_accepts_the_remainder(flavour: str) -> None:
    """A fixed batch size that no stateful layer needs: the short last batch (50 = 32 + 18) runs,
    so cnnlint stays quiet (`test_a_keras_model_with_a_fixed_batch_takes_the_remainder`); a
    stateful LSTM refuses it (`Incompatible shapes: [18,1] vs. [32,1]`), not modelled yet."""
    assert _keras_fixed_batch(flavour, stateful=False) is None
    error = _keras_fixed_batch(flavour, stateful=True)
    assert error is not None and "Incompatible shapes" in error


STATEFUL = """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(batch_shape=(16, 10, 3)), layers.LSTM(8, stateful={stateful}), layers.Dense(1)])
model.compile("adam", "mse")
model.fit(np.zeros(({rows}, 10, 3)), np.zeros(({rows}, 1)), batch_size=16, epochs=1, shuffle=False)
"""


@pytest.mark.parametrize(("stateful", "rows", "found"), [(True, 500, ["CNN012"]), (True, 496, []), (False, 500, [])])
def test_a_stateful_rnn_refuses_rows_that_are_not_a_multiple_of_its_batch(stateful: bool, rows: int,
                                                                          found: list[str]) -> None:
    from cnnlint.rules import select_rules
    from cnnlint.runner import check_source

    result = check_source(STATEFUL.format(stateful=stateful, rows=rows), "s.py", select_rules(["CNN"]))
    assert [d.code for d in result.diagnostics] == found
    assert all("500 = 31 x 16 + 4" in d.message for d in result.diagnostics)


@pytest.mark.tensorflow
@pytest.mark.parametrize(("stateful", "rows", "fails"), [(True, 500, True), (True, 496, False), (False, 500, False)])
def test_keras_refuses_exactly_those_rows(stateful: bool, rows: int, fails: bool) -> None:
    tf = pytest.importorskip("tensorflow")
    try:
        exec(STATEFUL.format(stateful=stateful, rows=rows), {})  # the program above, not user code
        failed = False
    except (ValueError, tf.errors.InvalidArgumentError):
        failed = True
    assert failed == fails
