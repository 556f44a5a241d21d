"""A whole pretrained network applied as one op (`keras.applications.ResNet50(...)`): the sizes
its strided layers leave of each spatial axis, then its head (none, global pooling, classifier).

The steps of each network are listed by the front end that knows it (`frontend/keras/applications.py`,
read from Keras 3 and checked against it in tests/test_applications.py); this op only applies them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import Dim, non_positive
from cnnlint.shapes.registry import MaybeShape, OpAttrs, OpDecl, Result, check_rank, declare


@dataclass(frozen=True, kw_only=True)
class BackboneAttrs(OpAttrs):
    # Per spatial axis, in order: "same:s" (ceil(n / s)), "valid:k:s" (floor((n - k) / s) + 1),
    # "pad:p" (n + p, negative for a crop).
    steps: Sequence[str] = ()
    channels: int | None = None  # of the last feature map
    pooling: str | None = None  # "avg" / "max": global pooling to (batch, channels)
    classes: int | None = None  # the classifier head: (batch, classes)
    rank: int = 4


def _step(n: Dim, step: str) -> Dim:
    kind, *numbers = step.split(":")
    values = [int(v) for v in numbers]
    if kind == "same":
        return n.ceildiv(values[0])
    if kind == "valid":
        return (n - values[0]).floordiv(values[1]) + 1
    return n + values[0]


def backbone(inputs: Sequence[MaybeShape], attrs: BackboneAttrs) -> Result:
    """The network's output: `(batch, classes)` with its classifier, `(batch, channels)` with
    global pooling, else its last feature map. Unknown where a size would not be positive
    (Keras refuses such inputs before it builds anything)."""
    x = inputs[0]
    if x is None:
        return Result(None)
    bad = check_rank(x, attrs.rank, "input")
    if bad:
        return bad
    batch = x[0]
    if attrs.classes is not None:
        return Result((batch, Dim.const(attrs.classes)))
    channels = Dim.unknown() if attrs.channels is None else Dim.const(attrs.channels)
    if attrs.pooling is not None:
        return Result((batch, channels))
    spatial: list[Dim] = []
    for n in x[1:-1]:
        for step in attrs.steps:
            n = _step(n, step)
            if non_positive(n):
                return Result(None)
        spatial.append(n)
    return Result((batch, *spatial, channels))


def backbone_params(inputs: Sequence[MaybeShape], attrs: BackboneAttrs, output: MaybeShape) -> Dim | None:
    """Its weights are not counted here (they depend on the network's every layer)."""
    return None


BACKBONE = declare(OpDecl("backbone", BackboneAttrs, backbone, params=backbone_params,
                          not_rebuildable="a whole pretrained network; its table is checked against "
                                          "keras.applications in tests/test_applications.py"))
