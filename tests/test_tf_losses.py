"""Labels meet the loss in raw TensorFlow (CNN013) and losses that broadcast silently (CNN015).

Each case is checked statically and run in TensorFlow 2.21 on zero arrays: cnnlint reports CNN013
exactly where TensorFlow raises and CNN015 exactly where it computes a loss of labels and
predictions that broadcast instead of matching. `outcomes` runs the same cases under each Keras
flavour (Keras 3 here, tf-keras in a subprocess: `tf.keras.losses` differs) against cnnlint's
reading for the matching target.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import Any

import numpy as np
import pytest

from tests.conftest import codes, lint, shapes_by_label

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

HEADER = "import numpy as np\nimport tensorflow as tf\n"

# (call with `y` the labels and `p` the predictions, labels shape, predictions shape, integer labels, expected)
CASES: list[tuple[str, tuple[int, ...], tuple[int, ...], bool, str | None]] = [
    ("tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=p)", (5, 10), (5, 10), False, None),
    ("tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=p)", (5,), (5, 10), False, "CNN013"),
    ("tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=p)", (5,), (5, 10), True, "CNN013"),
    ("tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=p)", (10,), (10, 10), False, "CNN015"),
    ("tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=p)", (5, 1), (5, 10), False, "CNN015"),
    ("tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=p)", (1, 10), (5, 10), False, "CNN015"),
    ("tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=p)", (5, 3), (5, 10), False, "CNN013"),
    ("tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=p)", (5, 10), (1, 10), False, "CNN013"),
    ("tf.compat.v1.nn.softmax_cross_entropy_with_logits_v2(labels=y, logits=p)", (5, 1), (5, 10), False, "CNN015"),
    ("tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=p)", (5, 10), (5, 10), False, None),
    ("tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=p)", (5, 1), (5, 10), False, "CNN013"),
    ("tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=p)", (5,), (5, 1), False, "CNN013"),
    ("tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=p)", (5,), (5, 10), True, None),
    ("tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=p)", (5, 1), (5, 10), True, "CNN013"),
    ("tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=p)", (4,), (5, 10), True, "CNN013"),
    ("tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y, logits=p)", (5, 3), (5, 3, 10), True, None),
    ("tf.compat.v1.losses.softmax_cross_entropy(y, p)", (5, 1), (5, 10), False, "CNN013"),
    ("tf.compat.v1.losses.softmax_cross_entropy(onehot_labels=y, logits=p)", (5, 10), (5, 10), False, None),
    ("tf.compat.v1.losses.sparse_softmax_cross_entropy(y, p)", (5, 1), (5, 10), True, None),
    ("tf.compat.v1.losses.sparse_softmax_cross_entropy(y, p)", (5, 10), (5, 10), True, "CNN013"),
    ("tf.compat.v1.losses.sigmoid_cross_entropy(y, p)", (5,), (5, 10), False, "CNN013"),
    ("tf.compat.v1.losses.mean_squared_error(y, p)", (5,), (5, 1), False, "CNN013"),
    ("tf.compat.v1.losses.mean_squared_error(labels=y, predictions=p)", (5, 10), (5, 10), False, None),
    ("tf.compat.v1.losses.log_loss(y, p)", (5, 3), (5, 10), False, "CNN013"),
    ("tf.compat.v1.losses.absolute_difference(y, p)", (5, 10), (5, 10), False, None),
    ("tf.keras.losses.categorical_crossentropy(y, p)", (5, 1), (5, 10), False, "CNN013"),
    ("tf.keras.losses.categorical_crossentropy(y, p)", (5, 10), (5, 10), False, None),
    ("tf.keras.losses.sparse_categorical_crossentropy(y, p)", (5, 1), (5, 10), True, None),
    ("tf.keras.losses.sparse_categorical_crossentropy(y, p)", (5, 10), (5, 10), True, "CNN013"),
    ("tf.keras.losses.binary_crossentropy(y, p)", (5,), (5, 10), False, "CNN013"),
    ("tf.keras.losses.mse(y, p)", (5, 1), (5, 10), False, "CNN015"),
    ("tf.keras.losses.mse(y, p)", (10,), (10, 10), False, "CNN015"),
    ("tf.keras.losses.mse(y, p)", (5,), (5, 1), False, None),
    ("tf.keras.losses.mse(y, p)", (5, 3), (5, 10), False, "CNN013"),
    ("tf.losses.mae(y, p)", (5, 10), (5, 1), False, "CNN015"),
    ("tf.keras.losses.CategoricalCrossentropy()(y, p)", (5,), (5, 10), False, "CNN013"),
    ("tf.keras.losses.SparseCategoricalCrossentropy()(y, p)", (5,), (5, 10), True, None),
    ("tf.keras.losses.MeanSquaredError()(y, p)", (5, 1), (5, 10), False, "CNN015"),
    ("tf.equal(y, p)", (5, 3), (5, 10), False, "CNN013"),
    ("tf.equal(y, p)", (5, 10), (5, 10), False, None),
    ("tf.reduce_mean(tf.cast(tf.equal(tf.argmax(y, 1), tf.argmax(p, 1)), tf.float32))", (5, 10), (5, 10, 1),
     False, "CNN015"),
    ("tf.reduce_mean(tf.cast(tf.equal(tf.argmax(y, 1), tf.argmax(p, 1)), tf.float32))", (5, 10), (5, 10),
     False, None),
    ("tf.reduce_mean(tf.square(y - p))", (5,), (5, 1), False, "CNN015"),
    ("tf.reduce_sum(tf.abs(y - p))", (5, 1), (5,), False, "CNN015"),
    ("tf.reduce_mean(tf.square(y - p))", (5,), (5,), False, None),
    ("tf.reduce_mean(tf.square(y - p))", (5, 1), (5, 1), False, None),
    ("tf.reduce_mean(tf.square(y[:, None] - p[None, :]))", (5,), (4,), False, None),  # pairwise, on purpose
]


def _source(call: str, labels: tuple[int, ...], predictions: tuple[int, ...], integer: bool) -> str:
    dtype = "np.int64" if integer else "np.float32"
    return f"{HEADER}y = np.zeros({labels}, {dtype})\np = np.zeros({predictions}, np.float32)\nloss = {call}\n"


def _ids() -> list[str]:
    return [f"{call.split('(')[0]}-{labels}-{predictions}" for call, labels, predictions, _, _ in CASES]


@pytest.mark.parametrize(("call", "labels", "predictions", "integer", "expected"), CASES, ids=_ids())
def test_static_verdict(call: str, labels: tuple[int, ...], predictions: tuple[int, ...], integer: bool,
                        expected: str | None) -> None:
    found = codes(_source(call, labels, predictions, integer))
    assert found == ([expected] if expected else [])


@pytest.fixture(scope="module")
def tf() -> Any:
    return pytest.importorskip("tensorflow")


@pytest.mark.tensorflow
@pytest.mark.parametrize(("call", "labels", "predictions", "integer", "expected"), CASES, ids=_ids())
def test_tensorflow_agrees(tf: Any, call: str, labels: tuple[int, ...], predictions: tuple[int, ...], integer: bool,
                           expected: str | None) -> None:
    y = np.zeros(labels, np.int64 if integer else np.float32)
    p = np.zeros(predictions, np.float32)
    try:
        eval(call, {"tf": tf, "np": np, "y": y, "p": p})  # the cases above, not user code
    except (ValueError, tf.errors.InvalidArgumentError):
        assert expected == "CNN013", "TensorFlow raised"
        return
    assert expected != "CNN013", "TensorFlow computed it"
    if expected == "CNN015":  # it ran on labels and predictions of different shapes
        assert labels != predictions


# -- bare `tf.losses.mean_squared_error`: TF1's (compatible shapes) or, in TF 2, tf-keras's ----------
def test_tf_losses_mse_reports_a_broadcast_wrong_in_every_reading() -> None:
    source = _source("tf.losses.mean_squared_error(y, p)", (5, 1), (5, 10), False)
    assert codes(source) == ["CNN015"]


def test_tf_losses_mse_stays_quiet_where_the_readings_differ() -> None:
    # TF1 refuses (5,) against (5, 1); Keras squeezes the 1 and computes the right loss.
    assert codes(_source("tf.losses.mean_squared_error(y, p)", (5,), (5, 1), False)) == []
    assert codes(_source("tf.losses.mean_squared_error(labels=y, predictions=p)", (5,), (5, 1), False)) == ["CNN013"]


# -- a TF1 graph: placeholders with an unknown batch, fed through feed_dict --------------------------
GRAPH = """\
import numpy as np
import tensorflow as tf
x = tf.compat.v1.placeholder(tf.float32, [None, 10])
y = tf.compat.v1.placeholder(tf.float32, {labels})
loss = {loss}
with tf.compat.v1.Session() as sess:
    sess.run(loss, feed_dict={{x: np.zeros((32, 10)), y: np.zeros({fed})}})
