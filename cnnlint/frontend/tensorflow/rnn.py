"""TensorFlow 1's recurrent API: `tf.nn.rnn_cell` / `tf.contrib.rnn` cells, `tf.nn.dynamic_rnn`,
`bidirectional_dynamic_rnn`, `static_rnn` over `tf.unstack`, `tf.nn.embedding_lookup` and the
sampled losses (`nce_loss`, `sampled_softmax_loss`).

A cell is a `CellV` (its kind, sizes, inner cells, and whether it has built its kernel yet and for
which input depth). Running a cell over a sequence is the registry's `rnn` op (one per layer, so
that the trace shows each); the checks reuse the ops whose failure TensorFlow raises: a known cell
needs `[batch, time, depth]` (`rnn`'s rank), `sequence_length` a vector (`identity` of rank 1), a
cell reused with another input depth or a state of another size meets a kernel built for the
first (`dense` with the kernel's stated input size, CNN002), a `ResidualWrapper` adds its input to
its output (`broadcast`), the sampled losses multiply `inputs` by the rows of `weights`
(`matmul`). Behaviour follows tensorflow r1.15 `python/ops/rnn.py`, `rnn_cell_impl.py`,
`nn_impl.py`, checked against TensorFlow 2.21's `tf.compat.v1` (tests/test_tf_rnn.py); see
docs/tensorflow-rnn.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from cnnlint.frontend.library import Call
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.join import Joiner, copy
from cnnlint.frontend.python.values import (
    UNKNOWN,
    BuiltinV,
    Const,
    ListOfV,
    SeqV,
    Value,
    as_int,
)
from cnnlint.frontend.tensor import TensorV
from cnnlint.frontend.tensorflow.registry import api
from cnnlint.ir import Loc
from cnnlint.shapes import Dim
from cnnlint.shapes.dim import different, equal
from cnnlint.shapes.problems import FULL_SLICE
from cnnlint.targets import KerasVersion

NN = "tensorflow.nn"
CELL_MODULES = ("tensorflow.nn.rnn_cell", "tensorflow.contrib.rnn", "tensorflow.python.ops.rnn_cell",
                "tensorflow.python.ops.rnn_cell_impl", "tensorflow.contrib.rnn.python.ops.core_rnn_cell",
                "tensorflow.contrib.rnn.python.ops.rnn_cell")
RNN_MODULES = ("tensorflow.nn", "tensorflow.python.ops.rnn")
BASIC = frozenset({"lstm", "gru", "rnn"})


# -- values ----------------------------------------------------------------------------------
@dataclass(eq=False)
class StateTupleV(SeqV):
    """An `LSTMStateTuple(c, h)`: a tuple that also answers `.c` and `.h`."""

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr in ("c", "h") and len(self.items) == 2:
            return self.items[0 if attr == "c" else 1]
        return None


def state_tuple(c: Value, h: Value) -> StateTupleV:
    return StateTupleV([c, h], is_tuple=True)


@dataclass(eq=False)
class CellV(Value):
    """An RNN cell. `kind`: lstm, gru, rnn (one kernel `[depth + units, gates * units]`), multi
    (`cells`, applied in turn), dropout / residual (a wrapper of `cells[0]`). `units`, `num_proj`:
    the sizes stated (None: unknown). `built`: whether the kernel exists (None: maybe), built for
    input `depth` (None: unknown); `built_line` is where it was built."""

    kind: str
    shown: str
    units: int | None = None
    num_proj: int | None = None
    state_is_tuple: bool = True
    cells: list[Value] = field(default_factory=list)
    built: bool | None = False
    depth: Dim | None = None
    built_line: int = 0
    loc: Loc | None = None  # where it is made (a MultiRNNCell's: where its list of cells is given)
    keras: bool = False  # a Keras cell (`tf.keras.layers.LSTMCell`): state `[h, c]`, no `zero_state`
    forgettable = True

    def _config(self) -> tuple[object, ...]:
        return (self.kind, self.units, self.num_proj, self.state_is_tuple, len(self.cells), self.keras)

    def copy(self, memo: dict[int, Value]) -> Value:
        if id(self) in memo:
            return memo[id(self)]
        twin = CellV(self.kind, self.shown, self.units, self.num_proj, self.state_is_tuple, [],
                     self.built, self.depth, self.built_line, self.loc, self.keras)
        memo[id(self)] = twin
        twin.cells = [copy(v, memo) for v in self.cells]
        return twin

    def join(self, other: Value, joiner: Joiner) -> Value | None:
        """One cell on both paths: its build state where both agree, else "maybe built"."""
        assert isinstance(other, CellV)
        if self._config() != other._config():
            return None
        cells = [joiner(a, b) for a, b in zip(self.cells, other.cells, strict=True)]
        built = self.built if self.built == other.built else None
        same_depth = self.depth is not None and other.depth is not None and equal(self.depth, other.depth)
        return CellV(self.kind, self.shown, self.units, self.num_proj, self.state_is_tuple, cells, built,
                     self.depth if same_depth else None, self.built_line, self.loc, self.keras)

    def forget(self) -> None:
        """An unknown call or loop may have built it (and the cells it holds) for any input."""
        self.built, self.depth = None, None
        for inner in self.cells:
            inner.forget()

    def call(self, interp: Evaluator, args: list[Value], kwargs: dict[str, Value],
             site: object, sources: object) -> Value | None:
        """`output, state = cell(x_t, state)`, one step by hand: not followed, but it builds the cell."""
        self.forget()
        return None

    def mutated_by(self, method: str) -> bool:
        return method not in ("zero_state", "state_size", "output_size")

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        if attr == "output_size":
            size = output_size(self)
            return UNKNOWN if size is None else Const(size)
        if attr == "state_size":
            if self.keras:  # Keras's LSTMCell: [units, units] (h, c)
                if self.units is None:
                    return UNKNOWN
                return SeqV([Const(self.units)] * 2) if self.kind == "lstm" else Const(self.units)
            return _size_value(state_size(self))
        if attr == "zero_state" and not self.keras:
            return BuiltinV("zero_state", self._zero_state)
        return None

    def _zero_state(self, interp: Evaluator, batch: Value = UNKNOWN, *args: Value, **kwargs: Value) -> Value:
        return self.zero_state(interp, kwargs.get("batch_size", batch))

    def zero_state(self, interp: Evaluator, batch: Value) -> Value:
        """`cell.zero_state(batch_size, dtype)`: zeros of `[batch, size]` for each part of the state."""
        n = as_int(batch)
        size_of_batch: Dim = Dim.unknown() if n is None else Dim.const(n)
        loc = interp.loc(interp.call_site) if interp.call_site is not None else None

        def make(size: int | None) -> Value:
            if loc is None:
                return UNKNOWN
            shape = [size_of_batch, Dim.unknown() if size is None else Dim.const(size)]
            return TensorV(interp.graph.add("input", "zero_state", [], {"shape": shape, "kind": "constant"}, loc).id)

        return _map_sizes(state_size(self), make)


@dataclass(frozen=True)
class StateSizes:
    c: int | None
    h: int | None


Sizes = int | None | tuple["Sizes", ...] | StateSizes
"""A state's sizes: one size, a tuple of them (`MultiRNNCell`), or an LSTM's (c, h)."""


def output_size(cell: Value) -> int | None:
    if not isinstance(cell, CellV):
        return None
    if cell.kind in BASIC:
        return cell.num_proj if cell.num_proj is not None else cell.units
    if cell.kind == "multi":
        return output_size(cell.cells[-1]) if cell.cells else None
    return output_size(cell.cells[0]) if cell.cells else None


def state_size(cell: Value) -> Sizes | None:
    """The state's structure and sizes (None: unknown structure)."""
    if not isinstance(cell, CellV):
        return None
    if cell.kind == "lstm":
        if cell.state_is_tuple:
            return StateSizes(cell.units, output_size(cell))
        out = output_size(cell)
        return None if cell.units is None or out is None else cell.units + out
    if cell.kind in BASIC:
        return cell.units
    if cell.kind == "multi":
        parts = [state_size(inner) for inner in cell.cells]
        if not cell.state_is_tuple:
            if any(not isinstance(p, int) for p in parts):
                return None
            return sum(p for p in parts if isinstance(p, int))
        if any(p is None and not _basic(inner) for p, inner in zip(parts, cell.cells, strict=True)):
            return None
        return tuple(parts)
    return state_size(cell.cells[0]) if cell.cells else None


