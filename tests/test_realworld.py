"""The realworld corpus (tests/realworld/NNN-slug/{buggy,fixed}.py, format in tests/realworld/README.md).

static: each buggy program reports exactly its `# expect:` findings (code and line), each fixed one
reports nothing; a buggy program with `# missed:` reports nothing yet (so that the test fails, and
the line is removed, once cnnlint finds it). Each program is checked twice: for an unstated Keras (no
pins: `expect` / `missed`) and for the Keras its `# written-for:` names, as if the project pinned it
(`expect-pinned` / `missed-pinned`, which default to `expect` / `missed`).
run: the programs whose `# runs-with:` is not `none` run with the real library (tests/realworld/_run.py,
one subprocess per flavour and chunk of 20): a buggy one raises an exception whose message contains its
`# error:` text (a buggy one without `# error:` is a silent bug and must run), a fixed one runs.

`python tests/test_realworld.py --recall` prints found / missed per source kind.
"""

from __future__ import annotations

import json
import re
import subprocess
import sys
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "tests" / "realworld"
RUNNER = CORPUS / "_run.py"
FLAVOURS = ("keras3", "tf-keras", "tf1", "none")
CHUNK = 20  # programs per subprocess: importing TensorFlow costs seconds of CPU each time

HEADER = re.compile(r"^#\s*(?P<key>[a-z-]+):\s?(?P<value>.*)$")
# `keras 2.2.4`, `tensorflow 1.13 (tf.keras)`, `keras 2.2.4 / tensorflow 1.12`, `tensorflow-cpu 2.5`: a
# version with at least a minor (`keras 2.x` names none); the last one per package wins (`keras 2.2.4
# code run on keras 2.3`: 2.3 is the one that raised).
WRITTEN_FOR = re.compile(r"\b(keras|tensorflow(?:-cpu|-gpu)?|tf-keras)\s+(\d+\.\d+(?:\.\d+)?)\b")
EXPECT = re.compile(r"^(?P<code>CNN\d{3})\s*@\s*(?P<line>\d+)$")


@dataclass
class Program:
    path: Path
    fields: dict[str, list[str]] = field(default_factory=dict)

    @property
    def case(self) -> str:
        return self.path.parent.name

    @property
    def buggy(self) -> bool:
        return self.path.stem == "buggy"

    def one(self, key: str) -> str | None:
        values = self.fields.get(key)
        return values[0] if values else None

    @property
    def runs_with(self) -> str:
        return (self.one("runs-with") or "").strip()

    @property
    def expected(self) -> list[tuple[str, int]]:
        """(code, line) per `# expect:` line, sorted; a finding expected twice on one line is listed twice."""
        return self._expectations("expect")

    @property
    def expected_pinned(self) -> list[tuple[str, int]]:
        """The findings under the written-for Keras: `# expect-pinned:` lines, else `# expect:`."""
        return self._expectations("expect-pinned" if "expect-pinned" in self.fields else "expect")

    @property
    def missed(self) -> bool:
        """Missed for an unstated Keras: `# missed:` (both readings) or `# missed-unstated:` (only this one)."""
        return "missed" in self.fields or "missed-unstated" in self.fields

    @property
    def missed_pinned(self) -> bool:
        """Missed for the written-for Keras: `# missed-pinned:`, else `# missed:` unless `# expect-pinned:`
        or `# missed-unstated:` says it is found there."""
        if "missed-pinned" in self.fields:
            return True
        if "expect-pinned" in self.fields or "missed-unstated" in self.fields:
            return False
        return "missed" in self.fields

    def _expectations(self, key: str) -> list[tuple[str, int]]:
        found = []
        for value in self.fields.get(key, []):
            match = EXPECT.match(value.strip())
            if match:
                found.append((match.group("code"), int(match.group("line"))))
        return sorted(found)

    def pins(self) -> dict[str, str]:
        """package -> version, as the `# written-for:` header names them."""
        return {normalise_package(m.group(1)): m.group(2) for m in WRITTEN_FOR.finditer(self.one("written-for") or "")}


def normalise_package(name: str) -> str:
    return "tensorflow" if name.startswith("tensorflow") else name


