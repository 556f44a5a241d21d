"""TF1 variables and the sessions that run them (CNN206): which runs of a `tf.Session` may find
its variables uninitialised, and which initialiser runs are repeated by the loop that trains.

A session (`SessionV`) is *checked* only when made by `tf.Session()` / `tf.InteractiveSession()`
(a monitored session initialises itself). Anything that may have initialised its variables makes
it *ready*, and a ready session is never reported: any run of an op other than the training op
(an initialiser, `tf.group(...)`, an op cnnlint does not know), any fetch cnnlint does not know
(`sess.run(init)` where `init` is unknown, `w.assign(v)`), the session passed to any call
(`saver.restore(sess, path)`, `K.set_session(sess)`, a helper), or an initialiser run without
naming the session (`init.run()` on the default session, which disables every report of the file).
The findings are made at the end of the module, and a session that any other unit of the file
(a function nobody calls, analysed on its own) runs or passes on is not reported.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import Const, DictV, SeqV, Value
from cnnlint.frontend.python.visitors import children
from cnnlint.frontend.tensor import TensorV
from cnnlint.frontend.tensorflow.findings import InitialiserInLoop, UninitialisedRun
from cnnlint.ir import Finding, Graph, Loc

CHECKED = ("Session", "InteractiveSession")
# Initialisers that reset every variable (run in a training loop: the weights are reset).
RESETTING = frozenset({"global_variables_initializer", "initialize_all_variables"})
TRAIN_OP = "train_op"
# A tensor computed through one of these is not a read of an uninitialised variable.
_WRITES = ("assign", "initial", "scatter", "load", "restore")
_LOOPS = (cst.For, cst.While)
_BARRIERS = (cst.If, cst.Try, cst.FunctionDef, cst.ClassDef, cst.Lambda, cst.Match, cst.Else)


@dataclass(eq=False)
class Track:
    """What one session has done, as the interpreter ran the program."""

    checked: bool
    unit: Graph
    made: Loc
    ready: bool = False
    elsewhere: bool = False  # run or passed on in another unit of the file
    pending: list[Finding] = field(default_factory=list)
    inits: list[tuple[cst.CSTNode, str]] = field(default_factory=list)  # (call site, initialiser text)
    trains: list[cst.CSTNode] = field(default_factory=list)


@dataclass
class SessionState:
    """Per module: every session made, and whether an initialiser ran on the default session."""

    tracks: list[Track] = field(default_factory=list)
    anonymous_init: bool = False


def new_track(interp: Evaluator, path: str, loc: Loc) -> Track:
    track = Track(path.rsplit(".", 1)[-1] in CHECKED, interp.graph, loc)
    interp.state(SessionState).tracks.append(track)
    return track


def leaves(value: Value) -> list[Value]:
    if isinstance(value, SeqV):
        return [leaf for v in value.items for leaf in leaves(v)]
    if isinstance(value, DictV):
        return [leaf for v in value.items.values() for leaf in leaves(v)]
    return [value]


def passed_on(interp: Evaluator, track: Track) -> None:
    """The session given to a call (`saver.restore(sess, path)`): it may be initialised there."""
    track.ready = True
    if interp.graph is not track.unit:
        track.elsewhere = True


def anonymous_run(interp: Evaluator, fetches: Value) -> None:
    """An op run without naming the session (`init.run()`, `tf.get_default_session().run(init)`)."""
    from cnnlint.frontend.tensorflow.session import OpV

    if any(not isinstance(v, (TensorV, Const)) and not (isinstance(v, OpV) and v.name == TRAIN_OP)
           for v in leaves(fetches)):
        interp.state(SessionState).anonymous_init = True


def session_run(interp: Evaluator, track: Track, fetches: Value, site: cst.CSTNode | None,
                fed: Sequence[Value] = ()) -> None:
    """`sess.run(fetches, feed_dict)` on a known session; `fed`: the keys of its feed."""
    from cnnlint.frontend.tensorflow.session import OpV

    if interp.graph is not track.unit:
        track.elsewhere = True
        return
    found = leaves(fetches)
    ops = [v for v in found if isinstance(v, OpV)]
    trains = [v for v in ops if v.name == TRAIN_OP]
    if site is not None and trains:
        track.trains.append(site)
    for op in ops:
        if op.name in RESETTING and site is not None and len(found) == 1:
            track.inits.append((site, interp.code(site.args[0].value) if isinstance(site, cst.Call) and
                                site.args else op.name))
    if any(not isinstance(v, (TensorV, OpV)) for v in found) or len(trains) < len(ops) or not found:
        track.ready = True  # an initialiser, or something that may be one
        return
    if track.ready or not track.checked or interp.state(SessionState).anonymous_init or site is None:
        return
    if any(not (isinstance(k, TensorV) and interp.graph.nodes[k.node].attrs.get("kind") == "placeholder")
           for k in fed):
        return  # a variable (or another tensor) fed its value: it is not read
    reads = "the training op" if trains else _variable_read(interp.graph, [v.node for v in found
                                                                           if isinstance(v, TensorV)])
    if reads is None:
        return
    assert isinstance(site, cst.Call)
    receiver = site.func.value if isinstance(site.func, cst.Attribute) else site.func
    what = interp.code(site.args[0].value) if site.args else ""
    track.pending.append(Finding(interp.loc(site), UninitialisedRun(what, reads, interp.code(receiver)),
                                 ((track.made, "the session is made here"),)))
    track.ready = True  # the first such run raises: one finding per session


def _variable_read(graph: Graph, nodes: list[int], budget: int = 400) -> str | None:
    """The variable a tensor certainly reads (None: none, or one written first: `tf.assign`)."""
    stack, seen, found = list(nodes), set[int](), None
    while stack and len(seen) < budget:
        node = graph.nodes[stack.pop()]
        if node.id in seen:
            continue
        seen.add(node.id)
        if any(word in node.api.lower() for word in _WRITES) or node.op == "initial_value":
            return None
        if node.attrs.get("kind") == "variable" and found is None:
            found = graph.describe(node.id)
        stack.extend(i for i in node.inputs if i is not None)
    return None if stack else found


def finish(interp: Evaluator) -> None:
    """The findings of the module's sessions."""
    state = interp.state(SessionState)
    parents: dict[int, cst.CSTNode] | None = None
    for track in state.tracks:
        if track.elsewhere:
            continue
        if not state.anonymous_init:
            interp.ir.findings.extend(track.pending)
        if not track.inits or not track.trains:
            continue
        parents = parents if parents is not None else _parents(interp.module)
        reported: set[int] = set()
        for site, text in track.inits:
            loop = _enclosing_loop(site, parents)
            if loop is None or id(site) in reported:
                continue
            if any(_trains_in(loop, train, parents) for train in track.trains):
                reported.add(id(site))
                header = interp.code(loop.target) if isinstance(loop, cst.For) else interp.code(loop.test)
                header = f"for {header} in {interp.code(loop.iter)}" if isinstance(loop, cst.For) else \
                    f"while {header}"
                train = next(t for t in track.trains if _trains_in(loop, t, parents))
                interp.ir.findings.append(Finding(interp.loc(site), InitialiserInLoop(text, header),
                                                  ((interp.loc(train), "the training op run in the same loop"),)))


