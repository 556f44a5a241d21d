"""The data loaders of TensorFlow and Keras: TF1's tutorial MNIST (`input_data.read_data_sets`),
`tfds.load`, Keras's `ImageDataGenerator` iterators, `load_img` / `img_to_array`,
`timeseries_dataset_from_array` and `text_dataset_from_directory`.

Keras's are checked against Keras 3 and tf_keras on the same calls (`?` matches any size); TF1's
MNIST loader and tensorflow_datasets do not install here, so their shapes are the ones their
sources state (cited in `cnnlint/frontend/tensorflow/tutorials.py` and `cnnlint/frontend/tfds/`).
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from cnnlint.frontend.python.values import DictV, SeqV, Value
from cnnlint.frontend.tensor import TensorV
from cnnlint.frontend.tensorflow.data import DatasetV
from cnnlint.ir import Graph
from tests.conftest import lint, module_scope, sizes


def structure(graph: Graph, value: Value) -> Any:
    """Shapes as text (`?` unknown), in the value's structure; a dataset as its element."""
    if isinstance(value, DatasetV):
        return structure(graph, value.spec)
    if isinstance(value, TensorV):
        return sizes(graph, value.node)
    if isinstance(value, SeqV):
        return tuple(structure(graph, v) for v in value.items)
    if isinstance(value, DictV):
        return {k: structure(graph, v) for k, v in value.items.items()}
    return None


def static(code: str, name: str = "r") -> Any:
    scope, graph = module_scope(code)
    return structure(graph, scope.vars[name])


def agrees(static_shape: Any, real: Any) -> bool:
    """Whether a static structure describes a real one (tuples of shapes, `?` any size)."""
    if isinstance(static_shape, tuple):
        return isinstance(real, (tuple, list)) and len(static_shape) == len(real) and all(
            agrees(s, r) for s, r in zip(static_shape, real, strict=True))
    if isinstance(static_shape, dict):
        return isinstance(real, dict) and static_shape.keys() == real.keys() and all(
            agrees(static_shape[k], real[k]) for k in static_shape)
    if static_shape is None:
        return False
    dims = static_shape.split(",") if static_shape else []
    shape = tuple(real.shape) if hasattr(real, "shape") else tuple(real)
    return len(dims) == len(shape) and all(d == "?" or int(d) == s for d, s in zip(dims, shape, strict=True))


def codes(code: str) -> list[tuple[int, str]]:
    return [(d.loc.line, d.code) for d in lint(code)]


# -- TF1's tutorial MNIST ---------------------------------------------------------------------------------
MNIST = "from tensorflow.examples.tutorials.mnist import input_data\n"


@pytest.mark.parametrize(("call", "expected"), [
    # (train images, train labels, validation images, test labels): mnist.py's read_data_sets / DataSet
    ("input_data.read_data_sets('MNIST_data')", ("55000,784", "55000", "5000,784", "10000")),
    ("input_data.read_data_sets('MNIST_data', one_hot=True)", ("55000,784", "55000,10", "5000,784", "10000,10")),
    ("input_data.read_data_sets('MNIST_data', one_hot=True, reshape=False)",
     ("55000,28,28,1", "55000,10", "5000,28,28,1", "10000,10")),
    ("input_data.read_data_sets('d', False, True, validation_size=0)", ("60000,784", "60000,10", "0,784", "10000,10")),
    ("input_data.read_data_sets('d', validation_size=10000)", ("50000,784", "50000", "10000,784", "10000")),
])
def test_mnist_read_data_sets_follows_the_tf1_source(call: str, expected: tuple[str, ...]) -> None:
    code = MNIST + f"mnist = {call}\n" + "r = (mnist.train.images, mnist.train.labels, mnist.validation.images, " \
        "mnist.test.labels)\nn = mnist.train.num_examples\n"
    assert static(code) == expected
    scope, _ = module_scope(code)
    assert scope.vars["n"].value == int(expected[0].split(",")[0])  # type: ignore[attr-defined]


