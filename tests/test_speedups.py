"""The speed-ups of the interpreter give exactly what they replace (issue 17): positions from
libcst's provider run on its own, read-only visitors walked over node fields, and fork snapshots
that count their size while they copy."""

from __future__ import annotations

from pathlib import Path

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, PositionProvider

from cnnlint.frontend.python import visitors
from cnnlint.frontend.python.join import snapshot_within, state_size
from cnnlint.frontend.python.positions import positions
from cnnlint.frontend.python.scope import Scope
from cnnlint.frontend.python.values import ClassV, Const, DictV, ObjectV, SeqV

ROOT = Path(__file__).resolve().parent.parent
SOURCES = sorted([*(ROOT / "fixtures").rglob("*.py"), *(ROOT / "cnnlint" / "frontend" / "python").glob("*.py")])


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_positions_are_those_of_the_metadata_wrapper(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    found = positions(module)
    assert dict(found) == dict(expected)
    assert positions(module) is found  # once per tree


class _Collect(cst.CSTVisitor):
    def __init__(self) -> None:
        self.nodes: list[cst.CSTNode] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.FunctionDef, cst.For, cst.While, cst.If, cst.SimpleStatementLine)):
            self.nodes.append(node)
        return True


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_walking_fields_finds_what_libcsts_visit_finds(path: Path) -> None:
    module = cst.parse_module(path.read_text(encoding="utf-8"))
    collect = _Collect()
    module.visit(collect)
    for node in collect.nodes:
        by_visit, by_walk = visitors.AssignedNames(), visitors.AssignedNames()
        node.visit(by_visit)
        visitors.walk(node, by_walk)
        assert vars(by_visit) == vars(by_walk)
        for finder in (visitors.YieldFinder, visitors._Exits):
            a, b = finder(), finder()
            node.visit(a)
            visitors.walk(node, b)
            assert a.found == b.found


def test_a_snapshot_within_a_limit_counts_as_state_size() -> None:
    scope = Scope("module")
    shared = SeqV([Const(i) for i in range(5)])
    cls = ClassV("C", [], {}, cst.ensure_type(cst.parse_statement("class C: pass"), cst.ClassDef))
    obj = ObjectV(cls, {"a": shared, "b": Const(1)})
    scope.vars.update({"xs": shared, "d": DictV({"k": SeqV([Const(1), shared])}), "o": obj, "n": Const(3)})
    size = state_size(scope)
    assert size == 5 + 1 + 2 + 2  # each container once: xs, the dict, its list, the object
    saved = snapshot_within(scope.chain(), size)
    assert saved is not None and saved[0]["xs"] is not shared and saved[0]["n"] is scope.vars["n"]
    copied = saved[0]["o"]
    assert isinstance(copied, ObjectV) and copied.attrs["a"] is saved[0]["xs"]  # shared parts stay shared
    assert snapshot_within(scope.chain(), size - 1) is None
