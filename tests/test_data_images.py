"""Images read from disk with OpenCV, Pillow, matplotlib, scikit-image and imageio: the static
shape of each snippet is the one written here, and the same snippet run by OpenCV / Pillow on tiny
PNG and JPEG files written to a temporary folder gives a shape that agrees with it (`?` matches any
size). Then images fed to a Keras model: one image without its batch axis is CNN012, with a message
that says so, and Keras (3 and tf-keras) is run to show that it refuses or misreads such an image.
"""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import codes, lint, shapes_by_label

cv2 = pytest.importorskip("cv2")
Image = pytest.importorskip("PIL.Image")

PRELUDE = """
import cv2
import numpy as np
from PIL import Image, ImageOps
"""

GROWN = """
imgs, pics = [], []
for _ in range(int(input())):
    imgs.append(np.array(Image.open(COLOR).convert('L').resize((28, 28))))
    pics.append(Image.open(COLOR).convert('RGB').resize((16, 8)))
"""

# The files are 20 rows by 30 columns: COLOR (RGB PNG), GRAY (one band PNG), RGBA (PNG), JPG (RGB).
OPENCV: list[tuple[str, str | None]] = [
    ("r = cv2.imread(COLOR)", "?,?,3"),
    ("r = cv2.imread(GRAY)", "?,?,3"),
    ("r = cv2.imread(JPG)", "?,?,3"),
    ("r = cv2.imread(RGBA)", "?,?,3"),
    ("r = cv2.imread(COLOR, 0)", "?,?"),
    ("r = cv2.imread(COLOR, cv2.IMREAD_GRAYSCALE)", "?,?"),
    ("r = cv2.imread(RGBA, cv2.IMREAD_COLOR)", "?,?,3"),
    ("r = cv2.imread(GRAY, 1)", "?,?,3"),
    ("r = cv2.imread(COLOR, cv2.IMREAD_REDUCED_GRAYSCALE_2)", "?,?"),
    ("r = cv2.imread(COLOR, cv2.IMREAD_REDUCED_COLOR_4)", "?,?,3"),
    ("r = cv2.imread(RGBA, cv2.IMREAD_UNCHANGED)", None),
    ("r = cv2.imread(GRAY, -1)", None),
    ("r = cv2.imread(COLOR, cv2.IMREAD_ANYCOLOR)", None),
    ("r = cv2.imdecode(np.fromfile(COLOR, np.uint8), cv2.IMREAD_COLOR)", "?,?,3"),
    ("r = cv2.imdecode(np.fromfile(COLOR, np.uint8), 0)", "?,?"),
    # resize: dsize is (width, height); a channel axis of 1 is dropped
    ("r = cv2.resize(cv2.imread(COLOR), (64, 32))", "32,64,3"),
    ("r = cv2.resize(cv2.imread(COLOR), dsize=(64, 32), interpolation=cv2.INTER_AREA)", "32,64,3"),
    ("r = cv2.resize(cv2.imread(COLOR, 0), (28, 28))", "28,28"),
    ("r = cv2.resize(cv2.imread(RGBA, -1), (8, 4))", None),
    ("r = cv2.resize(np.zeros((20, 30, 1), np.uint8), (8, 4))", "4,8"),
    ("r = cv2.resize(np.zeros((20, 30, 5), np.uint8), (8, 4))", "4,8,5"),
    ("r = cv2.resize(np.zeros((20, 30, 3), np.uint8), None, fx=2, fy=0.5)", "10,60,3"),
    ("r = cv2.resize(np.zeros((20, 30, 3), np.uint8), (0, 0), fx=2, fy=2)", "40,60,3"),
    ("r = cv2.resize(np.zeros((20, 30), np.uint8), None, fx=0.25, fy=0.25)", "5,?"),  # 7.5 columns: rounded
    ("r = cv2.resize(cv2.imread(COLOR), None, fx=0.5, fy=0.5)", "?,?,3"),
    ("r = cv2.resize(cv2.imread(COLOR), (28, 28)).reshape(1, 28, 28, 3)", "1,28,28,3"),
    ("r = cv2.resize(cv2.imread(COLOR), (28, 28))[None] / 255.0", "1,28,28,3"),
    ("r = np.expand_dims(cv2.resize(cv2.imread(COLOR, 0), (28, 28)), 0)", "1,28,28"),
    # cvtColor by its code
    ("r = cv2.cvtColor(cv2.imread(COLOR), cv2.COLOR_BGR2GRAY)", "?,?"),
    ("r = cv2.cvtColor(cv2.imread(COLOR), cv2.COLOR_RGB2GRAY)", "?,?"),
    ("r = cv2.cvtColor(cv2.imread(COLOR), cv2.COLOR_BGR2RGB)", "?,?,3"),
    ("r = cv2.cvtColor(cv2.imread(COLOR), cv2.COLOR_RGB2BGR)", "?,?,3"),
    ("r = cv2.cvtColor(cv2.imread(COLOR), cv2.COLOR_BGR2RGBA)", "?,?,4"),
    ("r = cv2.cvtColor(cv2.imread(COLOR), cv2.COLOR_BGR2HSV)", "?,?,3"),
    ("r = cv2.cvtColor(cv2.imread(COLOR, 0), cv2.COLOR_GRAY2BGR)", "?,?,3"),
    ("r = cv2.cvtColor(cv2.imread(COLOR, 0), cv2.COLOR_GRAY2RGB)", "?,?,3"),
    ("r = cv2.cvtColor(cv2.imread(RGBA, -1), cv2.COLOR_BGRA2BGR)", None),
    ("r = cv2.cvtColor(np.zeros((20, 30, 4), np.uint8), cv2.COLOR_BGRA2GRAY)", "20,30"),
    ("r = cv2.cvtColor(cv2.imread(COLOR, 0), cv2.COLOR_BGR2RGB)", None),  # accepted by some versions only
    ("r = cv2.cvtColor(cv2.resize(cv2.imread(COLOR), (64, 32)), cv2.COLOR_BGR2GRAY)", "32,64"),
    # filters keep the shape
    ("r = cv2.GaussianBlur(cv2.imread(COLOR), (5, 5), 0)", "?,?,3"),
    ("r = cv2.flip(cv2.imread(COLOR, 0), 1)", "?,?"),
    ("r = cv2.Canny(cv2.imread(COLOR), 100, 200)", "?,?"),
    ("_, r = cv2.threshold(cv2.imread(COLOR, 0), 127, 255, cv2.THRESH_BINARY)", "?,?"),
]

