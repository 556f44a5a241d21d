"""The shapes of the data a program builds (NumPy arrays, tensors, `tf.data` pipelines, Keras data
helpers), each checked two ways: the static shape cnnlint infers is the one written here, and the
same code run by NumPy / TensorFlow / Keras gives a shape that agrees with it (`?` matches any size).
"""

from __future__ import annotations

import itertools
import random
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cnnlint.frontend.python.values import DictV, SeqV, Value
from cnnlint.frontend.tensor import TensorV, value_shape
from cnnlint.frontend.tensorflow.data import DatasetV, fit_data
from cnnlint.ir import Graph
from cnnlint.shapes import Dim, infer
from tests.conftest import codes, module_of, module_scope, shapes_by_label, sizes

# Both the static and the real run start with these arrays.
PRELUDE = """
import numpy as np
import tensorflow as tf
from tensorflow import keras
x = np.zeros((60, 28, 28))
y = np.random.randint(0, 10, size=60)
v = np.zeros(3)
m2 = np.zeros((4, 5))
t = tf.zeros((4, 5, 6))
"""

# (code binding `r`, the static shape of `r`: sizes joined by commas, `?` for an unknown size)
CASES: list[tuple[str, str]] = [
    # creation
    ("r = np.zeros((2, 3))", "2,3"),
    ("r = np.ones(5)", "5"),
    ("r = np.empty([4, 1])", "4,1"),
    ("r = np.full((2, 2), 7)", "2,2"),
    ("r = np.random.rand(3, 4)", "3,4"),
    ("r = np.random.randn(2)", "2"),
    ("r = np.random.random((2, 5))", "2,5"),
    ("r = np.random.randint(0, 10, size=(5, 3))", "5,3"),
    ("r = np.random.randint(0, 10, (4,))", "4"),
    ("r = np.random.normal(0, 1, size=(2, 3))", "2,3"),
    ("r = np.random.normal(size=3)", "3"),
    ("r = np.random.uniform(-1, 1, (7,))", "7"),
    ("r = np.random.permutation(10)", "10"),
    ("r = np.random.choice(10, 4)", "4"),
    ("r = np.arange(10)", "10"),
    ("r = np.arange(2, 11, 3)", "3"),
    ("r = np.arange(len(x))", "60"),
    ("r = np.array([[1, 2], [3, 4], [5, 6]])", "3,2"),
    ("r = np.asarray([1.0, 2.0])", "2"),
    ("r = np.array(x)", "60,28,28"),
    ("r = np.array([x, x])", "2,60,28,28"),
    ("r = x.copy()", "60,28,28"),
    # reshape, with -1
    ("r = x.reshape(-1, 28, 28, 1)", "60,28,28,1"),
    ("r = x.reshape((60, -1))", "60,784"),
    ("r = x.reshape(-1)", "47040"),
    ("r = x.reshape(len(x), 28 * 28)", "60,784"),
    ("r = np.reshape(x, (-1, 784))", "60,784"),
    ("r = np.reshape(x, [60, 784])", "60,784"),
    ("r = np.reshape(x, (2, 30, -1))", "2,30,784"),
    ("r = x.reshape(x.shape[0], -1)", "60,784"),
    ("r = x.flatten()", "47040"),
    ("r = x.ravel()", "47040"),
    ("r = m2.reshape(5, 4)", "5,4"),
    # expand_dims and squeeze, negative axes included
    ("r = np.expand_dims(x, -1)", "60,28,28,1"),
    ("r = np.expand_dims(x, 0)", "1,60,28,28"),
    ("r = np.expand_dims(x, axis=1)", "60,1,28,28"),
    ("r = np.expand_dims(x, -2)", "60,28,1,28"),
    ("r = np.expand_dims(x, -4)", "1,60,28,28"),
    ("r = np.expand_dims(x, (0, -1))", "1,60,28,28,1"),
    ("r = np.expand_dims(x, (1, 2))", "60,1,1,28,28"),
    ("r = np.expand_dims(v, (-1, 0))", "1,3,1"),
    ("r = np.squeeze(np.zeros((1, 3, 1)))", "3"),
    ("r = np.squeeze(np.zeros((1, 3, 1)), axis=0)", "3,1"),
    ("r = np.squeeze(np.zeros((1, 3, 1)), -1)", "1,3"),
    ("r = np.squeeze(np.zeros((1, 3, 1)), axis=(0, 2))", "3"),
    ("r = np.zeros((60, 1)).squeeze(1)", "60"),
    ("r = np.squeeze(x)", "60,28,28"),
    # transpose
    ("r = x.T", "28,28,60"),
    ("r = np.transpose(x)", "28,28,60"),
    ("r = np.transpose(x, (0, 2, 1))", "60,28,28"),
    ("r = np.transpose(np.zeros((2, 3, 5)), (2, -2, 0))", "5,3,2"),
    ("r = m2.T", "5,4"),
    ("r = m2.transpose()", "5,4"),
    ("r = m2.reshape(1, 4, 5).transpose(2, 0, 1)", "5,1,4"),
    ("r = m2.reshape(1, 4, 5).transpose((1, 2, 0))", "4,5,1"),
    # stack / concatenate / vstack / hstack (1-D rules included)
    ("r = np.stack([x, x])", "2,60,28,28"),
    ("r = np.stack([x, x], axis=-1)", "60,28,28,2"),
    ("r = np.stack((x, x, x), 1)", "60,3,28,28"),
    ("r = np.stack([v, v, v, v], -2)", "4,3"),
    ("r = np.concatenate([x, x])", "120,28,28"),
    ("r = np.concatenate([x, x], axis=-1)", "60,28,56"),
    ("r = np.concatenate((x, x[:10]), axis=0)", "70,28,28"),
    ("r = np.concatenate([v, np.zeros(4)])", "7"),
    ("r = np.vstack([v, v])", "2,3"),
    ("r = np.vstack([v, np.zeros((2, 3))])", "3,3"),
    ("r = np.vstack([m2, m2, m2])", "12,5"),
    ("r = np.vstack([x, x])", "120,28,28"),
    ("r = np.hstack([v, v])", "6"),
    ("r = np.hstack([v, np.zeros(2)])", "5"),
    ("r = np.hstack([m2, m2])", "4,10"),
    ("r = np.hstack([x, x])", "60,56,28"),
    # dtype changes and arithmetic (broadcasting)
    ("r = x.astype('float32')", "60,28,28"),
    ("r = x.astype(np.float32) / 255.0", "60,28,28"),
    ("r = x * 2", "60,28,28"),
    ("r = 1 - x", "60,28,28"),
    ("r = x - x.mean(axis=0)", "60,28,28"),
    ("r = (x - np.mean(x)) / (np.std(x) + 1e-7)", "60,28,28"),
    ("r = x + np.zeros(28)", "60,28,28"),
    ("r = x.mean(axis=0)", "28,28"),
    ("r = x.max()", ""),
    ("r = np.mean(x)", ""),
    ("r = x.mean(axis=(1, 2))", "60"),
    ("r = x.sum(axis=-1, keepdims=True)", "60,28,1"),
    ("r = np.max(x, axis=1)", "60,28"),
    ("r = np.argmax(m2, axis=1)", "4"),
    ("r = m2.argmax(-1)", "4"),
    # len, .shape, .shape[i], .shape[1:], .ndim, .size
    ("r = np.zeros((len(x), 2))", "60,2"),
    ("r = np.zeros(x.shape[1:])", "28,28"),
    ("r = np.zeros(x.shape[0])", "60"),
    ("r = np.zeros(x.shape[-1])", "28"),
    ("r = np.zeros(x.shape)", "60,28,28"),
    ("r = np.zeros(x.ndim)", "3"),
    ("r = np.zeros(x.size // 784)", "60"),
    ("r = np.zeros(len(x[0]))", "28"),
    # basic indexing and slicing, clamped like Python
    ("r = x[0]", "28,28"),
    ("r = x[-1]", "28,28"),
    ("r = x[:10]", "10,28,28"),
    ("r = x[10:]", "50,28,28"),
    ("r = x[:100000]", "60,28,28"),
    ("r = x[-100000:5]", "5,28,28"),
    ("r = x[5:50:5]", "9,28,28"),
    ("r = x[::-1]", "60,28,28"),
    ("r = x[::-7]", "9,28,28"),
    ("r = x[-5:]", "5,28,28"),
    ("r = x[:-5]", "55,28,28"),
    ("r = x[3:1]", "0,28,28"),
    ("r = x[70:]", "0,28,28"),
    ("r = x[:]", "60,28,28"),
    ("r = x[..., None]", "60,28,28,1"),
    ("r = x[:, :, :, np.newaxis]", "60,28,28,1"),
    ("r = x[None]", "1,60,28,28"),
    ("r = x[np.newaxis, ..., np.newaxis]", "1,60,28,28,1"),
    ("r = x[:, 0]", "60,28"),
    ("r = x[0, :, 3]", "28"),
    ("r = x[..., 0]", "60,28"),
    ("r = x[:, None, 5:10, ...]", "60,1,5,28"),
    ("r = x[1:3, -1]", "2,28"),
    ("r = x[0][0]", "28"),
    ("r = x[0, 0, 0]", ""),
    ("r = x[:1000, ..., 0]", "60,28"),
    ("r = x[(0, 1)]", "28"),
    ("r = v[1:]", "2"),
    ("n = 10\nr = x[:n]", "10,28,28"),
    ("r = x[:len(x) // 2]", "30,28,28"),
    # index arrays and boolean masks
    ("r = x[y == 3]", "?,28,28"),
    ("r = x[y > 3]", "?,28,28"),
    ("r = x[3 <= y]", "?,28,28"),
    ("r = x[y != 0, 5]", "?,28"),
    ("r = x[:, x[0] > 0]", "60,?"),
    ("r = x[np.random.permutation(len(x))]", "60,28,28"),
    ("idx = np.random.permutation(60)\nr = x[idx]", "60,28,28"),
    ("r = x[np.arange(10)]", "10,28,28"),
    ("r = x[[0, 2, 4]]", "3,28,28"),
    ("r = x[[[0, 1], [2, 3]]]", "2,2,28,28"),
    ("r = x[:, [0, 1]]", "60,2,28"),
    ("r = x[0, :, [1, 2]]", "2,28"),
    ("r = x[:, 0, [1, 2]]", "60,2"),
    ("r = x[np.arange(10), 0]", "10,28"),
    ("r = x[np.arange(5), :, np.arange(5)]", "5,28"),
    ("r = x[np.random.randint(0, 60, size=(2, 3))]", "2,3,28,28"),
    ("r = x[y == 3][:5]", "?,28,28"),
    # TensorFlow: creation, conversion, and tensor indexing
    ("r = tf.constant([[1, 2, 3]])", "1,3"),
    ("r = tf.constant(x)", "60,28,28"),
    ("r = tf.zeros((2, 3))", "2,3"),
    ("r = tf.ones([4])", "4"),
    ("r = tf.convert_to_tensor(x)", "60,28,28"),
    ("r = tf.cast(x, tf.float32)", "60,28,28"),
    ("r = tf.cast(x, tf.float32) / 255.0", "60,28,28"),
    ("r = t[..., None]", "4,5,6,1"),
    ("r = t[:, 0]", "4,6"),
    ("r = t[tf.newaxis]", "1,4,5,6"),
    ("r = t[1:3]", "2,5,6"),
    ("r = t[:100]", "4,5,6"),
    ("r = t[-1, ..., 2:]", "5,4"),
    ("r = tf.stack([t, t], axis=1)", "4,2,5,6"),
    ("r = tf.squeeze(tf.zeros((1, 3, 1)), axis=0)", "3,1"),
    ("r = tf.expand_dims(t, -1)", "4,5,6,1"),
    # Keras data helpers
    ("r = keras.utils.to_categorical(y, 10)", "60,10"),
    ("r = keras.utils.to_categorical(y, num_classes=10)", "60,10"),
    ("r = keras.utils.to_categorical(y.reshape(-1, 1), 10)", "60,10"),
    ("r = keras.utils.to_categorical(np.zeros((60, 2), int), 10)", "60,2,10"),
    ("r = keras.utils.to_categorical(np.zeros((60, 3, 1), int), 4)", "60,3,4"),
    ("r = keras.utils.to_categorical(np.zeros((1, 1), int), 4)", "1,4"),
    ("r = keras.utils.to_categorical(3, 4)", "4"),
    ("r = keras.utils.to_categorical(y)", "60,?"),
    ("r = tf.keras.utils.to_categorical(y, 10)", "60,10"),
    ("r = keras.utils.pad_sequences([[1, 2], [3]], maxlen=5)", "2,5"),
    ("r = keras.utils.pad_sequences(np.zeros((3, 4), int))", "3,4"),
    ("r = keras.utils.pad_sequences(np.zeros((3, 4), int), maxlen=2)", "3,2"),
    ("r = keras.preprocessing.sequence.pad_sequences([[1, 2], [3]])", "2,?"),
]

