"""SARIF 2.1.0 (`check --format sarif`), with the properties GitHub code scanning reads.

Paths are relative to the analysis root (`%SRCROOT%`); a notebook finding points at the notebook file with
the line inside its cell, and its message names the cell, because no SARIF viewer can show a cell.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from collections.abc import Sequence
from pathlib import Path, PurePath
from typing import Any
from urllib.parse import quote

import cnnlint
from cnnlint.ir import Loc
from cnnlint.report.text import folded_steps, per_example, plain_message
from cnnlint.rules import BY_CODE
from cnnlint.rules.base import Diagnostic, Related, Rule, TraceStep

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
SARIF_VERSION = "2.1.0"
INFORMATION_URI = "https://github.com/cnnlint/cnnlint"
# Where each rule's page (`docs/rules/CODE.md`) is published; the only place the docs URL is spelled.
RULE_DOCS_URL = "https://github.com/cnnlint/cnnlint/blob/main/docs/rules/"
SRCROOT = "%SRCROOT%"
# GitHub shows at most this many characters of a rule's `fullDescription`.
FULL_DESCRIPTION_LIMIT = 1000
FINGERPRINT_KEY = "cnnlint/v1"


def sarif_report(
    diagnostics: Sequence[Diagnostic],
    errors: Sequence[tuple[str, str]],
    rules: Sequence[type[Rule]] | Sequence[Rule],
    root: str,
) -> str:
    """The SARIF log of one run: `rules` (pass `ALL_RULES` to describe every rule) as `tool.driver.rules`,
    one result per diagnostic, and each file that could not be read as an error notification.

    A diagnostic whose rule is missing from `rules` adds that rule, so every `ruleIndex` resolves.
    """
    descriptors = _rule_classes(rules)
    for d in diagnostics:
        if d.code not in {r.code for r in descriptors} and d.code in BY_CODE:
            descriptors.append(BY_CODE[d.code])
    index = {rule.code: i for i, rule in enumerate(descriptors)}
    base = os.path.abspath(root)
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "cnnlint",
                "version": cnnlint.__version__,
                "informationUri": INFORMATION_URI,
                "rules": [rule_descriptor(rule) for rule in descriptors],
            }
        },
        "invocations": [_invocation(errors, base)],
        "originalUriBaseIds": {SRCROOT: {"uri": Path(base).as_uri().rstrip("/") + "/"}},
        "columnKind": "unicodeCodePoints",
        "results": [_result(d, index.get(d.code), base) for d in diagnostics],
    }
    log = {"$schema": SCHEMA_URI, "version": SARIF_VERSION, "runs": [run]}
    return json.dumps(log, indent=2)


def _rule_classes(rules: Sequence[type[Rule]] | Sequence[Rule]) -> list[type[Rule]]:
    out: list[type[Rule]] = []
    for rule in rules:
        cls = rule if isinstance(rule, type) else type(rule)
        if cls not in out:
            out.append(cls)
    return out


def rule_descriptor(rule: type[Rule]) -> dict[str, Any]:
    """A `reportingDescriptor`: what GitHub shows next to a result of the rule."""
    documentation = rule.documentation()
    tags = ["correctness", "shapes"] + (["opt-in"] if rule.opt_in else [])
    return {
        "id": rule.code,
        "name": rule.name,
        "shortDescription": {"text": rule.summary},
        "fullDescription": {"text": what_it_does(rule)},
        "help": {"text": documentation, "markdown": documentation},
        "helpUri": f"{RULE_DOCS_URL}{rule.code}.md",
        "defaultConfiguration": {"level": _level(rule.severity)},
        # A finding is reported only when the mismatch is certain: precision is very high by design.
        "properties": {"tags": tags, "precision": "very-high", "problem.severity": _level(rule.severity)},
    }


def what_it_does(rule: type[Rule]) -> str:
    """The "What it does" section of the rule's documentation, paragraphs unwrapped, at most 1000 characters."""
    match = re.search(r"^## What it does[ \t]*\n(.*?)(?=^## |\Z)", rule.documentation(), re.DOTALL | re.MULTILINE)
    section = match.group(1) if match else rule.summary
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n", section.strip()) if p.strip()]
    text = "\n\n".join(paragraphs) or rule.summary
    if len(text) > FULL_DESCRIPTION_LIMIT:
        text = text[:FULL_DESCRIPTION_LIMIT - 1].rstrip() + "…"
    return text


def _level(severity: str) -> str:
    return "warning" if severity == "warning" else "error"


def artifact_uri(path: str, base: str) -> dict[str, str]:
    """`{"uri": "src/model.py", "uriBaseId": "%SRCROOT%"}`; a file outside the root gets an absolute file URI."""
    absolute = os.path.abspath(path)
    try:
        relative: str | None = os.path.relpath(absolute, base)
    except ValueError:  # another drive on Windows
        relative = None
    if relative is None or relative == os.pardir or relative.startswith(os.pardir + os.sep):
        return {"uri": Path(absolute).as_uri()}
    return {"uri": quote(PurePath(relative).as_posix(), safe="/"), "uriBaseId": SRCROOT}


def region(loc: Loc) -> dict[str, int]:
    """A SARIF region: 1-based lines and columns, `endColumn` just past the last character (as `Loc` has it)."""
    start_line, start_column = max(loc.line, 1), max(loc.column, 1)
    end_line = max(loc.end_line, start_line)
    end_column = max(loc.end_column, 1)
    if end_line == start_line:
        end_column = max(end_column, start_column)
    return {"startLine": start_line, "startColumn": start_column, "endLine": end_line, "endColumn": end_column}


