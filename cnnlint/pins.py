"""The Keras and TensorFlow versions a project pins, read from its dependency files.

Read as ruff reads `requires-python`: never by running anything (`setup.py` is parsed, not
executed). The files, in the order they are consulted (the first that pins a package wins):
`pyproject.toml` (`[project] dependencies` and `optional-dependencies`, Poetry's
`[tool.poetry.dependencies]` and groups), `setup.cfg` (`install_requires`, `extras_require`),
`setup.py` (string literals in `install_requires=` / `extras_require=` and in lists they name),
`requirements*.txt` (and `requirements/*.txt`), `Pipfile`, `environment.yml` / `environment.yaml`
(conda's `name=version` and its `pip:` list).

A requirement gives a version where it says one: `==2.2.4`, `===2.2.4`, `==2.2.*`, conda's
`=2.2`, `~=2.2`, Poetry's `^2.2` / `~2.2`, and `>=2.2` (its lower bound, as ruff takes the
lower bound of `requires-python`). An upper bound alone (`keras<3`) gives the last release
below it where that is known (`LAST_BEFORE`); a bare name gives nothing.
"""

from __future__ import annotations

import ast
import configparser
import os
import re
import sys
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import lru_cache

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

from cnnlint.targets import (
    DEFAULT_KERAS,
    DEFAULT_TF_KERAS,
    KERAS_PACKAGE_FROM_TF,
    KerasTarget,
    KerasTargets,
    KerasVersion,
    VersionSettings,
    stated_targets,
    tf_keras_of_tensorflow,
)

# Distribution names, normalised (PEP 503), by what they provide.
KERAS_NAMES = frozenset({"keras"})
TF_KERAS_NAMES = frozenset({"tf-keras"})
TENSORFLOW_NAMES = frozenset({"tensorflow", "tensorflow-gpu", "tensorflow-cpu", "tensorflow-macos",
                              "tensorflow-intel", "intel-tensorflow", "tensorflow-aarch64", "tensorflow-rocm",
                              "tensorflow-directml"})
PACKAGES = {**{n: "keras" for n in KERAS_NAMES}, **{n: "tf-keras" for n in TF_KERAS_NAMES},
            **{n: "tensorflow" for n in TENSORFLOW_NAMES}}
# The last release below an upper bound, for `keras<3`, `keras<2.4`, `tensorflow<2`, `tensorflow<2.16`.
LAST_BEFORE: dict[str, dict[tuple[int, int], KerasVersion]] = {
    "keras": {(2, 0): KerasVersion(1, 2, 2), (3, 0): KerasVersion(2, 15, 0), (2, 4): KerasVersion(2, 3, 1)},
    "tensorflow": {(2, 0): KerasVersion(1, 15, 5), (3, 0): KerasVersion(2, 21, 0), (2, 16): KerasVersion(2, 15, 1)},
}
_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*(\[[^\]]*\])?\s*(.*)$")
_CLAUSE = re.compile(r"(===|==|~=|>=|<=|!=|>|<|=|\^|~)\s*([0-9][0-9A-Za-z.*+!-]*)")


@dataclass(frozen=True)
class Pin:
    """A package's version as a dependency file states it."""

    package: str  # "keras", "tf-keras" or "tensorflow"
    version: KerasVersion
    file: str
    line: int
    text: str  # the requirement as written

    def where(self) -> str:
        return f"{self.file}:{self.line}: {self.text}"