# Code whose result cnnlint must leave unknown (a shape it cannot be sure of).
UNKNOWN = [
    "r = np.squeeze(x[y == 3])",  # whether the selected count is 1 is data
    "r = x[np.where(y > 3)]",  # an index whose type cnnlint does not model
    "r = x[np.zeros(3)]",  # an array of unknown type: indices or a mask?
    "r = x[int(input())]",  # an index that is not known to be an int (or a slice, or None)
    "r = x[100]",  # out of range: fails when run
    "r = x[0, 0, 0, 0]",  # too many indices
    "r = x[..., ...]",
    "r = x[y[:10] == 3]",  # a mask of the wrong length
    "r = np.squeeze(x, axis=1)",  # not a size-1 axis
    "r = np.stack([x, v])",  # shapes differ
    "r = keras.utils.to_categorical(x[:, x[0] > 0], 10)",  # last axis size unknown: replaced or not?
    "r = np.arange(0.5, 3)",
]


def static_shape(code: str) -> str | None:
    return shapes_by_label(PRELUDE + textwrap.dedent(code)).get("r")


def run(code: str, namespace: dict[str, Any] | None = None) -> dict[str, Any]:
    """The code run for real (the test's own snippets, never user code)."""
    pytest.importorskip("tensorflow")
    scope: dict[str, Any] = dict(namespace or {})
    exec(compile(PRELUDE + textwrap.dedent(code), "<case>", "exec"), scope)
    return scope


