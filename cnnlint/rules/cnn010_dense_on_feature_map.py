"""CNN010 dense-on-feature-map."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.ir import Feed, Graph, Loc, LossInputs, ModuleIR, Node
from cnnlint.report.render import shape_text
from cnnlint.rules.base import NO_EXTRA, Diagnostic, Extra, Rule, trace_of
from cnnlint.rules.feeding import origin, text
from cnnlint.rules.heads import (
    SEQUENCES,
    feature_map_dense,
    fit_labels,
    loss_labels,
    missing_flatten_at_loss,
    missing_flatten_before,
)


class DenseOnFeatureMap(Rule):
    """
    ## What it does
    Reports a `Dense` head applied straight to a conv or pool feature map, or to a sequence (the
    output of an `Embedding`, of `LSTM` / `GRU` with `return_sequences=True`, of a `Conv1D`), with
    no `Flatten` or global pooling before it, where something makes the missing `Flatten` certain:

    - the labels given to `fit` / `evaluate` / `train_on_batch` / `test_on_batch` hold one
      label per example (`(n,)`, `(n, 1)`, one-hot `(n, k)`) under a cross-entropy loss: they do
      not match the model's per-position output and would match the `(batch, units)` output a
      `Flatten` gives;
    - a loss computed in TensorFlow pairs the head's per-position logits with per-example labels:
      `tf.nn.softmax_cross_entropy_with_logits` / `sigmoid_cross_entropy_with_logits` / TF1's
      `tf.losses.*` / a Keras categorical loss called directly with one-hot labels `(n, k)` of the
      head's `k` units, or the sparse losses with class numbers `(n,)` (over more than one
      position: a 1x1 map lines up with the labels);
    - a later layer that needs rank 2 (`RepeatVector`), or a `Concatenate` that joins the head's
      output with rank-2 tensors, fails on the head's output.

    It is reported at the `Dense`, where the `Flatten` goes, with the place where the symptom
    shows as a related location (a `note:` line; `related` in JSON, `relatedLocations` in SARIF):
    the `fit` line where the labels meet the output, the loss, or the layer that fails. These
    failures are this rule's: CNN013 (labels, losses), CNN006 (rank) and CNN008 (merge) do not
    report them again.

    A `Dense` on a feature map or a sequence is a legitimate per-position layer otherwise, and is
    never reported: a segmentation head whose labels are per pixel (`(n, 128, 128)` under
    `sparse_categorical_crossentropy` for an output `(None, 128, 128, k)`), a sequence tagger
    whose labels are per time step (`(n, T)`, `(n, T, 1)`, one-hot `(n, T, k)`), the pointwise
    `Dense` layers inside a ConvNeXt block, a regression loss (which broadcasts), or a model whose
    labels the code does not show.

    Keras 3, tf-keras and TensorFlow refuse every program reported (tests/test_dense_on_feature_map.py
    runs them), except some under `binary_crossentropy`, which late tf.keras squeezes and
    broadcasts instead (labels `(n, 1)` against a per-step output `(None, T, 1)`, `(n,)` against
    `(None, h, w, 1)`), training a model that predicts every position against one label; the
    message says so.

    ## Why is this bad?
    `Dense` acts on the last axis only, so the model predicts one vector per position:
    `(None, 13, 13, 10)` instead of `(None, 10)`. Keras builds it without complaint and the error
    only shows at `fit`, as a mismatch with the labels that does not say a `Flatten` is missing
    (`ValueError: Argument output must have rank (ndim) target.ndim - 1`), or in TensorFlow as
    `logits and labels must be broadcastable`.

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
    - [TensorFlow: `tf.nn.softmax_cross_entropy_with_logits`](https://www.tensorflow.org/api_docs/python/tf/nn/softmax_cross_entropy_with_logits)
    """

    code = "CNN010"
    name = "dense-on-feature-map"
    severity = "error"
    summary = ("a `Dense` head reads a feature map or a sequence with no `Flatten` or global pooling before it, and "
               "the labels, the loss or a later layer make the missing `Flatten` certain")
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
        for loss in module.losses:
            shapes = loss_labels(loss)
            loss_head = missing_flatten_at_loss(loss) if shapes else None
            if shapes is None or loss_head is None or loss_head.loc in reported:
                continue
            if loss.origin is not None and missing_flatten_at_loss(loss.origin) is not None:
                continue  # the loss again with the shapes of a `feed_dict`: reported with its own shapes
            reported.add(loss_head.loc)
            yield self._at_loss(module, loss, loss_head, shapes)

    @staticmethod
    def _reads(graph: Graph, head: Node) -> str:
        source = graph.nodes[head.inputs[0]] if head.inputs and head.inputs[0] is not None else None
        fed = shape_text(source.shape) if source is not None else "?"
        name = graph.labels.get(source.id) if source is not None else None
        kind, per = ("sequence", "time step") if _sequence(graph, head) else ("feature map", "position")
        return f"{head.api} reads the {kind} {fed}" + (f" of `{name}`" if name else "") + f" per {per}"

    def _before_layer(self, module: ModuleIR, index: int, graph: Graph, head: Node, failing: Node) -> Diagnostic:
        rank = len(head.shape) if head.shape is not None else "?"
        if failing.op == "concat":
            flat = [i for i in failing.inputs if i is not None and len(graph.nodes[i].shape or ()) == 2]
            others = " and ".join(f"{graph.describe(i)} {shape_text(graph.nodes[i].shape)}" for i in flat)
            needs = f"{failing.api} on {_line(module, failing.loc.line)} joins it with {others} of rank 2"
            note = f"{failing.api} joins the rank-{rank} output of the {head.api} with {others} of rank 2 here"
        else:
            needs = f"{failing.api} on {_line(module, failing.loc.line)} needs rank 2"
            note = f"{failing.api} needs rank 2 and gets the rank-{rank} output of the {head.api} here"
        message = (f"{self._reads(graph, head)} and keeps rank {rank}, but {needs}: "
                   f"add {_fix(graph, head)} before this {head.api}")
        return self.diagnostic(module, head.loc, message, trace_of(graph, failing),
                               Extra(node=(index, head.id), fails_at=(index, failing.id), problems=failing.problems),
                               [(failing.loc, note)])

    def _at_fit(self, module: ModuleIR, index: int | None, feed_index: int, feed: Feed, head: Node,
                found: tuple[tuple[int | None, ...], tuple[int | None, ...]]) -> Diagnostic:
        labels, output = found
        graph = feed.graph
        node = graph.nodes[feed.labels] if feed.labels is not None else None
        where = origin(feed, node) if node is not None else ""
        per = "time step" if _sequence(graph, head) else "position"
        message = (
            f"{self._reads(graph, head)}, so {feed.target} outputs {text((None, *output[1:]))}, one prediction "
            f"per {per}; the labels `{feed.labels_text}`{where} given to {feed.kind} on "
            f"{_line(module, feed.loc.line)} are {text(labels)}, one per example, and "
            f"{_verdict(feed, labels, output, per)}: add {_fix(graph, head)} before this {head.api}"
        )
        note = (f"the labels {text(labels)}, one per example, meet the output {text((None, *output[1:]))}, "
                f"one per {per}, here")
        output_node = feed.output_node if feed.output_node is not None else head.id
        return self.diagnostic(module, head.loc, message, trace_of(graph, graph.nodes[output_node]),
                               Extra(node=None if index is None else (index, head.id), feed=feed_index),
                               [(feed.loc, note)])

    def _at_loss(self, module: ModuleIR, loss: LossInputs, head: Node,
                 found: tuple[tuple[int | None, ...], tuple[int | None, ...]]) -> Diagnostic:
        labels, predictions = found
        graph = loss.graph
        per = "time step" if _sequence(graph, head) else "position"
        fed = f" ({graph.fed})" if graph.fed else ""
        message = (
            f"{self._reads(graph, head)}, so {loss.predictions_text} is {text(predictions)}, one prediction per "
            f"{per}; `{loss.api}` on {_line(module, loss.loc.line)} pairs it with the labels {loss.labels_text} "
            f"{text(labels)}, one per example, and raises{fed}: add {_fix(graph, head)} before this {head.api}"
        )
        note = (f"the labels {text(labels)}, one per example, meet the predictions {text(predictions)}, "
                f"one per {per}, here")
        # No `Extra.node`: the loss is not an op `--confirm` rebuilds, and the Dense itself runs fine.
        return self.diagnostic(module, head.loc, message, trace_of(graph, graph.nodes[loss.predictions or head.id]),
                               NO_EXTRA, [(loss.loc, note)])


def _sequence(graph: Graph, head: Node) -> bool:
    """Whether the head reads a sequence (an Embedding's or a recurrent layer's output), not a spatial map."""
    node_id = head.inputs[0] if head.inputs else None
    seen: set[int] = set()
    while node_id is not None and node_id not in seen:
        seen.add(node_id)
        node = graph.nodes[node_id]
        if node.op in SEQUENCES:
            return True
        if node.op not in ("identity", "dense"):
            return False
        node_id = node.inputs[0] if node.inputs else None
    return False


def _fix(graph: Graph, head: Node) -> str:
    """What to add before the head: a flatten as the head's library spells it, or global pooling."""
    flatten = "tf.layers.flatten()" if head.api.startswith(("tf.layers.", "tf.compat.v1.layers.")) else "Flatten()"
    return f"{flatten}, global pooling or return_sequences=False" if _rnn(graph, head) else \
        f"{flatten} or global pooling"


def _rnn(graph: Graph, head: Node) -> bool:
    node_id = head.inputs[0] if head.inputs else None
    while node_id is not None:
        node = graph.nodes[node_id]
        if node.op == "rnn":
            return True
        if node.op not in ("identity", "dense"):
            return False
        node_id = node.inputs[0] if node.inputs else None
    return False


def _verdict(feed: Feed, labels: tuple[int | None, ...], output: tuple[int | None, ...], per: str) -> str:
    """What Keras does with per-example labels against the per-position output: it refuses them, but
    under binary cross-entropy late tf.keras may squeeze and broadcast them over the positions instead
    (`(n, 1)` labels against `(None, T, 1)`, `(n,)` against `(None, h, w, 1)`: it trains a wrong model),
    where Keras 3 and early Keras 2 refuse them."""
    if feed.loss == "binary_crossentropy":
        return (f"Keras 3 refuses them under {feed.loss} (late tf.keras may instead broadcast each label over "
                f"every {per} and train a wrong model)")
    return f"Keras refuses them under {feed.loss}"


def _line(module: ModuleIR, line: int) -> str:
    cell, in_cell = module.place(line)
    return f"line {in_cell}" if cell is None else f"cell {cell}, line {in_cell}"