def _basic(cell: Value) -> bool:
    return isinstance(cell, CellV) and cell.kind in BASIC


def _size_value(sizes: Sizes | None) -> Value:
    if isinstance(sizes, StateSizes):
        return state_tuple(*(UNKNOWN if s is None else Const(s) for s in (sizes.c, sizes.h)))
    if isinstance(sizes, tuple):
        return SeqV([_size_value(s) for s in sizes], is_tuple=True)
    return UNKNOWN if sizes is None else Const(sizes)


def _map_sizes(sizes: Sizes | None, make: Callable[[int | None], Value]) -> Value:
    if isinstance(sizes, StateSizes):
        return state_tuple(make(sizes.c), make(sizes.h))
    if isinstance(sizes, tuple):
        return SeqV([_map_sizes(s, make) for s in sizes], is_tuple=True)
    if sizes is None:
        return UNKNOWN
    return make(sizes)


# -- cells -----------------------------------------------------------------------------------
def _cell_names(*names: str) -> list[str]:
    return [f"{module}.{name}" for module in CELL_MODULES for name in names]


def _units(c: Call, name: str = "num_units") -> int | None:
    return c.int_arg(name)


def _shown(c: Call) -> str:
    """How messages name a cell: its class and size (`LSTMCell(128)`), without module dots."""
    name = c.path.rsplit(".", 1)[-1]
    units = c.int_arg("num_units")
    return f"{name}({units})" if units is not None else name


