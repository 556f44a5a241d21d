"""CNN001 flatten-size-mismatch."""

from __future__ import annotations

from cnnlint.ir import Graph, Node
from cnnlint.rules.base import ProblemRule, came_from, dim_text, operand, shape_text, volume_text
from cnnlint.shapes import Problem
from cnnlint.shapes.registry import FLATTEN_SIZE


def target_text(target: tuple[object, ...]) -> str:
    return "[" + ", ".join(dim_text(t) for t in target) + "]"  # type: ignore[arg-type]


class FlattenSizeMismatch(ProblemRule):
    """
    ## What it does
    Checks that a feature map flattened with `reshape(x, [-1, N])` (or `[batch, N]`) has
    exactly `N` values per example.

    ## Why is this bad?
    The flatten size must be the product of the last feature map's height, width and channels,
    which depend on every convolution's and pooling's padding and stride. A wrong `N` either
    fails at run time or, when `N` happens to divide the total, silently mixes pixels of
    different examples into one row: the network trains on garbage. A 28x28 image through two
    `SAME` conv + 2x2 pool stages is 7x7x64 = 3136 values, not 4x4x64.

    ## Example
    ```python
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    w1 = tf.Variable(tf.zeros([5, 5, 1, 32]))
    conv1 = tf.nn.max_pool(tf.nn.conv2d(x, w1, [1, 1, 1, 1], "SAME"), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    flat = tf.reshape(conv1, [-1, 7 * 7 * 32])  # conv1 is 14x14x32
    ```

    ## Use instead
    ```python
    flat = tf.reshape(conv1, [-1, 14 * 14 * 32])
    ```

    ## References
    - [tf.reshape](https://www.tensorflow.org/api_docs/python/tf/reshape)
    - [CS231n: spatial arrangement of conv layers](https://cs231n.github.io/convolutional-networks/#conv)
    """

    code = "CNN001"
    name = "flatten-size-mismatch"
    summary = "a feature map is flattened to [-1, N] or [batch, N] with N different from its values per example"
    kinds = (FLATTEN_SIZE,)
    VALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
        "w = tf.Variable(tf.random_normal([5, 5, 1, 32]))\n"
        "h = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')\n"
        "h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')\n"
        "flat = tf.reshape(h, [-1, 14 * 14 * 32])\n",
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 8, 8, 21])\n"
        "logits = tf.reshape(x, [-1, 21])  # pixels as rows\n",
    )
    INVALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
        "w = tf.Variable(tf.random_normal([5, 5, 1, 32]))\n"
        "h = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')\n"
        "h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')\n"
        "flat = tf.reshape(h, [-1, 7 * 7 * 32])\n",
    )

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        d = problem.details
        name, _ = operand(graph, node, 0)
        target = d["target"]
        features = d.get("features")
        if features is None:
            features = target[-1]
        origin = came_from(node, f"shape[{len(target) - 1}]", features)
        return (
            f"reshape to {target_text(target)} but {name} holds {volume_text(d['source'])} values per example "
            f"(shape {shape_text(d['source'])}){origin}"
        )