def pinned_options(program: Program) -> object | None:
    """The FrontendOptions of a program read as if its project pinned what `# written-for:` names
    (None where it names no version), resolved as cnnlint resolves a project's pins."""
    from cnnlint.options import FrontendOptions
    from cnnlint.pins import Pin, ProjectPins, targets_from_pins
    from cnnlint.targets import KerasVersion

    pins = {}
    for package, text in program.pins().items():
        version = KerasVersion.parse(text, bare_is_last=False)
        if version is not None:
            pins[package] = Pin(package, version, "written-for", 1, f"{package}=={text}")
    if not pins:
        return None
    return FrontendOptions(keras=targets_from_pins(ProjectPins(None, pins)))


def parse(path: Path) -> Program:
    """The header: the `# key: value` lines at the top of the file (the first line that is not one ends it)."""
    program = Program(path)
    for line in path.read_text(encoding="utf-8").splitlines():
        match = HEADER.match(line)
        if not match:
            break
        program.fields.setdefault(match.group("key"), []).append(match.group("value").strip())
    return program


def programs() -> list[Program]:
    return [parse(p) for p in sorted(CORPUS.glob("[0-9][0-9][0-9]-*/*.py")) if p.stem in ("buggy", "fixed")]


ALL = programs()


def kind_of(case: str) -> str:
    """The source kind a case is filed under: the `# kind:` header of its buggy program, else `other`."""
    buggy = CORPUS / case / "buggy.py"
    return (parse(buggy).one("kind") if buggy.exists() else None) or "other"


# -- the format ------------------------------------------------------------------------------------------
def test_every_case_has_a_buggy_and_a_fixed_program_with_a_complete_header() -> None:
    cases = sorted({p.case for p in ALL})
    assert len(cases) >= 45
    for case in cases:
        assert (CORPUS / case / "buggy.py").exists() and (CORPUS / case / "fixed.py").exists(), case
    problems = []
    for program in ALL:
        where = f"{program.case}/{program.path.name}"
        for key in ("source", "written-for", "runs-with", "expect"):
            if key not in program.fields:
                problems.append(f"{where}: no `# {key}:`")
        if program.runs_with not in FLAVOURS:
            problems.append(f"{where}: runs-with {program.runs_with!r}")
        if program.buggy:
            if not program.expected or len(program.expected) != len(program.fields.get("expect", [])):
                problems.append(f"{where}: `# expect:` must be `CODE @ LINE` lines")
            if program.runs_with == "none" and "raised-by" not in program.fields:
                problems.append(f"{where}: runs-with none needs `# raised-by:`")
            pinned = program.fields.get("expect-pinned")
            if pinned is not None and pinned != ["nothing"] and len(program.expected_pinned) != len(pinned):
                problems.append(f"{where}: `# expect-pinned:` must be `CODE @ LINE` lines or `nothing`")
        elif program.missed or "missed-pinned" in program.fields \
                or program.fields.get("expect-pinned", ["nothing"]) != ["nothing"] \
                or (program.fields.get("expect") != ["nothing"] and not _keeps_its_keras1(program)):
            problems.append(f"{where}: a fixed program expects nothing and misses nothing (a Keras 1 program may "
                            f"expect its CNN007 / CNN016 for an unstated Keras, with `# expect-pinned: nothing`)")
    assert not problems, "\n".join(problems)


# -- static ----------------------------------------------------------------------------------------------
def findings(path: Path, options: object | None = None) -> list[tuple[str, int]]:
    from cnnlint.options import FrontendOptions
    from cnnlint.rules import select_rules
    from cnnlint.runner import check_file

    assert options is None or isinstance(options, FrontendOptions)
    result = check_file(str(path), select_rules(), options)
    assert result.error is None, result.error
    return sorted((d.code, d.loc.line) for d in result.diagnostics)


def _keeps_its_keras1(program: Program) -> bool:
    """A fixed program written for Keras 1 keeps Keras 1 spellings: for an unstated Keras it may expect
    CNN007 / CNN016 on them, provided it is clean for its own Keras (`# expect-pinned: nothing`)."""
    return program.fields.get("expect-pinned") == ["nothing"] and bool(program.expected) \
        and all(code in ("CNN007", "CNN016") for code, _ in program.expected) \
        and len(program.expected) == len(program.fields.get("expect", []))


@pytest.mark.parametrize("program", ALL, ids=lambda p: f"{p.case}/{p.path.stem}")
def test_static(program: Program) -> None:
    actual = findings(program.path)
    if not program.buggy:
        assert actual == (program.expected if _keeps_its_keras1(program) else []), \
            f"false positive on a fixed program: {actual}"
    elif program.missed:
        assert actual == [], (f"cnnlint now reports {actual} (expected {program.expected}); "
                                 f"if that is the expectation, remove the `# missed:` line")
    else:
        assert actual == program.expected


