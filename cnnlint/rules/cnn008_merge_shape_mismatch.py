"""CNN008 merge-shape-mismatch."""

from __future__ import annotations

from cnnlint.ir import Graph, Loc, Node
from cnnlint.report.render import dim_text, shape_text
from cnnlint.rules.base import ProblemRule, producer_notes
from cnnlint.rules.heads import missing_flatten_before
from cnnlint.shapes import Merge, Problem
from cnnlint.shapes.registry import MERGE


class MergeShapeMismatch(ProblemRule):
    """
    ## What it does
    Reports tensors combined element-wise (`+`, `tf.add`, `tf.nn.bias_add`, `Add`) or
    concatenated (`tf.concat`, `Concatenate`) whose shapes cannot combine: element-wise
    operands must broadcast, concatenated ones must agree on every axis but the joined one.

    A `Concatenate` that fails only because a `Dense` head on a feature map lacks its `Flatten`
    (it joins that head's per-position output with rank-2 tensors) is CNN010's, reported at the `Dense`.

    Its related locations (`note:` lines) are where each operand gets its shape (the line that
    made it), when that is another line.

    ## Why is this bad?
    In residual and multi-branch networks the branches must keep identical spatial sizes. A
    stride or a `VALID` padding in one branch only makes the merge fail.

    ## Example
    ```python
    a = tf.placeholder(tf.float32, [None, 14, 14, 64])
    b = tf.placeholder(tf.float32, [None, 7, 7, 64])
    y = tf.concat([a, b], axis=3)
    ```

    ## Use instead
    ```python
    b = tf.placeholder(tf.float32, [None, 14, 14, 64])
    y = tf.concat([a, b], axis=3)
    ```

    ## Fix safety
    This rule has no automatic fix. Making the shapes combine takes a resize, a projection or
    another axis, each a different model.

    ## References
    - [NumPy broadcasting rules](https://numpy.org/doc/stable/user/basics.broadcasting.html)
    - [tf.concat](https://www.tensorflow.org/api_docs/python/tf/concat)
    """

    code = "CNN008"
    name = "merge-shape-mismatch"
    summary = "tensors added or concatenated have shapes that cannot combine"
    kinds = (MERGE,)
    VALID = (
        "import tensorflow as tf\n"
        "a = tf.placeholder(tf.float32, [None, 14, 14, 64])\n"
        "b = tf.placeholder(tf.float32, [None, 14, 14, 32])\n"
        "y = tf.concat([a, b], axis=3)\n"
        "z = a + tf.zeros([64])\n",
    )
    INVALID = (
        "import tensorflow as tf\n"
        "a = tf.placeholder(tf.float32, [None, 14, 14, 64])\n"
        "b = tf.placeholder(tf.float32, [None, 7, 7, 64])\n"
        "y = tf.concat([a, b], axis=3)\n",
        "import tensorflow as tf\n"
        "h = tf.placeholder(tf.float32, [None, 1024])\n"
        "b = tf.Variable(tf.zeros([512]))\n"
        "y = tf.nn.bias_add(h, b)\n",
    )

    def applies(self, graph: Graph, node: Node, problem: Problem) -> bool:
        return not missing_flatten_before(graph, node)  # CNN010's, at the head

    def related(self, graph: Graph, node: Node, problem: Problem) -> list[tuple[Loc, str]]:
        return producer_notes(graph, node)  # where each operand gets its shape

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        d = problem.details
        assert isinstance(d, Merge)
        names = [graph.describe(i) for i in node.inputs]
        shapes = d.shapes
        parts = " and ".join(
            f"{names[i] if i < len(names) else 'operand'} {shape_text(s)}" for i, s in enumerate(shapes)
        )
        if d.op == "concat":
            if d.reason == "rank":
                return f"{node.api} joins tensors of different ranks: {parts}"
            return f"{node.api} joins tensors that differ on axis {d.axis}, which is not the joined axis: {parts}"
        if d.op == "bias_add" and d.axis is not None:
            channels = shapes[0][d.axis]
            return (
                f"the bias {names[1]} has {dim_text(shapes[1][0])} values but {names[0]} has {dim_text(channels)} "
                f"channels (shape {shape_text(shapes[0])})"
            )
        return f"`{d.op}` cannot broadcast {parts} (axis {d.axis})"
