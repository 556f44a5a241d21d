"""Agreement figures of the differential suites, per suite and per oracle (Keras 3, tf-keras).

    python benchmarks/differential.py                      # every suite, both oracles, many cases
    python benchmarks/differential.py --suite data --flavour tf-keras --scale 0.25 -v
    python benchmarks/differential.py --json figures.json

Each suite's generator runs with many more seeds than the tests use, in one subprocess per
(suite, oracle) (tests/differential_oracle.py): the library builds or fits each case, cnnlint
reads the same source for the matching Keras target (`--keras-version 3` / `2.21`). Printed per
suite and oracle: cases, shapes agreeing (where the suite compares shapes), findings agreeing
(cnnlint reports a finding exactly where the library raises), how many disagreements are known
Keras 2 / 3 differences, then every disagreement (`-v`: with its source). docs/differential.md
has the latest figures.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.differential_oracle import FLAVOURS, Outcome, outcomes_in  # noqa: E402

# suite -> (its outcomes function, seeds at scale 1)
SUITES: dict[str, tuple[str, int]] = {
    "keras-models": ("tests.test_differential_keras:outcomes", 2000),
    "data": ("tests.test_differential_data:outcomes", 600),
    "tf-nn": ("tests.test_differential_frontend_tf:outcomes", 600),
    "probes": ("tests.test_differential_keras:probe_outcomes", 0),  # Keras 2 / 3 differences to look for
    "losses": ("tests.test_tf_losses:outcomes", 0),  # fixed cases: seeds unused
    "handwritten": ("tests.test_keras_handwritten:outcomes", 0),  # the files in tests/keras_handwritten
}


def figures(found: Sequence[Outcome]) -> tuple[int, str, int, int]:
    shaped = [o for o in found if o.shapes is not None]
    shapes = f"{sum(bool(o.shapes) for o in shaped)}/{len(shaped)}" if shaped else "-"
    return len(found), shapes, sum(o.findings for o in found), sum(bool(o.known) and not o.agrees for o in found)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--suite", action="append", choices=sorted(SUITES), help="(repeatable; default: all)")
    parser.add_argument("--flavour", action="append", choices=FLAVOURS, help="(repeatable; default: both)")
    parser.add_argument("--scale", type=float, default=1.0, help="multiply every suite's number of seeds")
    parser.add_argument("--json", metavar="PATH", help="also write every outcome as JSON")
    parser.add_argument("-v", "--verbose", action="store_true", help="print each disagreement's source")
    args = parser.parse_args(argv)
    rows: list[tuple[str, str, int, str, int, int, float]] = []
    everything: dict[str, dict[str, list[dict[str, object]]]] = {}
    listed: list[str] = []
    for suite in args.suite or list(SUITES):
        function, seeds = SUITES[suite]
        for flavour in args.flavour or list(FLAVOURS):
            start = time.monotonic()
            found = outcomes_in(flavour, function, range(max(1, int(seeds * args.scale))), child=True)
            rows.append((suite, flavour, *figures(found), time.monotonic() - start))
            everything.setdefault(suite, {})[flavour] = [o.as_dict() for o in found]
            for o in found:
                if not o.agrees:
                    known = f" [known: {o.known}]" if o.known else ""
                    listed.append(f"[{suite} / {flavour}] {o.id}: library {o.library}; cnnlint {o.cnnlint}{known}")
                    if args.verbose:
                        listed.append("    " + o.source.rstrip().replace("\n", "\n    "))
            print(f"... {suite} / {flavour}: {len(found)} cases in {rows[-1][-1]:.0f} s", file=sys.stderr)
    print(f"{'suite':<14} {'oracle':<9} {'cases':>6} {'shapes agree':>13} {'findings agree':>15} {'known':>6}")
    for suite, flavour, cases, shapes, findings, known_count, _ in rows:
        print(f"{suite:<14} {flavour:<9} {cases:>6} {shapes:>13} {f'{findings}/{cases}':>15} {known_count:>6}")
    print("(known: disagreements that are a known Keras 2 / 3 difference not yet keyed on the target)")
    print(f"\ndisagreements: {sum(not line.startswith('    ') for line in listed)}")
    print("\n".join(listed))
    if args.json:
        Path(args.json).write_text(json.dumps(everything, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
