"""A whole run: candidates -> (prefilter, cache, process pool) -> FileResults in input order.

- **Prefilter**: a file found under a directory whose bytes never say `tensorflow` or `keras`
  is not parsed at all (files named on the command line always are).
- **Cache**: `.cnnlint_cache/` next to the configuration, one JSON entry per file keyed on the
  file's bytes, its path, the cnnlint version and the effective settings. JSON, never pickle:
  the directory may come from an untrusted checkout. A corrupt entry is a miss, never an error.
- **Jobs**: files that need analysing are spread over a process pool; results are put back in
  input order, so output never depends on `--jobs`.
"""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from cnnlint import __version__, catalog, project
from cnnlint.discover import Candidate
from cnnlint.findings import Diagnostic, Edit, Extra, Fix, Loc, Related, TraceStep
from cnnlint.options import FrontendOptions
from cnnlint.runner import MARKERS, FileResult, check_bytes, read_bytes, relevant

if TYPE_CHECKING:
    from cnnlint.rules import Rule
from cnnlint.targets import VersionSettings

CACHE_DIR = ".cnnlint_cache"
# Below this many files to analyse, a pool costs more than it saves.
POOL_THRESHOLD = 8


@dataclass(frozen=True)
class Settings:
    """Everything that decides a file's result, besides its bytes and path."""

    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    options: FrontendOptions = field(default_factory=FrontendOptions)
    keep_modules: bool = False  # `shapes` and `--confirm` need the IR: no cache, no pool
    # `--keras-version` / `keras-version` / `per-file-keras-version`; None: `options.keras` as given
    # (a caller that sets the targets itself), no pins read.
    versions: VersionSettings | None = None

    def options_for(self, path: str) -> FrontendOptions:
        """The options of one file: its Keras targets resolved (settings, then the project's pins)."""
        if self.versions is None:
            return self.options
        from dataclasses import replace

        from cnnlint.pins import targets_for_file

        return replace(self.options, keras=targets_for_file(path, self.versions))

    def key(self) -> str:
        data = {"version": __version__, "code": _code_fingerprint(), "select": self.select, "ignore": self.ignore,
                "extend_select": self.extend_select, "options": self.options.as_dict()}
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=list).encode()).hexdigest()

    def validate(self) -> None:
        """Raise SelectionError for an unknown code, without importing the rules."""
        catalog.selected(list(self.select) if self.select is not None else None, self.ignore, self.extend_select)

    def rules(self) -> list[Rule]:
        """The enabled rules (raises SelectionError for an unknown code)."""
        from cnnlint.rules import select_rules

        return select_rules(list(self.select) if self.select is not None else None, self.ignore, self.extend_select)


_FINGERPRINT: list[str] = []


def _code_fingerprint() -> str:
    """cnnlint's own source files (names, sizes, times): an edited checkout does not reuse answers
    its previous code gave, even at the same version number."""
    if not _FINGERPRINT:
        package = os.path.dirname(os.path.abspath(__file__))
        digest = hashlib.sha256()
        for directory, subdirs, files in sorted(os.walk(package)):
            subdirs.sort()
            for name in sorted(files):
                if name.endswith(".py"):
                    stat = os.stat(os.path.join(directory, name))
                    digest.update(f"{os.path.relpath(directory, package)}/{name}:{stat.st_size}:{stat.st_mtime_ns}\n"
                                  .encode())
        _FINGERPRINT.append(digest.hexdigest())
    return _FINGERPRINT[0]


# A worker process's settings and rules, set once by `_worker_init`.
_WORKER_STATE: list[tuple[Settings, list[Rule]]] = []


def _worker_init(settings: Settings) -> None:
    _WORKER_STATE[:] = [(settings, settings.rules())]