@pytest.mark.parametrize("spelling", [
    "from tensorflow.examples.tutorials.mnist import input_data\nmnist = input_data.read_data_sets('d', one_hot=True)",
    "import tensorflow.examples.tutorials.mnist.input_data as input_data\n"
    "mnist = input_data.read_data_sets('d', one_hot=True)",
    "from tensorflow.contrib.learn.python.learn.datasets.mnist import read_data_sets\n"
    "mnist = read_data_sets('d', one_hot=True)",
    "import tensorflow as tf\nmnist = tf.contrib.learn.datasets.mnist.read_data_sets('d', one_hot=True)",
])
def test_mnist_next_batch_gives_k_rows(spelling: str) -> None:
    code = spelling + "\nr = mnist.train.next_batch(50)\nt = mnist.test.next_batch(100000)\n"
    assert static(code) == ("50,784", "50,10")
    assert static(code, "t") == ("?,784", "?,10")  # past one epoch: next_batch wraps around


def test_mnist_load_dataset_is_read_data_sets_with_its_defaults() -> None:
    code = "import tensorflow as tf\nmnist = tf.contrib.learn.datasets.load_dataset('mnist')\n" \
           "r = mnist.train.images, mnist.train.labels\n"
    assert static(code) == ("55000,784", "55000")


@pytest.mark.parametrize("call", ["input_data.read_data_sets('d', fake_data=True)",
                                  "input_data.read_data_sets('d', one_hot=flag)",
                                  "input_data.read_data_sets('d', validation_size=70000)"])
def test_mnist_unknown_options_stay_unknown(call: str) -> None:
    scope, _ = module_scope(MNIST + f"flag = input() == 'y'\nmnist = {call}\n")
    assert not hasattr(scope.vars["mnist"], "sets")


TF1 = MNIST + """
import tensorflow as tf
mnist = input_data.read_data_sets('MNIST_data', one_hot=True)
x = tf.placeholder(tf.float32, PLACEHOLDER)
y_ = tf.placeholder(tf.float32, [None, 10])
loss = tf.reduce_mean(tf.reduce_sum(x) - y_)
with tf.Session() as sess:
    for i in range(20000):
        batch = mnist.train.next_batch(50)
        sess.run(loss, feed_dict={x: batch[0], y_: batch[1]})
"""


def test_feeding_next_batch_images_to_an_image_placeholder_is_cnn014() -> None:
    assert codes(TF1.replace("PLACEHOLDER", "[None, 28, 28, 1]")) == [(11, "CNN014")]
    assert codes(TF1.replace("PLACEHOLDER", "[None, 784]")) == []


# -- tensorflow_datasets -----------------------------------------------------------------------------------
TFDS = "import tensorflow_datasets as tfds\n"


@pytest.mark.parametrize(("call", "expected"), [
    ("tfds.load('mnist', split='train', as_supervised=True)", ("28,28,1", "")),
    ("tfds.load('fashion_mnist', split='test', as_supervised=True, batch_size=32)", ("?,28,28,1", "?")),
    ("tfds.load('mnist', split='train[:80%]')", {"image": "28,28,1", "label": ""}),
    ("tfds.load('cifar10', split='train', as_supervised=True)", ("32,32,3", "")),
    ("tfds.load('cifar10', split='test')", {"id": "", "image": "32,32,3", "label": ""}),
    ("tfds.load('cifar100', split='train')", {"id": "", "image": "32,32,3", "label": "", "coarse_label": ""}),
    ("tfds.load('cats_vs_dogs', split='train', as_supervised=True, batch_size=8)", ("?,?,?,3", "?")),
    ("tfds.load('mnist:3.*.*', split=tfds.Split.TRAIN, as_supervised=True)", ("28,28,1", "")),
    # batch_size=-1: the whole split as tensors, not a dataset
    ("tfds.load('mnist', split='train', batch_size=-1, as_supervised=True)", ("60000,28,28,1", "60000")),
    ("tfds.load('cifar100', split='test', batch_size=-1)['image']", "10000,32,32,3"),
    ("tfds.load('cifar10', split='train[:10%]', batch_size=-1, as_supervised=True)", ("?,32,32,3", "?")),
])
def test_tfds_load_element_is_the_dataset_builders(call: str, expected: Any) -> None:
    assert static(TFDS + f"r = {call}\n") == expected


