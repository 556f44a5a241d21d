"""The Keras a file is written for: one target per namespace, and where each came from.

A project can pin two Keras APIs at once (`tensorflow==1.15` and `keras==2.2.4`), so the target
is kept per namespace, as the code reaches Keras:

- `keras`: what a plain `import keras` is;
- `tf.keras`: what `tensorflow.keras` / `tf.keras` is, the Keras a TensorFlow release ships
  (TF 1.x: its 2.1/2.2-era `tf.keras`, which never had standalone Keras's legacy conversions;
  TF 2.0-2.15: the matching Keras 2; TF 2.16 and later: Keras 3, or late Keras 2 where
  `TF_USE_LEGACY_KERAS=1`);
- the `tf_keras` package is late Keras 2 whatever the settings say.

Precedence, as ruff resolves `target-version`: `--keras-version` on the command line, then a
matching `per-file-keras-version` pattern, then `keras-version` in `[tool.cnnlint]`, then the
project's pins (`cnnlint.pins`), then the default, Keras 3. A version given on the command line
or in the configuration applies to both namespaces (a version before 2.0 to `keras` only: there
never was a Keras 1 `tf.keras`). The choice and its sources are in docs/keras-versions.md.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from functools import total_ordering

# A bare major version means the last release of that major (`--keras-version 2`).
LAST_RELEASE = {1: (1, 2, 2), 2: (2, 15, 0), 3: (3, 15, 0)}
# The `tf.keras` each TensorFlow release ships, in Keras's own numbering
# (`tf.keras.__version__`: "2.1.6-tf" in TF 1.9-1.12, "2.2.4-tf" in TF 1.13-2.1, "2.3.0-tf" in
# TF 2.2, "2.4.0" in TF 2.3 and 2.4; the same minor from TF 2.5 on; Keras 3 from TF 2.16).
_TF_KERAS = ((( 1, 0), (2, 0)), ((1, 9), (2, 1)), ((1, 13), (2, 2)), ((2, 2), (2, 3)), ((2, 3), (2, 4)),
             ((2, 5), (2, 5)))
KERAS_3_FROM_TF = (2, 16)
# `import keras` works with a TensorFlow pin alone from TF 2.6 on (TF depends on the `keras`
# package, which is its tf.keras); before, standalone Keras was a separate install.
KERAS_PACKAGE_FROM_TF = (2, 6)

_VERSION = re.compile(r"^\s*v?(\d+)(?:\.(\d+))?(?:\.(\d+))?")


@total_ordering
@dataclass(frozen=True)
class KerasVersion:
    """A Keras version, compared by (major, minor, patch)."""

    major: int
    minor: int = 0
    patch: int = 0

    @classmethod
    def parse(cls, text: str, bare_is_last: bool = True) -> KerasVersion | None:
        """`"2.2.4"`, `"1.2"`, `"3"` (a bare major: its last release, unless `bare_is_last` is False);
        None for anything else."""
        match = _VERSION.match(text)
        if match is None:
            return None
        major = int(match.group(1))
        if match.group(2) is None:
            if bare_is_last and major in LAST_RELEASE:
                return cls(*LAST_RELEASE[major])
            return cls(major)
        return cls(major, int(match.group(2)), int(match.group(3) or 0))

    @property
    def parts(self) -> tuple[int, int, int]:
        return (self.major, self.minor, self.patch)

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, KerasVersion):
            return NotImplemented
        return self.parts < other.parts

    def at_least(self, major: int, minor: int = 0) -> bool:
        return self.parts >= (major, minor, 0)

    def __str__(self) -> str:
        return f"{self.major}.{self.minor}" + (f".{self.patch}" if self.patch else "")


def tf_keras_of_tensorflow(tf_version: KerasVersion) -> KerasVersion:
    """The Keras version of `tf.keras` in a TensorFlow release."""
    if tf_version.major >= 3 or tf_version.parts[:2] >= KERAS_3_FROM_TF:
        return KerasVersion(3, 0)
    if tf_version.major == 2 and tf_version.minor >= 5:
        return KerasVersion(2, tf_version.minor)
    keras = (2, 0)
    for since, version in _TF_KERAS:
        if tf_version.parts[:2] >= since:
            keras = version
    return KerasVersion(*keras)


Source = str  # "--keras-version", "pyproject.toml: keras-version", "requirements.txt:3: keras==2.2.4", "default"
DEFAULT_SOURCE = "default"


@dataclass(frozen=True)
class KerasTarget:
    """One namespace's Keras, where it came from, and whether it is a TensorFlow's `tf.keras`."""

    version: KerasVersion
    source: Source = DEFAULT_SOURCE
    # A TensorFlow's own `tf.keras` (or the `tf_keras` package): never had the legacy conversions
    # of standalone Keras 2.0-2.3 (`keras/legacy/interfaces.py`).
    in_tensorflow: bool = False

    @property
    def stated(self) -> bool:
        """Whether the code's settings or pins say which Keras this is (not the default)."""
        return self.source != DEFAULT_SOURCE

    def describe(self) -> str:
        return f"{self.version}{' (tf.keras)' if self.in_tensorflow else ''}"


