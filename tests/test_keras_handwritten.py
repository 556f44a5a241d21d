"""Hand-written Keras models (functional, merges, shared layers, subclassed) against Keras itself.

Each file in `tests/keras_handwritten/` is built by Keras and by cnnlint: every layer Keras
names must have the same name, output shape and parameter count in cnnlint's static summary,
and the totals must agree. Files marked `# keras refuses` must get an error at that line.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

keras = pytest.importorskip("keras")
pytestmark = pytest.mark.tensorflow

from cnnlint.report.summary import tables  # noqa: E402
from tests.conftest import (  # noqa: E402
    FIXTURES,
    lint,
    module_of,
)

# Our own models: the hand-written set, plus the clean Keras fixtures (run by Keras here too).
FILES = sorted((Path(__file__).parent / "keras_handwritten").glob("*.py")) + sorted(
    p for p in (FIXTURES / "keras").glob("*.py") if "# expect:" not in p.read_text())
BUILDS = [f for f in FILES if "# keras refuses" not in f.read_text()]
REFUSALS = [f for f in FILES if f not in BUILDS]


def keras_model(path: Path) -> Any:
    keras.backend.clear_session()
    namespace: dict[str, Any] = {"__name__": "handwritten"}
    exec(compile(path.read_text(), str(path), "exec"), namespace)  # our own test models, never user code
    models = [v for v in namespace.values() if isinstance(v, keras.Model)]
    return models[-1]


def keras_layers(model: Any) -> dict[str, tuple[tuple[int | None, ...] | None, int]]:
    out: dict[str, tuple[tuple[int | None, ...] | None, int]] = {}
    for layer in model.layers:
        if isinstance(layer, keras.Model) or not type(layer).__module__.startswith("keras"):
            continue  # a nested model or a custom layer: cnnlint lists the layers inside instead
        try:
            shape: tuple[int | None, ...] | None = tuple(layer.output.shape)
        except (AttributeError, ValueError):
            shape = None  # a subclassed model's layers, or a layer applied more than once
        out[layer.name] = (shape, layer.count_params())
    return out


@pytest.mark.parametrize("path", BUILDS, ids=[p.stem for p in BUILDS])
def test_layer_names_shapes_and_params_agree_with_keras(path: Path) -> None:
    model = keras_model(path)
    expected = keras_layers(model)
    table = next(t for t in tables(module_of(path.read_text())) if t.kind is not None and t.title in
                 {"model", "autoencoder"})
    actual = {row.node.layer: row for row in table.rows if row.node.layer is not None}
    for name, (shape, params) in expected.items():
        assert name in actual, f"{name} missing from cnnlint's summary: {sorted(actual)}"
        node = actual[name].node
        if shape is not None:
            assert node.shape is not None and tuple(d.value for d in node.shape) == shape, name
        assert node.params is not None and node.params.value == params, name
    assert table.total_params is not None and table.total_params.value == model.count_params()


@pytest.mark.parametrize("path", REFUSALS, ids=[p.stem for p in REFUSALS])
def test_models_keras_refuses_get_an_error_at_the_refusing_line(path: Path) -> None:
    with pytest.raises(Exception):  # noqa: B017  (Keras raises ValueError or TypeError)
        keras_model(path)
    line = next(i for i, text in enumerate(path.read_text().splitlines(), 1) if "# keras refuses" in text)
    errors = [d for d in lint(path.read_text()) if d.severity == "error"]
    assert [d.loc.line for d in errors] == [line]
