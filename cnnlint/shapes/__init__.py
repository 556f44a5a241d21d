"""The symbolic shape engine: `Dim` algebra and a registry of one shape function per op."""

from cnnlint.shapes import ops as _ops  # noqa: F401  (registers the shape functions)
from cnnlint.shapes.dim import Dim
from cnnlint.shapes.params import count_params
from cnnlint.shapes.registry import REGISTRY, MaybeShape, Problem, Result, Shape, infer

__all__ = ["REGISTRY", "Dim", "MaybeShape", "Problem", "Result", "Shape", "count_params", "infer"]
