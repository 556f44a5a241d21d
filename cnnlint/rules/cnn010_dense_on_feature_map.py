"""CNN010 dense-on-feature-map."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.ir import Graph, ModuleIR, Node
from cnnlint.rules.base import Diagnostic, Rule, shape_text, trace_of

# Ops that keep a feature map a feature map between the last conv/pool and the head.
PASS_THROUGH = frozenset({"identity", "pad", "crop", "upsample", "resize"})
FEATURE_MAPS = frozenset({"conv", "depthwise_conv", "conv_transpose", "pool"})


class DenseOnFeatureMap(Rule):
    """
    ## What it does
    Warns when a Keras model's output layer is a `Dense` applied straight to a conv or pool
    feature map of rank 4 or more, with no `Flatten` or global pooling in between. A `Dense`
    inside the network (a pointwise layer, as in ConvNeXt blocks) is not reported.

    ## Why is this bad?
    `Dense` acts on the last axis only, so the model predicts one vector per pixel:
    `(None, 7, 7, 10)` instead of `(None, 10)`. Keras builds it without complaint and the
    error only shows at `fit`, as a confusing mismatch with the labels.

    ## Example
    ```python
    model = keras.Sequential([
        keras.Input(shape=(28, 28, 1)),
        layers.Conv2D(32, 3),
        layers.MaxPooling2D(),
        layers.Dense(10, activation="softmax"),
    ])
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
    severity = "warning"
    summary = "the model's output layer is a `Dense` on a rank-4+ conv/pool feature map (no `Flatten`)"
    VALID = (
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3), layers.Flatten(),\n"
        "                          layers.Dense(10)])\n",
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "inputs = keras.Input(shape=(56, 56, 96))\n"
        "x = layers.DepthwiseConv2D(7, padding='same')(inputs)\n"
        "x = layers.Dense(384)(x)\n"
        "x = layers.Dense(96)(x)\n"
        "x = layers.GlobalAveragePooling2D()(x)\n"
        "model = keras.Model(inputs, layers.Dense(10)(x))\n",
    )
    INVALID = (
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3), layers.MaxPooling2D(),\n"
        "                          layers.Dense(10, activation='softmax')])\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for index, graph in enumerate(module.graphs):
            for model in graph.models:
                for output in model.outputs:
                    head = self._head(graph, output)
                    if head is not None:
                        yield self._report(module, graph, head, model.title, index)

    @staticmethod
    def _head(graph: Graph, node_id: int) -> Node | None:
        """The output Dense, if it reads a feature map (through activations and the like)."""
        node = graph.nodes[node_id]
        while node.op == "identity" and node.inputs and node.inputs[0] is not None:
            node = graph.nodes[node.inputs[0]]
        if node.op != "dense" or not node.inputs or node.inputs[0] is None:
            return None
        source = graph.nodes[node.inputs[0]]
        if source.shape is None or len(source.shape) < 4:
            return None
        while source.op in PASS_THROUGH and source.inputs and source.inputs[0] is not None:
            source = graph.nodes[source.inputs[0]]
        return node if source.op in FEATURE_MAPS else None

    def _report(self, module: ModuleIR, graph: Graph, node: Node, model: str, index: int) -> Diagnostic:
        source = graph.nodes[node.inputs[0]] if node.inputs and node.inputs[0] is not None else None
        fed = shape_text(source.shape) if source is not None else "?"
        message = (
            f"the output layer of `{model}` is a Dense on the feature map {fed}: it predicts per position "
            f"{shape_text(node.shape)}, not per example; add Flatten() or global pooling before it"
        )
        return self.diagnostic(module, node.loc, message, trace_of(graph, node), node=(index, node.id))
