"""Parameter counts of Keras layers, from the op's input shapes and attributes (`count_params`).

Like the shape functions, one small function per op; an op with no entry here has no weights.
A count is None when it depends on a size the code leaves unknown.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

from cnnlint.shapes.dim import Dim, product
from cnnlint.shapes.registry import MaybeShape

ParamsFn = Callable[[Sequence[MaybeShape], Mapping[str, Any], MaybeShape], "Dim | None"]
PARAMS: dict[str, ParamsFn] = {}


def params_of(*ops: str) -> Callable[[ParamsFn], ParamsFn]:
    def decorate(fn: ParamsFn) -> ParamsFn:
        for op in ops:
            PARAMS[op] = fn
        return fn

    return decorate


def count_params(op: str, inputs: Sequence[MaybeShape], attrs: Mapping[str, Any], output: MaybeShape) -> Dim | None:
    """Weights a layer applied as `op` owns; 0 for ops without weights."""
    per_channel = attrs.get("weights_per_channel")
    if per_channel is not None:
        return _per_channel(inputs[0], attrs, per_channel)
    fn = PARAMS.get(op)
    if fn is None:
        return Dim.const(0)
    result = fn(inputs, attrs, output)
    return result


def _channels(x: MaybeShape, attrs: Mapping[str, Any]) -> Dim | None:
    if x is None or len(x) < 2:
        return None
    return x[1] if attrs.get("data_format") == "channels_first" else x[-1]


def _kernel_volume(attrs: Mapping[str, Any]) -> Dim | None:
    sizes = attrs.get("kernel_size")
    if sizes is None or any(k is None for k in sizes):
        return None
    return product([Dim.of(k) for k in sizes])


def _bias(attrs: Mapping[str, Any], size: Dim) -> Dim:
    return size if attrs.get("use_bias", True) else Dim.const(0)


def _known(*dims: Dim | int | None) -> bool:
    return all(d is not None for d in dims)


@params_of("opaque")
def _opaque(inputs: Sequence[MaybeShape], attrs: Mapping[str, Any], output: MaybeShape) -> Dim | None:
    """A layer cnnlint cannot read (or a model whose layers are not known) owns unknown weights."""
    return Dim.const(0) if attrs.get("weightless") else None


@params_of("conv")
def conv(inputs: Sequence[MaybeShape], attrs: Mapping[str, Any], output: MaybeShape) -> Dim | None:
    c_in, volume = _channels(inputs[0], attrs), _kernel_volume(attrs)
    filters: int | None = attrs.get("filters")
    if c_in is None or volume is None or filters is None:
        return None
    multiplier: int | None = attrs.get("separable")
    if multiplier is not None:  # depthwise (k..., in, m) then pointwise (1..., in*m, filters)
        return volume * c_in * multiplier + c_in * multiplier * filters + _bias(attrs, Dim.const(filters))
    groups: int = attrs.get("groups", 1) or 1
    per_group = c_in.floordiv(groups) if groups > 1 else c_in
    return volume * per_group * filters + _bias(attrs, Dim.const(filters))


@params_of("depthwise_conv")
def depthwise_conv(inputs: Sequence[MaybeShape], attrs: Mapping[str, Any], output: MaybeShape) -> Dim | None:
    c_in, volume = _channels(inputs[0], attrs), _kernel_volume(attrs)
    multiplier: int | None = attrs.get("depth_multiplier", 1)
    if c_in is None or volume is None or multiplier is None:
        return None
    return volume * c_in * multiplier + _bias(attrs, c_in * multiplier)


@params_of("conv_transpose")
def conv_transpose(inputs: Sequence[MaybeShape], attrs: Mapping[str, Any], output: MaybeShape) -> Dim | None:
    c_in, volume = _channels(inputs[0], attrs), _kernel_volume(attrs)
    filters: int | None = attrs.get("filters")
    if c_in is None or volume is None or filters is None:
        return None
    return volume * c_in * filters + _bias(attrs, Dim.const(filters))


@params_of("dense")
def dense(inputs: Sequence[MaybeShape], attrs: Mapping[str, Any], output: MaybeShape) -> Dim | None:
    x = inputs[0]
    units: int | None = attrs.get("units")
    if x is None or not x or units is None:
        return None
    return x[-1] * units + _bias(attrs, Dim.const(units))


@params_of("embedding")
def embedding(inputs: Sequence[MaybeShape], attrs: Mapping[str, Any], output: MaybeShape) -> Dim | None:
    input_dim: int | None = attrs.get("input_dim")
    output_dim: int | None = attrs.get("output_dim")
    if input_dim is None or output_dim is None:
        return None
    return Dim.const(input_dim * output_dim)


def _per_channel(x: MaybeShape, attrs: Mapping[str, Any], per_channel: int) -> Dim | None:
    """Normalisation-style weights: `per_channel` vectors over the sizes of `param_axes`."""
    if x is None:
        return None
    shared = attrs.get("alpha_shared")
    axes = attrs.get("param_axes", (-1,)) if shared is None else [
        i for i in range(1, len(x)) if i not in {a % len(x) for a in shared}]
    sizes: list[Dim] = []
    for axis in axes:
        if not -len(x) <= axis < len(x):
            return None
        sizes.append(x[axis])
    extra: int = attrs.get("extra_params", 0)
    return product(sizes) * per_channel + extra


def weight_shapes(op: str, inputs: Sequence[MaybeShape], attrs: Mapping[str, Any]) -> list[tuple[Dim, ...]] | None:
    """The shapes `get_weights()` returns for a layer applied as `op`, where the code fixes them."""
    x = inputs[0]
    c_in = _channels(x, attrs)
    sizes = attrs.get("kernel_size")
    kernel = None if sizes is None or any(k is None for k in sizes) else [Dim.of(k) for k in sizes]
    filters: int | None = attrs.get("filters")
    bias = bool(attrs.get("use_bias", True))
    out: list[tuple[Dim, ...]] | None = None
    if op == "dense" and x is not None and attrs.get("units") is not None:
        units = Dim.const(attrs["units"])
        out = [(x[-1], units), (units,)]
    elif c_in is None or kernel is None:
        return None
    elif op == "conv" and filters is not None and attrs.get("separable") is None:
        groups: int = attrs.get("groups", 1) or 1
        f = Dim.const(filters)
        out = [(*kernel, c_in.floordiv(groups) if groups > 1 else c_in, f), (f,)]
    elif op == "conv_transpose" and filters is not None:
        f = Dim.const(filters)
        out = [(*kernel, f, c_in), (f,)]
    elif op == "depthwise_conv":
        m = Dim.const(attrs.get("depth_multiplier", 1))
        out = [(*kernel, c_in, m), (c_in * m,)]
    if out is None:
        return None
    return out if bias else out[:1]


@params_of("rnn")
def rnn(inputs: Sequence[MaybeShape], attrs: Mapping[str, Any], output: MaybeShape) -> Dim | None:
    """SimpleRNN has one kernel/recurrent kernel/bias set; LSTM four gates; GRU three."""
    x = inputs[0]
    units: int | None = attrs.get("units")
    if x is None or len(x) != 3 or units is None:
        return None
    gates: int = attrs.get("gates", 1)
    per_gate = x[2] * units + units * units + _bias(attrs, Dim.const(units * (2 if attrs.get("reset_after") else 1)))
    return per_gate * gates * (2 if attrs.get("bidirectional") else 1)


@params_of("time_distributed")
def time_distributed(inputs: Sequence[MaybeShape], attrs: Mapping[str, Any], output: MaybeShape) -> Dim | None:
    x = inputs[0]
    if x is None or len(x) < 3:
        return None
    step: tuple[Dim, ...] = (x[0], *x[2:])
    return count_params(attrs["inner_op"], [step], attrs["inner_attrs"], None)
