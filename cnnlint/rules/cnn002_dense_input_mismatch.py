"""CNN002 dense-input-mismatch."""

from __future__ import annotations

from cnnlint.ir import Graph, Loc, Node
from cnnlint.report.render import dim_text, shape_text
from cnnlint.rules.base import ProblemRule, operand
from cnnlint.shapes import InnerDim, Problem
from cnnlint.shapes.problems import UndefinedFeatures
from cnnlint.shapes.registry import INNER_DIM, Shape


class DenseInputMismatch(ProblemRule):
    """
    ## What it does
    Checks that a fully connected weight or layer receives the number of input features it
    expects: `tf.matmul(x, W)` and `x @ W` need `x`'s last axis to equal `W`'s first, and a
    `Dense` layer with a stated input size must get that many features.

    ## Why is this bad?
    The weight matrix's first dimension is a promise about the previous layer's output. When
    the network above changes (another pooling stage, `VALID` instead of `SAME`), the promise
    breaks and the matrix product fails with an opaque "incompatible shapes" error.

    ## Example
    ```python
    flat = tf.placeholder(tf.float32, [None, 3136])
    w = tf.Variable(tf.random_normal([1024, 10]))
    logits = tf.matmul(flat, w)
    ```

    ## Use instead
    ```python
    w = tf.Variable(tf.random_normal([3136, 10]))
    ```

    ## Fix safety
    This rule has no automatic fix. Either side may be the wrong one, the features that arrive or
    the size the weight or layer states, and changing either changes the model.

    ## References
    - [tf.linalg.matmul](https://www.tensorflow.org/api_docs/python/tf/linalg/matmul)
    """

    code = "CNN002"
    name = "dense-input-mismatch"
    summary = "a fully connected weight or layer expects a different number of input features than it receives"
    kinds = (INNER_DIM,)
    VALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 3136])\n"
        "w = tf.Variable(tf.random_normal([3136, 10]))\n"
        "y = tf.matmul(x, w)\n",
    )
    INVALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 3136])\n"
        "w = tf.Variable(tf.random_normal([1024, 10]))\n"
        "y = tf.matmul(x, w)\n",
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 784])\n"
        "w = tf.Variable(tf.zeros([1024, 10]))\n"
        "y = x @ w\n",
    )

    def related(self, graph: Graph, node: Node, problem: Problem) -> list[tuple[Loc, str]]:
        """Where the size that reaches the Dense as None is declared None."""
        start = _declared_none_source(graph, node) if isinstance(problem.details, UndefinedFeatures) else None
        if start is None or start.loc.line == node.loc.line or start.shape is None:
            return []
        return [(start.spans.get("shape", start.loc),
                 f"declared here with a None size (variable by design): shape {_none_text(start.shape)}")]

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        d = problem.details
        assert isinstance(d, InnerDim)
        if isinstance(d, UndefinedFeatures):
            return _undefined_message(graph, node, d)
        name, _ = operand(graph, node, 0)
        features, expected = dim_text(d.features), dim_text(d.expected)
        if node.op == "matmul":
            weight, producer = operand(graph, node, 1)
            defined = f", line {producer.loc.line}" if producer is not None else ""
            return (
                f"{name} has {features} features per example (shape {shape_text(d.left)}) "
                f"but {weight} expects {expected} (shape {shape_text(d.right)}{defined})"
            )
        return f"{node.api} expects {expected} input features but {name} has {features} (shape {shape_text(d.left)})"


def _none_text(shape: Shape) -> str:
    """A shape as Keras prints it where sizes are declared None: `(None, None, 64)`."""
    inner = ", ".join("None" if d.is_none or (i == 0 and dim_text(d) == "?") else dim_text(d)
                      for i, d in enumerate(shape))
    return f"({inner},)" if len(shape) == 1 else f"({inner})"


def _declared_none_source(graph: Graph, node: Node) -> Node | None:
    """The input along the Dense's path whose shape holds the None it gets."""
    for step in graph.trace(node.id):
        if step.op == "input" and step.shape is not None and any(d.is_none for d in step.shape):
            return step
    return None


def _undefined_message(graph: Graph, node: Node, d: UndefinedFeatures) -> str:
    """A Dense on a last axis Keras leaves None; the fix where a Flatten flattened a variable axis."""
    name, producer = operand(graph, node, 0)
    while producer is not None and producer.op == "identity" and producer.inputs and producer.inputs[0] is not None:
        producer = graph.nodes[producer.inputs[0]]  # activations, dropout, normalisation
    keras = not node.api.startswith("tf.")
    head = (f"{node.api} cannot be built on {name} (shape {_none_text(d.left)}): its last axis is None, "
            f"so the number of input features is not defined")
    refused = ("(Keras: \"The last dimension of the inputs to a Dense layer should be defined. Found None\"; "
               "Keras 3: \"Shapes used to initialize variables must be fully-defined\")" if keras else
               "(TensorFlow: \"The last dimension of the inputs to `Dense` should be defined. Found `None`\")")
    flat_in, flat_api, reshaped = None, "", False
    if producer is not None and producer.op in ("flatten", "reshape") and producer.inputs \
            and producer.inputs[0] is not None:
        flat_in, flat_api = graph.nodes[producer.inputs[0]].shape, producer.api
        reshaped = producer.op == "reshape"
    if flat_in is not None and reshaped and any(dim.is_none for dim in flat_in[1:]):
        return (f"{head}: {flat_api} of {_none_text(flat_in)} puts a variable-size axis into the last one "
                f"{refused}; give the reshape sizes that do not depend on it, or declare the size")
    if flat_in is not None and any(dim.is_none for dim in flat_in[1:]):
        rank = len(flat_in) - 2
        if keras and 1 <= rank <= 3:
            fix = (f"use GlobalAveragePooling{rank}D (or GlobalMaxPooling{rank}D) instead of Flatten for "
                   f"variable-size inputs, or declare the size")
        else:
            fix = ("reduce over the variable axes (`tf.reduce_mean(x, axis=...)`) instead of flattening them, "
                   "or declare the size")
        return f"{head}: {flat_api} of {_none_text(flat_in)} flattens a variable-size axis {refused}; {fix}"
    return f"{head} {refused}; declare that size or move the variable axis away from the last position"
