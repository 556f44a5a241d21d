"""Conventions the op families share: where channels sit, per-axis attributes, axis numbers.

Shapes include the batch axis; `data_format` is `channels_last` (NHWC) or `channels_first`
(NCHW); spatial attributes hold one entry per spatial axis. An attribute that is None is unknown
and makes the affected dimensions unknown rather than wrong.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from cnnlint.shapes.dim import Dim
from cnnlint.shapes.registry import OpAttrs, Shape

# Per-spatial-axis integers as the front ends give them: one per axis, or one for all.
PerAxis = Sequence[int | None] | int | None


@dataclass(frozen=True, kw_only=True)
class Layout(OpAttrs):
    """Attributes of an op on a feature map, which must know which axis holds the channels."""

    data_format: Literal["channels_last", "channels_first"] = "channels_last"
    # The layout came from the configured image data format, not the call (messages say so).
    layout_from_config: bool = False

    @property
    def channels_first(self) -> bool:
        return self.data_format == "channels_first"


def unknown_if_none(value: Dim | int | None) -> Dim:
    if value is None:
        return Dim.unknown()
    return Dim.of(value)


def split_channels(shape: Shape, channels_first: bool) -> tuple[Dim, Shape, Dim]:
    """(batch, spatial dims, channels) of a feature map."""
    if channels_first:
        return shape[0], shape[2:], shape[1]
    return shape[0], shape[1:-1], shape[-1]


def join_channels(batch: Dim, spatial: Sequence[Dim], channels: Dim, channels_first: bool) -> Shape:
    if channels_first:
        return (batch, channels, *spatial)
    return (batch, *spatial, channels)


def channels(x: Shape | None, attrs: Layout) -> Dim | None:
    """The channel count of a feature map (or the features of a vector), None if not known."""
    if x is None or len(x) < 2:
        return None
    return x[1] if attrs.channels_first else x[-1]


def per_axis(value: PerAxis, n: int, default: int | None) -> tuple[int | None, ...]:
    """One entry per spatial axis from a per-axis sequence, a single value, or None (the default)."""
    if value is None:
        return (default,) * n
    if isinstance(value, int):
        return (value,) * n
    return tuple(value)


def norm_axis(axis: int, rank: int) -> int | None:
    if -rank <= axis < rank:
        return axis % rank
    return None
