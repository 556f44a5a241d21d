"""Fix safety, checked against the Kerases themselves.

A CNN007 fix marked *safe* must write the call the way Keras 2.0-2.3's own legacy interface
converted it, so that the layer keeps the configuration it had in the Keras that wrote it. The
oracle is that code: `keras/legacy/interfaces.py` from the Keras 2.3.1 wheel on PyPI (plain
Python), run on the original call; the fixed call is then built in today's Keras and compared,
configuration and output shape, with the layer the oracle's arguments build. Every class and
Keras 1 argument that `keras1.KERAS2_CONVERSIONS` lists gets a generated case, so a conversion
added to the table without being right fails here; fixes outside the table must be unsafe.
"""

from __future__ import annotations

import ast
import importlib.util
import os
import subprocess
import sys
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from cnnlint import fix
from cnnlint.frontend.keras import keras1
from cnnlint.rules import select_rules
from cnnlint.runner import check_source

pytestmark = pytest.mark.tensorflow
RULES = select_rules(["CNN"])
CACHE = Path(os.environ.get("CNNLINT_TEST_CACHE", Path.home() / ".cache" / "cnnlint-tests"))


# -- the oracle: Keras 2.3.1's source -----------------------------------------------------------
@dataclass(frozen=True)
class Keras231:
    interfaces: ModuleType
    sources: dict[str, str]  # keras/... path -> text
    classes: dict[str, ast.ClassDef]  # the classes of keras/layers/*.py
    aliases: dict[str, str]  # module-level `Convolution2D = Conv2D` there


def _wheel() -> Path:
    found = sorted(CACHE.glob("Keras-2.3.1-*.whl"))
    if found:
        return found[0]
    CACHE.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet", "-d", str(CACHE),
                           "keras==2.3.1"], capture_output=True, text=True, timeout=300)
    found = sorted(CACHE.glob("Keras-2.3.1-*.whl"))
    if not found:
        if os.environ.get("CI"):
            pytest.fail(f"cannot download the Keras 2.3.1 wheel: {done.stderr[-500:]}")
        pytest.skip("the Keras 2.3.1 wheel (the oracle) cannot be downloaded here")
    return found[0]


@pytest.fixture(scope="module")
def keras231() -> Keras231:
    with zipfile.ZipFile(_wheel()) as wheel:
        sources = {name: wheel.read(name).decode() for name in wheel.namelist()
                   if name.startswith("keras/") and name.endswith(".py")}
    spec = importlib.util.spec_from_loader("keras231_interfaces", loader=None)
    assert spec is not None
    module = importlib.util.module_from_spec(spec)
    exec(compile(sources["keras/legacy/interfaces.py"], "keras/legacy/interfaces.py", "exec"), module.__dict__)
    classes: dict[str, ast.ClassDef] = {}
    aliases: dict[str, str] = {}
    for path, text in sources.items():
        if not path.startswith("keras/layers/"):
            continue
        for node in ast.parse(text).body:
            if isinstance(node, ast.ClassDef):
                classes.setdefault(node.name, node)
            elif isinstance(node, ast.Assign) and isinstance(node.value, ast.Name):
                aliases.update({t.id: node.value.id for t in node.targets if isinstance(t, ast.Name)})
    return Keras231(module, sources, classes, aliases)


def decorator_of(k: Keras231, name: str) -> str | None:
    """The `interfaces.legacy_*` decorator on the __init__ that Keras 2.3.1's class `name` runs."""
    classes = k.classes
    cls = classes.get(k.aliases.get(name, name))
    while cls is not None:
        for item in cls.body:
            if isinstance(item, ast.FunctionDef) and item.name == "__init__":
                for deco in item.decorator_list:
                    if isinstance(deco, ast.Attribute) and isinstance(deco.value, ast.Name) \
                            and deco.value.id == "interfaces":
                        return deco.attr
                return None
        bases = [b.id for b in cls.bases if isinstance(b, ast.Name)]
        cls = classes.get(bases[0]) if bases else None
    return None


