"""More data sources (issue 14's leftovers): `tfds.load` of more datasets, `np.loadtxt` /
`np.genfromtxt` with `ndmin=`, `pd.concat`, `t.set_shape` / `tf.ensure_shape`, Python's `random`
on lists of examples, a `keras.utils.Sequence` subclass given to `fit`, and `to_categorical` of
literal labels without `num_classes`.

Each shape is checked two ways where the library installs: the static shape cnnlint infers is the
one written here, and the same code run by NumPy / pandas / Python / Keras / TensorFlow gives a
shape that agrees with it (`?` matches any size). tensorflow_datasets does not install here: its
shapes are the ones its builders and catalog pages state (cited in `cnnlint/frontend/tfds/datasets.py`
and docs/data/loaders.md).
"""

from __future__ import annotations

import random
import textwrap
import warnings
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cnnlint.frontend.python.values import Const, Value
from cnnlint.frontend.tensorflow.data import DatasetV
from tests.conftest import module_scope
from tests.test_data_loaders import agrees, codes, structure


def static(code: str, name: str = "r") -> Any:
    scope, graph = module_scope(textwrap.dedent(code))
    return structure(graph, scope.vars[name])


def static_value(code: str, name: str) -> Value:
    scope, _ = module_scope(textwrap.dedent(code))
    return scope.vars[name]


def run(code: str, **given: Any) -> dict[str, Any]:
    """The test's own snippet run for real (never user code)."""
    scope: dict[str, Any] = dict(given)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        exec(compile(textwrap.dedent(code), "<case>", "exec"), scope)
    return scope


# -- tensorflow_datasets: more builders --------------------------------------------------------------------
TFDS = "import tensorflow_datasets as tfds\n"


@pytest.mark.parametrize(("call", "expected"), [
    ("tfds.load('svhn_cropped', split='train', as_supervised=True)", ("32,32,3", "")),
    ("tfds.load('svhn_cropped', split='extra', batch_size=-1, as_supervised=True)", ("531131,32,32,3", "531131")),
    ("tfds.load('horses_or_humans', split='train', as_supervised=True, batch_size=32)", ("?,300,300,3", "?")),
    ("tfds.load('horses_or_humans', split='test', batch_size=-1, as_supervised=True)", ("256,300,300,3", "256")),
    ("tfds.load('horses_or_humans', split='train', batch_size=-1, as_supervised=True)", ("1027,300,300,3", "1027")),
    ("tfds.load('rock_paper_scissors', split='test')", {"image": "300,300,3", "label": ""}),
    ("tfds.load('beans', split='validation', as_supervised=True, batch_size=-1)", ("133,500,500,3", "133")),
    ("tfds.load('tf_flowers', split='train', as_supervised=True)", ("?,?,3", "")),
    ("tfds.load('colorectal_histology', split='train')", {"image": "150,150,3", "label": "", "filename": ""}),
    ("tfds.load('deep_weeds', split='train', as_supervised=True)", ("256,256,3", "")),
    ("tfds.load('stl10', split='test', as_supervised=True, batch_size=-1)", ("8000,96,96,3", "8000")),
    ("tfds.load('caltech101', split='train', as_supervised=True)", ("?,?,3", "")),
    ("tfds.load('oxford_flowers102', split='test', batch_size=-1)['image']", "6149,?,?,3"),
    ("tfds.load('food101', split='validation', as_supervised=True, batch_size=16)", ("?,?,?,3", "?")),
    ("tfds.load('eurosat', split='train', as_supervised=True)", ("64,64,3", "")),
    ("tfds.load('eurosat/all', split='train', as_supervised=True)", ("64,64,13", "")),
    ("tfds.load('imdb_reviews', split='train', as_supervised=True, batch_size=32)", ("?", "?")),
    ("tfds.load('imdb_reviews/plain_text', split='unsupervised', batch_size=-1)",
     {"text": "50000", "label": "50000"}),
    ("tfds.load('emnist', split='test', as_supervised=True, batch_size=-1)", ("116323,28,28,1", "116323")),
    ("tfds.load('emnist/letters', split='train', as_supervised=True)", ("28,28,1", "")),
    ("tfds.load('emnist/balanced:3.*.*', split='test', batch_size=-1, as_supervised=True)",
     ("18800,28,28,1", "18800")),
    ("tfds.load('binarized_mnist', split='validation', batch_size=-1)", {"image": "10000,28,28,1"}),
    ("tfds.load('mnist_corrupted/shot_noise', split='test', as_supervised=True)", ("28,28,1", "")),
    ("tfds.load('mnist_corrupted', split='train', batch_size=-1, as_supervised=True)", ("60000,28,28,1", "60000")),
])
def test_tfds_load_more_builders(call: str, expected: Any) -> None:
    assert static(TFDS + f"r = {call}\n") == expected


