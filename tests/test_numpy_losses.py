"""Metrics hand-written in NumPy (CNN015) and the values of `model.predict`.

Each metric case is checked statically and run by NumPy on zero arrays: the broadcast under the
reduction has the shape cnnlint infers, and CNN015 is reported exactly where that shape is bigger
than both operands' and the broadcast is not one the program makes on purpose (a new axis, or
centring). `model.predict(x)` / `predict_on_batch` / `model(x)` are compared with Keras 3 and tf-keras.
"""

from __future__ import annotations

import math
import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import codes, lint, shapes_by_label

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

# (metric, the broadcast it reduces, labels `y` shape, predictions `p` shape, integer labels, expected)
CASES: list[tuple[str, str, tuple[int, ...], tuple[int, ...], bool, str | None]] = [
    ("np.square(np.subtract(y, p)).mean()", "np.subtract(y, p)", (404,), (404, 1), False, "CNN015"),
    ("np.mean((y - p) ** 2)", "y - p", (5,), (5, 1), False, "CNN015"),
    ("np.sum(np.abs(y - p))", "y - p", (5, 1), (5,), False, "CNN015"),
    ("np.mean(np.absolute(np.subtract(p, y)))", "np.subtract(p, y)", (5,), (5, 1), False, "CNN015"),
    ("np.sqrt(np.mean(np.power(y - p, 2)))", "y - p", (5,), (5, 1), False, "CNN015"),
    ("np.square(y - p).sum()", "y - p", (1, 5), (5, 1), False, "CNN015"),
    ("np.mean(np.square(np.subtract(y, p)))", "np.subtract(y, p)", (5,), (5,), False, None),
    ("np.mean((y - p) ** 2)", "y - p", (5, 1), (5, 1), False, None),
    ("np.mean((y - p.ravel()) ** 2)", "y - p.ravel()", (5,), (5, 1), False, None),
    ("np.mean(np.abs(y - np.squeeze(p)))", "y - np.squeeze(p)", (5,), (5, 1), False, None),
    ("np.mean((y - p) ** 2)", "y - p", (5, 3), (3,), False, None),  # (n, d) against (d,): one operand's shape
    # accuracies: an element-wise `==` averaged (or counted)
    ("np.mean(np.argmax(p, 1) == y)", "np.argmax(p, 1) == y", (5, 1), (5, 3), True, "CNN015"),
    ("(np.argmax(p, axis=-1) == y).astype(np.float32).mean()", "np.argmax(p, axis=-1) == y", (5, 1), (5, 3), True,
     "CNN015"),
    ("np.sum(np.equal(y, np.argmax(p, axis=1)))", "np.equal(y, np.argmax(p, axis=1))", (5, 1), (5, 3), True,
     "CNN015"),
    ("np.mean(np.equal(np.argmax(p, axis=1), y))", "np.equal(np.argmax(p, axis=1), y)", (5,), (5, 3), True, None),
    ("np.mean(p.argmax(axis=1) == y.ravel())", "p.argmax(axis=1) == y.ravel()", (5, 1), (5, 3), True, None),
    # broadcasts made on purpose
    ("np.sum((y[:, None] - p[None, :]) ** 2)", "y[:, None] - p[None, :]", (5,), (4,), False, None),  # pairwise
    ("np.sum(np.square(np.expand_dims(y, 1) - p))", "np.expand_dims(y, 1) - p", (5,), (4,), False, None),
    ("np.sum((y.reshape(-1, 1) - p) ** 2)", "y.reshape(-1, 1) - p", (5,), (4,), False, None),
    ("np.mean((y - y.mean(axis=0)) ** 2)", "y - y.mean(axis=0)", (6, 4), (1,), False, None),  # centring
    ("np.mean((y - y.mean(axis=1)) ** 2)", "y - y.mean(axis=1)", (6, 1), (1,), False, None),  # (6, 6), centring
]

HEADER = "import numpy as np\n"


def _source(metric: str, inner: str, labels: tuple[int, ...], predictions: tuple[int, ...], integer: bool) -> str:
    dtype = "np.int64" if integer else "np.float32"
    return (f"{HEADER}y = np.zeros({labels}, {dtype})\np = np.zeros({predictions}, np.float32)\n"
            f"inner = {inner}\nmetric = {metric}\n")


def _ids() -> list[str]:
    return [f"{metric}-{labels}-{predictions}" for metric, _, labels, predictions, _, _ in CASES]


def _static_shape(source: str, name: str) -> tuple[int, ...] | None:
    shape = shapes_by_label(source).get(name)
    if shape is None:
        return None
    return tuple(int(d) for d in shape.split(",")) if shape else ()


@pytest.mark.parametrize(("metric", "inner", "labels", "predictions", "integer", "expected"), CASES, ids=_ids())
def test_static_verdict(metric: str, inner: str, labels: tuple[int, ...], predictions: tuple[int, ...],
                        integer: bool, expected: str | None) -> None:
    found = codes(_source(metric, inner, labels, predictions, integer))
    assert found == ([expected] if expected else [])


@pytest.mark.parametrize(("metric", "inner", "labels", "predictions", "integer", "expected"), CASES, ids=_ids())
def test_numpy_agrees(metric: str, inner: str, labels: tuple[int, ...], predictions: tuple[int, ...],
                      integer: bool, expected: str | None) -> None:
    source = _source(metric, inner, labels, predictions, integer)
    scope: dict[str, Any] = {}
    exec(compile(source, "<case>", "exec"), scope)  # the cases above, not user code
    real = tuple(np.shape(scope["inner"]))
    assert _static_shape(source, "inner") == real
    assert _static_shape(source, "metric") == tuple(np.shape(scope["metric"]))
    bigger = math.prod(real) > max(math.prod(labels), math.prod(predictions))
    if expected == "CNN015":
        assert bigger, "NumPy computed the metric on a broadcast no bigger than an operand"
    elif "None" not in inner and "expand_dims" not in inner and "reshape" not in inner and ".mean(" not in inner:
        assert not bigger