def real_shape(value: Any) -> tuple[int | None, ...]:
    shape = getattr(value, "shape", None)
    if shape is None:
        return tuple(np.shape(value))
    return tuple(None if d is None else int(d) for d in shape)


def agrees(static: str, real: tuple[int | None, ...]) -> bool:
    """Whether a static shape describes a real one: same rank, equal sizes, `?` for any size."""
    dims = static.split(",") if static else []
    return len(dims) == len(real) and all(d == "?" or d == str(r) for d, r in zip(dims, real, strict=True))


@pytest.mark.parametrize(("code", "expected"), CASES, ids=[c for c, _ in CASES])
def test_static_shape_is_the_one_numpy_and_tensorflow_give(code: str, expected: str) -> None:
    assert static_shape(code) == expected
    actual = real_shape(run(code)["r"])
    assert agrees(expected, actual), f"static {expected} but NumPy/TensorFlow give {actual}"


@pytest.mark.parametrize("code", UNKNOWN)
def test_unknown_data_stays_unknown(code: str) -> None:
    assert static_shape(code) is None


@pytest.mark.parametrize(("code", "expected"), [
    ("r = x[5:int(input())]", "?,28,28"),  # bounds known only when run: the length is unknown
    ("r = x[int(input()):]", "?,28,28"),
    ("r = x.reshape(-1, np.random.randint(9))", "?,?"),
    ("r = x[:, y[0]]", "60,28"),  # an element of an integer array is an integer
])
def test_sizes_known_only_when_run_stay_unknown(code: str, expected: str) -> None:
    assert static_shape(code) == expected


