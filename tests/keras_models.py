"""A seeded generator of Keras models for the differential tests, and writers of their source.

`grow(seed)` builds a layer stack with Keras in the loop: each candidate layer is applied to a
symbolic tensor, so the stack stays mostly valid and ends at a layer Keras refuses now and then.
The same stack is then written out as source in one of several coding styles for cnnlint.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from typing import Any

STYLES = ("sequential_input", "sequential_add", "functional", "subclassed", "star_import", "alias_import",
          "keras3", "helper_function")


@dataclass
class Stack:
    seed: int
    input_shape: tuple[int | None, ...]
    layers: list[str]  # constructor sources written against `layers.`
    shapes: list[tuple[int | None, ...]] = field(default_factory=list)  # Keras output shape per layer
    params: list[int] = field(default_factory=list)  # Keras count_params per layer
    refused_at: int | None = None  # index of the layer Keras refused, if any
    channels_first: bool = False


def _image_layers(rng: random.Random, shape: tuple[int, ...], first: bool) -> list[str]:
    """Candidates for a (h, w, c) feature map (or (c, h, w) with `first`)."""
    fmt = ", data_format='channels_first'" if first else ""
    c = shape[0] if first else shape[-1]
    k, s = rng.randint(1, 5), rng.randint(1, 3)
    pad = rng.choice(["valid", "same"])
    dil = rng.choice([1, 1, 2]) if s == 1 else 1
    filters = rng.randint(1, 12)
    groups = rng.choice([g for g in (1, 2, 3, 4) if c % g == 0])
    out = [
        f"layers.Conv2D({filters * groups}, {k}, strides={s}, padding='{pad}', dilation_rate={dil}, "
        f"groups={groups}{fmt})",
        f"layers.Conv2D(filters={filters}, kernel_size=({k}, {rng.randint(1, 4)}), strides=({s}, {rng.randint(1, 2)}),"
        f" padding='{pad}', use_bias={rng.choice([True, False])}{fmt})",
        f"layers.Conv2DTranspose({filters}, {k}, strides={s}, padding='{pad}'{fmt})",
        f"layers.Conv2DTranspose({filters}, {k}, strides={s}, padding='{pad}', "
        f"output_padding={rng.randint(0, s - 1)}{fmt})",
        f"layers.DepthwiseConv2D({k}, strides={s}, padding='{pad}', depth_multiplier={rng.randint(1, 3)}{fmt})",
        f"layers.SeparableConv2D({filters}, {k}, strides={s}, padding='{pad}', "
        f"depth_multiplier={rng.randint(1, 2)}{fmt})",
        f"layers.{rng.choice(['MaxPooling2D', 'AveragePooling2D', 'MaxPool2D', 'AvgPool2D'])}("
        f"pool_size={rng.randint(1, 3)}, strides={rng.choice(['None', str(rng.randint(1, 3))])}, "
        f"padding='{pad}'{fmt})",
        f"layers.MaxPooling2D({fmt.lstrip(', ')})",
        f"layers.{rng.choice(['GlobalAveragePooling2D', 'GlobalMaxPooling2D'])}("
        f"keepdims={rng.choice([True, False])}{fmt})",
        rng.choice([f"layers.ZeroPadding2D({rng.randint(0, 3)}{fmt})",
                    f"layers.ZeroPadding2D(((1, {rng.randint(0, 2)}), (0, 2)){fmt})"]),
        f"layers.Cropping2D((({rng.randint(0, 4)}, {rng.randint(0, 4)}), ({rng.randint(0, 4)}, "
        f"{rng.randint(0, 4)})){fmt})",
        f"layers.UpSampling2D(({rng.randint(1, 3)}, {rng.randint(1, 3)}){fmt})",
        f"layers.BatchNormalization(axis={1 if first else -1}, center={rng.choice([True, False])})",
        "layers.LayerNormalization()",
        rng.choice(["layers.Activation('relu')", "layers.ReLU()", "layers.LeakyReLU()", "layers.Softmax()",
                    "layers.ELU()"]),
        f"layers.PReLU(shared_axes={[2, 3] if first else [1, 2]})",
        rng.choice(["layers.Dropout(0.25)", f"layers.SpatialDropout2D(0.2{fmt})", "layers.GaussianNoise(0.1)"]),
        "layers.Rescaling(1.0 / 255)",
        f"layers.{rng.choice(['Resizing', 'CenterCrop'])}({rng.randint(2, 24)}, {rng.randint(2, 24)}{fmt})",
        f"layers.Permute(({rng.choice(['2, 1, 3', '1, 3, 2', '3, 1, 2'])}))",
        "layers.Flatten()",
        f"layers.Dense({rng.randint(1, 16)})",
    ]
    if not first:
        h, w = shape[0], shape[1]
        out.append(f"layers.Reshape(({h * w}, {c}))" if rng.random() < 0.8 else f"layers.Reshape(({h}, -1))")
    return out


def _sequence_layers(rng: random.Random, shape: tuple[int, ...]) -> list[str]:
    k, s = rng.randint(1, 5), rng.randint(1, 3)
    pad = rng.choice(["valid", "same", "causal"])
    filters = rng.randint(1, 12)
    steps, features = shape
    return [
        f"layers.Conv1D({filters}, {k}, strides={s}, padding='{pad}')",
        f"layers.Conv1D({filters}, {k}, padding='{pad}', dilation_rate={rng.randint(1, 3)})",
        f"layers.Conv1DTranspose({filters}, {k}, strides={s}, padding='{rng.choice(['valid', 'same'])}')",
        f"layers.SeparableConv1D({filters}, {k}, strides={s}, padding='{rng.choice(['valid', 'same'])}')",
        f"layers.DepthwiseConv1D({k}, depth_multiplier={rng.randint(1, 2)})",
        f"layers.{rng.choice(['MaxPooling1D', 'AveragePooling1D'])}(pool_size={rng.randint(1, 3)}, "
        f"padding='{rng.choice(['valid', 'same'])}')",
        f"layers.{rng.choice(['GlobalAveragePooling1D', 'GlobalMaxPooling1D'])}()",
        f"layers.ZeroPadding1D({rng.choice([str(rng.randint(0, 3)), '(1, 2)'])})",
        f"layers.Cropping1D(({rng.randint(0, 3)}, {rng.randint(0, 3)}))",
        f"layers.UpSampling1D({rng.randint(1, 3)})",
        "layers.LayerNormalization()",
        "layers.SpatialDropout1D(0.1)",
        "layers.Permute((2, 1))",
        "layers.Flatten()",
        f"layers.Dense({rng.randint(1, 16)})",
        f"layers.Reshape(({steps * features},))" if rng.random() < 0.8 else f"layers.Reshape(({features + 1}, -1))",
        f"layers.{rng.choice(['LSTM', 'GRU', 'SimpleRNN'])}({rng.randint(1, 16)}, "
        f"return_sequences={rng.choice([True, False])})",
        f"layers.GRU({rng.randint(1, 8)}, reset_after={rng.choice([True, False])}, use_bias={rng.choice([True, False])})",
        f"layers.Bidirectional(layers.LSTM({rng.randint(1, 8)}, return_sequences={rng.choice([True, False])}), "
        f"merge_mode='{rng.choice(['concat', 'sum', 'ave'])}')",
        f"layers.TimeDistributed(layers.Dense({rng.randint(1, 16)}))",
    ]


def _vector_layers(rng: random.Random, shape: tuple[int, ...]) -> list[str]:
    (n,) = shape
    a = rng.choice([d for d in range(1, n + 1) if n % d == 0])
    return [
        f"layers.Dense({rng.randint(1, 32)}, use_bias={rng.choice([True, False])})",
        f"layers.Dense({rng.randint(1, 32)}, activation='relu')",
        f"layers.RepeatVector({rng.randint(1, 4)})",
        "layers.BatchNormalization()",
        "layers.Dropout(0.5)",
        "layers.PReLU()",
        f"layers.Reshape(({a}, {n // a}))" if rng.random() < 0.8 else f"layers.Reshape(({a + 1}, -1))",
        f"layers.Reshape(({a}, {n // a}, 1))",
    ]


def _volume_layers(rng: random.Random, shape: tuple[int, ...]) -> list[str]:
    k, s = rng.randint(1, 3), rng.randint(1, 2)
    pad = rng.choice(["valid", "same"])
    return [
        f"layers.Conv3D({rng.randint(1, 6)}, {k}, strides={s}, padding='{pad}')",
        f"layers.Conv3DTranspose({rng.randint(1, 6)}, {k}, strides={s}, padding='{pad}')",
        f"layers.{rng.choice(['MaxPooling3D', 'AveragePooling3D'])}(pool_size={rng.randint(1, 2)}, padding='{pad}')",
        f"layers.{rng.choice(['GlobalAveragePooling3D', 'GlobalMaxPooling3D'])}()",
        f"layers.ZeroPadding3D({rng.randint(0, 2)})",
        f"layers.Cropping3D({rng.randint(0, 2)})",
        f"layers.UpSampling3D({rng.randint(1, 2)})",
        "layers.SpatialDropout3D(0.1)",
        "layers.Flatten()",
    ]


def candidates(rng: random.Random, shape: tuple[int | None, ...], first: bool) -> list[str]:
    known = tuple(d if d is not None else 8 for d in shape)
    if len(known) == 3:
        return _image_layers(rng, known, first)
    if len(known) == 2:
        return _sequence_layers(rng, known)
    if len(known) == 1:
        return _vector_layers(rng, known)
    if len(known) == 4:
        return _volume_layers(rng, known)
    return ["layers.Flatten()"]


def any_layer(rng: random.Random) -> str:
    """A layer chosen without looking at the tensor: often the wrong rank."""
    shape = rng.choice([(8, 8, 3), (10, 4), (12,), (4, 4, 4, 2)])
    # Image preprocessing layers also take unbatched images, so a wrong rank is not an error there.
    return rng.choice([c for c in candidates(rng, shape, False) if "Resizing" not in c and "Crop(" not in c])


def grow(seed: int) -> Stack:
    """A model Keras built layer by layer, ending early where Keras refused a layer."""
    import keras
    from keras import layers

    rng = random.Random(seed)
    family = rng.choice(["image", "image", "image", "image_first", "sequence", "embedding", "volume", "vector"])
    first = family == "image_first"
    if family in ("image", "image_first"):
        h, w, c = rng.randint(4, 40), rng.randint(4, 40), rng.randint(1, 6)
        input_shape: tuple[int | None, ...] = (c, h, w) if first else (h, w, c)
    elif family == "sequence":
        input_shape = (rng.randint(4, 60), rng.randint(1, 8))
    elif family == "embedding":
        input_shape = (rng.randint(4, 60),)
    elif family == "volume":
        input_shape = (rng.randint(3, 12), rng.randint(3, 12), rng.randint(3, 12), rng.randint(1, 3))
    else:
        input_shape = (rng.randint(2, 64),)
    stack = Stack(seed, input_shape, [], channels_first=first)
    x = keras.Input(shape=input_shape)
    if family == "embedding":
        stack.layers.append(f"layers.Embedding({rng.randint(10, 1000)}, {rng.randint(2, 32)})")
        x = _apply_last(stack, x, layers)
    for _ in range(rng.randint(1, 7)):
        if stack.layers and rng.random() < 0.08:
            stack.layers.append(any_layer(rng))
        else:
            current = stack.shapes[-1][1:] if stack.shapes else input_shape
            stack.layers.append(rng.choice(candidates(rng, current, first)))
        x = _apply_last(stack, x, layers)
        if x is None or 0 in stack.shapes[-1][1:]:  # refused, or a zero-size map (compared up to there)
            return stack
    stack.layers.append(f"layers.Dense({rng.randint(1, 10)})")
    _apply_last(stack, x, layers)
    return stack


def _apply_last(stack: Stack, x: Any, layers: Any) -> Any:
    """Apply the stack's newest layer in Keras; None (and `refused_at`) when Keras refuses it."""
    source = stack.layers[-1]
    try:
        layer = eval(source, {"layers": layers})
        x = layer(x)
    except Exception:
        stack.refused_at = len(stack.layers) - 1
        return None
    stack.shapes.append(tuple(x.shape))
    stack.params.append(layer.count_params())
    return x


