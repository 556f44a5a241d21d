"""Human-readable output: ruff-style `path:line:col: CODE message` with the shape trace below.

Colour (`colour=True`, decided by `use_colour`) only wraps parts of the same text in ANSI codes.
"""

from __future__ import annotations

import os
from collections import Counter
from collections.abc import Mapping
from typing import TYPE_CHECKING, TextIO

from cnnlint.findings import Diagnostic, TraceStep, offered

# The report of findings needs only their plain data; the shapes tables import the shape engine
# when they are printed (a run answered from the cache imports neither: docs/performance.md).
if TYPE_CHECKING:
    from cnnlint.ir import ModuleIR
    from cnnlint.report import summary
    from cnnlint.shapes import Dim, Weight

# Ops that keep the shape of their input add nothing to an explanation.
QUIET_OPS = frozenset({"identity", "bias_add", "broadcast"})


def _shape(values: tuple[int | str | None, ...] | None) -> str:
    """`(None, 28, 28, 32)`: an unknown first (batch) axis written `None`, as in the tables."""
    if values is None:
        return "(unknown)"
    inner = ", ".join(("None" if i == 0 else "?") if v is None else str(v) for i, v in enumerate(values))
    return f"({inner},)" if len(values) == 1 else f"({inner})"


def per_example(values: tuple[int | str | None, ...] | None) -> str:
    """`28x28x32`: the sizes after an unknown first (batch) axis; every size where the first is
    known, since it may be no batch (`np.random.randn(4000, 64)`: `4000x64`; labels: `4000`)."""
    if values is None:
        return "?"
    sizes = ["?" if v is None else str(v) for v in (values[1:] if values and values[0] is None else values)]
    return ("x" if all(t.isdigit() or t == "?" for t in sizes) else " x ").join(sizes) or "scalar"


def folded_steps(trace: tuple[TraceStep, ...]) -> list[TraceStep]:
    """The trace without steps that repeat the previous shape; empty when there is no path to show."""
    steps: list[TraceStep] = []
    for step in trace:
        if steps and step.shape == steps[-1].shape and step.shape is not None:
            continue
        steps.append(step)
    return steps if len(steps) >= 2 else []


def shape_path(trace: tuple[TraceStep, ...]) -> str | None:
    """`784 -> reshape 28x28x1 -> conv2d 28x28x32 -> ... -> reshape`, or None for a trivial trace."""
    steps = folded_steps(trace)
    if not steps:
        return None
    path = " -> ".join(
        (per_example(s.shape) if i == 0 else f"{s.op} {per_example(s.shape)}") for i, s in enumerate(steps[:-1])
    )
    last = steps[-1]  # the op that fails, or (a finding about data) the last one that made it
    return f"{path} -> {last.op}" + ("" if last.shape is None else f" {per_example(last.shape)}")


def step_shape(step: TraceStep, last: bool) -> str:
    """A trace step's shape as the trace prints it: `(?, 28, 28, 32)`, or `<- fails here` for the failing op."""
    return "<- fails here" if last and step.shape is None else _shape(step.shape)


def trace_lines(trace: tuple[TraceStep, ...]) -> list[str]:
    steps = folded_steps(trace)
    if not steps:
        return []
    lines = [f"  shapes: {shape_path(trace)}"]
    width = max(len(s.api or s.op) for s in steps)
    label_width = max(len(s.label or "") for s in steps)
    shapes = [step_shape(s, i == len(steps) - 1) for i, s in enumerate(steps)]
    shape_width = max(len(shape) for shape in shapes)
    for s, shape in zip(steps, shapes, strict=True):
        where = f"line {s.line:<4}" if not s.path else f"{os.path.basename(s.path)}:{s.line}"
        row = f"    {where} {(s.api or s.op):<{width}}  {(s.label or ''):<{label_width}}  {shape}"
        if s.call:  # which call of a helper called more than once made the step
            row = f"    {where} {(s.api or s.op):<{width}}  {(s.label or ''):<{label_width}}  " \
                  f"{shape:<{shape_width}}  in {s.call}"
        lines.append(row.rstrip())
        lines.extend(f"      {' ' * len(where)}{s.op} {working}" for working in s.explain)
    return lines


