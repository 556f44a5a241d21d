"""Which files to check: explicit paths, and `.py` / `.ipynb` files found under directories."""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass

DEFAULT_EXCLUDES = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "build", "dist", "node_modules",
    "__pycache__", "site-packages", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".cnnlint_cache",
    ".ipynb_checkpoints",
})
SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class Candidate:
    """A path to check, or one that could not be listed (with the reason)."""

    path: str
    error: str | None = None


def discover(paths: list[str]) -> Iterator[Candidate]:
    """Files named on the command line are always checked; directories are walked, sorted."""
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            yield from _walk(path, seen)
        elif os.path.exists(path) or os.path.islink(path):
            if path not in seen:
                seen.add(path)
                yield Candidate(path)
        else:
            yield Candidate(path, "no such file or directory")


def _walk(root: str, seen: set[str]) -> Iterator[Candidate]:
    errors: list[OSError] = []
    for directory, subdirs, files in os.walk(root, onerror=errors.append, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if d not in DEFAULT_EXCLUDES and not d.endswith(".egg-info"))
        for name in sorted(files):
            if name.endswith(SUFFIXES):
                full = os.path.join(directory, name)
                if full not in seen:
                    seen.add(full)
                    yield Candidate(full)
    for error in errors:
        yield Candidate(getattr(error, "filename", None) or root, f"cannot list directory: {error.strerror}")
