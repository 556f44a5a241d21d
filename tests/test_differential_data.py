"""CNN012 / CNN013 against Keras itself: seeded (model, data, labels, loss) combinations.

Each case is written as source code and checked statically; the same model is built in Keras
and fitted on zero arrays of the same shapes (batches of 4). cnnlint must report a finding
exactly when Keras refuses the data. Keras's verdict, not a rule of thumb, is the oracle; what
Keras accepts silently (e.g. `(n, 1)` labels broadcast against a `(None, 3)` output under `mse`)
is not reported. The oracle is Keras 3 (in this process) and tf-keras, late Keras 2 (a subprocess,
`tests/differential_oracle.py`); cnnlint reads the code for the matching target.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import pytest

pytest.importorskip("tensorflow")
pytestmark = pytest.mark.tensorflow

import numpy as np  # noqa: E402

from cnnlint.options import FrontendOptions  # noqa: E402
from cnnlint.rules import select_rules  # noqa: E402
from cnnlint.runner import check_source  # noqa: E402
from tests.differential_oracle import Outcome, disagreements, options, outcomes_in  # noqa: E402

CASES = 120
TF_KERAS_CASES = 48
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


def keras_refusal(case: Case) -> str | None:
    """Keras's error at `fit`, or None when it trains."""
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
    except ValueError as error:  # Keras's refusal, at the first batch
        return f"ValueError: {_last_line(error)}"
    except Exception as error:  # tf-keras: a shape check inside the graph (InvalidArgumentError)
        if type(error).__name__ != "InvalidArgumentError":
            raise
        return f"InvalidArgumentError: {_last_line(error)}"
    return None


def _last_line(error: Exception) -> str:
    """The message of an error raised inside a traced `fit` (its first lines are the trace)."""
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def keras_fails(case: Case) -> bool:
    return keras_refusal(case) is not None


def cnnlint_findings(case: Case, opts: FrontendOptions | None = None) -> list[str]:
    found = check_source(case.source(), "case.py", select_rules(["CNN012", "CNN013", "CNN015"]), opts).diagnostics
    return [f"{d.code} line {d.loc.line}" for d in found]


def cnnlint_flags(case: Case, opts: FrontendOptions | None = None) -> bool:
    """Whether cnnlint says Keras refuses the case (CNN015 says it trains, on a wrong loss)."""
    return any(not f.startswith("CNN015") for f in cnnlint_findings(case, opts))


def outcomes(flavour: str, seeds: Sequence[int]) -> list[dict[str, Any]]:
    """The oracle side: run in a process of `flavour` (tests/differential_oracle.py)."""
    import keras

    found = []
    for seed in seeds:
        case = generate(seed)
        refusal = keras_refusal(case)
        keras.backend.clear_session()
        ours = cnnlint_findings(case, options(flavour))
        # CNN015 says the program trains, on a wrong loss: a finding that predicts no refusal.
        refusing = [o for o in ours if not o.startswith("CNN015")]
        found.append(Outcome(f"data-{seed}", None, (refusal is not None) == bool(refusing),
                             f"raises {refusal}" if refusal else "trains", ", ".join(ours) or "nothing",
                             case.source(), "").as_dict())
    return found


# tf-keras's `compile_utils.match_dtype_and_rank` expands `(n,)` labels to `(n, 1)` against a rank-2
# output, and its element-wise losses then broadcast `(n, 1)` (or an output `(None, 1)`) against
# the other side: training runs on a wrong loss where Keras 3 raises (`Dimensions must be equal`,
# `target and output must have the same shape`). Under a late Keras 2 target cnnlint says so
# (CNN015, `Feed.labels_broadcast`); under Keras 3, CNN013.


@pytest.fixture(scope="module")
def verdicts() -> list[tuple[Case, bool, bool]]:
    cases = [generate(seed) for seed in range(CASES)]
    return [(case, keras_fails(case), cnnlint_flags(case, options("keras3"))) for case in cases]


def test_cnnlint_agrees_with_keras_on_every_generated_case(verdicts: list[tuple[Case, bool, bool]]) -> None:
    disagreements = [(c.source(), keras, ours) for c, keras, ours in verdicts if keras != ours]
    assert disagreements == []


def test_the_generated_cases_cover_both_verdicts_and_every_loss(verdicts: list[tuple[Case, bool, bool]]) -> None:
    assert sum(k for _, k, _ in verdicts) >= 20 and sum(not k for _, k, _ in verdicts) >= 20
    assert {c.loss for c, _, _ in verdicts} == set(LOSSES)


def test_the_default_target_gives_the_keras_3_verdicts(verdicts: list[tuple[Case, bool, bool]]) -> None:
    """No `keras-version` and no pins (the default) reports what `--keras-version 3` reports."""
    assert [c for c, _, ours in verdicts[::4] if cnnlint_flags(c) != ours] == []


@pytest.fixture(scope="module")
def tf_keras_outcomes() -> list[Outcome]:
    pytest.importorskip("tf_keras")
    return outcomes_in("tf-keras", "tests.test_differential_data:outcomes", range(TF_KERAS_CASES))


def test_cnnlint_agrees_with_tf_keras_on_every_generated_case(tf_keras_outcomes: list[Outcome]) -> None:
    assert len(tf_keras_outcomes) == TF_KERAS_CASES
    assert disagreements(tf_keras_outcomes) == []


def test_tf_keras_broadcasting_labels_are_silent_broadcasts_there(tf_keras_outcomes: list[Outcome]) -> None:
    """The cases tf-keras trains on a broadcast loss are CNN015 warnings under its target, not
    refusals; both verdicts are well represented."""
    broadcast = [o for o in tf_keras_outcomes if o.library == "trains" and "CNN015" in o.cnnlint]
    assert broadcast and all(o.findings for o in broadcast)
    refused = sum(o.library.startswith("raises") for o in tf_keras_outcomes)
    assert refused >= 8 and TF_KERAS_CASES - refused >= 8


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