# -- writing a stack as source --------------------------------------------------------------
@dataclass
class Source:
    code: str
    layer_lines: list[int]  # the line cnnlint reports for each layer (its constructor or application)


def _rename(source: str, style: str) -> str:
    prefix = {"star_import": "", "alias_import": "L.", "keras3": "keras.layers."}.get(style)
    return source if prefix is None else re.sub(r"\blayers\.", prefix, source)


def _with_input_shape(source: str, shape: tuple[int | None, ...]) -> str:
    inner = source[source.index("(") + 1 : -1]
    head = source[: source.index("(") + 1]
    return f"{head}{inner}{', ' if inner else ''}input_shape={shape!r})"


HEADERS = {
    "star_import": ["import tensorflow as tf", "from tensorflow.keras.layers import *",
                    "from tensorflow.keras.models import Sequential"],
    "alias_import": ["import tensorflow as tf", "import tensorflow.keras.layers as L",
                     "from tensorflow.keras import Sequential, Input"],
    "keras3": ["import keras"],
}
DEFAULT_HEADER = ["import tensorflow as tf", "from tensorflow import keras", "from tensorflow.keras import layers"]


def write(stack: Stack, style: str) -> Source:
    lines = list(HEADERS.get(style, DEFAULT_HEADER))
    at: list[int] = []
    shape = stack.input_shape
    names = [_rename(s, style) for s in stack.layers]
    if style in ("sequential_input", "star_import", "alias_import", "keras3"):
        seq = {"star_import": "Sequential", "alias_import": "Sequential", "keras3": "keras.Sequential"}.get(
            style, "keras.Sequential")
        inp = {"star_import": "Input", "alias_import": "Input", "keras3": "keras.Input"}.get(style, "keras.Input")
        lines += [f"model = {seq}([", f"    {inp}(shape={shape!r}),"]
        for name in names:
            lines.append(f"    {name},")
            at.append(len(lines))
        lines.append("])")
    elif style == "sequential_add":
        lines.append("model = keras.Sequential()")
        for i, name in enumerate(names):
            lines.append(f"model.add({_with_input_shape(name, shape) if i == 0 else name})")
            at.append(len(lines))
    elif style == "functional":
        lines.append(f"inputs = keras.Input(shape={shape!r})")
        lines.append("x = inputs")
        for name in names:
            lines.append(f"x = {name}(x)")
            at.append(len(lines))
        lines.append("model = keras.Model(inputs=inputs, outputs=x)")
    elif style == "subclassed":
        lines += ["class Net(keras.Model):", "    def __init__(self, **kwargs):",
                  "        super().__init__(**kwargs)"]
        for i, name in enumerate(names):
            lines.append(f"        self.layer{i} = {name}")
        lines += ["", "    def call(self, x):"]
        for i in range(len(names)):
            lines.append(f"        x = self.layer{i}(x)")
            at.append(len(lines))
        lines += ["        return x", "", "net = Net()", f"net.build({(None, *shape)!r})"]
    elif style == "helper_function":
        lines += ["def block(x, make):", "    return make()(x)", "",
                  "def build(input_shape):", "    inputs = keras.Input(shape=input_shape)", "    x = inputs"]
        for name in names:
            lines.append(f"    x = block(x, lambda: {name})")
            at.append(len(DEFAULT_HEADER) + 2)  # the layer is applied inside the helper
        lines += ["    return keras.Model(inputs, x)", "", f"model = build({shape!r})"]
    else:
        raise ValueError(style)
    return Source("\n".join(lines) + "\n", at)
