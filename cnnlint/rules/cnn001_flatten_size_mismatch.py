"""CNN001 flatten-size-mismatch."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import replace

from cnnlint.ir import Graph, Loc, ModuleIR, Node
from cnnlint.report.render import dim_text, shape_text, volume_text
from cnnlint.rules.base import Diagnostic, ProblemRule, came_from, make_fix, operand, producer_notes
from cnnlint.shapes import FlattenSize, Problem
from cnnlint.shapes.dim import int_text, product
from cnnlint.shapes.registry import FLATTEN_SIZE


def target_text(target: tuple[object, ...]) -> str:
    return "[" + ", ".join(dim_text(t) for t in target) + "]"  # type: ignore[arg-type]


# An integer literal or a product of them (`1024`, `4 * 4 * 64`), perhaps in parentheses.
_PRODUCT = re.compile(r"\d+(?:\s*\*\s*\d+)*")
# Ops that pass a flattened tensor on with its row size unchanged and impose no size of their own.
_PASS_THROUGH = frozenset({"identity"})
Edit = tuple[Loc, str]


class FlattenSizeMismatch(ProblemRule):
    """
    ## What it does
    Checks that a feature map flattened with `reshape(x, [-1, N])` (or `[batch, N]`) has
    exactly `N` values per example.

    Its related locations (`note:` lines) are where the flattened tensor gets its shape (the
    layer or op that made it), when that is another line, and where a size written as a variable
    was computed (`flat = 7 * 7 * 64` then `tf.reshape(x, [-1, flat])`: "`flat` is computed here").

    ## Why is this bad?
    The flatten size must be the product of the last feature map's height, width and channels,
    which depend on every convolution's and pooling's padding and stride. A wrong `N` either
    fails at run time or, when `N` happens to divide the total, silently mixes pixels of
    different examples into one row: the network trains on garbage. A 28x28 image through two
    `SAME` conv + 2x2 pool stages is 7x7x64 = 3136 values, not 4x4x64.

    ## Example
    ```python
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    w1 = tf.Variable(tf.zeros([5, 5, 1, 32]))
    conv1 = tf.nn.max_pool(tf.nn.conv2d(x, w1, [1, 1, 1, 1], "SAME"), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    flat = tf.reshape(conv1, [-1, 7 * 7 * 32])  # conv1 is 14x14x32
    ```

    ## Use instead
    ```python
    flat = tf.reshape(conv1, [-1, 14 * 14 * 32])
    ```

    ## Fix safety
    The fix writes the feature map's real size where the flatten size is an integer literal or
    a product of literals: `4*4*64` becomes `7*7*64` (a product with one factor per axis keeps
    that form, anything else becomes a plain number). It takes the convolutions and poolings
    as right and the written size as the mistake, as the message does. The weight matrix the
    flattened rows feed (`tf.matmul(flat, W)` with `W` made from `[4*4*64, 1024]`) is corrected
    in the same fix, so that the program runs after it. There is no fix when the size comes
    from a variable or an expression, when the weight's size is written somewhere else (a
    helper's parameter) or matches neither size, when anything but a dense layer or a matmul
    reads the flattened rows, or when the reshape runs on feature maps of different sizes.

    ## References
    - [tf.reshape](https://www.tensorflow.org/api_docs/python/tf/reshape)
    - [CS231n: spatial arrangement of conv layers](https://cs231n.github.io/convolutional-networks/#conv)
    """

    code = "CNN001"
    name = "flatten-size-mismatch"
    summary = "a feature map is flattened to [-1, N] or [batch, N] with N different from its values per example"
    kinds = (FLATTEN_SIZE,)
    VALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
        "w = tf.Variable(tf.random_normal([5, 5, 1, 32]))\n"
        "h = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')\n"
        "h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')\n"
        "flat = tf.reshape(h, [-1, 14 * 14 * 32])\n",
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 8, 8, 21])\n"
        "logits = tf.reshape(x, [-1, 21])  # pixels as rows\n",
    )
    INVALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
        "w = tf.Variable(tf.random_normal([5, 5, 1, 32]))\n"
        "h = tf.nn.conv2d(x, w, strides=[1, 1, 1, 1], padding='SAME')\n"
        "h = tf.nn.max_pool(h, ksize=[1, 2, 2, 1], strides=[1, 2, 2, 1], padding='SAME')\n"
        "flat = tf.reshape(h, [-1, 7 * 7 * 32])\n",
    )

    def related(self, graph: Graph, node: Node, problem: Problem) -> list[tuple[Loc, str]]:
        # Where the reshaped tensor gets its shape, and where a size written as a variable is computed.
        return producer_notes(graph, node, [0]) + size_notes(node)

    def message(self, graph: Graph, node: Node, problem: Problem) -> str:
        d = problem.details
        assert isinstance(d, FlattenSize)
        name, _ = operand(graph, node, 0)
        target = d.target
        features = d.features if d.features is not None else target[-1]
        origin = came_from(node, f"shape[{len(target) - 1}]", features) or \
            came_from(node, f"target_shape[{len(target) - 2}]", features)  # Keras `Reshape`: no batch axis
        return (
            f"reshape to {target_text(target)} but {name} holds {volume_text(d.source)} values per example "
            f"(shape {shape_text(d.source)}){origin}"
        )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for diagnostic in super().check(module):
            assert diagnostic.extra.node is not None  # a ProblemRule's finding is at a node
            index, node_id = diagnostic.extra.node
            node = module.graphs[index].nodes[node_id]
            edits = flatten_fix(module, node)
            if edits is None:
                yield diagnostic
                continue
            own = next(text for span, text in edits if span == node.spans[_last_key(node)])
            message = f"Replace `{_literal(node.sources[_last_key(node)])}` with `{own}`"
            if len(edits) > 1:
                message += " here and in the weight it feeds"
            yield replace(diagnostic, fix=make_fix(message, edits))


def size_notes(node: Node) -> list[tuple[Loc, str]]:
    """A related location per size of the reshape's target written as a variable assigned on another
    line (`flat = 7 * 7 * 64` then `tf.reshape(x, [-1, flat])`): "`flat` is computed here"."""
    notes: list[tuple[Loc, str]] = []
    for key, at in node.origins.items():
        if key.split("[")[0] not in ("shape", "newshape", "target_shape"):
            continue  # (tf.reshape's, np.reshape's and Keras Reshape's target)
        if at.line != node.loc.line and all(at != seen for seen, _ in notes):
            notes.append((at, f"`{node.sources.get(key, key)}` is computed here"))
    return notes


def flatten_fix(module: ModuleIR, node: Node) -> list[Edit] | None:
    """Edits writing the right flatten size at every application of this reshape, or None.

    A reshape inside a function runs once per call: each run must need the same size, and
    every weight the flattened rows are multiplied with must be fixable too.
    """
    sites = [(graph, n) for graph in module.graphs for n in graph.own_nodes if n.loc == node.loc and n.op == "reshape"]
    edits: set[Edit] = set()
    for graph, site in sites:
        found = _site_fix(graph, site)
        if found is None:
            return None
        edits.update(found)
    if len({span for span, _ in edits}) < len(edits):
        return None  # runs that need different sizes
    return sorted(edits) if edits else None


def _last_key(node: Node) -> str:
    from cnnlint.shapes.ops.reshape import RESHAPE  # a reshape node's family, imported by now

    target = RESHAPE.parse(node.attrs).shape or ()
    return f"shape[{len(target) - 1}]"


def _literal(text: str) -> str | None:
    """The integer literal or product of literals that `text` is (parentheses stripped), if it is one."""
    core = text.strip()
    while core.startswith("(") and core.endswith(")"):
        core = core[1:-1].strip()
    return core if _PRODUCT.fullmatch(core) else None


def _site_fix(graph: Graph, node: Node) -> list[Edit] | None:
    problem = next((p.details for p in node.problems if isinstance(p.details, FlattenSize)), None)
    if problem is None:
        return None
    source, target = problem.source, problem.target
    size = product(source[1:]).value
    old = target[-1].value if len(target) == 2 and target[-1] is not None else None
    if size is None or old is None or any(d.value is None for d in source[1:]):
        return None
    factors = [d.value for d in source[1:] if d.value is not None]
    if _last_key(node) != f"shape[{len(target) - 1}]":
        return None
    own = _literal_edit(node, _last_key(node), factors)
    if own is None:
        return None
    readers = _weight_edits(graph, node, old, size, factors)
    return None if readers is None else [own, *readers]


def _literal_edit(node: Node, key: str, factors: list[int]) -> Edit | None:
    """Rewrite the literal at `key` of a call as the product of `factors`, in its own style."""
    span, text = node.spans.get(key), node.sources.get(key)
    core = None if text is None else _literal(text)
    if span is None or core is None:
        return None
    written = re.split(r"(\s*\*\s*)", core)
    size = 1
    for factor in factors:
        size *= factor
    if "<" in int_text(size):
        return None  # too long to write as a literal
    if len(written) // 2 + 1 == len(factors) > 1:
        return span, written[1].join(str(f) for f in factors)
    return span, str(size)


def _weight_edits(graph: Graph, node: Node, old: int, size: int, factors: list[int]) -> list[Edit] | None:
    """Edits for the weights that read the flattened rows, or None when a reader cannot be fixed."""
    edits: list[Edit] = []
    frontier = [node.id]
    while frontier:
        current = frontier.pop()
        for reader in graph.nodes[current + 1:]:
            if current not in reader.inputs:
                continue
            if reader.op in _PASS_THROUGH and len(reader.inputs) == 1:
                frontier.append(reader.id)
            elif reader.op == "dense" and reader.attrs.get("in_features") is None:
                continue  # the layer makes its weight from the size it receives
            elif reader.op == "matmul" and reader.inputs[0] == current and not reader.attrs.get("transpose_a") \
                    and reader.inputs[1] != current:
                edit = _matmul_weight_edit(graph, reader, old, size, factors, node)
                if edit is None:
                    return None
                edits.extend(edit)
            else:
                return None
    return edits


def _matmul_weight_edit(graph: Graph, matmul: Node, old: int, size: int, factors: list[int],
                        reshape: Node) -> list[Edit] | None:
    weight_id = matmul.inputs[1]
    if weight_id is None:
        return None
    weight = graph.nodes[weight_id]
    if weight.shape is None or len(weight.shape) != 2:
        return None
    axis = 1 if matmul.attrs.get("transpose_b") else 0
    rows = weight.shape[axis].value
    if rows == size:
        return []
    if rows != old:
        return None
    origin = weight
    while origin.op == "identity" and len(origin.inputs) == 1 and origin.inputs[0] is not None:
        origin = graph.nodes[origin.inputs[0]]
    if origin.op != "input" or not _only_fed_by(graph, origin, reshape):
        return None
    for key in ("shape", "dims"):
        if f"{key}[{axis}]" in origin.spans:
            edit = _literal_edit(origin, f"{key}[{axis}]", factors)
            return None if edit is None else [edit]
    return None


def _only_fed_by(graph: Graph, weight: Node, reshape: Node) -> bool:
    """Whether a weight is written once and multiplied only with rows of this reshape site."""
    if any(n is not weight and n.spans and n.spans == weight.spans for n in graph.nodes):
        return False  # the same text makes several weights (a loop, a helper called twice)
    frontier, seen = [weight.id], set()
    while frontier:
        current = frontier.pop()
        seen.add(current)
        for reader in graph.nodes[current + 1:]:
            if current not in reader.inputs or reader.id in seen:
                continue
            if reader.op == "identity":
                frontier.append(reader.id)
            elif reader.op == "matmul":
                left = reader.inputs[0]
                if left is None or not _rows_of(graph, left, reshape):
                    return False
    return True


def _rows_of(graph: Graph, node_id: int, reshape: Node) -> bool:
    node = graph.nodes[node_id]
    while node.op in _PASS_THROUGH and len(node.inputs) == 1 and node.inputs[0] is not None:
        node = graph.nodes[node.inputs[0]]
    return node.op == "reshape" and node.loc == reshape.loc


__all__ = ["FlattenSizeMismatch", "flatten_fix"]
