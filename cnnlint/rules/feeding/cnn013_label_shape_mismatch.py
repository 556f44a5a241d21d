"""CNN013 label-shape-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.ir import Feed, ModuleIR
from cnnlint.rules.base import Diagnostic, Extra, Rule, trace_of
from cnnlint.rules.feeding import LABELLED, Ints, differs, ints, label_problem, node_of, origin, text
from cnnlint.rules.heads import missing_flatten_at_fit


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

    Per-example labels refused only because the model's `Dense` head reads a feature map without
    a `Flatten` (its output is per position) are CNN010's finding, reported at that `Dense`.

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
                yield self.diagnostic(module, feed.loc, message, trace_of(feed.graph, node), Extra(feed=feed_index))

    @staticmethod
    def cardinality(feed: Feed, labels: Ints) -> str | None:
        data = node_of(feed, feed.data[0]) if len(feed.data) == 1 else None
        shape = ints(data.shape if data else None)
        if shape and differs(shape[0], labels[0]):
            return f"{labels[0]} labels for {shape[0]} examples of `{feed.data_text[0]}` (Keras: data cardinality)"
        return None

    @staticmethod
    def under_loss(feed: Feed, labels: Ints) -> str | None:
        if missing_flatten_at_fit(feed) is not None:  # CNN010's: the fix is a Flatten at the head
            return None
        return label_problem(feed, labels, ints(feed.output))
