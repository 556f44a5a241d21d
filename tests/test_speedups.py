"""The speed-ups of the interpreter give exactly what they replace (issue 17): positions from
libcst's provider run on its own, read-only visitors walked over node fields, and fork snapshots
that count their size while they copy."""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def resolutions(monkeypatch: pytest.MonkeyPatch) -> list[cst.Module]:
    """The modules whose positions get resolved from now on in this test, in order."""
    from cnnlint.frontend.python import positions as module_positions

    resolved: list[cst.Module] = []
    real = module_positions._resolve
    monkeypatch.setattr(module_positions, "_resolve", lambda m: resolved.append(m) or real(m))
    return resolved


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


# -- text and ranges found only when read ------------------------------------------------------
_TRICKY = '''\
import tensorflow as tf
x = (a).b + a . b - (1) * 2.5 / -3 // 4 ** 5 @ m % 7
y = a.b(c)[1, ::2, ...] if p is not q and r not in s or t else u
z = [f  (  1  ,  2  ),  # comment
     g \\
     + 3]
s = 'one' "two" f"{x}" + b'three' rb"four"
t = lambda k: k < 1 <= 2 == 3 != 4 > 5 >= 6
'''


@pytest.mark.parametrize("path", SOURCES, ids=[p.name for p in SOURCES])
def test_node_text_is_what_libcst_renders(path: Path) -> None:
    from cnnlint.frontend.python.positions import code

    for text in (path.read_text(encoding="utf-8"), _TRICKY):
        module = cst.parse_module(text)
        stack: list[cst.CSTNode] = [module]
        while stack:
            node = stack.pop()
            stack.extend(node.children)
            try:
                rendered = module.code_for_node(node).strip()
            except Exception:  # a part libcst renders only inside its parent
                continue
            assert code(module, node) == rendered


def test_a_lazy_range_is_the_range_it_resolves_to() -> None:
    import copy
    import dataclasses
    import pickle

    from cnnlint.ir import Loc, Model

    calls: list[int] = []

    def lazy(*fields: object) -> Loc:
        def find() -> Loc:
            calls.append(1)
            return Loc(*fields)  # type: ignore[arg-type]
        return Loc.lazy(find)

    eager = Loc(3, 1, 3, 9)
    assert lazy(3, 1, 3, 9) == eager and hash(lazy(3, 1, 3, 9)) == hash(eager)
    assert sorted([Loc(5, 1, 5, 2), lazy(3, 1, 3, 9)]) == [eager, Loc(5, 1, 5, 2)]
    assert dataclasses.replace(lazy(3, 1, 3, 9, "m.py", (1, 2, 1, 4)), via=()) == Loc(3, 1, 3, 9, "m.py")
    assert pickle.loads(pickle.dumps(lazy(3, 1, 3, 9))) == eager
    assert copy.deepcopy(lazy(3, 1, 3, 9)) == eager
    one = lazy(7, 2, 8, 1, "other.py")
    calls.clear()
    assert (one.path, one.line, one.end_line, one.path) == ("other.py", 7, 8, "other.py") and len(calls) == 1
    assert not hasattr(lazy(1, 1, 1, 1), "not_a_field")
    assert Model("m", "Sequential", lazy(4, 1, 4, 2)).line == 4
    assert Model("m", "Sequential", lambda: 6).line == 6


def test_a_check_that_reports_nothing_resolves_no_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    from cnnlint.rules import select_rules
    from cnnlint.runner import check_source

    resolved = resolutions(monkeypatch)
    clean = ("import tensorflow as tf\nfrom tensorflow.keras import layers\n"
             "def block(x, n):\n    x = layers.Conv2D(n, 3, padding='same')(x)\n"
             "    return layers.BatchNormalization()(x)\n"
             "inputs = tf.keras.Input(shape=(28, 28, 1))\nx = block(inputs, 8)\nx = block(x, 16)\n"
             "x = layers.Flatten()(x)\nmodel = tf.keras.Model(inputs, layers.Dense(10, activation='softmax')(x))\n"
             "model.compile(loss='categorical_crossentropy')\n")
    result = check_source(clean, "clean.py", select_rules())
    assert result.diagnostics == [] and resolved == []
    buggy = clean.replace("x = layers.Flatten()(x)\n", "x = layers.Flatten()(x)\nx = layers.Conv2D(4, 3)(x)\n")
    result = check_source(buggy, "buggy.py", select_rules())
    assert result.diagnostics and len(resolved) == 1  # the finding's range: the positions, once
    assert {d.loc.line for d in result.diagnostics} <= set(range(1, buggy.count("\n") + 1))


SPANNING_CASES = (
    "f(x)(y)\n((f(x)))\na.b.c\n(a.b).c\nx[0][1]\n(x[0])[1]\n--x\nnot not x\n-(-x)\n"
    "a < b < c\n(a < b) < c\n(a + b) + c\na + (b + c)\na or b or c\n(a or b) or c\n"
    "f(g(h(x)))\nf((g(x)))\nm.f(x).g(y)[0].h\nlambda: f(x)\n[f(x) for x in y]\n"
)


