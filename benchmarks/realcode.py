"""cnnlint on real CNN code, against the libcst parse of the same files (issue 17).

    python benchmarks/realcode.py /work/corpus                 # the default sample (168 files, ~3 min)
    python benchmarks/realcode.py /work/corpus --all           # every file: ~16 CPU-minutes
    python benchmarks/realcode.py /work/corpus --only titu1994+DenseNet --jobs 1 --json /tmp/dn.json

DIR is a directory of real CNN code, such as the sweep corpus: `python benchmarks/sweep.py --assemble
MIRROR /work/corpus` exports the `.py` and `.ipynb` files of the public repositories of `SOURCES` in
benchmarks/sweep.py, one folder each (docs/sweep.md). None of that code is committed.

Which files: by default the folders of SAMPLE that exist under DIR (Keras examples, Keras
applications, the TensorFlow tutorials, TPU models; the whole of DIR if it has none of them),
`--only FOLDER` (repeatable; a folder or a path below one, relative to DIR) or `--all`; then
`--limit N` keeps N files evenly spread over the sorted list. Notebooks count: a notebook's code
cells are joined as cnnlint joins them (`cnnlint.notebook.load`), and that text is what the
parse measures.

Three kinds of process, one after the other, each measured by the operating system when it ends
(`os.wait4`: user + system CPU of the process and the processes it waited for, the largest resident
set of any of them):

- parse: a fresh interpreter that imports libcst and runs `libcst.parse_module` on every file; it
  also times its parse loop alone (`time.process_time`) and each file;
- cnnlint --jobs 1: `python -m cnnlint check --no-cache --jobs 1 --exit-zero --format json FILES`
  (the files named, so none is left out by the byte prefilter or an exclude); the process also
  times each file in the run itself, by wrapping `cnnlint.pipeline.check_bytes` before the CLI starts
  (the front end and libcst are imported before the first file, so that no file's time holds them);
- cnnlint --jobs 2 (or whatever `--jobs` lists): the same command, whole-process figures only.

Printed: the CPU ratios (cnnlint's process against the parse process; the analysis of the files
alone against the parse loop alone), the ten slowest files with their analysis time, parse time and
line count, the files over 1 s of analysis, and peak memory. `--json OUT` writes all of it.
The machines are shared: quote ratios, and rerun before believing a change of a few percent.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

SUFFIXES = (".py", ".ipynb")

# The default sample: what issue 17 measured (Keras examples, TensorFlow tutorials, TPU models,
# applications), 168 files of the corpus at its MANIFEST.txt commits; about 3 minutes on 2 cores.
SAMPLE = (
    "keras-team+keras@2.3.1",  # Keras 2.3.1 examples/ (39 scripts)
    "keras-team+keras",  # keras/src/applications (19)
    "keras-team+keras-applications",  # the Keras 2 applications package (21)
    "tensorflow+docs",  # site/en/tutorials (60 notebooks)
    "tensorflow+tpu/models/official/densenet",  # TPU models (29 files)
    "tensorflow+tpu/models/official/mnist",
    "tensorflow+tpu/models/official/mobilenet",
    "tensorflow+tpu/models/official/resnet",
    "tensorflow+tpu/models/official/squeezenet",
)

# Runs the cnnlint CLI with the corpus folder off sys.path (as benchmarks/sweep.py does: a corpus file
# named like a module cnnlint imports must never be imported) and each file's time recorded.
TIMED_LAUNCH = """\
import json, os, runpy, sys, time, atexit
del sys.path[0]
times = {}
out = os.environ.get("REALCODE_TIMES")
if out:
    import cnnlint.pipeline as pipeline
    import cnnlint.frontend
    inner = pipeline.check_bytes
    def timed(path, *args, **kwargs):
        cpu, wall = time.process_time(), time.perf_counter()
        try:
            return inner(path, *args, **kwargs)
        finally:
            times[path] = [time.process_time() - cpu, time.perf_counter() - wall]
    pipeline.check_bytes = timed
    def dump():
        with open(out, "w", encoding="utf-8") as sink:
            json.dump(times, sink)
    atexit.register(dump)
