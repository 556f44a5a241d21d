"""Jupyter notebooks: their code cells as one program, and positions mapped back to cells."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any

from cnnlint.ir import Loc
from cnnlint.rules import Diagnostic

# IPython syntax that is not Python: line magics, shell escapes, help queries.
# A magic names its command (`%matplotlib`), so `%(x)` continuing a `%` format is Python.
_MAGIC = re.compile(r"^\s*(%%?[A-Za-z_]|![^=]|\?\??[A-Za-z_])|^\s*[\w.]+\?\??\s*$")


class NotebookError(ValueError):
    pass


# Python's own line breaks: `str.splitlines` also breaks at form feeds, U+2028 and other
# separators, which Python reads as ordinary characters (in a string, a comment, as blanks).
NEWLINE = re.compile(r"\r\n|\r|\n")


def python_lines(text: str) -> list[str]:
    """`text` split into lines as Python reads it (no empty line after a final line break)."""
    lines = NEWLINE.split(text)
    return lines[:-1] if lines and not lines[-1] else lines


@dataclass(frozen=True)
class Notebook:
    source: str
    # For each line of `source` (1-based, index 0 unused): (cell number, line within that cell).
    origin: list[tuple[int, int]]


def load(text: str) -> Notebook:
    """Join the code cells in order; magics and shell lines become blank lines."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not a valid notebook (invalid JSON: {error.msg} at line {error.lineno})") from error
    if not isinstance(data, dict) or not isinstance(data.get("cells"), list):
        raise NotebookError("not a valid notebook (no 'cells' list)")
    lines: list[str] = []
    origin: list[tuple[int, int]] = [(0, 0)]
    for number, cell in enumerate(data["cells"], start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        raw = cell.get("source", "")
        if isinstance(raw, list) and not all(isinstance(part, str) for part in raw):
            raise NotebookError(f"not a valid notebook (the source of cell {number} is not text)")
        text_ = "".join(raw) if isinstance(raw, list) else str(raw)
        cell_lines = python_lines(text_) or [""]
        cell_magic = cell_lines[0].lstrip().startswith("%%")
        for index, line in enumerate(cell_lines, start=1):
            lines.append("" if cell_magic or _MAGIC.match(line) else line)
            origin.append((number, index))
        lines.append("")
        origin.append((number, len(cell_lines) + 1))
    return Notebook("\n".join(lines) + "\n", origin)


def to_cells(notebook: Notebook, diagnostic: Diagnostic) -> Diagnostic:
    """Rewrite a diagnostic's positions as (cell, line within the cell)."""
    def cell_line(line: int) -> tuple[int, int]:
        return notebook.origin[line] if 0 < line < len(notebook.origin) else (0, line)

    cell, line = cell_line(diagnostic.loc.line)
    end_cell, end_line = cell_line(diagnostic.loc.end_line)
    if end_cell != cell:
        end_line = line
    loc = Loc(line, diagnostic.loc.column, end_line, diagnostic.loc.end_column)
    trace = tuple(replace(step, line=cell_line(step.line)[1]) for step in diagnostic.trace)

    def cite(match: re.Match[str]) -> str:
        at_cell, at_line = cell_line(int(match.group(1)))
        return f"cell {at_cell}, line {at_line}"

    message = re.sub(r"\bline (\d+)", cite, diagnostic.message)
    fix = _fix_to_cells(diagnostic.fix, cell_line) if diagnostic.fix else diagnostic.fix
    return replace(diagnostic, loc=loc, cell=cell, trace=trace, message=message, fix=fix)


def _fix_to_cells(fix: dict[str, Any], cell_line: Callable[[int], tuple[int, int]]) -> dict[str, Any] | None:
    """A fix's edit positions as (cell, line within the cell): each location gains `"cell"`.

    None when an edit would cross from one cell into another (nothing a fix can write).
    """
    edits = []
    for edit in fix["edits"]:
        (cell, row), (end_cell, end_row) = cell_line(edit["location"]["row"]), cell_line(edit["end_location"]["row"])
        if cell != end_cell or cell == 0:
            return None
        edits.append({**edit, "location": {"row": row, "column": edit["location"]["column"], "cell": cell},
                      "end_location": {"row": end_row, "column": edit["end_location"]["column"], "cell": cell}})
    return {**fix, "edits": edits}


