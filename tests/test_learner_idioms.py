"""Python and library idioms of learners' code found through the realworld corpus and the ISSTA 2018
bugs (issue 14): each either makes a shape known or keeps a finding away from valid code."""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest

from cnnlint.frontend.names import canonical
from tests.conftest import lint


def found(code: str) -> list[tuple[str, int]]:
    return sorted((d.code, d.loc.line) for d in lint(textwrap.dedent(code)))


def test_a_feed_dict_passed_by_position_is_checked() -> None:
    code = """
    import numpy as np
    import tensorflow.compat.v1 as tf
    x = tf.placeholder(tf.float32, [None, 15])
    y = tf.reduce_sum(x)
    with tf.Session() as sess:
        feed = {x: np.zeros((500, 225))}
        sess.run(y, feed)
        sess.run(y, {x: np.zeros((500, 15))})
    """
    assert found(code) == [("CNN014", 8)]


def test_tf_contrib_keras_is_keras() -> None:
    assert canonical("tensorflow.contrib.keras.api.keras.layers.Conv2D") == "keras.layers.Conv2D"
    assert canonical("tensorflow.contrib.keras.python.keras.layers.Dense") == "keras.layers.Dense"
    assert canonical("tensorflow.contrib.keras.layers.Flatten") == "keras.layers.Flatten"


def test_contrib_conv2d_on_a_rank_3_input_is_not_a_rank_error() -> None:
    """TF 1.0-1.4's `tf.contrib.layers.conv2d` was the N-d `convolution`: a 1-D conv ran."""
    code = """
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 32, 1])
    y = tf.contrib.layers.conv2d(x, 2, 4, stride=1)
    """
    assert found(code) == []


def test_a_list_compared_with_none_is_false_and_a_substring_is_found() -> None:
    code = """
    import numpy as np
    from tensorflow import keras
    shape = [3, None]
    if shape == None:
        shape = [1]
    name = "feature_3"
    size = 28 if "feature" in name else 32
    model = keras.Sequential([keras.Input((size, size, len(shape))), keras.layers.Flatten(), keras.layers.Dense(2)])
    model.predict(np.zeros((4, 28, 28, 3)))
    """
    assert found(code) == [("CNN012", 10)]


def test_a_comparison_of_values_that_are_not_tensors_is_not_an_internal_error() -> None:
    code = """
    import tensorflow as tf
    y = tf.placeholder(tf.float32, [4, 1])
    z = tf.equal(tf.greater(y, 0.5), tf.greater(y, 0.5))
    """
    assert [d.code for d in lint(textwrap.dedent(code))] == []


def test_iter_and_next_give_an_item() -> None:
    code = """
    import numpy as np
    import tensorflow as tf
    from tensorflow import keras
    model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10)])
    ds = tf.data.Dataset.from_tensor_slices(np.zeros((100, 28, 28, 1))).batch(8)
    batch = next(iter(ds))
    model.predict(batch)
    rows = iter([np.zeros((2, 32, 32, 3)), np.zeros((2, 32, 32, 3))])
    model.predict(next(rows))
    """
    assert found(code) == [("CNN012", 8)]


def test_with_binds_what_enter_gives() -> None:
    code = """
    import numpy as np
    from PIL import Image
    from tensorflow import keras
    model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
    with Image.open("digit.png") as img:
        pixels = np.array(img.convert("RGB").resize((28, 28)))
    model.predict(pixels[None])
    with open("x") as fh:
        model.predict(fh)
    """
    assert found(code) == [("CNN012", 8)]


def test_len_asks_the_value_before_iterating_it() -> None:
    code = """
    import numpy as np
    import pandas as pd
    from tensorflow import keras
    df = pd.DataFrame({"a": [1, 2, 3], "b": [4, 5, 6]})
    model = keras.Sequential([keras.Input((2,)), keras.layers.Dense(1)])
    model.compile(loss="mse")
    model.fit(np.zeros((len(df), 2)), np.zeros((len(df), 1)))
    model.fit(np.zeros((len(df), 2)), np.zeros((4, 1)))
    """
    assert found(code) == [("CNN013", 9)]


