"""`tf.data` pipelines whose functions cnnlint follows (`map`, `flat_map`, `filter`), the other
dataset constructors and methods, iterators, and TF1 session values (`sess.run`, `t.eval`).

Each static element is compared with TensorFlow's own `element_spec` of the same code run on tiny
zero arrays, and each session value with what a `tf.compat.v1` session returns (`?` matches any size).
"""

from __future__ import annotations

import textwrap
from typing import Any

import numpy as np
import pytest

from cnnlint.frontend.python.builtins import BUILTINS
from cnnlint.frontend.python.values import Const, DictV, SeqV, Value
from cnnlint.frontend.tensor import TensorV
from cnnlint.frontend.tensorflow.data import DatasetV, IteratorV
from cnnlint.ir import Graph
from tests.conftest import codes, module_scope, shapes_by_label, sizes

PRELUDE = """
import functools
import numpy as np
import tensorflow as tf
x = np.zeros((6, 8, 8, 3), np.float32)
y = np.zeros(6, np.int64)
names = ["a.jpg", "b.jpg"]
pattern = np.__file__  # a file that exists (list_files needs a match)
"""




def structure(graph: Graph, value: Value) -> Any:
    """A value as sizes joined by commas (`?` unknown) in its Python structure; None where unknown."""
    if isinstance(value, TensorV):
        return sizes(graph, value.node)
    if isinstance(value, SeqV):
        items = [structure(graph, v) for v in value.items]
        return tuple(items) if value.is_tuple else items
    if isinstance(value, DictV):
        return {k: structure(graph, v) for k, v in value.items.items()}
    if isinstance(value, Const) and value.value is None:
        return "None"
    return None


def static_element(code: str, name: str = "ds") -> tuple[Any, bool | None]:
    scope, graph = module_scope(PRELUDE + textwrap.dedent(code))
    ds = scope.vars[name]
    assert isinstance(ds, DatasetV)
    return structure(graph, ds.spec), ds.batched


def static_value(code: str, name: str = "r") -> Any:
    scope, graph = module_scope(PRELUDE + textwrap.dedent(code))
    return structure(graph, scope.vars[name])


def run(code: str, graph_mode: bool = False) -> dict[str, Any]:
    """The test's own snippet run by TensorFlow (never user code); in a TF1 graph if `graph_mode`."""
    tf = pytest.importorskip("tensorflow")
    scope: dict[str, Any] = {}
    source = compile(PRELUDE + textwrap.dedent(code), "<case>", "exec")
    if graph_mode:
        with tf.Graph().as_default():
            exec(source, scope)
    else:
        exec(source, scope)
    return scope


def agrees(static: Any, real: Any) -> bool:
    """Whether a static structure describes a real one (`?` matches any size, "None" is None)."""
    if isinstance(static, (tuple, list)):
        return type(static) is type(real) and len(static) == len(real) and all(
            agrees(s, r) for s, r in zip(static, real, strict=True))
    if isinstance(static, dict):
        return isinstance(real, dict) and static.keys() == real.keys() and all(agrees(static[k], real[k]) for k in static)
    if static == "None":
        return real is None
    if static is None or real is None:
        return False
    dims = static.split(",") if static else []
    shape = tuple(real)
    return len(dims) == len(shape) and all(d == "?" or d == str(r) for d, r in zip(dims, shape, strict=True))


def real_element(ds: Any) -> Any:
    tf = pytest.importorskip("tensorflow")

    def spec(s: Any) -> Any:
        return None if s.shape.rank is None else tuple(s.shape)

    return tf.nest.map_structure(spec, ds.element_spec)


def real_value(value: Any) -> Any:
    if isinstance(value, (list, tuple)):
        return type(value)(real_value(v) for v in value)
    if isinstance(value, dict):
        return {k: real_value(v) for k, v in value.items()}
    return None if value is None else np.shape(value)


