"""`cnnlint check --show-settings`: the resolved settings, and where each came from (as ruff's
`--show-settings`). The Keras targets are resolved per file, so they are listed per group of
files that share them, with the file or pin each came from."""

from __future__ import annotations

import os
from collections.abc import Sequence
from typing import TYPE_CHECKING

from cnnlint.catalog import selected
from cnnlint.discover import Excluder, discover
from cnnlint.pins import project_pins
from cnnlint.targets import KerasTarget, KerasTargets

if TYPE_CHECKING:
    from cnnlint.config import Config
    from cnnlint.pipeline import Settings

MAX_GROUPS = 20


def show_settings(config: Config, settings: Settings, paths: Sequence[str], stdin_filename: str | None) -> str:
    where = os.path.relpath(config.path) if config.path else "none found (built-in defaults)"
    lines = [f"configuration: {where}"]
    rules = selected(list(settings.select) if settings.select is not None else None, settings.ignore,
                     settings.extend_select)
    lines.append(f"rules: {', '.join(r.code for r in rules)}")
    lines.append(f"data-format: {config.data_format}")
    if config.input_shapes:
        lines.append("input-shapes: " + ", ".join(f"{k} = {list(v)}" for k, v in config.input_shapes.items()))
    lines.append(f"follow-imports: {'true' if config.follow_imports else 'false'}"
                 + (f" (src: {', '.join(config.src)})" if config.src else ""))
    lines.append("keras-version (per file: the command line, the configuration, the project's pins, else 3):")
    groups: dict[KerasTargets, list[str]] = {}
    files = _files(config, paths, stdin_filename)
    for path in files:
        groups.setdefault(settings.options_for(path).keras, []).append(path)
    if not files:
        groups.setdefault(settings.options_for(os.path.join(paths[0] if paths else ".", "x.py")).keras, [])
    for i, (targets, members) in enumerate(groups.items()):
        if i == MAX_GROUPS:
            lines.append(f"  ... and {len(groups) - MAX_GROUPS} more groups of files")
            break
        lines.append(f"  {_members(members)}:")
        lines.append(f"    import keras  -> Keras {_target(targets.keras)}")
        lines.append(f"    tf.keras      -> Keras {_target(targets.tf_keras)}")
    problems = sorted({p for path in files for p in project_pins(os.path.dirname(os.path.abspath(path))).problems})
    lines += [f"  warning: {p}" for p in problems]
    return "\n".join(lines)


def _target(target: KerasTarget) -> str:
    return f"{target.version}  ({'default' if not target.stated else 'from ' + target.source})"


def _files(config: Config, paths: Sequence[str], stdin_filename: str | None) -> list[str]:
    excluder = Excluder([*config.exclude, *config.extend_exclude], config.root, config.respect_gitignore)
    out: list[str] = []
    for path in paths:
        if path == "-":
            out.append(stdin_filename or "stdin.py")
            continue
        out.extend(c.path for c in discover([path], excluder) if c.error is None)
    return out


def _members(members: list[str]) -> str:
    if not members:
        return "files here"
    directories = sorted({os.path.dirname(m) or "." for m in members})
    if len(members) == 1:
        return members[0]
    shown = ", ".join(d + "/" for d in directories[:3]) + (", ..." if len(directories) > 3 else "")
    return f"{len(members)} files in {shown}"