@pytest.mark.parametrize("call", [
    "tfds.load('binarized_mnist', split='train', as_supervised=True)",  # no supervised keys: tfds raises
    "tfds.load('food101', split='train')",  # 2.1.0 added `id`: the dict depends on the version
    "tfds.load('imdb_reviews/subwords8k', split='train', as_supervised=True)",  # encoded text, not modelled
    "tfds.load('emnist/nonsense', split='train', as_supervised=True)",
    "tfds.load('oxford_iiit_pet', split='train')",  # its features changed in 4.0.0
    "tfds.load('mnist_corrupted/unknown_corruption', split='train', as_supervised=True)",
])
def test_tfds_builders_not_fixed_by_the_name_stay_unknown(call: str) -> None:
    assert not isinstance(static_value(TFDS + f"r = {call}\n", "r"), DatasetV)


def test_tfds_info_of_a_versioned_dict_still_gives_its_class_count() -> None:
    code = TFDS + textwrap.dedent("""
        ds, info = tfds.load('food101', split='train', as_supervised=True, with_info=True)
        k = info.features['label'].num_classes
        i = info.features['id']
        e, einfo = tfds.load('emnist/letters', split='train', with_info=True)
        ek = einfo.features['label'].num_classes
        keys = tfds.load('binarized_mnist', with_info=True)[1].supervised_keys
        """)
    scope, _ = module_scope(code)
    assert isinstance(scope.vars["k"], Const) and scope.vars["k"].value == 101
    assert not isinstance(scope.vars["i"], Const)
    assert isinstance(scope.vars["ek"], Const) and scope.vars["ek"].value == 37
    assert isinstance(scope.vars["keys"], Const) and scope.vars["keys"].value is None


TFDS_FIT = TFDS + textwrap.dedent("""
    from tensorflow import keras
    train = tfds.load('horses_or_humans', split='train', as_supervised=True).batch(32)
    model = keras.Sequential([
        keras.layers.Input(shape=INPUT),
        keras.layers.Conv2D(16, 3, activation='relu'),
        keras.layers.GlobalAveragePooling2D(),
        keras.layers.Dense(1, activation='sigmoid'),
    ])
    model.compile(optimizer='adam', loss='binary_crossentropy')
    model.fit(train, epochs=1)
    """)


def test_fitting_horses_or_humans_to_a_smaller_input_is_cnn012() -> None:
    assert codes(TFDS_FIT.replace("INPUT", "(150, 150, 3)")) == [(12, "CNN012")]
    assert codes(TFDS_FIT.replace("INPUT", "(300, 300, 3)")) == []


# -- np.loadtxt / np.genfromtxt ----------------------------------------------------------------------------
NUMPY = "import numpy as np\n"


