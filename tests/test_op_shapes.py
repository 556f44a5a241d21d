"""Every op's shape function, called directly: concrete and symbolic inputs, and each problem kind.

One `Case` per behaviour; `test_every_declared_op_has_a_case` fails for an op declared without
one. The cases with concrete sizes are also run through `--confirm`'s TensorFlow rebuild of the op
(marked `tensorflow`): where cnnlint knows the output, TensorFlow computes the same one, and where
cnnlint reports an error, TensorFlow refuses the op.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from cnnlint.shapes import (
    OPS,
    Channels,
    Dim,
    FlattenSize,
    InnerDim,
    MaybeShape,
    Merge,
    NonPositive,
    Rank,
    ReshapeSize,
    StridedRemainder,
    WeightShape,
    count_params,
    infer,
    weight_shapes,
)
from cnnlint.shapes.registry import DETAILS, BuiltAxis

N = Dim.symbol("n")  # a batch the code leaves open
H = Dim.symbol("h")


def dims(*sizes: int | Dim | None) -> tuple[Dim, ...]:
    return tuple(Dim.unknown() if s is None else Dim.of(s) for s in sizes)


def show(shape: MaybeShape) -> str | None:
    """`(n, 14, 14, 32)`; `?` for an unknown size; None for an unknown shape."""
    return None if shape is None else "(" + ", ".join(d.render() for d in shape) + ")"


@dataclass(frozen=True)
class Case:
    """`op` on `inputs` with `attrs` gives `shape` (shown as by `show`) and problems of `kinds`."""

    name: str
    op: str
    inputs: Sequence[MaybeShape]
    attrs: Mapping[str, object]
    shape: str | None
    kinds: tuple[type, ...] = ()
    # Checked against TensorFlow when every input size is a known integer (see the module docstring).
    tensorflow: bool = True
    details: Mapping[str, object] = field(default_factory=dict)  # fields of the first problem


WINDOW = {"rank": 2, "data_format": "channels_last"}

CASES = [
    # -- basic ---------------------------------------------------------------------------------
    Case("input states its shape", "input", [], {"shape": [None, Dim.const(28), Dim.const(28), 1]}, "(?, 28, 28, 1)",
         tensorflow=False),
    Case("input without a shape is unknown", "input", [], {"kind": "placeholder"}, None),
    Case("opaque is unknown", "opaque", [dims(2, 3)], {}, None),
    Case("join keeps the sizes both branches agree on", "join", [dims(N, 7, 7, 64), dims(N, 7, 8, 64)], {},
         "(n, 7, ?, 64)", tensorflow=False),
    Case("join of different ranks is unknown", "join", [dims(N, 7), dims(N, 7, 1)], {}, None),
    Case("a custom layer gives what its call computed", "custom_layer", [dims(N, 10), dims(N, 4)], {}, "(n, 4)",
         tensorflow=False),
    Case("a custom layer gives what compute_output_shape says", "custom_layer", [dims(N, 10)],
         {"from_call": False, "output": [None, Dim.const(3)]}, "(?, 3)", tensorflow=False),
    Case("a custom layer without either is unknown", "custom_layer", [dims(N, 10)], {"from_call": False}, None,
         tensorflow=False),
    Case("identity keeps the shape", "identity", [dims(N, 10)], {}, "(n, 10)"),
    # A reused Keras layer's `InputSpec` from its first call (frontend/keras/input_specs.py).
    Case("a reused layer on the rank its first call built", "identity", [dims(2, 5, 4)],
         {"built_rank": 3, "built_axes": [-1], "built_sizes": [4]}, "(2, 5, 4)", tensorflow=False),
    Case("a reused layer on another rank", "identity", [dims(2, 4)],
         {"built_rank": 3, "built_axes": [-1], "built_sizes": [4]}, None, (Rank,), tensorflow=False,
         details={"expected": "3", "got": 2, "built": True}),
    Case("a reused layer on another channel count", "depthwise_conv", [dims(2, 8, 8, 5)],
         {**WINDOW, "built_axes": [-1], "built_sizes": [3]}, None, (BuiltAxis,), tensorflow=False,
         details={"axis": -1, "expected": 3}),
    Case("identity with a rank condition", "identity", [dims(2, 5, 5, 3)], {"rank": 4}, "(2, 5, 5, 3)"),
    Case("spatial dropout on the wrong rank", "identity", [dims(2, 5)], {"rank": 4}, None, (Rank,),
         details={"operand": "input", "expected": "4", "got": 2}),
    Case("prelu's shared axes must exist", "identity", [dims(2, 5)], {"min_rank": 3}, None, (Rank,),
         details={"expected": ">= 3"}),
    # -- convolution ---------------------------------------------------------------------------
    Case("conv same", "conv", [dims(N, 28, 28, 1), dims(5, 5, 1, 32)], {**WINDOW, "padding": "SAME"},
         "(n, 28, 28, 32)"),
    Case("conv same on known sizes", "conv", [dims(2, 28, 28, 1), dims(5, 5, 1, 32)],
         {**WINDOW, "padding": "SAME", "strides": (2, 2)}, "(2, 14, 14, 32)"),
    Case("conv valid", "conv", [dims(2, 28, 28, 1), dims(5, 5, 1, 32)], {**WINDOW, "padding": "VALID"},
         "(2, 24, 24, 32)"),
    Case("conv valid on a symbolic height", "conv", [dims(N, H, 28, 1), dims(5, 5, 1, 32)],
         {**WINDOW, "padding": "VALID"}, "(n, h - 4, 24, 32)"),
    Case("conv as a layer: kernel_size and filters", "conv", [dims(2, 32, 32, 3)],
         {**WINDOW, "kernel_size": (3, 3), "filters": 16, "dilations": (2, 2)}, "(2, 28, 28, 16)"),
    Case("conv channels_first", "conv", [dims(2, 3, 32, 32)],
         {"rank": 2, "data_format": "channels_first", "kernel_size": (3, 3), "filters": 8}, "(2, 8, 30, 30)",
         tensorflow=False),
    Case("conv 1d causal", "conv", [dims(2, 10, 4)], {"rank": 1, "padding": "CAUSAL", "kernel_size": (3,),
                                                      "filters": 6}, "(2, 10, 6)"),
    Case("conv explicit padding", "conv", [dims(2, 8, 8, 1), dims(3, 3, 1, 4)],
         {**WINDOW, "padding": [(1, 1), (1, 1)]}, "(2, 8, 8, 4)"),
    Case("conv kernel expects other channels", "conv", [dims(2, 100, 60, 10), dims(10, 20, 20, 64)],
         {**WINDOW, "strides": (20, 20)}, None, (Channels,), details={"expected": Dim.const(20), "got": Dim.const(10)}),
    Case("conv groups that do not divide the channels", "conv", [dims(2, 8, 8, 6)],
         {**WINDOW, "kernel_size": (3, 3), "filters": 8, "groups": 4}, None, (Channels,), details={"groups": 4}),
    Case("conv of a rank-2 input", "conv", [dims(N, 784), dims(5, 5, 1, 32)], {}, None, (Rank,),
         details={"expected": ">= 3"}),
    Case("conv kernel of the wrong rank", "conv", [dims(2, 8, 8, 1), dims(3, 1, 4)], {"rank": 2}, None, (Rank,),
         details={"operand": "kernel"}),
    Case("conv window larger than the input", "conv", [dims(2, 4, 4, 1), dims(5, 5, 1, 8)], WINDOW, None,
         (NonPositive, NonPositive), details={"op": "conv", "axis": 0, "output": Dim.const(0)}),
    Case("conv stride leaves rows unread", "conv", [dims(2, 28, 28, 1), dims(5, 5, 1, 8)],
         {**WINDOW, "strides": (2, 2)}, "(2, 12, 12, 8)", (StridedRemainder, StridedRemainder),
         details={"leftover": Dim.const(1), "stride": 2}),
    Case("conv with an unknown stride", "conv", [dims(2, 28, 28, 1), dims(5, 5, 1, 8)],
         {**WINDOW, "strides": (None, 1)}, "(2, ?, 24, 8)", tensorflow=False),
    Case("separable conv: a window like a conv", "conv", [dims(2, 16, 16, 3)],
         {**WINDOW, "kernel_size": (3, 3), "filters": 8, "separable": 2, "padding": "SAME"}, "(2, 16, 16, 8)"),
    Case("depthwise conv with a kernel", "depthwise_conv", [dims(2, 9, 9, 3), dims(3, 3, 3, 2)], WINDOW,
         "(2, 7, 7, 6)"),
    Case("depthwise conv as a layer", "depthwise_conv", [dims(N, 9, 9, 4)],
         {**WINDOW, "kernel_size": (3, 3), "depth_multiplier": 3, "padding": "SAME"}, "(n, 9, 9, 12)"),
    Case("depthwise kernel of other channels", "depthwise_conv", [dims(2, 9, 9, 3), dims(3, 3, 4, 2)], WINDOW,
         None, (Channels,)),
    Case("pool valid", "pool", [dims(2, 28, 28, 32)], {**WINDOW, "pool_size": (2, 2), "strides": (2, 2)},
         "(2, 14, 14, 32)"),
    Case("pool same on an odd size", "pool", [dims(N, 7, 7, 64)],
         {**WINDOW, "pool_size": (2, 2), "strides": (2, 2), "padding": "SAME"}, "(n, 4, 4, 64)"),
    Case("pool of a rank-2 input", "pool", [dims(N, 10)], {"pool_size": (2, 2)}, None, (Rank,)),
    Case("pool too large", "pool", [dims(2, 1, 1, 8)], {**WINDOW, "pool_size": (2, 2), "strides": (2, 2)}, None,
         (NonPositive, NonPositive)),
    Case("conv transpose with an output shape", "conv_transpose", [dims(2, 7, 7, 64), dims(3, 3, 32, 64)],
         {**WINDOW, "strides": (2, 2), "padding": "SAME", "output_shape": [Dim.const(2), 14, 14, 32]},
         "(2, 14, 14, 32)"),
    Case("conv transpose as a layer", "conv_transpose", [dims(2, 7, 7, 16)],
         {**WINDOW, "kernel_size": (3, 3), "filters": 8, "strides": (2, 2), "padding": "VALID"}, "(2, 15, 15, 8)"),
    Case("conv transpose with output padding", "conv_transpose", [dims(N, 7, 7, 16)],
         {**WINDOW, "kernel_size": (3, 3), "filters": 8, "strides": (2, 2), "padding": "SAME",
          "output_padding": (1, 1)}, "(n, 14, 14, 8)"),
    Case("conv transpose kernel of other channels", "conv_transpose", [dims(2, 7, 7, 64), dims(3, 3, 32, 16)],
         {**WINDOW, "output_shape": [Dim.const(2), 14, 14, 32]}, None, (Channels,), details={"transpose": True}),
    Case("conv transpose that gives nothing", "conv_transpose", [dims(2, 1, 1, 4)],
         {**WINDOW, "kernel_size": (1, 1), "filters": 2, "strides": (1, 1), "padding": "SAME",
          "output_padding": (-1, 0)}, None, (NonPositive,), tensorflow=False, details={"op": "conv_transpose"}),
    # -- feature maps --------------------------------------------------------------------------
    Case("upsample", "upsample", [dims(N, 7, 7, 3)], {"size": (2, 3)}, "(n, 14, 21, 3)"),
    Case("upsample of the wrong rank", "upsample", [dims(N, 7, 3)], {"size": (2, 2)}, None, (Rank,)),
    Case("crop", "crop", [dims(2, 10, 10, 3)], {"cropping": [(1, 2), (0, 0)]}, "(2, 7, 10, 3)"),
    Case("crop everything", "crop", [dims(2, 3, 10, 3)], {"cropping": [(2, 1), (0, 0)]}, None, (NonPositive,),
         details={"op": "crop", "output": Dim.const(0)}),
    Case("resize", "resize", [dims(2, 30, 40, 3)], {"size": [16, 16]}, "(2, 16, 16, 3)"),
    Case("backbone feature map", "backbone", [dims(N, 225, 224, 3)],
         {"steps": ["pad:6", "valid:7:2", "same:2", "valid:3:2"], "channels": 8}, "(n, 28, 27, 8)"),
    Case("backbone classifier", "backbone", [dims(N, 224, 224, 3)], {"classes": 1000}, "(n, 1000)"),
    Case("resize channels_first", "resize", [dims(N, 3, 30, 40)], {"size": [16, None],
                                                                    "data_format": "channels_first"},
         "(n, 3, 16, ?)"),
    Case("pad", "pad", [dims(2, 5, 5, 3)], {"paddings": [(0, 0), (1, 1), (2, 0), (0, 0)]}, "(2, 7, 7, 3)"),
    Case("pad of the wrong rank", "pad", [dims(2, 5, 5)], {"paddings": [(0, 0), (1, 1), (2, 0), (0, 0)]}, None,
         (Rank,)),
    # -- reshape -------------------------------------------------------------------------------
    Case("reshape infers -1", "reshape", [dims(N, 7, 7, 64)], {"shape": [Dim.const(-1), Dim.const(3136)]},
         "(n, 3136)"),
    Case("reshape to a fixed shape", "reshape", [dims(4, 6)], {"shape": [Dim.const(3), Dim.const(8)]}, "(3, 8)"),
    Case("reshape with an unknown entry", "reshape", [dims(4, 6)], {"shape": [Dim.const(-1), None]}, "(?, ?)",
         tensorflow=False),
    Case("flatten size mismatch", "reshape", [dims(N, 7, 7, 64)], {"shape": [Dim.const(-1), Dim.const(1024)]},
         None, (FlattenSize,), details={"per_example": Dim.const(3136), "features": Dim.const(1024)}),
    Case("flatten that folds the batch", "reshape", [dims(2, 4, 4, 64)], {"shape": [Dim.const(-1), Dim.const(512)]},
         None, (FlattenSize,), tensorflow=False),
    # One (8, 8, 3) image (as in a `Dataset.map` function): axis 0 is not known to be a batch.
    Case("rows of one image", "reshape", [dims(8, 8, 3)], {"shape": [Dim.const(-1), Dim.const(64)]}, "(3, 64)"),
    Case("reshape cannot hold the values", "reshape", [dims(N, 784)],
         {"shape": [Dim.const(-1), Dim.const(32), Dim.const(32), Dim.const(1)]}, None, (ReshapeSize,)),
    Case("reshape of other totals", "reshape", [dims(4, 6)], {"shape": [Dim.const(5), Dim.const(5)]}, None,
         (ReshapeSize,), details={"total": Dim.const(24), "target_total": Dim.const(25)}),
    Case("keras reshape keeps the batch", "reshape", [dims(N, 784)],
         {"shape": [None, Dim.const(28), Dim.const(28), Dim.const(1)], "keep_batch": True}, "(n, 28, 28, 1)"),
    Case("keras reshape of the wrong size", "reshape", [dims(N, 780)],
         {"shape": [None, Dim.const(28), Dim.const(28)], "keep_batch": True}, None, (ReshapeSize,),
         tensorflow=False, details={"source": dims(N, 780)}),
    Case("flatten", "flatten", [dims(N, 7, 7, 64)], {}, "(n, 3136)"),
    Case("flatten of a scalar", "flatten", [()], {}, None, (Rank,), tensorflow=False),
    Case("transpose by perm", "transpose", [dims(2, 3, 4)], {"perm": [0, 2, 1]}, "(2, 4, 3)"),
    Case("transpose reverses by default", "transpose", [dims(2, 3, 4)], {"perm": None}, "(4, 3, 2)"),
    Case("transpose perm of another rank", "transpose", [dims(2, 3)], {"perm": [0, 2, 1]}, None, (Rank,)),
    Case("expand_dims", "expand_dims", [dims(N, 5)], {"axis": -1}, "(n, 5, 1)"),
    Case("expand_dims out of range", "expand_dims", [dims(2, 5)], {"axis": 4}, None, (Rank,)),
    Case("squeeze an axis", "squeeze", [dims(2, 1, 5)], {"axis": [1]}, "(2, 5)"),
    Case("squeeze every 1", "squeeze", [dims(1, 5, 1)], {"axis": None}, "(5)"),
    Case("squeeze an axis that is not 1 is unknown", "squeeze", [dims(2, 3, 5)], {"axis": [1]}, None,
         tensorflow=False),
    Case("reduce over axes", "reduce", [dims(N, 7, 7, 64)], {"axis": [1, 2]}, "(n, 64)"),
    Case("reduce keeping dims", "reduce", [dims(2, 7, 7, 64)], {"axis": [1, 2], "keepdims": True},
         "(2, 1, 1, 64)"),
    Case("reduce everything", "reduce", [dims(2, 3)], {"axis": None}, "()"),
    Case("global pooling of a vector", "reduce", [dims(2, 64)], {"axis": [1, 2], "rank": 4}, None, (Rank,)),
    Case("repeat_vector", "repeat_vector", [dims(N, 16)], {"n": 3}, "(n, 3, 16)"),
    Case("repeat_vector of a sequence", "repeat_vector", [dims(2, 4, 16)], {"n": 3}, None, (Rank,),
         details={"expected": "2"}),
    # -- merge ---------------------------------------------------------------------------------
    Case("broadcast", "broadcast", [dims(N, 4, 1), dims(3)], {"fn": "add"}, "(n, 4, 3)"),
    Case("broadcast of a symbolic size", "broadcast", [dims(N, 4), dims(N, 4)], {}, "(n, 4)"),
    Case("broadcast mismatch", "broadcast", [dims(2, 4), dims(2, 5)], {"fn": "Add"}, None, (Merge,),
         details={"op": "Add", "axis": -1}),
    Case("bias_add", "bias_add", [dims(N, 4, 4, 8), dims(8)], {}, "(n, 4, 4, 8)"),
    Case("bias_add of other channels", "bias_add", [dims(2, 4, 4, 8), dims(6)], {}, None, (Merge,),
         details={"op": "bias_add", "axis": -1}),
    Case("bias_add of a matrix bias", "bias_add", [dims(2, 8), dims(2, 8)], {}, None, (Rank,),
         details={"operand": "bias"}),
    Case("concat", "concat", [dims(N, 4, 3), dims(N, 4, 5)], {"axis": -1}, "(n, 4, 8)"),
    Case("concat of other sizes off the axis", "concat", [dims(2, 4, 3), dims(2, 5, 3)], {"axis": -1}, None,
         (Merge,), details={"op": "concat", "axis": 1}),
    Case("concat of other ranks", "concat", [dims(2, 4, 3), dims(2, 3)], {"axis": -1}, None, (Merge,),
         details={"reason": "rank"}),
    Case("concat on an axis out of range", "concat", [dims(2, 4), dims(2, 4)], {"axis": 2}, None, (Rank,)),
    # -- dense ---------------------------------------------------------------------------------
    Case("matmul", "matmul", [dims(N, 3136), dims(3136, 10)], {}, "(n, 10)"),
    Case("matmul with transposes", "matmul", [dims(5, 3), dims(4, 5)], {"transpose_a": True, "transpose_b": True},
         "(3, 4)"),
    Case("matmul inner mismatch", "matmul", [dims(N, 3136), dims(1024, 10)], {}, None, (InnerDim,),
         details={"features": Dim.const(3136), "expected": Dim.const(1024)}),
    Case("matmul of a vector", "matmul", [dims(5), dims(5, 2)], {}, None, (Rank,), details={"operand": "left"}),
    Case("dense", "dense", [dims(N, 7, 64)], {"units": 10}, "(n, 7, 10)"),
    Case("dense of a stated size that differs", "dense", [dims(2, 64)], {"units": 10, "in_features": 32}, None,
         (InnerDim,), tensorflow=False),
    Case("dense stated size that Keras ignores", "dense", [dims(2, 64)],
         {"units": 10, "in_features": 32, "stated_only": True}, "(2, 10)", (InnerDim,)),
    # Keras's Dense needs rank >= 2; the worker's rebuild of a raw op (a tensordot) accepts a vector.
    Case("dense of a scalar row", "dense", [dims(4)], {"units": 10}, None, (Rank,), tensorflow=False),
    # -- recurrent -----------------------------------------------------------------------------
    Case("rnn last output", "rnn", [dims(N, 20, 8)], {"units": 16, "gates": 4}, "(n, 16)"),
    Case("rnn sequences", "rnn", [dims(2, 20, 8)], {"units": 16, "gates": 3, "return_sequences": True},
         "(2, 20, 16)"),
    Case("bidirectional rnn", "rnn", [dims(2, 20, 8)], {"units": 16, "bidirectional": True, "output_units": 32},
         "(2, 32)"),
    Case("rnn of a matrix", "rnn", [dims(2, 8)], {"units": 16}, None, (Rank,)),
    Case("embedding", "embedding", [dims(N, 40)], {"input_dim": 1000, "output_dim": 64}, "(n, 40, 64)"),
    Case("time_distributed dense", "time_distributed", [dims(N, 5, 8)],
         {"inner_op": "dense", "inner_attrs": {"units": 3}}, "(n, 5, 3)", tensorflow=False),
    Case("time_distributed of a matrix", "time_distributed", [dims(2, 8)],
         {"inner_op": "dense", "inner_attrs": {"units": 3}}, None, (Rank,), tensorflow=False),
    Case("time_distributed passes on the inner problem", "time_distributed", [dims(2, 5, 4, 4)],
         {"inner_op": "reshape", "inner_attrs": {"shape": [Dim.const(-1), Dim.const(5)]}}, None, (FlattenSize,),
         tensorflow=False),
    # -- weights -------------------------------------------------------------------------------
    Case("weights that fit", "set_weights", [dims(2, 4), dims(4, 3), dims(3)],
         {"layer_op": "dense", "layer_attrs": {"units": 3}, "layer_name": "dense", "kind": "Dense"}, None,
         tensorflow=False),
    Case("a kernel of the wrong shape", "set_weights", [dims(2, 4), dims(3, 4), dims(3)],
         {"layer_op": "dense", "layer_attrs": {"units": 3}, "layer_name": "dense", "kind": "Dense"}, None,
         (WeightShape,), tensorflow=False, details={"index": 0, "count": False}),
    Case("too few weights", "set_weights", [dims(2, 4), dims(4, 3)],
         {"layer_op": "dense", "layer_attrs": {"units": 3}, "layer_name": "dense", "kind": "Dense"}, None,
         (WeightShape,), tensorflow=False, details={"count": True}),
    Case("conv weights in Theano's order", "set_weights", [dims(2, 8, 8, 3), dims(16, 3, 3, 3), dims(16)],
         {"layer_op": "conv", "layer_attrs": {"rank": 2, "kernel_size": (3, 3), "filters": 16},
          "layer_name": "conv2d", "kind": "Conv2D"}, None, (WeightShape,), tensorflow=False),
    Case("a Constant kernel value that broadcasts (Keras 3)", "set_weights", [dims(2, 4), dims(3)],
         {"layer_op": "dense", "layer_attrs": {"units": 3}, "layer_name": "dense", "kind": "Dense",
          "initializer": "kernel_initializer", "weight": "kernel", "readings": ("broadcast",)}, None,
         tensorflow=False),
    Case("a Constant kernel value that does not broadcast", "set_weights", [dims(2, 4), dims(3, 4)],
         {"layer_op": "dense", "layer_attrs": {"units": 3}, "layer_name": "dense", "kind": "Dense",
          "initializer": "kernel_initializer", "weight": "kernel", "readings": ("broadcast",)}, None,
         (WeightShape,), tensorflow=False, details={"initializer": "kernel_initializer", "weight": "kernel"}),
    Case("a Constant value with fewer values, where TF 1 may fill it", "set_weights", [dims(2, 4), dims(3, 3)],
         {"layer_op": "dense", "layer_attrs": {"units": 3}, "layer_name": "dense", "kind": "Dense",
          "initializer": "kernel_initializer", "weight": "kernel", "readings": ("broadcast", "pad")}, None,
         tensorflow=False),
    Case("a TF 1 variable's constant value of as many values", "initial_value", [dims(64, 1000), dims(1000, 64)],
         {"name": "emb", "readings": ("size",)}, None, tensorflow=False),
    Case("a TF 1 variable's constant value with more values", "initial_value", [dims(1001, 64), dims(1000, 64)],
         {"name": "emb", "readings": ("pad",)}, None, (WeightShape,), tensorflow=False, details={"weight": "emb"}),
    # -- data ----------------------------------------------------------------------------------
    Case("index an integer", "index", [dims(60000, 28, 28)], {"key": (("int", 0),)}, "(28, 28)", tensorflow=False),
    Case("index a slice", "index", [dims(60000, 28, 28)], {"key": (("slice", None, 1000, None),)},
         "(1000, 28, 28)", tensorflow=False),
    Case("index a new axis and an ellipsis", "index", [dims(N, 28, 28)], {"key": (("...",), ("new",))},
         "(n, 28, 28, 1)", tensorflow=False),
    Case("index an array", "index", [dims(100, 5), dims(7)], {"key": (("array", 1),)}, "(7, 5)", tensorflow=False),
    Case("index a mask", "index", [dims(100, 5), dims(100)], {"key": (("mask", 1),)}, "(?, 5)", tensorflow=False),
    Case("index out of range is unknown", "index", [dims(3, 5)], {"key": (("int", 3),)}, None, tensorflow=False),
    Case("compare", "compare", [dims(N, 1), dims(10)], {"fn": "==", "dtype": "bool"}, "(n, 10)", tensorflow=False),
    Case("compare of shapes that cannot broadcast is unknown", "compare", [dims(3), dims(4)], {"fn": "=="}, None,
         tensorflow=False),
    Case("stack", "stack", [dims(28, 28), dims(28, 28)], {"axis": 0}, "(2, 28, 28)", tensorflow=False),
    Case("stack of different shapes is unknown", "stack", [dims(28, 28), dims(28, 27)], {"axis": 0}, None,
         tensorflow=False),
    Case("vstack of rows", "vstack", [dims(5), dims(3, 5)], {}, "(4, 5)", tensorflow=False),
    Case("hstack of vectors", "hstack", [dims(5), dims(3)], {}, "(8)", tensorflow=False),
    Case("hstack of matrices", "hstack", [dims(4, 5), dims(4, 3)], {}, "(4, 8)", tensorflow=False),
    Case("batch", "batch", [dims(28, 28)], {"size": 32}, "(32, 28, 28)", tensorflow=False),
    Case("batch with a short last batch", "batch", [dims(28, 28)], {"size": None}, "(?, 28, 28)", tensorflow=False),
    Case("to_categorical", "to_categorical", [dims(60000)], {"num_classes": 10}, "(60000, 10)", tensorflow=False),
    Case("to_categorical replaces a trailing 1", "to_categorical", [dims(50000, 1)], {"num_classes": 10},
         "(50000, 10)", tensorflow=False),
    Case("legacy to_categorical of a matrix is unknown", "to_categorical", [dims(5, 2)],
         {"num_classes": 10, "legacy": True}, None, tensorflow=False),
    Case("pad_sequences with maxlen", "pad_sequences", [dims(25000)], {"maxlen": 80, "given": True}, "(25000, 80)",
         tensorflow=False),
    Case("pad_sequences of a rectangular array", "pad_sequences", [dims(10, 7)], {"maxlen": None}, "(10, 7)",
         tensorflow=False),
]


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_shape_function(case: Case) -> None:
    result = infer(case.op, case.inputs, case.attrs)
    assert show(result.shape) == case.shape
    assert tuple(type(p.details) for p in result.problems) == case.kinds
    for name, value in case.details.items():
        assert getattr(result.problems[0].details, name) == value, name


def test_every_declared_op_has_a_case() -> None:
    assert set(OPS) - {c.op for c in CASES} == set()


def test_every_problem_kind_has_a_case() -> None:
    reported = {kind for c in CASES for kind in c.kinds}
    assert {cls for cls in DETAILS.values()} - reported == set()


def test_a_fatal_problem_leaves_the_output_unknown_and_a_warning_does_not() -> None:
    fatal = infer("conv", [dims(2, 4, 4, 1), dims(5, 5, 1, 8)], WINDOW)
    warning = infer("conv", [dims(2, 28, 28, 1), dims(5, 5, 1, 8)], {**WINDOW, "strides": (2, 2)})
    assert fatal.shape is None and all(p.fatal for p in fatal.problems)
    assert warning.shape is not None and not any(p.fatal for p in warning.problems)


def test_a_keras_reshape_tells_its_problem_in_terms_of_the_whole_tensors() -> None:
    (problem,) = infer("reshape", [dims(N, 780)], {"shape": [None, Dim.const(28), Dim.const(28)],
                                                   "keep_batch": True}).problems
    assert isinstance(problem.details, ReshapeSize)
    assert show(problem.details.source) == "(n, 780)" and problem.details.target[0] is None


@pytest.mark.parametrize(("op", "inputs", "attrs", "params"), [
    ("conv", [dims(N, 28, 28, 1)], {"kernel_size": (5, 5), "filters": 32}, 5 * 5 * 1 * 32 + 32),
    ("conv", [dims(N, 28, 28, 8)], {"kernel_size": (3, 3), "filters": 16, "groups": 2, "use_bias": False},
     3 * 3 * 4 * 16),
    ("conv", [dims(N, 28, 28, 3)], {"kernel_size": (3, 3), "filters": 16, "separable": 2},
     3 * 3 * 3 * 2 + 3 * 2 * 16 + 16),
    ("depthwise_conv", [dims(N, 9, 9, 4)], {"kernel_size": (3, 3), "depth_multiplier": 2}, 3 * 3 * 4 * 2 + 8),
    ("conv_transpose", [dims(N, 7, 7, 16)], {"kernel_size": (3, 3), "filters": 8}, 3 * 3 * 16 * 8 + 8),
    ("dense", [dims(N, 64)], {"units": 10}, 64 * 10 + 10),
    ("embedding", [dims(N, 40)], {"input_dim": 1000, "output_dim": 64}, 64000),
    ("rnn", [dims(N, 20, 8)], {"units": 16, "gates": 4}, 4 * (8 * 16 + 16 * 16 + 16)),
    ("rnn", [dims(N, 20, 8)], {"units": 16, "gates": 3, "reset_after": True, "bidirectional": True},
     2 * 3 * (8 * 16 + 16 * 16 + 32)),
    ("identity", [dims(N, 7, 7, 64)], {"weights_per_channel": 4, "param_axes": [-1]}, 4 * 64),
    ("identity", [dims(N, 7, 7, 64)], {"weights_per_channel": 1, "alpha_shared": [1, 2], "min_rank": 3}, 64),
    ("identity", [dims(N, 10)], {"weights_per_channel": 2, "param_axes": [-1], "extra_params": 1}, 21),
    ("identity", [dims(N, 10)], {}, 0),
    ("time_distributed", [dims(N, 5, 8)], {"inner_op": "dense", "inner_attrs": {"units": 3}}, 8 * 3 + 3),
    ("opaque", [dims(N, 5)], {"weightless": True}, 0),
    ("pool", [dims(N, 28, 28, 3)], {"pool_size": (2, 2)}, 0),
])
def test_parameter_count(op: str, inputs: list[MaybeShape], attrs: dict[str, object], params: int) -> None:
    output = infer(op, inputs, attrs).shape
    counted = count_params(op, inputs, attrs, output)
    assert counted is not None and counted.value == params


def test_unknown_sizes_give_an_unknown_parameter_count() -> None:
    assert count_params("opaque", [dims(N, 5)], {}, None) is None
    assert count_params("dense", [dims(N, 64)], {"units": None}, None) is None
    assert count_params("conv", [None], {"kernel_size": (3, 3), "filters": 8}, None) is None


@pytest.mark.parametrize(("op", "inputs", "attrs", "shapes"), [
    ("dense", [dims(N, 64)], {"units": 10}, ["(64, 10)", "(10)"]),
    ("dense", [dims(N, 64)], {"units": 10, "use_bias": False}, ["(64, 10)"]),
    ("conv", [dims(N, 28, 28, 8)], {"kernel_size": (3, 3), "filters": 16, "groups": 2}, ["(3, 3, 4, 16)", "(16)"]),
    ("conv_transpose", [dims(N, 7, 7, 16)], {"kernel_size": (3, 3), "filters": 8}, ["(3, 3, 8, 16)", "(8)"]),
    ("depthwise_conv", [dims(N, 9, 9, 4)], {"kernel_size": (3, 3), "depth_multiplier": 2}, ["(3, 3, 4, 2)", "(8)"]),
])
def test_weight_shapes(op: str, inputs: list[MaybeShape], attrs: dict[str, object], shapes: list[str]) -> None:
    found = weight_shapes(op, inputs, attrs)
    assert found is not None and [show(s) for s in found] == shapes


def test_ops_without_fixed_weights_have_no_weight_shapes() -> None:
    assert weight_shapes("conv", [dims(N, 8, 8, 3)], {"kernel_size": (3, 3), "filters": None, "separable": 1}) is None
    assert weight_shapes("rnn", [dims(N, 8, 3)], {"units": None}) is None
    assert weight_shapes("dense", [None], {"units": 4}) is None


# -- against TensorFlow ------------------------------------------------------------------------
def _concrete(case: Case) -> bool:
    return case.tensorflow and all(s is not None and all(d.value is not None for d in s) for s in case.inputs)


TF_CASES = [c for c in CASES if _concrete(c) and OPS[c.op].not_rebuildable is None]


def _json(value: object) -> Any:
    if isinstance(value, Dim):
        return value.value
    if isinstance(value, Mapping):
        return {k: _json(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json(v) for v in value]
    return value


@pytest.fixture(scope="module")
def worker() -> Any:
    tf = pytest.importorskip("tensorflow")
    import keras

    from cnnlint.confirm import worker as module

    module.tf, module.keras = tf, keras
    return module


@pytest.mark.tensorflow
@pytest.mark.parametrize("case", TF_CASES, ids=[c.name for c in TF_CASES])
def test_tensorflow_agrees(case: Case, worker: Any) -> None:
    import tensorflow as tf

    node = {"id": 0, "op": case.op, "api": case.op, "inputs": [], "attrs": _json(case.attrs), "keras": False}
    ins = [tf.zeros([d.value for d in s if d.value is not None]) for s in case.inputs if s is not None]
    result = infer(case.op, case.inputs, case.attrs)
    try:
        out = worker.build(node, ins)
    except worker.Unavailable:
        pytest.skip("no TensorFlow rebuild for these attributes")
    except Exception as error:  # TensorFlow refuses the op
        assert result.fatal, f"TensorFlow refused an op cnnlint accepts: {error}"
        return
    assert not result.fatal, f"TensorFlow ran an op cnnlint rejects: {tuple(out.shape)}"
    if result.shape is not None:
        assert [d.value for d in result.shape] == list(out.shape)
