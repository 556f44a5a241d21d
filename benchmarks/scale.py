"""cnnlint on a repository-sized tree, against the floor a naive linter pays.

    python benchmarks/scale.py              # 2,000 files, one in ten holds a CNN model
    python benchmarks/scale.py --files 5000 --keep /tmp/tree

Generates the tree (deterministic), then prints side by side:

- parse-all: libcst-parsing every file in one process (what a linter that parses everything pays)
- cold: `cnnlint` with no cache (default --jobs), cache written
- warm: `cnnlint` again, every file answered from the cache
- one file: `cnnlint` on one small model file, cold (no cache) and warm, median and best of 7;
  and, on the same interpreter, bare `python -c pass` and importing only cnnlint's dependencies
  (libcst, click) and the stdlib modules it uses: the part of start-up cnnlint cannot save

Targets (issue 5): cold <= parse-all / 2, warm <= parse-all / 20, one small file < 0.3 s.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import libcst

MODEL_KERAS = '''\
import tensorflow as tf
from tensorflow.keras import layers


def build_{i}(num_classes={classes}):
    model = tf.keras.Sequential([
        layers.Input(shape=({size}, {size}, 3)),
        layers.Conv2D({filters}, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Conv2D({filters2}, 3, padding="same", activation="relu"),
        layers.MaxPooling2D(2),
        layers.Flatten(),
        layers.Dense(128, activation="relu"),
        layers.Dense(num_classes),
    ])
    return model


model = build_{i}()
model.compile(optimizer="adam", loss="sparse_categorical_crossentropy", metrics=["accuracy"])
'''

MODEL_RAW = '''\
import tensorflow as tf

x = tf.compat.v1.placeholder(tf.float32, [None, 784])
weights = {{
    "wc1": tf.Variable(tf.random.normal([5, 5, 1, 32])),
    "wc2": tf.Variable(tf.random.normal([5, 5, 32, 64])),
    "wd1": tf.Variable(tf.random.normal([{flat}, 1024])),
    "out": tf.Variable(tf.random.normal([1024, 10])),
}}


def conv_net_{i}(x):
    x = tf.reshape(x, [-1, 28, 28, 1])
    conv1 = tf.nn.relu(tf.nn.conv2d(x, weights["wc1"], strides=[1, 1, 1, 1], padding="SAME"))
    conv1 = tf.nn.max_pool(conv1, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    conv2 = tf.nn.relu(tf.nn.conv2d(conv1, weights["wc2"], strides=[1, 1, 1, 1], padding="SAME"))
    conv2 = tf.nn.max_pool(conv2, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding="SAME")
    fc1 = tf.reshape(conv2, [-1, {flat}])
    fc1 = tf.nn.relu(tf.matmul(fc1, weights["wd1"]))
    return tf.matmul(fc1, weights["out"])


logits = conv_net_{i}(x)
'''

ORDINARY_FUNCTION = '''

def {name}(items, limit={limit}, *, verbose=False):
    """Return the first `limit` cleaned items, {doc}."""
    result = []
    for index, item in enumerate(items):
        if index >= limit:
            break
        text = str(item).strip().lower()
        if not text or text.startswith("#"):
            continue
        parts = [p for p in text.split(",") if p]
        record = {{"index": index, "parts": parts, "size": len(parts) * {factor}}}
        if verbose:
            print(f"{{index}}: {{record}}")
        result.append(record)
    return sorted(result, key=lambda r: (r["size"], r["index"]))
'''

ORDINARY_CLASS = '''

class {name}:
    """A small service object ({doc})."""

    def __init__(self, name, retries={limit}):
        self.name = name
        self.retries = retries
        self._cache = {{}}

    def get(self, key, default=None):
        try:
            return self._cache[key]
        except KeyError:
            return default

    def put(self, key, value):
        if len(self._cache) > {factor} * 100:
            self._cache.clear()
        self._cache[key] = value
        return value
'''


def generate(root: Path, files: int, seed: int = 0) -> Path:
    rng = random.Random(seed)
    small = root / "pkg000" / "model_0000.py"
    for i in range(files):
        folder = root / f"pkg{i // 100:03d}"
        folder.mkdir(parents=True, exist_ok=True)
        if i % 10 == 0:
            size = rng.choice([28, 32, 64])
            text = MODEL_KERAS.format(i=i, classes=10, size=size, filters=32, filters2=64) if i % 20 == 0 else \
                MODEL_RAW.format(i=i, flat=rng.choice([7 * 7 * 64, 4 * 4 * 64]))
            (folder / f"model_{i:04d}.py").write_text(text)
            continue
        parts = ['"""Ordinary application code."""\n\nimport json\nimport os\nfrom pathlib import Path\n']
        for j in range(rng.randint(4, 10)):
            template = ORDINARY_CLASS if j % 3 == 2 else ORDINARY_FUNCTION
            parts.append(template.format(name=f"{'Helper' if j % 3 == 2 else 'clean'}_{i}_{j}",
                                         limit=rng.randint(1, 99), factor=rng.randint(1, 9), doc=f"variant {j}"))
        (folder / f"module_{i:04d}.py").write_text("".join(parts))
    return small


def parse_all(root: Path) -> float:
    started = time.perf_counter()
    for path in sorted(root.rglob("*.py")):
        libcst.parse_module(path.read_bytes())
    return time.perf_counter() - started


def timed(args: list[str], cwd: Path, env: dict[str, str] | None = None, repeat: int = 1) -> tuple[float, float]:
    """Median and best wall time of `repeat` runs."""
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        subprocess.run(args, cwd=cwd, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return statistics.median(times), min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--files", type=int, default=2000)
    parser.add_argument("--keep", type=Path, help="generate the tree here and keep it")
    options = parser.parse_args()
    root = options.keep or Path(tempfile.mkdtemp(prefix="cnnlint-bench-"))
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    (root / "pyproject.toml").write_text("[project]\nname = 'bench'\n")
    small = generate(root, options.files)
    env = {key: value for key, value in os.environ.items() if key != "CNNLINT_NO_CACHE"}
    cnnlint = [sys.executable, "-m", "cnnlint", "--exit-zero", "--quiet"]
    try:
        floor = parse_all(root)
        cold, _ = timed([*cnnlint, "."], root, env)
        warm, _ = timed([*cnnlint, "."], root, env, repeat=3)
        bare, bare_best = timed([sys.executable, "-c", "pass"], root, repeat=7)
        floor_imports = "import libcst, libcst.metadata, click, json, dataclasses, hashlib, tomllib"
        deps, deps_best = timed([sys.executable, "-c", floor_imports], root, repeat=7)
        one_cold, one_cold_best = timed([*cnnlint, "--no-cache", str(small)], root, repeat=7)
        one_warm, one_warm_best = timed([*cnnlint, str(small)], root, env, repeat=7)
        size = sum(p.stat().st_size for p in root.rglob("*.py"))
        print(f"tree: {options.files} files ({options.files // 10} with a CNN model), {size / 1e6:.1f} MB, "
              f"{os.cpu_count()} CPUs, Python {sys.version.split()[0]}")
        print(f"{'parse-all (libcst, 1 process)':<36}{floor:>8.2f} s")
        print(f"{'cnnlint cold (no cache)':<36}{cold:>8.2f} s   {cold / floor:6.1%} of parse-all (target <= 50%)")
        print(f"{'cnnlint warm (cache)':<36}{warm:>8.2f} s   {warm / floor:6.1%} of parse-all (target <= 5%)")
        print(f"{'one small file, no cache':<36}{one_cold:>8.3f} s   best {one_cold_best:.3f} s (target < 0.3 s)")
        print(f"{'one small file, cached':<36}{one_warm:>8.3f} s   best {one_warm_best:.3f} s")
        print(f"{'importing libcst, click, stdlib':<36}{deps:>8.3f} s   best {deps_best:.3f} s (the floor)")
        print(f"{'python -c pass (interpreter start)':<36}{bare:>8.3f} s   best {bare_best:.3f} s")
    finally:
        if options.keep is None:
            shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    main()
