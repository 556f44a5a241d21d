"""The Keras plugin's values: layer objects, `Sequential` models and functional models, and the
state the plugin keeps per module."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import libcst as cst

from cnnlint.frontend.python.join import Joiner, join
from cnnlint.frontend.python.values import UNKNOWN, ObjectV, Value
from cnnlint.ir import Graph, Loc, Model
from cnnlint.targets import KerasTarget


@dataclass(eq=False)
class LayerV(Value):
    """A Keras layer object: its class, bound constructor arguments and where it was made."""

    kind: str
    args: dict[str, Value]
    shown: str
    site: cst.CSTNode | None
    sources: Mapping[str, str] = field(default_factory=dict)
    name: str = ""
    # Where the layer was last applied: (input node, op, attrs), for weights given later.
    applied: tuple[int, str, dict[str, Any]] | None = None
    # The arguments mean different things in different Keras versions: its output is unknown.
    version_dependent: bool = False
    # The target Keras of the call that made it: what weights it builds (`Node.attrs["keras_version"]`).
    target: KerasTarget | None = None
    # `Call.origins` of the constructor: where a size written as a variable was computed.
    origins: dict[str, Loc] = field(default_factory=dict)


# Methods of a Keras model that leave its layers and its compiled loss as they are: called in a
# loop of unknown length (`for epoch in ...: model.fit(...)`), the model stays known.
_READ_ONLY_METHODS = frozenset((
    "fit", "fit_generator", "evaluate", "evaluate_generator", "predict", "predict_generator",
    "predict_on_batch", "train_on_batch", "test_on_batch", "predict_classes", "predict_proba",
    "summary", "save", "save_weights", "load_weights", "get_weights", "set_weights", "count_params",
    "get_layer", "to_json", "to_yaml", "get_config",
))


@dataclass(eq=False)
class SequentialV(Value):
    """A Keras `Sequential` model; `output` is None until its input shape is known."""

    layers: list[Value]
    model: Model
    output: Value | None = None
    graph: Graph | None = None
    # False once its layer list is not known exactly (built from an unknown list, `add`ed to in
    # a loop of unknown length or on one branch of an unknown `if`): applying it gives an unknown
    # output, never the layers that happen to be known.
    complete: bool = True
    forgettable = True

    def mutated_by(self, method: str) -> bool:
        return method not in _READ_ONLY_METHODS

    def lose_contents(self) -> None:
        self.complete = False
        self.output = UNKNOWN

    def forget(self) -> None:
        self.lose_contents()

    def copy(self, memo: dict[int, Value]) -> Value:
        # Each branch of an unknown `if` adds its own layers (`if use_bn: model.add(...)`).
        return SequentialV(list(self.layers), self.model, self.output, self.graph, self.complete)

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        """The same model on both paths; where they added different layers (`if use_bn:
        model.add(...)`), its contents are not known: never only the layers both share."""
        assert isinstance(other, SequentialV)
        if self.model is not other.model:
            return None
        same_layers = len(self.layers) == len(other.layers) and all(
            x is y for x, y in zip(self.layers, other.layers, strict=True))
        same_output = (self.output is None and other.output is None) or (
            self.output is not None and other.output is not None and join(self.output, other.output) is not UNKNOWN
        )
        if same_output and same_layers and self.complete and other.complete:
            return self
        joined = SequentialV(list(self.layers), self.model, self.output, self.graph)
        joined.lose_contents()
        return joined


@dataclass(eq=False)
class FunctionalV(Value):
    """A functional Keras `Model(inputs, outputs)`: the graph nodes between them."""

    inputs: list[int]
    outputs: Value
    model: Model
    # `Model([inp], out)`: Keras 3's `model.input` is then a list, tf-keras's the tensor.
    listed_inputs: bool = False

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        assert isinstance(other, FunctionalV)
        return self if self.model is other.model else None


@dataclass
class KerasState:
    """What the Keras plugin keeps for one module."""

    # Layer-name counters, as Keras's `backend.get_uid` (`conv2d`, `conv2d_1`, ...).
    uids: dict[str, int] = field(default_factory=dict)
    # The graph each model was made in (None until it is).
    model_graphs: dict[Model, Graph | None] = field(default_factory=dict)
    sequentials: list[SequentialV] = field(default_factory=list)
    # Subclassed models called, by object; those built (`build()` or called); their variable names.
    subclassed: dict[ObjectV, Model] = field(default_factory=dict)
    built: set[ObjectV] = field(default_factory=set)
    object_names: dict[ObjectV, str] = field(default_factory=dict)
    # Subclassed model objects never called, with the graph they were made in.
    model_objects: dict[ObjectV, Graph] = field(default_factory=dict)
    # The image data format the program set (`K.set_image_dim_ordering('th')`,
    # `set_image_data_format(...)`): "channels_first" / "channels_last", "unknown" where it set
    # one cnnlint cannot read; None where it set none (the configuration's applies).
    data_format: str | None = None
    # Whether the module sets `TF_USE_LEGACY_KERAS=1` (None: not looked yet; cnnlint.frontend.keras.versions).
    legacy_env: bool | None = None
