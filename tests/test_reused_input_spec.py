"""A Keras layer applied again keeps the `InputSpec` its first call built: a normalisation's rank
and channels, a depthwise, separable or transposed kernel's channels. Each program runs through
cnnlint and in Keras 3 and tf-keras: a finding where the library refuses the program (at the call
or at its first batch), silence where it builds it. See docs/model-idioms.md ("A layer reused")."""

from __future__ import annotations

import textwrap

import pytest

from tests.conftest import codes, lint

FLAVOURS = ("keras", "tf_keras")


def program(code: str, flavour: str) -> str:
    return f"import {flavour} as keras\nfrom {flavour} import layers\n" + textwrap.dedent(code)


def run(code: str, flavour: str) -> None:
    module = pytest.importorskip(flavour)
    module.backend.clear_session()
    exec(compile(program(code, flavour), "case.py", "exec"), {})


HEAD = """
base_in = keras.Input((3,))
base = keras.Model(base_in, layers.BatchNormalization()(layers.Dense(4)(base_in)))
"""

# name -> (code, rule, line counted from the code's first (empty) line, flavours cnnlint reports in)
BUGGY: dict[str, tuple[str, str, int, tuple[str, ...]]] = {
    # Keras 3: "expected ndim=3, found ndim=2"; tf-keras: "list index out of range" (its axis is 2).
    "a BatchNormalization reused on a lower rank": ("""
bn = layers.BatchNormalization()
a = bn(keras.Input((5, 4)))
b = bn(keras.Input((4,)))
""", "CNN006", 4, FLAVOURS),
    # Keras 3: "expected axis -1 of input shape to have value 4"; tf-keras: "Dimensions must be equal".
    "a BatchNormalization reused on another channel count": ("""
bn = layers.BatchNormalization()
a = bn(keras.Input((5, 4)))
b = bn(keras.Input((5, 6)))
""", "CNN003", 4, FLAVOURS),
    # Keras 3: "expected axis 1 of input shape to have value 4"; tf-keras: "Cannot reshape a tensor".
    "a BatchNormalization(axis=1) reused on another size of axis 1": ("""
bn = layers.BatchNormalization(axis=1)
a = bn(keras.Input((4, 5)))
b = bn(keras.Input((6, 5)))
""", "CNN003", 4, FLAVOURS),
    # Keras 3: "expected ndim=3, found ndim=4" at the call; tf-keras builds the symbolic call and
    # refuses the first batch (its `__call__` on tensors checks the InputSpec).
    "a BatchNormalization(axis=1) reused on a higher rank": ("""
import numpy as np
bn = layers.BatchNormalization(axis=1)
s1, s2 = keras.Input((4, 5)), keras.Input((4, 5, 2))
a, b = bn(s1), bn(s2)
keras.Model([s1, s2], [a, b]).predict([np.zeros((1, 4, 5)), np.zeros((1, 4, 5, 2))], verbose=0)
""", "CNN006", 5, FLAVOURS),
    "a GroupNormalization reused on another channel count": ("""
gn = layers.GroupNormalization(groups=2)
a = gn(keras.Input((5, 4)))
b = gn(keras.Input((5, 6)))
""", "CNN003", 4, FLAVOURS),
    "a GroupNormalization reused on a lower rank": ("""
import numpy as np
gn = layers.GroupNormalization(groups=2)
s1, s2 = keras.Input((5, 4)), keras.Input((4,))
a, b = gn(s1), gn(s2)
keras.Model([s1, s2], [a, b]).predict([np.zeros((1, 5, 4)), np.zeros((1, 4))], verbose=0)
""", "CNN006", 5, FLAVOURS),
    "a DepthwiseConv2D reused on another channel count": ("""
dw = layers.DepthwiseConv2D(3)
a = dw(keras.Input((8, 8, 3)))
b = dw(keras.Input((8, 8, 5)))
""", "CNN003", 4, FLAVOURS),
    "a SeparableConv2D reused on another channel count": ("""
sep = layers.SeparableConv2D(4, 3)
a = sep(keras.Input((8, 8, 3)))
b = sep(keras.Input((8, 8, 5)))
""", "CNN003", 4, FLAVOURS),
    "a Conv2DTranspose reused on another channel count": ("""
up = layers.Conv2DTranspose(4, 3)
a = up(keras.Input((8, 8, 3)))
b = up(keras.Input((8, 8, 5)))
""", "CNN003", 4, FLAVOURS),
    # Keras 3 refuses at the call; tf-keras reads 8 channels as 4 groups of the kernel's 2 and
    # refuses at the first batch (its `__call__` on tensors checks the InputSpec).
    "a grouped Conv2D reused on another channel count": ("""
import numpy as np
conv = layers.Conv2D(4, 3, groups=2)
s1, s2 = keras.Input((8, 8, 4)), keras.Input((8, 8, 8))
a, b = conv(s1), conv(s2)
keras.Model([s1, s2], [a, b]).predict([np.zeros((1, 8, 8, 4)), np.zeros((1, 8, 8, 8))], verbose=0)
""", "CNN003", 5, FLAVOURS),
    # tf-keras: "Dimensions must be equal, but are 6 and 4" at the call; Keras 3 has no InputSpec
    # for it and fails at the first batch ("Cannot reshape a tensor with 4 elements to shape [1,1,6]").
    "a LayerNormalization reused on another channel count": ("""
import numpy as np
ln = layers.LayerNormalization()
s1, s2 = keras.Input((5, 4)), keras.Input((5, 6))
a, b = ln(s1), ln(s2)
keras.Model([s1, s2], [a, b]).predict([np.zeros((1, 5, 4)), np.zeros((1, 5, 6))], verbose=0)
""", "CNN003", 5, FLAVOURS),
    # Keras 3: "expected ndim=3, found ndim=2" at the call; tf-keras at the first batch.
    "a PReLU reused on a lower rank": ("""
import numpy as np
act = layers.PReLU()
s1, s2 = keras.Input((5, 4)), keras.Input((4,))
a, b = act(s1), act(s2)
keras.Model([s1, s2], [a, b]).predict([np.zeros((1, 5, 4)), np.zeros((1, 4))], verbose=0)
""", "CNN006", 5, FLAVOURS),
    # tf-keras: "Dimensions must be equal, but are 4 and 6" at the call; Keras 3 at the first batch
    # (its InputSpec names axes only with `shared_axes`, but `alpha` is (5, 4)).
    "a PReLU reused on another shape": ("""
import numpy as np
act = layers.PReLU()
s1, s2 = keras.Input((5, 4)), keras.Input((5, 6))
a, b = act(s1), act(s2)
keras.Model([s1, s2], [a, b]).predict([np.zeros((1, 5, 4)), np.zeros((1, 5, 6))], verbose=0)
""", "CNN003", 5, FLAVOURS),
    "a BatchNormalization reused inside a subclassed model": ("""
class Twice(keras.Model):
    def __init__(self):
        super().__init__()
        self.bn = layers.BatchNormalization()

    def call(self, x):
        return self.bn(layers.Flatten()(self.bn(x)))

y = Twice()(keras.Input((5, 4)))
""", "CNN006", 8, FLAVOURS),
    # realworld 382: tf-keras runs the head's layers on the new tensors and refuses ("Input 0 of
    # layer "batch_normalization_1" is incompatible with the layer: expected ndim=3, found ndim=2");
    # Keras 3 accepts the call (only at the first batch does it fail), so nothing for it.
    "a functional head built on a shape with its batch axis, called on embeddings": (HEAD + """
e1, e2 = keras.Input(shape=base.output_shape), keras.Input(shape=base.output_shape)
h = layers.BatchNormalization()(layers.Dense(4)(layers.Concatenate()([e1, e2])))
head = keras.Model([e1, e2], layers.Dense(1)(h))
i1, i2 = keras.Input((3,)), keras.Input((3,))
out = head([base(i1), base(i2)])
""", "CNN006", 9, ("tf_keras",)),
    "a Sequential with a BatchNormalization called on a lower rank": ("""
seq = keras.Sequential([keras.Input((None, 4)), layers.BatchNormalization()])
out = seq(layers.Dense(4)(keras.Input((3,))))
""", "CNN006", 3, ("tf_keras",)),
}

