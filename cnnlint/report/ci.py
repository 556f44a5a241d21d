"""The one-line and CI formats of `check --output-format`: `concise`, `json-lines`, `junit`, `gitlab`
(ruff's names and shapes; docs/output.md)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from xml.etree import ElementTree

from cnnlint.findings import Diagnostic, offered
from cnnlint.report.json_format import diagnostic_json
from cnnlint.report.text import plain_message, position


def fixable_mark(d: Diagnostic, unsafe_fixes: bool) -> str:
    """ruff's `[*] ` before the message of a finding `--fix` would fix."""
    return "[*] " if offered(d.fix, unsafe_fixes) else ""


def concise_report(diagnostics: Sequence[Diagnostic], errors: Sequence[tuple[str, str]],
                   unsafe_fixes: bool = False) -> str:
    """`path:line:col: CODE [*] message`, one line per finding, no notes or trace: what editors and grep read."""
    out = [f"{position(d.path, d.loc.line, d.loc.column, d.cell)}: {d.code} {fixable_mark(d, unsafe_fixes)}"
           f"{d.message}" for d in diagnostics]
    out += [f"{path}: error: {message}" for path, message in errors]
    return "\n".join(out)


def json_lines_report(diagnostics: Sequence[Diagnostic], errors: Sequence[tuple[str, str]]) -> str:
    """One JSON object per line: each diagnostic as in `--output-format json`, then `{"path", "error"}`
    per file that could not be read."""
    out = [json.dumps(diagnostic_json(d), sort_keys=True) for d in diagnostics]
    out += [json.dumps({"path": path, "error": message}) for path, message in errors]
    return "\n".join(out)


def junit_report(diagnostics: Sequence[Diagnostic], errors: Sequence[tuple[str, str]],
                 files: Sequence[str] = ()) -> str:
    """JUnit XML as ruff writes it: one `testsuite` per file with findings (or errors), one failing
    `testcase` per finding; `files` adds a suite with a passing case for each clean file."""
    by_path: dict[str, list[Diagnostic]] = {}
    for d in diagnostics:
        by_path.setdefault(d.path, []).append(d)
    failed = {path for path, _ in errors}
    root = ElementTree.Element("testsuites", name="cnnlint", tests=str(len(diagnostics) + len(errors)),
                               failures=str(len(diagnostics) + len(errors)), errors="0")
    for path, found in by_path.items():
        suite = ElementTree.SubElement(root, "testsuite", name=path, tests=str(len(found)),
                                       failures=str(len(found)), errors="0")
        for d in found:
            where = position(d.path, d.loc.line, d.loc.column, d.cell)
            case = ElementTree.SubElement(suite, "testcase", name=f"cnnlint.{d.code}", classname=path,
                                          line=str(d.loc.line), column=str(d.loc.column))
            failure = ElementTree.SubElement(case, "failure", message=d.message, type=d.code)
            failure.text = f"{where}: {plain_message(d)}"
    for path, message in errors:
        suite = ElementTree.SubElement(root, "testsuite", name=path, tests="1", failures="1", errors="0")
        case = ElementTree.SubElement(suite, "testcase", name="cnnlint.error", classname=path)
        ElementTree.SubElement(case, "failure", message=message, type="error").text = f"{path}: {message}"
    clean = [p for p in files if p not in by_path and p not in failed]
    if clean:
        suite = ElementTree.SubElement(root, "testsuite", name="cnnlint", tests=str(len(clean)),
                                       failures="0", errors="0")
        for path in clean:
            ElementTree.SubElement(suite, "testcase", name="cnnlint", classname=path)
        root.set("tests", str(int(root.get("tests", "0")) + len(clean)))
    ElementTree.indent(root)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(root, encoding="unicode")


def fingerprint(d: Diagnostic) -> str:
    """A stable id of a finding for GitLab (rule, path, cell and message; not the line, which moves)."""
    key = "\0".join((d.code, d.path.replace("\\", "/"), str(d.cell or ""), d.message))
    return hashlib.sha256(key.encode("utf-8")).hexdigest()[:32]


def gitlab_report(diagnostics: Sequence[Diagnostic], errors: Sequence[tuple[str, str]]) -> str:
    """GitLab Code Quality (`artifacts:reports:codequality`): a JSON array of issues with
    `description`, `check_name`, `fingerprint`, `severity` and `location.path` / `location.lines.begin`."""
    issues: list[dict[str, object]] = []
    seen: dict[str, int] = {}
    for d in diagnostics:
        mark = fingerprint(d)
        # Two findings with the same rule and message in one file still need distinct fingerprints.
        seen[mark] = seen.get(mark, 0) + 1
        if seen[mark] > 1:
            mark = hashlib.sha256(f"{mark}:{seen[mark]}".encode()).hexdigest()[:32]
        message = d.message if d.cell is None else f"cell {d.cell}: {d.message}"
        issues.append({
            "description": f"{d.code} {message}",
            "check_name": d.code,
            "fingerprint": mark,
            "severity": "major" if d.severity == "error" else "minor",
            "location": {"path": d.path.replace("\\", "/"),
                         "lines": {"begin": d.loc.line, "end": max(d.loc.end_line, d.loc.line)}},
        })
    for path, message in errors:
        issues.append({
            "description": f"error: {message}", "check_name": "cnnlint-error",
            "fingerprint": hashlib.sha256(f"error\0{path}\0{message}".encode()).hexdigest()[:32],
            "severity": "blocker", "location": {"path": path.replace("\\", "/"), "lines": {"begin": 1}},
        })
    return json.dumps(issues, indent=2)
