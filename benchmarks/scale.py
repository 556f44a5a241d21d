"""cnnlint on a repository-sized tree, against the floor a naive linter pays.

    python benchmarks/scale.py              # 2,000 files, one in ten holds a CNN model
    python benchmarks/scale.py --files 5000 --keep /tmp/tree

Generates the tree (deterministic), then prints side by side:

- parse-all: libcst-parsing every file in one process (what a linter that parses everything pays)
- cold: `cnnlint` with no cache (default --jobs), cache written
- warm: `cnnlint` again, every file answered from the cache
- one file: `cnnlint` on one small model file, cold (no cache) and warm, median and best of 7;
  and, on the same interpreter, bare `python -c pass` and importing only cnnlint's dependencies
  (libcst, click) and the stdlib modules it uses: the part of start-up cnnlint cannot save

Targets (issue 5): cold <= parse-all / 2, warm <= parse-all / 20, one small file < 0.3 s.

A scale curve (issue 17): does the cost per file stay flat as the tree grows?

    python benchmarks/scale.py --curve 1000,10000,50000 --curve-jobs 1,2 --parse-max 10000 --json OUT.json

For each size, the same kind of tree in a fresh temporary folder, then for each --jobs: a cold run
(`cnnlint check --jobs J --exit-zero --format json .` with the cache folder removed first, so the
cache is written) and a warm one (the same command again: every file a cache hit, which the run's
unchanged cache entries show). Each process is measured by the operating system when it ends (the
helpers of benchmarks/realcode.py: user + system CPU of it and its workers, wall time, the largest
resident set of any one of them), and cnnlint is this checkout's (first on PYTHONPATH). The
libcst parse of every file, in a fresh interpreter, is the reference at the sizes up to
--parse-max. Printed: ms per file (CPU and wall) and peak MB per run and size, then per run the
ratio of its ms per file at the largest size to the smallest (flat, or falling as start-up is
spread over more files, is linear growth). `--json OUT` writes every figure.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import libcst

# benchmarks/realcode.py, next to this script (already on sys.path when this runs as a script).
sys.path.insert(0, str(Path(__file__).resolve().parent))
import realcode

CHECKOUT = Path(__file__).resolve().parents[1]
CACHE_DIR = ".cnnlint_cache"  # cnnlint.pipeline.CACHE_DIR (not imported: cnnlint is the checkout's, in each run)
# A per-file cost at the largest size more than this many times the smallest's is not flat.
FLAT = 1.25

MODEL_KERAS = '''\
import tensorflow as tf
from tensorflow.keras import layers


def build_{i}(num_classes={classes}):
    model = tf.keras.Sequential([
        layers.Input(shape=({size}, {size}, 3)),
        layers.Conv2D({filters}, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D({filters2}, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(num_classes),
    ])
    return model


model = build_{i}()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
'''

MODEL_RAW = '''\
import tensorflow as tf

x = tf.compat.v1.placeholder(tf.float32, [None, 784])
weights = {{
    "wc1": tf.Variable(tf.random.normal([5, 5, 1, 32])),
    "wc2": tf.Variable(tf.random.normal([5, 5, 32, 64])),
    "wd1": tf.Variable(tf.random.normal([{flat}, 1024])),
    "out": tf.Variable(tf.random.normal([1024, 10])),
}}


def conv_net_{i}(x):
    x = tf.reshape(x, [-1, 28, 28, 1])
    conv1 = tf.nn.relu(tf.nn.conv2d(x, weights["wc1"], strides=[1, 1, 1, 1], padding="SAME"))
    conv1 = tf.nn.max_pool(conv1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    conv2 = tf.nn.relu(tf.nn.conv2d(conv1, weights["wc2"], strides=[1, 1, 1, 1], padding="SAME"))
    conv2 = tf.nn.max_pool(conv2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    fc1 = tf.reshape(conv2, [-1, {flat}])
    fc1 = tf.nn.relu(tf.matmul(fc1, weights["wd1"]))
    return tf.matmul(fc1, weights["out"])


logits = conv_net_{i}(x)
'''

ORDINARY_FUNCTION = '''

def {name}(items, limit={limit}, *, verbose=False):
    """Return the first `limit` cleaned items, {doc}."""
    result = []
    for index, item in enumerate(items):
        if index >= limit:
            break
        text = str(item).strip().lower()
        if not text or text.startswith("#"):
            continue
        parts = [p for p in text.split(",") if p]
        record = {{"index": index, "parts": parts, "size": len(parts) * {factor}}}
        if verbose:
            print(f"{{index}}: {{record}}")
        result.append(record)
    return sorted(result, key=lambda r: (r["size"], r["index"]))
'''

ORDINARY_CLASS = '''

class {name}:
    """A small service object ({doc})."""

    def __init__(self, name, retries={limit}):
        self.name = name
        self.retries = retries
        self._cache = {{}}

    def get(self, key, default=None):
        try:
            return self._cache[key]
        except KeyError:
            return default

    def put(self, key, value):
        if len(self._cache) > {factor} * 100:
            self._cache.clear()
        self._cache[key] = value
        return value
'''


def generate(root: Path, files: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    small = root / "pkg000" / "model_0000.py"
    for i in range(files):
        folder = root / f"pkg{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        if i % 10 == 0:
            size = rng.choice([28, 32, 64])
            text = MODEL_KERAS.format(i=i, classes=10, size=size, filters=32, filters2=64) if i % 20 == 0 else \
                MODEL_RAW.format(i=i, flat=rng.choice([7 * 7 * 64, 4 * 4 * 64]))
            (folder / f"model_{i:04d}.py").write_text(text)
            continue
        parts = ['"""Ordinary application code."""\n\nimport json\nimport os\nfrom pathlib import Path\n']
        for j in range(rng.randint(4, 10)):
            template = ORDINARY_CLASS if j % 3 == 2 else ORDINARY_FUNCTION
            parts.append(template.format(name=f"{'Helper' if j % 3 == 2 else 'clean'}_{i}_{j}",
                                         limit=rng.randint(1, 99), factor=rng.randint(1, 9), doc=f"variant {j}"))
        (folder / f"module_{i:04d}.py").write_text("".join(parts))
    return small


def tree(root: Path, files: int) -> Path:
    """A fresh tree of `files` files at `root` (removed first), a project of its own; its small model file."""
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
    return generate(root, files)


def parse_all(root: Path) -> float:
    started = time.perf_counter()
    for path in sorted(root.rglob("*.py")):
        libcst.parse_module(path.read_bytes())
    return time.perf_counter() - started


def timed(args: list[str], cwd: Path, env: dict[str, str] | None = None, repeat: int = 1) -> tuple[float, float]:
    """Median and best wall time of `repeat` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


