"""CNN201 softmax-over-one-unit."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from cnnlint.ir import ModuleIR, Node
from cnnlint.rules.base import Diagnostic, Extra, Fix, Rule, make_fix, trace_of
from cnnlint.rules.training import ACTIVATION_LAYERS, activation_of, default_axis, last_size, producer


class SoftmaxOverOneUnit(Rule):
    """
    ## What it does
    Reports a softmax over an axis of size 1: `Dense(1, activation="softmax")` (or a conv layer
    with one filter), an `Activation("softmax")` / `Softmax()` layer, or `tf.nn.softmax`, applied
    on the last axis of a tensor whose last size is certainly 1. An activation given as a variable
    or a custom function is not read.

    ## Why is this bad?
    A softmax divides each value by the sum of its axis: over one value the output is exactly
    1.0 for every input. The model's predictions are constant; training runs (the loss may even
    move) and accuracy stays at the base rate.

    ## Example
    ```python
    model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(1, activation="softmax")])
    model.compile("adam", "binary_crossentropy")
    ```

    ## Use instead
    ```python
    model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    ```
    (or `Dense(k, activation="softmax")` for k classes, with a categorical loss).

    ## Fix safety
    Where the softmax is a string literal (`activation="softmax"`, `Activation("softmax")`), an
    *unsafe* fix (applied only with `--fix --unsafe-fixes`) writes `"sigmoid"` instead: one
    unit with sigmoid is a binary classifier, which is what a one-unit head with
    `binary_crossentropy` means. It changes the model's outputs, and `k` softmax units for k
    classes may be what was meant, so `--fix` alone never applies it.

    ## References
    - [Keras: softmax](https://keras.io/api/layers/activations/#softmax-function)
    """

    code = "CNN201"
    name = "softmax-over-one-unit"
    summary = "a softmax over an axis of size 1: the output is 1.0 for every input"
    VALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(1, activation='sigmoid')])\n",
    )
    INVALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(1, activation='softmax')])\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for index, graph in enumerate(module.graphs):
            for node in graph.own_nodes:
                if activation_of(node) != "softmax" or not default_axis(node):
                    continue
                size = last_size(node) if node.op != "identity" else None
                if node.op == "identity":
                    before = producer(graph, node)
                    size = last_size(before) if before is not None else None
                if size != 1:
                    continue
                what = f"`{node.api}`" + (f" `{node.layer}`" if node.layer else "")
                message = (f"{what} applies softmax over one unit: its output is 1.0 for every input, so the "
                           "predictions are constant and nothing useful is learned; use `sigmoid` for one unit "
                           "(binary), or `k` units with softmax for k classes")
                diagnostic = self.diagnostic(module, node.loc, message, trace_of(graph, node),
                                             Extra(node=(index, node.id)))
                fix = sigmoid_fix(node)
                yield replace(diagnostic, fix=fix) if fix is not None else diagnostic


def sigmoid_fix(node: Node) -> Fix | None:
    """`activation="softmax"` (or `Activation("softmax")`) written as a string literal: `"sigmoid"`."""
    key = "arg" if node.api in ACTIVATION_LAYERS else "activation"
    text, span = node.sources.get(key), node.spans.get(key)
    if text is None or span is None or text[1:-1] != "softmax" or text[0] != text[-1] or text[0] not in "\"'":
        return None
    return make_fix("Use `sigmoid` for one unit (changes the model)", [(span, f"{text[0]}sigmoid{text[0]}")],
                    "unsafe")
