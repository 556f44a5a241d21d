"""The layout of a `.ipynb` file: its cells in both notebook formats, and where each source line of a
cell is in the file's JSON text, so that reports which cannot name a cell (GitHub annotations, SARIF)
point at a line that exists in the file."""

from __future__ import annotations

import functools
import json
import os
import re
from typing import Any

_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()


def notebook_cells(data: object) -> list[dict[str, Any]] | None:
    """The cells in order, each with its code in `source`: nbformat 4's `cells`, or nbformat 3's
    `worksheets[].cells[]` with the code in `input`; None when the data is neither."""
    if not isinstance(data, dict):
        return None
    found = data.get("cells")
    if isinstance(found, list):
        return found
    worksheets = data.get("worksheets")
    if not isinstance(worksheets, list) or not all(isinstance(w, dict) for w in worksheets):
        return None
    cells: list[dict[str, Any]] = []
    for sheet in worksheets:
        for cell in sheet.get("cells") or []:
            if isinstance(cell, dict) and "input" in cell and "source" not in cell:
                cell = {**cell, "source": cell["input"]}
            cells.append(cell)
    return cells


class _Positions:
    """A JSON reader that records, for every string, the offset where it starts."""

    def __init__(self, text: str) -> None:
        self.text = text

    def value(self, at: int) -> tuple[Any, int]:
        at = _WHITESPACE.match(self.text, at).end()  # type: ignore[union-attr]
        char = self.text[at:at + 1]
        if char == "{":
            return self._object(at + 1)
        if char == "[":
            return self._array(at + 1)
        if char == '"':
            text, end = json.decoder.scanstring(self.text, at + 1)  # type: ignore[attr-defined]
            return _At(text, at), end
        return _DECODER.raw_decode(self.text, at)

    def _object(self, at: int) -> tuple[dict[str, Any], int]:
        out: dict[str, Any] = {}
        at = self._skip(at)
        if self.text[at] == "}":
            return out, at + 1
        while True:
            key, at = self.value(at)
            at = self._skip(at) + 1  # ':'
            out[str(key)], at = self.value(at)
            at = self._skip(at)
            if self.text[at] == "}":
                return out, at + 1
            at += 1  # ','

    def _array(self, at: int) -> tuple[list[Any], int]:
        out: list[Any] = []
        at = self._skip(at)
        if self.text[at] == "]":
            return out, at + 1
        while True:
            item, at = self.value(at)
            out.append(item)
            at = self._skip(at)
            if self.text[at] == "]":
                return out, at + 1
            at += 1

    def _skip(self, at: int) -> int:
        return _WHITESPACE.match(self.text, at).end()  # type: ignore[union-attr]


class _At(str):
    """A JSON string that knows its offset in the file."""

    offset: int

    def __new__(cls, text: str, offset: int) -> _At:
        made = super().__new__(cls, text)
        made.offset = offset
        return made


def source_lines(text: str) -> dict[int, list[int]]:
    """Cell number (1-based, as cnnlint counts cells) -> the file line of each of its source lines
    (index 0: the cell's line 1). A source written as one string puts all its lines on that string's line."""
    try:
        data, _ = _Positions(text).value(0)
    except (ValueError, IndexError, AttributeError):
        return {}
    cells = notebook_cells(data)
    if cells is None:
        return {}
    starts = [0] + [m.end() for m in re.finditer("\n", text)]

    def line_of(offset: int) -> int:
        low, high = 0, len(starts) - 1
        while low < high:  # the last line start at or before the offset
            middle = (low + high + 1) // 2
            low, high = (middle, high) if starts[middle] <= offset else (low, middle - 1)
        return low + 1

    out: dict[int, list[int]] = {}
    for number, cell in enumerate(cells, start=1):
        raw = cell.get("source") if isinstance(cell, dict) else None
        parts = raw if isinstance(raw, list) else [raw] if isinstance(raw, _At) else []
        lines: list[int] = []
        for part in parts:
            if isinstance(part, _At):
                here = line_of(part.offset)
                lines.extend([here] * (len(part.splitlines()) or 1))
        if lines:
            out[number] = lines
    return out


@functools.lru_cache(maxsize=64)
def _file_lines(path: str, mtime: int, size: int) -> dict[int, list[int]]:
    try:
        with open(path, encoding="utf-8") as handle:
            return source_lines(handle.read())
    except (OSError, UnicodeDecodeError):
        return {}


def file_line(path: str, cell: int, line: int) -> int | None:
    """The line of the `.ipynb` file holding line `line` of cell `cell`, or None when it cannot be read."""
    try:
        st = os.stat(path)
    except OSError:
        return None
    lines = _file_lines(path, st.st_mtime_ns, st.st_size).get(cell)
    if not lines:
        return None
    return lines[min(max(line, 1), len(lines)) - 1]