def test_tfds_splits_and_info() -> None:
    scope, graph = module_scope(TFDS + textwrap.dedent("""
        (train, test), info = tfds.load('mnist', split=['train', 'test'], as_supervised=True, with_info=True)
        every = tfds.load('mnist')
        classes = info.features['label'].num_classes
        rows = info.splits['train'].num_examples
        image = info.features['image'].shape
        built = tfds.builder('cifar10').as_dataset(split='train', as_supervised=True, batch_size=16)
        """))
    assert isinstance(scope.vars["train"], DatasetV) and scope.vars["train"].batched is False
    assert structure(graph, scope.vars["test"]) == ("28,28,1", "")
    assert structure(graph, scope.vars["every"]) == {"train": {"image": "28,28,1", "label": ""},
                                                     "test": {"image": "28,28,1", "label": ""}}
    assert (scope.vars["classes"].value, scope.vars["rows"].value) == (10, 60000)  # type: ignore[attr-defined]
    assert [v.value for v in scope.vars["image"].items] == [28, 28, 1]  # type: ignore[attr-defined]
    assert structure(graph, scope.vars["built"]) == ("?,32,32,3", "?")


@pytest.mark.parametrize("call", ["tfds.load('imagenet2012', split='train')", "tfds.load(name, split='train')",
                                  "tfds.load('mnist', split='train', as_supervised=flag)",
                                  "tfds.load('mnist', split='train', decoders=d)"])
def test_tfds_datasets_not_known_stay_unknown(call: str) -> None:
    scope, _ = module_scope(TFDS + f"name, flag, d = input(), input() == 'y', {{}}\nr = {call}\n")
    assert not isinstance(scope.vars["r"], DatasetV)


def test_fitting_a_tfds_dataset_is_checked() -> None:
    code = TFDS + textwrap.dedent("""
        from tensorflow import keras
        ds, info = tfds.load('mnist', split='train', as_supervised=True, with_info=True)
        model = keras.Sequential([keras.Input((28, 28, SIZE)), keras.layers.Flatten(),
                                  keras.layers.Dense(info.features['label'].num_classes)])
        model.compile('adam', 'sparse_categorical_crossentropy')
        model.fit(ds.batch(32))
        """)
    assert codes(code.replace("SIZE", "3")) == [(8, "CNN012")]
    assert codes(code.replace("SIZE", "1")) == []


# -- Keras: ImageDataGenerator ----------------------------------------------------------------------------
KERAS = "from tensorflow.keras.preprocessing.image import ImageDataGenerator\nDIR = 'data'\n"


def _generators() -> list[Any]:
    """ImageDataGenerator of Keras 3 (kept as legacy, under `tf.keras` only) and of tf_keras."""
    pytest.importorskip("tensorflow")
    from keras.src.legacy.preprocessing.image import ImageDataGenerator as Keras3
    tf_keras = pytest.importorskip("tf_keras")
    return [Keras3, tf_keras.preprocessing.image.ImageDataGenerator]


