"""cnnlint over a corpus of correct public CNN code: every finding is a false positive until proven otherwise.

    python benchmarks/sweep.py --assemble /work/.mirror /work/corpus   # export SOURCES from fetched git dirs
    python benchmarks/sweep.py /work/corpus -o /work/corpus/sweep.jsonl [--shapes]
    python benchmarks/sweep.py --compare /work/corpus/sweep-base.jsonl /work/corpus/sweep.jsonl

The corpus is never committed (docs/sweep.md). `--assemble MIRROR CORPUS` exports the `.py` and
`.ipynb` files of every entry of SOURCES from `MIRROR/owner+name/repo` (a bare git directory or a
clone, as the fetch tool leaves them) into `CORPUS/<folder>` and writes `CORPUS/MANIFEST.txt`
(`folder repo commit paths`, one repository a line).

A sweep runs `python -m cnnlint check --format json --no-cache --exit-zero --jobs N .` in each
repository folder (the interpreter and environment of this script, so `PYTHONPATH=/tmp/base` sweeps
another checkout), with a time limit per repository; a repository over it is checked again file by
file, each with `--file-timeout`, so that the files that hang are named and the rest still count.
`--shapes` also runs `cnnlint shapes --format json` (one process, so slower) to count the models
found and those whose every output shape is known, and the CNN figures of issue 16 (models holding a
conv or pool op, those fully shaped, conv/pool ops with a known output); each repository's shapes
report is kept in `OUTPUT.shapes/FOLDER.json`. The result is JSON Lines: one `run` record, then
per repository one `repo` record followed by its `diagnostic` and `error` records.
"""

from __future__ import annotations

import argparse
import collections
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class Source:
    """One corpus folder: `paths` of `repo` (owner/name) at `ref`; no paths means the whole repository."""

    repo: str
    ref: str = "HEAD"
    paths: tuple[str, ...] = ()
    name: str = ""  # the folder under the corpus; default owner+name, with @ref for a tag

    @property
    def folder(self) -> str:
        if self.name:
            return self.name
        base = self.repo.replace("/", "+")
        return base if self.ref == "HEAD" else f"{base}@{self.ref}"


# What the sweep checks: the repositories of earlier sweeps, then book code, tutorials, model zoos,
# GANs, detection, segmentation, style transfer and super-resolution (Keras 1 to Keras 3, TF1 and TF2).
SOURCES: tuple[Source, ...] = (
    Source("keras-team/keras", "1.2.2", ("examples",)),
    Source("keras-team/keras", "2.3.1", ("examples",)),
    Source("keras-team/keras", "HEAD", ("keras/src/applications",)),
    Source("keras-team/keras-applications"),
    Source("tensorflow/docs", "HEAD", ("site/en/tutorials",)),
    Source("aymericdamien/TensorFlow-Examples"),
    Source("ageron/handson-ml2"),
    Source("ageron/handson-ml3"),
    Source("fchollet/deep-learning-with-python-notebooks"),
    Source("fchollet/deep-learning-models"),
    Source("rasbt/python-machine-learning-book-3rd-edition"),
    Source("Hvass-Labs/TensorFlow-Tutorials"),
    Source("nlintz/TensorFlow-Tutorials"),
    Source("golbin/TensorFlow-Tutorials"),
    Source("sjchoi86/Tensorflow-101"),
    Source("dragen1860/TensorFlow-2.x-Tutorials"),
    Source("tflearn/tflearn"),
    Source("keras-team/keras-contrib"),
    Source("qubvel/segmentation_models"),
    Source("raghakot/keras-resnet"),
    Source("titu1994/DenseNet"),
    Source("titu1994/keras-squeeze-excite-network"),
    Source("titu1994/Neural-Style-Transfer"),
    Source("rcmalli/keras-vggface"),
    Source("calmisential/TensorFlow2.0_ResNet"),
    Source("tensorflow/tpu", "HEAD", ("models/official",)),
    Source("carpedm20/DCGAN-tensorflow"),
    Source("affinelayer/pix2pix-tensorflow"),
    Source("lengstrom/fast-style-transfer"),
    Source("krasserm/super-resolution"),
    Source("qqwweee/keras-yolo3"),
    Source("experiencor/keras-yolo2"),
    Source("zzh8829/yolov3-tf2"),
    Source("hunglc007/tensorflow-yolov4-tflite"),
    Source("fizyr/keras-retinanet"),
    Source("pierluigiferrari/ssd_keras"),
    Source("zhixuhao/unet"),
    Source("divamgupta/image-segmentation-keras"),
)


