"""Methods of DataFrames and Series that keep a known rank: `to_numpy`, `drop`, `dropna`, `head`,
`sample`, reductions, element-wise methods; `inplace=True` changes the value itself."""

from __future__ import annotations

from collections.abc import Callable

from cnnlint.frontend.pandas.frames import (
    FrameV,
    PandasV,
    SeriesV,
    as_array,
    labels_of,
    make,
    site_loc,
    take,
)
from cnnlint.frontend.pandas.registry import METHODS
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import UNKNOWN, Const, SliceV, Value, as_int, as_str
from cnnlint.shapes import Dim

# impl(interp, the value, the method's name, positional arguments, keyword arguments)
Method = Callable[[Evaluator, PandasV, str, tuple[Value, ...], dict[str, Value]], Value]


def bind(params: str, args: tuple[Value, ...], kwargs: dict[str, Value]) -> dict[str, Value] | None:
    """Arguments by parameter name, as Python binds them; None where the call would fail."""
    names = params.split()
    if len(args) > len(names) or any(k not in names for k in kwargs):
        return None
    bound = dict(zip(names, args, strict=False))
    if any(k in bound for k in kwargs):
        return None
    return {**bound, **kwargs}


def _none(value: Value | None) -> bool:
    return value is None or (isinstance(value, Const) and value.value is None)


def _flag(value: Value | None) -> bool | None:
    if value is None:
        return False
    return bool(value.value) if isinstance(value, Const) and isinstance(value.value, (bool, int)) else None


def _axis(value: Value | None) -> int | None:
    """0 (rows, "index") or 1 (columns), where known."""
    if value is None:
        return 0
    text = as_str(value)
    if text is not None:
        return {"index": 0, "rows": 0, "columns": 1}.get(text)
    n = as_int(value)
    return n if n in (0, 1) else None


def _result(interp: Evaluator, value: PandasV, made: Value, inplace: Value | None) -> Value:
    """What a method returns: `made`, or (`inplace=True`) None with the value itself changed."""
    flag = _flag(inplace)
    if flag is False:
        return made
    if flag is True and isinstance(made, PandasV) and type(made) is type(value):
        value.node, value.unique = made.node, made.unique
    else:
        value.forget_in(interp)
    return Const(None) if flag is True else UNKNOWN


def method(*names: str, kinds: tuple[type[PandasV], ...] = (FrameV, SeriesV)) -> Callable[[Method], Method]:
    """Register `impl` as the methods `names` of the value types `kinds`."""
    def register(impl: Method) -> Method:
        for name in names:
            def call(interp: Evaluator, value: PandasV, *args: Value, _name: str = name, **kwargs: Value) -> Value:
                return impl(interp, value, _name, args, kwargs)

            for kind in kinds:
                METHODS[(kind, name)] = call
        return impl

    return register