def _parents(module: cst.Module) -> dict[int, cst.CSTNode]:
    out: dict[int, cst.CSTNode] = {}
    stack: list[cst.CSTNode] = [module]
    while stack:
        node = stack.pop()
        for child in children(node):
            out[id(child)] = node
            stack.append(child)
    return out


def _enclosing_loop(site: cst.CSTNode, parents: dict[int, cst.CSTNode]) -> cst.For | cst.While | None:
    """The loop whose body surely runs `site` at each pass (only `with` blocks in between), with no
    `break` / `return` in its body."""
    node = parents.get(id(site))
    while node is not None and not isinstance(node, _LOOPS):
        if isinstance(node, _BARRIERS):
            return None
        node = parents.get(id(node))
    if not isinstance(node, _LOOPS) or _exits(node.body):
        return None
    return node


def _exits(node: cst.CSTNode) -> bool:
    if isinstance(node, (cst.Break, cst.Return, cst.Raise)):
        return True
    if isinstance(node, (*_LOOPS, cst.FunctionDef, cst.ClassDef, cst.Lambda)):
        return False
    return any(_exits(child) for child in children(node))


def _trains_in(loop: cst.For | cst.While, train: cst.CSTNode, parents: dict[int, cst.CSTNode]) -> bool:
    """Whether the training run `train` is in `loop`'s body, in no loop nested in it, or in a
    nested one where `loop` counts epochs (`for epoch in range(n)`)."""
    epochs = isinstance(loop, cst.For) and isinstance(loop.target, cst.Name) and "epoch" in loop.target.value.lower()
    node = parents.get(id(train))
    nested = False
    while node is not None:
        if node is loop:
            return not nested or epochs
        if isinstance(node, _LOOPS):
            nested = True
        if isinstance(node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)):
            return False
        node = parents.get(id(node))
    return False
