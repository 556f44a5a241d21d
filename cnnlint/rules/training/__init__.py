"""The training-setup rules, CNN201-CNN205 (one module each in this folder): an output layer, its
activation and its loss that disagree, so that the program runs and the model is wrong.

What they share: the activation a node certainly applies, read from the call as written (a string
literal `"softmax"`, a name such as `tf.nn.softmax` or `keras.activations.sigmoid`, an `Activation`
/ `Softmax` layer, `tf.nn.softmax`); anything else (a variable, a custom function, `**kwargs`) is
unknown, and an unknown activation never produces a finding.
"""

from __future__ import annotations

from cnnlint.ir import Graph, Model, Node
from cnnlint.rules.feeding import ints

SQUASHING = frozenset({"softmax", "sigmoid"})
# Layers whose `activation` argument defaults to linear (Keras and TF1's `tf.layers`).
WEIGHTED = frozenset({"dense", "conv"})
ACTIVATION_LAYERS = frozenset({"Activation"})
# Ops applied as functions: the last part of the call as written.
FUNCTIONS = {"softmax": "softmax", "sigmoid": "sigmoid", "log_softmax": "log_softmax"}
FUNCTION_MODULES = ("tf.nn.", "tf.math.", "tf.", "tensorflow.nn.", "tf.keras.activations.", "keras.activations.",
                    "activations.", "tf.compat.v1.nn.")


def named_activation(source: str | None) -> str | None:
    """The activation an `activation=` argument's source text names certainly; None: unknown."""
    if source is None:
        return "linear"
    text = source.strip()
    if len(text) >= 2 and text[0] == text[-1] and text[0] in "\"'":
        name = text[1:-1]
        return name if name.isidentifier() else None
    if text == "None":
        return "linear"
    for prefix in FUNCTION_MODULES:
        if text.startswith(prefix) and text[len(prefix):] in FUNCTIONS:
            return FUNCTIONS[text[len(prefix):]]
    return None


def activation_of(node: Node) -> str | None:
    """The activation `node` applies last: `softmax`, `sigmoid`, `linear`, another Keras name, or
    None when it applies none certainly known (or is no activation at all)."""
    api = node.api.rsplit(".", 1)[-1]
    if node.op in WEIGHTED and (node.api[:1].isupper() or node.api.endswith(("layers.dense", "layers.conv2d"))):
        return named_activation(node.sources.get("activation"))
    if node.op != "identity":
        return None
    if node.api in ACTIVATION_LAYERS:
        source = node.sources.get("arg", node.sources.get("activation"))
        return named_activation(source) if source is not None else None
    if node.api == "Softmax":
        return "softmax" if "axis" not in node.sources else None
    if api in FUNCTIONS and any(node.api == p + api for p in FUNCTION_MODULES):
        return FUNCTIONS[api]
    return None


def default_axis(node: Node) -> bool:
    """Whether a softmax node works on the last axis (its default, or `axis=-1` written)."""
    axis = node.sources.get("axis", node.sources.get("dim"))
    return axis is None or axis.replace(" ", "") == "-1"


def last_size(node: Node) -> int | None:
    shape = ints(node.shape)
    return shape[-1] if shape else None


def producer(graph: Graph, node: Node) -> Node | None:
    first = node.inputs[0] if node.inputs else None
    return None if first is None else graph.nodes[first]


def output_of(graph: Graph, model: Model) -> Node | None:
    """A model's one output node (None for several outputs)."""
    if len(model.outputs) != 1:
        return None
    return graph.nodes[model.outputs[0]]


def final_activation(graph: Graph, node: Node) -> str | None:
    """The activation a model's output certainly ends with: its own, or, for a `linear` `Activation`,
    the one before it."""
    found = activation_of(node)
    if found == "linear" and node.op == "identity":
        before = producer(graph, node)
        return final_activation(graph, before) if before is not None else None
    return found