def position(path: str, line: int, column: int, cell: int | None = None) -> str:
    """`path:line:col`, or `path:cell N:line:col` in a notebook."""
    return f"{path}:{line}:{column}" if cell is None else f"{path}:cell {cell}:{line}:{column}"


def note_lines(d: Diagnostic) -> list[str]:
    """`note: path:line:col: message` per related location (rustc's and ruff's notes), unindented."""
    return [f"note: {position(r.path, r.loc.line, r.loc.column, r.cell)}: {r.message}" for r in d.related]


def plain_message(d: Diagnostic, notes: bool = True) -> str:
    """The finding for formats without room for the trace table (SARIF, GitHub): the message (after
    `cell N: ` in a notebook), a `note:` line per related location (unless `notes` is false: SARIF
    gives them as locations of their own), the `shapes:` path, and TensorFlow's verdict with `--confirm`."""
    lines = [d.message if d.cell is None else f"cell {d.cell}: {d.message}"]
    if notes:
        lines.extend(note_lines(d))
    path = shape_path(d.trace)
    if path is not None:
        lines.append(f"shapes: {path}")
    if d.extra.confirmation is not None:
        lines.append(d.extra.confirmation)
    return "\n".join(lines)


# ANSI SGR codes: plain escapes, so the output is the same with or without a colour library.
BOLD, DIM, RED, YELLOW = "1", "2", "31", "33"
SEVERITY_COLOUR = {"error": RED, "warning": YELLOW}


def style(text: str, *codes: str, colour: bool = True) -> str:
    """`text` wrapped in the ANSI codes (e.g. `style(x, BOLD, RED)`), or `text` itself without colour."""
    if not colour or not codes or not text:
        return text
    return f"\x1b[{';'.join(codes)}m{text}\x1b[0m"


def use_colour(stream: TextIO, env: Mapping[str, str] = os.environ) -> bool:
    """Whether to colour output to `stream`: NO_COLOR (non-empty) never, FORCE_COLOR (non-empty) always,
    else only on a terminal that is not `TERM=dumb` (the order CPython's own colouring follows)."""
    if env.get("NO_COLOR"):
        return False
    if env.get("FORCE_COLOR"):
        return True
    if env.get("TERM") == "dumb":
        return False
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty()) if callable(isatty) else False
    except (ValueError, OSError):  # a closed or detached stream
        return False


def check_report(
    diagnostics: list[Diagnostic], errors: list[tuple[str, str]], show_trace: bool = True, *, colour: bool = False,
    quiet: bool = False, fixed: int = 0, unsafe_fixes: bool = False,
) -> str:
    """`path:line:col: CODE [*] message` per finding (`[*]`: one `--fix` fixes), an indented
    `note: path:line:col: message` per related location (where the symptom shows), then its
    trace; with `colour`, the path bold, the code red (error) or yellow (warning) and the trace
    dimmed. `quiet`: findings and errors only, no summary;
    `fixed`: how many findings `--fix` removed, for ruff's "(2 fixed, 1 remaining)" summary, and
    ruff's line on the fixes left (`unsafe_fixes`: whether `--unsafe-fixes` is on)."""
    out: list[str] = []
    for d in diagnostics:
        where = position(d.path, d.loc.line, d.loc.column, d.cell)
        code = style(d.code, BOLD, SEVERITY_COLOUR.get(d.severity, RED), colour=colour)
        marker = "[*] " if offered(d.fix, unsafe_fixes) else ""  # ruff's: `--fix` fixes this one
        out.append(f"{style(where, BOLD, colour=colour)}: {code} {marker}{d.message}")
        for r in d.related:
            at = position(r.path, r.loc.line, r.loc.column, r.cell)
            out.append(f"  {style('note', BOLD, colour=colour)}: {style(at, BOLD, colour=colour)}: {r.message}")
        if d.extra.confirmation is not None:
            out.append(f"  {d.extra.confirmation}")
        if show_trace:
            out.extend(style(line, DIM, colour=colour) for line in trace_lines(d.trace))
    for path, message in errors:
        out.append(f"{style(path, BOLD, colour=colour)}: {style('error', BOLD, RED, colour=colour)}: {message}")
    if quiet:
        return "\n".join(out)
    count = len(diagnostics)
    if fixed:
        total = fixed + count
        out.append(f"Found {total} finding{'s' if total != 1 else ''} ({fixed} fixed, {count} remaining).")
        out.extend(_confirmation_summary(diagnostics))
    elif count:
        out.append(f"Found {count} finding{'s' if count != 1 else ''}.")
        out.extend(_confirmation_summary(diagnostics))
    elif not errors:
        out.append("All checks passed!")
    out.extend(_fixable_summary(diagnostics, unsafe_fixes))
    return "\n".join(out)


