"""Pictures of the models `cnnlint shapes` finds: Graphviz DOT, a Mermaid flowchart, and one
self-contained HTML page (inline SVG laid out here, inline CSS and JS, no network).

Every format draws the same `Picture`: one box per row of a `shapes` table (report/summary.py),
one edge per input of a row that is itself drawn (through hidden ops such as a variable's
initialiser), each edge labelled with the shape of the tensor it carries; a box where a finding
of `check` fails is red and carries the finding's message.
"""

from __future__ import annotations

import html
import json
from collections.abc import Sequence
from dataclasses import dataclass, field

from cnnlint.ir import ModuleIR
from cnnlint.report import summary
from cnnlint.report.render import formula_lines, formulas, shape_text
from cnnlint.rules.base import Diagnostic

BATCH = "None"  # the batch axis, written as Keras prints it


@dataclass
class Box:
    key: str  # unique in the picture (`m0_n12`)
    title: str  # layer name or variable, else the op
    op: str
    shape: str
    params: str
    line: str
    weights: str = ""
    trace: list[str] = field(default_factory=list)
    findings: list[str] = field(default_factory=list)
    arithmetic: list[str] = field(default_factory=list)  # the working behind its sizes (`shapes --explain`)


@dataclass
class Picture:
    title: str
    boxes: list[Box]
    edges: list[tuple[int, int, str]]  # (from box, to box, shape label)


def pictures(modules: Sequence[ModuleIR], diagnostics: Sequence[Diagnostic] = ()) -> list[Picture]:
    from cnnlint.report.text import _count, batch_none, weights_text

    out: list[Picture] = []
    for mi, module in enumerate(modules):
        mine = [d for d in diagnostics if d.path == module.path]
        for ti, table in enumerate(summary.tables(module)):
            ids = [row.node.id for row in table.rows]
            index = {node_id: i for i, node_id in enumerate(ids)}
            boxes: list[Box] = []
            for row in table.rows:
                node = row.node
                shape = batch_none(shape_text(node.shape))
                params = "" if node.layer is None else "?" if node.params is None else _count(node.params)
                line = str(row.line) if row.cell is None else f"cell {row.cell}:{row.line}"
                box = Box(f"m{mi}_{ti}_n{node.id}", node.layer or row.variable or row.op, row.op, shape, params, line,
                          "" if node.layer is None else weights_text(row.weights))
                box.findings = list(dict.fromkeys(p.kind for p in node.problems if p.fatal))  # a finding replaces it
                if table.graph is not None:
                    box.arithmetic = formula_lines(formulas(table.graph, node))
                boxes.append(box)
            for d in mine:
                target = _box_of(d, module, table)
                if target is not None:
                    box = boxes[index[target]]
                    box.findings = [f"{d.code} {d.name}: {d.message}"]
                    box.trace = [f"line {s.line}: {s.op} -> {_step_shape(s.shape)}" for s in d.trace]
            edges: list[tuple[int, int, str]] = []
            for row in table.rows:
                for source in table.connected_to(row):
                    edges.append((index[source.node.id], index[row.node.id], boxes[index[source.node.id]].shape))
            for i, box in enumerate(boxes):
                if not box.trace:
                    box.trace = [f"line {boxes[j].line}: {boxes[j].op} -> {boxes[j].shape}"
                                 for j in _chain(i, edges)]
            kind = f" ({table.kind} {table.keras_name!r})" if table.kind else ""
            where = str(table.line) if table.cell is None else f"cell {table.cell}:{table.line}"
            out.append(Picture(f"{table.path}:{where}: {table.title}{kind}", boxes, edges))
    return out


def _step_shape(shape: Sequence[object] | None) -> str:
    if shape is None:
        return "(unknown)"
    dims = [BATCH if d is None and i == 0 else "?" if d is None else str(d) for i, d in enumerate(shape)]
    return f"({dims[0]},)" if len(dims) == 1 else f"({', '.join(dims)})"


