"""Data preparation ops (NumPy, TensorFlow array ops, `tf.data`, Keras utilities): indexing,
comparisons, stacking, batching, one-hot labels, padded sequences. They never report a problem:
an index or a stack that fails at run time makes the result unknown."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from cnnlint.shapes.dim import Dim, different
from cnnlint.shapes.ops.layout import norm_axis, unknown_if_none
from cnnlint.shapes.ops.merge import AxisAttrs, BroadcastAttrs, broadcast, concat
from cnnlint.shapes.problems import FULL_SLICE, IndexItem
from cnnlint.shapes.registry import MaybeShape, NoAttrs, OpAttrs, OpDecl, Result, Shape, declare


@dataclass(frozen=True, kw_only=True)
class IndexAttrs(OpAttrs):
    key: Sequence[IndexItem] | None = None
    dtype: str | None = None


def index(inputs: Sequence[MaybeShape], attrs: IndexAttrs) -> Result:
    """`x[key]` as NumPy and TensorFlow index: integers, slices, `None`, `...`, index arrays, masks.

    Input k of an ("array", k) or ("mask", k) item is an integer index array or a boolean mask
    (k may instead be the shape of a literal list). An index that fails at run time (out of
    range, a mask of the wrong shape) makes the result unknown, never a problem.
    """
    x = inputs[0]
    if x is None or attrs.key is None:
        return Result(None)
    return Result(_index(x, attrs.key, inputs))


def _index(x: Shape, key: Sequence[IndexItem], inputs: Sequence[MaybeShape]) -> MaybeShape:
    consumed = 0
    for item in key:
        if item[0] in ("array", "mask"):
            operand = _operand(item, inputs)
            if operand is None or (item[0] == "mask" and not operand):
                return None
            consumed += len(operand) if item[0] == "mask" else 1
        elif item[0] in ("int", "slice", "slice?"):
            consumed += 1
    ellipses = sum(1 for item in key if item[0] == "...")
    if ellipses > 1 or consumed > len(x):
        return None
    items: list[IndexItem] = []
    for item in key:
        items.extend([FULL_SLICE] * (len(x) - consumed) if item[0] == "..." else [item])
    if not ellipses:
        items.extend([FULL_SLICE] * (len(x) - consumed))
    advanced = any(item[0] in ("array", "mask") for item in items)
    parts: list[tuple[Dim, ...] | None] = []  # None: the place of an advanced (array) index
    picked: list[Shape] = []
    axis = 0
    for item in items:
        kind = item[0]
        if kind == "new":
            parts.append((Dim.const(1),))
            continue
        if kind == "mask":
            mask = _operand(item, inputs)
            assert mask is not None
            if any(different(a, b) for a, b in zip(mask, x[axis:axis + len(mask)], strict=True)):
                return None
            axis += len(mask)
            parts.append(None)
            picked.append((Dim.unknown(),))  # as many as the mask has True values
            continue
        size = x[axis]
        axis += 1
        if kind == "int":
            at, n = item[1], size.value
            if isinstance(at, int) and n is not None and not -n <= at < n:
                return None
            if advanced:  # with index arrays, integers are advanced indices too (broadcast as scalars)
                parts.append(None)
                picked.append(())
        elif kind == "array":
            parts.append(None)
            picked.append(_operand(item, inputs) or ())
        else:
            length = _slice_length(size, item)
            if length is None:
                return None
            parts.append((length,))
    if not picked:
        return tuple(d for part in parts if part is not None for d in part)
    joined = broadcast(picked, BroadcastAttrs()).shape
    if joined is None:
        return None
    places = [i for i, part in enumerate(parts) if part is None]
    basic = [d for part in parts if part is not None for d in part]
    if places != list(range(places[0], places[-1] + 1)):  # separated advanced indices: their axes come first
        return (*joined, *basic)
    before = [d for part in parts[:places[0]] if part is not None for d in part]
    return (*before, *joined, *basic[len(before):])


def _operand(item: IndexItem, inputs: Sequence[MaybeShape]) -> MaybeShape:
    """The shape of an index array or mask: an input of the op, or the shape of a literal list."""
    ref = item[1]
    if isinstance(ref, tuple):
        return ref
    return inputs[ref] if isinstance(ref, int) else None


def _slice_length(size: Dim, item: IndexItem) -> Dim | None:
    """The length of `start:stop:step` on an axis of `size`, clamped like Python; None if it fails."""
    if item[0] == "slice?":
        return Dim.unknown()
    start, stop, step = item[1:]
    if step == 0:
        return None
    n = size.value
    if n is not None:
        try:
            return Dim.const(len(range(*slice(start, stop, step).indices(max(n, 0)))))
        except OverflowError:
            return Dim.unknown()
    whole = start in (None, 0) and stop is None and step in (None, 1)
    reversed_whole = start is None and stop is None and step == -1
    return size if whole or reversed_whole else Dim.unknown()


@dataclass(frozen=True, kw_only=True)
class CompareAttrs(OpAttrs):
    fn: str | None = None
    dtype: str | None = None


def compare(inputs: Sequence[MaybeShape], attrs: CompareAttrs) -> Result:
    """Element-wise comparisons (`y == 3`): a boolean array of the broadcast shape; never a problem."""
    return Result(broadcast(inputs, BroadcastAttrs()).shape)


def stack(inputs: Sequence[MaybeShape], attrs: AxisAttrs) -> Result:
    """`np.stack` / `tf.stack`: arrays of one shape joined along a new axis `axis`.

    Arrays of different shapes fail at run time: the result is unknown (no rule reports it).
    """
    axis = attrs.axis
    if not inputs or axis is None or any(s is None for s in inputs):
        return Result(None)
    shapes: list[Shape] = [s for s in inputs if s is not None]
    out = list(shapes[0])
    for s in shapes[1:]:
        if len(s) != len(out) or any(different(a, b) for a, b in zip(out, s, strict=True)):
            return Result(None)
        out = [a if a.value is not None else b for a, b in zip(out, s, strict=True)]
    at = norm_axis(axis, len(out) + 1)
    if at is None:
        return Result(None)
    out.insert(at, Dim.const(len(shapes)))
    return Result(tuple(out))


def vstack(inputs: Sequence[MaybeShape], attrs: NoAttrs) -> Result:
    """`np.vstack`: a 1-D array of n values is a row (1, n); then joined on axis 0."""
    if not inputs or any(s is None for s in inputs):
        return Result(None)
    one = Dim.const(1)
    rows: list[MaybeShape] = [(one, one) if not s else (one, s[0]) if len(s) == 1 else s
                              for s in inputs if s is not None]
    return concat(rows, AxisAttrs(axis=0))


def hstack(inputs: Sequence[MaybeShape], attrs: NoAttrs) -> Result:
    """`np.hstack`: 1-D arrays are joined end to end (axis 0), others along axis 1."""
    if not inputs or any(s is None for s in inputs):
        return Result(None)
    arrays: list[MaybeShape] = [s if s else (Dim.const(1),) for s in inputs if s is not None]
    first = arrays[0]
    return concat(arrays, AxisAttrs(axis=0 if first is not None and len(first) == 1 else 1))


@dataclass(frozen=True, kw_only=True)
class BatchAttrs(OpAttrs):
    size: int | None = None
    dtype: str | None = None


def batch(inputs: Sequence[MaybeShape], attrs: BatchAttrs) -> Result:
    """`Dataset.batch(n)`: each element gains a leading axis, `size` (unknown when the last batch may be short)."""
    x = inputs[0]
    if x is None:
        return Result(None)
    return Result((unknown_if_none(attrs.size), *x))


@dataclass(frozen=True, kw_only=True)
class ToCategoricalAttrs(OpAttrs):
    num_classes: int | None = None
    legacy: bool = False


def to_categorical(inputs: Sequence[MaybeShape], attrs: ToCategoricalAttrs) -> Result:
    """Keras `to_categorical(y, num_classes)`: one-hot values on a new last axis, a trailing axis of 1 replaced.

    `legacy` (Keras 1 / early Keras 2 `np_utils`, which flattened `y` first): known only where
    both behaviours agree, for labels of shape (n,) or (n, 1).
    """
    y = inputs[0]
    if y is None:
        return Result(None)
    classes = unknown_if_none(attrs.num_classes)
    if attrs.legacy:
        if len(y) == 1 or (len(y) == 2 and y[1].value == 1):
            return Result((y[0], classes))
        return Result(None)
    if len(y) > 1:
        last = y[-1].value
        if last is None:
            return Result(None)
        if last == 1:
            y = y[:-1]
    return Result((*y, classes))


@dataclass(frozen=True, kw_only=True)
class PadSequencesAttrs(OpAttrs):
    maxlen: int | None = None
    given: bool = False  # `maxlen` was passed (None then means unknown, not "the longest")


def pad_sequences(inputs: Sequence[MaybeShape], attrs: PadSequencesAttrs) -> Result:
    """Keras `pad_sequences(sequences, maxlen)`: (number of sequences, maxlen, ...); without `maxlen` (`given`
    false) the longest sequence decides, known only for a rectangular array."""
    x = inputs[0]
    if not x:
        return Result(None)
    if len(x) == 1 or attrs.given:
        return Result((x[0], unknown_if_none(attrs.maxlen), *x[2:]))
    return Result(x)


# The data fed to a model is checked by `--confirm` (CNN012-CNN014), not the ops that prepared it.
DATA = "a data preparation op: --confirm feeds the data it makes, it does not rebuild the op"

INDEX = declare(OpDecl("index", IndexAttrs, index, not_rebuildable=DATA))
COMPARE = declare(OpDecl("compare", CompareAttrs, compare, not_rebuildable=DATA))
STACK = declare(OpDecl("stack", AxisAttrs, stack, not_rebuildable=DATA))
VSTACK = declare(OpDecl("vstack", NoAttrs, vstack, not_rebuildable=DATA))
HSTACK = declare(OpDecl("hstack", NoAttrs, hstack, not_rebuildable=DATA))
BATCH = declare(OpDecl("batch", BatchAttrs, batch, not_rebuildable=DATA))
TO_CATEGORICAL = declare(OpDecl("to_categorical", ToCategoricalAttrs, to_categorical, not_rebuildable=DATA))
PAD_SEQUENCES = declare(OpDecl("pad_sequences", PadSequencesAttrs, pad_sequences, not_rebuildable=DATA))
