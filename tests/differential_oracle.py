"""The differential suites' oracles, one Keras flavour per process, and cnnlint's matching target.

Keras 3 and tf-keras cannot both be `tf.keras` in one process, so a suite's comparison runs in
a process set up for one flavour, as tests/realworld/_run.py sets one up:

- `keras3`: TensorFlow 2.21 with Keras 3 as `tf.keras` and as `keras`; cnnlint reads the code
  for Keras 3 (`--keras-version 3`);
- `tf-keras`: `TF_USE_LEGACY_KERAS=1` (so `tf.keras` is tf-keras, late Keras 2) and the
  standalone `keras` package mapped onto `tf_keras`; cnnlint reads the code for Keras 2.21
  (`--keras-version 2.21`).

A suite exposes `outcomes(flavour, seeds) -> list[dict]` that builds each case, asks the library
in the current process and cnnlint with `options(flavour)`, and returns one `Outcome` (as a
dict) per case. `in_flavour(flavour, "tests.test_differential_data:outcomes", seeds)` runs it
in a fresh subprocess of that flavour; cnnlint itself never imports TensorFlow, so it gives the
same answer in either process.

    python -m tests.differential_oracle FLAVOUR MODULE:FUNCTION < args.json   (the child side)
"""

from __future__ import annotations

import contextlib
import importlib
import io
import json
import os
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from cnnlint.options import FrontendOptions
from cnnlint.targets import KerasTarget, KerasTargets, KerasVersion

ROOT = Path(__file__).resolve().parent.parent
FLAVOURS = ("keras3", "tf-keras")
TARGETS = {
    "keras3": KerasTargets(keras=KerasTarget(KerasVersion(3, 15), "test"),
                           tf_keras=KerasTarget(KerasVersion(3, 15), "test", in_tensorflow=True)),
    "tf-keras": KerasTargets(keras=KerasTarget(KerasVersion(2, 21), "test"),
                             tf_keras=KerasTarget(KerasVersion(2, 21), "test", in_tensorflow=True)),
}


def options(flavour: str) -> FrontendOptions:
    """cnnlint's options for code run under `flavour`: the matching Keras target."""
    return FrontendOptions(keras=TARGETS[flavour])


@dataclass
class Outcome:
    """One case of a suite under one oracle."""

    id: str
    # Whether the shapes agree (every layer's output and parameter count, or the op's result);
    # None for suites that compare verdicts only.
    shapes: bool | None
    # Whether cnnlint reports a finding exactly where the library raises.
    findings: bool
    library: str  # what the library did ("raises ValueError: ...", "(None, 4)", "trains")
    cnnlint: str  # what cnnlint said
    source: str  # the program, for the list of disagreements
    # A disagreement that is a known behaviour difference between Keras versions, not yet keyed
    # on the target by cnnlint: what it is (docs/differential.md lists each); "" otherwise.
    known: str = ""

    @property
    def agrees(self) -> bool:
        return self.findings and self.shapes is not False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def outcome(data: dict[str, Any]) -> Outcome:
    return Outcome(**data)


def current_flavour() -> str:
    """The flavour this process is (the test process: Keras 3, unless the environment says otherwise)."""
    if os.environ.get("TF_USE_LEGACY_KERAS", "").lower() in ("1", "true", "yes"):
        return "tf-keras"
    return "keras3"


def in_flavour(flavour: str, function: str, *args: Any, timeout: float = 1200) -> Any:
    """`function(flavour, *args)` (`"module:name"`, JSON in and out) in a subprocess of `flavour`."""
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "3", "CUDA_VISIBLE_DEVICES": "", "CNNLINT_NO_CACHE": "1",
           "PYTHONPATH": os.pathsep.join(p for p in (str(ROOT), os.environ.get("PYTHONPATH", "")) if p)}
    env.pop("TF_USE_LEGACY_KERAS", None)
    done = subprocess.run([sys.executable, "-m", "tests.differential_oracle", flavour, function],
                          input=json.dumps(list(args)), capture_output=True, text=True, env=env, cwd=ROOT,
                          timeout=timeout)
    lines = [line for line in done.stdout.splitlines() if line.startswith("RESULT ")]
    if done.returncode != 0 or not lines:
        raise RuntimeError(f"{function} under {flavour} failed ({done.returncode}):\n{done.stderr[-4000:]}")
    return json.loads(lines[-1][len("RESULT "):])


def outcomes_in(flavour: str, function: str, seeds: Sequence[int], child: bool = False) -> list[Outcome]:
    """A suite's outcomes under `flavour`: in this process where it is that flavour (unless `child`),
    else in a subprocess."""
    if flavour == current_flavour() and not child:
        module, name = function.split(":")
        return [outcome(o) for o in getattr(importlib.import_module(module), name)(flavour, list(seeds))]
    return [outcome(o) for o in in_flavour(flavour, function, list(seeds))]


def disagreements(found: Sequence[Outcome], known: bool = False) -> list[str]:
    """The disagreeing cases (`known`: only the known differences; else only the others),
    readable in an assertion message."""
    return [f"{o.id}: library {o.library}; cnnlint {o.cnnlint}\n{o.source}" for o in found
            if not o.agrees and bool(o.known) == known]


def _child(argv: Sequence[str]) -> int:
    flavour, function = argv
    sys.path.insert(0, str(ROOT))
    from tests.realworld._run import _set_flavour

    _set_flavour(flavour)
    import tensorflow  # noqa: F401  (before the suite: its `keras` is the flavour's)

    args = json.loads(sys.stdin.read())
    module, name = function.split(":")
    with contextlib.redirect_stdout(io.StringIO()):
        result = getattr(importlib.import_module(module), name)(flavour, *args)
    print("RESULT " + json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(_child(sys.argv[1:]))