# ---------------------------------------------------------------------------------------------
# Assembling the corpus


def git_dir(mirror: Path, repo: str) -> Path | None:
    """The git directory the fetch tool left for `repo` under `mirror`, if any."""
    base = mirror / repo.replace("/", "+") / "repo"
    for candidate in (base / ".git", base):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    return None


def export(source: Source, git: Path, into: Path) -> tuple[str, int, list[str]]:
    """Write the .py/.ipynb files of `source` into `into`: the commit, how many files, and the files
    the snapshot lacks (the fetch tool leaves out blobs of 4 MiB and more, so `git archive` fails)."""
    base = ["git", f"--git-dir={git}"]
    commit = subprocess.run([*base, "rev-parse", f"{source.ref}^{{commit}}"],
                            check=True, capture_output=True, text=True).stdout.strip()
    listing = subprocess.run([*base, "ls-tree", "-r", "-z", commit, "--", *source.paths],
                             check=True, capture_output=True).stdout.decode("utf-8", "surrogateescape")
    wanted: list[tuple[str, str]] = []  # (blob, path); symlinks and submodules are left out
    for item in filter(None, listing.split("\0")):
        meta, path = item.split("\t", 1)
        mode, kind, blob = meta.split()
        if kind == "blob" and mode in ("100644", "100755") and path.endswith(SUFFIXES):
            wanted.append((blob, path))
    if into.exists():
        shutil.rmtree(into)
    into.mkdir(parents=True)
    missing: list[str] = []
    batch = subprocess.run([*base, "cat-file", "--batch"], input="".join(f"{b}\n" for b, _ in wanted).encode(),
                           check=True, capture_output=True).stdout
    at = 0
    for _, path in wanted:
        newline = batch.index(b"\n", at)
        header = batch[at:newline].split()
        at = newline + 1
        if header[-1] == b"missing":
            missing.append(path)
            continue
        size = int(header[2])
        target = into / path
        if ".." in Path(path).parts or Path(path).is_absolute():
            raise RuntimeError(f"unsafe path in {source.repo}: {path!r}")
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(batch[at:at + size])
        at += size + 1
    return commit, len(wanted) - len(missing), missing


def assemble(mirror: Path, corpus: Path, sources: Sequence[Source] = SOURCES) -> int:
    corpus.mkdir(parents=True, exist_ok=True)
    lines: list[str] = []
    missing = 0
    for source in sources:
        git = git_dir(mirror, source.repo)
        if git is None:
            print(f"missing: {source.repo} (fetch it first)", file=sys.stderr)
            missing += 1
            continue
        commit, count, lacking = export(source, git, corpus / source.folder)
        lines.append(f"{source.folder} {source.repo} {commit} {','.join(source.paths) or '.'}")
        print(f"{source.folder:55} {commit[:12]} {count:5} files"
              + (f" ({len(lacking)} not in the snapshot: {', '.join(lacking)})" if lacking else ""))
    (corpus / "MANIFEST.txt").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return 1 if missing else 0


# ---------------------------------------------------------------------------------------------
# Sweeping


@dataclass(frozen=True)
class Entry:
    folder: str
    repo: str
    commit: str


def read_manifest(corpus: Path, manifest: Path | None) -> list[Entry]:
    """The manifest's entries whose folder exists; without a manifest, every folder of the corpus."""
    path = manifest or corpus / "MANIFEST.txt"
    if path.is_file():
        entries = []
        for line in path.read_text(encoding="utf-8").splitlines():
            fields = line.split()
            if len(fields) >= 3 and not line.startswith("#") and (corpus / fields[0]).is_dir():
                entries.append(Entry(fields[0], fields[1], fields[2]))
        return entries
    return [Entry(p.name, p.name.replace("+", "/", 1), "") for p in sorted(corpus.iterdir()) if p.is_dir()]


