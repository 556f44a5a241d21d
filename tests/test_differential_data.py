"""CNN012 / CNN013 against Keras itself: seeded (model, data, labels, loss) combinations.

Each case is written as source code and checked statically; the same model is built in Keras
and fitted on zero arrays of the same shapes (batches of 4). cnnlint must report a finding
exactly when Keras refuses the data. Keras's verdict, not a rule of thumb, is the oracle; what
Keras accepts silently (e.g. `(n, 1)` labels broadcast against a `(None, 3)` output under `mse`)
is not reported.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

pytest.importorskip("tensorflow")
pytestmark = pytest.mark.tensorflow

import numpy as np  # noqa: E402

from cnnlint.rules import select_rules  # noqa: E402
from cnnlint.runner import check_source  # noqa: E402

CASES = 120
N = 8
LOSSES = ("categorical_crossentropy", "sparse_categorical_crossentropy", "binary_crossentropy", "mse", "mae")
SPELLINGS = {
    "categorical_crossentropy": ("'categorical_crossentropy'", "keras.losses.CategoricalCrossentropy()",
                                 "keras.losses.categorical_crossentropy"),
    "sparse_categorical_crossentropy": ("'sparse_categorical_crossentropy'",
                                        "keras.losses.SparseCategoricalCrossentropy()"),
    "binary_crossentropy": ("'binary_crossentropy'", "keras.losses.BinaryCrossentropy()"),
    "mse": ("'mse'", "'mean_squared_error'", "keras.losses.MeanSquaredError()"),
    "mae": ("'mae'", "keras.losses.MeanAbsoluteError()"),
}


@dataclass(frozen=True)
class Case:
    input_shape: tuple[int, ...]
    conv: bool
    units: int
    data: tuple[int, ...]
    labels: tuple[int, ...]
    loss: str
    spelling: str
    functional: bool

    def source(self) -> str:
        body = ["layers.Conv2D(2, 3)", "layers.Flatten()"] if self.conv else ["layers.Flatten()"]
        lines = ["import numpy as np", "from tensorflow import keras", "from tensorflow.keras import layers"]
        if self.functional:
            lines += [f"inputs = keras.Input(shape={self.input_shape})", "x = inputs"]
            lines += [f"x = {layer}(x)" for layer in body]
            lines += [f"outputs = layers.Dense({self.units})(x)", "model = keras.Model(inputs, outputs)"]
        else:
            lines.append(f"model = keras.Sequential([keras.Input(shape={self.input_shape}), {', '.join(body)}, "
                         f"layers.Dense({self.units})])")
        lines += [f"model.compile(optimizer='sgd', loss={self.spelling})",
                  f"x_train = np.zeros({self.data})", f"y_train = np.zeros({self.labels})",
                  "model.fit(x_train, y_train, epochs=1, batch_size=4)"]
        return "\n".join(lines) + "\n"


def generate(seed: int) -> Case:
    rng = random.Random(seed)
    conv = rng.random() < 0.5
    base = (6, 6, rng.choice([1, 3])) if conv else (rng.choice([4, 6]),)
    data = (N, *base)
    change = rng.random()
    if change < 0.15 and base[-1] == 1:
        data = data[:-1]  # no channel axis: Keras adds it
    elif change < 0.25:
        data = (N, *base[:-1])  # no last axis
    elif change < 0.35:
        data = (N, *base, 1)
    elif change < 0.45:
        data = (N, *(d + 1 for d in base))
    elif change < 0.5:
        data = (N, int(np.prod(base)))
    units = rng.choice([1, 3, 10])
    loss = rng.choice(LOSSES)
    labels_kind = rng.random()
    if labels_kind < 0.3:
        labels: tuple[int, ...] = (N,)
    elif labels_kind < 0.5:
        labels = (N, 1)
    elif labels_kind < 0.8:
        labels = (N, units)
    elif labels_kind < 0.9:
        labels = (N, rng.choice([2, 5]))
    else:
        labels = (N - 2,)
    return Case(base, conv, units, data, labels, loss, rng.choice(SPELLINGS[loss]), rng.random() < 0.3)


def keras_fails(case: Case) -> bool:
    import keras
    from keras import layers

    def body(x: object) -> object:
        if case.conv:
            x = layers.Conv2D(2, 3)(x)
        return layers.Dense(case.units)(layers.Flatten()(x))

    inputs = keras.Input(shape=case.input_shape)
    model = keras.Model(inputs, body(inputs))
    loss = {"mse": "mean_squared_error", "mae": "mean_absolute_error"}.get(case.loss, case.loss)
    model.compile(optimizer="sgd", loss=loss)
    x, y = np.zeros(case.data, "float32"), np.zeros(case.labels, "float32")
    try:
        model.fit(x, y, epochs=1, batch_size=4, verbose=0)
    except ValueError:  # Keras's refusal, at the first batch
        return True
    return False


def cnnlint_flags(case: Case) -> bool:
    found = check_source(case.source(), "case.py", select_rules(["CNN012", "CNN013"])).diagnostics
    return bool(found)


@pytest.fixture(scope="module")
def verdicts() -> list[tuple[Case, bool, bool]]:
    cases = [generate(seed) for seed in range(CASES)]
    return [(case, keras_fails(case), cnnlint_flags(case)) for case in cases]


def test_cnnlint_agrees_with_keras_on_every_generated_case(verdicts: list[tuple[Case, bool, bool]]) -> None:
    disagreements = [(c.source(), keras, ours) for c, keras, ours in verdicts if keras != ours]
    assert disagreements == []


def test_the_generated_cases_cover_both_verdicts_and_every_loss(verdicts: list[tuple[Case, bool, bool]]) -> None:
    assert sum(k for _, k, _ in verdicts) >= 20 and sum(not k for _, k, _ in verdicts) >= 20
    assert {c.loss for c, _, _ in verdicts} == set(LOSSES)


# -- feed_dict (CNN014) against a TF1 session ---------------------------------------------------
FEEDS = 60


def feed_case(seed: int) -> tuple[tuple[int | None, ...], tuple[int, ...]]:
    rng = random.Random(seed)
    placeholder = tuple(rng.choice([None, 2, 3, 4]) if i == 0 else rng.choice([None, 3, 4, 12])
                        for i in range(rng.randint(1, 3)))
    value = tuple(d if d is not None else rng.choice([2, 3]) for d in placeholder)
    change = rng.random()
    if change < 0.25:
        value = (*value, 1)
    elif change < 0.4 and len(value) > 1:
        value = value[:-1]
    elif change < 0.6:
        value = tuple(d + 1 if i == len(value) - 1 else d for i, d in enumerate(value))
    return placeholder, value


def feed_source(placeholder: tuple[int | None, ...], value: tuple[int, ...]) -> str:
    return ("import numpy as np\nimport tensorflow.compat.v1 as tf\ntf.disable_v2_behavior()\n"
            f"x = tf.placeholder(tf.float32, {list(placeholder)})\ny = tf.reduce_sum(x)\n"
            f"with tf.Session() as sess:\n    sess.run(y, feed_dict={{x: np.zeros({value})}})\n")


def tensorflow_refuses(placeholder: tuple[int | None, ...], value: tuple[int, ...]) -> bool:
    import tensorflow as tf

    graph = tf.Graph()
    with graph.as_default():
        x = tf.compat.v1.placeholder(tf.float32, list(placeholder))
        y = tf.reduce_sum(x)
        with tf.compat.v1.Session(graph=graph) as sess:
            try:
                sess.run(y, feed_dict={x: np.zeros(value)})
            except ValueError:
                return True
    return False


def test_cnnlint_agrees_with_tensorflow_on_every_generated_feed() -> None:
    verdicts = []
    for seed in range(FEEDS):
        placeholder, value = feed_case(seed)
        source = feed_source(placeholder, value)
        ours = bool(check_source(source, "feed.py", select_rules(["CNN014"])).diagnostics)
        verdicts.append((placeholder, value, tensorflow_refuses(placeholder, value), ours))
    assert [v for v in verdicts if v[2] != v[3]] == []
    assert sum(v[2] for v in verdicts) >= 15 and sum(not v[2] for v in verdicts) >= 15