# (code binding `ds`, its static element, batched)
PIPELINES: list[tuple[str, Any, bool | None]] = [
    # map follows a lambda, a def, a bound method, a partial; tuple elements as positional arguments
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (tf.image.resize(a, (16, 12)), b))",
     ("16,12,3", ""), False),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(2).map(lambda a, b: (tf.image.resize(a, (4, 4)), b))",
     ("?,4,4,3", "?"), True),
    ("def prep(img, label):\n    img = tf.cast(img, tf.float32) / 255.0\n    return img, tf.one_hot(label, 10)\n"
     "ds = tf.data.Dataset.from_tensor_slices((x, y)).map(prep, num_parallel_calls=tf.data.AUTOTUNE)",
     ("8,8,3", "10"), False),
    ("class Prep:\n    def __init__(self, size):\n        self.size = size\n"
     "    def apply(self, a, b):\n        return tf.image.resize(a, (self.size, self.size)), b\n"
     "ds = tf.data.Dataset.from_tensor_slices((x, y)).map(Prep(5).apply)", ("5,5,3", ""), False),
    ("def to(a, b, size):\n    return tf.image.resize(a, (size, size)), b\n"
     "ds = tf.data.Dataset.from_tensor_slices((x, y)).map(functools.partial(to, size=7))", ("7,7,3", ""), False),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: [a, b])", ("8,8,3", ""), False),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (a, 0))", ("8,8,3", ""), False),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: a)", "8,8,3", False),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: {'img': a, 'lbl': b})",
     {"img": "8,8,3", "lbl": ""}, False),
    ("ds = tf.data.Dataset.from_tensor_slices({'image': x, 'label': y}).map(lambda d: (d['image'], d['label']))",
     ("8,8,3", ""), False),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (tf.reshape(a, (-1,)), tf.expand_dims(b, -1)))",
     ("192", "1"), False),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (tf.image.per_image_standardization("
     "tf.image.random_flip_left_right(tf.image.convert_image_dtype(a, tf.float32))), b))", ("8,8,3", ""), False),
    ("ds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tf.image.random_brightness(a, max_delta=0.1))",
     "8,8,3", False),
    ("ds = tf.data.Dataset.from_tensor_slices(x).map(tf.image.rgb_to_grayscale)", "8,8,1", False),
    ("ds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tf.image.resize_with_pad(a, 10, 12))", "10,12,3", False),
    ("ds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tf.image.random_crop(a, (4, 5, 3)))", "4,5,3", False),
    ("ds = tf.data.Dataset.from_tensor_slices(x).map(lambda a: tf.image.resize(a, (4, 4), preserve_aspect_ratio=True))",
     "?,?,3", False),
    ("ds = tf.data.Dataset.from_tensor_slices(y).map(lambda b: tf.one_hot(b, 4, axis=0))", "4", False),
    # files: read and decode
    ("ds = tf.data.Dataset.from_tensor_slices(names).map(lambda p: tf.io.decode_jpeg(tf.io.read_file(p), channels=3))",
     "?,?,3", False),
    ("ds = tf.data.Dataset.from_tensor_slices(names).map(lambda p: tf.io.decode_png(tf.io.read_file(p)))",
     "?,?,?", False),
    ("def load(path):\n    img = tf.image.decode_jpeg(tf.io.read_file(path), channels=1)\n"
     "    return tf.image.resize(img, [32, 32]) / 255.0\n"
     "ds = tf.data.Dataset.list_files(pattern).map(load).batch(4)", "?,32,32,1", True),
    ("ds = tf.data.Dataset.from_tensor_slices(names).map(lambda p: tf.io.decode_image(tf.io.read_file(p), "
     "channels=3, expand_animations=False))", "?,?,3", False),
    ("ds = tf.data.Dataset.list_files(pattern)", "", False),
    # filter, enumerate, window + flat_map, padded_batch, range, from_generator
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).filter(lambda a, b: b > 0)", ("8,8,3", ""), False),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).enumerate()", ("", ("8,8,3", "")), False),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).window(3, shift=1, drop_remainder=True).flat_map("
     "lambda a, b: tf.data.Dataset.zip((a.batch(3), b.batch(3))))", ("?,8,8,3", "?"), True),
    ("ds = tf.data.Dataset.from_tensor_slices(y).window(2).flat_map(lambda w: w.batch(2))", "?", True),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).padded_batch(2)", ("?,8,8,3", "?"), True),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).padded_batch(2, drop_remainder=True)", ("2,8,8,3", "2"), True),
    ("ds = tf.data.Dataset.from_tensor_slices((x, y)).padded_batch(2, padded_shapes=([None, 10, 3], []))",
     ("?,?,10,3", "?"), True),
    ("ds = tf.data.Dataset.from_tensor_slices(x).padded_batch(3, padded_shapes=[-1, 8, 3], drop_remainder=True)",
     "3,?,8,3", True),
    ("ds = tf.data.Dataset.range(5)", "", False),
    ("ds = tf.data.Dataset.range(1, 9, 2).batch(2)", "?", True),
    ("ds = tf.data.Dataset.from_generator(lambda: iter([]), output_signature=(tf.TensorSpec(shape=(None, 4)), "
     "tf.TensorSpec(shape=(), dtype=tf.int32)))", ("?,4", ""), False),
    ("ds = tf.data.Dataset.from_generator(lambda: iter([]), output_types=(tf.float32, tf.int32), "
     "output_shapes=((None, 4), ()))", ("?,4", ""), False),
    ("ds = tf.data.Dataset.from_generator(lambda: iter([]), output_types={'a': tf.float32}, "
     "output_shapes={'a': [3]}).batch(2, drop_remainder=True)", {"a": "2,3"}, True),
    ("ds = tf.data.Dataset.from_generator(lambda: iter([]), output_types=tf.float32, output_shapes=tf.TensorShape([2]))",
     "2", False),
]


