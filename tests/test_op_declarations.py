"""One declaration per op: attributes are checked against it, and `--confirm` rebuilds every op it
does not explicitly exclude."""

from __future__ import annotations

import dataclasses
import subprocess
import sys
from pathlib import Path

import pytest

from cnnlint.ir import Graph, Loc
from cnnlint.shapes import OPS, AttrError, Dim, OpAttrs, OpDecl, count_params, infer
from cnnlint.shapes.registry import DETAILS, attr_types
from tests.conftest import ROOT

WORKER = ROOT / "cnnlint" / "confirm" / "worker.py"
X = (Dim.symbol("n"), Dim.const(28), Dim.const(28), Dim.const(1))


def _rebuilt_by_the_worker() -> frozenset[str]:
    from cnnlint.confirm import worker

    return worker.REBUILT


def test_every_declared_op_is_rebuilt_by_the_worker_or_says_why_not() -> None:
    rebuilt = _rebuilt_by_the_worker()
    missing = [name for name, decl in OPS.items() if decl.not_rebuildable is None and name not in rebuilt]
    assert missing == [], "declare a rebuild in confirm/worker.py or `not_rebuildable=\"why\"`"


def test_the_worker_rebuilds_only_declared_ops_and_none_declared_not_rebuildable() -> None:
    rebuilt = _rebuilt_by_the_worker()
    assert rebuilt - set(OPS) == set()
    assert [name for name in rebuilt if OPS[name].not_rebuildable is not None] == []


def test_importing_the_worker_imports_neither_tensorflow_nor_cnnlint(tmp_path: Path) -> None:
    code = (
        "import importlib.util, sys\n"
        f"spec = importlib.util.spec_from_file_location('worker', {str(WORKER)!r})\n"
        "module = importlib.util.module_from_spec(spec)\n"
        "spec.loader.exec_module(module)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('tensorflow', 'keras', 'cnnlint')))\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=tmp_path, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


def test_a_misspelled_attribute_is_an_error_not_an_unknown_shape() -> None:
    with pytest.raises(AttrError, match="'conv' has no attribute 'kernel_sizes'"):
        infer("conv", [X], {"kernel_sizes": (3, 3), "filters": 8})


def test_an_undeclared_op_is_an_error() -> None:
    with pytest.raises(AttrError, match="op 'convolve' is not declared"):
        infer("convolve", [X], {})


def test_a_value_of_the_wrong_kind_is_an_error() -> None:
    with pytest.raises(AttrError, match="attribute 'filters' of op 'conv' is a str"):
        infer("conv", [X], {"kernel_size": (3, 3), "filters": "8"})
    with pytest.raises(AttrError, match="attribute 'strides'"):
        infer("conv", [X], {"kernel_size": (3, 3), "strides": {"h": 1}})


def test_a_missing_required_attribute_is_an_error() -> None:
    with pytest.raises(AttrError, match="time_distributed"):
        infer("time_distributed", [X], {"inner_op": "dense"})


def test_the_attributes_of_an_inner_op_are_checked_against_its_declaration() -> None:
    with pytest.raises(AttrError, match="'dense' has no attribute 'unit'"):
        infer("time_distributed", [(Dim.const(2), Dim.const(5), Dim.const(8))],
              {"inner_op": "dense", "inner_attrs": {"unit": 3}})
    with pytest.raises(AttrError, match="'dense' has no attribute 'unit'"):
        count_params("time_distributed", [(Dim.const(2), Dim.const(5), Dim.const(8))],
                     {"inner_op": "dense", "inner_attrs": {"unit": 3}}, None)


def test_a_graph_refuses_an_attribute_it_could_not_hold() -> None:
    graph = Graph("g", "m.py", 1)
    with pytest.raises(AttrError, match="no attribute value"):
        graph.add("input", "placeholder", [], {"shape": [object()]}, Loc(1, 1, 1, 2))
    with pytest.raises(AttrError, match="has no attribute 'shapes'"):
        graph.add("input", "placeholder", [], {"shapes": [None, 3]}, Loc(1, 1, 1, 2))


def test_a_node_keeps_the_attributes_as_given() -> None:
    graph = Graph("g", "m.py", 1)
    node = graph.add("input", "placeholder", [], {"shape": [None, 3], "kind": "placeholder"}, Loc(1, 1, 1, 2))
    assert dict(node.attrs) == {"shape": [None, 3], "kind": "placeholder"}


@pytest.mark.parametrize("name", sorted(OPS))
def test_each_declaration_is_frozen_and_checkable(name: str) -> None:
    decl = OPS[name]
    assert isinstance(decl, OpDecl) and decl.name == name
    assert issubclass(decl.attrs, OpAttrs) and decl.attrs.__dataclass_params__.frozen
    assert attr_types(decl.attrs).keys() == {f.name for f in dataclasses.fields(decl.attrs)}
    assert decl.not_rebuildable is None or decl.not_rebuildable.strip()


def test_every_problem_kind_has_one_details_class() -> None:
    from cnnlint.shapes import registry

    kinds = {value for key, value in vars(registry).items() if key.isupper() and isinstance(value, str)
             and key not in ("DETAILS",)}
    assert set(DETAILS) == kinds