runpy.run_module("cnnlint", run_name="__main__", alter_sys=True)
"""

# The parse process: libcst and nothing of cnnlint.
PARSE = """\
import json, sys, time
import libcst
paths = json.load(open(sys.argv[1], encoding="utf-8"))
times, failed = [], 0
loop = time.process_time()
for path in paths:
    with open(path, "rb") as source:
        data = source.read()
    started = time.process_time()
    try:
        libcst.parse_module(data)
    except Exception:
        failed += 1
    times.append(time.process_time() - started)
loop = time.process_time() - loop
json.dump({"loop_cpu_s": loop, "times": times, "failed": failed}, open(sys.argv[2], "w", encoding="utf-8"))
"""


# ---------------------------------------------------------------------------------------------
# Files


def select(root: Path, only: Sequence[str], every: bool, limit: int | None) -> list[str]:
    """The files measured, relative to `root`, sorted."""
    if every:
        folders = [root]
    elif only:
        folders = [root / part for part in only]
        absent = [str(f) for f in folders if not f.exists()]
        if absent:
            raise SystemExit(f"not found: {', '.join(absent)}")
    else:
        folders = [root / part for part in SAMPLE if (root / part).exists()] or [root]
    found: set[str] = set()
    for folder in folders:
        paths = [folder] if folder.is_file() else folder.rglob("*")
        found.update(str(p.relative_to(root)) for p in paths if p.suffix in SUFFIXES and p.is_file())
    files = sorted(found)
    if limit is not None and 0 < limit < len(files):
        files = [files[i * len(files) // limit] for i in range(limit)]
    return files


def parse_inputs(root: Path, files: Sequence[str], scratch: Path) -> tuple[list[str], list[int]]:
    """What the parse process reads for each file (a notebook: its cells joined, written to `scratch`)
    and each file's line count (a notebook's: of the joined cells)."""
    inputs: list[str] = []
    lines: list[int] = []
    for index, name in enumerate(files):
        path = root / name
        data = path.read_bytes()
        if name.endswith(".ipynb"):
            from cnnlint import notebook

            try:
                data = notebook.load(data.decode("utf-8")).source.encode("utf-8")
            except (notebook.NotebookError, UnicodeDecodeError):
                data = b""  # cnnlint reports it unreadable; nothing to parse
            path = scratch / f"{index:05d}.py"
            path.write_bytes(data)
        inputs.append(str(path))
        lines.append(data.count(b"\n") + (0 if data.endswith(b"\n") or not data else 1))
    return inputs, lines


# ---------------------------------------------------------------------------------------------
# Processes


def measured(command: Sequence[str], cwd: Path, env: dict[str, str], timeout: float,
             stdout: Path | None = None) -> dict[str, Any]:
    """Run `command` to its end: CPU seconds (user + system, its waited-for children included), wall
    seconds, peak resident memory of its largest process (MB), exit status."""
    with tempfile.TemporaryFile() as errors, \
            (stdout.open("wb") if stdout is not None else open(os.devnull, "wb")) as sink:
        started = time.perf_counter()
        # A session of its own: on a timeout the whole group goes, --jobs workers included.
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=sink, stderr=errors, start_new_session=True)
        timed_out = False
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if not timed_out and time.perf_counter() > started + timeout:
                os.killpg(process.pid, signal.SIGKILL)
                timed_out = True
            time.sleep(0.02)
        wall = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        errors.seek(0)
        stderr = errors.read().decode("utf-8", "replace")
    return {"cpu_s": usage.ru_utime + usage.ru_stime, "user_s": usage.ru_utime, "sys_s": usage.ru_stime,
            "wall_s": wall, "peak_mb": usage.ru_maxrss / 1024, "exit": process.returncode,
            "timed_out": timed_out, "stderr": stderr[-2000:]}


def run_parse(inputs: Sequence[str], scratch: Path, timeout: float) -> tuple[dict[str, Any], dict[str, Any]]:
    listing, out = scratch / "parse-inputs.json", scratch / "parse-times.json"
    listing.write_text(json.dumps(list(inputs)), encoding="utf-8")
    figures = measured([sys.executable, "-c", PARSE, str(listing), str(out)], scratch, dict(os.environ), timeout)
    if figures["exit"] != 0:
        raise SystemExit(f"the parse process failed: {figures['stderr']}")
    return figures, json.loads(out.read_text(encoding="utf-8"))


def report_counts(report: Path) -> dict[str, Any]:
    """What a `cnnlint check --format json` report written to `report` counts, and its digest (None
    each where the report is missing or not such JSON)."""
    try:
        text = report.read_bytes()
        data = json.loads(text)
        return {"report_sha256": hashlib.sha256(text).hexdigest(), "files_checked": data["files_checked"],
                "findings": len(data["diagnostics"]), "errors": len(data["errors"])}
    except (OSError, ValueError, KeyError, TypeError):
        return {"report_sha256": None, "files_checked": None, "findings": None, "errors": None}


def run_cnnlint(root: Path, files: Sequence[str], jobs: int, scratch: Path, timeout: float,
                per_file: bool) -> tuple[dict[str, Any], dict[str, list[float]]]:
    """One cold `cnnlint check` over `files` (run in `root`): its figures, its report's counts, and
    (with `per_file`) each file's CPU and wall seconds."""
    report, times = scratch / f"report-{jobs}.json", scratch / f"times-{jobs}.json"
    env = {**os.environ, "NO_COLOR": "1"}
    env.pop("REALCODE_TIMES", None)
    if per_file:
        env["REALCODE_TIMES"] = str(times)
    command = [sys.executable, "-c", TIMED_LAUNCH, "check", "--no-cache", "--jobs", str(jobs), "--exit-zero",
               "--format", "json", *files]
    figures = measured(command, root, env, timeout, stdout=report)
    figures.update(report_counts(report))
    found: dict[str, list[float]] = {}
    if per_file and times.is_file():
        found = json.loads(times.read_text(encoding="utf-8"))
    return figures, found


