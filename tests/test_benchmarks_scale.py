"""benchmarks/scale.py's scale curve still runs, at two tiny sizes (speed figures belong to the
benchmarks, never to a test: nothing here is timed; only that the figures are there and agree)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT


def test_the_scale_curve_measures_cold_and_warm_runs_at_each_size(tmp_path: Path) -> None:
    scratch = tmp_path / "tmp"
    scratch.mkdir()
    out = tmp_path / "curve.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "scale.py"), "--curve", "40,20",
                           "--curve-jobs", "1", "--parse-max", "20", "--json", str(out)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path, env={**os.environ, "TMPDIR": str(scratch)})
    assert done.returncode == 0, done.stdout + done.stderr
    assert not list(scratch.iterdir())  # the trees are generated in temporary folders, and removed
    result = json.loads(out.read_text(encoding="utf-8"))
    assert result["jobs"] == [1] and result["parse_max"] == 20 and result["checkout"] == str(ROOT)
    assert [e["files"] for e in result["sizes"]] == [20, 40]  # smallest first
    for entry in result["sizes"]:
        files = entry["files"]
        assert entry["models"] == files // 10 and entry["bytes"] > 0
        assert [(r["mode"], r["jobs"]) for r in entry["runs"]] == [("cold", 1), ("warm", 1)]
        measured = [entry["parse"], *entry["runs"]] if entry["parse"] is not None else entry["runs"]
        for run in measured:
            assert run["exit"] == 0 and not run["timed_out"]
            assert run["cpu_s"] > 0 and run["wall_s"] > 0 and run["peak_mb"] > 0
            assert run["cpu_s"] == pytest.approx(run["user_s"] + run["sys_s"])
            assert run["cpu_ms_per_file"] == pytest.approx(run["cpu_s"] * 1000 / files)
            assert run["wall_ms_per_file"] == pytest.approx(run["wall_s"] * 1000 / files)
        cold, warm = entry["runs"]
        assert cold["files_checked"] == warm["files_checked"] == files
        assert cold["report_sha256"] == warm["report_sha256"]  # the cache answers what the analysis did
        # One entry per model file (the others never pass the prefilter), all written cold, none warm.
        assert cold["cache_entries"] == cold["cache_written"] == warm["cache_entries"] == entry["models"]
        assert warm["cache_written"] == 0
    small, large = result["sizes"]
    assert small["parse"]["failed"] == 0 and small["parse"]["loop_cpu_s"] > 0
    assert large["parse"] is None  # over --parse-max
    flat = {f["run"]: f for f in result["flat"]}
    assert sorted(flat) == ["cold --jobs 1", "warm --jobs 1"]  # the parse is measured at one size only
    for name, item in flat.items():
        first, last = (next(r for r in e["runs"] if f"{r['mode']} --jobs {r['jobs']}" == name) for e in (small, large))
        assert (item["first_files"], item["last_files"]) == (20, 40)
        assert item["cpu_ratio"] == pytest.approx(last["cpu_ms_per_file"] / first["cpu_ms_per_file"])
        assert item["flat"] == (item["cpu_ratio"] <= 1.25)
        assert f"per file, 40 vs 20 files, {name}: CPU {item['cpu_ratio']:.2f}x" in done.stdout
    assert "report: 40 files checked" in done.stdout and "parse (libcst)" in done.stdout
