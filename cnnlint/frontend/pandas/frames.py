"""pandas values: a DataFrame (`FrameV`, its values a 2-D array of rows and columns) and a Series
(`SeriesV`, 1-D), each a graph node of that shape, so that the rank is known where sizes are not.

Both are arrays to the rest of cnnlint (`TensorV`s: `fit(df, ...)`, `to_categorical(df["label"])`,
`len(df)`, `df.shape`), but only pandas' own attributes, selections and operators apply to them:
NumPy's array methods (`x.mean()`, `x.reshape`) mean something else, or nothing, on a DataFrame.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import ClassVar

import libcst as cst

from cnnlint.frontend.pandas.mutation import changed_in_place
from cnnlint.frontend.pandas.registry import METHODS
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.join import Joiner
from cnnlint.frontend.python.values import (
    ELLIPSIS,
    UNKNOWN,
    BuiltinV,
    Const,
    DimV,
    Naming,
    SeqV,
    SliceV,
    Value,
    as_int,
    bound_method,
    int_value,
)
from cnnlint.frontend.tensor import ShapeV, TensorV, index_key
from cnnlint.ir import Graph, Loc
from cnnlint.shapes import Dim
from cnnlint.shapes.dim import product

# A column label or a list of them: what `df[...]`, `drop(columns=...)` and `loc` select by.
Label = str | int | float | bool


@dataclass(eq=False)
class PandasV(TensorV):
    """A pandas value; `node` is the graph node of its values as an array of rank `RANK`.

    `unique`: its column labels are known to be distinct (a frame read from a file or selected
    from one), the only case where a selection by label has a known number of columns (a
    repeated label selects every column of that name). `graph` is where `forget` (the value
    changed in place by an unknown loop) adds the node of its unknown sizes. Where `names` is
    known, the number of columns is its length.
    """

    unique: bool = True
    graph: Graph | None = field(default=None, repr=False)
    # A DataFrame's column labels in order, where known (`DataFrame(x, columns=[...])`, `df[[...]]`).
    names: tuple[Label, ...] | None = None
    RANK: ClassVar[int] = 2
    forgettable: ClassVar[bool] = True

    def rebuilt(self, node: int, unique: bool | None = None, keep_names: bool = True) -> PandasV:
        """A value of the same kind whose values are `node` (some rows of this one, or a copy)."""
        return type(self)(node, self.unique if unique is None else unique, self.graph,
                          self.names if keep_names else None)

    # -- the value protocol ---------------------------------------------------------------
    def copy(self, memo: dict[int, Value]) -> Value:
        return self.rebuilt(self.node)  # `inplace=True` methods change `node`: one per branch

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        assert isinstance(other, PandasV)
        unique = self.unique and other.unique
        if self.node == other.node and self.names == other.names:
            return self.rebuilt(self.node, unique)
        joined = TensorV.join(self, other, joiner)
        if not isinstance(joined, TensorV):
            return None
        result = self.rebuilt(joined.node, unique, keep_names=self.names == other.names)
        joiner.made.append(result)
        return result

    def forget(self) -> None:
        if self.graph is not None and self.node < len(self.graph.nodes):
            old = self.graph.nodes[self.node]
            self.node = self.graph.add("input", old.api, [], {"shape": [None] * self.RANK, "kind": "dataframe"},
                                       old.loc).id
        self.names = None

    def forget_in(self, interp: Evaluator) -> None:
        """The program changes this value in place where cnnlint cannot follow (`df["c"] = v`)."""
        self.graph = interp.graph
        self.forget()

    def mutated_by(self, method: str) -> bool:
        return method in MUTATORS

    def named(self, interp: Evaluator, name: str, how: Naming) -> None:
        if changed_in_place(interp, name):
            self.forget_in(interp)
        super().named(interp, name, how)

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "shape":
            return ShapeV(self.dims(interp))
        if attr in ("values", "array"):
            return as_array(interp, self, f".{attr}")
        if attr == "ndim":
            return Const(self.RANK)
        if attr == "size":
            return int_value(product(list(self.dims(interp))))
        if attr in ("iloc", "loc"):
            return IndexerV(self, attr)
        if attr == "index":
            return IndexV(self.dims(interp)[0])
        if attr == "columns" and self.RANK == 2:
            return IndexV(self.dims(interp)[1], self.unique, self.names)
        if attr == "T" and self.RANK == 2:
            rows, cols = self.dims(interp)
            return make(interp, FrameV, [cols, rows], ".T", unique=False)
        method = bound_method(METHODS, self, attr)
        # Anything else is pandas' own and not modelled: UNKNOWN, never NumPy's array method.
        return method if method is not None else UNKNOWN

    def as_array(self, interp: Evaluator, site: cst.CSTNode | None) -> Value | None:
        return as_array(interp, self, "np.array")

    def element(self, interp: Evaluator, site: cst.CSTNode | None) -> Value | None:
        return None  # a DataFrame iterates over its column labels, a Series over its values

    def elements(self) -> list[Value] | None:
        """`list(df)`, `for c in df`: a DataFrame's column labels, where known (`len(df)` is the
        rows: `length`); a Series' values are not listed."""
        if self.RANK != 2 or self.names is None:
            return None
        return [Const(n) for n in self.names]

    def binop(self, interp: Evaluator, op: str, left: Value, right: Value, site: cst.CSTNode) -> Value | None:
        """`df / 255.0` keeps the shape; two pandas values align on their labels (sizes unknown)."""
        if op == "MatrixMultiply":
            return UNKNOWN
        other = right if left is self else left
        if _scalar(other):
            result = TensorV.binop(self, interp, op, left, right, site)
            if isinstance(result, TensorV) and result is not UNKNOWN:
                shape = interp.graph.nodes[result.node].shape
                if shape is not None and len(shape) == self.RANK:
                    return self.rebuilt(result.node)
            return UNKNOWN
        if isinstance(other, (PandasV, TensorV)):
            rank = max(self.RANK, other.RANK if isinstance(other, PandasV) else 0)
            cls: type[PandasV] = FrameV if rank == 2 else SeriesV
            return make(interp, cls, [None] * cls.RANK, interp.code(site.operator).strip()
                        if isinstance(site, cst.BinaryOperation) else "op", unique=False, site=site)
        return UNKNOWN

    def unop(self, interp: Evaluator, op: str, site: cst.CSTNode) -> Value | None:
        result = TensorV.unop(self, interp, op, site)
        return self.rebuilt(result.node) if isinstance(result, TensorV) else UNKNOWN

    # -- shapes -----------------------------------------------------------------------------
    def dims(self, interp: Evaluator) -> tuple[Dim, ...]:
        """(rows,) or (rows, columns); sizes unknown where not known."""
        return node_dims(interp, self.node, self.RANK)


