"""The pipeline for one file: read, extract models, run rules, apply inline suppressions."""

from __future__ import annotations

import codecs
import dataclasses
import functools
import io
import os
import re
import stat
import tokenize
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING

from cnnlint.findings import Diagnostic, Loc, Related, Suppression
from cnnlint.options import FrontendOptions

# Only what a run answered from the cache needs is imported at the top: the front end, the rules
# and the shape engine are imported where a file is analysed (docs/performance.md).
if TYPE_CHECKING:
    from cnnlint import notebook
    from cnnlint.ir import ModuleIR
    from cnnlint.rules import Rule

SUPPRESSION = re.compile(r"#\s*cnnlint:\s*(?P<directive>[\w-]*)(?:\[(?P<codes>[A-Z0-9,\s]*)\])?", re.IGNORECASE)
# flake8's and ruff's noqa comments, bare or with codes: cnnlint reads its own codes; a bare one silences all.
NOQA = re.compile(r"#\s*noqa(?::\s*(?P<codes>[A-Z]+[0-9]+(?:[,\s]+[A-Z]+[0-9]+)*))?", re.IGNORECASE)
FILE_LEVEL = 0  # the key of `# cnnlint: ignore-file` in a suppression table (lines count from 1)


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None
    module: ModuleIR | None = None
    internal: bool = False
    skipped: bool = False  # no TensorFlow / Keras in the bytes: not parsed at all
    # (models, fully shaped, partly shaped): what `check --statistics` prints as coverage.
    coverage: tuple[int, int, int] = (0, 0, 0)


def relevant(data: bytes) -> bool:
    """A file none of whose bytes is a plugin's marker (`tensorflow`, `keras`, `tf_slim`) builds no
    model cnnlint can see (names only resolve through imports), so it is not parsed: most of a
    repository is skipped this way."""
    return any(marker in data for marker in MARKERS)


# The plugins' markers (`cnnlint.frontend.plugins.MARKERS`, equal by a test), written out so that
# the prefilter does not import the front end.
MARKERS: tuple[bytes, ...] = (b"keras", b"tensorflow", b"tf_slim")


def read_source(path: str) -> str:
    """Decode a Python file as Python does (BOM, PEP 263 coding line, UTF-8 default)."""
    with open(path, "rb") as handle:
        data = handle.read()
    return decode(data)


def decode(data: bytes) -> str:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def suppressions_in(code: str, comments: list[tuple[int, str]]) -> dict[int, Suppression]:
    """Each line's suppression, from the file's comments given as (line, text): `# cnnlint: ignore[...]`
    and noqa comments (bare, or with `CNN001, ...`) by line; `# cnnlint: ignore-file[...]` under FILE_LEVEL; an unknown
    `# cnnlint:` directive under minus its line, where it silences nothing (CNN100 reports it)."""
    codes_of: dict[int, frozenset[str] | None] = {}
    kinds: dict[int, str] = {}
    source = code.splitlines()
    for line, text in comments:
        for match in SUPPRESSION.finditer(text):
            directive = match.group("directive").lower()
            key = line if directive == "ignore" else FILE_LEVEL if directive == "ignore-file" else -line
            if key == FILE_LEVEL and not _in_first_comment_block(source, line):
                key, directive = -line, "misplaced"
            kinds.setdefault(key, ("misplaced" if directive == "misplaced" else "unknown") if key < 0
                             else "file" if key == FILE_LEVEL else "ignore")
            _merge(codes_of, key, None if key < 0 else match.group("codes"), unknown=key < 0)
            if key == FILE_LEVEL:
                kinds[FILE_LEVEL] = f"file:{line}"
        noqa = NOQA.search(text)
        if noqa is not None and line not in kinds:  # a `# cnnlint: ignore[...]` beside it is the one cnnlint reads
            listed = noqa.group("codes")
            ours = None if listed is None else ",".join(
                c for c in re.split(r"[,\s]+", listed) if c.upper().startswith("CNN"))
            if ours == "":
                continue  # only another tool's codes (E501)
            kinds.setdefault(line, "noqa-bare" if ours is None else "noqa")
            _merge(codes_of, line, ours)
    lines = source
    table: dict[int, Suppression] = {}
    for key, codes in codes_of.items():
        kind = kinds[key]
        at = int(kind[5:]) if kind.startswith("file:") else abs(key)
        table[key] = Suppression(_directive(lines, at), codes, kind.split(":")[0])
    return table


def _in_first_comment_block(lines: list[str], line: int) -> bool:
    """Whether only blank and comment lines come before `line` (where `# cnnlint: ignore-file` is read)."""
    return all(not text.strip() or text.lstrip().startswith("#") for text in lines[:line - 1])