def test_a_python_list_fed_to_a_placeholder_is_checked_as_the_array_it_makes() -> None:
    code = """
    import tensorflow.compat.v1 as tf
    y = tf.placeholder(tf.float32, [None, 2])
    loss = tf.reduce_sum(y)
    with tf.Session() as sess:
        sess.run(loss, feed_dict={y: [1.0, 0.0, 1.0]})
        sess.run(loss, feed_dict={y: [[1.0, 0.0], [0.0, 1.0]]})
    """
    assert found(code) == [("CNN014", 6)]


def test_a_generator_function_yields_batches_that_fit_checks() -> None:
    code = """
    import numpy as np
    from tensorflow import keras
    model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(1)])
    model.compile(loss="mse")
    seen = []
    def batches(size):
        while True:
            seen.append(size)
            yield np.random.rand(size, 32, 32, 3), np.zeros((size, 1))
    def rows():
        for i in range(int(input())):
            yield np.random.rand(32, 32, 3), np.zeros((1,))
    def grey():
        yield from [np.zeros((8, 32, 32, 1))]
    model.fit(batches(16), steps_per_epoch=2)
    model.fit(rows(), steps_per_epoch=2)
    x, y = next(batches(4))
    model.predict(x)
    model.predict(next(grey()))
    assert_nothing_ran = len(seen)
    """
    assert found(code) == [("CNN012", 17), ("CNN012", 20)]


