"""Does a change keep cnnlint's output? Findings and `shapes` of two checkouts over the same code.

    python benchmarks/same_output.py OLD_CHECKOUT NEW_CHECKOUT DIR [--only FOLDER] [--save OUTDIR]
    python benchmarks/same_output.py OLD.jsonl NEW.jsonl       # two saved runs, or two sweeps
    python benchmarks/same_output.py OLD.jsonl NEW_CHECKOUT DIR   # a saved "before" against a checkout

With two checkouts (directories holding a `cnnlint` package: `git worktree add /tmp/base HEAD` for
the "before"), each unit of DIR is checked with each checkout first on PYTHONPATH:
`cnnlint check --format json --no-cache --exit-zero --jobs N .` and `cnnlint shapes --format json .`,
run in the unit's folder exactly as benchmarks/sweep.py runs them (the folder kept off sys.path).
The units are the folders of `DIR/MANIFEST.txt` (the sweep corpus, docs/sweep.md), else DIR itself
when it holds `.py`/`.ipynb` files, else each folder of DIR; `--only FOLDER` (repeatable) keeps some.

Every difference is printed: a finding only in OLD (`-`) or only in NEW (`+`), with the fields that
changed when one finding at the same place and code became another (trace, fix, related
locations, message, end position ...), errors, `files_checked`, and for `shapes` each model only in
one run or each field of a model that changed (`layers[3].output: [None, 8] -> [None, 9]`). Then
benchmarks/sweep.py's `--compare` summary of the findings. `--save OUTDIR` writes `old.jsonl` and
`new.jsonl`: sweep records (`sweep.py --summary` and `--compare` read them) plus a `reports` record
per unit with both full JSON reports, so two saved runs are compared in full later. Two plain sweep
files (`sweep.py --shapes -o ...`) are compared on what they hold: findings (place, code, severity,
message), errors, file and model counts, and the full `shapes` reports where the sweep kept them
(`RUN.shapes/FOLDER.json`). Either side may be a saved run and the other a checkout,
run on the saved run's units: the "before" is run once, each change compared against it.

Exit status: 0 identical, 1 a difference, 2 a run that failed (a time-out, a crash, no JSON).
"""

from __future__ import annotations

import argparse
import collections
import difflib
import json
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

# benchmarks/sweep.py, next to this script (already on sys.path when this runs as a script).
sys.path.insert(0, str(Path(__file__).resolve().parent))
import sweep

Records = list[dict[str, Any]]


# ---------------------------------------------------------------------------------------------
# Running one checkout


@contextmanager
def checkout_first(checkout: Path) -> Iterator[None]:
    """`checkout` first on the PYTHONPATH of every cnnlint that benchmarks/sweep.py starts."""
    before = os.environ.get("PYTHONPATH")
    os.environ["PYTHONPATH"] = os.pathsep.join([str(checkout), *([before] if before else [])])
    try:
        yield
    finally:
        if before is None:
            del os.environ["PYTHONPATH"]
        else:
            os.environ["PYTHONPATH"] = before


def cnnlint_of(checkout: Path) -> str:
    """The cnnlint package a run with `checkout` imports; refuses a checkout that is not the one used
    (an installed cnnlint ahead of it would compare a checkout with itself)."""
    with checkout_first(checkout):
        done = subprocess.run([sys.executable, "-c", "import cnnlint; print(cnnlint.__file__)"],
                              capture_output=True, text=True, cwd=tempfile.gettempdir())
    where = done.stdout.strip()
    if done.returncode != 0 or not Path(where).resolve().is_relative_to(checkout.resolve()):
        raise SystemExit(f"{checkout}: cnnlint is not imported from there ({where or done.stderr.strip()})")
    return where


def units(root: Path, only: Sequence[str]) -> list[sweep.Entry]:
    if (root / "MANIFEST.txt").is_file():
        found = sweep.read_manifest(root, None)
    elif any(p.suffix in sweep.SUFFIXES and p.is_file() for p in root.iterdir()):
        found = [sweep.Entry(".", root.name, "")]
    else:
        found = sweep.read_manifest(root, None)  # every folder of root
    chosen = [e for e in found if not only or e.folder in only or e.repo in only]
    if only and not chosen:
        raise SystemExit(f"none of {', '.join(only)} in {root}")
    return chosen