@dataclass(eq=False)
class FrameV(PandasV):
    """A `pandas.DataFrame`: (rows, columns)."""

    def subscript(self, interp: Evaluator, key: Value, site: cst.CSTNode | None) -> Value | None:
        """`df["c"]` a Series, `df[["a", "b"]]` two columns, `df[1:5]` rows, `df[mask]` some rows."""
        rows, cols = self.dims(interp)
        text = subscript_text(interp, site)
        label = _label(key)
        if label is not None:
            if not self.unique or not self.has(label):
                return UNKNOWN  # a repeated label gives a DataFrame, not a Series; a missing one raises
            return make(interp, SeriesV, [rows], text, site=site)
        if isinstance(key, IndexV):
            if key.names is not None:
                key = SeqV([Const(n) for n in key.names])
            else:
                return make(interp, FrameV, [rows, key.count if self.unique and key.unique else None], text,
                            unique=self.unique and key.unique, site=site)
        labels = labels_of(key)
        if labels is not None:
            return self.select(interp, rows, labels, text, site)
        if isinstance(key, SliceV):  # rows by position
            return take(interp, self, (key, SliceV(Const(None), Const(None), Const(None))), site)
        if isinstance(key, TensorV):
            rank = node_rank(interp, key.node)
            if rank == 1:  # a boolean Series: the rows where it is True
                return make(interp, FrameV, [None, cols], text, unique=self.unique, site=site, names=self.names)
            if rank == 2:  # `df[df > 0]`: the same shape, NaN elsewhere
                return self.rebuilt(interp.graph.add("identity", text, [self.node], {}, site_loc(interp, site)).id)
        return UNKNOWN

    def has(self, label: Label) -> bool:
        """Whether the frame may have a column `label` (False only where its labels are known)."""
        return self.names is None or label in self.names

    def select(self, interp: Evaluator, rows: Dim | None, labels: list[Label], text: str,
               site: cst.CSTNode | None) -> Value:
        """The columns `labels`, in that order (`df[["a", "b"]]`, `df.loc[:, ["a", "b"]]`)."""
        if not all(self.has(label) for label in labels):
            return UNKNOWN  # pandas raises a KeyError
        count = Dim.const(len(labels)) if self.unique else None
        return make(interp, FrameV, [rows, count], text, unique=self.unique and _distinct(labels), site=site,
                    names=tuple(labels) if self.unique else None)