def normalise(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def version_of(package: str, spec: str) -> KerasVersion | None:
    """The version a requirement's specifier gives (see the module's docstring), None if none."""
    spec = spec.split(";")[0].split("#")[0].strip().strip("\"'")
    if not spec or spec == "*":
        return None
    lower: KerasVersion | None = None
    upper: KerasVersion | None = None
    for op, text in _CLAUSE.findall(spec):
        version = KerasVersion.parse(text.rstrip(".*"), bare_is_last=False)
        if version is None:
            continue
        if op in ("==", "===", "=", "~=", "^", "~", ">=", ">"):
            if op in ("==", "===", "="):
                return version
            lower = version if lower is None or version > lower else lower
        elif op == "<" or op == "<=":
            upper = version if op == "<=" else (LAST_BEFORE.get(package, {}).get((version.major, version.minor))
                                                 or upper)
    return lower if lower is not None else upper


def parse_requirement(text: str) -> tuple[str, KerasVersion | None] | None:
    """(package, version) of a requirement line naming Keras or TensorFlow, else None."""
    text = text.split("#")[0].strip()
    if not text or text.startswith(("-", "git+", "http:", "https:")):
        return None
    match = _NAME.match(text)
    if match is None:
        return None
    package = PACKAGES.get(normalise(match.group(1)))
    if package is None:
        return None
    rest = match.group(3).strip()
    if rest.startswith("@"):
        return package, None  # a URL
    return package, version_of(package, rest)


def _requirement_lines(text: str) -> Iterator[tuple[int, str]]:
    yield from enumerate(text.splitlines(), 1)


def _pins_from_lines(file: str, lines: Iterator[tuple[int, str]]) -> Iterator[Pin]:
    for number, line in lines:
        parsed = parse_requirement(line)
        if parsed is not None and parsed[1] is not None:
            yield Pin(parsed[0], parsed[1], file, number, line.strip())


def _line_of(text: str, needle: str) -> int:
    for number, line in enumerate(text.splitlines(), 1):
        if needle in line:
            return number
    return 1


def from_requirements(file: str, text: str) -> Iterator[Pin]:
    return _pins_from_lines(file, _requirement_lines(text))


def from_pyproject(file: str, text: str) -> Iterator[Pin]:
    data = tomllib.loads(text)
    project = data.get("project", {})
    requirements: list[str] = list(project.get("dependencies", []) or [])
    for group in (project.get("optional-dependencies", {}) or {}).values():
        requirements.extend(group or [])
    for group in (data.get("dependency-groups", {}) or {}).values():
        requirements.extend(r for r in group or [] if isinstance(r, str))
    for requirement in requirements:
        if isinstance(requirement, str):
            yield from _pins_from_lines(file, iter([(_line_of(text, requirement), requirement)]))
    poetry = data.get("tool", {}).get("poetry", {})
    tables = [poetry.get("dependencies", {}), poetry.get("dev-dependencies", {})]
    tables += [g.get("dependencies", {}) for g in (poetry.get("group", {}) or {}).values() if isinstance(g, dict)]
    for table in tables:
        yield from _from_name_table(file, text, table)


def _from_name_table(file: str, text: str, table: object) -> Iterator[Pin]:
    """`keras = "==2.2.4"` / `keras = {version = "^2.2"}` (Poetry, Pipfile)."""
    if not isinstance(table, dict):
        return
    for name, value in table.items():
        package = PACKAGES.get(normalise(str(name)))
        if package is None:
            continue
        spec = value.get("version") if isinstance(value, dict) else value
        if not isinstance(spec, str):
            continue
        spec = spec.strip()
        version = version_of(package, spec if spec[:1] in "=<>~^!*" else f"=={spec}")
        if version is not None:
            line = _line_of(text, str(name))
            yield Pin(package, version, file, line, text.splitlines()[line - 1].strip() if text else spec)


def from_setup_cfg(file: str, text: str) -> Iterator[Pin]:
    parser = configparser.ConfigParser(interpolation=None)
    parser.read_string(text)
    values: list[str] = []
    if parser.has_option("options", "install_requires"):
        values.append(parser.get("options", "install_requires"))
    if parser.has_section("options.extras_require"):
        values.extend(v for _, v in parser.items("options.extras_require"))
    for value in values:
        for requirement in value.splitlines():
            if requirement.strip():
                yield from _pins_from_lines(file, iter([(_line_of(text, requirement.strip()), requirement)]))


def from_setup_py(file: str, text: str) -> Iterator[Pin]:
    """String literals in `install_requires=` / `extras_require=` and in the lists those name
    (`REQUIRED = [...]`); the file is parsed with `ast`, never run."""
    tree = ast.parse(text)
    named: dict[str, ast.AST] = {}
    for node in ast.walk(tree):
        if isinstance(node, ast.Assign) and len(node.targets) == 1 and isinstance(node.targets[0], ast.Name):
            named[node.targets[0].id] = node.value
    roots: list[ast.AST] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.keyword) and node.arg in ("install_requires", "extras_require", "requires"):
            value = node.value
            roots.append(named.get(value.id, value) if isinstance(value, ast.Name) else value)
    for root in roots:
        for leaf in ast.walk(root):
            if isinstance(leaf, ast.Constant) and isinstance(leaf.value, str):
                yield from _pins_from_lines(file, iter([(leaf.lineno, leaf.value)]))


def from_pipfile(file: str, text: str) -> Iterator[Pin]:
    data = tomllib.loads(text)
    for key in ("packages", "dev-packages"):
        yield from _from_name_table(file, text, data.get(key, {}))


def from_environment_yml(file: str, text: str) -> Iterator[Pin]:
    """conda's `- keras=2.2.4` / `- tensorflow-gpu==1.15` and the `pip:` list, read line by line."""
    for number, line in enumerate(text.splitlines(), 1):
        item = line.strip()
        if not item.startswith("- "):
            continue
        item = item[2:].strip().strip("\"'")
        if "::" in item:
            item = item.split("::", 1)[1]  # conda-forge::keras=2.2
        item = re.sub(r"^([A-Za-z0-9._-]+)\s+([0-9])", r"\1==\2", item)  # `keras 2.2.4`
        yield from _pins_from_lines(file, iter([(number, item)]))


