"""The shapes of data that scikit-learn and pandas make, each checked two ways: the static shape
cnnlint infers is the one written here, and the same code run by scikit-learn 1.9 / pandas gives a
shape that agrees with it (`?` matches any size). Code those libraries refuse gives UNKNOWN."""

from __future__ import annotations

import itertools
import textwrap
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cnnlint.frontend.sklearn.model_selection import split_counts
from cnnlint.shapes import Dim
from tests.conftest import codes, shapes_by_label

pd = pytest.importorskip("pandas")
model_selection = pytest.importorskip("sklearn.model_selection")

# Both the static and the real run start with these; `CSV` is a file with a `label` column and
# 8 pixel columns (Kaggle's digit recognizer, small), known to cnnlint only as a path.
PRELUDE = """
import numpy as np
import pandas as pd
from sklearn.model_selection import train_test_split
from sklearn.preprocessing import (StandardScaler, MinMaxScaler, RobustScaler, Normalizer, MaxAbsScaler,
                                   LabelBinarizer, OneHotEncoder, LabelEncoder)
from sklearn.decomposition import PCA
df = pd.read_csv(CSV)
x = np.zeros((40, 6))
y = np.arange(40) % 3
v1 = np.zeros(40)
x3 = np.zeros((40, 2, 3))
f = pd.DataFrame(x)
"""


@pytest.fixture(scope="module")
def csv(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("data") / "train.csv"
    frame = pd.DataFrame(np.arange(12 * 9).reshape(12, 9) % 10, columns=["label", *(f"p{i}" for i in range(8))])
    frame.to_csv(path, index=False)
    return path


def static(code: str) -> str | None:
    return shapes_by_label(PRELUDE + textwrap.dedent(code)).get("r")


def run(code: str, csv: Path) -> dict[str, Any]:
    """The code run for real (the test's own snippets, never user code)."""
    scope: dict[str, Any] = {"CSV": str(csv)}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(PRELUDE + textwrap.dedent(code), "<case>", "exec"), scope)
    return scope


def real_shape(value: Any) -> tuple[int, ...]:
    shape = getattr(value, "shape", None)
    return tuple(int(d) for d in (shape if shape is not None else np.shape(value)))


def agrees(static_shape: str, real: tuple[int, ...]) -> bool:
    dims = static_shape.split(",") if static_shape else []
    return len(dims) == len(real) and all(d == "?" or d == str(r) for d, r in zip(dims, real, strict=True))


