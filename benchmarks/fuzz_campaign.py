"""A long fuzz campaign: the properties of tests/test_fuzz.py with many more examples.

    python benchmarks/fuzz_campaign.py                      # every property, ~10-20 min on 2 cores
    python benchmarks/fuzz_campaign.py --scale 0.1          # a quick pass
    python benchmarks/fuzz_campaign.py --only tf_nn_stack --examples 5000 --seed 7

Each property runs in its own process (`--jobs` at a time) with a random seed (printed, or
`--seed`), hypothesis's example database off and `report_multiple_bugs` on. For each property it
prints the inputs it ran (shrinking included), the time, and every distinct failure; the minimal
failing example of each is saved under `--out` (default /tmp/fuzz_failures/) with its traceback.
Exit status 1 when anything failed.
"""

from __future__ import annotations

import argparse
import multiprocessing
import os
import random
import re
import sys
import time
import traceback
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Examples per property at --scale 1: about 15 minutes in all on 2 cores.
DEFAULT_EXAMPLES = {
    "mutated_fixture": 20_000,
    "fixture_with_nul": 3_000,
    "mutated_notebook": 6_000,
    "notebook_json": 10_000,
    "notebook_matches_script": 3_000,
    "keras_sequential": 12_000,
    "keras_functional": 12_000,
    "tf_nn_stack": 12_000,
    "python_values": 8_000,
    "renamed_clean_fixture": 1_500,
    "renamed_buggy_fixture": 1_500,
}


@dataclass
class Outcome:
    name: str
    seed: int
    examples: int
    inputs: int = 0
    repeats: int = 0  # inputs that failed again in a way already recorded
    seconds: float = 0.0
    failures: list[str] = field(default_factory=list)  # one summary per distinct failure


def _origin(error: BaseException) -> str:
    """Where an exception was raised (its innermost frame), which tells one bug from another; for a
    failed assertion, also its message without numbers (which property, which internal error)."""
    frames = traceback.extract_tb(error.__traceback__)
    where = f" at {Path(frames[-1].filename).name}:{frames[-1].lineno}" if frames else ""
    detail = f": {re.sub(r'[0-9]+', 'N', str(error))[:120]}" if isinstance(error, AssertionError) else ""
    return f"{type(error).__name__}{where}{detail}"


def run_property(name: str, examples: int, seed: int, out: str) -> Outcome:
    """Run one property until `examples` inputs have run. A new failure stops hypothesis, which
    shrinks it; the run then goes on with the next seed, a failure already seen counting as a pass
    (so that one frequent bug does not hide the others)."""
    from hypothesis import HealthCheck, given, settings
    from hypothesis import seed as hypothesis_seed

    from tests.test_fuzz import PROPERTIES

    prop = PROPERTIES[name]
    outcome = Outcome(name, seed, examples)
    # origin -> (the last failing input with that origin, its traceback): hypothesis replays the
    # minimal example of a failure last, so the last one kept is the minimal one.
    failing: dict[str, tuple[object, str]] = {}
    known: set[str] = set()

    def check(value: object) -> None:
        outcome.inputs += 1
        try:
            prop.check(value)
        except BaseException as error:
            origin = _origin(error)
            if origin in known:
                outcome.repeats += 1
                return
            failing[origin] = (value, traceback.format_exc())
            raise

    start = time.perf_counter()
    attempt = 0
    while outcome.inputs < examples:
        test = settings(max_examples=examples - outcome.inputs, derandomize=False, database=None, deadline=None,
                        report_multiple_bugs=True, print_blob=False,
                        suppress_health_check=list(HealthCheck))(given(prop.strategy)(check))
        try:
            hypothesis_seed(seed + 1000 * attempt)(test)()
        except BaseException:  # the failures are in `failing`
            if set(failing) <= known:
                outcome.failures.append(f"hypothesis itself failed:\n{traceback.format_exc()}")
                break
            known |= set(failing)
        else:
            break
        attempt += 1
    outcome.seconds = time.perf_counter() - start
    Path(out).mkdir(parents=True, exist_ok=True)
    for index, (origin, (value, trace)) in enumerate(sorted(failing.items(), key=lambda kv: kv[0])):
        stem = Path(out) / f"{name}-{seed}-{index}"
        try:
            Path(str(stem) + prop.suffix).write_text(prop.source(value), encoding="utf-8", errors="surrogatepass")
        except Exception as error:  # keep the repr instead
            Path(str(stem) + ".repr").write_text(f"{error}\n{value!r}", encoding="utf-8")
        Path(str(stem) + ".txt").write_text(f"{origin}\n\n{value!r}\n\n{trace}", encoding="utf-8")
        outcome.failures.append(f"{origin}  ->  {stem}{prop.suffix}")
    return outcome


def _run(job: tuple[str, int, int, str]) -> Outcome:
    return run_property(*job)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--examples", type=int, help="examples per property (default: each property's own)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply the default examples (default 1)")
    parser.add_argument("--only", nargs="+", choices=sorted(DEFAULT_EXAMPLES), help="these properties only")
    parser.add_argument("--seed", type=int, help="hypothesis seed (default: random, printed)")
    parser.add_argument("--jobs", type=int, default=min(2, os.cpu_count() or 1), help="processes (default 2)")
    parser.add_argument("--out", default="/tmp/fuzz_failures", help="where failing examples go")
    args = parser.parse_args(argv)

    os.environ.setdefault("CNNLINT_NO_CACHE", "1")
    names = args.only or list(DEFAULT_EXAMPLES)
    base_seed = args.seed if args.seed is not None else random.randrange(2**32)
    jobs = [(name, args.examples or max(1, round(DEFAULT_EXAMPLES[name] * args.scale)), base_seed + i, args.out)
            for i, name in enumerate(names)]
    jobs.sort(key=lambda job: -job[1])  # the longest first, so the processes finish together
    print(f"fuzz campaign: {len(jobs)} properties, seed {base_seed}, {args.jobs} processes, failures to {args.out}",
          flush=True)
    start = time.perf_counter()
    outcomes: list[Outcome] = []
    context = multiprocessing.get_context("fork")
    with context.Pool(args.jobs, maxtasksperchild=1) as pool:
        for outcome in pool.imap_unordered(_run, jobs):
            outcomes.append(outcome)
            status = "ok" if not outcome.failures else f"{len(outcome.failures)} FAILURE(S)"
            print(f"  {outcome.name:24} {outcome.inputs:7d} inputs ({outcome.examples} examples asked, "
                  f"seed {outcome.seed}) in {outcome.seconds:7.1f} s: {status}"
                  + (f" ({outcome.repeats} repeats of known failures)" if outcome.repeats else ""), flush=True)
            for failure in outcome.failures:
                print(f"      {failure}", flush=True)
    total = sum(o.inputs for o in outcomes)
    failed = sum(len(o.failures) for o in outcomes)
    print(f"done: {total} inputs in {time.perf_counter() - start:.0f} s wall, {failed} distinct failure(s)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
