"""Imports of the project's own modules: what an imported module exports, as a summary.

`from config import NUM_CLASSES, IMAGE_SIZE`, `import config` then `config.IMAGE_SIZE`,
`from utils import *`, `from .compat import keras` (a project module that re-exports a framework):
the imported file (resolved by `cnnlint.project`, never imported or run) is interpreted once per
process, and the values its module body leaves are used at the import site.

A summary holds the values that mean the same in every file: constants, tuples, lists and dicts
of them, framework modules or names re-exported by the project (`keras = tf.keras`), and the
module's functions and classes (`from models import build_model`): called in the importing file,
they run there with that call's arguments, and the ops they add keep their own file's positions
(`Loc.path`), so a finding inside a builder is reported in the builder's file, with the call as a
related location. A model or tensor the other module builds at import time is not carried over
(it belongs to that module's own run): it stays unknown at the import. A module that does not parse, an import cycle or
a module over budget gives no summary (its names stay unknown); the module's own findings are
reported when that file itself is checked.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import CodeRange

from cnnlint.frontend.python import positions
from cnnlint.frontend.python.join import copy
from cnnlint.frontend.python.values import UNKNOWN, ClassV, Const, DictV, FuncV, ModuleV, ObjectV, SeqV, Value
from cnnlint.ir import Loc
from cnnlint.project import Resolver

if TYPE_CHECKING:
    from cnnlint.frontend.python.evaluator import Evaluator
    from cnnlint.frontend.python.scope import Scope

MAX_DEPTH = 8  # modules importing modules, nested
MAX_SUMMARIES = 256  # per process
MAX_BYTES = 2_000_000  # a bigger module is not summarised
SUMMARY_SECONDS = 3.0  # the interpreter's budget for one imported module's body


@dataclass(eq=False)
class ProjectModuleV(Value):
    """A module of the project (`import config`): its summary's values by name. A name the summary
    does not hold is read as before, by its dotted path (`ModuleV("config.name")`)."""

    path: str
    dotted: str
    exports: dict[str, Value] = field(default_factory=dict)

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        found = self.exports.get(attr)
        return found if found is not None else ModuleV(f"{self.dotted}.{attr}")


@dataclass
class Summary:
    """What a module body leaves: its plain values, and the framework modules it star-imports."""

    values: dict[str, Value]
    star_imports: list[str]


@dataclass(eq=False)
class FileContext:
    """Another project file whose functions run for the file being checked: its positions, for the
    ranges of the ops they add (resolved by its interpreter on first use)."""

    path: str
    module: cst.Module
    interpreter: Evaluator
    _lines: list[str] | None = None

    @property
    def positions(self) -> Mapping[cst.CSTNode, CodeRange]:
        return self.interpreter.positions

    def lines(self) -> list[str]:
        if self._lines is None:
            self._lines = _LINE.findall(positions.text_of(self.module))
        return self._lines


_LINE = re.compile(r"[^\n]*\n|[^\n]+$")
_CONTEXTS = positions.CONTEXTS


def context_of(node: cst.CSTNode, running: Sequence[FileContext] = (),
               known: Sequence[FileContext] | None = None) -> FileContext | None:
    """The other project file `node` belongs to (None: not one that a summary holds); the files
    whose functions are `running` are tried first, so that other files' positions stay unresolved."""
    for context in (*reversed(running), *reversed(_CONTEXTS if known is None else known)):
        if node in context.positions:
            return context
    return None


def foreign_loc(node: cst.CSTNode, entry: tuple[int, ...], running: Sequence[FileContext] = (),
                known: Sequence[FileContext] | None = None) -> Loc:
    """The range of a node of another project file (`entry`: the call in the checked file that ran
    it); KeyError for a node of no known file."""
    context = context_of(node, running, known)
    if context is None:
        raise KeyError(node)
    rng = context.positions[node]
    return Loc(rng.start.line, rng.start.column + 1, rng.end.line, rng.end.column + 1, context.path, entry)


def lines_of(node: cst.CSTNode) -> list[str]:
    """The lines of the other project file `node` belongs to."""
    context = context_of(node)
    return context.lines() if context is not None else []


_SUMMARIES: dict[tuple[str, int, int, str], Summary | None] = {}
_ACTIVE: list[str] = []
# The trees of the imported files, by their text: a file checked after another file imported it is
# not parsed again (`frontend.parse`). Cleared with the summaries.
_PARSED: dict[int, tuple[str, cst.Module]] = {}


def parsed(text: str) -> cst.Module | None:
    """The tree of `text` if an imported file with exactly that text was parsed in this process."""
    found = _PARSED.get(hash(text))
    return found[1] if found is not None and found[0] == text else None


def resolver_for(interp: Evaluator) -> Resolver | None:
    if not interp.options.project_imports or interp.path in ("", "<string>") or not os.path.isfile(interp.path):
        return None
    return Resolver.for_file(interp.path, interp.options.src)


def module_value(interp: Evaluator, module: str, level: int) -> Value | None:
    """`import module` / `from module import name` where `module` is a project file: its value;
    None where it is not one (a framework, a third-party or missing module)."""
    resolver = resolver_for(interp)
    if resolver is None:
        return None
    found = resolver.resolve(interp.path, module, level)
    if found is None:
        return None
    return _module(interp, found, "." * level + module)


def _module(interp: Evaluator, path: Path, dotted: str) -> ProjectModuleV:
    found = summary(interp, path)
    return ProjectModuleV(str(path), dotted, dict(found.values) if found is not None else {})