def _lstm(c: Call) -> Value:
    proj = c.get("num_proj", Const(None))
    num_proj = None if _none(proj) else as_int(proj)
    tuple_state = c.bool_arg("state_is_tuple", True)
    if (num_proj is None and not _none(proj)) or tuple_state is None:
        return UNKNOWN  # a projection or a state layout cnnlint cannot read
    return CellV("lstm", _shown(c), _units(c), num_proj, tuple_state)


@api(*_cell_names("LSTMCell"),
     params="num_units use_peepholes cell_clip initializer num_proj proj_clip num_unit_shards num_proj_shards "
            "forget_bias state_is_tuple activation reuse name dtype")
def lstm_cell(c: Call) -> Value:
    return _lstm(c)


@api(*_cell_names("BasicLSTMCell"), params="num_units forget_bias state_is_tuple activation reuse name dtype")
def basic_lstm_cell(c: Call) -> Value:
    return _lstm(c)


@api(*_cell_names("LSTMBlockCell", "LayerNormBasicLSTMCell"), params="num_units forget_bias")
def block_lstm_cell(c: Call) -> Value:
    c.args.pop("state_is_tuple", None)  # always a tuple
    c.args.pop("num_proj", None)
    return _lstm(c)


@api(*_cell_names("GRUCell", "GRUBlockCell", "GRUBlockCellV2"), params="num_units activation reuse")
def gru_cell(c: Call) -> Value:
    return CellV("gru", _shown(c), _units(c))


@api(*_cell_names("BasicRNNCell"), params="num_units activation reuse")
def basic_rnn_cell(c: Call) -> Value:
    return CellV("rnn", _shown(c), _units(c))


@api(*_cell_names("MultiRNNCell"), params="cells state_is_tuple")
def multi_rnn_cell(c: Call) -> Value:
    cells = c.interp.iterate(c.get("cells"))
    tuple_state = c.bool_arg("state_is_tuple", True)
    if cells is None or not cells or tuple_state is None:
        return UNKNOWN  # a list of unknown length (built in a loop of unknown count)
    if any(isinstance(cell, CellV) and cell.keras for cell in cells):
        return UNKNOWN  # Keras cells have no `zero_state`: TensorFlow 2 refuses them here
    return CellV("multi", _shown(c), state_is_tuple=tuple_state, cells=list(cells), loc=c.loc())


@api(*_cell_names("DropoutWrapper", "DeviceWrapper"), params="cell")
def dropout_wrapper(c: Call) -> Value:
    return CellV("dropout", _shown(c), cells=[c.get("cell")])


@api(*_cell_names("ResidualWrapper"), params="cell residual_fn")
def residual_wrapper(c: Call) -> Value:
    if c.has("residual_fn") and not (isinstance(c.get("residual_fn"), Const)):
        return CellV("dropout", _shown(c), cells=[c.get("cell")])  # its own combination: not checked
    return CellV("residual", _shown(c), cells=[c.get("cell")])


KERAS_CELLS = {"LSTMCell": "lstm", "GRUCell": "gru", "SimpleRNNCell": "rnn"}


