"""The JSON report of SPEC.md (`check --format json`, `shapes --format json`)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from cnnlint.findings import Diagnostic, Edit, Fix, Related
from cnnlint.report import text

# The report of findings needs only their plain data; the shapes report imports the shape engine
# when it is printed (a run answered from the cache imports neither: docs/performance.md).
if TYPE_CHECKING:
    from cnnlint.ir import ModuleIR
    from cnnlint.report import summary
    from cnnlint.shapes import Formula, Weight

VERSION = 1


def fix_json(fix: Fix | None) -> dict[str, Any] | None:
    """ruff's JSON shape: `{"applicability", "message", "edits"}`, each edit `{"content", "location":
    {"row", "column"}, "end_location": {"row", "column"}}` (in a notebook each position also has `"cell"`)."""
    if fix is None:
        return None
    return {"applicability": fix.applicability, "message": fix.message, "edits": [_edit_json(e) for e in fix.edits]}


def _edit_json(edit: Edit) -> dict[str, Any]:
    cell = {} if edit.cell is None else {"cell": edit.cell}
    return {"content": edit.content, "location": {"row": edit.loc.line, "column": edit.loc.column, **cell},
            "end_location": {"row": edit.loc.end_line, "column": edit.loc.end_column, **cell}}


def related_json(r: Related) -> dict[str, Any]:
    """`{"path", "line", "column", "end_line", "end_column", "message"}` (and `"cell"` in a notebook)."""
    out: dict[str, Any] = {"path": r.path, "line": r.loc.line, "column": r.loc.column,
                           "end_line": r.loc.end_line, "end_column": r.loc.end_column, "message": r.message}
    if r.cell is not None:
        out["cell"] = r.cell
    return out


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
        "trace": [{"line": s.line, "op": s.op, "shape": list(s.shape) if s.shape is not None else None,
                   **({"path": s.path} if s.path else {}), **({"explain": list(s.explain)} if s.explain else {}),
                   **({"call": s.call} if s.call else {})}
                  for s in d.trace],
        "related": [related_json(r) for r in d.related],
        "confirmed": d.confirmed,
        "fix": fix_json(d.fix),
    }
    if d.cell is not None:
        out["cell"] = d.cell
    if d.extra.confirmation is not None:
        out["confirmation"] = d.extra.confirmation
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


def weights_json(weights: list[Weight] | None) -> list[dict[str, Any]] | None:
    """`[{"name": "kernel", "shape": [5, 300, 111], "trainable": true}, ...]`; None when unknown."""
    from cnnlint.report.render import json_shape

    if weights is None:
        return None
    return [{"name": w.name, "shape": list(json_shape(w.shape) or ()), "trainable": w.trainable} for w in weights]


def formula_json(f: Formula) -> dict[str, Any]:
    """`{"what": "height", "axis": 1, "text": "SAME: ceil(28 / 2) = 14", "value": 14}` (`axis`
    null for the parameter count, `value` null where a size is not known)."""
    return {"what": f.what, "axis": f.axis, "text": f.text, "value": f.value}


def shapes_report(modules: list[ModuleIR], tensorflow: list[summary.TensorFlowShapes] | None = None,
                  explain: bool = False) -> str:
    """`explain`: each layer also has `explain`, the working behind its sizes (`--explain`)."""
    from cnnlint.report import summary
    from cnnlint.report.render import formulas, json_dim, json_shape

    models = []
    for index, module in enumerate(modules):
        for table in summary.tables(module, None if tensorflow is None else tensorflow[index]):
            layers = []
            for row in table.rows:
                node = row.node
                shape = json_shape(node.shape)
                entry: dict[str, Any] = {"line": row.line, "op": row.op,
                                         "output": list(shape) if shape is not None else None}
                if row.cell is not None:
                    entry["cell"] = row.cell
                if node.loc.path:  # built by a helper of another project file
                    entry["path"] = node.loc.path
                if node.layer is not None:
                    entry["name"] = node.layer
                    entry["params"] = None if node.params is None else json_dim(node.params)
                    entry["weights"] = weights_json(row.weights)
                elif row.variable:
                    entry["name"] = row.variable
                if table.kind is not None and table.kind != "Sequential":
                    entry["connected_to"] = [text.connected_name(r) for r in table.connected_to(row)]
                if explain and table.graph is not None:
                    entry["explain"] = [formula_json(f) for f in formulas(table.graph, node)]
                if table.confirmed:
                    entry["tensorflow"] = row.tensorflow
                    entry["agrees"] = row.agrees
                layers.append(entry)
            model: dict[str, Any] = {"name": table.title, "path": table.path, "line": table.line, "layers": layers}
            if table.cell is not None:
                model["cell"] = table.cell
            if table.unknown is not None:
                (cell, at), path = table.unknown_place, table.unknown.node.loc.path
                where: dict[str, Any] = {"line": at, "reason": table.unknown.reason}
                model["unknown_from"] = {**where, **({"cell": cell} if cell is not None else {}),
                                         **({"path": path} if path else {})}
            if table.kind is not None:
                total = table.total_params
                model["kind"] = table.kind
                model["keras_name"] = table.keras_name
                model["total_params"] = None if total is None else json_dim(total)
                trainable, frozen = table.trainable_params, table.non_trainable_params
                model["params"] = {"trainable": None if trainable is None else json_dim(trainable),
                                   "non_trainable": None if frozen is None else json_dim(frozen)}
            models.append(model)
    return json.dumps({"version": VERSION, "models": models}, indent=2)
