"""`keras.applications.*(include_top=..., weights=..., input_shape=..., pooling=...)`: each
pretrained network as a functional model of two nodes, its `Input` and one `backbone` op whose
steps say what its strided layers do to each spatial axis (`shapes/ops/backbone.py`).

The table is read from Keras 3 (`keras/src/applications/*.py`, the layers on the path from the
input to the last feature map) and checked against it in tests/test_applications.py; the input
rules are `obtain_input_shape` (`keras/src/applications/imagenet_utils.py`, the same in tf-keras's
`keras/applications/imagenet_utils.py`): with `include_top=True` and `weights="imagenet"` the
input is the network's default (224x224x3, 299x299x3, ...) and any other `input_shape` is refused;
otherwise each given spatial size must be at least the network's minimum. Inputs Keras refuses, or
arguments that change the network (`alpha`, `depth_multiplier`, a channels-first layout), give
an unknown model: nothing is claimed.
"""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst

from cnnlint.frontend.keras.findings import RefusedApplicationInput
from cnnlint.frontend.keras.layers import unique_name
from cnnlint.frontend.keras.registry import api
from cnnlint.frontend.keras.values import FunctionalV, KerasState
from cnnlint.frontend.library import Call, shape_of_value
from cnnlint.frontend.python.values import UNKNOWN, Const, Value
from cnnlint.frontend.tensor import TensorV
from cnnlint.ir import Graph, Model
from cnnlint.shapes import Dim

_PARAMS_DEFAULT = "include_top weights input_tensor input_shape pooling classes"


@dataclass(frozen=True)
class Network:
    """One `keras.applications` network: its module, default and minimum input sizes, the
    channels of its last feature map and the steps of its strided layers (`backbone` op)."""

    module: str
    default: int | None  # None: no fixed size, even with its classifier (MobileNetV3)
    minimum: int
    channels: int
    steps: tuple[str, ...]
    params: str = _PARAMS_DEFAULT
    # Arguments that change the network's widths (MobileNet's `alpha`), with their defaults.
    widths: tuple[tuple[str, float], ...] = ()


# The steps, as the layers on the path from the input to the last feature map do them.
_VGG = ("valid:2:2",) * 5  # five 2x2 max pools; the 3x3 convolutions keep the size
_RESNET = ("pad:6", "valid:7:2", "pad:2", "valid:3:2", "valid:1:2", "valid:1:2", "valid:1:2")
_DENSENET = ("pad:6", "valid:7:2", "pad:2", "valid:3:2", "valid:2:2", "valid:2:2", "valid:2:2")
_INCEPTION = ("valid:3:2", "valid:3:1", "valid:3:2", "valid:3:1", "valid:3:2", "valid:3:2", "valid:3:2")
_NASNET = ("valid:3:2", "same:2", "same:2", "same:2", "same:2")  # its reduction cells pad by `correct_pad`
# Stride-2 layers padded by `imagenet_utils.correct_pad` for the input's parity: "same" (ceil(n / 2)).
_SAME32 = ("same:2",) * 5
_CONVNEXT = ("valid:4:4", "valid:2:2", "valid:2:2", "valid:2:2")  # the stem and three downsampling layers

# Constructor parameters in positional order (`Network.params` defaults to VGG16's).
_MOBILENET = "input_shape alpha depth_multiplier dropout include_top weights input_tensor pooling classes"
_MOBILENET_V2 = "input_shape alpha include_top weights input_tensor pooling classes"
_MOBILENET_V3 = "input_shape alpha minimalistic include_top weights input_tensor classes pooling"
_NASNET_PARAMS = "input_shape include_top weights input_tensor pooling classes"
_CONVNEXT_PARAMS = "include_top include_preprocessing weights input_tensor input_shape pooling classes"

