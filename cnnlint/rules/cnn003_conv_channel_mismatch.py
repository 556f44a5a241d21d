"""CNN003 conv-channel-mismatch."""

from __future__ import annotations

from cnnlint.ir import Graph, Node
from cnnlint.report.render import dim_text, shape_text
from cnnlint.rules.base import ProblemRule, first_application, operand
from cnnlint.shapes import Channels, Problem
from cnnlint.shapes.registry import BUILT_AXIS, CHANNELS, BuiltAxis


class ConvChannelMismatch(ProblemRule):
    """
    ## What it does
    Checks that a convolution kernel's input-channel axis matches the channels of the tensor
    it is applied to. A `tf.nn.conv2d` kernel is `(height, width, in_channels, out_channels)`;
    a transposed convolution's is `(height, width, out_channels, in_channels)`.

    A Keras layer applied again keeps the channels its first call built: a convolution its
    kernel's, a normalisation layer its scale's, a `PReLU` its `alpha`'s, a depthwise, separable
    or transposed convolution its kernel's (Keras: "expected axis -1 of input shape to have
    value 3").

    ## Why is this bad?
    Kernels built by reshaping another weight (a dense matrix reused as a convolution, weights
    ported from Theano's `(out, in, h, w)` layout) easily end up with their axes in the wrong
    order. The convolution then fails, or for a grouped convolution silently means something
    else.

    ## Example
    ```python
    x = tf.placeholder(tf.float32, [None, 100, 60, 10])
    w = tf.reshape(fc_weights, [10, 20, 20, 64])  # in_channels is 20 here
    y = tf.nn.conv2d(x, w, strides=[1, 20, 20, 1], padding="VALID")
    ```

    ## Use instead
    ```python
    w = tf.reshape(fc_weights, [20, 20, 10, 64])
    ```

    ## Fix safety
    This rule has no automatic fix. The kernel, the input or an earlier layer may be the wrong
    one, and only the author knows which.

    ## References
    - [tf.nn.conv2d](https://www.tensorflow.org/api_docs/python/tf/nn/conv2d)
    """

    code = "CNN003"
    name = "conv-channel-mismatch"
    summary = "a convolution kernel's input-channel size differs from the input's channels"
    kinds = (CHANNELS, BUILT_AXIS)
    VALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 100, 60, 10])\n"
        "w = tf.Variable(tf.zeros([20, 20, 10, 64]))\n"
        "y = tf.nn.conv2d(x, w, strides=[1, 20, 20, 1], padding='VALID')\n",
    )
    INVALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 100, 60, 10])\n"
        "w = tf.Variable(tf.zeros([10, 20, 20, 64]))\n"
        "y = tf.nn.conv2d(x, w, strides=[1, 20, 20, 1], padding='VALID')\n",
    )

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        d = problem.details
        name, _ = operand(graph, node, 0)
        if isinstance(d, BuiltAxis):
            first = first_application(graph, node)
            where = f" (line {first.loc.line})" if first is not None else ""
            return (
                f"{node.api} was built by its first call{where} for a size of {d.expected} on axis {d.axis}, "
                f"but {name} has {dim_text(d.got)} there (shape {shape_text(d.shape)}); a Keras layer keeps "
                "the input sizes its first call built"
            )
        assert isinstance(d, Channels)
        if d.groups is not None:
            return (
                f"{node.api} splits channels into {d.groups} groups but {name} has {dim_text(d.got)} channels, "
                "which is not a multiple"
            )
        kernel_name, producer = operand(graph, node, 1)
        layout = "(..., out_channels, in_channels)" if d.transpose else "(..., in_channels, out_channels)"
        defined = f" (line {producer.loc.line})" if producer is not None else ""
        return (
            f"the kernel {kernel_name}{defined} has shape {shape_text(d.kernel)}, so it expects "
            f"{dim_text(d.expected)} input channels, but {name} has {dim_text(d.got)} "
            f"(shape {shape_text(d.input)}); a {node.api} kernel is {layout}"
        )