def test_message_names_the_shapes_and_a_metric() -> None:
    source = HEADER + "y = np.zeros(5)\np = np.zeros((5, 1))\nmse = np.mean((y - p) ** 2)\n"
    [found] = lint(source)
    assert found.loc.line == 4
    assert "`y` (5,) and `p` (5, 1) broadcasts to (5, 5)" in found.message
    assert "the metric is wrong" in found.message


def test_unknown_operands_stay_quiet() -> None:
    source = HEADER + "y = np.load('y.npy')\np = np.zeros((5, 1))\nm = np.mean(np.square(np.subtract(y, p)))\n"
    assert codes(source) == []
    assert shapes_by_label(source).get("m") is None


def test_elementwise_functions_keep_or_broadcast_shapes_as_numpy() -> None:
    source = HEADER + textwrap.dedent("""\
        a = np.zeros((4, 1))
        b = np.zeros((3,))
        r1 = np.add(a, b)
        r2 = np.multiply(a, 2.0)
        r3 = np.divide(1, b)
        r4 = np.power(a, 2)
        r5 = np.not_equal(a, b)
        r6 = np.exp(a)
        r7 = np.log(b)
        r8 = np.sqrt(np.abs(a))
        r9 = np.subtract([1.0, 2.0, 3.0], a)
        r10 = np.argmax(np.zeros((4, 3, 2)), axis=1)
        r11 = np.maximum(a, b)
        r12 = np.less_equal(b, 0.5)
        r13 = np.floor_divide(a, np.ones((2, 1, 1)))
        r14 = np.tanh(np.log1p(a))
        r15 = np.zeros((4, 3, 2)).argmax(-1)
        """)
    scope: dict[str, Any] = {}
    with np.errstate(divide="ignore"):
        exec(compile(source, "<case>", "exec"), scope)  # the case above, not user code
    for name in [f"r{i}" for i in range(1, 16)]:
        assert _static_shape(source, name) == np.shape(scope[name]), name
    assert _static_shape(HEADER + "r = np.zeros(int(np.sqrt(16)))\n", "r") == (4,)  # a number stays a number


# -- `model.predict(x)`: (n,) + output.shape[1:] ---------------------------------------------
PREDICT = """\
import numpy as np
from keras import Input, Model, layers, models
x = np.zeros((7, 13), np.float32)
reg = models.Sequential([Input((13,)), layers.Dense(4, activation="relu"), layers.Dense(1)])
p1 = reg.predict(x, verbose=0)
p2 = reg.predict_on_batch(x)
p3 = reg(x)
i = Input((13,))
m = Model(i, [layers.Dense(3)(i), layers.Dense(2)(i)])
outs = m.predict(x, verbose=0)
p4, p5 = m.predict(x, verbose=0)
images = np.zeros((5, 8, 8, 1), np.float32)
conv = models.Sequential([Input((8, 8, 1)), layers.Conv2D(2, 3)])
p6 = conv.predict(images, verbose=0)
j1, j2 = Input((13,)), Input((2,))
two = Model([j1, j2], layers.Concatenate()([j1, j2]))
p7 = two.predict([x, np.zeros((7, 2), np.float32)], verbose=0)
"""
PREDICTED = {"p1": (7, 1), "p2": (7, 1), "p3": (7, 1), "p4": (7, 3), "p5": (7, 2), "p6": (5, 6, 6, 2), "p7": (7, 15)}


def test_predict_values_static() -> None:
    shapes = {name: _static_shape(PREDICT, name) for name in PREDICTED}
    assert shapes == PREDICTED


def test_predict_of_unknown_or_refused_data_is_unknown() -> None:
    source = PREDICT.replace("x = np.zeros((7, 13), np.float32)", "x = np.load('x.npy')")
    assert all(_static_shape(source, name) is None for name in ("p1", "p2", "p4"))
    wrong = PREDICT.replace("np.zeros((7, 13), np.float32)", "np.zeros((7, 12), np.float32)")
    assert _static_shape(wrong, "p1") is None  # Keras raises (CNN012's), nothing after it is known


def _run_predict(module: str) -> dict[str, tuple[int, ...]]:
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": ""}
    code = PREDICT.replace("from keras import", f"from {module} import") + textwrap.dedent(f"""
        import json
        print(json.dumps({{name: list(np.shape(globals()[name])) for name in {sorted(PREDICTED)!r}}}))
        print(type(outs).__name__)
        """)
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=300,
                          check=True)
    lines = done.stdout.strip().splitlines()
    assert lines[-1] == "list"  # several outputs: a list of arrays
    import json

    return {name: tuple(shape) for name, shape in json.loads(lines[-2]).items()}


@pytest.mark.tensorflow
@pytest.mark.parametrize("module", ["keras", "tf_keras"])
def test_predict_values_agree_with_keras(module: str) -> None:
    pytest.importorskip(module)
    assert _run_predict(module) == PREDICTED


# -- the real-world case: Boston housing, `(404,)` targets against `(404, 1)` predictions --------------
CASE_008 = next((Path(__file__).parent / "realworld").glob("008-*"))


def test_boston_housing_metric_is_reported_and_its_fix_is_not() -> None:
    buggy = (CASE_008 / "buggy.py").read_text()
    [found] = lint(buggy)
    assert (found.code, found.loc.line) == ("CNN015", 21)
    assert "(404,)" in found.message and "(404, 1)" in found.message and "(404, 404)" in found.message
    assert lint((CASE_008 / "fixed.py").read_text()) == []
