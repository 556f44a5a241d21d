"""`super()` in users' layers and models, and the call-site note of a finding inside a custom layer's
`call`, read by cnnlint and run by Keras 3 and tf-keras (cnnlint/frontend/python/supercall.py,
cnnlint/frontend/keras/super_init.py; docs/model-idioms.md, "Custom layers")."""

from __future__ import annotations

import textwrap
import traceback
from typing import Any

import pytest

from cnnlint.frontend import extract
from cnnlint.frontend.python.supercall import mro
from cnnlint.frontend.python.values import ClassV
from cnnlint.ir import Graph, Model
from cnnlint.rules import select_rules
from cnnlint.runner import check_source
from tests.differential_oracle import TARGETS, current_flavour, in_flavour, options

PRELUDE = "import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import backend as K\n"

MY_DENSE = """
class MyDense(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(input_shape[-1], self.units))

    def call(self, x):
        return tf.matmul(x, self.kernel)
"""

BAD_DOT = """
class BadDot(keras.layers.Layer):
    def __init__(self, units, **kwargs):
        super(BadDot, self).__init__(**kwargs)
        self.units = units

    def build(self, input_shape):
        self.kernel = self.add_weight(name="kernel", shape=(8, self.units))

    def call(self, inputs):
        return K.dot(inputs, self.kernel)
"""

HIERARCHY = """
class Base(keras.layers.Layer):
    def build(self, input_shape):
        self.w = self.add_weight(name="w", shape=({rows}, 4))

    def call(self, x):
        return tf.matmul(x, self.w)


class Child(Base):
    def build(self, input_shape):
        super().build(input_shape)
        self.b = self.add_weight(name="b", shape=(4,))

    def call(self, x):
        return super().call(x) + self.b
"""

NET = """
class Net(keras.Model):
    def __init__(self, **kwargs):
        inp = keras.Input((8,))
        out = keras.layers.Dense(3)(inp)
        super().__init__({arguments}, **kwargs)
"""

# id -> the program after the prelude. A program Keras runs names its model `model` and the tensor
# to compare `y` (else the model's output is compared); one Keras refuses is compared by where it raises and the application that ran it.
CASES: dict[str, str] = {
    "input-shape-through-kwargs": MY_DENSE + """
model = keras.Sequential([MyDense(10, input_shape=(5,), name="first"), keras.layers.Dense(1)])
""",
    "input-dim-through-kwargs": MY_DENSE + """
model = keras.Sequential([MyDense(4, input_dim=7), keras.layers.Dense(2)])
""",
    "model-add-input-shape": MY_DENSE + """
model = keras.Sequential()
model.add(MyDense(4, input_shape=(9,)))
model.add(keras.layers.Dense(2))
""",
    "two-argument-super-with-a-name": MY_DENSE + """
class Two(MyDense):
    def __init__(self, units, **kwargs):
        super(Two, self).__init__(units, name="two", **kwargs)


model = keras.Sequential([Two(4, input_shape=(6,))])
""",
    "user-base-class-build-and-call": HIERARCHY.format(rows="input_shape[-1]") + """
inp = keras.Input((6,))
y = Child()(inp)
model = keras.Model(inp, keras.layers.Dense(3)(y))
""",
    "functional-subclass-keywords": NET.format(arguments="inputs=inp, outputs=out") + """
model = Net(name="net")
y = model(keras.Input((8,)))
""",
    "functional-subclass-positional": NET.format(arguments="inp, out") + """
model = Net(name="posnet")
y = model(keras.Input((8,)))
""",
    "functional-subclass-in-a-sequential": NET.format(arguments="inputs=inp, outputs=out") + """
model = keras.Sequential([Net(), keras.layers.Dense(2)])
""",
    "subclassed-model-name": """
class M2(keras.Model):
    def __init__(self):
        super(M2, self).__init__(name="m2")
        self.d = keras.layers.Dense(2)

    def call(self, x):
        return self.d(x)


model = M2()
y = model(keras.Input((3,)))
""",
    "plain-python-base-init": """
class Config:
    def __init__(self, units):
        self.units = units


class Wide(Config):
    def __init__(self):
        super().__init__(64)


inp = keras.Input((10,))
y = keras.layers.Dense(Wide().units)(inp)
model = keras.Model(inp, y)
""",
    "diamond-mro": """
class A:
    def size(self):
        return 2


class B(A):
    def size(self):
        return super().size() * 3


class C(A):
    def size(self):
        return super().size() + 1


class D(B, C):
    def size(self):
        return super().size()


inp = keras.Input((10,))
y = keras.layers.Dense(D().size())(inp)
model = keras.Model(inp, y)
""",
    # Refused by Keras: the line it raises at inside `call`, and the application that ran it.
    "k-dot-mismatch-applied-functionally": BAD_DOT + """
inp = keras.Input((5,))
out = BadDot(10)(inp)
""",
    "k-dot-mismatch-as-a-sequential-entry": BAD_DOT + """
model = keras.Sequential([keras.Input((6,)), BadDot(3)])
""",
    "k-dot-mismatch-added-with-its-input-shape": BAD_DOT + """
model = keras.Sequential()
model.add(BadDot(3, input_shape=(6,)))
""",
    "second-application-on-a-wider-input": MY_DENSE + """
layer = MyDense(8)
narrow = layer(keras.Input((20,)))
wide = layer(keras.Input((30,)))
""",
    "mismatch-in-a-base-class-call-run-by-super": HIERARCHY.format(rows="5") + """
inp = keras.Input((6,))
out = Child()(inp)
""",
    "functional-subclass-called-on-a-wider-input": NET.format(arguments="inputs=inp, outputs=out") + """
model = Net()
y = model(keras.Input((9,)))
""",
}
GIVEN_NAMES = frozenset({"first", "two", "net", "posnet", "m2"})  # names the programs give
Facts = dict[str, Any]