def _chain(i: int, edges: list[tuple[int, int, str]]) -> list[int]:
    """The path of first inputs that leads to box `i`."""
    first: dict[int, int] = {}
    for a, b, _ in edges:
        first.setdefault(b, a)
    path = [i]
    while path[-1] in first and first[path[-1]] not in path:
        path.append(first[path[-1]])
    return list(reversed(path))


def _box_of(d: Diagnostic, module: ModuleIR, table: summary.Table) -> int | None:
    """The drawn node where a finding fails: the last one on the finding's line."""
    hit = None
    for row in table.rows:
        line = row.node.loc.line
        if row.node.loc.path:
            continue
        if line == d.loc.line or (d.cell is not None and module.place(line) == (d.cell, d.loc.line)):
            hit = row.node.id
    return hit


# -- Graphviz ------------------------------------------------------------------------------------------
def _dot_str(text: str) -> str:
    """A DOT double-quoted string: backslash and quote escaped, newlines as `\\n` (centred)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\r", "").replace("\n", "\\n") + '"'


def dot(pics: Sequence[Picture]) -> str:
    out = ["digraph cnnlint {", "  rankdir=TB;", '  node [shape=box, style="rounded,filled", fillcolor="#f4f6fb", '
           'fontname="Helvetica", fontsize=11];', '  edge [fontname="Helvetica", fontsize=9];']
    for pi, pic in enumerate(pics):
        out.append(f"  subgraph cluster_{pi} {{")
        out.append(f"    label={_dot_str(pic.title)};")
        for box in pic.boxes:
            lines = [f"{box.title}: {box.op}" if box.title != box.op else box.op, box.shape]
            if box.params:
                lines.append(f"params: {box.params}")
            lines.extend(box.findings)
            attrs = f"label={_dot_str(chr(10).join(lines))}"
            if box.findings:
                attrs += ', color="#c62828", fillcolor="#ffcdd2", penwidth=2'
            out.append(f"    {box.key} [{attrs}];")
        for a, b, label in pic.edges:
            out.append(f"    {pic.boxes[a].key} -> {pic.boxes[b].key} [label={_dot_str(label)}];")
        out.append("  }")
    out.append("}")
    return "\n".join(out)


# -- Mermaid -----------------------------------------------------------------------------------------
def mermaid_text(text: str) -> str:
    """Text inside a Mermaid `"..."` label: quotes and markup characters as HTML entities (the only
    escape Mermaid knows: `#quot;`-style entity codes), line breaks as `<br>`."""
    out = []
    for ch in text:
        if ch.isalnum() or ch in " .,:_-+=/*()?!'":
            out.append(ch)
        elif ch == "\n":
            out.append("<br>")
        else:
            out.append(f"#{ord(ch)};")
    return "".join(out)


def mermaid(pics: Sequence[Picture]) -> str:
    out = ["flowchart TB"]
    for pi, pic in enumerate(pics):
        out.append(f'  subgraph g{pi}["{mermaid_text(pic.title)}"]')
        out.append("    direction TB")
        for box in pic.boxes:
            lines = [f"{box.title}: {box.op}" if box.title != box.op else box.op, box.shape]
            if box.params:
                lines.append(f"params: {box.params}")
            lines.extend(box.findings)
            out.append(f'    {box.key}["{mermaid_text(chr(10).join(lines))}"]')
        for a, b, label in pic.edges:
            out.append(f'    {pic.boxes[a].key} -->|"{mermaid_text(label)}"| {pic.boxes[b].key}')
        out.append("  end")
    failing = [box.key for pic in pics for box in pic.boxes if box.findings]
    if failing:
        out.append("  classDef failing fill:#ffcdd2,stroke:#c62828,stroke-width:2px")
        out.append(f"  class {','.join(failing)} failing")
    return "\n".join(out)


# -- HTML ---------------------------------------------------------------------------------------------
BOX_W, BOX_H, GAP_X, GAP_Y, MARGIN = 220, 58, 40, 54, 20


def layout(count: int, edges: Sequence[tuple[int, int, str]]) -> list[tuple[int, int]]:
    """(rank, column) of each box: rank by the longest path from a source (boxes come in execution
    order, so every edge goes forward), columns by order within the rank."""
    rank = [0] * count
    for a, b, _ in sorted(edges, key=lambda e: e[1]):
        if a < b:
            rank[b] = max(rank[b], rank[a] + 1)
    column: dict[int, int] = {}
    place: list[tuple[int, int]] = []
    for i in range(count):
        c = column.get(rank[i], 0)
        column[rank[i]] = c + 1
        place.append((rank[i], c))
    return place


def _svg(pi: int, pic: Picture) -> str:
    place = layout(len(pic.boxes), pic.edges)
    width = max((c for _, c in place), default=0) + 1
    height = max((r for r, _ in place), default=0) + 1
    w = MARGIN * 2 + width * BOX_W + (width - 1) * GAP_X
    h = MARGIN * 2 + height * BOX_H + (height - 1) * GAP_Y

    def xy(i: int) -> tuple[int, int]:
        r, c = place[i]
        return MARGIN + c * (BOX_W + GAP_X), MARGIN + r * (BOX_H + GAP_Y)

    e = html.escape
    parts = [f'<svg class="model" xmlns="http://www.w3.org/2000/svg" width="{w}" height="{h}" '
             f'viewBox="0 0 {w} {h}"><defs><marker id="arrow{pi}" viewBox="0 0 10 10" refX="10" refY="5" '
             'markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" '
             'fill="#667"/></marker></defs>']
    for a, b, label in pic.edges:
        (x1, y1), (x2, y2) = xy(a), xy(b)
        sx, sy, tx, ty = x1 + BOX_W // 2, y1 + BOX_H, x2 + BOX_W // 2, y2
        mid = (sy + ty) // 2
        route, lx, ly = f"M{sx},{sy} C{sx},{mid} {tx},{mid} {tx},{ty}", (sx + tx) // 2 + 4, mid + 4
        if place[b][0] - place[a][0] > 1:  # a long edge (a shortcut) runs in a lane beside the boxes it passes
            lane = sx if place[a][1] != place[b][1] else x1 + BOX_W + GAP_X // 2
            route = (f"M{sx},{sy} C{sx},{sy + 16} {lane},{sy + 8} {lane},{sy + 24} L{lane},{ty - 24} "
                     f"C{lane},{ty - 8} {tx},{ty - 16} {tx},{ty}")
            lx, ly = lane + 4, ty - 28
        parts.append(f'<g class="edge"><path d="{route}" fill="none" '
                     f'stroke="#667" stroke-width="1.4" marker-end="url(#arrow{pi})"/>'
                     f'<text x="{lx}" y="{ly}" class="elabel">{e(label)}</text></g>')
    for i, box in enumerate(pic.boxes):
        x, y = xy(i)
        cls = "box failing" if box.findings else "box"
        head = f"{box.title}: {box.op}" if box.title != box.op else box.op
        info = {"title": head, "line": box.line, "shape": box.shape, "params": box.params, "weights": box.weights,
                "trace": box.trace, "findings": box.findings, "arithmetic": box.arithmetic}
        sub = box.shape + (f"  {box.params} params" if box.params else "")
        parts.append(f'<g class="{cls}" tabindex="0" data-info="{e(json.dumps(info))}">'
                     f'<rect x="{x}" y="{y}" width="{BOX_W}" height="{BOX_H}" rx="8"/>'
                     f'<text x="{x + 10}" y="{y + 22}" class="head">{e(_clip(head))}</text>'
                     f'<text x="{x + 10}" y="{y + 42}" class="sub">{e(_clip(sub))}</text>'
                     f"<title>{e(chr(10).join([head, sub, *box.findings, *box.arithmetic]))}</title></g>")
    parts.append("</svg>")
    return "".join(parts)


def _clip(text: str, size: int = 30) -> str:
    return text if len(text) <= size else text[: size - 1] + "\u2026"


CSS = """
body { font-family: Helvetica, Arial, sans-serif; margin: 0; color: #222; background: #fff; }
header { padding: 12px 20px; background: #263238; color: #fff; }
main { display: flex; gap: 16px; padding: 16px; align-items: flex-start; }
#models { flex: 1; overflow: auto; }
section { margin-bottom: 24px; }
h2 { font-size: 15px; margin: 4px 0 8px; }
.box rect { fill: #e8eef8; stroke: #5c6bc0; stroke-width: 1.5; }
.box:hover rect, .box.selected rect { stroke-width: 3; }
.box.failing rect { fill: #ffcdd2; stroke: #c62828; stroke-width: 2.5; }
.box text { font-size: 12px; fill: #1a237e; }
.box.failing text { fill: #b71c1c; }
.box text.head { font-weight: bold; }
.elabel { font-size: 10px; fill: #555; }
.finding { color: #b71c1c; font-weight: bold; }
#details { width: 360px; position: sticky; top: 16px; border: 1px solid #ccc; border-radius: 6px;
           padding: 10px 12px; font-size: 13px; background: #fafafa; }
#details pre { white-space: pre-wrap; font-size: 12px; margin: 4px 0; }
"""

JS = """
(function () {
  var details = document.getElementById('details');
  function show(box) {
    var info = JSON.parse(box.getAttribute('data-info'));
    document.querySelectorAll('.box.selected').forEach(function (b) { b.classList.remove('selected'); });
    box.classList.add('selected');
    details.textContent = '';
    function add(tag, text, cls) {
      var el = document.createElement(tag); el.textContent = text;
      if (cls) { el.className = cls; } details.appendChild(el); return el;
    }
    add('h3', info.title);
    add('div', 'line ' + info.line + ': output ' + info.shape);
    if (info.params) { add('div', 'params: ' + info.params); }
    if (info.weights) { add('div', 'weights: ' + info.weights); }
    info.findings.forEach(function (f) { add('div', f, 'finding'); });
    if (info.arithmetic.length) {
      add('strong', 'arithmetic');
      add('pre', info.arithmetic.join('\\n'), 'arithmetic');
    }
    add('strong', 'trace');
    add('pre', info.trace.join('\\n'));
  }
  document.querySelectorAll('.box').forEach(function (box) {
    box.addEventListener('click', function () { show(box); });
    box.addEventListener('mouseenter', function () { show(box); });
    box.addEventListener('keydown', function (ev) { if (ev.key === 'Enter') { show(box); } });
  });
  var first = document.querySelector('.box.failing') || document.querySelector('.box');
  if (first) { show(first); }
})();
"""


def html_page(pics: Sequence[Picture]) -> str:
    e = html.escape
    sections = [f'<section><h2>{e(pic.title)}</h2>{_svg(pi, pic)}</section>' for pi, pic in enumerate(pics)]
    if not sections:
        sections = ["<p>No models found.</p>"]
    return ("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>cnnlint shapes</title>"
            f"<style>{CSS}</style></head><body><header>cnnlint shapes: {len(pics)} model(s)</header>"
            f"<main><div id=\"models\">{''.join(sections)}</div>"
            "<aside id=\"details\">Hover or click a layer to see its trace and arithmetic.</aside></main>"
            f"<script>{JS}</script></body></html>")


def render(output_format: str, modules: Sequence[ModuleIR], diagnostics: Sequence[Diagnostic] = ()) -> str:
    pics = pictures(modules, diagnostics)
    if output_format == "dot":
        return dot(pics)
    if output_format == "mermaid":
        return mermaid(pics)
    return html_page(pics)