def checkout_env() -> dict[str, str]:
    """The environment of a cnnlint run: this checkout's cnnlint first on the path, the cache allowed."""
    env = {key: value for key, value in os.environ.items() if key != "CNNLINT_NO_CACHE"}
    env["PYTHONPATH"] = os.pathsep.join([str(CHECKOUT), *filter(None, [os.environ.get("PYTHONPATH")])])
    env["NO_COLOR"] = "1"
    return env


# ---------------------------------------------------------------------------------------------
# The scale curve


def cache_state(folder: Path) -> dict[str, tuple[int, int]]:
    """Each cache entry under `folder`: its inode and modification time (an entry written anew has
    another inode: the cache replaces a file, never rewrites it)."""
    found = {}
    for path in folder.rglob("*.json") if folder.is_dir() else ():
        stat = path.stat()
        found[str(path)] = (stat.st_ino, stat.st_mtime_ns)
    return found


def per_file(figures: dict[str, Any], files: int) -> dict[str, Any]:
    """`figures` (CPU and wall seconds) with the same per file, in ms."""
    return {**figures, "cpu_ms_per_file": figures["cpu_s"] * 1000 / files,
            "wall_ms_per_file": figures["wall_s"] * 1000 / files}


def check_run(root: Path, scratch: Path, mode: str, jobs: int, env: dict[str, str], timeout: float) -> dict[str, Any]:
    """One `cnnlint check` of the tree at `root`: cold (the cache removed first) or warm."""
    cache = root / CACHE_DIR
    if mode == "cold":
        shutil.rmtree(cache, ignore_errors=True)
    before = cache_state(cache)
    report = scratch / f"report-{mode}-{jobs}.json"
    command = [sys.executable, "-m", "cnnlint", "check", "--jobs", str(jobs), "--exit-zero", "--format", "json", "."]
    figures = realcode.measured(command, root, env, timeout, stdout=report)
    figures.update(realcode.report_counts(report))
    after = cache_state(cache)
    written = sum(1 for path, state in after.items() if before.get(path) != state)
    return {"mode": mode, "jobs": jobs, **figures, "cache_entries": len(after), "cache_written": written}