def convert(k: Keras231, keras2_class: str, args: list[Any], kwargs: dict[str, Any]) -> tuple[list[Any], dict[str, Any]]:
    """What Keras 2.3.1 made of a Keras 1 call: the arguments its `__init__` really received."""
    decorator = decorator_of(k, keras2_class)
    assert decorator is not None, f"Keras 2.3.1's {keras2_class} has no legacy interface"
    owner = type(keras2_class, (), {})

    def received(self: Any, *a: Any, **kw: Any) -> tuple[list[Any], dict[str, Any]]:
        return list(a), kw

    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        out: tuple[list[Any], dict[str, Any]] = getattr(k.interfaces, decorator)(received)(owner(), *args, **kwargs)
    return out


# -- generated Keras 1 calls: one per (class, Keras 1 argument) of the table --------------------------
# Keras 1 spelling of each Keras 2 class, its minimal Keras 1 arguments, and an input to build it on.
BASE: dict[str, tuple[str, dict[str, Any], tuple[int, ...]]] = {
    "Conv1D": ("Convolution1D", {"nb_filter": 8, "filter_length": 3}, (10, 16)),
    "Conv2D": ("Convolution2D", {"nb_filter": 8, "nb_row": 3, "nb_col": 2}, (16, 16, 3)),
    "Conv3D": ("Convolution3D", {"nb_filter": 4, "kernel_dim1": 3, "kernel_dim2": 2, "kernel_dim3": 1},
               (8, 8, 8, 3)),
    "Conv2DTranspose": ("Deconvolution2D", {"nb_filter": 8, "nb_row": 3, "nb_col": 3,
                                            "output_shape": (None, 18, 18, 8)}, (16, 16, 3)),
    "Dense": ("Dense", {"output_dim": 10}, (16,)),
    "Dropout": ("Dropout", {"p": 0.25}, (16,)),
    "SpatialDropout1D": ("SpatialDropout1D", {"p": 0.25}, (10, 4)),
    "SpatialDropout2D": ("SpatialDropout2D", {"p": 0.25}, (8, 8, 3)),
    "SpatialDropout3D": ("SpatialDropout3D", {"p": 0.25}, (4, 4, 4, 3)),
    "MaxPooling1D": ("MaxPooling1D", {"pool_length": 2}, (10, 4)),
    "AveragePooling1D": ("AveragePooling1D", {"pool_length": 3}, (10, 4)),
    "MaxPooling2D": ("MaxPooling2D", {"pool_size": (2, 2)}, (8, 8, 3)),
    "AveragePooling2D": ("AveragePooling2D", {"pool_size": (3, 3)}, (9, 9, 3)),
    "MaxPooling3D": ("MaxPooling3D", {"pool_size": (2, 2, 2)}, (4, 4, 4, 3)),
    "AveragePooling3D": ("AveragePooling3D", {"pool_size": (2, 2, 2)}, (4, 4, 4, 3)),
    "GlobalMaxPooling2D": ("GlobalMaxPooling2D", {}, (8, 8, 3)),
    "GlobalAveragePooling2D": ("GlobalAveragePooling2D", {}, (8, 8, 3)),
    "GlobalMaxPooling3D": ("GlobalMaxPooling3D", {}, (4, 4, 4, 3)),
    "GlobalAveragePooling3D": ("GlobalAveragePooling3D", {}, (4, 4, 4, 3)),
    "UpSampling2D": ("UpSampling2D", {"size": (2, 2)}, (8, 8, 3)),
    "UpSampling3D": ("UpSampling3D", {"size": (2, 2, 2)}, (4, 4, 4, 3)),
    "ZeroPadding2D": ("ZeroPadding2D", {"padding": (1, 2)}, (8, 8, 3)),
    "ZeroPadding3D": ("ZeroPadding3D", {"padding": (1, 1, 1)}, (4, 4, 4, 3)),
    "Cropping2D": ("Cropping2D", {"cropping": ((1, 0), (2, 1))}, (8, 8, 3)),
    "Cropping3D": ("Cropping3D", {"cropping": ((1, 0), (1, 1), (0, 1))}, (6, 6, 6, 3)),
    "Embedding": ("Embedding", {"input_dim": 100, "output_dim": 8}, (5,)),
    "BatchNormalization": ("BatchNormalization", {}, (8,)),
    "PReLU": ("PReLU", {}, (8,)),
    "SimpleRNN": ("SimpleRNN", {"output_dim": 8}, (5, 4)),
    "LSTM": ("LSTM", {"output_dim": 8}, (5, 4)),
    "GRU": ("GRU", {"output_dim": 8}, (5, 4)),
}
# A Keras 1 value for each Keras 1 argument (by the class's spatial rank where it matters).
SAMPLES: dict[str, Any] = {
    "subsample_length": 2, "border_mode": "same", "init": "he_normal", "W_regularizer": "l2",
    "b_regularizer": "l2", "W_constraint": "non_neg", "b_constraint": "non_neg", "bias": False,
    "input_dim": 16, "input_length": 10, "stride": 1, "beta_init": "zeros", "gamma_init": "ones",
    "inner_init": "orthogonal", "inner_activation": "hard_sigmoid", "U_regularizer": "l2", "dropout_W": 0.1,
    "dropout_U": 0.1, "mode": 0,
}
RANKED = {"subsample": {2: (2, 1), 3: (2, 1, 1)}}
INIT = {"Embedding": "uniform", "PReLU": "zeros"}