def _merge(codes_of: dict[int, frozenset[str] | None], key: int, codes: str | None, unknown: bool = False) -> None:
    if unknown:
        codes_of[key] = frozenset()
        return
    if codes is None:
        codes_of[key] = None
        return
    listed = codes_of.get(key, frozenset())
    if listed is not None:
        codes_of[key] = listed | {c.strip().upper() for c in re.split(r"[,\s]+", codes) if c.strip()}


def _directive(lines: list[str], line: int) -> Loc:
    """Where the suppression comment is on its line (the whole line if it cannot be found)."""
    text = lines[line - 1] if 0 < line <= len(lines) else ""
    match = SUPPRESSION.search(text) or NOQA.search(text)
    start = match.start() + 1 if match else 1
    end = match.end() + 1 if match else len(text) + 1
    return Loc(line, start, line, end)


def suppressed_by(diagnostic: Diagnostic, table: Mapping[int, Suppression]) -> Suppression | None:
    """The comment that silences `diagnostic`: on its first line or, for a call spread over several
    lines, on any line of it (black puts the comment after the `)`)."""
    for line in (FILE_LEVEL, *range(diagnostic.loc.line, max(diagnostic.loc.end_line, diagnostic.loc.line) + 1)):
        suppression = table.get(line)
        if suppression is not None and (suppression.codes is None or diagnostic.code in suppression.codes):
            return suppression
    return None


def check_source(code: str, path: str, rules: list[Rule], options: FrontendOptions | None = None) -> FileResult:
    """Run the pipeline on one source text; a bug in cnnlint is contained to this file."""
    try:
        return _check_source(code, path, rules, options)
    except Exception as error:
        summary = f"{type(error).__name__}: {error}"[:300]
        return FileResult(path, error=f"internal error: {summary} (please report this as a cnnlint bug)",
                          internal=True)


# libcst needs about 30 s and 1.5 GB for a megabyte of dense code; real model files are far smaller.
MAX_SOURCE_BYTES = 512 * 1024


def _check_source(code: str, path: str, rules: list[Rule], options: FrontendOptions | None) -> FileResult:
    size = len(code.encode("utf-8", "surrogatepass"))
    if size > MAX_SOURCE_BYTES:
        return FileResult(path, error=f"not analysed: {size / 1024 / 1024:.1f} MB of code, over cnnlint's "
                                      f"{MAX_SOURCE_BYTES // 1024} KB limit per file (exclude it with extend-exclude)")
    # Imported here: a run answered from the cache never loads libcst and the front end.
    from cnnlint.frontend import NotAnalysable, extract, too_complex
    from cnnlint.report import summary
    from cnnlint.rules.base import SuppressionRule

    comments: list[tuple[int, str]] = []
    reason = too_complex(code, comments)  # one tokenizer pass: the nesting guard and the comments
    if reason is not None:
        return FileResult(path, error=f"not analysed: {reason}")
    try:
        module = extract(code, path, options)
    except NotAnalysable as reason:
        return FileResult(path, error=f"not analysed: {reason}")
    table = suppressions_in(code, comments)
    # A loop unrolled by the interpreter applies the same op several times: report it once.
    unique: dict[tuple[str, object, str], Diagnostic] = {}
    silenced: dict[Suppression, set[str]] = {suppression: set() for suppression in table.values()}
    for rule in rules:
        for d in _run(rule, module, partial(rule.check, module)):
            if d.path != path:  # in an imported module of the project: its own comments, no fix here
                if suppressed_by(d, foreign_suppressions(d.path)) is None:
                    unique.setdefault((d.code, d.loc, d.message), dataclasses.replace(d, fix=None))
                continue
            suppression = suppressed_by(d, table)
            if suppression is None:
                unique.setdefault((d.code, d.loc, d.message), d)
            else:
                silenced[suppression].add(d.code)
    used = {suppression: frozenset(codes) for suppression, codes in silenced.items()}
    selected = frozenset(rule.code for rule in rules)
    for rule in rules:
        if isinstance(rule, SuppressionRule):
            for d in _run(rule, module, partial(rule.check_suppressions, module, used, selected)):
                unique.setdefault((d.code, d.loc, d.message), d)
    diagnostics = sorted(unique.values(), key=Diagnostic.sort_key)
    found = summary.coverage(module)
    covered = (found.models, found.fully, found.partly)
    if module.internal_errors:
        return FileResult(path, diagnostics, module=module, internal=True, coverage=covered,
                          error=f"internal error in {'; '.join(module.internal_errors)} "
                                "(the rest of the file was checked; please report this as a cnnlint bug)")
    return FileResult(path, diagnostics, module=module, coverage=covered)


