"""False findings once seen on real code, each with what TensorFlow / Keras really do with it.

Every program here is a pattern found in public repositories or Q&A (rewritten in our own
words). The static expectation is checked against cnnlint, and the program itself is run in
TensorFlow 2.21 / Keras 3 in one subprocess (these are our own test programs, never user code),
so that "this code is valid" is a fact of the libraries, not of our reading of them.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from typing import Any

import pytest

from cnnlint.rules import select_rules
from cnnlint.runner import check_source

RULES = select_rules(["CNN"])


@dataclass(frozen=True)
class Program:
    name: str
    code: str
    codes: tuple[str, ...]  # what cnnlint reports on it
    # What running it must show: the repr of `result` (an expression evaluated after the code).
    result: str
    expected: Any
    argv: tuple[str, ...] = ("prog", "1")


PROGRAMS = [
    Program("tf_keras_positional_strides", """
        import tensorflow as tf
        inputs = tf.keras.Input(shape=(32, 32, 3))
        x = tf.keras.layers.Conv2D(64, 3, 2, padding="same")(inputs)   # kernel 3, strides 2
        x = tf.keras.layers.Reshape((16 * 16 * 64,))(x)
        model = tf.keras.Model(inputs, x)
    """, (), "model.output_shape", [None, 16384]),
    Program("plain_keras_positional_strides", """
        from keras.layers import Conv2D, Input, Reshape
        from keras.models import Model
        inputs = Input(shape=(32, 32, 3))
        x = Conv2D(64, 3, 2, padding="same")(inputs)
        x = Reshape((16 * 16 * 64,))(x)
        model = Model(inputs, x)
    """, ("CNN016",), "model.output_shape", [None, 16384]),
    Program("sequential_added_in_an_unknown_loop", """
        import sys
        import tensorflow as tf
        n_blocks = int(sys.argv[1])          # 1 when run
        def make_block(n):
            block = tf.keras.Sequential()
            for i in range(n):
                block.add(tf.keras.layers.Conv2D(64, 3, strides=2, padding="same"))
            return block
        inputs = tf.keras.Input(shape=(32, 32, 3))
        x = make_block(n_blocks)(inputs)
        x = tf.keras.layers.Reshape((16 * 16 * 64,))(x)
        model = tf.keras.Model(inputs, x)
    """, (), "model.output_shape", [None, 16384]),
    Program("sequential_from_a_list_built_in_an_unknown_loop", """
        import sys
        import tensorflow as tf
        layers = []
        for i in range(int(sys.argv[1])):
            layers.append(tf.keras.layers.Conv2D(64, 3, strides=2, padding="same"))
        block = tf.keras.Sequential(layers)
        inputs = tf.keras.Input(shape=(32, 32, 3))
        x = tf.keras.layers.Reshape((16 * 16 * 64,))(block(inputs))
        model = tf.keras.Model(inputs, x)
    """, (), "model.output_shape", [None, 16384]),
    Program("sequential_added_to_on_one_branch", """
        import sys
        import tensorflow as tf
        block = tf.keras.Sequential()
        if len(sys.argv) > 1:
            block.add(tf.keras.layers.Conv2D(64, 3, strides=2, padding="same"))
        inputs = tf.keras.Input(shape=(32, 32, 3))
        x = tf.keras.layers.Reshape((16 * 16 * 64,))(block(inputs))
        model = tf.keras.Model(inputs, x)
    """, (), "model.output_shape", [None, 16384]),
    Program("alias_of_a_list_appended_in_a_loop", """
        import sys
        import tensorflow as tf
        class Config:
            pass
        cfg = Config()
        cfg.layers = []
        for i in range(int(sys.argv[1])):
            cfg.layers.append(tf.keras.layers.Conv2D(64, 3, strides=2, padding="same"))
        inputs = tf.keras.Input(shape=(32, 32, 3))
        x = tf.keras.layers.Reshape((16 * 16 * 64,))(tf.keras.Sequential(cfg.layers)(inputs))
        model = tf.keras.Model(inputs, x)
    """, (), "model.output_shape", [None, 16384]),
    Program("subclassed_blocks_in_a_sequential", """
        import tensorflow as tf
        class Block(tf.keras.layers.Layer):
            def __init__(self, filters):
                super().__init__()
                self.conv = tf.keras.layers.Conv2D(filters, 3, padding="same")
            def call(self, x):
                return tf.nn.relu(self.conv(x))
        class Net(tf.keras.Model):
            def __init__(self):
                super().__init__()
                self.blocks = tf.keras.Sequential()
                for _ in range(3):
                    self.blocks.add(Block(32))
                self.pool = tf.keras.layers.GlobalAveragePooling2D()
                self.head = tf.keras.layers.Dense(10)
            def call(self, x):
                return self.head(self.pool(self.blocks(x)))
        net = Net()
        out = net(tf.zeros((2, 8, 8, 3)))
    """, (), "net.count_params()", 3 * 3 * 3 * 32 + 32 + 2 * (3 * 3 * 32 * 32 + 32) + 32 * 10 + 10),
    Program("lazy_sequential_whose_first_layer_is_subclassed_waits_for_build", """
        import tensorflow as tf
        class Projection(tf.keras.layers.Layer):
            def call(self, inputs):
                return tf.matmul(inputs, tf.zeros((2, 3)))
        model = tf.keras.Sequential([Projection(), tf.keras.layers.Dense(4), tf.keras.layers.Dense(1)])
        model.build(input_shape=(None, 2))
    """, (), "[model.output_shape, model.count_params()]", [[None, 1], 21]),
    Program("lazy_sequential_ignores_input_shape_on_a_later_layer", """
        import numpy as np
        from keras.models import Sequential
        from keras.layers import Conv2D, Flatten, Reshape, TimeDistributed, LSTM, Dense
        cnn = Sequential()
        cnn.add(Conv2D(16, (3, 3), activation="relu", input_shape=(48, 48, 1)))
        cnn.add(Flatten())
        model = Sequential()
        model.add(Reshape((1, 48, 48, 1)))
        model.add(TimeDistributed(cnn, input_shape=(1, 48, 48, 1)))
        model.add(LSTM(8))
        model.add(Dense(1, activation="sigmoid"))
        model.compile(loss="binary_crossentropy", optimizer="adam")
        history = model.fit(np.random.rand(8, 48, 48, 1), np.random.rand(8), epochs=1, verbose=0)
    """, (), "model.input_shape", [None, 48, 48, 1]),
    # A DeconvNet's unpooling (sjchoi86/Tensorflow-101 semseg): every value its own row, then a
    # matmul doubles it; rows of 1 value cut no axis apart.
    Program("unpooling_rows_of_one_value", """
        import tensorflow as tf
        x = tf.zeros([2, 64, 8, 8])
        rows = tf.reshape(x, [-1, 1])
        doubled = tf.matmul(rows, tf.ones([1, 2]))
        result = tf.reshape(doubled, [-1, 64, 8, 16])
    """, (), "result.shape.as_list()", [2, 64, 8, 16]),
]


@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
def test_cnnlint_reports_only_what_the_code_makes_certain(program: Program) -> None:
    result = check_source(textwrap.dedent(program.code), f"{program.name}.py", RULES)
    assert result.error is None
    assert tuple(d.code for d in result.diagnostics) == program.codes, [d.message for d in result.diagnostics]


_RUNNER = """
import json, os, sys, traceback
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
programs = json.loads(sys.stdin.read())
out = {}
for name, code, result, argv in programs:
    sys.argv = list(argv)
    namespace = {"__name__": "__main__"}
    try:
        exec(compile(code, name, "exec"), namespace)
        value = eval(result, namespace)
        out[name] = {"value": json.loads(json.dumps(value, default=list))}
    except Exception as error:
        out[name] = {"error": f"{type(error).__name__}: {error}"}