def notebook_region(path: str, cell: int | None, loc: Loc) -> dict[str, int]:
    """`region(loc)`; in a notebook, the lines of the `.ipynb` file's JSON text that hold the cell's lines
    (no columns: they count within the cell's code, not the JSON string), when the file can be read."""
    if cell is None:
        return region(loc)
    from cnnlint.ipynb import file_line

    start = file_line(path, cell, loc.line)
    if start is None:
        return region(loc)
    end = file_line(path, cell, max(loc.end_line, loc.line)) or start
    return {"startLine": start, "endLine": max(end, start)}


def _fixes(d: Diagnostic, artifact: dict[str, str]) -> list[dict[str, Any]]:
    """SARIF `fixes` (3.55) for a finding with a fix: one artifact change replacing each edit's
    region (`deletedRegion`) with its text (`insertedContent`); none in a notebook, whose edits count
    within cells, not the `.ipynb` text."""
    fix = d.fix
    if fix is None or d.cell is not None or any(e.cell is not None for e in fix.edits):
        return []
    replacements = [{"deletedRegion": region(e.loc), "insertedContent": {"text": e.content}} for e in fix.edits]
    text = fix.message if fix.applicability == "safe" else f"{fix.message} (unsafe: needs --unsafe-fixes)"
    return [{"description": {"text": text}, "artifactChanges": [{"artifactLocation": artifact,
                                                                 "replacements": replacements}]}]


def fingerprint(d: Diagnostic, uri: str) -> str:
    """Stable across runs while the rule, file, cell and message stay the same (lines may move)."""
    key = "\0".join((d.code, uri, "" if d.cell is None else str(d.cell), d.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def _result(d: Diagnostic, rule_index: int | None, base: str) -> dict[str, Any]:
    artifact = artifact_uri(d.path, base)
    result: dict[str, Any] = {"ruleId": d.code}
    if rule_index is not None:
        result["ruleIndex"] = rule_index
    result.update({
        "level": _level(d.severity),
        "message": {"text": _message(d)},
        "locations": [{"physicalLocation": {"artifactLocation": artifact,
                                            "region": notebook_region(d.path, d.cell, d.loc)}}],
        "partialFingerprints": {FINGERPRINT_KEY: fingerprint(d, artifact["uri"])},
    })
    related = _related_locations(d, artifact, base)
    if related:
        result["relatedLocations"] = related
    fixes = _fixes(d, artifact)
    if fixes:
        result["fixes"] = fixes
    if d.extra.confirmation is not None:
        result["properties"] = {"confirmed": d.confirmed, "confirmation": d.extra.confirmation}
    return result


def _message(d: Diagnostic) -> str:
    """`plain_message` with a `note: [path:line](id): message` line per related location, each linking
    to its `relatedLocations` entry (SARIF 3.11.6 embedded links), the way GitHub code scanning shows them."""
    first = _first_note_id(d)
    lines = plain_message(d, notes=False).split("\n")
    notes = [f"note: [{_note_place(r)}]({first + i}): {r.message}" for i, r in enumerate(d.related)]
    return "\n".join([lines[0], *notes, *lines[1:]])


def _note_place(r: Related) -> str:
    return f"{r.path}:{r.loc.line}" if r.cell is None else f"{r.path}:cell {r.cell}:{r.loc.line}"


def _trace_steps(d: Diagnostic) -> list[TraceStep]:
    """The trace steps shown as related locations: none in a notebook, whose trace lines do not say which
    cell they are in."""
    return [] if d.cell is not None else folded_steps(d.trace)


def _first_note_id(d: Diagnostic) -> int:
    return len(_trace_steps(d))


def _related_locations(d: Diagnostic, artifact: dict[str, str], base: str) -> list[dict[str, Any]]:
    """The shape trace, one location per op that changes the shape (ids from 0), then the finding's related
    locations (the symptom, an operand's producer: ids after the trace's), each with its message."""
    steps = _trace_steps(d)
    out: list[dict[str, Any]] = [
        {
            "id": i,
            "physicalLocation": {"artifactLocation": artifact if not step.path else artifact_uri(step.path, base),
                                 "region": {"startLine": max(step.line, 1)}},
            "message": {"text": _step_text(step, i == len(steps) - 1)},
        }
        for i, step in enumerate(steps)
    ]
    for i, r in enumerate(d.related, start=len(steps)):
        where = artifact if r.path == d.path else artifact_uri(r.path, base)
        text = r.message if r.cell is None else f"cell {r.cell}: {r.message}"
        out.append({"id": i, "physicalLocation": {"artifactLocation": where,
                                                  "region": notebook_region(r.path, r.cell, r.loc)},
                    "message": {"text": text}})
    return out


def _step_text(step: TraceStep, last: bool) -> str:
    """`conv2d 28x28x32` (`conv1`): the op and the per-example shape it produces."""
    if last and step.shape is None:
        shape = "fails here"
    else:
        shape = per_example(step.shape)
    label = f" (`{step.label}`)" if step.label else ""
    return f"{step.op} {shape}{label}"


def _invocation(errors: Sequence[tuple[str, str]], base: str) -> dict[str, Any]:
    invocation: dict[str, Any] = {"executionSuccessful": True}
    if errors:
        invocation["toolExecutionNotifications"] = [
            {
                "level": "error",
                "message": {"text": f"{path}: {message}"},
                "locations": [{"physicalLocation": {"artifactLocation": artifact_uri(path, base)}}],
            }
            for path, message in errors
        ]
    return invocation

