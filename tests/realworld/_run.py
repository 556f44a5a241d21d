"""Run realworld programs with the real library and report, as JSON, how each one ended.

    python tests/realworld/_run.py --flavour keras3|tf-keras|tf1 PROGRAM.py ...

One process runs several programs (importing TensorFlow costs seconds), each with `runpy.run_path`
in a fresh namespace, inside a fresh temporary working directory that holds tiny stand-in images
(`data/{train,validation,test}/{cats,dogs,birds}/*.png`, `data/binary/{cats,dogs}/*.png`,
`image.jpg` (RGB, 80x60), `digit.png` (RGB, 64x64), `logo.png` (RGBA, 64x64)), so programs that read images from disk find some. The bundled Keras
datasets are replaced by zero arrays of their real per-example shapes (64 train and 16 test
examples), so nothing is downloaded.

Flavours: `keras3` is TensorFlow with Keras 3 as `tf.keras`; `tf-keras` sets
`TF_USE_LEGACY_KERAS=1` (so `tf.keras` is tf-keras, Keras 2) and also maps the standalone
`keras` package onto `tf_keras`, so programs written for standalone Keras 2 run on Keras 2;
`tf1` is plain TensorFlow, the programs call `tf.compat.v1` themselves.

The last line of stdout is `RESULTS ` followed by a JSON list of
`{"path": ..., "ok": bool, "error": "Type: message" | null}`.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import io
import json
import os
import runpy
import sys
import tempfile
import traceback
import types
from collections.abc import Sequence
from pathlib import Path
from typing import Any

# (train images, train labels, test images, test labels) per-example shapes and dtypes.
DATASETS: dict[str, tuple[tuple[int, ...], tuple[int, ...], str]] = {
    "mnist": ((28, 28), (), "uint8"),
    "fashion_mnist": ((28, 28), (), "uint8"),
    "cifar10": ((32, 32, 3), (1,), "uint8"),
    "cifar100": ((32, 32, 3), (1,), "uint8"),
    "boston_housing": ((13,), (), "float64"),
}
TRAIN, TEST = 64, 16


class _AliasFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Makes `import keras.X` give the module `tf_keras.X` (one module object under both names)."""

    def __init__(self, alias: str, target: str) -> None:
        self.alias, self.target = alias, target

    def find_spec(self, fullname: str, path: Sequence[str] | None,
                  target: types.ModuleType | None = None) -> importlib.machinery.ModuleSpec | None:
        if fullname == self.alias or fullname.startswith(self.alias + "."):
            real = self.target + fullname[len(self.alias):]
            if importlib.util.find_spec(real) is None:
                return None
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> types.ModuleType:
        return importlib.import_module(self.target + spec.name[len(self.alias):])

    def exec_module(self, module: types.ModuleType) -> None:
        return None


def _set_flavour(flavour: str) -> None:
    os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
    os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")
    if flavour == "tf-keras":
        os.environ["TF_USE_LEGACY_KERAS"] = "1"
        for name in [m for m in sys.modules if m == "keras" or m.startswith("keras.")]:
            del sys.modules[name]
        sys.meta_path.insert(0, _AliasFinder("keras", "tf_keras"))
    else:
        os.environ.pop("TF_USE_LEGACY_KERAS", None)


def _patch_datasets(flavour: str) -> None:
    import numpy as np

    prefixes = ["keras.datasets", "keras.src.datasets", "keras._tf_keras.keras.datasets"]
    if flavour == "tf-keras":
        prefixes = ["tf_keras.datasets", "tf_keras.src.datasets"]
    for name, (x, y, dtype) in DATASETS.items():
        def load_data(*args: Any, x: tuple[int, ...] = x, y: tuple[int, ...] = y, dtype: str = dtype,
                      **kwargs: Any) -> Any:
            return ((np.zeros((TRAIN, *x), dtype), np.zeros((TRAIN, *y), dtype)),
                    (np.zeros((TEST, *x), dtype), np.zeros((TEST, *y), dtype)))
        for prefix in prefixes:
            with contextlib.suppress(ImportError):
                setattr(importlib.import_module(f"{prefix}.{name}"), "load_data", load_data)  # noqa: B010


def _stand_in_files(root: Path) -> None:
    from PIL import Image

    for split in ("train", "validation", "test"):
        for label in ("cats", "dogs", "birds"):
            folder = root / "data" / split / label
            folder.mkdir(parents=True)
            for i in range(2):
                Image.new("RGB", (40, 30), (40 * i, 90, 160)).save(folder / f"{label}{i}.png")
    for label in ("cats", "dogs"):
        folder = root / "data" / "binary" / label
        folder.mkdir(parents=True)
        for i in range(2):
            Image.new("RGB", (40, 30), (60 * i, 20, 200)).save(folder / f"{label}{i}.png")
    Image.new("RGB", (80, 60), (10, 200, 30)).save(root / "image.jpg")
    Image.new("RGB", (64, 64), (255, 255, 255)).save(root / "digit.png")
    Image.new("RGBA", (64, 64), (255, 0, 0, 128)).save(root / "logo.png")


def _reset(flavour: str) -> None:
    with contextlib.suppress(Exception):
        import tensorflow as tf

        tf.compat.v1.reset_default_graph()
        if flavour != "tf1":
            tf.keras.backend.clear_session()


def run(paths: Sequence[str], flavour: str) -> list[dict[str, Any]]:
    _set_flavour(flavour)
    import tensorflow as tf  # noqa: F401  (imported once, before the first program)

    _patch_datasets(flavour)
    results: list[dict[str, Any]] = []
    home = os.getcwd()
    for path in paths:
        program = str(Path(path).resolve())
        error: str | None = None
        with tempfile.TemporaryDirectory() as temp:
            _stand_in_files(Path(temp))
            os.chdir(temp)
            out = io.StringIO()
            try:
                with contextlib.redirect_stdout(out):
                    runpy.run_path(program, run_name="__main__")
            except BaseException as exc:  # a program's own SystemExit counts as ending with an error too
                error = f"{type(exc).__name__}: {exc}"
                if os.environ.get("REALWORLD_TRACEBACK"):
                    traceback.print_exc()
            finally:
                os.chdir(home)
        _reset(flavour)
        results.append({"path": path, "ok": error is None, "error": error})
    return results


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--flavour", choices=["keras3", "tf-keras", "tf1"], required=True)
    parser.add_argument("paths", nargs="+")
    args = parser.parse_args(argv)
    results = run(args.paths, args.flavour)
    print("RESULTS " + json.dumps(results))
    return 0


if __name__ == "__main__":
    sys.exit(main())
