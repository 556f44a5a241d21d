"""How the ops' `Formula`s write numbers: a size as its number, a named size by its name, an
unknown one as `?` (`None` on the batch axis, as Keras prints it), a compound one in brackets."""

from __future__ import annotations

from collections.abc import Sequence

from cnnlint.shapes.dim import Dim, int_text
from cnnlint.shapes.registry import Formula

SPATIAL_NAMES = {1: ("length",), 2: ("height", "width"), 3: ("depth", "height", "width")}


def spatial_name(axis: int, rank: int) -> str:
    """`height` for axis 0 of 2 spatial axes; `axis 3` past the names."""
    names = SPATIAL_NAMES.get(rank, ())
    return names[axis] if axis < len(names) else f"axis {axis}"


def value(d: Dim | int | None) -> int | None:
    if d is None:
        return None
    return Dim.of(d).value


def num(d: Dim | int | None, batch: bool = False) -> str:
    """A size inside a formula: `28`, `h`, `(h - 2)`, `?` (`None` for the batch axis)."""
    if d is None:
        return "None" if batch else "?"
    d = Dim.of(d)
    if d.value is not None:
        return int_text(d.value)
    if d.has_anonymous:
        return "None" if batch or d.is_none else "?"
    text = d.render()
    return text if " " not in text else f"({text})"  # `h`, `x.shape[1]`, `32*h`; `(h - 2)`


def count(d: Dim | int | None) -> str:
    """A result: `3,212,288` (thousands separated, as `model.summary()` prints counts)."""
    found = value(d)
    if found is not None:
        return f"{found:,}" if abs(found) < 10**300 else int_text(found)
    if d is None or Dim.of(d).has_anonymous:
        return num(d)
    return Dim.of(d).render()


def times(dims: Sequence[Dim | int | None]) -> str:
    """`7 x 7 x 64`."""
    return " x ".join(num(d) for d in dims)


def int_product(dims: Sequence[Dim | int | None]) -> int | None:
    """The product of known sizes, worked out apart from `Dim` (so that a test compares two ways)."""
    out = 1
    for d in dims:
        found = value(d)
        if found is None:
            return None
        out *= found
    return out


def int_sum(parts: Sequence[int | None]) -> int | None:
    return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


def params_formula(terms: Sequence[Sequence[Dim | int | None]], engine: Dim | None) -> list[Formula]:
    """`3 x 3 x 1 x 32 + 32 = 320`: a parameter count as a sum of products of sizes (the empty
    products left out); [] where the engine's count is not known."""
    if engine is None:
        return []
    found = int_sum([int_product(t) for t in terms if t])
    shown = f"{found:,}" if found is not None else count(engine)
    return [Formula("params", " + ".join(times(t) for t in terms if t) + f" = {shown}", None, found)]
