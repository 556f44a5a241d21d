"""Jupyter notebooks: each code cell turned into Python as IPython turns it, the cells that parse
joined into one program, and positions mapped back to (cell, line within the cell).

IPython's rewriting (`InteractiveShell.transform_cell`: magics, shell escapes, help queries,
pasted prompts) is mirrored here without importing IPython: cnnlint's only runtime dependencies
are libcst, click and pathspec. A rewritten line becomes the very call IPython runs
(`get_ipython().system('ls')`), which the interpreter sees as a call on an unbound name, so a
value it gives (`files = !ls`) is unknown, never invented. Each input line keeps one output line.
"""

from __future__ import annotations

import ast
import json
import keyword
import re
import sys
import textwrap
import tokenize
import warnings
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, replace

from cnnlint.findings import Diagnostic, Edit, Fix, Loc, Related
from cnnlint.ipynb import notebook_cells


class NotebookError(ValueError):
    pass


# Python's own line breaks: `str.splitlines` also breaks at form feeds, U+2028 and other
# separators, which Python reads as ordinary characters (in a string, a comment, as blanks).
NEWLINE = re.compile(r"\r\n|\r|\n")


def python_lines(text: str) -> list[str]:
    """`text` split into lines as Python reads it (no empty line after a final line break)."""
    lines = NEWLINE.split(text)
    return lines[:-1] if lines and not lines[-1] else lines


