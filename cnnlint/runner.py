"""The pipeline for one file: read, extract models, run rules, apply inline suppressions."""

from __future__ import annotations

import io
import re
import tokenize
from dataclasses import dataclass, field

from cnnlint import notebook
from cnnlint.frontend import extract, too_complex
from cnnlint.ir import ModuleIR
from cnnlint.rules import Diagnostic, Rule

SUPPRESSION = re.compile(r"#\s*cnnlint:\s*ignore(?:\[(?P<codes>[A-Z0-9,\s]*)\])?", re.IGNORECASE)


@dataclass
class FileResult:
    path: str
    diagnostics: list[Diagnostic] = field(default_factory=list)
    error: str | None = None
    module: ModuleIR | None = None
    internal: bool = False


def read_source(path: str) -> str:
    """Decode a Python file as Python does (BOM, PEP 263 coding line, UTF-8 default)."""
    with open(path, "rb") as handle:
        data = handle.read()
    return decode(data)


def decode(data: bytes) -> str:
    encoding, _ = tokenize.detect_encoding(io.BytesIO(data).readline)
    return data.decode(encoding)


def suppressions(code: str) -> dict[int, set[str] | None]:
    """Line -> suppressed codes (None: every code), from `# cnnlint: ignore[...]` comments."""
    found: dict[int, set[str] | None] = {}
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, SyntaxError, IndentationError):
        return found
    for token in tokens:
        if token.type != tokenize.COMMENT:
            continue
        match = SUPPRESSION.search(token.string)
        if match is None:
            continue
        codes = match.group("codes")
        line = token.start[0]
        if codes is None:
            found[line] = None
        elif found.get(line, set()) is not None:
            found.setdefault(line, set()).update(c.strip().upper() for c in codes.split(",") if c.strip())  # type: ignore[union-attr]
    return found


def is_suppressed(diagnostic: Diagnostic, table: dict[int, set[str] | None]) -> bool:
    if diagnostic.loc.line not in table:
        return False
    codes = table[diagnostic.loc.line]
    return codes is None or diagnostic.code in codes


def check_source(code: str, path: str, rules: list[Rule]) -> FileResult:
    """Run the pipeline on one source text; a bug in cnnlint is contained to this file."""
    try:
        return _check_source(code, path, rules)
    except Exception as error:
        summary = f"{type(error).__name__}: {error}"[:300]
        return FileResult(path, error=f"internal error: {summary} (please report this as a cnnlint bug)",
                          internal=True)


def _check_source(code: str, path: str, rules: list[Rule]) -> FileResult:
    reason = too_complex(code)
    if reason is not None:
        return FileResult(path, error=f"not analysed: {reason}")
    module = extract(code, path)
    table = suppressions(code)
    # A loop unrolled by the interpreter applies the same op several times: report it once.
    unique: dict[tuple[str, object, str], Diagnostic] = {}
    for rule in rules:
        for d in rule.check(module):
            if not is_suppressed(d, table):
                unique.setdefault((d.code, d.loc, d.message), d)
    diagnostics = sorted(unique.values(), key=Diagnostic.sort_key)
    return FileResult(path, diagnostics, module=module)


def check_notebook(text: str, path: str, rules: list[Rule]) -> FileResult:
    try:
        book = notebook.load(text)
    except notebook.NotebookError as error:
        return FileResult(path, error=str(error))
    result = check_source(book.source, path, rules)
    if result.module is not None:
        result.module.cell_lines = book.origin
    result.diagnostics = [notebook.to_cells(book, d) for d in result.diagnostics]
    result.diagnostics.sort(key=Diagnostic.sort_key)
    return result


def check_file(path: str, rules: list[Rule]) -> FileResult:
    try:
        if path.endswith(".ipynb"):
            with open(path, encoding="utf-8") as handle:
                return check_notebook(handle.read(), path, rules)
        code = read_source(path)
    except IsADirectoryError:
        return FileResult(path, error="is a directory")
    except PermissionError:
        return FileResult(path, error="permission denied")
    except OSError as error:
        return FileResult(path, error=f"cannot read: {error.strerror or error}")
    except (UnicodeDecodeError, SyntaxError, LookupError) as error:
        return FileResult(path, error=f"cannot decode: {_decode_reason(error)}")
    return check_source(code, path, rules)


def _decode_reason(error: Exception) -> str:
    if isinstance(error, UnicodeDecodeError):
        return f"invalid {error.encoding} byte at offset {error.start}"
    return str(error)
