"""Command line: `cnnlint [check] PATH...`, `shapes`, `rules`, `explain` (see SPEC.md)."""

from __future__ import annotations

import json
import os
import sys
import textwrap
from dataclasses import dataclass
from typing import TYPE_CHECKING

import click

from cnnlint import __version__, pipeline
from cnnlint.catalog import SelectionError
from cnnlint.config import Config, ConfigError, keras_version, load_file
from cnnlint.config import find as find_config
from cnnlint.discover import Candidate, Excluder, discover
from cnnlint.findings import Diagnostic
from cnnlint.pipeline import CACHE_DIR, Cache, Settings
from cnnlint.report import text
from cnnlint.runner import FileResult, check_notebook, check_source
from cnnlint.targets import KerasVersion

# A run answered from the cache imports neither the rules nor the front end nor the shape engine
# (tests/test_catalog.py): what needs them is imported where it is used.
if TYPE_CHECKING:
    from cnnlint import confirm
    from cnnlint.ir import ModuleIR

EXIT_CLEAN, EXIT_FINDINGS, EXIT_ERROR = 0, 1, 2
PICTURES = ("html", "dot", "mermaid")  # `shapes` formats drawn by cnnlint/report/pictures.py


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


@dataclass
class Run:
    """What one invocation found: a result per file, in input order, and how many files it read."""

    results: list[FileResult]
    files: int
    config: Config
    stdin: str | None = None  # the text read from `-`, for --fix


def _load_config(config_path: str | None) -> Config:
    try:
        return load_file(config_path) if config_path else find_config(".")
    except ConfigError as error:
        click.echo(f"error: {error}", err=True)
        sys.exit(EXIT_ERROR)


def _keras_version(value: str | None) -> KerasVersion | None:
    if value is None:
        return None
    try:
        return keras_version(value, "--keras-version")
    except ConfigError as error:
        raise click.BadParameter(f"not a Keras version: {value!r} (e.g. 1.2, 2.2.4, 3)",
                                 param_hint="'--keras-version'") from error


def _settings(config: Config, select: str | None, ignore: str | None, extend_select: str | None,
              keep_modules: bool = False, keras: str | None = None) -> Settings:
    """The command line over the configuration: `--select` replaces, `--ignore` and `--extend-select` add."""
    chosen = _codes(select)
    settings = Settings(
        select=tuple(chosen) if chosen is not None else config.select,
        ignore=(*config.ignore, *(_codes(ignore) or [])),
        extend_select=(*config.extend_select, *(_codes(extend_select) or [])),
        options=config.frontend_options(),
        keep_modules=keep_modules,
        versions=config.versions(_keras_version(keras)),
    )
    try:
        settings.validate()
    except SelectionError as error:
        raise click.UsageError(str(error)) from error
    return settings


def _collect(paths: tuple[str, ...], stdin_filename: str | None, config: Config, settings: Settings, jobs: int,
             use_cache: bool, force_exclude: bool, quiet: bool) -> Run:
    excluder = Excluder([*config.exclude, *config.extend_exclude], config.root, config.respect_gitignore)
    candidates: list[Candidate] = []
    stdin_text = None
    stdin_result = None
    for path in paths or (".",):
        if path == "-":
            stdin_text = sys.stdin.read()
            name = stdin_filename or "-"
            if force_exclude and stdin_filename and excluder.excluded_with_parents(stdin_filename):
                continue
            rules = settings.rules()
            options = settings.options_for(name if stdin_filename else "stdin.py")
            stdin_result = (check_notebook(stdin_text, name, rules, options) if name.endswith(".ipynb")
                            else check_source(stdin_text, name, rules, options))
            continue
        candidates.extend(discover([path], excluder, force_exclude))
    cache = None if not use_cache or settings.keep_modules else \
        Cache(os.path.join(config.root, CACHE_DIR), settings)
    progress = None
    bar = None
    if not quiet and len(candidates) >= PROGRESS_MIN_FILES and sys.stderr.isatty():
        bar = click.progressbar(length=len(candidates), file=sys.stderr, label="cnnlint")
        progress = bar.update
    try:
        results = pipeline.run(candidates, settings, jobs, cache, progress)
    finally:
        if bar is not None:
            bar.render_finish()
    if stdin_result is not None:
        results.insert(0, stdin_result)
    pipeline.apply_per_file_ignores(results, config.per_file_matchers())
    files = sum(1 for c in candidates if c.error is None) + int(stdin_result is not None)
    return Run(results, files, config, stdin_text)