@pytest.mark.tensorflow
@pytest.mark.parametrize(("code", "expected", "batched"), PIPELINES, ids=[c.splitlines()[-1] for c, _, _ in PIPELINES])
def test_dataset_element_matches_tensorflow(code: str, expected: Any, batched: bool) -> None:
    assert static_element(code) == (expected, batched)
    actual = real_element(run(code)["ds"])
    assert agrees(expected, actual), f"static {expected}, TensorFlow {actual}"


@pytest.mark.parametrize("code", [
    "ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: tf.py_function(f, [a], tf.float32))",
    "ds = tf.data.Dataset.from_tensor_slices((x, y)).map(undefined_function)",
    "ds = tf.data.Dataset.from_tensor_slices(names).map(lambda p: tf.io.decode_image(tf.io.read_file(p)))",
    "ds = tf.data.Dataset.from_generator(gen)",
])
def test_what_cannot_be_followed_stays_unknown(code: str) -> None:
    element, _ = static_element(code)
    assert element is None


def test_output_types_without_shapes_have_unknown_rank() -> None:
    element, _ = static_element("ds = tf.data.Dataset.from_generator(gen, output_types=(tf.float32, tf.int32))")
    assert element == (None, None)


def test_window_makes_a_dataset_per_component() -> None:
    scope, graph = module_scope(PRELUDE + "ds = tf.data.Dataset.from_tensor_slices((x, y)).window(3)")
    ds = scope.vars["ds"]
    assert isinstance(ds, DatasetV) and isinstance(ds.spec, SeqV)
    assert all(isinstance(part, DatasetV) for part in ds.spec.items)
    assert [structure(graph, part.spec) for part in ds.spec.items if isinstance(part, DatasetV)] == ["8,8,3", ""]


def test_a_mapped_function_is_not_reported_as_uncalled() -> None:
    assert codes(PRELUDE + "def prep(a, b):\n    return tf.reshape(a, (8, 8, 3)), b\n"
                 "ds = tf.data.Dataset.from_tensor_slices((x, y)).map(prep)\n") == []


def test_a_bug_inside_the_mapped_function_is_reported() -> None:
    """`tf.data` traces the function on the element: a reshape that cannot hold it fails there."""
    assert codes(PRELUDE + "ds = tf.data.Dataset.from_tensor_slices((x, y)).map("
                             "lambda a, b: (tf.reshape(a, (10, 10)), b))\n") == ["CNN001"]


# -- iterators and loops ---------------------------------------------------------------------------------
ITERATED = [
    ("it = tf.compat.v1.data.make_one_shot_iterator(tf.data.Dataset.from_tensor_slices((x, y)).batch(2))\n"
     "r = it.get_next()", ("?,8,8,3", "?")),
    ("it = tf.compat.v1.data.make_initializable_iterator(tf.data.Dataset.from_tensor_slices(x))\n"
     "r = it.get_next()", "8,8,3"),
    ("r = tf.data.Dataset.from_tensor_slices((x, y)).batch(3).make_one_shot_iterator().get_next()",
     ("?,8,8,3", "?")),
]


@pytest.mark.tensorflow
@pytest.mark.parametrize(("code", "expected"), ITERATED, ids=[c.splitlines()[-1] for c, _ in ITERATED])
def test_get_next_gives_the_element_as_tensorflow_does(code: str, expected: Any) -> None:
    assert static_value(code) == expected
    if "make_one_shot_iterator()" in code:  # a TF1 method TF 2 no longer has: checked statically only
        return
    real = run(code, graph_mode=True)["r"]
    assert agrees(expected, real_value(real) if not isinstance(real, (tuple, list)) else
                  type(real)(tuple(t.shape) for t in real)) or agrees(expected, _graph_shapes(real))


