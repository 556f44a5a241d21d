"""What the language server knows of one document: its check (the CLI's pipeline, on the text
in the editor) and what hovers, inlay hints and code actions read from it. Free of LSP types.

The configuration is the CLI's: the nearest `pyproject.toml` with a [tool.cnnlint] table above
the document (its select / ignore, per-file ignores, Keras targets, input shapes); a file outside
any project gets the built-in defaults. A document never makes the server fail: a configuration
that does not load falls back to the defaults, and a crash of cnnlint is a FileResult error.
"""

from __future__ import annotations

import dataclasses
import json
import os
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from cnnlint import autofix, pipeline
from cnnlint.config import Config, ConfigError
from cnnlint.config import find as find_config
from cnnlint.ir import Node
from cnnlint.pipeline import Settings
from cnnlint.report import summary
from cnnlint.report.render import formula_lines, formulas, shape_text
from cnnlint.report.text import batch_none, table_text, weights_text
from cnnlint.rules import Diagnostic
from cnnlint.rules.base import offered
from cnnlint.runner import SUPPRESSION, FileResult, check_notebook, check_source
from cnnlint.shapes import Shape


@dataclass(frozen=True)
class Cell:
    """A notebook cell as the client sent it: `code` cells are checked, the others keep their number."""

    uri: str
    text: str
    code: bool = True


@dataclass
class Analysis:
    path: str
    text: str  # the Python text, or for a notebook the nbformat JSON built from its cells
    result: FileResult
    settings: Settings
    config: Config
    cells: tuple[Cell, ...] | None = None
    # Findings read from the command line's cache, with no analysis behind them (no IR: what
    # hovers, hints and code actions need is checked when they ask).
    cached: bool = False
    _tables: list[summary.Table] | None = field(default=None, repr=False)

    @property
    def diagnostics(self) -> list[Diagnostic]:
        return self.result.diagnostics

    def tables(self) -> list[summary.Table]:
        if self._tables is None:
            module = self.result.module
            self._tables = summary.tables(module) if module is not None else []
        return self._tables


def settings_for(path: str) -> tuple[Config, Settings]:
    """The CLI's settings for a file at `path`, with no command-line option."""
    start = os.path.dirname(os.path.abspath(path)) or "."
    try:
        config = find_config(start if os.path.isdir(start) else ".")
    except ConfigError:
        config = Config(root=start)
    settings = Settings(select=config.select, ignore=config.ignore, extend_select=config.extend_select,
                        options=config.frontend_options(), keep_modules=True, versions=config.versions(None))
    try:
        settings.rules()
    except Exception:  # an unknown code in the configuration: the defaults rather than nothing
        settings = Settings(options=config.frontend_options(), keep_modules=True, versions=config.versions(None))
    return config, settings


def notebook_json(cells: Sequence[Cell]) -> str:
    """An nbformat text holding the cells, numbered as the client numbers them (all cells count)."""
    return json.dumps({"cells": [{"cell_type": "code" if c.code else "markdown", "metadata": {}, "source": c.text,
                                  **({"outputs": [], "execution_count": None} if c.code else {})} for c in cells],
                       "metadata": {"language_info": {"name": "python"}}, "nbformat": 4, "nbformat_minor": 5})


def analyse(path: str, text: str, cells: Sequence[Cell] | None = None, cache: bool = True,
            reuse: bool = False) -> Analysis:
    """Check `text` (or the notebook's `cells`) as the file at `path`, with the project's configuration.

    With `cache`, the command line's result cache (`.cnnlint_cache/` at the project's root, the same
    entries: the same settings, bytes and the path a run from the root names the file by) is
    shared for a `.py` file of a configured project: with `reuse`, an entry for `text` gives the
    findings with no analysis (`Analysis.cached`; a file the prefilter skipped is analysed, so a
    syntax error is still CNN000); a text that is the file's content on disk leaves its result for
    the next `cnnlint check`."""
    config, settings = settings_for(path)
    options = settings.options_for(path)
    shared = _shared(path, text, config, settings) if cache and cells is None else None
    if shared is not None and reuse:
        store, data, shown = shared
        found = store.get(path, data, options, shown)
        if found is not None and not found.skipped:
            result = _renamed(found, lambda p: p if not p or os.path.isabs(p) else os.path.join(config.root, p))
            pipeline.apply_per_file_ignores([result], config.per_file_matchers())
            return Analysis(path, text, result, settings, config, cached=True)
    rules = settings.rules()
    if cells is not None:
        text = notebook_json(cells)
        result = check_notebook(text, path, rules, options)
    else:
        result = check_source(text, path, rules, options)
        if shared is not None and shared[1] == _on_disk(path):
            store, data, shown = shared
            store.put(path, data, _renamed(result, lambda p: _relative(p, config.root)), options, shown)
    pipeline.apply_per_file_ignores([result], config.per_file_matchers())
    return Analysis(path, text, result, settings, config, tuple(cells) if cells is not None else None)


def _shared(path: str, text: str, config: Config, settings: Settings) -> tuple[pipeline.Cache, bytes, str] | None:
    """The project's cache, the bytes and the name of a `.py` file inside a configured project."""
    if config.path is None or not path.endswith(".py"):
        return None  # no project, no cache directory to write (the CLI's own runs decide where)
    shown = _relative(os.path.abspath(path), config.root)
    if os.path.isabs(shown):
        return None
    store = pipeline.Cache(os.path.join(config.root, pipeline.CACHE_DIR), settings)
    return store, text.encode("utf-8", "surrogateescape"), shown


