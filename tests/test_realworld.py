"""The realworld corpus (tests/realworld/NNN-slug/{buggy,fixed}.py, format in tests/realworld/README.md).

static: each buggy program reports exactly its `# expect:` findings (code and line), each fixed one
reports nothing; a buggy program with `# missed:` reports nothing yet (so that the test fails, and
the line is removed, once cnnlint finds it).
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
        found = []
        for value in self.fields.get("expect", []):
            match = EXPECT.match(value.strip())
            if match:
                found.append((match.group("code"), int(match.group("line"))))
        return sorted(found)


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
        elif program.fields.get("expect") != ["nothing"] or "missed" in program.fields:
            problems.append(f"{where}: a fixed program expects nothing and misses nothing")
    assert not problems, "\n".join(problems)


# -- static ----------------------------------------------------------------------------------------------
def findings(path: Path) -> list[tuple[str, int]]:
    from cnnlint.rules import select_rules
    from cnnlint.runner import check_file

    result = check_file(str(path), select_rules())
    assert result.error is None, result.error
    return sorted((d.code, d.loc.line) for d in result.diagnostics)


@pytest.mark.parametrize("program", ALL, ids=lambda p: f"{p.case}/{p.path.stem}")
def test_static(program: Program) -> None:
    actual = findings(program.path)
    if not program.buggy:
        assert actual == [], f"false positive on a fixed program: {actual}"
    elif "missed" in program.fields:
        assert actual == [], (f"cnnlint now reports {actual} (expected {program.expected}); "
                                 f"if that is the expectation, remove the `# missed:` line")
    else:
        assert actual == program.expected


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
    """found / missed per source kind, from the `# missed:` lines (no analysis is run)."""
    found: Counter[str] = Counter()
    missed: Counter[str] = Counter()
    for program in ALL:
        if program.buggy:
            (missed if "missed" in program.fields else found)[kind_of(program.case)] += 1
    rows = [f"{'kind':<14} {'found':>5} {'missed':>6}"]
    for kind in sorted(set(found) | set(missed)):
        rows.append(f"{kind:<14} {found[kind]:>5} {missed[kind]:>6}")
    rows.append(f"{'total':<14} {sum(found.values()):>5} {sum(missed.values()):>6}")
    return "\n".join(rows)


if __name__ == "__main__":
    if "--recall" in sys.argv:
        print(recall())
    else:
        print("usage: python tests/test_realworld.py --recall   (run the tests with pytest)")