def _graph_shapes(value: Any) -> Any:
    if isinstance(value, (tuple, list)):
        return type(value)(_graph_shapes(v) for v in value)
    return tuple(value.shape)


def test_get_next_feeds_tf1_layers() -> None:
    code = ("ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(2)\n"
            "images, labels = tf.compat.v1.data.make_one_shot_iterator(ds).get_next()\n"
            "r = tf.compat.v1.layers.conv2d(images, 16, 3)\n"
            "flat = tf.compat.v1.layers.flatten(r)\n")
    assert static_value(code) == "?,6,6,16"
    assert static_value(code, "flat") == "?,576"


def test_get_next_against_a_tf1_graph() -> None:
    """The same element through `tf.nn.conv2d` in a real TF1 graph (tf.layers needs Keras 2)."""
    code = ("ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(2)\n"
            "images, labels = tf.compat.v1.data.make_one_shot_iterator(ds).get_next()\n"
            "r = tf.nn.conv2d(images, tf.zeros((3, 3, 3, 16)), strides=1, padding='VALID')\n")
    assert static_value(code) == "?,6,6,16"
    pytest.importorskip("tensorflow")
    assert agrees("?,6,6,16", tuple(run(code, graph_mode=True)["r"].shape))


def test_iterator_from_structure() -> None:
    code = ("it = tf.compat.v1.data.Iterator.from_structure((tf.float32, tf.int64), ((None, 8, 8, 3), (None,)))\n"
            "init = it.make_initializer(tf.data.Dataset.from_tensor_slices((x, y)).batch(2))\n"
            "r = it.get_next()\n")
    assert static_value(code) == ("?,8,8,3", "?")
    assert static_value(code + "sess = tf.compat.v1.Session()\nr = sess.run(init)\n") == "None"


def test_iterator_initializer_is_an_op() -> None:
    code = ("it = tf.compat.v1.data.make_initializable_iterator(tf.data.Dataset.from_tensor_slices(x))\n"
            "sess = tf.compat.v1.Session()\nr = sess.run(it.initializer)\n")
    assert static_value(code) == "None"


@pytest.mark.parametrize("loop", ["for a, b in ds:", "for a, b in ds.take(1):", "for a, b in ds.as_numpy_iterator():"])
def test_a_loop_over_a_dataset_binds_its_batches(loop: str) -> None:
    code = "ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (tf.image.resize(a, (4, 4)), b))" \
           f".batch(2)\n{loop}\n    r = tf.identity(a)\n    s = tf.identity(b)\n"
    labels = shapes_by_label(PRELUDE + code)
    assert (labels["r"], labels["s"]) == ("?,4,4,3", "?")


def test_a_dataset_and_its_iterators_describe_their_element() -> None:
    scope, graph = module_scope(PRELUDE + "ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(2)\n"
                                "it = ds.as_numpy_iterator()\n")
    for name in ("ds", "it"):
        value = scope.vars[name]
        assert isinstance(value, (DatasetV, IteratorV))
        element = value.element(None, None)  # type: ignore[arg-type]
        assert element is not None and structure(graph, element) == ("?,8,8,3", "?")


@pytest.mark.skipif("next" not in BUILTINS or "iter" not in BUILTINS, reason="the interpreter has no iter/next")
@pytest.mark.parametrize("code", ["r, _ = next(iter(ds))", "it = iter(ds)\nr, _ = next(it)",
                                  "r, _ = next(ds.as_numpy_iterator())"])
def test_next_of_iter(code: str) -> None:
    assert static_value("ds = tf.data.Dataset.from_tensor_slices((x, y)).batch(2)\n" + code) == "?,8,8,3"


# -- end to end: a mapped dataset into a Keras model -------------------------------------------------------
def _fit_program(size: int) -> str:
    return textwrap.dedent(f"""
        import numpy as np
        import tensorflow as tf
        from tensorflow import keras
        x = np.zeros((4, 32, 32, 3), np.float32)
        y = np.zeros(4, np.int64)
        ds = tf.data.Dataset.from_tensor_slices((x, y)).map(lambda a, b: (tf.image.resize(a, (64, 64)), b)).batch(32)
        inputs = keras.Input(({size}, {size}, 3))
        outputs = keras.layers.Dense(10)(keras.layers.Flatten()(inputs))
        model = keras.Model(inputs, outputs)
        model.compile(loss="sparse_categorical_crossentropy", optimizer="sgd")
        model.fit(ds, epochs=1, verbose=0)
    """)


