"""Seeded random Keras Sequential models, written as source, rebuilt by cnnlint and by Keras.

Every layer's output shape must agree; a model Keras refuses to build must get a fatal problem
from cnnlint at the refusing layer's line.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.tensorflow

from tests.conftest import module_of  # noqa: E402


@dataclass
class LayerSpec:
    source: str  # the constructor as written, e.g. "layers.Conv2D(8, 3, strides=2, padding='same')"


def random_stack(rng: random.Random) -> tuple[tuple[int, ...], list[LayerSpec]]:
    side = rng.randint(4, 40)
    shape = (side, rng.randint(4, 40), rng.randint(1, 4))
    specs: list[LayerSpec] = []
    for _ in range(rng.randint(1, 5)):
        kind = rng.choice(["conv", "conv", "pool", "pool", "dropout", "pad", "up", "crop"])
        if kind == "conv":
            k, s = rng.randint(1, 5), rng.randint(1, 3)
            pad = rng.choice(["valid", "same"])
            dil = rng.choice([1, 1, 1, 2]) if s == 1 else 1
            specs.append(LayerSpec(f"layers.Conv2D({rng.randint(1, 8)}, {k}, strides={s}, padding='{pad}', "
                                   f"dilation_rate={dil})"))
        elif kind == "pool":
            p = rng.randint(1, 3)
            pool = rng.choice(["MaxPooling2D", "AveragePooling2D"])
            strides = rng.choice(["None", str(rng.randint(1, 3))])
            specs.append(LayerSpec(f"layers.{pool}(pool_size={p}, strides={strides}, "
                                   f"padding='{rng.choice(['valid', 'same'])}')"))
        elif kind == "pad":
            specs.append(LayerSpec(rng.choice(["layers.ZeroPadding2D()", f"layers.ZeroPadding2D({rng.randint(0, 3)})",
                                               f"layers.ZeroPadding2D(((1, {rng.randint(0, 2)}), (0, 2)))"])))
        elif kind == "up":
            specs.append(LayerSpec(f"layers.UpSampling2D(({rng.randint(1, 3)}, {rng.randint(1, 3)}))"))
        elif kind == "crop":
            specs.append(LayerSpec(f"layers.Cropping2D((({rng.randint(0, 6)}, {rng.randint(0, 6)}), "
                                   f"({rng.randint(0, 6)}, {rng.randint(0, 6)})))"))
        else:
            specs.append(LayerSpec("layers.Dropout(0.5)"))
    head = rng.choice(["flatten", "global"])
    specs.append(LayerSpec("layers.Flatten()" if head == "flatten" else "layers.GlobalAveragePooling2D()"))
    specs.append(LayerSpec(f"layers.Dense({rng.randint(1, 10)})"))
    return shape, specs


def keras_shapes(shape: tuple[int, ...], specs: list[LayerSpec]) -> tuple[list[tuple[int | None, ...]], int | None]:
    """Per-layer output shapes from Keras, and the index of the layer Keras refuses (if any)."""
    from keras import layers

    tensor = keras.Input(shape=shape)
    out: list[tuple[int | None, ...]] = []
    for i, spec in enumerate(specs):
        layer = eval(spec.source, {"layers": layers})  # our own generated constructor text
        try:
            tensor = layer(tensor)
        except ValueError:
            return out, i
        out.append(tuple(tensor.shape))
    return out, None


def cnnlint_shapes(shape: tuple[int, ...], specs: list[LayerSpec]) -> tuple[list[tuple[int | None, ...]], int | None]:
    lines = ["from tensorflow import keras", "from tensorflow.keras import layers",
             "model = keras.Sequential([", f"    keras.Input(shape={shape}),"]
    lines += [f"    {spec.source}," for spec in specs]
    lines.append("])")
    graph = module_of("\n".join(lines) + "\n").graphs[0]
    out: list[tuple[int | None, ...]] = []
    for node in graph.nodes[1:]:
        if node.problems and any(p.fatal for p in node.problems):
            return out, node.loc.line - 5
        assert node.shape is not None
        out.append(tuple(d.value for d in node.shape))
    return out, None


def cases() -> list[tuple[tuple[int, ...], list[LayerSpec]]]:
    rng = random.Random(7)
    return [random_stack(rng) for _ in range(60)]


@pytest.mark.parametrize(("shape", "specs"), cases(), ids=[f"model-{i}" for i in range(60)])
def test_every_layer_shape_agrees_with_keras(shape: tuple[int, ...], specs: list[LayerSpec]) -> None:
    expected, expected_refusal = keras_shapes(shape, specs)
    actual, actual_refusal = cnnlint_shapes(shape, specs)
    zero_size = any(0 in s[1:] for s in expected)
    if zero_size:
        # Keras builds a zero-size map; cnnlint reports it (CNN005) by design.
        assert actual_refusal is not None
        return
    assert (actual, actual_refusal) == (expected, expected_refusal)
