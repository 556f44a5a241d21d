"""Keras 1 names: translated to their Keras 2+ meaning, and reported with the modern spelling.

`Convolution2D(32, 3, 3, border_mode='same', subsample=(2, 2), dim_ordering='th')` becomes the
layer `Conv2D(32, (3, 3), padding='same', strides=(2, 2), data_format='channels_first')` for the
shape engine, and a `legacy-keras-api` finding (CNN007) carries that modern call as text. Keras 2
kept `Convolution2D` as an alias of `Conv2D`, so a call is Keras 1 only when its arguments say so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

import libcst as cst
from libcst.metadata import Access, ImportAssignment, MetadataWrapper, ScopeProvider

from cnnlint.frontend.library import Call
from cnnlint.frontend.python.values import Const, SeqV, Value, as_str
from cnnlint.ir import Finding, Loc

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
    **{kind: {"output_dim": "units", "inner_init": "recurrent_initializer", "inner_activation": "recurrent_activation",
              "U_regularizer": "recurrent_regularizer", "dropout_W": "dropout", "dropout_U": "recurrent_dropout"}
       for kind in ("SimpleRNN", "LSTM", "GRU")},
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
# Keras 2 kept these Keras 1 class names as aliases of the new ones: renaming one never changes a program.
ALIAS_CLASSES = frozenset({"Convolution1D", "Convolution2D", "Convolution3D"})
_KERNEL_PARTS = ("nb_row", "nb_col", "kernel_dim1", "kernel_dim2", "kernel_dim3")
_ORDERING = {"th": "channels_first", "tf": "channels_last"}
MERGE_MODES = {"sum": "add", "mul": "multiply", "ave": "average", "max": "maximum", "concat": "concatenate"}


# -- which Keras reads the call ------------------------------------------------------------
# tf.keras (every TensorFlow), the tf_keras package and Keras 3's own modules read positional
# arguments as Keras 2.4+ does. A plain `keras` import may be Keras 1, Keras 2.0-2.3 (with the
# legacy conversions of keras/legacy/interfaces.py), or Keras 2.4+ / 3: its version is unknown.
_MODERN_PREFIXES = ("tensorflow.", "tf_keras.", "keras.src.")


def is_standalone(written: str) -> bool:
    """Whether the call reached Keras through a plain `keras` import (version not known)."""
    return not written.startswith(_MODERN_PREFIXES)


# Classes that Keras 2.0-2.3 wrapped in a legacy interface allowing only `filters, kernel_size`
# by position: a third positional argument became a Keras 1 kernel (`Conv2D(32, 3, 3)` is 3x3),
# or a ValueError (`Conv2D(64, 3, 2, padding='same')`), or a TypeError (a tuple), where Keras
# 2.4+ and 3 read it as `strides`, and Keras 1.2 (`Conv2D` = `Convolution2D`) as `nb_col`.
POSITIONAL_LIMIT: Mapping[str, int] = {"Conv1D": 2, "Conv2D": 2, "Conv3D": 2, "Conv2DTranspose": 2,
                                       "SeparableConv2D": 2}
# Keras 1's `Convolution1D(input_dim=300, input_length=40)`: Keras 2.0-2.3 converted it to
# `input_shape=(40, 300)`; Keras 2.4+ and 3 refuse `input_length` and read `input_dim` alone as
# a 2-D input.
_CONV1D_INPUT = frozenset({"input_dim", "input_length"})
_CONV1D_KINDS = frozenset({"Conv1D", "Convolution1D", "AtrousConvolution1D"})
# Keras 1 arguments Keras 2 removed: `BatchNormalization(mode=0)` (the default) was dropped by
# `batchnorm_args_preprocessor`, any other mode refused.
DROPPED: Mapping[str, frozenset[str]] = {"BatchNormalization": frozenset({"mode"})}


def is_legacy_keyword(kind: str, name: str) -> bool:
    """Whether `name=` is a Keras 1 keyword of the class: renamed, converted or dropped by Keras 2."""
    return name in RENAMES or name in LAYER_RENAMES.get(kind, {}) or name in DROPPED.get(kind, ()) \
        or (kind in _CONV1D_KINDS and name in _CONV1D_INPUT)


def keras1_keywords(kind: str, c: Call) -> list[str]:
    """The Keras 1 keyword arguments of a call (`border_mode=`, `nb_filter=`, ...), as written."""
    return sorted(name for name in c.kwarg_names if is_legacy_keyword(kind, name))


def version_dependent_positionals(kind: str, c: Call, params: list[str]) -> list[str]:
    """The positional arguments after `kernel_size` of a plain-`keras` convolution call whose
    meaning depends on the Keras version (see POSITIONAL_LIMIT); none when a Keras 1 keyword in
    the same call settles the reading (only Keras 1 and 2.0-2.3 accept it, and they agree)."""
    limit = POSITIONAL_LIMIT.get(kind)
    if limit is None or not is_standalone(c.written) or keras1_keywords(kind, c):
        return []
    positional = [name for name in params if name in c.args and name not in c.kwarg_names]
    return positional[limit:] + [f"argument {limit + len(positional) + i + 1}" for i in range(len(c.extra))]


def is_keras1_call(kind: str, c: Call) -> bool:
    """Whether a call uses Keras 1 spelling: a removed class or keyword, or `nb_row, nb_col`."""
    if kind in ("AtrousConvolution1D", "AtrousConvolution2D", "Deconvolution2D"):
        return True
    if keras1_keywords(kind, c):
        return True
    if kind in ("Convolution2D", "Convolution3D"):
        return ("nb_col" in c.args and not isinstance(c.args.get("nb_row"), SeqV)) or "kernel_dim3" in c.args
    return False


def reads_kernel_as_strides(kind: str, c: Call) -> bool:
    """`tf.keras.layers.Convolution2D(32, 3, 3)`: a Keras 1 kernel that tf.keras, where
    `Convolution2D` is `Conv2D`, silently reads as `strides=3` (no Keras 1 keyword says otherwise)."""
    return kind in ("Convolution2D", "Convolution3D") and not is_standalone(c.written) \
        and not keras1_keywords(kind, c) and any(part in c.args and part not in c.kwarg_names
                                                 for part in ("nb_col", "kernel_dim2"))


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
    conv1d_input: dict[str, str] = {}
    input_at = 0
    for i, arg in enumerate(call.args):
        value = code.code_for_node(arg.value)
        name = _name_of(arg, i, params)
        if arg.star or name is None:
            parts.append(arg.star + value)
            continue
        if name in DROPPED.get(kind, ()) and arg.keyword is not None:
            if value != "0":
                return (f"`{name}={value}` has no Keras 2+ equivalent (Keras 2.0 refused it with a TypeError; "
                        f"only the default `{name}=0` could be dropped).")
            continue
        if kind in _CONV1D_KINDS and name in _CONV1D_INPUT and arg.keyword is not None:
            if not conv1d_input:
                input_at = len(parts)
                parts.append("")  # where `input_shape` goes
            conv1d_input[name] = value
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
    if "input_dim" in conv1d_input:
        shape = f"({conv1d_input.get('input_length', 'None')}, {conv1d_input['input_dim']})"
        parts[input_at] = f"input_shape={shape}"
    parts = [part for part in parts if part]
    return f"{head}({', '.join(parts)})"


def legacy_names(kind: str, call: cst.Call) -> list[str]:
    """The Keras 1 names a call uses, in the order written."""
    params = KERAS1_PARAMS.get(KERAS1_ALIASES.get(kind, kind), "").split()
    names = [kind] if kind.startswith(("Atrous", "Deconvolution")) else []
    for i, arg in enumerate(call.args):
        name = _name_of(arg, i, params)
        keyword = arg.keyword is not None and name is not None and is_legacy_keyword(kind, name)
        if name is not None and (keyword or name in ("nb_row", "nb_col")):
            names.append(name)
    return names


# -- fix safety (CNN007) ---------------------------------------------------------------------
_CONV_KEYWORDS = frozenset({"nb_filter", "subsample", "border_mode", "dim_ordering", "init", "W_regularizer",
                            "b_regularizer", "W_constraint", "b_constraint", "bias"})
_ORDERING_ONLY = frozenset({"dim_ordering"})
# For each Keras 2 class, the legacy interface of Keras 2.0-2.3 (keras/legacy/interfaces.py, the
# decorator of the class's __init__ at tag 2.3.1) and the Keras 1 arguments it converted. A CNN007
# fix that rewrites only these is the conversion Keras 2 itself made, so it keeps the meaning the
# call had in Keras 1: tests/test_fix_meaning.py runs that very code as the oracle for each entry.
# Any other rewrite (a class Keras 2 removed, a positional argument moved to a keyword, a name not
# listed) cannot be checked that way and is an unsafe fix (`--unsafe-fixes`).
KERAS2_CONVERSIONS: Mapping[str, tuple[str, frozenset[str]]] = {
    "Conv1D": ("legacy_conv1d_support", frozenset({
        "nb_filter", "filter_length", "subsample_length", "border_mode", "init", "W_regularizer", "b_regularizer",
        "W_constraint", "b_constraint", "bias", "input_dim", "input_length"})),
    "Conv2D": ("legacy_conv2d_support", _CONV_KEYWORDS | {"nb_row", "nb_col"}),
    "Conv3D": ("legacy_conv3d_support", _CONV_KEYWORDS | {"kernel_dim1", "kernel_dim2", "kernel_dim3"}),
    "Conv2DTranspose": ("legacy_deconv2d_support", _CONV_KEYWORDS | {"nb_row", "nb_col", "output_shape"}),
    "Dense": ("legacy_dense_support", frozenset({
        "output_dim", "init", "W_regularizer", "b_regularizer", "W_constraint", "b_constraint", "bias"})),
    "Dropout": ("legacy_dropout_support", frozenset({"p"})),
    "SpatialDropout1D": ("legacy_spatialdropout1d_support", frozenset({"p"})),
    "SpatialDropout2D": ("legacy_spatialdropoutNd_support", frozenset({"p", "dim_ordering"})),
    "SpatialDropout3D": ("legacy_spatialdropoutNd_support", frozenset({"p", "dim_ordering"})),
    **{f"{kind}Pooling1D": ("legacy_pooling1d_support", frozenset({"pool_length", "stride", "border_mode"}))
       for kind in ("Max", "Average")},
    **{f"{kind}Pooling{n}D": (f"legacy_pooling{n}d_support", frozenset({"border_mode", "dim_ordering"}))
       for kind in ("Max", "Average") for n in (2, 3)},
    **{f"Global{kind}Pooling{n}D": ("legacy_global_pooling_support", _ORDERING_ONLY)
       for kind in ("Max", "Average") for n in (2, 3)},
    **{f"{kind}{n}D": (f"legacy_{kind.lower()}{n}d_support", _ORDERING_ONLY)
       for kind in ("UpSampling", "ZeroPadding", "Cropping") for n in (2, 3)},
    "Embedding": ("legacy_embedding_support", frozenset({"init", "W_regularizer", "W_constraint"})),
    "BatchNormalization": ("legacy_batchnorm_support", frozenset({"beta_init", "gamma_init", "mode"})),
    "PReLU": ("legacy_prelu_support", frozenset({"init"})),
    **{kind: ("legacy_recurrent_support", frozenset({
        "output_dim", "init", "inner_init", "W_regularizer", "b_regularizer", "U_regularizer", "dropout_W",
        "dropout_U", *(("inner_activation",) if kind != "SimpleRNN" else ())}))
       for kind in ("SimpleRNN", "LSTM", "GRU")},
}
# Keras 1 arguments that Keras 2 converted by value or dropped (`consume_less='gpu'`, a
# recurrent layer's `forget_bias_init`, `input_dim`): a fix that leaves them is not safe.
_NOT_RENAMED = frozenset({"consume_less", "forget_bias_init", "input_dim", "input_length"})
_RECURRENT = frozenset({"SimpleRNN", "LSTM", "GRU"})


def fix_applicability(kind: str, call: cst.Call, c: Call) -> str:
    """`safe` when the fix of a Keras 1 layer call only makes conversions Keras 2's own legacy
    interface made for that class (KERAS2_CONVERSIONS), else `unsafe`."""
    entry = KERAS2_CONVERSIONS.get(CLASSES.get(kind, kind))
    if entry is None or reads_kernel_as_strides(kind, c):
        return "unsafe"
    params = KERAS1_PARAMS.get(KERAS1_ALIASES.get(kind, kind), "").split()
    renames = {**RENAMES, **LAYER_RENAMES.get(kind, {})}
    for i, arg in enumerate(call.args):
        name = _name_of(arg, i, params)
        if name is None:
            continue
        keyword = arg.keyword is not None
        legacy_name = is_legacy_keyword(kind, name) or name in _KERNEL_PARTS or name == "output_shape"
        if legacy_name and name not in entry[1]:
            return "unsafe"
        if kind in _RECURRENT and name in _NOT_RENAMED:
            return "unsafe"
        if name == "output_shape" and not keyword and not isinstance(arg.value, cst.Tuple):
            return "unsafe"  # Keras 2 dropped a positional `output_shape` only when it was a tuple
        if not keyword and name not in _KERNEL_PARTS and name != "output_shape" \
                and renames.get(name, name) not in _POSITIONAL:
            return "unsafe"  # Keras 2 refused this positional argument: nothing to check the keyword against
    return "safe"


# -- automatic fix (CNN007) -------------------------------------------------------------------
# An edit replaces the text of a source range (an insertion when the range is empty).
Edit = tuple[Loc, str]
LocOf = Callable[[cst.CSTNode], Loc]


def _start(loc: Loc) -> Loc:
    return Loc(loc.line, loc.column, loc.line, loc.column)


def _end(loc: Loc) -> Loc:
    return Loc(loc.end_line, loc.end_column, loc.end_line, loc.end_column)


def _span(start: Loc, end: Loc) -> Loc:
    """From the start of `start` to the start of `end`."""
    return Loc(start.line, start.column, end.line, end.column)


def _value_start(arg: cst.Arg, loc_of: LocOf) -> Loc:
    return _start(loc_of(arg.value.lpar[0] if arg.value.lpar else arg.value))


def _value_end(arg: cst.Arg, loc_of: LocOf) -> Loc:
    return _end(loc_of(arg.value.rpar[-1] if arg.value.rpar else arg.value))


def _string(node: cst.BaseExpression) -> str | None:
    if not isinstance(node, cst.SimpleString):
        return None
    try:
        value = node.evaluated_value  # ast.literal_eval: a NUL character in the literal is a SyntaxError
    except (ValueError, SyntaxError):
        return None
    return value if isinstance(value, str) else None


def _removal(index: int, call: cst.Call, loc_of: LocOf) -> Edit | None:
    """Delete argument `index` with one of its neighbouring commas."""
    arg = call.args[index]
    if index > 0:
        return _span(_end(loc_of(call.args[index - 1])), _end(loc_of(arg))), ""
    if index + 1 < len(call.args):
        return _span(loc_of(arg), loc_of(call.args[index + 1])), ""
    return loc_of(arg), ""  # the only argument


def call_edits(kind: str, call: cst.Call, loc_of: LocOf) -> list[Edit] | None:
    """Edits that rewrite the arguments of a Keras 1 layer call as `modern_call` spells them.

    Only names change (keywords renamed, positional arguments given their keyword, the kernel
    folded into one tuple), so formatting and comments stay. None when the rewrite is not
    certain: `*args`, a `dim_ordering` that is not a literal 'th' / 'tf', Theano's `'full'`.
    """
    params = KERAS1_PARAMS.get(KERAS1_ALIASES.get(kind, kind), "").split()
    renames = {**RENAMES, **LAYER_RENAMES.get(kind, {})}
    modern_class = CLASSES.get(kind, kind)
    edits: list[Edit] = []
    kernel: list[int] = []
    kernel_positional = False
    keywords = False
    named: list[str] = []
    conv1d_input: dict[str, int] = {}
    for i, arg in enumerate(call.args):
        if arg.star == "*":
            return None
        if arg.star == "**":
            keywords = True
            continue
        name = _name_of(arg, i, params)
        if name is None:
            if arg.keyword is None and keywords:
                return None
            continue
        if name in _KERNEL_PARTS:
            if kernel and kernel[-1] != i - 1:
                return None
            if not kernel:
                kernel_positional = arg.keyword is None and not keywords
            kernel.append(i)
            continue
        if kind in _CONV1D_KINDS and name in _CONV1D_INPUT and arg.keyword is not None:
            conv1d_input[name] = i
            continue
        if name in DROPPED.get(kind, ()) and arg.keyword is not None:
            zero = isinstance(arg.value, cst.Integer) and arg.value.evaluated_value == 0
            removal = _removal(i, call, loc_of) if zero else None
            if removal is None:
                return None  # Keras 2 refused any other mode: there is nothing to write instead
            edits.append(removal)
            continue
        new = renames.get(name, name)
        text = _string(arg.value)
        if new == "padding" and text == "full":
            return None  # Theano's full convolution has no Keras 2 spelling
        if new == "output_shape" and modern_class == "Conv2DTranspose":
            removal = _removal(i, call, loc_of)
            if removal is None:
                return None
            edits.append(removal)
            continue
        positional = arg.keyword is None and not keywords and new in _POSITIONAL
        keywords = keywords or not positional
        if name == "dim_ordering":
            if text not in _ORDERING or not isinstance(arg.value, cst.SimpleString):
                return None
            quoted = f"{arg.value.prefix}{arg.value.quote}{_ORDERING[text]}{arg.value.quote}"
            edits.append((loc_of(arg.value), quoted))
        if not positional:
            named.append(new)
        if arg.keyword is not None:
            if arg.keyword.value != new:
                edits.append((loc_of(arg.keyword), new))
        elif not positional:
            edits.append((_start(loc_of(arg)), f"{new}="))
    if conv1d_input:
        if "input_dim" not in conv1d_input or "input_shape" in named:
            return None
        edits.extend(_conv1d_input_edits(call, conv1d_input, loc_of))
    if len(named) != len(set(named)) or (kernel and not kernel_positional and "kernel_size" in named):
        return None  # a Keras 2 name given twice
    if kernel:
        first = call.args[kernel[0]]
        opening = "(" if kernel_positional else "kernel_size=("
        if first.keyword is not None:
            edits.append((_span(loc_of(first.keyword), _value_start(first, loc_of)), opening))
        else:
            edits.append((_start(loc_of(first)), opening))
        for i in kernel[1:]:
            part = call.args[i]
            if part.keyword is not None:
                edits.append((_span(loc_of(part.keyword), _value_start(part, loc_of)), ""))
        edits.append((_value_end(call.args[kernel[-1]], loc_of), ")"))
    return edits


def _conv1d_input_edits(call: cst.Call, given: Mapping[str, int], loc_of: LocOf) -> list[Edit]:
    """`input_dim=300, input_length=40` becomes `input_shape=(40, 300)`, `input_dim=300` alone
    `input_shape=(None, 300)`, as Keras 2's `conv1d_args_preprocessor` converted them."""
    dim = call.args[given["input_dim"]]
    length = call.args[given["input_length"]].value if "input_length" in given else None
    length_text = "None" if length is None else cst.Module([]).code_for_node(length)
    shape = f"input_shape=({length_text}, {cst.Module([]).code_for_node(dim.value)})"
    assert dim.keyword is not None
    edits: list[Edit] = [(_span(loc_of(dim.keyword), _value_end(dim, loc_of)), shape)]
    if "input_length" in given:
        removal = _removal(given["input_length"], call, loc_of)
        if removal is not None:
            edits.append(removal)
    return edits