@pytest.mark.parametrize("code", ["r = x[100]", "r = np.squeeze(x, axis=1)", "r = np.stack([x, v])",
                                  "r = x[y[:10] == 3]", "r = x[..., ...]"])
def test_code_that_fails_when_run_makes_no_finding(code: str) -> None:
    assert codes(PRELUDE + code) == []
    with pytest.raises((IndexError, ValueError)):
        run(code)


# -- indexing: the shape function against NumPy on many generated keys -----------------------------
def _numpy_key(items: list[tuple[Any, ...]], operands: list[np.ndarray]) -> tuple[Any, ...]:
    out: list[Any] = []
    for item in items:
        kind = item[0]
        if kind == "int":
            out.append(item[1])
        elif kind == "slice":
            out.append(slice(*item[1:]))
        elif kind == "new":
            out.append(None)
        elif kind == "...":
            out.append(Ellipsis)
        else:
            out.append(operands[item[1] - 1])
    return tuple(out)


def _random_case(rng: random.Random) -> tuple[tuple[int, ...], list[tuple[Any, ...]], list[np.ndarray]]:
    shape = tuple(rng.choice([0, 1, 2, 3, 5, 7]) for _ in range(rng.randint(0, 4)))
    bounds = [None, None, -9, -3, -1, 0, 1, 2, 4, 6, 100]
    items: list[tuple[Any, ...]] = []
    operands: list[np.ndarray] = []
    for _ in range(rng.randint(0, len(shape) + 1)):
        kind = rng.choice(["int", "slice", "slice", "new", "...", "array", "mask"])
        if kind == "int":
            items.append(("int", rng.randint(-4, 4)))
        elif kind == "slice":
            items.append(("slice", rng.choice(bounds), rng.choice(bounds), rng.choice([None, 1, 2, 3, -1, -2])))
        elif kind == "array":
            operands.append(np.zeros(tuple(rng.choice([1, 2, 3]) for _ in range(rng.randint(1, 2))), dtype=int))
            items.append(("array", len(operands)))
        elif kind == "mask":
            size = rng.randint(1, 2)
            axis = sum(1 for i in items if i[0] in ("int", "slice", "array"))
            dims = shape[axis:axis + size] if rng.random() < 0.8 else tuple(rng.choice([1, 2, 3]) for _ in range(size))
            operands.append(np.ones(dims, dtype=bool))
            items.append(("mask", len(operands)))
        else:
            items.append((kind,))
    return shape, items, operands


