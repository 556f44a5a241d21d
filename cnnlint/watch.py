"""`check --watch`: run the check, then again whenever a watched file changes (as `ruff check --watch`).

A dependency-free polling loop on the files' modification times and sizes: every `interval`
seconds the paths are walked (the `.py` and `.ipynb` files, the configuration files); any
change, new file or removed file runs `cnnlint check` with the same arguments in a new process
(so a changed configuration or rule is read anew) and its report is printed after a header line.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Sequence

WATCHED_SUFFIXES = (".py", ".pyi", ".ipynb", "pyproject.toml", "cnnlint.toml", ".gitignore")
SKIPPED_DIRS = frozenset({".git", ".cnnlint_cache", "__pycache__", ".venv", "venv", "node_modules", ".tox"})


def snapshot(paths: Sequence[str]) -> dict[str, tuple[int, int]]:
    """Each watched file under `paths` -> (mtime in ns, size)."""
    found: dict[str, tuple[int, int]] = {}
    for path in paths:
        if path == "-":
            continue
        if os.path.isdir(path):
            for directory, subdirs, files in os.walk(path):
                subdirs[:] = [d for d in subdirs if d not in SKIPPED_DIRS]
                for name in files:
                    if name.endswith(WATCHED_SUFFIXES):
                        _stat(os.path.join(directory, name), found)
        else:
            _stat(path, found)
    return found


def _stat(path: str, found: dict[str, tuple[int, int]]) -> None:
    try:
        st = os.stat(path)
    except OSError:
        return
    found[path] = (st.st_mtime_ns, st.st_size)


def run_once(argv: Sequence[str]) -> int:
    """One `cnnlint check` with these arguments, its output passed through."""
    header = f"[{time.strftime('%H:%M:%S')}] cnnlint check {' '.join(argv)}".rstrip()
    print(header, flush=True)
    return subprocess.call([sys.executable, "-m", "cnnlint", *argv])


def watch_loop(argv: Sequence[str], paths: Sequence[str], interval: float = 0.5,
               max_runs: int | None = None) -> int:
    """Check, then check again after each change, until interrupted (Ctrl-C: exit 0) or, for tests,
    `max_runs` checks (or CNNLINT_WATCH_MAX_RUNS) have run; the exit status is the last check's."""
    if max_runs is None and os.environ.get("CNNLINT_WATCH_MAX_RUNS", "").isdigit():
        max_runs = int(os.environ["CNNLINT_WATCH_MAX_RUNS"])
    status = run_once(argv)
    runs = 1
    seen = snapshot(paths)
    try:
        while max_runs is None or runs < max_runs:
            time.sleep(interval)
            now = snapshot(paths)
            if now != seen:
                seen = now
                print("File change detected...", flush=True)
                status = run_once(argv)
                runs += 1
    except KeyboardInterrupt:
        return 0
    return status