@api(*(f"keras.layers.{name}" for name in KERAS_CELLS), params="units activation")
def keras_cell(c: Call) -> Value:
    """`tf.keras.layers.LSTMCell(units)` and the like, as TF1's RNN functions run them (a Keras
    `RNN(cell)` layer is not modelled)."""
    name = c.path.rsplit(".", 1)[-1]
    units = c.int_arg("units")
    return CellV(KERAS_CELLS[name], f"{name}({units})" if units is not None else name, units, keras=True)


@api(*_cell_names("LSTMStateTuple"), params="c h")
def lstm_state_tuple(c: Call) -> Value:
    return state_tuple(c.get("c"), c.get("h"))


# -- running a cell ----------------------------------------------------------------------------
def _shape(c: Call, node: int | None) -> tuple[Dim, ...] | None:
    found = c.node(node)
    return None if found is None else found.shape


def _certain_rank(cell: Value) -> bool:
    """Whether the cell certainly needs a per-step input of rank 2 (every cell this module knows)."""
    if not isinstance(cell, CellV) or cell.keras:
        return False  # a Keras cell's `K.dot` takes steps of any rank (`static_rnn` does not check)
    if cell.kind in BASIC:
        return True
    return bool(cell.cells) and _certain_rank(cell.cells[0])


def _step_state(c: Call, out: int | None, time_major: bool, size: int | None, own: int | None) -> Value:
    """The final state of a layer of size `size`: the last step of its output (`own` features) where
    the sizes agree, else a tensor `[batch, size]`."""
    shape = _shape(c, out)
    if shape is None or len(shape) != 3:
        return c.opaque()
    if size is not None and own is not None and size == own:
        key = (("int", -1),) if time_major else (FULL_SLICE, ("int", -1))
        return c.add("index", [out], {"key": key}, api="state")
    batch = shape[1] if time_major else shape[0]
    return c.add("input", [], {"shape": [batch, Dim.unknown() if size is None else Dim.const(size)],
                               "kind": "rnn-state"}, api="state")


def _layer_state(c: Call, cell: CellV, out: int | None, time_major: bool) -> Value:
    own = output_size(cell)
    sizes = state_size(cell)
    if cell.keras and isinstance(sizes, StateSizes):  # Keras's LSTMCell: a list [h, c]
        return SeqV([_step_state(c, out, time_major, sizes.h, own), _step_state(c, out, time_major, sizes.c, own)])
    if isinstance(sizes, StateSizes):
        return state_tuple(_step_state(c, out, time_major, sizes.c, own), _step_state(c, out, time_major, sizes.h, own))
    if isinstance(sizes, int):
        return _step_state(c, out, time_major, sizes, own)
    return UNKNOWN


def apply_cell(c: Call, cell: Value, x: int | None, time_major: bool, where: str = "",
               fix_at: Loc | None = None) -> tuple[int | None, Value]:
    """`cell` run over the sequence `x`: the outputs node and the final state. `where` names the
    layer of a MultiRNNCell, made at `fix_at` (where a reused cell is to be replaced)."""
    if isinstance(cell, CellV) and cell.kind in BASIC:
        return _apply_basic(c, cell, x, time_major, where, fix_at)
    if isinstance(cell, CellV) and cell.kind == "multi":
        states: list[Value] = []
        current = x
        for i, inner in enumerate(cell.cells):
            current, state = apply_cell(c, inner, current, time_major, f"layer {i + 1} of {cell.shown}", cell.loc)
            if current is None:
                return None, UNKNOWN
            states.append(state)
        if not cell.state_is_tuple:
            return current, c.opaque()
        return current, SeqV(states, is_tuple=True)
    if isinstance(cell, CellV) and cell.kind == "residual" and cell.cells:
        out, state = apply_cell(c, cell.cells[0], x, time_major, where, fix_at)
        if out is None or x is None:
            return None, state
        return c.add("broadcast", [x, out], {"fn": "add"}, api=cell.shown).node, state
    if isinstance(cell, CellV) and cell.cells:
        return apply_cell(c, cell.cells[0], x, time_major, where, fix_at)
    # A cell cnnlint does not know (a user's, ConvLSTMCell): any input of rank >= 3.
    checked = c.add("identity", [x], {"min_rank": 3}).node if x is not None else None
    return c.opaque([checked]).node, UNKNOWN


