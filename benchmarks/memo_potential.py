"""How much would memoising a helper's analysis per abstract argument signature save? (issue 17)

    python benchmarks/memo_potential.py DIR [DIR ...] [--top N]

Checks every `.py` file under each DIR in this process (the rules cnnlint selects by default, no
cache) and counts the interpreter's steps (`Evaluator.tick`) of each call of a user's function.
A call is "repeated" when an earlier call in the same file ran the same function with the same
abstract arguments: each tensor by its shape, each constant by its value, tuples and lists item
by item, anything else by identity. The steps of repeated calls (outermost ones only: a repeated
call's own calls are inside its count) are what a memo that replays a call's effects, instead of
interpreting its body again, could save at most. It prints the files that would save the most,
and the share of all steps.

It measures, it changes nothing: the counts come from wrapping `Evaluator._call_function` in this
process only. A file whose repeated calls touch anything outside their result (layers added to a
model, lists appended, findings, layer names numbered by Keras) could not be replayed as a copy,
so the share is an upper bound (docs/performance.md, "Memoising helpers").
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

os.environ.setdefault("CNNLINT_NO_CACHE", "1")

from cnnlint.frontend.python import evaluator, interpreter
from cnnlint.frontend.python.values import Const, SeqV, Value
from cnnlint.frontend.tensor import TensorV
from cnnlint.rules import select_rules
from cnnlint.runner import check_file


def signature(value: Value, interp: Any, depth: int = 0) -> object:
    """A value as a memo would key it."""
    if isinstance(value, TensorV):
        nodes = interp.graph.nodes
        return ("tensor", repr(nodes[value.node].shape) if value.node < len(nodes) else None)
    if isinstance(value, Const):
        return ("const", repr(value.value))
    if isinstance(value, SeqV) and depth < 3:
        return ("seq", value.is_tuple, tuple(signature(item, interp, depth + 1) for item in value.items))
    return ("object", type(value).__name__, id(value))


class Recorder:
    """The calls of one file: (key, first step, last step), in the order they began."""

    def __init__(self) -> None:
        self.calls: list[list[Any]] = []
        self.steps = 0

    def install(self) -> None:
        original_call = evaluator.Evaluator._call_function
        original_run = interpreter.Interpreter.run
        recorder = self

        def call(self: Any, func: Any, args: Any, kwargs: Any, partial: bool, site: Any = None) -> Value:
            key = (id(func.node), tuple(signature(a, self) for a in args),
                   tuple(sorted((k, signature(v, self)) for k, v in kwargs.items())))
            record = [key, self.total_steps, None]
            recorder.calls.append(record)
            try:
                return original_call(self, func, args, kwargs, partial, site)
            finally:
                record[2] = self.total_steps

        def run(self: Any) -> Any:
            try:
                return original_run(self)
            finally:
                recorder.steps += self.total_steps

        evaluator.Evaluator._call_function = call  # type: ignore[method-assign]
        interpreter.Interpreter.run = run  # type: ignore[method-assign]

    def repeated_steps(self) -> int:
        seen: set[object] = set()
        saved, inside_until = 0, -1
        for key, start, end in self.calls:
            if start < inside_until or end is None:
                continue
            if key in seen:
                saved += end - start
                inside_until = end
            seen.add(key)
        return saved


def files_under(directories: list[str]) -> Iterator[Path]:
    for directory in directories:
        yield from sorted(Path(directory).rglob("*.py"))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("directories", nargs="+")
    parser.add_argument("--top", type=int, default=12)
    args = parser.parse_args(argv)
    recorder = Recorder()
    recorder.install()
    rules = select_rules()
    rows: list[tuple[int, int, str]] = []
    for path in files_under(args.directories):
        recorder.calls.clear()
        recorder.steps = 0
        check_file(str(path), rules)
        rows.append((recorder.repeated_steps(), recorder.steps, str(path)))
    total = sum(r[1] for r in rows)
    saved = sum(r[0] for r in rows)
    print(f"{len(rows)} files, {total} interpreter steps; in repeated calls: {saved} ({saved / max(total, 1):.1%})")
    print("files with the most steps in repeated calls (repeated / all):")
    for repeated, steps, name in sorted(rows, reverse=True)[: args.top]:
        print(f"  {repeated:8d} / {steps:8d}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
