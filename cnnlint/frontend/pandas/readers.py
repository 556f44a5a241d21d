"""Where DataFrames come from: `pd.read_csv` and the other readers (rows and columns unknown unless
`usecols=` / `names=` say), the `DataFrame` and `Series` constructors, `pd.get_dummies`."""

from __future__ import annotations

from cnnlint.frontend.library import Call
from cnnlint.frontend.pandas.frames import FrameV, Label, PandasV, SeriesV, labels_of, make
from cnnlint.frontend.pandas.registry import api
from cnnlint.frontend.python.values import UNKNOWN, Const, DictV, SeqV, Value
from cnnlint.frontend.tensor import TensorV, literal_shape
from cnnlint.shapes import Dim
from cnnlint.shapes.dim import different

PD = "pandas"

_READ_CSV = ("filepath_or_buffer sep delimiter header names index_col usecols dtype engine converters "
             "true_values false_values skipinitialspace skiprows skipfooter nrows")


@api(f"{PD}.read_csv", f"{PD}.read_table", params=_READ_CSV)
def read_csv(c: Call) -> Value:
    """A DataFrame of unknown rows; its columns are `usecols` or `names` where they are a list of
    distinct labels and no `index_col` takes some of them (pandas refuses repeated `names`)."""
    if _given(c, "chunksize") or c.bool_arg("iterator") is not False:
        return UNKNOWN  # a reader of chunks, not a DataFrame
    columns: Dim | None = None
    labels: tuple[Label, ...] | None = None
    if not _given(c, "index_col"):
        usecols, names = labels_of(c.get("usecols")), labels_of(c.get("names"))
        if _given(c, "usecols") and not _given(c, "names") and usecols is not None and \
                len(set(usecols)) == len(usecols):
            columns = Dim.const(len(usecols))  # in the file's order, not the list's
        if _given(c, "names") and not _given(c, "usecols") and names is not None and len(set(names)) == len(names):
            labels = tuple(names)
    # `nrows=` is only "at most": a shorter file gives fewer rows.
    return make(c.interp, FrameV, [None, columns], c.shown, site=c.site, names=labels)


@api(f"{PD}.read_excel", params="io sheet_name header names index_col usecols")
def read_excel(c: Call) -> Value:
    sheet = c.get("sheet_name", Const(0))
    if not (isinstance(sheet, Const) and isinstance(sheet.value, (int, str)) and not isinstance(sheet.value, bool)):
        return UNKNOWN  # a list of sheets, or None (all of them), is a dict of DataFrames
    return make(c.interp, FrameV, [None, None], c.shown, site=c.site)


@api(f"{PD}.read_parquet", f"{PD}.read_feather", f"{PD}.read_sql", f"{PD}.read_sql_query",
     f"{PD}.read_sql_table", params="path")
def read_table_file(c: Call) -> Value:
    if _given(c, "chunksize"):
        return UNKNOWN
    return make(c.interp, FrameV, [None, None], c.shown, site=c.site)


@api(f"{PD}.read_json", params="path_or_buf orient typ")
def read_json(c: Call) -> Value:
    if c.str_arg("typ", "frame") != "frame" or _given(c, "chunksize") or c.bool_arg("lines") is None:
        return UNKNOWN
    return make(c.interp, FrameV, [None, None], c.shown, site=c.site)


@api(f"{PD}.DataFrame", params="data index columns dtype copy")
def data_frame(c: Call) -> Value:
    """`DataFrame(array)` its shape, `DataFrame({"a": [...], ...})` a column per key."""
    data, columns = c.get("data", Const(None)), c.get("columns", Const(None))
    names = labels_of(columns) if _given(c, "columns") else None
    if _given(c, "columns") and names is None:
        return UNKNOWN
    unique = names is None or len(set(names)) == len(names)
    if isinstance(data, DictV) and all(isinstance(k, str) for k in data.items):
        if names is not None:
            return make(c.interp, FrameV, [None, None], c.shown, unique=unique, site=c.site, names=tuple(names))
        rows = _common_length(c, list(data.items.values()))
        return make(c.interp, FrameV, [rows, None], c.shown, site=c.site, names=tuple(data.items))
    if isinstance(data, PandasV):
        if names is not None or _given(c, "index"):
            return UNKNOWN  # reindexed by the labels given
        rows = data.dims(c.interp)[0]
        if isinstance(data, SeriesV):
            return make(c.interp, FrameV, [rows, Dim.const(1)], c.shown, site=c.site)
        return make(c.interp, FrameV, list(data.dims(c.interp)), c.shown, unique=data.unique, site=c.site,
                    names=data.names)
    if isinstance(data, Const) and data.value is None:
        return UNKNOWN
    shape = c.interp.graph.nodes[data.node].shape if isinstance(data, TensorV) else literal_shape(data)
    if shape is None or len(shape) not in (1, 2) or _given(c, "index"):
        return UNKNOWN
    dims = (*shape, Dim.const(1)) if len(shape) == 1 else shape
    if names is not None and different(dims[1], len(names)):
        return UNKNOWN  # pandas refuses a `columns` list of another length
    count = dims[1].value
    labels = tuple(names) if names is not None else tuple(range(count)) if count is not None and count <= 4096 \
        else None
    return make(c.interp, FrameV, list(dims), c.shown, unique=unique, site=c.site, names=labels)


