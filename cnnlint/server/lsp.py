"""`cnnlint server`: the Language Server Protocol over stdio (pygls 2, lsprotocol).

Documents are snapshotted on the message loop (text and version) and checked on one worker
thread after a debounce (`cnnlint.server.worker`); a result is published only while its version
is still the document's. Hover, inlay hints and code actions read the latest result, or check
the current text in an executor when the result is stale: the loop never runs a check itself.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import threading
import time
from dataclasses import dataclass
from typing import Any

from lsprotocol import types as t
from pygls.lsp.server import LanguageServer
from pygls.uris import from_fs_path, to_fs_path

from cnnlint import __version__
from cnnlint.report.sarif import RULE_DOCS_URL
from cnnlint.report.text import plain_message
from cnnlint.rules import Diagnostic
from cnnlint.server import analysis
from cnnlint.server.analysis import Analysis, Cell
from cnnlint.server.worker import Worker

FIX_ALL = "source.fixAll.cnnlint"
TAGS = {"CNN007": [t.DiagnosticTag.Deprecated], "CNN100": [t.DiagnosticTag.Unnecessary]}


@dataclass(frozen=True)
class Snapshot:
    version: int
    path: str
    text: str
    cells: tuple[Cell, ...] | None = None


class CnnlintServer(LanguageServer):
    def __init__(self) -> None:
        sync = t.NotebookDocumentSyncOptions(
            notebook_selector=[t.NotebookDocumentFilterWithCells(cells=[t.NotebookCellLanguage("python")],
                                                                 notebook="*")], save=True)
        super().__init__("cnnlint", __version__, text_document_sync_kind=t.TextDocumentSyncKind.Incremental,
                         notebook_document_sync=sync)
        self.debounce = 0.2
        self.hints = False
        self.timings = False  # log each check's time, from the debounce firing to the published diagnostics
        # The command line's cache: read on open, written when the text is the file's (off, as for
        # `cnnlint check`, with CNNLINT_NO_CACHE=1).
        self.cache = os.environ.get("CNNLINT_NO_CACHE", "").strip().lower() not in ("1", "true", "t", "yes", "y", "on")
        self.snapshots: dict[str, Snapshot] = {}
        self.results: dict[str, tuple[int, Analysis]] = {}
        self.cell_of: dict[str, tuple[str, int]] = {}  # cell uri -> (notebook uri, 1-based cell number)
        self.lock = threading.Lock()
        self.loop: asyncio.AbstractEventLoop | None = None
        self.worker = Worker(self._check)

    # -- settings ---------------------------------------------------------------------------
    def configure(self, settings: Any) -> None:
        if isinstance(settings, dict) and isinstance(settings.get("cnnlint"), dict):
            settings = settings["cnnlint"]
        if not isinstance(settings, dict):
            return
        if isinstance(settings.get("inlayHints"), bool):
            self.hints = settings["inlayHints"]
        if isinstance(settings.get("logTimings"), bool):
            self.timings = settings["logTimings"]
        if isinstance(settings.get("cache"), bool):
            self.cache = settings["cache"]
        delay = settings.get("debounce")
        if isinstance(delay, (int, float)) and not isinstance(delay, bool) and 0 <= delay <= 10:
            self.debounce = float(delay)

    # -- documents --------------------------------------------------------------------------
    def snapshot_text(self, uri: str, delay: float) -> None:
        document = self.workspace.get_text_document(uri)
        self.loop = asyncio.get_running_loop()
        self.snapshots[uri] = Snapshot(document.version or 0, to_fs_path(uri) or uri, document.source)
        self.worker.schedule(uri, document.version or 0, delay)

    def snapshot_notebook(self, uri: str, delay: float) -> None:
        book = self.workspace.get_notebook_document(notebook_uri=uri)
        if book is None:
            return
        self.loop = asyncio.get_running_loop()
        cells = []
        for number, cell in enumerate(book.cells, start=1):
            self.cell_of[cell.document] = (uri, number)
            text = self.workspace.get_text_document(cell.document).source
            cells.append(Cell(cell.document, text, cell.kind == t.NotebookCellKind.Code))
        path = to_fs_path(uri) or uri
        if not path.endswith(".ipynb"):
            path += ".ipynb"
        self.snapshots[uri] = Snapshot(book.version, path, "", tuple(cells))
        self.worker.schedule(uri, book.version, delay)

    def close(self, uri: str) -> None:
        self.worker.cancel(uri)
        self.snapshots.pop(uri, None)
        with self.lock:
            self.results.pop(uri, None)

    def _check(self, uri: str, version: int) -> None:
        """On the worker thread: check the snapshot, publish unless a newer version came meanwhile."""
        started = time.perf_counter()
        snap = self.snapshots.get(uri)
        if snap is None or snap.version != version:
            return
        with self.lock:
            opened = uri not in self.results
        # A document just opened whose text the cache knows: its findings at once, no analysis.
        result = analysis.analyse(snap.path, snap.text, snap.cells, cache=self.cache, reuse=opened)
        current = self.snapshots.get(uri)
        if current is None or current.version != version:
            return  # stale: the newer version is scheduled already
        with self.lock:
            self.results[uri] = (version, result)
        if self.loop is not None:
            sent = threading.Event()
            self.loop.call_soon_threadsafe(self.publish, uri, version, result, started, sent)
            # This check's garbage, once its diagnostics are out (a collection holds the GIL, so
            # collecting earlier would hold back the publishing on the loop).
            sent.wait(timeout=5)
        gc.collect()

    def publish(self, uri: str, version: int, result: Analysis, started: float | None = None,
                sent: threading.Event | None = None) -> None:
        try:
            current = self.snapshots.get(uri)
            if current is None or current.version != version:
                return
            self._publish(uri, version, result)
            if self.timings and started is not None:
                took = (time.perf_counter() - started) * 1000
                self.window_log_message(t.LogMessageParams(t.MessageType.Log,
                                                           f"checked {uri} v{version} in {took:.1f} ms"))
        finally:
            if sent is not None:
                sent.set()

    def _publish(self, uri: str, version: int, result: Analysis) -> None:
        if result.result.error is not None:
            self.window_log_message(t.LogMessageParams(t.MessageType.Warning, f"{result.path}: {result.result.error}"))
        if result.cells is None:
            diagnostics = [to_lsp(d, uri, None) for d in result.diagnostics]
            self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri, diagnostics, version))
            return
        cells = result.cells
        for number, cell in enumerate(cells, start=1):
            found = [to_lsp(d, cell.uri, cells) for d in result.diagnostics if d.cell == number]
            self.text_document_publish_diagnostics(t.PublishDiagnosticsParams(cell.uri, found))

    async def current(self, uri: str) -> tuple[Analysis, int | None] | None:
        """The document's up-to-date analysis and, for a cell, its number in the notebook."""
        number = None
        if uri in self.cell_of:
            uri, number = self.cell_of[uri]
        snap = self.snapshots.get(uri)
        if snap is None:
            return None
        with self.lock:
            found = self.results.get(uri)
        if found is not None and found[0] == snap.version and not found[1].cached:
            return found[1], number
        fresh = await asyncio.get_running_loop().run_in_executor(None, analysis.analyse, snap.path, snap.text,
                                                                 snap.cells, self.cache)
        with self.lock:
            latest = self.snapshots.get(uri)
            if latest is not None and latest.version == snap.version:
                self.results[uri] = (snap.version, fresh)  # later requests on this version read it
        return fresh, number