@pytest.mark.parametrize("path", [*SOURCES, None], ids=[*(p.name for p in SOURCES), "nested"])
def test_no_two_spanning_nodes_of_one_kind_share_a_range(path: Path | None) -> None:
    """What `Placing.same_place` rests on: in one tree, two different calls (or binary operations,
    comparisons, attributes, subscripts ...) never have the same range, so two lazy ranges of them
    are equal exactly when they are of the same node, with no positions resolved."""
    from cnnlint.frontend.python.positions import _SPANNING

    module = cst.parse_module(SPANNING_CASES if path is None else path.read_text(encoding="utf-8"))
    found = positions(module)
    seen: dict[tuple[type, object], cst.CSTNode] = {}
    for node, rng in found.items():
        if type(node) in _SPANNING:
            key = (type(node), (rng.start, rng.end))
            assert key not in seen, f"{cst.Module([]).code_for_node(node)!r} shares its range"
            seen[key] = node


def test_lazy_ranges_of_calls_compare_without_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    """Two lazy ranges of the checked module's calls compare as their resolved ranges would, and
    without resolving them; other nodes, and ranges of another placer, compare by their fields."""
    from cnnlint.frontend.plugins import chain
    from cnnlint.frontend.python.evaluator import Evaluator

    resolved = resolutions(monkeypatch)
    module = cst.parse_module("f(x)\nf(x)\ny = a - b\nz = a - b\n")
    calls = [s.body[0].value for s in module.body[:2]]  # type: ignore[attr-defined]
    subtractions = [s.body[0].value for s in module.body[2:]]  # type: ignore[attr-defined]
    names = [calls[0].func, calls[1].func]
    interp = Evaluator(module, "m.py", chain())
    first, again, second = interp.loc(calls[0]), interp.loc(calls[0]), interp.loc(calls[1])
    assert first == again and first != second
    assert interp.loc(subtractions[0]) != interp.loc(subtractions[1])
    assert resolved == []
    assert interp.loc(names[0]) != interp.loc(names[1])  # names are not compared by node: resolved
    assert len(resolved) == 1
    assert (first.line, second.line) == (1, 2) and hash(first) == hash(again)
    other = Evaluator(module, "m.py", chain())
    assert other.loc(calls[0]) == first  # another placer: by the fields, the same range


def test_a_loss_in_a_loop_is_recorded_once_without_positions(monkeypatch: pytest.MonkeyPatch) -> None:
    """A hand-written loss, a metric and a Keras loss called on each pass of a loop: recorded once
    each (the same place), found the same without resolving the module's positions."""
    from cnnlint.rules import select_rules
    from cnnlint.runner import check_source

    resolved = resolutions(monkeypatch)
    source = ("import tensorflow as tf\n"
              "def loss_fn(y, p):\n    return tf.reduce_mean(tf.square(y - p))\n"
              "def accuracy(y, p):\n    return tf.reduce_mean(tf.cast(tf.equal(y, p), tf.float32))\n"
              "y = tf.zeros((8, 1))\np = tf.ones((8, 1))\n"
              "for step in range(3):\n    l = loss_fn(y, p)\n    a = accuracy(y, p)\n"
              "    m = tf.keras.losses.mean_squared_error(y, p)\n")
    result = check_source(source, "loop.py", select_rules())
    assert result.diagnostics == [] and resolved == []
    assert result.module is not None
    assert sorted((r.readings[0], r.loc.line) for r in result.module.losses) == [
        ("accuracy", 5), ("difference", 3), ("keras.regression", 11), ("tf.equal", 5)]


def test_the_plugin_chain_asks_each_hook_only_of_the_plugins_that_define_it() -> None:
    """`Plugins` skips a plugin whose class leaves a hook to `Plugin`'s default (which answers
    "not mine" or does nothing): the answers are those of asking every plugin in order."""
    from cnnlint.frontend.python.plugin import Plugin, Plugins
    from cnnlint.frontend.python.values import UNKNOWN, Value

    asked: list[str] = []

    class Quiet(Plugin):
        pass

    class Answers(Plugin):
        def call_value(self, interp: Any, value: Value, args: Any, kwargs: Any, site: Any) -> Value | None:
            asked.append("call")
            return Const(1) if value is UNKNOWN else None

        def observe_call(self, interp: Any, args: Any, kwargs: Any, site: Any) -> None:
            asked.append("observe")

    class Inherits(Answers):
        pass

    chain = Plugins([Quiet(), Answers(), Inherits()])
    assert [type(p) for p in chain._calls] == [Answers, Inherits] == [type(p) for p in chain._observing]
    assert chain._attributes == () and chain._naming == ()
    interp: Any = None
    answer = chain.call_value(interp, UNKNOWN, [], {}, None)
    assert isinstance(answer, Const) and answer.value == 1 and asked == ["call"]
    assert chain.call_value(interp, Const(2), [], {}, None) is None and asked == ["call"] * 3
    chain.observe_call(interp, [], {}, cst.Call(cst.Name("f")))
    assert asked[3:] == ["observe", "observe"]
    assert chain.attribute(interp, UNKNOWN, "shape") is None


def test_a_found_range_lets_go_of_its_placer() -> None:
    """A lazy range keeps its placer (the interpreter, with the module's tree) only until it is
    found: the findings of a run do not hold every file's interpreter."""
    from cnnlint.frontend.plugins import chain
    from cnnlint.frontend.python.evaluator import Evaluator

    module = cst.parse_module("f(x)\n")
    call = module.body[0].body[0].value  # type: ignore[attr-defined]
    loc = Evaluator(module, "m.py", chain()).loc(call)
    assert "_place" in loc.__dict__
    assert loc.line == 1 and "_place" not in loc.__dict__ and "_find" not in loc.__dict__