def _apply_basic(c: Call, cell: CellV, x: int | None, time_major: bool, where: str,
                 fix_at: Loc | None) -> tuple[int | None, Value]:
    shape = _shape(c, x)
    depth = shape[-1] if shape is not None and len(shape) == 3 else None
    built_depth = cell.depth.value if cell.built is True and cell.depth is not None else None
    if depth is not None and built_depth is not None and different(depth, built_depth) and _cells_keep_kernels(c):
        # The kernel `[built_depth + units, gates * units]` exists: this input cannot meet it.
        api_text = f"{where} (the {cell.shown} object" if where else f"{cell.shown} (the object"
        api_text += f" whose kernel was built at line {cell.built_line} for {built_depth} input features"
        api_text += "; make one cell per layer)" if where else ")"
        # Reported where the list of layers is written (one cell object per layer fixes it).
        c.interp.graph.add("dense", api_text, [x], {"units": output_size(cell), "in_features": built_depth},
                           fix_at or c.loc(), c.sources())
        return None, UNKNOWN
    out = c.add("rnn", [x], {"units": output_size(cell), "return_sequences": True},
                api=f"{_fn(c)} {cell.shown}" + (f", {where}" if where else "")).node
    if c.node(out) is not None and c.node(out).shape is not None and cell.built is not True:  # type: ignore[union-attr]
        cell.built, cell.depth, cell.built_line = True, depth, c.loc().line
    elif cell.built is not True:
        cell.built, cell.depth = None, None  # the run fails or its depth is unknown: maybe built
    return out, _layer_state(c, cell, out, time_major)


def _cells_keep_kernels(c: Call) -> bool:
    """Whether a second use of a cell object on another input depth fails: from TensorFlow 1.2 a
    cell is a layer whose kernel is built once (1.1 refused a second use in another scope outright).
    Up to 1.0 each use made its own variables in its own scope, so `MultiRNNCell([cell] * n)` was the
    idiom. The `tf.keras` target of a TensorFlow 1.0-1.8 pin is Keras 2.0, which does not tell 1.0
    apart: the pinned TensorFlow version does (`KerasTargets.tensorflow`); where there is none, such
    a target is not reported."""
    targets = c.interp.options.keras
    target = targets.tf_keras
    if not target.stated or not target.version < KerasVersion(2, 1):
        return True
    return targets.tensorflow is not None and targets.tensorflow.at_least(1, 1)


def check_state(c: Call, cell: Value, state: Value, loop: bool) -> bool:
    """An `initial_state` against the cell's state: each h (or GRU / RNN state) must have the
    features the recurrent kernel's rows expect, an LSTM's c the cell's units (multiplied by the
    forget gate; `dynamic_rnn`'s while loop also refuses a c of 1 that the product would
    broadcast). False after a certain mismatch (reported)."""
    sizes = state_size(cell)
    if isinstance(cell, CellV) and cell.kind not in BASIC and cell.kind != "multi" and cell.cells:
        return check_state(c, cell.cells[0], state, loop)
    if not isinstance(cell, CellV) or sizes is None or cell.keras:
        return True
    if cell.kind == "multi":
        parts = c.interp.iterate(state) if cell.state_is_tuple else None
        if parts is None or len(parts) != len(cell.cells):
            return True
        return all(check_state(c, inner, part, loop) for inner, part in zip(cell.cells, parts, strict=True))
    if isinstance(sizes, StateSizes):
        parts = c.interp.iterate(state) if isinstance(state, SeqV) else None
        if parts is None or len(parts) != 2:
            return True
        return _check_size(c, cell, parts[1], sizes.h) and _check_c(c, cell, parts[0], sizes.c, loop)
    return _check_size(c, cell, state, sizes if isinstance(sizes, int) else None)


def _state_shape(c: Call, value: Value) -> tuple[Dim, ...] | None:
    shape = _shape(c, value.node) if isinstance(value, TensorV) else None
    return shape if shape is not None and len(shape) == 2 else None


def _check_size(c: Call, cell: CellV, value: Value, expected: int | None) -> bool:
    """The state `value` (h) is concatenated to the step's input and multiplied by the kernel,
    whose rows expect `expected` of its values (the output size)."""
    shape = _state_shape(c, value)
    if shape is None or expected is None or not different(shape[-1], expected):
        return True
    assert isinstance(value, TensorV)
    c.add("dense", [value.node], {"units": expected, "in_features": expected},
          api=f"the recurrent kernel of {cell.shown}")
    return False


