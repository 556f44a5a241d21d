"""CNN006 rank-mismatch."""

from __future__ import annotations

from cnnlint.ir import Graph, Node
from cnnlint.report.render import shape_text
from cnnlint.rules.base import ProblemRule, first_application, operand
from cnnlint.rules.heads import missing_flatten_before
from cnnlint.shapes import Problem, Rank
from cnnlint.shapes.registry import RANK


class RankMismatch(ProblemRule):
    """
    ## What it does
    Reports an op or layer that receives a tensor of the wrong rank: a 2-D convolution needs
    `(batch, height, width, channels)`, a matrix product needs at least two axes, a bias is a
    vector.

    A layer that needs rank 2 (`RepeatVector`) fed the per-position output of a `Dense` head on a
    feature map is CNN010's finding, reported at the `Dense` where the `Flatten` is missing.

    ## Why is this bad?
    A convolution after a flatten, or an MNIST batch of shape `(batch, 784)` fed straight into
    `conv2d`, fails with a rank error far from where the tensor lost its axes.

    ## Example
    ```python
    x = tf.placeholder(tf.float32, [None, 784])
    w = tf.Variable(tf.zeros([5, 5, 1, 32]))
    y = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding="SAME")
    ```

    ## Use instead
    ```python
    image = tf.reshape(x, [-1, 28, 28, 1])
    y = tf.nn.conv2d(image, w, strides=[1, 1, 1, 1], padding="SAME")
    ```

    ## Fix safety
    This rule has no automatic fix. Adding or removing an axis (a `Flatten`, a channel axis, a
    reshape) changes the model, and the right one depends on what the layer is meant to see.

    ## References
    - [tf.nn.conv2d](https://www.tensorflow.org/api_docs/python/tf/nn/conv2d)
    """

    code = "CNN006"
    name = "rank-mismatch"
    summary = "a layer or op gets a tensor of the wrong rank"
    kinds = (RANK,)
    VALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 784])\n"
        "image = tf.reshape(x, [-1, 28, 28, 1])\n"
        "w = tf.Variable(tf.zeros([5, 5, 1, 32]))\n"
        "y = tf.nn.conv2d(image, w, strides=[1, 1, 1, 1], padding='SAME')\n",
    )
    INVALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 784])\n"
        "w = tf.Variable(tf.zeros([5, 5, 1, 32]))\n"
        "y = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')\n",
    )

    def applies(self, graph: Graph, node: Node, problem: Problem) -> bool:
        return not missing_flatten_before(graph, node)  # CNN010's, at the head

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        d = problem.details
        assert isinstance(d, Rank)
        which = {"input": 0, "left": 0, "right": 1, "kernel": 1, "bias": 1}.get(d.operand, 0)
        name, _ = operand(graph, node, which)
        role = "" if d.operand in ("input", "left") else f" as its {d.operand}"
        built = ""
        if d.built:
            first = first_application(graph, node)
            where = f" (line {first.loc.line})" if first is not None else ""
            built = f"; its first call{where} built it for rank {d.expected}, and a Keras layer keeps that rank"
        return (
            f"{node.api} expects a rank-{d.expected} tensor{role} but {name} has rank {d.got} "
            f"(shape {shape_text(d.shape)}){built}"
        )
