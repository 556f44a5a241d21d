"""The symbolic shape engine: `Dim` algebra and one declaration per op (`OpDecl`, in `ops/`)
with its attributes, shape function, parameter count and weights (`Weight`)."""

from cnnlint.shapes import ops as _ops  # noqa: F401  (declares the ops)
from cnnlint.shapes.dim import Dim
from cnnlint.shapes.ops.convolution import Channels, NonPositive, StridedRemainder, WindowAxis
from cnnlint.shapes.ops.dense import InnerDim
from cnnlint.shapes.ops.merge import Merge
from cnnlint.shapes.ops.reshape import FlattenSize, ReshapeSize
from cnnlint.shapes.ops.weights import WeightShape
from cnnlint.shapes.registry import (
    OPS,
    REGISTRY,
    AttrError,
    Attrs,
    AttrValue,
    Formula,
    MaybeShape,
    OpAttrs,
    OpDecl,
    Problem,
    ProblemDetails,
    Rank,
    Result,
    Shape,
    Weight,
    attr_values,
    count_params,
    declaration,
    explain,
    infer,
    input_rank,
    layer_weights,
    weight_shapes,
)

__all__ = [
    "OPS",
    "REGISTRY",
    "AttrError",
    "AttrValue",
    "Attrs",
    "Channels",
    "Dim",
    "FlattenSize",
    "Formula",
    "InnerDim",
    "MaybeShape",
    "Merge",
    "NonPositive",
    "OpAttrs",
    "OpDecl",
    "Problem",
    "ProblemDetails",
    "Rank",
    "ReshapeSize",
    "Result",
    "Shape",
    "StridedRemainder",
    "Weight",
    "WeightShape",
    "WindowAxis",
    "attr_values",
    "count_params",
    "declaration",
    "explain",
    "infer",
    "input_rank",
    "layer_weights",
    "weight_shapes",
]