def foreign_suppressions(path: str) -> Mapping[int, Suppression]:
    """The suppression comments of another file of the project (where an imported helper's finding
    is reported)."""
    try:
        st = os.stat(path)
    except OSError:
        return {}
    return _suppressions_of(path, st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=256)
def _suppressions_of(path: str, mtime: int, size: int) -> Mapping[int, Suppression]:
    try:
        code = read_source(path)
        comments = [(tok.start[0], tok.string) for tok in tokenize.generate_tokens(io.StringIO(code).readline)
                    if tok.type == tokenize.COMMENT]
    except (OSError, SyntaxError, UnicodeDecodeError, tokenize.TokenError, LookupError):
        return {}
    return suppressions_in(code, comments)


def _run(rule: Rule, module: ModuleIR, check: Callable[[], Iterable[Diagnostic]]) -> list[Diagnostic]:
    """A rule's findings; a bug in one rule is recorded, and the other rules still report."""
    try:
        return list(check())
    except Exception as error:
        module.internal_errors.append(f"rule {rule.code}: {type(error).__name__}: {error}"[:300])
        return []


def check_notebook(text: str, path: str, rules: list[Rule], options: FrontendOptions | None = None) -> FileResult:
    from cnnlint import notebook  # only when a notebook is read

    try:
        book = notebook.load(text)
    except notebook.NotebookError as error:
        return FileResult(path, error=str(error))
    result = check_source(book.source, path, rules, options)
    if result.module is not None:
        result.module.cell_lines = book.origin
    result.diagnostics = [notebook.to_cells(book, d) if d.path == path else dataclasses.replace(
        d, related=tuple(_note_to_cells(book, r) if r.path == path else r for r in d.related))
        for d in result.diagnostics]
    result.diagnostics += _cell_syntax_errors(book, path, rules)
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def _note_to_cells(book: notebook.Notebook, note: Related) -> Related:
    """A related location in the notebook's own lines, as (cell, line within the cell): for a finding
    reported in another file (an imported helper) whose call is in the notebook."""
    from cnnlint import notebook

    probe = Diagnostic("", "", "", note.path, note.loc, "", related=(note,))
    return notebook.to_cells(book, probe).related[0]


def _cell_syntax_errors(book: notebook.Notebook, path: str, rules: list[Rule]) -> list[Diagnostic]:
    from cnnlint.rules.cnn000_syntax_error import SyntaxError_

    return [d for rule in rules if isinstance(rule, SyntaxError_) for d in rule.check_cells(path, book.broken)]


MAX_FILE_BYTES = 64 * 1024 * 1024


def read_bytes(path: str) -> bytes | FileResult:
    """The file's bytes, or a FileResult that says why it cannot be read."""
    try:
        if os.path.exists(path) and not os.path.isdir(path) and not stat.S_ISREG(os.stat(path).st_mode):
            return FileResult(path, error="not a regular file (a pipe, socket or device)")
        with open(path, "rb") as handle:
            size = os.fstat(handle.fileno()).st_size
            if size > MAX_FILE_BYTES:  # not even read: a notebook's outputs can be big, not this big
                return FileResult(path, error=f"not analysed: the file is {size / 1024 / 1024:.0f} MB, over "
                                              f"cnnlint's {MAX_FILE_BYTES // 1024 // 1024} MB limit")
            return handle.read()
    except IsADirectoryError:
        return FileResult(path, error="is a directory")
    except PermissionError:
        return FileResult(path, error="permission denied")
    except OSError as error:
        return FileResult(path, error=f"cannot read: {error.strerror or error}")


def check_bytes(path: str, data: bytes, rules: list[Rule], options: FrontendOptions | None = None,
                prefilter: bool = True) -> FileResult:
    """One file's contents through the pipeline (`.ipynb` by its name)."""
    if prefilter and not relevant(data):
        return FileResult(path, skipped=True)
    try:
        if path.endswith(".ipynb"):
            return check_notebook(data.decode("utf-8"), path, rules, options)
        code = decode(data)
    except (UnicodeDecodeError, SyntaxError, LookupError) as error:
        return FileResult(path, error=f"cannot decode: {_decode_reason(error, data)}")
    return check_source(code, path, rules, options)


def check_file(path: str, rules: list[Rule], options: FrontendOptions | None = None,
               prefilter: bool = True) -> FileResult:
    data = read_bytes(path)
    if isinstance(data, FileResult):
        return data
    return check_bytes(path, data, rules, options, prefilter)


def _decode_reason(error: Exception, data: bytes = b"") -> str:
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "the file is UTF-16 (it starts with a UTF-16 byte order mark); Python source is UTF-8 or " \
               "an ASCII-compatible encoding named in a coding line"
    if isinstance(error, UnicodeDecodeError):
        return f"invalid {error.encoding} byte at offset {error.start}"
    return str(error)
