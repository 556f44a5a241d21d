"""The model graph: framework-neutral tensor ops with their source locations.

Front ends build it; the shape engine annotates each node as it is added (like tracing in
TensorFlow); rules and reports read it. Nothing after the front end sees libcst nodes.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import ClassVar

from cnnlint.findings import Loc as Loc  # re-exported: the range type every module imports from here
from cnnlint.shapes import AttrValue, Dim, MaybeShape, Problem, Shape, attr_values, count_params, infer, input_rank
from cnnlint.shapes.feeding import StrictFit


class LineField:
    """A dataclass field `line` that may be given as a `Loc` or as a function giving the line:
    read on first use (a model's line must not make the module's positions be resolved)."""

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = "_" + name

    def __get__(self, obj: object, owner: type | None = None) -> int:
        if obj is None:
            raise AttributeError("no default")  # a dataclass field with no default
        value: int | Loc | Callable[[], int] = obj.__dict__[self.key]
        if isinstance(value, int):
            return value
        line = value.line if isinstance(value, Loc) else value()
        obj.__dict__[self.key] = line
        return line

    def __set__(self, obj: object, value: int | Loc | Callable[[], int]) -> None:
        obj.__dict__[self.key] = value


class LazyTexts(Mapping[str, str]):
    """A read-only mapping whose keys are known at once and whose texts are rendered the first time
    each is read (`Node.sources`: the text of a call's arguments, which rules and reports read for
    a few nodes only). `render(key)` must give the same text whenever it is called."""

    __slots__ = ("_keys", "_render", "_texts")

    def __init__(self, keys: Sequence[str], render: Callable[[str], str]) -> None:
        self._keys = dict.fromkeys(keys)
        self._render = render
        self._texts: dict[str, str] = {}

    def __getitem__(self, key: str) -> str:
        found = self._texts.get(key)
        if found is None:
            if key not in self._keys:
                raise KeyError(key)
            found = self._texts[key] = self._render(key)
        return found

    def __contains__(self, key: object) -> bool:
        return key in self._keys

    def __iter__(self) -> Iterator[str]:
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)

    def __repr__(self) -> str:
        return repr(dict(self))


@dataclass(frozen=True)
class Node:
    """One op application: `op` is the name of its declaration (`cnnlint.shapes.OPS`), `api` the
    call as the user wrote it; `attrs` are checked against the declaration when the node is added."""

    id: int
    op: str
    api: str
    inputs: tuple[int | None, ...]
    attrs: Mapping[str, AttrValue]
    loc: Loc
    shape: MaybeShape
    problems: tuple[Problem, ...] = ()
    # Source text of the call's arguments, by parameter name (and `name[i]` for list items).
    sources: Mapping[str, str] = field(default_factory=dict)
    # For a Keras layer application: the layer's name (`conv2d_1`) and its parameter count.
    layer: str | None = None
    params: Dim | None = None
    # Source ranges of some of the arguments in `sources` (same keys), for automatic fixes.
    spans: Mapping[str, Loc] = field(default_factory=dict)
    # For arguments in `sources` written as a variable holding an integer (same keys): where the
    # assignment that gave it its value is (`flat = 7 * 7 * 64`), for related locations.
    origins: Mapping[str, Loc] = field(default_factory=dict)


@dataclass(frozen=True)
class FindingDetails:
    """What a front end states with a finding: each front end declares its own frozen dataclass
    (`frontend/keras/findings.py`), with `kind` naming it for the rules."""

    kind: ClassVar[str] = ""


@dataclass(frozen=True)
class Finding:
    """A front-end fact that is not a shape (e.g. a Keras 1 name), for the rules to report.
    `related`: other places that take part, as (range in the same file, what happens there), which
    the rule passes on as the diagnostic's related locations (`Rule.diagnostic(..., related=)`)."""

    loc: Loc
    details: FindingDetails
    related: tuple[tuple[Loc, str], ...] = ()

    @property
    def kind(self) -> str:
        return self.details.kind


@dataclass(frozen=True)
class CallSite:
    """Where a user's layer is applied whose `call` made a node: the application (in a `Sequential`,
    the layer's construction), the layer's name and the tensors it is applied to."""

    loc: Loc
    layer: str
    inputs: tuple[int, ...]


@dataclass(frozen=True, eq=False)
class HelperCall:
    """A call of a user's function that ran while a node was made: where it is, which function it
    calls (`function`: the same for every call of it) and its text (`block(x, 64)`, as written),
    rendered only when a trace asks (`source`: most calls are never shown)."""

    loc: Loc
    function: str
    source: Callable[[], str] = field(repr=False)

    @property
    def text(self) -> str:
        return self.source()


@dataclass(eq=False)
class Model:
    """A Keras model found in a graph: its layer applications, in the order Keras runs them."""

    name: str
    kind: str
    line: LineField = LineField()
    nodes: list[int] = field(default_factory=list)
    outputs: list[int] = field(default_factory=list)
    # The variable the model is assigned to, when there is one (`model`, `self.encoder`).
    var: str | None = None
    # The loss given to `compile`, by Keras name (`categorical_crossentropy`); "?" when unknown.
    loss: str | None = None
    # Whether that loss certainly reads the output as probabilities (`from_logits=False`, the default).
    probabilities: bool = False

    @property
    def title(self) -> str:
        return self.var or self.name


