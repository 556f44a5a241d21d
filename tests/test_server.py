"""`cnnlint server` end to end: a real client (pytest-lsp's) talks to `python -m cnnlint server`."""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import libcst as cst
import pytest

pytest.importorskip("pygls")
from lsprotocol import types as t
from pygls.lsp.client import LanguageClient as BaseClient

REPO = str(Path(__file__).resolve().parents[1])

BUGGY = (
    "import tensorflow as tf\n"
    "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
    "w = tf.Variable(tf.random_normal([5, 5, 1, 32]))\n"
    "h = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')\n"
    "h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')\n"
    "flat = tf.reshape(h, [-1, 7 * 7 * 32])\n"
)
FIXED = BUGGY.replace("7 * 7 * 32", "14 * 14 * 32")
KERAS = (
    "from tensorflow import keras\n"
    "from tensorflow.keras import layers\n"
    "model = keras.Sequential([\n"
    "    keras.Input(shape=(28, 28, 1)),\n"
    "    layers.Conv2D(32, 3),\n"
    "    layers.Flatten(),\n"
    "    layers.Dense(10),\n"
    "])\n"
)


class LanguageClient(BaseClient):
    """pygls's client, keeping every published diagnostics notification in order."""

    def __init__(self) -> None:
        super().__init__("cnnlint-test", "1")
        self.published: list[t.PublishDiagnosticsParams] = []
        self.arrived = asyncio.Event()

        @self.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: t.PublishDiagnosticsParams) -> None:
            self.published.append(params)
            self.arrived.set()

        @self.feature(t.WINDOW_LOG_MESSAGE)
        def log(params: t.LogMessageParams) -> None:
            pass

    async def next_published(self) -> t.PublishDiagnosticsParams:
        while not self.published:
            self.arrived.clear()
            await self.arrived.wait()
        return self.published.pop(0)


CAPABILITIES = t.ClientCapabilities(
    text_document=t.TextDocumentClientCapabilities(
        hover=t.HoverClientCapabilities(content_format=[t.MarkupKind.Markdown]),
        inlay_hint=t.InlayHintClientCapabilities(), code_action=t.CodeActionClientCapabilities(),
        publish_diagnostics=t.PublishDiagnosticsClientCapabilities(related_information=True)),
    notebook_document=t.NotebookDocumentClientCapabilities(t.NotebookDocumentSyncClientCapabilities()))


def session(test: Callable[[LanguageClient, Path], Awaitable[None]], root: Path,
            options: dict[str, Any] | None = None) -> None:
    async def run() -> None:
        client = LanguageClient()
        env = {**os.environ, "PYTHONPATH": REPO}
        await client.start_io(sys.executable, "-m", "cnnlint", "server", env=env, cwd=str(root))
        try:
            await client.initialize_async(t.InitializeParams(
                capabilities=CAPABILITIES, root_uri=root.as_uri(), process_id=os.getpid(),
                initialization_options=options or {"debounce": 0.05}))
            client.initialized(t.InitializedParams())
            await asyncio.wait_for(test(client, root), 120)
            await client.shutdown_async(None)
            client.exit(None)
            assert client._server is not None
            assert await asyncio.wait_for(client._server.wait(), 30) == 0  # a clean exit
        finally:
            process = client._server
            if process is not None and process.returncode is None:
                process.kill()  # a failed test: do not wait on a server still reading its input
            await client.stop()

    asyncio.run(run())


async def diagnostics_for(client: LanguageClient, uri: str, version: int | None = None,
                          timeout: float = 60) -> list[t.Diagnostic]:
    """Wait until the server publishes for `uri` (at `version`, if given)."""
    async def wait() -> list[t.Diagnostic]:
        while True:
            params = await client.next_published()
            if params.uri == uri and (version is None or params.version == version):
                return list(params.diagnostics)
    return await asyncio.wait_for(wait(), timeout)


def open_doc(client: LanguageClient, uri: str, text: str, version: int = 1) -> None:
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(uri, "python", version, text)))


def change(client: LanguageClient, uri: str, text: str, version: int) -> None:
    client.text_document_did_change(t.DidChangeTextDocumentParams(
        t.VersionedTextDocumentIdentifier(version, uri), [t.TextDocumentContentChangeWholeDocument(text)]))


def project(tmp_path: Path) -> Path:
    (tmp_path / "pyproject.toml").write_text("[tool.cnnlint]\n")
    return tmp_path