@method("to_numpy")
def to_numpy(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    return as_array(interp, value, ".to_numpy")


@method("copy", "astype", "abs", "round", "isnull", "isna", "notnull", "notna", "infer_objects",
        "convert_dtypes", "bfill", "ffill", "interpolate", "clip", "replace", "fillna", "sort_values",
        "sort_index", "rename")
def same_shape(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    """Element-wise methods and reorderings: the same shape (`rename` may repeat a column label)."""
    unique = value.unique and called != "rename"
    node = interp.graph.add("identity", f".{called}", [value.node], {}, site_loc(interp)).id
    made = value.rebuilt(node, unique, keep_names=called != "rename")
    return _result(interp, value, made, kwargs.get("inplace"))


@method("map", kinds=(SeriesV,))
def series_map(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    return value.rebuilt(interp.graph.add("identity", ".map", [value.node], {}, site_loc(interp)).id)


@method("to_frame", kinds=(SeriesV,))
def to_frame(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    return make(interp, FrameV, [value.dims(interp)[0], Dim.const(1)], ".to_frame")


@method("unique", kinds=(SeriesV,))
def unique(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    made = make(interp, SeriesV, [None], ".unique")
    return as_array(interp, made, ".unique")


@method("value_counts")
def value_counts(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    return make(interp, SeriesV, [None], ".value_counts")


@method("transpose", kinds=(FrameV,))
def transpose(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    return value.attribute(interp, "T") or UNKNOWN


@method("drop", kinds=(FrameV,))
def drop(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    """`drop(labels, axis=1)` / `drop(columns=...)`: fewer columns (as many fewer as labels where
    the frame's labels are distinct and every label must exist); `drop(index=...)`: fewer rows."""
    bound = bind("labels axis index columns level inplace errors", args, kwargs)
    if bound is None:
        return UNKNOWN
    rows, cols = value.dims(interp)
    axis = _axis(bound.get("axis"))
    labels, index, columns = bound.get("labels"), bound.get("index"), bound.get("columns")
    if not _none(labels) and (not _none(index) or not _none(columns)):
        return UNKNOWN  # pandas refuses labels with index= or columns=
    if not _none(labels):
        if axis is None:
            return UNKNOWN
        index, columns = (labels, None) if axis == 0 else (None, labels)
    new_rows: Dim | None = rows if _none(index) else None
    new_cols: Dim | None = cols
    names = value.names
    if not _none(columns):
        assert columns is not None
        dropped = labels_of(columns)
        if dropped is None and isinstance(columns, Const):
            dropped = [columns.value] if columns.value is not None else None
        strict = as_str(bound.get("errors", Const("raise"))) == "raise" and _none(bound.get("level"))
        if names is not None and dropped is not None and strict:
            if any(label not in names for label in dropped):
                return UNKNOWN  # pandas raises a KeyError
            names = tuple(n for n in names if n not in dropped)
        else:
            known = value.unique and strict and dropped is not None and len(set(dropped)) == len(dropped)
            new_cols = cols - len(dropped) if known and dropped is not None else None
            names = None
    made = make(interp, FrameV, [new_rows, new_cols], ".drop", unique=value.unique, names=names)
    return _result(interp, value, made, bound.get("inplace"))


@method("dropna", "drop_duplicates")
def dropna(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    """Some of the rows (or, `dropna(axis=1)`, of the columns)."""
    axis = _axis(kwargs.get("axis", args[0] if args and called == "dropna" else None))
    dims: list[Dim | None] = list(value.dims(interp))
    if axis is None:
        return _result(interp, value, UNKNOWN, kwargs.get("inplace"))
    dims[axis if isinstance(value, FrameV) else 0] = None
    made = make(interp, type(value), dims, f".{called}", unique=value.unique, names=value.names if axis == 0 else None)
    return _result(interp, value, made, kwargs.get("inplace"))


@method("head", "tail")
def head(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    bound = bind("n", args, kwargs)
    n = as_int(bound.get("n", Const(5))) if bound is not None else None
    if n is None:
        return UNKNOWN
    tail = called == "tail"
    rows = SliceV(Const(-n), Const(None), Const(None)) if tail and n else \
        SliceV(Const(0), Const(0), Const(None)) if tail else SliceV(Const(None), Const(n), Const(None))
    return take(interp, value, (rows,), interp.call_site)


@method("sample")
def sample(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    """`sample(n)` rows, `sample(frac=1)` all of them shuffled (the default: one row)."""
    bound = bind("n frac replace weights random_state axis ignore_index", args, kwargs)
    if bound is None or _axis(bound.get("axis")) != 0:
        return UNKNOWN
    dims: list[Dim | None] = list(value.dims(interp))
    n, frac = bound.get("n"), bound.get("frac")
    if not _none(n) and not _none(frac):
        return UNKNOWN
    rows, replace = dims[0], _flag(bound.get("replace"))
    if _none(frac):
        count = as_int(n) if n is not None and not _none(n) else 1
        if count is None or count < 0 or (replace is not True and rows is not None and rows.value is not None
                                          and count > rows.value):
            return UNKNOWN
        dims[0] = Dim.const(count)
    elif isinstance(frac, Const) and frac.value == 1 and replace is False:
        dims[0] = rows
    else:
        dims[0] = None
    return make(interp, type(value), dims, ".sample", unique=value.unique, names=value.names)


@method("reset_index")
def reset_index(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    """`reset_index(drop=True)` keeps the shape; otherwise the index becomes columns."""
    drop_index = _flag(kwargs.get("drop"))
    if drop_index is True:
        made: Value = value.rebuilt(interp.graph.add("identity", ".reset_index", [value.node], {}, site_loc(interp)).id)
    elif drop_index is False:
        rows = value.dims(interp)[0]
        made = make(interp, FrameV, [rows, None], ".reset_index", unique=False)
    else:
        made = UNKNOWN
    return _result(interp, value, made, kwargs.get("inplace"))


@method("set_index", "select_dtypes", kinds=(FrameV,))
def fewer_columns(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    rows = value.dims(interp)[0]
    made = make(interp, FrameV, [rows, None], f".{called}", unique=value.unique)
    return _result(interp, value, made, kwargs.get("inplace"))


@method("insert", "pop", "update", kinds=(FrameV,))
def changes_in_place(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    """`insert` adds a column, `pop` takes one out: the frame forgets its sizes."""
    value.forget_in(interp)
    return UNKNOWN


@method("mean", "sum", "max", "min", "std", "var", "median", "count", "nunique", "prod")
def reduction(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    """Over the rows (`axis=0`, the default) a Series of one value per column; `axis=1` one per row;
    a Series reduces to a scalar."""
    if not isinstance(value, FrameV) or _flag(kwargs.get("numeric_only")) is not False:
        return UNKNOWN  # `numeric_only=True` drops the columns that are not numbers
    axis = _axis(kwargs.get("axis", args[0] if args else None))
    if axis is None:
        return UNKNOWN
    rows, cols = value.dims(interp)
    return make(interp, SeriesV, [cols if axis == 0 else rows], f".{called}")


@method("pop", kinds=(FrameV,))
def pop(interp: Evaluator, value: PandasV, called: str, args: tuple[Value, ...],
        kwargs: dict[str, Value]) -> Value:
    """`df.pop("label")`: that column as a Series, and the frame without it (in place)."""
    bound = bind("item", args, kwargs)
    if bound is None or "item" not in bound:
        return UNKNOWN
    column = value.subscript(interp, bound["item"], interp.call_site)
    drop(interp, value, "drop", (), {"columns": bound["item"], "inplace": Const(True)})
    return UNKNOWN if column is None else column