def keyword_edits(call: cst.Call, renames: Mapping[str, str], loc_of: LocOf) -> tuple[Edit, ...] | None:
    """Rename keyword arguments (`nb_epoch=` -> `epochs=`); None if a new name is already given."""
    given = {arg.keyword.value for arg in call.args if arg.keyword is not None}
    if given & {renames[name] for name in given if name in renames}:
        return None
    return tuple((loc_of(arg.keyword), renames[arg.keyword.value]) for arg in call.args
                 if arg.keyword is not None and arg.keyword.value in renames)


def layer_fix(kind: str, call: cst.Call, loc_of: LocOf, applicability: str) -> dict[str, Any]:
    """The fix details of a Keras 1 layer call's finding: `fix` (edits or None), its
    `applicability` (`fix_applicability`), and the callee to rename.

    A callee written `layers.Convolution2D` is renamed here; a bare `Convolution2D` also needs its
    import changed, which `resolve_bare_callees` decides once the whole module has been read.
    """
    edits = call_edits(kind, call, loc_of)
    new = CLASSES.get(kind, kind)
    func = call.func
    if edits is None:
        return {"fix": None}
    if new == kind:
        return {"fix": tuple(edits), "applicability": applicability}
    if isinstance(func, cst.Name):
        return {"fix": tuple(edits), "applicability": applicability,
                "bare_callee": (loc_of(func), func.value, kind)}
    if isinstance(func, cst.Attribute) and func.attr.value == kind:
        return {"fix": (*edits, (loc_of(func.attr), new)), "applicability": applicability}
    # A callee spelt some other way keeps its class: fine for an alias, not for a removed class.
    return {"fix": tuple(edits) if kind in ALIAS_CLASSES else None, "applicability": applicability}


