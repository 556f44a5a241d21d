"""CNN208 symmetric-initialisation."""

from __future__ import annotations

import re
from collections.abc import Iterator

from cnnlint.frontend.tensorflow.findings import WeightsGiven
from cnnlint.ir import Graph, ModuleIR, Node
from cnnlint.rules.base import Diagnostic, Extra, Rule, trace_of
from cnnlint.rules.training import last_size

_NUMBER = r"-?\d+(?:\.\d*)?(?:[eE][-+]?\d+)?|-?\.\d+"
_PREFIX = r"(?:(?:tf|tensorflow|keras|initializers|init_ops|compat|v1|v2)\.)*"
# An initialiser that gives every weight one value, as written.
_CONSTANT_CALL = re.compile(
    rf"^{_PREFIX}(?:(?:Zeros|Ones|zeros|ones|zeros_initializer|ones_initializer)\((?:\s*dtype\s*=\s*[\w.]+\s*)?\)"
    rf"|(?:Constant|constant|constant_initializer)\(\s*(?:value\s*=\s*)?(?:{_NUMBER})?\s*\))$")
_CONSTANT_NAMES = frozenset({"zeros", "zero", "ones", "one", "constant"})
# Ops between two layers that compute the same thing for identical units (element-wise, per unit).
_ELEMENTWISE = frozenset({"relu", "relu6", "elu", "selu", "sigmoid", "tanh", "leaky_relu", "softplus", "softsign",
                          "Activation", "ReLU", "LeakyReLU", "ELU", "identity"})
_PASSING_OPS = frozenset({"flatten", "pool"})
_OBSERVERS = frozenset({"set_weights", "initial_value"})
_FILLS = frozenset({"zeros", "ones", "fill", "constant"})


def constant_initialiser(text: str | None) -> bool:
    """Whether an initialiser's source text certainly fills a weight with one value."""
    if text is None:
        return False
    text = text.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        return text[1:-1].lower() in _CONSTANT_NAMES
    return _CONSTANT_CALL.match(text) is not None


def constant_variable(graph: Graph, node: Node) -> bool:
    """A TF variable whose initial value is one number everywhere: `tf.Variable(tf.zeros(shape))`,
    `tf.Variable(tf.constant(0.1, shape=...))`, `tf.get_variable(..., initializer=tf.zeros_initializer())`."""
    if node.attrs.get("kind") != "variable":
        return False
    if node.op == "input":  # `tf.get_variable` with a shape
        return constant_initialiser(node.sources.get("initializer"))
    init = graph.nodes[node.inputs[0]] if node.op == "identity" and node.inputs and node.inputs[0] is not None \
        else None
    if init is None or init.op != "input" or init.attrs.get("kind") != "constant":
        return False
    name = init.api.rsplit(".", 1)[-1]
    if not init.api.startswith(("tf.", "tensorflow.")) or name not in _FILLS:
        return False
    if name in ("fill", "constant"):
        value = init.sources.get("value")
        return value is not None and re.fullmatch(_NUMBER, value.strip()) is not None and \
            (name == "fill" or "shape" in init.sources)
    return True


def symmetric_layer(graph: Graph, node: Node) -> bool:
    """A layer (or raw op) whose every unit starts with the same weights: a Keras `Dense` / conv
    layer, or TF1's `tf.layers.dense` / `conv2d`, with a constant kernel and a constant (or no)
    bias; a raw `tf.matmul` / `tf.nn.conv2d` of a constant variable."""
    if node.op not in ("dense", "conv"):
        return node.op == "matmul" and len(node.inputs) == 2 and _constant_input(graph, node.inputs[1])
    if node.op == "conv" and node.api.startswith(("tf.nn.", "tf.compat.v1.nn.", "tensorflow.nn.")):
        return len(node.inputs) == 2 and _constant_input(graph, node.inputs[1])
    keras = node.api[:1].isupper() and node.api in ("Dense", "Conv1D", "Conv2D", "Conv3D",
                                                    "Convolution1D", "Convolution2D", "Convolution3D")
    if not keras and not node.api.endswith(("layers.dense", "layers.conv2d", "layers.conv1d")):
        return False
    if not constant_initialiser(node.sources.get("kernel_initializer")):
        return False
    bias = node.sources.get("bias_initializer")
    return bias is None or constant_initialiser(bias) or node.sources.get("use_bias", "").strip() == "False"


def _constant_input(graph: Graph, node_id: int | None) -> bool:
    return node_id is not None and constant_variable(graph, graph.nodes[node_id])


