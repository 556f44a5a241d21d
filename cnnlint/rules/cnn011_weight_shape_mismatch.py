"""CNN011 weight-shape-mismatch."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cnnlint.frontend.keras.findings import RefusedApplicationInput
from cnnlint.ir import Graph, ModuleIR, Node
from cnnlint.report.render import dim_text, shape_text
from cnnlint.rules.base import Diagnostic, ProblemRule
from cnnlint.shapes import AttrValue, Problem, WeightShape, layer_weights
from cnnlint.shapes.dim import different, product
from cnnlint.shapes.problems import BROADCAST, PAD, SIZE
from cnnlint.shapes.registry import WEIGHT_SHAPE

KERNEL_LAYOUT = {
    "conv": "(kernel..., input channels, filters)",
    "conv_transpose": "(kernel..., filters, input channels)",
    "depthwise_conv": "(kernel..., input channels, depth multiplier)",
    "dense": "(input features, units)",
    "embedding": "(input_dim, output_dim)",
}


def _weight_names(graph: Graph, node: Node, op: str, attrs: Mapping[str, AttrValue], count: int) -> list[str] | None:
    """The names the target Keras gives the layer's weights (docs/weights.md), in `set_weights` order."""
    applied = graph.nodes[node.inputs[0]] if node.inputs and node.inputs[0] is not None else None
    found = layer_weights(op, [applied.shape if applied is not None else None], attrs)
    return [w.name for w in found] if found is not None and len(found) == count else None


def _initializer_message(d: WeightShape, filled: str, callee: str) -> str:
    """`kernel_initializer=Constant(W)` whose value no implementation the code may run fills the weight with."""
    value, weight = d.given[0], d.expected[0]
    counts, clash = "", ""
    if value is not None:
        counts = f"{dim_text(product(value))} values for {dim_text(product(weight))}"
        pairs = [(v, w) for v, w in zip(reversed(value), reversed(weight), strict=False)
                 if different(v, w) and different(v, 1) and different(w, 1)]
        clash = f" ({dim_text(pairs[0][0])} against {dim_text(pairs[0][1])})" if pairs else ""
    why = {
        (BROADCAST,): f"Keras 3 broadcasts the value to the weight's shape, and these shapes do not broadcast{clash}",
        (SIZE,): f"the initializer (`tf.constant(value, shape=...)`) needs as many values, or one: {counts}",
        (PAD,): f"the initializer takes at most as many values as the weight holds: {counts}",
        (BROADCAST, PAD): f"it does not broadcast to that shape{clash}, as Keras 3 needs, and it holds more values "
                          f"than the weight ({counts}), which Keras 2 refuses",
    }.get(tuple(d.readings), "no Keras fills it from that value")
    return (f"`{d.initializer}={callee}(...)` gives a {shape_text(value)} value, but {filled} is "
            f"{shape_text(weight)}: {why}")