@pytest.fixture(scope="module")
def table(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """A CSV of 12 rows and 9 columns, one of a single row, and one of a single column."""
    folder = tmp_path_factory.mktemp("txt")
    files = {"many": np.arange(12 * 9).reshape(12, 9), "row": np.arange(9).reshape(1, 9),
             "column": np.arange(12).reshape(12, 1)}
    paths: dict[str, Path] = {}
    for name, values in files.items():
        paths[name] = folder / f"{name}.csv"
        np.savetxt(paths[name], values, delimiter=",", fmt="%d")
    return paths


@pytest.mark.parametrize(("call", "expected"), [
    ("np.loadtxt(F, delimiter=',', ndmin=2)", "?,?"),
    ("np.loadtxt(F, delimiter=',', usecols=(0, 1, 2), ndmin=2)", "?,3"),
    ("np.loadtxt(F, delimiter=',', usecols=range(8), ndmin=2)", "?,8"),
    ("np.loadtxt(F, delimiter=',', usecols=4, ndmin=2)", "?,1"),
    ("np.loadtxt(F, delimiter=',', usecols=[4], ndmin=1)", "?"),
    ("np.loadtxt(F, delimiter=',', usecols=(0, 1), ndmin=2, unpack=True)", "2,?"),
    ("np.loadtxt(F, delimiter=',', dtype=np.float32, skiprows=0, usecols=(1, 2, 3, 4), ndmin=2)", "?,4"),
    ("np.genfromtxt(F, delimiter=',', ndmin=2)", "?,?"),
    ("np.genfromtxt(F, delimiter=',', usecols=(0, 8), ndmin=2)", "?,2"),
])
@pytest.mark.parametrize("which", ["many", "row", "column"])
def test_loadtxt_with_ndmin_has_a_known_rank(call: str, expected: str, which: str, table: dict[str, Path]) -> None:
    if which == "column" and "usecols" in call and "usecols=[4]" not in call and "usecols=4" not in call:
        pytest.skip("the single-column file has no such columns (numpy raises)")
    if which == "column" and ("usecols=[4]" in call or "usecols=4" in call):
        pytest.skip("the single-column file has no column 4 (numpy raises)")
    assert static(NUMPY + f"r = {call.replace('F', repr('data.csv'))}\n") == expected
    real = run(NUMPY + f"r = {call}\n", F=str(table[which]))["r"]
    assert agrees(expected, real), (real.shape, which)


@pytest.mark.parametrize("call", [
    "np.loadtxt(F, delimiter=',')",  # one row or one column is squeezed: the rank is the file's
    "np.loadtxt(F, delimiter=',', usecols=(0, 1))",
    "np.loadtxt(F, delimiter=',', ndmin=1)",
    "np.genfromtxt(F, delimiter=',')",
    "np.genfromtxt(F, delimiter=',', names=True, ndmin=2)",  # a structured array
    "np.loadtxt(F, delimiter=',', dtype=None, ndmin=2)",
])
def test_loadtxt_whose_rank_depends_on_the_file_stays_unknown(call: str, table: dict[str, Path]) -> None:
    assert static(NUMPY + f"r = {call.replace('F', repr('data.csv'))}\n") in (None, "")
    if "names=True" not in call and "dtype=None" not in call:
        ranks = {np.ndim(run(NUMPY + f"r = {call}\n", F=str(path))["r"]) for name, path in table.items()
                 if "usecols" not in call or name != "column"}
        assert len(ranks) > 1


def test_loadtxt_columns_reach_the_model() -> None:
    code = textwrap.dedent("""
        import numpy as np
        from keras import Sequential, layers
        data = np.loadtxt("pima.csv", delimiter=",", usecols=range(9), ndmin=2)
        x = data[:, 0:8]
        y = data[:, 8]
        model = Sequential([layers.Input((WIDTH,)), layers.Dense(12, activation="relu"),
                            layers.Dense(1, activation="sigmoid")])
        model.compile(loss="binary_crossentropy", optimizer="adam")
        model.fit(x, y, epochs=1)
        """)
    assert codes(code.replace("WIDTH", "9")) == [(10, "CNN012")]
    assert codes(code.replace("WIDTH", "8")) == []


# -- pandas: pd.concat ---------------------------------------------------------------------------------------
pd = pytest.importorskip("pandas")
FRAMES = textwrap.dedent("""
    import numpy as np
    import pandas as pd
    a = pd.DataFrame(np.zeros((10, 3)))
    b = pd.DataFrame(np.zeros((10, 4)), columns=['w', 'x', 'y', 'z'])
    c = pd.DataFrame(np.zeros((6, 4)), columns=['w', 'x', 'q', 'z'])
    """)


@pytest.mark.parametrize(("call", "expected"), [
    ("pd.concat([a, b], axis=1)", "?,7"),
    ("pd.concat([b, b['w'], b['x']], axis=1)", "?,6"),
    ("pd.concat([a, b], axis='columns', ignore_index=True)", "?,7"),
    ("pd.concat([b, b], axis=1)[['w']]", "?,?"),  # a repeated label: its count is not claimed
    ("pd.concat([a, a])", "20,3"),
    ("pd.concat([b, c])", "16,5"),
    ("pd.concat([b, c], join='inner')", "16,3"),
    ("pd.concat([b, c], ignore_index=True)", "16,5"),
    ("pd.concat([b['w'], c['q']])", "16"),
    ("pd.concat([a, b]).values", "20,7"),
])
def test_concat_counts_columns_and_rows(call: str, expected: str) -> None:
    code = FRAMES + f"r = {call}\n"
    assert static(code) == expected
    assert agrees(expected, run(code)["r"].shape)


@pytest.mark.parametrize("call", [
    "pd.concat([a, b], axis=1, keys=['l', 'r'])",  # hierarchical labels
    "pd.concat({'l': a, 'r': b})",
    "pd.concat([a, np.zeros((3, 3))])",
])
def test_concat_of_what_is_not_followed_stays_unknown(call: str) -> None:
    assert static(FRAMES + f"r = {call}\n") is None


def test_concat_of_frames_read_from_files_keeps_the_rank() -> None:
    code = textwrap.dedent("""
        import pandas as pd
        x = pd.read_csv('a.csv')
        y = pd.read_csv('b.csv', usecols=['p', 'q'])
        r = pd.concat([x, y], axis=1)
        s = pd.concat([y, y], axis=1)
        """)
    assert static(code) == "?,?"
    assert static(code, "s") == "?,4"


# -- TensorFlow: set_shape and ensure_shape --------------------------------------------------------------
TF1 = textwrap.dedent("""
    import numpy as np
    import tensorflow.compat.v1 as tf
    tf.disable_eager_execution()
    """)
TF1_GRAPH = "import tensorflow.compat.v1 as tf\nwith tf.Graph().as_default():\n"


@pytest.mark.parametrize(("code", "expected"), [
    ("x = tf.placeholder(tf.float32)\nx.set_shape([None, 28, 28, 1])\nr = x", "?,28,28,1"),
    ("x = tf.placeholder(tf.float32, [None, None, 3])\nx.set_shape([None, 32, 3])\nr = x", "?,32,3"),
    ("x = tf.placeholder(tf.float32, [None, 784])\nx.set_shape([64, None])\nr = x", "64,784"),
    ("r = tf.ensure_shape(tf.placeholder(tf.float32, [None, None]), [None, 10])", "?,10"),
    ("r = tf.ensure_shape(tf.zeros([4, 5]), [None, 5])", "4,5"),
])
@pytest.mark.tensorflow
def test_a_stated_static_shape_is_tensorflows(code: str, expected: str) -> None:
    full = TF1 + code + "\n"
    assert static(full) == expected
    # The same code in a graph of its own (`disable_eager_execution` would change the whole process).
    real = run(TF1_GRAPH + textwrap.indent(code, "    ") + "\n")["r"]
    assert agrees(expected, tuple(-1 if d is None else d for d in real.shape.as_list()))


@pytest.mark.parametrize("code", [
    "x = tf.placeholder(tf.float32, [None, 784])\nx.set_shape([None, 28, 28])\nr = x",  # TensorFlow raises
    "r = tf.ensure_shape(tf.zeros([4, 5]), [None, 6])",
])
def test_a_conflicting_stated_shape_gives_no_new_shape(code: str) -> None:
    found = static(TF1 + code + "\n")
    assert found != "?,28,28" and found != "4,6"


def test_feeding_a_placeholder_whose_shape_was_set_is_checked() -> None:
    code = TF1 + textwrap.dedent("""
        x = tf.placeholder(tf.float32)
        x.set_shape([None, SHAPE])
        w = tf.Variable(tf.zeros([784, 10]))
        y = tf.matmul(tf.reshape(x, [-1, 784]), w)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            sess.run(y, feed_dict={x: np.zeros((8, 784))})
        """)
    assert codes(code.replace("SHAPE", "28, 28")) == [(12, "CNN014")]
    assert codes(code.replace("SHAPE", "784")) == []


# -- Python's random on lists of examples ------------------------------------------------------------------
RANDOM = textwrap.dedent("""
    import random
    import numpy as np
    pairs = [(np.zeros((28, 28)), k % 10) for k in range(100)]
    """)


@pytest.mark.parametrize(("code", "expected"), [
    ("random.shuffle(pairs)\nxs, ys = zip(*pairs)\nr = np.array(xs)", "100,28,28"),
    ("random.shuffle(pairs)\nxs, ys = zip(*pairs)\nr = np.array(ys)", "100"),
    ("r = np.array([x for x, _ in random.sample(pairs, 10)])", "10,28,28"),
    ("r = random.choice(pairs)[0]", "28,28"),
    ("r = np.array([x for x, _ in random.choices(pairs, k=7)])", "7,28,28"),
])
def test_random_keeps_lists_of_examples_alike(code: str, expected: str) -> None:
    full = RANDOM + code + "\n"
    assert static(full) == expected
    assert agrees(expected, np.shape(run(full)["r"]))


def test_random_on_items_not_alike_leaves_them_unknown() -> None:
    code = textwrap.dedent("""
        import random
        import numpy as np
        items = [np.zeros((28, 28)), np.zeros((32, 32))]
        random.shuffle(items)
        r = items[0]
        s = random.choice(items)
        t = random.sample(items, 3)
        """)
    scope, _ = module_scope(code)
    assert static(code) is None and static(code, "s") is None
    assert not hasattr(scope.vars["t"], "items")
    with pytest.raises(ValueError):
        random.sample([1, 2], 3)  # what `t` would do: more than the population


# -- keras.utils.Sequence subclasses ---------------------------------------------------------------------------
SEQUENCE = textwrap.dedent("""
    import numpy as np
    from tensorflow import keras

    class Batches(keras.utils.Sequence):
        def __init__(self, x, y, batch_size):
            super().__init__()
            self.x, self.y, self.batch_size = x, y, batch_size

        def __len__(self):
            return int(np.ceil(len(self.x) / self.batch_size))

        def __getitem__(self, idx):
            lo = idx * self.batch_size
            return self.x[lo:lo + self.batch_size], self.y[lo:lo + self.batch_size]

    images = np.zeros((64, 32, 32, 3), dtype="float32")
    labels = keras.utils.to_categorical(np.arange(64) % 10, 10)
    model = keras.Sequential([keras.layers.Input(INPUT), keras.layers.Flatten(),
                              keras.layers.Dense(10, activation="softmax")])
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(Batches(images, labels, 16), epochs=1, verbose=0)
    """)


def test_a_sequence_subclass_is_read_batch_by_batch() -> None:
    assert codes(SEQUENCE.replace("INPUT", "(28, 28, 1)")) == [(22, "CNN012")]
    assert codes(SEQUENCE.replace("INPUT", "(32, 32, 3)")) == []


@pytest.mark.tensorflow
def test_keras_reads_the_sequence_the_same_way() -> None:
    run(SEQUENCE.replace("INPUT", "(32, 32, 3)"))
    with pytest.raises(ValueError):
        run(SEQUENCE.replace("INPUT", "(28, 28, 1)"))


def test_a_sequence_whose_batches_are_not_followed_is_quiet() -> None:
    code = SEQUENCE.replace("INPUT", "(28, 28, 1)").replace(
        "return self.x[lo:lo + self.batch_size], self.y[lo:lo + self.batch_size]", "return load_batch(idx)")
    assert codes(code) == []


# -- to_categorical of literal labels ------------------------------------------------------------------------
@pytest.mark.parametrize(("code", "expected"), [
    ("r = to_categorical([0, 2, 1])", "3,3"),
    ("r = to_categorical(np.array([0, 1, 1, 4]))", "4,5"),
    ("y = np.array([[0], [1], [2]])\nr = to_categorical(y)", "3,3"),
    ("r = to_categorical(np.array([3, 1]), num_classes=None)", "2,4"),
    ("r = to_categorical(np.array([0, 2, 1]), 5)", "3,5"),
])
@pytest.mark.tensorflow
def test_to_categorical_of_literal_labels_has_max_plus_one_columns(code: str, expected: str) -> None:
    full = "import numpy as np\nfrom keras.utils import to_categorical\n" + code + "\n"
    assert static(full) == expected
    assert agrees(expected, run(full)["r"].shape)


@pytest.mark.parametrize("code", [
    "r = to_categorical(np.random.randint(0, 10, 50))",  # drawn: the largest value is not certain
    "y = np.array([0, 1, 2])\ny[2] = 7\nr = to_categorical(y)",  # changed in place
    "r = to_categorical(np.array([0, 1, 2]) + 1)",  # computed
    "r = to_categorical(np.array([0, 1, 2], dtype='float32'))",
    "r = to_categorical(labels)",
])
def test_to_categorical_of_labels_not_written_out_has_unknown_columns(code: str) -> None:
    full = "import numpy as np\nfrom keras.utils import to_categorical\nlabels = input()\n" + code + "\n"
    found = static(full)
    assert found is None or found.endswith(",?")


def test_literal_labels_one_hot_against_a_wider_head_is_cnn013() -> None:
    code = textwrap.dedent("""
        import numpy as np
        from keras import Sequential, layers
        from keras.utils import to_categorical
        x = np.zeros((6, 4))
        y = to_categorical(np.array([0, 1, 2, 0, 1, 2]))
        model = Sequential([layers.Input((4,)), layers.Dense(UNITS, activation="softmax")])
        model.compile(loss="categorical_crossentropy", optimizer="adam")
        model.fit(x, y, epochs=1)
        """)
    assert codes(code.replace("UNITS", "4")) == [(7, "CNN013")]  # at the Dense whose units to fix
    assert codes(code.replace("UNITS", "3")) == []


# -- an image resized before batching ----------------------------------------------------------------------
@pytest.mark.parametrize(("layer", "shape", "expected"), [
    ("keras.layers.Resizing(10, 12)", (20, 30, 3), "10,12,3"),
    ("keras.layers.CenterCrop(4, 5)", (20, 30, 3), "4,5,3"),
    ("keras.layers.Resizing(10, 12, data_format='channels_first')", (3, 20, 30), "3,10,12"),
    ("keras.layers.Resizing(10, 12)", (2, 20, 30, 3), "2,10,12,3"),
])
@pytest.mark.tensorflow
def test_resizing_one_image_keeps_it_unbatched(layer: str, shape: tuple[int, ...], expected: str) -> None:
    code = f"import numpy as np\nimport keras\nr = {layer}(np.zeros({shape}, dtype='float32'))\n"
    assert static(code) == expected
    assert agrees(expected, tuple(run(code)["r"].shape))


def test_tfds_images_resized_in_map_then_batched_are_not_a_finding() -> None:
    code = TFDS + textwrap.dedent("""
        import tensorflow as tf
        train = tfds.load('tf_flowers', split='train', as_supervised=True)
        resize = tf.keras.layers.Resizing(224, 224)
        train = train.map(lambda x, y: (resize(x), y)).batch(32)
        model = tf.keras.Sequential([tf.keras.layers.Input((224, 224, 3)), tf.keras.layers.Conv2D(8, 3),
                                     tf.keras.layers.GlobalAveragePooling2D(), tf.keras.layers.Dense(5)])
        model.compile(optimizer='adam', loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True))
        model.fit(train, epochs=1)
        """)
    assert codes(code) == []
    assert codes(code.replace("Input((224, 224, 3))", "Input((150, 150, 3))")) == [(10, "CNN012")]