def to_range(line: int, column: int, end_line: int, end_column: int) -> t.Range:
    start = t.Position(max(line - 1, 0), max(column - 1, 0))
    end = t.Position(max(end_line - 1, 0), max(end_column - 1, 0))
    return t.Range(start, end if (end.line, end.character) >= (start.line, start.character) else start)


def to_lsp(d: Diagnostic, uri: str, cells: tuple[Cell, ...] | None) -> t.Diagnostic:
    related = []
    for note in d.related:
        if note.path and note.path != d.path:
            where = from_fs_path(note.path) or note.path
        elif cells is not None and note.cell is not None and 0 < note.cell <= len(cells):
            where = cells[note.cell - 1].uri
        else:
            where = uri
        loc = note.loc
        related.append(t.DiagnosticRelatedInformation(
            t.Location(where, to_range(loc.line, loc.column, loc.end_line, loc.end_column)), note.message))
    loc = d.loc
    message = plain_message(d, notes=False)
    if d.cell is not None and message.startswith(f"cell {d.cell}: "):
        message = message[len(f"cell {d.cell}: "):]
    return t.Diagnostic(
        range=to_range(loc.line, loc.column, loc.end_line, loc.end_column), message=message,
        severity=t.DiagnosticSeverity.Warning if d.severity == "warning" else t.DiagnosticSeverity.Error,
        code=d.code, code_description=t.CodeDescription(f"{RULE_DOCS_URL}{d.code}.md"), source="cnnlint",
        related_information=related or None, tags=TAGS.get(d.code),
        data={"fixable": analysis.fixable(d)})


