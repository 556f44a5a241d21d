"""Where a project's own imports resolve (cnnlint/project.py): as Python finds them, files only."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from cnnlint.project import Resolver, dependencies, fingerprint, imported_modules, project_root


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text)
    return root


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return _tree(tmp_path / "proj", {
        "pyproject.toml": "[project]\nname = 'p'\n",
        "train.py": "import config\nfrom models.resnet import build\nfrom util import *\n",
        "config.py": "NUM_CLASSES = 10\n",
        "util.py": "from config import NUM_CLASSES\n",
        "models/__init__.py": "from .resnet import build\n",
        "models/resnet.py": "from . import blocks\nfrom .blocks import conv_bn\nimport tensorflow as tf\n",
        "models/blocks.py": "from ..config import NUM_CLASSES\nfrom models import resnet\n",
        "src/lib/__init__.py": "",
        "src/lib/layers.py": "import numpy\n",
        "scripts/run.py": "import lib.layers\nimport keras\nimport missing_module\n",
        "keras/__init__.py": "",  # a vendored stub: never the framework
    })


def test_the_root_is_the_nearest_directory_with_a_marker(project: Path) -> None:
    assert project_root(project / "models" / "resnet.py") == project.resolve()
    assert project_root(project) == project.resolve()


def test_a_script_finds_its_sibling_and_a_package_module(project: Path) -> None:
    r = Resolver.for_file(project / "train.py")
    assert r.resolve(project / "train.py", "config") == (project / "config.py").resolve()
    assert r.resolve(project / "train.py", "models.resnet") == (project / "models" / "resnet.py").resolve()
    assert r.resolve(project / "train.py", "models") == (project / "models" / "__init__.py").resolve()


def test_relative_imports_go_up_one_package_per_dot(project: Path) -> None:
    r = Resolver.for_file(project / "models" / "resnet.py")
    here = project / "models" / "blocks.py"
    assert r.resolve(here, "resnet", 1) == (project / "models" / "resnet.py").resolve()
    assert r.resolve(here, "config", 2) == (project / "config.py").resolve()
    assert r.resolve_from(project / "models" / "resnet.py", "", "blocks", 1) == here.resolve()


def test_a_module_inside_a_package_finds_the_root_packages(project: Path) -> None:
    r = Resolver.for_file(project / "models" / "blocks.py")
    assert r.resolve(project / "models" / "blocks.py", "models.resnet") == \
        (project / "models" / "resnet.py").resolve()


def test_src_paths_are_searched_only_when_configured(project: Path) -> None:
    run = project / "scripts" / "run.py"
    assert Resolver.for_file(run).resolve(run, "lib.layers") is None
    assert Resolver.for_file(run, ["src"]).resolve(run, "lib.layers") == \
        (project / "src" / "lib" / "layers.py").resolve()


def test_frameworks_third_party_and_missing_modules_stay_unresolved(project: Path) -> None:
    r = Resolver.for_file(project / "train.py")
    for name in ("keras", "tensorflow", "numpy", "missing_module", "os.path"):
        assert r.resolve(project / "scripts" / "run.py", name) is None, name


def test_a_relative_import_above_the_project_is_not_followed(project: Path) -> None:
    r = Resolver.for_file(project / "train.py")
    assert r.resolve(project / "train.py", "anything", 3) is None


def test_imported_modules_lists_each_project_file_once(project: Path) -> None:
    r = Resolver.for_file(project / "train.py")
    train = (project / "train.py").resolve()
    found = imported_modules(train, train.read_text(), r)
    assert found == [(project / p).resolve() for p in
                     ("config.py", "models/__init__.py", "models/resnet.py", "util.py")]
    assert imported_modules(train, "def broken(:\n", r) == []


def test_dependencies_are_transitive_and_survive_cycles(project: Path) -> None:
    r = Resolver.for_file(project / "train.py")
    deps = set(dependencies(project / "train.py", r))
    assert deps == {(project / p).resolve() for p in
                    ("config.py", "models/__init__.py", "models/resnet.py", "models/blocks.py", "util.py")}
    # blocks -> resnet -> blocks is a cycle: each once, and not the file itself
    cycle = dependencies(project / "models" / "blocks.py", r)
    assert (project / "models" / "blocks.py").resolve() not in cycle
    assert len(cycle) == len(set(cycle))


def test_the_fingerprint_changes_when_an_imported_module_changes(project: Path) -> None:
    r = Resolver.for_file(project / "train.py")
    before = fingerprint(dependencies(project / "train.py", r))
    config = project / "config.py"
    config.write_text("NUM_CLASSES = 100\n")
    os.utime(config, ns=(1, 1))  # a new mtime even on coarse clocks
    assert fingerprint(dependencies(project / "train.py", r)) != before


# -- the interpreter uses what a project module exports --------------------------------------------
TRAIN = """\
import numpy as np
import config
from compat import keras, layers
from models.sizes import HIDDEN
from models import sizes
import models.sizes