def _index_static(shape: tuple[int, ...], items: list[tuple[Any, ...]], operands: list[np.ndarray]) -> str | None:
    inputs = [tuple(Dim.const(d) for d in shape), *(tuple(Dim.const(d) for d in o.shape) for o in operands)]
    result = infer("index", inputs, {"key": tuple(items)})
    assert not result.problems
    if result.shape is None:
        return None
    return ",".join("?" if d.value is None else str(d.value) for d in result.shape)


def _index_cases() -> list[tuple[tuple[int, ...], list[tuple[Any, ...]], list[np.ndarray]]]:
    rng = random.Random(7)
    return [_random_case(rng) for _ in range(1500)]


def test_index_shape_function_agrees_with_numpy_on_generated_keys() -> None:
    known = 0
    for shape, items, operands in _index_cases():
        static = _index_static(shape, items, operands)
        try:
            actual: tuple[int, ...] | None = np.zeros(shape)[_numpy_key(items, operands)].shape
        except (IndexError, ValueError):
            actual = None
        if static is None:
            continue  # unknown is always allowed (e.g. a key NumPy refuses)
        kinds = [item[0] for item in items]
        if actual is None and 0 in shape and "array" in kinds:
            continue  # an index array of zeros into an empty axis: its values, not its shape, fail
        if actual is None and "mask" in kinds and kinds.count("mask") + kinds.count("array") > 1:
            continue  # how many values a mask selects is data: cnnlint assumes a count that broadcasts
        assert actual is not None, f"{shape}[{items}]: NumPy refuses, cnnlint says {static}"
        assert agrees(static, actual), f"{shape}[{items}]: cnnlint {static}, NumPy {actual}"
        known += 1
    assert known > 700  # most keys are understood


def test_slices_are_clamped_like_python() -> None:
    bounds = [None, -100, -61, -60, -7, -1, 0, 1, 5, 59, 60, 61, 100000]
    for start, stop, step in itertools.product(bounds, bounds, [None, 1, 2, 7, -1, -3]):
        result = infer("index", [(Dim.const(60),)], {"key": (("slice", start, stop, step),)})
        assert result.shape == (Dim.const(len(range(60)[start:stop:step])),)


def test_symbolic_sizes_survive_only_whole_slices() -> None:
    n = Dim.symbol("n")
    whole = infer("index", [(n, Dim.const(3))], {"key": (("slice", None, None, None), ("int", 0))})
    part = infer("index", [(n,)], {"key": (("slice", 1, None, None),)})
    assert whole.shape == (n,)
    assert part.shape is not None and part.shape[0].has_anonymous


# -- Keras datasets (replaced by arrays of the documented shapes when run) --------------------------
DOCUMENTED = {
    "mnist": ((60000, 28, 28), (60000,), (10000, 28, 28), (10000,)),
    "cifar10": ((50000, 32, 32, 3), (50000, 1), (10000, 32, 32, 3), (10000, 1)),
}