@dataclass(frozen=True)
class Case:
    keras2: str  # the Keras 2 class whose legacy interface is the oracle
    keras1: str  # the class as the Keras 1 call names it
    args: tuple[Any, ...]
    kwargs: tuple[tuple[str, Any], ...]
    shape: tuple[int, ...]  # the input, without the batch

    @property
    def source(self) -> str:
        parts = [repr(a) for a in self.args] + [f"{k}={v!r}" for k, v in self.kwargs]
        return f"from keras.layers import {self.keras1}\nlayer = {self.keras1}({', '.join(parts)})\n"

    def __str__(self) -> str:
        return self.source.splitlines()[1]


def _rank(shape: tuple[int, ...]) -> int:
    return len(shape) - 1


def cases() -> Iterator[Case]:
    for keras2, (_, names) in keras1.KERAS2_CONVERSIONS.items():
        k1, base, shape = BASE[keras2]
        if names & set(base):
            yield Case(keras2, k1, (), tuple(base.items()), shape)
        for name in sorted(names - set(base)):
            if name == "dim_ordering":
                for ordering in ("tf", "th"):
                    moved = shape if ordering == "tf" else (shape[-1], *shape[:-1])
                    yield Case(keras2, k1, (), (*base.items(), (name, ordering)), moved)
                continue
            value = RANKED[name][_rank(shape)] if name in RANKED else \
                INIT.get(keras2, SAMPLES["init"]) if name == "init" else SAMPLES[name]
            extra = {name: value}
            if name == "input_length":
                extra = {"input_dim": shape[-1], "input_length": shape[0]}
            yield Case(keras2, k1, (), (*base.items(), *extra.items()), shape)
        if keras2 in ("Conv2D", "Conv3D", "Conv2DTranspose"):
            # The Keras 1 kernel by position: `Convolution2D(8, 3, 2, border_mode='same')`.
            positional = tuple(v for k, v in base.items() if k != "output_shape")
            rest = tuple((k, v) for k, v in base.items() if k == "output_shape")
            yield Case(keras2, k1, positional, (*rest, ("border_mode", "same")), shape)
            yield Case(keras2, k1, positional, rest, shape)


