"""Canonical API names: the one path each library function is known by, whatever module the
code reached it through (`tf.compat.v1.layers.conv2d`, `tensorflow.keras.layers.Conv2D`,
tfmot's re-export of tf_keras)."""

from __future__ import annotations

from functools import lru_cache

# Longest prefix first: module paths that name the same API.
_CANONICAL_PREFIXES = (
    ("tensorflow.compat.v1.", "tensorflow."),
    ("tensorflow.compat.v2.", "tensorflow."),
    ("tensorflow.python.keras.", "keras."),
    ("tensorflow.keras.", "keras."),
    # TF 1.2-1.4 shipped Keras as `tf.contrib.keras` (`tensorflow.contrib.keras.api.keras.layers`).
    ("tensorflow.contrib.keras.api.keras.", "keras."),
    ("tensorflow.contrib.keras.python.keras.", "keras."),
    ("tensorflow.contrib.keras.", "keras."),
    ("tf_keras.", "keras."),
    ("keras.src.", "keras."),
    ("tensorflow.contrib.slim.", "tensorflow.contrib.layers."),
)


# Modules that re-export a framework under a path of their own, and the framework's own path.
# tensorflow_model_optimization's compat module is tf_keras (Keras 2) where installed; it is read
# as the Keras of today where the two agree (see docs/design-decisions.md).
_REEXPORTS = (
    ("tensorflow_model_optimization.python.core.keras.compat.keras", "tf_keras"),
    ("keras.api._v2.keras", "keras"),
    ("keras.api._v1.keras", "keras"),
    ("keras._tf_keras.keras", "keras"),
    ("tf_keras.api._v2.keras", "tf_keras"),
    ("tf_keras.api._v1.keras", "tf_keras"),
    ("tf_slim", "tensorflow.contrib.slim"),
)


def reexported(path: str) -> str:
    """The framework's own path of a name reached through a module that re-exports it:
    `tensorflow_model_optimization.python.core.keras.compat.keras.layers.Conv2D` is
    `tf_keras.layers.Conv2D`, `tf_slim.conv2d` is `tensorflow.contrib.slim.conv2d`. Besides the
    known re-exports, a module `keras` inside a module `compat` (`from ...compat import keras`, the
    usual shim between tf.keras and tf_keras) is Keras; any other `keras` deeper in a path
    (`myproject.keras.layers`, `tfmot.sparsity.keras`) is not: it may be the project's own code."""
    for prefix, replacement in _REEXPORTS:
        if path == prefix or path.startswith(prefix + "."):
            return replacement + path[len(prefix):]
    parts = path.split(".")
    for i in range(len(parts) - 1, 0, -1):
        if parts[i] == "keras" and parts[i - 1] == "compat":
            return ".".join(("tf_keras", *parts[i + 1:]))
    return path


@lru_cache(maxsize=4096)
def canonical(path: str) -> str:
    path = reexported(path)
    changed = True
    while changed:
        changed = False
        for prefix, replacement in _CANONICAL_PREFIXES:
            if path.startswith(prefix):
                path = replacement + path[len(prefix):]
                changed = True
    return path
