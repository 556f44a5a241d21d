"""NumPy as people write it: bare `numpy.random` names, random generators, one-hot labels by
indexing an identity matrix or `tf.one_hot`, arrays stacked from lists (of known and of unknown
length), and arrays read from files. Each static shape is the one written here, and the same code
run by NumPy (TensorFlow for `tf.one_hot`) gives a shape that agrees with it (`?` matches any size).
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pytest

from tests.conftest import codes, shapes_by_label

PRELUDE = """
import numpy as np
from numpy.random import random, rand, randn, randint, uniform, normal, choice
x = np.zeros((60, 28, 28))
y = np.random.randint(0, 10, size=60)
v = np.zeros(3)
m2 = np.zeros((4, 5))
rng = np.random.default_rng(0)
rs = np.random.RandomState(0)
"""

# A list grown in a loop whose trip count is unknown statically (`input()` gives "3" when run).
GROWN = """
xs, vs, fs = [], [], []
for _ in range(int(input())):
    xs.append(np.zeros((28, 28)))
    vs.append(np.zeros(5))
    fs.append(1.5)
"""

CASES: list[tuple[str, str]] = [
    # `from numpy.random import ...`: the bare names
    ("r = random((2, 3))", "2,3"),
    ("r = random()", ""),
    ("r = rand(2, 3)", "2,3"),
    ("r = randn(4)", "4"),
    ("r = randint(0, 10, size=(5,))", "5"),
    ("r = randint(0, 10, (2, 2))", "2,2"),
    ("r = uniform(0, 1, (3, 3))", "3,3"),
    ("r = normal(0, 1, size=(3,))", "3"),
    ("r = choice(10, 4)", "4"),
    ("r = choice(10, size=(2, 3))", "2,3"),
    ("r = np.random.standard_normal((2, 4))", "2,4"),
    # np.random.default_rng(seed)
    ("r = rng.standard_normal((2, 3))", "2,3"),
    ("r = rng.standard_normal(size=5)", "5"),
    ("r = rng.integers(0, 10, size=(4, 2))", "4,2"),
    ("r = rng.integers(5, size=3)", "3"),
    ("r = rng.random((3,))", "3"),
    ("r = rng.random(size=(2, 2))", "2,2"),
    ("r = rng.uniform(0, 1, (2, 2))", "2,2"),
    ("r = rng.uniform(low=-1, high=1, size=4)", "4"),
    ("r = rng.normal(0, 1, size=(5,))", "5"),
    ("r = rng.normal(loc=0.0, scale=2.0, size=(2, 3))", "2,3"),
    ("r = rng.choice(10, size=3)", "3"),
    ("r = rng.choice(m2, 3)", "3,5"),
    ("r = rng.choice(x, size=(2, 2))", "2,2,28,28"),
    ("r = rng.permutation(10)", "10"),
    ("r = rng.permutation(m2)", "4,5"),
    ("r = np.random.default_rng().random((2, 3))", "2,3"),
    ("r = x[rng.permutation(len(x))]", "60,28,28"),
    ("r = x[rng.choice(len(x), 8)]", "8,28,28"),
    ("r = x[rng.integers(0, 60, size=16)]", "16,28,28"),
    # np.random.RandomState(seed)
    ("r = rs.rand(2, 3)", "2,3"),
    ("r = rs.randn(4)", "4"),
    ("r = rs.randint(0, 5, size=(2,))", "2"),
    ("r = rs.uniform(size=(3,))", "3"),
    ("r = rs.normal(size=2)", "2"),
    ("r = rs.choice(5, 2)", "2"),
    ("r = rs.permutation(6)", "6"),
    ("r = rs.random_sample((2,))", "2"),
    ("r = rs.standard_normal((3, 1))", "3,1"),
    ("r = x[rs.permutation(60)]", "60,28,28"),
    ("r = x[np.random.choice(np.arange(60), 5)]", "5,28,28"),
    # one-hot by indexing an identity matrix
    ("r = np.eye(10)", "10,10"),
    ("r = np.eye(5, 3)", "5,3"),
    ("r = np.identity(4)", "4,4"),
    ("r = np.eye(10)[y]", "60,10"),
    ("r = np.eye(10, dtype='float32')[y]", "60,10"),
    ("r = np.identity(4)[np.random.randint(0, 4, size=(3, 2))]", "3,2,4"),
    ("r = np.eye(10)[y.reshape(-1, 1)]", "60,1,10"),
    ("r = np.eye(10)[y.reshape(-1, 1)].reshape(-1, 10)", "60,10"),
    ("r = np.eye(10)[y.astype(int)]", "60,10"),
    ("r = np.eye(10)[y.astype('int32')]", "60,10"),
    ("r = np.eye(10)[y.astype(np.int64)]", "60,10"),
    ("r = np.eye(4)[rng.integers(0, 4, size=(7,))]", "7,4"),
    # lists of arrays of one known shape
    ("r = np.array([m2, m2, m2])", "3,4,5"),
    ("r = np.asarray([v, v])", "2,3"),
    ("r = np.stack([m2, m2])", "2,4,5"),
    ("r = np.stack([m2, m2], axis=-1)", "4,5,2"),
    ("r = np.vstack([m2, m2])", "8,5"),
    ("r = np.vstack([v, v, v])", "3,3"),
    ("r = np.concatenate([m2, m2])", "8,5"),
    ("r = np.concatenate([m2, m2], axis=1)", "4,10"),
    ("r = np.hstack([v, v])", "6"),
    ("r = np.hstack([m2, m2])", "4,10"),
    # lists of unknown length (grown in a loop)
    (GROWN + "r = np.array(xs)", "?,28,28"),
    (GROWN + "r = np.asarray(xs)", "?,28,28"),
    (GROWN + "r = np.stack(xs)", "?,28,28"),
    (GROWN + "r = np.stack(xs, axis=1)", "28,?,28"),
    (GROWN + "r = np.stack(xs, axis=-1)", "28,28,?"),
    (GROWN + "r = np.vstack(xs)", "?,28"),
    (GROWN + "r = np.concatenate(xs)", "?,28"),
    (GROWN + "r = np.concatenate(xs, axis=1)", "28,?"),
    (GROWN + "r = np.hstack(xs)", "28,?"),
    (GROWN + "r = np.vstack(vs)", "?,5"),
    (GROWN + "r = np.hstack(vs)", "?"),
    (GROWN + "r = np.array(vs)", "?,5"),
    (GROWN + "r = np.array(fs)", "?"),
    (GROWN + "r = np.array(xs).reshape(-1, 28, 28, 1)", "?,28,28,1"),
    (GROWN + "r = np.array(xs)[..., None] / 255.0", "?,28,28,1"),
    # sizes partly known: -1 is inferred where the division is exact
    ("r = np.zeros((int(input()), 784)).reshape(-1, 28, 28, 1)", "?,28,28,1"),
    ("r = x[y > 3].reshape(-1, 28, 28, 1)", "?,28,28,1"),
    ("r = x[y > 3].reshape(-1, 784)", "?,784"),
    ("r = (x / 255.0).astype('float32')", "60,28,28"),
]

# Arrays read from files: unknown rank until an op of the program fixes it. The file holds (5, 784).
READ_CASES: list[tuple[str, str | None]] = [
    ("r = np.load(NPY)", None),
    ("r = np.load(NPY).reshape(-1, 28, 28, 1)", "?,28,28,1"),
    ("r = np.load(NPY).reshape(5, 28, 28, 1)", "5,28,28,1"),
    ("r = np.load(NPY).reshape((-1, 784))", "?,784"),
    ("r = (np.load(NPY) / 255.0).astype('float32').reshape(-1, 28, 28, 1)", "?,28,28,1"),
    ("r = np.load(NPY).astype('float32')", None),
    ("r = np.load(NPY) / 255.0", None),
    ("r = np.expand_dims(np.load(NPY).reshape(-1, 28, 28), -1)", "?,28,28,1"),
    ("r = np.loadtxt(CSV, delimiter=',').reshape(-1, 28, 28, 1)", "?,28,28,1"),
    ("r = np.genfromtxt(CSV, delimiter=',').reshape(-1, 28, 28)", "?,28,28"),
    ("r = np.loadtxt(CSV, delimiter=',')", None),
]


def static_shape(code: str) -> str | None:
    return shapes_by_label(PRELUDE + textwrap.dedent(code)).get("r")


def run(code: str, namespace: dict[str, Any] | None = None) -> dict[str, Any]:
    """The code run for real (the test's own snippets, never user code); `input()` gives "3"."""
    scope: dict[str, Any] = {"input": lambda *args: "3", **(namespace or {})}
    exec(compile(PRELUDE + textwrap.dedent(code), "<case>", "exec"), scope)
    return scope


def agrees(static: str, real: tuple[int, ...]) -> bool:
    dims = static.split(",") if static else []
    return len(dims) == len(real) and all(d == "?" or d == str(r) for d, r in zip(dims, real, strict=True))


@pytest.mark.parametrize(("code", "expected"), CASES, ids=[c.strip().splitlines()[-1] for c, _ in CASES])
def test_static_shape_is_the_one_numpy_gives(code: str, expected: str) -> None:
    assert static_shape(code) == expected
    actual = tuple(np.shape(run(code)["r"]))
    assert agrees(expected, actual), f"static {expected} but NumPy gives {actual}"


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    folder = tmp_path_factory.mktemp("arrays")
    np.save(folder / "x.npy", np.zeros((5, 784)))
    np.savetxt(folder / "x.csv", np.zeros((5, 784)), delimiter=",")
    return {"NPY": str(folder / "x.npy"), "CSV": str(folder / "x.csv")}


@pytest.mark.parametrize(("code", "expected"), READ_CASES, ids=[c for c, _ in READ_CASES])
def test_arrays_read_from_files_are_known_once_the_program_fixes_their_rank(
        code: str, expected: str | None, files: dict[str, Any]) -> None:
    assert static_shape(code) == expected
    actual = tuple(np.shape(run(code, files)["r"]))
    if expected is not None:
        assert agrees(expected, actual), f"static {expected} but NumPy gives {actual}"


@pytest.mark.parametrize("code", [
    GROWN + "r = np.stack(xs, axis=3)",  # out of range: fails when run
    GROWN + "ys = []\nfor _ in range(int(input())):\n    ys.append(np.zeros(int(input())))\nr = np.array(ys)",
    "r = np.eye(10)[np.zeros(3)]",  # a float index array: NumPy refuses it
    "r = np.load(NPY)[0]",
])
def test_unknown_stays_unknown(code: str) -> None:
    assert static_shape(code) is None


def test_a_list_of_unknown_length_gives_no_finding_when_fed() -> None:
    code = PRELUDE + GROWN + textwrap.dedent("""
        from tensorflow import keras
        model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
        model.predict(np.array(xs))
        model.predict(np.array(xs)[..., None])
    """)
    assert codes(code) == []


def test_a_list_of_unknown_length_of_the_wrong_item_shape_is_cnn012() -> None:
    code = PRELUDE + GROWN + textwrap.dedent("""
        from tensorflow import keras
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(10)])
        model.predict(np.array(xs))
    """)
    assert codes(code) == ["CNN012"]


def test_arrays_read_from_files_are_quiet_until_reshaped() -> None:
    code = PRELUDE + textwrap.dedent("""
        from tensorflow import keras
        model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(10)])
        data = np.load("train.npy")
        model.predict(data)
        model.predict(data.reshape(-1, 28, 28, 1))
        model.predict(data.reshape(-1, 32, 32, 3))
    """)
    assert codes(code) == ["CNN012"]


# -- tf.one_hot, against TensorFlow ----------------------------------------------------------------
ONE_HOT: list[tuple[str, str]] = [
    ("r = tf.one_hot(y, 10)", "60,10"),
    ("r = tf.one_hot(y, depth=10)", "60,10"),
    ("r = tf.one_hot(y.reshape(-1, 1), 10)", "60,1,10"),
    ("r = tf.one_hot(y, 10, axis=0)", "10,60"),
    ("r = tf.one_hot(y, 10, axis=-1)", "60,10"),
    ("r = tf.one_hot(np.zeros((3, 4), int), 5, axis=1)", "3,5,4"),
    ("r = tf.one_hot([0, 2], 3)", "2,3"),
    ("r = tf.one_hot(tf.constant([[1, 2, 3]]), 4)", "1,3,4"),
]


@pytest.mark.tensorflow
@pytest.mark.parametrize(("code", "expected"), ONE_HOT, ids=[c for c, _ in ONE_HOT])
def test_tf_one_hot_is_the_shape_tensorflow_gives(code: str, expected: str) -> None:
    pytest.importorskip("tensorflow")
    code = "import tensorflow as tf\n" + code
    assert static_shape(code) == expected
    actual = tuple(run(code)["r"].shape)
    assert agrees(expected, actual), f"static {expected} but TensorFlow gives {actual}"


@pytest.mark.tensorflow
def test_one_hot_labels_fit_a_softmax_head() -> None:
    code = PRELUDE + textwrap.dedent("""
        from tensorflow import keras
        model = keras.Sequential([keras.Input((28, 28)), keras.layers.Flatten(), keras.layers.Dense(10)])
        model.compile("adam", "categorical_crossentropy")
        model.fit(x, np.eye(10)[y])
        model.fit(x, np.eye(10)[y.reshape(-1, 1)])
    """)
    assert codes(code, "CNN013") == ["CNN013"]

