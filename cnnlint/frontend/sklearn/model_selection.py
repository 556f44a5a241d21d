"""`train_test_split`: each array's train and test rows, counted as scikit-learn counts them
(`_validate_shuffle_split`); sizes scikit-learn refuses leave every part UNKNOWN."""

from __future__ import annotations

import math

from cnnlint.frontend.library import Call
from cnnlint.frontend.pandas.frames import PandasV
from cnnlint.frontend.python.values import UNKNOWN, Const, ListOfV, SeqV, Value
from cnnlint.frontend.sklearn.registry import api
from cnnlint.frontend.tensor import TensorV, dtype_attrs, literal_shape
from cnnlint.shapes import Dim
from cnnlint.shapes.dim import different

_KEYWORDS = frozenset(("test_size", "train_size", "random_state", "shuffle", "stratify"))
# A size argument: absent / None, an int, a float, or "?" (a value cnnlint does not know).
Size = int | float | str | None


@api("sklearn.model_selection.train_test_split", "sklearn.cross_validation.train_test_split", params="")
def train_test_split(c: Call) -> Value:
    """[a_train, a_test, b_train, b_test, ...]: every array's rows split alike, other axes kept."""
    arrays = c.extra
    if not arrays or any(name not in _KEYWORDS for name in c.args) or any(isinstance(a, Const) for a in arrays):
        return UNKNOWN  # a size given by position is read as one more array, a scalar: refused
    if c.bool_arg("shuffle", True) is False and _given(c.get("stratify", Const(None))):
        return UNKNOWN  # scikit-learn refuses to stratify without shuffling
    rows = [_rows(c, a) for a in arrays]
    known = [r for r in rows if r is not None]
    if any(different(a, b) for a in known for b in known):
        return UNKNOWN  # arrays of different lengths: scikit-learn refuses them
    test, train = _size(c.get("test_size", Const(None))), _size(c.get("train_size", Const(None)))
    counts = split_counts(rows[0], test, train)
    if counts is None:
        return UNKNOWN
    out: list[Value] = []
    for array in arrays:
        out.extend(_part(c, array, count) for count in counts)
    return SeqV(out)


def split_counts(n: Dim | None, test: Size, train: Size) -> tuple[Dim, Dim] | None:
    """(train rows, test rows) of `n` rows as scikit-learn counts them; None where it refuses the
    sizes; unknown counts where the sizes or `n` are not known."""
    if test is None and train is None:
        test = 0.25
    for size in (test, train):
        if isinstance(size, float) and not 0 < size < 1:
            return None
        if isinstance(size, int) and size <= 0:
            return None
    if isinstance(test, float) and isinstance(train, float) and test + train > 1:
        return None
    if "bad" in (test, train):
        return None
    if "?" in (test, train):
        return Dim.unknown(), Dim.unknown()
    total = None if n is None else n.value
    if total is not None:
        exact = _validate_shuffle_split(total, test, train)
        return None if exact is None else (Dim.const(exact[0]), Dim.const(exact[1]))
    rows = n if n is not None else Dim.unknown()
    n_test = Dim.const(test) if isinstance(test, int) else None
    n_train = Dim.const(train) if isinstance(train, int) else None
    if train is None and n_test is not None:
        n_train = rows - n_test
    if test is None and n_train is not None:
        n_test = rows - n_train
    return (Dim.unknown() if n_train is None else n_train), (Dim.unknown() if n_test is None else n_test)


def _validate_shuffle_split(n: int, test: Size, train: Size) -> tuple[int, int] | None:
    """scikit-learn's own arithmetic (`model_selection._split._validate_shuffle_split`), for a
    known number of rows; None where it raises."""
    if (isinstance(test, int) and test >= n) or (isinstance(train, int) and train >= n):
        return None
    n_test = math.ceil(test * n) if isinstance(test, float) else test
    n_train = math.floor(train * n) if isinstance(train, float) else train
    if n_train is None and isinstance(n_test, int):
        n_train = n - n_test
    elif n_test is None and isinstance(n_train, int):
        n_test = n - n_train
    if not isinstance(n_train, int) or not isinstance(n_test, int) or n_train + n_test > n or n_train == 0:
        return None
    return n_train, n_test


def _size(value: Value) -> Size:
    if isinstance(value, Const):
        if value.value is None:
            return None
        if isinstance(value.value, bool) or isinstance(value.value, str):
            return "bad"  # scikit-learn refuses booleans and strings
        return value.value
    return "?"


def _given(value: Value) -> bool:
    return not (isinstance(value, Const) and value.value is None)


def _rows(c: Call, array: Value) -> Dim | None:
    """The number of rows of an array, a DataFrame or a list, where known."""
    if isinstance(array, TensorV):
        shape = c.interp.graph.nodes[array.node].shape
        return shape[0] if shape else None
    if isinstance(array, SeqV):
        return Dim.const(len(array.items))
    return None


def _part(c: Call, array: Value, rows: Dim) -> Value:
    """`rows` rows of `array`, picked by an index array as scikit-learn's `_safe_indexing` does."""
    if isinstance(array, SeqV) and literal_shape(array) is None:
        return ListOfV(UNKNOWN)  # a list of strings, of file names, of ragged items
    if isinstance(array, ListOfV):
        return ListOfV(array.item)
    node = c.interp_tensor(array) if isinstance(array, (TensorV, SeqV)) else None
    if node is None:
        return UNKNOWN
    graph = c.interp.graph
    if graph.nodes[node].shape == ():
        return UNKNOWN  # a scalar: scikit-learn refuses it
    part = c.add("index", [node], {"key": (("array", (rows,)),), **dtype_attrs(graph, node)})
    return array.rebuilt(part.node) if isinstance(array, PandasV) else part