def cnnlint(args: Sequence[str], cwd: Path, timeout: float) -> tuple[dict[str, Any] | None, str]:
    """Run `python -m cnnlint ARGS` in `cwd`: its JSON report (None on a timeout or a crash) and stderr."""
    env = {**os.environ, "CNNLINT_NO_CACHE": "1", "NO_COLOR": "1"}
    # Not `-m cnnlint`: that puts `cwd` first on sys.path, and a corpus file named like a module
    # cnnlint imports (tokenize.py, types.py) would be imported, that is, run.
    command = [sys.executable, "-c", LAUNCH, *args]
    # A session of its own: on a timeout the whole group goes, --jobs workers included.
    with subprocess.Popen(command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                          text=True, start_new_session=True) as process:
        try:
            stdout, stderr = process.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
            return None, f"timed out after {timeout:g} s"
    try:
        report: dict[str, Any] = json.loads(stdout)
    except json.JSONDecodeError:
        return None, f"exit {process.returncode}: {(stderr or stdout)[-2000:]}"
    return report, stderr


LAUNCH = "import runpy, sys; del sys.path[0]; runpy.run_module('cnnlint', run_name='__main__', alter_sys=True)"


def check_args(jobs: int, paths: Sequence[str]) -> list[str]:
    return ["check", "--format", "json", "--no-cache", "--exit-zero", "--jobs", str(jobs), *paths]


def files_of(folder: Path) -> list[str]:
    return sorted(str(p.relative_to(folder)) for p in folder.rglob("*") if p.suffix in SUFFIXES and p.is_file())


def shape_counts(report: dict[str, Any]) -> tuple[int, int]:
    """Models in a `shapes --format json` report, and those with every output shape known
    (a list whose only unknown axis is the batch axis; symbolic sizes count as known). A model
    listed with no layers is not known: it only means cnnlint saw none of them."""
    models = report.get("models", [])
    known = sum(1 for m in models
                if m.get("layers") and all(isinstance(layer.get("output"), list) and None not in layer["output"][1:]
                                           for layer in m["layers"]))
    return len(models), known


def is_conv_or_pool(layer: dict[str, Any]) -> bool:
    op = str(layer.get("op", "")).lower()
    return "conv" in op or "pool" in op


def cnn_counts(report: dict[str, Any]) -> dict[str, int]:
    """The issue's coverage figures: models (or graphs) holding a conv or pool op, those with every
    output shape known (as `shape_counts`), and the conv/pool op instances with a known output."""
    cnn = [m for m in report.get("models", []) if any(is_conv_or_pool(layer) for layer in m.get("layers") or [])]
    ops = [layer for m in cnn for layer in m["layers"] if is_conv_or_pool(layer)]
    return {
        "cnn_models": len(cnn),
        "cnn_models_known": sum(1 for m in cnn if all(isinstance(layer.get("output"), list)
                                                     and None not in layer["output"][1:] for layer in m["layers"])),
        "convpool_ops": len(ops),
        "convpool_known": sum(1 for layer in ops if isinstance(layer.get("output"), list)
                              and None not in layer["output"][1:]),
    }


