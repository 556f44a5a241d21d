"""Target Keras versions: parsing, the pins of every dependency-file format, the precedence
command line > per-file > configuration > pins > default, `--show-settings`, and the behaviours
keyed on the target (CNN007 / CNN016 verdicts and the shapes a reading gives)."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnnlint.cli import main
from cnnlint.config import ConfigError, parse
from cnnlint.options import FrontendOptions
from cnnlint.pins import parse_requirement, pins_in, project_pins, targets_for_file, version_of
from cnnlint.rules import select_rules
from cnnlint.runner import check_source
from cnnlint.targets import (
    KerasTarget,
    KerasTargets,
    KerasVersion,
    VersionSettings,
    tf_keras_of_tensorflow,
)

V = KerasVersion


def targets(version: str, source: str = "test") -> KerasTargets:
    """Both namespaces at `version`, as `--keras-version` states it."""
    from cnnlint.targets import stated_targets

    parsed = KerasVersion.parse(version)
    assert parsed is not None
    return stated_targets(parsed, source, KerasTargets())


def check(code: str, version: str | None = None) -> list[tuple[str, str, int]]:
    options = FrontendOptions(keras=targets(version)) if version else FrontendOptions()
    result = check_source(code, "t.py", select_rules(None), options)
    assert result.error is None, result.error
    return [(d.code, d.severity, d.loc.line) for d in result.diagnostics]


# -- versions --------------------------------------------------------------------------------------
def test_versions_parse_and_a_bare_major_is_its_last_release() -> None:
    assert V.parse("2.2.4") == V(2, 2, 4)
    assert V.parse("1.2") == V(1, 2, 0)
    assert V.parse("1") == V(1, 2, 2)
    assert V.parse("3") == V(3, 15, 0)
    assert V.parse("2", bare_is_last=False) == V(2, 0, 0)
    assert V.parse("x") is None
    assert V(2, 2, 4) < V(2, 3) < V(2, 12) < V(3)
    assert str(V(2, 2, 4)) == "2.2.4" and str(V(3, 0)) == "3.0"


@pytest.mark.parametrize(("tf", "keras"), [
    ("1.4", "2.0"), ("1.12", "2.1"), ("1.15", "2.2"), ("2.1", "2.2"), ("2.2", "2.3"), ("2.3", "2.4"),
    ("2.4", "2.4"), ("2.5", "2.5"), ("2.12", "2.12"), ("2.15", "2.15"), ("2.16", "3.0"), ("2.21", "3.0"),
])
def test_the_tf_keras_of_each_tensorflow(tf: str, keras: str) -> None:
    """`tf.keras.__version__` of each TensorFlow: 2.2.4-tf in 1.13-2.1, 2.3.0-tf in 2.2, 2.4.0 in
    2.3 and 2.4, the same minor from 2.5, Keras 3 from 2.16 (TensorFlow's release notes)."""
    version = KerasVersion.parse(tf, bare_is_last=False)
    assert version is not None
    assert tf_keras_of_tensorflow(version) == KerasVersion.parse(keras, bare_is_last=False)


@pytest.mark.parametrize(("line", "expected"), [
    ("keras==2.2.4", ("keras", V(2, 2, 4))),
    ("Keras == 2.2.4  # the book's version", ("keras", V(2, 2, 4))),
    ("keras===2.1.6", ("keras", V(2, 1, 6))),
    ("keras==2.2.*", ("keras", V(2, 2))),
    ("keras~=2.3", ("keras", V(2, 3))),
    ("keras>=2.0.8,<2.4", ("keras", V(2, 0, 8))),
    ("keras<3", ("keras", V(2, 15))),
    ("keras<2.4", ("keras", V(2, 3, 1))),
    ("keras[tests]>=2.2.0 ; python_version < '3.8'", ("keras", V(2, 2))),
    ("tensorflow-gpu==1.15.0", ("tensorflow", V(1, 15))),
    ("tensorflow_cpu>=2.4", ("tensorflow", V(2, 4))),
    ("tensorflow<2", ("tensorflow", V(1, 15, 5))),
    ("tf-keras==2.16.0", ("tf-keras", V(2, 16))),
    ("keras", ("keras", None)),
    ("keras @ https://example.org/keras.tar.gz", ("keras", None)),
    ("keras-preprocessing==1.1.2", None),
    ("-r base.txt", None),
    ("numpy==1.19", None),
])
def test_requirement_lines(line: str, expected: tuple[str, KerasVersion | None] | None) -> None:
    assert parse_requirement(line) == expected


def test_conda_and_poetry_specifiers() -> None:
    assert version_of("keras", "=2.2") == V(2, 2)
    assert version_of("keras", "^2.2.4") == V(2, 2, 4)
    assert version_of("keras", "~2.3") == V(2, 3)
    assert version_of("keras", "*") is None


# -- every dependency file ---------------------------------------------------------------------------
def _project(tmp_path: Path, files: dict[str, str]) -> Path:
    (tmp_path / ".git").mkdir(parents=True)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def _pins(directory: Path) -> dict[str, str]:
    pins_in.cache_clear()
    project_pins.cache_clear()
    return {k: f"{p.version} {p.file}:{p.line}" for k, p in project_pins(str(directory)).pins.items()}


def test_requirements_txt(tmp_path: Path) -> None:
    root = _project(tmp_path, {"requirements.txt": "numpy\ntensorflow==1.15\nkeras==2.2.4\n"})
    assert _pins(root) == {"tensorflow": "1.15 requirements.txt:2", "keras": "2.2.4 requirements.txt:3"}


def test_requirements_variants_and_a_requirements_folder(tmp_path: Path) -> None:
    root = _project(tmp_path, {"requirements-gpu.txt": "tensorflow-gpu==2.3.1\n",
                               "requirements/base.txt": "keras==2.4.3\n"})
    assert _pins(root) == {"tensorflow": "2.3.1 requirements-gpu.txt:1", "keras": "2.4.3 requirements/base.txt:1"}


def test_pyproject_dependencies_optional_dependencies_and_poetry(tmp_path: Path) -> None:
    root = _project(tmp_path, {"pyproject.toml": (
        '[project]\nname = "x"\ndependencies = ["numpy", "tensorflow>=2.4,<2.11"]\n'
        '[project.optional-dependencies]\nold = ["keras==2.3.1"]\n')})
    assert _pins(root) == {"tensorflow": "2.4 pyproject.toml:3", "keras": "2.3.1 pyproject.toml:5"}
    poetry = _project(tmp_path / "p", {"pyproject.toml": (
        '[tool.poetry]\nname = "x"\n[tool.poetry.dependencies]\npython = "^3.7"\n'
        'tensorflow = "^1.15"\nkeras = {version = "2.2.4", optional = true}\n')})
    assert _pins(poetry) == {"tensorflow": "1.15 pyproject.toml:5", "keras": "2.2.4 pyproject.toml:6"}


def test_setup_cfg_and_setup_py_which_is_parsed_never_run(tmp_path: Path) -> None:
    cfg = _project(tmp_path / "cfg", {"setup.cfg": (
        "[metadata]\nname = x\n[options]\ninstall_requires =\n    numpy\n    keras>=2.1.2\n"
        "[options.extras_require]\ngpu = tensorflow-gpu==1.12\n")})
    assert _pins(cfg) == {"keras": "2.1.2 setup.cfg:6", "tensorflow": "1.12 setup.cfg:8"}
    marker = tmp_path / "ran"
    py = _project(tmp_path / "py", {"setup.py": (
        f"open({str(marker)!r}, 'w').write('executed')\n"
        "from setuptools import setup\nREQUIRED = ['numpy', 'keras==2.0.8']\n"
        "setup(name='x', install_requires=REQUIRED, extras_require={'tf': ['tensorflow==1.4.0']})\n")})
    assert _pins(py) == {"keras": "2.0.8 setup.py:3", "tensorflow": "1.4 setup.py:4"}
    assert not marker.exists()


def test_pipfile_and_environment_yml(tmp_path: Path) -> None:
    pipfile = _project(tmp_path / "pipenv", {"Pipfile": (
        '[packages]\nnumpy = "*"\nkeras = "==2.2.4"\n[dev-packages]\ntensorflow = {version = ">=1.13"}\n')})
    assert _pins(pipfile) == {"keras": "2.2.4 Pipfile:3", "tensorflow": "1.13 Pipfile:5"}
    conda = _project(tmp_path / "conda", {"environment.yml": (
        "name: x\ndependencies:\n  - python=3.6\n  - conda-forge::tensorflow-gpu=1.14\n  - pip:\n"
        "    - keras==2.2.5\n")})
    assert _pins(conda) == {"tensorflow": "1.14 environment.yml:4", "keras": "2.2.5 environment.yml:6"}


def test_a_file_that_does_not_parse_is_skipped_with_its_reason(tmp_path: Path) -> None:
    root = _project(tmp_path, {"pyproject.toml": "[project\n", "requirements.txt": "keras==2.2.4\n"})
    pins_in.cache_clear()
    found = pins_in(str(root))
    assert found.pins["keras"].version == V(2, 2, 4)
    assert found.problems and "pyproject.toml: not read" in found.problems[0]


def test_the_nearest_project_with_dependency_files_wins_and_the_repository_root_bounds_it(tmp_path: Path) -> None:
    root = _project(tmp_path, {"requirements.txt": "keras==2.2.4\n", "old/requirements.txt": "keras==1.2.2\n",
                               "empty/requirements.txt": "# nothing pinned\n", "src/deep/m.py": ""})
    assert _pins(root / "old") == {"keras": "1.2.2 requirements.txt:1"}
    assert _pins(root / "src" / "deep") == {"keras": "2.2.4 requirements.txt:1"}
    assert _pins(root / "empty") == {}  # a project of its own that pins nothing: not the parent's pins
    outside = tmp_path / "inner"
    _project(outside, {"m.py": ""})
    assert _pins(outside) == {}  # a repository of its own: the parent's pins are another project's


# -- targets from pins, and precedence ----------------------------------------------------------------
def _targets(path: Path, versions: VersionSettings | None = None) -> tuple[str, str, str, str]:
    pins_in.cache_clear()
    project_pins.cache_clear()
    found = targets_for_file(str(path), versions or VersionSettings(root=str(path.parent)))
    return (str(found.keras.version), os.path.basename(found.keras.source.split(":")[0]),
            found.tf_keras.describe(), os.path.basename(found.tf_keras.source.split(":")[0]))


def test_a_tensorflow_pin_gives_its_tf_keras_and_from_2_6_the_keras_it_installs(tmp_path: Path) -> None:
    tf1 = _project(tmp_path / "a", {"requirements.txt": "tensorflow==1.15\n", "m.py": ""})
    assert _targets(tf1 / "m.py") == ("3.15", "default", "2.2 (tf.keras)", "requirements.txt")
    tf2 = _project(tmp_path / "b", {"requirements.txt": "tensorflow==2.9.1\n", "m.py": ""})
    keras, source, tf_keras, _ = _targets(tf2 / "m.py")
    assert (keras, source, tf_keras) == ("2.9", "requirements.txt", "2.9 (tf.keras)")
    both = _project(tmp_path / "c", {"requirements.txt": "tensorflow==1.15\nkeras==2.2.4\n", "m.py": ""})
    assert _targets(both / "m.py")[:3] == ("2.2.4", "requirements.txt", "2.2 (tf.keras)")


def test_precedence_command_line_per_file_configuration_pins_default(tmp_path: Path) -> None:
    root = _project(tmp_path, {"requirements.txt": "keras==2.2.4\n", "legacy/old.py": "", "m.py": ""})
    assert _targets(root / "m.py")[:2] == ("2.2.4", "requirements.txt")
    config = parse({"keras-version": "3", "per-file-keras-version": {"legacy/*.py": "1.2"}},
                   str(root / "pyproject.toml"), str(root))
    assert _targets(root / "m.py", config.versions())[:2] == ("3.15", "pyproject.toml")
    assert _targets(root / "legacy" / "old.py", config.versions())[:2] == ("1.2", "pyproject.toml")
    cli = config.versions(KerasVersion(2, 12))
    assert _targets(root / "legacy" / "old.py", cli)[:2] == ("2.12", "--keras-version")
    # A Keras 1 version is the plain `keras` one only: there never was a Keras 1 tf.keras.
    keras1 = _targets(root / "m.py", config.versions(KerasVersion(1, 2)))
    assert keras1[2] == "3.15 (tf.keras)" and keras1[3] == "default"


def test_bad_keras_versions_are_configuration_errors() -> None:
    for bad in ("two", "4", "2.x", True, ["2"]):
        with pytest.raises(ConfigError, match="keras-version"):
            parse({"keras-version": bad}, "pyproject.toml", ".")
    with pytest.raises(ConfigError, match="per-file-keras-version"):
        parse({"per-file-keras-version": ["2"]}, "pyproject.toml", ".")


def test_the_namespace_of_a_call_picks_its_target() -> None:
    stated = KerasTargets(KerasTarget(V(2, 2, 4), "pins"), KerasTarget(V(3), "pins", in_tensorflow=True))
    assert stated.for_name("keras.layers.Conv2D").version == V(2, 2, 4)
    assert stated.for_name("tensorflow.keras.layers.Conv2D").version == V(3)
    assert stated.for_name("tf_keras.layers.Conv2D").version.major == 2
    # TF_USE_LEGACY_KERAS=1 in the code: tf.keras of TF 2.16+ is the tf_keras package.
    assert stated.for_name("tensorflow.keras.layers.Conv2D", legacy_in_code=True).version.major == 2


# -- the command line ------------------------------------------------------------------------------------
def test_show_settings_says_where_each_target_came_from(tmp_path: Path) -> None:
    root = _project(tmp_path, {"a/requirements.txt": "tensorflow==1.15\nkeras==2.2.4\n", "a/m.py": "import keras\n",
                               "b/m.py": "import keras\n"})
    runner = CliRunner()
    cwd = os.getcwd()
    os.chdir(root)
    try:
        pins_in.cache_clear()
        project_pins.cache_clear()
        shown = runner.invoke(main, ["check", "--show-settings", "."])
        stated = runner.invoke(main, ["check", "--show-settings", "--keras-version", "1.2", "a"])
        bad = runner.invoke(main, ["check", "--keras-version", "nine", "a"])
    finally:
        os.chdir(cwd)
    assert shown.exit_code == 0, shown.output
    assert "import keras  -> Keras 2.2.4  (from a/requirements.txt:2: keras==2.2.4)" in shown.output
    assert "tf.keras      -> Keras 2.2  (from a/requirements.txt:1: tensorflow==1.15)" in shown.output
    assert "import keras  -> Keras 3.15  (default)" in shown.output
    assert "import keras  -> Keras 1.2  (from --keras-version)" in stated.output
    assert bad.exit_code == 2 and "not a Keras version" in bad.output


# -- behaviours keyed on the target ---------------------------------------------------------------------
CONVS = """
from keras.layers import Conv2D, Convolution2D, Input
x = Input((28, 28, 1))
y = Conv2D(32, 3, 3)(x)
z = Conv2D(64, 3, 2, padding="same")(x)
w = Convolution2D(32, 3, 3, border_mode="same")(x)
"""


def test_positional_conv_arguments_and_keras1_spellings_per_target() -> None:
    # Unstated: the reading depends on the version (CNN016, shapes unknown); a Keras 1 spelling is refused.
    assert check(CONVS) == [("CNN016", "warning", 4), ("CNN016", "warning", 5), ("CNN007", "error", 6)]
    # Keras 1: `Conv2D(32, 3, 3)` is `Convolution2D`'s 3x3 kernel and `border_mode` is current.
    assert check(CONVS, "1.2") == [("CNN016", "warning", 5)]
    # Keras 2.0-2.3 convert `Conv2D(32, 3, 3)` and `border_mode` with a warning, refuse `3, 2, padding=`.
    assert check(CONVS, "2.2.4") == [("CNN016", "warning", 4), ("CNN016", "error", 5), ("CNN007", "warning", 6)]
    # Keras 2.4+ and 3 read the third argument as `strides`: current; `border_mode` is refused.
    assert check(CONVS, "3") == [("CNN007", "error", 6)]
    assert check(CONVS, "2.12") == [("CNN007", "error", 6)]


def _shapes(code: str, version: str | None) -> dict[int, list[int | None]]:
    options = FrontendOptions(keras=targets(version)) if version else FrontendOptions()
    result = check_source(code, "t.py", [], options)
    assert result.module is not None
    out: dict[int, list[int | None]] = {}
    for graph in result.module.graphs:
        for node in graph.nodes:
            if node.op == "conv" and node.shape is not None:
                out[node.loc.line] = [d.value for d in node.shape]
    return out


def test_the_shapes_each_target_builds() -> None:
    assert _shapes(CONVS, None) == {6: [None, 28, 28, 32]}
    assert _shapes(CONVS, "1.2") == {4: [None, 26, 26, 32], 6: [None, 28, 28, 32]}
    assert _shapes(CONVS, "2.2") == {4: [None, 26, 26, 32], 6: [None, 28, 28, 32]}
    # Keras 3 builds `Conv2D(32, 3, 3)` as a 3-wide kernel with stride 3 (checked below), and reads
    # `Convolution2D(32, 3, 3, ...)` the same way (its alias).
    assert _shapes(CONVS, "3") == {4: [None, 9, 9, 32], 5: [None, 14, 14, 64], 6: [None, 28, 28, 32]}


@pytest.mark.tensorflow
def test_keras3_reads_the_third_positional_argument_as_strides() -> None:
    import keras

    x = keras.Input((28, 28, 1))
    assert tuple(keras.layers.Conv2D(32, 3, 3)(x).shape) == (None, 9, 9, 32)
    assert tuple(keras.layers.Conv2D(64, 3, 2, padding="same")(x).shape) == (None, 14, 14, 64)
    with pytest.raises(ValueError, match="border_mode"):
        keras.layers.Convolution2D(32, 3, 3, border_mode="same")


def test_keras1_fit_and_model_spellings_are_current_under_keras1_and_converted_under_2_0_to_2_3() -> None:
    code = """
from keras.layers import Dense, Input
from keras.models import Model
x = Input((10,))
y = Dense(output_dim=4)(x)
model = Model(input=x, output=y)
model.compile("sgd", "mse")
model.fit(xs, ys, nb_epoch=3)
"""
    assert check(code, "1.2") == []
    assert check(code, "2.2") == [("CNN007", "warning", 5), ("CNN007", "warning", 6), ("CNN007", "warning", 8)]
    assert check(code, "3") == [("CNN007", "error", 5), ("CNN007", "error", 6), ("CNN007", "error", 8)]
    assert check(code) == [("CNN007", "error", 5), ("CNN007", "error", 6), ("CNN007", "error", 8)]


def test_what_keras2_removed_stays_refused_under_2_0_to_2_3() -> None:
    code = """
from keras.layers import AtrousConvolution2D, Input, merge
x = Input((28, 28, 1))
y = AtrousConvolution2D(16, 3, 3, atrous_rate=(2, 2))(x)
z = merge([x, x], mode="sum")
"""
    assert check(code, "2.2") == [("CNN007", "error", 4), ("CNN007", "error", 5)]
    assert check(code, "1.2") == []


@pytest.mark.parametrize("line", [
    'os.environ["TF_USE_LEGACY_KERAS"] = "1"',
    "os.environ['TF_USE_LEGACY_KERAS']='True'",
    'os.environ.setdefault("TF_USE_LEGACY_KERAS", "1")',
    'os.putenv("TF_USE_LEGACY_KERAS", "1")',
])
def test_tf_use_legacy_keras_in_the_code_makes_tf_keras_late_keras2(line: str) -> None:
    from cnnlint.frontend.keras.versions import _LEGACY_ENV

    assert _LEGACY_ENV.search(f"import os\n{line}\nimport tensorflow as tf\n")
    assert not _LEGACY_ENV.search('os.environ["TF_USE_LEGACY_KERAS"] = "0"\n')
    late = KerasTargets(tf_keras=KerasTarget(V(3), "t", in_tensorflow=True))
    assert late.for_name("tensorflow.keras.layers.Dense", legacy_in_code=True).version == V(2, 21)
    assert late.for_name("tensorflow.keras.layers.Dense").version == V(3)


def test_json_output_is_unchanged_by_targets(tmp_path: Path) -> None:
    path = tmp_path / "m.py"
    path.write_text(CONVS)
    result = CliRunner().invoke(main, ["check", "--no-cache", "--keras-version", "2.2", "--format", "json", str(path)])
    report = json.loads(result.output)
    assert [d["severity"] for d in report["diagnostics"]] == ["warning", "error", "warning"]


def test_batch_input_shape_on_a_layer_is_refused_by_keras3_only() -> None:
    code = "from tensorflow import keras\nmodel = keras.Sequential([keras.layers.Dense(4, batch_input_shape=(8, 3))])\n"
    assert check(code, "3") == [("CNN007", "error", 2)]
    assert check(code, "2.21") == [] and check(code, "2.2") == [] and check(code) == []


def test_a_recurrent_layers_input_dim_is_the_step_size_before_keras3() -> None:
    code = "from keras.models import Sequential\nfrom keras.layers import LSTM\nm = Sequential()\n" \
           "m.add(LSTM(32, input_dim=10))\n"
    assert check(code, "3") == [("CNN006", "error", 4)]  # Keras 3: an input of shape (None, 10)
    assert check(code, "2.2") == [] and check(code, "1.2") == [] and check(code) == []


@pytest.mark.tensorflow
def test_keras3_and_tf_keras_read_a_recurrent_input_dim_differently() -> None:
    import keras
    import tf_keras

    assert tf_keras.Sequential([tf_keras.layers.LSTM(4, input_dim=10)]).input_shape == (None, None, 10)
    with pytest.raises(ValueError, match="expected ndim=3"):
        keras.Sequential([keras.layers.LSTM(4, input_dim=10)]).build()
    with pytest.raises(ValueError, match="batch_input_shape"):
        keras.layers.Dense(4, batch_input_shape=(8, 3))
    assert tf_keras.Sequential([tf_keras.layers.Dense(4, batch_input_shape=(8, 3))]).output_shape == (8, 4)


def test_late_keras2_broadcasts_compiled_labels_where_keras3_refuses_them() -> None:
    code = """
import numpy as np
import tensorflow as tf
model = tf.keras.Sequential([tf.keras.Input((4,)), tf.keras.layers.Dense(3)])
model.compile("sgd", "mse")
model.fit(np.zeros((8, 4)), np.zeros((8,)))
"""
    # (reported at the Dense(3), whose units the fix changes: tests/test_fix_locations.py)
    assert check(code, "3") == [("CNN013", "error", 4)]
    assert check(code, "2.21") == [("CNN015", "warning", 4)]  # tf-keras trains on a (8, 3) broadcast
    assert check(code) == [("CNN013", "error", 4)]


def test_set_image_dim_ordering_is_gone_from_keras_2_2_5() -> None:
    """keras 2.2.4 `keras/backend/__init__.py` star-imports the backend module that re-exports
    `common.set_image_dim_ordering`; 2.2.5 imports an explicit list from `load_backend` without it."""
    code = "from keras import backend as K\nK.set_image_dim_ordering('th')\n"
    assert check(code, "2.2.4") == [] and check(code, "1.2") == [] and check(code) == []
    assert check(code, "2.2.5") == [("CNN007", "error", 2)]
    assert check(code, "3") == [("CNN007", "error", 2)]


@pytest.mark.tensorflow
def test_neither_keras3_nor_tf_keras_has_set_image_dim_ordering() -> None:
    import keras
    import tf_keras

    assert not hasattr(keras.backend, "set_image_dim_ordering")
    assert not hasattr(tf_keras.backend, "set_image_dim_ordering")