def test_session_diagnostics_hover_hints_fixes(tmp_path: Path) -> None:
    root = project(tmp_path)

    async def test(client: LanguageClient, root: Path) -> None:
        uri = (root / "model.py").as_uri()
        open_doc(client, uri, BUGGY)
        found = await diagnostics_for(client, uri, 1)
        assert [d.code for d in found] == ["CNN001"]
        d = found[0]
        assert d.range.start.line == 5 and d.severity == t.DiagnosticSeverity.Error
        assert d.code_description is not None and d.code_description.href.endswith("CNN001.md")
        assert d.related_information
        # The quick fix, applied, gives the fixed text.
        actions = await client.text_document_code_action_async(t.CodeActionParams(
            t.TextDocumentIdentifier(uri), d.range, t.CodeActionContext([d])))
        assert actions is not None
        fixes = [a for a in actions if isinstance(a, t.CodeAction) and a.is_preferred]
        assert fixes and fixes[0].edit is not None and fixes[0].edit.changes is not None
        assert apply(BUGGY, fixes[0].edit.changes[uri]) == FIXED
        ignores = [a for a in actions if isinstance(a, t.CodeAction) and "ignore" in a.title]
        assert ignores and ignores[0].edit is not None and ignores[0].edit.changes is not None
        assert "flat = tf.reshape(h, [-1, 7 * 7 * 32])  # cnnlint: ignore[CNN001]\n" in \
            apply(BUGGY, ignores[0].edit.changes[uri])
        all_fixed = [a for a in actions if isinstance(a, t.CodeAction) and a.kind == "source.fixAll.cnnlint"]
        assert all_fixed and all_fixed[0].edit is not None and all_fixed[0].edit.changes is not None
        assert apply(BUGGY, all_fixed[0].edit.changes[uri]) == FIXED
        change(client, uri, FIXED, 2)
        assert await diagnostics_for(client, uri, 2) == []
        # Hover on a Conv2D line, and inlay hints (off by default).
        kuri = (root / "net.py").as_uri()
        open_doc(client, kuri, KERAS)
        assert await diagnostics_for(client, kuri, 1) == []
        hover = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(kuri), t.Position(4, 8)))
        assert hover is not None and isinstance(hover.contents, t.MarkupContent)
        assert "(None, 26, 26, 32)" in hover.contents.value and "kernel (3, 3, 1, 32)" in hover.contents.value
        assert "320" in hover.contents.value
        # the arithmetic of `shapes --explain`
        assert "VALID: floor((28 - 3) / 1) + 1 = 26" in hover.contents.value, hover.contents.value
        assert "3 x 3 x 1 x 32 + 32 = 320" in hover.contents.value
        table = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(kuri), t.Position(2, 2)))
        assert table is not None and isinstance(table.contents, t.MarkupContent)
        assert "Total params" in table.contents.value
        everything = t.Range(t.Position(0, 0), t.Position(20, 0))
        assert not await client.text_document_inlay_hint_async(  # off by default
            t.InlayHintParams(t.TextDocumentIdentifier(kuri), everything))
        client.workspace_did_change_configuration(t.DidChangeConfigurationParams({"cnnlint": {"inlayHints": True}}))
        hints = await client.text_document_inlay_hint_async(t.InlayHintParams(t.TextDocumentIdentifier(kuri),
                                                                               everything))
        assert hints is not None
        labels = {h.position.line: h.label for h in hints}
        assert labels[4] == "-> (None, 26, 26, 32)" and labels[6] == "-> (None, 10)"

    session(test, root)


def apply(text: str, edits: list[t.TextEdit]) -> str:
    lines = text.split("\n")
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)

    def offset(p: t.Position) -> int:
        return starts[p.line] + p.character

    for edit in sorted(edits, key=lambda e: (e.range.start.line, e.range.start.character), reverse=True):
        text = text[:offset(edit.range.start)] + edit.new_text + text[offset(edit.range.end):]
    return text


def test_syntax_error_and_file_outside_any_project(tmp_path: Path) -> None:
    async def test(client: LanguageClient, root: Path) -> None:
        uri = (root / "broken.py").as_uri()
        open_doc(client, uri, "import tensorflow as tf\ndef f(:\n")
        found = await diagnostics_for(client, uri, 1)
        assert [d.code for d in found] == ["CNN000"] and found[0].range.start.line == 1
        outside = (root / "lone.py").as_uri()  # no pyproject.toml anywhere above
        open_doc(client, outside, BUGGY)
        assert [d.code for d in await diagnostics_for(client, outside, 1)] == ["CNN001"]
        hover = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri), t.Position(1, 2)))
        assert hover is None

    session(test, tmp_path)


