"""The pre-commit hooks of `.pre-commit-hooks.yaml`, run by the real pre-commit (`try-repo`).

pre-commit builds the hook's own virtualenv from this checkout (pip, from the package index),
so this test takes a minute the first time.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

pytest.importorskip("pre_commit")

BUGGY = (
    "from keras.models import Sequential\n"
    "from keras.layers import Dense\n"
    "\n"
    "model = Sequential()\n"
    "model.add(Dense(output_dim=10, input_dim=784))  # Keras 1 spelling\n"
)
CLEAN = "import tensorflow as tf\n\nx = tf.zeros([1, 28, 28, 1])\n"


def _git(*args: str, cwd: Path) -> None:
    subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True)


def _try_repo(hook: str, cwd: Path, home: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PRE_COMMIT_HOME": str(home), "CNNLINT_NO_CACHE": "1"}
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), hook, "--all-files"],
                          cwd=cwd, env=env, capture_output=True, text=True, timeout=900)


@pytest.mark.skipif(shutil.which("git") is None, reason="needs git")
def test_the_hook_fails_on_a_bug_and_passes_after_the_fix_hook(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    _git("init", "-q", cwd=project)
    _git("config", "user.email", "test@example.com", cwd=project)
    _git("config", "user.name", "test", cwd=project)
    (project / "buggy.py").write_text(BUGGY)
    (project / "clean.py").write_text(CLEAN)
    (project / "excluded").mkdir()
    (project / "excluded" / "also_buggy.py").write_text(BUGGY)
    (project / "pyproject.toml").write_text("[tool.cnnlint]\nextend-exclude = ['excluded/']\n")
    _git("add", ".", cwd=project)
    _git("commit", "-qm", "init", cwd=project)
    home = tmp_path / "pre-commit-home"

    first = _try_repo("cnnlint", project, home)
    assert first.returncode == 1, first.stdout + first.stderr
    assert "buggy.py:5" in first.stdout and "CNN007" in first.stdout
    assert "also_buggy" not in first.stdout  # --force-exclude honours the configured excludes

    fixed = _try_repo("cnnlint-fix", project, home)
    assert fixed.returncode == 1, fixed.stdout + fixed.stderr  # files were modified
    assert "Dense(units=10" in (project / "buggy.py").read_text()
    _git("add", ".", cwd=project)

    second = _try_repo("cnnlint", project, home)
    assert second.returncode == 0, second.stdout + second.stderr
