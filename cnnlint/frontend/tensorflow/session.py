"""TF1 sessions: `sess.run(..., feed_dict={x: batch_x})`, `t.eval(feed_dict=...)`: each
placeholder fed is an `ir.Feed` (CNN014)."""

from __future__ import annotations

import libcst as cst

from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import ObjectKeyedDictV
from cnnlint.frontend.tensor import TensorV
from cnnlint.ir import Feed


def feed_dict(interp: Evaluator, feed: ObjectKeyedDictV, site: cst.Call) -> None:
    """`sess.run(..., feed_dict={x: batch_x})`, `t.eval(feed_dict=...)`, `op.run(feed_dict=...)`."""
    for key, value, text in feed.entries:
        if not isinstance(key, TensorV) or not isinstance(value, TensorV):
            continue
        placeholder = interp.graph.nodes[key.node]
        if placeholder.op != "input" or placeholder.attrs.get("kind") != "placeholder":
            continue
        name = interp.graph.describe(key.node)
        interp.ir.feeds.append(Feed("feed_dict", interp.loc(site), interp.graph, f"placeholder {name}",
                                    (placeholder.shape,), (value.node,), (text,), keras=False))