def test_edits_faster_than_checks(tmp_path: Path) -> None:
    root = project(tmp_path)

    async def test(client: LanguageClient, root: Path) -> None:
        uri = (root / "model.py").as_uri()
        open_doc(client, uri, BUGGY)
        await diagnostics_for(client, uri, 1)
        seen: list[int | None] = []
        for version in range(2, 40):
            change(client, uri, BUGGY if version % 2 else FIXED, version)
        while True:
            params = await asyncio.wait_for(client.next_published(), 60)
            seen.append(params.version)
            if params.version == 39:
                assert [d.code for d in params.diagnostics] == ["CNN001"]
                break
        assert len(seen) < 10  # debounced: not one check per edit, and nothing stale after the last

    session(test, root, {"debounce": 0.3})


def test_notebook_cells(tmp_path: Path) -> None:
    root = project(tmp_path)

    async def test(client: LanguageClient, root: Path) -> None:
        uri = (root / "nb.ipynb").as_uri()
        first, second = uri + "#cell1", uri + "#cell2"
        code = BUGGY.split("h = tf.nn.max_pool")
        client.notebook_document_did_open(t.DidOpenNotebookDocumentParams(
            t.NotebookDocument(uri, "jupyter-notebook", 1, [
                t.NotebookCell(t.NotebookCellKind.Code, first), t.NotebookCell(t.NotebookCellKind.Markup, uri + "#md"),
                t.NotebookCell(t.NotebookCellKind.Code, second)]),
            [t.TextDocumentItem(first, "python", 1, code[0]), t.TextDocumentItem(uri + "#md", "markdown", 1, "# hi"),
             t.TextDocumentItem(second, "python", 1, "h = tf.nn.max_pool" + code[1])]))
        found: dict[str, list[t.Diagnostic]] = {}
        while second not in found or first not in found:
            params = await asyncio.wait_for(client.next_published(), 60)
            found[params.uri] = list(params.diagnostics)
        assert found[first] == []
        assert [d.code for d in found[second]] == ["CNN001"] and found[second][0].range.start.line == 1

    session(test, root)


def test_per_file_ignores_and_save(tmp_path: Path) -> None:
    (tmp_path / "pyproject.toml").write_text('[tool.cnnlint]\nper-file-ignores = {"legacy/*" = ["CNN001"]}\n')
    (tmp_path / "legacy").mkdir()

    async def test(client: LanguageClient, root: Path) -> None:
        ignored, checked = (root / "legacy" / "old.py").as_uri(), (root / "new.py").as_uri()
        open_doc(client, ignored, BUGGY)
        assert await diagnostics_for(client, ignored, 1) == []  # the project's per-file ignores
        open_doc(client, checked, FIXED)
        assert await diagnostics_for(client, checked, 1) == []
        # An edit the client only saves (no change notification it waits on) is checked at save.
        change(client, checked, BUGGY, 2)
        assert [d.code for d in await diagnostics_for(client, checked, 2)] == ["CNN001"]
        client.text_document_did_save(t.DidSaveTextDocumentParams(t.TextDocumentIdentifier(checked)))
        assert [d.code for d in await diagnostics_for(client, checked, 2)] == ["CNN001"]
        client.text_document_did_close(t.DidCloseTextDocumentParams(t.TextDocumentIdentifier(checked)))
        assert await diagnostics_for(client, checked) == []  # closed: its findings are cleared

    session(test, tmp_path)


def test_without_the_server_extra_the_command_says_what_to_install() -> None:
    import subprocess

    blocked = ("import sys\nsys.modules['pygls'] = None\nsys.modules['lsprotocol'] = None\n"
               "from cnnlint.cli import main\nmain(['server'])\n")
    done = subprocess.run([sys.executable, "-c", blocked], capture_output=True, text=True, timeout=120,
                          env={**os.environ, "PYTHONPATH": REPO}, stdin=subprocess.DEVNULL)
    assert done.returncode == 2
    assert "cnnlint[server]" in done.stderr and "Traceback" not in done.stderr