@api(f"{PD}.Series", params="data index dtype name copy")
def series(c: Call) -> Value:
    data = c.get("data", Const(None))
    if _given(c, "index") or isinstance(data, (DictV, PandasV)):
        return UNKNOWN
    shape = c.interp.graph.nodes[data.node].shape if isinstance(data, TensorV) else literal_shape(data)
    if shape is None or len(shape) != 1:
        return UNKNOWN
    return make(c.interp, SeriesV, list(shape), c.shown, site=c.site)


@api(f"{PD}.get_dummies", params="data prefix prefix_sep dummy_na columns sparse drop_first dtype")
def get_dummies(c: Call) -> Value:
    """One indicator column per value (how many is the data's): (rows, ?)."""
    data = c.get("data")
    if isinstance(data, PandasV):
        rows: Dim | None = data.dims(c.interp)[0]
    elif isinstance(data, TensorV) or isinstance(data, SeqV):
        shape = c.interp.graph.nodes[data.node].shape if isinstance(data, TensorV) else literal_shape(data)
        if shape is None or len(shape) != 1:
            return UNKNOWN
        rows = shape[0]
    else:
        return UNKNOWN
    if c.bool_arg("sparse") is not False:
        return UNKNOWN
    return make(c.interp, FrameV, [rows, None], c.shown, unique=False, site=c.site)


def _given(c: Call, name: str) -> bool:
    value = c.get(name, Const(None))
    return not (isinstance(value, Const) and value.value is None)


def _common_length(c: Call, columns: list[Value]) -> Dim | None:
    """The length every column of a dict has (arrays and lists), where all agree."""
    lengths: list[Dim] = []
    for column in columns:
        shape = c.interp.graph.nodes[column.node].shape if isinstance(column, TensorV) else literal_shape(column)
        if shape is None or len(shape) != 1:
            return None
        lengths.append(shape[0])
    if not lengths or any(length != lengths[0] for length in lengths):
        return None
    return lengths[0]


@api(f"{PD}.concat", params="objs axis join ignore_index keys levels names verify_integrity sort copy")
def concat(c: Call) -> Value:
    """`pd.concat([a, b], axis=1)`: the columns side by side, as many as all have (a Series is one);
    its rows are the union of the indexes (unknown). `axis=0`: the rows of all, stacked; the columns
    the union (`join="inner"`: the intersection) of their labels, where every frame's are known."""
    objs = c.get("objs")
    if not isinstance(objs, SeqV) or not objs.items or not all(isinstance(o, PandasV) for o in objs.items):
        return UNKNOWN
    parts = [o for o in objs.items if isinstance(o, PandasV)]
    axis, join = c.get("axis", Const(0)), c.str_arg("join", "outer")
    if not isinstance(axis, Const) or axis.value not in (0, 1, "index", "columns") or join not in ("outer", "inner") \
            or any(_given(c, name) for name in ("keys", "levels", "names")) or c.extra:
        return UNKNOWN  # keys / levels / names make hierarchical labels
    ignore_index = c.bool_arg("ignore_index")
    if ignore_index is None:
        return UNKNOWN
    if axis.value in (1, "columns"):
        return _side_by_side(c, parts, ignore_index)
    return _stacked(c, parts, join)


def _side_by_side(c: Call, parts: list[PandasV], ignore_index: bool) -> Value:
    counts = [Dim.const(1) if isinstance(p, SeriesV) else p.dims(c.interp)[1] for p in parts]
    columns = Dim.const(0)
    for count in counts:
        columns = columns + count
    labels: tuple[Label, ...] | None = None
    if ignore_index and columns.value is not None:
        labels = tuple(range(columns.value))  # the column labels become 0..k-1
    elif all(isinstance(p, FrameV) and p.names is not None and p.unique for p in parts):
        labels = tuple(n for p in parts for n in (p.names or ()))
    unique = labels is not None and len(set(labels)) == len(labels)
    return make(c.interp, FrameV, [None, None if columns.value is None else columns], c.shown, unique=unique,
                site=c.site, names=labels)


def _stacked(c: Call, parts: list[PandasV], join: str) -> Value:
    rows = Dim.const(0)
    for part in parts:
        rows = rows + part.dims(c.interp)[0]
    known_rows = None if rows.value is None else rows
    if all(isinstance(p, SeriesV) for p in parts):
        return make(c.interp, SeriesV, [known_rows], c.shown, site=c.site)
    if not all(isinstance(p, FrameV) for p in parts):
        return make(c.interp, FrameV, [known_rows, None], c.shown, unique=False, site=c.site)
    if not all(p.names is not None and p.unique for p in parts):
        return make(c.interp, FrameV, [known_rows, None], c.shown, unique=all(p.unique for p in parts), site=c.site)
    labels: list[Label] = []
    for part in parts:
        labels.extend(n for n in (part.names or ()) if n not in labels)
    if join == "inner":
        labels = [n for n in labels if all(n in (p.names or ()) for p in parts)]
    return make(c.interp, FrameV, [known_rows, None], c.shown, site=c.site, names=tuple(labels))
