"""cnnlint on the real TensorFlow bugs of the ISSTA 2018 study (ForeverZyh/TensorFlow-Program-Bugs).

    python benchmarks/issta2018.py /work/isstabugs              # the labelled bugs
    python benchmarks/issta2018.py /work/isstabugs --shapes     # and `cnnlint shapes` of each miss
    python benchmarks/issta2018.py /work/isstabugs --json out.json

The checkout holds `StackOverflow/<cause>-<n>/<question>-buggy|-fix` (one program each) and
`Github/<cause>-<n>/<project>-buggy|-fix` (a project each). Our labels, never their code, are in
`benchmarks/issta2018_labels.tsv`: bug folder, scope, expected rule(s), file, line(s), reason. Only
`shape` rows count for recall; the other rows (shape-related bugs outside what the rules can see)
are still checked, so their fixed programs count for false positives.

For each bug the script checks the `.py`/`.ipynb` files that differ between the buggy and the fixed
folder, and the labelled file (`--whole`: every file of both folders; slow for the Github
projects), with one `python -m cnnlint check --format json --no-cache --exit-zero` run of the
interpreter and environment it was started with (so `PYTHONPATH=/tmp/base` measures another
checkout), from an empty folder. A run that fails or times out is redone file by file, so one file
cnnlint cannot read is named and does not stop the others.

A fault is found when the buggy file has a finding of an expected code at a labelled line; the same
code elsewhere in the bug is shown as `elsewhere`. Every finding on a fixed program, and every
finding on a buggy program that is not the labelled fault, is listed as a possible false positive;
`CNN000` (a file that does not parse, Python 2 code) is listed apart.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

LABELS = Path(__file__).with_name("issta2018_labels.tsv")
SUFFIXES = (".py", ".ipynb")
IN_SCOPE = "shape"
SIDES = ("buggy", "fix")
Records = tuple[list[dict[str, Any]], list[dict[str, Any]]]  # (diagnostics, errors) of cnnlint's JSON
SHAPES_LINES = 60  # of `cnnlint shapes` per missed fault


@dataclass(frozen=True)
class Label:
    bug: str
    scope: str
    expected: tuple[str, ...]
    file: str
    lines: tuple[int, ...]
    reason: str


@dataclass(frozen=True)
class Finding:
    bug: str
    side: str  # buggy | fix
    path: str  # relative to the side's folder
    line: int
    code: str
    message: str


@dataclass
class Outcome:
    label: Label
    buggy: list[Finding]
    fix: list[Finding]
    verdict: str  # found | elsewhere | missed | n/a | error: ...


def read_labels(path: Path) -> list[Label]:
    labels = []
    for raw in path.read_text(encoding="utf-8").splitlines():
        if not raw.strip() or raw.startswith("#") or raw.startswith("bug\t"):
            continue
        cells = raw.split("\t")
        if len(cells) != 6:
            raise SystemExit(f"{path}: expected 6 tab-separated cells: {raw!r}")
        bug, scope, expected, file, lines, reason = cells
        codes = () if expected == "-" else tuple(expected.split("|"))
        labels.append(Label(bug, scope, codes, file, tuple(int(n) for n in lines.split(",")), reason))
    return labels


def side_folders(checkout: Path, bug: str) -> dict[str, Path] | str:
    """The bug's `*-buggy` and `*-fix` folders, or why there are none."""
    where = checkout / bug
    if not where.is_dir():
        return f"no folder {where}"
    found: dict[str, Path] = {}
    for side in SIDES:
        matches = sorted(p for p in where.iterdir() if p.is_dir() and p.name.endswith(f"-{side}"))
        if len(matches) != 1:
            return f"{len(matches)} folders *-{side} in {where}"
        found[side] = matches[0]
    return found


def sources(folder: Path) -> dict[str, Path]:
    return {p.relative_to(folder).as_posix(): p for p in folder.rglob("*")
            if p.suffix in SUFFIXES and p.is_file()}


def program_files(folders: dict[str, Path], label: Label, whole: bool) -> list[tuple[str, str]]:
    """(side, relative path) of the files to check: those that differ, and the labelled file."""
    files = {side: sources(folder) for side, folder in folders.items()}
    chosen: set[tuple[str, str]] = set()
    for rel in set(files["buggy"]) | set(files["fix"]):
        a, b = files["buggy"].get(rel), files["fix"].get(rel)
        if whole or a is None or b is None or a.read_bytes() != b.read_bytes():
            chosen.update((side, rel) for side in SIDES if rel in files[side])
    chosen.update((side, label.file) for side in SIDES if label.file in files[side])
    return sorted(chosen)