@dataclass(eq=False)
class SeriesV(PandasV):
    """A `pandas.Series`: (rows,)."""

    RANK: ClassVar[int] = 1

    def subscript(self, interp: Evaluator, key: Value, site: cst.CSTNode | None) -> Value | None:
        if isinstance(key, TensorV) and node_rank(interp, key.node) == 1:  # `s[s > 0]`
            return make(interp, SeriesV, [None], subscript_text(interp, site), site=site)
        return UNKNOWN  # by label or position, depending on the index


@dataclass(eq=False)
class IndexV(Value):
    """`df.columns` / `df.index`: `count` labels, distinct where `unique`."""

    count: Dim
    unique: bool = False
    names: tuple[Label, ...] | None = None

    def length(self, interp: Evaluator) -> Value | None:
        return int_value(self.count)

    def elements(self) -> list[Value] | None:
        return None if self.names is None else [Const(n) for n in self.names]

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "shape":
            return SeqV([int_value(self.count)], is_tuple=True)
        if attr == "size":
            return int_value(self.count)
        if attr in ("tolist", "to_list") and self.names is not None:
            labels = SeqV([Const(n) for n in self.names])
            return BuiltinV(attr, lambda _interp: SeqV(list(labels.items)))
        return None

    def subscript(self, interp: Evaluator, key: Value, site: cst.CSTNode | None) -> Value | None:
        if isinstance(key, SliceV):
            names = _sliced(self.names, key)
            return IndexV(slice_length(self.count, key) if names is None else Dim.const(len(names)), self.unique,
                          names)
        at = as_int(key)
        if self.names is not None and at is not None and -len(self.names) <= at < len(self.names):
            return Const(self.names[at])
        return None


@dataclass(eq=False)
class IndexerV(Value):
    """`df.iloc` (by position, as NumPy indexes) or `df.loc` (by label), waiting for its key."""

    of: PandasV
    how: str

    def subscript(self, interp: Evaluator, key: Value, site: cst.CSTNode | None) -> Value | None:
        parts = list(key.items) if isinstance(key, SeqV) and key.is_tuple else [key]
        if len(parts) > self.of.RANK or any(p is ELLIPSIS or (isinstance(p, Const) and p.value is None)
                                            for p in parts):
            return UNKNOWN
        if self.how == "iloc":
            return take(interp, self.of, tuple(parts), site)
        return _loc(interp, self.of, parts, site)


def _loc(interp: Evaluator, of: PandasV, parts: list[Value], site: cst.CSTNode | None) -> Value:
    """`df.loc[rows, columns]`: all rows (`:`) or those of a boolean mask, columns by label."""
    dims = of.dims(interp)
    row = parts[0]
    if _whole(row):
        rows: Dim | None = dims[0]
    elif isinstance(row, TensorV) and node_rank(interp, row.node) == 1 and \
            interp.graph.nodes[row.node].attrs.get("dtype") == "bool":
        rows = None
    else:
        return UNKNOWN  # a row label: whether it selects one row or several depends on the index
    text = subscript_text(interp, site)
    if not isinstance(of, FrameV):
        return make(interp, SeriesV, [rows], text, site=site) if len(parts) == 1 else UNKNOWN
    column = parts[1] if len(parts) > 1 else SliceV(Const(None), Const(None), Const(None))
    if _whole(column):
        return make(interp, FrameV, [rows, dims[1]], text, unique=of.unique, site=site, names=of.names)
    label = _label(column)
    if label is not None:
        return make(interp, SeriesV, [rows], text, site=site) if of.unique and of.has(label) else UNKNOWN
    labels = labels_of(column)
    if labels is not None:
        return of.select(interp, rows, labels, text, site)
    return UNKNOWN


def take(interp: Evaluator, of: PandasV, parts: tuple[Value, ...], site: cst.CSTNode | None) -> Value:
    """`iloc[...]` by position: NumPy's indexing of the values (`index` op), as a DataFrame,
    a Series, or a scalar (UNKNOWN) by the rank left; an index out of range stays UNKNOWN."""
    operands: list[int] = []
    items = index_key(interp, SeqV(list(parts), is_tuple=True), operands)
    if items is None or any(item[0] in ("new", "...") for item in items):
        return UNKNOWN
    node = interp.graph.add("index", subscript_text(interp, site), [of.node, *operands], {"key": items},
                            site_loc(interp, site))
    if node.shape is None:
        return UNKNOWN
    positional = all(item[0] in ("slice", "slice?") for item in items[1:])  # columns keep their order
    if len(node.shape) == 2:
        column = items[1] if len(items) > 1 else ("slice", None, None, None)
        names = None
        if of.names is not None and column[0] == "slice":
            names = of.names[slice(*column[1:])]
        return FrameV(node.id, of.unique and positional, interp.graph, names)
    if len(node.shape) == 1:
        return SeriesV(node.id, True, interp.graph)
    return UNKNOWN