CASES = [c for c in cases() if c.args or c.kwargs]


def _fixed_call(case: Case) -> tuple[str, list[Any], dict[str, Any], str]:
    """The fixed source's class and literal arguments, and the fix's applicability."""
    result = check_source(case.source, "case.py", RULES)
    legacy = [d for d in result.diagnostics if d.code == "CNN007"]
    assert legacy, f"no CNN007 for {case}"
    assert legacy[0].fix is not None, f"no fix for {case}"
    applied = fix.apply_fixes(case.source, legacy)
    assert applied.error is None
    tree = ast.parse(applied.source)
    call = next(n.value for n in tree.body if isinstance(n, ast.Assign))
    assert isinstance(call, ast.Call)
    name = call.func.id if isinstance(call.func, ast.Name) else call.func.attr  # type: ignore[attr-defined]
    args = [ast.literal_eval(a) for a in call.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords if k.arg is not None}
    return name, args, kwargs, legacy[0].fix.applicability


def _built(layer: Any, shape: tuple[int, ...], keras: Any) -> tuple[dict[str, Any], tuple[Any, ...]]:
    dtype = "int32" if type(layer).__name__ == "Embedding" else "float32"
    out = layer(keras.Input(shape=shape, dtype=dtype))
    config = {k: v for k, v in layer.get_config().items() if k != "name"}
    return config, tuple(out.shape)


def _drop_input_shape(kwargs: dict[str, Any]) -> tuple[dict[str, Any], Any]:
    kwargs = dict(kwargs)
    return kwargs, kwargs.pop("input_shape", None)


@pytest.mark.parametrize("case", CASES, ids=str)
def test_safe_fix_is_the_conversion_keras_2_made(case: Case, keras231: Keras231) -> None:
    import keras

    name, fixed_args, fixed_kwargs, applicability = _fixed_call(case)
    assert applicability == "safe", f"{case}: a conversion Keras 2 made, so the fix must be safe"
    assert decorator_of(keras231, case.keras2) == keras1.KERAS2_CONVERSIONS[case.keras2][0]
    oracle_args, oracle_kwargs = convert(keras231, case.keras1, list(case.args), dict(case.kwargs))
    oracle_kwargs, oracle_input = _drop_input_shape(oracle_kwargs)
    fixed_kwargs, fixed_input = _drop_input_shape(fixed_kwargs)
    # Keras 2 converted `input_dim`/`input_length` of a Conv1D to `input_shape`: the fix must too.
    assert fixed_input == oracle_input
    shape = tuple(oracle_input) if oracle_input is not None and None not in oracle_input else case.shape
    expected = _built(getattr(keras.layers, case.keras2)(*oracle_args, **oracle_kwargs), shape, keras)
    got = _built(getattr(keras.layers, name)(*fixed_args, **fixed_kwargs), shape, keras)
    assert got == expected


def test_every_conversion_in_the_table_has_a_case() -> None:
    covered = {(c.keras2, name) for c in CASES for name, _ in c.kwargs}
    covered |= {(c.keras2, part) for c in CASES if c.args for part in ("nb_row", "nb_col", "kernel_dim1",
                                                                       "kernel_dim2", "kernel_dim3")}
    for keras2, (_, names) in keras1.KERAS2_CONVERSIONS.items():
        for name in names:
            assert (keras2, name) in covered, f"{keras2}: no oracle case for `{name}`"


