"""CNN205 activation-applied-twice."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.ir import ModuleIR
from cnnlint.rules.base import Diagnostic, Extra, Rule, trace_of
from cnnlint.rules.training import SQUASHING, activation_of, default_axis, last_size, producer


class ActivationAppliedTwice(Rule):
    """
    ## What it does
    Reports a softmax applied to the output of a softmax, or a sigmoid to the output of a
    sigmoid, with nothing in between: `Dense(k, activation="softmax")` followed by
    `Activation("softmax")`, `Softmax()` or `tf.nn.softmax`; `Dense(1, activation="sigmoid")`
    followed by `tf.sigmoid`. Both must be certain (activations named by string or by
    `tf.nn` / `keras.activations` name, on the default last axis).

    ## Why is this bad?
    The second activation squashes values that are already probabilities: a softmax of values
    in [0, 1] differs by at most a factor e between classes, a sigmoid of [0, 1] lies in
    [0.5, 0.73]. The outputs are pushed toward uniform, the loss is computed on them, and the
    model trains worse and reports flattened confidences.

    ## Example
    ```python
    model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(10, activation="softmax"),
                              layers.Activation("softmax")])
    ```

    ## Use instead
    ```python
    model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(10, activation="softmax")])
    ```

    ## Fix safety
    This rule has no automatic fix: which of the two to remove (and whether the first was
    meant to be linear) is the author's choice.

    ## References
    - [Keras: layer activations](https://keras.io/api/layers/activations/)
    """

    code = "CNN205"
    name = "activation-applied-twice"
    severity = "warning"
    summary = "softmax after softmax or sigmoid after sigmoid: outputs squashed toward uniform"
    VALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(10), layers.Activation('softmax')])\n",
    )
    INVALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(10, activation='softmax'),\n"
        "                          layers.Activation('softmax')])\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for index, graph in enumerate(module.graphs):
            for node in graph.own_nodes:
                second = activation_of(node)
                if node.op != "identity" or second not in SQUASHING or not default_axis(node):
                    continue
                before = producer(graph, node)
                if before is None or activation_of(before) != second or not default_axis(before):
                    continue
                if second == "softmax" and last_size(before) == 1:
                    continue  # a softmax over one unit: CNN201's
                first = f"`{before.api}`" + (f" `{before.layer}`" if before.layer else "")
                message = (f"{second} is applied to the output of {first} (line {before.loc.line}), which already "
                           f"applies {second}: the outputs are squashed toward uniform and the model trains worse; "
                           f"remove one of the two")
                yield self.diagnostic(module, node.loc, message, trace_of(graph, node), Extra(node=(index, node.id)),
                                      [(before.loc, f"the first {second}")])
