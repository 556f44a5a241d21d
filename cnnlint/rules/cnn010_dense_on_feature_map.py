"""CNN010 dense-on-feature-map."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.ir import Feed, Graph, Loc, ModuleIR, Node
from cnnlint.report.render import shape_text
from cnnlint.rules.base import Diagnostic, Extra, Rule, trace_of
from cnnlint.rules.feeding import origin, text
from cnnlint.rules.heads import feature_map_dense, fit_labels, missing_flatten_before


class DenseOnFeatureMap(Rule):
    """
    ## What it does
    Reports a `Dense` head applied straight to a conv or pool feature map, with no `Flatten` or
    global pooling before it, where something makes the missing `Flatten` certain:

    - the labels given to `fit` / `evaluate` / `train_on_batch` / `test_on_batch` hold one
      label per example (`(n,)`, `(n, 1)`, one-hot `(n, k)`), which Keras refuses against the
      model's per-position output under a cross-entropy loss, and would accept against the
      `(batch, units)` output a `Flatten` gives;
    - a later layer that needs rank 2 (`RepeatVector`), or a `Concatenate` that joins the head's
      output with rank-2 tensors, fails on the head's rank-4 output.

    It is reported at the `Dense`, where the `Flatten` goes; the `fit` line or the failing layer
    is named in the message and shown in the trace. These failures are this rule's: CNN013 (labels),
    CNN006 (rank) and CNN008 (merge) do not report them again. A `Dense` on a feature map is a
    legitimate per-position layer otherwise, and is never reported: a segmentation head whose
    labels are per pixel, the pointwise `Dense` layers inside a ConvNeXt block, or a model whose
    labels the code does not show.

    ## Why is this bad?
    `Dense` acts on the last axis only, so the model predicts one vector per position:
    `(None, 13, 13, 10)` instead of `(None, 10)`. Keras builds it without complaint and the error
    only shows at `fit`, as a mismatch with the labels that does not say a `Flatten` is missing
    (`ValueError: Argument output must have rank (ndim) target.ndim - 1`).

    ## Example
    ```python
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3),
        layers.MaxPooling2D(),
        layers.Dense(10, activation="softmax"),
    ])
    model.compile(optimizer="adam", loss="sparse_categorical_crossentropy")
    model.fit(x_train, y_train)  # y_train: (60000,), one class number per image
    ```

    ## Use instead
    ```python
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3),
        layers.MaxPooling2D(),
        layers.Flatten(),
        layers.Dense(10, activation="softmax"),
    ])
    ```

    ## Fix safety
    This rule has no automatic fix. `Flatten` and global pooling make different models (with
    different parameter counts), and the choice is the author's.

    ## References
    - [Keras: `Dense` on inputs of rank > 2](https://keras.io/api/layers/core_layers/dense/)
    """

    code = "CNN010"
    name = "dense-on-feature-map"
    severity = "error"
    summary = ("a `Dense` head reads a feature map with no `Flatten` or global pooling before it, and the labels "
               "or a later layer make the missing `Flatten` certain")
    VALID = (
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3), layers.Flatten(),\n"
        "                          layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "model.fit(np.zeros((8, 28, 28, 1)), np.zeros((8,)))\n",
        # A segmentation head: one class per pixel, and per-pixel labels.
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input((128, 128, 3)), layers.Conv2D(16, 3, padding='same'),\n"
        "                          layers.Dense(4, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "model.fit(np.zeros((8, 128, 128, 3)), np.zeros((8, 128, 128)))\n",
        # A ConvNeXt block: pointwise Dense layers inside, global pooling before the head.
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "inputs = keras.Input(shape=(56, 56, 96))\n"
        "x = layers.DepthwiseConv2D(7, padding='same')(inputs)\n"
        "x = layers.LayerNormalization(epsilon=1e-6)(x)\n"
        "x = layers.Dense(384, activation='gelu')(x)\n"
        "x = layers.Dense(96)(x)\n"
        "x = layers.Add()([inputs, x])\n"
        "x = layers.GlobalAveragePooling2D()(x)\n"
        "model = keras.Model(inputs, layers.Dense(10, activation='softmax')(x))\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "model.fit(np.zeros((8, 56, 56, 96)), np.zeros((8,)))\n",
    )
    INVALID = (
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3), layers.MaxPooling2D(),\n"
        "                          layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')\n"
        "model.fit(np.zeros((8, 28, 28, 1)), np.zeros((8,)))\n",
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "(x_train, y_train), _ = keras.datasets.mnist.load_data()\n"
        "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3), layers.MaxPooling2D(),\n"
        "                          layers.Dense(128, activation='relu'), layers.Dropout(0.5),\n"
        "                          layers.Dense(10, activation='softmax')])\n"
        "model.compile(optimizer='adam', loss='categorical_crossentropy')\n"
        "model.fit(x_train[..., None], keras.utils.to_categorical(y_train, 10))\n",
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "image, tabular = keras.Input(shape=(28, 28, 1)), keras.Input(shape=(5,))\n"
        "x = layers.MaxPooling2D()(layers.Conv2D(8, 3)(image))\n"
        "x = layers.Dense(16)(x)\n"
        "model = keras.Model([image, tabular], layers.Dense(1)(layers.Concatenate()([x, tabular])))\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        reported: set[Loc] = set()
        for index, graph in enumerate(module.graphs):
            for node in graph.own_nodes:
                for head in missing_flatten_before(graph, node):
                    if head.loc not in reported:
                        reported.add(head.loc)
                        yield self._before_layer(module, index, graph, head, node)
        for feed_index, feed in enumerate(module.feeds):
            found = fit_labels(feed)
            fit_head = feature_map_dense(feed.graph, feed.output_node) if found else None
            if found is None or fit_head is None or fit_head.loc in reported:
                continue
            reported.add(fit_head.loc)
            at = next((i for i, g in enumerate(module.graphs) if g is feed.graph), None)
            yield self._at_fit(module, at, feed_index, feed, fit_head, found)

    @staticmethod
    def _reads(graph: Graph, head: Node) -> str:
        source = graph.nodes[head.inputs[0]] if head.inputs and head.inputs[0] is not None else None
        fed = shape_text(source.shape) if source is not None else "?"
        name = graph.labels.get(source.id) if source is not None else None
        return f"{head.api} reads the feature map {fed}" + (f" of `{name}`" if name else "") + " per position"

    def _before_layer(self, module: ModuleIR, index: int, graph: Graph, head: Node, failing: Node) -> Diagnostic:
        if failing.op == "concat":
            flat = [i for i in failing.inputs if i is not None and len(graph.nodes[i].shape or ()) == 2]
            others = " and ".join(f"{graph.describe(i)} {shape_text(graph.nodes[i].shape)}" for i in flat)
            needs = f"{failing.api} on {_line(module, failing.loc.line)} joins it with {others} of rank 2"
        else:
            needs = f"{failing.api} on {_line(module, failing.loc.line)} needs rank 2"
        rank = len(head.shape) if head.shape is not None else "?"
        message = (f"{self._reads(graph, head)} and keeps rank {rank}, but {needs}: "
                   f"add Flatten() or global pooling before this {head.api}")
        return self.diagnostic(module, head.loc, message, trace_of(graph, failing),
                               Extra(node=(index, head.id), fails_at=(index, failing.id), problems=failing.problems))

    def _at_fit(self, module: ModuleIR, index: int | None, feed_index: int, feed: Feed, head: Node,
                found: tuple[tuple[int | None, ...], tuple[int | None, ...]]) -> Diagnostic:
        labels, output = found
        graph = feed.graph
        node = graph.nodes[feed.labels] if feed.labels is not None else None
        where = origin(feed, node) if node is not None else ""
        message = (
            f"{self._reads(graph, head)}, so {feed.target} outputs {text((None, *output[1:]))}, one prediction "
            f"per position; the labels `{feed.labels_text}`{where} given to {feed.kind} on "
            f"{_line(module, feed.loc.line)} are {text(labels)}, one per example, and Keras refuses them under "
            f"{feed.loss}: add Flatten() or global pooling before this {head.api}"
        )
        output_node = feed.output_node if feed.output_node is not None else head.id
        return self.diagnostic(module, head.loc, message, trace_of(graph, graph.nodes[output_node]),
                               Extra(node=None if index is None else (index, head.id), feed=feed_index))


def _line(module: ModuleIR, line: int) -> str:
    cell, in_cell = module.place(line)
    return f"line {in_cell}" if cell is None else f"cell {cell}, line {in_cell}"
