"""CNN207 (TF2's `tf.nn.dropout` given a keep probability as its rate): each buggy fixture is
reported and its clean twin is not; TF1 spellings and unknown versions stay quiet; where
TensorFlow is installed, the buggy dropout zeroes most activations and the clean twin few."""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pytest

from cnnlint.options import FrontendOptions
from cnnlint.rules import select_rules
from cnnlint.runner import check_source
from cnnlint.targets import KerasTargets, KerasVersion

TF2 = FrontendOptions(keras=KerasTargets(tensorflow=KerasVersion(2, 15, 0)))
TF1 = FrontendOptions(keras=KerasTargets(tensorflow=KerasVersion(1, 15, 0)))

PRELUDE = """\
import numpy as np
import tensorflow as tf
from tensorflow import keras
from tensorflow.keras import layers
x = tf.ones([64, 100])
"""


def found(body: str, options: FrontendOptions | None = None) -> list[tuple[str, str]]:
    rules = select_rules(["CNN2"])
    result = check_source(PRELUDE + textwrap.dedent(body), "snippet.py", rules, options)
    return [(d.code, d.severity) for d in result.diagnostics]


# (buggy, clean): reported under a TensorFlow 2 pin
TF2_FIXTURES = {
    "raw-positional": ("h = tf.nn.dropout(x, 0.9, seed=1)\n", "h = tf.nn.dropout(x, 0.1, seed=1)\n"),
    "raw-keep-name": ("keep_prob = 0.9\nh = tf.nn.dropout(x, rate=keep_prob, seed=1)\n",
                      "keep_prob = 0.9\nh = tf.nn.dropout(x, rate=1 - keep_prob, seed=1)\n"),
    "subclassed": ("""\
        class Net(keras.Model):
            def __init__(self):
                super().__init__()
                self.hidden = layers.Dense(100, activation="relu", kernel_initializer="ones")

            def call(self, inputs):
                return tf.nn.dropout(self.hidden(inputs), 0.9, seed=1)


        model = Net()
        h = model(x)
        """, None),
    "functional-lambda": ("""\
        inp = keras.Input(shape=(100,))
        out = layers.Lambda(lambda t: tf.nn.dropout(t, 0.8, seed=1))(layers.Dense(100, kernel_initializer="ones")(inp))
        model = keras.Model(inp, out)
        h = model(x)
        """, None),
}


def clean(name: str) -> str:
    buggy, fixed = TF2_FIXTURES[name]
    return fixed if fixed is not None else buggy.replace(", 0.9, seed", ", 0.1, seed").replace(", 0.8, seed", ", 0.2, seed")


@pytest.mark.parametrize("name", list(TF2_FIXTURES))
def test_tf2_keep_probability_as_rate_warned(name: str) -> None:
    buggy = TF2_FIXTURES[name][0]
    assert found(buggy, TF2) == [("CNN207", "warning")]
    assert found(clean(name), TF2) == []


def test_the_rate_keyword_named_keep_is_warned_in_any_version() -> None:
    body = "keep_prob = 0.5\nh = tf.nn.dropout(x, rate=keep_prob)\n"
    assert found(body) == found(body, TF1) == [("CNN207", "warning")]
    assert found("h = tf.nn.dropout(x, rate=self_keep)\n".replace("self_keep", "dropout_keep_prob"), TF1) == [
        ("CNN207", "warning")]


@pytest.mark.parametrize("body", [
    "h = tf.nn.dropout(x, 0.9)\n",  # TensorFlow version unknown: may be TF1's keep_prob
    "keep_prob = 0.9\nh = tf.nn.dropout(x, keep_prob)\n",
    "h = tf.nn.dropout(x, keep_prob=0.9)\n",  # TF1's keyword
    "h = tf.nn.dropout(x, 1.0)\n", "h = tf.nn.dropout(x, 0)\n",  # keep all (TF1) / drop none (TF2)
    "h = tf.nn.dropout(x, rate=0.9)\n",  # a rate said to be a rate
    "h = tf.nn.dropout(x, rate=drop)\n", "h = tf.nn.dropout(x, p)\n",
])
def test_unknown_version_and_tf1_spellings_are_quiet(body: str) -> None:
    assert found(body) == []


@pytest.mark.parametrize("body", [
    "h = tf.compat.v1.nn.dropout(x, 0.9)\n", "h = tf.compat.v1.nn.dropout(x, keep_prob=0.9)\n",
    "h = tf.nn.dropout(x, 0.5)\n", "h = tf.nn.dropout(x, 0.2)\n", "h = tf.nn.dropout(x, rate=0.7)\n",
    "h = tf.nn.dropout(x, 1 - keep_prob)\n",
])
def test_tf2_quiet_cases(body: str) -> None:
    assert found(body, TF2) == []


def test_tf1_pin_reads_the_second_argument_as_keep_prob() -> None:
    assert found("h = tf.nn.dropout(x, 0.9)\n", TF1) == []
    assert found("h = tf.nn.dropout(x, 0.9)\n", TF2) == [("CNN207", "warning")]
    assert found("import tensorflow.compat.v2 as tf2\nh = tf2.nn.dropout(x, 0.9)\n") == [("CNN207", "warning")]


@pytest.mark.parametrize(("body", "options"), [
    ("h = tf.nn.dropout(x, rate=1.0)\n", None), ("h = tf.nn.dropout(x, rate=-0.1)\n", TF1),
    ("h = tf.nn.dropout(x, 1.0)\n", TF2), ("h = tf.nn.dropout(x, 1.5)\n", None),
    ("h = tf.nn.dropout(x, -0.5)\n", TF1), ("r = 2\nh = tf.nn.dropout(x, rate=r)\n", None),
])
def test_a_rate_tensorflow_refuses_is_an_error(body: str, options: FrontendOptions | None) -> None:
    assert found(body, options) == [("CNN207", "error")]


def test_the_warning_says_it_is_a_likely_mix_up_and_the_fix() -> None:
    rules = select_rules(["CNN207"])
    (one,) = check_source(PRELUDE + "h = tf.nn.dropout(x, 0.9)\n", "s.py", rules, TF2).diagnostics
    assert "likely" in one.message and "90%" in one.message and "rate=0.1" in one.message


# -- consequences, run in TensorFlow ---------------------------------------------------------------
def zeroed(body: str) -> float:
    pytest.importorskip("tensorflow")
    scope: dict[str, Any] = {}
    exec(compile(PRELUDE + textwrap.dedent(body), "fixture.py", "exec"), scope)
    return float(np.mean(np.asarray(scope["h"]) == 0.0))


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", list(TF2_FIXTURES))
def test_the_buggy_dropout_zeroes_most_activations(name: str) -> None:
    assert zeroed(TF2_FIXTURES[name][0]) > 0.7
    assert zeroed(clean(name)) < 0.3
