"""APIs real project code reaches for around its models (issue 16): `tf.cond`, `tf.to_float` and
friends, `K.int_shape`, and the applications' `_obtain_input_shape` — each checked against the
library itself."""

from __future__ import annotations

import itertools
from typing import Any

import pytest

from cnnlint.frontend import extract


def _shapes(code: str) -> dict[str, tuple[int | None, ...] | None]:
    graph = extract(code, "apis.py").graphs[0]
    out: dict[str, tuple[int | None, ...] | None] = {}
    for node in graph.nodes:
        label = graph.labels.get(node.id)
        if label is not None:
            out[label] = None if node.shape is None else tuple(d.value for d in node.shape)
    return out


def test_to_float_and_friends_keep_the_shape() -> None:
    found = _shapes("import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32, [None, 28, 28, 1])\n"
                    + "".join(f"{n} = tf.{n}(x)\n" for n in ("to_float", "to_int32", "to_int64", "to_double")))
    assert {found[n] for n in ("to_float", "to_int32", "to_int64", "to_double")} == {(None, 28, 28, 1)}


COND = """\
import tensorflow as tf
x = tf.zeros([2, 28, 28, 1])
same = tf.cond(tf.constant(True), lambda: tf.keras.layers.Conv2D(8, 3)(x), lambda: tf.keras.layers.Conv2D(8, 3)(x))
differ = tf.cond(tf.constant(True), lambda: tf.keras.layers.Conv2D(8, 3)(x),
                 lambda: tf.keras.layers.Conv2D(8, 3, padding="same")(x))
picked = tf.cond(False, lambda: x, lambda: tf.reshape(x, [2, 784]))
"""


def test_cond_joins_both_branches_and_a_known_predicate_picks_one() -> None:
    found = _shapes(COND)
    assert found["same"] == (2, 26, 26, 8)
    assert found["differ"] is not None and found["differ"][0] == 2 and found["differ"][1:3] == (None, None)
    assert found["picked"] == (2, 784)


@pytest.mark.tensorflow
def test_cond_shapes_agree_with_tensorflow() -> None:
    tf = pytest.importorskip("tensorflow")
    scope: dict[str, Any] = {"tf": tf}
    exec(COND.replace("import tensorflow as tf\n", ""), scope)  # our own test program, not user code
    assert tuple(scope["same"].shape) == _shapes(COND)["same"]
    assert tuple(scope["picked"].shape) == _shapes(COND)["picked"]
    assert tuple(scope["differ"].shape) == (2, 26, 26, 8)  # eager: the branch taken; statically either


CASES = list(itertools.product(
    [None, (224, 224, 3), (150, 150, 3), (20, 20, 3), (64, 64, 1), (None, None, 3), (3, 224, 224)],
    [True, False], ["imagenet", None], ["channels_last", "channels_first"]))


@pytest.mark.parametrize(("input_shape", "require_flatten", "weights", "data_format"), CASES)
def test_obtain_input_shape_as_keras_computes_it(input_shape: tuple[int | None, ...] | None, require_flatten: bool,
                                                 weights: str | None, data_format: str) -> None:
    imagenet_utils = pytest.importorskip("keras.src.applications.imagenet_utils")
    try:
        expected: tuple[int | None, ...] | None = tuple(imagenet_utils.obtain_input_shape(
            input_shape, 224, 32, data_format, require_flatten, weights))
    except ValueError:
        expected = None  # it raises: cnnlint leaves the shape unknown
    code = ("from keras.applications.imagenet_utils import _obtain_input_shape\nimport keras\n"
            f"shape = _obtain_input_shape({input_shape!r}, default_size=224, min_size=32, data_format={data_format!r}, "
            f"require_flatten={require_flatten!r}, weights={weights!r})\n"
            "inputs = keras.Input(shape=shape)\n")
    found = _shapes(code).get("inputs")
    if expected is None:
        assert found is None
    else:
        assert found == (None, *expected)