def resolve_bare_callees(findings: list[Finding], module: cst.Module, loc_of: LocOf) -> list[Finding]:
    """Complete the fixes of Keras 1 calls whose callee is a bare name (`Convolution2D(...)`).

    `from keras.layers import Convolution2D` becomes `... import Conv2D` and every use of the name
    is renamed with it, in one group of edits that each such finding's fix carries whole, so that
    applying any one of them leaves a working program. A class Keras 2 kept as an alias is the
    same class under either name, so its other uses are only renamed (their own fixes rewrite
    their arguments); the other classes are renamed only when every use is a call this rule can
    rewrite, and each fix then carries all those rewrites. Where the name cannot be renamed
    safely (bound twice, or the new name already taken), an alias class keeps its name and the
    others get no fix.
    """
    pending = [f for f in findings if f.kind == "legacy-keras-api" and f.details.get("bare_callee")]
    if not pending:
        return findings
    try:
        scopes = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    except Exception:  # scope analysis is best effort: without it, names are left alone
        return [_without_rename(f) if f.details.get("bare_callee") else f for f in findings]
    all_scopes = {scope for scope in scopes.values() if scope is not None}
    accesses: dict[Loc, Access] = {}
    for scope in all_scopes:
        for access in scope.accesses:
            if isinstance(access.node, cst.Name):
                accesses[loc_of(access.node)] = access
    calls = {f.details["bare_callee"][0]: f for f in pending}
    pending_ids = {id(f) for f in pending}
    star = any(isinstance(node.names, cst.ImportStar) for node in _imports_from(module))

    def bound(name: str) -> bool:
        return any(name in scope.assignments for scope in all_scopes)

    fixes: dict[int, tuple[tuple[Edit, ...], Loc | None, str] | None] = {}
    for finding in pending:
        at, name, old = finding.details["bare_callee"]
        new = CLASSES[old]
        use = accesses.get(at)
        referents = list(use.referents) if use is not None else []
        if finding.details["fix"] is None:
            fixes[id(finding)] = None
        elif not referents:
            # Only a star import binds a library name that the interpreter resolved without an assignment.
            star_fix = star and name == old and not bound(new)
            fixes[id(finding)] = ((*finding.details["fix"], (at, new)), None, "safe") if star_fix else None
        else:
            fixes[id(finding)] = _group_fix(referents, name, old, new, calls, loc_of, bound)
    # Two imports renamed to one new name (`Convolution2D` and `AtrousConvolution2D` both to
    # `Conv2D`) would bind it twice: the first import is renamed now, the others stay as they are.
    first: dict[str, Loc] = {}
    for finding in pending:
        found = fixes[id(finding)]
        if found is not None and found[1] is not None:
            new = CLASSES[finding.details["bare_callee"][2]]
            first[new] = min(first.get(new, found[1]), found[1])
    out: list[Finding] = []
    for finding in findings:
        if id(finding) not in pending_ids:
            out.append(finding)
            continue
        found = fixes[id(finding)]
        new = CLASSES[finding.details["bare_callee"][2]]
        if found is None or (found[1] is not None and found[1] != first[new]):
            out.append(_without_rename(finding))
        else:
            worst = "unsafe" if "unsafe" in (found[2], finding.details.get("applicability")) else "safe"
            out.append(_with_fix(finding, tuple(sorted({*finding.details["fix"], *found[0]})), worst))
    return out