def from_import(interp: Evaluator, module: str, name: str, level: int) -> Value | None:
    """`from module import name`: the submodule `name` if it is a file, else the name in the
    module's summary; None where `module` is not the project's or its summary lacks the name (the
    name is then read as before, by its path)."""
    resolver = resolver_for(interp)
    if resolver is None:
        return None
    sub = resolver.resolve_from(interp.path, module, name, level)
    if sub is not None:
        return _module(interp, sub, f"{'.' * level}{module}.{name}")
    found = resolver.resolve(interp.path, module, level) if module or level else None
    if found is None:
        return None
    exported = summary(interp, found)
    value = exported.values.get(name) if exported is not None else None
    return None if value is None else copy(value, {})  # each importer its own list, dict or object


def star_import(interp: Evaluator, module: str, level: int) -> Summary | None:
    """`from module import *`: the public names of a project module (its `__all__` where that is a
    list of strings) and the framework modules it star-imports itself; None where `module` is not
    the project's or has no summary."""
    resolver = resolver_for(interp)
    found = resolver.resolve(interp.path, module, level) if resolver is not None else None
    exported = summary(interp, found) if found is not None else None
    if exported is None:
        return None
    exports = exported.values
    names = exports.get("__all__")
    if isinstance(names, SeqV) and all(isinstance(i, Const) and isinstance(i.value, str) for i in names.items):
        wanted = {str(i.value) for i in names.items if isinstance(i, Const)}
        return Summary({k: copy(v, {}) for k, v in exports.items() if k in wanted}, exported.star_imports)
    return Summary({k: copy(v, {}) for k, v in exports.items() if not k.startswith("_")}, exported.star_imports)


def summary(interp: Evaluator, path: Path) -> Summary | None:
    """The plain values `path`'s module body leaves, computed once per process and file version."""
    try:
        stat = path.stat()
    except OSError:
        return None
    settings = interp.options.as_dict()
    settings.pop("file_seconds")  # the summaries' own budget differs from their importer's
    key = (str(path), stat.st_mtime_ns, stat.st_size, repr(settings))
    if key in _SUMMARIES:
        return _SUMMARIES[key]
    if str(path) in _ACTIVE or len(_ACTIVE) >= MAX_DEPTH or stat.st_size > MAX_BYTES:
        return None  # a cycle (Python would see a partly run module), or too deep
    if len(_SUMMARIES) >= MAX_SUMMARIES:
        _SUMMARIES.clear()
        _CONTEXTS.clear()
        _PARSED.clear()
    _ACTIVE.append(str(path))
    try:
        result = _summarise(interp, path)
    finally:
        _ACTIVE.pop()
    _SUMMARIES[key] = result
    return result


def _summarise(interp: Evaluator, path: Path) -> Summary | None:
    try:
        data = path.read_bytes()
        module = cst.parse_module(data)
        text = data.decode(module.encoding)
        _PARSED[hash(text)] = (text, positions.parsed_from(module, text))
    except (OSError, cst.ParserSyntaxError, UnicodeDecodeError, RecursionError, ValueError, LookupError):
        return None
    from cnnlint.frontend.python.interpreter import Interpreter  # it imports this module

    # The file named as the checked one is (`pkg/train.py` gives `pkg/models.py`; absolute gives absolute).
    shown = str(path) if os.path.isabs(interp.path) else os.path.relpath(path)
    if interp.path.startswith("./") and not os.path.isabs(shown) and not shown.startswith("."):
        shown = "./" + shown
    budget = dataclasses.replace(interp.options, file_seconds=min(interp.options.file_seconds, SUMMARY_SECONDS))
    other = Interpreter(module, shown, interp.plugins, budget)
    context = FileContext(shown, module, other)
    scope = other.module_scope(context)
    _sanitise(scope.vars, 0)
    _CONTEXTS.append(context)
    values = {name: value for name, value in scope.vars.items() if value is not UNKNOWN}
    return Summary(values, [m for m in scope.star_imports if not m.startswith(".")])


def _sanitise(variables: dict[str, Value], depth: int) -> None:
    """Keep what means the same in another file's run: plain values, functions and classes (whose
    module scope this is, sanitised the same way); anything tied to the summary's own run (its
    tensors, models, objects that hold them) becomes UNKNOWN."""
    for name, value in list(variables.items()):
        if isinstance(value, FuncV):
            value.defaults = {k: (v if _plain(v, 0) else UNKNOWN) for k, v in value.defaults.items()}
            closure: Scope | None = value.scope  # a function made by a call (`create_op` returning `f`)
            while depth < 4 and closure is not None and closure is not closure.module:
                if closure.vars is not variables:
                    _sanitise(closure.vars, depth + 1)
                closure = closure.parent
        elif isinstance(value, ClassV):
            if depth < 4 and value.methods is not variables:
                _sanitise(value.methods, depth + 1)
            value.bases = [b if isinstance(b, (ClassV, ModuleV)) else UNKNOWN for b in value.bases]
        elif not _plain(value, 0):
            variables[name] = UNKNOWN


def _plain(value: Value, depth: int) -> bool:
    """Whether a value means the same in another file: constants, containers of them, framework
    paths."""
    if depth > 4:
        return False
    if isinstance(value, (Const, ModuleV, ProjectModuleV)):
        return True
    if isinstance(value, SeqV):
        return len(value.items) <= 256 and all(_plain(v, depth + 1) for v in value.items)
    if isinstance(value, DictV):
        return len(value.items) <= 256 and all(_plain(v, depth + 1) for v in value.items.values())
    if isinstance(value, ObjectV):  # a settings object, `cfg = Config()`: its own attributes plain
        return len(value.attrs) <= 256 and all(_plain(v, depth + 1) for v in value.attrs.values())
    return False