DATASET_CASES = [
    ("mnist", "r = x_train.reshape(-1, 28, 28, 1)", "60000,28,28,1"),
    ("mnist", "r = x_train.reshape(x_train.shape[0], 784)", "60000,784"),
    ("mnist", "r = np.expand_dims(x_train, -1)", "60000,28,28,1"),
    ("mnist", "r = x_train[..., np.newaxis]", "60000,28,28,1"),
    ("mnist", "r = x_train[:1000] / 255.0", "1000,28,28"),
    ("mnist", "r = x_test[:100000]", "10000,28,28"),
    ("mnist", "r = x_train[y_train == 3]", "?,28,28"),
    ("mnist", "r = keras.utils.to_categorical(y_train, 10)", "60000,10"),
    ("mnist", "r = np.concatenate([x_train, x_test])", "70000,28,28"),
    ("mnist", "r = x_train.T", "28,28,60000"),
    ("cifar10", "r = keras.utils.to_categorical(y_train, 10)", "50000,10"),
    ("cifar10", "r = y_train.flatten()", "50000"),
    ("cifar10", "r = x_train[y_train.flatten() == 1]", "?,32,32,3"),
    ("cifar10", "r = x_train[:, :, :, 0]", "50000,32,32"),
]


@pytest.mark.parametrize(("name", "code", "expected"), DATASET_CASES, ids=[f"{n}: {c}" for n, c, _ in DATASET_CASES])
def test_keras_dataset_arrays(name: str, code: str, expected: str) -> None:
    load = f"(x_train, y_train), (x_test, y_test) = keras.datasets.{name}.load_data()\n"
    assert static_shape(load + code) == expected
    shapes = DOCUMENTED[name]
    arrays = {k: np.zeros(s, dtype=np.uint8) for k, s in zip(("x_train", "y_train", "x_test", "y_test"), shapes,
                                                               strict=True)}
    actual = real_shape(run(code, arrays)["r"])
    assert agrees(expected, actual), f"static {expected} but NumPy/Keras give {actual}"


def test_text_datasets_are_sequences_of_unknown_length() -> None:
    shapes = shapes_by_label(PRELUDE + textwrap.dedent("""
        (xi, yi), (xi_test, yi_test) = keras.datasets.imdb.load_data(num_words=10000)
        (xr, yr), (xr_test, yr_test) = keras.datasets.reuters.load_data(num_words=10000)
        (xs, ys), _ = keras.datasets.reuters.load_data(test_split=0.5)
        (xm, ym), (xm_test, ym_test) = keras.datasets.imdb.load_data(maxlen=100)
        padded = keras.utils.pad_sequences(xi, maxlen=200)
        """))
    assert (shapes["xi"], shapes["yi"], shapes["xi_test"], shapes["yi_test"]) == ("25000", "25000", "25000", "25000")
    assert (shapes["xr"], shapes["yr"], shapes["xr_test"], shapes["yr_test"]) == ("8982", "8982", "2246", "2246")
    assert shapes["xs"] == "5614"
    assert (shapes["xm"], shapes["xm_test"]) == ("?", "?")  # sequences over maxlen are dropped
    assert shapes["padded"] == "25000,200"


def test_padding_ragged_sequences_as_keras_does() -> None:
    keras = pytest.importorskip("keras")
    ragged = np.empty(25000, dtype=object)
    ragged[:] = [[1] * (i % 7 + 1) for i in range(25000)]
    assert keras.utils.pad_sequences(ragged, maxlen=200).shape == (25000, 200)
    assert agrees("25000,?", keras.utils.pad_sequences(ragged).shape)


# -- tf.data and image_dataset_from_directory ---------------------------------------------------------


def _structure(graph: Graph, value: Value) -> Any:
    if isinstance(value, TensorV):
        return sizes(graph, value.node)
    if isinstance(value, SeqV):
        return tuple(_structure(graph, v) for v in value.items)
    if isinstance(value, DictV):
        return {k: _structure(graph, v) for k, v in value.items.items()}
    return None


def static_element(code: str, name: str = "ds") -> tuple[Any, bool | None]:
    scope, graph = module_scope(PRELUDE + textwrap.dedent(code))
    ds = scope.vars[name]
    assert isinstance(ds, DatasetV)
    return _structure(graph, ds.spec), ds.batched


def real_element(ds: Any) -> Any:
    tf = pytest.importorskip("tensorflow")
    return tf.nest.map_structure(lambda spec: tuple(spec.shape), ds.element_spec)