PILLOW: list[tuple[str, str | None]] = [
    ("r = np.array(Image.open(COLOR))", None),  # the mode is the file's
    ("r = np.array(Image.open(COLOR).convert('L'))", "?,?"),
    ("r = np.array(Image.open(COLOR).convert('1'))", "?,?"),
    ("r = np.asarray(Image.open(GRAY).convert('RGB'))", "?,?,3"),
    ("r = np.array(Image.open(JPG).convert('RGBA'))", "?,?,4"),
    ("r = np.array(Image.open(COLOR).convert('LA'))", "?,?,2"),
    ("r = np.array(Image.open(COLOR).convert(mode='L'))", "?,?"),
    ("r = np.array(Image.open(COLOR).resize((64, 32)))", None),
    ("r = np.array(Image.open(COLOR).convert('RGB').resize((64, 32)))", "32,64,3"),
    ("r = np.asarray(Image.open(COLOR).resize((28, 28)).convert('L'))", "28,28"),
    ("r = np.array(Image.open(COLOR).convert('L').resize((28, 28))).reshape(1, 28, 28, 1)", "1,28,28,1"),
    ("r = np.array(Image.open(COLOR).convert('L').resize((28, 28))) / 255.0", "28,28"),
    ("im = Image.open(COLOR).convert('RGB').resize((16, 8))\nim.thumbnail((10, 10))\nr = np.array(im)", "?,?,3"),
    ("r = np.array(Image.new('RGB', (30, 20)))", "20,30,3"),
    ("r = np.array(Image.new('L', (30, 20)).crop((0, 0, 10, 5)))", "5,10"),
    ("r = np.array(Image.new('RGB', (30, 20)).rotate(45))", "20,30,3"),
    ("r = np.array(Image.new('RGB', (30, 20)).rotate(45, expand=True))", "?,?,3"),
    ("r = np.array(Image.new('RGB', (30, 20)).transpose(Image.Transpose.ROTATE_90))", "30,20,3"),
    ("r = np.array(Image.new('RGB', (30, 20)).transpose(Image.FLIP_LEFT_RIGHT))", "20,30,3"),
    ("r = np.array(Image.new('RGB', (30, 20)).copy())", "20,30,3"),
    ("r = np.zeros(Image.new('RGB', (30, 20)).size)", "30,20"),
    ("im = Image.new('RGB', (30, 20))\nr = np.zeros((im.height, im.width))", "20,30"),
    ("r = np.array(Image.fromarray(np.zeros((20, 30, 3), np.uint8)))", "20,30,3"),
    ("r = np.array(Image.fromarray(np.zeros((20, 30), np.uint8)))", "20,30"),
    ("r = np.array(Image.fromarray(np.zeros((20, 30), np.float32)).resize((8, 4)))", "4,8"),
    ("r = np.array(Image.fromarray(np.zeros((20, 30, 4), np.uint8)).resize((8, 4)))", "4,8,4"),
    ("r = np.array(Image.fromarray(cv2.imread(COLOR)).resize((8, 4)))", "4,8,3"),
    ("r = np.array(ImageOps.grayscale(Image.open(COLOR)))", "?,?"),
    ("r = np.array(ImageOps.fit(Image.open(COLOR).convert('RGB'), (28, 28)))", "28,28,3"),
    ("r = np.array([Image.new('L', (4, 4)), Image.new('L', (4, 4))])", "2,4,4"),
    ("r = np.stack([np.array(Image.new('L', (4, 5))), np.array(Image.new('L', (4, 5)))])", "2,5,4"),
    (GROWN + "r = np.array(imgs)", "?,28,28"),
    (GROWN + "r = np.array(imgs)[..., None] / 255.0", "?,28,28,1"),
    (GROWN + "r = np.stack(imgs).reshape(-1, 28, 28, 1)", "?,28,28,1"),
    (GROWN + "r = np.array(pics)", "?,8,16,3"),
    (GROWN + "r = np.array([np.asarray(p) for p in pics])", "?,8,16,3"),
]