def run_checkout(checkout: Path, root: Path, entries: Sequence[sweep.Entry], jobs: int, timeout: float,
                 side: str = "") -> Records:
    """Sweep records of each unit (as benchmarks/sweep.py writes them), each followed by a `reports`
    record with the full `check` and `shapes` JSON (None for a run that failed, `failed` says why)."""
    records: Records = [{"kind": "run", "checkout": str(checkout), "cnnlint_file": cnnlint_of(checkout),
                         "corpus": str(root), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "jobs": jobs}]
    with checkout_first(checkout):
        for entry in entries:
            folder = root / entry.folder
            start = time.monotonic()
            check, why = sweep.cnnlint(sweep.check_args(jobs, ["."]), folder, timeout)
            wall = time.monotonic() - start
            start = time.monotonic()
            shapes, why_shapes = sweep.cnnlint(["shapes", "--format", "json", "."], folder, timeout)
            shapes_wall = time.monotonic() - start
            failed = {name: reason for name, report, reason in (("check", check, why), ("shapes", shapes, why_shapes))
                      if report is None}
            records += as_sweep(entry, check or {}, shapes, wall, shapes_wall, failed)
            records.append({"kind": "reports", "folder": entry.folder, "check": check, "shapes": shapes,
                            "failed": failed})
            print(f"  {side or checkout}: {entry.folder}: {len((check or {}).get('diagnostics', []))} findings, "
                  f"{len((shapes or {}).get('models', []))} models, {wall + shapes_wall:.1f} s"
                  + (f" FAILED {sorted(failed)}" if failed else ""), file=sys.stderr, flush=True)
    return records


def as_sweep(entry: sweep.Entry, check: dict[str, Any], shapes: dict[str, Any] | None, wall: float,
             shapes_wall: float, failed: dict[str, str]) -> Records:
    """The records benchmarks/sweep.py would write for this unit."""
    diagnostics, errors = check.get("diagnostics", []), check.get("errors", [])
    models, known = sweep.shape_counts(shapes) if shapes is not None else (None, None)
    counts = getattr(sweep, "cnn_counts", None)  # the CNN coverage figures, where sweep.py has them
    cnn: dict[str, int] = counts(shapes) if counts is not None and shapes is not None else {}
    records: Records = [{
        "kind": "repo", "repo": entry.repo, "folder": entry.folder, "commit": entry.commit,
        "files": check.get("files_checked", 0), "findings": len(diagnostics),
        "codes": dict(sorted(collections.Counter(d["code"] for d in diagnostics).items())),
        "errors": len(errors), "internal_errors": sum(1 for e in errors if "please report" in e.get("message", "")),
        "timed_out": [], "crashed": "; ".join(f"{k}: {v}" for k, v in sorted(failed.items())),
        "wall_s": round(wall, 2), "models": models, "models_known": known,
        "shapes_wall_s": round(shapes_wall, 2), **cnn,
    }]
    records += [{"kind": "diagnostic", "repo": entry.repo, "folder": entry.folder, "path": sweep.relative(d["path"]),
                 "cell": d.get("cell"), "line": d["line"], "column": d.get("column"), "code": d["code"],
                 "severity": d.get("severity"), "message": d["message"]} for d in diagnostics]
    records += [{"kind": "error", "repo": entry.repo, "folder": entry.folder,
                 "path": sweep.relative(e.get("path") or ""), "message": e.get("message", "")} for e in errors]
    return records


# ---------------------------------------------------------------------------------------------
# Comparing


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True)


def delta(old: Any, new: Any, where: str = "") -> list[str]:
    """Every leaf that differs between two JSON values, as `where: old -> new`."""
    if isinstance(old, dict) and isinstance(new, dict):
        found: list[str] = []
        for key in sorted(set(old) | set(new)):
            if key not in new:
                found.append(f"{where}.{key}: {canonical(old[key])} -> (absent)")
            elif key not in old:
                found.append(f"{where}.{key}: (absent) -> {canonical(new[key])}")
            else:
                found += delta(old[key], new[key], f"{where}.{key}")
        return found
    if isinstance(old, list) and isinstance(new, list):
        found = []
        if len(old) == len(new) or not all(isinstance(item, dict) for item in (*old, *new)):
            for i, (a, b) in enumerate(zip(old, new, strict=False)):
                found += delta(a, b, f"{where}[{i}]")
            found += [f"{where}[{i}]: {canonical(old[i])} -> (absent)" for i in range(len(new), len(old))]
            found += [f"{where}[{i}]: (absent) -> {canonical(new[i])}" for i in range(len(old), len(new))]
            return found
        # Records (layers) aligned as a diff aligns lines: an inserted layer is one `+`, not a change
        # of every later one.
        matcher = difflib.SequenceMatcher(None, [canonical(a) for a in old], [canonical(b) for b in new],
                                          autojunk=False)
        for tag, i1, i2, j1, j2 in matcher.get_opcodes():
            if tag == "equal":
                continue
            if i2 - i1 == j2 - j1:
                for k in range(i2 - i1):
                    found += delta(old[i1 + k], new[j1 + k], f"{where}[{i1 + k}]")
                continue
            found += [f"{where}[{i}]: {canonical(old[i])} -> (absent)" for i in range(i1, i2)]
            found += [f"{where}[{j} in NEW]: (absent) -> {canonical(new[j])}" for j in range(j1, j2)]
        return found
    return [] if canonical(old) == canonical(new) else [f"{where or '.'}: {canonical(old)} -> {canonical(new)}"]