def _check_c(c: Call, cell: CellV, value: Value, expected: int | None, loop: bool) -> bool:
    """An LSTM's c times the forget gate `[batch, units]` (rnn_cell_impl.py `c * sigmoid(f)`)."""
    shape = _state_shape(c, value)
    if shape is None or expected is None or not different(shape[-1], expected):
        return True
    if shape[-1].value == 1 and not loop:
        return True  # broadcast by the product; only a while loop refuses the new shape
    assert isinstance(value, TensorV)
    gate = c.add("input", [], {"shape": [shape[0], Dim.const(expected)], "kind": "rnn-state"},
                 api=f"the forget gate of {cell.shown}")
    c.add("broadcast", [value.node, gate.node], {"fn": "multiply"}, api=f"the cell state of {cell.shown}")
    return False


def _fn(c: Call) -> str:
    return c.path.rsplit(".", 1)[-1]


def _flag(c: Call, name: str) -> bool | None:
    return c.bool_arg(name, False)


def _sequence_length(c: Call) -> None:
    """`sequence_length` must be a vector of length batch_size (rnn.py: "sequence_length must be a
    vector of length batch_size")."""
    value = c.get("sequence_length", Const(None))
    if isinstance(value, TensorV):
        c.add("identity", [value.node], {"rank": 1}, api=f"{_fn(c)} sequence_length")


@api(*(f"{m}.dynamic_rnn" for m in RNN_MODULES),
     params="cell inputs sequence_length initial_state dtype parallel_iterations swap_memory time_major scope")
def dynamic_rnn(c: Call) -> Value:
    """(outputs `[batch, time, output_size]`, final state)."""
    time_major = _flag(c, "time_major")
    x = c.tensor("inputs")
    if time_major is None or x is None:
        return SeqV([c.opaque([x] if x is not None else None), UNKNOWN], is_tuple=True)
    _sequence_length(c)
    cell = c.get("cell")
    if c.has("initial_state") and not check_state(c, cell, c.get("initial_state"), True):
        return SeqV([c.opaque([x]), UNKNOWN], is_tuple=True)
    out, state = apply_cell(c, cell, x, time_major)
    outputs = TensorV(out) if out is not None else c.opaque([x])
    return SeqV([outputs, state], is_tuple=True)


@api(*(f"{m}.bidirectional_dynamic_rnn" for m in RNN_MODULES),
     params="cell_fw cell_bw inputs sequence_length initial_state_fw initial_state_bw dtype parallel_iterations "
            "swap_memory time_major scope")
def bidirectional_dynamic_rnn(c: Call) -> Value:
    """((outputs_fw, outputs_bw), (state_fw, state_bw)), each output `[batch, time, output_size]`."""
    time_major = _flag(c, "time_major")
    x = c.tensor("inputs")
    if time_major is None or x is None:
        return SeqV([UNKNOWN, UNKNOWN], is_tuple=True)
    _sequence_length(c)
    outs: list[Value] = []
    states: list[Value] = []
    for direction in ("fw", "bw"):
        cell = c.get(f"cell_{direction}")
        initial = f"initial_state_{direction}"
        if c.has(initial) and not check_state(c, cell, c.get(initial), True):
            return SeqV([UNKNOWN, UNKNOWN], is_tuple=True)
        out, state = apply_cell(c, cell, x, time_major)
        if out is None:
            return SeqV([UNKNOWN, UNKNOWN], is_tuple=True)
        outs.append(TensorV(out))
        states.append(state)
    return SeqV([SeqV(outs, is_tuple=True), SeqV(states, is_tuple=True)], is_tuple=True)