def sweep_repo(corpus: Path, entry: Entry, jobs: int, timeout: float, file_timeout: float,
               shapes: bool, keep: Path | None = None) -> Iterator[dict[str, Any]]:
    """The records of one repository: its `repo` record first, then diagnostics and errors."""
    folder = corpus / entry.folder
    start = time.monotonic()
    report, stderr = cnnlint(check_args(jobs, ["."]), folder, timeout)
    timed_out: list[str] = []
    crashed = ""
    if report is None and stderr.startswith("timed out"):
        # Over the limit: one file at a time names the files that hang and keeps the others' results.
        report = {"files_checked": 0, "diagnostics": [], "errors": []}
        for path in files_of(folder):
            one, why = cnnlint(check_args(1, [path]), folder, file_timeout)
            if one is None and why.startswith("timed out"):
                timed_out.append(path)
                continue
            if one is None:
                report["errors"].append({"path": path, "message": f"cnnlint crashed: {why}"})
                continue
            report["files_checked"] += one.get("files_checked", 0)
            report["diagnostics"] += one.get("diagnostics", [])
            report["errors"] += one.get("errors", [])
    elif report is None:
        crashed = stderr
        report = {"files_checked": 0, "diagnostics": [], "errors": []}
    wall = time.monotonic() - start
    models: int | None = None
    known: int | None = None
    shapes_wall: float | None = None
    cnn: dict[str, int] = {}
    if shapes:
        start = time.monotonic()
        shaped, _ = cnnlint(["shapes", "--format", "json", "."], folder, timeout)
        shapes_wall = round(time.monotonic() - start, 2)
        if shaped is not None:
            models, known = shape_counts(shaped)
            cnn = cnn_counts(shaped)
            if keep is not None:  # the whole report, for a look at what stays unknown
                keep.mkdir(parents=True, exist_ok=True)
                (keep / f"{entry.folder}.json").write_text(json.dumps(shaped), encoding="utf-8")
    diagnostics = report.get("diagnostics", [])
    errors = report.get("errors", [])
    yield {
        "kind": "repo", "repo": entry.repo, "folder": entry.folder, "commit": entry.commit,
        "files": report.get("files_checked", 0), "findings": len(diagnostics),
        "codes": dict(sorted(collections.Counter(d["code"] for d in diagnostics).items())),
        "errors": len(errors), "internal_errors": sum(1 for e in errors if "please report" in e.get("message", "")),
        "timed_out": timed_out, "crashed": crashed, "wall_s": round(wall, 2),
        "models": models, "models_known": known, "shapes_wall_s": shapes_wall, **cnn,
    }
    for d in diagnostics:
        yield {"kind": "diagnostic", "repo": entry.repo, "folder": entry.folder, "path": relative(d["path"]),
               "cell": d.get("cell"), "line": d["line"], "column": d.get("column"), "code": d["code"],
               "severity": d.get("severity"), "message": d["message"]}
    for e in errors:
        yield {"kind": "error", "repo": entry.repo, "folder": entry.folder, "path": relative(e.get("path") or ""),
               "message": e.get("message", "")}


def relative(path: str) -> str:
    """A path as reported from the repository folder, without cnnlint's leading `./`."""
    return path[2:] if path.startswith("./") else path


def describe_cnnlint() -> dict[str, Any]:
    probe = "import json, cnnlint; print(json.dumps([cnnlint.__version__, cnnlint.__file__]))"
    done = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    version, where = json.loads(done.stdout)
    head = subprocess.run(["git", "-C", str(Path(where).parent.parent), "rev-parse", "HEAD"],
                          capture_output=True, text=True)
    return {"cnnlint_version": version, "cnnlint_file": where,
            "cnnlint_commit": head.stdout.strip() if head.returncode == 0 else None}


def sweep(corpus: Path, out: Path, manifest: Path | None, jobs: int, timeout: float, file_timeout: float,
          shapes: bool, only: Sequence[str]) -> list[dict[str, Any]]:
    entries = [e for e in read_manifest(corpus, manifest) if not only or e.repo in only or e.folder in only]
    records: list[dict[str, Any]] = [{
        "kind": "run", "corpus": str(corpus), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "python": platform.python_version(), "jobs": jobs, "timeout_s": timeout, "shapes": shapes,
        "command": " ".join(["python -m cnnlint", *check_args(jobs, ["."])]), **describe_cnnlint(),
    }]
    start = time.monotonic()
    with out.open("w", encoding="utf-8") as sink:
        sink.write(json.dumps(records[0]) + "\n")
        for entry in entries:
            keep = out.with_suffix(".shapes") if shapes else None
            for record in sweep_repo(corpus, entry, jobs, timeout, file_timeout, shapes, keep):
                records.append(record)
                sink.write(json.dumps(record) + "\n")
                if record["kind"] == "repo":
                    print(f"  {entry.folder}: {record['files']} files, {record['findings']} findings, "
                          f"{record['errors']} errors, {record['wall_s']} s", file=sys.stderr, flush=True)
        records.append({"kind": "total", "wall_s": round(time.monotonic() - start, 2)})
        sink.write(json.dumps(records[-1]) + "\n")
    return records


