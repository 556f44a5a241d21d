"""TF1 sessions: `sess.run(..., feed_dict={x: batch_x})`, `t.eval(feed_dict=...)`: each
placeholder fed is an `ir.Feed` (CNN014). What `sess.run(fetches)` returns: a NumPy array of each
fetched tensor's shape, in the structure of the fetches (list, tuple, dict); None for an op
(`optimizer.minimize(loss)`, `tf.global_variables_initializer()`)."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from cnnlint.frontend.library import Call
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import UNKNOWN, Const, DictV, ObjectKeyedDictV, SeqV, Value
from cnnlint.frontend.tensor import TensorV, literal_shape
from cnnlint.frontend.tensorflow.initialisation import Track, anonymous_run, new_track, session_run
from cnnlint.frontend.tensorflow.registry import METHODS, api
from cnnlint.frontend.tensorflow.specialize import specialise
from cnnlint.ir import Feed, Graph, Loc, Node
from cnnlint.shapes import Dim

TF = "tensorflow"


def feed_dict(interp: Evaluator, feed: ObjectKeyedDictV, site: cst.Call) -> None:
    """`sess.run(..., feed_dict={x: batch_x})`, `t.eval(feed_dict=...)`, `op.run(feed_dict=...)`."""
    for key, value, text in feed.entries:
        if isinstance(key, TensorV) and isinstance(value, SeqV):
            shape = literal_shape(value)  # `{y: [[0, 1], [1, 0]]}`: a Python list, fed as the array it makes
            if shape is not None:
                value = TensorV(interp.graph.add("input", text, [], {"shape": list(shape), "kind": "constant"},
                                                 interp.loc(site)).id)
        if not isinstance(key, TensorV) or not isinstance(value, TensorV):
            continue
        placeholder = interp.graph.nodes[key.node]
        what = _feedable(placeholder)
        if what is None:
            continue
        name = interp.graph.describe(key.node)
        interp.ir.feeds.append(Feed("feed_dict", interp.loc(site), interp.graph, f"{what} {name}",
                                    (placeholder.shape,), (value.node,), (text,), keras=False))


def _feedable(node: Node) -> str | None:
    """How to name a fed tensor whose static shape TensorFlow checks the fed value against, as
    cnnlint knows it exactly: a placeholder, or (TF1 feeds any tensor) a `tf.reshape` to a stated
    shape, whose static shape is that shape (`x = tf.reshape(x, [-1, 28, 28, 1])` then fed)."""
    if node.op == "input" and node.attrs.get("kind") == "placeholder":
        return "placeholder"
    target = node.attrs.get("shape") if node.op == "reshape" else None
    if isinstance(target, (list, tuple)) and target and all(
            isinstance(d, Dim) and d.value is not None and (d.value > 0 or d.value == -1) for d in target):
        return "tensor"
    return None


@dataclass(eq=False)
class OpV(Value):
    """A graph operation that computes no value: `sess.run(op)` gives None. `inputs`: the nodes
    it runs (the loss `optimizer.minimize(loss)` computes), where known."""

    name: str
    inputs: tuple[int, ...] = ()

    def mutated_by(self, method: str) -> bool:
        return False


@dataclass(eq=False)
class SessionV(Value):
    """`tf.Session()`, `tf.InteractiveSession()`, a monitored session; `track`: what it has run,
    for CNN206 (`initialisation.py`)."""

    track: Track | None = None

    def mutated_by(self, method: str) -> bool:
        return False

    def enter(self, interp: Evaluator) -> Value | None:
        return self  # `with tf.Session() as sess:`


@dataclass(eq=False)
class OptimizerV(Value):
    """A TF1 optimizer (`tf.train.AdamOptimizer(0.01)`): `minimize(loss)` is an op."""

    def mutated_by(self, method: str) -> bool:
        return False


def _loc(interp: Evaluator) -> Loc:
    site = interp.call_site
    return interp.loc(site) if site is not None else Loc(1, 1, 1, 1)


def fetched(interp: Evaluator, fetches: Value, loc: Loc, api_name: str) -> Value:
    """What running `fetches` gives: an array of each tensor's static shape (a fed placeholder's unknown
    batch axis stays unknown), in the fetches' structure; None for an op; UNKNOWN where unknown."""
    if isinstance(fetches, TensorV):
        return TensorV(interp.graph.add("identity", api_name, [fetches.node], {}, loc).id)
    if isinstance(fetches, OpV):
        return Const(None)
    if isinstance(fetches, SeqV):
        return SeqV([fetched(interp, v, loc, api_name) for v in fetches.items], fetches.is_tuple)
    if isinstance(fetches, DictV):
        return DictV({k: fetched(interp, v, loc, api_name) for k, v in fetches.items.items()})
    return UNKNOWN


def fetch_nodes(fetches: Value) -> list[int]:
    """The graph nodes a run's fetches need: tensors, and what ops run (`optimizer.minimize(loss)`),
    in any list, tuple or dict of fetches."""
    if isinstance(fetches, TensorV):
        return [fetches.node]
    if isinstance(fetches, OpV):
        return list(fetches.inputs)
    return [n for v in _leaves(fetches) if isinstance(v, (TensorV, OpV)) for n in fetch_nodes(v)]


def _specialise(interp: Evaluator, fetches: Value, args: tuple[Value, ...], kwargs: dict[str, Value]) -> None:
    """A run's `feed_dict` (by keyword, or the first argument after the fetches): the graph with
    the shapes fed (`specialize.py`)."""
    feed = kwargs.get("feed_dict", args[0] if args else None)
    if isinstance(feed, ObjectKeyedDictV):
        specialise(interp, feed, fetch_nodes(fetches), _loc(interp))


