"""`cnnlint server` as an editor uses it: latency after an edit, memory over many edits, a transcript.

    python benchmarks/server.py                    # 500-line model file, 50 edits
    python benchmarks/server.py --edits 1000       # the memory run (one check per edit)
    python benchmarks/server.py --transcript       # one session's requests and responses, trimmed

Starts `python -m cnnlint server` as a subprocess and talks to it with pygls's client (needs
cnnlint[server]). The file is a generated 500-line functional ResNet-style model (two helper
functions called ~160 times, ~1,400 layer applications). After the first check, each edit changes
one literal on one line and waits for that version's diagnostics. The server measures each check
itself, from the moment the debounce fires (the worker takes the document) to the diagnostics
handed to the client (`logTimings`); the client's round trip, less the debounce, is printed too.
The server's resident memory (VmRSS) is read after the first check and after every 10% of edits.

Target (issue 19): at most 300 ms from the debounce to the published diagnostics; flat memory.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from lsprotocol import types as t
from pygls.lsp.client import LanguageClient

REPO = Path(__file__).resolve().parents[1]


def model_file(lines: int = 500) -> str:
    """A functional ResNet-style model of `lines` lines that cnnlint shapes fully (no finding)."""
    head = [
        "import numpy as np", "from tensorflow import keras", "from tensorflow.keras import layers", "", "",
        "def conv_bn(x, filters, kernel=3, strides=1):",
        "    x = layers.Conv2D(filters, kernel, strides=strides, padding='same', use_bias=False)(x)",
        "    x = layers.BatchNormalization()(x)",
        "    return layers.Activation('relu')(x)", "", "",
        "def residual(x, filters, strides=1):",
        "    shortcut = x",
        "    y = conv_bn(x, filters, strides=strides)",
        "    y = layers.Conv2D(filters, 3, padding='same', use_bias=False)(y)",
        "    y = layers.BatchNormalization()(y)",
        "    if strides != 1 or x.shape[-1] != filters:",
        "        shortcut = layers.Conv2D(filters, 1, strides=strides, use_bias=False)(x)",
        "        shortcut = layers.BatchNormalization()(shortcut)",
        "    return layers.Activation('relu')(layers.Add()([y, shortcut]))", "", "",
        "inputs = keras.Input(shape=(224, 224, 3))", "x = conv_bn(inputs, 32, 7, 2)",
        "x = layers.MaxPooling2D(3, 2, padding='same')(x)"]
    tail = ["x = layers.GlobalAveragePooling2D()(x)", "x = layers.Dropout(0.2)(x)",
            "outputs = layers.Dense(10, activation='softmax')(x)", "model = keras.Model(inputs, outputs)",
            "model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')",
            "model.fit(np.zeros((8, 224, 224, 3)), np.zeros((8,)), epochs=1)"]
    body: list[str] = []
    filters, step = 32, 0
    while len(head) + len(body) + len(tail) < lines:
        step += 1
        if step % 40 == 0 and filters < 512:
            filters *= 2
            body.append(f"x = residual(x, {filters}, strides=2)")
        elif step % 3 == 0:
            body.append(f"x = residual(x, {filters})")
        elif step % 3 == 1:
            body.append(f"x = layers.Conv2D({filters}, 3, padding='same', activation='relu')(x)")
        else:
            body.append(f"x = layers.BatchNormalization()(x)  # step {step}")
    return "\n".join(head + body + tail) + "\n"


def edited(text: str, n: int) -> str:
    """The text with the Dropout rate of the head changed: every edit is a new version to check."""
    return text.replace("layers.Dropout(0.2)", f"layers.Dropout(0.{2 + n % 7})")


def rss_kib(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Client(LanguageClient):
    def __init__(self, transcript: bool) -> None:
        super().__init__("cnnlint-benchmark", "1")
        self.published: asyncio.Queue[t.PublishDiagnosticsParams] = asyncio.Queue()
        self.timings: list[float] = []
        self.transcript = transcript

        @self.feature(t.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
        def publish(params: t.PublishDiagnosticsParams) -> None:
            self.show("<- publishDiagnostics", {"uri": Path(params.uri).name, "version": params.version,
                                                "diagnostics": [_diagnostic(d) for d in params.diagnostics]})
            self.published.put_nowait(params)

        @self.feature(t.WINDOW_LOG_MESSAGE)
        def log(params: t.LogMessageParams) -> None:
            found = re.search(r" in ([\d.]+) ms$", params.message)
            if found:
                self.timings.append(float(found.group(1)))

    def show(self, what: str, payload: Any) -> None:
        if self.transcript:
            text = json.dumps(payload, default=str)
            print(f"{what} {text if len(text) < 600 else text[:600] + ' ...'}")

    async def diagnostics_at(self, uri: str, version: int) -> t.PublishDiagnosticsParams:
        while True:
            params = await asyncio.wait_for(self.published.get(), 120)
            if params.uri == uri and params.version == version:
                return params


def _diagnostic(d: t.Diagnostic) -> dict[str, Any]:
    return {"code": d.code, "line": d.range.start.line, "message": d.message[:120] + "..."}


async def run(args: argparse.Namespace) -> None:
    client = Client(args.transcript)
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    folder = Path(tempfile.mkdtemp(prefix="cnnlint-server-"))
    (folder / "pyproject.toml").write_text("[tool.cnnlint]\n")
    await client.start_io(sys.executable, "-m", "cnnlint", "server", env=env, cwd=str(folder))
    assert client._server is not None
    pid = client._server.pid
    debounce = args.debounce
    options = {"debounce": debounce, "logTimings": True, "inlayHints": True}
    client.show("-> initialize", {"initializationOptions": options})
    init = await client.initialize_async(t.InitializeParams(capabilities=t.ClientCapabilities(),
                                                            initialization_options=options, root_uri=folder.as_uri()))
    caps = init.capabilities
    client.show("<- initialize", {"hover": caps.hover_provider is not None,
                                  "inlayHint": caps.inlay_hint_provider is not None,
                                  "codeAction": caps.code_action_provider is not None})
    client.initialized(t.InitializedParams())
    if args.transcript:
        await transcript(client, folder)
    text = model_file(args.lines)
    uri = (folder / "model.py").as_uri()
    started = time.perf_counter()
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(uri, "python", 1, text)))
    first = await client.diagnostics_at(uri, 1)
    print(f"file: {text.count(chr(10))} lines; first check (didOpen -> diagnostics): "
          f"{(time.perf_counter() - started) * 1000:.0f} ms, {len(first.diagnostics)} findings")
    memory = [rss_kib(pid)]
    round_trips = []
    for n in range(args.edits):
        version = n + 2
        sent = time.perf_counter()
        whole = t.TextDocumentContentChangeWholeDocument(edited(text, n))
        client.text_document_did_change(t.DidChangeTextDocumentParams(
            t.VersionedTextDocumentIdentifier(version, uri), [whole]))
        await client.diagnostics_at(uri, version)
        round_trips.append((time.perf_counter() - sent - debounce) * 1000)
        if (n + 1) % max(args.edits // 10, 1) == 0:
            memory.append(rss_kib(pid))
    checks = client.timings[1:]  # the first is the didOpen's
    print(f"edits: {args.edits}, debounce {debounce * 1000:.0f} ms")
    print(f"server, debounce fired -> diagnostics: median {statistics.median(checks):.0f} ms, "
          f"p90 {sorted(checks)[int(len(checks) * 0.9) - 1]:.0f} ms, best {min(checks):.0f} ms (target <= 300 ms)")
    print(f"client, change sent -> diagnostics, less the debounce: median {statistics.median(round_trips):.0f} ms")
    print("server RSS (MiB) after the first check, then every 10% of edits: "
          + " ".join(f"{m / 1024:.0f}" for m in memory))
    await client.shutdown_async(None)
    client.exit(None)
    await asyncio.wait_for(client._server.wait(), 30)
    await client.stop()


async def transcript(client: Client, folder: Path) -> None:
    """One short session: a buggy file, its quick fix, a hover and the inlay hints."""
    code = ("import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
            "w = tf.Variable(tf.random_normal([5, 5, 1, 32]))\n"
            "h = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')\n"
            "h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')\n"
            "flat = tf.reshape(h, [-1, 7 * 7 * 32])\n")
    uri = (folder / "seed.py").as_uri()
    client.show("-> didOpen", {"uri": "seed.py", "version": 1, "text": code})
    client.text_document_did_open(t.DidOpenTextDocumentParams(t.TextDocumentItem(uri, "python", 1, code)))
    found = (await client.diagnostics_at(uri, 1)).diagnostics
    doc = t.TextDocumentIdentifier(uri)
    client.show("-> codeAction", {"range": "line 5", "diagnostics": ["CNN001"]})
    actions = await client.text_document_code_action_async(t.CodeActionParams(doc, found[0].range,
                                                                              t.CodeActionContext(list(found))))
    client.show("<- codeAction", [{"title": a.title, "kind": a.kind, "edits": _edits(a)} for a in actions or []
                                  if isinstance(a, t.CodeAction)])
    client.show("-> hover", {"line": 3, "character": 6})
    hover = await client.text_document_hover_async(t.HoverParams(doc, t.Position(3, 6)))
    client.show("<- hover", hover.contents.value if hover is not None and isinstance(hover.contents, t.MarkupContent)
                else None)
    client.show("-> inlayHint", {"range": "lines 0-6"})
    hints = await client.text_document_inlay_hint_async(t.InlayHintParams(doc, t.Range(t.Position(0, 0),
                                                                                        t.Position(6, 0))))
    client.show("<- inlayHint", [{"line": h.position.line, "label": h.label} for h in hints or []])


def _edits(action: t.CodeAction) -> list[str]:
    if action.edit is None or action.edit.changes is None:
        return []
    return [f"{e.range.start.line}:{e.range.start.character}-{e.range.end.line}:{e.range.end.character} "
            f"{e.new_text!r}" for edits in action.edit.changes.values() for e in edits]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--lines", type=int, default=500)
    parser.add_argument("--edits", type=int, default=50)
    parser.add_argument("--debounce", type=float, default=0.1, help="seconds (the server's setting)")
    parser.add_argument("--transcript", action="store_true", help="print one session's messages, trimmed")
    asyncio.run(run(parser.parse_args()))


if __name__ == "__main__":
    main()
