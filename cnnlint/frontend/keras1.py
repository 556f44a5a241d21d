"""Keras 1 names: translated to their Keras 2+ meaning, and reported with the modern spelling.

`Convolution2D(32, 3, 3, border_mode='same', subsample=(2, 2), dim_ordering='th')` becomes the
layer `Conv2D(32, (3, 3), padding='same', strides=(2, 2), data_format='channels_first')` for the
shape engine, and a `legacy-keras-api` finding (CNN007) carries that modern call as text. Keras 2
kept `Convolution2D` as an alias of `Conv2D`, so a call is Keras 1 only when its arguments say so.
"""

from __future__ import annotations

from collections.abc import Mapping

import libcst as cst

from cnnlint.frontend.api import Call
from cnnlint.frontend.values import Const, SeqV, Value, as_str

# Keyword renames that hold for every layer (Keras 1 -> Keras 2).
RENAMES = {
    "nb_filter": "filters", "filter_length": "kernel_size", "border_mode": "padding", "subsample": "strides",
    "subsample_length": "strides", "dim_ordering": "data_format", "init": "kernel_initializer",
    "W_regularizer": "kernel_regularizer", "b_regularizer": "bias_regularizer",
    "W_constraint": "kernel_constraint", "b_constraint": "bias_constraint", "bias": "use_bias",
    "atrous_rate": "dilation_rate", "pool_length": "pool_size",
}
# Renames that hold only for some layers.
LAYER_RENAMES: Mapping[str, Mapping[str, str]] = {
    "Dense": {"output_dim": "units"},
    "Dropout": {"p": "rate"},
    "SpatialDropout1D": {"p": "rate"}, "SpatialDropout2D": {"p": "rate"}, "SpatialDropout3D": {"p": "rate"},
    "MaxPooling1D": {"stride": "strides"}, "AveragePooling1D": {"stride": "strides"},
    "Embedding": {"init": "embeddings_initializer", "W_regularizer": "embeddings_regularizer",
                  "W_constraint": "embeddings_constraint"},
    "BatchNormalization": {"beta_init": "beta_initializer", "gamma_init": "gamma_initializer"},
    "PReLU": {"init": "alpha_initializer"},
}
# Keras 1.2.2 made `Conv2D`/`Conv3D` aliases of the Keras 1 classes: same positional meaning.
KERAS1_ALIASES = {"Conv1D": "Convolution1D", "Conv2D": "Convolution2D", "Conv3D": "Convolution3D"}
# Keras 1 class names that Keras 2 renamed (Convolution*D stayed as aliases).
CLASSES = {"AtrousConvolution1D": "Conv1D", "AtrousConvolution2D": "Conv2D", "Deconvolution2D": "Conv2DTranspose",
           "Convolution1D": "Conv1D", "Convolution2D": "Conv2D", "Convolution3D": "Conv3D"}
# Keras 1 positional parameters of the convolution classes (the kernel is one number per axis).
KERAS1_PARAMS = {
    "Convolution1D": "nb_filter filter_length init activation weights border_mode subsample_length",
    "AtrousConvolution1D": "nb_filter filter_length init activation weights border_mode subsample_length "
                           "atrous_rate",
    "Convolution2D": "nb_filter nb_row nb_col init activation weights border_mode subsample dim_ordering",
    "AtrousConvolution2D": "nb_filter nb_row nb_col init activation weights atrous_rate border_mode subsample "
                           "dim_ordering",
    "Deconvolution2D": "nb_filter nb_row nb_col output_shape init activation weights border_mode subsample "
                       "dim_ordering",
    "Convolution3D": "nb_filter kernel_dim1 kernel_dim2 kernel_dim3 init activation weights border_mode subsample "
                     "dim_ordering",
}
_KERNEL_PARTS = ("nb_row", "nb_col", "kernel_dim1", "kernel_dim2", "kernel_dim3")
_ORDERING = {"th": "channels_first", "tf": "channels_last"}
MERGE_MODES = {"sum": "add", "mul": "multiply", "ave": "average", "max": "maximum", "concat": "concatenate"}


def is_keras1_call(kind: str, c: Call) -> bool:
    """Whether a call uses Keras 1 spelling: a removed class or keyword, or `nb_row, nb_col`."""
    if kind in ("AtrousConvolution1D", "AtrousConvolution2D", "Deconvolution2D"):
        return True
    renames = {**RENAMES, **LAYER_RENAMES.get(kind, {})}
    if any(name in c.kwarg_names for name in renames):
        return True
    if kind in ("Convolution2D", "Convolution3D"):
        return ("nb_col" in c.args and not isinstance(c.args.get("nb_row"), SeqV)) or "kernel_dim3" in c.args
    if kind in ("Conv2D", "Conv3D"):
        # `Conv2D(32, 3, 3)`: Keras 1 (and Keras 2.0's legacy interface) read a 3x3 kernel;
        # tf.keras reads strides=3. Taken as Keras 1 and reported, so the author can say which.
        kernel, stride = c.args.get("kernel_size"), c.args.get("strides")
        return not {"kernel_size", "strides"} & c.kwarg_names and kernel is not None and stride is not None \
            and not isinstance(kernel, SeqV) and not isinstance(stride, SeqV)
    return False


