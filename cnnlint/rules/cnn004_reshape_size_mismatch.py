"""CNN004 reshape-size-mismatch."""

from __future__ import annotations

from cnnlint.ir import Graph, Loc, Node
from cnnlint.report.render import dim_text, shape_text
from cnnlint.rules.base import ProblemRule, operand, producer_notes
from cnnlint.rules.cnn001_flatten_size_mismatch import size_notes, target_text
from cnnlint.shapes import Problem, ReshapeSize
from cnnlint.shapes.dim import different, product
from cnnlint.shapes.problems import ReshapeUnknowns
from cnnlint.shapes.registry import RESHAPE_SIZE


class ReshapeSizeMismatch(ProblemRule):
    """
    ## What it does
    Checks that a reshape's target can hold exactly the values of its source: the same
    total, and, when the batch axis is kept as `-1`, a per-example size that neither cuts
    examples apart nor needs a fraction of one.

    Its related locations (`note:` lines) are where the reshaped tensor gets its shape (the
    layer or op that made it), when that is another line, and where a target size written as a
    variable was assigned (`side = 30` then `tf.reshape(x, [-1, side, side, 1])`).

    ## Why is this bad?
    `tf.reshape(x, [-1, 28, 28, 1])` on 780 values per example fails for most batch sizes and,
    for the few it accepts, silently shifts pixels between examples.

    ## Example
    ```python
    x = tf.placeholder(tf.float32, [None, 784])
    img = tf.reshape(x, [-1, 32, 32, 1])
    ```

    ## Use instead
    ```python
    img = tf.reshape(x, [-1, 28, 28, 1])
    ```

    ## Fix safety
    This rule has no automatic fix. A target that cannot hold the values has no single right
    replacement: which axes to keep or merge is the author's choice.

    ## References
    - [tf.reshape](https://www.tensorflow.org/api_docs/python/tf/reshape)
    """

    code = "CNN004"
    name = "reshape-size-mismatch"
    summary = "a reshape's target cannot hold exactly the source's values"
    kinds = (RESHAPE_SIZE,)
    VALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 784])\n"
        "img = tf.reshape(x, [-1, 28, 28, 1])\n",
        "import tensorflow as tf\n"
        "x = tf.zeros([6, 4])\n"
        "y = tf.reshape(x, [3, 8])\n",
    )
    INVALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 784])\n"
        "img = tf.reshape(x, [-1, 32, 32, 1])\n",
        "import tensorflow as tf\n"
        "x = tf.zeros([6, 4])\n"
        "y = tf.reshape(x, [5, 5])\n",
    )

    def related(self, graph: Graph, node: Node, problem: Problem) -> list[tuple[Loc, str]]:
        # Where the reshaped tensor gets its shape, and where a size written as a variable is computed.
        return producer_notes(graph, node, [0]) + size_notes(node)

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        d = problem.details
        assert isinstance(d, ReshapeSize)
        name, _ = operand(graph, node, 0)
        source = d.source
        target = d.target
        if isinstance(d, ReshapeUnknowns):
            shown = target_text(target[1:] if node.attrs.get("keep_batch") else target)
            return (f"reshape to {shown} has {d.unknowns} entries of -1, and only one size can be inferred: "
                    f"Keras, TensorFlow and NumPy refuse it (\"at most one unknown dimension\", \"Only one "
                    f"input size may be -1\"); write every size but one")
        totals_differ = d.total is not None and d.target_total is not None and different(d.total, d.target_total)
        if d.per_example is not None and d.features is not None and not totals_differ:
            return (
                f"reshape to {target_text(target)} needs {dim_text(d.features)} values per example but "
                f"{name} has {dim_text(d.per_example)} (shape {shape_text(source)})"
            )
        total = d.total if d.total is not None else product(source)
        return (
            f"reshape to {target_text(target)} cannot hold the {dim_text(total)} values of {name} "
            f"(shape {shape_text(source)})"
        )
