"""`check --fix` / `--diff` over a whole run (the edits themselves are made by `cnnlint.fix`).

Per file, as ruff does: apply the fixes, check the new text again, and repeat until nothing
changes (at most `MAX_PASSES` times), so fixes that overlapped in one pass land in the next.
The file is written once, atomically, and only if the final text still parses; the findings
reported afterwards are those of the final text.
"""

from __future__ import annotations

import dataclasses
import io
import tokenize
from dataclasses import dataclass, field

from cnnlint import fix
from cnnlint.pipeline import Settings
from cnnlint.rules.base import offered
from cnnlint.runner import FileResult, check_notebook, check_source, read_bytes

MAX_PASSES = 10


@dataclass
class FixOutcome:
    results: list[FileResult]
    fixed: int = 0  # findings removed by fixes
    diff: str = ""  # with --diff: every change as a unified diff
    stdout: str | None = None  # code read from `-`, fixed, to print
    failures: list[str] = field(default_factory=list)


def _fixable(result: FileResult, unsafe: bool) -> bool:
    return any(offered(d.fix, unsafe) for d in result.diagnostics)


def fix_text(path: str, text: str, settings: Settings, notebook: bool,
              unsafe: bool) -> tuple[str, FileResult, int, str | None]:
    """The text after every pass of fixes, its final check, how many findings the fixes removed,
    and why a pass was refused (its result would not compile), if one was."""
    rules = settings.rules()

    def check(source: str) -> FileResult:
        return (check_notebook(source, path, rules, settings.options_for(path)) if notebook
                else check_source(source, path, rules, settings.options_for(path)))

    current = text
    result = check(current)
    before = len(result.diagnostics)
    refused = None
    for _ in range(MAX_PASSES):
        fixable = [d for d in result.diagnostics if offered(d.fix, unsafe)]
        if not fixable:
            break
        changed = fix.fix_notebook(current, fixable) if notebook else fix.apply_fixes(current, fixable)
        refused = changed.error
        if changed.source == current:
            break
        current = changed.source
        result = check(current)
    return current, result, max(before - len(result.diagnostics), 0), refused


def fix_run(results: list[FileResult], settings: Settings, write: bool, stdin: str | None = None,
            unsafe: bool = False) -> FixOutcome:
    """Fix every file of a run; when `stdin` is given, `results[0]` is the code read from `-`,
    whose fixed text goes to `stdout` (as ruff does) instead of a file. Safe fixes only, unless
    `unsafe` (`--unsafe-fixes`)."""
    outcome = FixOutcome(list(results), stdout=stdin if write else None)
    for index, result in enumerate(results):
        if result.error is not None or not _fixable(result, unsafe):
            continue
        notebook = result.path.endswith(".ipynb")
        from_stdin = stdin is not None and index == 0
        if from_stdin:
            original, encoding = stdin or "", "utf-8"
        else:
            data = read_bytes(result.path)
            if isinstance(data, FileResult):
                continue
            encoding = "utf-8" if notebook else tokenize.detect_encoding(io.BytesIO(data).readline)[0]
            original = data.decode(encoding)
        new, final, removed, refused = fix_text(result.path, original, settings, notebook, unsafe)
        if refused is not None:
            outcome.failures.append(f"{result.path}: fixes not applied: {refused}")
        if new == original:
            continue
        final.module = None
        outcome.results[index] = final
        outcome.fixed += removed
        if not write:
            outcome.diff += fix.unified_diff(result.path, original, new)
        elif from_stdin:
            outcome.stdout = new
        else:
            try:
                fix.write_atomic(result.path, new, encoding=encoding)
            except OSError as error:
                # The findings stay (nothing was fixed) and the run reports why, in `errors`.
                outcome.results[index] = dataclasses.replace(
                    result, error=f"cannot write the fixes: {error.strerror or error}")
                outcome.fixed -= removed
    return outcome
