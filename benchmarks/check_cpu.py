"""CPU time of cold `cnnlint check` runs per folder, for several checkouts side by side.

    python benchmarks/check_cpu.py --checkout /tmp/before --checkout . DIR [DIR ...]
    python benchmarks/check_cpu.py --checkout . --repeat 3 --config nofollow.toml DIR ...

For each folder, each checkout in turn (interleaved, so that a machine getting busier or quieter
affects them alike) runs `python -m cnnlint check --no-cache --jobs 1 --exit-zero .` in the folder
with the checkout first on PYTHONPATH; the minimum over `--repeat` runs of the child's user +
system CPU time is printed, then totals and each checkout's ratio to the first. CPU time, not wall
time: it is what a loaded machine changes least. `--config FILE` passes a configuration file
(e.g. `follow-imports = false`, to see what following imports costs). docs/project.md ("Cost")
reports such a run; `benchmarks/realcode.py` compares against a plain parse instead.
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path


def cpu_seconds(folder: Path, checkout: Path, config: Path | None, repeat: int) -> float:
    """The least CPU time of `repeat` cold checks of `folder` with `checkout`'s cnnlint."""
    env = dict(os.environ, PYTHONPATH=str(checkout.resolve()))
    command = [sys.executable, "-m", "cnnlint", "check", "--no-cache", "--jobs", "1", "--exit-zero"]
    if config is not None:
        command += ["--config", str(config.resolve())]
    best = float("inf")
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        subprocess.run([*command, "."], cwd=folder, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                       check=False)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        best = min(best, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return best


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("folders", nargs="+", type=Path, help="folders to check (each a repository)")
    parser.add_argument("--checkout", action="append", type=Path, required=True,
                        help="a cnnlint checkout (the folder holding cnnlint/); repeatable, the first is the base")
    parser.add_argument("--repeat", type=int, default=1, help="runs per folder and checkout; the least counts")
    parser.add_argument("--config", type=Path, help="a configuration file for every run")
    args = parser.parse_args(argv)
    totals = [0.0] * len(args.checkout)
    width = max(len(f.name) for f in args.folders)
    print(f"{'folder'.ljust(width)}  " + "  ".join(c.name or str(c) for c in args.checkout))
    for folder in args.folders:
        times = [cpu_seconds(folder, c, args.config, args.repeat) for c in args.checkout]
        totals = [t + s for t, s in zip(totals, times, strict=True)]
        print(f"{folder.name.ljust(width)}  " + "  ".join(f"{s:8.2f}" for s in times), flush=True)
    print(f"{'TOTAL'.ljust(width)}  " + "  ".join(f"{s:8.2f}" for s in totals))
    if totals[0] > 0:
        print("ratio to the first: " + ", ".join(f"{t / totals[0]:.2f}x" for t in totals))
    return 0


if __name__ == "__main__":
    sys.exit(main())
