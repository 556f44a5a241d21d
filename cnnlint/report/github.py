"""GitHub Actions workflow commands (`check --format github`): one `::error` / `::warning` line per finding,
which the runner turns into an annotation on the pull request's diff.

Escaping follows `@actions/core` (`packages/core/src/command.ts`): `escapeProperty` for `key=value`
properties and `escapeData` for the message.
"""

from __future__ import annotations

from collections.abc import Sequence

from cnnlint.findings import Diagnostic
from cnnlint.report.text import plain_message


def escape_data(text: str) -> str:
    """A command's message: `%`, CR and LF percent-encoded (in that order, as `escapeData` does)."""
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    """A property value: as `escape_data`, and also `:` and `,`, which delimit properties."""
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def command(name: str, properties: Sequence[tuple[str, str | int]], message: str) -> str:
    """`::name key=value,key=value::message`, every part escaped."""
    props = ",".join(f"{key}={escape_property(str(value))}" for key, value in properties)
    return f"::{name}{' ' + props if props else ''}::{escape_data(message)}"


def annotation(d: Diagnostic) -> str:
    """One finding as an annotation. GitHub accepts columns only on a one-line range, so a range over several
    lines drops them. In a notebook, lines count within the cell, which the message names (`cell 3: ...`)."""
    loc = d.loc
    if d.cell is not None:  # lines of the .ipynb file's JSON text (ipynb.file_line), without columns
        from cnnlint.ipynb import file_line

        start = file_line(d.path, d.cell, loc.line)
        if start is not None:
            end = file_line(d.path, d.cell, max(loc.end_line, loc.line)) or start
            props_: list[tuple[str, str | int]] = [("file", d.path), ("line", start), ("endLine", max(end, start)),
                                                   ("title", f"{d.code} {d.name}")]
            return command("warning" if d.severity == "warning" else "error", props_, plain_message(d))
    props: list[tuple[str, str | int]] = [("file", d.path), ("line", loc.line)]
    if loc.end_line == loc.line:
        props += [("col", loc.column), ("endLine", loc.end_line), ("endColumn", max(loc.end_column, loc.column))]
    else:
        props.append(("endLine", max(loc.end_line, loc.line)))
    props.append(("title", f"{d.code} {d.name}"))
    return command("warning" if d.severity == "warning" else "error", props, plain_message(d))


def github_report(diagnostics: Sequence[Diagnostic], errors: Sequence[tuple[str, str]]) -> str:
    """One workflow command per line: each finding, then each file that could not be read."""
    out = [annotation(d) for d in diagnostics]
    out += [command("error", [("file", path)], message) for path, message in errors]
    return "\n".join(out)
