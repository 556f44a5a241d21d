"""Builders nobody calls (issue 16): a layer that takes one rank reads an input of unknown rank as
that rank with unknown sizes, so what holds for every size is still found, and nothing that some
size makes valid. Each case is built in Keras at several input sizes to show which it is."""

from __future__ import annotations

from typing import Any

import pytest

from cnnlint.report.render import shape_text
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
    # the flatten of (h // 4, w // 4, 64) is a multiple of 64: never 10 values, sometimes 128
    ("reshape-multiple", ["c = layers.MaxPooling2D(4)(layers.Conv2D(64, 3, padding='same')(inputs))",
                          "x = layers.Reshape((10,))(layers.Flatten()(c))"], "CNN004"),
    ("reshape-possible", ["c = layers.Conv2D(64, 3, padding='same')(inputs)",
                          "x = layers.Reshape((256,))(layers.Flatten()(c))"], None),
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
    for size in (1, 2, 5, 8, 32):
        try:
            scope["build"]((size, size, 3))
            outcomes.append(True)
        except (ValueError, TypeError):
            outcomes.append(False)
    if code is None:
        assert any(outcomes)  # some size makes it valid: no finding
    else:
        assert not any(outcomes)  # every size fails: the finding is certain


# Blocks nobody calls, whose tensor and sizes are parameters (`def block(x, filters)`): `x` takes
# the rank of the first layer applied to it, each size a symbol (`x.shape[1]`, `filters`).
BLOCK_HEAD = "from tensorflow import keras\nfrom tensorflow.keras import layers\n\n\ndef block(x, filters):\n"
BLOCKS = [
    ("add-32-64", ["a = layers.Conv2D(32, 3, padding='same')(x)", "b = layers.Conv2D(64, 3, padding='same')(x)",
                   "return layers.Add()([a, b])"], "CNN008"),
    ("concat-filters", ["a = layers.Conv2D(filters, 1)(x)", "b = layers.Conv2D(filters, 1)(x)",
                        "return layers.Concatenate()([a, b])"], None),
    ("add-filters-to-input", ["a = layers.Conv2D(filters, 1)(x)", "return layers.Add()([a, x])"], None),
    ("residual-filters", ["a = layers.Conv2D(filters, 3, padding='same')(x)",
                          "b = layers.Conv2D(filters, 3, padding='same')(a)", "return layers.Add()([a, b])"], None),
    ("dense-after-flatten-reshape", ["f = layers.Flatten()(layers.Conv2D(6, 3, padding='same')(x))",
                                     "return layers.Reshape((4, 4))(f)"], "CNN004"),
]


def _block(body: list[str]) -> str:
    return BLOCK_HEAD + "".join(f"    {line}\n" for line in body)


@pytest.mark.parametrize(("name", "body", "code"), BLOCKS, ids=[c[0] for c in BLOCKS])
def test_blocks_nobody_calls_are_checked_for_every_size(name: str, body: list[str], code: str | None) -> None:
    found = [d.code for d in check_source(_block(body), "b.py", select_rules(["CNN"])).diagnostics]
    assert found == ([code] if code else [])


@pytest.mark.tensorflow
@pytest.mark.parametrize(("name", "body", "code"), BLOCKS, ids=[c[0] for c in BLOCKS])
def test_keras_agrees_on_blocks_at_every_size_tried(name: str, body: list[str], code: str | None) -> None:
    pytest.importorskip("tensorflow")
    import tensorflow as tf

    scope: dict[str, Any] = {}
    exec(_block(body), scope)  # the cases above, not user code
    outcomes = []
    for size, channels, filters in ((1, 3, 3), (4, 8, 8), (8, 16, 32), (5, 32, 16)):
        try:
            scope["block"](tf.keras.Input((size, size, channels)), filters)
            outcomes.append(True)
        except (ValueError, TypeError):
            outcomes.append(False)
    assert any(outcomes) if code is None else not any(outcomes)


def test_a_block_nobody_calls_is_shaped_with_named_sizes() -> None:
    source = _block(["a = layers.Conv2D(filters, 3, padding='same')(x)", "return layers.MaxPooling2D()(a)"])
    module = check_source(source, "b.py", select_rules(["CNN"])).module
    assert module is not None
    from cnnlint.report.summary import tables

    [table] = [t for t in tables(module) if t.title == "block()"]
    shapes = [shape_text(row.node.shape) for row in table.rows]
    assert shapes == ["(None, x.shape[1], x.shape[2], x.shape[3])", "(None, x.shape[1], x.shape[2], filters)",
                      "(None, x.shape[1] // 2, x.shape[2] // 2, filters)"]
    assert table.unknown is None


def test_where_shapes_stop_being_known_is_said_once_per_model() -> None:
    source = ("from tensorflow import keras\nfrom tensorflow.keras import layers\nfrom mylib import custom_block\n\n"
              "inputs = keras.Input((28, 28, 1))\nx = layers.Conv2D(8, 3)(inputs)\nx = custom_block(x)\n"
              "x = layers.Dense(10)(layers.Flatten()(layers.Conv2D(8, 3)(x)))\nmodel = keras.Model(inputs, x)\n")
    module = check_source(source, "m.py", select_rules(["CNN"])).module
    assert module is not None
    from cnnlint.report.summary import tables

    [table] = [t for t in tables(module) if t.kind == "Model"]
    assert [row.line for row in table.rows] == [5, 6, 8, 8, 8]  # the layers after the call are the model's
    assert table.unknown is not None and table.unknown_place == (None, 7)
    assert table.unknown.reason.startswith("`custom_block(...)` is a call cnnlint cannot follow")


def test_shapes_json_carries_unknown_from() -> None:
    import json

    from cnnlint.report.json_format import shapes_report

    source = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n\n\ndef build(input_shape, classes):\n"
              "    inputs = keras.Input(shape=input_shape)\n    x = layers.Flatten()(layers.Conv2D(8, 3)(inputs))\n"
              "    return keras.Model(inputs, layers.Dense(classes)(layers.Dense(n_hidden)(x)))\n")
    module = check_source(source, "m.py", select_rules(["CNN"])).module
    assert module is not None
    [model] = [m for m in json.loads(shapes_report([module]))["models"] if m.get("kind") == "Model"]
    assert model["layers"][0]["output"] == [None, "input_shape[0]", "input_shape[1]", "input_shape[2]"]
    assert model["unknown_from"] == {"line": 8, "reason": "`Dense`: the value of `n_hidden` is not known"}


def test_a_traced_scalar_stays_a_scalar() -> None:
    # `Graph.shown_shape` gives the rank a parameter was read as only where a node has no shape: a
    # scalar's empty shape is a shape, never "unknown", in traces and tables.
    source = "import tensorflow as tf\ntotal = tf.reduce_sum(tf.zeros([3, 4]))\npair = tf.reshape(total, [2])\n"
    [finding] = check_source(source, "s.py", select_rules(["CNN"])).diagnostics
    steps = {step.line: step.shape for step in finding.trace}
    assert steps[2] == ()
