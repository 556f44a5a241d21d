"""A framework reached through a module that re-exports it (tfmot's compat, Keras's API packages,
tf_slim) is read as that framework; a project's own module with `keras` in its name is not."""

from __future__ import annotations

import pytest

from cnnlint.frontend.names import canonical, reexported
from cnnlint.rules import select_rules
from cnnlint.runner import check_bytes
from tests.conftest import lint, module_of

CNN = """\
model = keras.Sequential([
    keras.layers.Conv2D(32, 3, padding="same", activation="relu", input_shape=(28, 28, 1)),
    keras.layers.MaxPooling2D(),
    keras.layers.Flatten(),
    keras.layers.Reshape((14, 14, 16)),
])
"""


def found(code: str) -> list[tuple[int, str]]:
    return [(d.loc.line, d.code) for d in lint(code)]


@pytest.mark.parametrize("spelling", [
    "from tensorflow_model_optimization.python.core.keras.compat import keras",
    "import tensorflow_model_optimization.python.core.keras.compat.keras as keras",
    "from ...compat import keras",  # inside a package, as tfmot's own modules and keras shims write it
    "from .compat import keras",
    "from keras.api._v2 import keras",
    "import keras.api._v2.keras as keras",
    "from tf_keras.api._v2 import keras",
    "from tensorflow.python import keras",
    "from tensorflow.compat.v1 import keras",
])
def test_a_sequential_cnn_through_a_reexported_keras_is_checked(spelling: str) -> None:
    assert found(f"{spelling}\n{CNN}") == [(6, "CNN004")]


def test_layers_imported_from_a_reexport_under_an_alias_are_checked() -> None:
    code = ("from tensorflow.keras import layers as KL\n"
            "from tensorflow.python.keras import models\n"
            "model = models.Sequential([KL.Conv2D(8, 3, input_shape=(28, 28, 1)), KL.Flatten(), KL.Dense(10),\n"
            "                           KL.Reshape((3, 3))])\n")
    assert found(code) == [(4, "CNN004")]


def test_tfmot_compat_keras_reads_as_tf_keras_for_the_version_dependent_rules() -> None:
    # tf_keras (Keras 2.4+) reads `Conv2D(32, 3, 2)` as a stride, as today's Keras does.
    path = "tensorflow_model_optimization.python.core.keras.compat.keras.layers.Conv2D"
    assert reexported(path) == "tf_keras.layers.Conv2D" and canonical(path) == "keras.layers.Conv2D"


def test_tf_slim_is_tf_contrib_slim() -> None:
    code = ("import tensorflow as tf\nimport tf_slim as slim\n"
            "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
            "net = slim.conv2d(x, 32, [5, 5], padding='VALID')\n"
            "net = slim.max_pool2d(net, [2, 2])\n"
            "flat = tf.reshape(net, [-1, 7 * 7 * 32])\n")
    assert found(code) == [(6, "CNN001")]


def test_a_file_that_names_only_tf_slim_is_not_skipped_by_the_prefilter() -> None:
    code = (b"import tf_slim as slim\n\n"
            b"def net(images):\n    x = slim.conv2d(images, 32, [3, 3])\n    return slim.flatten(x)\n")
    assert not check_bytes("net.py", code, select_rules(["CNN"])).skipped


@pytest.mark.parametrize("spelling", [
    "from myproject.keras_utils import keras",
    "from myproject import keras_utils as keras",
    "from myproject.keras import models as keras",
    "from keras_extras import keras",
    "from tensorflow_model_optimization.sparsity import keras",
])
def test_a_projects_own_module_named_after_keras_is_not_read_as_keras(spelling: str) -> None:
    module = module_of(f"{spelling}\n{CNN}")
    assert all(not graph.models for graph in module.graphs)
    assert found(f"{spelling}\n{CNN}") == []


def test_tfmots_own_keras_namespaces_stay_its_own() -> None:
    for path in ("tensorflow_model_optimization.sparsity.keras.prune_low_magnitude",
                 "tensorflow_model_optimization.python.core.keras.utils.convert_keras_tensor",
                 "tensorflow_model_optimization.quantization.keras.quantize_model"):
        assert reexported(path) == path
