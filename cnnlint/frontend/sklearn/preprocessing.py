"""scikit-learn's transformers of a model's data: the scalers (same shape, 2-D only),
`LabelBinarizer` and `OneHotEncoder` (a column per class), `LabelEncoder` (class numbers) and
`PCA` (`n_components` columns), with `fit` / `transform` / `fit_transform` / `inverse_transform`.

A transformer is an `EstimatorV` that remembers what `fit` saw (its number of features, of
classes); input scikit-learn refuses (1-D or 3-D data for a scaler) gives UNKNOWN, never a finding.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, ClassVar, Literal

from cnnlint.frontend.library import Call
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.join import Joiner
from cnnlint.frontend.python.values import (
    UNKNOWN,
    BuiltinV,
    Const,
    SeqV,
    Value,
    as_int,
    as_str,
    int_value,
)
from cnnlint.frontend.sklearn.registry import METHODS, api
from cnnlint.frontend.tensor import ShapeV, TensorV, literal_shape
from cnnlint.ir import Loc
from cnnlint.shapes import Dim
from cnnlint.shapes.dim import different

SCALERS = ("StandardScaler", "MinMaxScaler", "RobustScaler", "Normalizer", "MaxAbsScaler")
_INVERTIBLE = frozenset(("StandardScaler", "MinMaxScaler", "RobustScaler", "MaxAbsScaler"))
PRE = "sklearn.preprocessing"


@dataclass(eq=False)
class EstimatorV(Value):
    """A transformer: its class name, its constructor's options that decide shapes, and what
    `fit` learnt (number of features, of classes, of components) where known."""

    kind: str
    options: dict[str, Any] = field(default_factory=dict)
    features: Dim | None = None
    classes: int | None = None
    components: Dim | None = None
    forgettable: ClassVar[bool] = True

    def copy(self, memo: dict[int, Value]) -> Value:
        return EstimatorV(self.kind, self.options, self.features, self.classes, self.components)

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        assert isinstance(other, EstimatorV)
        if self.kind != other.kind or self.options != other.options:
            return None
        return EstimatorV(self.kind, self.options, _same(self.features, other.features),
                          self.classes if self.classes == other.classes else None,
                          _same(self.components, other.components))

    def forget(self) -> None:
        self.features = self.classes = self.components = None

    def mutated_by(self, method: str) -> bool:
        return method in ("fit", "fit_transform", "partial_fit", "set_params")

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "n_features_in_" and self.features is not None:
            return int_value(self.features)
        if attr == "n_components_" and self.components is not None:
            return int_value(self.components)
        return None


@dataclass(eq=False)
class SparseV(Value):
    """A SciPy sparse matrix (`OneHotEncoder`'s default output): `node` holds its shape; it is no
    array to the rest of cnnlint until `.toarray()` / `.todense()` makes one."""

    node: int

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "shape":
            return ShapeV(interp.graph.nodes[self.node].shape)
        if attr in ("toarray", "todense"):
            return BuiltinV(attr, lambda _interp, *args, **kwargs: TensorV(interp.graph.add(
                "identity", f".{attr}", [self.node], {}, _loc(interp)).id))
        return None


def _same(a: Dim | None, b: Dim | None) -> Dim | None:
    return a if a is not None and b is not None and a == b else None


# -- constructors ---------------------------------------------------------------------------
def _estimator(kind: str, positional: int = 0) -> Callable[[Call], Value]:
    """A constructor that takes `positional` arguments by position (scikit-learn's others are
    keyword-only: a call that passes more is refused)."""
    def construct(c: Call) -> Value:
        if len(c.extra) > positional:
            return UNKNOWN
        options: dict[str, Any] = {}
        for i, value in enumerate(c.extra):
            options[f"#{i}"] = value
        for name in c.kwarg_names:
            options[name] = c.get(name)
        return _made(kind, options)

    return construct


def _made(kind: str, raw: dict[str, Any]) -> Value:
    """The estimator with the options that decide its output shapes read; UNKNOWN if refused."""
    options: dict[str, Any] = {}
    if kind == "OneHotEncoder":
        if "sparse" in raw:
            return UNKNOWN  # scikit-learn 1.9 has no `sparse=` (it is `sparse_output=`)
        options["sparse"] = _flag(raw.get("sparse_output"), True)
        options["columns"] = _encoded_columns(raw)
    elif kind == "LabelBinarizer":
        options["sparse"] = _flag(raw.get("sparse_output"), False)
    elif kind == "PCA":
        value = raw.get("n_components", raw.get("#0", Const(None)))
        n = as_int(value)
        options["n_components"] = n if n is not None else None if isinstance(value, Const) and value.value is None \
            else "?"
        solver = as_str(raw.get("svd_solver", Const("auto")))
        options["arpack"] = None if solver is None else solver == "arpack"
    return EstimatorV(kind, options)


def _flag(value: Value | None, default: bool) -> bool | None:
    if value is None:
        return default
    if isinstance(value, Const) and isinstance(value.value, bool):
        return value.value
    return None


def _encoded_columns(raw: dict[str, Any]) -> tuple[int, int] | None:
    """(features, output columns) from a literal `categories=` list, or None where the data decide."""
    categories = raw.get("categories", Const("auto"))
    if not isinstance(categories, SeqV) or any(name in raw for name in ("max_categories", "min_frequency")):
        return None
    drop = raw.get("drop", Const(None))
    lengths: list[int] = []
    for item in categories.items:
        shape = literal_shape(item)
        if shape is None or len(shape) != 1 or shape[0].value is None:
            return None
        lengths.append(shape[0].value)
    if isinstance(drop, Const) and drop.value is None:
        return len(lengths), sum(lengths)
    if as_str(drop) == "first":
        return len(lengths), sum(n - 1 for n in lengths)
    if as_str(drop) == "if_binary":
        return len(lengths), sum(n - 1 if n == 2 else n for n in lengths)
    return None


for _kind, _positional in ((k, 1 if k in ("Normalizer", "MinMaxScaler") else 0) for k in SCALERS):
    api(f"{PRE}.{_kind}", params="")(_estimator(_kind, _positional))
api(f"{PRE}.LabelBinarizer", params="")(_estimator("LabelBinarizer"))
api(f"{PRE}.LabelEncoder", params="")(_estimator("LabelEncoder"))
api(f"{PRE}.OneHotEncoder", params="")(_estimator("OneHotEncoder"))
api("sklearn.decomposition.PCA", params="")(_estimator("PCA", 1))


# -- methods ----------------------------------------------------------------------------------
def _loc(interp: Evaluator) -> Loc:
    site = interp.call_site
    return interp.loc(site) if site is not None else Loc(1, 1, 1, 1)


def _node(interp: Evaluator, value: Value) -> int | None:
    """The data as a graph node: an array, a DataFrame, a literal list."""
    if isinstance(value, TensorV):
        return value.node
    shape = literal_shape(value)
    if shape is None:
        return None
    return interp.graph.add("input", "list", [], {"shape": list(shape), "kind": "constant"}, _loc(interp)).id


def _shape(interp: Evaluator, node: int | None) -> tuple[Dim, ...] | None:
    return None if node is None else interp.graph.nodes[node].shape


def _labels_shape(interp: Evaluator, y: Value) -> tuple[Dim, ...] | None:
    """The shape of labels: an array's, or a literal list's (of strings too: `["cat", "dog"]`)."""
    if isinstance(y, SeqV) and y.items and all(isinstance(v, Const) and v.value is not None for v in y.items):
        return (Dim.const(len(y.items)),)
    return _shape(interp, _node(interp, y))


def _array(interp: Evaluator, shape: list[Dim | None], api_text: str, dtype: str | None = None) -> TensorV:
    attrs: dict[str, Any] = {"shape": shape, "kind": "array", **({"dtype": dtype} if dtype else {})}
    return TensorV(interp.graph.add("input", api_text, [], attrs, _loc(interp)).id)


def _classes(value: Value) -> int | None:
    """The number of distinct labels of a literal list of labels."""
    if not isinstance(value, SeqV) or not value.items:
        return None
    labels = [v.value for v in value.items if isinstance(v, Const) and v.value is not None]
    return len(set(labels)) if len(labels) == len(value.items) else None


def fit(interp: Evaluator, est: EstimatorV, x: Value) -> bool:
    """Learn what decides the output shapes; False where scikit-learn refuses the data."""
    if est.kind in ("LabelBinarizer", "LabelEncoder"):
        shape = _labels_shape(interp, x)
        if shape is not None and not (len(shape) == 1 or (len(shape) == 2 and shape[1].value == 1)):
            return False
        est.classes = _classes(x)
        return True
    shape = _shape(interp, _node(interp, x))
    if shape is not None and len(shape) != 2:
        return False
    est.features = None if shape is None else shape[1]
    if est.kind == "PCA":
        components = _components(est, shape)
        if components is False:
            return False
        est.components = components
    if est.kind == "OneHotEncoder":
        columns = est.options["columns"]
        if columns is not None and est.features is not None and different(est.features, columns[0]):
            return False
    return True


def _components(est: EstimatorV, shape: tuple[Dim, ...] | None) -> Dim | Literal[False] | None:
    """PCA's number of components: `n_components`, at most min(rows, features) (arpack: below
    it); None (`n_components=None`): that minimum; False where scikit-learn refuses it."""
    k = est.options["n_components"]
    arpack = est.options["arpack"]
    limit = None
    if shape is not None and shape[0].value is not None and shape[1].value is not None:
        limit = min(shape[0].value, shape[1].value) - (1 if arpack else 0)
    if k is None:
        return None if limit is None or limit < 1 or arpack is None else Dim.const(limit)
    if not isinstance(k, int):
        return None
    if k < 1 or (limit is not None and k > limit):
        return False
    return Dim.const(k)


def transform(interp: Evaluator, est: EstimatorV, x: Value, name: str) -> Value:
    if est.kind in ("LabelBinarizer", "LabelEncoder"):
        shape = _labels_shape(interp, x)
        if shape is None:
            shape = (Dim.unknown(),)  # 1-D or a column: scikit-learn refuses anything else
        if not (len(shape) == 1 or (len(shape) == 2 and shape[1].value == 1)):
            return UNKNOWN
        if est.kind == "LabelEncoder":
            return _array(interp, [shape[0]], name, "int")
        k = est.classes
        columns = None if k is None else Dim.const(1 if k <= 2 else k)
        made = _array(interp, [shape[0], columns], name, "int")
        return SparseV(made.node) if est.options["sparse"] is not False else made
    node = _node(interp, x)
    shape = _shape(interp, node)
    if shape is not None and len(shape) != 2:
        return UNKNOWN  # scikit-learn wants 2-D data
    if shape is not None and est.features is not None and different(shape[1], est.features):
        return UNKNOWN  # not the number of features it was fitted on: refused
    rows = None if shape is None else shape[0]
    if est.kind in SCALERS:
        if node is None or shape is None:
            return _array(interp, [None, None], name)
        return TensorV(interp.graph.add("identity", name, [node], {}, _loc(interp)).id)
    if est.kind == "PCA":
        return _array(interp, [rows, est.components], name)
    if est.kind == "OneHotEncoder":
        columns = est.options["columns"]
        made = _array(interp, [rows, None if columns is None else Dim.const(columns[1])], name)
        sparse = est.options["sparse"]
        return made if sparse is False else SparseV(made.node) if sparse is True else UNKNOWN
    return UNKNOWN


def inverse(interp: Evaluator, est: EstimatorV, x: Value) -> Value:
    node = _node(interp, x)
    shape = _shape(interp, node)
    if est.kind in _INVERTIBLE:
        if shape is not None and len(shape) != 2:
            return UNKNOWN
        return TensorV(interp.graph.add("identity", ".inverse_transform", [node], {}, _loc(interp)).id)
    if shape is None:
        return UNKNOWN
    if est.kind == "LabelEncoder" and len(shape) == 1:
        return _array(interp, [shape[0]], ".inverse_transform")
    if est.kind == "PCA" and len(shape) == 2:
        return _array(interp, [shape[0], est.features], ".inverse_transform")
    return UNKNOWN


def _method(impl: Callable[[Evaluator, EstimatorV, Value], Value]) -> Callable[..., Value]:
    def call(interp: Evaluator, est: EstimatorV, *args: Value, **kwargs: Value) -> Value:
        data = args[0] if args else kwargs.get("X", kwargs.get("y"))
        return UNKNOWN if data is None else impl(interp, est, data)

    return call


def _fit(interp: Evaluator, est: EstimatorV, x: Value) -> Value:
    return est if fit(interp, est, x) else UNKNOWN


def _fit_transform(interp: Evaluator, est: EstimatorV, x: Value) -> Value:
    return transform(interp, est, x, ".fit_transform") if fit(interp, est, x) else UNKNOWN


def _transform(interp: Evaluator, est: EstimatorV, x: Value) -> Value:
    return transform(interp, est, x, ".transform")


for _name, _impl in (("fit", _fit), ("fit_transform", _fit_transform), ("transform", _transform),
                     ("inverse_transform", inverse)):
    METHODS[(EstimatorV, _name)] = _method(_impl)
