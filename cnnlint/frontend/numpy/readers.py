"""Arrays read from files (`np.load`, `np.loadtxt`, `matplotlib`'s, scikit-image's and imageio's
`imread`): their rank and sizes are the file's, so unknown until an op of the program fixes them
(`x.reshape(-1, 28, 28, 1)` is `(?, 28, 28, 1)` whatever was read). `np.loadtxt` / `np.genfromtxt`
squeeze a file of one row or one column, so their rank is known only with `ndmin=`."""

from __future__ import annotations

from cnnlint.frontend.library import Call
from cnnlint.frontend.numpy.registry import api
from cnnlint.frontend.python.values import UNKNOWN, Const, DictV, SeqV, Value, as_int
from cnnlint.shapes import Dim

NP = "numpy"


@api(f"{NP}.load", f"{NP}.fromfile", f"{NP}.fromstring", f"{NP}.frombuffer",
     "matplotlib.image.imread", "matplotlib.pyplot.imread", "skimage.io.imread", "imageio.imread",
     "imageio.v2.imread", "imageio.v3.imread", params="fname")
def read_array(c: Call) -> Value:
    """An array of unknown rank: what the file holds."""
    return c.add("input", [], {"shape": None, "kind": "array"})


def _columns(usecols: Value) -> int | None:
    """How many columns `usecols` reads: one for an int, the length of a list of ints; None unknown."""
    if as_int(usecols) is not None:
        return 1
    if isinstance(usecols, SeqV) and usecols.items and all(as_int(v) is not None for v in usecols.items):
        return len(usecols.items)
    return None


def _text_table(c: Call) -> Value:
    """Rows of the file (unknown), its columns `usecols`' count where given: `ndmin=2` is
    `(rows, k)` (transposed by `unpack=True`); `ndmin=1` of one column `(rows,)`; anything else has
    a rank that depends on the file (a single row or column is squeezed)."""
    dtype = c.get("dtype", UNKNOWN)  # not given: float
    text = dtype.value if isinstance(dtype, Const) else ""
    structured = isinstance(dtype, Const) and (text is None or (isinstance(text, str) and "," in text))
    if c.has("dtype") and (isinstance(dtype, (SeqV, DictV)) or structured):
        return c.add("input", [], {"shape": None, "kind": "array"})  # a structured array: one record per row
    ndmin = as_int(c.get("ndmin", Const(0)))
    unpack = False if _none(c.get("unpack", Const(None))) else c.bool_arg("unpack")
    columns = _columns(c.get("usecols")) if c.has("usecols") and not _none(c.get("usecols")) else None
    shape: list[Dim | None] | None = None
    if ndmin == 2:
        shape = [None, Dim.const(columns) if columns is not None else None]
        if unpack:
            shape.reverse()
    elif ndmin == 1 and columns == 1:
        shape = [None]
    if unpack is None:
        shape = None
    return c.add("input", [], {"shape": shape, "kind": "array"})


def _none(value: Value) -> bool:
    return isinstance(value, Const) and value.value is None


@api(f"{NP}.loadtxt", params="fname dtype comments delimiter converters skiprows usecols unpack ndmin encoding "
                              "max_rows quotechar like")
def loadtxt(c: Call) -> Value:
    return _text_table(c)


@api(f"{NP}.genfromtxt", params="fname dtype comments delimiter skip_header skip_footer converters missing_values "
                                 "filling_values usecols names excludelist deletechars replace_space autostrip "
                                 "case_sensitive defaultfmt unpack usemask loose invalid_raise max_rows encoding "
                                 "ndmin like")
def genfromtxt(c: Call) -> Value:
    names = c.get("names", Const(None))
    if not (isinstance(names, Const) and names.value in (None, False)):
        return UNKNOWN  # named columns: a structured array
    return _text_table(c)