PANDAS = [
    # a file read: rows and columns unknown, the rank known
    ("r = df.values", "?,?"),
    ("r = df.to_numpy()", "?,?"),
    ("r = np.array(df)", "?,?"),
    ("r = np.asarray(df)", "?,?"),
    ("r = df[['p0', 'p1', 'p2']]", "?,3"),
    ("r = df[['p0', 'p1']].values", "?,2"),
    ("r = df['label']", "?"),
    ("r = df['label'].values", "?"),
    ("r = df['label'].to_numpy()", "?"),
    ("r = df.drop(columns=['label'])", "?,?"),
    ("r = df.drop(['label'], axis=1)", "?,?"),
    ("r = df.drop('label', axis='columns').values", "?,?"),
    ("r = df.drop('label', axis=1).values.reshape(-1, 2, 4, 1)", "?,2,4,1"),
    ("r = df.iloc[:, 1:].values.reshape(-1, 2, 4, 1)", "?,2,4,1"),
    ("r = df.iloc[:, 1:]", "?,?"),
    ("r = df.iloc[:, 0]", "?"),
    ("r = df.iloc[:, [1, 2]]", "?,2"),
    ("r = df.iloc[:5]", "?,?"),
    ("r = pd.get_dummies(df['label'])", "?,?"),
    ("r = np.zeros((len(df), 3))", "?,3"),
    ("r = np.zeros(df.shape)", "?,?"),
    ("r = df.dropna()", "?,?"),
    ("r = df / 255.0", "?,?"),
    ("r = pd.read_csv(CSV, usecols=['label', 'p0'])", "?,2"),
    ("r = pd.read_csv(CSV, names=['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i'], header=0)", "?,9"),
    # frames of known shape
    ("r = f", "40,6"),
    ("r = pd.DataFrame(v1)", "40,1"),
    ("r = pd.DataFrame([[1, 2, 3], [4, 5, 6]])", "2,3"),
    ("r = pd.DataFrame({'a': [1, 2, 3], 'b': [4, 5, 6]})", "3,2"),
    ("r = pd.DataFrame(x, columns=['a', 'b', 'c', 'd', 'e', 'g'])[['a', 'c']]", "40,2"),
    ("r = f.iloc[:, 1:]", "40,5"),
    ("r = f.iloc[:10, 0]", "10"),
    ("r = f.iloc[:, -1]", "40"),
    ("r = f.iloc[5:15]", "10,6"),
    ("r = f[[0, 1]]", "40,2"),
    ("r = f[0]", "40"),
    ("r = f[2:7]", "5,6"),
    ("r = f.loc[:, [0, 2]]", "40,2"),
    ("r = f.loc[:, 3]", "40"),
    ("r = f[f[0] > 0]", "?,6"),
    ("r = f.drop(columns=[0, 1])", "40,4"),
    ("r = f.drop([0, 1], axis=1).values", "40,4"),
    ("r = f.drop(index=[0, 1])", "?,6"),
    ("r = f.head()", "5,6"),
    ("r = f.head(100)", "40,6"),
    ("r = f.tail(3)", "3,6"),
    ("r = f.sample(frac=1)", "40,6"),
    ("r = f.sample(7)", "7,6"),
    ("r = f.sample()", "1,6"),
    ("r = f / 255.0", "40,6"),
    ("r = -f", "40,6"),
    ("r = f.mean()", "6"),
    ("r = f.sum(axis=1)", "40"),
    ("r = f.isnull().sum()", "6"),
    ("r = f.T", "6,40"),
    ("r = f.transpose()", "6,40"),
    ("r = f.dropna()", "?,6"),
    ("r = f.dropna(axis=1)", "40,?"),
    ("r = f.reset_index(drop=True)", "40,6"),
    ("r = f.reset_index()", "40,?"),
    ("r = f.astype('float32').values", "40,6"),
    ("r = f.copy().to_numpy()", "40,6"),
    ("r = f[f.columns[1:]]", "40,5"),
    ("r = np.zeros(len(f.columns))", "6"),
    ("r = np.zeros(f.shape[1])", "6"),
    ("r = pd.Series(v1)", "40"),
    ("r = pd.Series(v1).to_frame()", "40,1"),
    ("r = pd.Series(v1).map(abs)", "40"),
    ("r = pd.Series(v1).iloc[:4]", "4"),
    ("r = pd.Series(v1).values.reshape(-1, 1)", "40,1"),
    ("r = pd.get_dummies(pd.Series(y))", "40,?"),
    ("r = pd.get_dummies(f)", "40,?"),
    ("r = pd.DataFrame(f)", "40,6"),
    # column labels followed where known
    ("g = pd.DataFrame(x, columns=['a', 'b', 'c', 'd', 'e', 'g'])\nr = g[[c for c in g.columns if c != 'a']]", "40,5"),
    ("g = pd.DataFrame(x, columns=['a', 'b', 'c', 'd', 'e', 'g'])\nr = g[list(g.columns[2:])]", "40,4"),
    ("g = pd.DataFrame(x, columns=['a', 'b', 'c', 'd', 'e', 'g'])\nr = g[g.columns[:-1]]", "40,5"),
    ("g = pd.DataFrame(x, columns=['a', 'b', 'c', 'd', 'e', 'g'])\nr = g.drop(columns='a')[list(g.columns)[2:]]", "40,4"),
    ("g = pd.DataFrame(x, columns=['a', 'b', 'c', 'd', 'e', 'g'])\nr = g.iloc[:, 1:3][g.columns.tolist()[1:3]]",
     "40,2"),
    ("g = pd.DataFrame({'a': v1, 'b': v1, 'label': y})\nr = g[[c for c in g.columns if c != 'label']].values",
     "40,2"),
    ("r = f[[c for c in f.columns if c > 1]]", "40,4"),
]


@pytest.mark.parametrize(("code", "expected"), PANDAS, ids=[c for c, _ in PANDAS])
def test_pandas_shape_is_the_one_pandas_gives(code: str, expected: str, csv: Path) -> None:
    assert static(code) == expected
    actual = real_shape(run(code, csv)["r"])
    assert agrees(expected, actual), f"static {expected} but pandas gives {actual}"


def test_len_and_shape_of_a_frame_are_its_rows_and_columns(csv: Path) -> None:
    shapes = shapes_by_label(PRELUDE + "a = np.zeros((len(f), f.shape[1], f.ndim))\nb = np.zeros(f.size)\n")
    assert (shapes["a"], shapes["b"]) == ("40,6,2", "240")