def _program(case_id: str) -> str:
    return PRELUDE + textwrap.dedent(CASES[case_id])


def _weight_name(name: str) -> str:
    return name.rsplit("/", 1)[-1].split(":", 1)[0]


def keras_facts(flavour: str, ids: list[str]) -> dict[str, Facts]:
    """Each case run by this process's Keras: `y`'s shape, the model's parameters, the names the
    program gives and its custom layers' weights; or the lines Keras raised at and was entered from."""
    from tensorflow import keras  # tf-keras where this process is that flavour
    out: dict[str, Facts] = {}
    for case_id in ids:
        scope: dict[str, Any] = {"__name__": "__case__"}
        try:
            exec(compile(_program(case_id), "<case>", "exec"), scope)  # the test's own code, as Keras runs it
        except Exception as error:  # what Keras refuses
            lines = [f.lineno for f in traceback.extract_tb(error.__traceback__) if f.filename == "<case>"]
            out[case_id] = {"refused_at": lines[-1], "called_at": lines[0]}
            continue
        model = scope["model"]
        custom = [layer for layer in model.layers if type(layer).__module__ == "__case__"
                  and not isinstance(layer, keras.Model)]
        out[case_id] = {
            "y": list(scope["y"].shape) if "y" in scope else list(model.output_shape),
            "params": int(model.count_params()),
            "names": sorted({model.name, *(layer.name for layer in custom)} & GIVEN_NAMES),
            "weights": [[[_weight_name(w.name), list(w.shape)] for w in layer.weights] for layer in custom],
        }
    return out


def _model(graph: Graph) -> Model:
    return next(m for m in graph.models if m.var == "model")


def cnnlint_facts(flavour: str, case_id: str) -> Facts:
    code = _program(case_id)
    found = check_source(code, "case.py", select_rules(["CNN"]), options(flavour)).diagnostics
    if found:
        first = found[0]
        calls = [r.loc.line for r in first.related if r.message.startswith("the layer ")]
        return {"refused_at": first.loc.line, "called_at": calls[0] if calls else first.loc.line}
    module = extract(code, "case.py", options(flavour))
    graph = next(g for g in module.graphs if any(m.var == "model" for m in g.models))
    model = _model(graph)
    y = max((i for i, name in graph.labels.items() if name == "y"), default=model.outputs[-1])
    shape = graph.nodes[y].shape
    nodes = [graph.nodes[i] for i in model.nodes]
    custom: dict[str, Any] = {}
    for node in nodes:
        if node.op == "custom_layer" and node.layer is not None:
            from tests.test_custom_layers import graph_weights
            custom.setdefault(node.layer, [[name, dims] for name, dims, _ in graph_weights(graph, node) or []])
    return {
        "y": None if shape is None else [d.value for d in shape],
        "params": sum(n.params.value or 0 for n in nodes if n.params is not None),
        "names": sorted({model.name, *custom} & GIVEN_NAMES),
        "weights": list(custom.values()),
    }


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", sorted(TARGETS))
def test_super_calls_and_call_sites_agree_with_keras(flavour: str) -> None:
    pytest.importorskip("tensorflow")
    ids = list(CASES)
    if flavour == current_flavour():
        truth = keras_facts(flavour, ids)
    else:
        truth = in_flavour(flavour, "tests.test_custom_layers_super:keras_facts", ids, timeout=600)
    bad = [f"{flavour} {i}: keras {truth[i]}\n  cnnlint {cnnlint_facts(flavour, i)}" for i in ids
           if truth[i] != cnnlint_facts(flavour, i)]
    assert not bad, "\n".join(bad)


# -- the interpreter's `super()`, against Python's own --------------------------------------------
HIERARCHIES = [
    "class A: pass\nclass B(A): pass\nclass C(A): pass\nclass D(B, C): pass",
    "class O: pass\nclass A(O): pass\nclass B(O): pass\nclass C(O): pass\nclass D(O): pass\nclass E(O): pass\n"
    "class K1(A, B, C): pass\nclass K2(D, B, E): pass\nclass K3(D, A): pass\nclass Z(K1, K2, K3): pass",
    "class A: pass\nclass B(A): pass\nclass C(A, B): pass",  # no consistent order: Python refuses it
]


