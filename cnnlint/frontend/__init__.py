"""The front end: parse a file with libcst and rebuild its models as graphs (the IR)."""

from __future__ import annotations

import ast
import dataclasses
import io
import keyword
import re
import tokenize
from collections.abc import Mapping
from typing import Any

import libcst as cst

from cnnlint.frontend.plugins import chain
from cnnlint.frontend.python import Interpreter, modules
from cnnlint.frontend.python.positions import parsed_from
from cnnlint.ir import ModuleIR, SyntaxIssue
from cnnlint.options import FrontendOptions


class NotAnalysable(Exception):
    """A file cnnlint cannot analyse for a reason that is not the file's fault: reported in `errors`."""


def parse(code: str) -> cst.Module | SyntaxIssue:
    tree = modules.parsed(code)  # already parsed as another file's import in this process
    if tree is not None:
        return tree
    try:
        return parsed_from(cst.parse_module(code), code)
    except cst.ParserSyntaxError as error:
        return _syntax_issue(code, error)
    except cst.CSTValidationError as error:  # parsed, but refused as a tree: `b"a" "b"` (Python refuses it too)
        return _syntax_issue(code, cst.ParserSyntaxError(str(error), lines=[""], raw_line=1, raw_column=0))


def _syntax_issue(code: str, error: cst.ParserSyntaxError) -> SyntaxIssue:
    """Where and why the file does not parse, as precisely as Python's own parser says it.

    `ast.parse` only parses (nothing is compiled to bytecode or run); it is asked only after
    libcst failed, for its exact position and its friendlier wording.
    """
    try:
        ast.parse(code)
    except SyntaxError as py_error:
        if py_error.lineno is not None:
            return SyntaxIssue(py_error.msg, py_error.lineno, py_error.offset or 1)
    except (RecursionError, MemoryError, ValueError):
        pass
    else:  # valid Python that libcst cannot read (e.g. thousands of adjacent string literals)
        raise NotAnalysable(f"libcst, the parser cnnlint uses, cannot read this valid Python file "
                            f"({error.message.splitlines()[0][:80]})")
    where = re.search(r"error at (\d+):(\d+)", error.message)
    line, column = (int(where.group(1)), int(where.group(2)) + 1) if where else (error.raw_line, 1)
    message = re.sub(r"^(parser error: )?error at \d+:\d+: ", "", error.message)
    if message.startswith("expected one of"):
        message = "invalid syntax"
    return SyntaxIssue(message, line, column)


# Beyond these, libcst's recursive passes can exhaust the stack (or crash the process).
MAX_NESTING = 100
MAX_OPERATORS_PER_STATEMENT = 300
MAX_CHAIN = 300  # `a.b.c...`, `f()()()...`, `x[0][0]...`: each trailer nests the tree one level
_OPERATORS = frozenset("+ - * / // % ** @ << >> & | ^ and or not if lambda".split())
# A name, literal or closing bracket before `(` / `[` makes it a call or subscript (a trailer).
_ENDS_PRIMARY = frozenset({tokenize.NAME, tokenize.NUMBER, tokenize.STRING})


def _chain_reason(token: tokenize.TokenInfo) -> str:
    return f"a chain of more than {MAX_CHAIN} calls, subscripts or attributes (line {token.start[0]})"


def too_complex(code: str, comments: list[tuple[int, str]] | None = None) -> str | None:
    """Why a file is too deeply nested to analyse safely, found with the (iterative) tokenizer.
    The same pass collects the file's comments into `comments` (empty if it does not tokenize)."""
    depth = indent = operators = 0
    chains = [0]  # per bracket depth: trailers applied in a row to the current primary
    previous: tokenize.TokenInfo | None = None
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            kind, text = token.type, token.string
            if kind == tokenize.COMMENT:
                if comments is not None:
                    comments.append((token.start[0], text))
                continue
            if kind == tokenize.NL:
                continue
            if kind == tokenize.DEDENT:
                indent -= 1
                continue
            trailer = previous is not None and (previous.type in _ENDS_PRIMARY or previous.string in ")]") \
                and not keyword.iskeyword(previous.string)
            if kind == tokenize.OP and text in "([{":
                if text != "{" and trailer:
                    chains[-1] += 1
                    if chains[-1] > MAX_CHAIN:
                        return _chain_reason(token)
                else:
                    chains[-1] = 0
                depth += 1
                chains.append(0)
                if depth > MAX_NESTING:
                    return f"brackets nested more than {MAX_NESTING} deep (line {token.start[0]})"
            elif kind == tokenize.OP and text in ")]}":
                depth = max(depth - 1, 0)
                if len(chains) > 1:
                    chains.pop()
            elif kind == tokenize.OP and text == ".":
                chains[-1] += 1
                if chains[-1] > MAX_CHAIN:
                    return _chain_reason(token)
            elif kind == tokenize.INDENT:
                indent += 1
                if indent > MAX_NESTING:
                    return f"blocks nested more than {MAX_NESTING} deep (line {token.start[0]})"
            elif kind == tokenize.NEWLINE:
                operators = 0
                chains = [0]
            else:
                if not (kind == tokenize.NAME and previous is not None and previous.string == "."):
                    chains[-1] = 0  # a new primary starts (or an operator ends the chain)
                if text in _OPERATORS and kind in (tokenize.OP, tokenize.NAME):
                    operators += 1
                    if operators > MAX_OPERATORS_PER_STATEMENT:
                        return f"a statement with more than {MAX_OPERATORS_PER_STATEMENT} operators " \
                               f"(line {token.start[0]})"
            previous = token
    except (tokenize.TokenError, SyntaxError, IndentationError):
        if comments is not None:
            comments.clear()
        return None  # the parser reports it as CNN000
    return None


def extract(code: str, path: str, options: FrontendOptions | Mapping[str, Any] | None = None) -> ModuleIR:
    """The graphs of every model the file builds, or its syntax error. `options` may also be
    given as a mapping of `FrontendOptions` fields (`{"file_seconds": 0.5}`)."""
    module = parse(code)
    if isinstance(module, SyntaxIssue):
        return ModuleIR(path, syntax_error=module)
    if options is not None and not isinstance(options, FrontendOptions):
        fields = {f.name for f in dataclasses.fields(FrontendOptions)}
        options = FrontendOptions(**{k: v for k, v in options.items() if k in fields})
    return Interpreter(module, path, chain(), options).run()
