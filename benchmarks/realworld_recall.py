"""Recall on the realworld corpus (tests/realworld/): buggy programs found / missed per source kind.

    python benchmarks/realworld_recall.py            # from the `# missed:` headers (instant)
    python benchmarks/realworld_recall.py --check    # runs cnnlint on every buggy program instead

With --check a program counts as found when cnnlint reports every one of its `# expect:` findings
(`# expect-pinned:` when read for its written-for Keras). Two columns: an unstated Keras (no pins)
and the Keras the program's `# written-for:` names, read as the project's pins.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_realworld import ALL, findings, kind_of, pinned_options  # noqa: E402


def main(argv: list[str]) -> int:
    check = "--check" in argv
    counts: dict[str, Counter[str]] = {k: Counter() for k in ("found", "missed", "found_pinned", "missed_pinned")}
    misses: list[str] = []
    for program in ALL:
        if not program.buggy:
            continue
        kind = kind_of(program.case)
        options = pinned_options(program)
        if check:
            hit = set(program.expected) <= set(findings(program.path))
            hit_pinned = set(program.expected_pinned) <= set(findings(program.path, options)) \
                if options is not None else hit
        else:
            hit, hit_pinned = not program.missed, not program.missed_pinned
        counts["found" if hit else "missed"][kind] += 1
        counts["found_pinned" if hit_pinned else "missed_pinned"][kind] += 1
        if not hit or not hit_pinned:
            which = "both" if not hit and not hit_pinned else "unstated only" if not hit else "pinned only"
            reason = program.one("missed-pinned") or program.one("missed") or program.one("missed-unstated") \
                or "(no # missed: line)"
            misses.append(f"  {program.case} ({which}): {reason}")
    print(f"{'':<14} {'unstated Keras':>15} {'written-for Keras':>18}")
    print(f"{'kind':<14} {'found':>7} {'missed':>7} {'found':>9} {'missed':>8}")
    kinds = sorted(set(counts["found"]) | set(counts["missed"]))
    for kind in kinds:
        print(f"{kind:<14} {counts['found'][kind]:>7} {counts['missed'][kind]:>7} "
              f"{counts['found_pinned'][kind]:>9} {counts['missed_pinned'][kind]:>8}")
    print(f"{'total':<14} {sum(counts['found'].values()):>7} {sum(counts['missed'].values()):>7} "
          f"{sum(counts['found_pinned'].values()):>9} {sum(counts['missed_pinned'].values()):>8}")
    if "-v" in argv:
        print("\n".join(["missed:", *misses]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
