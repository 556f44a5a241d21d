"""End to end against TensorFlow: generated tf.nn source, rebuilt by cnnlint, vs TF's shape inference.

TensorFlow traces each op in a `tf.function` (shape inference only, no kernels run, so NCHW and
dilations work on CPU). Either both agree on the output shape, or TF rejects the op and cnnlint
reports a fatal problem on the same line. One seeded generator per op family.

`tf.nn` does not depend on which Keras `tf.keras` is, so the same TensorFlow verdicts are checked
against cnnlint's reading for Keras 3 and for late Keras 2 (`--keras-version 2.21`) alike;
`benchmarks/differential.py` runs the generators in a Keras 3 and in a tf-keras process.
"""

from __future__ import annotations

import random
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import pytest

tf = pytest.importorskip("tensorflow")
pytestmark = pytest.mark.tensorflow

from cnnlint.frontend import extract  # noqa: E402
from cnnlint.options import FrontendOptions  # noqa: E402
from tests.differential_oracle import Outcome, options  # noqa: E402

CASES_PER_FAMILY = 60


@dataclass
class Case:
    code: str  # statements after `import tensorflow as tf`; the op under test is bound to `y`
    specs: list[Any]  # TensorSpecs of the inputs, in order
    build: Callable[..., Any]  # TF function of those inputs
    id: str


def tf_outcome(case: Case) -> tuple[int | None, ...] | None:
    """TF's static output shape, or None when TF rejects the op."""
    try:
        concrete = tf.function(case.build).get_concrete_function(*case.specs)
    except (ValueError, tf.errors.InvalidArgumentError, TypeError):
        return None
    return tuple(concrete.structured_outputs.shape.as_list())


def module_of(code: str, opts: FrontendOptions | None = None) -> Any:
    return extract(textwrap.dedent(code), "snippet.py", opts)


def cnnlint_outcome(case: Case, opts: FrontendOptions | None = None) -> tuple[int | None, ...] | None:
    module = module_of("import tensorflow as tf\n" + textwrap.dedent(case.code), opts)
    graph = module.graphs[0]
    (node,) = [n for n in graph.nodes if graph.labels.get(n.id) == "y"]
    if node.shape is None:
        assert node.problems, f"cnnlint lost the shape of y without a finding:\n{case.code}"
        return None
    return tuple(None if d.value is None else d.value for d in node.shape)


def agree(case: Case, opts: FrontendOptions | None = None) -> None:
    expected, actual = tf_outcome(case), cnnlint_outcome(case, opts)
    if expected is not None and 0 in expected[1:]:
        # TF accepts a zero-size output; cnnlint reports it (CNN005), by design.
        assert actual is None, case.code
        return
    assert actual == expected, case.code


def conv2d_cases(count: int = CASES_PER_FAMILY) -> list[Case]:
    rng = random.Random(2)
    out = []
    for i in range(count):
        h, w, c, f = rng.randint(1, 40), rng.randint(1, 40), rng.randint(1, 6), rng.randint(1, 6)
        kh, kw = rng.randint(1, 7), rng.randint(1, 7)
        stride, dilation = (rng.randint(1, 4), 1) if rng.random() < 0.7 else (1, rng.randint(1, 3))
        padding = rng.choice(["SAME", "VALID"])
        nchw = rng.random() < 0.3
        k_in = c if rng.random() < 0.85 else c + rng.randint(1, 3)
        x_shape = [2, c, h, w] if nchw else [2, h, w, c]
        strides = [1, 1, stride, stride] if nchw else [1, stride, stride, 1]
        fmt = "NCHW" if nchw else "NHWC"
        code = f"""
            x = tf.placeholder(tf.float32, {x_shape})
            k = tf.Variable(tf.zeros([{kh}, {kw}, {k_in}, {f}]))
            y = tf.nn.conv2d(x, k, strides={strides}, padding='{padding}', data_format='{fmt}', dilations={dilation})
        """
        out.append(Case(
            code, [tf.TensorSpec(x_shape), tf.TensorSpec([kh, kw, k_in, f])],
            lambda x, k, s=strides, p=padding, d=fmt, dl=dilation: tf.nn.conv2d(x, k, s, p, data_format=d,
                                                                            dilations=dl),
            f"conv2d-{i}",
        ))
    return out


