"""Where data meets a model: `compile(loss=...)`, `fit/evaluate/predict/...(x, y)` and `feed_dict`.

Each call becomes an `ir.Feed`: the shapes the model (or placeholder) expects, the graph nodes of
the data given, and the compiled loss. Rules CNN012-CNN014 compare them. Nothing is recorded
when the model's input shapes are not known (an unbuilt `Sequential`, a subclassed model).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import libcst as cst

from cnnlint.frontend.keras import versions
from cnnlint.frontend.keras.building import build_from_data
from cnnlint.frontend.keras.keras1 import CLASSES as KERAS1_CLASSES
from cnnlint.frontend.keras.layers import keras1_fit_arguments
from cnnlint.frontend.keras.preprocessing import refused_generator_method
from cnnlint.frontend.keras.registry import METHODS, api
from cnnlint.frontend.keras.values import FunctionalV, KerasState, SequentialV
from cnnlint.frontend.names import canonical
from cnnlint.frontend.pandas.frames import SeriesV
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import UNKNOWN, Const, GeneratorV, ModuleV, ObjectV, SeqV, Value
from cnnlint.frontend.tensor import TensorV
from cnnlint.frontend.tensorflow.data import DatasetV, fit_data, sequence_batches
from cnnlint.ir import Feed, Graph, Model
from cnnlint.shapes import MaybeShape
from cnnlint.shapes.feeding import StrictFit, keras_adjusted_input, mismatched_axes
from cnnlint.targets import KerasTarget

# Keras loss names: every spelling (string, function, class) -> one canonical name.
LOSSES = {
    "categorical_crossentropy": "categorical_crossentropy",
    "CategoricalCrossentropy": "categorical_crossentropy",
    "sparse_categorical_crossentropy": "sparse_categorical_crossentropy",
    "SparseCategoricalCrossentropy": "sparse_categorical_crossentropy",
    "binary_crossentropy": "binary_crossentropy",
    "BinaryCrossentropy": "binary_crossentropy",
    "mse": "mean_squared_error", "MSE": "mean_squared_error", "mean_squared_error": "mean_squared_error",
    "MeanSquaredError": "mean_squared_error",
    "mae": "mean_absolute_error", "MAE": "mean_absolute_error", "mean_absolute_error": "mean_absolute_error",
    "MeanAbsoluteError": "mean_absolute_error",
}
LOSS_PREFIX = "keras-loss:"
# Appended to a loss object's name when it may take logits (`from_logits=` given, not a literal False).
MAY_TAKE_LOGITS = "|from_logits"


def _loss_class(name: str) -> Any:
    def make(c: Any) -> Value:
        flag = c.args.get("from_logits")
        probabilities = not c.extra and (flag is None or (isinstance(flag, Const) and flag.value is False))
        return Const(LOSS_PREFIX + LOSSES[name] + ("" if probabilities else MAY_TAKE_LOGITS))

    return make


for _name in ("CategoricalCrossentropy", "SparseCategoricalCrossentropy", "BinaryCrossentropy",
              "MeanSquaredError", "MeanAbsoluteError"):
    api(f"keras.losses.{_name}", params="")(_loss_class(_name))


def loss_name(value: Value | None) -> str | None:
    """The canonical loss a `compile(loss=...)` argument names; "?" when it names something else."""
    if value is None:
        return None
    if isinstance(value, Const) and isinstance(value.value, str):
        if value.value.startswith(LOSS_PREFIX):
            return value.value[len(LOSS_PREFIX):].removesuffix(MAY_TAKE_LOGITS)
        return LOSSES.get(value.value, "?")
    if isinstance(value, ModuleV):
        path = canonical(value.path)
        if path.startswith(("keras.losses.", "keras.metrics.")):
            return LOSSES.get(path.rsplit(".", 1)[1], "?")
    return "?"


def _model_of(value: Value) -> tuple[Model, list[int], Value | None] | None:
    """(the model, its input nodes, its output value) when its inputs are known."""
    if isinstance(value, SequentialV):
        if value.output is None or value.graph is None:
            return None
        inputs = [i for i in value.model.nodes if value.graph.nodes[i].op == "input"][:1]
        return (value.model, inputs, value.output) if inputs else None
    if isinstance(value, FunctionalV):
        return (value.model, list(value.inputs), value.outputs) if value.inputs else None
    return None


def _home(interp: Evaluator, model: Model) -> Graph:
    graph = interp.state(KerasState).model_graphs.get(model) or interp.graph
    return graph


def _text(interp: Evaluator, index: int, name: str) -> str:
    site = interp.call_site
    if not isinstance(site, cst.Call):
        return name
    for position, arg in enumerate(a for a in site.args if a.keyword is None and not a.star):
        if position == index:
            return interp.code(arg.value)
    for arg in site.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return interp.code(arg.value)
    return name


def _data_nodes(value: Value | None, count: int) -> tuple[int | None, ...] | None:
    """The nodes fed to each of `count` inputs: one array, or a list / tuple of them."""
    if isinstance(value, TensorV):
        return (value.node,) if count == 1 else None
    if isinstance(value, SeqV) and len(value.items) == count and count > 1:
        return tuple(v.node if isinstance(v, TensorV) else None for v in value.items)
    return None


def _from_pandas(interp: Evaluator, value: Value | None) -> Value | None:
    """A pandas Series as Keras takes it: a column, `(n, 1)` (Keras 3's `PandasSeriesSliceable`,
    tf-keras's data adapter: `np.expand_dims(series.to_numpy(), -1)`)."""
    if not isinstance(value, SeriesV) or interp.call_site is None:
        return value
    return TensorV(interp.graph.add("expand_dims", "Series as a column", [value.node], {"axis": -1},
                                    interp.loc(interp.call_site)).id)


def _record(interp: Evaluator, model_value: Value, kind: str, x: Value | None, y: Value | None,
            x_name: str, y_name: str, batches: str = "") -> None:
    found = _model_of(model_value)
    site = interp.call_site
    if found is None or site is None:
        return
    model, inputs, output = found
    home = _home(interp, model)
    x, y = _from_pandas(interp, x), _from_pandas(interp, y)
    nodes = _data_nodes(x, len(inputs))
    if nodes is None and (y is None or not isinstance(y, TensorV)):
        return
    expected = tuple(home.nodes[i].shape for i in inputs)
    out: MaybeShape = interp.graph.nodes[output.node].shape if isinstance(output, TensorV) else None
    interp.ir.feeds.append(Feed(
        kind, interp.loc(site), interp.graph, f"model `{model.title}`", expected,
        nodes if nodes is not None else tuple(None for _ in inputs),
        tuple(x_name for _ in inputs) if len(inputs) == 1 else tuple(f"{x_name}[{i}]" for i in range(len(inputs))),
        out, y.node if isinstance(y, TensorV) else None, y_name, model.loss, True,
        model if home is interp.graph else None, tuple(inputs), output.node if isinstance(output, TensorV) else None,
        batches, _strict(interp, model, home, inputs, output) if batches != "unbatched" else None,
        _labels_broadcast(interp),
    ))


# How a module reaches Keras: `tf.keras` / `tensorflow.keras`, plain `keras`, the tf_keras package.
_TF_KERAS = re.compile(r"\b(?:tf|tensorflow)\.keras\b|^\s*from\s+tensorflow\s+import\s+[^\n]*\bkeras\b",
                       re.MULTILINE)
_PLAIN_KERAS = re.compile(r"^\s*(?:import\s+keras\b|from\s+keras\b)", re.MULTILINE)
_TF_KERAS_PACKAGE = re.compile(r"^\s*(?:import\s+tf_keras\b|from\s+tf_keras\b)", re.MULTILINE)


def _fit_target(interp: Evaluator) -> KerasTarget | None:
    """The target whose `fit` checks arrays strictly (`versions.strict_fit_checks`), when every
    namespace the module reaches Keras through has one (a module using both `keras` and
    `tf.keras` for targets that disagree: None, the lenient reading); None otherwise."""
    found = _module_targets(interp)
    return found[0] if found and all(versions.strict_fit_checks(t) for t in found) else None


def _labels_broadcast(interp: Evaluator) -> bool:
    """Whether every namespace the module reaches Keras through is a late Keras 2, whose compiled
    losses broadcast labels (`versions.broadcasts_compiled_labels`)."""
    found = _module_targets(interp)
    return bool(found) and all(versions.broadcasts_compiled_labels(t) for t in found)


def _module_targets(interp: Evaluator) -> list[KerasTarget]:
    """The target of each namespace the module reaches Keras through."""
    return [versions.target_for(interp, w) for w in _namespaces(interp.text)]


@lru_cache(maxsize=32)
def _namespaces(source: str) -> tuple[str, ...]:
    """The Keras namespaces a module's text uses (both `keras` and `tf.keras` where it shows none)."""
    written = tuple(w for w, used in (("keras.", _PLAIN_KERAS.search(source)),
                                      ("tensorflow.keras.", _TF_KERAS.search(source)),
                                      ("tf_keras.", _TF_KERAS_PACKAGE.search(source))) if used)
    return written or ("keras.", "tensorflow.keras.")


# The Keras 1 class of a layer kind, whose lower-cased name Keras 1 gives a Sequential's input.
_KERAS1_CLASS = {modern: old for old, modern in KERAS1_CLASSES.items() if not old.startswith("Atrous")}


def _keras2_name(name: str) -> str:
    """A layer name as cnnlint (tf.keras, Keras 3) numbers it (`dense`, `dense_1`) in standalone
    Keras 1-2.3's numbering, which starts at 1 (`dense_1`, `dense_2`)."""
    base, _, count = name.rpartition("_")
    if base and count.isdigit():
        return f"{base}_{int(count) + 1}"
    return f"{name}_1"


def _strict(interp: Evaluator, model: Model, home: Graph, inputs: list[int], output: Value | None) -> StrictFit | None:
    """What the target's strict checks of arrays need (None where its `fit` does not check them):
    the names Keras gives the model's inputs and output in a fresh session, auto-named layers
    numbered as that version numbers them."""
    target = _fit_target(interp)
    if target is None:
        return None
    standalone, keras1 = not target.in_tensorflow, versions.is_keras1(target)

    def named(graph: Graph, node_id: int | None, what: str, suffix: str = "") -> str:
        node = graph.nodes[node_id] if node_id is not None and node_id < len(graph.nodes) else None
        if node is None or node.layer is None:
            return f"the model's {what}"
        if "name" in node.sources:
            return node.layer + suffix
        if node.layer.startswith("input_layer"):  # Keras 3's `Input` names; `input_1`, ... before
            return _keras2_name("input" + node.layer[len("input_layer"):])
        if keras1 and suffix:  # Keras 1's `create_input_layer`: `convolution1d_input_1`
            kind = node.api.rsplit(".", 1)[-1]
            return f"{_KERAS1_CLASS.get(kind, kind).lower()}{suffix}_1"
        return (_keras2_name(node.layer) if standalone else node.layer) + suffix

    names = []
    for entry in inputs:
        users = [n for n in home.nodes[entry + 1:] if entry in n.inputs]
        if model.kind == "Sequential" and "name" not in home.nodes[entry].sources and users:
            names.append(named(home, users[0].id, "input", "_input"))  # `Sequential.add`: `layer.name + '_input'`
        else:
            names.append(named(home, entry, "input"))
    output_node = output.node if isinstance(output, TensorV) else None
    return StrictFit(versions.described(target), target.version.parts, target.in_tensorflow, tuple(names),
                     named(interp.graph, output_node, "output"))


def _argument(args: tuple[Value, ...], kwargs: dict[str, Value], index: int, name: str) -> Value | None:
    if name in kwargs:
        return kwargs[name]
    return args[index] if index < len(args) else None


def _with_data(kind: str, previous: Any) -> Any:
    """A `fit`-like method: what it did before (Keras 1 checks), then the Feed record."""

    def method(interp: Evaluator, model: Value, *args: Value, **kwargs: Value) -> Value:
        result = previous(interp, model, *args, **kwargs) if previous is not None else UNKNOWN
        x = _argument(args, kwargs, 0, "x")
        y = _argument(args, kwargs, 1, "y") if kind not in ("predict", "predict_on_batch") else None
        x_text, y_text = _text(interp, 0, "x"), _text(interp, 1, "y") if y else ""
        sequence = sequence_batches(interp, x) if x is not None else None  # a `keras.utils.Sequence` subclass
        batches = "generator" if isinstance(x, GeneratorV) or sequence is not None else ""
        x = sequence if sequence is not None else _batches(x)
        if isinstance(x, DatasetV):
            if x.batched is None:
                return result
            if x.batched is False:
                # An unbatched dataset: Keras takes each element for a batch, so axis 0 of each
                # feature is read as the batch (checked against Keras 3 in tests). Its labels are
                # then a "batch" of another size that may still broadcast: they are not checked.
                x_text = f"{x_text} (its features)"
                x, _ = fit_data(x, None)
                y = None
                batches = "unbatched"
            else:
                x_text, y_text = f"{x_text} (its features)", f"{x_text} (its labels)"
                x, y = fit_data(x, None)
                if batches == "generator":
                    y = None  # a generator's batches are not checked against each other (no cardinality check)
        if x is not None:
            build_from_data(interp, model, x, kind, x_text)  # a model without an input shape: Keras builds it here
            _record(interp, model, kind, x, y, x_text, y_text, batches)
        if kind in _PREDICTING and result is UNKNOWN and not isinstance(_argument(args, kwargs, 0, "x"), DatasetV):
            return _predictions(interp, model, x)
        return result

    return method


_PREDICTING = ("predict", "predict_on_batch")


def _accepted(graph: Graph, home: Graph, inputs: list[int], nodes: tuple[int | None, ...],
              strict: bool = False) -> bool:
    """Whether Keras takes the data for the model's inputs (else `predict` raises: CNN012's);
    `strict`: as early Keras checks it (a 1-D array as `(n, 1)`, then the same rank)."""
    for entry, node in zip(inputs, nodes, strict=True):
        want, have = home.nodes[entry].shape, graph.nodes[node].shape if node is not None else None
        if want is None or have is None:
            return False
        expected, data = tuple(d.value for d in want), tuple(d.value for d in have)
        if strict and len(data) == 1 and len(expected) != 1:
            data = (*data, 1)  # `standardize_single_array`
        adjusted = (data if len(data) == len(expected) else None) if strict else keras_adjusted_input(data, expected)
        if adjusted is None or mismatched_axes(adjusted, expected):
            return False
    return True


def _predictions(interp: Evaluator, model_value: Value, x: Value | None) -> Value:
    """What `model.predict(x)` returns for arrays `x`: each output's shape with x's rows,
    `(n,) + output.shape[1:]` (a list of arrays for a model of several outputs); else unknown."""
    found = _model_of(model_value)
    site = interp.call_site
    if found is None or site is None:
        return UNKNOWN
    model, inputs, output = found
    nodes = _data_nodes(x, len(inputs))
    rows = interp.graph.nodes[nodes[0]].shape if nodes and nodes[0] is not None else None
    home = _home(interp, model)
    strict = _fit_target(interp) is not None
    if not rows or nodes is None or not _accepted(interp.graph, home, inputs, nodes, strict):
        return UNKNOWN
    outputs = output.items if isinstance(output, SeqV) else [output]
    shapes = [home.nodes[o.node].shape if isinstance(o, TensorV) else None for o in outputs]
    if any(not shape for shape in shapes):
        return UNKNOWN
    loc = interp.loc(site)
    shown = interp.code(site.func) if isinstance(site, cst.Call) else "predict"
    made: list[Value] = [
        TensorV(interp.graph.add("input", shown, [], {"shape": (rows[0], *shape[1:]), "kind": "array"}, loc).id)
        for shape in shapes if shape
    ]
    return SeqV(made) if isinstance(output, SeqV) else made[0]


def _batches(x: Value | None) -> Value | None:
    """A Python generator (`def gen(): while True: yield xb, yb`) fed to `fit` is a source of
    batches, as a batched dataset is: each value it yields is one batch."""
    if isinstance(x, GeneratorV):
        return DatasetV(UNKNOWN if x.item is None else x.item, batched=True)
    return x


def _from_generator(kind: str, previous: Any) -> Any:
    """`fit_generator(generator, ...)`, `evaluate_generator`, `predict_generator` (Keras 1-2,
    tf_keras): the generator's batches are fed as `fit(generator)` / ... feeds them; the other
    positional arguments are step counts, never labels."""
    feed = _with_data(kind, None)

    def method(interp: Evaluator, model: Value, *args: Value, **kwargs: Value) -> Value:
        result = previous(interp, model, *args, **kwargs) if previous is not None else UNKNOWN
        refused_generator_method(interp, _module_targets(interp))  # Keras 3 has none of them (CNN007)
        generator = _argument(args, kwargs, 0, "generator")
        if isinstance(generator, (DatasetV, GeneratorV, ObjectV)):  # an object: a `Sequence` subclass
            feed(interp, model, generator)
        return result

    return method


def _compile(interp: Evaluator, model: Value, *args: Value, **kwargs: Value) -> Value:
    found = model.model if isinstance(model, (SequentialV, FunctionalV)) else None
    if found is not None:
        loss = _argument(args, kwargs, 1, "loss")
        found.loss = loss_name(loss) if loss is not None else None
        found.probabilities = found.loss is not None and found.loss != "?" and takes_probabilities(loss)
    return Const(None)


def takes_probabilities(value: Value | None) -> bool:
    """Whether a `compile(loss=...)` argument certainly reads the output as probabilities
    (`from_logits=False`): a loss named by string or function, or a loss object without `from_logits`."""
    if isinstance(value, Const) and isinstance(value.value, str):
        return not value.value.endswith(MAY_TAKE_LOGITS)
    return isinstance(value, ModuleV)


# The training methods: Keras 1 arguments (CNN007) where Keras 1 had the method, then the data
# they are given (a `Feed` for CNN012-014).
_KERAS1_CHECKED = ("fit", "fit_generator", "evaluate", "predict")
_FEEDING = ("fit", "evaluate", "train_on_batch", "test_on_batch", "predict", "predict_on_batch")
for _kind in (*_FEEDING, "fit_generator"):
    _checked = keras1_fit_arguments if _kind in _KERAS1_CHECKED else None
    for _cls in (SequentialV, FunctionalV):
        METHODS[(_cls, _kind)] = _with_data(_kind, _checked) if _kind in _FEEDING else keras1_fit_arguments
        METHODS[(_cls, "compile")] = _compile
for _cls in (SequentialV, FunctionalV):
    METHODS[(_cls, "fit_generator")] = _from_generator("fit", keras1_fit_arguments)
    METHODS[(_cls, "evaluate_generator")] = _from_generator("evaluate", None)
    METHODS[(_cls, "predict_generator")] = _from_generator("predict", None)