def cnnlint_json(paths: Sequence[Path], jobs: int, timeout: float, cwd: str) -> Records | str:
    """(diagnostics, errors) of one `cnnlint check` run, or why it gave none."""
    command = [sys.executable, "-m", "cnnlint", "check", "--format", "json", "--no-cache", "--exit-zero",
               "--jobs", str(jobs), *map(str, paths)]
    try:
        done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=timeout, env=os.environ)
    except subprocess.TimeoutExpired:
        return f"timed out after {timeout:.0f} s"
    try:
        report = json.loads(done.stdout)
        return list(report["diagnostics"]), list(report.get("errors", []))
    except (ValueError, KeyError, TypeError):
        tail = (done.stderr.strip().splitlines() or ["no output"])[-1]
        return f"exit {done.returncode}: {tail}"


def run_all(paths: list[Path], jobs: int, timeout: float, file_timeout: float) -> tuple[Records, int]:
    """Every diagnostic and error over `paths`, and how many files cnnlint failed on; a failed run is
    redone file by file."""
    with tempfile.TemporaryDirectory(prefix="issta2018-") as cwd:  # nothing of the corpus on sys.path
        result = cnnlint_json(paths, jobs, timeout, cwd) if paths else ([], [])
        if not isinstance(result, str):
            return result, 0
        print(f"cnnlint over all {len(paths)} files: {result}; checking them one by one", file=sys.stderr)
        diagnostics: list[dict[str, Any]] = []
        errors: list[dict[str, Any]] = []
        failed = 0
        for path in paths:
            one = cnnlint_json([path], 1, file_timeout, cwd)
            if isinstance(one, str):
                errors.append({"path": str(path), "message": f"cnnlint failed: {one}"})
                failed += 1
            else:
                diagnostics += one[0]
                errors += one[1]
        return (diagnostics, errors), failed


def measure(checkout: Path, labels: list[Label], whole: bool, jobs: int, timeout: float,
            file_timeout: float) -> tuple[list[Outcome], list[str], bool]:
    """The outcome of every label, the problems met, and whether cnnlint failed on every file."""
    owners: dict[Path, tuple[str, str, str]] = {}  # resolved file -> (bug, side, relative path)
    problems: list[str] = []
    bad: dict[str, str] = {}
    for label in labels:
        folders = side_folders(checkout, label.bug)
        if isinstance(folders, str):
            bad[label.bug] = folders
            problems.append(f"{label.bug}: {folders}")
            continue
        files = program_files(folders, label, whole)
        if ("buggy", label.file) not in files:
            problems.append(f"{label.bug}: labelled file {label.file} is not in {folders['buggy']}")
        for side, rel in files:
            owners[(folders[side] / rel).resolve()] = (label.bug, side, rel)
    (diagnostics, errors), failed = run_all(sorted(owners), jobs, timeout, file_timeout)
    found: dict[str, list[Finding]] = {}
    for d in diagnostics:
        owner = owners.get(Path(d["path"]).resolve())
        if owner is None:
            problems.append(f"a finding on a file not asked for: {d['path']}")
            continue
        bug, side, rel = owner
        found.setdefault(bug, []).append(Finding(bug, side, rel, int(d["line"]), d["code"], d["message"]))
    for e in errors:
        owner = owners.get(Path(str(e.get("path", ""))).resolve())
        where = f"{owner[0]} {owner[1]} {owner[2]}" if owner else str(e.get("path"))
        problems.append(f"{where}: {e.get('message')}")
        if owner and owner[1] == "buggy" and str(e.get("message", "")).startswith("cnnlint failed"):
            bad.setdefault(owner[0], f"cnnlint failed on {owner[2]}")
    outcomes = []
    for label in labels:
        mine = sorted(found.get(label.bug, []), key=lambda f: (f.side, f.path, f.line, f.code))
        buggy = [f for f in mine if f.side == "buggy"]
        fix = [f for f in mine if f.side == "fix"]
        outcomes.append(Outcome(label, buggy, fix, verdict(label, buggy, bad.get(label.bug))))
    return outcomes, problems, bool(owners) and failed == len(owners)


def is_fault(label: Label, f: Finding) -> bool:
    return f.side == "buggy" and f.path == label.file and f.code in label.expected and f.line in label.lines


def verdict(label: Label, buggy: Iterable[Finding], problem: str | None) -> str:
    if problem:
        return f"error: {problem}"
    if label.scope != IN_SCOPE:
        return "n/a"
    buggy = list(buggy)
    if any(is_fault(label, f) for f in buggy):
        return "found"
    return "elsewhere" if any(f.code in label.expected for f in buggy) else "missed"