PROGRESS_MIN_FILES = 200
OUTPUT_FORMATS = ["full", "text", "concise", "json", "json-lines", "junit", "gitlab", "github", "sarif"]


@click.group(cls=DefaultToCheck, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="cnnlint")
def main() -> None:
    """Find shape bugs in TensorFlow / Keras CNN code without running it."""


CONFIRM = click.option("--confirm", "confirm_findings", is_flag=True,
                       help="Rebuild each model in TensorFlow and confirm findings by running it (cnnlint[confirm]).")
DEVICE = click.option("--device", type=click.Choice(["cpu", "gpu", "auto"]), default="auto", show_default=True,
                      help="Where --confirm runs TensorFlow (auto: a GPU when one is visible).")
CONFIG = click.option("--config", "config_path", type=click.Path(dir_okay=False),
                      help="Configuration file (default: [tool.cnnlint] in the nearest pyproject.toml).")
STDIN = click.option("--stdin-filename", help="Name to report for code read from '-'.")
KERAS_VERSION = click.option("--keras-version", "keras", metavar="VERSION", envvar="CNNLINT_KERAS_VERSION",
                             help="The Keras the code is written for: 1.2, 2.2, 2.12, 3 ... (default: keras-version, "
                                  "else the project's pins, else 3); also CNNLINT_KERAS_VERSION.")
FORCE_EXCLUDE = click.option("--force-exclude", is_flag=True,
                             help="Apply excludes and .gitignore to files named on the command line too (pre-commit).")


@main.command()
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--output-format", "--format", "output_format", type=click.Choice(OUTPUT_FORMATS),
              default="full", show_default=True,
              help="full (text with traces; also `text`), concise (one line per finding), json, json-lines, "
                   "junit, gitlab, github or sarif.")
@click.option("--select", help="Comma-separated rule codes or prefixes to enable (CNN = all rules).")
@click.option("--ignore", help="Comma-separated rule codes or prefixes to disable.")
@click.option("--extend-select", help="Rule codes or prefixes to add to the selection (e.g. opt-in rules).")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when findings are reported.")
@click.option("--statistics", is_flag=True, help="Show counts per rule instead of individual findings.")
@click.option("--fix", is_flag=True, help="Apply the safe automatic fixes (CNN001, CNN007) in place.")
@click.option("--diff", is_flag=True, help="Print the fixes as a unified diff instead of writing them.")
@click.option("--unsafe-fixes/--no-unsafe-fixes", default=None,
              help="Also apply (or show) the fixes that cannot be checked to keep the code's meaning.")
@click.option("--quiet", "-q", is_flag=True, help="Print findings and nothing else.")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False), help="Write the report to this file.")
@click.option("--jobs", "-j", type=click.IntRange(min=1), default=None,
              help="Parallel processes (default: the number of CPUs).")
@click.option("--no-cache", is_flag=True, envvar="CNNLINT_NO_CACHE",
              help="Neither read nor write the result cache (.cnnlint_cache/); also CNNLINT_NO_CACHE=1.")
@click.option("--show-settings", is_flag=True, help="Print the resolved settings and where each came from, and exit.")
@click.option("--show-files", is_flag=True, help="List the files that would be checked, and exit.")
@click.option("--watch", "-w", is_flag=True,
              help="Check again whenever a checked file changes, and print the report anew.")
