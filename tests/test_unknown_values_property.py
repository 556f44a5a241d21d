"""A finding under an unknown value must hold for every value it could take.

Generated Keras programs use one integer `N` as a loop count, in a condition, or passed through
a helper. Each is checked with `N` written as several constants and once as a value cnnlint
cannot know (`int(sys.argv[1])`): the findings of the unknown program must be among those of
every constant one. A finding only the unknown program gives is one no run could produce,
which is what the real-code sweep found (a Sequential filled in a loop applied as an identity).
"""

from __future__ import annotations

import textwrap

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cnnlint.rules import select_rules
from cnnlint.runner import check_source

RULES = select_rules(["CNN"])
VALUES = ("0", "1", "2", "3")
UNKNOWN = "int(sys.argv[1])"

LAYERS = st.sampled_from([
    'layers.Conv2D({f}, 3, strides={s}, padding="{p}")',
    'layers.Conv2D({f}, 3, padding="{p}")',
    "layers.MaxPooling2D(2)",
    'layers.Conv2D({f}, 1, strides={s}, padding="{p}")',
])


@st.composite
def layer(draw: st.DrawFn) -> str:
    return draw(LAYERS).format(f=draw(st.sampled_from([8, 16])), s=draw(st.sampled_from([1, 2])),
                               p=draw(st.sampled_from(["same", "valid"])))


BLOCKS = {
    "helper_loop": """
        def make(n):
            block = tf.keras.Sequential()
            for i in range(n):
                block.add({layer})
            return block
        x = make(N)(x)
    """,
    "list_loop": """
        stack = []
        for i in range(N):
            stack.append({layer})
        x = tf.keras.Sequential(stack)(x)
    """,
    "branch_add": """
        block = tf.keras.Sequential()
        if N > 1:
            block.add({layer})
        x = block(x)
    """,
    "functional_loop": """
        for i in range(N):
            x = {layer}(x)
    """,
    "functional_branch": """
        if N > 0:
            x = {layer}(x)
        else:
            x = {other}(x)
    """,
    "object_list": """
        class Holder:
            pass
        holder = Holder()
        holder.items = []
        for i in range(N):
            holder.items.append({layer})
        x = tf.keras.Sequential(holder.items)(x)
    """,
    "helper_count": """
        def count(n):
            return n + 1
        for i in range(count(N)):
            x = {layer}(x)
    """,
}
TAILS = st.sampled_from([
    "x = layers.Reshape(({r},))(x)",
    "x = layers.Dense(10)(layers.Flatten()(x))",
    "x = layers.Conv2D(8, 3)(x)",
    "x = layers.Add()([x, layers.Conv2D({c}, 1)(inputs)])",
])


@st.composite
def program(draw: st.DrawFn) -> str:
    size = draw(st.sampled_from([4, 8, 16]))
    channels = draw(st.sampled_from([3, 8]))
    blocks = draw(st.lists(st.sampled_from(sorted(BLOCKS)), min_size=1, max_size=2))
    body = []
    for name in blocks:
        body.append(textwrap.dedent(BLOCKS[name]).format(layer=draw(layer()), other=draw(layer())))
    tail = draw(TAILS).format(r=draw(st.sampled_from([size * size * 8, (size // 2) ** 2 * 8, (size // 2) ** 2 * 16,
                                                      size * size * channels])),
                              c=draw(st.sampled_from([8, 16, channels])))
    return "\n".join([
        "import sys", "import tensorflow as tf", "from tensorflow.keras import layers",
        f"inputs = tf.keras.Input(shape=({size}, {size}, {channels}))", "x = inputs",
        *body, tail, "model = tf.keras.Model(inputs, x)", "",
    ])


def findings(code: str) -> set[tuple[str, int]]:
    result = check_source(code, "generated.py", RULES)
    assert result.error is None, result.error
    return {(d.code, d.loc.line) for d in result.diagnostics}


def _with(code: str, value: str) -> str:
    return code.replace("(N)", f"({value})").replace("N >", f"{value} >")


@pytest.mark.fuzz
@settings(max_examples=80, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])
@given(program())
def test_an_unknown_value_never_adds_a_finding_no_value_gives(code: str) -> None:
    unknown = findings(_with(code, UNKNOWN))
    for value in VALUES:
        concrete = findings(_with(code, value))
        assert unknown <= concrete, f"N = {value}:\n{_with(code, UNKNOWN)}\nonly unknown: {unknown - concrete}"


def test_the_generator_reaches_findings_under_known_values() -> None:
    """The property is not vacuous: constant programs of this family do get findings."""
    code = "\n".join([
        "import sys", "import tensorflow as tf", "from tensorflow.keras import layers",
        "inputs = tf.keras.Input(shape=(8, 8, 3))", "x = inputs",
        textwrap.dedent(BLOCKS["helper_loop"]).format(layer='layers.Conv2D(8, 3, strides=2, padding="same")'),
        "x = layers.Reshape((512,))(x)", "model = tf.keras.Model(inputs, x)", "",
    ])
    assert ("CNN001", 14) in findings(_with(code, "1"))  # 4x4x8 = 128, not 512
    assert findings(_with(code, UNKNOWN)) == set()
