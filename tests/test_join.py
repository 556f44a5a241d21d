"""The join of two branches keeps what both agree on: two tensors of one shape join into a
tensor of that shape (a `join` node), sizes that differ become unknown, and nothing is invented."""

from __future__ import annotations

from cnnlint.shapes import Dim
from cnnlint.shapes.ops.basic import join
from tests.conftest import codes, shapes_by_label


def test_two_branches_giving_the_same_shape_keep_it_and_the_bug_after_them() -> None:
    code = """
import random
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 7, 7, 64])
h = tf.nn.relu(x)
if random.random() > .5:
    h = tf.nn.relu(x)
flat = tf.reshape(h, [-1, 1024])
"""
    assert codes(code) == ["CNN001"]


def test_sizes_the_branches_disagree_on_become_unknown_and_stay_quiet() -> None:
    code = """
import random
import tensorflow as tf
x = tf.placeholder(tf.float32, [None, 28, 28, 1])
if random.random() > .5:
    h = tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')
else:
    h = tf.nn.max_pool(x, ksize=[1, 4, 4, 1], strides=[1, 4, 4, 1], padding='SAME')
flat = tf.reshape(h, [-1, 14 * 14])
"""
    assert codes(code) == []
    assert shapes_by_label(code)["h"] == "?,?,?,1"  # the channels both give, the sizes neither fixes


def test_a_helper_returning_from_both_branches_keeps_the_common_shape() -> None:
    code = """
import tensorflow as tf
def block(x, deep):
    if deep:
        return tf.nn.relu(x)
    else:
        return tf.nn.sigmoid(x)
def net(x, deep):
    return tf.reshape(block(x, deep), [-1, 1024])
x = tf.placeholder(tf.float32, [None, 7, 7, 64])
"""
    code += "import sys\nnet(x, len(sys.argv) > 1)\n"
    assert codes(code) == ["CNN001"]


def test_keras_functional_branches_join_too() -> None:
    code = """
import sys
import tensorflow as tf
inputs = tf.keras.Input(shape=(28, 28, 1))
x = tf.keras.layers.Conv2D(32, 3, padding="same")(inputs)
if len(sys.argv) > 1:
    x = tf.keras.layers.BatchNormalization()(x)
else:
    x = tf.keras.layers.Dropout(0.1)(x)
x = tf.keras.layers.Reshape((14 * 14 * 32,))(x)
model = tf.keras.Model(inputs, x)
"""
    assert codes(code) == ["CNN001"]


def test_the_join_shape_function() -> None:
    a = (Dim.unknown(), Dim.const(7), Dim.const(7), Dim.const(64))
    b = (a[0], Dim.const(7), Dim.const(5), Dim.const(64))
    out = join([a, b], {}).shape
    assert out is not None and out[0] == a[0] and out[1] == Dim.const(7) and out[3] == Dim.const(64)
    assert out[2].value is None and out[2] != Dim.const(5)
    assert join([a, a[:3]], {}).shape is None
    assert join([a, None], {}).shape is None


def test_two_pipelines_of_one_dataset_variable_keep_the_element_both_give() -> None:
    code = """
import random
import numpy as np
import tensorflow as tf
from tensorflow import keras
x = np.zeros((100, 28, 28, 1))
y = np.zeros((100, 10))
ds = tf.data.Dataset.from_tensor_slices((x, y))
if random.random() > .5:
    ds = ds.shuffle(100)
else:
    ds = ds.map(lambda a, b: (a, b)).shuffle(10)
ds = ds.batch(32)
model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10)])
model.fit(ds)
"""
    assert codes(code) == ["CNN012"]  # `map` is followed: both paths give (28, 28, 1), not (32, 32, 3)


def test_two_datasets_of_one_shape_on_two_paths_feed_that_shape() -> None:
    code = """
import random
import numpy as np
import tensorflow as tf
from tensorflow import keras
y = np.zeros((100, 10))
if random.random() > .5:
    ds = tf.data.Dataset.from_tensor_slices((np.zeros((100, 28, 28, 1)), y))
else:
    ds = tf.data.Dataset.from_tensor_slices((np.ones((100, 28, 28, 1)), y)).shuffle(10)
ds = ds.batch(32)
model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10)])
model.fit(ds)
"""
    assert codes(code) == ["CNN012"]


def test_values_shared_deep_in_both_states_join_once_and_a_list_holding_itself_joins() -> None:
    """A fuzz example that hung CI: `a = [a, a]` unrolled 40 times is a list whose two items are one
    list, 40 deep; a loop of unknown trip count after it joins the state before the loop with a copy
    of it, and a join that followed both items at every depth took 2**40 steps."""
    from cnnlint.frontend.python.join import Joiner, join
    from cnnlint.frontend.python.values import Const, SeqV

    deep: SeqV | Const = Const(1)
    for _ in range(40):
        deep = SeqV([deep, deep])
    other: SeqV | Const = Const(1)
    for _ in range(40):
        other = SeqV([other, other])
    joined = join(deep, other, Joiner())
    for _ in range(40):
        assert isinstance(joined, SeqV) and joined.items[0] is joined.items[1]
        joined = joined.items[0]
    assert isinstance(joined, Const) and joined.value == 1

    selfish = SeqV([Const(1)])
    selfish.items.append(selfish)
    twin = SeqV([Const(1)])
    twin.items.append(twin)
    both = join(selfish, twin, Joiner())
    assert isinstance(both, SeqV) and both.items[1] is both

    code = """
import tensorflow as tf
x = tf.compat.v1.placeholder(tf.float32, [None, 7, 7, 64])
a = 1
b = 2
for i in range(40):
    a = [a, a]
while b:
    b = b + 1
flat = tf.reshape(x, [-1, 1024])
"""
    assert codes(code) == ["CNN001"]