def _fixable_summary(diagnostics: list[Diagnostic], unsafe_fixes: bool) -> list[str]:
    """ruff's `[*] 2 fixable with the `--fix` option (1 hidden fix can be enabled with ...)`."""
    safe = sum(offered(d.fix, unsafe_fixes) for d in diagnostics)
    hidden = sum(d.fix is not None and not offered(d.fix, unsafe_fixes) for d in diagnostics)
    hint = f"{hidden} hidden fix{'es' if hidden != 1 else ''} can be enabled with the `--unsafe-fixes` option"
    if safe:
        return [f"[*] {safe} fixable with the `--fix` option" + (f" ({hint})." if hidden else ".")]
    return [f"No fixes available ({hint})."] if hidden else []


def _confirmation_summary(diagnostics: list[Diagnostic]) -> list[str]:
    """After `--confirm`: how many findings TensorFlow reproduced, and a plea for the ones it did not."""
    checked = [d for d in diagnostics if d.extra.confirmation is not None
               and (d.extra.node is not None or d.extra.feed is not None)]
    if not checked:
        return []
    confirmed = sum(d.confirmed is True for d in checked)
    disputed = sum(d.confirmed is False for d in checked)
    unchecked = len(checked) - confirmed - disputed
    line = f"TensorFlow confirmed {confirmed} of {len(checked)} shape finding{'s' if len(checked) != 1 else ''}"
    line += f", disputed {disputed}" + (f", could not check {unchecked}" if unchecked else "") + "."
    lines = [line]
    if disputed:
        lines.append("A disputed finding is a cnnlint bug: please report it with the model's code.")
    return lines


def statistics(diagnostics: list[Diagnostic], coverage: tuple[int, int, int] | None = None) -> str:
    """Counts per rule, then (with `coverage`: models, fully and partly shaped) how much was seen."""
    counts = Counter((d.code, d.name) for d in diagnostics)
    rows = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    lines = [f"{n:>5}\t{code}\t{name}" for (code, name), n in rows]
    if coverage is not None:
        models, fully, partly = coverage
        lines.append(f"models: {models} found, {fully} with every shape known, {partly} partly, "
                     f"{models - fully - partly} unknown")
    return "\n".join(lines)


def shapes_report(modules: list[ModuleIR], tensorflow: list[summary.TensorFlowShapes] | None = None,
                  explain: bool = False) -> str:
    """The `shapes` tables; `explain`: under each row the working behind its sizes (`--explain`)."""
    from cnnlint.report import summary

    out: list[str] = []
    for index, module in enumerate(modules):
        for table in summary.tables(module, None if tensorflow is None else tensorflow[index]):
            where = str(table.line) if table.cell is None else f"cell {table.cell}:{table.line}"
            kind = f" ({table.kind} {table.keras_name!r})" if table.kind else ""
            out.append(f"{table.path}:{where}: {table.title}{kind}")
            out.extend(table_text(table, explain))
            out.append("")
    if not any(summary.tables(module) for module in modules):
        out.append("No models found.")
    return "\n".join(out).rstrip()


