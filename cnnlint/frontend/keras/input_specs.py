"""The `InputSpec` a Keras layer's first call builds, checked when the layer is applied again:
a normalisation's or a PReLU's rank and sizes, a depthwise, separable, grouped or transposed kernel's channels.

Keras's `build` sets `self.input_spec = InputSpec(ndim=..., axes={axis: size})` from the first
input, and every later `__call__` checks it ("expected ndim=3, found ndim=2", "expected axis -1 of
input shape to have value 4"). Checked against Keras 3 and tf-keras in tests/test_reused_input_spec.py;
what each layer fixes and when each Keras refuses is in docs/model-idioms.md.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import libcst as cst

from cnnlint.frontend.keras.values import LayerV
from cnnlint.frontend.keras.versions import replay_checks_input_specs
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.values import Value
from cnnlint.ir import Graph, Loc
from cnnlint.shapes import Dim, MaybeShape

# Layers (by class) whose `build` fixes the input's rank and the sizes along `param_axes`:
# `InputSpec(ndim=len(input_shape), axes={axis: size})` in Keras 3 and tf-keras alike.
_RANK_AND_AXES = frozenset({"BatchNormalization", "GroupNormalization"})  # by `param_axes`


@dataclass(frozen=True)
class BuiltSpec:
    """What a layer's first call fixed: in which graph, at which call, the rank (None: not fixed)
    and the size along each axis."""

    graph: Graph
    loc: Loc  # the call (its node is looked up only when a later call is compared with it)
    rank: int | None
    axes: tuple[int, ...]
    sizes: tuple[int, ...]
    # False: the axes are checked only on an input of the first call's rank (`LayerNormalization`).
    rank_fixed: bool = True


@dataclass
class SpecState:
    built: dict[int, BuiltSpec] = field(default_factory=dict)
    layers: list[LayerV] = field(default_factory=list)  # keeps the layers alive: ids stay unique
    # How deep the application is inside a model applied as a layer (`model(x)`, a `Sequential` in
    # a `Sequential`): Keras 3 runs those layers' `compute_output_spec`, which checks no InputSpec.
    replaying: int = 0
    parents: dict[cst.CSTNode, cst.CSTNode] | None = None
    calls: dict[Loc, cst.CSTNode] | None = None


Fixed = tuple[int | None, tuple[int, ...], tuple[int, ...], bool]


def _sizes(shape: tuple[Dim, ...], axes: object, rank_fixed: bool = True) -> Fixed | None:
    if not isinstance(axes, (list, tuple)) or not all(isinstance(a, int) for a in axes):
        return None
    rank = len(shape)
    known = [(a, shape[a].value) for a in axes if -rank <= a < rank]
    return rank, tuple(a for a, v in known if v is not None), tuple(v for _, v in known if v is not None), \
        rank_fixed


def _fixed(kind: str, op: str, attrs: dict[str, object], shape: MaybeShape) -> Fixed | None:
    """The rank, the axis sizes the layer's `build` fixes from `shape` (None: nothing), and whether
    the rank is fixed."""
    if shape is None:
        return None
    if op == "identity" and kind in _RANK_AND_AXES:
        return _sizes(shape, attrs.get("param_axes", (-1,)))
    if op == "identity" and kind == "LayerNormalization":
        # No InputSpec: the scale's shape fails the call (tf-keras) or the first batch (Keras 3) on
        # other sizes along `axis`; on another rank tf-keras's `build` made the axes positive, so
        # only an input of the first call's rank is certain.
        return _sizes(shape, attrs.get("param_axes", (-1,)), rank_fixed=False)
    if op == "identity" and kind == "PReLU":
        # `InputSpec(ndim=rank, axes=...)`, and `alpha` has every axis but the batch and the shared ones.
        shared = attrs.get("alpha_shared") or ()
        if not isinstance(shared, (list, tuple)):
            return None
        return _sizes(shape, [i for i in range(1, len(shape)) if i not in shared])
    grouped = op == "conv" and (attrs.get("separable") is not None or attrs.get("groups") not in (None, 1))
    if op in ("depthwise_conv", "conv_transpose") or grouped:
        # `InputSpec(min_ndim=rank + 2, axes={channel_axis: channels})`: only the channels are fixed
        # (a plain convolution's are checked against its kernel: `idioms.built_weights`).
        if len(shape) < 2:
            return None
        axis = 1 if attrs.get("data_format") == "channels_first" else -1
        size = shape[axis].value
        return None if size is None else (None, (axis,), (size,), True)
    return None


_BUILT = ("built_rank", "built_axes", "built_sizes")


# Statements and expressions whose parts may not run: a layer applied under one of them may not
# have been built there.
_CONDITIONAL = (cst.If, cst.Else, cst.For, cst.While, cst.Try, cst.TryStar, cst.ExceptHandler,
                cst.ExceptStarHandler, cst.Finally, cst.IfExp, cst.BooleanOperation, cst.Match,
                cst.MatchCase, cst.ListComp, cst.SetComp, cst.DictComp, cst.GeneratorExp, cst.Lambda)


class _Parents(cst.CSTVisitor):
    def __init__(self) -> None:
        self.parents: dict[cst.CSTNode, cst.CSTNode] = {}
        self.stack: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if self.stack:
            self.parents[node] = self.stack[-1]
        self.stack.append(node)
        return True

    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.stack.pop()


def _chain(parents: dict[cst.CSTNode, cst.CSTNode], node: cst.CSTNode) -> list[cst.CSTNode]:
    out = [node]
    while out[-1] in parents:
        out.append(parents[out[-1]])
    return out


def _node_at(interp: Evaluator, loc: Loc) -> cst.CSTNode | None:
    """The call of this module at `loc` (where a layer is applied; None: another file's code)."""
    state = interp.state(SpecState)
    if state.calls is None:
        state.calls = {interp.loc(node): node for node in interp.positions if isinstance(node, cst.Call)}
    return state.calls.get(loc)


def _surely_before(interp: Evaluator, first: cst.CSTNode | None, second: cst.CSTNode | None) -> bool:
    """Whether the first call certainly ran on the path of the second: the same site (a loop, a
    function called twice), or one reached from their common statement with no branch, loop or
    `try` between (the paths of an `if` are both followed, one after the other)."""
    if first is None or second is None:
        return False
    if first is second:
        return True
    state = interp.state(SpecState)
    if state.parents is None:
        visitor = _Parents()
        interp.module.visit(visitor)
        state.parents = visitor.parents
    if first not in state.parents or second not in state.parents:
        return False  # another file's code, run for a call: not followed
    up_second = set(_chain(state.parents, second))
    for node in _chain(state.parents, first)[1:]:
        if node in up_second:  # their common ancestor: an `if` with one in each branch is no path
            return not isinstance(node, _CONDITIONAL)
        if isinstance(node, _CONDITIONAL):
            return False
    return False


def built_before(interp: Evaluator, first: Loc, loc: Loc) -> bool:
    """Whether a layer's first call (at `first`) certainly ran before its call at `loc`
    (`_surely_before`), for the weights `idioms.built_weights` keeps; True inside a model applied
    as a layer, and where either call is another file's code (not followed: as before)."""
    if interp.state(SpecState).replaying:
        return True
    a, b = _node_at(interp, first), _node_at(interp, loc)
    return a is None or b is None or _surely_before(interp, a, b)


def input_spec(interp: Evaluator, layer: LayerV, x: int, op: str, attrs: dict[str, object], loc: Loc,
               replayed: bool = False) -> dict[str, object]:
    """The attributes of a layer's node with the `InputSpec` its first call built (`built_rank`,
    `built_axes`, `built_sizes`, checked by `shapes.infer`), when it is applied again.

    - Applied again by the code (`bn(a)` then `bn(b)`, in a subclassed model's `call`): Keras 3
      refuses at the call; tf-keras at the call (its `call` fails: "list index out of range",
      "Dimensions must be equal") or, for a rank its `call` happens to accept, at the first batch
      (its `__call__` on tensors checks the InputSpec).
    - Replayed in a model applied as a layer (`replayed`): tf-keras and Keras 2 run the layers'
      `__call__` and refuse there; Keras 3 computes output specs only and accepts the call, so only
      for a stated Keras 2 target (`versions.replay_checks_input_specs`)."""
    state = interp.state(SpecState)
    shape = interp.graph.nodes[x].shape
    first = state.built.get(id(layer))
    if first is None:
        fixed = _fixed(layer.kind, op, attrs, shape)
        if fixed is not None and not replayed and not state.replaying:  # a replay builds nothing
            state.built[id(layer)] = BuiltSpec(interp.graph, loc, *fixed)
            state.layers.append(layer)
        return attrs
    if first.graph is not interp.graph:
        return attrs
    if replayed or state.replaying:
        if layer.target is None or not replay_checks_input_specs(layer.target):
            return {k: v for k, v in attrs.items() if k not in _BUILT}
    elif not _surely_before(interp, _node_at(interp, first.loc), _node_at(interp, loc)):
        return attrs
    if not first.rank_fixed:
        if shape is None or len(shape) != first.rank:
            return attrs
        return {**attrs, "built_axes": list(first.axes), "built_sizes": list(first.sizes)}
    return {**attrs, "built_rank": first.rank, "built_axes": list(first.axes), "built_sizes": list(first.sizes)}


def replaying(interp: Evaluator, apply: Callable[[Evaluator, Value, Value, cst.CSTNode | None], Value],
              item: Value, x: Value, site: cst.CSTNode | None) -> Value:
    """`apply(item)` for a layer of a `Sequential` applied as a layer to a new tensor."""
    state = interp.state(SpecState)
    state.replaying += 1
    try:
        return apply(interp, item, x, site)
    finally:
        state.replaying -= 1