@pytest.mark.tensorflow
@pytest.mark.parametrize(("size", "expected"), [(32, ["CNN012"]), (64, [])])
def test_a_resized_dataset_against_the_model_input(size: int, expected: list[str]) -> None:
    program = _fit_program(size)
    assert codes(program) == expected
    pytest.importorskip("tensorflow")
    if expected:
        with pytest.raises(ValueError):
            exec(compile(program, "<case>", "exec"), {})
    else:
        exec(compile(program, "<case>", "exec"), {})


# -- TF1 session values ----------------------------------------------------------------------------------
GRAPH = """
tf1 = tf.compat.v1
p = tf1.placeholder(tf.float32, [None, 6])
w = tf1.Variable(tf.zeros([6, 4]))
h = tf.matmul(p, w)
train = tf1.train.GradientDescentOptimizer(0.1).minimize(tf.reduce_sum(h))
init = tf1.global_variables_initializer()
feed = {p: np.zeros((5, 6), np.float32)}
sess = tf1.Session()
sess.run(init)
"""

SESSION_VALUES: list[tuple[str, Any]] = [
    ("r = sess.run(h, feed_dict=feed)", "?,4"),
    ("r = sess.run([h, p], feed_dict=feed)", ["?,4", "?,6"]),
    ("r = sess.run((h, w), feed_dict=feed)", ("?,4", "6,4")),
    ("r = sess.run({'out': h}, feed_dict=feed)", {"out": "?,4"}),
    ("r = sess.run([train, h], feed_dict=feed)", ["None", "?,4"]),
    ("r = sess.run(init)", "None"),
    ("r = sess.run(w)", "6,4"),
    ("r = h.eval(session=sess, feed_dict=feed)", "?,4"),
    ("with sess.as_default():\n    r = h.eval(feed_dict=feed)", "?,4"),
    ("with tf1.Session() as s:\n    s.run(init)\n    r = s.run([h, w], feed_dict=feed)", ["?,4", "6,4"]),
    ("_, r = sess.run([train, h], feed_dict=feed)", "?,4"),
]


@pytest.mark.tensorflow
@pytest.mark.parametrize(("code", "expected"), SESSION_VALUES, ids=[c for c, _ in SESSION_VALUES])
def test_session_values_match_tensorflow(code: str, expected: Any) -> None:
    assert static_value(GRAPH + code) == expected
    actual = real_value(run(GRAPH + code, graph_mode=True)["r"])
    assert agrees(expected, actual), f"static {expected}, TensorFlow {actual}"


def test_run_on_an_unknown_object_is_not_a_session_run_for_arrays() -> None:
    """`.run(a)` on something unknown is a session run only when it fetches a tensor of the TF1 graph."""
    assert static_value("r = runner.run(np.zeros((3, 4)))") is None
    assert static_value(GRAPH + "r = unknown_session.run(h)") == "?,4"
    assert static_value(GRAPH + "r = unknown_session.run([w, init])") == ["6,4", "None"]


FED_BACK = """
import numpy as np
import tensorflow.compat.v1 as tf
x = tf.placeholder(tf.float32, [None, 784])
features = tf.layers.dense(x, 64)
z = tf.placeholder(tf.float32, [None, {width}])
logits = tf.layers.dense(z, 10)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    f = sess.run(features, feed_dict={{x: np.zeros((100, 784))}})
    out = sess.run(logits, feed_dict={{z: f}})
"""


@pytest.mark.parametrize(("width", "expected"), [(32, ["CNN014"]), (64, [])])
def test_a_session_value_fed_back_is_checked(width: int, expected: list[str]) -> None:
    assert codes(FED_BACK.format(width=width)) == expected


@pytest.mark.tensorflow
def test_tensorflow_refuses_a_session_value_of_another_width() -> None:
    tf = pytest.importorskip("tensorflow")
    tf1 = tf.compat.v1
    with tf.Graph().as_default():
        x = tf1.placeholder(tf.float32, [None, 8])
        features = tf.matmul(x, tf.zeros((8, 64)))
        z = tf1.placeholder(tf.float32, [None, 32])
        with tf1.Session() as sess:
            f = sess.run(features, feed_dict={x: np.zeros((3, 8))})
            assert f.shape == (3, 64)
            with pytest.raises(ValueError, match="Cannot feed value of shape"):
                sess.run(z, feed_dict={z: f})
