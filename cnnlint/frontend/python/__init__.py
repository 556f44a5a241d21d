"""The Python interpreter of the front end: statements, expressions, scopes, builtins, constant
folding, the join lattice and budgets. It knows Python only; frameworks reach it through the
plugin protocol (`plugin.py`) and their own value types (`values.Value`)."""

from cnnlint.frontend.python.interpreter import Interpreter
from cnnlint.frontend.python.plugin import Plugin, Plugins

__all__ = ["Interpreter", "Plugin", "Plugins"]