# -- column counts that a program changes in place, or that repeat labels, stay unknown --------------------
CHANGED = [
    "f['new'] = 1\nr = f.values",
    "f.loc[:, 'new'] = 1\nr = f.values",
    "f.insert(0, 'new', 1)\nr = f.values",
    "def add(d):\n    d['new'] = 1\nadd(f)\nr = f.values",
    "g = pd.DataFrame(x, columns=['a', 'a', 'b', 'c', 'd', 'e'])\nr = g[['a', 'b']]",
    "g = pd.DataFrame(x, columns=['a', 'a', 'b', 'c', 'd', 'e'])\nr = g.drop(columns=['b'])",
    "g = pd.concat([f, f], axis=1)\nr = g[[0, 1]]",
    "g = f.rename(columns={1: 0})\nr = g[[0, 2]]",
]


@pytest.mark.parametrize("code", CHANGED)
def test_column_counts_not_certain_are_not_claimed(code: str, csv: Path) -> None:
    shape = static(code)
    actual = real_shape(run(code, csv)["r"])
    assert shape is None or agrees(shape, actual), f"static {shape} but pandas gives {actual}"


@pytest.mark.parametrize("code", [
    "g = pd.DataFrame(x, columns=['a', 'b', 'c', 'd', 'e', 'g'])\nr = g[['a', 'zz']]",
    "g = pd.DataFrame(x, columns=['a', 'b', 'c', 'd', 'e', 'g'])\nr = g['zz']",
    "g = pd.DataFrame(x, columns=['a', 'b', 'c', 'd', 'e', 'g'])\nr = g.drop(columns=['zz'])",
])
def test_a_missing_column_label_stays_unknown_and_quiet(code: str, csv: Path) -> None:
    assert static(code) is None
    assert codes(PRELUDE + code) == []
    with pytest.raises(KeyError):
        run(code, csv)


def test_drop_in_place_changes_the_frame_itself(csv: Path) -> None:
    code = "f.drop(columns=[0], inplace=True)\nr = f.values"
    assert static(code) == "40,5"
    assert real_shape(run(code, csv)["r"]) == (40, 5)


def test_iterating_a_frame_gives_labels_not_rows() -> None:
    shapes = shapes_by_label(PRELUDE + "for c in f:\n    r = np.zeros(3) + c\n")
    assert shapes.get("r") in (None, "3")


# -- train_test_split ---------------------------------------------------------------------------------
SIZES: list[Any] = [None, 0.1, 0.2, 0.25, 0.33, 0.5, 0.7, 0.9, 0.99, 1, 2, 3, 7, 0, 1.0, 0.0, -1, 1.5, 40, 39]


def _sklearn_counts(n: int, test: Any, train: Any) -> tuple[int, int] | None:
    try:
        a, b = model_selection.train_test_split(np.zeros(n), test_size=test, train_size=train, random_state=0)
    except ValueError:
        return None
    return len(a), len(b)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 7, 10, 11, 13, 30, 39, 40, 100, 1001])
def test_split_counts_are_scikit_learns(n: int) -> None:
    for test, train in itertools.product(SIZES, [*SIZES[:9], 2, 5, 30]):
        counts = split_counts(Dim.const(n), test, train)
        got = None if counts is None else (counts[0].value, counts[1].value)
        assert got == _sklearn_counts(n, test, train), (n, test, train)


def test_split_counts_of_unknown_rows_keep_what_ints_decide() -> None:
    n = Dim.symbol("n")
    counts = split_counts(n, 3, None)
    assert counts is not None and counts == (n - 3, Dim.const(3))
    counts = split_counts(n, None, 5)
    assert counts is not None and counts == (Dim.const(5), n - 5)
    counts = split_counts(n, 0.2, None)
    assert counts is not None and all(c.value is None for c in counts)
    assert split_counts(n, 1.5, None) is None and split_counts(n, 0, None) is None
    assert split_counts(n, 0.6, 0.6) is None


SPLITS = [
    ("r, _, _, _ = train_test_split(x, y, test_size=0.2)", "32,6"),
    ("_, r, _, _ = train_test_split(x, y, test_size=0.2)", "8,6"),
    ("_, _, r, _ = train_test_split(x, y, test_size=0.2)", "32"),
    ("_, _, _, r = train_test_split(x, y, test_size=0.2)", "8"),
    ("r, _ = train_test_split(x)", "30,6"),
    ("_, r = train_test_split(x3, train_size=0.7)", "12,2,3"),
    ("_, r = train_test_split(x, test_size=0.1, train_size=0.5)", "4,6"),
    ("r, _ = train_test_split(x, test_size=5, train_size=20)", "20,6"),
    ("r, _, _, _ = train_test_split(x, y, test_size=0.25, stratify=y, random_state=1)", "30,6"),
    ("r, _ = train_test_split(x, shuffle=False)", "30,6"),
    ("r, _ = train_test_split([[1, 2], [3, 4], [5, 6], [7, 8]], test_size=0.25)", "3,2"),
    ("_, r, _, _ = train_test_split(f, y, test_size=0.25)", "10,6"),
    ("_, _, _, r = train_test_split(f, pd.Series(y), test_size=0.25)", "10"),
    ("r, _ = train_test_split(df, test_size=3)", "?,?"),
    ("_, r = train_test_split(df, test_size=3)", "3,?"),
    ("_, r = train_test_split(df.values, test_size=0.1)", "?,?"),
    ("r, _ = train_test_split(df[['p0', 'p1']], test_size=0.5)", "?,2"),
]


