"""Seeded random Keras models, written as source in several styles, rebuilt by cnnlint and by Keras.

Every layer's output shape and parameter count must agree; a model Keras refuses to build (or
builds with a zero-size axis) must get a fatal problem from cnnlint at the refusing layer's line.
"""

from __future__ import annotations

import pytest

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.tensorflow

from tests.conftest import module_of  # noqa: E402
from tests.keras_models import STYLES, Stack, grow, write  # noqa: E402

SEEDS = range(400)


def keras_result(stack: Stack) -> tuple[list[tuple[tuple[int | None, ...], int]], int | None]:
    """(shape, params) per layer up to where Keras stops, and that layer's index."""
    rows = list(zip(stack.shapes, stack.params, strict=True))
    for i, shape in enumerate(stack.shapes):
        if 0 in shape[1:]:
            # Keras builds a zero-size map; cnnlint reports it (CNN005) by design.
            return rows[:i], i
    return rows, stack.refused_at


def cnnlint_result(code: str, lines: list[int]) -> tuple[list[tuple[tuple[int | None, ...], int]], int | None]:
    module = module_of(code)
    graph = next(g for g in module.graphs if g.models)
    model = graph.models[0]
    nodes = [graph.nodes[i] for i in model.nodes if graph.nodes[i].layer and graph.nodes[i].op != "input"]
    rows: list[tuple[tuple[int | None, ...], int]] = []
    for i, node in enumerate(nodes):
        if any(p.fatal for p in node.problems):
            assert node.loc.line == lines[i], f"refused at line {node.loc.line}, layer {i} is at {lines[i]}"
            return rows, i
        assert node.shape is not None and node.params is not None, f"layer {i} ({node.api}) unknown"
        rows.append((tuple(d.value for d in node.shape), node.params.value or 0))
    return rows, None


@pytest.mark.parametrize("seed", SEEDS, ids=[f"seed-{s}" for s in SEEDS])
def test_every_layer_shape_and_param_count_agree_with_keras(seed: int) -> None:
    stack = grow(seed)
    source = write(stack, STYLES[seed % len(STYLES)])
    expected = keras_result(stack)
    actual = cnnlint_result(source.code, source.layer_lines)
    assert actual == expected, f"\n{source.code}\nlayers: {stack.layers}"