model = keras.Sequential([
    layers.Conv2D(32, 3, activation="relu", input_shape=config.INPUT_SHAPE),
    layers.Flatten(),
    layers.Dense(HIDDEN, activation="relu"),
    layers.Dense(sizes.CLASSES + models.sizes.EXTRA, activation="softmax"),
])
model.compile("adam", "categorical_crossentropy")
model.fit(np.zeros((100, 32, 32, 1)), np.zeros((100, 10)))
"""

CONFIG = "IMAGE_SIZE = 28\nINPUT_SHAPE = (IMAGE_SIZE, IMAGE_SIZE, 1)\n"


@pytest.fixture
def app(tmp_path: Path) -> Path:
    return _tree(tmp_path / "app", {
        "pyproject.toml": "",
        "train.py": TRAIN,
        "config.py": CONFIG,
        "compat.py": "from tensorflow import keras\nlayers = keras.layers\n",
        "models/__init__.py": "",
        "models/sizes.py": "from ..config import IMAGE_SIZE\nHIDDEN = 128\nCLASSES = 8\nEXTRA = IMAGE_SIZE - 26\n",
    })


def _check(path: Path, **options: object) -> list[tuple[str, int]]:
    from cnnlint.options import FrontendOptions
    from cnnlint.rules import select_rules
    from cnnlint.runner import check_file

    result = check_file(str(path), select_rules(["CNN"]), FrontendOptions(**options))  # type: ignore[arg-type]
    return [(d.code, d.loc.line) for d in result.diagnostics]


def test_constants_modules_and_framework_reexports_come_from_the_project(app: Path) -> None:
    assert _check(app / "train.py") == [("CNN012", 15)]  # 32x32 data, 28x28 input from config.py
    assert _check(app / "train.py", project_imports=False) == []  # the sizes are unknown without it


def test_what_a_module_does_not_export_plainly_stays_unknown(app: Path) -> None:
    (app / "config.py").write_text("import random\nINPUT_SHAPE = (random.randint(20, 40), 28, 1)\n")
    assert _check(app / "train.py") == []


def test_star_imports_bring_the_public_names_and_the_frameworks(tmp_path: Path) -> None:
    root = _tree(tmp_path / "star", {
        "setup.py": "",
        "common.py": "from tensorflow.keras.layers import *\nSIZE = 28\n_PRIVATE = 3\n__all__ = None\n",
        "net.py": ("from common import *\nfrom tensorflow import keras\n"
                   "model = keras.Sequential([Dense(4, input_shape=(SIZE,)), Dense(2)])\n"
                   "import numpy as np\nmodel.fit(np.zeros((8, 27)), np.zeros((8, 2)))\n"),
    })
    assert _check(root / "net.py") == [("CNN012", 5)]


def test_a_settings_object_comes_from_the_project_and_each_importer_gets_its_own_copy(tmp_path: Path) -> None:
    root = _tree(tmp_path / "cfg", {
        "setup.py": "",
        "config.py": ("class Config:\n    SIZE = 28\n\n    def __init__(self):\n        self.classes = 4\n\n"
                      "cfg = Config()\nSIZES = [28]\n"),
        "net.py": ("from config import cfg\nfrom tensorflow import keras\n"
                   "model = keras.Sequential([keras.layers.Dense(cfg.classes, input_shape=(cfg.SIZE,))])\n"
                   "import numpy as np\nmodel.fit(np.zeros((8, 27)), np.zeros((8, 4)))\n"),
        # Changing an imported list or object changes it for this file only (a copy per importer).
        "a.py": "from config import SIZES, cfg\nSIZES.append(3)\ncfg.SIZE = 3\n",
        "b.py": ("from config import SIZES, cfg\nfrom tensorflow import keras\nimport a\n"
                 "model = keras.Sequential([keras.layers.Dense(2, input_shape=(SIZES[-1] + cfg.SIZE - 28,))])\n"
                 "import numpy as np\nmodel.fit(np.zeros((8, 27)), np.zeros((8, 2)))\n"),
    })
    assert _check(root / "net.py") == [("CNN012", 5)]  # 27 features for the 28 of `cfg.SIZE`
    assert _check(root / "a.py") == []
    assert _check(root / "b.py") == [("CNN012", 6)]  # still 28: a.py's changes stayed in a.py


def test_a_cycle_a_syntax_error_and_a_missing_module_leave_names_unknown(tmp_path: Path) -> None:
    root = _tree(tmp_path / "bad", {
        ".git/HEAD": "",
        "a.py": "from b import SIZE\nA = 1\n",
        "b.py": "from a import A\nSIZE = 28\n",
        "broken.py": "SIZE = (\n",
        "net.py": ("import numpy as np\nfrom tensorflow import keras\nfrom broken import SIZE as S1\n"
                   "from nowhere import SIZE as S2\nfrom a import A\n"
                   "m = keras.Sequential([keras.layers.Dense(4, input_shape=(S1,)), keras.layers.Dense(2)])\n"
                   "m.fit(np.zeros((8, 5)), np.zeros((8, 2)))\n"
                   "n = keras.Sequential([keras.layers.Dense(4, input_shape=(S2,)), keras.layers.Dense(2)])\n"
                   "n.fit(np.zeros((8, 5)), np.zeros((8, 2)))\n"),
    })
    assert _check(root / "net.py") == []
    assert _check(root / "a.py") == []  # a cycle: no crash, no finding


@pytest.mark.cache
def test_editing_an_imported_module_rechecks_its_importers(app: Path) -> None:
    import subprocess
    import sys

    def run() -> str:
        return subprocess.run([sys.executable, "-m", "cnnlint", "check", "--exit-zero", "train.py"], cwd=app,
                              capture_output=True, text=True, timeout=300).stdout

    first = run()
    assert "CNN012" in first and (app / ".cnnlint_cache").is_dir()
    (app / "config.py").write_text(CONFIG.replace("28", "30"))  # 30 - 26 = 4 ... still not 32: still found
    assert "CNN012" in run()
    (app / "config.py").write_text(CONFIG.replace("28", "32"))
    assert "CNN012" not in run()


# -- functions and classes of another project file run for their callers ---------------------------
NET = """\
from tensorflow import keras
from tensorflow.keras import layers