@pytest.mark.parametrize(("code", "expected"), SPLITS, ids=[c for c, _ in SPLITS])
def test_train_test_split_shape_is_scikit_learns(code: str, expected: str, csv: Path) -> None:
    assert static(code) == expected
    actual = real_shape(run(code, csv)["r"])
    assert agrees(expected, actual), f"static {expected} but scikit-learn gives {actual}"


def test_split_parts_of_a_frame_are_frames_and_of_a_list_lists() -> None:
    shapes = shapes_by_label(PRELUDE + "a, b = train_test_split(f)\nr = a.iloc[:, 1:]\n")
    assert shapes["r"] == "30,5"
    code = "names = ['a.png', 'b.png', 'c.png', 'd.png']\ntr, te = train_test_split(names)\nr = np.zeros(len(tr))\n"
    assert static(code) is None or static(code) == "3"


REFUSED = [
    "r, _ = train_test_split(x, test_size=1.5)",
    "r, _ = train_test_split(x, test_size=0)",
    "r, _ = train_test_split(x, test_size=40)",
    "r, _ = train_test_split(x, test_size=True)",
    "r, _ = train_test_split(x, test_size=0.6, train_size=0.6)",
    "r, _ = train_test_split(x, test_size=30, train_size=20)",
    "r, _, _, _ = train_test_split(x, v1[:10])",
    "r, _, _, _ = train_test_split(x, y, 0.2)",
    "r, _ = train_test_split(x, shuffle=False, stratify=y)",
]


@pytest.mark.parametrize("code", REFUSED)
def test_sizes_scikit_learn_refuses_stay_unknown_and_quiet(code: str, csv: Path) -> None:
    assert static(code) is None
    assert codes(PRELUDE + code) == []
    with pytest.raises((ValueError, TypeError)):
        run(code, csv)


# -- transformers -----------------------------------------------------------------------------------
TRANSFORMS = [
    *[(f"r = {s}().fit_transform(x)", "40,6") for s in ("StandardScaler", "MinMaxScaler", "RobustScaler",
                                                          "Normalizer", "MaxAbsScaler")],
    ("r = StandardScaler().fit(x).transform(x[:10])", "10,6"),
    ("s = MinMaxScaler()\ns.fit(x)\nr = s.transform(x)", "40,6"),
    ("s = MinMaxScaler((0, 2))\nr = s.inverse_transform(s.fit_transform(x))", "40,6"),
    ("r = StandardScaler().fit_transform(f)", "40,6"),
    ("r = StandardScaler().fit_transform(df.drop('label', axis=1))", "?,?"),
    ("r = StandardScaler().fit_transform([[1, 2], [3, 4]])", "2,2"),
    ("r = LabelBinarizer().fit_transform(y)", "40,?"),
    ("r = LabelBinarizer().fit_transform([1, 2, 1])", "3,1"),
    ("r = LabelBinarizer().fit_transform(['a', 'b', 'c', 'a'])", "4,3"),
    ("r = LabelBinarizer().fit_transform([4, 4, 4])", "3,1"),
    ("lb = LabelBinarizer()\nlb.fit(['a', 'b', 'c'])\nr = lb.transform(['a', 'a'])", "2,3"),
    ("r = LabelBinarizer().fit_transform(df['label'])", "?,?"),
    ("r = OneHotEncoder(sparse_output=False).fit_transform(x[:, :2])", "40,?"),
    ("r = OneHotEncoder(sparse_output=False, categories=[[0, 1, 2], [0, 1]]).fit_transform("
     "np.array([[0, 0], [1, 1], [2, 0]]))", "3,5"),
    ("r = OneHotEncoder(sparse_output=False, categories=[[0, 1, 2], [0, 1]], drop='first').fit_transform("
     "np.array([[0, 0], [1, 1], [2, 0]]))", "3,3"),
    ("r = OneHotEncoder(sparse_output=False, categories=[[0, 1, 2], [0, 1]], drop='if_binary').fit_transform("
     "np.array([[0, 0], [1, 1], [2, 0]]))", "3,4"),
    ("r = OneHotEncoder().fit_transform(x[:, :2]).toarray()", "40,?"),
    ("r = OneHotEncoder().fit_transform(df[['label']]).toarray()", "?,?"),
    ("r = LabelEncoder().fit_transform(y)", "40"),
    ("r = LabelEncoder().fit_transform(y.reshape(-1, 1))", "40"),
    ("r = LabelEncoder().fit_transform(['a', 'b', 'a'])", "3"),
    ("r = PCA(n_components=3).fit_transform(x)", "40,3"),
    ("r = PCA(3).fit(x).transform(x[:10])", "10,3"),
    ("r = PCA().fit_transform(x)", "40,6"),
    ("p = PCA(2)\nr = p.inverse_transform(p.fit_transform(x))", "40,6"),
    ("r = PCA(n_components=2).fit_transform(df.values)", "?,2"),
]


