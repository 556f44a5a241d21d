"""Which files to check: explicit paths, and `.py` / `.ipynb` files found under directories.

Directories are walked in sorted order, skipping the configured excludes (gitignore-style
patterns, relative to the configuration's directory: `build` matches any directory named so)
and, unless `respect-gitignore = false`, what `.gitignore` files (and `.git/info/exclude`) of
the repository ignore. A file named on the command line is always checked, as with ruff, unless
`--force-exclude` is given (pre-commit passes every staged file explicitly).
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pathspec

DEFAULT_EXCLUDES = frozenset({
    ".git", ".hg", ".svn", ".venv", "venv", ".tox", ".nox", "build", "dist", "node_modules",
    "__pycache__", "site-packages", ".mypy_cache", ".ruff_cache", ".pytest_cache", ".cnnlint_cache",
    ".ipynb_checkpoints", "*.egg-info",
})
SUFFIXES = (".py", ".ipynb")


@dataclass(frozen=True)
class Candidate:
    """A path to check, or one that could not be listed (with the reason)."""

    path: str
    error: str | None = None
    explicit: bool = False  # named on the command line (always analysed in full), not found in a directory


class GitIgnore:
    """The `.gitignore` rules that apply under one repository, read once per directory."""

    def __init__(self) -> None:
        self._specs: dict[str, pathspec.GitIgnoreSpec | None] = {}
        self._chains: dict[str, list[str]] = {}

    def _spec(self, directory: str) -> pathspec.GitIgnoreSpec | None:
        if directory not in self._specs:
            lines: list[str] = []
            for name in (".gitignore", os.path.join(".git", "info", "exclude")):
                try:
                    with open(os.path.join(directory, name), encoding="utf-8", errors="replace") as handle:
                        lines.extend(handle.read().splitlines())
                except OSError:
                    continue
            self._specs[directory] = _spec(lines) if lines else None
        return self._specs[directory]

    def ignored(self, path: str, is_dir: bool) -> bool:
        """Whether git would ignore `path`: every `.gitignore` from the repository root down applies,
        the deepest last (a `!pattern` there re-includes)."""
        full = os.path.abspath(path)
        parent = os.path.dirname(full)
        directories = self._chains.get(parent)
        if directories is None:
            directories = self._chains[parent] = _ancestors_in_repo(parent)
        verdict = False
        for directory in directories:
            spec = self._spec(directory)
            if spec is None:
                continue
            relative = os.path.relpath(full, directory).replace(os.sep, "/") + ("/" if is_dir else "")
            result = spec.check_file(relative)
            if result.include is not None:
                verdict = bool(result.include)
        return verdict


def _spec(lines: list[str]) -> pathspec.GitIgnoreSpec:
    import pathspec  # 20 ms: only when a directory is walked or an exclude is checked

    return pathspec.GitIgnoreSpec.from_lines(lines)


def _ancestors_in_repo(directory: str) -> list[str]:
    """`directory` and its parents up to the repository root (the first with `.git`), root first;
    just `directory` outside a repository."""
    chain = [directory]
    current = directory
    while not os.path.exists(os.path.join(current, ".git")):
        parent = os.path.dirname(current)
        if parent == current:
            return [directory]
        current = parent
        chain.append(current)
    return chain[::-1]


class Excluder:
    """Configured excludes plus `.gitignore`: one decision per path."""

    def __init__(self, patterns: Iterable[str], root: str, respect_gitignore: bool = True) -> None:
        self.patterns = list(patterns)
        self._compiled: pathspec.GitIgnoreSpec | None = None  # on first use: a lone file never needs it
        self.root = os.path.abspath(root)
        self.gitignore = GitIgnore() if respect_gitignore else None

    @property
    def spec(self) -> pathspec.GitIgnoreSpec:
        if self._compiled is None:
            self._compiled = _spec(self.patterns)
        return self._compiled

    def excluded(self, path: str, is_dir: bool) -> bool:
        full = os.path.abspath(path)
        relative = os.path.relpath(full, self.root).replace(os.sep, "/")
        if relative.startswith("../"):  # outside the configuration's directory: match on the name
            relative = os.path.basename(full)
        if self.spec.match_file(relative + ("/" if is_dir else "")):
            return True
        return self.gitignore is not None and self.gitignore.ignored(path, is_dir)

    def excluded_with_parents(self, path: str) -> bool:
        """For an explicit file under `--force-exclude`: the file or any directory above it."""
        if self.excluded(path, False):
            return True
        full = os.path.abspath(path)
        parent = os.path.dirname(full)
        while parent != os.path.dirname(parent):
            if self.excluded(parent, True):
                return True
            if parent == self.root:
                break
            parent = os.path.dirname(parent)
        return False


def without_dot(path: str) -> str:
    """A path as reports print it, without a leading `./` (ruff's spelling)."""
    while path[:2] in ("./", ".\\") and len(path) > 2:
        path = path[2:]
    return path


def discover(
    paths: Sequence[str], excluder: Excluder | None = None, force_exclude: bool = False
) -> Iterator[Candidate]:
    """Files named on the command line are checked (unless `force_exclude` and excluded);
    directories are walked, sorted, without what the excluder rejects."""
    excluder = excluder or Excluder(DEFAULT_EXCLUDES, ".")
    seen: set[str] = set()
    for path in paths:
        if os.path.isdir(path):
            if force_exclude and excluder.excluded_with_parents(path):
                continue
            yield from _walk(path, seen, excluder)
        elif os.path.exists(path) or os.path.islink(path):
            if force_exclude and excluder.excluded_with_parents(path):
                continue
            if path not in seen:
                seen.add(path)
                yield Candidate(without_dot(path), explicit=True)
        else:
            yield Candidate(path, "no such file or directory")


def _walk(root: str, seen: set[str], excluder: Excluder) -> Iterator[Candidate]:
    errors: list[OSError] = []
    for directory, subdirs, files in os.walk(root, onerror=errors.append, followlinks=False):
        subdirs[:] = sorted(d for d in subdirs if not excluder.excluded(os.path.join(directory, d), True))
        for name in sorted(files):
            if name.endswith(SUFFIXES):
                full = os.path.join(directory, name)
                if full not in seen and not excluder.excluded(full, False):
                    seen.add(full)
                    yield Candidate(without_dot(full))
    for error in errors:
        yield Candidate(getattr(error, "filename", None) or root, f"cannot list directory: {error.strerror}")
