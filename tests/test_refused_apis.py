"""APIs the target Keras lacks or refuses: Keras 2's generator methods, `ImageDataGenerator` and
`load_img(grayscale=)` through standalone Keras 3, `Input(tensor=)` of a non-Keras tensor under
Keras 3 (CNN007, only where the target is a stated Keras 3), and the `keras.applications` inputs
every Keras refuses (CNN011: ImageNet weights that do not fit; CNN005: an input under the
network's minimum). Each is checked statically per target and against Keras 3 / tf-keras
themselves; the fix `fit_generator(gen, ...)` -> `fit(gen, ...)` is run before and after."""

from __future__ import annotations

import textwrap
from typing import Any

import pytest

from cnnlint import fix
from cnnlint.frontend.keras.applications import NETWORKS, refusal
from cnnlint.options import FrontendOptions
from cnnlint.rules import select_rules
from cnnlint.runner import check_source
from cnnlint.targets import KerasTargets, KerasVersion, stated_targets

RULES = select_rules(None)


def targets(version: str) -> KerasTargets:
    parsed = KerasVersion.parse(version)
    assert parsed is not None
    return stated_targets(parsed, "test", KerasTargets())


def findings(code: str, version: str | None = None) -> list[tuple[str, int, str]]:
    options = FrontendOptions(keras=targets(version)) if version else FrontendOptions()
    result = check_source(textwrap.dedent(code), "t.py", RULES, options)
    assert result.error is None, result.error
    return [(d.code, d.loc.line, d.message) for d in result.diagnostics]


def codes(code: str, version: str | None = None) -> list[tuple[str, int]]:
    return [(c, line) for c, line, _ in findings(code, version)]


def fixed(code: str, version: str, unsafe: bool = False) -> str:
    code = textwrap.dedent(code)
    diagnostics = check_source(code, "t.py", RULES, FrontendOptions(keras=targets(version))).diagnostics
    chosen = [d for d in diagnostics if d.fix is not None and (unsafe or d.fix.applicability == "safe")]
    result = fix.apply_fixes(code, chosen)
    assert result.error is None
    return result.source


# -- the generator methods ---------------------------------------------------------------------------------
GENERATORS = """
import numpy as np
import tensorflow as tf
from keras.models import Sequential
from keras.layers import Dense

def batches():
    rng = np.random.default_rng(0)
    while True:
        x = rng.standard_normal((4, 3)).astype("float32")
        yield x, x.sum(axis=1, keepdims=True)

model = Sequential([Dense(1, input_shape=(3,), kernel_initializer="zeros")])
model.compile(optimizer="sgd", loss="mse")
model.fit_generator(batches(), steps_per_epoch=3, epochs=2, verbose=0)
loss = model.evaluate_generator(batches(), steps=2)
out = model.predict_generator(batches(), steps=2)
"""


def test_the_generator_methods_are_refused_by_a_stated_keras_3_only() -> None:
    assert codes(GENERATORS, "3") == [("CNN007", 15), ("CNN007", 16), ("CNN007", 17)]
    message = findings(GENERATORS, "3")[0][2]
    assert "Keras 2 API (`fit_generator`) that Keras 3" in message and "no longer has" in message
    for version in (None, "2.2.4", "2.15", "1.2"):  # unstated, standalone 2, late tf.keras 2, Keras 1
        assert codes(GENERATORS, version) == [], version


def test_the_tf_keras_package_keeps_the_generator_methods() -> None:
    code = GENERATORS.replace("from keras.models", "from tf_keras.models").replace("from keras.layers",
                                                                                      "from tf_keras.layers")
    assert codes(code, "3") == []


def test_a_module_reaching_keras_3_and_keras_2_is_not_reported() -> None:
    # `keras` pinned to 3 but `tf.keras` used too, for a TensorFlow that ships Keras 2: either may be the model's.
    code = GENERATORS.replace("\ndef batches", "\nstop = tf.keras.callbacks.EarlyStopping()\n\ndef batches")
    options = FrontendOptions(keras=KerasTargets(keras=targets("3").keras, tf_keras=targets("2.15").tf_keras))
    result = check_source(textwrap.dedent(code), "t.py", RULES, options)
    assert [d.code for d in result.diagnostics] == []