def measure_size(files: int, jobs: Sequence[int], parse: bool, env: dict[str, str], timeout: float) -> dict[str, Any]:
    """The curve's figures at one size: the tree, the parse reference (with `parse`), each run."""
    scratch = Path(tempfile.mkdtemp(prefix="cnnlint-curve-"))
    root = scratch / "tree"
    try:
        started = time.perf_counter()
        tree(root, files)
        paths = sorted(str(p) for p in root.rglob("*.py"))
        entry: dict[str, Any] = {"files": files, "models": (files + 9) // 10,
                                 "bytes": sum(os.path.getsize(p) for p in paths),
                                 "generate_s": time.perf_counter() - started, "parse": None, "runs": []}
        if parse:
            figures, parsed = realcode.run_parse(paths, scratch, timeout)
            entry["parse"] = per_file({**figures, "loop_cpu_s": parsed["loop_cpu_s"], "failed": parsed["failed"]},
                                      files)
        for count in jobs:
            for mode in ("cold", "warm"):
                entry["runs"].append(per_file(check_run(root, scratch, mode, count, env, timeout), files))
                print(f"  {files} files, {mode} --jobs {count}: {entry['runs'][-1]['wall_s']:.1f} s", flush=True)
    finally:
        shutil.rmtree(scratch, ignore_errors=True)
    return entry


def flatness(sizes: Sequence[dict[str, Any]]) -> list[dict[str, Any]]:
    """Per run (and for the parse), its ms per file at the largest size it has against the smallest,
    and the straight line through the two (CPU ms per file more, and the CPU seconds of no file)."""
    series: dict[str, list[tuple[int, dict[str, Any]]]] = {}
    for entry in sizes:
        if entry["parse"] is not None:
            series.setdefault("parse", []).append((entry["files"], entry["parse"]))
        for run in entry["runs"]:
            series.setdefault(f"{run['mode']} --jobs {run['jobs']}", []).append((entry["files"], run))
    out = []
    for name, points in series.items():
        (first, small), (last, large) = min(points, key=lambda p: p[0]), max(points, key=lambda p: p[0])
        if first == last:
            continue
        cpu = large["cpu_ms_per_file"] / small["cpu_ms_per_file"] if small["cpu_ms_per_file"] > 0 else None
        wall = large["wall_ms_per_file"] / small["wall_ms_per_file"] if small["wall_ms_per_file"] > 0 else None
        marginal = (large["cpu_s"] - small["cpu_s"]) / (last - first)
        out.append({"run": name, "first_files": first, "last_files": last, "cpu_ratio": cpu, "wall_ratio": wall,
                    "marginal_cpu_ms_per_file": marginal * 1000, "fixed_cpu_s": small["cpu_s"] - marginal * first,
                    "peak_mb_ratio": large["peak_mb"] / small["peak_mb"] if small["peak_mb"] > 0 else None,
                    "flat": cpu is not None and cpu <= FLAT})
    return out