# ---------------------------------------------------------------------------------------------
# Report


def ratio(a: float, b: float) -> str:
    return f"{a / b:.2f}x" if b > 0 else "-"


def report(result: dict[str, Any]) -> str:
    parse, runs, files = result["parse"], result["cnnlint"], result["files"]
    lines = [f"{len(files)} files ({result['notebooks']} notebooks), {result['lines']} lines, from "
             f"{result['root']}: {', '.join(result['folders'])}",
             f"{result['cpus']} CPUs, Python {result['python']}, load average at start {result['load']}; "
             "a shared machine: figures are noisy, compare ratios",
             "",
             f"{'':34}{'CPU s':>9}{'wall s':>9}{'peak MB':>9}   CPU vs parse",
             f"{'parse (libcst, one process)':34}{parse['cpu_s']:9.2f}{parse['wall_s']:9.2f}{parse['peak_mb']:9.0f}",
             f"{'  of which the parse loop':34}{parse['loop_cpu_s']:9.2f}"
             + (f"   ({parse['failed']} files libcst refuses)" if parse["failed"] else "")]
    timed = [f for f in files if f.get("cnnlint_cpu_s") is not None]
    for index, (jobs, run) in enumerate(runs.items()):
        label = f"cnnlint check --jobs {jobs}"
        note = " TIMED OUT" if run["timed_out"] else ("" if run["exit"] == 0 else f" exit {run['exit']}")
        lines.append(f"{label:34}{run['cpu_s']:9.2f}{run['wall_s']:9.2f}{run['peak_mb']:9.0f}   "
                     f"{ratio(run['cpu_s'], parse['cpu_s'])}{note}")
        if index == 0 and timed:
            inside = sum(f["cnnlint_cpu_s"] for f in timed)
            parsed = sum(f["parse_cpu_s"] for f in timed)
            lines += [f"{'  of which the files (per file)':34}{inside:9.2f}{'':18}   "
                      f"{ratio(inside, parsed)} of their parse loop",
                      f"{'  start-up, discovery, report':34}{run['cpu_s'] - inside:9.2f}"]
    first = next(iter(runs.values()), None)
    if first is not None:
        same = len({r.get("report_sha256") for r in runs.values()}) == 1
        lines.append(f"report: {first['files_checked']} files checked, {first['findings']} findings, "
                     f"{first['errors']} errors" + ("" if len(runs) == 1 else
                                                    "; the same with every --jobs" if same else
                                                    "; DIFFERENT between the --jobs runs"))
    if timed:
        slowest = sorted(timed, key=lambda f: -f["cnnlint_cpu_s"])[:10]
        lines += ["", f"ten slowest files (cnnlint --jobs 1, CPU s per file): "
                      f"{sum(1 for f in timed if f['cnnlint_cpu_s'] > 1.0)} over 1 s",
                  f"{'cnnlint s':>10}{'parse s':>9}{'x parse':>9}{'lines':>7}  file"]
        lines += [f"{f['cnnlint_cpu_s']:10.2f}{f['parse_cpu_s']:9.3f}{ratio(f['cnnlint_cpu_s'], f['parse_cpu_s']):>9}"
                  f"{f['lines']:7}  {f['path']}" for f in slowest]
    return "\n".join(lines)


