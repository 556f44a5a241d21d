"""CNN009 strided-remainder (opt-in)."""

from __future__ import annotations

from cnnlint.ir import Graph, Node
from cnnlint.report.render import dim_text
from cnnlint.rules.base import ProblemRule, operand, same_kind_axes
from cnnlint.shapes import Problem
from cnnlint.shapes import StridedRemainder as Remainder
from cnnlint.shapes.registry import STRIDED_REMAINDER


class StridedRemainder(ProblemRule):
    """
    ## What it does
    Warns when a `VALID` convolution or pooling with a stride leaves the last input rows or
    columns unused, because `(size - window) % stride != 0`. Rows that are only explicit zero
    padding (ResNet's `ZeroPadding2D(3)` before its 7x7/2 convolution) are not reported.

    ## Why is this bad?
    The ignored border is real image content that no filter ever sees. It is usually harmless
    but sometimes a sign that the input size or the stride is not what the author meant.
    This rule is opt-in (`--extend-select CNN009`).

    ## Example
    ```python
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    y = tf.nn.max_pool(x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding="VALID")
    ```

    ## Use instead
    ```python
    y = tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="VALID")
    ```

    ## Fix safety
    This rule has no automatic fix. `same` padding, another stride or a crop would each change
    the sizes of every later layer.

    ## References
    - [CS231n: constraints on strides](https://cs231n.github.io/convolutional-networks/#conv)
    """

    code = "CNN009"
    name = "strided-remainder"
    severity = "warning"
    opt_in = True
    summary = "a valid conv / pool stride leaves trailing input rows or columns unused"
    kinds = (STRIDED_REMAINDER,)
    VALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
        "y = tf.nn.max_pool(x, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='VALID')\n",
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 224, 224, 3])\n"
        "p = tf.pad(x, [[0, 0], [3, 3], [3, 3], [0, 0]])\n"
        "w = tf.Variable(tf.zeros([7, 7, 3, 64]))\n"
        "y = tf.nn.conv2d(p, w, strides=[1, 2, 2, 1], padding='VALID')\n",
    )
    INVALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
        "y = tf.nn.max_pool(x, ksize=[1, 3, 3, 1], strides=[1, 2, 2, 1], padding='VALID')\n",
    )

    def applies(self, graph: Graph, node: Node, problem: Problem) -> bool:
        d = problem.details
        assert isinstance(d, Remainder)
        leftover = d.leftover.value or 0
        padding = d.padding
        if isinstance(padding, tuple) and padding[1] >= leftover:
            return False
        _, producer = operand(graph, node, 0)
        paddings = None
        if producer is not None and producer.op == "pad":
            from cnnlint.shapes.ops.feature_map import PAD  # a pad node's family, imported by now

            paddings = PAD.parse(producer.attrs).paddings
        if paddings:
            first = node.attrs.get("data_format") == "channels_first"
            index = d.axis + (2 if first else 1)
            if index < len(paddings) and (paddings[index][1] or 0) >= leftover:
                return False
        return True

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        d = problem.details
        assert isinstance(d, Remainder)
        name, _ = operand(graph, node, 0)
        where, sizes = same_kind_axes(node, problem)
        leftover = dim_text(d.leftover)
        return (
            f"a {dim_text(d.kernel)}-wide 'VALID' window with stride {d.stride} over the {where} "
            f"({sizes}) of {name} never reads the last {leftover} position{'s' if leftover != '1' else ''} "
            f"along {'each' if ' and ' in where else 'it'}"
        )