CLEAN: dict[str, str] = {
    "a BatchNormalization reused on its rank and channels": """
bn = layers.BatchNormalization()
a = bn(keras.Input((5, 4)))
b = bn(keras.Input((7, 4)))
""",
    "a BatchNormalization(axis=1) reused on its size of axis 1": """
bn = layers.BatchNormalization(axis=1)
a = bn(keras.Input((4, 5)))
b = bn(keras.Input((4, 7)))
""",
    "a DepthwiseConv2D reused on another image size": """
dw = layers.DepthwiseConv2D(3)
a = dw(keras.Input((8, 8, 3)))
b = dw(keras.Input((10, 10, 3)))
""",
    "a PReLU with shared axes reused on another length": """
act = layers.PReLU(shared_axes=[1])
a = act(keras.Input((5, 4)))
b = act(keras.Input((7, 4)))
""",
    "a BatchNormalization applied on either branch": """
import sys
bn = layers.BatchNormalization()
if len(sys.argv) > 99:
    a = bn(keras.Input((5, 4)))
else:
    a = bn(keras.Input((4,)))
""",
    "a Dense applied on either branch": """
import sys
dense = layers.Dense(3)
if len(sys.argv) > 99:
    a = dense(keras.Input((4,)))
else:
    a = dense(keras.Input((5,)))
""",
    "a BatchNormalization first applied under a condition that does not hold": """
import sys
bn = layers.BatchNormalization()
if len(sys.argv) > 99:
    a = bn(keras.Input((5, 4)))
b = bn(keras.Input((4,)))
""",
    "a functional head called on the shape it was built for": HEAD + """
e1, e2 = keras.Input(shape=base.output_shape[1:]), keras.Input(shape=base.output_shape[1:])
h = layers.BatchNormalization()(layers.Dense(4)(layers.Concatenate()([e1, e2])))
head = keras.Model([e1, e2], layers.Dense(1)(h))
i1, i2 = keras.Input((3,)), keras.Input((3,))
out = head([base(i1), base(i2)])
""",
    "a Sequential with a BatchNormalization called on its rank": """
seq = keras.Sequential([keras.Input((None, 4)), layers.BatchNormalization()])
out = seq(keras.Input((7, 4)))
""",
}