@pytest.fixture(scope="module")
def image_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Two class folders of tiny PNG images (RGB, of odd sizes: the generators resize them)."""
    image = pytest.importorskip("PIL.Image")
    root = tmp_path_factory.mktemp("images")
    for label in ("cats", "dogs", "owls"):
        (root / label).mkdir()
        for i in range(2):
            image.fromarray(np.full((10 + i, 12, 3), 40 * i, np.uint8)).save(root / label / f"{i}.png")
    return root


def _batch(real: Any) -> Any:
    return real[0] if not isinstance(real, (tuple, list)) or not real else real


FROM_DIRECTORY = [
    ("", ("?,256,256,3", "?,?")),
    ("target_size=(28, 20), color_mode='grayscale', batch_size=4", ("?,28,20,1", "?,?")),
    ("target_size=(9, 9), color_mode='rgba', class_mode='sparse'", ("?,9,9,4", "?")),
    ("target_size=(9, 9), class_mode='binary', classes=['cats', 'dogs']", ("?,9,9,3", "?")),
    ("target_size=(9, 9), classes=['cats', 'dogs']", ("?,9,9,3", "?,2")),
    ("target_size=(9, 9), class_mode='input'", ("?,9,9,3", "?,9,9,3")),
    ("target_size=(9, 9), class_mode=None", "?,9,9,3"),
    ("(5, 7), 'grayscale', None, 'sparse', 2", ("?,5,7,1", "?")),
]


@pytest.mark.tensorflow
@pytest.mark.parametrize(("arguments", "expected"), FROM_DIRECTORY, ids=[a or "defaults" for a, _ in FROM_DIRECTORY])
def test_flow_from_directory_batches_match_keras(arguments: str, expected: Any, image_dir: Path) -> None:
    code = f"r = ImageDataGenerator(rescale=1 / 255).flow_from_directory(DIR, {arguments})\n"
    assert static(KERAS + code) == expected
    for generator in _generators():
        scope = {"ImageDataGenerator": generator, "DIR": str(image_dir)}
        exec(compile(code, "<case>", "exec"), scope)  # the test's own snippet
        batch = scope["r"][0]
        assert agrees(expected, batch), f"static {expected}, {generator.__module__} {[np.shape(b) for b in batch]}"


@pytest.mark.tensorflow
def test_flow_from_directory_channels_first_and_image_shape(image_dir: Path) -> None:
    code = ("r = ImageDataGenerator(data_format='channels_first').flow_from_directory(DIR, target_size=(6, 8))\n"
            "shape = r.image_shape\n")
    assert static(KERAS + code) == ("?,3,6,8", "?,?")
    scope, _ = module_scope(KERAS + code)
    assert [v.value for v in scope.vars["shape"].items] == [3, 6, 8]  # type: ignore[attr-defined]
    for generator in _generators():
        real = {"ImageDataGenerator": generator, "DIR": str(image_dir)}
        exec(compile(code, "<case>", "exec"), real)
        assert real["shape"] == (3, 6, 8) and agrees(("?,3,6,8", "?,?"), real["r"][0])


FLOWS = [
    ("x4, y", ("?,8,8,3", "?,5")),
    ("x4, y, batch_size=4", ("?,8,8,3", "?,5")),
    ("x4, y, sample_weight=w", ("?,8,8,3", "?,5", "?")),
    ("x4, batch_size=3", "?,8,8,3"),
]


@pytest.mark.tensorflow
@pytest.mark.parametrize(("arguments", "expected"), FLOWS, ids=[a for a, _ in FLOWS])
def test_flow_batches_are_rows_of_the_arrays(arguments: str, expected: Any) -> None:
    arrays = "import numpy as np\nx4 = np.zeros((10, 8, 8, 3))\ny = np.zeros((10, 5))\nw = np.ones(10)\n"
    code = f"r = ImageDataGenerator().flow({arguments})\n"
    assert static(KERAS + arrays + code) == expected
    for generator in _generators():
        scope = {"ImageDataGenerator": generator}
        exec(compile(arrays + code, "<case>", "exec"), scope)
        assert agrees(expected, scope["r"][0])


def test_flow_of_an_array_keras_refuses_stays_unknown() -> None:
    scope, _ = module_scope(KERAS + "import numpy as np\nr = ImageDataGenerator().flow(np.zeros((10, 28, 28)))\n")
    assert not isinstance(scope.vars["r"], DatasetV)  # Keras: "Input data in NumpyArrayIterator should have rank 4"


DATAFRAMES = [
    ("df, DIR, target_size=(9, 9)", ("?,9,9,3", "?,?")),
    ("df, DIR, target_size=(9, 9), y_col='size', class_mode='raw'", ("?,9,9,3", "?")),
    ("df, DIR, target_size=(9, 9), y_col=['size', 'age'], class_mode='raw'", ("?,9,9,3", "?,2")),
    ("df, DIR, target_size=(9, 9), class_mode='sparse', weight_col='w'", ("?,9,9,3", "?", "?")),
    ("df, DIR, target_size=(4, 4), color_mode='grayscale', class_mode=None", "?,4,4,1"),
]


@pytest.mark.tensorflow
@pytest.mark.parametrize(("arguments", "expected"), DATAFRAMES, ids=[a for a, _ in DATAFRAMES])
def test_flow_from_dataframe_batches_match_keras(arguments: str, expected: Any, image_dir: Path) -> None:
    pandas = pytest.importorskip("pandas")
    code = f"r = ImageDataGenerator().flow_from_dataframe({arguments})\n"
    assert static(KERAS + "df = None\n" + code) == expected
    files = sorted(str(p.relative_to(image_dir)) for p in image_dir.rglob("*.png"))
    frame = pandas.DataFrame({"filename": files, "class": [f.split("/")[0] for f in files],
                              "size": np.arange(len(files), dtype=float), "age": 1.0, "w": 1.0})
    for generator in _generators():
        scope = {"ImageDataGenerator": generator, "DIR": str(image_dir), "df": frame}
        exec(compile(code, "<case>", "exec"), scope)
        assert agrees(expected, scope["r"][0]), [np.shape(b) for b in scope["r"][0]]


FIT = KERAS + """
from tensorflow import keras
train = ImageDataGenerator(rescale=1 / 255).flow_from_directory(DIR, target_size=(28, 28), color_mode='grayscale')
model = keras.Sequential([keras.Input((28, 28, CHANNELS)), keras.layers.Conv2D(4, 3), keras.layers.Flatten(),
                          keras.layers.Dense(3, activation='softmax')])