@STDIN
@CONFIG
@KERAS_VERSION
@FORCE_EXCLUDE
@CONFIRM
@DEVICE
def check(
    paths: tuple[str, ...], output_format: str, select: str | None, ignore: str | None,
    extend_select: str | None, exit_zero: bool, statistics: bool, fix: bool, diff: bool,
    unsafe_fixes: bool | None, quiet: bool, output_file: str | None, jobs: int | None, no_cache: bool,
    show_settings: bool, show_files: bool, watch: bool, stdin_filename: str | None, config_path: str | None,
    keras: str | None, force_exclude: bool, confirm_findings: bool, device: str,
) -> None:
    """Check PATHS (files, directories, or - for stdin) for shape bugs."""
    output_format = "full" if output_format == "text" else output_format
    config = _load_config(config_path)
    settings = _settings(config, select, ignore, extend_select, keep_modules=confirm_findings, keras=keras)
    if show_settings:
        from cnnlint.report.settings import show_settings as shown

        click.echo(shown(config, settings, paths or (".",), stdin_filename))
        sys.exit(EXIT_CLEAN)
    if show_files:
        excluder = Excluder([*config.exclude, *config.extend_exclude], config.root, config.respect_gitignore)
        for candidate in discover([p for p in paths or (".",) if p != "-"], excluder, force_exclude):
            if candidate.error is None:
                click.echo(candidate.path)
        sys.exit(EXIT_CLEAN)
    if watch:
        from cnnlint.watch import watch_loop

        argv = [a for a in sys.argv[1:] if a not in ("--watch", "-w")]
        sys.exit(watch_loop(argv, paths or (".",)))
    run = _collect(paths, stdin_filename, config, settings, jobs or os.cpu_count() or 1, not no_cache,
                   force_exclude, quiet or output_format != "full")
    unsafe = config.unsafe_fixes if unsafe_fixes is None else unsafe_fixes
    if fix or diff:
        from cnnlint import autofix

        outcome = autofix.fix_run(run.results, settings, write=fix and not diff, stdin=run.stdin, unsafe=unsafe)
        for failure in outcome.failures:
            click.echo(f"warning: {failure}", err=True)
        if diff:
            _emit(outcome.diff, output_file)
            sys.exit(EXIT_FINDINGS if outcome.diff and not exit_zero else EXIT_CLEAN)
        if outcome.stdout is not None:
            click.echo(outcome.stdout, nl=False)
        run.results = outcome.results
    diagnostics = [d for r in run.results for d in r.diagnostics]
    if confirm_findings:
        diagnostics = _confirmed(run.results, device)
    errors = [(r.path, r.error) for r in run.results if r.error is not None]
    fixed = outcome.fixed if fix and not diff else 0
    colour = output_format == "full" and not statistics and output_file is None and text.use_colour(sys.stdout)
    _emit(_report(output_format, statistics, quiet, run, diagnostics, errors, fixed, colour, unsafe),
          output_file, to_stderr=fix and run.stdin is not None, colour=colour)
    if any(r.internal for r in run.results):
        sys.exit(EXIT_ERROR)
    failed = bool(diagnostics or errors)
    sys.exit(EXIT_FINDINGS if failed and not exit_zero else EXIT_CLEAN)


def _report(output_format: str, statistics: bool, quiet: bool, run: Run, diagnostics: list[Diagnostic],
            errors: list[tuple[str, str]], fixed: int, colour: bool, unsafe_fixes: bool = False) -> str:
    if output_format == "json":
        from cnnlint.report import json_format

        return json_format.check_report(run.files, diagnostics, errors)
    if output_format in ("concise", "json-lines", "junit", "gitlab"):
        from cnnlint.report import ci

        if output_format == "concise":
            return ci.concise_report(diagnostics, errors, unsafe_fixes)
        if output_format == "json-lines":
            return ci.json_lines_report(diagnostics, errors)
        if output_format == "junit":
            return ci.junit_report(diagnostics, errors, [r.path for r in run.results])
        return ci.gitlab_report(diagnostics, errors)
    if output_format == "sarif":
        from cnnlint.report import sarif
        from cnnlint.rules import ALL_RULES

        return sarif.sarif_report(diagnostics, errors, ALL_RULES, run.config.root)
    if output_format == "github":
        from cnnlint.report import github

        return github.github_report(diagnostics, errors)
    if statistics:
        covered = [r.coverage for r in run.results]
        total = (sum(c[0] for c in covered), sum(c[1] for c in covered), sum(c[2] for c in covered))
        return text.statistics(diagnostics, total)
    return text.check_report(diagnostics, errors, colour=colour, quiet=quiet, fixed=fixed, unsafe_fixes=unsafe_fixes)


def _emit(report: str, output_file: str | None, to_stderr: bool = False, colour: bool = False) -> None:
    if output_file:
        try:
            parent = os.path.dirname(output_file)
            if parent:
                os.makedirs(parent, exist_ok=True)
            with open(output_file, "w", encoding="utf-8") as handle:
                handle.write(report + ("\n" if report else ""))
        except OSError as error:
            click.echo(f"error: cannot write {output_file}: {error.strerror or error}", err=True)
            sys.exit(EXIT_ERROR)
        return
    if report:
        click.echo(report, err=to_stderr, color=colour or None)


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(), required=True)
@click.option("--format", "output_format", type=click.Choice(["text", "json", *PICTURES]), default="text",
              show_default=True, help="html, dot, mermaid: a picture of each model (failing layers in red).")
