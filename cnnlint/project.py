"""A project's own modules: where an import of the project resolves to, as Python would find it.

`python train.py` puts the script's directory first on `sys.path`, so `import config` next to it is
the sibling `config.py`; a package imports its siblings relatively (`from .blocks import conv_bn`);
a `src/` layout is found through the configured `src` paths (ruff's `src` setting). Only files of
the project resolve: a module that is not found there (third-party, the standard library, a
missing file) resolves to None and stays unknown to the importer. Framework packages never
resolve to a project file, even when a directory of the same name exists (a vendored copy or a
test stub must not replace what the plugins know about TensorFlow and Keras).

Nothing here imports or runs the project's code: resolution only looks at file names.
"""

from __future__ import annotations

import ast
import hashlib
import os
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

# Where a project's root is: the nearest directory holding one of these (as ruff and mypy look).
ROOT_MARKERS = ("pyproject.toml", "setup.py", "setup.cfg", ".git")
# Top-level packages the plugins model: never looked up among the project's files.
FRAMEWORKS = frozenset({
    "tensorflow", "keras", "tf_keras", "tensorflow_datasets", "numpy", "cv2", "PIL", "sklearn", "pandas",
    "matplotlib", "skimage", "scipy", "torch", "jax", "IPython",
})


def project_root(path: str | os.PathLike[str]) -> Path:
    """The nearest directory at or above `path` with a root marker; the file's own directory if
    there is none."""
    start = Path(path).resolve()
    return _root_of(start if start.is_dir() else start.parent)


@lru_cache(maxsize=1024)
def _root_of(here: Path) -> Path:
    for directory in (here, *here.parents):
        if any((directory / marker).exists() for marker in ROOT_MARKERS):
            return directory
    return here


@dataclass(frozen=True)
class Resolver:
    """Resolves module names of one project to its files."""

    root: Path
    src: tuple[Path, ...] = ()  # extra search roots (absolute), after the importer's directory and the root

    @classmethod
    def for_file(cls, path: str | os.PathLike[str], src: Sequence[str] = ()) -> Resolver:
        return _resolver(project_root(path), tuple(src))

    def search_roots(self, importer: Path) -> list[Path]:
        """Where an absolute import of `importer` is looked up, in order: the script's directory,
        the directory above its package (for a module inside a package run from the root), the
        project root and the `src` paths."""
        roots = [importer.parent, _above_packages(importer.parent), self.root, *self.src]
        out: list[Path] = []
        for r in roots:
            if r not in out and _inside(r, self.root, self.src):
                out.append(r)
        return out

    def resolve(self, importer: str | os.PathLike[str], module: str, level: int = 0) -> Path | None:
        """The file of `module` (`a.b`; `level` leading dots of a relative import) imported from
        `importer`: `a/b.py` or `a/b/__init__.py`; None where it is not a project file."""
        importer_path = _real(os.fspath(importer))
        parts = [p for p in module.split(".") if p]
        if level:
            base = importer_path.parent
            for _ in range(level - 1):
                base = base.parent
            return _find(base, parts) if _inside(base, self.root, self.src) else None
        if not parts or parts[0] in FRAMEWORKS:
            return None
        for root in self.search_roots(importer_path):
            found = _find(root, parts)
            if found is not None and found != importer_path:
                return found
        return None

    def resolve_from(self, importer: str | os.PathLike[str], module: str, name: str, level: int = 0) -> Path | None:
        """`from module import name` where `name` is a submodule (`from models import resnet`):
        its file; None where `name` is not a module file (then it is an attribute of `module`)."""
        return self.resolve(importer, f"{module}.{name}" if module else name, level)


@lru_cache(maxsize=1024)
def _real(importer: str) -> Path:
    """The importer's absolute path with its links resolved: asked for each of a file's imports,
    and a file's place does not change while it is checked (one `realpath` per file, not per import)."""
    return Path(importer).resolve()


@lru_cache(maxsize=256)
def _resolver(root: Path, src: tuple[str, ...]) -> Resolver:
    return Resolver(root, tuple((root / s).resolve() for s in src))


def _find(base: Path, parts: list[str]) -> Path | None:
    if not parts:
        init = base / "__init__.py"
        return init if init.is_file() else None
    target = base.joinpath(*parts)
    for candidate in (target.with_name(target.name + ".py"), target / "__init__.py"):
        if candidate.is_file():
            return candidate.resolve()
    return None


def _above_packages(directory: Path) -> Path:
    """The first directory above `directory` that is not a package (no `__init__.py`)."""
    while (directory / "__init__.py").is_file() and directory.parent != directory:
        directory = directory.parent
    return directory


def _inside(path: Path, root: Path, src: Iterable[Path]) -> bool:
    return any(path == r or r in path.parents for r in (root, *src))