class SymmetricInitialisation(Rule):
    """
    ## What it does
    Reports a stack of two weighted layers whose kernels are all initialised to one constant,
    with nothing between them that treats their units differently: a Keras `Dense` or conv
    layer (`kernel_initializer="zeros"`, `keras.initializers.Zeros()`, `Constant(0.1)`,
    `"ones"`) with a constant or default bias, TF1's `tf.layers.dense` / `conv2d` likewise, and
    raw `tf.matmul` / `tf.nn.conv2d` of variables made with `tf.zeros`, `tf.ones`,
    `tf.constant(c, shape=...)`, `tf.fill` or `tf.get_variable(..., initializer=
    tf.constant_initializer(0.1))`. Between the two only element-wise activations, pooling,
    `Flatten` and the addition of a constant bias may stand; the first layer's output must
    feed nothing else. A `Dropout` (or any other op) between them breaks the symmetry and keeps
    the rule quiet, as does an initialiser given as a variable or an array, and any call in
    the file that gives weights other values (`model.load_weights(path)`, `set_weights`,
    `saver.restore`, `checkpoint.restore`, `w.assign(v)`).

    ## Why is this bad?
    Every unit of the first layer starts with the same weights, computes the same output and,
    because the next layer's kernel is also the same for each of them, receives the same
    gradient: the units stay identical for the whole training, and the layer is worth one unit.
    With zeros the gradients of both kernels are often exactly zero and nothing is learned.

    ## Example
    ```python
    model = keras.Sequential([keras.Input(shape=(20,)),
                              layers.Dense(64, activation="relu", kernel_initializer="zeros"),
                              layers.Dense(10, kernel_initializer="zeros")])
    ```

    ## Use instead
    ```python
    model = keras.Sequential([keras.Input(shape=(20,)),
                              layers.Dense(64, activation="relu"),  # glorot_uniform, the default
                              layers.Dense(10)])
    ```

    ## Fix safety
    This rule has no automatic fix: which random initialiser suits the layers is the
    author's choice.

    ## References
    - [Keras: layer weight initializers](https://keras.io/api/layers/initializers/)
    """

    code = "CNN208"
    name = "symmetric-initialisation"
    severity = "warning"
    summary = "stacked layers whose kernels are all one constant: the units of a layer stay identical"
    VALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(64, activation='relu'),\n"
        "                          layers.Dense(10, kernel_initializer='zeros')])\n",
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(20,)), layers.Dense(64, kernel_initializer='zeros'),\n"
        "                          layers.Dropout(0.5), layers.Dense(10, kernel_initializer='zeros')])\n",
    )
    INVALID = (
        "from tensorflow import keras\nfrom tensorflow.keras import layers\n"
        "model = keras.Sequential([keras.Input(shape=(20,)),\n"
        "                          layers.Dense(64, activation='relu', kernel_initializer='zeros'),\n"
        "                          layers.Dense(10, kernel_initializer='zeros')])\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        if any(isinstance(f.details, WeightsGiven) for f in module.findings):
            return  # `model.load_weights(path)`: the weights trained may not be the initial ones
        for index, graph in enumerate(module.graphs):
            consumers = _consumers(graph)
            reported: set[tuple[int, int]] = set()  # a loop unrolled makes the same op again
            for node in graph.own_nodes:
                if not symmetric_layer(graph, node):
                    continue
                first = self.symmetric_before(graph, node, consumers)
                if first is None or (first.loc.line, first.loc.column) in reported:
                    continue
                reported.add((first.loc.line, first.loc.column))
                what = f"`{first.api}`" + (f" `{first.layer}`" if first.layer else "")
                then = f"`{node.api}`" + (f" `{node.layer}`" if node.layer else "")
                message = (f"every unit of {what} starts with the same weights (a constant kernel), and so does the "
                           f"next layer {then} (line {node.loc.line}), with nothing between them that breaks the "
                           f"symmetry: its units compute the same output and get the same gradient, so they stay "
                           f"identical for the whole training; use a random kernel initializer (the default "
                           f"glorot_uniform, he_normal)")
                yield self.diagnostic(module, first.loc, message, trace_of(graph, first), Extra(node=(index, first.id)),
                                      [(node.loc, "the next constant kernel")])

    @staticmethod
    def symmetric_before(graph: Graph, node: Node, consumers: dict[int, int]) -> Node | None:
        """The symmetric layer whose output reaches `node` through per-unit ops only, feeding
        nothing else, with more than one unit."""
        current = graph.nodes[node.inputs[0]] if node.inputs and node.inputs[0] is not None else None
        for _ in range(20):
            if current is None or consumers.get(current.id, 0) != 1:
                return None
            if symmetric_layer(graph, current):
                units = last_size(current)
                return current if units is not None and units > 1 else None
            api = current.api.rsplit(".", 1)[-1]
            if current.op in _PASSING_OPS or (current.op == "identity" and api in _ELEMENTWISE
                                              and current.attrs.get("kind") is None):
                following = current.inputs[0] if current.inputs else None
            elif current.op == "broadcast" and len(current.inputs) == 2:
                following = _bias_added(graph, current)
            else:
                return None
            current = graph.nodes[following] if following is not None else None
        return None


def _bias_added(graph: Graph, node: Node) -> int | None:
    """`h + b` with `b` a constant variable: `h`."""
    a, b = node.inputs
    if node.api not in ("+", "tf.add", "tf.nn.bias_add") or a is None or b is None:
        return None
    if constant_variable(graph, graph.nodes[b]):
        return a
    if constant_variable(graph, graph.nodes[a]):
        return b
    return None


def _consumers(graph: Graph) -> dict[int, int]:
    """How many ops use each node's output (the checks cnnlint adds, such as `set_weights`, and
    session fetches left out)."""
    counts: dict[int, int] = {}
    for node in graph.nodes:
        if node.op in _OBSERVERS or node.api in ("sess.run", ".eval"):
            continue
        for i in set(node.inputs):
            if i is not None:
                counts[i] = counts.get(i, 0) + 1
    return counts
