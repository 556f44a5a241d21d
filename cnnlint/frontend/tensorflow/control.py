"""TensorFlow's control flow on tensors: `tf.cond(pred, true_fn, false_fn)` runs one of two
functions; both are followed and their results joined (one shape where both agree), as an `if`
on an unknown condition is; a known Python boolean predicate picks its branch."""

from __future__ import annotations

from cnnlint.frontend.library import Call
from cnnlint.frontend.python.join import Joiner, join
from cnnlint.frontend.python.values import UNKNOWN, Const, Value
from cnnlint.frontend.tensorflow.registry import api

TF = "tensorflow"


@api(f"{TF}.cond", f"{TF}.compat.v1.cond", params="pred true_fn false_fn strict name fn1 fn2",
     aliases={"fn1": "true_fn", "fn2": "false_fn"})
def cond(c: Call) -> Value:
    pred, true_fn, false_fn = c.get("pred"), c.args.get("true_fn"), c.args.get("false_fn")
    if true_fn is None or false_fn is None:
        return UNKNOWN
    interp = c.interp
    if isinstance(pred, Const) and isinstance(pred.value, bool):
        return interp.call(true_fn if pred.value else false_fn, [], {})
    a = interp.call(true_fn, [], {})
    b = interp.call(false_fn, [], {})
    return join(a, b, Joiner(interp, c.site, interp.graph))