"""
GRAPH_CASES = [
    ("[None]", "(32,)", "tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x))", "CNN013"),
    ("[None, 1]", "(32, 1)", "tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x))", "CNN015"),
    ("[None, 10]", "(32, 10)", "tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x))", None),
    ("[None]", "(32,)", "tf.reduce_mean(tf.square(y - x[:, :1]))", "CNN015"),
]


@pytest.mark.parametrize(("labels", "fed", "loss", "expected"), GRAPH_CASES)
def test_graph_static(labels: str, fed: str, loss: str, expected: str | None) -> None:
    found = codes(GRAPH.format(labels=labels, fed=fed, loss=loss))
    assert found == ([expected] if expected else [])


@pytest.mark.tensorflow
@pytest.mark.parametrize(("labels", "fed", "loss", "expected"), GRAPH_CASES)
def test_graph_in_a_tf1_session(tf: Any, labels: str, fed: str, loss: str, expected: str | None) -> None:
    source = GRAPH.format(labels=labels, fed=fed, loss=loss)
    with tf.Graph().as_default():
        try:
            exec(source, {})  # the cases above, not user code
        except (ValueError, tf.errors.InvalidArgumentError):
            assert expected == "CNN013"
            return
    assert expected != "CNN013"


@pytest.mark.tensorflow
def test_unknown_batch_softmax_labels_fail_for_every_batch_but_one_and_the_class_count(tf: Any) -> None:
    ok = []
    for batch in (1, 2, 5, 10, 32):
        with tf.Graph().as_default():
            x = tf.compat.v1.placeholder(tf.float32, [None, 10])
            y = tf.compat.v1.placeholder(tf.float32, [None])
            loss = tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=x)
            with tf.compat.v1.Session() as sess:
                try:
                    sess.run(loss, {x: np.zeros((batch, 10)), y: np.zeros(batch)})
                    ok.append(batch)
                except tf.errors.InvalidArgumentError:
                    pass
    assert ok == [1, 10]


# -- compiled Keras losses that broadcast instead of failing -------------------------------------
KERAS = """\
import numpy as np
from tensorflow import keras
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense({units})])
model.compile("adam", "{loss}")
model.fit(np.zeros((8, 4)), np.zeros({labels}), epochs=1, verbose=0)
"""
KERAS_CASES = [
    (10, "mse", "(8, 1)", "CNN015"),
    (10, "mae", "(8, 1)", "CNN015"),
    (1, "mse", "(8, 10)", "CNN015"),
    (1, "mse", "(8,)", None),
    (10, "mse", "(8, 10)", None),
]


@pytest.mark.parametrize(("units", "loss", "labels", "expected"), KERAS_CASES)
def test_compiled_keras_static(units: int, loss: str, labels: str, expected: str | None) -> None:
    found = codes(KERAS.format(units=units, loss=loss, labels=labels))
    assert found == ([expected] if expected else [])


@pytest.mark.tensorflow
@pytest.mark.parametrize(("units", "loss", "labels", "expected"), KERAS_CASES[:3])
def test_compiled_keras_broadcasts_train_in_keras_3(tf: Any, units: int, loss: str, labels: str,
                                                    expected: str | None) -> None:
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(units)])
    model.compile("adam", loss)
    history = model.fit(np.zeros((8, 4)), np.zeros(eval(labels)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


@pytest.mark.tensorflow
def test_compiled_keras_broadcast_trains_in_tf_keras(tf: Any) -> None:
    tf_keras = pytest.importorskip("tf_keras")
    model = tf_keras.Sequential([tf_keras.Input((4,)), tf_keras.layers.Dense(10)])
    model.compile("adam", "mse")
    history = model.fit(np.zeros((8, 4)), np.zeros((8, 1)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_keras_loss_prefix_is_the_keras_plugins() -> None:
    from cnnlint.frontend.keras.training import LOSS_PREFIX
    from cnnlint.frontend.tensorflow.losses import KERAS_LOSS_PREFIX

    assert KERAS_LOSS_PREFIX == LOSS_PREFIX


# -- code that is right stays quiet ---------------------------------------------------------------
TF1_CLEAN = """\
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 784])
y = tf.placeholder(tf.float32, [None, 10])
labels = tf.placeholder(tf.int64, [None])
target = tf.placeholder(tf.float32, [None, 1])
W = tf.Variable(tf.zeros([784, 10]))
pred = tf.matmul(x, W)
cost = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=y, logits=pred))
sparse = tf.reduce_mean(tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=pred))
hot = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(labels=tf.one_hot(labels, 10), logits=pred))
correct = tf.equal(tf.argmax(pred, 1), tf.argmax(y, 1))
accuracy = tf.reduce_mean(tf.cast(correct, tf.float32))
accuracy2 = tf.reduce_mean(tf.cast(tf.equal(tf.argmax(pred, 1), labels), tf.float32))
value = tf.matmul(x, tf.Variable(tf.zeros([784, 1])))
mse = tf.reduce_mean(tf.square(target - value))
centred = tf.reduce_sum(tf.square(pred - tf.reduce_mean(pred, axis=0)))
tf1 = tf.losses.mean_squared_error(labels=target, predictions=value)
"""


def test_a_correct_tf1_program_has_no_finding() -> None:
    assert codes(TF1_CLEAN) == []


def test_positional_tf_nn_losses_are_not_read() -> None:
    # TF 0.x took (logits, labels) positionally, TF 2 takes (labels, logits): the order is unknown.
    source = _source("tf.nn.sparse_softmax_cross_entropy_with_logits(p, y)", (5, 10), (5,), True)
    assert codes(source) == []


def test_the_classic_regression_bug_is_reported_for_any_batch_of_more_than_one() -> None:
    source = TF1_CLEAN + "y1 = tf.placeholder(tf.float32, [None])\nbad = tf.reduce_mean(tf.square(y1 - value))\n"
    found = lint(source)
    assert [d.code for d in found] == ["CNN015"]
    assert "for any batch of more than one example" in found[0].message
    assert "(None, None)" in found[0].message


# -- the shapes of what these calls return, as TensorFlow gives them -------------------------------
SHAPE_CASES = [
    ("tf.argmax(p, 1)", (5, 10)),
    ("tf.argmax(p)", (5, 10)),
    ("tf.math.argmax(p, axis=-1)", (5, 3, 10)),
    ("tf.equal(tf.argmax(p, 1), tf.argmax(p, 1))", (5, 10)),
    ("tf.nn.softmax_cross_entropy_with_logits(labels=p, logits=p)", (5, 3, 10)),
    ("tf.nn.sigmoid_cross_entropy_with_logits(labels=p, logits=p)", (5, 10)),
    ("tf.nn.sparse_softmax_cross_entropy_with_logits(labels=tf.argmax(p, -1), logits=p)", (5, 3, 10)),
    ("tf.compat.v1.losses.mean_squared_error(p, p)", (5, 10)),
    ("tf.keras.losses.categorical_crossentropy(p, p)", (5, 10)),
    ("tf.keras.losses.CategoricalCrossentropy()(p, p)", (5, 10)),
]


@pytest.mark.tensorflow
@pytest.mark.parametrize(("call", "shape"), SHAPE_CASES)
def test_result_shapes_match_tensorflow(tf: Any, call: str, shape: tuple[int, ...]) -> None:
    source = f"{HEADER}p = np.zeros({shape}, np.float32)\nr = {call}\n"
    ours = shapes_by_label(source)["r"]
    theirs = eval(call, {"tf": tf, "np": np, "p": np.zeros(shape, np.float32)})  # the cases above
    assert ours == ",".join(str(d) for d in theirs.shape)


def test_as_many_regression_labels_as_units_is_not_an_error() -> None:
    # (10,) labels against a (None, 10) output: Keras broadcasts a batch of all 10 and trains.
    source = KERAS.format(units=10, loss="mse", labels="(10,)").replace("np.zeros((8, 4))", "np.zeros((10, 4))")
    assert codes(source) == []


@pytest.mark.tensorflow
def test_as_many_regression_labels_as_units_trains_in_keras_3(tf: Any) -> None:
    keras = pytest.importorskip("keras")
    model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(10)])
    model.compile("adam", "mse")
    history = model.fit(np.zeros((10, 4)), np.zeros((10,)), epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


# -- the same cases under each Keras flavour (tests/differential_oracle.py) -----------------------
def _result_shape(source: str, flavour: str) -> tuple[int | None, ...] | None:
    from cnnlint.frontend import extract
    from tests.differential_oracle import options

    graph = extract(source, "loss.py", options(flavour)).graphs[0]
    nodes = [n for n in graph.nodes if graph.labels.get(n.id) == "loss"]
    if not nodes or nodes[-1].shape is None:
        return None
    return tuple(d.value for d in nodes[-1].shape)


def _keras_loss_broadcasts(tf: Any, call: str, labels: tuple[int, ...], predictions: tuple[int, ...]) -> bool:
    """Whether a `tf.keras.losses` call computed its loss on labels broadcast against the predictions
    (a wrong loss, CNN015): labels of another size than the predictions under a loss that compares
    them element by element, or of the same size where the value differs from that of the labels
    reshaped to the predictions' shape (random values)."""
    if not call.startswith("tf.keras.losses.") or "parse" in call:
        return False  # only Keras's losses; sparse losses take class numbers
    if "ategorical" in call and len(predictions) > 1 and labels[:-1] == predictions[:-1]:
        return False  # categorical: (n, 1) against (n, k) raises or is what the loss reads
    if np.prod(labels) != np.prod(predictions):
        return True
    rng = np.random.default_rng(0)
    y, p = rng.random(labels, np.float32), rng.random(predictions, np.float32)
    as_given = np.asarray(eval(call, {"tf": tf, "np": np, "y": y, "p": p}))  # the cases above
    reshaped = np.asarray(eval(call, {"tf": tf, "np": np, "y": y.reshape(predictions), "p": p}))
    return bool(as_given.shape != reshaped.shape or not np.allclose(as_given, reshaped))