def _worker_batch(jobs: Sequence[tuple[str, bytes, bool, FrontendOptions]]) -> list[FileResult]:
    _, rules = _WORKER_STATE[0]
    out = []
    for path, data, prefilter, options in jobs:
        result = check_bytes(path, data, rules, options, prefilter)
        result.module = None  # the IR is not sent back across processes
        out.append(result)
    return out


# -- cache ------------------------------------------------------------------------------------
def dump_result(result: FileResult) -> dict[str, Any]:
    return {
        "error": result.error,
        "skipped": result.skipped,
        "coverage": list(result.coverage),
        "diagnostics": [
            {
                "code": d.code, "name": d.name, "severity": d.severity, "path": d.path,
                "loc": _dump_loc(d.loc), "message": d.message,
                "trace": [[s.line, s.op, list(s.shape) if s.shape is not None else None, s.label, s.api, s.path,
                           list(s.explain), s.call] for s in d.trace],
                "fix": _dump_fix(d.fix), "cell": d.cell, "extra": _dump_extra(d.extra),
                "related": [[r.path, *_dump_loc(r.loc), r.message, r.cell] for r in d.related],
            }
            for d in result.diagnostics
        ],
    }


def load_result(path: str, data: Mapping[str, Any]) -> FileResult:
    diagnostics = [
        Diagnostic(
            d["code"], d["name"], d["severity"], d["path"], Loc(*d["loc"]), d["message"],
            tuple(TraceStep(s[0], s[1], tuple(s[2]) if s[2] is not None else None, s[3], s[4],
                            s[5] if len(s) > 5 else "", tuple(s[6]) if len(s) > 6 else (),
                            s[7] if len(s) > 7 else "") for s in d["trace"]),
            fix=_load_fix(d["fix"]), cell=d["cell"], extra=_load_extra(d["extra"]),
            related=tuple(Related(r[0], Loc(*r[1:5]), r[5], r[6]) for r in d.get("related", ())),
        )
        for d in data["diagnostics"]
    ]
    covered = data.get("coverage") or (0, 0, 0)
    return FileResult(path, diagnostics, error=data["error"], skipped=bool(data["skipped"]),
                      coverage=(int(covered[0]), int(covered[1]), int(covered[2])))


def _dump_loc(loc: Loc) -> list[int]:
    return [loc.line, loc.column, loc.end_line, loc.end_column]


def _dump_fix(fix: Fix | None) -> list[Any] | None:
    if fix is None:
        return None
    return [fix.message, fix.applicability, [[*_dump_loc(e.loc), e.content, e.cell] for e in fix.edits]]


def _load_fix(data: Any) -> Fix | None:
    if data is None:
        return None
    message, applicability, edits = data
    if applicability not in ("safe", "unsafe"):
        raise ValueError(f"not an applicability: {applicability!r}")
    return Fix(message, tuple(Edit(Loc(*e[:4]), e[4], e[5]) for e in edits), applicability)


def _dump_extra(extra: Extra) -> dict[str, Any]:
    # The shape engine's problems stay behind: a result from the cache is never confirmed.
    return {"node": extra.node, "fails_at": extra.fails_at, "feed": extra.feed, "modern": extra.modern,
            "confirmation": extra.confirmation}


def _load_extra(data: Any) -> Extra:
    def pair(value: Any) -> tuple[int, int] | None:
        return None if value is None else (int(value[0]), int(value[1]))

    return Extra(node=pair(data["node"]), fails_at=pair(data["fails_at"]), feed=data["feed"], modern=data["modern"],
                 confirmation=data["confirmation"])


