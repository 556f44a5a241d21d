"""The data fixtures are checked against TensorFlow itself: each buggy one really fails, each
clean one runs a training step. Datasets are replaced by zero arrays of the documented
per-example shapes (64 examples), so nothing is downloaded.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import FIXTURES
from tests.test_fixtures import expected_findings

pytest.importorskip("tensorflow")
pytestmark = pytest.mark.tensorflow

RUNNER = """
import os, runpy, sys
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
import numpy as np
import keras
SHAPES = {"mnist": ((28, 28), ()), "fashion_mnist": ((28, 28), ()), "cifar10": ((32, 32, 3), (1,)),
          "cifar100": ((32, 32, 3), (1,))}
for name, (x, y) in SHAPES.items():
    def load_data(x=x, y=y, **kwargs):
        return ((np.zeros((64, *x), "uint8"), np.zeros((64, *y), "uint8")),
                (np.zeros((16, *x), "uint8"), np.zeros((16, *y), "uint8")))
    getattr(keras.datasets, name).load_data = load_data
runpy.run_path(sys.argv[1], run_name="__main__")
"""

DATA = sorted((FIXTURES / "data").glob("*.py"))


@pytest.mark.parametrize("path", DATA, ids=lambda p: p.name)
def test_buggy_data_fixtures_fail_in_tensorflow_and_clean_ones_run(path: Path) -> None:
    result = subprocess.run([sys.executable, "-c", RUNNER, str(path)], capture_output=True, text=True,
                            timeout=300)
    if expected_findings(path):
        assert result.returncode != 0 and "ValueError" in result.stderr, result.stderr[-2000:]
    else:
        assert result.returncode == 0, result.stderr[-2000:]