@click.option("-o", "--output-file", type=click.Path(dir_okay=False), help="Write the report to a file.")
@click.option("--explain", "explain_shapes", is_flag=True,
              help="Show the arithmetic behind each size: `SAME: ceil(28 / 2) = 14`, `7 x 7 x 64 = 3136`.")
@STDIN
@CONFIG
@KERAS_VERSION
@CONFIRM
@DEVICE
def shapes(paths: tuple[str, ...], output_format: str, output_file: str | None, explain_shapes: bool,
           stdin_filename: str | None, config_path: str | None, keras: str | None, confirm_findings: bool,
           device: str) -> None:
    """Print every model's per-op output shapes (a static model.summary())."""
    config = _load_config(config_path)
    picture = output_format in PICTURES
    # A picture marks the layers where findings fail: it runs the configured rules too.
    settings = Settings(select=config.select if picture else (), ignore=config.ignore,
                        extend_select=config.extend_select, options=config.frontend_options(), keep_modules=True,
                        versions=config.versions(_keras_version(keras)))
    results = _collect(paths, stdin_filename, config, settings, 1, False, False, True).results
    modules = [r.module for r in results if r.module is not None]
    tensorflow = None
    if confirm_findings:
        from cnnlint import confirm

        outcome = _outcome(modules, device)
        tensorflow = [confirm.tensorflow_shapes(outcome, i, m) for i, m in enumerate(modules)]
        click.echo(f"TensorFlow shapes: {outcome.failure or outcome.by}", err=True)
    for r in results:
        if r.error is not None:
            click.echo(f"{r.path}: error: {r.error}", err=True)
        elif r.module is not None and r.module.syntax_error is not None:
            e = r.module.syntax_error
            click.echo(f"{r.path}:{e.line}:{e.column}: cannot parse the file: {e.message}", err=True)
    if picture:
        from cnnlint.report import pictures

        _emit(pictures.render(output_format, modules, [d for r in results for d in r.diagnostics]), output_file)
    elif output_format == "json":
        from cnnlint.report import json_format

        _emit(json_format.shapes_report(modules, tensorflow, explain_shapes), output_file)
    else:
        _emit(text.shapes_report(modules, tensorflow, explain_shapes), output_file)


def _outcome(modules: list[ModuleIR], device: str) -> confirm.Outcome:
    from cnnlint import confirm

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
    from cnnlint import confirm

    return confirm.confirm_diagnostics(flat, modules, module_of, outcome)


@main.command()
def server() -> None:
    """Run the language server over stdio (diagnostics, shapes on hover, quick fixes; cnnlint[server])."""
    try:
        from cnnlint.server import lsp
    except ImportError as error:
        click.echo(f"error: the language server needs cnnlint[server] (pygls, lsprotocol): {error}", err=True)
        sys.exit(EXIT_ERROR)
    lsp.main()


@main.command(name="rules")
@click.option("--format", "output_format", type=click.Choice(["text", "json"]), default="text", show_default=True)
def rules_command(output_format: str) -> None:
    """List every rule with its code, name, severity and whether it is on by default."""
    from cnnlint.rules import ALL_RULES

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
    """Show the documentation of rule CODE (or NAME, e.g. flatten-size-mismatch) with its examples."""
    _explain(code)


@main.command(name="rule")
@click.argument("code")
def rule_command(code: str) -> None:
    """Show the documentation of rule CODE or NAME (ruff's `rule`; the same as `explain`)."""
    _explain(code)


def _explain(code: str) -> None:
    from cnnlint.rules import ALL_RULES, BY_CODE

    rule = BY_CODE.get(code.upper()) or next((r for r in ALL_RULES if r.name == code.lower()), None)
    if rule is None:
        raise click.UsageError(f"unknown rule code: {code!r} (see `cnnlint rules`)")
    click.echo(f"# {rule.code} {rule.name} ({rule.severity}{', opt-in' if rule.opt_in else ''})\n")
    click.echo(rule.documentation())
    for title, examples in (("Flagged", rule.INVALID), ("Not flagged", rule.VALID)):
        for example in examples:
            click.echo(f"\n## {title}\n```python\n{textwrap.dedent(example).rstrip()}\n```")


if __name__ == "__main__":
    main()
