"""The problem details of the op families (one `ProblemDetails` dataclass per kind, with the
subclasses rules tell apart) and the few names front ends and rules share with the families.

They live here, not in the family modules that emit them, so that a rule or a front end can name
them without importing (and declaring) the families: the families load on first use
(`registry.DECLARED_IN`). `Rank` and `BuiltAxis`, which `registry.infer` itself emits, stay there.
"""

from __future__ import annotations

from dataclasses import dataclass

from cnnlint.shapes.dim import Dim
from cnnlint.shapes.registry import (
    CHANNELS,
    FLATTEN_SIZE,
    INNER_DIM,
    MERGE,
    NON_POSITIVE,
    RESHAPE_SIZE,
    STRIDED_REMAINDER,
    WEIGHT_SHAPE,
    MaybeShape,
    ProblemDetails,
    Shape,
)

# One spatial axis's padding: a mode, or explicit (before, after) rows.
AxisPadding = str | tuple[int, int] | None


# -- convolution.py: windows and channels ------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class WindowAxis(ProblemDetails):
    """A window (or a crop) along one spatial axis: the sizes a message about that axis shows."""

    op: str  # conv, pool, conv_transpose, crop
    axis: int  # among the spatial axes
    spatial_rank: int
    size: Dim  # the input along the axis
    output: Dim
    kernel: Dim | int | None = None
    stride: int | None = None
    dilation: int | None = None
    padding: AxisPadding = None
    leftover: Dim | None = None
    shape: Shape | None = None  # the input, for the ops whose message shows it
    output_padding: int | None = None


@dataclass(frozen=True, kw_only=True)
class NonPositive(WindowAxis):
    """The window does not fit: the output along `axis` would be `output` <= 0."""

    kind = NON_POSITIVE


@dataclass(frozen=True, kw_only=True)
class StridedRemainder(WindowAxis):
    """A `VALID` window never reads the last `leftover` rows along `axis` (not an error)."""

    kind = STRIDED_REMAINDER
    leftover: Dim


@dataclass(frozen=True, kw_only=True)
class OutputPadding(NonPositive):
    """A transposed convolution's `output_padding` is not less than its stride along `axis`:
    refused when the layer is made (Keras 3 `BaseConvTranspose.__init__`: "`output_padding` must be
    strictly less than `strides` for all dimensions"; tf-keras 2.x and keras 2.2.4
    `Conv2DTranspose.__init__`: "Stride ... must be greater than output padding"). `output` is
    unknown: there is none. Reported by CNN005 (kind `non-positive`), like the windows."""


@dataclass(frozen=True, kw_only=True)
class Channels(ProblemDetails):
    """The kernel expects `expected` input channels (or groups that divide them); the input has `got`."""

    kind = CHANNELS
    expected: Dim
    got: Dim
    input: Shape
    kernel: Shape | None = None
    groups: int | None = None
    transpose: bool = False  # a transposed convolution's kernel is (..., out, in)


# -- dense.py -------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class InnerDim(ProblemDetails):
    """`left` brings `features` per row; the weight (`right`, or the size a layer states) expects `expected`."""

    kind = INNER_DIM
    features: Dim
    expected: Dim
    left: Shape
    right: Shape | None = None


@dataclass(frozen=True, kw_only=True)
class UndefinedFeatures(InnerDim):
    """A `Dense` layer on a last axis whose static size is None: a size the code declares None
    (variable by design), flattened or passed on to the Dense (`Dim.is_none`). Keras builds the
    kernel `(None, units)` and refuses it; `expected` is `features`."""


# -- merge.py -------------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class Merge(ProblemDetails):
    """`shapes` cannot be joined by `op` (the element-wise function, `concat`, `bias_add`): they
    differ on `axis`, or (`reason` "rank") have different ranks."""

    kind = MERGE
    op: str
    shapes: tuple[Shape, ...]
    axis: int | None
    reason: str | None = None


# -- reshape.py -----------------------------------------------------------------------------
@dataclass(frozen=True, kw_only=True)
class ReshapeSize(ProblemDetails):
    """`target` cannot hold the values of `source`: the totals differ (`total`, `target_total`, or
    `known` for the product of the sizes given beside a -1), or rows of `features` values cut
    examples of `per_example` values apart."""

    kind = RESHAPE_SIZE
    source: Shape
    target: tuple[Dim | None, ...]
    per_example: Dim | None = None
    features: Dim | None = None
    total: Dim | None = None
    known: Dim | None = None
    target_total: Dim | None = None


@dataclass(frozen=True, kw_only=True)
class FlattenSize(ReshapeSize):
    """A feature map (rank >= 3) reshaped to rows (`[-1, N]` or `[batch, N]`) of the wrong size."""

    kind = FLATTEN_SIZE


@dataclass(frozen=True, kw_only=True)
class ReshapeUnknowns(ReshapeSize):
    """A target with `unknowns` > 1 entries of -1: refused whatever the source (Keras 3 `Reshape`:
    "There must be at most one unknown dimension (-1) in `target_shape`"; tf-keras: "There must be
    at most one unknown dimension in output_shape"; `tf.reshape`: "Only one input size may be -1";
    NumPy: "can only specify one unknown dimension"). `source` is () where it is not known."""

    unknowns: int


# -- weights.py -----------------------------------------------------------------------------
# How an initializer fills a weight from a `Constant(value)` (docs/weights.md, measured in
# tests/test_constant_initializer.py), each as the value shapes it refuses:
BROADCAST = "broadcast"  # Keras 3: `value * ones(shape)`; refused where they do not broadcast
SIZE = "size"  # TF 2's `tf.constant(value, shape=shape)`: refused unless as many values, or one
PAD = "pad"  # TF 1's `constant_v1` (graph mode): refused only with more values; fewer: the last repeated
READINGS = (BROADCAST, SIZE, PAD)


@dataclass(frozen=True, kw_only=True)
class WeightShape(ProblemDetails):
    """The arrays `given` do not match the `expected` weights: their number (`count`) or the
    shape of the one at `index`."""

    kind = WEIGHT_SHAPE
    given: tuple[MaybeShape, ...]
    expected: tuple[Shape, ...]
    count: bool = False
    index: int | None = None
    # A `Constant(value)` initializer (`given` its value, `expected` the one weight it fills): the
    # argument (`kernel_initializer`), the weight's name, and the readings that all refuse it.
    initializer: str | None = None
    weight: str | None = None
    readings: tuple[str, ...] = ()


# -- data.py --------------------------------------------------------------------------------
# An index item: ("int", i or None), ("slice", start, stop, step), ("slice?",), ("new",), ("...",),
# ("array", k), ("mask", k): k is the input holding the index array or mask, or its literal shape.
IndexItem = tuple[str | int | Shape | None, ...]
FULL_SLICE: IndexItem = ("slice", None, None, None)
