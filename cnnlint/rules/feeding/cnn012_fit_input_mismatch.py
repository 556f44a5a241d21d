"""CNN012 fit-input-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.ir import Feed, Loc, ModuleIR, Node
from cnnlint.rules.base import Diagnostic, Extra, Rule, trace_of
from cnnlint.rules.feeding import Ints, differs, ints, keras_adjusted_input, node_of, origin, text
from cnnlint.shapes.feeding import StrictFit, mismatched_axes

DATA_CALLS = frozenset({"fit", "evaluate", "train_on_batch", "test_on_batch", "predict", "predict_on_batch",
                        "call"})


# What is wrong when the batches are not arrays, by `Feed.batches`.
BATCHES = {
    "unbatched": ("the dataset is not batched, so Keras takes each element for a batch (its first axis for the "
                  "examples): add `.batch(batch_size)` to the pipeline"),
    "generator": ("Keras takes each value the generator yields for a batch (its first axis for the examples): "
                  "yield `x[None]` or a stack of examples"),
}


class FitInputMismatch(Rule):
    """
    ## What it does
    Reports data with a statically known shape passed to `fit`, `evaluate`, `predict`,
    `train_on_batch`, `test_on_batch` or `predict_on_batch` of a Keras model whose input shape
    it cannot match: a different rank, or a different size on an axis both sides fix. Keras's
    own leniency is kept: a rank off by one only in a trailing axis of size 1 (MNIST's
    `(60000, 28, 28)` into `Input((28, 28, 1))`) is accepted, as Keras 3 does.

    Under a target Keras that checks arrays before running (Keras 1, standalone Keras 2.0-2.3,
    tf.keras of TF <= 2.1: see docs/keras-versions.md) that leniency does not exist: a 1-D array is
    read as `(n, 1)`, then any other rank is reported with that version's message (`Error when
    checking input: expected conv1d_1_input to have 3 dimensions, but got array with shape (100, 30)`).

    One image fed without its batch axis (an array of the input's shape less the batch axis, such
    as `(224, 224, 3)` into `Input((224, 224, 3))`, or a `(28, 28)` digit into `Input((28, 28, 1))`)
    is reported as a missing batch axis, with the fix: `img[None]` or `np.expand_dims(img, 0)`.
    Keras 3 and tf-keras both take the image's first axis for the batch: they refuse the rest, or,
    for `(28, 28, 1)` into `Input((28, 28, 1))`, read it as 28 examples of shape `(28, 1)` given a
    trailing axis of 1, which fails at a later layer or gives 28 predictions.

    Where the fix goes at the model, the finding is put there: image data `(n, 224, 224, 3)`
    given to a model whose input shape is its channels-first transpose `(3, 224, 224)` (1, 3 or
    4 channels, fewer than the height and width), while the first layer with a `data_format`
    reads channels last (by its own argument or Keras's default), is reported at the
    `input_shape=` argument (or the `Input`), saying the shape looks channels-first, with the
    `fit` line as a related location. A model whose layers read channels first keeps the
    finding at the data.

    ## Why is this bad?
    Keras raises `ValueError: Input 0 of layer ... is incompatible with the layer` at the first
    batch, after the data was loaded and the model built; the message names neither the array
    nor the line it came from.

    ## Example
    ```python
    (x_train, y_train), _ = keras.datasets.cifar10.load_data()
    model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(32, 3), layers.Flatten(),
                              layers.Dense(10)])
    model.fit(x_train, y_train)
    ```

    ## Use instead
    ```python
    model = keras.Sequential([keras.Input(shape=(32, 32, 3)), layers.Conv2D(32, 3), layers.Flatten(),
                              layers.Dense(10)])
    model.fit(x_train, y_train)
    ```

    ## Fix safety
    This rule has no automatic fix: whether the data or the model is wrong is the author's call.

    ## References
    - [Keras: Model training APIs](https://keras.io/api/models/model_training_apis/)
    """

    code = "CNN012"
    name = "fit-input-mismatch"
    summary = "data with a known shape passed to `fit` / `predict` / ... does not match the model's input"
    VALID = (
        "import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "(x, y), _ = keras.datasets.mnist.load_data()\n"
        "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten(),"
        " layers.Dense(10)])\nmodel.fit(x, y)\n",
    )
    INVALID = (
        "import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "(x, y), _ = keras.datasets.mnist.load_data()\n"
        "model = keras.Sequential([keras.Input(shape=(28, 28, 3)), layers.Conv2D(8, 3), layers.Flatten(),"
        " layers.Dense(10)])\nmodel.fit(x, y)\n",
        "import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3), layers.Flatten(),"
        " layers.Dense(10)])\nmodel.predict(np.zeros((10, 784)))\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        # A call in a loop is recorded once per iteration the interpreter runs (unrolled, or its
        # abstract pass and its last iteration), with batches of different sizes: Keras checks no
        # batch size here, so one finding per call and per-example shape.
        # The place is compared last (reading a range resolves the module's positions).
        seen: dict[tuple[object, ...], list[Loc]] = {}
        for feed_index, feed in enumerate(module.feeds):
            if feed.kind not in DATA_CALLS:
                continue
            for index, (expected_shape, node_id) in enumerate(zip(feed.expected, feed.data, strict=True)):
                node = node_of(feed, node_id)
                expected, data = ints(expected_shape), ints(node.shape if node else None)
                if node is None or expected is None or data is None:
                    continue
                per_example = (None, *data[1:]) if len(data) == len(expected) else data
                key = (feed.target, feed.kind, index, expected, per_example)
                places = seen.setdefault(key, [])
                if any(place == feed.loc for place in places):
                    continue
                places.append(feed.loc)
                name = feed.data_text[index]
                which = f"input {index} of " if len(feed.expected) > 1 else ""
                if feed.strict is not None:  # Keras 1-2.3, tf.keras of TF <= 2.1: checked before running
                    strict = self.strict(feed.strict, index, name, data, expected, feed.batches)
                    layer = channels_first_input(feed, index, data, expected) if strict is not None else None
                    if layer is not None:
                        yield self._channels_first(module, feed_index, feed, layer, name, node, data, expected)
                    elif strict is not None:
                        message = (f"`{name}`{origin(feed, node)} is {text(data)} but {which}{feed.target} expects "
                                   f"{text((None, *expected[1:]))}: {strict}")
                        yield self.diagnostic(module, feed.loc, message, trace_of(feed.graph, node),
                                              Extra(feed=feed_index))
                    continue
                problem = self.compare(data, expected)
                if problem is None:
                    remainder = self.stateful_remainder(feed, name, data, expected)
                    if remainder is not None:
                        yield self.diagnostic(module, feed.loc, remainder, trace_of(feed.graph, node),
                                              Extra(feed=feed_index))
                    continue
                layer = channels_first_input(feed, index, data, expected)
                if layer is not None:
                    yield self._channels_first(module, feed_index, feed, layer, name, node, data, expected)
                    continue
                single = BATCHES.get(feed.batches) or self.unbatched(name, data, expected)
                message = (f"`{name}`{origin(feed, node)} is {text(data)} but {which}{feed.target} expects "
                           f"{text((None, *expected[1:]))}: "
                           + (single if single is not None else f"{problem}{self.advice(name, data, expected)}"))
                yield self.diagnostic(module, feed.loc, message, trace_of(feed.graph, node), Extra(feed=feed_index))

    def _channels_first(self, module: ModuleIR, feed_index: int, feed: Feed, layer: tuple[Node, Node], name: str,
                        node: Node, data: Ints, expected: Ints) -> Diagnostic:
        """At the input's shape: it is the channels-first transpose of channels-last data, and the model's
        first layer reads channels last."""
        start, reader = layer
        shape = ", ".join(str(d) for d in data[1:])
        default = " (the default image data format)" if reader.attrs.get("layout_from_config") else ""
        message = (f"the input shape {text(expected[1:])} looks channels-first: `{name}`{origin(feed, node)} given to "
                   f"{feed.kind} on line {feed.loc.line} is {text(data)}, channels last, and the {reader.api} on line "
                   f"{reader.loc.line} reads channels last{default}: make it ({shape})")
        note = f"the data {text(data)} meets the input {text((None, *expected[1:]))} here"
        return self.diagnostic(module, start.spans.get("shape", start.loc), message, trace_of(feed.graph, node),
                               Extra(feed=feed_index), [(feed.loc, note)])

    @staticmethod
    def stateful_remainder(feed: Feed, name: str, data: Ints, expected: Ints) -> str | None:
        """A model with a stateful recurrent layer runs batches of exactly the batch size it was built
        for (its state has that many rows): rows that are not a multiple of it leave a short last
        batch, which every Keras refuses (`Incompatible shapes: [4,300] vs. [16,300]`), whatever
        `batch_size` is given. Only where the rows and the fixed batch are known."""
        if feed.model is None or feed.kind not in ("fit", "evaluate", "predict") or not expected or not data:
            return None
        batch, rows = expected[0], data[0]
        if batch is None or rows is None or batch <= 0 or rows % batch == 0:
            return None
        layers = [feed.graph.nodes[i] for i in feed.model.nodes if i < len(feed.graph.nodes)]
        stateful = next((n for n in layers if n.op == "rnn" and n.attrs.get("stateful")), None)
        if stateful is None:
            return None
        full, left = divmod(rows, batch)
        return (f"`{name}` has {rows} rows, not a multiple of {batch} ({rows} = {full} x {batch} + {left}), but the "
                f"stateful {stateful.api} on line {stateful.loc.line} keeps state for batches of exactly {batch} (the "
                f"model's fixed batch size): a batch of fewer rows (the last one, or the last of a validation split) "
                f"does not fit its state (`Incompatible shapes`), whatever `batch_size` is given: give it a multiple "
                f"of {batch} rows (e.g. `{name}[:{full * batch}]`)")

    @classmethod
    def strict(cls, fit: StrictFit, index: int, name: str, data: Ints, expected: Ints, batches: str = "") -> str | None:
        """Early Keras's refusal of `data` for input `index` (`standardize_input_data`: a 1-D array
        as `(n, 1)`, then the input's rank and every size it fixes), with the fix; None if accepted."""
        refused = fit.refusal("input", fit.input_names[index] if index < len(fit.input_names) else "the input",
                              fit.standardized(data, expected), expected)
        if refused is None:
            return None
        single = BATCHES.get(batches) or cls.unbatched(name, data, expected, lenient=False)
        fix = f"; {single}" if single is not None else "" if " " in name else cls.advice(name, data, expected)
        return f"{fit.keras} checks arrays before running and raises `{refused}`{fix}"

    @staticmethod
    def unbatched(name: str, data: tuple[int | None, ...], expected: tuple[int | None, ...],
                  lenient: bool = True) -> str | None:
        """The message for one example fed without its batch axis (data of the input's shape less
        the batch axis), saying what Keras 3 and tf-keras make of it; None for other data."""
        per_example = expected[1:]
        if per_example and per_example[-1] == 1 and len(data) == len(per_example) - 1:
            per_example = per_example[:-1]  # a grayscale image: Keras adds the channel once it is a batch
        if len(data) != len(per_example) or not data or any(
                d is None or e is None or differs(d, e) for d, e in zip(data, per_example, strict=True)):
            # Every size must match a size the input states: `(512, 21)` into `(None, None, 21)` is
            # as likely 512 sequences of length 1 as one sequence of 512.
            return None
        shown = f"({name})" if _has_operator(name) else name
        if not lenient:  # early Keras: the rank is wrong, whatever it would read
            return f"missing batch axis: use `{shown}[None]` or `np.expand_dims({shown}, 0)`"
        if keras_adjusted_input(data, expected) is None:
            reading = (f"Keras takes its first axis for the batch and refuses {data[0]} examples of shape "
                       f"{text(data[1:])}")
        else:
            reading = (f"Keras reads it as {data[0]} examples of shape {text(data[1:])}, each given a trailing "
                       "axis of 1")
        return f"missing batch axis: use `{shown}[None]` or `np.expand_dims({shown}, 0)` ({reading})"

    @staticmethod
    def advice(name: str, data: tuple[int | None, ...], expected: tuple[int | None, ...]) -> str:
        """How to reshape the data, when it holds exactly the values one example needs."""
        have, need = data[1:], expected[1:]
        if None in have or None in need or len(have) == len(need):
            return ""
        size = 1
        for d in have:
            size *= d or 0
        wanted = 1
        for d in need:
            wanted *= d or 0
        if size != wanted:
            return ""
        return f"; reshape it: `{name}.reshape(-1, {', '.join(str(d) for d in need)})`"

    @staticmethod
    def compare(data: tuple[int | None, ...], expected: tuple[int | None, ...]) -> str | None:
        adjusted = keras_adjusted_input(data, expected)
        if adjusted is None:
            if len(data) == len(expected) - 1 and not any(differs(a, b) for a, b in zip(data[1:], expected[1:-1],
                                                                                         strict=False)):
                axis = "channel" if len(expected) >= 3 else "last"
                if expected[-1] is None:  # a model built from the data: any size there, but the axis must exist
                    return (f"it has no {axis} axis, and the model needs rank {len(expected)}: add one "
                            "(`[..., None]` for a single channel)")
                return f"it has no {axis} axis of size {expected[-1]}; Keras adds only a missing axis of size 1"
            return f"Keras cannot feed a rank-{len(data)} array to a rank-{len(expected)} input"
        axes = mismatched_axes(adjusted, expected)
        if not axes:
            return None
        shown = ", ".join(f"axis {i} is {adjusted[i]}, not {expected[i]}" for i in axes)
        return f"{shown} (per example)"


def _has_operator(expression: str) -> bool:
    """Whether the expression's text has an operator outside brackets (`a + b`): it needs parentheses
    before a subscript."""
    depth = 0
    for char in expression:
        depth += char in "([{"
        depth -= char in ")]}"
        if depth == 0 and char in " +-*/%@<>=&|^~":
            return True
    return False


# Layers whose `data_format` says where the channels are.
SPATIAL = frozenset({"conv", "depthwise_conv", "conv_transpose", "pool"})


def channels_first_input(feed: Feed, index: int, data: Ints, expected: Ints) -> tuple[Node, Node] | None:
    """(the input node, the layer that reads it) when the model's input `expected` is `(None, C, H, W)`
    for channels-last image data `(n, H, W, C)` (C of 1, 3 or 4, smaller than H and W), and the first
    layer after the input that has a `data_format` reads channels last by its own argument or Keras's
    default image data format."""
    if len(data) != 4 or len(expected) != 4 or index >= len(feed.inputs) or None in data[1:]:
        return None
    height, width, channels = data[1:]
    if expected[1:] != (channels, height, width) or channels not in (1, 3, 4):
        return None
    if channels is None or height is None or width is None or channels >= min(height, width):
        return None
    graph = feed.graph
    start = graph.nodes[feed.inputs[index]]
    current = start.id
    while True:
        users = [n for n in graph.nodes[current + 1:] if current in n.inputs]
        if len(users) != 1:
            return None
        user = users[0]
        if user.op in SPATIAL:
            if user.attrs.get("data_format", "channels_last") != "channels_last":
                return None
            return start, user
        if user.op != "identity":
            return None
        current = user.id
