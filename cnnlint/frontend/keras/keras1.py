"""Keras 1 names: translated to their Keras 2+ meaning, and reported with the modern spelling.

`Convolution2D(32, 3, 3, border_mode='same', subsample=(2, 2), dim_ordering='th')` becomes the
layer `Conv2D(32, (3, 3), padding='same', strides=(2, 2), data_format='channels_first')` for the
shape engine, and a `legacy-keras-api` finding (CNN007) carries that modern call as text. Keras 2
kept `Convolution2D` as an alias of `Conv2D`, so a call is Keras 1 only when its arguments say so.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import replace
from typing import Any

import libcst as cst
from libcst.metadata import Access, ImportAssignment, MetadataWrapper, ScopeProvider

from cnnlint.frontend.keras.findings import Applicability, BareCallee, LayerRewrite, LegacyApi, RenameFacts
from cnnlint.frontend.keras.versions import is_keras1, legacy_interfaces, positional_strides, target_of
from cnnlint.frontend.library import Call
from cnnlint.frontend.python.values import Const, SeqV, Value, as_int, as_str
from cnnlint.ir import Finding, Loc
from cnnlint.targets import KerasTarget

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


def version_dependent_positionals(kind: str, c: Call, params: list[str], target: KerasTarget) -> list[str]:
    """The positional arguments after `kernel_size` of a convolution call whose meaning depends on
    the Keras version (see POSITIONAL_LIMIT): none where the target reads them as `strides` for
    certain (tf.keras, Keras 2.4+ and 3: `versions.positional_strides`), and none when a Keras 1
    keyword in the same call settles the reading (only Keras 1 and 2.0-2.3 accept it, and they agree)."""
    limit = POSITIONAL_LIMIT.get(kind)
    if limit is None or positional_strides(target) or keras1_keywords(kind, c):
        return []
    positional = [name for name in params if name in c.args and name not in c.kwarg_names]
    return positional[limit:] + [f"argument {limit + len(positional) + i + 1}" for i in range(len(c.extra))]


# Keras 2.0-2.3's `conv2d_args_preprocessor` / `conv3d_args_preprocessor` (keras/legacy/interfaces.py,
# 2.2.4): `Conv2D(32, 3, 3)` (two ints after `filters`) became `kernel_size=(3, 3)` with a warning,
# unless `padding`, `strides` or `data_format` was given too (a ValueError: "you are passing both
# `kernel_size` and `strides` as integer positional arguments"); anything else past `kernel_size`
# by position was a TypeError ("can accept only 2 positional arguments").
_KERNEL_BY_POSITION = {"Conv2D": 2, "SeparableConv2D": 2, "Conv2DTranspose": 2, "Conv3D": 3}
_REFUSED_WITH = frozenset({"padding", "strides", "data_format"})


def legacy_positional_reading(kind: str, c: Call, dependent: list[str], target: KerasTarget) -> str | None:
    """How a stated target reads a convolution's positional arguments after `kernel_size`:
    "keras1" (the Keras 1 kernel: Keras 1, or Keras 2.0-2.3 converting `Conv2D(32, 3, 3)`),
    "refused" (Keras 2.0-2.3 raised), None where the target is not stated or the reading is unknown."""
    if not target.stated or c.extra:
        return None
    if is_keras1(target):
        # Keras 1.2 `Conv2D` is `Convolution2D`; a Keras 2 keyword there is a TypeError, not modelled.
        modern_keywords = c.kwarg_names & {"filters", "kernel_size", "strides", "padding", "data_format",
                                           "dilation_rate"}
        return "keras1" if kind in KERAS1_ALIASES and not modern_keywords else None
    if not legacy_interfaces(target):
        return None
    parts = _KERNEL_BY_POSITION.get(kind)
    values = [c.args[name] for name in dependent if name in c.args]
    kernel = c.args.get("kernel_size")
    ints = parts is not None and len(dependent) == parts - 1 and kernel is not None \
        and all(as_int(v) is not None for v in [kernel, *values])
    if ints and not (c.kwarg_names & _REFUSED_WITH):
        return "keras1" if kind in KERAS1_ALIASES else None
    return "refused"


def is_keras1_call(kind: str, c: Call) -> bool:
    """Whether a call uses Keras 1 spelling: a removed class or keyword, or `nb_row, nb_col`."""
    if kind in ("AtrousConvolution1D", "AtrousConvolution2D", "Deconvolution2D"):
        return True
    if keras1_keywords(kind, c):
        return True
    if kind in ("Convolution2D", "Convolution3D"):
        return ("nb_col" in c.args and not isinstance(c.args.get("nb_row"), SeqV)) or "kernel_dim3" in c.args
    return False


def reads_kernel_as_strides(kind: str, c: Call, target: KerasTarget) -> bool:
    """`tf.keras.layers.Convolution2D(32, 3, 3)`: a Keras 1 kernel that tf.keras (and Keras 2.4+ and
    3, where a target says so), where `Convolution2D` is `Conv2D`, silently reads as `strides=3`
    (no Keras 1 keyword says otherwise)."""
    return kind in ("Convolution2D", "Convolution3D") and positional_strides(target) \
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


def arg_name(arg: cst.Arg, i: int, params: list[str]) -> str | None:
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
        name = arg_name(arg, i, params)
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
        name = arg_name(arg, i, params)
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


def fix_applicability(kind: str, call: cst.Call, c: Call) -> Applicability:
    """`safe` when the fix of a Keras 1 layer call only makes conversions Keras 2's own legacy
    interface made for that class (KERAS2_CONVERSIONS), else `unsafe`."""
    entry = KERAS2_CONVERSIONS.get(CLASSES.get(kind, kind))
    if entry is None or reads_kernel_as_strides(kind, c, target_of(c)):
        return "unsafe"
    params = KERAS1_PARAMS.get(KERAS1_ALIASES.get(kind, kind), "").split()
    renames = {**RENAMES, **LAYER_RENAMES.get(kind, {})}
    for i, arg in enumerate(call.args):
        name = arg_name(arg, i, params)
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


# -- facts for CNN007's automatic fix (the rule writes the edits: rules/keras1_fixes.py) ----
LocOf = Callable[[cst.CSTNode], Loc]


def fix_facts(kind: str, call: cst.Call, loc_of: LocOf, code: str, applicability: Applicability) -> LayerRewrite:
    """What CNN007 needs to rewrite a Keras 1 layer call: its class, its source text (starting at
    the finding's location), how sure the rewrite is, and a bare callee's name."""
    bare = BareCallee(loc_of(call.func), call.func.value, kind) \
        if isinstance(call.func, cst.Name) and CLASSES.get(kind, kind) != kind else None
    return LayerRewrite(kind, code, applicability, bare)


def resolve_bare_callees(findings: list[Finding], module: cst.Module, loc_of: LocOf) -> list[Finding]:
    """How the bare callee of each Keras 1 class call is bound (`rename`: `RenameFacts`, or None
    where renaming it is not safe: bound twice, the new name already taken, scope analysis failed).

    Only facts: which edits a rename makes, and whether every use can be rewritten, is decided by
    CNN007's fix (rules/keras1_fixes.py).
    """
    pending = [f for f in findings if _bare_callee(f) is not None]
    if not pending:
        return findings
    try:
        scopes = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    except Exception:  # scope analysis is best effort: without it, names are left alone
        return findings
    all_scopes = {scope for scope in scopes.values() if scope is not None}
    accesses: dict[Loc, Access] = {}
    for scope in all_scopes:
        for access in scope.accesses:
            if isinstance(access.node, cst.Name):
                accesses[loc_of(access.node)] = access
    star = any(isinstance(node.names, cst.ImportStar) for node in _imports_from(module))

    def bound(name: str) -> bool:
        return any(name in scope.assignments for scope in all_scopes)

    facts: dict[int, RenameFacts | None] = {}
    for finding in pending:
        bare = _bare_callee(finding)
        assert bare is not None
        at, name, old = bare.at, bare.name, bare.old
        new = CLASSES[old]
        use = accesses.get(at)
        referents = list(use.referents) if use is not None else []
        if not referents:
            # Only a star import binds a library name that the interpreter resolved without an assignment.
            facts[id(finding)] = RenameFacts(None, False, (at,)) if star and name == old and not bound(new) else None
        else:
            facts[id(finding)] = _binding(referents, name, old, new, loc_of, bound)
    return [_with_rename(f, facts[id(f)]) if id(f) in facts else f for f in findings]


def _binding(referents: list[Any], name: str, old: str, new: str, loc_of: LocOf,
             bound: Callable[[str], bool]) -> RenameFacts | None:
    """The import binding the callee, where it is one `from ... import Old [as name]`."""
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
    references = tuple(sorted(loc_of(reference.node) for reference in assignment.references))
    return RenameFacts(loc_of(alias.name), alias.asname is not None, references)


def _imports_from(module: cst.Module) -> Iterable[cst.ImportFrom]:
    found: list[cst.ImportFrom] = []

    class Imports(cst.CSTVisitor):
        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            found.append(node)

    module.visit(Imports())
    return found


def _bare_callee(finding: Finding) -> BareCallee | None:
    details = finding.details
    if isinstance(details, LegacyApi) and isinstance(details.rewrite, LayerRewrite):
        return details.rewrite.bare_callee
    return None


def _with_rename(finding: Finding, rename: RenameFacts | None) -> Finding:
    details = finding.details
    assert isinstance(details, LegacyApi) and isinstance(details.rewrite, LayerRewrite)
    return Finding(finding.loc, replace(details, rewrite=replace(details.rewrite, rename=rename)))
