"""`[tool.cnnlint]` in the nearest `pyproject.toml` (or `--config FILE`): read and validated.

Keys use ruff's kebab-case spelling. An unknown key or a value of the wrong type is a
`ConfigError` naming the key and the file (the CLI exits 2), as ruff and mypy do.

    [tool.cnnlint]
    select = ["CNN"]                      # rule codes or prefixes
    ignore = ["CNN009"]
    extend-select = []
    exclude = [".git", "build"]           # replaces the default excludes (gitignore patterns)
    extend-exclude = ["legacy/"]          # added to them
    respect-gitignore = true
    unsafe-fixes = false                  # also apply the fixes that cannot be checked (--unsafe-fixes)
    data-format = "channels_last"         # the image data format when the code does not state one
    keras-version = "2.2"                 # the Keras the code is written for (default: the pins, else 3)
    per-file-keras-version = { "legacy/*.py" = "1.2" }
    per-file-ignores = { "tests/*" = ["CNN001"] }

    [tool.cnnlint.input-shapes]           # inputs the code leaves open (no caller, never built)
    "build_model.input_shape" = [28, 28, 1]   # argument `input_shape` of an uncalled function
    "Net" = [32, 32, 3]                       # a subclassed model never called: its input, no batch
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from cnnlint.catalog import SelectionError, validate
from cnnlint.discover import DEFAULT_EXCLUDES, _spec
from cnnlint.options import DataFormat, FrontendOptions
from cnnlint.targets import KerasVersion, VersionSettings


class ConfigError(Exception):
    """A configuration file that cannot be used: exit 2 with this message."""


@dataclass(frozen=True)
class Config:
    path: str | None = None  # the file it came from; None: built-in defaults
    root: str = "."  # patterns and per-file-ignores are relative to this directory
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()
    exclude: tuple[str, ...] = tuple(sorted(DEFAULT_EXCLUDES))
    extend_exclude: tuple[str, ...] = ()
    respect_gitignore: bool = True
    unsafe_fixes: bool = False
    data_format: DataFormat = "channels_last"
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    input_shapes: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    keras_version: KerasVersion | None = None
    per_file_keras_version: tuple[tuple[str, KerasVersion], ...] = ()
    src: tuple[str, ...] = ()  # more roots for the project's own imports (ruff's `src`), relative to `root`
    follow_imports: bool = True  # analyse imports of the project's own modules (cnnlint.project)

    def versions(self, cli: KerasVersion | None = None) -> VersionSettings:
        """The stated Keras versions (the command line's `cli` first), resolved per file with the pins."""
        where = os.path.relpath(self.path) if self.path else "the configuration"
        return VersionSettings(cli, self.keras_version, where, self.per_file_keras_version, self.root)

    def fingerprint(self) -> str:
        """What changes analysis results (for the cache): everything but where the file is."""
        data = {k: v for k, v in self.__dict__.items() if k not in ("path", "root", "unsafe_fixes")}
        return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:16]

    def per_file_matchers(self) -> list[tuple[Callable[[str], bool], tuple[str, ...]]]:
        """`per-file-ignores` as (does this path match, codes): gitignore-style patterns, relative
        to the configuration's directory (`tests/*`, `*.ipynb`, `legacy/**/*.py`)."""
        out: list[tuple[Callable[[str], bool], tuple[str, ...]]] = []
        for pattern, codes in self.per_file_ignores:
            spec = _spec([pattern])

            def matches(path: str, spec: Any = spec) -> bool:
                return bool(spec.match_file(self.relative(path)))

            out.append((matches, codes))
        return out

    def relative(self, path: str) -> str:
        full = os.path.abspath(path)
        relative = os.path.relpath(full, os.path.abspath(self.root)).replace(os.sep, "/")
        return os.path.basename(full) if relative.startswith("../") else relative

    def frontend_options(self) -> FrontendOptions:
        return FrontendOptions(data_format=self.data_format, input_shapes=dict(self.input_shapes),
                               project_imports=self.follow_imports,
                               src=tuple(os.path.abspath(os.path.join(self.root, s)) for s in self.src))