print("RESULTS" + json.dumps(out))
"""


@pytest.fixture(scope="module")
def ran() -> dict[str, Any]:
    payload = json.dumps([(p.name, textwrap.dedent(p.code), p.result, p.argv) for p in PROGRAMS])
    done = subprocess.run([sys.executable, "-c", _RUNNER], input=payload, capture_output=True, text=True,
                          timeout=600, env={**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3"})
    line = next((x for x in done.stdout.splitlines() if x.startswith("RESULTS")), None)
    assert line is not None, done.stderr[-3000:]
    results: dict[str, Any] = json.loads(line[len("RESULTS"):])
    return results


@pytest.mark.tensorflow
@pytest.mark.parametrize("program", PROGRAMS, ids=lambda p: p.name)
def test_the_program_runs_in_tensorflow_as_stated(program: Program, ran: dict[str, Any]) -> None:
    assert ran[program.name] == {"value": program.expected}


def test_a_lazy_sequential_starting_with_a_subclassed_layer_is_built_by_build(tmp_path: Any) -> None:
    from click.testing import CliRunner

    from cnnlint.cli import main

    program = next(p for p in PROGRAMS if p.name.startswith("lazy_sequential_whose_first"))
    path = tmp_path / "lazy.py"
    path.write_text(textwrap.dedent(program.code))
    model = json.loads(CliRunner().invoke(main, ["shapes", "--format", "json", str(path)]).stdout)["models"][0]
    assert [model["layers"][-1]["output"], model["total_params"]] == program.expected


def test_the_subclassed_blocks_are_counted_as_keras_counts_them(tmp_path: Any) -> None:
    from click.testing import CliRunner

    from cnnlint.cli import main

    program = next(p for p in PROGRAMS if p.name == "subclassed_blocks_in_a_sequential")
    path = tmp_path / "net.py"
    path.write_text(textwrap.dedent(program.code))
    models = json.loads(CliRunner().invoke(main, ["shapes", "--format", "json", str(path)]).stdout)["models"]
    assert {m["name"]: m["total_params"] for m in models}["net"] == program.expected