@dataclass
class Graph:
    """The ops of one model or one program, in execution order."""

    name: str
    path: str
    line: LineField = LineField()
    nodes: list[Node] = field(default_factory=list)
    labels: dict[int, str] = field(default_factory=dict)
    # Nodes before `start` belong to the program this graph extends (a function analysed on
    # its own still sees module-level tensors); only `own_nodes` are this graph's to report.
    start: int = 0
    models: list[Model] = field(default_factory=list)
    _label_depth: dict[int, int] = field(default_factory=dict, repr=False)
    # A graph specialised at a TF1 `feed_dict` (`frontend/tensorflow/specialize.py`): its own nodes
    # are ops recomputed with the shapes fed, and this says which feed: "with the shapes fed at
    # line 42: `batch_x` (100, 784)". Rules add it to the messages of findings on this graph.
    fed: str | None = None
    # Nodes whose shape is unknown because an op before them failed (after an error the shapes
    # stay unknown, so one bug gives one finding: no rank is assumed for them).
    failed: set[int] = field(default_factory=set, repr=False)
    # The shapes a parameter of unknown rank was read as, by rank (`_settle_rank`).
    settled: dict[int, dict[int, Shape]] = field(default_factory=dict, repr=False)
    # The nodes a custom layer's `build` and `call` made, each with where that layer was applied.
    calls: dict[int, CallSite] = field(default_factory=dict, repr=False)
    # The calls of the user's functions running while each node was made, outermost first (for
    # traces through a helper called more than once: which call a step belongs to); the interpreter
    # keeps `helper_stack` as it enters and leaves them.
    helpers: dict[int, tuple[HelperCall, ...]] = field(default_factory=dict, repr=False)
    helper_stack: list[HelperCall] = field(default_factory=list, repr=False)

    @property
    def own_nodes(self) -> list[Node]:
        return self.nodes[self.start:]

    def extension(self, name: str, line: int | Loc) -> Graph:
        """A graph for code that runs after this one's (e.g. a function nobody calls)."""
        return Graph(name, self.path, line, list(self.nodes), dict(self.labels), len(self.nodes),
                     _label_depth=dict(self._label_depth), failed=set(self.failed))

    def add(
        self,
        op: str,
        api: str,
        inputs: Sequence[int | None],
        attrs: Mapping[str, object],
        loc: Loc,
        sources: Mapping[str, str] | None = None,
        layer: str | None = None,
        spans: Mapping[str, Loc] | None = None,
        origins: Mapping[str, Loc] | None = None,
    ) -> Node:
        shapes = [None if i is None else self.nodes[i].shape for i in inputs]
        values = attr_values(op, attrs)
        if shapes and shapes[0] is None and inputs[0] is not None:
            shapes[0] = self._settle_rank(inputs[0], op, values)
        after_failure = any(i is not None and i in self.failed for i in inputs)
        result = infer(op, shapes, values, assume_rank=not after_failure)
        node = Node(
            id=len(self.nodes),
            op=op,
            api=api,
            inputs=tuple(inputs),
            attrs=MappingProxyType(values),
            loc=loc,
            shape=result.shape,
            problems=result.problems,
            sources=sources if isinstance(sources, LazyTexts) else MappingProxyType(dict(sources or {})),
            layer=layer,
            params=None if layer is None or result.fatal else count_params(op, shapes, values, result.shape),
            spans=MappingProxyType(dict(spans or {})),
            origins=MappingProxyType(dict(origins or {})),
        )
        self.nodes.append(node)
        if self.helper_stack:
            self.helpers[node.id] = tuple(self.helper_stack)
        if node.shape is None and (after_failure or result.fatal):
            self.failed.add(node.id)
        return node

    def _settle_rank(self, node_id: int, op: str, attrs: Mapping[str, AttrValue]) -> Shape | None:
        """A parameter of unknown rank (`InputAttrs.parameter`) given to an op that fixes the rank
        of its input: read as that rank, each size a symbol of its own, the same symbols for every
        op that takes it at that rank. The node keeps its unknown shape: another branch of the
        code may use the parameter at another rank (`shapes` shows the one it took; `settled`)."""
        node = self.nodes[node_id]
        template = node.attrs.get("symbols")
        if node.op != "input" or not isinstance(template, str):
            return None
        rank = input_rank(op, attrs)
        if rank is None:
            return None
        ranks = self.settled.setdefault(node_id, {})
        if rank not in ranks:
            start = node.attrs.get("symbols_from", 1)
            first = start if isinstance(start, int) else 1
            ranks[rank] = (Dim.unknown(), *(Dim.parameter(template.format(k - first)) for k in range(1, rank)))
        return ranks[rank]

    def shown_shape(self, node_id: int) -> MaybeShape:
        """The node's shape, or for a parameter of unknown rank the shape it was read as, where only
        one rank was (for tables and traces)."""
        shape = self.nodes[node_id].shape
        if shape is not None:
            return shape
        ranks = self.settled.get(node_id, {})
        return next(iter(ranks.values())) if len(ranks) == 1 else None

    def label(self, node_id: int, name: str, depth: int) -> None:
        """Name a node after the variable it is assigned to; outer (caller) names win."""
        if node_id not in self.labels or depth <= self._label_depth[node_id]:
            self.labels[node_id] = name
            self._label_depth[node_id] = depth

    def describe(self, node_id: int | None) -> str:
        """How a message refers to a tensor: its variable name, else the op that made it."""
        if node_id is None:
            return "the input"
        label = self.labels.get(node_id)
        return f"`{label}`" if label else f"the {self.nodes[node_id].api} result"

    def trace(self, node_id: int) -> list[Node]:
        """The path of first inputs that leads to a node, from the source tensor onward."""
        path: list[Node] = []
        current: int | None = node_id
        seen: set[int] = set()
        while current is not None and current not in seen:
            seen.add(current)
            node = self.nodes[current]
            path.append(node)
            current = node.inputs[0] if node.inputs else None
        return list(reversed(path))