DEFAULT_KERAS = KerasTarget(KerasVersion(*LAST_RELEASE[3]))
DEFAULT_TF_KERAS = KerasTarget(KerasVersion(*LAST_RELEASE[3]), in_tensorflow=True)
# The `tf_keras` package: Keras 2 kept for TensorFlow 2.16+ (2.15 onwards, as TensorFlow).
TF_KERAS_PACKAGE = KerasTarget(KerasVersion(2, 21), "the tf_keras package", in_tensorflow=True)


@dataclass(frozen=True)
class KerasTargets:
    """The resolved targets of one file."""

    keras: KerasTarget = DEFAULT_KERAS
    tf_keras: KerasTarget = DEFAULT_TF_KERAS
    # `TF_USE_LEGACY_KERAS=1` stated by the settings or the pins' environment: tf.keras of a
    # TensorFlow 2.16+ is the tf_keras package.
    legacy_tf_keras: bool = False
    # The TensorFlow version the project pins, where it does (for TensorFlow's own behaviours, such
    # as its RNN cells', which the `tf.keras` version does not tell apart: TF 1.0-1.8 all ship 2.0/2.1).
    tensorflow: KerasVersion | None = None

    def for_name(self, written: str, legacy_in_code: bool = False) -> KerasTarget:
        """The target of a Keras name as the code reaches it (`tensorflow.keras.layers.Conv2D`,
        `keras.layers.Conv2D`, `tf_keras.layers.Conv2D`); `legacy_in_code`: the module set
        `os.environ["TF_USE_LEGACY_KERAS"] = "1"`."""
        if written.startswith("tf_keras."):
            return TF_KERAS_PACKAGE
        if written.startswith("keras.src."):
            return self.keras if self.keras.version.major >= 3 else DEFAULT_KERAS
        if written.startswith("tensorflow."):
            target = self.tf_keras
            if target.version.major >= 3 and (self.legacy_tf_keras or legacy_in_code):
                return TF_KERAS_PACKAGE
            return target
        return self.keras

    def as_dict(self) -> dict[str, object]:
        return {"keras": [str(self.keras.version), self.keras.source, self.keras.in_tensorflow],
                "tf_keras": [str(self.tf_keras.version), self.tf_keras.source, self.tf_keras.in_tensorflow],
                "legacy_tf_keras": self.legacy_tf_keras,
                "tensorflow": str(self.tensorflow) if self.tensorflow is not None else None}


def stated_targets(version: KerasVersion, source: Source, below: KerasTargets) -> KerasTargets:
    """`keras-version` from the command line or the configuration over the targets `below` it
    (the pins'): both namespaces, except a Keras 1 version, which only `import keras` ever was."""
    keras = KerasTarget(version, source)
    if version.major < 2:
        return KerasTargets(keras, below.tf_keras, below.legacy_tf_keras, below.tensorflow)
    return KerasTargets(keras, KerasTarget(version, source, in_tensorflow=True), below.legacy_tf_keras,
                        below.tensorflow)


@dataclass(frozen=True)
class VersionSettings:
    """`--keras-version`, `per-file-keras-version` and `keras-version`, before the pins."""

    cli: KerasVersion | None = None
    config: KerasVersion | None = None
    config_file: str = "the configuration"
    # (gitignore-style pattern relative to `root`, version), first match wins.
    per_file: tuple[tuple[str, KerasVersion], ...] = ()
    root: str = "."

    def stated_for(self, path: str) -> tuple[KerasVersion, Source] | None:
        """The version the command line or the configuration states for `path`, with its source."""
        if self.cli is not None:
            return self.cli, "--keras-version"
        if self.per_file:
            from cnnlint.discover import _spec

            full = os.path.abspath(path)
            relative = os.path.relpath(full, os.path.abspath(self.root)).replace(os.sep, "/")
            for pattern, version in self.per_file:
                if _spec([pattern]).match_file(relative):
                    return version, f"{self.config_file}: per-file-keras-version \"{pattern}\""
        if self.config is not None:
            return self.config, f"{self.config_file}: keras-version"
        return None