model.compile('adam', 'categorical_crossentropy')
CALL
"""


@pytest.mark.parametrize("call", ["model.fit(train, epochs=2)", "model.evaluate(train)", "model.predict(train)",
                                  "model.fit_generator(train, 100, epochs=2)", "model.evaluate_generator(train, 10)",
                                  "model.predict_generator(generator=train)"])
def test_fitting_a_generator_checks_its_images_against_the_model(call: str) -> None:
    code = FIT.replace("CALL", call)
    assert codes(code.replace("CHANNELS", "3")) == [(9, "CNN012")]
    assert codes(code.replace("CHANNELS", "1")) == []


def test_generator_labels_are_checked_under_the_loss() -> None:
    code = FIT.replace("CHANNELS", "1").replace("CALL", "model.fit(train)")
    binary = code.replace("color_mode='grayscale'", "color_mode='grayscale', class_mode='binary'")
    assert codes(binary) == [(9, "CNN013")]  # class numbers against categorical_crossentropy
    two = code.replace("color_mode='grayscale'", "color_mode='grayscale', classes=['a', 'b']")
    assert codes(two) == [(7, "CNN013")]  # two classes, three outputs: at the Dense(3) to change
    assert codes(code) == []  # the number of class folders is not known: quiet


@pytest.mark.tensorflow
def test_keras_refuses_the_generator_cnnlint_reports(image_dir: Path) -> None:
    keras = pytest.importorskip("keras")
    for channels, fails in ((3, True), (1, False)):
        model = keras.Sequential([keras.Input((28, 28, channels)), keras.layers.Flatten(),
                                  keras.layers.Dense(3, activation="softmax")])
        model.compile("sgd", "categorical_crossentropy")
        train = _generators()[0](rescale=1 / 255).flow_from_directory(
            str(image_dir), target_size=(28, 28), color_mode="grayscale", batch_size=2)
        if fails:
            with pytest.raises(ValueError):
                model.fit(train, epochs=1, steps_per_epoch=1, verbose=0)
        else:
            model.fit(train, epochs=1, steps_per_epoch=1, verbose=0)


def test_iterating_a_generator_gives_its_batches() -> None:
    code = FIT.replace("CHANNELS", "3").replace("CALL", "for xb, yb in train:\n    model.train_on_batch(xb, yb)\n"
                                                "    break\nfirst = train[0]\n")
    assert codes(code) == [(10, "CNN012")]
    assert static(code, "first") == ("?,28,28,1", "?,?")


# -- load_img and img_to_array ------------------------------------------------------------------------------
IMAGES = [
    ("target_size=(150, 120)", "150,120,3", "150,120,3"),
    ("target_size=(20, 30), color_mode='grayscale'", "20,30,1", "20,30"),
    ("color_mode='rgba', target_size=(8, 9)", "8,9,4", "8,9,4"),
    ("", "?,?,3", "?,?,3"),
    ("color_mode='grayscale'", "?,?,1", "?,?"),
]


@pytest.mark.tensorflow
@pytest.mark.parametrize(("arguments", "expected", "as_numpy"), IMAGES, ids=[a or "defaults" for a, _, _ in IMAGES])
def test_load_img_and_img_to_array_match_keras(arguments: str, expected: str, as_numpy: str, image_dir: Path) -> None:
    code = ("import numpy as np\nimg = load_img(PATH, ARGS)\nr = img_to_array(img)\n"
            "a = np.asarray(img)\nc = img_to_array(img, data_format='channels_first')\n").replace(", ARGS", (
                ", " + arguments) if arguments else "")
    header = "from tensorflow.keras.preprocessing.image import load_img, img_to_array\nPATH = 'cat.png'\n"
    scope, graph = module_scope(header + code)
    assert structure(graph, scope.vars["r"]) == expected
    first = expected.split(",")
    assert structure(graph, scope.vars["c"]) == ",".join([first[2], first[0], first[1]])
    numpy_array = structure(graph, scope.vars["a"])
    assert numpy_array in (as_numpy, None)  # np.asarray(img) is the NumPy plugin's (`Value.as_array`)
    keras = pytest.importorskip("keras")
    tf_keras = pytest.importorskip("tf_keras")
    for utils in (keras.utils, tf_keras.utils):
        real = {"load_img": utils.load_img, "img_to_array": utils.img_to_array,
                "PATH": str(image_dir / "cats" / "0.png")}
        exec(compile(code, "<case>", "exec"), real)
        assert agrees(expected, real["r"]) and agrees(as_numpy, real["a"])
        assert agrees(structure(graph, scope.vars["c"]), real["c"])


def test_tf_keras_grayscale_argument_of_load_img() -> None:
    code = ("from tensorflow.keras.preprocessing import image\n"
            "r = image.img_to_array(image.load_img('p.png', grayscale=True, target_size=(28, 28)))\n"
            "s = image.load_img('p.png', target_size=(10, 40)).size\n")
    assert static(code) == "28,28,1"
    scope, _ = module_scope(code)
    assert [v.value for v in scope.vars["s"].items] == [40, 10]  # type: ignore[attr-defined]  # Pillow: (w, h)


def test_predicting_one_loaded_image() -> None:
    code = textwrap.dedent("""
        import numpy as np
        from tensorflow import keras
        from tensorflow.keras.preprocessing import image
        model = keras.Sequential([keras.Input((150, 150, 3)), keras.layers.Flatten(), keras.layers.Dense(2)])
        x = image.img_to_array(image.load_img('cat.jpg', target_size=SIZE))
        model.predict(np.expand_dims(x, axis=0))
        """)
    assert codes(code.replace("SIZE", "(150, 120)")) == [(7, "CNN012")]
    assert codes(code.replace("SIZE", "(150, 150)")) == []


# -- timeseries and text datasets --------------------------------------------------------------------------
TIMESERIES = [
    # the window axis: `sequence_length` rows, but unknown in the element spec `fit` traces with
    ("data, targets, sequence_length=10", ("?,?,3", "?"), True),
    ("data, targets2, 5, batch_size=16", ("?,?,3", "?,2"), True),
    ("data, None, sequence_length=7, sequence_stride=2", "?,?,3", True),
    ("data, targets, 4, batch_size=None", ("?,3", ""), False),
]


@pytest.mark.tensorflow
@pytest.mark.parametrize(("arguments", "expected", "batched"), TIMESERIES, ids=[a for a, _, _ in TIMESERIES])
def test_timeseries_dataset_matches_keras(arguments: str, expected: Any, batched: bool) -> None:
    arrays = "import numpy as np\ndata = np.zeros((100, 3))\ntargets = np.zeros(100)\ntargets2 = np.zeros((100, 2))\n"
    code = f"r = keras.utils.timeseries_dataset_from_array({arguments})\n"
    scope, graph = module_scope("from tensorflow import keras\n" + arrays + code)
    dataset = scope.vars["r"]
    assert isinstance(dataset, DatasetV) and structure(graph, dataset) == expected and dataset.batched is batched
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    tf_keras = pytest.importorskip("tf_keras")
    for module in (keras, tf_keras):
        real: dict[str, Any] = {"keras": module}
        exec(compile(arrays + code, "<case>", "exec"), real)
        spec = tf.nest.map_structure(lambda s: tuple(s.shape), real["r"].element_spec)
        assert agrees(expected, spec), spec


@pytest.fixture(scope="module")
def text_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("texts")
    for label in ("neg", "pos"):
        (root / label).mkdir()
        for i in range(2):
            (root / label / f"{i}.txt").write_text(f"text {i}", encoding="utf-8")
    return root


TEXTS = [
    ("", ("?", "?")),
    ("label_mode='categorical'", ("?", "?,?")),
    ("label_mode='categorical', class_names=['neg', 'pos']", ("?", "?,2")),
    ("label_mode='binary'", ("?", "?,1")),
    ("labels=None", "?"),
    ("batch_size=None", ("", "")),
]


@pytest.mark.tensorflow
@pytest.mark.parametrize(("arguments", "expected"), TEXTS, ids=[a or "defaults" for a, _ in TEXTS])
def test_text_dataset_from_directory_matches_keras(arguments: str, expected: Any, text_dir: Path) -> None:
    code = f"r = keras.utils.text_dataset_from_directory(DIR, {arguments})\n"
    assert static("from tensorflow import keras\nDIR = 'texts'\n" + code) == expected
    tf = pytest.importorskip("tensorflow")
    keras = pytest.importorskip("keras")
    tf_keras = pytest.importorskip("tf_keras")
    for module in (keras, tf_keras):
        real: dict[str, Any] = {"keras": module, "DIR": str(text_dir)}
        exec(compile(code.replace("DIR,", "DIR, verbose=False,") if module is keras else code, "<case>", "exec"), real)
        spec = tf.nest.map_structure(lambda s: tuple(s.shape), real["r"].element_spec)
        assert agrees(expected, spec), spec


# -- which of these APIs each installed Keras has (for the target-version issue) --------------------------
@pytest.mark.tensorflow
def test_which_keras_has_the_legacy_generator_apis() -> None:
    keras = pytest.importorskip("keras")
    tf_keras = pytest.importorskip("tf_keras")
    assert not hasattr(keras.preprocessing.image, "ImageDataGenerator")  # Keras 3: only under tf.keras
    assert not any(hasattr(keras.Model, m) for m in ("fit_generator", "evaluate_generator", "predict_generator"))
    assert hasattr(tf_keras.preprocessing.image, "ImageDataGenerator")
    assert all(hasattr(tf_keras.Model, m) for m in ("fit_generator", "evaluate_generator", "predict_generator"))
    for module in (keras, tf_keras):
        assert all(hasattr(module.utils, f) for f in ("load_img", "img_to_array", "timeseries_dataset_from_array",
                                                       "text_dataset_from_directory"))
