"""The front end: parse a file with libcst and rebuild its models as graphs (the IR)."""

from __future__ import annotations

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
        return SyntaxIssue(error.message, error.raw_line, error.raw_column + 1)


def extract(code: str, path: str, options: dict[str, Any] | None = None) -> ModuleIR:
    """The graphs of every model the file builds, or its syntax error."""
    module = parse(code)
    if isinstance(module, SyntaxIssue):
        return ModuleIR(path, syntax_error=module)
    return Interpreter(module, path, ApiTable(), options).run()