@dataclass(frozen=True)
class SyntaxIssue:
    message: str
    line: int
    column: int


@dataclass(frozen=True, eq=False)
class Feed:
    """Data handed to a model (`fit`, `evaluate`, `predict`, ...) or to a placeholder (`feed_dict`).

    `data[i]` is the graph node holding what is fed to expected input `i` (None when unknown);
    `labels` the node of the labels given with it. The rules compare shapes; the nodes give the
    trace of how the data got its shape.
    """

    kind: str  # fit, evaluate, train_on_batch, test_on_batch, predict, predict_on_batch, feed_dict
    loc: Loc
    graph: Graph
    target: str  # how to name what is fed: "model `model`", "placeholder `x`"
    expected: tuple[MaybeShape, ...]
    data: tuple[int | None, ...]
    data_text: tuple[str, ...]
    output: MaybeShape = None
    labels: int | None = None
    labels_text: str = ""
    loss: str | None = None
    keras: bool = True  # Keras adjusts a rank off by a trailing 1 (placeholders do not)
    model: Model | None = None  # the Keras model fed, for `--confirm` to rebuild
    inputs: tuple[int, ...] = ()  # its input nodes and output node, in `graph`
    output_node: int | None = None
    # Where batches come from when they are not arrays: "unbatched" (a `tf.data` dataset without
    # `.batch(...)`: Keras takes each element for a batch), "generator" (each value a Python
    # generator yields is a batch); "" otherwise.
    batches: str = ""
    # The target Keras checks arrays against the model before running (Keras 1, standalone
    # 2.0-2.3, tf.keras of TF <= 2.1): what it refuses and how it says so; None: Keras 3's leniency.
    strict: StrictFit | None = None
    # The target's compiled losses bring labels of rank 1 to the output's rank 2 and then broadcast
    # them (tf.keras of TF 2.2+ and tf-keras, `compile_utils.match_dtype_and_rank`): regression
    # and binary cross-entropy losses never refuse broadcastable labels there, where Keras 3 does.
    labels_broadcast: bool = False


@dataclass(frozen=True, eq=False)
class LossInputs:
    """A loss or metric computed from two tensors at `loc`: `labels` and `predictions` are their
    graph nodes (None when unknown). `readings` names how each library the call may be combines
    them (`tf.nn.softmax_cross_entropy_with_logits`, TF1's `tf.losses.*`, a Keras loss, a
    hand-written difference or accuracy); several when the file does not say which library it is
    (TF1's `tf.losses` or Keras's). The rules know each reading's shape rule."""

    readings: tuple[str, ...]
    api: str  # the call as written: `tf.nn.softmax_cross_entropy_with_logits`, `-`
    loc: Loc
    graph: Graph
    labels: int | None
    predictions: int | None
    labels_text: str
    predictions_text: str
    # A loss recomputed with the shapes of a `feed_dict` (`graph.fed` says which): the loss of
    # the unspecialised graph it stands for; `loc` is then the feed's.
    origin: LossInputs | None = None


@dataclass
class ModuleIR:
    """Everything the front end learnt from one source file."""

    path: str
    graphs: list[Graph] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    syntax_error: SyntaxIssue | None = None
    # Why the interpreter stopped early (budget, depth), if it did: the rest stays quiet.
    incomplete: str | None = None
    # cnnlint bugs met while analysing one part (the module body, a function, a rule): that part
    # is given up, the rest of the file is still reported.
    internal_errors: list[str] = field(default_factory=list)
    feeds: list[Feed] = field(default_factory=list)
    # Losses and metrics computed from labels and predictions in raw TensorFlow (CNN013, CNN015).
    losses: list[LossInputs] = field(default_factory=list)
    # For a notebook: (cell number, line in cell) of each line of the joined source (index 0 unused).
    cell_lines: list[tuple[int, int]] | None = None

    def place(self, line: int) -> tuple[int | None, int]:
        """(cell, line) of a line of the analysed source; cell is None outside notebooks."""
        if self.cell_lines is None or not 0 < line < len(self.cell_lines):
            return None, line
        return self.cell_lines[line]