def build_model(input_shape, classes=10):
    inputs = keras.Input(shape=input_shape)
    x = layers.Conv2D(32, 3, activation="relu")(inputs)
    x = layers.MaxPooling2D(2)(x)
    x = layers.Flatten()(x)
    x = layers.Reshape((13, 13, 32))(x)
    outputs = layers.Dense(classes, activation="softmax")(layers.Flatten()(x))
    return keras.Model(inputs, outputs)


class Classifier:
    def __init__(self, classes):
        self.classes = classes

    def build(self, shape):
        return keras.Sequential([keras.Input(shape), layers.Flatten(), layers.Dense(self.classes, activation="softmax")])
"""

TRAIN2 = """\
import numpy as np
from models.net import build_model, Classifier

good = build_model((28, 28, 1))
bad = build_model((32, 32, 3), classes=5)
clf = Classifier(10).build((4, 4))
clf.compile("adam", "categorical_crossentropy")
clf.fit(np.zeros((8, 4, 4)), np.zeros((8, 3)))
"""


@pytest.fixture
def zoo(tmp_path: Path) -> Path:
    return _tree(tmp_path / "zoo", {"setup.cfg": "", "models/__init__.py": "", "models/net.py": NET,
                                    "train.py": TRAIN2})


def _diagnostics(path: Path) -> list[object]:
    from cnnlint.options import FrontendOptions
    from cnnlint.rules import select_rules
    from cnnlint.runner import check_file

    return list(check_file(str(path), select_rules(["CNN"]), FrontendOptions(), prefilter=False).diagnostics)


def test_a_builder_of_another_file_is_checked_with_each_callers_arguments(zoo: Path) -> None:
    from cnnlint.rules.base import Diagnostic

    found = [d for d in _diagnostics(zoo / "train.py") if isinstance(d, Diagnostic)]
    by_code = {d.code: d for d in found}
    assert sorted(by_code) == ["CNN004", "CNN013"], found
    reshape = by_code["CNN004"]
    assert reshape.path == str((zoo / "models" / "net.py").resolve()) and reshape.loc.line == 10
    assert reshape.fix is None
    calls = [r for r in reshape.related if r.path == str(zoo / "train.py")]
    assert [r.loc.line for r in calls] == [5]  # the (32, 32, 3) call, not the (28, 28, 1) one
    assert {s.path for s in reshape.trace} == {""} and [s.line for s in reshape.trace][-1] == 10
    # a class of the other file builds the model: labels (8, 3) against its 10 units, found
    labels = by_code["CNN013"]
    places = [(labels.path, labels.loc.line), *((r.path, r.loc.line) for r in labels.related)]
    assert (str(zoo / "train.py"), 8) in places


def test_a_suppression_comment_in_the_builders_file_silences_its_finding(zoo: Path) -> None:
    net = zoo / "models" / "net.py"
    net.write_text(NET.replace("layers.Reshape((13, 13, 32))(x)", "layers.Reshape((13, 13, 32))(x)  # cnnlint: ignore"))
    assert [d.code for d in _diagnostics(zoo / "train.py")] == ["CNN013"]  # type: ignore[attr-defined]


def test_a_directory_run_reports_a_builders_finding_once_and_checks_marker_free_importers(zoo: Path) -> None:
    import json
    import subprocess
    import sys

    (zoo / "train_again.py").write_text(TRAIN2)  # the same call again: the same finding, shown once
    out = subprocess.run([sys.executable, "-m", "cnnlint", "check", "--no-cache", "--exit-zero", "--format", "json",
                          "."], cwd=zoo, capture_output=True, text=True, timeout=300)
    found = [(d["path"], d["code"], d["line"]) for d in json.loads(out.stdout)["diagnostics"]]
    assert sorted(f for f in found if f[1] == "CNN004") == [("models/net.py", "CNN004", 10)]
    assert len([f for f in found if f[1] == "CNN013"]) in (1, 2)  # at the Dense (once) or at each fit


def test_per_file_ignores_follow_the_file_a_finding_is_in(zoo: Path) -> None:
    import json
    import subprocess
    import sys

    (zoo / "pyproject.toml").write_text('[tool.cnnlint]\nper-file-ignores = {"models/*" = ["CNN004"]}\n')
    out = subprocess.run([sys.executable, "-m", "cnnlint", "check", "--no-cache", "--exit-zero", "--format", "json",
                          "train.py"], cwd=zoo, capture_output=True, text=True, timeout=300)
    assert [d["code"] for d in json.loads(out.stdout)["diagnostics"]] == ["CNN013"]


def test_a_src_layout_is_followed_through_the_configured_src_path(tmp_path: Path) -> None:
    root = _tree(tmp_path / "lay", {
        "pyproject.toml": "",
        "src/pkg/__init__.py": "from .sizes import SIZE\n",
        "src/pkg/sizes.py": "SIZE = 28\n",
        "scripts/train.py": ("import numpy as np\nfrom tensorflow import keras\nfrom pkg import SIZE\n"
                             "m = keras.Sequential([keras.Input((SIZE,)), keras.layers.Dense(2)])\n"
                             "m.fit(np.zeros((8, 27)), np.zeros((8, 2)))\n"),
    })
    assert _check(root / "scripts" / "train.py") == []
    assert _check(root / "scripts" / "train.py", src=(str(root / "src"),)) == [("CNN012", 5)]


def test_a_notebook_calling_a_builder_of_another_file_gets_the_call_as_a_cell_position(zoo: Path) -> None:
    import json

    from cnnlint.rules.base import Diagnostic

    cells = [{"cell_type": "markdown", "metadata": {}, "source": ["# training\n"]},
             {"cell_type": "code", "metadata": {}, "execution_count": None, "outputs": [],
              "source": ["from models.net import build_model\n", "\n", "bad = build_model((32, 32, 3))\n"]}]
    book = zoo / "train.ipynb"
    book.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    found = [d for d in _diagnostics(book) if isinstance(d, Diagnostic)]
    assert [(d.code, d.path.endswith("net.py"), d.loc.line) for d in found] == [("CNN004", True, 10)]
    calls = [r for r in found[0].related if r.path == str(book)]
    assert [(r.cell, r.loc.line) for r in calls] == [(2, 3)]