# cnnlint stays quiet; Keras 3 builds the program, and tf-keras refuses or accepts it depending on
# sizes that are not the layer's (its `build` made the axes positive).
UNCERTAIN: dict[str, str] = {
    # tf-keras: "list index out of range" (its axis is 2); Keras 3: axis -1 still has 4.
    "a LayerNormalization reused on a lower rank of its channels": """
import numpy as np
ln = layers.LayerNormalization()
s1, s2 = keras.Input((5, 4)), keras.Input((4,))
a, b = ln(s1), ln(s2)
keras.Model([s1, s2], [a, b]).predict([np.zeros((1, 5, 4)), np.zeros((1, 4))], verbose=0)
""",
}


@pytest.mark.parametrize("name", list(UNCERTAIN))
def test_an_uncertain_program_is_quiet(name: str) -> None:
    for flavour in FLAVOURS:
        assert codes(program(UNCERTAIN[name], flavour)) == [], flavour


@pytest.mark.tensorflow
@pytest.mark.parametrize("name", list(UNCERTAIN))
def test_keras3_builds_the_uncertain_program(name: str) -> None:
    run(UNCERTAIN[name], "keras")


@pytest.mark.parametrize("name", list(BUGGY))
def test_a_buggy_program_is_reported(name: str) -> None:
    code, rule, line, reported = BUGGY[name]
    for flavour in FLAVOURS:
        found = [(d.code, d.loc.line) for d in lint(program(code, flavour))]
        # `line` counts the code's first (empty) line as 1; `program` adds two lines before it
        assert found == ([(rule, line + 2)] if flavour in reported else []), flavour


@pytest.mark.parametrize("name", list(CLEAN))
def test_a_clean_program_is_quiet(name: str) -> None:
    for flavour in FLAVOURS:
        assert codes(program(CLEAN[name], flavour)) == [], flavour


def test_the_message_names_the_first_call() -> None:
    code, _, _, _ = BUGGY["a BatchNormalization reused on another channel count"]
    (found,) = lint(program(code, "keras"))
    assert "first call (line 5)" in found.message and "for a size of 4 on axis -1" in found.message
    assert "has 6 there" in found.message
    code, _, _, _ = BUGGY["a BatchNormalization reused on a lower rank"]
    (found,) = lint(program(code, "keras"))
    assert "rank-3" in found.message and "first call (line 5) built it for rank 3" in found.message


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("name", list(BUGGY))
def test_keras_refuses_what_is_reported(name: str, flavour: str) -> None:
    """Where cnnlint reports for a flavour, that Keras refuses; where it stays quiet, it builds."""
    tf = pytest.importorskip("tensorflow")
    code, _, _, reported = BUGGY[name]
    try:
        run(code, flavour)
    except (ValueError, IndexError, tf.errors.OpError):  # at the call, or at the first batch
        assert flavour in reported, f"{flavour} refused it"
        return
    assert flavour not in reported, f"{flavour} accepted it"


@pytest.mark.tensorflow
@pytest.mark.parametrize("flavour", FLAVOURS)
@pytest.mark.parametrize("name", list(CLEAN))
def test_keras_builds_the_clean_program(name: str, flavour: str) -> None:
    run(CLEAN[name], flavour)


@pytest.mark.tensorflow
def test_keras3_refuses_the_replayed_head_at_its_first_batch() -> None:
    """Keras 3 accepts the head's symbolic call but fails when the model runs: the finding is a
    stated Keras 2's only because the program as written (built, compiled) runs in Keras 3."""
    code = BUGGY["a functional head built on a shape with its batch axis, called on embeddings"][0]
    with pytest.raises(ValueError):
        run(code + "import numpy as np\nkeras.Model([i1, i2], out).predict([np.zeros((1, 3))] * 2, verbose=0)\n",
            "keras")