# name -> Network, read from Keras 3.15 with weights=None (tests/test_applications.py rebuilds each).
NETWORKS: dict[str, Network] = {
    "VGG16": Network("vgg16", 224, 32, 512, _VGG),
    "VGG19": Network("vgg19", 224, 32, 512, _VGG),
    "ResNet50": Network("resnet", 224, 32, 2048, _RESNET),
    "ResNet101": Network("resnet", 224, 32, 2048, _RESNET),
    "ResNet152": Network("resnet", 224, 32, 2048, _RESNET),
    "ResNet50V2": Network("resnet_v2", 224, 32, 2048, _RESNET),
    "ResNet101V2": Network("resnet_v2", 224, 32, 2048, _RESNET),
    "ResNet152V2": Network("resnet_v2", 224, 32, 2048, _RESNET),
    "InceptionV3": Network("inception_v3", 299, 75, 2048, _INCEPTION),
    "InceptionResNetV2": Network("inception_resnet_v2", 299, 75, 1536, _INCEPTION),
    "Xception": Network("xception", 299, 71, 2048, ("valid:3:2", "valid:3:1", "same:2", "same:2", "same:2", "same:2")),
    "MobileNet": Network("mobilenet", 224, 32, 1024, ("same:2", *("pad:1", "valid:3:2") * 4), _MOBILENET,
                         (("alpha", 1.0), ("depth_multiplier", 1))),
    "MobileNetV2": Network("mobilenet_v2", 224, 32, 1280, _SAME32, _MOBILENET_V2, (("alpha", 1.0),)),
    "MobileNetV3Small": Network("mobilenet_v3", None, 32, 576, _SAME32, _MOBILENET_V3,
                                (("alpha", 1.0), ("minimalistic", False))),
    "MobileNetV3Large": Network("mobilenet_v3", None, 32, 960, _SAME32, _MOBILENET_V3,
                                (("alpha", 1.0), ("minimalistic", False))),
    "DenseNet121": Network("densenet", 224, 32, 1024, _DENSENET),
    "DenseNet169": Network("densenet", 224, 32, 1664, _DENSENET),
    "DenseNet201": Network("densenet", 224, 32, 1920, _DENSENET),
    "NASNetMobile": Network("nasnet", 224, 32, 1056, _NASNET, _NASNET_PARAMS),
    "NASNetLarge": Network("nasnet", 331, 32, 4032, _NASNET, _NASNET_PARAMS),
    "EfficientNetB0": Network("efficientnet", 224, 32, 1280, _SAME32),
    "EfficientNetB1": Network("efficientnet", 240, 32, 1280, _SAME32),
    "EfficientNetB2": Network("efficientnet", 260, 32, 1408, _SAME32),
    "EfficientNetB3": Network("efficientnet", 300, 32, 1536, _SAME32),
    "EfficientNetB4": Network("efficientnet", 380, 32, 1792, _SAME32),
    "EfficientNetB5": Network("efficientnet", 456, 32, 2048, _SAME32),
    "EfficientNetB6": Network("efficientnet", 528, 32, 2304, _SAME32),
    "EfficientNetB7": Network("efficientnet", 600, 32, 2560, _SAME32),
    "EfficientNetV2B0": Network("efficientnet_v2", 224, 32, 1280, _SAME32),
    "EfficientNetV2B1": Network("efficientnet_v2", 240, 32, 1280, _SAME32),
    "EfficientNetV2B2": Network("efficientnet_v2", 260, 32, 1408, _SAME32),
    "EfficientNetV2B3": Network("efficientnet_v2", 300, 32, 1536, _SAME32),
    "EfficientNetV2S": Network("efficientnet_v2", 384, 32, 1280, _SAME32),
    "EfficientNetV2M": Network("efficientnet_v2", 480, 32, 1280, _SAME32),
    "EfficientNetV2L": Network("efficientnet_v2", 480, 32, 1280, _SAME32),
    "ConvNeXtTiny": Network("convnext", 224, 32, 768, _CONVNEXT, _CONVNEXT_PARAMS),
    "ConvNeXtSmall": Network("convnext", 224, 32, 768, _CONVNEXT, _CONVNEXT_PARAMS),
    "ConvNeXtBase": Network("convnext", 224, 32, 1024, _CONVNEXT, _CONVNEXT_PARAMS),
    "ConvNeXtLarge": Network("convnext", 224, 32, 1536, _CONVNEXT, _CONVNEXT_PARAMS),
    "ConvNeXtXLarge": Network("convnext", 224, 32, 2048, _CONVNEXT, _CONVNEXT_PARAMS),
}

# Modules that also export a network, besides `keras.applications.<module>` of the table.
_MODULES = {"ResNet50": ("resnet50",)}


def _spatial(value: Value) -> list[int | None] | None:
    dims = shape_of_value(value)
    if dims is None:
        return None
    out: list[int | None] = []
    for d in dims:
        out.append(None if d is None else d.value)
        if d is not None and d.value is None:
            return None  # a symbolic size: not a literal the constructor can check
    return out