@pytest.mark.parametrize(("code", "expected"), TRANSFORMS, ids=[c for c, _ in TRANSFORMS])
def test_transformer_output_shape_is_scikit_learns(code: str, expected: str, csv: Path) -> None:
    assert static(code) == expected
    actual = real_shape(run(code, csv)["r"])
    assert agrees(expected, actual), f"static {expected} but scikit-learn gives {actual}"


TRANSFORMS_REFUSED = [
    "r = StandardScaler().fit_transform(v1)",
    "r = MinMaxScaler().fit_transform(x3)",
    "r = StandardScaler().fit(x).transform(x[:, :3])",
    "r = Normalizer().fit(x).inverse_transform(x)",
    "r = OneHotEncoder(sparse=False).fit_transform(x)",
    "r = OneHotEncoder(sparse_output=False).fit_transform(v1)",
    "r = OneHotEncoder(sparse_output=False, categories=[[0, 1]]).fit_transform(x)",
    "r = LabelEncoder().fit_transform(x)",
    "r = PCA(n_components=10).fit_transform(x)",
    "r = StandardScaler(False).fit_transform(x)",
]


@pytest.mark.parametrize("code", TRANSFORMS_REFUSED)
def test_data_scikit_learn_refuses_stays_unknown_and_quiet(code: str, csv: Path) -> None:
    assert static(code) is None
    assert codes(PRELUDE + code) == []
    with pytest.raises((ValueError, TypeError, AttributeError)):
        run(code, csv)


def test_a_sparse_matrix_is_no_array_and_no_finding() -> None:
    code = PRELUDE + textwrap.dedent("""
        from tensorflow import keras
        xs = OneHotEncoder().fit_transform(x)
        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
        model.compile("adam", "mse")
        model.fit(xs, np.zeros((40, 2)))
        """)
    assert codes(code) == []


# -- end to end: Kaggle's digit recognizer -------------------------------------------------------------
KAGGLE = """
import pandas as pd
from sklearn.model_selection import train_test_split
from tensorflow import keras
from tensorflow.keras.utils import to_categorical
df = pd.read_csv(CSV)
X = df.drop("label", axis=1).values.reshape(-1, 28, 28, 1)
y = to_categorical(df["label"], 10)
X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.1)
inputs = keras.Input((28, 28, CHANNELS))
h = keras.layers.Conv2D(4, 3, activation="relu")(inputs)
h = keras.layers.Flatten()(h)
outputs = keras.layers.Dense(10, activation="softmax")(h)
model = keras.Model(inputs, outputs)
model.compile("adam", "categorical_crossentropy")
model.fit(X_train, y_train, validation_data=(X_val, y_val), epochs=1, verbose=0)
"""


def test_kaggle_digits_fit_is_clean_with_one_channel_and_cnn012_with_three() -> None:
    assert codes(KAGGLE.replace("CHANNELS", "1")) == []
    assert codes(KAGGLE.replace("CHANNELS", "3")) == ["CNN012"]


@pytest.mark.tensorflow
def test_kaggle_digits_fit_as_keras_runs_it(tmp_path: Path) -> None:
    pytest.importorskip("tensorflow")
    path = tmp_path / "train.csv"
    frame = pd.DataFrame(np.zeros((20, 785), dtype=int), columns=["label", *(f"pixel{i}" for i in range(784))])
    frame["label"] = np.arange(20) % 10
    frame.to_csv(path, index=False)
    exec(compile(KAGGLE.replace("CHANNELS", "1"), "<kaggle>", "exec"), {"CSV": str(path)})
    with pytest.raises(ValueError):
        exec(compile(KAGGLE.replace("CHANNELS", "3"), "<kaggle>", "exec"), {"CSV": str(path)})