class WeightShapeMismatch(ProblemRule):
    """
    ## What it does
    Reports weights handed to a Keras layer (`layer.set_weights([W, b])` or
    `Conv2D(..., weights=[W, b])`) whose shapes are not the ones the layer owns: `Conv2D`
    `(kh, kw, in, filters)`, `Conv1D` `(k, in, filters)`, `Conv2DTranspose` `(kh, kw, filters,
    in)`, `DepthwiseConv2D` `(kh, kw, in, multiplier)`, `Dense` `(in, units)`, each followed by
    its bias unless `use_bias=False`; `Embedding` `(input_dim, output_dim)`. The message names the
    weight as the target Keras names it (docs/weights.md): `kernel`, `recurrent_kernel`, `bias`,
    `embeddings` in Keras 2 and 3, `W`, `U`, `b` in Keras 1.

    Also a `Constant` initializer whose value cannot fill the weight it is given for
    (`embeddings_initializer=keras.initializers.Constant(matrix)`, `kernel_initializer=`,
    `bias_initializer=`, `depthwise_initializer=`, `pointwise_initializer=`; also
    `tf.constant_initializer(W)`, and for `tf.get_variable(name, shape, initializer=...)`):
    Keras 3 broadcasts the value to the weight's shape, tf-keras and TensorFlow 2's
    `tf.constant_initializer` need as many values (they reshape), TensorFlow 1 (Keras 2 of that
    era) at most as many (it repeats the last). Under a stated target the finding follows that
    target; when nothing states the Keras version, only a value that every one of them refuses
    (not broadcastable, and more values than the weight) is reported (docs/weights.md).

    Also a `keras.applications` network whose ImageNet weights its arguments do not fit, which
    every Keras refuses: `include_top=True` with an `input_shape` other than the network's
    default (its classifier's kernel is sized for that input), `classes` other than 1000 with
    them, an input of other than 3 channels (the first kernel is RGB).

    ## Why is this bad?
    Keras raises `ValueError` at `set_weights`, and an error when it builds a layer whose
    `Constant` value does not fit (`Incompatible shapes` in Keras 3, `TypeError: Eager execution of
    tf.constant with unsupported shape` in tf-keras). When a dense matrix is reshaped into a conv
    kernel (a fully connected layer turned convolutional) the axes are easy to get in the wrong
    order: Theano kept `(filters, in, kh, kw)`, TensorFlow keeps the channels last.

    ## Example
    ```python
    W = np.zeros((4000, 64))  # a trained Dense(64) on a flattened 20x20x10 window
    conv = layers.Conv2D(64, 20, strides=20)
    y = conv(inputs)  # inputs: (None, 100, 60, 10)
    conv.set_weights([W.reshape(64, 10, 20, 20), np.zeros(64)])
    ```

    ## Use instead
    ```python
    conv.set_weights([W.reshape(20, 20, 10, 64), np.zeros(64)])
    ```

    ## Fix safety
    This rule has no automatic fix. The weights come from elsewhere (a file, another layer), and
    how to transpose or reshape them depends on how they were laid out there.

    ## References
    - [Keras: `Layer.set_weights`](https://keras.io/api/layers/base_layer/#setweights-method)
    """

    code = "CNN011"
    name = "weight-shape-mismatch"
    summary = ("weights given to a layer (`set_weights`, `weights=`, a `Constant` initializer) do not have the shape "
               "the layer needs")
    kinds = (WEIGHT_SHAPE,)
    VALID = (
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "inputs = keras.Input(shape=(100, 60, 10))\n"
        "conv = layers.Conv2D(64, 20, strides=20)\n"
        "y = conv(inputs)\n"
        "W = np.zeros((4000, 64))\n"
        "conv.set_weights([W.reshape(20, 20, 10, 64), np.zeros(64)])\n",
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "matrix = np.zeros((10001, 100))\n"
        "model = keras.Sequential([\n"
        "    keras.Input(shape=(40,)),\n"
        "    layers.Embedding(10001, 100, embeddings_initializer=keras.initializers.Constant(matrix)),\n"
        "    layers.Dense(1, bias_initializer=keras.initializers.Constant(0.1)),\n"
        "])\n",
    )
    INVALID = (
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "inputs = keras.Input(shape=(100, 60, 10))\n"
        "conv = layers.Conv2D(64, 20, strides=20)\n"
        "y = conv(inputs)\n"
        "W = np.zeros((4000, 64))\n"
        "conv.set_weights([W.reshape(64, 10, 20, 20), np.zeros(64)])\n",
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "x = keras.Input(shape=(20,))\n"
        "y = layers.Dense(8, weights=[np.ones((8, 20)), np.zeros(8)])(x)\n",
        "import numpy as np\n"
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "matrix = np.zeros((10001, 100))  # one row per word, plus the padding row 0\n"
        "model = keras.Sequential([\n"
        "    keras.Input(shape=(40,)),\n"
        "    layers.Embedding(10000, 100, embeddings_initializer=keras.initializers.Constant(matrix)),\n"
        "])\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        yield from super().check(module)
        for finding in module.findings:  # a keras.applications input Keras refuses (frontend/keras/applications.py)
            if isinstance(finding.details, RefusedApplicationInput) and finding.details.code == self.code:
                yield self.diagnostic(module, finding.loc, finding.details.message)

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        d = problem.details
        assert isinstance(d, WeightShape)
        from cnnlint.shapes.ops.weights import INITIAL_VALUE, SET_WEIGHTS  # the node's family, imported by now

        if node.op == INITIAL_VALUE.name:
            variable = INITIAL_VALUE.parse(node.attrs)
            return _initializer_message(d, f"the variable `{variable.name}`" if variable.name else "the variable",
                                        variable.callee or "tf.constant_initializer")
        attrs = SET_WEIGHTS.parse(node.attrs)
        layer = f"`{attrs.layer_name}` ({attrs.kind})"
        if d.initializer is not None:
            return _initializer_message(d, f"the `{d.weight}` of {layer}", attrs.callee or "Constant")
        given = ", ".join(shape_text(s) for s in d.given)
        expected = ", ".join(shape_text(s) for s in d.expected)
        if d.count or d.index is None:
            return f"{len(d.given)} weight arrays given to {layer}, which holds {len(d.expected)}: [{expected}]"
        i = d.index
        names = _weight_names(graph, node, attrs.layer_op, attrs.layer_attrs, len(d.expected))
        if names is not None:
            what = f"`{names[i]}`"  # the target Keras's own name: `embeddings` (Keras 2/3), `W` (Keras 1)
        else:
            what = "kernel" if i == 0 else "bias" if i == len(d.expected) - 1 else f"weight {i}"
        # (Keras 1 `th` kernels are laid out filters first: no layout is shown for them)
        modern = names is None or names[0] in ("kernel", "embeddings") or attrs.layer_op in ("dense", "embedding")
        layout = KERNEL_LAYOUT.get(attrs.layer_op, "") if i == 0 and modern else ""
        return (
            f"{what} of shape {shape_text(d.given[i])} given to {layer}, which needs "
            f"{shape_text(d.expected[i])}{f' {layout}' if layout else ''}; given [{given}], needs [{expected}]"
        )