def input_shape(net: Network, given: list[int | None] | None, include_top: bool, imagenet: bool) -> \
        tuple[int | None, ...] | None:
    """The `(height, width, channels)` Keras's `obtain_input_shape` gives the network, or None
    where it raises (or the arguments are not known)."""
    default = None if net.default is None else (net.default, net.default, 3)
    if imagenet and include_top and net.default is not None:
        if given is not None and tuple(given) != default:
            return None  # "When setting `include_top=True` and loading `imagenet` weights, ..."
        return default
    if given is None:
        if include_top and default is not None:
            return default
        return (None, None, 3)
    if len(given) != 3:
        return None
    if imagenet and given[-1] != 3:
        return None  # "The input must have 3 channels"
    if any(n is not None and n < net.minimum for n in given[:2]):
        return None  # "Input size must be at least {min_size}x{min_size}"
    if include_top and net.default is not None and None in given:
        return None  # "If `include_top` is True, you should specify a static `input_shape`"
    return tuple(given)


def _network(name: str, net: Network) -> None:
    paths = [f"keras.applications.{name}", f"keras.applications.{net.module}.{name}",
             *(f"keras.applications.{module}.{name}" for module in _MODULES.get(name, ()))]

    @api(*dict.fromkeys(paths), params=net.params)
    def make(c: Call) -> Value:
        return _build(c, name, net)


def _build(c: Call, name: str, net: Network) -> Value:
    interp = c.interp
    include_top = c.bool_arg("include_top", True)
    weights = c.get("weights", Const("imagenet"))
    pooling = c.str_arg("pooling", None)
    classes = c.int_arg("classes", 1000)
    if include_top is None or not isinstance(weights, Const) or (c.has("pooling") and pooling is None
                                                                and not _is_none(c.get("pooling"))):
        return UNKNOWN
    if classes is None or pooling not in (None, "avg", "max"):
        return UNKNOWN
    for arg, default in net.widths:
        value = c.get(arg, Const(default))
        if not isinstance(value, Const) or value.value != default:
            return UNKNOWN
    if (interp.state(KerasState).data_format or interp.options.data_format) != "channels_last":
        return UNKNOWN
    imagenet = weights.value == "imagenet"
    if imagenet and include_top and classes != 1000:
        # "If using `weights='imagenet'` with `include_top=True`, `classes` should be 1000"
        _refused(c, "CNN011", f"`{name}` with ImageNet weights and its classifier (`include_top=True`) has 1000 "
                 f"classes, not {classes}: Keras refuses `classes={classes}` (\"`classes` should be 1000\"); pass "
                 f"`include_top=False` and put your own `Dense({classes})` head on the features, or `weights=None`")
        return UNKNOWN
    given = _spatial(c.get("input_shape")) if c.has("input_shape") and not _is_none(c.get("input_shape")) else None
    if c.has("input_shape") and not _is_none(c.get("input_shape")) and given is None:
        return UNKNOWN
    shape = input_shape(net, given, include_top, imagenet)
    if shape is None:
        if given is not None:
            _report_refusal(c, name, net, tuple(given), include_top, imagenet)
        return UNKNOWN
    graph = interp.graph
    first = len(graph.nodes)
    tensor = c.get("input_tensor", Const(None))
    if isinstance(tensor, TensorV):
        x = tensor.node
        found = _sources(graph, x)
        if found is None:
            return UNKNOWN
        inputs, before = found
    elif _is_none(tensor):
        # Without `input_shape` Keras's `obtain_input_shape` gives (None, None, 3): None by design.
        spatial = tuple(Dim.none() if d is None and given is None else d for d in shape)
        x = graph.add("input", "Input", [], {"shape": (None, *spatial), "kind": "placeholder"}, c.loc(),
                      layer=unique_name(interp, "input_layer")).id
        inputs, before = [x], [x]
    else:
        return UNKNOWN
    attrs = {"steps": list(net.steps), "channels": net.channels, "pooling": None if include_top else pooling,
             "classes": classes if include_top else None}
    out = graph.add("backbone", name, [x], attrs, c.loc(), c.sources(), layer=name.lower()).id
    model = Model(name.lower(), "Model", c.loc())
    interp.state(KerasState).model_graphs[model] = graph
    graph.models.append(model)
    model.nodes.extend(sorted({*before, *range(first, len(graph.nodes))}))
    model.outputs = [out]
    return FunctionalV(inputs, TensorV(out), model)


