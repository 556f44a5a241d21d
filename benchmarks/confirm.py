"""How long `--confirm` takes: TensorFlow's import, and rebuilding N models in the worker.

    python benchmarks/confirm.py            # N = 1, 10, 100
    python benchmarks/confirm.py 1 50 400   # other sizes

Half the models are Keras `Sequential` CNNs (rebuilt as Keras layers), half raw `tf.nn`
graphs with `tf.Variable` weights (rebuilt as traced TensorFlow ops); every fourth one has a
planted flatten-size bug. Prints, per N: the wall time of `confirm.run` (the worker start and
TensorFlow's import included), the import alone, the rebuild alone, and the rebuild per model.
"""

from __future__ import annotations

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from cnnlint import confirm
from cnnlint.frontend import extract


def keras_model(i: int, rng: random.Random) -> str:
    size, filters, blocks = rng.choice([28, 32, 64]), rng.choice([16, 32]), rng.randint(1, 3)
    layers = [f"    layers.Input(shape=({size}, {size}, 3)),"]
    for b in range(blocks):
        layers.append(f"    layers.Conv2D({filters * 2 ** b}, 3, padding='same', activation='relu'),")
        layers.append("    layers.MaxPooling2D(2),")
    side, channels = size // 2 ** blocks, filters * 2 ** (blocks - 1)
    flat = side * side * channels + (7 if i % 4 == 0 else 0)
    layers += ["    layers.Flatten(),", f"    layers.Reshape(({flat},)),", "    layers.Dense(10),"]
    body = "\n".join("    " + line for line in layers)
    return f"def model_{i}():\n    return keras.Sequential([\n{body}\n    ])\n"


def raw_model(i: int, rng: random.Random) -> str:
    size = rng.choice([28, 32])
    flat = (size // 4) * (size // 4) * 64 + (1 if i % 4 == 0 else 0)
    return (
        f"def model_{i}():\n"
        f"    x = tf.compat.v1.placeholder(tf.float32, [None, {size}, {size}, 1])\n"
        "    w1 = tf.Variable(tf.zeros([5, 5, 1, 32]))\n"
        "    w2 = tf.Variable(tf.zeros([5, 5, 32, 64]))\n"
        "    h = tf.nn.max_pool(tf.nn.relu(tf.nn.conv2d(x, w1, 1, 'SAME')), 2, 2, 'SAME')\n"
        "    h = tf.nn.max_pool(tf.nn.relu(tf.nn.conv2d(h, w2, 1, 'SAME')), 2, 2, 'SAME')\n"
        f"    h = tf.reshape(h, [-1, {flat}])\n"
        f"    w3 = tf.Variable(tf.zeros([{flat}, 10]))\n"
        "    return tf.matmul(h, w3)\n"
    )


def modules(n: int) -> list:
    rng = random.Random(n)
    out = []
    for start in range(0, n, 10):  # ten models per file, as a real repository spreads them
        body = ["import tensorflow as tf", "import keras", "from keras import layers", ""]
        for i in range(start, min(start + 10, n)):
            body.append(keras_model(i, rng) if i % 2 == 0 else raw_model(i, rng))
        out.append(extract("\n".join(body), f"bench_{start}.py"))
    return out


def main() -> None:
    if not confirm.available():
        sys.exit("needs TensorFlow: pip install 'cnnlint[confirm]'")
    sizes = [int(a) for a in sys.argv[1:]] or [1, 10, 100]
    print(f"{'models':>7} {'graphs':>7} {'wall s':>8} {'import s':>9} {'rebuild s':>10} {'ms/model':>9}")
    for n in sizes:
        mods = modules(n)
        graphs = sum(len(m.graphs) for m in mods)
        started = time.perf_counter()
        outcome = confirm.run(mods, "cpu")
        wall = time.perf_counter() - started
        assert outcome.failure is None and not outcome.broken, (outcome.failure, outcome.broken)
        print(f"{n:>7} {graphs:>7} {wall:>8.2f} {outcome.import_seconds:>9.2f} {outcome.build_seconds:>10.2f} "
              f"{1000 * outcome.build_seconds / n:>9.1f}")
    print(f"TensorFlow {outcome.tensorflow} on {outcome.device}; batches 1 and 2 per model")


if __name__ == "__main__":
    main()