def _static_inputs(c: Call, cell: Value) -> tuple[int | None, int | None] | None:
    """The list of `[batch, depth]` steps as one sequence `[batch, time, depth]` (time None where the
    list's length is unknown), or None where nothing is known (or a step's rank is wrong, reported)."""
    value = c.get("inputs")
    if isinstance(value, TensorV):
        # "inputs must be a sequence": a tensor `[batch, time, depth]` wants `tf.unstack(x, axis=1)`.
        shape = _shape(c, value.node)
        if shape is not None and len(shape) == 3:
            c.add("identity", [value.node], {"rank": 2},
                  api=f"{_fn(c)} (its inputs are a list of [batch, depth] steps, as unstack(x, axis=1) gives)")
        return None
    items = c.interp.iterate(value)
    if items is None:
        element = value.element(c.interp, c.site) if isinstance(value, ListOfV) else None
        if not isinstance(element, TensorV):
            return None
        items, count = [element], None
    else:
        count = len(items)
    tensors = [v for v in items if isinstance(v, TensorV)]
    if not tensors or len(tensors) != len(items):
        return None
    first = tensors[0].node
    if _certain_rank(cell):
        checked = c.add("identity", [first], {"rank": 2}, api=f"{_fn(c)} inputs[0]")
        if c.node(checked.node) is not None and c.node(checked.node).shape is None:  # type: ignore[union-attr]
            return None
    if count is None:
        return c.add("expand_dims", [first], {"axis": 1}, api=c.shown).node, None
    return c.add("stack", [t.node for t in tensors], {"axis": 1}, api=c.shown).node, count


def _steps(c: Call, out: int | None, count: int | None) -> Value:
    """The per-step outputs `[batch, output_size]` of a `[batch, time, output_size]` result."""
    if out is None:
        return UNKNOWN
    if count is None:
        return ListOfV(c.add("index", [out], {"key": (FULL_SLICE, ("int", 0))}, api="outputs[t]"))
    return SeqV([c.add("index", [out], {"key": (FULL_SLICE, ("int", t))}, api=f"outputs[{t}]")
                 for t in range(count)])


@api(*(f"{m}.static_rnn" for m in (*RNN_MODULES, "tensorflow.contrib.rnn")), f"{NN}.rnn",
     params="cell inputs initial_state dtype sequence_length scope")
def static_rnn(c: Call) -> Value:
    """(outputs: a list of `[batch, output_size]`, one per step, final state)."""
    cell = c.get("cell")
    seq = _static_inputs(c, cell)
    if seq is None:
        return SeqV([UNKNOWN, UNKNOWN], is_tuple=True)
    _sequence_length(c)
    if c.has("initial_state") and not check_state(c, cell, c.get("initial_state"), False):
        return SeqV([UNKNOWN, UNKNOWN], is_tuple=True)
    x, count = seq
    out, state = apply_cell(c, cell, x, False)
    return SeqV([_steps(c, out, count), state], is_tuple=True)


@api(*(f"{m}.static_bidirectional_rnn" for m in (*RNN_MODULES, "tensorflow.contrib.rnn")),
     f"{NN}.bidirectional_rnn",
     params="cell_fw cell_bw inputs initial_state_fw initial_state_bw dtype sequence_length scope")
def static_bidirectional_rnn(c: Call) -> Value:
    """(outputs: a list of `[batch, fw + bw]`, state_fw, state_bw)."""
    cell_fw, cell_bw = c.get("cell_fw"), c.get("cell_bw")
    seq = _static_inputs(c, cell_fw)
    if seq is None:
        return SeqV([UNKNOWN, UNKNOWN, UNKNOWN], is_tuple=True)
    x, count = seq
    out_fw, state_fw = apply_cell(c, cell_fw, x, False)
    out_bw, state_bw = apply_cell(c, cell_bw, x, False)
    if out_fw is None or out_bw is None:
        return SeqV([UNKNOWN, state_fw, state_bw], is_tuple=True)
    both = c.add("concat", [out_fw, out_bw], {"axis": -1}, api=c.shown).node
    return SeqV([_steps(c, both, count), state_fw, state_bw], is_tuple=True)


# -- sequences as lists ------------------------------------------------------------------------
@api("tensorflow.unstack", "tensorflow.unpack", params="value num axis name")
def unstack(c: Call) -> Value:
    """`tf.unstack(x, num, axis)`: `num` tensors, each `x` without `axis`."""
    x = c.tensor("value")
    shape = _shape(c, x)
    axis = c.int_arg("axis", 0)
    if x is None or shape is None or axis is None or not -len(shape) <= axis < len(shape):
        return UNKNOWN
    axis %= len(shape)
    num = c.int_arg("num") if c.has("num") and not _none(c.get("num")) else shape[axis].value
    key = (*[FULL_SLICE] * axis, ("int", None))
    if num is None or num > 4096:
        return ListOfV(c.add("index", [x], {"key": key}))
    if shape[axis].value is not None and shape[axis].value != num:
        return UNKNOWN  # TensorFlow refuses it ("Dimension must be ... but is ..."): not modelled
    return SeqV([c.add("index", [x], {"key": (*[FULL_SLICE] * axis, ("int", i))}) for i in range(num)])