def test_the_fix_calls_fit_and_keeps_the_keywords() -> None:
    out = fixed(GENERATORS, "3")
    assert "model.fit(batches(), steps_per_epoch=3, epochs=2, verbose=0)" in out
    assert "model.evaluate(batches(), steps=2)" in out and "model.predict(batches(), steps=2)" in out


def test_a_positional_step_count_or_keras1_argument_has_no_fix() -> None:
    code = GENERATORS.replace("steps=2)\nout", "2)\nout").replace("epochs=2", "nb_epoch=2")
    out = fixed(code, "3", unsafe=True)
    assert "model.evaluate_generator(batches(), 2)" in out  # 2 would be `y` for `evaluate`
    assert "model.fit_generator(batches(), steps_per_epoch=3, epochs=2" in out  # only nb_epoch renamed


def test_the_loading_keywords_are_dropped_by_an_unsafe_fix_only() -> None:
    code = GENERATORS.replace("epochs=2, verbose=0", "epochs=2, verbose=0, workers=2, use_multiprocessing=False")
    assert "model.fit_generator(" in fixed(code, "3")
    assert "model.fit(batches(), steps_per_epoch=3, epochs=2, verbose=0)" in fixed(code, "3", unsafe=True)


def test_dropping_a_keyword_keeps_the_comments_of_the_others() -> None:
    call = ("if True:\n    history = model.fit_generator(\n        batches(),\n        steps_per_epoch=3,\n"
            "        workers=4,\n        epochs=2,  # two\n{last}    )")
    code = GENERATORS.replace("model.fit_generator(batches(), steps_per_epoch=3, epochs=2, verbose=0)", call)
    out = fixed(code.format(last=""), "3", unsafe=True)
    assert "history = model.fit(\n        batches(),\n        steps_per_epoch=3,\n        epochs=2,  # two\n    )" \
        in out
    # The last keyword after a comment: no fix (deleting back to the comma would take the comment).
    out = fixed(code.format(last="        use_multiprocessing=True,\n"), "3", unsafe=True)
    assert "model.fit_generator(" in out and "# two" in out


def test_generator_keyword_becomes_x() -> None:
    code = GENERATORS.replace("predict_generator(batches()", "predict_generator(generator=batches()")
    assert "model.predict(x=batches(), steps=2)" in fixed(code, "3")


def _train(keras: Any, code: str) -> tuple[Any, Any, Any]:
    """Run `code` with `keras` as the `keras` package: the trained kernel, the loss, the predictions."""
    import sys

    saved = {k: v for k, v in sys.modules.items() if k == "keras" or k.startswith("keras.")}
    namespace: dict[str, Any] = {}
    try:
        if keras.__name__ == "tf_keras":
            for name in list(saved):
                del sys.modules[name]
            sys.modules["keras"] = keras
            sys.modules["keras.models"] = keras.models
            sys.modules["keras.layers"] = keras.layers
        exec(compile(code, "program.py", "exec"), namespace)
    finally:
        for name in [k for k in sys.modules if k == "keras" or k.startswith("keras.")]:
            del sys.modules[name]
        sys.modules.update(saved)
    return namespace["model"].get_weights()[0], namespace["loss"], namespace["out"]


@pytest.mark.tensorflow
def test_keras_3_refuses_the_methods_and_the_fixed_program_means_the_same() -> None:
    import numpy as np

    keras = pytest.importorskip("keras")
    tf_keras = pytest.importorskip("tf_keras")
    code = textwrap.dedent(GENERATORS)
    with pytest.raises(AttributeError, match="fit_generator"):
        _train(keras, code)
    after = fixed(GENERATORS, "3")
    kernel, loss, out = _train(tf_keras, code)  # as written, where the methods exist
    kernel_fixed, loss_fixed, out_fixed = _train(tf_keras, after)  # the fix, same Keras
    np.testing.assert_allclose(kernel_fixed, kernel, rtol=1e-6)
    np.testing.assert_allclose(loss_fixed, loss, rtol=1e-6)
    np.testing.assert_allclose(out_fixed, out, rtol=1e-6)
    kernel3, _, out3 = _train(keras, after)  # and it runs in Keras 3, to the same numbers
    np.testing.assert_allclose(kernel3, kernel, rtol=1e-4, atol=1e-6)
    assert out3.shape == out.shape


