"""Symbolic tensor dimensions: integer polynomials over named symbols with floor division.

Modelled on JAX's shape polymorphism: a dimension is never guessed. Comparisons answer
"definitely equal", "definitely different" or neither, and rules fire only on "definitely".
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field

_anon_counter = itertools.count(1)


@dataclass(frozen=True, order=True)
class Sym:
    """A dimension variable. Anonymous symbols stand for unknown values (shown as `?`).

    `none`: a size the code declares `None` (`keras.Input((None, 64))`, `tf.placeholder(...,
    [None, None, 3])` past the batch axis): variable by design, so Keras's and TensorFlow's static
    shape is None there and in every size computed from it (see `Dim.is_none`)."""

    name: str
    anonymous: bool = False
    none: bool = False
    shown: str = field(default="", compare=False)  # the text of a fresh named symbol (`Dim.parameter`)

    def key(self) -> str:
        return ("?" if self.anonymous else "") + self.name

    def render(self) -> str:
        return "?" if self.anonymous else self.shown or self.name


@dataclass(frozen=True)
class FloorDiv:
    """`num // den` for a non-constant polynomial `num` and an integer `den > 1`."""

    num: Dim
    den: int

    def key(self) -> str:
        return f"({self.num.key()})//{self.den}"

    def render(self) -> str:
        inner = self.num.render()
        if len(self.num.terms) > 1:
            inner = f"({inner})"
        return f"{inner} // {self.den}"


Atom = Sym | FloorDiv
# A monomial is a product of atoms with positive powers, kept sorted by atom key.
Monomial = tuple[tuple[Atom, int], ...]

_INF = math.inf


def _mono_key(m: Monomial) -> str:
    return "*".join(f"{a.key()}^{p}" for a, p in m)


_CONSTANTS: dict[int, Dim] = {}


class Dim:
    """An integer polynomial over atoms. Immutable and hashable."""

    __slots__ = ("_hash", "terms")

    terms: tuple[tuple[Monomial, int], ...]
    _hash: int

    def __init__(self, terms: dict[Monomial, int] | tuple[tuple[Monomial, int], ...]) -> None:
        items = terms.items() if isinstance(terms, dict) else terms
        cleaned = [(m, c) for m, c in items if c != 0]
        if len(cleaned) > 1:  # one term (every constant, every plain symbol) needs no order
            cleaned.sort(key=lambda mc: _mono_key(mc[0]))
        object.__setattr__(self, "terms", tuple(cleaned))
        object.__setattr__(self, "_hash", hash(self.terms))

    # -- construction -------------------------------------------------------------------
    @staticmethod
    def const(value: int) -> Dim:
        value = int(value)
        known = _CONSTANTS.get(value)
        if known is None:
            known = Dim({(): value})
            if -256 <= value <= 65536:  # immutable: the common sizes are shared
                _CONSTANTS[value] = known
        return known

    @staticmethod
    def symbol(name: str) -> Dim:
        return Dim({((Sym(name), 1),): 1})

    @staticmethod
    def parameter(shown: str) -> Dim:
        """A fresh named symbol: a size of a parameter nobody passes (`x.shape[1]`), shown by its
        name, unrelated to every other symbol, even one shown alike."""
        return Dim({((Sym(f"#{next(_anon_counter)}", shown=shown), 1),): 1})

    @staticmethod
    def unknown() -> Dim:
        """A fresh anonymous symbol: equal to itself, unrelated to every other unknown."""
        return Dim({((Sym(str(next(_anon_counter)), True), 1),): 1})

    @staticmethod
    def none() -> Dim:
        """A fresh anonymous symbol for a size the code declares None (variable by design)."""
        return Dim({((Sym(str(next(_anon_counter)), True, True), 1),): 1})

    @staticmethod
    def of(value: DimLike) -> Dim:
        return value if isinstance(value, Dim) else Dim.const(value)

    # -- inspection ---------------------------------------------------------------------
    def key(self) -> str:
        return " + ".join(f"{c}*{_mono_key(m)}" for m, c in self.terms) or "0"

    @property
    def value(self) -> int | None:
        """The integer value if this dimension is a constant."""
        if not self.terms:
            return 0
        if len(self.terms) == 1 and self.terms[0][0] == ():
            return self.terms[0][1]
        return None

    @property
    def is_const(self) -> bool:
        return self.value is not None

    def atoms(self) -> set[Atom]:
        found: set[Atom] = set()
        for m, _ in self.terms:
            for atom, _ in m:
                found.add(atom)
                if isinstance(atom, FloorDiv):
                    found |= atom.num.atoms()
        return found

    @property
    def has_anonymous(self) -> bool:
        return any(isinstance(a, Sym) and a.anonymous for a in self.atoms())

    @property
    def is_none(self) -> bool:
        """Whether the framework's static size is certainly None: the value depends on a size the
        code declares None. Keras's `compute_output_shape`s and TensorFlow's shape functions give
        None for any size computed from a None (a conv or pool window, `Flatten`, a padding, a
        concatenation), and the algebra only keeps an atom the value depends on. A join of such a
        size with another is a fresh unknown (not None): only `==` keeps it."""
        return self.value is None and any(isinstance(a, Sym) and a.none for a in self.atoms())

    # -- arithmetic ---------------------------------------------------------------------
    def __add__(self, other: DimLike) -> Dim:
        out = dict(self.terms)
        for m, c in Dim.of(other).terms:
            out[m] = out.get(m, 0) + c
        return Dim(out)

    __radd__ = __add__

    def __neg__(self) -> Dim:
        return Dim({m: -c for m, c in self.terms})

    def __sub__(self, other: DimLike) -> Dim:
        return self + (-Dim.of(other))

    def __rsub__(self, other: DimLike) -> Dim:
        return Dim.of(other) - self

    def __mul__(self, other: DimLike) -> Dim:
        out: dict[Monomial, int] = {}
        for m1, c1 in self.terms:
            for m2, c2 in Dim.of(other).terms:
                m = _mono_mul(m1, m2)
                out[m] = out.get(m, 0) + c1 * c2
        return Dim(out)

    __rmul__ = __mul__

    def floordiv(self, den: int) -> Dim:
        """`self // den` for a positive integer `den`, simplified where exact."""
        if den <= 0:
            raise ZeroDivisionError("dimension divided by a non-positive integer")
        if den == 1:
            return self
        quotient: dict[Monomial, int] = {}
        remainder: dict[Monomial, int] = {}
        for m, c in self.terms:
            quotient[m] = c // den
            remainder[m] = c % den
        rest = Dim(remainder)
        if rest.value is not None:
            return Dim(quotient) + rest.value // den
        return Dim(quotient) + Dim({((FloorDiv(rest, den), 1),): 1})

    def ceildiv(self, den: int) -> Dim:
        """`ceil(self / den)`, written as `(self + den - 1) // den`."""
        return (self + (den - 1)).floordiv(den)

    def mod(self, den: int) -> Dim:
        return self - self.floordiv(den) * den

    # -- comparisons (three-valued) -----------------------------------------------------
    def bounds(self) -> tuple[float, float]:
        """An interval that surely holds the value (symbols are at least 1)."""
        lo_total: float = 0
        hi_total: float = 0
        for m, c in self.terms:
            lo, hi = _mono_bounds(m)
            if c >= 0:
                lo_total = _plus(lo_total, c * lo if lo != -_INF else -_INF)
                hi_total = _plus(hi_total, c * hi if hi != _INF else _INF)
            else:
                lo_total = _plus(lo_total, c * hi if hi != _INF else -_INF)
                hi_total = _plus(hi_total, c * lo if lo != -_INF else _INF)
        return lo_total, hi_total

    def __eq__(self, other: object) -> bool:
        """Structural equality, which is "definitely equal" for these normal forms."""
        if isinstance(other, int):
            return self.value == other
        return isinstance(other, Dim) and self.terms == other.terms

    def __hash__(self) -> int:
        return self._hash

    def __repr__(self) -> str:
        return f"Dim({self.render()})"

    def render(self) -> str:
        """A Python-like expression, `?` for anonymous unknowns; a product of linear factors is
        shown as one (the flatten of `(h // 2 - 1, w // 2 - 1, 32)`: `32*(h // 2 - 1)*(w // 2 - 1)`)."""
        factors = _factors(self) if len(self.terms) > 2 else []
        if sum(1 for f in factors if not f.is_const) > 1:
            scale, rest = (factors[0], factors[1:]) if factors[0].is_const else (None, factors)
            shown = "*".join(f"({f._render_sum()})" if len(f.terms) > 1 else f._render_sum() for f in rest)
            return shown if scale is None or scale.value == 1 else f"{scale._render_sum()}*{shown}"
        return self._render_sum()

    def _render_sum(self) -> str:
        if not self.terms:
            return "0"
        parts: list[str] = []
        ordered = [t for t in self.terms if t[0] != ()] + [t for t in self.terms if t[0] == ()]
        for i, (m, c) in enumerate(ordered):
            sign = "-" if c < 0 else "+"
            mag = abs(c)
            if m == ():
                body = int_text(mag)
            else:
                grouped = len(m) > 1 or mag != 1  # `(h // 2)*w`, never `h // 2*w`
                factors = [(f"({a.render()})" if grouped and isinstance(a, FloorDiv) else a.render())
                           + (f"**{p}" if p > 1 else "") for a, p in m]
                body = "*".join(factors) if mag == 1 else f"{mag}*" + "*".join(factors)
            if i == 0:
                parts.append(("-" if sign == "-" else "") + body)
            else:
                parts.append(f" {sign} {body}")
        return "".join(parts)


DimLike = Dim | int


def _factors(d: Dim) -> list[Dim]:
    """`d` as a product: an integer content first (when not 1), then factors `atom + k` taken out
    one by one while they divide exactly, then what is left; `[d]` when nothing factors."""
    content = math.gcd(*(c for _, c in d.terms))
    if content > 1:
        d = Dim({m: c // content for m, c in d.terms})
    out: list[Dim] = [Dim.const(content)] if content > 1 else []
    while (split := _linear_factor(d)) is not None:
        d, factor = split
        out.append(factor)
    return [*out, d] if d != 1 else out


def _linear_factor(d: Dim) -> tuple[Dim, Dim] | None:
    """`(q, atom + k)` with `d == q * (atom + k)`, for an atom of degree 1 in `d` and an integer k."""
    if len(d.terms) < 2:
        return None
    for atom in sorted({a for m, _ in d.terms for a, _ in m}, key=lambda a: a.key()):
        with_atom: dict[Monomial, int] = {}
        without: dict[Monomial, int] = {}
        for m, c in d.terms:
            power = dict(m).get(atom, 0)
            if power > 1:
                break
            if power:
                with_atom[tuple((a, p) for a, p in m if a != atom)] = c
            else:
                without[m] = c
        else:
            q, r = Dim(with_atom), Dim(without)
            if not q.terms or not r.terms:
                continue
            first, coeff = q.terms[0]
            rest = dict(r.terms).get(first)
            if rest is None or rest % coeff:
                continue
            k = rest // coeff
            if q * k == r:
                return q, Dim({((atom, 1),): 1}) + k
    return None


def int_text(n: int) -> str:
    """`str(n)`, or a description of a number too long for Python to print (its 4300-digit limit)."""
    try:
        return str(n)
    except ValueError:
        return f"{'-' if n < 0 else ''}<a {int(abs(n).bit_length() * math.log10(2)) + 1}-digit number>"


def _mono_mul(a: Monomial, b: Monomial) -> Monomial:
    powers: dict[Atom, int] = {}
    for atom, p in a + b:
        powers[atom] = powers.get(atom, 0) + p
    return tuple(sorted(powers.items(), key=lambda ap: ap[0].key()))


def _plus(total: float, term: float) -> float:
    """`total + term`, where finite bounds stay exact integers: an integer beyond the float range
    added to an infinity would raise OverflowError."""
    if total in (_INF, -_INF):
        return total
    if term in (_INF, -_INF):
        return term
    return total + term


def _atom_bounds(atom: Atom) -> tuple[float, float]:
    if isinstance(atom, Sym):
        return 1, _INF
    lo, hi = atom.num.bounds()
    # Integer floor division: `lo / den` would overflow a float for a huge bound.
    return (
        lo // atom.den if lo != -_INF else -_INF,
        hi // atom.den if hi != _INF else _INF,
    )


def _mono_bounds(m: Monomial) -> tuple[float, float]:
    lo: float = 1
    hi: float = 1
    for atom, power in m:
        alo, ahi = _atom_bounds(atom)
        if alo < 0:
            return -_INF, _INF
        lo *= alo**power
        hi = _INF if ahi == _INF else hi * ahi**power
    return lo, hi


def equal(a: DimLike, b: DimLike) -> bool:
    """Definitely equal."""
    return Dim.of(a) == Dim.of(b)


def different(a: DimLike, b: DimLike) -> bool:
    """Definitely different."""
    lo, hi = (Dim.of(a) - Dim.of(b)).bounds()
    return lo > 0 or hi < 0


def never_equal(a: DimLike, b: DimLike) -> bool:
    """Different for every value of the symbols: `different`, or the difference is `g * q + k`
    with an integer polynomial `q` (atoms are integers) and a constant `k` that `g` does not
    divide (the flatten of `(h // 4, w // 4, 64)` is a multiple of 64, so it is never 10). For
    checks where equality is what the framework requires (a Keras `Reshape` of each example)."""
    diff = Dim.of(a) - Dim.of(b)
    if different(a, b):
        return True
    content = math.gcd(*(c for m, c in diff.terms if m != ()))
    constant = next((c for m, c in diff.terms if m == ()), 0)
    return content > 1 and constant % content != 0


def positive(a: DimLike) -> bool:
    """Definitely at least 1."""
    return Dim.of(a).bounds()[0] >= 1


def non_positive(a: DimLike) -> bool:
    """Definitely at most 0."""
    return Dim.of(a).bounds()[1] <= 0


def product(dims: list[Dim] | tuple[Dim, ...]) -> Dim:
    out = Dim.const(1)
    for d in dims:
        out = out * d
    return out


def divides(den: Dim, num: Dim) -> bool | None:
    """Whether `den` divides `num`: True/False when certain, None when unknown."""
    d, n = den.value, num.value
    if d is not None and n is not None:
        return d != 0 and n % d == 0
    if d is not None and d > 0:
        if all(c % d == 0 for _, c in num.terms):
            return True
        return None
    if den == num:
        return True if positive(den) else None  # `a // 2` may be 0, and 0 divides nothing
    return None


def exact_div(num: Dim, den: Dim) -> Dim | None:
    """`num / den` when `den` certainly divides `num` and the quotient is expressible."""
    d = den.value
    if d is not None and d > 0 and all(c % d == 0 for _, c in num.terms):
        return Dim({m: c // d for m, c in num.terms})
    if den == num:
        return Dim.const(1)
    # num = den * q for a monomial den with coefficient 1 (e.g. batch * 3136 / batch)
    if len(den.terms) == 1 and den.terms[0][1] == 1:
        (dm, _), = den.terms
        out: dict[Monomial, int] = {}
        for m, c in num.terms:
            rest = _mono_div(m, dm)
            if rest is None:
                return None
            out[rest] = out.get(rest, 0) + c
        return Dim(out)
    return None


def _mono_div(m: Monomial, d: Monomial) -> Monomial | None:
    powers = dict(m)
    for atom, p in d:
        if powers.get(atom, 0) < p:
            return None
        powers[atom] -= p
    return tuple(sorted(((a, p) for a, p in powers.items() if p), key=lambda ap: ap[0].key()))
