"""The habits ruff users bring (issue 18): output formats, `# noqa`, file-level suppressions,
`rule`, `--show-files`, `-o` into new directories, paths without `./`, `--watch`."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from xml.etree import ElementTree

import pytest
from click.testing import CliRunner

from cnnlint.cli import main

HEAD = "import tensorflow as tf\nx = tf.placeholder(tf.float32, [None, 7, 7, 64])\n"
BAD = "y = tf.reshape(x, [-1, 1024])"  # CNN001, with a safe fix
NOQA = "# " + "noqa"  # spelled apart so that ruff does not read this file's strings as its own directives


def run(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, ["check", "--no-cache", *args])
    return result.exit_code, result.output


def write(tmp_path: Path, body: str, name: str = "m.py", first: str = "") -> str:
    """`first` (comment lines) + HEAD + `body`."""
    path = tmp_path / name
    path.write_text(first + HEAD + body)
    return str(path)


def test_concise_is_one_line_per_finding_with_the_fixable_mark(tmp_path: Path) -> None:
    path = write(tmp_path, BAD + "\n")
    status, out = run("--output-format", "concise", path)
    assert status == 1
    assert out.splitlines() == [f"{path}:3:5: CNN001 [*] reshape to [-1, 1024] but `x` holds 7x7x64 = 3136 values "
                                "per example (shape (None, 7, 7, 64))"]


def test_format_stays_an_alias_and_text_means_full(tmp_path: Path) -> None:
    path = write(tmp_path, BAD + "\n")
    full = run("--output-format", "full", path)[1]
    assert run("--format", "text", path)[1] == full
    assert "shapes:" in full and "[*] 1 fixable with the `--fix` option." in full
    assert run("--format", "json", path)[1] == run("--output-format", "json", path)[1]


def test_json_lines_has_one_object_per_finding(tmp_path: Path) -> None:
    path = write(tmp_path, BAD + "\nz = tf.reshape(x, [-1, 100])\n")
    out = run("--output-format", "json-lines", path)[1]
    rows = [json.loads(line) for line in out.splitlines()]
    assert [(r["code"], r["line"]) for r in rows] == [("CNN001", 3), ("CNN001", 4)]
    assert rows[0]["fix"]["applicability"] == "safe"


def test_junit_parses_and_has_a_failing_case_per_finding(tmp_path: Path) -> None:
    bad = write(tmp_path, BAD + "\n")
    clean = write(tmp_path, "y = tf.reshape(x, [-1, 3136])\n", "clean.py")
    out = run("--output-format", "junit", bad, clean)[1]
    root = ElementTree.fromstring(out.split("\n", 1)[1])
    assert root.tag == "testsuites" and root.get("failures") == "1"
    failures = root.findall(".//testcase/failure")
    assert [f.get("type") for f in failures] == ["CNN001"]
    case = root.find(".//testcase[failure]")
    assert case is not None and case.get("classname") == bad and case.get("line") == "3"
    assert any(c.get("classname") == clean for c in root.iter("testcase"))


def test_gitlab_code_quality(tmp_path: Path) -> None:
    path = write(tmp_path, BAD + "\nz = tf.reshape(x, [-1, 1024])\n")
    issues = json.loads(run("--output-format", "gitlab", path)[1])
    assert [i["location"]["lines"]["begin"] for i in issues] == [3, 4]
    assert {i["check_name"] for i in issues} == {"CNN001"}
    assert issues[0]["severity"] == "major" and issues[0]["location"]["path"] == path
    assert issues[0]["description"].startswith("CNN001 reshape to [-1, 1024]")
    assert len({i["fingerprint"] for i in issues}) == 2  # the same message twice: still distinct


@pytest.mark.parametrize(("comment", "silenced"), [
    (f"{NOQA}: CNN001", True),
    (f"{NOQA}: E501, CNN001", True),
    (f"{NOQA}:CNN001,CNN004", True),
    (NOQA, True),
    (NOQA.upper(), True),
    (f"{NOQA}: E501", False),
    (f"{NOQA}: CNN004", False),
    ("# cnnlint: ignore[CNN001]", True),
    ("# cnnlint: ignroe[CNN001]", False),
    ("# cnnlint: ignore-me", False),
])
def test_noqa_and_cnnlint_comments(tmp_path: Path, comment: str, silenced: bool) -> None:
    path = write(tmp_path, f"{BAD}  {comment}\n")
    out = run("--output-format", "concise", path)[1]
    assert ("CNN001" in out) is not silenced, out


def test_ignore_file_silences_the_whole_file_or_its_codes(tmp_path: Path) -> None:
    body = f"{BAD}\n"
    assert run(write(tmp_path, body))[0] == 1
    assert run(write(tmp_path, body, first="# cnnlint: ignore-file\n"))[0] == 0
    assert run(write(tmp_path, body, first="# cnnlint: ignore-file[CNN001]\n"))[0] == 0
    status, out = run("--output-format", "concise", write(tmp_path, body, first="# cnnlint: ignore-file[CNN004]\n"))
    assert status == 1 and "CNN001" in out
    # Read only in the first comment block (before any code), and never as a line's `ignore`.
    assert run(write(tmp_path, body, first="#!/usr/bin/env python\n\n# cnnlint: ignore-file\n"))[0] == 0
    late = write(tmp_path, f"{BAD}  # cnnlint: ignore-file\n")
    out = run("--output-format", "concise", "--extend-select", "CNN100", late)[1]
    assert "CNN001" in out and "CNN100 `# cnnlint: ignore-file` is read only in the file's first comment block" in out


def test_unused_suppression_with_noqa(tmp_path: Path) -> None:
    path = write(tmp_path, f"z = tf.reshape(x, [-1, 3136])  {NOQA}: CNN001, E501\n"
                           f"w = tf.reshape(x, [-1, 3136])  {NOQA}\n"
                           f"v = tf.reshape(x, [-1, 3136])  {NOQA}: E501\n"
                           "u = tf.reshape(x, [-1, 3136])  # cnnlint: ignroe\n")
    Path(path).write_text("# cnnlint: ignore-file[CNN004]\n" + Path(path).read_text())
    out = run("--extend-select", "CNN100", "--output-format", "concise", path)[1]
    lines = out.splitlines()
    assert f"{path}:4:32: CNN100 `{NOQA}: ...` lists CNN001, which is not reported on this line" in lines
    assert any(line.startswith(f"{path}:7:32: CNN100 unknown `# cnnlint:` directive") for line in lines)
    assert any(line.startswith(f"{path}:1:1: CNN100 `# cnnlint: ignore-file[...]` lists CNN004") for line in lines)
    assert len(lines) == 3, out  # neither the bare one nor `E501` is cnnlint's to call unused


def test_rule_is_explain_and_takes_names() -> None:
    runner = CliRunner()
    by_code = runner.invoke(main, ["explain", "CNN001"]).output
    assert by_code.startswith("# CNN001 flatten-size-mismatch")
    assert runner.invoke(main, ["rule", "CNN001"]).output == by_code
    assert runner.invoke(main, ["rule", "flatten-size-mismatch"]).output == by_code
    assert runner.invoke(main, ["explain", "flatten-size-mismatch"]).output == by_code
    assert runner.invoke(main, ["rule", "no-such-rule"]).exit_code == 2


def test_show_files_lists_and_exits(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, BAD + "\n", "a.py")
    (tmp_path / "sub").mkdir()
    write(tmp_path, "\n", "sub/b.py")
    (tmp_path / "notes.txt").write_text("x")
    monkeypatch.chdir(tmp_path)
    status, out = run("--show-files", ".")
    assert status == 0
    assert out.splitlines() == ["a.py", os.path.join("sub", "b.py")]


def test_paths_have_no_leading_dot_slash(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, BAD + "\n", "a.py")
    monkeypatch.chdir(tmp_path)
    for args in (["."], ["./a.py"]):
        out = run("--output-format", "concise", *args)[1]
        assert out.startswith("a.py:3:5: CNN001"), out


def test_output_file_creates_parent_directories(tmp_path: Path) -> None:
    path = write(tmp_path, BAD + "\n")
    target = tmp_path / "reports" / "deep" / "cnnlint.xml"
    status, out = run("--output-format", "junit", "-o", str(target), path)
    assert status == 1 and out == ""
    assert ElementTree.parse(target).getroot().tag == "testsuites"


def test_watch_rechecks_after_an_edit(tmp_path: Path) -> None:
    path = write(tmp_path, BAD + "\n")
    env = {**os.environ, "CNNLINT_WATCH_MAX_RUNS": "2", "PYTHONPATH": str(Path(__file__).parent.parent)}
    proc = subprocess.Popen([sys.executable, "-m", "cnnlint", "check", "--no-cache", "--watch",
                             "--output-format", "concise", path], stdout=subprocess.PIPE, text=True, env=env)
    assert proc.stdout is not None
    first = proc.stdout.readline()
    assert "cnnlint check" in first
    deadline = time.monotonic() + 60
    report = proc.stdout.readline()
    assert "CNN001" in report
    time.sleep(1.1)  # a new mtime even on coarse file systems
    Path(path).write_text(HEAD + "y = tf.reshape(x, [-1, 3136])\n")
    try:
        rest, _ = proc.communicate(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        proc.kill()
    assert "File change detected" in rest
    assert "CNN001" not in rest.split("File change detected", 1)[1]
    assert proc.returncode == 0


NOTEBOOK4 = """{
 "cells": [
  {"cell_type": "markdown", "metadata": {}, "source": ["# title\\n"]},
  {
   "cell_type": "code", "execution_count": null, "metadata": {}, "outputs": [],
   "source": [
    "import tensorflow as tf\\n",
    "x = tf.placeholder(tf.float32, [None, 7, 7, 64])\\n",
    "y = tf.reshape(x, [-1, 1024])\\n"
   ]
  }
 ],
 "metadata": {}, "nbformat": 4, "nbformat_minor": 5
}
"""

NOTEBOOK3 = """{
 "metadata": {"name": ""}, "nbformat": 3, "nbformat_minor": 0,
 "worksheets": [
  {
   "cells": [
    {"cell_type": "heading", "level": 1, "metadata": {}, "source": ["Title"]},
    {
     "cell_type": "code", "collapsed": false, "language": "python", "metadata": {}, "outputs": [],
     "input": [
      "import tensorflow as tf\\n",
      "x = tf.placeholder(tf.float32, [None, 7, 7, 64])\\n",
      "y = tf.reshape(x, [-1, 1024])"
     ]
    }
   ],
   "metadata": {}
  }
 ]
}
"""


@pytest.mark.parametrize("text", [NOTEBOOK4, NOTEBOOK3], ids=["nbformat4", "nbformat3"])
def test_notebook_annotations_point_at_lines_of_the_ipynb(tmp_path: Path, text: str) -> None:
    path = tmp_path / "book.ipynb"
    path.write_text(text)
    file_lines = text.splitlines()
    want = next(i for i, line in enumerate(file_lines, start=1) if "tf.reshape" in line)
    concise = run("--output-format", "concise", str(path))[1]
    assert concise.startswith(f"{path}:cell 2:3:5: CNN001"), concise  # nbformat 3 is read, not refused
    github = run("--output-format", "github", str(path))[1]
    assert f"file={path},line={want},endLine={want}," in github
    sarif = json.loads(run("--output-format", "sarif", str(path))[1])
    result = sarif["runs"][0]["results"][0]
    assert result["locations"][0]["physicalLocation"]["region"] == {"startLine": want, "endLine": want}
    related = result["relatedLocations"][0]["physicalLocation"]["region"]
    assert "tf.placeholder" in file_lines[related["startLine"] - 1]


def test_one_string_source_maps_every_line_to_that_string() -> None:
    from cnnlint.ipynb import source_lines

    text = '{"cells": [{"cell_type": "code", "source": "a = 1\\nb = 2\\n"}]}'
    assert source_lines(text) == {1: [1, 1]}
    assert source_lines("not json") == {}


def test_sarif_fixes_for_fixable_results(tmp_path: Path) -> None:
    path = write(tmp_path, BAD + "\n")
    sarif = json.loads(run("--output-format", "sarif", path)[1])
    result = sarif["runs"][0]["results"][0]
    (fix,) = result["fixes"]
    (change,) = fix["artifactChanges"]
    assert change["artifactLocation"] == result["locations"][0]["physicalLocation"]["artifactLocation"]
    (replacement,) = change["replacements"]
    region = replacement["deletedRegion"]
    line = Path(path).read_text().splitlines()[region["startLine"] - 1]
    fixed = line[:region["startColumn"] - 1] + replacement["insertedContent"]["text"] + line[region["endColumn"] - 1:]
    assert fixed == "y = tf.reshape(x, [-1, 3136])"
    assert fix["description"]["text"] == "Replace `1024` with `3136`"
    unfixable = write(tmp_path, "import numpy as np\nz = np.zeros((8, 3)) + np.zeros((8, 4))\n", "nofix.py")
    results = json.loads(run("--output-format", "sarif", "--select", "CNN", unfixable)[1])["runs"][0]["results"]
    fixable = {r["line"] for r in json.loads(run("--output-format", "json", "--select", "CNN", unfixable)[1])
               ["diagnostics"] if r["fix"] is not None}
    assert {r["locations"][0]["physicalLocation"]["region"]["startLine"] for r in results if "fixes" in r} == fixable
