"""CNN005 non-positive-dimension."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.frontend.keras.findings import RefusedApplicationInput
from cnnlint.ir import Graph, Loc, ModuleIR, Node
from cnnlint.report.render import dim_text, shape_text
from cnnlint.rules.base import Diagnostic, ProblemRule, axis_name, operand, same_kind_axes
from cnnlint.shapes import NonPositive, Problem
from cnnlint.shapes.problems import OutputPadding
from cnnlint.shapes.registry import NON_POSITIVE


class NonPositiveDimension(ProblemRule):
    """
    ## What it does
    Reports a convolution, pooling or cropping whose output has a spatial size of zero or
    less: its window (with dilation) is larger than the padded input. Also a transposed
    convolution whose `output_padding` is not less than its stride along some axis, which Keras
    refuses whatever the input. Also a `keras.applications` network given an `input_shape` with
    a side under its minimum (32 for most, 75 for InceptionV3, 71 for Xception), which every
    Keras refuses ("Input size must be at least 32x32").

    When the model's input shape looks channels-first (`(3, 224, 224)`: 1, 3 or 4 channels
    first, a height and width over four times that) and the failing layer reads channels last,
    the input's shape is a related location (a `note:` line): the channels were taken for the
    height, and the fix is usually there.

    ## Why is this bad?
    Each `VALID` convolution and pooling shrinks the feature map. Stack enough of them on a
    small input and a window no longer fits: TensorFlow raises "Negative dimension size" or
    "Computed output size would be negative".

    ## Example
    ```python
    x = tf.placeholder(tf.float32, [None, 4, 4, 64])
    y = tf.nn.max_pool(x, ksize=[1, 5, 5, 1], strides=[1, 1, 1, 1], padding="VALID")
    ```

    ## Use instead
    ```python
    y = tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    ```

    ## Fix safety
    This rule has no automatic fix. The input is too small for the kernels, strides and paddings
    on its path, and which of them to change is a design decision.

    ## References
    - [CS231n: conv layer output size](https://cs231n.github.io/convolutional-networks/#conv)
    """

    code = "CNN005"
    name = "non-positive-dimension"
    summary = "a conv / pool / crop makes a spatial size of zero or less"
    kinds = (NON_POSITIVE,)
    VALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 4, 4, 64])\n"
        "y = tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='VALID')\n",
    )
    INVALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 4, 4, 64])\n"
        "y = tf.nn.max_pool(x, ksize=[1, 5, 5, 1], strides=[1, 1, 1, 1], padding='VALID')\n",
        "from tensorflow import keras\n"
        "from tensorflow.keras import layers\n"
        "model = keras.Sequential([\n"
        "    keras.Input(shape=(8, 8, 3)),\n"
        "    layers.Cropping2D(((4, 4), (0, 0))),\n"
        "])\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        yield from super().check(module)
        for finding in module.findings:  # a keras.applications input Keras refuses (frontend/keras/applications.py)
            if isinstance(finding.details, RefusedApplicationInput) and finding.details.code == self.code:
                yield self.diagnostic(module, finding.loc, finding.details.message)

    def related(self, graph: Graph, node: Node, problem: Problem) -> list[tuple[Loc, str]]:
        """The model's input, when its shape looks channels-first to layers that read channels last:
        `(None, 3, 224, 224)` leaves the first spatial axis 3 pixels high."""
        path = graph.trace(node.id)
        if isinstance(problem.details, OutputPadding):
            return []  # an argument refused whatever the input
        if not path or path[0].op != "input" or path[0].shape is None or len(path[0].shape) != 4:
            return []
        start, shape = path[0], path[0].shape
        channels, height, width = (d.value for d in shape[1:])
        if node.attrs.get("data_format", "channels_last") != "channels_last" or channels not in (1, 3, 4):
            return []
        if height is None or width is None or min(height, width) <= 4 * (channels or 0):
            return []
        return [(start.spans.get("shape", start.loc),
                 f"the input shape {shape_text(shape[1:])} looks channels-first, and this model reads channels last: "
                 f"it takes the {channels} channel{'s' if channels != 1 else ''} for the height")]

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        d = problem.details
        if isinstance(d, OutputPadding):
            found = [p.details for p in node.problems if isinstance(p.details, OutputPadding)]
            where = " and ".join(axis_name(f.axis, f.spatial_rank) for f in found)
            sizes = ", ".join(f"{f.output_padding} >= {f.stride}" for f in found)
            return (f"output_padding must be less than the stride along each axis, and here it is not along the "
                    f"{where} ({sizes}): Keras refuses the layer (\"`output_padding` must be strictly less than "
                    f"`strides`\"; Keras 2: \"Stride ... must be greater than output padding\")")
        assert isinstance(d, NonPositive)
        name, producer = operand(graph, node, 0)
        where, sizes = same_kind_axes(node, problem)
        if d.op == "crop":
            return f"cropping leaves a {where} of {dim_text(d.output)} from {name} (shape {shape_text(d.shape)})"
        if d.op == "conv_transpose":
            return (
                f"a transposed {dim_text(d.kernel)}-wide window with stride {dim_text(d.stride)} and "
                f"output_padding {dim_text(d.output_padding)} gives a {where} of {dim_text(d.output)} "
                f"from {name} (shape {shape_text(d.shape)})"
            )
        kernel = dim_text(d.kernel)
        dilation = d.dilation or 1
        span = "?" if d.kernel is None else dim_text((d.kernel - 1) * dilation + 1)
        window = kernel if dilation == 1 else f"{kernel} (dilation {dilation}: spans {span})"
        shape = producer.shape if producer is not None else None
        verb = "are" if " and " in where else "is"
        return (
            f"a {window}-wide 'VALID' window does not fit the {where} of {name}, which {verb} {sizes} "
            f"(shape {shape_text(shape)}): the output would be {dim_text(d.output)} wide"
        )