def _on_disk(path: str) -> bytes | None:
    """What the file holds now (None: unreadable): only a check of that text is kept for the CLI,
    so edits in progress leave no entries."""
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _relative(path: str, root: str) -> str:
    """`path` as a run from `root` names it, when it lies inside `root`."""
    if not path or not os.path.isabs(path):
        return path
    shown = os.path.relpath(path, os.path.abspath(root))
    return path if shown == os.pardir or shown.startswith(os.pardir + os.sep) else shown


def _renamed(result: FileResult, rename: Callable[[str], str]) -> FileResult:
    """A copy of `result` (without its IR) whose findings name their files through `rename`."""
    return dataclasses.replace(result, path=rename(result.path), module=None, diagnostics=[
        dataclasses.replace(d, path=rename(d.path),
                            related=tuple(dataclasses.replace(r, path=rename(r.path)) for r in d.related),
                            trace=tuple(dataclasses.replace(s, path=rename(s.path)) if s.path else s
                                        for s in d.trace))
        for d in result.diagnostics])


def _shape(shape: Shape | None) -> str:
    """A shape as the `shapes` table prints it: the batch axis `None`, an unknown shape `(unknown)`."""
    return "(unknown)" if shape is None else batch_none(shape_text(shape))


# -- what the features read ------------------------------------------------------------------
def _own(row: summary.Row) -> bool:
    return not row.node.loc.path


def rows_on_line(analysis: Analysis, line: int, cell: int | None = None) -> list[tuple[summary.Table, summary.Row]]:
    """The table rows (layer and op applications) whose call starts on `line` (1-based; in `cell`)."""
    return [(t, r) for t in analysis.tables() for r in t.rows
            if _own(r) and r.cell == cell and r.line == line and r.node.op != "input"]


def _input_shapes(table: summary.Table, node: Node) -> list[str]:
    """The shapes of the tensors a node reads, as the table's graph shows them."""
    graph = table.graph
    if graph is None:
        return []
    return [_shape(graph.shown_shape(i)) if i is not None else "(unknown)" for i in node.inputs]


def hover_text(analysis: Analysis, line: int, word: str | None, cell: int | None = None) -> str | None:
    """Markdown for a hover: a model's `shapes` table on its name, else the layers and ops of the line."""
    if word:
        for table in analysis.tables():
            if table.title == word or table.title.rsplit(".", 1)[-1] == word:
                kind = f" ({table.kind} {table.keras_name!r})" if table.kind else ""
                return f"**{table.title}**{kind}\n\n```text\n" + "\n".join(table_text(table)) + "\n```"
    parts = []
    seen: set[tuple[int, str]] = set()
    for table, row in rows_on_line(analysis, line, cell):
        node = row.node
        if (node.id, node.op) in seen:
            continue
        seen.add((node.id, node.op))
        name = f"{row.op}" + (f" `{node.layer}`" if node.layer else "")
        lines = [f"**{name}**"]
        inputs = _input_shapes(table, node)
        if inputs:
            lines.append("input: " + ", ".join(inputs))
        lines.append("output: " + _shape(node.shape))
        if node.layer is not None:
            lines.append("weights: " + weights_text(row.weights))
            lines.append("params: " + ("?" if node.params is None else node.params.render()))
        if table.graph is not None:  # the arithmetic, as `cnnlint shapes --explain` prints it
            lines.extend(f"`{line}`" for line in formula_lines(formulas(table.graph, node)))
        for problem in node.problems:
            lines.append(f"problem: {problem.kind}")
        parts.append("  \n".join(lines))
    return "\n\n---\n\n".join(parts) or None


def inlay_hints(analysis: Analysis) -> list[tuple[int | None, int, str]]:
    """(cell, line, label) for each line that applies a layer or op whose output shape is known:
    the last op of the line (`-> (None, 14, 14, 32)`)."""
    by_line: dict[tuple[int | None, int], str] = {}
    for table in analysis.tables():
        for row in table.rows:
            if _own(row) and row.node.shape is not None and row.line > 0:
                by_line[(row.cell, row.line)] = f"-> {_shape(row.node.shape)}"
    ordered = sorted(by_line.items(), key=lambda item: (item[0][0] or 0, item[0][1]))
    return [(cell, line, label) for (cell, line), label in ordered]


def fixable(d: Diagnostic) -> bool:
    return offered(d.fix, False)


def ignore_edit(line_text: str, code: str) -> tuple[int, int, str]:
    """(start column, end column, new text) on the finding's line (0-based columns) that silences
    `code`: a code added to an `ignore[...]` already there, else a comment at the line's end."""
    match = SUPPRESSION.search(line_text)
    if match is not None:
        codes = match.group("codes")
        if codes is None:
            return len(line_text), len(line_text), ""
        listed = [c.strip() for c in codes.split(",") if c.strip()]
        if code in listed:
            return len(line_text), len(line_text), ""
        return match.start(), match.end(), f"# cnnlint: ignore[{', '.join([*listed, code])}]"
    stripped = line_text.rstrip()
    return len(stripped), len(line_text), "  # cnnlint: ignore[" + code + "]"


def fix_all(analysis: Analysis) -> str | None:
    """The document's text with every safe fix applied (the CLI's `--fix` passes); None if unchanged."""
    new, _result, _removed, _refused = autofix.fix_text(analysis.path, analysis.text, analysis.settings,
                                                        analysis.cells is not None, unsafe=False)
    return None if new == analysis.text else new


WORD = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def word_at(line_text: str, column: int) -> str | None:
    for match in WORD.finditer(line_text):
        if match.start() <= column <= match.end():
            return match.group(0).rsplit(".", 1)[-1] if "." in match.group(0) else match.group(0)
    return None
