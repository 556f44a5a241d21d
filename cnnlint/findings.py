"""What a check reports, as plain data: ranges, findings, their traces, fixes and related places.

Nothing here imports the front end, the shape engine or libcst: a run answered from the cache
(`pipeline`), the reports of findings and `--fix` need only these (docs/performance.md).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, Protocol

if TYPE_CHECKING:
    from cnnlint.shapes import Problem

JsonDim = int | str | None  # a dimension as JSON writes it: a size, a symbol, or unknown


@dataclass(frozen=True, order=True, init=False)
class Loc:
    """A 1-based source range; columns count characters. `path` is empty for the file being
    checked, or names another file of the project (code of an imported module, run for a caller).

    `Loc.lazy(find)` is a range found when one of its fields is first read: positions cost more
    than the parse (libcst renders the whole tree to find them) and most ranges are never printed.
    Order, hashing, `dataclasses.replace` and pickling read the fields, so they see the range it
    resolves to; so does equality, except between two lazy ranges whose placer can tell without
    finding them (`Places.same_place`: two calls of the checked module are the same range exactly
    when they are the same call). An eager `Loc` never reaches `__getattr__`."""

    line: int
    column: int
    end_line: int
    end_column: int
    path: str
    # For a range in another file: the call in the checked file that ran that code (line, column,
    # end line, end column), so that each caller's finding is its own; empty otherwise.
    via: tuple[int, ...]

    def __init__(self, line: int, column: int, end_line: int, end_column: int, path: str = "",
                 via: tuple[int, ...] = ()) -> None:
        # No class-level defaults (the dataclass would put them on the class, where a lazy range's
        # unread `path` would be found as "" without resolving).
        _set(self, "line", line)
        _set(self, "column", column)
        _set(self, "end_line", end_line)
        _set(self, "end_column", end_column)
        _set(self, "path", path)
        _set(self, "via", via)

    @classmethod
    def lazy(cls, find: Callable[[], Loc], place: tuple[Places, object] | None = None) -> Loc:
        """A range found on first read; `place` (who placed it, and what) lets two such ranges be
        compared without finding them where `Places.same_place` can tell."""
        loc = object.__new__(cls)
        _set(loc, "_find", find)
        if place is not None:
            _set(loc, "_place", place)
        return loc

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        if self is other:
            return True
        mine: tuple[Places, object] | None = self.__dict__.get("_place")
        theirs: tuple[Places, object] | None = other.__dict__.get("_place")
        if mine is not None and theirs is not None and mine[0] is theirs[0]:
            same = mine[0].same_place(mine[1], theirs[1])
            if same is not None:
                return same
        return _fields(self) == _fields(other)

    def __getattr__(self, name: str) -> object:  # only for a field no one has read yet
        if name not in _LOC_FIELDS or "_find" not in self.__dict__:
            raise AttributeError(name)
        found = self.__dict__.pop("_find")()
        self.__dict__.pop("_place", None)  # found: its fields compare, and its placer may go
        for key in _LOC_FIELDS:
            _set(self, key, getattr(found, key))
        return self.__dict__[name]

    def __reduce__(self) -> tuple[type[Loc], tuple[object, ...]]:
        return Loc, (self.line, self.column, self.end_line, self.end_column, self.path, self.via)


_set = object.__setattr__
_LOC_FIELDS = ("line", "column", "end_line", "end_column", "path", "via")


def _fields(loc: Loc) -> tuple[object, ...]:
    return (loc.line, loc.column, loc.end_line, loc.end_column, loc.path, loc.via)


class Places(Protocol):
    """What places lazy ranges (`Loc.lazy`): it may know that two of its places are the same range
    or different ones without finding either (None: it cannot tell)."""

    def same_place(self, first: object, second: object) -> bool | None: ...


@dataclass(frozen=True)
class TraceStep:
    line: int
    op: str
    shape: tuple[JsonDim, ...] | None
    label: str | None = None
    api: str = ""
    path: str = ""  # another file of the project (a helper imported from it); empty: the finding's file
    # The working behind a step that fails or looks wrong (`height: VALID: floor((2 - 3) / 1) + 1 = 0`).
    explain: tuple[str, ...] = ()
    # Where a helper called more than once made this step: `block(x, 64) at line 20` (outermost first).
    call: str = ""


@dataclass(frozen=True, order=True)
class Edit:
    """Replace the source range `loc` (1-based, end exclusive, columns in characters) with `content`;
    an empty range inserts. In a notebook `cell` is the 1-based cell whose lines `loc` counts."""

    loc: Loc
    content: str
    cell: int | None = None


Applicability = Literal["safe", "unsafe"]


@dataclass(frozen=True)
class Fix:
    """A `Diagnostic.fix` (ruff's fix): a message, the edits, and whether `--fix` may apply it
    without `--unsafe-fixes`."""

    message: str
    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"


def make_fix(message: str, edits: Iterable[tuple[Loc, str]], applicability: Applicability = "safe") -> Fix:
    """A fix replacing each range with its text; an edit given twice is made once."""
    return Fix(message, tuple(Edit(loc, content) for loc, content in sorted(set(edits))), applicability)


def offered(fix: Fix | None, unsafe_fixes: bool) -> bool:
    """Whether `--fix` applies this fix: a safe one always, an unsafe one only with `--unsafe-fixes`
    (ruff's applicability)."""
    return fix is not None and (fix.applicability == "safe" or unsafe_fixes)


@dataclass(frozen=True)
class Extra:
    """What a finding points at besides its range, for `--confirm` and fixes; never printed, except
    `confirmation`."""

    node: tuple[int, int] | None = None  # (graph index, node id) of the op reported
    fails_at: tuple[int, int] | None = None  # the op predicted to fail, when the finding is put elsewhere
    problems: tuple[Problem, ...] = ()  # the shape engine's problems the finding reports
    feed: int | None = None  # index in `ModuleIR.feeds` of the data the finding is about
    modern: str | None = None  # CNN007: the call as Keras 2 spells it
    confirmation: str | None = None  # `--confirm`: TensorFlow's verdict, in words


NO_EXTRA = Extra()


@dataclass(frozen=True)
class Related:
    """A place that takes part in a finding besides its primary location (the line to change): the
    symptom (the `fit` call whose labels disagree, the layer that fails), the producer of an operand.
    `path` may differ from the finding's (a helper's call site in another file); in a notebook `cell`
    is the 1-based cell whose lines `loc` counts (set with the finding's own)."""

    path: str
    loc: Loc
    message: str
    cell: int | None = None


@dataclass(frozen=True)
class Diagnostic:
    code: str
    name: str
    severity: str
    path: str
    loc: Loc
    message: str
    trace: tuple[TraceStep, ...] = ()
    confirmed: bool | None = None
    fix: Fix | None = None
    cell: int | None = None
    related: tuple[Related, ...] = ()
    extra: Extra = field(default_factory=Extra, compare=False, hash=False)

    def sort_key(self) -> tuple[str, int, int, int, str]:
        return (self.path, self.cell or 0, self.loc.line, self.loc.column, self.code)


@dataclass(frozen=True)
class Suppression:
    """A `# cnnlint: ignore` comment (`codes` None: every code) or `# cnnlint: ignore[CODE, ...]`;
    `loc` spans the directive."""

    loc: Loc
    codes: frozenset[str] | None
    # "ignore", "file" (`cnnlint: ignore-file`), "noqa" (noqa with cnnlint codes), "noqa-bare" (noqa
    # without codes, which other tools read too), "unknown" (a `# cnnlint:` directive that is not
    # one) or "misplaced" (`ignore-file` after the first comment block): these two silence nothing.
    kind: str = "ignore"


