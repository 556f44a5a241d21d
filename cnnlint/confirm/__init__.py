"""`--confirm`: rebuild the extracted graphs in TensorFlow and check each finding by execution.

The static run never imports TensorFlow. Here the IR is serialised (ops, attributes, declared
shapes; never source code) and sent to a worker process (`confirm/worker.py`) that runs every
op on zero tensors, at batch 1 and 2 (and any fixed batch the code reshapes to), on CPU or GPU.
A finding is confirmed when TensorFlow refuses that op or folds the batch there; TensorFlow
running it fine is a disagreement to report; a graph that cannot be rebuilt gives no verdict.
"""

from __future__ import annotations

import dataclasses
import importlib.util
import json
import os
import queue
import re
import subprocess
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from cnnlint.ir import Graph, ModuleIR, Node
from cnnlint.report.summary import TensorFlowShape, TensorFlowShapes
from cnnlint.rules.base import Diagnostic
from cnnlint.shapes import Dim
from cnnlint.shapes.ops.data import DATA
from cnnlint.shapes.ops.reshape import RESHAPE
from cnnlint.shapes.registry import OPS

DEFAULT_TIMEOUT = 300.0
# Dummy tensors bigger than this are not built (a declared (100000, 100000, 3) input).
MAX_ELEMENTS = 20_000_000
INSTALL_HINT = "--confirm needs TensorFlow: pip install 'cnnlint[confirm]'"


class ConfirmError(Exception):
    """`--confirm` cannot run at all (no TensorFlow, no GPU for `--device gpu`): exit 2."""


@dataclass
class Outcome:
    """What TensorFlow did with every graph: per graph key, per batch size, per node id."""

    tensorflow: str = ""
    device: str = ""
    import_seconds: float = 0.0  # the worker's TensorFlow import
    build_seconds: float = 0.0  # rebuilding and running every graph
    runs: dict[str, dict[int, dict[int, dict[str, Any]]]] = field(default_factory=dict)
    failure: str | None = None  # TensorFlow could not start at all: no verdicts
    # Models whose rebuild crashed TensorFlow or ran out of time: (node id it crashed at, why).
    broken: dict[str, tuple[int | None, str]] = field(default_factory=dict)
    # Per graph key, per feed index: what TensorFlow did with the data (`error`, `ok`, `unavailable`).
    feeds: dict[str, dict[int, dict[str, Any]]] = field(default_factory=dict)

    @property
    def by(self) -> str:
        return f"TensorFlow {self.tensorflow} on {self.device}"


def available() -> bool:
    return importlib.util.find_spec("tensorflow") is not None