def _group_fix(referents: list[Any], name: str, old: str, new: str, calls: Mapping[Loc, Finding],
               loc_of: LocOf, bound: Callable[[str], bool]) -> tuple[tuple[Edit, ...], Loc | None, str] | None:
    """The edits renaming an imported class and its uses, where the import binds the new name
    (None for `import Old as name`, which keeps binding `name`), and the group's applicability."""
    if len(referents) != 1 or not isinstance(referents[0], ImportAssignment):
        return None
    assignment = referents[0]
    statement = assignment.node
    if not isinstance(statement, cst.ImportFrom) or isinstance(statement.names, cst.ImportStar):
        return None
    alias = next((a for a in statement.names
                  if a.evaluated_name == old and (a.evaluated_alias or a.evaluated_name) == name), None)
    if alias is None or (alias.asname is None and bound(new)):
        return None
    edits: list[Edit] = [(loc_of(alias.name), new)]
    applicability = "safe"
    for reference in assignment.references:
        where = loc_of(reference.node)
        if old not in ALIAS_CLASSES:
            # Renamed, the call must also be rewritten: a Keras 2 class does not take Keras 1 arguments.
            call = calls.get(where)
            if call is None or call.details["fix"] is None:
                return None
            edits.extend(call.details["fix"])
            if call.details.get("applicability") == "unsafe":
                applicability = "unsafe"  # the group is as safe as the least safe rewrite it carries
        if alias.asname is None:
            edits.append((where, new))
    return tuple(sorted(set(edits))), None if alias.asname is not None else loc_of(alias.name), applicability


def _imports_from(module: cst.Module) -> Iterable[cst.ImportFrom]:
    found: list[cst.ImportFrom] = []

    class Imports(cst.CSTVisitor):
        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            found.append(node)

    module.visit(Imports())
    return found


def _with_fix(finding: Finding, fix: tuple[Edit, ...] | None, applicability: str | None = None) -> Finding:
    details = {k: v for k, v in finding.details.items() if k != "bare_callee"}
    details["fix"] = fix
    if applicability is not None:
        details["applicability"] = applicability
    return Finding(finding.kind, finding.loc, details)


def _without_rename(finding: Finding) -> Finding:
    """An alias class keeps its Keras 1 name (still valid in Keras 2); the others get no fix."""
    old = finding.details["bare_callee"][2]
    return _with_fix(finding, finding.details["fix"] if old in ALIAS_CLASSES else None)
