"""The front end: parse a file with libcst and rebuild its models as graphs (the IR)."""

from __future__ import annotations

import ast
import io
import re
import tokenize
from typing import Any

import libcst as cst

from cnnlint.frontend import keras, pylib, tf_layers, tf_nn  # noqa: F401  (register API handlers)
from cnnlint.frontend.api import ApiTable
from cnnlint.frontend.interp import Interpreter
from cnnlint.ir import ModuleIR, SyntaxIssue


def parse(code: str) -> cst.Module | SyntaxIssue:
    try:
        return cst.parse_module(code)
    except cst.ParserSyntaxError as error:
        return _syntax_issue(code, error)


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
    where = re.search(r"error at (\d+):(\d+)", error.message)
    line, column = (int(where.group(1)), int(where.group(2)) + 1) if where else (error.raw_line, 1)
    message = re.sub(r"^(parser error: )?error at \d+:\d+: ", "", error.message)
    if message.startswith("expected one of"):
        message = "invalid syntax"
    return SyntaxIssue(message, line, column)


# Beyond these, libcst's recursive passes can exhaust the stack (or crash the process).
MAX_NESTING = 100
MAX_OPERATORS_PER_STATEMENT = 300
_OPERATORS = frozenset("+ - * / // % ** @ << >> & | ^ and or not if".split())


def too_complex(code: str, comments: list[tuple[int, str]] | None = None) -> str | None:
    """Why a file is too deeply nested to analyse safely, found with the (iterative) tokenizer.
    The same pass collects the file's comments into `comments` (empty if it does not tokenize)."""
    depth = indent = operators = 0
    try:
        for token in tokenize.generate_tokens(io.StringIO(code).readline):
            if token.type == tokenize.COMMENT:
                if comments is not None:
                    comments.append((token.start[0], token.string))
            elif token.type == tokenize.OP and token.string in "([{":
                depth += 1
                if depth > MAX_NESTING:
                    return f"brackets nested more than {MAX_NESTING} deep (line {token.start[0]})"
            elif token.type == tokenize.OP and token.string in ")]}":
                depth = max(depth - 1, 0)
            elif token.type == tokenize.INDENT:
                indent += 1
                if indent > MAX_NESTING:
                    return f"blocks nested more than {MAX_NESTING} deep (line {token.start[0]})"
            elif token.type == tokenize.DEDENT:
                indent -= 1
            elif token.type == tokenize.NEWLINE:
                operators = 0
            elif token.string in _OPERATORS and token.type in (tokenize.OP, tokenize.NAME):
                operators += 1
                if operators > MAX_OPERATORS_PER_STATEMENT:
                    return f"a statement with more than {MAX_OPERATORS_PER_STATEMENT} operators (line {token.start[0]})"
    except (tokenize.TokenError, SyntaxError, IndentationError):
        if comments is not None:
            comments.clear()
        return None  # the parser reports it as CNN000
    return None


def extract(code: str, path: str, options: dict[str, Any] | None = None) -> ModuleIR:
    """The graphs of every model the file builds, or its syntax error."""
    module = parse(code)
    if isinstance(module, SyntaxIssue):
        return ModuleIR(path, syntax_error=module)
    return Interpreter(module, path, ApiTable(), options).run()