# ---------------------------------------------------------------------------------------------
# Reading and comparing runs


def load(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as source:
        return [json.loads(line) for line in source if line.strip()]


def of_kind(records: Iterable[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [r for r in records if r.get("kind") == kind]


def table(rows: Sequence[Sequence[object]], header: Sequence[str]) -> str:
    cells = [[str(c) for c in header], *[["" if c is None else str(c) for c in row] for row in rows]]
    widths = [max(len(row[i]) for row in cells) for i in range(len(header))]
    lines = ["  ".join(c.rjust(w) if i else c.ljust(w) for i, (c, w) in enumerate(zip(row, widths, strict=True)))
             for row in cells]
    return "\n".join([lines[0], "  ".join("-" * w for w in widths), *lines[1:]])


def summary(records: Sequence[dict[str, Any]]) -> str:
    repos = of_kind(records, "repo")
    rows: list[list[object]] = []
    for r in repos:
        models = None if r.get("models") is None else f"{r['models']} ({r['models_known']})"
        rows.append([r["folder"], r["files"], r["findings"], r["errors"], r["internal_errors"],
                     len(r["timed_out"]) or "", models, f"{r['wall_s']:.1f}",
                     "" if r.get("shapes_wall_s") is None else f"{r['shapes_wall_s']:.1f}"])
    totals = [sum(int(r[key]) for r in repos) for key in ("files", "findings", "errors", "internal_errors")]
    counted = [r for r in repos if r.get("models") is not None]
    models_total = (f"{sum(r['models'] for r in counted)} ({sum(r['models_known'] for r in counted)})"
                    if counted else None)
    shapes_walls = [r["shapes_wall_s"] for r in repos if r.get("shapes_wall_s") is not None]
    rows.append(["TOTAL", *totals, sum(len(r["timed_out"]) for r in repos) or "", models_total,
                 f"{sum(r['wall_s'] for r in repos):.1f}", f"{sum(shapes_walls):.1f}" if shapes_walls else ""])
    codes = collections.Counter(d["code"] for d in of_kind(records, "diagnostic"))
    text = table(rows, ["repo", "files", "findings", "errors", "internal", "timeouts", "models (known)", "check s",
                         "shapes s"])
    cnn_keys = ("cnn_models", "cnn_models_known", "convpool_ops", "convpool_known")
    with_cnn = [r for r in repos if all(k in r for k in cnn_keys)]
    if with_cnn:
        cm, ck, co, cok = (sum(r[k] for r in with_cnn) for k in cnn_keys)
        text += (f"\nCNN models (holding a conv or pool op): {cm}, every shape known: {ck} ({ck / max(cm, 1):.0%}); "
                 f"conv/pool ops: {co}, output known: {cok} ({cok / max(co, 1):.0%})")
    text += "\nfindings per code: " + (", ".join(f"{c} {n}" for c, n in sorted(codes.items())) or "none")
    return text


Key = tuple[str, str, object, int, str]


def keyed(records: Iterable[dict[str, Any]]) -> dict[Key, list[str]]:
    found: dict[Key, list[str]] = collections.defaultdict(list)
    for d in of_kind(records, "diagnostic"):
        found[(d["folder"], d["path"], d.get("cell"), d["line"], d["code"])].append(d["message"])
    return found


def compare(old: Sequence[dict[str, Any]], new: Sequence[dict[str, Any]]) -> str:
    """Findings added, removed and reworded (same place and code, other message), then errors."""
    before, after = keyed(old), keyed(new)
    added: list[str] = []
    removed: list[str] = []
    changed: list[str] = []

    def where(key: Key) -> str:
        folder, path, cell, line, code = key
        return f"{folder}/{path}:{'' if cell is None else f'cell {cell}:'}{line}: {code}"

    def one_line(message: str) -> str:
        return " ".join(message.split())

    for key in sorted(set(before) | set(after), key=str):
        was, now = collections.Counter(before.get(key, [])), collections.Counter(after.get(key, []))
        gone, new_ = list((was - now).elements()), list((now - was).elements())
        while gone and new_:
            changed.append(f"~ {where(key)} {one_line(gone.pop(0))}\n    now: {one_line(new_.pop(0))}")
        removed += [f"- {where(key)} {one_line(m)}" for m in gone]
        added += [f"+ {where(key)} {one_line(m)}" for m in new_]
    errors_before = {(e["folder"], e["path"], e["message"]) for e in of_kind(old, "error")}
    errors_after = {(e["folder"], e["path"], e["message"]) for e in of_kind(new, "error")}
    lines = [f"findings: {sum(map(len, before.values()))} -> {sum(map(len, after.values()))} "
             f"({len(added)} added, {len(removed)} removed, {len(changed)} reworded); "
             f"errors: {len(errors_before)} -> {len(errors_after)}"]
    codes_old = collections.Counter(d["code"] for d in of_kind(old, "diagnostic"))
    codes_new = collections.Counter(d["code"] for d in of_kind(new, "diagnostic"))
    lines += [f"  {c}: {codes_old[c]} -> {codes_new[c]}" for c in sorted(set(codes_old) | set(codes_new))
              if codes_old[c] != codes_new[c]]
    lines += removed + added + changed
    lines += [f"- error {f}/{p}: {m}" for f, p, m in sorted(errors_before - errors_after, key=str)]
    lines += [f"+ error {f}/{p}: {m}" for f, p, m in sorted(errors_after - errors_before, key=str)]
    repos_old = {r["folder"]: r for r in of_kind(old, "repo")}
    for r in of_kind(new, "repo"):
        prior = repos_old.get(r["folder"])
        if prior is None:
            lines.append(f"  repo {r['folder']}: only in NEW")
            continue
        for field in ("files", "timed_out", "crashed", "models", "models_known", "cnn_models", "cnn_models_known"):
            if prior.get(field) != r.get(field):
                lines.append(f"  repo {r['folder']}: {field} {prior.get(field)} -> {r.get(field)}")
    lines += [f"  repo {f}: only in OLD" for f in sorted(set(repos_old) - {r["folder"] for r in of_kind(new, "repo")})]
    wall_old = sum(r["wall_s"] for r in of_kind(old, "repo"))
    wall_new = sum(r["wall_s"] for r in of_kind(new, "repo"))
    lines.append(f"wall time: {wall_old:.1f} s -> {wall_new:.1f} s")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", type=Path, help="the corpus: one folder per repository")
    parser.add_argument("-o", "--output", type=Path, help="the JSON Lines result (default CORPUS/sweep.jsonl)")
    parser.add_argument("--manifest", type=Path, help="folder repo commit lines (default CORPUS/MANIFEST.txt)")
    parser.add_argument("--jobs", type=int, default=2, help="cnnlint --jobs (default 2)")
    parser.add_argument("--timeout", type=float, default=1200, help="seconds per repository (default 1200)")
    parser.add_argument("--file-timeout", type=float, default=120,
                        help="seconds per file when a repository runs over --timeout (default 120)")
    parser.add_argument("--shapes", action="store_true", help="also count models with `cnnlint shapes`")
    parser.add_argument("--only", action="append", default=[], help="sweep only this repo or folder (repeatable)")
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("OLD", "NEW"), help="diff two sweeps")
    parser.add_argument("--summary", type=Path, metavar="RUN", help="print the summary table of a sweep")
    parser.add_argument("--assemble", type=Path, metavar="MIRROR",
                        help="export SOURCES from MIRROR/owner+name/repo into CORPUS, with MANIFEST.txt")
    args = parser.parse_args(argv)
    if args.compare:
        print(compare(load(args.compare[0]), load(args.compare[1])))
        return 0
    if args.summary:
        print(summary(load(args.summary)))
        return 0
    if args.corpus is None:
        parser.error("CORPUS is required")
    if args.assemble:
        return assemble(args.assemble, args.corpus)
    out = args.output or args.corpus / "sweep.jsonl"
    records = sweep(args.corpus.resolve(), out, args.manifest, args.jobs, args.timeout, args.file_timeout,
                    args.shapes, args.only)
    print(summary(records))
    total = of_kind(records, "total")
    print(f"wall time {total[0]['wall_s'] if total else '?'} s; {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