def test_a_notebook_cell_that_does_not_parse_leaves_what_it_touches_unknown() -> None:
    """A cell indented by mistake (IPython 9 refuses it, as an older IPython did not) may add the
    `Flatten` a later cell needs: nothing after it may depend on the cell having done nothing."""
    import json

    from cnnlint.rules import select_rules
    from cnnlint.runner import check_bytes

    cells = [
        "import numpy as np\nfrom tensorflow import keras\n"
        "model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Conv2D(8, 3)])",
        "    model.add(keras.layers.Flatten())\n    \nprint(model)",
        "model.add(keras.layers.Dense(10, activation='softmax'))\n"
        "model.compile(loss='sparse_categorical_crossentropy')\n"
        "model.fit(np.zeros((8, 28, 28, 1)), np.zeros((8,)))",
        "x = np.zeros((4, 5))\nx.reshape(3, 3)",
    ]
    notebook = {"cells": [{"cell_type": "code", "source": c, "metadata": {}, "outputs": []} for c in cells],
                "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    result = check_bytes("nb.ipynb", json.dumps(notebook).encode(), select_rules(["CNN"]))
    assert sorted(d.code for d in result.diagnostics) == ["CNN000", "CNN004"]


def test_a_reshape_to_a_stated_shape_fed_in_tf1_is_checked_against_that_shape() -> None:
    """TF1 feeds any tensor; TensorFlow checks the value against the tensor's static shape."""
    code = """
    import numpy as np
    import tensorflow.compat.v1 as tf
    x = tf.placeholder(tf.float32, [None, 784])
    x = tf.reshape(x, [-1, 28, 28, 1])
    y = tf.reduce_sum(x)
    h = tf.reshape(tf.placeholder(tf.float32, [None, 4]), [1, 8])
    with tf.Session() as sess:
        sess.run(y, feed_dict={x: np.zeros((5, 784))})
        sess.run(y, feed_dict={x: np.zeros((5, 28, 28, 1))})
        sess.run(h, feed_dict={h: np.zeros((2, 8))})
    """
    assert found(code) == [("CNN014", 9), ("CNN014", 11)]


SERIES_LABELS = """
import numpy as np
import pandas as pd
from tensorflow import keras
df = pd.DataFrame(np.random.rand(64, 5), columns=list("abcde"))
model = keras.Sequential([keras.Input((4,)), keras.layers.Dense(3)])
model.compile(loss="mae", optimizer="adam")
model.fit(df[["a", "b", "c", "d"]], df["e"], epochs=1, verbose=0)
"""


def test_a_pandas_series_of_labels_is_a_column_to_keras() -> None:
    """Keras 3 (`PandasSeriesSliceable`) and tf-keras make a Series `(n, 1)`: against three outputs
    `mae` broadcasts (CNN015), where the same labels as a NumPy `(n,)` array are refused (CNN013)."""
    # (reported at the Dense(3), whose units the fix changes: tests/test_fix_locations.py)
    assert found(SERIES_LABELS) == [("CNN015", 6)]
    assert found(SERIES_LABELS.replace('df["e"]', 'df["e"].values')) == [("CNN013", 6)]


@pytest.mark.tensorflow
def test_keras_trains_on_series_labels_and_refuses_the_array() -> None:
    pytest.importorskip("pandas")
    runner = ("import sys\nsrc = sys.stdin.read()\nexec(src)\n"
              "try:\n    exec(src.replace('df[\"e\"]', 'df[\"e\"].values'))\n    print('array trained')\n"
              "except ValueError:\n    print('array refused')\n")
    done = subprocess.run([sys.executable, "-c", runner], input=SERIES_LABELS, capture_output=True, text=True,
                          timeout=300, check=True)
    assert done.stdout.strip().splitlines()[-1] == "array refused"


def test_dataframe_pop_gives_the_column_and_leaves_the_rest() -> None:
    pd = pytest.importorskip("pandas")
    import numpy as np

    df = pd.DataFrame(np.zeros((64, 7)), columns=list("abcdefg"))
    labels = df.pop("a")
    assert (df.shape, labels.shape) == ((64, 6), (64,))
    code = """
    import numpy as np
    import pandas as pd
    from tensorflow import keras
    df = pd.DataFrame(np.zeros((64, 7)), columns=list("abcdefg"))
    labels = df.pop("a")
    model = keras.Sequential([keras.Input((7,)), keras.layers.Dense(1)])
    model.compile(loss="mse")
    model.fit(df, labels)
    """
    assert found(code) == [("CNN012", 9)]


def test_the_data_format_the_program_sets_applies_to_the_layers_after_it() -> None:
    code = """
    import numpy as np
    from keras import backend as K
    from keras.models import Sequential
    from keras.layers import Conv2D, Flatten, Dense
    K.set_image_dim_ordering("th")
    model = Sequential([Conv2D(8, (3, 3), input_shape=(1, 28, 28)), Flatten(), Dense(10, activation="softmax")])
    model.compile(loss="categorical_crossentropy", optimizer="adam")
    model.fit(np.zeros((4, 1, 28, 28)), np.zeros((4, 10)))
    model.fit(np.zeros((4, 28, 28, 1)), np.zeros((4, 10)))
    """
    assert found(code) == [("CNN012", 10)]
    # Set to what cnnlint cannot read: the layers' outputs are unknown (the data still meets the
    # stated input shape).
    unknown = code.replace('K.set_image_dim_ordering("th")', "K.set_image_data_format(FORMAT)")
    assert found(unknown) == [("CNN012", 10)]
    from cnnlint.frontend import extract
    ir = extract(textwrap.dedent(unknown), "t.py")
    assert not [n for g in ir.graphs for n in g.nodes if n.op == "conv"]


@pytest.mark.tensorflow
def test_keras_reads_a_set_data_format_as_cnnlint_does() -> None:
    code = ("import keras\nkeras.config.set_image_data_format('channels_first')\n"
            "m = keras.Sequential([keras.Input((1, 28, 28)), keras.layers.Conv2D(8, 3)])\n"
            "print(tuple(m.output_shape))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=300, check=True)
    assert done.stdout.strip().splitlines()[-1] == "(None, 8, 26, 26)"
    static = code.replace("print(tuple(m.output_shape))\n", "")
    from cnnlint.frontend import extract
    ir = extract(static, "t.py")
    shapes = [tuple(d.value for d in n.shape) for g in ir.graphs for n in g.nodes if n.op == "conv" and n.shape]
    assert shapes == [(None, 8, 26, 26)]


def test_a_list_of_python_random_ints_has_the_shape_of_the_list() -> None:
    code = """
    import random
    import numpy as np
    import tensorflow.compat.v1 as tf
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.reduce_sum(x)
    labels = np.array([random.randint(0, 9) for _ in range(50)])
    rows = [[random.randint(0, 1) for _ in range(3)] for _ in range(7)]
    with tf.Session() as s:
        s.run(y, feed_dict={x: labels})
        s.run(y, feed_dict={x: rows})
    """
    assert found(code) == [("CNN014", 10)]