def _lines_with_breaks(text: str) -> list[str]:
    """`text` split after each of Python's line breaks, the breaks kept (as IPython keeps them)."""
    return [match.group() for match in re.finditer(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$", text)]


@dataclass(frozen=True)
class CellError:
    """A code cell that is not Python even after IPython's rewriting: it is left out of the program."""

    cell: int
    line: int
    column: int
    message: str


@dataclass(frozen=True)
class Notebook:
    source: str
    # For each line of `source` (1-based, index 0 unused): (cell number, line within that cell).
    origin: list[tuple[int, int]]
    # For each line of `source`: the characters IPython removed from the start of the cell's line
    # (a common indentation, a pasted `>>> ` prompt), or None where it rewrote the line.
    margins: list[int | None]
    broken: tuple[CellError, ...] = ()


def load(text: str) -> Notebook:
    """Join the code cells in order, each as IPython runs it; a cell that does not parse is
    recorded in `broken` and left blank, so that the other cells are still analysed."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise NotebookError(f"not a valid notebook (invalid JSON: {error.msg} at line {error.lineno})") from error
    if (cells := notebook_cells(data)) is None:  # nbformat 4's `cells`, or 3's `worksheets[].cells[].input`
        raise NotebookError("not a valid notebook (no 'cells' list)")
    lines: list[str] = []
    origin: list[tuple[int, int]] = [(0, 0)]
    margins: list[int | None] = [0]
    broken: list[CellError] = []
    for number, cell in enumerate(cells, start=1):
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        raw = cell.get("source", "")
        if isinstance(raw, list) and not all(isinstance(part, str) for part in raw):
            raise NotebookError(f"not a valid notebook (the source of cell {number} is not text)")
        text_ = "".join(raw) if isinstance(raw, list) else str(raw)
        count = len(python_lines(text_)) or 1
        code = as_python(number, text_)
        if isinstance(code, CellError):
            broken.append(code)
            code = CellCode((_unknown_effects(text_), *("",) * (count - 1)), (None,) * count)
        for index, (line, margin) in enumerate(zip(code.lines, code.margins, strict=True), start=1):
            lines.append(line)
            origin.append((number, index))
            margins.append(margin)
        lines.append("")
        origin.append((number, count + 1))
        margins.append(0)
    return Notebook("\n".join(lines) + "\n", origin, margins, tuple(broken))


_NAME = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _unknown_effects(source: str) -> str:
    """The line that stands for a cell that does not parse: whatever it may have changed becomes
    unknown. Run in order, the cell may have added layers to a model or rebound a variable (one
    indented line too many under today's IPython, as `model.add(Flatten())` in a notebook written for
    an older one): a later finding must not depend on the cell having done nothing. Every name in it
    is the receiver of a method call in a loop of unknown trip count, which the interpreter's
    `havoc` makes forget what it knows (a tensor keeps its shape: no method changes it)."""
    names = sorted({name for name in _NAME.findall(source) if not keyword.iskeyword(name)})[:200]
    if not names:
        return ""
    return "while __cnnlint_cell_that_does_not_parse__: " + "; ".join(f"{name}.__cell__()" for name in names)


@dataclass(frozen=True)
class CellCode:
    """A cell as Python: one line per line of the cell, and each line's margin (see `Notebook`)."""

    lines: tuple[str, ...]
    margins: tuple[int | None, ...]


def as_python(number: int, source: str) -> CellCode | CellError:
    """Cell `number` as the Python IPython runs, or why it is not Python.

    Valid means what IPython means: `InteractiveShell.transform_cell(source)` gives text that
    `ast.parse` accepts (parsed only, nothing compiled or run).
    """
    try:
        code = _ipython_lines(source)
    except _Untransformable as error:
        return CellError(number, error.line, 1, error.message)
    except _TooMuchWork as error:
        raise NotebookError(f"not analysed: cell {number} has more IPython syntax than cnnlint follows") from error
    lines, margins = code.per_line()
    # Parsed with the cell's own line breaks: at the end of the text, Python accepts a backslash
    # before `\r\n` but not before `\n`.
    problem = _parse_error("".join(lines))
    if problem is None:
        return CellCode(tuple(line.rstrip("\r\n") for line in lines), tuple(margins))
    line, column, message = problem
    margin = margins[line - 1] if 0 < line <= len(margins) else None
    return CellError(number, line, column + (margin or 0), message)


def _parse_error(code: str) -> tuple[int, int, str] | None:
    """(line, column, message) of why `code` does not parse, or None."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # invalid escapes in strings: Python still runs the cell
            ast.parse(code)
    except SyntaxError as error:
        return error.lineno or 1, error.offset or 1, error.msg
    except (ValueError, RecursionError, MemoryError) as error:  # a NUL character; nesting past the parser's stack
        return 1, 1, str(error) or type(error).__name__
    return None


# -- IPython's transformation ------------------------------------------------------------------
# Mirrors IPython 9.18's `IPython.core.inputtransformer2.TransformerManager.transform_cell` and, for
# a one-line cell, the default prefilter of `InteractiveShell.transform_cell`, step for step: the
# same tokens decide, so strings, comments and brackets are told from IPython syntax as IPython
# tells them. tests/test_notebook_ipython.py checks it against IPython itself.


class _Untransformable(Exception):
    """IPython raises on this cell (its tokenizer's indentation error, an index error, its loop limit)."""

    def __init__(self, message: str, line: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


@dataclass(frozen=True)
class _Line:
    """A line as IPython's transformation has it: its text (with its line break), how many lines
    of the cell it stands for (a magic continued with backslashes covers several), its margin."""

    text: str
    span: int = 1
    margin: int | None = 0


@dataclass(frozen=True)
class _Cell:
    lead: int  # leading blank lines IPython drops
    lines: tuple[_Line, ...]

    def texts(self) -> list[str]:
        return [line.text for line in self.lines]

    def cell_line(self, index: int) -> int:
        """The cell's line (1-based) where IPython's line `index` (0-based) starts."""
        return self.lead + sum(line.span for line in self.lines[:index]) + 1

    def per_line(self) -> tuple[list[str], list[int | None]]:
        """One line per line of the cell, each with its line break: lines IPython dropped or
        joined become blank."""
        lines: list[str] = ["\n"] * self.lead
        margins: list[int | None] = [0] * self.lead
        for line in self.lines:
            lines += [line.text, *["\n"] * (line.span - 1)]
            margins += [line.margin, *[None] * (line.span - 1)]
        return lines, margins

    def stripped(self, texts: Sequence[str]) -> _Cell:
        """The same lines with `texts`, each the old text less some characters at its start."""
        if len(texts) != len(self.lines):  # pragma: no cover - dedenting never adds or joins lines
            raise _Untransformable("cannot follow IPython's dedent of this cell")
        return replace(self, lines=tuple(
            replace(line, text=new, margin=None if line.margin is None else line.margin + len(line.text) - len(new))
            for line, new in zip(self.lines, texts, strict=True)))

    def rewritten(self, first: int, last: int, text: str) -> _Cell:
        """IPython's lines `first`..`last` (0-based, inclusive) replaced by one line, `text`."""
        last = min(last, len(self.lines) - 1)
        span = sum(line.span for line in self.lines[first:last + 1])
        return replace(self, lines=(*self.lines[:first], _Line(text, span, None), *self.lines[last + 1:]))


def _ipython_lines(source: str) -> _Cell:
    if not source.endswith("\n"):
        source += "\n"
    cell = _Cell(0, tuple(_Line(text) for text in _lines_with_breaks(source)))
    cell = _drop_leading_blank_lines(cell)
    cell = cell.stripped(_dedent(cell.texts()))
    cell = cell.stripped(_strip_doctest_prompts(cell.texts()))
    cell = cell.stripped(_strip_ipython_prompts(cell.texts()))
    cell = _cell_magic(cell)
    cell = _token_transforms(cell)
    return _one_line_prefilter(cell)


def _drop_leading_blank_lines(cell: _Cell) -> _Cell:
    """IPython drops the blank lines a cell starts with, splitting lines as `str.splitlines` does
    (so a form feed or U+001E ends a "line" there, and whitespace before it goes too)."""
    pieces = "".join(cell.texts()).splitlines(keepends=True)
    first = next((index for index, piece in enumerate(pieces) if piece and not piece.isspace()), None)
    if first is None:
        return cell  # IPython keeps a cell that is all blank
    removed = sum(len(piece) for piece in pieces[:first])
    lines = list(cell.lines)
    lead = cell.lead
    while lines and len(lines[0].text) <= removed:
        removed -= len(lines.pop(0).text)
        lead += 1
    rest = _Cell(lead, tuple(lines))
    return rest.stripped([rest.lines[0].text[removed:], *rest.texts()[1:]]) if removed else rest


def _dedent(texts: Sequence[str]) -> list[str]:
    return _lines_with_breaks(textwrap.dedent("".join(texts)))


_DOCTEST_FIRST = re.compile(r"^\s*>>>")
_DOCTEST_PS1 = re.compile(r"^\s*>>>[ \t]?")
_DOCTEST_PS2 = re.compile(r"^\s*\.\.\.[ \t]?")
_TRIPLE_QUOTE = re.compile(r"(?<!\\)(\"\"\"|''')")
_STRING_PREFIX = re.compile(r"(?i)^[rubf]*$")


def _in_triple_quoted_string(texts: Sequence[str]) -> list[bool]:
    """IPython's guess of which lines are inside a triple-quoted string (prompts there are kept)."""
    mask: list[bool] = []
    quote: str | None = None
    preserve = False
    seen_prompt = False
    for text in texts:
        mask.append(quote is not None and preserve)
        for match in _TRIPLE_QUOTE.finditer(text):
            if quote is None:
                quote = match.group(1)
                before = text[:match.start()]
                bare = _DOCTEST_PS2.sub("", _DOCTEST_PS1.sub("", before, count=1), count=1)
                prompted_code = bare != before and seen_prompt
                preserve = bool(not prompted_code and _STRING_PREFIX.match(bare.strip()))
                mask[-1] = preserve
            elif quote == match.group(1):
                quote, preserve = None, False
        seen_prompt = seen_prompt or bool(_DOCTEST_FIRST.match(text))
    return mask


def _strip_doctest_prompts(texts: Sequence[str]) -> list[str]:
    """`>>> ` and `... ` prompts of pasted doctests, then each run of stripped lines dedented."""
    mask = _in_triple_quoted_string(texts)
    if not any(not inside and _DOCTEST_FIRST.match(text) for text, inside in zip(texts, mask, strict=True)):
        return list(texts)
    out: list[str] = []
    for text, inside in zip(texts, mask, strict=True):
        if not inside and _DOCTEST_PS1.match(text):
            text = _DOCTEST_PS1.sub("", text, count=1)
        elif not inside and _DOCTEST_PS2.match(text):
            text = _DOCTEST_PS2.sub("", text, count=1)
        out.append(text)
    result: list[str] = []
    start = 0
    while start < len(out):
        end = start
        while end < len(out) and mask[end] == mask[start]:
            end += 1
        segment = out[start:end]
        changed = any(new != old for new, old in zip(segment, texts[start:end], strict=True))
        result += _dedent(segment) if not mask[start] and changed else segment
        start = end
    return result


_IPYTHON_PROMPT = re.compile(r"^(((\[nav\]|\[ins\])? )?In \[\d+\]: |\s*\.{3,}: ?)")


def _strip_ipython_prompts(texts: Sequence[str]) -> list[str]:
    """`In [1]: ` and `...: ` prompts of pasted IPython sessions."""
    if texts and (_IPYTHON_PROMPT.match(texts[0]) or (len(texts) > 1 and _IPYTHON_PROMPT.match(texts[1]))):
        return [_IPYTHON_PROMPT.sub("", text, count=1) for text in texts]
    return list(texts)


def _cell_magic(cell: _Cell) -> _Cell:
    """`%%name args` on the first line: the whole cell is the magic's input, not Python."""
    first = cell.lines[0].text
    if not first.startswith("%%") or re.match(r"%%\w+\?", first):
        return cell
    name, _, args = first[2:].rstrip().partition(" ")
    body = "".join(cell.texts()[1:])
    return cell.rewritten(0, len(cell.lines) - 1, f"get_ipython().run_cell_magic({name!r}, {args!r}, {body!r})\n")


# Token transforms: each finds its first match in the tokens of the cell; the earliest match that
# applies is rewritten, and the cell is tokenized again (what follows IPython syntax may not
# tokenize as it did).
_LOOP_LIMIT = 500
_TOKEN_ERRORS_CAUGHT = (
    "unterminated string literal", "invalid non-printable character", "after line continuation character",
    "invalid decimal literal", "invalid binary literal", "invalid octal literal", "invalid hexadecimal literal",
    "in binary literal", "in octal literal", "expected EOF",
)
Tokens = list[tokenize.TokenInfo]


@dataclass(frozen=True)
class _Match:
    line: int  # 0-based, as IPython counts its lines
    column: int
    priority: int
    rewrite: Callable[[list[str], _Match], tuple[int, int, str]]  # -> first line, last line, new text
    question_line: int = 0


@dataclass(frozen=True)
class _Resume:
    """A line where tokenizing can start again and give the tokens a whole pass would: a logical
    line starts there outside brackets. Lines before a rewrite are not tokenized again, so a cell
    of many magics costs one pass, not one per magic (IPython's own loop is quadratic)."""

    line: int  # 0-based, as IPython counts its lines
    indents: tuple[str, ...] = ()  # the tokenizer's indentation stack there, beyond column 0
    depth: int = 0  # IPython's bracket count there (it never goes below 0, Python's may)
    used: frozenset[int] = frozenset()  # finders whose first match, which failed, lies before


def _token_transforms(cell: _Cell) -> _Cell:
    resumes = [_Resume(0)]
    work = 0
    for _ in range(_LOOP_LIMIT):
        texts = cell.texts()
        try:
            found, cost = _first_rewrite(texts, resumes)
        except SyntaxError as error:  # an indentation error of Python's tokenizer: IPython gives up on the cell
            raise _Untransformable(error.msg, cell.cell_line((error.lineno or 1) - 1)) from error
        except IndexError as error:
            raise _Untransformable("IPython cannot transform this cell (an `= %` with nothing after it)",
                                   cell.cell_line(0)) from error
        work += cost
        if work > _WHOLE_PASS_BUDGET:
            raise _TooMuchWork
        if found is None:
            return cell
        first, last, text = found
        cell = cell.rewritten(first, last, text)
        resumes = [resume for resume in resumes if resume.line < first] or [_Resume(0)]
    raise _Untransformable(f"IPython stops after {_LOOP_LIMIT} rewrites of one cell")


# Tokens read by whole passes over one cell (about 8 s); only a cell built to defeat the resume
# points (hundreds of autocall escapes that open strings) gets near it.
_WHOLE_PASS_BUDGET = 1_000_000


class _TooMuchWork(Exception):
    pass


def _first_rewrite(texts: list[str], resumes: list[_Resume]) -> tuple[tuple[int, int, str] | None, int]:
    """IPython's next rewrite (each finder's first match, the earliest that applies), and the
    tokens a whole pass read for it.

    Walks the logical lines from the last resume point; appends the resume points it passes.
    IPython tokenizes the whole cell each time and gives up on an error anywhere: one after the
    rewrite is met on a later walk, unless the rewrite opens a string or bracket that hides it,
    so then the walk goes on to the end first.
    """
    resume = resumes[-1]
    used = set(resume.used)
    lines = _logical_lines(texts, resume)
    for line, start in lines:
        if start is not None and start.line > resume.line:
            resumes.append(replace(start, used=frozenset(used)))
        matches: list[_Match] = []
        for index, find in enumerate(_FINDERS):
            if index not in used and (match := find(line)) is not None:
                used.add(index)  # a finder offers its first match only
                matches.append(match)
        for match in sorted(matches, key=lambda m: (m.line, m.column, m.priority)):
            try:
                found = match.rewrite(texts, match)
            except SyntaxError:
                continue
            return found, 0 if _self_contained(found[2]) else _rest_of_pass(lines, _MAGIC_ASSIGN not in used)
    return None, 0


def _self_contained(text: str) -> bool:
    """Whether a rewritten line is one statement that leaves no string or bracket open (true of
    every call IPython writes; an autocall escape such as `;f ""` -> `f("""")` may open one)."""
    try:
        tokens = list(tokenize.generate_tokens(iter([text]).__next__))
    except (tokenize.TokenError, SyntaxError):
        return False
    depth = 0
    for token in tokens:
        if token.type == tokenize.ERRORTOKEN or depth < 0:
            return False
        if token.type == tokenize.OP and token.string in {"(", "[", "{"}:
            depth += 1
        elif token.type == tokenize.OP and token.string in {")", "]", "}"}:
            depth -= 1
    kinds = [token.type for token in tokens if token.type not in (tokenize.INDENT, tokenize.DEDENT, tokenize.ENDMARKER)]
    return depth == 0 and len(kinds) > 1 and kinds[-1] == tokenize.NEWLINE and tokenize.NL not in kinds


def _rest_of_pass(lines: Iterator[tuple[Tokens, _Resume | None]], magic_assign: bool) -> int:
    """Tokenize the rest of the cell as IPython's whole pass does (raising where it raises); the
    number of tokens read."""
    read = 0
    for line, _ in lines:
        read += len(line)
        if magic_assign and _find_magic_assign(line) is not None:
            magic_assign = False
    return read


def _tokens(texts: Sequence[str], resume: _Resume) -> Iterator[tokenize.TokenInfo]:
    """The tokens of `texts` from line `resume.line`, numbered as in a pass over the whole text.

    Lines `if 1:` at each indentation of the stack put the tokenizer in the state it had there.
    """
    scaffold = [f"{indent}if 1:\n" for indent in ("", *resume.indents)] if resume.indents else []
    shift = resume.line - len(scaffold)
    last: tokenize.TokenInfo | None = None
    try:
        for token in tokenize.generate_tokens(iter([*scaffold, *texts[resume.line:]]).__next__):
            if token.start[0] > len(scaffold):
                last = token._replace(start=(token.start[0] + shift, token.start[1]),
                                      end=(token.end[0] + shift, token.end[1]))
                yield last
    except tokenize.TokenError as error:
        if not any(text in error.args[0] for text in _TOKEN_ERRORS_CAUGHT):
            raise
        start = (last.start[0], last.end[0]) if last is not None else (1, 0)
        yield tokenize.TokenInfo(tokenize.ERRORTOKEN, "", start, start, last.line if last is not None else "")
    except SyntaxError as error:  # IndentationError: numbered as in a whole pass
        if error.lineno is not None:
            error.lineno += shift
        raise


def _logical_lines(texts: Sequence[str], resume: _Resume) -> Iterator[tuple[Tokens, _Resume | None]]:
    """The tokens grouped by logical line (a bracketed expression over several lines is one, as
    IPython counts brackets), each with the resume point at its start, if it is one."""
    group: Tokens = []
    depth, python_depth, indents = resume.depth, 0, list(resume.indents)
    start: _Resume | None = resume
    try:
        for token in _tokens(texts, resume):
            group.append(token)
            if token.type == tokenize.INDENT:
                indents.append(token.string)
            elif token.type == tokenize.DEDENT and indents:
                indents.pop()
            elif token.type == tokenize.OP and token.string in {"(", "[", "{"}:
                depth += 1
                python_depth += 1
            elif token.type == tokenize.OP and token.string in {")", "]", "}"}:
                depth = max(depth - 1, 0)
                python_depth -= 1
            if token.type == tokenize.NEWLINE or (token.type == tokenize.NL and depth <= 0):
                yield group, start
                group = []
                # Python's own bracket count must be 0 too: after a stray `)` it reads on as one line.
                start = _Resume(token.end[0], tuple(indents), depth) if python_depth == 0 else None
    except tokenize.TokenError:  # the cell ends inside a string or brackets: what came before counts
        pass
    if group:
        yield group, start


def _assignment(line: Tokens) -> int | None:
    """Index of the first `=` outside brackets."""
    depth = 0
    for index, token in enumerate(line):
        if token.string == "=" and depth == 0:
            return index
        if token.string in {"(", "[", "{"}:
            depth += 1
        elif token.string in {")", "]", "}"} and depth > 0:
            depth -= 1
    return None


def _continued_end(texts: Sequence[str], start: int) -> int:
    """The last line of a line continued with backslashes (may be one past the end, as in IPython)."""
    end = start
    while texts[end].endswith("\\\n"):
        end += 1
        if end >= len(texts):
            break
    return end


def _continued_text(texts: Sequence[str], line: int, column: int, end: int) -> str:
    """The pieces of a continued line joined by spaces, each less its backslash and line break."""
    parts = [texts[line][column:], *texts[line + 1:end + 1]]
    return " ".join([part.rstrip()[:-1] for part in parts[:-1]] + [parts[-1].rstrip()])


def _find_magic_assign(line: Tokens) -> _Match | None:
    """`x = %magic args`."""
    index = _assignment(line)
    if (index is not None and len(line) >= index + 2 and line[index + 1].string == "%"
            and line[index + 2].type == tokenize.NAME):  # IndexError as in IPython: `x = %` at the end
        row, column = line[index + 1].start
        return _Match(row - 1, column, 10, _rewrite_magic_assign)
    return None


def _rewrite_magic_assign(texts: list[str], match: _Match) -> tuple[int, int, str]:
    end = _continued_end(texts, match.line)
    name, _, args = _continued_text(texts, match.line, match.column, end)[1:].partition(" ")
    lhs = texts[match.line][:match.column]
    return match.line, end, f"{lhs}get_ipython().run_line_magic({name!r}, {args!r})\n"


def _find_system_assign(line: Tokens) -> _Match | None:
    """`x = !command`: `!` is an error token before Python 3.12, an operator since."""
    index = _assignment(line)
    if index is None or line[index].line.strip().startswith("=") or len(line) < index + 2:
        return None
    if sys.version_info >= (3, 12):
        if line[index + 1].type == tokenize.OP and line[index + 1].string == "!":
            row, column = line[index + 1].start
            return _Match(row - 1, column, 10, _rewrite_system_assign)
        return None
    at = index + 1
    while at < len(line) and line[at].type == tokenize.ERRORTOKEN:
        if line[at].string == "!":
            row, column = line[at].start
            return _Match(row - 1, column, 10, _rewrite_system_assign)
        if not line[at].string.isspace():
            break
        at += 1
    return None


def _rewrite_system_assign(texts: list[str], match: _Match) -> tuple[int, int, str]:
    end = _continued_end(texts, match.line)
    command = _continued_text(texts, match.line, match.column, end)[1:]
    return match.line, end, f"{texts[match.line][:match.column]}get_ipython().getoutput({command!r})\n"


_ESCAPES = {"!", "?", "%", ",", ";", "/"}


def _find_escape(line: Tokens) -> _Match | None:
    """A logical line that starts with `!`, `!!`, `%`, `?`, `??`, or the autocall escapes `,` `;` `/`."""
    first = next((token for token in line if token.type not in (tokenize.INDENT, tokenize.DEDENT)), None)
    if first is not None and first.string in _ESCAPES:
        return _Match(first.start[0] - 1, first.start[1], 10, _rewrite_escape)
    return None


def _rewrite_escape(texts: list[str], match: _Match) -> tuple[int, int, str]:
    end = _continued_end(texts, match.line)
    line = _continued_text(texts, match.line, match.column, end)
    escape = line[:2] if line[:2] in ("!!", "??") else line[:1]
    return match.line, end, f"{texts[match.line][:match.column]}{_ESCAPED[escape](line[len(escape):])}\n"


def _magic_call(content: str) -> str:
    name, _, args = content.partition(" ")
    return f"get_ipython().run_line_magic({name!r}, {args!r})"


def _help_call(target: str, escape: str) -> str:
    if not target:
        return "get_ipython().show_usage()"
    method = "pinfo2" if escape == "??" else "psearch" if "*" in target else "pinfo"
    return f"get_ipython().run_line_magic({method!r}, {target!r})"


def _paren_call(content: str) -> str:
    name, _, args = content.partition(" ")
    if not name:
        raise SyntaxError("`/` must be followed by a callable name")
    return f"{name}({', '.join(args.split())})"


def _quote_call(content: str) -> str:
    name, _, args = content.partition(" ")
    return name + '("' + '", "'.join(args.split()) + '")'


def _quote_all_call(content: str) -> str:
    name, _, args = content.partition(" ")
    return name + '("' + args + '")'


_ESCAPED: dict[str, Callable[[str], str]] = {
    "!": lambda command: f"get_ipython().system({command!r})",
    "!!": lambda command: f"get_ipython().getoutput({command!r})",
    "?": lambda target: _help_call(target, "?"),
    "??": lambda target: _help_call(target, "??"),
    "%": _magic_call,
    ",": _quote_call,
    ";": _quote_all_call,
    "/": _paren_call,
}

_HELP_END = re.compile(
    r"""(%{0,2}
    (?!\d)[\w*]+            # a name
    (\.(?!\d)[\w*]+|\[-?[0-9]+\])*       # .attribute or [integer]
    )
    (\?\??)$                # ? or ??
    """,
    re.VERBOSE,
)


def _find_help_end(line: Tokens) -> _Match | None:
    """`name?` / `name??` (ahead of an escape at the same place: `%magic?` asks about the magic)."""
    if len(line) > 2 and line[-2].string == "?":
        first = next(token for token in line if token.type not in (tokenize.INDENT, tokenize.DEDENT))
        return _Match(first.start[0] - 1, first.start[1], 5, _rewrite_help_end, line[-2].start[0] - 1)
    return None


def _rewrite_help_end(texts: list[str], match: _Match) -> tuple[int, int, str]:
    piece = "".join(texts[match.line:match.question_line + 1])
    found = _HELP_END.search(piece[match.column:])
    if found is None:
        raise SyntaxError("not a help query")
    return match.line, match.question_line, f"{piece[:match.column]}{_help_call(found.group(1), found.group(3))}\n"


_FINDERS: tuple[Callable[[Tokens], _Match | None], ...] = (
    _find_magic_assign, _find_system_assign, _find_escape, _find_help_end,
)
_MAGIC_ASSIGN = 0  # its finder can raise, as IPython's does


# -- a one-line cell: IPython's prefilter --------------------------------------------------------
# The magics of a fresh `InteractiveShell` (line and cell magics, with the POSIX shell aliases),
# which it runs without their `%` (automagic) in a cell of one line; test_notebook_ipython.py
# compares the table with IPython's own.
AUTOMAGICS = frozenset({
    "HTML", "SVG", "alias", "alias_magic", "autoawait", "autocall", "automagic", "bash", "bookmark", "capture",
    "cat", "cd", "code_wrap", "colors", "conda", "config", "cp", "debug", "dhist", "dirs", "doctest_mode", "ed",
    "edit", "env", "file", "gui", "hist", "history", "html", "javascript", "js", "killbgscripts", "latex", "ldir",
    "lf", "lk", "ll", "load", "load_ext", "loadpy", "logoff", "logon", "logstart", "logstate", "logstop", "ls",
    "lsmagic", "lx", "macro", "magic", "mamba", "markdown", "matplotlib", "micromamba", "mkdir", "mv", "notebook",
    "page", "pastebin", "pdb", "pdef", "pdoc", "perl", "pfile", "pinfo", "pinfo2", "pip", "popd", "pprint",
    "precision", "prun", "psearch", "psource", "pushd", "pwd", "pycat", "pylab", "pypy", "python", "python2",
    "python3", "quickref", "recall", "rehashx", "reload_ext", "rep", "rerun", "reset", "reset_selective", "rm",
    "rmdir", "ruby", "run", "save", "sc", "script", "set_env", "sh", "svg", "sx", "system", "tb", "time", "timeit",
    "unalias", "uv", "unload_ext", "who", "who_ls", "whos", "writefile", "xdel", "xmode",
})
# Objects a fresh shell calls when named at the start of a one-line cell (`exit 0` runs `exit(0)`).
AUTOCALLED = frozenset({"exit", "quit"})
_LINE_SPLIT = re.compile(r"^(\s*)([,;/%]|!!?|\?\??)?\s*(%{0,2}[\w.*]*)(.*?$|$)")


def _one_line_prefilter(cell: _Cell) -> _Cell:
    """A cell of one line that is not Python may be a magic without its `%` (`pip install x`).

    IPython decides by the names the session has defined: a line that parses as Python is left
    as Python (both readings are valid, and only the Python one can be analysed); one that does
    not is read as a fresh shell reads it.
    """
    text = "".join(cell.texts())
    if len(text.splitlines()) != 1 or _parse_error(text) is None:
        return cell
    new = _prefilter_line(text.rstrip("\n"))
    return cell if new + "\n" == text else cell.rewritten(0, 0, new + "\n")


def _prefilter_line(line: str) -> str:
    if not line.strip():
        return line
    match = _LINE_SPLIT.match(line)
    assert match is not None  # every group is optional
    space, escape, name, rest = match.group(1), match.group(2) or "", match.group(3).strip(), match.group(4).lstrip()
    if name in AUTOCALLED:
        return _autocall(name, rest, escape) or line
    if rest and rest[0] in "=,":  # `ls = 1`, `ls, x = ...`: Python assigning to a magic's name
        return line
    if name in AUTOMAGICS:
        return f"{space}get_ipython().run_line_magic({name!r}, {rest!r})"
    return line


def _autocall(name: str, rest: str, escape: str) -> str | None:
    """`exit 0` as IPython calls it; None where it leaves the line as it is (`exit (0`)."""
    if escape == ",":
        return name + '("' + '", "'.join(rest.split()) + '")'
    if escape == ";":
        return name + '("' + rest + '")'
    if escape == "/":
        return f"{name}({','.join(rest.split())})"
    if rest.startswith("("):
        return None
    return f"{name}({rest[:-1]});" if rest.endswith(";") else f"{name}({rest})"


# -- positions ---------------------------------------------------------------------------------
def to_cells(notebook: Notebook, diagnostic: Diagnostic) -> Diagnostic:
    """Rewrite a diagnostic's positions (its own, its trace's, its related ones') as (cell, line
    within the cell)."""
    def cell_line(line: int) -> tuple[int, int]:
        return notebook.origin[line] if 0 < line < len(notebook.origin) else (0, line)

    def column(line: int, column: int) -> int:
        margin = notebook.margins[line] if 0 < line < len(notebook.margins) else 0
        return column + (margin or 0)

    def in_cell(at: Loc) -> tuple[int, Loc]:
        """The cell of `at` and its position there (a range that ends in another cell ends on its first line)."""
        cell, line = cell_line(at.line)
        end_cell, end_line = cell_line(at.end_line)
        end_column = column(at.end_line, at.end_column)
        if end_cell != cell:
            end_line, end_column = line, column(at.line, at.end_column)
        return cell, Loc(line, column(at.line, at.column), end_line, end_column)

    def cite(match: re.Match[str]) -> str:
        at_cell, at_line = cell_line(int(match.group(1)))
        return f"cell {at_cell}, line {at_line}"

    def related(note: Related) -> Related:
        if note.path != diagnostic.path or note.cell is not None:
            return note  # another file's position (a helper's call site): not this notebook's lines
        at_cell, at = in_cell(note.loc)
        return replace(note, loc=at, cell=at_cell, message=re.sub(r"\bline (\d+)", cite, note.message))

    cell, loc = in_cell(diagnostic.loc)
    trace = tuple(replace(step, line=cell_line(step.line)[1], call=re.sub(r"\bline (\d+)", cite, step.call))
                  for step in diagnostic.trace)
    message = re.sub(r"\bline (\d+)", cite, diagnostic.message)
    fix = _fix_to_cells(diagnostic.fix, notebook) if diagnostic.fix is not None else None
    return replace(diagnostic, loc=loc, cell=cell, trace=trace, message=message, fix=fix,
                   related=tuple(related(note) for note in diagnostic.related))


def _fix_to_cells(fix: Fix, notebook: Notebook) -> Fix | None:
    """A fix's edit positions as (cell, line within the cell): each edit gains its `cell`.

    None when an edit would cross from one cell into another, or touch a line IPython rewrote
    (the cell's text there is not the text that was analysed).
    """
    def place(row: int, column: int) -> tuple[int, int, int] | None:
        """(cell, row within it, column) of a position of the joined source."""
        margin = notebook.margins[row] if 0 < row < len(notebook.origin) else None
        if margin is None:
            return None
        cell, cell_row = notebook.origin[row]
        return cell, cell_row, column + margin

    edits = []
    for edit in fix.edits:
        start, end = place(edit.loc.line, edit.loc.column), place(edit.loc.end_line, edit.loc.end_column)
        if start is None or end is None or start[0] != end[0] or start[0] == 0:
            return None
        edits.append(Edit(Loc(start[1], start[2], end[1], end[2]), edit.content, start[0]))
    return replace(fix, edits=tuple(edits))
