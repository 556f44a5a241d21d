"""Automatic fixes: apply the edits that diagnostics carry to a file's text or a notebook's cells.

Pure functions (nothing is printed or decided here): the CLI chooses what to apply (`--fix`),
what to show (`--diff`, with `unified_diff`) and writes files with `write_atomic`.

A fix is `Diagnostic.fix` (`rules.base.Fix`): each `Edit` replaces a range of 1-based lines and
columns counted in characters, the end exclusive (an empty range inserts `content`). In a
notebook, diagnostics are mapped to cells (`runner.check_notebook`) and so are their edits: each
also has `cell` (the 1-based index among all cells, as `Diagnostic.cell`) and its lines count
within that cell.

As in ruff, fixes whose edits overlap one already taken are left for a later pass (the caller,
`autofix.py`, checks the new text again and repeats until nothing changes). An edit identical
to one already taken is shared, not an overlap (the import line that several CNN007 fixes
rename). A result that would not compile is never returned: nothing is applied to that file
and `FixResult.error` says why.
"""

from __future__ import annotations

import ast
import contextlib
import difflib
import errno
import io
import json
import os
import re
import stat
import tempfile
import tokenize
import warnings
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from cnnlint import notebook
from cnnlint.rules.base import Diagnostic, Edit

# Python's own line breaks (str.splitlines also breaks at form feeds and other separators).
_NEWLINE = notebook.NEWLINE

# A resolved edit: start and end as (cell, offset), cell 0 in a plain source file, and the new text.
Position = tuple[int, int]
Span = tuple[Position, Position, str]


@dataclass(frozen=True)
class FixResult:
    """The fixed text, the diagnostics whose fixes are in it, and those with a fix left out."""

    source: str
    applied: list[Diagnostic] = field(default_factory=list)
    # Fixes not applied: overlapping one that was (a later pass may apply them), invalid, or all
    # of them when the result would not compile.
    skipped: list[Diagnostic] = field(default_factory=list)
    # Why nothing was applied to this file (the fixed text would not compile), if so.
    error: str | None = None

    @property
    def changed(self) -> bool:
        return bool(self.applied) and self.error is None


# -- plain source files ----------------------------------------------------------------------
def apply_fixes(source: str, diagnostics: Sequence[Diagnostic]) -> FixResult:
    """Apply the non-overlapping fixes of `diagnostics` to `source` (positions in that text)."""
    starts = _line_starts(source)

    def resolve(edit: Edit) -> tuple[Position, Position]:
        return _range(0, source, starts, edit)

    applied, skipped, spans = _select(diagnostics, resolve)
    if not applied:
        return FixResult(source, [], skipped)
    new = _splice(source, ((start[1], end[1], content) for start, end, content in spans))
    problem = _compile_error(new, source)
    if problem is not None:
        return FixResult(source, [], applied + skipped, f"fixes not applied: the result would not compile ({problem})")
    return FixResult(new, applied, skipped)


# -- notebooks -------------------------------------------------------------------------------
def fix_notebook(text: str, diagnostics: Sequence[Diagnostic]) -> FixResult:
    """Apply cell-mapped fixes to a notebook's JSON text, rewriting only the edited cells' `source`.

    Everything else (outputs, metadata, key order, indentation, escapes, the final newline) is
    kept byte for byte: the new `source` values are spliced into the original text.
    """
    try:
        data = json.loads(text)
        places = _cell_sources(text)
    except (ValueError, IndexError) as error:
        return FixResult(text, [], [d for d in diagnostics if d.fix is not None], f"fixes not applied: {error}")
    cells = data.get("cells") if isinstance(data, dict) else None
    if not isinstance(cells, list):
        return FixResult(text, [], [d for d in diagnostics if d.fix is not None], "fixes not applied: no 'cells' list")
    texts: dict[int, str] = {}
    starts: dict[int, list[int]] = {}

    def resolve(edit: Edit) -> tuple[Position, Position]:
        number = edit.cell
        if number is None or not 0 < number <= len(cells) or number not in places:
            raise ValueError("edit outside the notebook's code cells")
        if number not in texts:
            texts[number] = _joined(cells[number - 1].get("source", ""))
            starts[number] = _line_starts(texts[number])  # lines as notebook.load splits cells
        return _range(number, texts[number], starts[number], edit)

    applied, skipped, spans = _select(diagnostics, resolve)
    if not applied:
        return FixResult(text, [], skipped)
    pieces: list[tuple[int, int, str]] = []
    for number in sorted({start[0] for start, _, _ in spans}):
        own = [(start[1], end[1], content) for start, end, content in spans if start[0] == number]
        begin, finish = places[number]
        raw = cells[number - 1]["source"]
        pieces.append((begin, finish, _source_json(raw, _splice(texts[number], own), text[begin:finish])))
    new = _splice(text, pieces)
    try:
        book = notebook.load(new)
    except notebook.NotebookError as error:  # pragma: no cover - the splice keeps the JSON valid
        return FixResult(text, [], applied + skipped, f"fixes not applied: {error}")
    old_source = notebook.load(text).source
    problem = _compile_error(book.source, old_source)
    if problem is not None:
        return FixResult(text, [], applied + skipped, f"fixes not applied: the result would not compile ({problem})")
    return FixResult(new, applied, skipped)