class Cache:
    """One JSON file per (settings, path, bytes) under `directory`."""

    def __init__(self, directory: str, settings: Settings) -> None:
        self.directory = directory
        self.settings_key = settings.key()
        self.hits = 0
        self._imports: dict[str, str] = {}

    def _file(self, path: str, data: bytes, options: FrontendOptions | None = None, shown: str | None = None) -> str:
        """The entry of `path` holding `data`. `shown` is the name the entry knows the file by (the
        path a run from the project's root gives it; `path` where None): the language server reads
        files by absolute path and shares the entries of the command line's runs."""
        digest = hashlib.sha256()
        digest.update(self.settings_key.encode())
        if options is not None:  # what is resolved per file (the Keras targets)
            digest.update(json.dumps(options.keras.as_dict(), sort_keys=True).encode())
            if options.project_imports and os.path.isfile(path):  # and what the file imports of the project
                digest.update(self._imports_digest(path, options).encode())
        digest.update(b"\0" + (path if shown is None else shown).encode("utf-8", "surrogateescape") + b"\0")
        digest.update(data)
        name = digest.hexdigest()
        return os.path.join(self.directory, name[:2], name[2:] + ".json")

    def _imports_digest(self, path: str, options: FrontendOptions) -> str:
        """The content digest of the project files `path` imports, once per run (the lookup of a
        result and its storing both need it; files do not change during a run)."""
        found = self._imports.get(path)
        if found is None:
            resolver = project.Resolver.for_file(path, options.src)
            found = self._imports[path] = project.fingerprint(project.dependencies(path, resolver))
        return found

    def get(self, path: str, data: bytes, options: FrontendOptions | None = None,
            shown: str | None = None) -> FileResult | None:
        try:
            with open(self._file(path, data, options, shown), encoding="utf-8") as handle:
                result = load_result(path if shown is None else shown, json.load(handle))
        except FileNotFoundError:
            return None
        except (OSError, ValueError, KeyError, TypeError, IndexError):
            return None  # a corrupt or foreign entry is a miss
        self.hits += 1
        return result

    def put(self, path: str, data: bytes, result: FileResult, options: FrontendOptions | None = None,
            shown: str | None = None) -> None:
        if result.internal:
            return  # a crash is not a result worth keeping
        target = self._file(path, data, options, shown)
        try:
            os.makedirs(os.path.dirname(target), exist_ok=True)
            _ensure_gitignore(self.directory)
            import tempfile

            fd, temp = tempfile.mkstemp(dir=os.path.dirname(target), suffix=".tmp")
            with os.fdopen(fd, "w", encoding="utf-8") as handle:
                json.dump(dump_result(result), handle)
            os.replace(temp, target)
        except OSError:
            pass  # a read-only checkout: run without a cache


def _ensure_gitignore(directory: str) -> None:
    marker = os.path.join(directory, ".gitignore")
    if not os.path.exists(marker):
        with open(marker, "w", encoding="utf-8") as handle:
            handle.write("# Automatically created by cnnlint.\n*\n")


# -- the run ----------------------------------------------------------------------------------
def run(candidates: Iterable[Candidate], settings: Settings, jobs: int = 1, cache: Cache | None = None,
        progress: Callable[[int], None] | None = None) -> list[FileResult]:
    """One FileResult per candidate, in order. `progress(n)` is told each time n more files are done.

    The files to analyse are read twice: once to prefilter them and look them up in the cache, and
    again when their turn comes, so that the run holds the bytes of the files being analysed (a
    few per worker), never those of the whole tree."""
    results: list[FileResult | None] = []
    pending: list[tuple[int, str, bool, FrontendOptions]] = []
    for candidate in candidates:
        index = len(results)
        results.append(None)
        if candidate.error is not None:
            results[index] = FileResult(candidate.path, error=candidate.error)
            continue
        data = read_bytes(candidate.path)
        if isinstance(data, FileResult):
            results[index] = data
            continue
        prefilter = not candidate.explicit
        if prefilter and not relevant(data):
            if not (settings.options.project_imports and _imports_models(candidate.path, data)):
                results[index] = FileResult(candidate.path, skipped=True)
                continue
            prefilter = False  # no marker, but it imports a project module that builds models
        options = settings.options_for(candidate.path)
        cached = cache.get(candidate.path, data, options) if cache is not None and not settings.keep_modules else None
        if cached is not None:
            results[index] = cached
            continue
        pending.append((index, candidate.path, prefilter, options))
    if progress is not None:
        progress(len(results) - len(pending))
    store = cache if not settings.keep_modules else None

    def done(index: int, path: str, data: bytes | None, result: FileResult, options: FrontendOptions) -> None:
        results[index] = result
        if store is not None and data is not None:
            store.put(path, data, result, options)
        if progress is not None:
            progress(1)

    workers = min(jobs, len(pending)) if not settings.keep_modules and len(pending) >= POOL_THRESHOLD else 1
    if workers > 1:
        _pooled(pending, settings, workers, done)
    elif pending:
        rules = settings.rules()
        for index, path, prefilter, options in pending:
            data = read_bytes(path)
            if isinstance(data, FileResult):  # gone or unreadable since it was listed
                done(index, path, None, data, options)
                continue
            result = check_bytes(path, data, rules, options, prefilter)
            if not settings.keep_modules:
                result.module = None
            done(index, path, data, result, options)
    return _once([r for r in results if r is not None])