READERS = (
    ("pyproject.toml", from_pyproject),
    ("setup.cfg", from_setup_cfg),
    ("setup.py", from_setup_py),
)
_REQUIREMENTS = re.compile(r"^requirements[\w.-]*\.(txt|in)$")


def pin_files(directory: str) -> list[str]:
    """The dependency files of `directory`, in the order they are consulted."""
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return []
    files = [name for name, _ in READERS if name in names]
    files += [name for name in names if _REQUIREMENTS.match(name)]
    if "requirements" in names and os.path.isdir(os.path.join(directory, "requirements")):
        files += [os.path.join("requirements", n) for n in pin_files_in(os.path.join(directory, "requirements"))]
    files += [name for name in ("Pipfile", "environment.yml", "environment.yaml") if name in names]
    return files


def pin_files_in(directory: str) -> list[str]:
    try:
        return sorted(n for n in os.listdir(directory) if n.endswith((".txt", ".in")))
    except OSError:
        return []


def _reader(name: str) -> Callable[[str, str], Iterator[Pin]]:
    base = os.path.basename(name)
    for file, reader in READERS:
        if base == file:
            return reader
    if base == "Pipfile":
        return from_pipfile
    if base.startswith("environment."):
        return from_environment_yml
    return from_requirements


@dataclass(frozen=True)
class ProjectPins:
    """The first pin of each package in a project's dependency files, and the files that were
    read or could not be (a file that does not parse is skipped with its reason)."""

    directory: str | None
    pins: dict[str, Pin]
    problems: tuple[str, ...] = ()
    files: tuple[str, ...] = ()


@lru_cache(maxsize=256)
def pins_in(directory: str) -> ProjectPins:
    """The pins of the dependency files in `directory` (not its parents)."""
    found: dict[str, Pin] = {}
    problems: list[str] = []
    files = pin_files(directory)
    for name in files:
        path = os.path.join(directory, name)
        try:
            with open(path, encoding="utf-8", errors="replace") as handle:
                text = handle.read(1_000_000)
            pins = list(_reader(name)(name, text))
        except (OSError, ValueError, SyntaxError, configparser.Error) as error:
            problems.append(f"{name}: not read ({type(error).__name__}: {str(error)[:100]})")
            continue
        for pin in pins:
            found.setdefault(pin.package, pin)
    return ProjectPins(directory, found, tuple(problems), tuple(files))


def _is_project_root(directory: str) -> bool:
    return any(os.path.exists(os.path.join(directory, marker)) for marker in (".git", ".hg"))


@lru_cache(maxsize=1024)
def project_pins(directory: str) -> ProjectPins:
    """The pins that apply to a file in `directory`: those of the nearest directory, from it up to
    the repository's root (`.git`), that has dependency files (the file's project; its files may
    pin neither Keras nor TensorFlow, and then nothing is pinned: a parent's pins are another
    project's)."""
    current = os.path.abspath(directory)
    while True:
        pins = pins_in(current)
        if pins.files:
            return pins
        parent = os.path.dirname(current)
        if parent == current or _is_project_root(current):
            return ProjectPins(None, {})
        current = parent


def targets_from_pins(found: ProjectPins) -> KerasTargets:
    """The targets a project's pins give (the defaults for what they do not pin)."""
    keras_pin = found.pins.get("keras")
    tf_pin = found.pins.get("tensorflow")
    tf_keras = DEFAULT_TF_KERAS
    keras = DEFAULT_KERAS
    if tf_pin is not None:
        tf_keras = KerasTarget(tf_keras_of_tensorflow(tf_pin.version), _where(found, tf_pin), in_tensorflow=True)
        if tf_pin.version.parts[:2] >= KERAS_PACKAGE_FROM_TF:
            keras = KerasTarget(tf_keras.version, f"{_where(found, tf_pin)} (the keras it installs)")
    if keras_pin is not None:
        keras = KerasTarget(keras_pin.version, _where(found, keras_pin))
    return KerasTargets(keras, tf_keras, tensorflow=tf_pin.version if tf_pin is not None else None)


def _where(found: ProjectPins, pin: Pin) -> str:
    path = os.path.join(found.directory, pin.file) if found.directory else pin.file
    return f"{os.path.relpath(path)}:{pin.line}: {pin.text}"


def targets_for_file(path: str, versions: VersionSettings) -> KerasTargets:
    """The targets of one file: the command line, a matching `per-file-keras-version`, the
    configuration's `keras-version`, the pins, the default (see cnnlint.targets)."""
    below = targets_from_pins(project_pins(os.path.dirname(os.path.abspath(path)) or "."))
    stated = versions.stated_for(path)
    if stated is None:
        return below
    return stated_targets(stated[0], stated[1], below)