def _agree_structures(static: Any, real: Any) -> bool:
    if isinstance(static, tuple):
        return isinstance(real, tuple) and len(static) == len(real) and all(
            _agree_structures(s, r) for s, r in zip(static, real, strict=True))
    if isinstance(static, dict):
        return isinstance(real, dict) and static.keys() == real.keys() and all(
            _agree_structures(static[k], real[k]) for k in static)
    return static is not None and agrees(static, tuple(real))


PIPELINES = [
    ("ds = tf.data.Dataset.from_tensor_slices(x)", "28,28", False),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y))", ("28,28", ""), False),
    ("ds = tf.data.Dataset.from_tensor_slices({'image': x, 'label': y})", {"image": "28,28", "label": ""}, False),
    ("ds = tf.data.Dataset.from_tensor_slices([[1, 2], [3, 4]])", "2", False),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32)", ("?,28,28", "?"), True),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(32, drop_remainder=True)", ("32,28,28", "32"), True),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(100).batch(8).prefetch(2).repeat()",
     ("?,28,28", "?"), True),
    ("ds = tf.data.Dataset.from_tensor_slices(x[..., None]).cache().batch(4).unbatch()", "28,28,1", False),
    ("ds = tf.data.Dataset.from_tensors(x)", "60,28,28", False),
    ("ds = tf.data.Dataset.zip((tf.data.Dataset.from_tensor_slices(x), tf.data.Dataset.from_tensor_slices(y)))",
     ("28,28", ""), False),
    ("ds = tf.data.Dataset.from_tensor_slices((x, keras.utils.to_categorical(y, 10))).batch(16)",
     ("?,28,28", "?,10"), True),
]


@pytest.mark.parametrize(("code", "expected", "batched"), PIPELINES, ids=[c for c, _, _ in PIPELINES])
def test_dataset_element_shapes_match_tensorflow(code: str, expected: Any, batched: bool) -> None:
    assert static_element(code) == (expected, batched)
    actual = real_element(run(code)["ds"])
    assert _agree_structures(expected, actual), f"static {expected}, TensorFlow {actual}"


def test_dataset_map_follows_the_function() -> None:
    element, batched = static_element("ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(4).map(lambda a, b: a)")
    assert element == "?,28,28" and batched is True


IMAGE_DATASETS = [
    ("", ("?,256,256,3", "?"), True),
    ("image_size=(64, 48), batch_size=16", ("?,64,48,3", "?"), True),
    ("color_mode='grayscale', image_size=(20, 30)", ("?,20,30,1", "?"), True),
    ("color_mode='rgba'", ("?,256,256,4", "?"), True),
    ("label_mode='categorical'", ("?,256,256,3", "?,?"), True),
    ("label_mode='categorical', class_names=['a', 'b']", ("?,256,256,3", "?,2"), True),
    ("label_mode='binary'", ("?,256,256,3", "?,1"), True),
    ("label_mode=None", "?,256,256,3", True),
    ("labels=None", "?,256,256,3", True),
    ("batch_size=None", ("256,256,3", ""), False),
]


@pytest.fixture(scope="module")
def image_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    tf = pytest.importorskip("tensorflow")
    root = tmp_path_factory.mktemp("images")
    for label in ("a", "b"):
        (root / label).mkdir()
        for i in range(2):
            png = tf.io.encode_png(np.zeros((10, 12, 3), np.uint8)).numpy()
            (root / label / f"{i}.png").write_bytes(png)
    return root


@pytest.mark.parametrize(("arguments", "expected", "batched"), IMAGE_DATASETS, ids=[a or "defaults" for a, _, _ in
                                                                                  IMAGE_DATASETS])
@pytest.mark.parametrize("function", ["keras.utils.image_dataset_from_directory",
                                      "tf.keras.preprocessing.image_dataset_from_directory"])
def test_image_dataset_from_directory(function: str, arguments: str, expected: Any, batched: bool,
                                      image_dir: Path) -> None:
    code = f"ds = {function}(DIR, {arguments})"
    assert static_element("DIR = 'data'\n" + code) == (expected, batched)
    actual = real_element(run(code.replace("DIR,", "DIR, verbose=False,"), {"DIR": str(image_dir)})["ds"])
    assert _agree_structures(expected, actual), f"static {expected}, Keras {actual}"


