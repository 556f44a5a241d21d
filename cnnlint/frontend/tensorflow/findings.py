"""What the TensorFlow plugin states besides shapes, for the rules to report: a TF1 session that
runs its variables before any initialiser (CNN206), an initialiser run again in the loop that
trains (CNN206), `tf.nn.dropout`'s rate given a keep probability (CNN207), and calls that give
weights other values than their initialisers' (CNN208)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from cnnlint.ir import FindingDetails


@dataclass(frozen=True)
class UninitialisedRun(FindingDetails):
    """`sess.run(fetches)` that runs a training op or reads a variable in a session in which no
    initialiser, restore or unknown code can have run first. `what`: the fetches as written;
    `reads`: "the training op" or the variable read (`` `w` ``); `session`: the session's text."""

    kind: ClassVar[str] = "uninitialised-run"
    what: str
    reads: str
    session: str


@dataclass(frozen=True)
class InitialiserInLoop(FindingDetails):
    """An initialiser run in the body of a loop that also runs the training op, in the same
    session: the weights are reset at every pass. `initialiser`: its text; `loop`: "for epoch in
    range(10)"-like header of the loop."""

    kind: ClassVar[str] = "initialiser-in-loop"
    initialiser: str
    loop: str


@dataclass(frozen=True)
class DropoutRate(FindingDetails):
    """`tf.nn.dropout(x, r)`: `rate` its drop rate as written, `value` its value where a literal,
    `positional` whether given by position, `keep_name` whether a keep probability's name is
    passed as the rate, `tf2` whether the code certainly uses TF2's `tf.nn.dropout`."""

    kind: ClassVar[str] = "dropout-rate"
    rate: str
    value: float | None
    positional: bool
    keep_name: bool
    tf2: bool


@dataclass(frozen=True)
class WeightsGiven(FindingDetails):
    """A call that gives weights values other than their initialisers' (`model.load_weights(path)`,
    `layer.set_weights(ws)`, `saver.restore(sess, path)`, `checkpoint.restore(path)`, `w.assign(v)`):
    the initial values a rule reads may not be the ones trained (CNN208). `method`: its name."""

    kind: ClassVar[str] = "weights-given"
    method: str