def test_the_parsed_trees_kept_for_positions_are_bounded() -> None:
    # A long-lived server parses a new tree on every edit: the front end must not keep them all.
    from cnnlint.frontend import parse
    from cnnlint.frontend.python import positions

    for n in range(3 * positions._KEPT):
        positions.positions(parse(f"x = {n}\n"))
    assert len(positions._TEXTS) <= positions._KEPT and len(positions._RESOLVED) <= positions._KEPT


def test_the_function_bodies_kept_by_the_visitors_memo_are_bounded() -> None:
    from cnnlint.frontend import parse
    from cnnlint.frontend.python import visitors

    for n in range(visitors._MEMO_SIZE + 100):
        function = parse(f"def f{n}(x):\n    return x\n").body[0]
        assert isinstance(function, cst.FunctionDef)
        assert not visitors.has_yield(function.body)
    assert len(visitors._MEMO) <= visitors._MEMO_SIZE


def _entries(root: Path) -> list[Path]:
    return sorted((root / ".cnnlint_cache").glob("*/*.json"))


def _mark(entry: Path, text: str) -> None:
    """Rewrite a cache entry's messages, so that a result read from it shows where it came from."""
    data = json.loads(entry.read_text())
    for d in data["diagnostics"]:
        d["message"] = text
    entry.write_text(json.dumps(data))


@pytest.mark.cache
def test_the_command_lines_cache_is_shared(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "src").mkdir()
    (root / "src" / "model.py").write_text(BUGGY)
    (root / "src" / "saved.py").write_text(FIXED)
    env = {**os.environ, "PYTHONPATH": REPO}
    cli = [sys.executable, "-m", "cnnlint", "check", "--exit-zero", "--output-format", "concise"]
    subprocess.run([*cli, "src/model.py"], cwd=root, env=env, check=True, capture_output=True)
    [entry] = _entries(root)
    _mark(entry, "read from the cache")

    async def test(client: LanguageClient, root: Path) -> None:
        uri = (root / "src" / "model.py").as_uri()
        open_doc(client, uri, BUGGY)
        [found] = await diagnostics_for(client, uri, 1)  # the CLI's entry: no analysis on open
        assert found.code == "CNN001" and found.message.startswith("read from the cache")
        hover = await client.text_document_hover_async(t.HoverParams(t.TextDocumentIdentifier(uri), t.Position(3, 6)))
        assert hover is not None and "(None, 28, 28, 32)" in str(hover.contents)  # analysed when asked
        change(client, uri, FIXED, 2)  # an edit in progress: checked, and no entry for it
        assert await diagnostics_for(client, uri, 2) == []
        saved = (root / "src" / "saved.py").as_uri()  # the text on disk: its result is kept for the CLI
        open_doc(client, saved, FIXED.replace("14 * 14 * 32", "7 * 7 * 32"))  # unsaved: differs from disk
        assert [d.code for d in await diagnostics_for(client, saved, 1)] == ["CNN001"]
        client.text_document_did_close(t.DidCloseTextDocumentParams(t.TextDocumentIdentifier(saved)))
        await diagnostics_for(client, saved)
        open_doc(client, saved, FIXED, 3)
        assert await diagnostics_for(client, saved, 3) == []

    session(test, root)
    entries = _entries(root)
    assert len(entries) == 2  # the CLI's, and the server's for src/saved.py as it is on disk
    fresh = next(e for e in entries if e != entry)
    data = json.loads(fresh.read_text())
    data["diagnostics"] = json.loads(entry.read_text())["diagnostics"]  # findings the CLI can only get from it
    data["diagnostics"][0]["path"] = "src/saved.py"
    fresh.write_text(json.dumps(data))
    _mark(fresh, "read from the cache")  # (the server's own analysis at the hover rewrote the CLI's entry)
    shown = subprocess.run([*cli, "src/saved.py"], cwd=root, env=env, check=True, capture_output=True, text=True)
    assert "src/saved.py:6:" in shown.stdout and "read from the cache" in shown.stdout, shown.stdout


@pytest.mark.cache
def test_the_cache_can_be_turned_off(tmp_path: Path) -> None:
    root = project(tmp_path)
    (root / "model.py").write_text(BUGGY)

    async def test(client: LanguageClient, root: Path) -> None:
        uri = (root / "model.py").as_uri()
        open_doc(client, uri, BUGGY)
        assert [d.code for d in await diagnostics_for(client, uri, 1)] == ["CNN001"]

    session(test, root, {"debounce": 0.05, "cache": False})
    assert _entries(root) == []