def conv_nd_cases(count: int = CASES_PER_FAMILY) -> list[Case]:
    rng = random.Random(3)
    out = []
    for i in range(count):
        rank = rng.choice([1, 3])
        sizes = [rng.randint(1, 20) for _ in range(rank)]
        c, f, k, s = rng.randint(1, 4), rng.randint(1, 4), rng.randint(1, 5), rng.randint(1, 3)
        padding = rng.choice(["SAME", "VALID"])
        x_shape, k_shape = [2, *sizes, c], [k] * rank + [c, f]
        if rank == 1:
            code = f"y = tf.nn.conv1d(tf.placeholder(tf.float32, {x_shape}), tf.zeros({k_shape}), {s}, '{padding}')"
            build = lambda x, w, s=s, p=padding: tf.nn.conv1d(x, w, s, p)  # noqa: E731
        else:
            strides = [1, s, s, s, 1]
            code = f"y = tf.nn.conv3d(tf.placeholder(tf.float32, {x_shape}), tf.zeros({k_shape}), {strides}, '{padding}')"
            build = lambda x, w, st=strides, p=padding: tf.nn.conv3d(x, w, st, p)  # noqa: E731
        out.append(Case(code, [tf.TensorSpec(x_shape), tf.TensorSpec(k_shape)], build, f"conv{rank}d-{i}"))
    return out


def pool_cases(count: int = CASES_PER_FAMILY) -> list[Case]:
    rng = random.Random(4)
    out = []
    for i in range(count):
        h, w, c = rng.randint(1, 30), rng.randint(1, 30), rng.randint(1, 4)
        k, s = rng.randint(1, 5), rng.randint(1, 4)
        padding = rng.choice(["SAME", "VALID"])
        kind = rng.choice(["max_pool", "avg_pool"])
        code = f"y = tf.nn.{kind}(tf.placeholder(tf.float32, [2, {h}, {w}, {c}]), [1, {k}, {k}, 1], [1, {s}, {s}, 1], '{padding}')"
        fn = getattr(tf.nn, kind)
        out.append(Case(code, [tf.TensorSpec([2, h, w, c])],
                        lambda x, fn=fn, k=k, s=s, p=padding: fn(x, [1, k, k, 1], [1, s, s, 1], p), f"{kind}-{i}"))
    return out