def keras1_positions(kind: str, modern_params: list[str], c: Call) -> dict[str, Value]:
    """Arguments of a modern-named call rebound to the Keras 1 positions of its class."""
    old = KERAS1_PARAMS[KERAS1_ALIASES[kind]].split()
    out: dict[str, Value] = {}
    for name, value in c.args.items():
        positional = name not in c.kwarg_names and name in modern_params
        index = modern_params.index(name) if positional else -1
        out[old[index] if positional and index < len(old) else name] = value
    return out


def modern_args(kind: str, given: dict[str, Value]) -> tuple[str, dict[str, Value]]:
    """The Keras 2+ class and arguments of a Keras 1 call, for the shape engine."""
    renames = {**RENAMES, **LAYER_RENAMES.get(kind, {})}
    args: dict[str, Value] = {}
    kernel: list[Value] = []
    for name, value in given.items():
        if name in _KERNEL_PARTS:
            kernel.append(value)
            continue
        new = renames.get(name, name)
        if new == "data_format":
            ordering = as_str(value)
            if ordering in _ORDERING:
                args[new] = Const(_ORDERING[ordering])
            elif ordering != "default":
                args[new] = value
            continue
        if new == "padding" and as_str(value) == "full":
            args[new] = Const("full")  # Theano's full convolution: no Keras 2 equivalent
            continue
        args[new] = value
    if kernel:
        args["kernel_size"] = SeqV(kernel, is_tuple=True)
    return CLASSES.get(kind, kind), args


# Arguments Keras 2 still takes by position (the rest become keywords in the modern spelling).
_POSITIONAL = frozenset({"filters", "kernel_size", "units", "pool_size", "rate", "input_dim", "output_dim"})


def _name_of(arg: cst.Arg, i: int, params: list[str]) -> str | None:
    if arg.keyword is not None:
        return arg.keyword.value
    return params[i] if i < len(params) else None


def modern_call(kind: str, call: cst.Call, code: cst.Module) -> str:
    """The call as Keras 2+ spells it, keeping the source text of every value."""
    params = KERAS1_PARAMS.get(KERAS1_ALIASES.get(kind, kind), "").split()
    renames = {**RENAMES, **LAYER_RENAMES.get(kind, {})}
    func = code.code_for_node(call.func)
    modern_class = CLASSES.get(kind, kind)
    head = func[: len(func) - len(kind)] + modern_class if func.endswith(kind) else func
    parts: list[str] = []
    kernel: list[str] = []
    kernel_at: int | None = None
    kernel_positional = False
    keywords = False
    for i, arg in enumerate(call.args):
        value = code.code_for_node(arg.value)
        name = _name_of(arg, i, params)
        if arg.star or name is None:
            parts.append(arg.star + value)
            continue
        if name in _KERNEL_PARTS:
            if kernel_at is None:
                kernel_at, kernel_positional = len(parts), arg.keyword is None and not keywords
                parts.append("")
            kernel.append(value)
            continue
        new = renames.get(name, name)
        if new == "data_format":
            ordering = value.strip("'\"")
            if ordering == "default":
                continue
            value = repr(_ORDERING.get(ordering, ordering))
        if new == "output_shape" and modern_class == "Conv2DTranspose":
            continue  # Keras 2 computes it
        positional = arg.keyword is None and not keywords and new in _POSITIONAL
        keywords = keywords or not positional
        parts.append(value if positional else f"{new}={value}")
    if kernel_at is not None:
        joined = f"({', '.join(kernel)})"
        parts[kernel_at] = joined if kernel_positional else f"kernel_size={joined}"
    return f"{head}({', '.join(parts)})"


def legacy_names(kind: str, call: cst.Call) -> list[str]:
    """The Keras 1 names a call uses, in the order written."""
    params = KERAS1_PARAMS.get(KERAS1_ALIASES.get(kind, kind), "").split()
    renames = {**RENAMES, **LAYER_RENAMES.get(kind, {})}
    names = [kind] if kind.startswith(("Atrous", "Deconvolution")) else []
    for i, arg in enumerate(call.args):
        name = _name_of(arg, i, params)
        if name is not None and ((arg.keyword is not None and name in renames) or name in ("nb_row", "nb_col")):
            names.append(name)
    return names