# -- the image preprocessing of standalone Keras 3 --------------------------------------------------------
IMAGES = """
from keras.preprocessing.image import ImageDataGenerator, load_img, img_to_array

datagen = ImageDataGenerator(rescale=1.0 / 255)
img = img_to_array(load_img("digit.png", grayscale=True, target_size=(28, 28)))
"""


def test_image_data_generator_and_grayscale_are_refused_by_standalone_keras_3() -> None:
    assert codes(IMAGES, "3") == [("CNN007", 4), ("CNN007", 5)]
    for version in (None, "2.2.4", "2.15"):
        assert codes(IMAGES, version) == [], version


def test_tf_keras_of_keras_3_keeps_image_data_generator_but_not_grayscale() -> None:
    code = IMAGES.replace("from keras.preprocessing", "from tensorflow.keras.preprocessing")
    assert codes(code, "3") == [("CNN007", 5)]
    legacy = IMAGES.replace("from keras.preprocessing", "from keras_preprocessing")
    assert codes(legacy, "3") == []  # the keras_preprocessing package is not Keras


@pytest.mark.tensorflow
def test_which_keras_has_image_data_generator_and_grayscale() -> None:
    import inspect

    keras = pytest.importorskip("keras")
    tf_keras = pytest.importorskip("tf_keras")
    tf = pytest.importorskip("tensorflow")
    assert not hasattr(keras.preprocessing.image, "ImageDataGenerator")
    assert hasattr(tf.keras.preprocessing.image, "ImageDataGenerator")  # TF 2.21's tf.keras is Keras 3
    assert hasattr(tf_keras.preprocessing.image, "ImageDataGenerator")
    assert "grayscale" not in inspect.signature(keras.utils.load_img).parameters
    assert "grayscale" not in inspect.signature(tf.keras.preprocessing.image.load_img).parameters
    assert "grayscale" in inspect.signature(tf_keras.preprocessing.image.load_img).parameters


# -- Input(tensor=...) -------------------------------------------------------------------------------------
INPUT_TENSOR = """
import numpy as np
import tensorflow as tf
from keras.layers import Input, Dense
from keras.models import Model

data = tf.constant(np.zeros((8, 3), dtype="float32"))
inputs = Input(tensor=data)
outputs = Dense(1)(inputs)
model = Model(inputs, outputs)
"""


def test_input_of_a_tensorflow_tensor_is_refused_by_keras_3() -> None:
    assert codes(INPUT_TENSOR, "3") == [("CNN007", 8)]
    assert codes(INPUT_TENSOR) == []
    assert codes(INPUT_TENSOR, "2.2.4") == []
    keras_tensor = INPUT_TENSOR.replace("data = tf.constant(np.zeros((8, 3), dtype=\"float32\"))",
                                        "data = Input(shape=(3,))")
    assert codes(keras_tensor, "3") == []


@pytest.mark.tensorflow
def test_keras_3_refuses_input_of_a_tensorflow_tensor() -> None:
    keras = pytest.importorskip("keras")
    tf = pytest.importorskip("tensorflow")
    with pytest.raises(ValueError, match="must be a KerasTensor"):
        keras.Input(tensor=tf.zeros((8, 3)))
    assert tuple(keras.Input(tensor=keras.Input(shape=(3,))).shape) == (None, 3)


# -- keras.applications inputs every Keras refuses ---------------------------------------------------------
def app(call: str) -> str:
    return f"from keras import applications\nmodel = applications.{call}\n"


