"""Notebook cells are Python as IPython makes them: checked against IPython itself.

A cell is valid when `InteractiveShell.instance().transform_cell(source)` gives text that
`ast.parse` accepts. cnnlint must report CNN000 for exactly the cells that are not valid, at the
cell's own line, and still analyse the other cells. IPython is only the oracle here: cnnlint
never imports it.
"""

from __future__ import annotations

import ast
import contextlib
import io
import json
import keyword
import subprocess
import sys
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnnlint import notebook
from cnnlint.cli import main
from cnnlint.rules import select_rules
from cnnlint.runner import check_notebook

# cnnlint/notebook.py mirrors IPython 9.18 (its prompts, its magics).
IPython = pytest.importorskip("IPython", minversion="9.18")
from IPython.core.autocall import IPyAutocall  # noqa: E402
from IPython.core.interactiveshell import InteractiveShell  # noqa: E402

RULES = select_rules(["CNN"])


@pytest.fixture(scope="module")
def shell(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InteractiveShell]:
    from traitlets.config import Config

    config = Config()
    config.HistoryManager.enabled = False  # the oracle writes nothing under the home directory
    config.InteractiveShell.ipython_dir = str(tmp_path_factory.mktemp("ipython"))
    yield InteractiveShell.instance(config=config)


def ipython_accepts(shell: InteractiveShell, source: str) -> bool:
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # `exit 0` prints its rewrite
            code = shell.transform_cell(source)
    except Exception:  # IPython itself cannot transform the cell
        return False
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            ast.parse(code)
    except (SyntaxError, ValueError, RecursionError, MemoryError):
        return False
    return True


def one_cell(source: str, before: tuple[str, ...] = (), after: tuple[str, ...] = ()) -> str:
    cells = [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
              "source": text.splitlines(keepends=True)} for text in (*before, source, *after)]
    return json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


def syntax_errors(source: str) -> list[tuple[int | None, int]]:
    """(cell, line) of each CNN000 for a notebook of that one cell."""
    result = check_notebook(one_cell(source), "cell.ipynb", RULES)
    return [(d.cell, d.loc.line) for d in result.diagnostics if d.code == "CNN000"]


def cnnlint_accepts(source: str) -> bool:
    return not syntax_errors(source)


