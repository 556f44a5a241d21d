"""`keras.applications.*`: the table of cnnlint/frontend/keras/applications.py against Keras 3.

Each network is rebuilt in Keras 3 with `weights=None` on a non-square input (the minimum on one
axis, so the minimum is accepted) and compared with the table's output; a size under the minimum
and a non-default `input_shape` with ImageNet weights and the classifier must be refused by Keras
(before any weights are loaded) and left unknown by cnnlint. The default run checks one network
per family; `CNNLINT_ALL_APPLICATIONS=1` checks every row (a few minutes).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from cnnlint.frontend.keras.applications import NETWORKS, input_shape
from cnnlint.frontend.python.values import Value
from cnnlint.frontend.tensor import ShapeV, TensorV
from cnnlint.ir import Graph
from tests.conftest import codes, module_scope

FAMILIES = ["VGG16", "ResNet50", "ResNet50V2", "InceptionV3", "InceptionResNetV2", "Xception", "MobileNet",
            "MobileNetV2", "MobileNetV3Small", "DenseNet121", "NASNetMobile", "EfficientNetB0", "EfficientNetV2B0",
            "ConvNeXtTiny"]
CHECKED = list(NETWORKS) if os.environ.get("CNNLINT_ALL_APPLICATIONS") else FAMILIES

Shape = tuple[int | None, ...]


def static_output(call: str) -> Shape | None:
    scope, graph = module_scope("from tensorflow import keras\nm = keras.applications." + call + "\n"
                                "result = m.output\n")
    return _shape(scope.vars["result"], graph)


def _shape(value: Value, graph: Graph) -> Shape | None:
    if not isinstance(value, TensorV) or graph.nodes[value.node].shape is None:
        return None
    shape = graph.nodes[value.node].shape
    return None if shape is None else tuple(d.value for d in shape)


def keras_output(name: str, **kwargs: Any) -> Shape:
    keras = pytest.importorskip("keras")
    keras.backend.clear_session()
    model = getattr(keras.applications, name)(**kwargs)
    return tuple(model.output.shape)


def test_every_common_network_is_in_the_table() -> None:
    assert len(NETWORKS) >= 40
    for name in ("VGG16", "ResNet152V2", "InceptionV3", "MobileNetV3Large", "DenseNet201", "NASNetLarge",
                 "EfficientNetB7", "EfficientNetV2L", "ConvNeXtXLarge"):
        assert name in NETWORKS


@pytest.mark.parametrize("name", list(NETWORKS))
def test_the_classifier_fixes_the_default_input(name: str) -> None:
    net = NETWORKS[name]
    default = None if net.default is None else (net.default, net.default, 3)
    assert input_shape(net, None, include_top=True, imagenet=True) == (default or (None, None, 3))
    assert input_shape(net, None, include_top=False, imagenet=True) == (None, None, 3)


def test_output_shapes_statically() -> None:
    assert static_output("VGG16(include_top=False, input_shape=(150, 150, 3))") == (None, 4, 4, 512)
    assert static_output("ResNet50()") == (None, 1000)
    assert static_output("InceptionV3(include_top=False, pooling='avg')") == (None, 2048)
    assert static_output("MobileNetV2(input_shape=(96, 96, 3), include_top=False)") == (None, 3, 3, 1280)
    assert static_output("VGG16(include_top=False)") is not None  # (None, None, None, 512)


def test_what_keras_refuses_is_unknown() -> None:
    assert static_output("VGG16(weights='imagenet', input_shape=(150, 150, 3))") is None
    assert static_output("InceptionV3(include_top=False, input_shape=(60, 60, 3))") is None
    assert static_output("ResNet50(include_top=False, weights='imagenet', input_shape=(64, 64, 1))") is None
    assert static_output("VGG16(classes=10)") is None
    assert static_output("MobileNet(alpha=0.5, include_top=False)") is None


def test_a_classifier_fed_another_image_size_is_reported() -> None:
    head = "import numpy as np\nfrom tensorflow import keras\n"
    assert codes(head + "m = keras.applications.ResNet50(weights='imagenet')\n"
                 "m.predict(np.zeros((1, 150, 150, 3)))\n") == ["CNN012"]
    assert codes(head + "m = keras.applications.ResNet50(weights='imagenet')\n"
                 "m.predict(np.zeros((1, 224, 224, 3)))\n") == []
    assert codes(head + "m = keras.applications.ResNet50(include_top=False, weights='imagenet')\n"
                 "m.predict(np.zeros((1, 150, 150, 3)))\n") == []


def test_a_transfer_head_on_the_backbone() -> None:
    code = ("import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"
            "base = keras.applications.VGG16(include_top=False, input_shape=(150, 150, 3))\n"
            "x = layers.Flatten()(base.output)\nout = layers.Dense(2, activation='softmax')(x)\n"
            "model = keras.Model(base.input, out)\nresult = out\n")
    scope, graph = module_scope(code)
    assert _shape(scope.vars["result"], graph) == (None, 2)
    seq = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n"
           "base = keras.applications.MobileNetV2(include_top=False, input_shape=(160, 160, 3))\n"
           "model = keras.Sequential([base, layers.GlobalAveragePooling2D(), layers.Dense(3)])\n"
           "result = model.output_shape\n")
    scope, graph = module_scope(seq)
    result = scope.vars["result"]
    assert isinstance(result, ShapeV) and result.dims is not None
    assert tuple(d.value for d in result.dims) == (None, 3)


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", CHECKED)
def test_the_feature_map_is_the_one_keras_builds(name: str) -> None:
    net = NETWORKS[name]
    sizes = [(net.minimum, 2 * net.minimum + 13)]
    if os.environ.get("CNNLINT_ALL_APPLICATIONS"):
        sizes += [(net.minimum + 7, 3 * net.minimum + 2), (257, 331)]
    for height, width in sizes:
        call = f"{name}(include_top=False, weights=None, input_shape=({height}, {width}, 3))"
        assert static_output(call) == keras_output(name, include_top=False, weights=None,
                                                   input_shape=(height, width, 3)), (height, width)


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", CHECKED)
def test_keras_refuses_an_input_under_the_minimum(name: str) -> None:
    net = NETWORKS[name]
    small = net.minimum - 1
    with pytest.raises(ValueError):
        keras_output(name, include_top=False, weights=None, input_shape=(small, 2 * net.minimum, 3))
    assert static_output(f"{name}(include_top=False, weights=None, input_shape=({small}, {2 * net.minimum}, 3))") \
        is None


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", [n for n in CHECKED if NETWORKS[n].default is not None])
def test_keras_refuses_another_input_for_the_imagenet_classifier(name: str) -> None:
    net = NETWORKS[name]
    assert net.default is not None
    other = (net.default + 8, net.default + 8, 3)
    with pytest.raises(ValueError, match="input_shape"):
        keras_output(name, include_top=True, weights="imagenet", input_shape=other)
    assert input_shape(net, list(other), include_top=True, imagenet=True) is None


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", ["VGG16", "ResNet50", "MobileNetV3Small", "EfficientNetB0"])
@pytest.mark.parametrize("head", [{"include_top": True}, {"include_top": False, "pooling": "avg"},
                                  {"include_top": False, "pooling": "max"}, {"include_top": False}])
def test_the_heads(name: str, head: dict[str, Any]) -> None:
    args = ", ".join(f"{k}={v!r}" for k, v in head.items())
    assert static_output(f"{name}(weights=None, {args})") == keras_output(name, weights=None, **head)