def measure(root: Path, files: Sequence[str], jobs: Sequence[int], timeout: float) -> dict[str, Any]:
    scratch = Path(tempfile.mkdtemp(prefix="cnnlint-realcode-"))
    try:
        inputs, lines = parse_inputs(root, files, scratch)
        parse, parsed = run_parse(inputs, scratch, timeout)
        parse.update(loop_cpu_s=parsed["loop_cpu_s"], failed=parsed["failed"])
        runs: dict[int, dict[str, Any]] = {}
        per_file: dict[str, list[float]] = {}
        for index, count in enumerate(jobs):
            runs[count], found = run_cnnlint(root, files, count, scratch, timeout, per_file=index == 0)
            per_file = per_file or found
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    rows = []
    for name, count, seconds in zip(files, lines, parsed["times"], strict=True):
        mine = per_file.get(name)
        rows.append({"path": name, "lines": count, "parse_cpu_s": seconds,
                     "cnnlint_cpu_s": None if mine is None else mine[0],
                     "cnnlint_wall_s": None if mine is None else mine[1]})
    return {"root": str(root), "folders": sorted({f.split("/")[0] for f in files}), "cpus": os.cpu_count(),
            "python": platform.python_version(), "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "notebooks": sum(1 for f in files if f.endswith(".ipynb")), "lines": sum(lines),
            "parse": parse, "cnnlint": runs, "files": rows}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("dir", type=Path, help="a directory of real CNN code (the sweep corpus)")
    parser.add_argument("--only", action="append", default=[], metavar="FOLDER",
                        help="measure this folder of DIR (repeatable; default: the folders of SAMPLE)")
    parser.add_argument("--all", action="store_true", help="measure every .py and .ipynb file of DIR")
    parser.add_argument("--limit", type=int, metavar="N", help="keep N files, evenly spread over the sorted list")
    parser.add_argument("--jobs", default="1,2", help="the cnnlint runs, comma-separated --jobs (default 1,2); "
                                                      "per-file times come from the first")
    parser.add_argument("--timeout", type=float, default=1800, help="seconds per process (default 1800)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="write every figure and per-file time here")
    args = parser.parse_args(argv)
    root = args.dir.resolve()
    files = select(root, args.only, args.all, args.limit)
    if not files:
        raise SystemExit(f"no .py or .ipynb files in {root}")
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    result = measure(root, files, [int(j) for j in args.jobs.split(",") if j.strip()], args.timeout)
    result["load"] = load
    print(report(result))
    if args.json:
        args.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    # --exit-zero: exit 2 only says a file met an internal error (counted in the report's errors).
    failed = any(r["timed_out"] or r["files_checked"] is None for r in result["cnnlint"].values())
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