def outcomes(flavour: str, seeds: Sequence[int]) -> list[dict[str, Any]]:
    """Every case above with this process's TensorFlow and Keras, and cnnlint for its target."""
    import tensorflow as tf

    from cnnlint.rules import select_rules
    from cnnlint.runner import check_source
    from tests.differential_oracle import Outcome, options

    rules = select_rules(["CNN"])
    found = []
    for call, labels, predictions, integer, _ in CASES:
        source = _source(call, labels, predictions, integer)
        y = np.zeros(labels, np.int64 if integer else np.float32)
        p = np.zeros(predictions, np.float32)
        try:
            real: tuple[int | None, ...] | None = tuple(
                eval(call, {"tf": tf, "np": np, "y": y, "p": p}).shape)  # the cases above, not user code
            library = f"computes {real}"
        except (ValueError, tf.errors.InvalidArgumentError) as error:
            real, library = None, f"raises {type(error).__name__}"
        broadcasts = real is not None and _keras_loss_broadcasts(tf, call, labels, predictions)
        library += ", broadcasting the labels" if broadcasts else ""
        ours = [d.code for d in check_source(source, "loss.py", rules, options(flavour)).diagnostics]
        shape = _result_shape(source, flavour)
        shapes = None if real is None or shape is None else shape == real
        agree = (real is None) == ("CNN013" in ours)
        if call.startswith("tf.keras.losses.") and real is not None:  # and CNN015 exactly where it broadcasts
            agree = agree and broadcasts == ("CNN015" in ours)
        found.append(Outcome(f"{call.split('(')[0]}-{labels}-{predictions}", shapes, agree, library,
                             f"{', '.join(ours) or 'nothing'}; result {shape}", source))
    keras = tf.keras
    for units, loss, labels_text, _ in KERAS_CASES:
        source = KERAS.format(units=units, loss=loss, labels=labels_text)
        model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(units)])
        model.compile("adam", loss)
        try:
            model.fit(np.zeros((8, 4)), np.zeros(eval(labels_text)), epochs=1, verbose=0)
            library = "trains"
        except (ValueError, tf.errors.InvalidArgumentError) as error:
            library = f"raises {type(error).__name__}"
        ours = [d.code for d in check_source(source, "fit.py", rules, options(flavour)).diagnostics]
        found.append(Outcome(f"compiled-{loss}-{units}-{labels_text}", None,
                             library.startswith("raises") == ("CNN013" in ours), library,
                             ", ".join(ours) or "nothing", source))
    return [o.as_dict() for o in found]


