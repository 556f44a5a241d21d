"""Recall on the realworld corpus (tests/realworld/): buggy programs found / missed per source kind.

    python benchmarks/realworld_recall.py            # from the `# missed:` headers (instant)
    python benchmarks/realworld_recall.py --check    # runs cnnlint on every buggy program instead

With --check a program counts as found when cnnlint reports every one of its `# expect:` findings.
"""

from __future__ import annotations

import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.test_realworld import ALL, findings, kind_of  # noqa: E402


def main(argv: list[str]) -> int:
    check = "--check" in argv
    found: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    misses: list[str] = []
    for program in ALL:
        if not program.buggy:
            continue
        kind = kind_of(program.case)
        hit = set(program.expected) <= set(findings(program.path)) if check else "missed" not in program.fields
        (found if hit else missed)[kind] += 1
        if not hit:
            misses.append(f"  {program.case}: {program.one('missed') or '(no # missed: line)'}")
    print(f"{'kind':<14} {'found':>5} {'missed':>6}")
    for kind in sorted(set(found) | set(missed)):
        print(f"{kind:<14} {found[kind]:>5} {missed[kind]:>6}")
    print(f"{'total':<14} {sum(found.values()):>5} {sum(missed.values()):>6}")
    if "-v" in argv:
        print("\n".join(["missed:", *misses]))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