# Files sent to the pool in one task (fewer round trips), and tasks in flight per worker.
_CHUNK = 4
_IN_FLIGHT = 4


def _pooled(pending: Sequence[tuple[int, str, bool, FrontendOptions]], settings: Settings, workers: int,
            done: Callable[[int, str, bytes | None, FileResult, FrontendOptions], None]) -> None:
    """`pending` checked by a pool of `workers` processes, a bounded number of tasks in flight."""
    from collections import deque
    from concurrent.futures import Future, ProcessPoolExecutor

    Task = list[tuple[int, str, bytes, FrontendOptions]]
    flight: deque[tuple[Task, Future[list[FileResult]]]] = deque()

    def finish() -> None:
        task, future = flight.popleft()
        for (index, path, data, options), result in zip(task, future.result(), strict=True):
            done(index, path, data, result, options)

    with ProcessPoolExecutor(workers, initializer=_worker_init, initargs=(settings,)) as pool:
        for start in range(0, len(pending), _CHUNK):
            task: Task = []
            jobs: list[tuple[str, bytes, bool, FrontendOptions]] = []
            for index, path, prefilter, options in pending[start:start + _CHUNK]:
                data = read_bytes(path)
                if isinstance(data, FileResult):
                    done(index, path, None, data, options)
                    continue
                task.append((index, path, data, options))
                jobs.append((path, data, prefilter, options))
            if task:
                flight.append((task, pool.submit(_worker_batch, jobs)))
            while len(flight) >= workers * _IN_FLIGHT:
                finish()
        while flight:
            finish()


def _imports_models(path: str, data: bytes) -> bool:
    return project.imports_models(path, data, MARKERS)


def _once(results: list[FileResult]) -> list[FileResult]:
    """A finding in an imported module of the project, reported for each file that runs that code
    (and by the module itself), is reported once: where it came first."""
    seen: set[tuple[str, str, object, str]] = set()
    for result in results:
        for d in result.diagnostics:
            if d.path == result.path:
                seen.add((os.path.normpath(d.path), d.code, d.loc, d.message))
    for result in results:
        kept = []
        for d in result.diagnostics:
            key = (os.path.normpath(d.path), d.code, d.loc, d.message)
            if d.path != result.path:
                if key in seen:
                    continue
                seen.add(key)
            kept.append(d)
        result.diagnostics = kept
    return results


def apply_per_file_ignores(results: Sequence[FileResult],
                           ignores: Sequence[tuple[Callable[[str], bool], tuple[str, ...]]]) -> None:
    """Drop diagnostics whose code a matching `per-file-ignores` entry lists (prefixes allowed)."""
    if not ignores:
        return
    for result in results:
        result.diagnostics = [d for d in result.diagnostics
                              if not any(d.code.startswith(code) for matches, listed in ignores
                                         if matches(d.path) for code in listed)]