server = CnnlintServer()


@server.feature(t.INITIALIZE)
def initialize(ls: CnnlintServer, params: t.InitializeParams) -> None:
    ls.configure(params.initialization_options)


@server.feature(t.WORKSPACE_DID_CHANGE_CONFIGURATION)
def did_change_configuration(ls: CnnlintServer, params: t.DidChangeConfigurationParams) -> None:
    ls.configure(params.settings)
    for uri in list(ls.snapshots):
        ls.worker.schedule(uri, ls.snapshots[uri].version, 0)


@server.feature(t.TEXT_DOCUMENT_DID_OPEN)
def did_open(ls: CnnlintServer, params: t.DidOpenTextDocumentParams) -> None:
    if params.text_document.uri not in ls.cell_of:
        ls.snapshot_text(params.text_document.uri, 0)


@server.feature(t.TEXT_DOCUMENT_DID_CHANGE)
def did_change(ls: CnnlintServer, params: t.DidChangeTextDocumentParams) -> None:
    uri = params.text_document.uri
    if uri in ls.cell_of:
        ls.snapshot_notebook(ls.cell_of[uri][0], ls.debounce)
    else:
        ls.snapshot_text(uri, ls.debounce)


@server.feature(t.TEXT_DOCUMENT_DID_SAVE)
def did_save(ls: CnnlintServer, params: t.DidSaveTextDocumentParams) -> None:
    if params.text_document.uri in ls.snapshots:
        ls.snapshot_text(params.text_document.uri, 0)


@server.feature(t.TEXT_DOCUMENT_DID_CLOSE)
def did_close(ls: CnnlintServer, params: t.DidCloseTextDocumentParams) -> None:
    uri = params.text_document.uri
    if uri not in ls.cell_of:
        ls.close(uri)
        ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(uri, []))


@server.feature(t.NOTEBOOK_DOCUMENT_DID_OPEN)
def notebook_open(ls: CnnlintServer, params: t.DidOpenNotebookDocumentParams) -> None:
    ls.snapshot_notebook(params.notebook_document.uri, 0)


@server.feature(t.NOTEBOOK_DOCUMENT_DID_CHANGE)
def notebook_change(ls: CnnlintServer, params: t.DidChangeNotebookDocumentParams) -> None:
    ls.snapshot_notebook(params.notebook_document.uri, ls.debounce)


@server.feature(t.NOTEBOOK_DOCUMENT_DID_SAVE)
def notebook_save(ls: CnnlintServer, params: t.DidSaveNotebookDocumentParams) -> None:
    ls.snapshot_notebook(params.notebook_document.uri, 0)


@server.feature(t.NOTEBOOK_DOCUMENT_DID_CLOSE)
def notebook_close(ls: CnnlintServer, params: t.DidCloseNotebookDocumentParams) -> None:
    uri = params.notebook_document.uri
    ls.close(uri)
    for cell in params.cell_text_documents:
        ls.cell_of.pop(cell.uri, None)
        ls.text_document_publish_diagnostics(t.PublishDiagnosticsParams(cell.uri, []))


def _line(ls: CnnlintServer, uri: str, line: int) -> str:
    lines = ls.workspace.get_text_document(uri).lines
    return lines[line].rstrip("\r\n") if 0 <= line < len(lines) else ""


@server.feature(t.TEXT_DOCUMENT_HOVER)
async def hover(ls: CnnlintServer, params: t.HoverParams) -> t.Hover | None:
    found = await ls.current(params.text_document.uri)
    if found is None:
        return None
    result, cell = found
    line = _line(ls, params.text_document.uri, params.position.line)
    text = analysis.hover_text(result, params.position.line + 1, analysis.word_at(line, params.position.character),
                               cell)
    return None if text is None else t.Hover(t.MarkupContent(t.MarkupKind.Markdown, text))