@api("tensorflow.split", params="value num_or_size_splits axis num name")
def split(c: Call) -> Value:
    """`tf.split(x, n, axis)`: n equal pieces along `axis` (or pieces of the sizes listed);
    TensorFlow before 1.0 wrote `tf.split(axis, n, x)`. A split that does not divide evenly fails
    in TensorFlow; it is left unknown here."""
    value, count, axis_value = c.get("value"), c.get("num_or_size_splits"), c.get("axis", Const(0))
    if not isinstance(value, TensorV) and isinstance(axis_value, TensorV):
        value, axis_value = axis_value, value  # the pre-1.0 order
    shape = _shape(c, value.node) if isinstance(value, TensorV) else None
    axis = as_int(axis_value)
    if not isinstance(value, TensorV) or shape is None or axis is None or not -len(shape) <= axis < len(shape):
        return UNKNOWN
    axis %= len(shape)
    total = shape[axis].value
    n = as_int(count)
    if n is not None:
        if n <= 0 or n > 4096 or (total is not None and total % n):
            return UNKNOWN
        sizes: list[int | None] = [None if total is None else total // n] * n
    else:
        parts = c.interp.iterate(count) if isinstance(count, SeqV) else None
        listed = [as_int(p) for p in parts] if parts is not None else None
        if listed is None or any(s is None or s < 0 for s in listed) or (total is not None and sum(
                s for s in listed if s is not None) != total):
            return UNKNOWN
        sizes = list(listed)
    pieces: list[Value] = []
    start = 0
    for size in sizes:
        if size is None:
            item: tuple[str | int | None, ...] = ("slice?",)
        else:
            item = ("slice", start, start + size, None)
            start += size
        pieces.append(c.add("index", [value.node], {"key": (*[FULL_SLICE] * axis, item)}))
    return SeqV(pieces)


def _none(value: Value) -> bool:
    return isinstance(value, Const) and value.value is None


# -- embeddings and sampled losses -------------------------------------------------------------
@api(f"{NN}.embedding_lookup", "tensorflow.gather_embedding", params="params ids partition_strategy name")
def embedding_lookup(c: Call) -> Value:
    """`ids.shape + params.shape[1:]` for one table `[vocabulary, dim]`."""
    table, ids = c.get("params"), c.tensor("ids")
    shape = _shape(c, table.node) if isinstance(table, TensorV) else None
    if shape is None or len(shape) != 2 or ids is None:
        return c.opaque([ids] if ids is not None else None)
    return c.add("embedding", [ids], {"input_dim": shape[0].value, "output_dim": shape[1].value})


@api(f"{NN}.nce_loss", f"{NN}.sampled_softmax_loss",
     params="weights biases labels inputs num_sampled num_classes num_true sampled_values")
def sampled_loss(c: Call) -> Value:
    """`[batch]`: `inputs` `[batch, dim]` times the rows of `weights` `[num_classes, dim]`
    (nn_impl.py `_compute_sampled_logits`: `matmul(inputs, sampled_w, transpose_b=True)`); the
    candidate sampler needs `labels` `[batch, num_true]`. TensorFlow before 1.0 took `(inputs,
    labels)` in the other order: only arguments passed by name are checked."""
    named = c.kwarg_names
    weights, inputs = c.tensor("weights"), c.tensor("inputs")
    if "labels" in named and "sampled_values" not in named:
        labels = c.tensor("labels")
        if labels is not None:
            checked = c.add("identity", [labels], {"rank": 2}, api=f"{_fn(c)} labels")
            if _shape(c, checked.node) is None and _shape(c, labels) is not None:
                return c.opaque()
    if "inputs" not in named or weights is None or inputs is None:
        return c.opaque()
    logits = c.add("matmul", [inputs, weights], {"transpose_b": True}, api=c.shown)
    if _shape(c, logits.node) is None:
        return c.opaque([logits.node])
    return c.add("reduce", [logits.node], {"axis": [1], "keepdims": False}, api=c.shown)
