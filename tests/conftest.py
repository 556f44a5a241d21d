"""Shared helpers: run the whole pipeline on a source string."""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import libcst as cst
import pytest

from cnnlint.frontend import extract
from cnnlint.frontend.plugins import chain
from cnnlint.frontend.python import Interpreter
from cnnlint.frontend.python.scope import Scope
from cnnlint.ir import Graph, ModuleIR
from cnnlint.rules import Diagnostic, select_rules
from cnnlint.runner import check_source

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"


@pytest.fixture(autouse=True)
def _no_result_cache(monkeypatch: pytest.MonkeyPatch, request: pytest.FixtureRequest) -> None:
    """Tests see fresh results (a test that patches the engine must not get a cached answer);
    tests marked `cache` exercise the cache themselves."""
    if request.node.get_closest_marker("cache") is None:
        monkeypatch.setenv("CNNLINT_NO_CACHE", "1")


def lint(code: str, select: str = "CNN") -> list[Diagnostic]:
    """All diagnostics for a snippet, every rule enabled by default."""
    rules = select_rules([c.strip() for c in select.split(",")])
    return check_source(textwrap.dedent(code), "snippet.py", rules).diagnostics


def codes(code: str, select: str = "CNN") -> list[str]:
    return [d.code for d in lint(code, select)]


def module_of(code: str) -> ModuleIR:
    return extract(textwrap.dedent(code), "snippet.py")


def shapes_by_label(code: str) -> dict[str, str | None]:
    """Variable name -> rendered shape of the tensor it was last bound to, in the module graph."""
    module = module_of(code)
    graph: Graph = module.graphs[0]
    out: dict[str, str | None] = {}
    for node in graph.nodes:
        label = graph.labels.get(node.id)
        if label is not None:
            out[label] = None if node.shape is None else ",".join(
                "?" if d.has_anonymous and d.value is None else d.render() for d in node.shape
            )
    return out


@pytest.fixture
def fixtures_dir() -> Path:
    return FIXTURES


def module_scope(code: str) -> tuple[Scope, Graph]:
    """The module's variables after cnnlint ran it, and its graph."""
    interp = Interpreter(cst.parse_module(textwrap.dedent(code)), "snippet.py", chain())
    scopes: list[Scope] = []
    original = interp.exec_block

    def exec_block(body: Any, scope: Scope) -> None:
        scopes.append(scope)
        original(body, scope)

    interp.exec_block = exec_block  # type: ignore[method-assign]
    interp.run()
    return scopes[0], interp.graph


def sizes(graph: Graph, node: int) -> str | None:
    """A node's shape as sizes joined by commas (`?` unknown), None where unknown."""
    shape = graph.nodes[node].shape
    return None if shape is None else ",".join("?" if d.value is None else str(d.value) for d in shape)
