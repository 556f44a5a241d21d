"""Builders nobody calls (issue 16): a layer that takes one rank reads an input of unknown rank as
that rank with unknown sizes, so what holds for every size is still found, and nothing that some
size makes valid. Each case is built in Keras at several input sizes to show which it is."""

from __future__ import annotations

from typing import Any

import pytest

from cnnlint.rules import select_rules
from cnnlint.runner import check_source

HEAD = "from tensorflow import keras\nfrom tensorflow.keras import layers\n\n\ndef build(input_shape):\n" \
       "    inputs = keras.Input(shape=input_shape)\n"
TAIL = "    return keras.Model(inputs, x)\n"

# (name, body lines, the code cnnlint reports or None, whether Keras refuses every size)
CASES = [
    ("add-channels", ["a = layers.Conv2D(64, 3, padding='same')(inputs)", "b = layers.Conv2D(32, 1)(inputs)",
                      "x = layers.Add()([a, b])"], "CNN008"),
    ("conv-after-flatten", ["f = layers.Flatten()(layers.Conv2D(8, 3)(inputs))", "x = layers.Conv2D(8, 3)(f)"],
     "CNN006"),
    ("concat-channels", ["a = layers.Conv2D(64, 3, padding='same')(inputs)", "b = layers.Conv2D(32, 3)(inputs)",
                         "x = layers.Concatenate(axis=1)([a, b])"], "CNN008"),
    # valid for some sizes: a strided and an unstrided branch agree on an input of 1x1
    ("add-strides", ["a = layers.Conv2D(8, 3, strides=2, padding='same')(inputs)",
                     "b = layers.Conv2D(8, 1, padding='same')(inputs)", "x = layers.Add()([a, b])"], None),
    ("residual", ["a = layers.Conv2D(16, 3, padding='same')(inputs)", "b = layers.Conv2D(16, 3, padding='same')(a)",
                  "x = layers.Add()([a, b])"], None),
    ("dense-head", ["c = layers.Conv2D(8, 3)(inputs)", "x = layers.Dense(10)(layers.GlobalAveragePooling2D()(c))"],
     None),
]


def _source(body: list[str]) -> str:
    return HEAD + "".join(f"    {line}\n" for line in body) + TAIL


@pytest.mark.parametrize(("name", "body", "code"), CASES, ids=[c[0] for c in CASES])
def test_what_holds_for_every_size_is_found_and_nothing_else(name: str, body: list[str], code: str | None) -> None:
    found = [d.code for d in check_source(_source(body), "b.py", select_rules(["CNN"])).diagnostics]
    assert found == ([code] if code else [])


@pytest.mark.tensorflow
@pytest.mark.parametrize(("name", "body", "code"), CASES, ids=[c[0] for c in CASES])
def test_keras_agrees_at_every_size_tried(name: str, body: list[str], code: str | None) -> None:
    pytest.importorskip("tensorflow")
    scope: dict[str, Any] = {}
    exec(_source(body), scope)  # the cases above, not user code
    outcomes = []
    for size in (1, 5, 8, 32):
        try:
            scope["build"]((size, size, 3))
            outcomes.append(True)
        except (ValueError, TypeError):
            outcomes.append(False)
    if code is None:
        assert any(outcomes)  # some size makes it valid: no finding
    else:
        assert not any(outcomes)  # every size fails: the finding is certain