@pytest.mark.parametrize("code", HIERARCHIES)
def test_the_method_resolution_order_is_pythons(code: str) -> None:
    from tests.conftest import module_scope
    scope, _ = module_scope(code)
    last = code.rsplit("class ", 1)[1].split("(")[0]
    cls = scope.vars[last]
    assert isinstance(cls, ClassV)
    namespace: dict[str, Any] = {}
    try:
        exec(code, namespace)  # the test's own class statements
        expected: list[str] | None = [c.__name__ for c in namespace[last].__mro__[:-1]]  # without `object`
    except TypeError:
        expected = None
    order = mro(cls)
    assert (None if order is None else [c.name for c in order if isinstance(c, ClassV)]) == expected


def test_super_where_python_cannot_resolve_it_is_unknown_and_quiet() -> None:
    from tests.conftest import codes, shapes_by_label
    code = """
    import keras

    def helper(x):
        return super().size()          # not in a method: RuntimeError

    class A:
        def size(self):
            return super(int, self).size()   # self is no int: TypeError

    n = helper(3)
    m = A().size()
    a = keras.Input((n,))
    b = keras.Input((m,))
    y = keras.layers.Dense(4)(a) + keras.layers.Dense(4)(b)
    """
    shapes = shapes_by_label(code)
    assert (shapes["a"], shapes["b"]) == ("?,?", "?,?")
    assert codes(code) == []


def test_keras3_refuses_batch_input_shape_of_a_custom_layer_so_the_model_waits() -> None:
    """Keras 3's `Layer.__init__` takes `input_shape` and `input_dim` only ("Unrecognized keyword
    arguments" otherwise); Keras 2 reads `batch_input_shape`: the input stays unknown, quietly."""
    code = PRELUDE + MY_DENSE + "model = keras.Sequential([MyDense(4, batch_input_shape=(2, 7))])\n"
    module = extract(code, "case.py")
    graph = next(g for g in module.graphs if g.models)
    assert [n.op for n in graph.nodes if n.op == "input" and n.attrs.get("kind") == "placeholder"] == ["input"]
    entry = next(n for n in graph.nodes if n.op == "input" and n.attrs.get("kind") == "placeholder")
    assert entry.shape is None


# -- the call-site note ---------------------------------------------------------------------------
def test_the_note_names_the_application_and_its_input_shape() -> None:
    code = _program("k-dot-mismatch-applied-functionally")
    [finding] = check_source(code, "case.py", select_rules(["CNN"])).diagnostics
    assert finding.code == "CNN002"
    assert [(r.loc.line, r.loc.column, r.message) for r in finding.related] == [
        (17, 7, "the layer `bad_dot` is called here on (None, 5)")]


def test_each_application_with_its_own_shapes_is_its_own_finding() -> None:
    code = PRELUDE + BAD_DOT + "a = BadDot(3)(keras.Input((5,)))\nb = BadDot(3)(keras.Input((6,)))\n" \
        "c = BadDot(3)(keras.Input((5,)))\n"
    found = check_source(code, "case.py", select_rules(["CNN"])).diagnostics
    # The same finding reached again (`c`, as `a`) is one finding, its first call related, as for a
    # helper function called twice.
    assert [(d.loc.line, [r.loc.line for r in d.related]) for d in found] == [(14, [15]), (14, [16])]


def test_the_note_in_json_and_sarif() -> None:
    import json

    from cnnlint.report.json_format import check_report
    from cnnlint.report.sarif import sarif_report
    code = _program("k-dot-mismatch-applied-functionally")
    rules = select_rules(["CNN"])
    found = check_source(code, "case.py", rules).diagnostics
    [diagnostic] = json.loads(check_report(1, found, []))["diagnostics"]
    assert diagnostic["related"] == [{"path": "case.py", "line": 17, "column": 7, "end_line": 17, "end_column": 22,
                                      "message": "the layer `bad_dot` is called here on (None, 5)"}]
    sarif = json.loads(sarif_report(found, [], rules, "."))
    notes = [(r["physicalLocation"]["region"]["startLine"], r["message"]["text"])
             for r in sarif["runs"][0]["results"][0]["relatedLocations"] if "called here" in r["message"]["text"]]
    assert notes == [(17, "the layer `bad_dot` is called here on (None, 5)")]


def test_a_functional_subclass_is_named_after_its_class_and_titled_after_its_variable() -> None:
    """Keras 3 and tf-keras both name `Net()` and a second `Net()` "net" and "net_1", never
    "functional", and both refuse this `fit` (mse of (4, 5) labels against (None, 3)): this program
    was run in both with the names printed."""
    code = PRELUDE + NET.format(arguments="inp, out") + """
import numpy as np
model = Net()
other = Net()
model.compile(loss="mse", optimizer="adam")
model.fit(np.zeros((4, 8)), np.zeros((4, 5)))
model.summary()
"""
    module = extract(code, "case.py")
    models = [m for g in module.graphs for m in g.models]
    assert [(m.kind, m.name, m.var) for m in models] == [("Net", "net", "model"), ("Net", "net_1", "other")]
    found = check_source(code, "case.py", select_rules(["CNN"])).diagnostics
    assert [d.code for d in found] == ["CNN013"]
    assert "of model `model`" in found[0].message
