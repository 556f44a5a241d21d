"""CNN013 label-shape-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.ir import Feed, ModuleIR
from cnnlint.rules.base import Diagnostic, Rule, trace_of
from cnnlint.rules.feeding import Ints, differs, ints, keras_adjusted_labels, node_of, origin, text

LABELLED = frozenset({"fit", "evaluate", "train_on_batch", "test_on_batch"})
REGRESSION = frozenset({"mean_squared_error", "mean_absolute_error"})


class LabelShapeMismatch(Rule):
    """
    ## What it does
    Reports labels passed to `fit`, `evaluate`, `train_on_batch` or `test_on_batch` that cannot
    match the model's output under the loss given to `compile` (a string, a `keras.losses`
    function or class): integer labels with `categorical_crossentropy`, one-hot labels with
    `sparse_categorical_crossentropy`, a class count that differs from the output's, binary
    labels against a multi-class output, regression targets of another shape; and labels with a
    different number of examples than the data. Keras's own adjustments are kept: labels of
    shape `(n,)` against an output `(None, 1)` (and `(n, 1)` for sparse labels) are fine.

    ## Why is this bad?
    Keras raises `ValueError: Arguments target and output must have the same shape` (or rank,
    or "Dimensions must be equal" for `mse` / `mae`) at the first batch, after loading the data
    and building the model. Shapes Keras accepts by broadcasting (`(n, 1)` labels against a
    `(None, 3)` output under `mse`) are not reported.

    ## Example
    ```python
    (x_train, y_train), _ = keras.datasets.mnist.load_data()
    model.compile(optimizer="adam", loss="categorical_crossentropy")
    model.fit(x_train, y_train)  # y_train holds class numbers, shape (60000,)
    ```

    ## Use instead
    ```python
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train)
    ```

    ## Fix safety
    This rule has no automatic fix: one-hot encoding the labels and changing the loss are both
    correct, and the choice is the author's.

    ## References
    - [Keras: probabilistic losses](https://keras.io/api/losses/probabilistic_losses/)
    """

    code = "CNN013"
    name = "label-shape-mismatch"
    summary = "labels passed to `fit` / `evaluate` cannot match the model's output under its loss"
    VALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "(x, y), _ = keras.datasets.mnist.load_data()\n"
        "model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])\n"
        "model.compile('adam', 'sparse_categorical_crossentropy')\nmodel.fit(x, y)\n",
    )
    INVALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "(x, y), _ = keras.datasets.mnist.load_data()\n"
        "model = keras.Sequential([keras.Input(shape=(28, 28)), layers.Flatten(), layers.Dense(10)])\n"
        "model.compile('adam', 'categorical_crossentropy')\nmodel.fit(x, y)\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for feed_index, feed in enumerate(module.feeds):
            if feed.kind not in LABELLED:
                continue
            node = node_of(feed, feed.labels)
            labels = ints(node.shape if node else None)
            if node is None or labels is None or not labels:
                continue
            problem = self.cardinality(feed, labels) or self.under_loss(feed, labels)
            if problem is not None:
                message = f"labels `{feed.labels_text}`{origin(feed, node)} are {text(labels)}: {problem}"
                yield self.diagnostic(module, feed.loc, message, trace_of(feed.graph, node), feed=feed_index)

    @staticmethod
    def cardinality(feed: Feed, labels: Ints) -> str | None:
        data = node_of(feed, feed.data[0]) if len(feed.data) == 1 else None
        shape = ints(data.shape if data else None)
        if shape and differs(shape[0], labels[0]):
            return f"{labels[0]} labels for {shape[0]} examples of `{feed.data_text[0]}` (Keras: data cardinality)"
        return None

    @staticmethod
    def under_loss(feed: Feed, labels: Ints) -> str | None:
        output = ints(feed.output)
        loss = feed.loss
        if output is None or loss is None or loss == "?" or len(output) < 2:
            return None
        shown = f"the output of {feed.target} is {text((None, *output[1:]))}"
        adjusted = keras_adjusted_labels(labels, output)
        if loss == "categorical_crossentropy":
            if len(adjusted) != len(output):
                return (f"{loss} needs one-hot labels of the output's rank and {shown}; one-hot them with "
                        f"{_to_categorical(feed.labels_text, output[-1])} or use sparse_categorical_crossentropy")
            if adjusted[-1] == 1 and differs(adjusted[-1], output[-1]):  # class numbers, not one-hot
                return (f"these are class numbers, {loss} needs one-hot labels and {shown}; one-hot them with "
                        f"{_to_categorical(feed.labels_text, output[-1])} or use sparse_categorical_crossentropy")
            if differs(adjusted[-1], output[-1]):
                return f"{loss} needs {output[-1]} classes per label and {shown}"
            return _other_axes(adjusted, output, loss, shown)
        if loss == "sparse_categorical_crossentropy":
            sparse = adjusted[:-1] if len(adjusted) == len(output) and adjusted[-1] == 1 else adjusted
            if len(sparse) != len(output) - 1:
                return (f"{loss} needs one class number per example and {shown}; for one-hot labels use "
                        "categorical_crossentropy")
            return _other_axes(sparse, output[:-1], loss, shown)
        if loss == "binary_crossentropy":
            if len(adjusted) != len(output) or any(differs(adjusted[i], output[i]) for i in range(1, len(output))):
                return f"{loss} needs labels of the output's shape and {shown}"
        if loss in REGRESSION:
            # Keras subtracts the labels from the output: only shapes that cannot broadcast fail.
            if len(adjusted) != len(output):
                return f"{loss} subtracts labels of rank {len(adjusted)} from an output of rank {len(output)}: {shown}"
            axes = [i for i in range(1, len(output)) if differs(adjusted[i], output[i])
                    and adjusted[i] != 1 and output[i] != 1]
            if axes:
                return f"{loss} needs labels that broadcast against the output and {shown}"
        return None


def _to_categorical(labels: str, classes: int | None) -> str:
    if " " in labels:  # a dataset's labels: no single expression to write
        return "`keras.utils.to_categorical`"
    return f"`keras.utils.to_categorical({labels}, {classes or 'num_classes'})`"


def _other_axes(labels: Ints, output: Ints, loss: str, shown: str) -> str | None:
    axes = [i for i in range(1, min(len(labels), len(output))) if differs(labels[i], output[i])]
    return f"{loss}: labels and output differ on axis {axes[0]} and {shown}" if axes else None