# -- helpers ------------------------------------------------------------------------------
# Methods that can change a DataFrame in place (`inplace=True`, `insert`, `pop`).
MUTATORS = frozenset((
    "drop", "dropna", "fillna", "insert", "pop", "reset_index", "set_index", "update", "rename", "replace",
    "sort_values", "sort_index", "query", "eval", "clip", "where", "mask", "drop_duplicates", "interpolate",
    "bfill", "ffill", "__setitem__", "__delitem__",
))


def site_loc(interp: Evaluator, site: cst.CSTNode | None = None) -> Loc:
    where = site if site is not None else interp.call_site
    return interp.loc(where) if where is not None else Loc(1, 1, 1, 1)


def subscript_text(interp: Evaluator, site: cst.CSTNode | None) -> str:
    if not isinstance(site, cst.Subscript):
        return "[]"
    text = interp.code(site)
    return text if len(text) <= 40 else text[:37] + "..."


def node_rank(interp: Evaluator, node: int) -> int | None:
    shape = interp.graph.nodes[node].shape if node < len(interp.graph.nodes) else None
    return None if shape is None else len(shape)


def node_dims(interp: Evaluator, node: int, rank: int) -> tuple[Dim, ...]:
    shape = interp.graph.nodes[node].shape if node < len(interp.graph.nodes) else None
    if shape is None or len(shape) != rank:
        return tuple(Dim.unknown() for _ in range(rank))
    return shape


def make(interp: Evaluator, cls: type[PandasV], shape: Sequence[Dim | None], api: str, unique: bool = True,
         site: cst.CSTNode | None = None, names: tuple[Label, ...] | None = None) -> PandasV:
    """A new pandas value of `shape` (None: an unknown size), made by the call or subscript `api`;
    a DataFrame's column labels `names` where known."""
    dims = list(shape)
    if names is not None and cls.RANK == 2:
        dims[1] = Dim.const(len(names))
    node = interp.graph.add("input", api, [], {"shape": dims, "kind": "dataframe"}, site_loc(interp, site))
    return cls(node.id, unique, interp.graph, names if cls.RANK == 2 else None)


def as_array(interp: Evaluator, value: PandasV, api: str) -> TensorV:
    """The values as a NumPy array of the same shape (`df.values`, `df.to_numpy()`, `np.array(df)`)."""
    return TensorV(interp.graph.add("identity", api, [value.node], {}, site_loc(interp)).id)


def _scalar(value: Value) -> bool:
    return isinstance(value, DimV) or (isinstance(value, Const) and isinstance(value.value, (int, float))
                                       and not isinstance(value.value, bool))


def _label(value: Value) -> Label | None:
    if isinstance(value, Const) and value.value is not None:
        return value.value
    return None


def labels_of(value: Value) -> list[Label] | None:
    """A list of column labels (`["a", "b"]`), or a single one (as a list of one), or None."""
    if isinstance(value, SeqV) and not value.is_tuple:
        labels = [_label(v) for v in value.items]
        return None if any(label is None for label in labels) else [label for label in labels if label is not None]
    return None


def _distinct(labels: Sequence[Label]) -> bool:
    return len(set(labels)) == len(labels)


def _whole(value: Value) -> bool:
    return isinstance(value, SliceV) and all(isinstance(b, Const) and b.value is None
                                             for b in (value.start, value.stop, value.step))


def _sliced(names: tuple[Label, ...] | None, key: SliceV) -> tuple[Label, ...] | None:
    bounds = [None if isinstance(b, Const) and b.value is None else as_int(b) for b in (key.start, key.stop, key.step)]
    given = [b for b in (key.start, key.stop, key.step) if not (isinstance(b, Const) and b.value is None)]
    if names is None or any(as_int(b) is None for b in given) or bounds[2] == 0:
        return None
    return names[slice(*bounds)]


def slice_length(size: Dim, key: SliceV) -> Dim:
    """The length of `start:stop:step` over `size` items, clamped like Python (unknown if not known)."""
    bounds = [None if isinstance(b, Const) and b.value is None else as_int(b) for b in (key.start, key.stop, key.step)]
    given = [b for b in (key.start, key.stop, key.step) if not (isinstance(b, Const) and b.value is None)]
    if any(as_int(b) is None for b in given) or bounds[2] == 0:
        return Dim.unknown()
    n = size.value
    if n is not None:
        return Dim.const(len(range(*slice(*bounds).indices(max(n, 0)))))
    if bounds[0] in (None, 0) and bounds[1] is None and bounds[2] in (None, 1):
        return size
    return Dim.unknown()