def depthwise_cases(count: int = CASES_PER_FAMILY // 2) -> list[Case]:
    rng = random.Random(5)
    out = []
    for i in range(count):
        h, w, c, m = rng.randint(3, 30), rng.randint(3, 30), rng.randint(1, 4), rng.randint(1, 3)
        k, s = rng.randint(1, 5), rng.randint(1, 3)
        padding = rng.choice(["SAME", "VALID"])
        k_in = c if rng.random() < 0.8 else c + 1
        code = f"""
            y = tf.nn.depthwise_conv2d(tf.placeholder(tf.float32, [2, {h}, {w}, {c}]), tf.zeros([{k}, {k}, {k_in}, {m}]),
                                       [1, {s}, {s}, 1], '{padding}')
        """
        out.append(Case(code, [tf.TensorSpec([2, h, w, c]), tf.TensorSpec([k, k, k_in, m])],
                        lambda x, f, s=s, p=padding: tf.nn.depthwise_conv2d(x, f, [1, s, s, 1], p),
                        f"depthwise-{i}"))
    return out


def reshape_matmul_cases(count: int = CASES_PER_FAMILY) -> list[Case]:
    rng = random.Random(6)
    out = []
    for i in range(count):
        h, w, c = rng.randint(1, 8), rng.randint(1, 8), rng.randint(1, 8)
        exact = h * w * c
        n = rng.choice([exact, exact, c, w * c, exact + rng.randint(1, 5)])
        units = rng.randint(1, 5)
        w_in = n if rng.random() < 0.7 else n + 1
        code = f"""
            x = tf.placeholder(tf.float32, [6, {h}, {w}, {c}])
            flat = tf.reshape(x, [-1, {n}])
            y = tf.matmul(flat, tf.zeros([{w_in}, {units}]))
        """

        def build(x: Any, n: int = n, w_in: int = w_in, units: int = units) -> Any:
            return tf.matmul(tf.reshape(x, [-1, n]), tf.zeros([w_in, units]))

        out.append(Case(code, [tf.TensorSpec([6, h, w, c])], build, f"flatten-matmul-{i}"))
    return out


ALL_CASES = conv2d_cases() + conv_nd_cases() + pool_cases() + depthwise_cases()


@pytest.mark.parametrize("case", ALL_CASES, ids=lambda c: c.id)
def test_frontend_and_engine_agree_with_tensorflow(case: Case) -> None:
    agree(case, options("keras3"))


@pytest.mark.parametrize("case", ALL_CASES[::6], ids=lambda c: c.id)
def test_the_late_keras_2_target_reads_tf_nn_the_same(case: Case) -> None:
    agree(case, options("tf-keras"))


@pytest.mark.parametrize("case", reshape_matmul_cases(), ids=lambda c: c.id)
def test_flatten_then_matmul_agrees_or_is_stricter(case: Case) -> None:
    """With a fixed batch of 6, TF accepts any N dividing 6*h*w*c; cnnlint also reports flattens
    that cut an axis apart (CNN001), which TF only catches for some batch sizes."""
    assert flatten_matmul_outcome(case, "keras3").agrees, case.code


def flatten_matmul_outcome(case: Case, flavour: str) -> Outcome:
    expected, actual = tf_outcome(case), None
    module = module_of("import tensorflow as tf\n" + textwrap.dedent(case.code), options(flavour))
    graph = module.graphs[0]
    problems = [p for n in graph.nodes for p in n.problems]
    y = next(n for n in graph.nodes if graph.labels.get(n.id) == "y")
    if y.shape is not None:
        actual = tuple(d.value for d in y.shape)
    library = "raises" if expected is None else str(expected)
    said = ", ".join(p.kind for p in problems) or str(actual)
    if expected is None:  # TF rejects: cnnlint must have a finding
        return Outcome(case.id, None, bool(problems), library, said, case.code)
    if problems:  # or a finding that cuts an axis apart, stricter than TF on purpose
        return Outcome(case.id, None, all(p.kind == "flatten-size" for p in problems), library, said, case.code)
    return Outcome(case.id, actual == expected, True, library, said, case.code)


def op_outcome(case: Case, flavour: str) -> Outcome:
    expected = tf_outcome(case)
    try:
        actual = cnnlint_outcome(case, options(flavour))
    except AssertionError as error:
        return Outcome(case.id, False, False, str(expected or "raises"), str(error), case.code)
    library = "raises" if expected is None else str(expected)
    said = "a fatal problem" if actual is None else str(actual)
    if expected is not None and 0 in expected[1:]:  # a zero-size output: CNN005, by design
        return Outcome(case.id, None, actual is None, library, said, case.code)
    if expected is None or actual is None:
        return Outcome(case.id, None, expected == actual, library, said, case.code)
    return Outcome(case.id, actual == expected, True, library, said, case.code)


def outcomes(flavour: str, seeds: Sequence[int]) -> list[dict[str, Any]]:
    """The oracle side, in a process of `flavour`: each family with len(seeds) / 6 cases."""
    count = max(1, len(seeds) // 6)
    ops = conv2d_cases(count) + conv_nd_cases(count) + pool_cases(count) + depthwise_cases(count)
    found = [op_outcome(case, flavour) for case in ops]
    found += [flatten_matmul_outcome(case, flavour) for case in reshape_matmul_cases(2 * count)]
    return [o.as_dict() for o in found]
