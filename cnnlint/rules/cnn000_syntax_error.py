"""CNN000 syntax-error."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import replace
from typing import TYPE_CHECKING

from cnnlint.ir import Loc, ModuleIR
from cnnlint.rules.base import Diagnostic, Rule

if TYPE_CHECKING:
    from cnnlint.notebook import CellError


class SyntaxError_(Rule):
    """
    ## What it does
    Reports a file that cannot be parsed as Python 3.

    ## Why is this bad?
    Nothing in a file that does not parse can be checked, and Python will refuse to run it.
    Python 2 files (`print "x"`) are the most common cause in old TensorFlow examples.

    ## Example
    ```python
    print "training..."
    ```

    ## Use instead
    ```python
    print("training...")
    ```

    ## Fix safety
    This rule has no automatic fix. What code that does not parse was meant to say cannot be
    known, and Python's own message shows where to look.

    ## References
    - [Python 3 porting guide](https://docs.python.org/3/howto/pyporting.html)
    """

    code = "CNN000"
    name = "syntax-error"
    summary = "the file cannot be parsed"
    VALID = ("x = 1\n",)
    INVALID = ('print "training..."\n', "def f(:\n    pass\n")

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        error = module.syntax_error
        if error is not None:
            loc = Loc(error.line, error.column, error.line, error.column)
            yield self.diagnostic(module, loc, f"cannot parse the file: {error.message}")

    def check_cells(self, path: str, broken: Iterable[CellError]) -> Iterator[Diagnostic]:
        """Each notebook cell that is not Python even as IPython runs it: the cell was left out and the
        other cells analysed, as Jupyter runs the other cells."""
        module = ModuleIR(path)
        for error in broken:
            loc = Loc(error.line, error.column, error.line, error.column)
            yield replace(self.diagnostic(module, loc, f"cannot parse the cell: {error.message}"), cell=error.cell)