def curve_report(result: dict[str, Any]) -> str:
    sizes = result["sizes"]
    counts = ", ".join(f"{e['files']:,}" for e in sizes)
    lines = [f"scale curve: {counts} files (one in ten a CNN model), "
             f"{result['cpus']} CPUs, Python {result['python']}, load average at start {result['load']}; "
             "a shared machine: figures are noisy, compare ratios",
             *(["PYTHONDONTWRITEBYTECODE is set: every run compiles cnnlint anew (unset it to time)"]
               if result["dont_write_bytecode"] else []),
             "",
             f"{'files':>7}  {'run':<16}{'CPU s':>9}{'wall s':>9}{'CPU ms/file':>13}{'wall ms/file':>14}"
             f"{'peak MB':>9}{'CPU vs parse':>14}"]
    for entry in sizes:
        parse = entry["parse"]
        rows = [("parse (libcst)", parse)] if parse is not None else []
        rows += [(f"{r['mode']} --jobs {r['jobs']}", r) for r in entry["runs"]]
        for label, row in rows:
            versus = realcode.ratio(row["cpu_s"], parse["cpu_s"]) if parse is not None and row is not parse else ""
            note = " TIMED OUT" if row.get("timed_out") else ("" if row.get("exit", 0) == 0 else f" exit {row['exit']}")
            lines.append(f"{entry['files']:>7}  {label:<16}{row['cpu_s']:9.2f}{row['wall_s']:9.2f}"
                         f"{row['cpu_ms_per_file']:13.3f}{row['wall_ms_per_file']:14.3f}{row['peak_mb']:9.0f}"
                         f"{versus:>14}{note}")
        checked = {(r["files_checked"], r["findings"], r["report_sha256"]) for r in entry["runs"]}
        count, findings, digest = checked.pop() if len(checked) == 1 else (None, None, None)
        lines.append(f"{'':9}report: {count} files checked, {findings} findings, the same in every run"
                     if digest is not None else f"{'':9}report: DIFFERENT between the runs, or missing")
    lines.append("")
    for item in result["flat"]:
        cpu = f"{item['cpu_ratio']:.2f}x" if item["cpu_ratio"] is not None else "-"
        wall = f"{item['wall_ratio']:.2f}x" if item["wall_ratio"] is not None else "-"
        peak = f"{item['peak_mb_ratio']:.2f}x" if item["peak_mb_ratio"] is not None else "-"
        verdict = "flat (linear)" if item["flat"] else f"GROWS (over {FLAT}x: worse than linear)"
        lines.append(f"per file, {item['last_files']:,} vs {item['first_files']:,} files, {item['run']}: CPU {cpu}, "
                     f"wall {wall}, peak MB {peak}; marginal {item['marginal_cpu_ms_per_file']:.3f} CPU ms/file "
                     f"+ {item['fixed_cpu_s']:.2f} s fixed: {verdict}")
    return "\n".join(lines)