# -- the corpus: (cell source, IPython's verdict) -----------------------------------------------
CORPUS: list[tuple[str, str, bool]] = [
    # the two causes seen in real notebooks
    ("colab-pip-block", "import sys\nif 'google.colab' in sys.modules:\n    %pip install -q tensorflow\n", True),
    ("wget-continued", "!wget https://x/y.zip \\\n    -O /tmp/y.zip\n!unzip -q /tmp/y.zip\n", True),
    ("wget-continued-then-python", "!wget https://x/y.zip \\\n    -O /tmp/y.zip \\\n    -q\nimport os\n", True),
    ("continued-at-end-of-cell", "!wget a \\\n", True),
    # magics and shell escapes in nested blocks
    ("magic-in-def", "def f():\n    %time x = 1\n    return 1\n", True),
    ("shell-in-for-in-if", "for i in range(3):\n    if i:\n        !echo {i}\n", True),
    ("shell-in-else", "if x:\n    pass\nelse:\n    !ls\n", True),
    ("tabs", "if x:\n\t!ls\n\tpass\n", True),
    ("tab-indented-cell", "\tif x:\n\t\t!ls\n", True),
    ("indented-cell", "    x = 1\n    y = 2\n", True),
    ("shell-then-deeper-indent", "!ls\n    indented\n", False),
    ("unexpected-indent-magic", "  %%time\nx = 1\n", False),
    ("bad-dedent", "if x:\n    a = 1\n  b = 2\n", False),
    # cell magics
    ("cell-magic-time", "%%time\nmodel.fit(x, y)\n", True),
    ("cell-magic-bash", "%%bash\nfor f in *; do echo $f; done\n", True),
    ("cell-magic-writefile", "%%writefile train.py\nprint 'not python 3'\n", True),
    ("cell-magic-after-blank-line", "\n%%time\nx = 1\n", True),
    ("cell-magic-after-comment", "# timing\n%%time\nx = 1\n", True),
    ("cell-magic-help", "%%timeit?\n", True),
    # captures and assignments
    ("double-bang", "!!ls -l\n", True),
    ("system-assign", "files = !ls\n", True),
    ("system-assign-tuple", "a, b = !ls\n", True),
    ("system-assign-nested", "def f():\n    out = !ls\n    return out\n", True),
    ("magic-assign", "t = %timeit -o f()\n", True),
    ("magic-assign-item", "x[0] = %env HOME\n", True),
    ("magic-assign-nothing-after", "x = %\\\n", False),
    # help
    ("help-suffix", "tf.keras.layers.Conv2D?\n", True),
    ("help-suffix-double", "model.fit??\n", True),
    ("help-prefix", "?tf.nn.conv2d\n", True),
    ("help-in-block", "if x:\n    x?\n", True),
    ("help-of-call", "f(x)?\n", False),
    ("help-after-space", "x = 3 ?\n", False),
    ("help-of-magic", "%time?\n", True),
    # automagic: only a cell of one line
    ("automagic-pip", "pip install -q tensorflow\n", True),
    ("automagic-cd", "cd ..\n", True),
    ("automagic-indented", "  pip install x\n", True),
    ("automagic-two-lines", "pip install x\nimport tensorflow as tf\n", False),
    ("automagic-trailing-blank", "pip install x\n\n", False),
    ("automagic-assignment", "ls = 1\n", True),
    ("not-a-magic", "foo install x\n", False),
    ("exit-autocall", "exit 0\n", True),
    # autocall escapes
    ("paren-escape", "/f a b\n", True),
    ("quote-escape", ",f a b\n", True),
    ("quote-all-escape", ";f a b\n", True),
    ("bare-slash", "/\n", False),
    ("quote-escape-opening-a-string", ';f ""\nx = 1\n""")\n', True),
    # IPython gives up on an indentation error anywhere, even one that the next rewrite would hide
    ("error-hidden-by-opened-string", ';f ""\nif x:\n        a\n    b\n""")\n', False),
    ("error-hidden-by-comment", "if x:\n    ,#x a\n  y\n", False),
    # pasted prompts
    ("doctest-prompts", ">>> x = 1\n>>> if x:\n...     y = 2\n", True),
    ("ipython-prompts", "In [1]: x = 1\n   ...: y = 2\n", True),
    # backslash continuation of Python lines
    ("python-continued", "x = 1 + \\\n    2\n", True),
    ("python-continued-crlf-at-end", "x = 1 \\\r\n", True),
    # `!` and `%` that are Python
    ("strings-with-bang-and-percent", "a = '!ls'\nb = \"%time\"\nc = '''\n!ls\n%pip\n'''\n", True),
    ("comment-with-bang", "x = 1  # !ls and %pip\n", True),
    ("percent-format-continued", "print('%d items'\n      % (3,))\n", True),
    ("percent-format-paren", "print('%d'\n      %(1))\n", True),
    ("percent-format-backslash", "s = '%d' \\\n    % 5\n", True),
    ("not-equal", "x = a != b\n", True),
    ("bang-in-brackets", "x = (1,\n!ls)\n", False),
    ("decorator", "@tf.function\ndef step(x):\n    return x\n", True),
    ("decorator-before-magic", "@dec\n%time\ndef f(): pass\n", False),
    # plain syntax errors
    ("python2-print", "print 'training...'\n", False),
    ("unclosed-paren", "x = (1,\n", False),
    ("unterminated-string", "s = 'abc\n", False),
    ("unterminated-triple-quote", "s = '''abc\n", False),
    ("bad-def", "def f(:\n    pass\n", False),
    ("block-without-body", "if x:\n", False),
    ("nul-byte", "x = 1\x00\n", False),
    ("empty", "", True),
    ("blank", "\n\n   \n", True),
]


@pytest.mark.parametrize(("source", "valid"), [(s, v) for _, s, v in CORPUS], ids=[name for name, _, _ in CORPUS])
def test_a_cell_is_accepted_exactly_when_ipython_accepts_it(shell: InteractiveShell, source: str, valid: bool) -> None:
    assert ipython_accepts(shell, source) is valid  # the corpus states IPython's verdict
    assert cnnlint_accepts(source) is valid


def test_the_automagic_table_is_ipython_s() -> None:
    # A fresh shell runs any of its magics without `%` in a one-line cell; its namespace holds
    # `exit` and `quit` as objects it calls, and shadows none of the magics.
    fresh = InteractiveShell.instance()
    magics = fresh.magics_manager.lsmagic()
    names = {name for name in (*magics["line"], *magics["cell"]) if name.isidentifier()}
    assert notebook.AUTOMAGICS == names
    assert notebook.AUTOCALLED == {k for k, v in fresh.user_ns.items() if isinstance(v, IPyAutocall)}
    builtins = fresh.ns_table["builtin"]
    assert not [n for n in names if n in fresh.user_ns or n in builtins or keyword.iskeyword(n)]