@pytest.fixture(scope="module", params=["keras3", "tf-keras"])
def flavour_outcomes(request: pytest.FixtureRequest) -> tuple[str, list[Any]]:
    pytest.importorskip("tf_keras")
    from tests.differential_oracle import outcomes_in

    return request.param, outcomes_in(request.param, "tests.test_tf_losses:outcomes", [])


@pytest.mark.tensorflow
def test_every_case_agrees_under_both_keras_flavours(flavour_outcomes: tuple[str, list[Any]]) -> None:
    from tests.differential_oracle import disagreements

    _, found = flavour_outcomes
    assert len(found) == len(CASES) + len(KERAS_CASES)
    assert disagreements(found) == []


DIRECT_MSE = """\
import numpy as np
import keras

y = np.zeros((64,), np.float32)
p = np.zeros((64, 1), np.float32)
loss = keras.losses.mean_squared_error(y, p)
"""


@pytest.mark.parametrize(("version", "expected"), [(None, []), ("3", []), ("2.12", ["CNN015"]),
                                                   ("2.2.4", ["CNN015"]), ("1.2.2", ["CNN015"])])
def test_a_loss_function_called_directly_squeezes_in_keras_3_only(version: str | None, expected: list[str]) -> None:
    """keras 2.2.4 `losses.py`: `K.mean(K.square(y_pred - y_true), axis=-1)`; Keras 3 squeezes first."""
    from cnnlint.options import FrontendOptions
    from cnnlint.rules import select_rules
    from cnnlint.runner import check_source
    from cnnlint.targets import KerasTarget, KerasTargets, KerasVersion

    options = FrontendOptions()
    if version is not None:
        parsed = KerasVersion.parse(version)
        assert parsed is not None
        options = FrontendOptions(keras=KerasTargets(keras=KerasTarget(parsed, "test")))
    found = check_source(DIRECT_MSE, "loss.py", select_rules(["CNN"]), options).diagnostics
    assert [d.code for d in found] == expected
    assert all("(64, 64) difference" in d.message and d.loc.line == 6 for d in found)