@pytest.mark.parametrize("code", [
    # A class Keras 2 removed: no legacy interface to check the rewrite against.
    "from keras.layers import AtrousConvolution2D\nlayer = AtrousConvolution2D(16, 3, 3, atrous_rate=(2, 2))\n",
    # tf.keras's Convolution2D is Conv2D: it runs this as a 3-wide kernel with stride 3.
    "import tensorflow as tf\nlayer = tf.keras.layers.Convolution2D(32, 3, 3)\n",
    # A Keras 1 positional argument that Keras 2 refused (`init` by position).
    "from keras.layers import Convolution2D\nlayer = Convolution2D(32, 3, 3, 'he_normal', border_mode='same')\n",
    # Keras 2 converted `consume_less` by value: the fix would leave it.
    "from keras.layers import LSTM\nlayer = LSTM(output_dim=8, consume_less='gpu')\n",
    # `bias` is not among the recurrent conversions of Keras 2.
    "from keras.layers import GRU\nlayer = GRU(output_dim=8, bias=False)\n",
    # Keras 2 dropped a positional output_shape only when it was a tuple.
    "from keras.layers import Deconvolution2D\nlayer = Deconvolution2D(8, 3, 3, [None, 18, 18, 8])\n",
])
def test_fixes_that_cannot_be_checked_are_unsafe(code: str) -> None:
    legacy = [d for d in check_source(code, "case.py", RULES).diagnostics if d.code == "CNN007"]
    assert legacy and legacy[0].fix is not None
    assert legacy[0].fix.applicability == "unsafe"


def test_model_input_output_rename_is_keras_2_conversion(keras231: Keras231) -> None:
    convert_model = keras231.interfaces.legacy_model_constructor_support

    def received(self: Any, *a: Any, **kw: Any) -> dict[str, Any]:
        return kw

    assert convert_model(received)(type("Model", (), {})(), input="x", output="y") == {"inputs": "x", "outputs": "y"}


def test_fit_nb_epoch_rename_is_keras_2_conversion(keras231: Keras231) -> None:
    training = keras231.sources["keras/engine/training.py"]
    assert "epochs = kwargs.pop('nb_epoch')" in training


@pytest.mark.parametrize(("code", "shape"), [
    ("Convolution1D(nb_filter=111, filter_length=5, input_dim=300, input_length=40)", (40, 300)),
    ("Convolution1D(64, 3, input_dim=300)", (None, 300)),
])
def test_conv1d_input_dim_becomes_the_input_shape_keras_2_gave(code: str, shape: tuple[int | None, int],
                                                               keras231: Keras231) -> None:
    case = f"from keras.layers import Convolution1D\nlayer = {code}\n"
    diagnostics = [d for d in check_source(case, "case.py", RULES).diagnostics if d.code == "CNN007"]
    fixed = fix.apply_fixes(case, diagnostics).source
    assert f"input_shape={shape!r}" in fixed
    call = ast.parse(case).body[1].value  # type: ignore[attr-defined]
    args = [ast.literal_eval(a) for a in call.args]
    kwargs = {k.arg: ast.literal_eval(k.value) for k in call.keywords}
    assert convert(keras231, "Conv1D", args, kwargs)[1]["input_shape"] == shape


# -- every fix in the fixtures: the fixed program builds in TensorFlow, and means the same ----------
def _safe_fixed(text: str, path: str) -> str:
    for _ in range(10):
        result = check_source(text, path, RULES)
        step = fix.apply_fixes(text, [d for d in result.diagnostics if d.fix is not None and d.fix.applicability == "safe"])
        if not step.applied:
            return text
        text = step.source
    raise AssertionError("fixes did not converge")


def _fixture_fixes() -> list[Path]:
    from tests.conftest import FIXTURES

    return [p for p in sorted(FIXTURES.rglob("*.py"))
            if any(d.fix for d in check_source(p.read_text(), str(p), RULES).diagnostics)]


def _shapes(paths: list[Path], confirm: bool) -> list[dict[str, Any]]:
    import json

    from click.testing import CliRunner

    from cnnlint.cli import main

    args = ["shapes", "--format", "json", *(["--confirm", "--device", "cpu"] if confirm else []), *map(str, paths)]
    result = CliRunner().invoke(main, args)
    models: list[dict[str, Any]] = json.loads(result.stdout)["models"]
    return models


