"""CNN014 feed-shape-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.ir import ModuleIR
from cnnlint.rules.base import Diagnostic, Extra, Rule, trace_of
from cnnlint.rules.feeding import differs, ints, node_of, origin, text


class FeedShapeMismatch(Rule):
    """
    ## What it does
    Reports a `feed_dict` value with a known shape that does not fit its `tf.placeholder`: a
    different rank, or a different size on an axis the placeholder fixes
    (`sess.run(...)`, `tensor.eval(feed_dict=...)`, `op.run(feed_dict=...)`).

    ## Why is this bad?
    TensorFlow raises `ValueError: Cannot feed value of shape (100, 28, 28) for Tensor
    'Placeholder:0', which has shape '(?, 784)'` when the session runs, often after a long
    training loop has started.

    ## Example
    ```python
    x = tf.placeholder(tf.float32, [None, 784])
    images = np.zeros((100, 28, 28))
    sess.run(train_step, feed_dict={x: images})
    ```

    ## Use instead
    ```python
    sess.run(train_step, feed_dict={x: images.reshape(-1, 784)})
    ```

    ## Fix safety
    This rule has no automatic fix.

    ## References
    - [TensorFlow 1: feeding placeholders](https://github.com/tensorflow/docs/blob/master/site/en/r1/guide/low_level_intro.md)
    """

    code = "CNN014"
    name = "feed-shape-mismatch"
    summary = "a `feed_dict` value with a known shape does not fit its `tf.placeholder`"
    VALID = (
        "import numpy as np\nimport tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "y = tf.reduce_sum(x)\nwith tf.Session() as sess:\n"
        "    sess.run(y, feed_dict={x: np.zeros((100, 784))})\n",
    )
    INVALID = (
        "import numpy as np\nimport tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 784])\n"
        "y = tf.reduce_sum(x)\nwith tf.Session() as sess:\n"
        "    sess.run(y, feed_dict={x: np.zeros((100, 28, 28))})\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for feed_index, feed in enumerate(module.feeds):
            if feed.kind != "feed_dict":
                continue
            node = node_of(feed, feed.data[0])
            expected, data = ints(feed.expected[0]), ints(node.shape if node else None)
            if node is None or expected is None or data is None:
                continue
            if len(data) != len(expected):
                problem = f"rank {len(data)}, not {len(expected)}"
            else:
                axes = [i for i in range(len(data)) if differs(data[i], expected[i])]
                if not axes:
                    continue
                problem = ", ".join(f"axis {i} is {data[i]}, not {expected[i]}" for i in axes)
            shown = "(" + ", ".join("?" if d is None else str(d) for d in expected) + ")"
            message = (f"`{feed.data_text[0]}`{origin(feed, node)} is {text(data)} but {feed.target} has shape "
                       f"{shown}: {problem}; TensorFlow refuses to feed it")
            yield self.diagnostic(module, feed.loc, message, trace_of(feed.graph, node), Extra(feed=feed_index))