def show(f: Finding) -> str:
    return f"{f.bug} [{f.side}] {f.path}:{f.line} {f.code} {f.message}"


def codes(findings: Iterable[Finding]) -> str:
    return ",".join(f"{f.code}@{f.line}" for f in findings if f.code != "CNN000") or "-"


def report(outcomes: list[Outcome], problems: list[str]) -> None:
    print(f"{'bug':<24} {'scope':<10} {'expected':<14} {'line':<12} {'buggy':<22} {'fix':<14} verdict")
    for o in outcomes:
        lab = o.label
        print(f"{lab.bug:<24} {lab.scope:<10} {'|'.join(lab.expected) or '-':<14} "
              f"{','.join(map(str, lab.lines)):<12} {codes(o.buggy):<22} {codes(o.fix):<14} {o.verdict}")
    shape = [o for o in outcomes if o.label.scope == IN_SCOPE]
    hits = sum(o.verdict == "found" for o in shape)
    print(f"\nshape faults found: {hits} / {len(shape)}"
          + (f" (recall {hits / len(shape):.0%})" if shape else ""))
    for name in ("elsewhere", "missed"):
        which = [o.label.bug for o in shape if o.verdict == name]
        if which:
            print(f"  {name} ({len(which)}): {' '.join(which)}")
    on_fix = [f for o in outcomes for f in o.fix if f.code != "CNN000"]
    print(f"\nfindings on fixed programs (possible false positives): {len(on_fix)}")
    for f in on_fix:
        print(f"  {show(f)}")
    other = [f for o in outcomes for f in o.buggy if f.code != "CNN000" and not is_fault(o.label, f)]
    print(f"\nfindings on buggy programs that are not the labelled fault: {len(other)}")
    for f in other:
        print(f"  {show(f)}")
    unparsed = [f for o in outcomes for f in o.buggy + o.fix if f.code == "CNN000"]
    if unparsed:
        print(f"\nfiles that do not parse (CNN000): {len(unparsed)}")
        for f in unparsed:
            print(f"  {show(f)}")
    if problems:
        print(f"\nerrors: {len(problems)}")
        for p in problems:
            print(f"  {p}")


def shapes_of_misses(checkout: Path, outcomes: list[Outcome], timeout: float) -> None:
    for o in outcomes:
        if o.label.scope != IN_SCOPE or o.verdict == "found":
            continue
        folders = side_folders(checkout, o.label.bug)
        if isinstance(folders, str):
            continue
        path = folders["buggy"] / o.label.file
        print(f"\n=== {o.label.bug} ({o.verdict}): {o.label.reason}\n$ cnnlint shapes {path}")
        with tempfile.TemporaryDirectory(prefix="issta2018-") as cwd:
            try:
                done = subprocess.run([sys.executable, "-m", "cnnlint", "shapes", str(path)], cwd=cwd,
                                      capture_output=True, text=True, timeout=timeout, env=os.environ)
                lines = (done.stdout.rstrip() or done.stderr.strip()[-2000:]).splitlines()
                print("\n".join(lines[:SHAPES_LINES]))
                if len(lines) > SHAPES_LINES:
                    print(f"... {len(lines) - SHAPES_LINES} more lines")
            except subprocess.TimeoutExpired:
                print(f"timed out after {timeout:.0f} s")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("checkout", type=Path, help="a work tree of ForeverZyh/TensorFlow-Program-Bugs")
    parser.add_argument("--labels", type=Path, default=LABELS)
    parser.add_argument("--whole", action="store_true",
                        help="check every file of both folders, not only those that differ")
    parser.add_argument("--shapes", action="store_true",
                        help="print `cnnlint shapes` of each labelled file whose fault is missed")
    parser.add_argument("--json", type=Path, help="also write the outcomes here")
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=600, help="seconds for the run over all files")
    parser.add_argument("--file-timeout", type=float, default=120, help="seconds per file when redone one by one")
    args = parser.parse_args(argv)
    labels = read_labels(args.labels)
    outcomes, problems, broken = measure(args.checkout, labels, args.whole, args.jobs, args.timeout, args.file_timeout)
    report(outcomes, problems)
    if args.shapes:
        shapes_of_misses(args.checkout, outcomes, args.file_timeout)
    if args.json:
        args.json.write_text(json.dumps([asdict(o) for o in outcomes], indent=1) + "\n", encoding="utf-8")
    if broken:
        print("cnnlint failed on every file: no measurement", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