def _codes(key: str, value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of rule codes, e.g. [\"CNN001\"]")
    codes = tuple(v.strip().upper() for v in value)
    try:
        validate(codes)
    except SelectionError as error:
        raise ConfigError(f"{where}: `{key}`: {error}") from error
    return codes


def _patterns(key: str, value: Any, where: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ConfigError(f"{where}: `{key}` must be a list of path patterns")
    return tuple(value)


def _shape_value(key: str, value: Any, where: str) -> tuple[int, ...]:
    ok = isinstance(value, list) and all(isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value)
    if not ok:
        raise ConfigError(f"{where}: `input-shapes.{key}` must be a list of positive integers, e.g. [28, 28, 1]")
    return tuple(value)


def keras_version(value: Any, where: str) -> KerasVersion:
    """A `keras-version` value: "1.2", "2.2.4", "3" (a bare major is its last release)."""
    text = str(value).strip() if isinstance(value, (str, int, float)) and not isinstance(value, bool) else ""
    version = KerasVersion.parse(text) if re.fullmatch(r"\d+(\.\d+){0,2}", text) else None
    if version is None or not 1 <= version.major <= 3:
        raise ConfigError(f"{where} must be a Keras version such as \"1.2\", \"2.2.4\" or \"3\", not {value!r}")
    return version


KEYS = ("select", "ignore", "extend-select", "exclude", "extend-exclude", "respect-gitignore", "unsafe-fixes",
        "data-format", "per-file-ignores", "input-shapes", "keras-version", "per-file-keras-version", "src",
        "follow-imports")


def parse(table: Mapping[str, Any], path: str | None, root: str) -> Config:
    """A `[tool.cnnlint]` table as a Config; `path` names the file in error messages."""
    where = path or "configuration"
    unknown = sorted(set(table) - set(KEYS))
    if unknown:
        raise ConfigError(f"{where}: unknown key `{unknown[0]}` in [tool.cnnlint] (known: {', '.join(KEYS)})")
    values: dict[str, Any] = {"path": path, "root": root}
    if "select" in table:
        values["select"] = _codes("select", table["select"], where)
    for key in ("ignore", "extend-select"):
        if key in table:
            values[key.replace("-", "_")] = _codes(key, table[key], where)
    for key in ("exclude", "extend-exclude", "src"):
        if key in table:
            values[key.replace("-", "_")] = _patterns(key, table[key], where)
    for key in ("respect-gitignore", "unsafe-fixes", "follow-imports"):
        if key in table:
            if not isinstance(table[key], bool):
                raise ConfigError(f"{where}: `{key}` must be true or false")
            values[key.replace("-", "_")] = table[key]
    if "data-format" in table:
        if table["data-format"] not in ("channels_last", "channels_first"):
            raise ConfigError(f"{where}: `data-format` must be \"channels_last\" or \"channels_first\", "
                              f"not {table['data-format']!r}")
        values["data_format"] = table["data-format"]
    if "per-file-ignores" in table:
        entries = table["per-file-ignores"]
        if not isinstance(entries, Mapping):
            raise ConfigError(f"{where}: `per-file-ignores` must be a table of pattern = [codes]")
        values["per_file_ignores"] = tuple(
            (pattern, _codes(f"per-file-ignores.{pattern}", codes, where)) for pattern, codes in entries.items()
        )
    if "input-shapes" in table:
        entries = table["input-shapes"]
        if not isinstance(entries, Mapping):
            raise ConfigError(f"{where}: `input-shapes` must be a table of name = [sizes]")
        values["input_shapes"] = {k: _shape_value(k, v, where) for k, v in entries.items()}
    if "keras-version" in table:
        values["keras_version"] = keras_version(table["keras-version"], f"{where}: `keras-version`")
    if "per-file-keras-version" in table:
        entries = table["per-file-keras-version"]
        if not isinstance(entries, Mapping):
            raise ConfigError(f"{where}: `per-file-keras-version` must be a table of pattern = \"version\"")
        values["per_file_keras_version"] = tuple(
            (pattern, keras_version(v, f"{where}: `per-file-keras-version.{pattern}`"))
            for pattern, v in entries.items())
    return Config(**values)


def load_file(path: str) -> Config:
    """`--config FILE`: a pyproject.toml (its [tool.cnnlint]) or a cnnlint.toml/.cnnlint.toml (top level)."""
    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from error
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    root = os.path.dirname(os.path.abspath(path))
    if os.path.basename(path) == "pyproject.toml":
        table = data.get("tool", {}).get("cnnlint", {})
    else:
        table = data
    if not isinstance(table, Mapping):
        raise ConfigError(f"{path}: [tool.cnnlint] must be a table")
    return parse(table, path, root)


def find(start: str = ".") -> Config:
    """The nearest `pyproject.toml` with a [tool.cnnlint] table, from `start` upwards (ruff's rule);
    the built-in defaults, rooted at `start`, when there is none."""
    directory = os.path.abspath(start)
    while True:
        candidate = os.path.join(directory, "pyproject.toml")
        if os.path.isfile(candidate):
            try:
                with open(candidate, "rb") as handle:
                    data = tomllib.load(handle)
            except (OSError, tomllib.TOMLDecodeError) as error:
                raise ConfigError(f"{candidate}: not valid TOML: {error}") from error
            table = data.get("tool", {}).get("cnnlint")
            if table is not None:
                if not isinstance(table, Mapping):
                    raise ConfigError(f"{candidate}: [tool.cnnlint] must be a table")
                return parse(table, candidate, directory)
        parent = os.path.dirname(directory)
        if parent == directory:
            return Config(root=os.path.abspath(start))
        directory = parent