def curve_main(options: argparse.Namespace) -> int:
    sizes = sorted({int(n) for n in options.curve.split(",") if n.strip()})
    jobs = [int(j) for j in options.curve_jobs.split(",") if j.strip()]
    if not sizes or min(sizes) < 1 or not jobs:
        raise SystemExit("--curve takes sizes of at least 1 file, --curve-jobs at least one --jobs")
    env = checkout_env()
    load = " ".join(Path("/proc/loadavg").read_text().split()[:3]) if Path("/proc/loadavg").exists() else "?"
    # One run before any is timed: the imports are compiled (where bytecode is written) and in the page cache.
    warm_up = Path(tempfile.mkdtemp(prefix="cnnlint-curve-"))
    try:
        tree(warm_up / "tree", 10)
        realcode.measured([sys.executable, "-m", "cnnlint", "check", "--no-cache", "--exit-zero", "--quiet", "."],
                          warm_up / "tree", env, options.timeout)
    finally:
        shutil.rmtree(warm_up, ignore_errors=True)
    result: dict[str, Any] = {
        "cpus": os.cpu_count(), "python": platform.python_version(), "load": load,
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"), "checkout": str(CHECKOUT), "jobs": jobs,
        "parse_max": options.parse_max, "dont_write_bytecode": bool(os.environ.get("PYTHONDONTWRITEBYTECODE")),
        "sizes": [measure_size(n, jobs, options.parse_max is None or n <= options.parse_max, env, options.timeout)
                  for n in sizes]}
    result["flat"] = flatness(result["sizes"])
    print(curve_report(result))
    if options.json:
        options.json.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    runs = [r for e in result["sizes"] for r in e["runs"]]
    failed = any(r["timed_out"] or r["files_checked"] != e["files"] for e in result["sizes"] for r in e["runs"])
    return 1 if failed or not runs else 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="generate the tree here and keep it")
    parser.add_argument("--curve", metavar="N,N,...", help="the scale curve at these tree sizes (see above)")
    parser.add_argument("--curve-jobs", default="1,2", help="with --curve: the --jobs of each run (default 1,2)")
    parser.add_argument("--parse-max", type=int, metavar="N",
                        help="with --curve: the parse reference only at sizes up to N files")
    parser.add_argument("--timeout", type=float, default=3600, help="with --curve: seconds per process (default 3600)")
    parser.add_argument("--json", type=Path, metavar="OUT", help="with --curve: write every figure here")
    options = parser.parse_args()
    if options.curve:
        return curve_main(options)
    root = options.keep or Path(tempfile.mkdtemp(prefix="cnnlint-bench-"))
    small = tree(root, options.files)
    env = checkout_env()
    cnnlint = [sys.executable, "-m", "cnnlint", "--exit-zero", "--quiet"]
    try:
        floor = parse_all(root)
        cold, _ = timed([*cnnlint, "."], root, env)
        warm, _ = timed([*cnnlint, "."], root, env, repeat=3)
        bare, bare_best = timed([sys.executable, "-c", "pass"], root, repeat=7)
        floor_imports = "import libcst, libcst.metadata, click, json, dataclasses, hashlib, tomllib"
        deps, deps_best = timed([sys.executable, "-c", floor_imports], root, repeat=7)
        one_cold, one_cold_best = timed([*cnnlint, "--no-cache", str(small)], root, env, repeat=7)
        one_warm, one_warm_best = timed([*cnnlint, str(small)], root, env, repeat=7)
        size = sum(p.stat().st_size for p in root.rglob("*.py"))
        print(f"tree: {options.files} files ({options.files // 10} with a CNN model), {size / 1e6:.1f} MB, "
              f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
        print(f"{'parse-all (libcst, 1 process)':<36}{floor:>8.2f} s")
        print(f"{'cnnlint cold (no cache)':<36}{cold:>8.2f} s   {cold / floor:6.1%} of parse-all (target <= 50%)")
        print(f"{'cnnlint warm (cache)':<36}{warm:>8.2f} s   {warm / floor:6.1%} of parse-all (target <= 5%)")
        print(f"{'one small file, no cache':<36}{one_cold:>8.3f} s   best {one_cold_best:.3f} s (target < 0.3 s)")
        print(f"{'one small file, cached':<36}{one_warm:>8.3f} s   best {one_warm_best:.3f} s")
        print(f"{'importing libcst, click, stdlib':<36}{deps:>8.3f} s   best {deps_best:.3f} s (the floor)")
        print(f"{'python -c pass (interpreter start)':<36}{bare:>8.3f} s   best {bare_best:.3f} s")
    finally:
        if options.keep is None:
            shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