PINNED = [p for p in ALL if pinned_options(p) is not None]


@pytest.mark.parametrize("program", PINNED, ids=lambda p: f"{p.case}/{p.path.stem}")
def test_static_for_the_keras_it_was_written_for(program: Program) -> None:
    """The same, read for the Keras the asker used (`# written-for:` as the project's pins)."""
    actual = findings(program.path, pinned_options(program))
    if not program.buggy:
        assert actual == [], f"false positive on a fixed program under {program.pins()}: {actual}"
    elif program.missed_pinned:
        assert actual == [], (f"under {program.pins()} cnnlint now reports {actual}; if that is the "
                              f"expectation, write it as `# expect-pinned:` and drop `# missed-pinned:`")
    else:
        assert actual == program.expected_pinned, f"under {program.pins()}"


# -- run -------------------------------------------------------------------------------------------------
def chunks() -> list[tuple[str, list[Program]]]:
    by_flavour: dict[str, list[Program]] = defaultdict(list)
    for program in ALL:
        if program.runs_with != "none":
            by_flavour[program.runs_with].append(program)
    out = []
    for flavour in FLAVOURS:
        group = by_flavour.get(flavour, [])
        out += [(flavour, group[i:i + CHUNK]) for i in range(0, len(group), CHUNK)]
    return out


def run_chunk(flavour: str, group: list[Program]) -> dict[str, str | None]:
    """path -> the error the program ended with (None: it finished)."""
    result = subprocess.run([sys.executable, str(RUNNER), "--flavour", flavour, *(str(p.path) for p in group)],
                            capture_output=True, text=True, timeout=600, cwd=ROOT)
    lines = [line for line in result.stdout.splitlines() if line.startswith("RESULTS ")]
    assert result.returncode == 0 and lines, result.stderr[-3000:]
    return {entry["path"]: entry["error"] for entry in json.loads(lines[-1][len("RESULTS "):])}


@pytest.mark.tensorflow
@pytest.mark.parametrize(("flavour", "group"), chunks(),
                         ids=lambda v: v if isinstance(v, str) else f"{v[0].case}..{v[-1].case}")
def test_run(flavour: str, group: list[Program]) -> None:
    pytest.importorskip("tensorflow")
    ended = run_chunk(flavour, group)
    problems = []
    for program in group:
        where = f"{program.case}/{program.path.name} ({flavour})"
        error = ended[str(program.path)]
        wanted = program.one("error") if program.buggy else None
        if wanted is None and error is not None:
            problems.append(f"{where} should run but raised {error[:500]}")
        elif wanted is not None and (error is None or wanted not in error):
            problems.append(f"{where} should raise `{wanted}` but {'ran' if error is None else error[:500]}")
    assert not problems, "\n".join(problems)


# -- recall ----------------------------------------------------------------------------------------------
def recall() -> str:
    """found / missed per source kind, for an unstated Keras and for the written-for one, from the
    `# missed:` / `# missed-pinned:` lines (no analysis is run)."""
    found: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    found_pinned: Counter[str] = Counter()
    missed_pinned: Counter[str] = Counter()
    for program in ALL:
        if program.buggy:
            kind = kind_of(program.case)
            (missed if program.missed else found)[kind] += 1
            (missed_pinned if program.missed_pinned else found_pinned)[kind] += 1
    rows = [f"{'':<14} {'unstated Keras':>15} {'written-for Keras':>18}",
            f"{'kind':<14} {'found':>7} {'missed':>7} {'found':>9} {'missed':>8}"]
    for kind in sorted(set(found) | set(missed)):
        rows.append(f"{kind:<14} {found[kind]:>7} {missed[kind]:>7} {found_pinned[kind]:>9} {missed_pinned[kind]:>8}")
    rows.append(f"{'total':<14} {sum(found.values()):>7} {sum(missed.values()):>7} "
                f"{sum(found_pinned.values()):>9} {sum(missed_pinned.values()):>8}")
    return "\n".join(rows)


if __name__ == "__main__":
    if "--recall" in sys.argv:
        print(recall())
    else:
        print("usage: python tests/test_realworld.py --recall   (run the tests with pytest)")
