"""The settings the front end reads, as one typed value passed from the configuration to the interpreter."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from cnnlint.targets import KerasTargets

DataFormat = Literal["channels_last", "channels_first"]


@dataclass(frozen=True)
class FrontendOptions:
    """`data-format` and `input-shapes` of `[tool.cnnlint]`, and the interpreter's time budget."""

    # Keras's `image_data_format()` for layers that do not say (`~/.keras/keras.json`).
    data_format: DataFormat = "channels_last"
    # `"Class"` or `"function.parameter"` -> the input sizes cnnlint should assume there.
    # A plain dict (never a mappingproxy): options travel to the worker processes of a run by pickle.
    input_shapes: Mapping[str, tuple[int, ...]] = field(default_factory=dict)
    # Wall-clock budget for interpreting one file, in seconds.
    file_seconds: float = 10.0
    # The Keras of each namespace the file is read for (`keras-version`, the pins; cnnlint.targets).
    keras: KerasTargets = field(default_factory=KerasTargets)
    # Follow imports of the project's own modules (cnnlint.project), searching `src` paths too.
    project_imports: bool = True
    src: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, object]:
        """The options as plain data: what the result cache's key records."""
        return {"data_format": self.data_format, "input_shapes": dict(self.input_shapes),
                "file_seconds": self.file_seconds, "keras": self.keras.as_dict(),
                "project_imports": self.project_imports, "src": list(self.src)}