def _joined(raw: Any) -> str:
    return "".join(raw) if isinstance(raw, list) else str(raw)


def _source_json(raw: Any, new: str, original: str) -> str:
    """A cell's new `source` as JSON, in the layout and escaping of its original text."""
    ensure_ascii = original.isascii() and not _joined(raw).isascii()
    if not isinstance(raw, list):
        return json.dumps(new, ensure_ascii=ensure_ascii)
    lines = [json.dumps(line, ensure_ascii=ensure_ascii) for line in new.splitlines(keepends=True)]
    if not lines:
        return "[]"
    inner = original[1:-1]
    items = list(_json_items(original))
    if not items:
        opening, separator, closing = "\n ", ",\n ", "\n"
    else:
        opening = inner[: items[0][0] - 1]
        closing = inner[items[-1][1] - 1:]
        separator = original[items[0][1]: items[1][0]] if len(items) > 1 else "," + opening
    return "[" + opening + separator.join(lines) + closing + "]"


_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def _skip(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    return match.end() if match else index


def _json_members(text: str, index: int) -> Iterable[tuple[str, int, int]]:
    """(key, value start, value end) of the JSON object starting at `index`."""
    if text[index] != "{":
        raise ValueError("not a JSON object")
    index = _skip(text, index + 1)
    if text[index] == "}":
        return
    while True:
        if text[index] != '"':
            raise ValueError("malformed JSON object")
        key, index = json.decoder.scanstring(text, index + 1)  # type: ignore[attr-defined]
        index = _skip(text, index)
        if text[index] != ":":
            raise ValueError("malformed JSON object")
        start = _skip(text, index + 1)
        _, end = _DECODER.raw_decode(text, start)
        yield key, start, end
        index = _skip(text, end)
        if text[index] == "}":
            return
        if text[index] != ",":
            raise ValueError("malformed JSON object")
        index = _skip(text, index + 1)


def _json_items(text: str, index: int = 0) -> Iterable[tuple[int, int]]:
    """(start, end) of each element of the JSON array starting at `index`."""
    if text[index] != "[":
        raise ValueError("not a JSON array")
    index = _skip(text, index + 1)
    if text[index] == "]":
        return
    while True:
        _, end = _DECODER.raw_decode(text, index)
        yield index, end
        index = _skip(text, end)
        if text[index] == "]":
            return
        if text[index] != ",":
            raise ValueError("malformed JSON array")
        index = _skip(text, index + 1)


def _cell_sources(text: str) -> dict[int, tuple[int, int]]:
    """Cell number (1-based) -> (start, end) of its `source` value in the notebook's JSON text."""
    top = _skip(text, 0)
    cells = [(start, end) for key, start, end in _json_members(text, top) if key == "cells"]
    if not cells:
        return {}
    places: dict[int, tuple[int, int]] = {}
    for number, (start, _) in enumerate(_json_items(text, cells[-1][0]), start=1):
        if text[start] == "{":
            for key, value_start, value_end in _json_members(text, start):
                if key == "source":
                    places[number] = (value_start, value_end)
    return places


# -- shared machinery ------------------------------------------------------------------------
def _line_starts(text: str) -> list[int]:
    """Offsets where each line starts (index 0 for line 1), lines broken as Python breaks them."""
    return [0, *(match.end() for match in _NEWLINE.finditer(text))]


def _range(cell: int, text: str, starts: list[int], edit: Edit) -> tuple[Position, Position]:
    """Where `edit` starts and ends in `text` (the source, or cell `cell` of a notebook)."""
    loc = edit.loc
    return (cell, _offset(text, starts, loc.line, loc.column)), (cell, _offset(text, starts, loc.end_line,
                                                                               loc.end_column))


def _offset(text: str, starts: list[int], row: int, column: int) -> int:
    if not 0 < row <= len(starts) or column < 1:
        raise ValueError(f"position {row}:{column} outside the text")
    offset = starts[row - 1] + column - 1
    line_end = starts[row] if row < len(starts) else len(text)
    if offset > line_end:
        raise ValueError(f"position {row}:{column} past the end of its line")
    return offset


def _select(
    diagnostics: Sequence[Diagnostic], resolve: Callable[[Edit], tuple[Position, Position]]
) -> tuple[list[Diagnostic], list[Diagnostic], list[Span]]:
    """The fixes to apply now (in source order, none overlapping another), those left out, and their edits."""
    candidates: list[tuple[Diagnostic, list[Span]]] = []
    skipped: list[Diagnostic] = []
    for d in diagnostics:
        if d.fix is None:
            continue
        try:
            spans = sorted({(*resolve(e), e.content) for e in d.fix.edits}, key=_order)
        except ValueError:
            skipped.append(d)
            continue
        if not spans or any(not _well_formed(start, end) for start, end, _ in spans) or _overlapping(spans):
            skipped.append(d)
            continue
        candidates.append((d, spans))
    candidates.sort(key=lambda item: (_order(item[1][0]), item[0].code))
    taken: list[Span] = []
    seen: set[Span] = set()
    applied: list[Diagnostic] = []
    for d, spans in candidates:
        new = [s for s in spans if s not in seen]
        if any(_conflict(a, b) for a in new for b in taken):
            skipped.append(d)
            continue
        taken.extend(new)
        seen.update(new)
        applied.append(d)
    return applied, skipped, sorted(taken, key=_order)


def _well_formed(start: Position, end: Position) -> bool:
    """A range that ends after it starts, and within one cell of a notebook."""
    return start[0] == end[0] and start <= end


def _order(span: Span) -> tuple[Position, Position]:
    return span[0], span[1]


def _conflict(a: Span, b: Span) -> bool:
    """Edits that cannot both apply: overlapping ranges, or two insertions at one place."""
    if a[0] < b[1] and b[0] < a[1]:
        return True
    return bool(a[0] == a[1] == b[0] == b[1])


def _overlapping(spans: list[Span]) -> bool:
    return any(_conflict(a, b) for i, a in enumerate(spans) for b in spans[i + 1:])


def _splice(text: str, spans: Iterable[tuple[int, int, str]]) -> str:
    """`text` with each (start, end, content) applied; spans sorted, not overlapping."""
    out: list[str] = []
    last = 0
    for start, end, content in spans:
        out.append(text[last:start])
        out.append(content)
        last = end
    out.append(text[last:])
    return "".join(out)


def _compile_error(new: str, old: str) -> str | None:
    """Why `new` does not compile, where `old` did (compiled only, never run).

    Compiling to bytecode also catches what parsing alone accepts (a keyword given twice);
    when the original itself does not compile (top-level `await` in a notebook) parsing is
    all that can be asked of the fixed text.
    """
    if _compiles(old, only_ast=False) is None:
        return _compiles(new, only_ast=False)
    return _compiles(new, only_ast=True)


def _compiles(code: str, only_ast: bool) -> str | None:
    flags = ast.PyCF_ONLY_AST if only_ast else 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(code, "<fixed>", "exec", flags=flags, dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError) as error:
        line = getattr(error, "lineno", None)
        reason = getattr(error, "msg", None) or str(error)
        return f"{reason} at line {line}" if line else reason
    return None


# -- output ----------------------------------------------------------------------------------
def unified_diff(path: str, old: str, new: str) -> str:
    """`--diff` output for one file (empty when nothing changed), as `git diff` shows it."""
    if old == new:
        return ""
    lines = difflib.unified_diff(_lines(old), _lines(new), f"a/{path}", f"b/{path}")
    out: list[str] = []
    for line in lines:
        if line.endswith(("\n", "\r")):
            out.append(line)
        else:
            out.append(line + "\n\\ No newline at end of file\n")
    return "".join(out)


def _lines(text: str) -> list[str]:
    """Lines with their endings, broken only where Python breaks them (not at form feeds)."""
    return re.findall(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z", text)


def write_atomic(path: str, text: str, encoding: str | None = None) -> None:
    """Replace a file's content all at once, keeping its mode; OSError leaves the original untouched.

    The text goes to a temporary file in the same directory, is flushed to disk, then renamed
    over the original. A read-only file is refused (PermissionError) rather than replaced, and a
    symbolic link is followed. `encoding` defaults to the one the file declares (PEP 263, a
    UTF-8 BOM kept) for `.py` files, UTF-8 otherwise; line endings are written as they are.
    """
    target = os.path.realpath(path)
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mask = os.umask(0)
        os.umask(mask)
        mode = 0o666 & ~mask
    else:
        if not mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH) or not os.access(target, os.W_OK):
            raise PermissionError(errno.EACCES, "file is read-only", path)
    data = text.encode(encoding or _declared_encoding(target))
    directory = os.path.dirname(target) or "."
    handle, temporary = tempfile.mkstemp(prefix=f".{os.path.basename(target)}.", suffix=".cnnlint-tmp",
                                         dir=directory)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
    with contextlib.suppress(OSError):  # make the rename itself durable, where the platform allows
        directory_handle = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(directory_handle)
        finally:
            os.close(directory_handle)


def _declared_encoding(path: str) -> str:
    if not path.endswith(".py"):
        return "utf-8"
    try:
        with open(path, "rb") as handle:
            encoding, _ = tokenize.detect_encoding(io.BytesIO(handle.read()).readline)
    except (OSError, SyntaxError, LookupError):
        return "utf-8"
    return encoding