def _leaves(value: Value) -> list[Value]:
    if isinstance(value, SeqV):
        return [leaf for v in value.items for leaf in _leaves(v)]
    if isinstance(value, DictV):
        return [leaf for v in value.items.values() for leaf in _leaves(v)]
    return [value]


_GRAPH_SOURCES = ("placeholder", "variable")


def _of_tf_graph(graph: Graph, node: int, budget: int = 200) -> bool:
    """Whether a tensor is computed from a placeholder, a variable or an iterator's `get_next()` (a
    TF1 graph tensor, not a NumPy array)."""
    stack, seen = [node], set[int]()
    while stack and len(seen) < budget:
        current = graph.nodes[stack.pop()]
        if current.id in seen:
            continue
        seen.add(current.id)
        if current.api == "get_next" or current.attrs.get("kind") in _GRAPH_SOURCES:
            return True
        stack.extend(i for i in current.inputs if i is not None)
    return False


def _m_run(interp: Evaluator, sess: Value, fetches: Value = UNKNOWN, *args: Value, **kwargs: Value) -> Value:
    """`sess.run(fetches, feed_dict=...)` (the feed is recorded by the plugin's `observe_call`)."""
    if isinstance(sess, SessionV) and sess.track is not None:
        feed = kwargs.get("feed_dict", args[0] if args else None)
        fed = [k for k, _, _ in feed.entries] if isinstance(feed, ObjectKeyedDictV) else []
        session_run(interp, sess.track, fetches, interp.call_site, fed)
    _specialise(interp, fetches, args, kwargs)
    return fetched(interp, fetches, _loc(interp), "sess.run")


def unknown_run(interp: Evaluator, fetches: Value = UNKNOWN, *args: Value, **kwargs: Value) -> Value:
    """`.run(fetches)` on a value the interpreter does not know (the `sess` of `with tf.Session() as
    sess:`): a session run where some fetch is a tensor of the TF1 graph, else unknown."""
    anonymous_run(interp, fetches)
    leaves = _leaves(fetches)
    if not any(isinstance(v, TensorV) and _of_tf_graph(interp.graph, v.node) for v in leaves):
        return UNKNOWN
    _specialise(interp, fetches, args, kwargs)
    return fetched(interp, fetches, _loc(interp), "sess.run")


def _m_eval(interp: Evaluator, tensor: TensorV, *args: Value, **kwargs: Value) -> Value:
    """`t.eval()`, `t.eval(feed_dict=..., session=sess)`."""
    _specialise(interp, tensor, args, kwargs)
    return fetched(interp, tensor, _loc(interp), ".eval")


def _m_none(interp: Evaluator, value: Value, *args: Value, **kwargs: Value) -> Value:
    return Const(None)


def _m_self(interp: Evaluator, value: Value, *args: Value, **kwargs: Value) -> Value:
    return value


def _m_op_run(interp: Evaluator, op: OpV, *args: Value, **kwargs: Value) -> Value:
    """`train_op.run(feed_dict=...)`: None."""
    anonymous_run(interp, op)
    _specialise(interp, op, args, kwargs)
    return Const(None)


def _m_minimize(interp: Evaluator, value: Value, loss: Value = UNKNOWN, *args: Value, **kwargs: Value) -> Value:
    """`optimizer.minimize(loss)`: an op that computes `loss`."""
    loss = kwargs.get("loss", loss)
    return OpV("train_op", (loss.node,) if isinstance(loss, TensorV) else ())


def _m_op(interp: Evaluator, value: Value, *args: Value, **kwargs: Value) -> Value:
    return OpV("train_op")


@api(f"{TF}.Session", f"{TF}.InteractiveSession", f"{TF}.train.MonitoredTrainingSession",
     f"{TF}.train.MonitoredSession", f"{TF}.train.SingularMonitoredSession", params="")
def session(c: Call) -> Value:
    return SessionV(new_track(c.interp, c.path, c.loc()))


@api(f"{TF}.global_variables_initializer", f"{TF}.initialize_all_variables", f"{TF}.local_variables_initializer",
     f"{TF}.initialize_local_variables", f"{TF}.tables_initializer", f"{TF}.variables_initializer",
     f"{TF}.group", f"{TF}.no_op", params="")
def operation(c: Call) -> Value:
    return OpV(c.path.rsplit(".", 1)[-1])


_OPTIMIZERS = ("GradientDescentOptimizer", "AdamOptimizer", "MomentumOptimizer", "RMSPropOptimizer",
               "AdagradOptimizer", "AdadeltaOptimizer", "FtrlOptimizer", "ProximalGradientDescentOptimizer",
               "ProximalAdagradOptimizer", "AdagradDAOptimizer")


@api(*(f"{TF}.train.{name}" for name in _OPTIMIZERS), params="")
def optimizer(c: Call) -> Value:
    return OptimizerV()


METHODS[(SessionV, "run")] = _m_run
METHODS[(SessionV, "close")] = _m_none
METHODS[(SessionV, "as_default")] = _m_self
METHODS[(SessionV, "__enter__")] = _m_self
METHODS[(TensorV, "eval")] = _m_eval
METHODS[(OpV, "run")] = _m_op_run
METHODS[(OptimizerV, "minimize")] = _m_minimize
METHODS[(OptimizerV, "apply_gradients")] = _m_op
