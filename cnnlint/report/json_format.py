"""The JSON report of SPEC.md (`check --format json`, `shapes --format json`)."""

from __future__ import annotations

import json
from typing import Any

from cnnlint.ir import Graph, ModuleIR
from cnnlint.rules.base import Diagnostic, json_shape, op_name

VERSION = 1


def diagnostic_json(d: Diagnostic) -> dict[str, Any]:
    out: dict[str, Any] = {
        "code": d.code,
        "name": d.name,
        "severity": d.severity,
        "path": d.path,
        "line": d.loc.line,
        "column": d.loc.column,
        "end_line": d.loc.end_line,
        "end_column": d.loc.end_column,
        "message": d.message,
        "trace": [{"line": s.line, "op": s.op, "shape": list(s.shape) if s.shape is not None else None}
                  for s in d.trace],
        "confirmed": d.confirmed,
        "fix": d.fix,
    }
    if d.cell is not None:
        out["cell"] = d.cell
    return out


def check_report(files_checked: int, diagnostics: list[Diagnostic], errors: list[tuple[str, str]]) -> str:
    return json.dumps(
        {
            "version": VERSION,
            "files_checked": files_checked,
            "diagnostics": [diagnostic_json(d) for d in diagnostics],
            "errors": [{"path": path, "message": message} for path, message in errors],
        },
        indent=2,
    )


def visible_nodes(graph: Graph) -> list[int]:
    """Ops worth a row in a summary: weight initialisers wrapped by a variable are folded in."""
    wrapped = {
        node.inputs[0] for node in graph.own_nodes
        if node.attrs.get("kind") == "variable" and node.inputs and node.inputs[0] is not None
    }
    return [n.id for n in graph.own_nodes if n.id not in wrapped and n.op != "opaque"]


def shapes_report(modules: list[ModuleIR]) -> str:
    models = []
    for module in modules:
        for graph in module.graphs:
            layers = []
            for node_id in visible_nodes(graph):
                node = graph.nodes[node_id]
                shape = json_shape(node.shape)
                cell, line = module.place(node.loc.line)
                entry: dict[str, Any] = {"line": line, "op": op_name(node),
                                         "output": list(shape) if shape is not None else None}
                if cell is not None:
                    entry["cell"] = cell
                if node_id in graph.labels:
                    entry["name"] = graph.labels[node_id]
                layers.append(entry)
            cell, line = module.place(graph.line)
            model: dict[str, Any] = {"name": graph.name, "path": graph.path, "line": line, "layers": layers}
            if cell is not None:
                model["cell"] = cell
            models.append(model)
    return json.dumps({"version": VERSION, "models": models}, indent=2)
