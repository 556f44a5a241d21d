"""The front end: parse a file with libcst and rebuild its models as graphs (the IR)."""

from __future__ import annotations

import ast
import re
from typing import Any

import libcst as cst

from cnnlint.frontend import pylib, tf_layers, tf_nn  # noqa: F401  (register API handlers)
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


def extract(code: str, path: str, options: dict[str, Any] | None = None) -> ModuleIR:
    """The graphs of every model the file builds, or its syntax error."""
    module = parse(code)
    if isinstance(module, SyntaxIssue):
        return ModuleIR(path, syntax_error=module)
    return Interpreter(module, path, ApiTable(), options).run()
