"""CNN202 categorical-loss-on-one-unit."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.ir import ModuleIR
from cnnlint.rules.base import Diagnostic, Extra, Rule, trace_of
from cnnlint.rules.training import last_size, output_of


class CategoricalLossOnOneUnit(Rule):
    """
    ## What it does
    Reports a Keras model compiled with `categorical_crossentropy` (by string, by the
    `keras.losses` function or a `CategoricalCrossentropy` object) whose one output has a last
    axis of size 1, such as a `Dense(1)` head.

    `sparse_categorical_crossentropy` on one unit fails at the first batch for labels of a
    second class: CNN013 reports it.

    ## Why is this bad?
    Categorical cross-entropy normalises the output over its last axis (or applies softmax to
    logits): over one unit that is exactly 1.0, so the loss is `-y * log(1) = 0.0` for every
    batch. Its gradients are zero: the weights never change and nothing is learned, while the
    training log shows a perfect loss.

    ## Example
    ```python
    model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "categorical_crossentropy")
    ```

    ## Use instead
    ```python
    model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(1, activation="sigmoid")])
    model.compile("adam", "binary_crossentropy")
    ```
    (or `Dense(k, activation="softmax")` with one-hot labels of k classes).

    ## Fix safety
    This rule has no automatic fix: `binary_crossentropy` and a k-unit output are both
    correct, and the choice is the author's.

    ## References
    - [Keras: probabilistic losses](https://keras.io/api/losses/probabilistic_losses/)
    """

    code = "CNN202"
    name = "categorical-loss-on-one-unit"
    summary = "categorical_crossentropy on a one-unit output: the loss is 0.0 for every batch"
    VALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(1, activation='sigmoid')])\n"
        "model.compile('adam', 'binary_crossentropy')\n",
    )
    INVALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(1, activation='sigmoid')])\n"
        "model.compile('adam', 'categorical_crossentropy')\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for index, graph in enumerate(module.graphs):
            for model in graph.models:
                output = output_of(graph, model)
                if model.loss != "categorical_crossentropy" or output is None or last_size(output) != 1:
                    continue
                message = (f"model `{model.title}` is compiled with categorical_crossentropy and its output "
                           f"`{output.api}` has one unit: the loss is exactly 0.0 for every batch and its "
                           "gradients are zero, so nothing is learned; use binary_crossentropy for one unit, or "
                           "k output units with softmax for k classes")
                yield self.diagnostic(module, output.loc, message, trace_of(graph, output),
                                      Extra(node=(index, output.id)))
