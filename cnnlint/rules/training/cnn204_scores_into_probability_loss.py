"""CNN204 scores-into-probability-loss."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from cnnlint.ir import ModuleIR, Node
from cnnlint.rules.base import Diagnostic, Extra, Fix, Rule, make_fix, trace_of
from cnnlint.rules.training import final_activation, last_size, output_of

PROBABILITY_LOSSES = frozenset({"categorical_crossentropy", "binary_crossentropy"})


class ScoresIntoProbabilityLoss(Rule):
    """
    ## What it does
    Reports a Keras model whose output layer is certainly linear (a `Dense` or conv layer with
    no `activation`, `activation=None` or `"linear"`) compiled with `categorical_crossentropy`
    or `binary_crossentropy` that reads its input as probabilities: named by string or by the
    `keras.losses` function, or a loss object without `from_logits` (whose default is False).
    A loss object given `from_logits` (other than a literal False), an activation given as a
    variable, and an output with several tensors are not reported.

    A one-unit output under `categorical_crossentropy` is CNN202's finding.

    ## Why is this bad?
    The loss treats raw scores as probabilities: `binary_crossentropy` clips them into
    (0, 1), `categorical_crossentropy` divides them by their sum and clips. The loss is not the
    cross-entropy it claims, scores outside (0, 1) get no gradient, and the model trains badly
    or not at all, without any error.

    ## Example
    ```python
    model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(10)])
    model.compile("adam", "categorical_crossentropy")
    ```

    ## Use instead
    ```python
    model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(10)])
    model.compile("adam", keras.losses.CategoricalCrossentropy(from_logits=True))
    ```
    (or `Dense(10, activation="softmax")`; `sigmoid` for `binary_crossentropy`).

    ## Fix safety
    An *unsafe* fix (applied only with `--fix --unsafe-fixes`) gives the output layer the
    activation the loss expects: `activation="softmax"` for `categorical_crossentropy`,
    `"sigmoid"` for `binary_crossentropy`, replacing an `activation=None` / `"linear"` or added
    after the layer's last argument (not offered where an argument is starred, `**kwargs`).
    It changes what the model outputs (probabilities instead of scores: code that applies a
    softmax to the predictions itself must change too), and `from_logits=True` in the loss is
    as correct, so `--fix` alone never applies it.

    ## References
    - [Keras: probabilistic losses](https://keras.io/api/losses/probabilistic_losses/)
    """

    code = "CNN204"
    name = "scores-into-probability-loss"
    severity = "warning"
    summary = "a linear output under a cross-entropy that expects probabilities (from_logits=False)"
    VALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(10)])\n"
        "model.compile('adam', keras.losses.CategoricalCrossentropy(from_logits=True))\n",
    )
    INVALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(10)])\n"
        "model.compile('adam', 'categorical_crossentropy')\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for index, graph in enumerate(module.graphs):
            for model in graph.models:
                output = output_of(graph, model)
                if model.loss not in PROBABILITY_LOSSES or not model.probabilities or output is None:
                    continue
                if final_activation(graph, output) != "linear" or output.op == "identity":
                    continue
                if model.loss == "categorical_crossentropy" and last_size(output) == 1:
                    continue  # CNN202's
                wanted = "softmax" if model.loss == "categorical_crossentropy" else "sigmoid"
                how = "divides them by their sum and clips" if wanted == "softmax" else "clips"
                message = (f"the output `{output.api}` of model `{model.title}` has no activation (raw scores) and "
                           f"{model.loss} reads it as probabilities: it {how} the scores into (0, 1), so the loss "
                           f"is not the cross-entropy of the output and scores outside (0, 1) get no gradient; add "
                           f"activation=\"{wanted}\" to this layer or compile with from_logits=True")
                diagnostic = self.diagnostic(module, output.loc, message, trace_of(graph, output),
                                             Extra(node=(index, output.id)))
                fix = activation_fix(output, wanted)
                yield replace(diagnostic, fix=fix) if fix is not None else diagnostic


def activation_fix(node: Node, wanted: str) -> Fix | None:
    """The output layer given `activation="softmax"` (`"sigmoid"`): its `activation=None` /
    `"linear"` replaced, or the argument added after the last one where it has none."""
    if not node.api[:1].isupper():
        return None  # TF1's `tf.layers.dense`: its arguments are not kept
    message = f"Add activation=\"{wanted}\" to the output layer (changes the model)"
    span, text = node.spans.get("activation"), node.sources.get("activation")
    if text is not None:
        return make_fix(message, [(span, f"\"{wanted}\"")], "unsafe") if span is not None else None
    end = node.spans.get("end")
    return make_fix(message, [(end, f", activation=\"{wanted}\"")], "unsafe") if end is not None else None
