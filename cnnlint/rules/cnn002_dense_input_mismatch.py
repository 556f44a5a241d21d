"""CNN002 dense-input-mismatch."""

from __future__ import annotations

from cnnlint.ir import Graph, Node
from cnnlint.report.render import dim_text, shape_text
from cnnlint.rules.base import ProblemRule, operand
from cnnlint.shapes import InnerDim, Problem
from cnnlint.shapes.registry import INNER_DIM


class DenseInputMismatch(ProblemRule):
    """
    ## What it does
    Checks that a fully connected weight or layer receives the number of input features it
    expects: `tf.matmul(x, W)` and `x @ W` need `x`'s last axis to equal `W`'s first, and a
    `Dense` layer with a stated input size must get that many features.

    ## Why is this bad?
    The weight matrix's first dimension is a promise about the previous layer's output. When
    the network above changes (another pooling stage, `VALID` instead of `SAME`), the promise
    breaks and the matrix product fails with an opaque "incompatible shapes" error.

    ## Example
    ```python
    flat = tf.placeholder(tf.float32, [None, 3136])
    w = tf.Variable(tf.random_normal([1024, 10]))
    logits = tf.matmul(flat, w)
    ```

    ## Use instead
    ```python
    w = tf.Variable(tf.random_normal([3136, 10]))
    ```

    ## Fix safety
    This rule has no automatic fix. Either side may be the wrong one, the features that arrive or
    the size the weight or layer states, and changing either changes the model.

    ## References
    - [tf.linalg.matmul](https://www.tensorflow.org/api_docs/python/tf/linalg/matmul)
    """

    code = "CNN002"
    name = "dense-input-mismatch"
    summary = "a fully connected weight or layer expects a different number of input features than it receives"
    kinds = (INNER_DIM,)
    VALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 3136])\n"
        "w = tf.Variable(tf.random_normal([3136, 10]))\n"
        "y = tf.matmul(x, w)\n",
    )
    INVALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 3136])\n"
        "w = tf.Variable(tf.random_normal([1024, 10]))\n"
        "y = tf.matmul(x, w)\n",
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 784])\n"
        "w = tf.Variable(tf.zeros([1024, 10]))\n"
        "y = x @ w\n",
    )

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        d = problem.details
        assert isinstance(d, InnerDim)
        name, _ = operand(graph, node, 0)
        features, expected = dim_text(d.features), dim_text(d.expected)
        if node.op == "matmul":
            weight, producer = operand(graph, node, 1)
            defined = f", line {producer.loc.line}" if producer is not None else ""
            return (
                f"{name} has {features} features per example (shape {shape_text(d.left)}) "
                f"but {weight} expects {expected} (shape {shape_text(d.right)}{defined})"
            )
        return f"{node.api} expects {expected} input features but {name} has {features} (shape {shape_text(d.left)})"