# -- generated cells ---------------------------------------------------------------------------
FRAGMENTS = [
    "x = 1", "pass", "!ls", "!!ls -l", "%pip install x", "%%time", "%%bash", "x = !ls", "y = %who_ls", "x?", "?x",
    "x.y??", "f(x)?", "pip install x", "cd ..", "ls", "exit 0", "'!x'", "print('%d'", "  %(2))", "print 'x'",
    "s = '''", "'''", ">>> x = 1", "... y", "In [1]: z", "   ...: w", "a = (1,", "2)", "/f a", ",f a b", ";f a",
    "# %x", "x = 1  # !ls", "", "  ", "if x:", "def f():", "for i in y:", "@dec", "class C:", "else:", "x = %",
    "!wget a", "-O b", "x = 1 +", "return x", "%matplotlib inline", "a, b = !ls", "x[0] = %ls", "%time y = 2",
    ")", ")(", "(", "x = [", "!echo (", "!echo '''", "x = %ls (", '"""', ';f ""', ",#x a", "/f (", "?", "%", "!",
]
LINE = st.tuples(st.sampled_from(["", "", "    ", "        ", "\t", "  ", "\t    "]), st.sampled_from(FRAGMENTS),
                 st.sampled_from(["", "", " \\"]), st.sampled_from(["\n", "\n", "\n", "\r\n", "\r"]))
CELLS = st.one_of(
    st.lists(LINE, max_size=10).map(lambda lines: "".join("".join(parts) for parts in lines)),
    # Python's line breaks only: IPython also splits at form feeds, U+2028 ... (docs/robustness.md)
    st.text(alphabet="!%?,;/ \t\n\r\\'\"()[]:=#xa1>.", max_size=20),
)


@pytest.mark.fuzz
@settings(max_examples=400, derandomize=True, deadline=None, database=None,
          suppress_health_check=[HealthCheck.too_slow])
@given(CELLS)
def test_generated_cell_is_accepted_exactly_when_ipython_accepts_it(source: str) -> None:
    oracle = InteractiveShell.instance()
    assert cnnlint_accepts(source) is ipython_accepts(oracle, source)


@pytest.mark.fuzz
@settings(max_examples=300, derandomize=True, deadline=None, database=None)
@given(st.one_of(CELLS, st.text(max_size=30)))
def test_every_line_of_a_cell_keeps_its_number(source: str) -> None:
    code = notebook.as_python(1, source)
    if isinstance(code, notebook.CellCode):
        assert len(code.lines) == (len(notebook.python_lines(source)) or 1)
        assert all(notebook.python_lines(line) in ([], [line]) for line in code.lines)


# -- behaviour ---------------------------------------------------------------------------------
def test_many_magics_in_one_cell_take_one_pass_not_one_per_magic() -> None:
    # IPython tokenizes the whole cell again after each rewrite; cnnlint resumes where it was.
    started = time.monotonic()
    code = notebook.as_python(1, ("x = 1\n" * 40 + "!ls\n") * 400)
    assert isinstance(code, notebook.CellCode) and time.monotonic() - started < 15


def test_a_cell_built_to_need_whole_passes_is_not_analysed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(notebook, "_WHOLE_PASS_BUDGET", 1000)
    book = one_cell(",#x a\n" * 50 + "x = 1\n" * 50, before=("import tensorflow\n",))
    result = check_notebook(book, "nb.ipynb", RULES)
    assert result.error == "not analysed: cell 2 has more IPython syntax than cnnlint follows"


def test_a_magic_line_becomes_the_call_ipython_runs_and_keeps_its_indentation() -> None:
    code = notebook.as_python(1, "if colab:\n    %pip install -q tensorflow\n")
    assert isinstance(code, notebook.CellCode)
    assert code.lines == ("if colab:", "    get_ipython().run_line_magic('pip', 'install -q tensorflow')")


def test_continuation_lines_of_a_shell_command_become_blank() -> None:
    code = notebook.as_python(1, "!wget https://x/y.zip \\\n    -O /tmp/y.zip\nx = 1\n")
    assert isinstance(code, notebook.CellCode)
    assert code.lines == ("get_ipython().system('wget https://x/y.zip      -O /tmp/y.zip')", "", "x = 1")