CASES = [  # (call, code or None, what Keras 3 says)
    ("VGG16(include_top=True, weights='imagenet', input_shape=(150, 150, 3))", "CNN011", "should be"),
    ("InceptionV3(weights='imagenet', input_shape=(224, 224, 3))", "CNN011", "should be"),
    ("VGG16(weights='imagenet', classes=10)", "CNN011", "should be 1000"),
    ("ResNet50(include_top=False, weights='imagenet', input_shape=(64, 64, 1))", "CNN011", "3 channels"),
    ("InceptionV3(include_top=False, weights=None, input_shape=(64, 64, 3))", "CNN005", "at least 75x75"),
    ("VGG16(include_top=False, weights=None, input_shape=(1, 128, 128))", "CNN005", "at least 32x32"),
    ("EfficientNetB0(include_top=False, weights='imagenet', input_shape=(28, 28, 3))", "CNN005", "at least 32x32"),
]
ACCEPTED = [
    "VGG16(include_top=True, weights=None, input_shape=(150, 150, 3), classes=2)",
    "ResNet50(include_top=False, weights=None, input_shape=(64, 64, 1))",
    "InceptionV3(include_top=False, weights=None, input_shape=(75, 75, 3))",
    "VGG16(include_top=False, weights=None, input_shape=(32, 32, 3))",
    "MobileNet(include_top=False, weights=None, input_shape=(128, 128, 3))",
]


@pytest.mark.parametrize(("call", "code", "said"), CASES)
def test_a_refused_application_input_is_reported(call: str, code: str, said: str) -> None:
    assert codes(app(call)) == [(code, 2)]
    assert codes(app(call), "2.2.4") == [(code, 2)]  # every Keras refuses it
    assert said in findings(app(call))[0][2]


@pytest.mark.parametrize("call", ACCEPTED)
def test_an_accepted_application_input_is_not(call: str) -> None:
    assert codes(app(call)) == []


def test_mobilenet_picks_its_imagenet_size_from_a_square_input() -> None:
    call = "MobileNet(include_top=True, weights='imagenet', input_shape=(128, 128, 3))"
    assert codes(app(call)) == []
    assert refusal(NETWORKS["MobileNet"], (128, 128, 3), include_top=True, imagenet=True) is None


@pytest.mark.tensorflow
@pytest.mark.parametrize(("call", "code", "said"), CASES)
def test_keras_refuses_the_reported_inputs(call: str, code: str, said: str) -> None:
    keras = pytest.importorskip("keras")
    keras.backend.clear_session()
    with pytest.raises(ValueError, match=said.replace("(", r"\(")):
        eval(f"keras.applications.{call}", {"keras": keras})  # the checks run before any download


@pytest.mark.tensorflow
@pytest.mark.parametrize("call", ACCEPTED)
def test_keras_accepts_the_others(call: str) -> None:
    keras = pytest.importorskip("keras")
    keras.backend.clear_session()
    eval(f"keras.applications.{call}", {"keras": keras})


@pytest.mark.tensorflow
def test_mobilenet_imagenet_classifier_of_128_pixels_passes_the_input_check() -> None:
    pytest.importorskip("keras")
    from keras.src.applications.imagenet_utils import obtain_input_shape

    assert obtain_input_shape((128, 128, 3), default_size=128, min_size=32, data_format="channels_last",
                              require_flatten=True, weights="imagenet") == (128, 128, 3)


@pytest.mark.parametrize("name", sorted(NETWORKS))
def test_the_refusals_follow_obtain_input_shape(name: str) -> None:
    """Keras 3's `obtain_input_shape`, as the table gives each network its sizes, for the three refusals."""
    net = NETWORKS[name]
    small = (net.minimum - 1, net.minimum, 3)
    assert refusal(net, small, include_top=False, imagenet=False) == "minimum"
    assert refusal(net, (net.minimum, net.minimum, 3), include_top=False, imagenet=False) is None
    assert refusal(net, (net.minimum, net.minimum, 1), include_top=False, imagenet=True) == "channels"
    assert refusal(net, (net.minimum, net.minimum, 1), include_top=False, imagenet=False) is None
    if net.default is not None and not net.module.startswith("mobilenet"):
        assert refusal(net, (net.default + 8, net.default + 8, 3), include_top=True, imagenet=True) == "top"
        assert refusal(net, (net.default, net.default, 3), include_top=True, imagenet=True) is None