def test_every_safe_fix_in_the_fixtures_builds_in_tensorflow_with_the_shapes_it_had(tmp_path: Path) -> None:
    originals = _fixture_fixes()
    assert len(originals) >= 6
    fixed_paths = []
    for original in originals:
        fixed = tmp_path / original.parent.name / original.name
        fixed.parent.mkdir(exist_ok=True)
        fixed.write_text(_safe_fixed(original.read_text(), str(original)))
        assert fixed.read_text() != original.read_text()
        fixed_paths.append(fixed)
    before = _shapes(originals, confirm=False)
    after = _shapes(fixed_paths, confirm=True)
    assert len(before) == len(after)
    for old, new in zip(before, after, strict=True):
        rows = list(zip(old["layers"], new["layers"], strict=True))
        # TensorFlow ran every layer of the fixed model as cnnlint computed it, and refused none
        # but where a finding the fixes leave (another bug in the same fixture) says it must.
        left = {d.loc.line for d in check_source(Path(new["path"]).read_text(), new["path"], RULES).diagnostics}
        refused = [(new["path"], n["line"], n["op"], n["tensorflow"]) for _, n in rows
                   if n["agrees"] is False or (isinstance(n.get("tensorflow"), str) and n["line"] not in left)]
        assert refused == []
        assert sum(n["agrees"] is True for _, n in rows) > 0
        # The fix changed only what the finding named: every layer up to the first fixed size
        # has the shape it had before (the Keras 1 meaning for CNN007, all of them).
        for o, n in rows:
            if o["output"] != n["output"]:
                assert o["op"] in ("reshape", "Reshape", "matmul", "Variable", "add", "relu", "dropout",
                                   "bias_add", "softmax",
                                   # the loss and accuracy after the model (tensorflow/losses.py)
                                   "softmax_cross_entropy_with_logits", "softmax_cross_entropy_with_logits_v2",
                                   "sparse_softmax_cross_entropy_with_logits", "sigmoid_cross_entropy_with_logits",
                                   "argmax", "equal", "reduce_mean", "cast"), (new["path"], o, n)


# -- CNN016: what Keras 2.0-2.3 made of a positional argument after kernel_size ---------------------
def test_keras_2_3_read_positional_arguments_after_the_kernel_as_cnn016_says(keras231: Keras231) -> None:
    import keras

    def received(self: Any, *a: Any, **kw: Any) -> tuple[list[Any], dict[str, Any]]:
        return list(a), kw

    conv2d = keras231.interfaces.legacy_conv2d_support(received)
    owner = type("Conv2D", (), {})()
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # `Conv2D(32, 3, 3)`: a 3x3 kernel for Keras 2.0-2.3 ...
        assert conv2d(owner, 32, 3, 3) == ([32, (3, 3)], {})
        # ... and refused with padding=, or with a tuple third argument.
        with pytest.raises(ValueError, match="kernel_size` and `strides`"):
            conv2d(owner, 64, 3, 2, padding="same")
        with pytest.raises(TypeError, match="positional arguments"):
            conv2d(owner, 64, (3, 3), (2, 2))
    # Keras 3 reads all three as strides.
    assert keras.layers.Conv2D(32, 3, 3).strides == (3, 3)
    assert keras.layers.Conv2D(64, 3, 2, padding="same").strides == (2, 2)
    for code in ("Conv2D(32, 3, 3)", "Conv2D(64, 3, 2, padding='same')", "Conv2D(64, (3, 3), (2, 2))"):
        plain = [d.code for d in check_source(f"from keras.layers import Conv2D\nc = {code}\n", "a.py", RULES).diagnostics]
        tf_keras = [d.code for d in check_source(f"import tensorflow as tf\nc = tf.keras.layers.{code}\n", "a.py",
                                                 RULES).diagnostics]
        assert (plain, tf_keras) == (["CNN016"], [])