def multiset_delta(old: Iterable[dict[str, Any]], new: Iterable[dict[str, Any]], place: Any, label: Any) -> list[str]:
    """Items only in OLD (`-`) and only in NEW (`+`); where both sides lost and gained an item at the
    same `place(item)`, the pair is shown as one change (`~`) with the fields that differ."""
    was = collections.Counter(canonical(item) for item in old)
    now = collections.Counter(canonical(item) for item in new)
    gone = [json.loads(text) for text in (was - now).elements()]
    came = [json.loads(text) for text in (now - was).elements()]
    lines: list[str] = []
    for item in gone:
        match = next((other for other in came if place(other) == place(item)), None)
        if match is None:
            lines.append(f"- {label(item)}")
            continue
        came.remove(match)
        lines.append(f"~ {label(item)}")
        lines += [f"    {line}" for line in delta(item, match)]
    lines += [f"+ {label(item)}" for item in came]
    return lines


def diff_check(folder: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    lines: list[str] = []
    if old.get("files_checked") != new.get("files_checked"):
        lines.append(f"  {folder}: files_checked {old.get('files_checked')} -> {new.get('files_checked')}")

    def where(d: dict[str, Any]) -> str:
        cell = "" if d.get("cell") is None else f"cell {d['cell']}:"
        return f"{folder}/{sweep.relative(d['path'])}:{cell}{d['line']}:{d.get('column')}: {d['code']}"

    lines += multiset_delta(old.get("diagnostics", []), new.get("diagnostics", []),
                            lambda d: (d["path"], d.get("cell"), d["line"], d["code"]),
                            lambda d: f"{where(d)} {' '.join(d['message'].split())}")
    lines += multiset_delta(old.get("errors", []), new.get("errors", []), lambda e: e.get("path"),
                            lambda e: f"error {folder}/{sweep.relative(e.get('path') or '')}: {e.get('message')}")
    rest = {k: v for k, v in old.items() if k not in ("diagnostics", "errors", "files_checked")}
    rest_new = {k: v for k, v in new.items() if k not in ("diagnostics", "errors", "files_checked")}
    lines += [f"  {folder}: check{line}" for line in delta(rest, rest_new)]
    return lines


def diff_shapes(folder: str, old: dict[str, Any], new: dict[str, Any]) -> list[str]:
    def keyed(report: dict[str, Any]) -> dict[tuple[Any, ...], dict[str, Any]]:
        seen: collections.Counter[tuple[Any, ...]] = collections.Counter()
        found = {}
        for model in report.get("models", []):
            place = (sweep.relative(str(model.get("path"))), model.get("line"), model.get("name"))
            seen[place] += 1
            found[(*place, seen[place])] = model
        return found

    before, after = keyed(old), keyed(new)
    lines: list[str] = []
    for key in sorted(set(before) | set(after), key=str):
        path, line, name, nth = key
        label = f"{folder}/{path}:{line}: model {name}" + (f" (#{nth})" if nth > 1 else "")
        if key not in after:
            lines.append(f"- shapes {label}")
        elif key not in before:
            lines.append(f"+ shapes {label}")
        else:
            changes = delta(before[key], after[key])
            if changes:
                lines.append(f"~ shapes {label}")
                lines += [f"    {change}" for change in changes]
    rest = {k: v for k, v in old.items() if k != "models"}
    rest_new = {k: v for k, v in new.items() if k != "models"}
    lines += [f"  {folder}: shapes{line}" for line in delta(rest, rest_new)]
    return lines


def compare_runs(old: Records, new: Records) -> tuple[list[str], bool]:
    """Every difference between two runs, and whether any unit failed to run. With `reports` records
    on both sides the full JSON is compared; else what sweep records hold."""
    reports_old = {r["folder"]: r for r in sweep.of_kind(old, "reports")}
    reports_new = {r["folder"]: r for r in sweep.of_kind(new, "reports")}
    lines: list[str] = []
    failed = False
    if reports_old and reports_new:
        for folder in sorted(set(reports_old) | set(reports_new)):
            a, b = reports_old.get(folder), reports_new.get(folder)
            if a is None or b is None:
                lines.append(f"  {folder}: only in {'NEW' if a is None else 'OLD'}")
                continue
            for side, record in (("OLD", a), ("NEW", b)):
                for name, why in sorted(record.get("failed", {}).items()):
                    failed = True
                    lines.append(f"! {folder}: {name} failed in {side}: {' '.join(why.split())[:300]}")
            if a["check"] is not None and b["check"] is not None:
                lines += diff_check(folder, a["check"], b["check"])
            if a["shapes"] is not None and b["shapes"] is not None:
                lines += diff_shapes(folder, a["shapes"], b["shapes"])
        return lines, failed

    def drop(record: dict[str, Any], *keys: str) -> dict[str, Any]:
        return {k: v for k, v in record.items() if k not in keys}

    lines += multiset_delta([drop(d, "repo", "kind") for d in sweep.of_kind(old, "diagnostic")],
                            [drop(d, "repo", "kind") for d in sweep.of_kind(new, "diagnostic")],
                            lambda d: (d["folder"], d["path"], d.get("cell"), d["line"], d["code"]),
                            lambda d: f"{d['folder']}/{d['path']}:{d['line']}: {d['code']} {d['message']}")
    lines += multiset_delta([drop(e, "repo", "kind") for e in sweep.of_kind(old, "error")],
                            [drop(e, "repo", "kind") for e in sweep.of_kind(new, "error")],
                            lambda e: (e["folder"], e["path"]),
                            lambda e: f"error {e['folder']}/{e['path']}: {e['message']}")
    repos_old = {r["folder"]: r for r in sweep.of_kind(old, "repo")}
    repos_new = {r["folder"]: r for r in sweep.of_kind(new, "repo")}
    for folder in sorted(set(repos_old) | set(repos_new)):
        a, b = repos_old.get(folder), repos_new.get(folder)
        if a is None or b is None:
            lines.append(f"  repo {folder}: only in {'NEW' if a is None else 'OLD'}")
            continue
        failed = failed or bool(a.get("timed_out") or a.get("crashed") or b.get("timed_out") or b.get("crashed"))
        for field in ("files", "errors", "timed_out", "crashed", "models", "models_known"):
            if a.get(field) != b.get(field):
                lines.append(f"  repo {folder}: {field} {a.get(field)} -> {b.get(field)}")
    return lines, failed


def kept_shapes(run: Path) -> dict[str, dict[str, Any]]:
    """The full `shapes` reports a `sweep.py --shapes -o RUN.jsonl` keeps in `RUN.shapes/FOLDER.json`."""
    folder = run.with_suffix(".shapes")
    if not folder.is_dir():
        return {}
    return {p.stem: json.loads(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.json"))}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("old", type=Path, help="the checkout before (or a saved run / sweep .jsonl)")
    parser.add_argument("new", type=Path, help="the checkout after (or a saved run / sweep .jsonl)")
    parser.add_argument("dir", nargs="?", type=Path, help="the code: the sweep corpus, or a folder")
    parser.add_argument("--only", action="append", default=[], metavar="FOLDER", help="only this unit (repeatable)")
    parser.add_argument("--jobs", type=int, default=2, help="cnnlint check --jobs (default 2)")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per cnnlint run (default 1200)")
    parser.add_argument("--save", type=Path, metavar="OUTDIR", help="write old.jsonl and new.jsonl here")
    args = parser.parse_args(argv)
    saved = {side: sweep.load(path) for side, path in (("OLD", args.old), ("NEW", args.new)) if path.is_file()}
    runs: dict[str, Records] = dict(saved)
    if len(saved) < 2:
        if args.dir is None:
            parser.error("DIR is required with a checkout")
        root = args.dir.resolve()
        # Against a saved run: its units, unless --only says otherwise.
        only = args.only or sorted({r["folder"] for records in saved.values() for r in sweep.of_kind(records, "repo")})
        entries = units(root, only)
        for side, path in (("OLD", args.old), ("NEW", args.new)):
            if side not in runs:
                runs[side] = run_checkout(path.resolve(), root, entries, args.jobs, args.timeout, side)
        if args.save:
            args.save.mkdir(parents=True, exist_ok=True)
            for side, records in runs.items():
                with (args.save / f"{side.lower()}.jsonl").open("w", encoding="utf-8") as sink:
                    sink.writelines(json.dumps(r) + "\n" for r in records)
    old, new = runs["OLD"], runs["NEW"]
    lines, failed = compare_runs(old, new)
    if not sweep.of_kind(old, "reports") and args.old.is_file() and args.new.is_file():
        # Two plain sweeps: their kept shapes reports, where both have them.
        shapes_old, shapes_new = kept_shapes(args.old), kept_shapes(args.new)
        for folder in sorted(set(shapes_old) & set(shapes_new)):
            lines += diff_shapes(folder, shapes_old[folder], shapes_new[folder])
    print("\n".join(lines) if lines else "no differences")
    print(sweep.compare(old, new))
    units_compared = len(sweep.of_kind(new, "repo"))
    if failed:
        print(f"{units_compared} units: a run FAILED (see `!` lines)")
        return 2
    differences = sum(1 for line in lines if not line.startswith("    "))
    print(f"{units_compared} units: " + (f"{differences} differences" if differences else "identical output"))
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