@server.feature(t.TEXT_DOCUMENT_INLAY_HINT, t.InlayHintOptions(resolve_provider=False))
async def inlay_hint(ls: CnnlintServer, params: t.InlayHintParams) -> list[t.InlayHint] | None:
    if not ls.hints:
        return []
    uri = params.text_document.uri
    found = await ls.current(uri)
    if found is None:
        return []
    result, cell = found
    hints = []
    for at_cell, line, label in analysis.inlay_hints(result):
        row = line - 1
        if at_cell != cell or not params.range.start.line <= row <= params.range.end.line:
            continue
        text = _line(ls, uri, row)
        hints.append(t.InlayHint(t.Position(row, len(text)), label, kind=t.InlayHintKind.Type, padding_left=True))
    return hints


@server.feature(t.TEXT_DOCUMENT_CODE_ACTION, t.CodeActionOptions(
    code_action_kinds=[t.CodeActionKind.QuickFix, t.CodeActionKind.SourceFixAll, FIX_ALL]))
async def code_action(ls: CnnlintServer, params: t.CodeActionParams) -> list[t.CodeAction] | None:
    uri = params.text_document.uri
    found = await ls.current(uri)
    if found is None:
        return []
    result, cell = found
    only = params.context.only
    actions: list[t.CodeAction] = []
    wanted = {(str(d.code), d.range.start.line, d.range.start.character) for d in params.context.diagnostics}
    cells = result.cells
    if not only or any(str(k).startswith("quickfix") for k in only):
        for d in result.diagnostics:
            if d.cell != cell:
                continue
            lsp = to_lsp(d, uri, cells)
            key = (d.code, lsp.range.start.line, lsp.range.start.character)
            overlaps = lsp.range.start.line <= params.range.end.line and lsp.range.end.line >= params.range.start.line
            if key not in wanted and not overlaps:
                continue
            if analysis.fixable(d) and d.fix is not None:
                changes: dict[str, list[t.TextEdit]] = {}
                for edit in d.fix.edits:
                    target = cells[edit.cell - 1].uri if cells is not None and edit.cell else uri
                    loc = edit.loc
                    changes.setdefault(target, []).append(
                        t.TextEdit(to_range(loc.line, loc.column, loc.end_line, loc.end_column), edit.content))
                actions.append(t.CodeAction(f"{d.code}: {d.fix.message}", kind=t.CodeActionKind.QuickFix,
                                            diagnostics=[lsp], is_preferred=True, edit=t.WorkspaceEdit(changes)))
            row = lsp.range.start.line
            start, end, new = analysis.ignore_edit(_line(ls, uri, row), d.code)
            if new:
                edit_ = t.TextEdit(t.Range(t.Position(row, start), t.Position(row, end)), new)
                actions.append(t.CodeAction(f"{d.code}: ignore this finding (# cnnlint: ignore[{d.code}])",
                                            kind=t.CodeActionKind.QuickFix, diagnostics=[lsp],
                                            edit=t.WorkspaceEdit({uri: [edit_]})))
    if not only or any(FIX_ALL.startswith(str(k)) for k in only):
        fixed = await asyncio.get_running_loop().run_in_executor(None, analysis.fix_all, result)
        if fixed is not None:
            actions.append(t.CodeAction("cnnlint: fix all safe fixes", kind=FIX_ALL,
                                        edit=t.WorkspaceEdit(_whole(ls, uri, cells, fixed))))
    return actions


def _whole(ls: CnnlintServer, uri: str, cells: tuple[Cell, ...] | None, fixed: str) -> dict[str, list[t.TextEdit]]:
    """Edits that replace each changed document (each changed cell of a notebook) with its fixed text."""
    def replace(target: str, old: str, new: str) -> list[t.TextEdit]:
        lines = old.split("\n")
        return [t.TextEdit(t.Range(t.Position(0, 0), t.Position(len(lines) - 1, len(lines[-1]))), new)]

    if cells is None:
        return {uri: replace(uri, ls.workspace.get_text_document(uri).source, fixed)}
    out = {}
    for cell, raw in zip(cells, json.loads(fixed)["cells"], strict=False):
        source = raw.get("source", "")
        new = "".join(source) if isinstance(source, list) else str(source)
        if cell.code and new != cell.text:
            out[cell.uri] = replace(cell.uri, cell.text, new)
    return out


@server.feature(t.SHUTDOWN)
def shutdown(ls: CnnlintServer, params: None) -> None:
    ls.worker.stop()


def main() -> None:
    # The server keeps the last trees and results alive, and Python's cyclic collector scans them
    # all at every full collection: collections far apart during a check (the thresholds mypy sets
    # for its builds), one full collection after each check, once its diagnostics are handed over.
    gc.set_threshold(200_000, 30, 30)
    server.start_io()