def _json_value(value: Any) -> Any:
    if isinstance(value, Dim):
        return value.value
    if isinstance(value, Mapping):
        return {str(k): _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    if value is None or isinstance(value, (bool, int, float, str)):
        return value
    return None


def serialise(graph: Graph) -> list[dict[str, Any]]:
    return [
        {"id": n.id, "op": n.op, "api": n.api, "inputs": list(n.inputs), "attrs": _json_value(dict(n.attrs)),
         "keras": n.layer is not None, "layer": n.layer, **_data_shape(n)}
        for n in graph.nodes
    ]


def _data_shape(node: Node) -> dict[str, Any]:
    """For an op that prepares data (indexing, stacking, `to_categorical`, ...), which the worker
    does not rebuild, the shape cnnlint gives it: the worker makes zeros of that shape, as it does
    for an array known only by its shape (`data_shape`)."""
    op = OPS.get(node.op)
    if op is None or op.not_rebuildable != DATA or node.shape is None:
        return {}
    return {"data_shape": _dims(node.shape)}


def _dims(shape: Any) -> list[int | None] | None:
    return None if shape is None else [d.value for d in shape]


def serialise_feeds(module: ModuleIR, graph: Graph) -> list[dict[str, Any]]:
    """The data handed to models and placeholders in `graph` (CNN012-CNN014), for the worker to feed."""
    out: list[dict[str, Any]] = []
    for index, feed in enumerate(module.feeds):
        if feed.graph is not graph:
            continue
        entry: dict[str, Any] = {
            "index": index, "kind": feed.kind, "loss": feed.loss,
            "expected": [_dims(shape) for shape in feed.expected],
            "data": [None if i is None else _dims(graph.nodes[i].shape) for i in feed.data],
            "labels": None if feed.labels is None else _dims(graph.nodes[feed.labels].shape),
        }
        if feed.model is not None and feed.output_node is not None:
            entry["model"] = {"inputs": list(feed.inputs), "output": feed.output_node,
                              "nodes": [node for node in serialise(graph) if node["id"] in set(feed.model.nodes)]}
        out.append(entry)
    return out


def batch_sizes(graph: Graph) -> list[int]:
    """1 and 2, plus a fixed batch the code reshapes to (`tf.reshape(x, [128, -1])`)."""
    sizes = {1, 2}
    for node in graph.nodes:
        target = RESHAPE.parse(node.attrs).shape if node.op == "reshape" else None
        if target and isinstance(target[0], Dim) and target[0].value is not None and 2 < target[0].value <= 512:
            sizes.add(target[0].value)
    return sorted(sizes)


# The worker, as a command line; tests replace it with a stand-in that hangs or crashes.
WORKER = [sys.executable, "-m", "cnnlint.confirm.worker"]
# After this many worker crashes or hangs, the models not yet rebuilt get no verdict.
MAX_RESTARTS = 5


class _Worker:
    """One worker process, its stdout read line by line on a thread so that waits can time out."""

    def __init__(self, job: dict[str, Any], env: dict[str, str]) -> None:
        self.process = subprocess.Popen(WORKER, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                        stderr=subprocess.PIPE, text=True, env=env)
        self.lines: queue.Queue[str | None] = queue.Queue()
        self.stderr: list[str] = []
        threading.Thread(target=self._pump, daemon=True).start()
        self.drain = threading.Thread(target=self._drain, daemon=True)
        self.drain.start()
        assert self.process.stdin is not None
        try:
            self.process.stdin.write(json.dumps(job))
            self.process.stdin.close()
        except OSError:  # it died before reading its job: reported by next()
            pass

    def _pump(self) -> None:
        assert self.process.stdout is not None
        for line in self.process.stdout:
            self.lines.put(line)
        self.lines.put(None)

    def _drain(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.stderr.append(line)
            del self.stderr[:-50]

    def next(self, timeout: float) -> dict[str, Any] | None:
        """The next message; None when the worker ended; raises queue.Empty on a timeout."""
        deadline = time.monotonic() + timeout
        while True:
            line = self.lines.get(timeout=max(deadline - time.monotonic(), 0.0))
            if line is None:
                return None
            line = line.strip()
            if line.startswith("{"):
                try:
                    message: dict[str, Any] = json.loads(line)
                except json.JSONDecodeError:
                    continue
                return message

    def why_it_ended(self) -> str:
        code = self.process.wait()
        self.drain.join(timeout=5)  # its last words are on stderr
        lines = [line.strip() for line in self.stderr if line.strip() and not line.lstrip().startswith("@")]
        check = [line for line in lines if "Check failed" in line]
        tail = (check or lines or ["no message"])[-1]
        tail = re.sub(r"^[FEW]\d{4} [\d:.]+\s+\d+ \S+\] ", "", tail)[:200]
        return f"TensorFlow aborted (exit {code}): {tail}"

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.process.wait()


def run(modules: Sequence[ModuleIR], device: str = "auto", timeout: float = DEFAULT_TIMEOUT,
        max_elements: int = MAX_ELEMENTS) -> Outcome:
    """Rebuild every graph of every module in worker processes (TensorFlow is imported once per worker).

    `timeout` bounds TensorFlow's import and each model separately. A model that crashes the
    worker (a TensorFlow abort) or runs past its time is reported for that model only; a new
    worker goes on with the models after it.
    """
    if not available():
        raise ConfirmError(INSTALL_HINT)
    pending: list[dict[str, Any]] = [
        {"key": f"{m}:{g}", "nodes": serialise(graph), "batches": batch_sizes(graph),
         "feeds": serialise_feeds(module, graph)}
        for m, module in enumerate(modules) for g, graph in enumerate(module.graphs)
    ]
    env = {**os.environ, "TF_CPP_MIN_LOG_LEVEL": "2"}
    if device == "cpu":
        env["CUDA_VISIBLE_DEVICES"] = ""
    outcome = Outcome()
    restarts = 0
    while pending:
        stopped = _one_worker(pending, device, timeout, max_elements, env, outcome)
        if stopped is None:
            break
        if not outcome.tensorflow:  # it never got as far as importing TensorFlow
            outcome.failure = stopped
            break
        restarts += 1
        done = set(outcome.runs) | set(outcome.broken)
        pending = [g for g in pending if g["key"] not in done]
        if restarts >= MAX_RESTARTS:
            for graph in pending:
                outcome.broken[graph["key"]] = (None, f"{stopped}; the worker was restarted {restarts} times")
            break
    return outcome


def _store(outcome: Outcome, key: str, runs: dict[Any, dict[int, dict[str, Any]]]) -> None:
    """A model's results: per batch size, and the pseudo batch "feed" for the data fed to it."""
    feeds = runs.pop("feed", None)
    if feeds is not None:
        outcome.feeds[key] = feeds
    outcome.runs[key] = runs


def _one_worker(graphs: list[dict[str, Any]], device: str, timeout: float, max_elements: int,
                env: dict[str, str], outcome: Outcome) -> str | None:
    """Run `graphs` in one worker; None when it got through all of them, else why it stopped."""
    worker = _Worker({"device": device, "graphs": graphs, "max_elements": max_elements}, env)
    current: dict[str, Any] | None = None  # the model being rebuilt, where it is, what it has done
    try:
        while True:
            try:
                message = worker.next(timeout)
            except queue.Empty:
                worker.kill()
                what = "TensorFlow did not finish " + ("this model" if current else "starting")
                reason = f"{what} within {timeout:g} s"
                if current is not None:
                    outcome.broken[current["key"]] = (None, reason)
                return reason
            if message is None:
                reason = worker.why_it_ended()
                if current is None:
                    return reason
                # The op it was running crashed TensorFlow: that op's evidence is the abort.
                runs = current["runs"]
                runs.setdefault(current["batch"], {})[current["id"]] = {"error": reason}
                _store(outcome, current["key"], runs)
                outcome.broken[current["key"]] = (current["id"], reason)
                return reason
            if "error" in message:
                raise ConfirmError(message["error"])
            if "tensorflow" in message:
                outcome.tensorflow, outcome.device = message["tensorflow"], message["device"]
                outcome.import_seconds += message.get("import_seconds", 0.0)
            elif "at" in message:
                key, batch, node_id = message["at"]
                if current is None or current["key"] != key:
                    current = {"key": key, "runs": {}}
                current.update(batch=batch, id=node_id)
            elif "result" in message:
                assert current is not None
                current["runs"].setdefault(current["batch"], {})[current["id"]] = message["result"]
            elif "graph" in message:
                _store(outcome, message["graph"], current["runs"] if current else {})
                current = None
            elif "done" in message:
                outcome.build_seconds += message["done"]
                return None
    finally:
        worker.kill()


# -- verdicts ----------------------------------------------------------------------------------
def _shape_text(shape: Sequence[int | None]) -> str:
    return "(" + ", ".join("?" if d is None else str(d) for d in shape) + ")"


def verdict(outcome: Outcome, key: str, graph: Graph, node: Node, fatal: bool) -> tuple[bool | None, str]:
    """(confirmed, what TensorFlow did) for a finding at `node`."""
    if outcome.failure is not None:
        return None, f"not checked by TensorFlow: {outcome.failure}"
    runs = outcome.runs.get(key)
    broken = outcome.broken.get(key)
    if not runs:
        why = broken[1] if broken else "the model was not rebuilt"
        return None, f"not checked by TensorFlow: {why}"
    per_batch = {batch: results.get(node.id, {}) for batch, results in runs.items()}
    for result in per_batch.values():
        if "unavailable" in result or not result:
            reason = result.get("unavailable", "the op was not reached")
            if not result and broken:
                reason = f"the op was not reached: {broken[1]}"
            return None, f"not checked by TensorFlow: {reason}"
    if not fatal:
        return _meaning_verdict(outcome, runs, node, per_batch[1])
    evidence: list[str] = []
    for batch, result in sorted(per_batch.items()):
        if "error" in result:
            evidence.append(result["error"])
            continue
        shape = result.get("shape")
        if shape and node.op in ("reshape", "flatten") and shape[0] != batch:
            evidence.append(f"a batch of {batch} becomes {shape[0]} rows {_shape_text(shape)}")
            continue
        if shape and 0 in shape[1:]:
            evidence.append(f"the output is empty: {_shape_text(shape)}")
            continue
        shown = _shape_text(shape) if shape else "no error"
        return False, f"{outcome.by} ran this op with a batch of {batch}: {shown}"
    return True, f"confirmed by {outcome.by}: {evidence[0]}"


# A finding whose claim is not an error (a warning about meaning, a stated size Keras ignores) has
# nothing for TensorFlow to reproduce: running the op can dispute cnnlint's shapes, never confirm.
MEANING = "not checked by TensorFlow: the finding is about meaning, not an error TensorFlow raises"


def _meaning_verdict(outcome: Outcome, runs: Mapping[int, Mapping[int, Mapping[str, Any]]], node: Node,
                     result: Mapping[str, Any]) -> tuple[bool | None, str]:
    """(False, why) where TensorFlow contradicts the shapes such a finding rests on, else (None, why)."""
    if "error" in result:
        return False, f"{outcome.by} refused this op, which cnnlint expects to run: {result['error']}"
    stated = node.attrs.get("in_features") if node.attrs.get("stated_only") else None
    source = node.inputs[0] if node.inputs else None
    fed = runs[1].get(source, {}).get("shape") if stated is not None and source is not None else None
    if stated is not None and fed:
        if fed[-1] == stated:
            return False, f"{outcome.by}: {_shape_text(fed)} flows into it, as stated ({stated} features)"
        return None, f"{MEANING}; {outcome.by} agrees that {_shape_text(fed)} flows in, stated {stated} features"
    static = node.shape
    if static is None or "shape" not in result:
        return None, f"{MEANING}; no shape to compare"
    shown = _shape_text(result["shape"])
    if not _agrees(static, result["shape"]):
        return False, f"{outcome.by} computes {shown} here, cnnlint {_shape_text([d.value for d in static])}"
    return None, f"{MEANING}; {outcome.by} computes the same output {shown}"


def _agrees(static: tuple[Dim, ...], actual: Sequence[int | None]) -> bool:
    if len(static) != len(actual):
        return False
    return all(d.value is None or d.value == a for i, (d, a) in enumerate(zip(static, actual, strict=True)) if i > 0
               or d.value is not None)


def feed_verdict(outcome: Outcome, module: ModuleIR, m: int, index: int) -> tuple[bool | None, str]:
    """(confirmed, evidence) for a finding about data fed to a model or placeholder."""
    if outcome.failure is not None:
        return None, f"not checked by TensorFlow: {outcome.failure}"
    feed = module.feeds[index]
    g = next((i for i, graph in enumerate(module.graphs) if graph is feed.graph), None)
    key = f"{m}:{g}"
    result = outcome.feeds.get(key, {}).get(index)
    if g is None or result is None:
        why = outcome.broken[key][1] if key in outcome.broken else "the data was not fed"
        return None, f"not checked by TensorFlow: {why}"
    if "unavailable" in result:
        return None, f"not checked by TensorFlow: {result['unavailable']}"
    if "error" in result:
        return True, f"confirmed by {outcome.by}: {result['error']}"
    return False, f"{outcome.by} accepted this data: {result.get('ok', 'no error')}"


def confirm_diagnostics(
    diagnostics: list[Diagnostic], modules: Sequence[ModuleIR], module_of: Mapping[int, int], outcome: Outcome,
) -> list[Diagnostic]:
    """Each diagnostic with `confirmed` and the evidence; `module_of` maps diagnostic index to module index."""
    out: list[Diagnostic] = []
    for index, d in enumerate(diagnostics):
        where, feed = d.extra.node, d.extra.feed
        m = module_of.get(index)
        if m is not None and feed is not None:
            confirmed, text = feed_verdict(outcome, modules[m], m, feed)
            out.append(_confirmed(d, confirmed, text))
            continue
        if where is None or m is None:
            out.append(_confirmed(d, None, "not checked by TensorFlow: not a shape finding"))
            continue
        # A finding reported where the fix goes may predict its failure at a later op (`fails_at`).
        g, node_id = d.extra.fails_at or where
        graph = modules[m].graphs[g]
        fatal = any(p.fatal for p in d.extra.problems) and d.severity == "error"
        confirmed, text = verdict(outcome, f"{m}:{g}", graph, graph.nodes[node_id], fatal)
        out.append(_confirmed(d, confirmed, text))
    return out


def _confirmed(d: Diagnostic, confirmed: bool | None, text: str) -> Diagnostic:
    return dataclasses.replace(d, confirmed=confirmed, extra=dataclasses.replace(d.extra, confirmation=text))


def tensorflow_shapes(outcome: Outcome, module_index: int, module: ModuleIR) -> TensorFlowShapes:
    """(graph index, node id) -> TensorFlow's shape at batch 1, its error text, or None."""
    out: TensorFlowShapes = {}
    for g, _graph in enumerate(module.graphs):
        results = outcome.runs.get(f"{module_index}:{g}", {}).get(1, {})
        for node_id, result in results.items():
            out[(g, node_id)] = _tensorflow_shape(result.get("shape", result.get("error")))
    return out


def _tensorflow_shape(value: object) -> TensorFlowShape:
    """A shape the worker sent (JSON: a list of sizes or null, or an error text), checked."""
    if isinstance(value, str):
        return value
    if isinstance(value, list) and all(d is None or (isinstance(d, int) and not isinstance(d, bool)) for d in value):
        return list(value)
    return None