def imported_modules(path: Path, source: str, resolver: Resolver) -> list[Path]:
    """The project files `source` (the text of `path`) imports, in order, each once: every
    `import a.b` and `from a.b import c` (with their packages' `__init__.py`; `a/b/c.py` where `c`
    is a module), relative imports, at any depth of the file (imports inside functions count)."""
    try:
        tree = ast.parse(source)
    except (SyntaxError, ValueError):
        return []
    out: list[Path] = []

    def add(found: Path | None) -> None:
        if found is not None and found not in out and found != path:
            out.append(found)

    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                for k in range(1, len(parts) + 1):
                    add(resolver.resolve(path, ".".join(parts[:k])))
        elif isinstance(node, ast.ImportFrom):
            module = node.module or ""
            parts = module.split(".") if module else [""]
            for k in range(1, len(parts) + 1):  # the packages' `__init__.py` run first
                add(resolver.resolve(path, ".".join(parts[:k]), node.level) if module or node.level else None)
            for alias in node.names:
                if alias.name != "*":
                    add(resolver.resolve_from(path, module, alias.name, node.level))
    return out


def dependencies(path: str | os.PathLike[str], resolver: Resolver, limit: int = 200) -> list[Path]:
    """Every project file `path` depends on through imports, transitively (cycles included once),
    at most `limit` files."""
    start = Path(path).resolve()
    seen: list[Path] = []
    todo = [start]
    while todo and len(seen) < limit:
        current = todo.pop()
        for found in _imports_cached(current, resolver):
            if found != start and found not in seen:
                seen.append(found)
                todo.append(found)
    return seen


def _imports_cached(path: Path, resolver: Resolver) -> list[Path]:
    try:
        stat = path.stat()
    except OSError:
        return []
    return _imports_of(path, stat.st_mtime_ns, stat.st_size, resolver)


@lru_cache(maxsize=4096)
def _imports_of(path: Path, mtime: int, size: int, resolver: Resolver) -> list[Path]:
    try:
        source = path.read_bytes().decode("utf-8", errors="replace")
    except OSError:
        return []
    return imported_modules(path, source, resolver)


def fingerprint(paths: Iterable[Path]) -> str:
    """A digest of the contents of `paths` (for cache keys: a result depends on what it imports)."""
    digest = hashlib.sha256()
    for p in sorted(paths):
        digest.update(str(p).encode())
        try:
            digest.update(hashlib.sha256(p.read_bytes()).digest())
        except OSError:
            digest.update(b"missing")
    return digest.hexdigest()[:16]


_IMPORT = re.compile(rb"^[ \t]*(?:from[ \t]+(\.*[\w.]*)[ \t]+import[ \t]+\(?([\w, \t]+)|import[ \t]+([\w., \t]+))",
                     re.MULTILINE)


def imports_models(path: str, data: bytes, markers: Iterable[bytes], depth: int = 3) -> bool:
    """Whether a file without a framework marker imports (through at most `depth` project modules)
    a module of the project that has one: `train.py` that only does `from models import build`
    builds a model all the same. A cheap scan of import lines, no parse."""
    if b"import" not in data:
        return False
    try:
        resolver = Resolver.for_file(path)
    except OSError:
        return False
    return _reaches(Path(path).resolve(), data, resolver, tuple(markers), depth, set())


def _reaches(path: Path, data: bytes, resolver: Resolver, markers: tuple[bytes, ...], depth: int,
             seen: set[Path]) -> bool:
    seen.add(path)
    for found in _scanned_imports(path, data, resolver):
        if found in seen:
            continue
        try:
            text = found.read_bytes()
        except OSError:
            continue
        if any(m in text for m in markers):
            return True
        if depth > 1 and _reaches(found, text, resolver, markers, depth - 1, seen):
            return True
    return False


def _scanned_imports(path: Path, data: bytes, resolver: Resolver) -> list[Path]:
    out: list[Path] = []
    for match in _IMPORT.finditer(data):
        module_b, names_b, plain_b = match.groups()
        candidates: list[tuple[str, int]] = []
        if plain_b is not None:
            candidates = [(n.strip().split(" ")[0], 0) for n in plain_b.decode("ascii", "replace").split(",")]
        elif module_b is not None:
            text = module_b.decode("ascii", "replace")
            level = len(text) - len(text.lstrip("."))
            module = text[level:]
            if module or level:
                candidates.append((module, level))
            for name in (names_b or b"").decode("ascii", "replace").replace("(", "").split(","):
                name = name.strip().split(" ")[0]
                if name and name != "*":
                    candidates.append((f"{module}.{name}" if module else name, level))
        for module, level in candidates:
            if not module and not level:
                continue
            found = resolver.resolve(path, module, level)
            if found is not None and found not in out:
                out.append(found)
    return out
