"""CNN014 feed-shape-mismatch."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.ir import Feed, ModuleIR, Node
from cnnlint.rules.base import Diagnostic, Extra, Rule, trace_of
from cnnlint.rules.feeding import Ints, differs, ints, node_of, origin, text


class FeedShapeMismatch(Rule):
    """
    ## What it does
    Reports a `feed_dict` value with a known shape that does not fit its `tf.placeholder`: a
    different rank, or a different size on an axis the placeholder fixes
    (`sess.run(...)`, `tensor.eval(feed_dict=...)`, `op.run(feed_dict=...)`). That includes the
    batch axis: mini-batches `X[i:i + 100]` of 1050 rows fed to `tf.placeholder(tf.float32,
    [100, 784])` end with a batch of 50 rows, which TensorFlow refuses (the message gives the
    arithmetic, `1050 = 10 x 100 + 50`). A problem every batch has is reported once.

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
        # A feed in a loop is recorded once per iteration the interpreter runs (unrolled, or its
        # abstract pass and its last iteration): a problem every batch has is reported once.
        seen: set[tuple[object, ...]] = set()
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
                axes = [i for i in range(1, len(data)) if differs(data[i], expected[i])]
                if not axes and data and differs(data[0], expected[0]):
                    axes = [0]  # the batch axis, only where every other axis fits (a remainder batch)
                if not axes:
                    continue
                problem = ", ".join(f"axis {i} is {data[i]}, not {expected[i]}" for i in axes)
                if axes == [0]:
                    problem += remainder(feed, node, data, expected)
            key = (feed.loc, feed.target, feed.data_text[0], problem if not problem.startswith("axis 0") else data)
            if key in seen:
                continue
            seen.add(key)
            shown = "(" + ", ".join("None" if d is None else str(d) for d in expected) + (",)" if len(expected) == 1
                                                                                       else ")")
            message = (f"`{feed.data_text[0]}`{origin(feed, node)} is {text(data)} but {feed.target} has shape "
                       f"{shown}: {problem}; TensorFlow refuses to feed it")
            yield self.diagnostic(module, feed.loc, message, trace_of(feed.graph, node), Extra(feed=feed_index))


def remainder(feed: Feed, node: Node, data: Ints, expected: Ints) -> str:
    """Why a slice `X[i:i + bs]` fed to a placeholder of a fixed batch size `bs` is short: the
    slice runs past the end of `X` (`X` of n rows, n not a multiple of bs: its last batch), said
    with the sizes (`the last batch has 50 rows: 1050 = 10 x 100 + 50`); "" when it is not such a slice.
    The slice may be behind ops that keep its shape (`(X[i:i + bs] / 255.0).astype(...)`)."""
    for _ in range(8):
        if node.op == "index" or not node.inputs:
            break
        kept = [i for i in node.inputs if i is not None and feed.graph.nodes[i].shape == node.shape]
        if not kept:
            return ""
        node = feed.graph.nodes[kept[0]]
    key = node.attrs.get("key") if node.op == "index" and node.inputs else None
    if not isinstance(key, tuple) or not key or not isinstance(key[0], tuple) or len(key[0]) != 4:
        return ""
    kind, start, stop, step = key[0]
    source = feed.graph.nodes[node.inputs[0]] if node.inputs[0] is not None else None
    rows = ints(source.shape if source is not None else None)
    size, got = expected[0], data[0]
    if kind != "slice" or step not in (None, 1) or not rows or rows[0] is None or size is None or got is None:
        return ""
    n = rows[0]
    if not (isinstance(start, int) and isinstance(stop, int) and 0 <= start < n < stop and stop - start == size):
        return ""
    if start % size == 0 and n - start == got:
        rows_text = "1 row" if got == 1 else f"{got} rows"
        return (f" (the last batch has {rows_text}: {n} = {n // size} x {size} + {n % size}; feed a placeholder of "
                "shape [None, ...], or drop or pad the last batch)")
    return f" (the slice [{start}:{stop}] of {n} rows has {got})"