# Readers whose rank and sizes are the file's (not installed here: checked statically only).
READERS: list[tuple[str, str | None]] = [
    ("import matplotlib.pyplot as plt\nr = plt.imread(COLOR)", None),
    ("import matplotlib.image as mpimg\nr = mpimg.imread(COLOR).reshape(-1, 20, 30, 3)", "?,20,30,3"),
    ("from skimage import io\nr = io.imread(COLOR)", None),
    ("import skimage.io\nr = skimage.io.imread(COLOR).reshape(1, 20, 30, 3)", "1,20,30,3"),
    ("import imageio\nr = imageio.imread(COLOR)", None),
    ("import imageio.v2 as imageio\nr = imageio.imread(COLOR).reshape(-1, 28, 28, 1)", "?,28,28,1"),
    ("import imageio.v3 as iio\nr = iio.imread(COLOR) / 255.0", None),
]


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Tiny images, 20 rows by 30 columns, written by OpenCV and Pillow."""
    folder = tmp_path_factory.mktemp("images")
    rng = np.random.default_rng(0)
    color = rng.integers(0, 255, size=(20, 30, 3), dtype=np.uint8)
    paths = {name: str(folder / file) for name, file in
             (("COLOR", "color.png"), ("GRAY", "gray.png"), ("RGBA", "rgba.png"), ("JPG", "photo.jpg"))}
    cv2.imwrite(paths["COLOR"], color)
    Image.fromarray(color[..., 0]).save(paths["GRAY"])
    Image.fromarray(np.dstack([color, color[..., :1]])).save(paths["RGBA"])
    Image.fromarray(color).save(paths["JPG"])
    return paths


def static_shape(code: str) -> str | None:
    return shapes_by_label(PRELUDE + textwrap.dedent(code)).get("r")


def run(code: str, files: dict[str, Any]) -> Any:
    """The snippet run for real (the test's own code, never user code); `input()` gives "3"."""
    scope: dict[str, Any] = {"input": lambda *args: "3", **files}
    exec(compile(PRELUDE + textwrap.dedent(code), "<case>", "exec"), scope)
    return scope["r"]


def agrees(static: str, real: tuple[int, ...]) -> bool:
    dims = static.split(",") if static else []
    return len(dims) == len(real) and all(d == "?" or d == str(r) for d, r in zip(dims, real, strict=True))


def _ids(cases: list[tuple[str, str | None]]) -> list[str]:
    return [code.strip().splitlines()[-1] for code, _ in cases]


@pytest.mark.parametrize(("code", "expected"), OPENCV, ids=_ids(OPENCV))
def test_opencv_shapes_are_the_ones_opencv_gives(code: str, expected: str | None, files: dict[str, Any]) -> None:
    assert static_shape(code) == expected
    if expected is not None:
        actual = tuple(np.shape(run(code, files)))
        assert agrees(expected, actual), f"static {expected} but OpenCV gives {actual}"


@pytest.mark.parametrize(("code", "expected"), PILLOW, ids=_ids(PILLOW))
def test_pillow_shapes_are_the_ones_pillow_gives(code: str, expected: str | None, files: dict[str, Any]) -> None:
    assert static_shape(code) == expected
    if expected is not None:
        actual = tuple(np.shape(run(code, files)))
        assert agrees(expected, actual), f"static {expected} but Pillow gives {actual}"


def test_unknown_modes_and_versions_are_real_uncertainty(files: dict[str, Any]) -> None:
    """What is left unknown does vary: IMREAD_UNCHANGED gives the file's channels, and Image.open the
    file's mode."""
    assert np.shape(run("r = cv2.imread(RGBA, -1)", files)) == (20, 30, 4)
    assert np.shape(run("r = cv2.imread(GRAY, -1)", files)) == (20, 30)
    assert np.shape(run("r = np.array(Image.open(GRAY))", files)) == (20, 30)
    assert np.shape(run("r = np.array(Image.open(COLOR))", files)) == (20, 30, 3)


@pytest.mark.parametrize(("code", "expected"), READERS, ids=_ids(READERS))
def test_readers_give_the_file_s_rank_until_the_program_fixes_it(code: str, expected: str | None) -> None:
    assert static_shape(code) == expected


# -- images fed to a model --------------------------------------------------------------------------
DIGIT_MODEL = """
from tensorflow import keras
from tensorflow.keras import layers
model = keras.Sequential([keras.Input((28, 28, 1)), layers.Conv2D(4, 3), layers.Flatten(), layers.Dense(10)])
img = cv2.imread(path, 0)
img = cv2.resize(img, (28, 28))
"""


def test_a_grayscale_digit_reshaped_to_a_batch_is_clean() -> None:
    assert codes(PRELUDE + DIGIT_MODEL + "model.predict(img.reshape(1, 28, 28, 1))\n") == []
    assert codes(PRELUDE + DIGIT_MODEL + "model.predict(img[None])\n") == []
    assert codes(PRELUDE + DIGIT_MODEL + "model.predict(np.expand_dims(img, 0))\n") == []


def test_a_digit_without_its_batch_axis_is_cnn012_saying_so() -> None:
    found = lint(PRELUDE + DIGIT_MODEL + "model.predict(img)\n")
    assert [d.code for d in found] == ["CNN012"]
    assert "missing batch axis: use `img[None]` or `np.expand_dims(img, 0)`" in found[0].message
    assert "refuses 28 examples of shape (28,)" in found[0].message


def test_a_digit_with_its_channel_but_no_batch_axis_is_read_as_28_examples() -> None:
    found = lint(PRELUDE + DIGIT_MODEL + "digit = img.reshape(28, 28, 1)\nmodel.predict(digit)\n")
    assert [d.code for d in found] == ["CNN012"]
    assert "missing batch axis: use `digit[None]` or `np.expand_dims(digit, 0)`" in found[0].message
    assert "reads it as 28 examples of shape (28, 1)" in found[0].message
    assert "axis 2 is 1" not in found[0].message


def test_a_photo_without_its_batch_axis_into_a_functional_model_is_cnn012() -> None:
    code = PRELUDE + textwrap.dedent("""
        from tensorflow import keras
        inputs = keras.Input((224, 224, 3))
        model = keras.Model(inputs, keras.layers.Dense(2)(keras.layers.GlobalAveragePooling2D()(inputs)))
        photo = cv2.cvtColor(cv2.resize(cv2.imread(path), (224, 224)), cv2.COLOR_BGR2RGB)
        model.predict(photo)
        model.predict(photo[np.newaxis] / 255.0)
    """)
    found = lint(code)
    assert [d.code for d in found] == ["CNN012"]
    assert found[0].message.startswith("`photo` is (224, 224, 3) but model `model` expects (None, 224, 224, 3): "
                                       "missing batch axis: use `photo[None]`")


def test_width_and_height_swapped_by_cv2_resize_is_cnn012() -> None:
    code = PRELUDE + textwrap.dedent("""
        from tensorflow import keras
        model = keras.Sequential([keras.Input((64, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(2)])
        pic = cv2.resize(cv2.imread(path), (64, 32))
        model.predict(pic[None])
    """)
    found = lint(code)
    assert [d.code for d in found] == ["CNN012"]
    assert "is (1, 32, 64, 3)" in found[0].message
    fixed = code.replace("(64, 32))", "(32, 64))")
    assert codes(fixed) == []


def test_a_pillow_image_fed_without_a_batch_axis_is_cnn012() -> None:
    code = PRELUDE + textwrap.dedent("""
        from tensorflow import keras
        model = keras.Sequential([keras.Input((32, 32, 3)), keras.layers.Flatten(), keras.layers.Dense(2)])
        x = np.array(Image.open(path).convert("RGB").resize((32, 32))) / 255.0
        model.predict(x[None])
        model.predict(x)
    """)
    found = lint(code)
    assert [d.code for d in found] == ["CNN012"]
    assert "missing batch axis" in found[0].message


def test_images_of_unknown_size_are_quiet() -> None:
    code = PRELUDE + textwrap.dedent("""
        from tensorflow import keras
        model = keras.Sequential([keras.Input((28, 28, 1)), keras.layers.Flatten(), keras.layers.Dense(2)])
        model.predict(cv2.imread(path, 0)[None])
        model.predict(np.array(Image.open(path))[None])
        model.predict(cv2.imread(path, cv2.IMREAD_UNCHANGED))
    """)
    assert codes(code) == []


# What Keras does with one image fed without its batch axis: both Keras 3 and tf-keras refuse it or
# read its first axis as the batch (and then fail at a later layer).
_KERAS_RUN = textwrap.dedent("""
    import sys
    import numpy as np
    import tensorflow as tf
    keras = tf.keras
    def model(shape):
        return keras.Sequential([keras.Input(shape), keras.layers.Conv2D(2, 3, padding="same"),
                                 keras.layers.Flatten(), keras.layers.Dense(3)])
    out = []
    for data, shape in (((28, 28), (28, 28, 1)), ((28, 28, 1), (28, 28, 1)), ((32, 32, 3), (32, 32, 3))):
        m = model(shape)
        x = np.zeros(data, "float32")
        try:
            m.predict(x, verbose=0)
            out.append("accepted")
        except ValueError:
            out.append("refused")
        out.append(str(m.predict(x[None], verbose=0).shape))
    print(" ".join(out))
""")


@pytest.mark.tensorflow
@pytest.mark.parametrize("legacy", [False, True], ids=["keras3", "tf_keras"])
def test_keras_refuses_one_image_without_its_batch_axis(legacy: bool) -> None:
    pytest.importorskip("tensorflow")
    if legacy:
        pytest.importorskip("tf_keras")
    env = {**os.environ, "TF_USE_LEGACY_KERAS": "1" if legacy else "0", "TF_CPP_MIN_LOG_LEVEL": "3"}
    result = subprocess.run([sys.executable, "-c", _KERAS_RUN], capture_output=True, text=True, env=env,
                            timeout=300, check=True)
    assert result.stdout.split() == ["refused", "(1,", "3)", "refused", "(1,", "3)", "refused", "(1,", "3)"]


def test_the_snippets_never_need_the_files(tmp_path: Path) -> None:
    """Static mode reads no file: the same code with paths that do not exist has the same shapes."""
    assert static_shape("r = cv2.resize(cv2.imread('/nonexistent.png'), (64, 32))") == "32,64,3"
    assert not any(tmp_path.iterdir())