def table_text(table: summary.Table, explain: bool = False) -> list[str]:
    """A table's lines as `shapes` prints them under its title (also the server's hover on a model)."""
    from cnnlint.report.render import formula_lines, formulas, shape_text

    keras = table.kind is not None
    functional = keras and table.kind != "Sequential"  # Keras's summary shows "connected to" for these
    rows: list[tuple[str, ...]] = []
    workings: list[list[str]] = []
    for row in table.rows:
        node = row.node
        workings.append(formula_lines(formulas(table.graph, node)) if explain and table.graph is not None else [])
        shape = batch_none(shape_text(node.shape)) if node.shape is not None else "(unknown)"
        problem = "  <-- " + ", ".join(dict.fromkeys(p.kind for p in node.problems)) if node.problems else ""
        line = str(row.line) if row.cell is None else f"cell {row.cell}:{row.line}"
        if row.node.loc.path:  # built by a helper of another project file
            line = f"{os.path.basename(row.node.loc.path)}:{row.line}"
        if keras:
            params = "" if node.layer is None else "?" if node.params is None else _count(node.params)
            cells: tuple[str, ...] = (line, node.layer or "", row.op, shape + problem, params,
                                      "" if node.layer is None else weights_text(row.weights))
        else:
            cells = (line, node.api, row.variable or "", shape + problem)
        if functional:
            cells = (*cells, ", ".join(connected_name(r) for r in table.connected_to(row)))
        if table.confirmed:
            cells = (*cells, _tensorflow_cell(row))
        rows.append(cells)
    headers: tuple[str, ...] = ("line", "layer", "type", "output shape", "params", "weights") if keras else \
        ("line", "op", "name", "output shape")
    if functional:
        headers = (*headers, "connected to")
    if table.confirmed:
        headers = (*headers, "tensorflow")
    widths = [max(len(h), *(len(r[i]) for r in rows)) if rows else len(h) for i, h in enumerate(headers)]
    lines = ["  " + "  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    for r, working in zip(rows, workings, strict=True):
        lines.append("  " + "  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip())
        lines.extend(f"  {'':<{widths[0]}}  {w}" for w in working)
    if table.unknown is not None:
        cell, at = table.unknown_place
        where = f"cell {cell}:{at}" if cell is not None else str(at)
        if table.unknown.node.loc.path:
            where = f"{os.path.basename(table.unknown.node.loc.path)}:{at}"
        lines.append(f"  Shapes unknown from line {where}: {table.unknown.reason}")
    if keras:
        total = table.total_params
        lines.append(f"  Total params: {'unknown' if total is None else _count(total)}")
        trainable, frozen = table.trainable_params, table.non_trainable_params
        if total is not None and trainable is not None and frozen is not None:
            lines.append(f"  Trainable params: {_count(trainable)}")
            lines.append(f"  Non-trainable params: {_count(frozen)}")
    return lines


def batch_none(shape: str) -> str:
    """`(None, 14, 14, 32)`: an unknown first (batch) axis written as Keras and TensorFlow print it."""
    return "(None" + shape[2:] if shape.startswith("(?") else shape


def connected_name(row: summary.Row) -> str:
    """How "connected to" names an input: the layer's name, else the variable, else the op."""
    return row.node.layer or row.variable or row.op


def weights_text(weights: list[Weight] | None) -> str:
    """`kernel (5, 300, 111), bias (111,)`; `moving_mean (64,) non-trainable`; `?` when unknown."""
    from cnnlint.report.render import shape_text

    if weights is None:
        return "?"
    return ", ".join(f"{w.name} {shape_text(w.shape)}" + ("" if w.trainable else " non-trainable") for w in weights)


def _tensorflow_cell(row: summary.Row) -> str:
    """TensorFlow's shape at batch 1 (`!=` marks a disagreement), its error, or `-` (not rebuilt)."""
    actual = row.tensorflow
    if actual is None:
        return "-"
    if isinstance(actual, str):
        return f"error: {actual[:60]}"
    mark = "" if row.agrees else "  != cnnlint"
    return _shape(tuple(actual)) + mark


def _count(n: Dim) -> str:
    if n.value is not None:
        return f"{n.value:,}"
    text = n.render()
    return "?" if text.count("?") > 1 else text  # `10*? + 10` says something; a polynomial of unknowns does not


def _place(module: ModuleIR, line: int) -> str:
    cell, in_cell = module.place(line)
    return str(in_cell) if cell is None else f"cell {cell}:{in_cell}"