def test_image_dataset_subset_both_gives_two_datasets() -> None:
    scope, _ = module_scope(PRELUDE + "train, val = keras.utils.image_dataset_from_directory("
                            "'data', validation_split=0.2, subset='both', seed=1)")
    assert isinstance(scope.vars["train"], DatasetV) and isinstance(scope.vars["val"], DatasetV)


# -- sklearn and Keras 1 helpers (static only where the library is not installed) ----------------------
SPLIT = """
from sklearn.model_selection import train_test_split
x_tr, x_val, y_tr, y_val = train_test_split(x, keras.utils.to_categorical(y, 10), test_size=0.2)
"""


def test_train_test_split_gives_sklearn_s_row_counts() -> None:
    """60 rows, test_size=0.2: ceil(12) test rows, 48 train rows (tests/test_data_sklearn_pandas.py has the rest)."""
    shapes = shapes_by_label(PRELUDE + SPLIT)
    assert (shapes["x_tr"], shapes["x_val"], shapes["y_tr"], shapes["y_val"]) == ("48,28,28", "12,28,28", "48,10", "12,10")


def test_train_test_split_agrees_with_sklearn() -> None:
    pytest.importorskip("sklearn")
    scope = run(SPLIT)
    assert agrees("48,28,28", real_shape(scope["x_tr"])) and agrees("12,10", real_shape(scope["y_val"]))


def test_keras1_to_categorical_is_known_where_flattening_does_not_matter() -> None:
    shapes = shapes_by_label(PRELUDE + textwrap.dedent("""
        from keras.utils import np_utils
        a = np_utils.to_categorical(y, 10)
        b = np_utils.to_categorical(y.reshape(-1, 1), nb_classes=10)
        c = np_utils.to_categorical(np.zeros((60, 2), int), 10)
        """))
    assert (shapes["a"], shapes["b"], shapes.get("c")) == ("60,10", "60,10", None)


# -- traces: where and how each data op is shown --------------------------------------------------------
def test_data_ops_are_placed_at_their_own_line_with_readable_names() -> None:
    module = module_of("""
        import numpy as np
        from tensorflow import keras
        (x_train, y_train), _ = keras.datasets.mnist.load_data()
        a = np.expand_dims(x_train, -1)
        b = x_train[..., None]

        c = x_train.T
        d = x_train.reshape(-1, 784)
        """)
    rows = [(n.loc.line, n.api) for n in module.graphs[0].nodes]
    assert rows[-4:] == [(5, "np.expand_dims"), (6, "[..., None]"), (8, ".T"), (9, ".reshape")]


def test_a_reshape_of_data_that_fits_is_not_a_finding() -> None:
    assert codes("""
        import numpy as np
        x = np.zeros((60000, 784))
        a = x.reshape(-1, 28, 28, 1)
        b = np.reshape(x, (60000, 28, 28, 1))
        """) == []


def test_a_reshape_of_data_that_cannot_hold_the_values_is_cnn004() -> None:
    assert codes("""
        import numpy as np
        x = np.zeros((60000, 784))
        a = x.reshape(-1, 27, 27)
        """) == ["CNN004"]


# -- the API rules read ---------------------------------------------------------------------------------
def test_fit_data_unpacks_a_dataset_element_as_keras_does() -> None:
    scope, graph = module_scope(PRELUDE + textwrap.dedent("""
        ds = tf.data.Dataset.from_tensor_slices((x[..., None], y)).batch(32)
        images = keras.utils.image_dataset_from_directory('data', label_mode=None)
        """))
    features, labels = fit_data(scope.vars["ds"])
    assert [d.value for d in value_shape(graph, features) or ()] == [None, 28, 28, 1]
    assert [d.value for d in value_shape(graph, labels) or ()] == [None]
    only, none = fit_data(scope.vars["images"])
    assert [d.value for d in value_shape(graph, only) or ()] == [None, 256, 256, 3] and none is None


def test_fit_data_passes_arrays_through() -> None:
    scope, graph = module_scope(PRELUDE)
    x, y = scope.vars["x"], scope.vars["y"]
    assert fit_data(x, y) == (x, y)
    assert [d.value for d in value_shape(graph, x) or ()] == [60, 28, 28]
    assert value_shape(graph, SeqV([SeqV([]), SeqV([])])) == (Dim.const(2), Dim.const(0))