def refusal(net: Network, given: tuple[int | None, ...], include_top: bool, imagenet: bool) -> str | None:
    """Which check of `obtain_input_shape` refuses `given` (channels last) in every Keras that has
    the network, in the order Keras 3 makes them: "top" (with its classifier and ImageNet weights
    the input is the network's default), "channels" (ImageNet weights need 3 channels), "minimum"
    (each spatial size at least the network's minimum); None where some Keras accepts it or the
    table cannot tell. Keras 2.0-2.1 refused more (any other input with `include_top=True`, any
    other channel count); the minimums only went down (ResNet50 197, InceptionV3 139, VGG16 48 in
    Keras 2.0, 32 / 75 / 32 in Keras 3), so under Keras 3's minimum is under every version's.
    MobileNet and MobileNetV2 pick their default from a square input (128, 160, 192, ...): no
    "top" refusal is claimed for them."""
    if len(given) != 3:
        return None
    default = None if net.default is None else (net.default, net.default, 3)
    if imagenet and include_top and default is not None:
        if given != default and not net.module.startswith("mobilenet"):
            return "top"
        return None
    if imagenet and given[-1] is not None and given[-1] != 3:
        return "channels"
    if any(n is not None and n < net.minimum for n in given[:2]):
        return "minimum"
    return None


def _report_refusal(c: Call, name: str, net: Network, given: tuple[int | None, ...], include_top: bool,
                    imagenet: bool) -> None:
    found = refusal(net, given, include_top, imagenet)
    shown = "(" + ", ".join("None" if n is None else str(n) for n in given) + ("," if len(given) == 1 else "") + ")"
    if found == "top":
        _refused(c, "CNN011", f"`{name}` with ImageNet weights and its classifier (`include_top=True`) takes only "
                 f"its {net.default}x{net.default}x3 input, not `input_shape={shown}`: the classifier's weights fit "
                 f"that size alone, and Keras refuses any other (\"`input_shape` should be "
                 f"({net.default}, {net.default}, 3)\"); pass `include_top=False` (with `pooling=\"avg\"` and your "
                 f"own head) or resize the images to {net.default}x{net.default}")
    elif found == "channels":
        _refused(c, "CNN011", f"`{name}`'s ImageNet weights are for 3-channel (RGB) images, not "
                 f"`input_shape={shown}` with {given[-1]}: Keras refuses it (\"The input must have 3 channels\"); "
                 f"repeat a grayscale channel 3 times (`np.repeat(x, 3, axis=-1)`) or pass `weights=None`")
    elif found == "minimum":
        small = [n for n in given[:2] if n is not None and n < net.minimum]
        hint = ""
        first, height, width = given
        if first in (1, 3, 4) and height is not None and width is not None and min(height, width) > 4 * first:
            hint = f" (`{shown}` looks channels-first: this network reads channels last, `(height, width, channels)`)"
        _refused(c, "CNN005", f"`{name}` refuses `input_shape={shown}`: its strided layers need each side to be at "
                 f"least {net.minimum} pixels, and {small[0]} is less (\"Input size must be at least "
                 f"{net.minimum}x{net.minimum}\"){hint}; resize or pad the images")


def _refused(c: Call, code: str, message: str) -> None:
    if isinstance(c.site, cst.Call):
        c.interp.finding(c.site, RefusedApplicationInput(code, message))


def _sources(graph: Graph, node_id: int) -> tuple[list[int], list[int]] | None:
    """The Keras inputs an `input_tensor` comes from (`get_source_inputs`) and the nodes from them
    to it; None where one of them is not a Keras input."""
    seen: set[int] = set()
    stack, found = [node_id], []
    while stack:
        i = stack.pop()
        if i in seen:
            continue
        seen.add(i)
        node = graph.nodes[i]
        if node.op == "input":
            if node.attrs.get("kind") != "placeholder":
                return None
            found.append(i)
            continue
        if any(j is None for j in node.inputs):
            return None
        stack.extend(j for j in node.inputs if j is not None)
    return (sorted(found), sorted(seen)) if found else None


def _is_none(value: Value) -> bool:
    return isinstance(value, Const) and value.value is None


for _name, _net in NETWORKS.items():
    _network(_name, _net)
