"""Command line: `cnnlint [check] PATH...`, `shapes`, `rules`, `explain` (see SPEC.md)."""

from __future__ import annotations

import json
import sys
import textwrap
from typing import Any

import click

from cnnlint import __version__, confirm
from cnnlint.discover import discover
from cnnlint.ir import ModuleIR
from cnnlint.report import json_format, text
from cnnlint.rules import ALL_RULES, BY_CODE, Diagnostic, SelectionError, select_rules
from cnnlint.runner import FileResult, check_file, check_notebook, check_source

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2


class DefaultToCheck(click.Group):
    """`cnnlint PATH` means `cnnlint check PATH`, as `ruff PATH` once meant `ruff check PATH`."""

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        if not args or (args[0] not in self.commands and args[0] not in ("--help", "-h", "--version")):
            args = ["check", *args]
        return super().parse_args(ctx, args)


def _codes(value: str | None) -> list[str] | None:
    if value is None:
        return None
    return [c.strip().upper() for c in value.split(",") if c.strip()]


def _run(paths: tuple[str, ...], stdin_filename: str | None, rules: list[Any]) -> tuple[list[FileResult], int]:
    results: list[FileResult] = []
    files = 0
    for path in paths or (".",):
        if path == "-":
            code = sys.stdin.read()
            name = stdin_filename or "-"
            results.append(check_notebook(code, name, rules) if name.endswith(".ipynb") else
                           check_source(code, name, rules))
            files += 1
            continue
        for candidate in discover([path]):
            if candidate.error is not None:
                results.append(FileResult(candidate.path, error=candidate.error))
                continue
            files += 1
            results.append(check_file(candidate.path, rules))
    return results, files


@click.group(cls=DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cnnlint")
def main() -> None:
    """Find shape bugs in TensorFlow / Keras CNN code without running it."""


CONFIRM = click.option("--confirm", "confirm_findings", is_flag=True,
                       help="Rebuild each model in TensorFlow and confirm findings by running it (cnnlint[confirm]).")
DEVICE = click.option("--device", type=click.Choice(["cpu", "gpu", "auto"]), default="auto", show_default=True,
                      help="Where --confirm runs TensorFlow (auto: a GPU when one is visible).")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--select", help="Comma-separated rule codes or prefixes to enable (CNN = all rules).")
@click.option("--ignore", help="Comma-separated rule codes or prefixes to disable.")
@click.option("--extend-select", help="Rule codes or prefixes to add to the selection (e.g. opt-in rules).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option("--statistics", is_flag=True, help="Show counts per rule instead of individual findings.")
@click.option("--stdin-filename", help="Name to report for code read from '-'.")
@CONFIRM
@DEVICE
def check(
    paths: tuple[str, ...], output_format: str, select: str | None, ignore: str | None,
    extend_select: str | None, exit_zero: bool, statistics: bool, stdin_filename: str | None,
    confirm_findings: bool, device: str,
) -> None:
    """Check PATHS (files, directories, or - for stdin) for shape bugs."""
    try:
        rules = select_rules(_codes(select), _codes(ignore) or [], _codes(extend_select) or [])
    except SelectionError as error:
        raise click.UsageError(str(error)) from error
    results, files = _run(paths, stdin_filename, rules)
    diagnostics = [d for r in results for d in r.diagnostics]
    if confirm_findings:
        diagnostics = _confirmed(results, device)
    errors = [(r.path, r.error) for r in results if r.error is not None]
    if output_format == "json":
        click.echo(json_format.check_report(files, diagnostics, errors))
    elif statistics:
        click.echo(text.statistics(diagnostics))
    else:
        click.echo(text.check_report(diagnostics, errors))
    if any(r.internal for r in results):
        sys.exit(EXIT_ERROR)
    failed = bool(diagnostics or errors)
    sys.exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_CLEAN)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(), required=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--stdin-filename", help="Name to report for code read from '-'.")
@CONFIRM
@DEVICE
def shapes(paths: tuple[str, ...], output_format: str, stdin_filename: str | None, confirm_findings: bool,
           device: str) -> None:
    """Print every model's per-op output shapes (a static model.summary())."""
    results, _ = _run(paths, stdin_filename, [])
    modules = [r.module for r in results if r.module is not None]
    tensorflow = None
    if confirm_findings:
        outcome = _outcome(modules, device)
        tensorflow = [confirm.tensorflow_shapes(outcome, i, m) for i, m in enumerate(modules)]
        click.echo(f"TensorFlow shapes: {outcome.failure or outcome.by}", err=True)
    for r in results:
        if r.error is not None:
            click.echo(f"{r.path}: error: {r.error}", err=True)
        elif r.module is not None and r.module.syntax_error is not None:
            e = r.module.syntax_error
            click.echo(f"{r.path}:{e.line}:{e.column}: cannot parse the file: {e.message}", err=True)
    if output_format == "json":
        click.echo(json_format.shapes_report(modules, tensorflow))
    else:
        click.echo(text.shapes_report(modules, tensorflow))


def _outcome(modules: list[ModuleIR], device: str) -> confirm.Outcome:
    try:
        return confirm.run(modules, device)
    except confirm.ConfirmError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)


def _confirmed(results: list[FileResult], device: str) -> list[Diagnostic]:
    """Every diagnostic with TensorFlow's verdict (`--confirm`)."""
    modules: list[ModuleIR] = []
    flat: list[Diagnostic] = []
    module_of: dict[int, int] = {}
    for r in results:
        if r.module is not None:
            modules.append(r.module)
        for d in r.diagnostics:
            if r.module is not None:
                module_of[len(flat)] = len(modules) - 1
            flat.append(d)
    outcome = _outcome(modules, device)
    return confirm.confirm_diagnostics(flat, modules, module_of, outcome)


@main.command(name="rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> None:
    """List every rule with its code, name, severity and whether it is on by default."""
    if output_format == "json":
        table = [
            {"code": r.code, "name": r.name, "severity": r.severity, "default": not r.opt_in, "summary": r.summary}
            for r in ALL_RULES
        ]
        click.echo(json.dumps(table, indent=2))
        return
    for r in ALL_RULES:
        default = "opt-in " if r.opt_in else "default"
        click.echo(f"{r.code}  {r.name:<28} {r.severity:<8} {default}  {r.summary}")


@main.command()
@click.argument("code")
def explain(code: str) -> None:
    """Show the documentation of rule CODE with its examples."""
    rule = BY_CODE.get(code.upper())
    if rule is None:
        raise click.UsageError(f"unknown rule code: {code!r} (see `cnnlint rules`)")
    click.echo(f"# {rule.code} {rule.name} ({rule.severity}{', opt-in' if rule.opt_in else ''})\n")
    click.echo(rule.documentation())
    for title, examples in (("Flagged", rule.INVALID), ("Not flagged", rule.VALID)):
        for example in examples:
            click.echo(f"\n## {title}\n```python\n{textwrap.dedent(example).rstrip()}\n```")


if __name__ == "__main__":
    main()