def test_a_captured_shell_output_is_unknown_not_invented() -> None:
    # `files = !ls` binds `files` to a call on the unbound name `get_ipython`: an unknown value.
    code = notebook.as_python(1, "files = !ls *.png\n")
    assert isinstance(code, notebook.CellCode) and code.lines == ("files = get_ipython().getoutput('ls *.png')",)


def test_a_broken_cell_is_reported_at_its_own_line() -> None:
    book = notebook.load(one_cell("x = 1\ny = (2,\n", before=("import tensorflow as tf\n",), after=("z = 3\n",)))
    assert [(e.cell, e.line) for e in book.broken] == [(2, 2)]
    assert "z = 3" in book.source and "y = (2," not in book.source


def test_columns_count_from_the_cell_s_own_text_after_a_removed_indentation() -> None:
    source = ("    import tensorflow as tf\n    inputs = tf.keras.Input(shape=(32, 32, 3))\n"
              "    x = tf.keras.layers.Reshape((100,))(inputs)\n")
    (d,) = [d for d in check_notebook(one_cell(source), "nb.ipynb", RULES).diagnostics]
    assert (d.code, d.cell, d.loc.line, d.loc.column) == ("CNN001", 1, 3, 9)


# -- through the command line --------------------------------------------------------------------
SHAPE_BUG = ("import tensorflow as tf\n"
             "inputs = tf.keras.Input(shape=(32, 32, 3))\n"
             "x = tf.keras.layers.Reshape((100,))(inputs)\n"
             "model = tf.keras.Model(inputs, x)\n")


def cli_report(tmp_path: Path, *cells: str) -> dict[str, Any]:
    path = tmp_path / "nb.ipynb"
    path.write_text(one_cell(cells[0], after=cells[1:]), encoding="utf-8")
    result = CliRunner().invoke(main, ["--format", "json", str(path)])
    report: dict[str, Any] = json.loads(result.output)
    return report


def test_the_shape_bug_is_found_in_a_script(tmp_path: Path) -> None:
    (tmp_path / "bug.py").write_text(SHAPE_BUG, encoding="utf-8")
    result = CliRunner().invoke(main, ["--format", "json", str(tmp_path / "bug.py")])
    assert [(d["code"], d["line"]) for d in json.loads(result.output)["diagnostics"]] == [("CNN001", 3)]


def test_colab_pip_block_is_no_syntax_error(tmp_path: Path) -> None:
    report = cli_report(tmp_path, "import sys\nif 'google.colab' in sys.modules:\n    %pip install -q tensorflow\n",
                        SHAPE_BUG)
    assert [(d["code"], d["cell"], d["line"]) for d in report["diagnostics"]] == [("CNN001", 2, 3)]


def test_shell_command_continued_with_backslashes_is_no_syntax_error(tmp_path: Path) -> None:
    report = cli_report(tmp_path, "!wget https://x/y.zip \\\n    -O /tmp/y.zip\n!unzip -q /tmp/y.zip\n", SHAPE_BUG)
    assert [(d["code"], d["cell"], d["line"]) for d in report["diagnostics"]] == [("CNN001", 2, 3)]


def test_broken_cell_is_reported_in_its_cell_and_later_cells_are_still_checked(tmp_path: Path) -> None:
    report = cli_report(tmp_path, "import tensorflow as tf\n", "x = 1\nprint 'shapes'\n",
                        "ok = (1,\n      2)\n", SHAPE_BUG)
    found = [(d["code"], d["cell"], d["line"]) for d in report["diagnostics"]]
    assert found == [("CNN000", 2, 2), ("CNN001", 4, 3)]
    assert "cannot parse the cell" in report["diagnostics"][0]["message"]


def test_cnnlint_never_imports_ipython(tmp_path: Path) -> None:
    path = tmp_path / "nb.ipynb"
    path.write_text(one_cell("%pip install x\n", after=(SHAPE_BUG,)), encoding="utf-8")
    code = ("import sys\nfrom cnnlint.cli import main\n"
            "try:\n    main(['--format', 'json', '--no-cache', sys.argv[1]])\nexcept SystemExit:\n    pass\n"
            "assert 'IPython' not in sys.modules, 'IPython was imported'\n")
    result = subprocess.run([sys.executable, "-c", code, str(path)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    assert '"CNN001"' in result.stdout
