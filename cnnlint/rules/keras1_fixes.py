"""CNN007's automatic fix: the edits that rewrite a Keras 1 call as Keras 2+ spells it.

The front end reports facts (the call's source text, its class, how sure the rewrite is, how a
bare class name is bound: `frontend.keras.keras1.RenameFacts`); this module re-reads the call's
text with libcst and writes the edits. Only names change (keywords renamed, positional arguments
given their keyword, the kernel folded into one tuple), so formatting and comments stay.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from cnnlint.frontend.keras.findings import (
    Applicability,
    BareCallee,
    KeywordRewrite,
    LayerRewrite,
    LegacyApi,
    MethodRewrite,
    RenameFacts,
)
from cnnlint.frontend.keras.keras1 import (
    _CONV1D_INPUT,
    _CONV1D_KINDS,
    _KERNEL_PARTS,
    _ORDERING,
    _POSITIONAL,
    ALIAS_CLASSES,
    CLASSES,
    DROPPED,
    KERAS1_ALIASES,
    KERAS1_PARAMS,
    LAYER_RENAMES,
    RENAMES,
    arg_name,
)
from cnnlint.ir import Finding, Loc

LocOf = Callable[[cst.CSTNode], Loc]
# An edit replaces the text of a source range (an insertion when the range is empty).
Edit = tuple[Loc, str]
# A finding's edits and how sure they are; a rename group's edits, the import it renames, and how sure.
Rewrite = tuple[tuple[Edit, ...], Applicability]
Group = tuple[tuple[Edit, ...], Loc | None, Applicability]


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
        name = arg_name(arg, i, params)
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


def method_edits(call: cst.Call, rewrite: MethodRewrite, loc_of: LocOf) -> Rewrite | None:
    """`model.fit_generator(gen, epochs=3, workers=4)` -> `model.fit(gen, epochs=3)`: the method
    renamed, keywords renamed and dropped; None where a new keyword name is already given."""
    if not isinstance(call.func, cst.Attribute):
        return None
    renamed = keyword_edits(call, rewrite.renames, loc_of)
    if renamed is None:
        return None
    edits: list[Edit] = [(loc_of(call.func.attr), rewrite.method), *renamed]
    args = call.args
    dropped = [i for i, arg in enumerate(args) if arg.keyword is not None and arg.keyword.value in rewrite.drops]
    if 0 in dropped:
        return None
    kept = [i for i in range(len(args)) if i not in dropped]
    for index in dropped:
        following = [i for i in kept if i > index]
        if following:  # up to the next argument kept: the comments around the others stay
            if index - 1 not in dropped:
                edits.append((_span(loc_of(args[index]), loc_of(args[following[0]])), ""))
            continue
        # The trailing run of dropped arguments: from the end of the last argument kept.
        before = max(i for i in kept if i < index)
        if before != index - 1:
            continue  # part of a run whose first member makes the edit
        last = dropped[-1]
        if any("#" in cst.Module(body=[]).code_for_node(args[i]) for i in range(before, last)):
            return None  # a comment in the run: deleting back to the comma would take it
        edits.append((_span(_end(loc_of(args[before])), _end(loc_of(args[last]))), ""))
    return tuple(edits), rewrite.applicability


def parse_call(source: str, at: Loc) -> tuple[cst.Call, LocOf] | None:
    """The call written `source` at `at`, and the file positions of its parts."""
    try:
        module = cst.parse_module(source)
    except cst.ParserSyntaxError:
        return None
    statement = module.body[0] if len(module.body) == 1 else None
    if not isinstance(statement, cst.SimpleStatementLine) or not isinstance(statement.body[0], cst.Expr):
        return None
    call = statement.body[0].value
    if not isinstance(call, cst.Call):
        return None
    wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
    positions = wrapper.resolve(PositionProvider)

    def loc_of(node: cst.CSTNode) -> Loc:
        rng: CodeRange = positions[node]
        return Loc(_line(rng.start.line, at), _column(rng.start.line, rng.start.column, at),
                   _line(rng.end.line, at), _column(rng.end.line, rng.end.column, at))

    return call, loc_of


def _line(line: int, at: Loc) -> int:
    return at.line + line - 1


def _column(line: int, column: int, at: Loc) -> int:
    """1-based file column of a 0-based snippet column (only the first line is indented by `at`)."""
    return column + 1 + (at.column - 1 if line == 1 else 0)


def own_edits(finding: Finding) -> Rewrite | None:
    """The edits of one finding's call, and their applicability; None when no rewrite is certain."""
    details = finding.details
    rewrite = details.rewrite if isinstance(details, LegacyApi) else None
    parsed = parse_call(rewrite.source, finding.loc) if rewrite is not None else None
    if rewrite is None or parsed is None:
        return None
    call, loc_of = parsed
    if isinstance(rewrite, KeywordRewrite):
        edits = keyword_edits(call, rewrite.renames, loc_of)
        return None if edits is None else (edits, rewrite.applicability)
    if isinstance(rewrite, MethodRewrite):
        return method_edits(call, rewrite, loc_of)
    kind = rewrite.layer_kind
    arguments = call_edits(kind, call, loc_of)
    if arguments is None:
        return None
    new = CLASSES.get(kind, kind)
    func = call.func
    if new == kind or isinstance(func, cst.Name):
        return tuple(arguments), rewrite.applicability  # a bare callee is renamed with its import (`fix_edits`)
    if isinstance(func, cst.Attribute) and func.attr.value == kind:
        return (*arguments, (loc_of(func.attr), new)), rewrite.applicability
    # A callee spelt some other way keeps its class: fine for an alias, not for a removed class.
    return (tuple(arguments), rewrite.applicability) if kind in ALIAS_CLASSES else None


def _layer_rewrite(finding: Finding) -> LayerRewrite | None:
    details = finding.details
    return details.rewrite if isinstance(details, LegacyApi) and isinstance(details.rewrite, LayerRewrite) else None


def fix_edits(findings: Sequence[Finding]) -> dict[int, tuple[tuple[Edit, ...], Applicability]]:
    """The fix of each CNN007 finding of a module (by `id`), where there is a certain one.

    A bare callee (`Convolution2D(...)`) is renamed with its import: `from keras.layers import
    Convolution2D` becomes `... import Conv2D` and every use of the name is renamed with it, in
    one group of edits that each such finding's fix carries whole, so that applying any one of
    them leaves a working program. A class Keras 2 kept as an alias is the same class under either
    name, so its other uses are only renamed (their own fixes rewrite their arguments); the other
    classes are renamed only when every use is a call this rule can rewrite, and each fix then
    carries all those rewrites. Where the name cannot be renamed safely, an alias class keeps its
    name and the others get no fix.
    """
    own = {id(f): own_edits(f) for f in findings}
    out: dict[int, Rewrite] = {}
    bare: dict[int, tuple[BareCallee, RenameFacts | None]] = {}
    for finding in findings:
        rewrite = _layer_rewrite(finding)
        if rewrite is not None and rewrite.bare_callee is not None:
            bare[id(finding)] = rewrite.bare_callee, rewrite.rename
    calls = {bare[id(f)][0].at: f for f in findings if id(f) in bare}
    groups: dict[int, Group | None] = {}
    for finding in findings:
        mine = own[id(finding)]
        if id(finding) not in bare:
            if mine is not None:
                out[id(finding)] = mine
            continue
        callee, rename = bare[id(finding)]
        at, old = callee.at, callee.old
        if mine is None or rename is None:
            groups[id(finding)] = None
        elif rename.import_at is None:  # a star import: only this use is renamed
            groups[id(finding)] = ((*mine[0], (at, CLASSES[old])), None, "safe")
        else:
            groups[id(finding)] = _group(rename, old, calls, own)
    # Two imports renamed to one new name (`Convolution2D` and `AtrousConvolution2D` both to
    # `Conv2D`) would bind it twice: the first import is renamed now, the others stay as they are.
    first: dict[str, Loc] = {}
    for finding in findings:
        found = groups.get(id(finding))
        if found is not None and found[1] is not None:
            new = CLASSES[bare[id(finding)][0].old]
            first[new] = min(first.get(new, found[1]), found[1])
    for finding in findings:
        if id(finding) not in groups:
            continue
        mine = own[id(finding)]
        found = groups[id(finding)]
        old = bare[id(finding)][0].old
        new = CLASSES[old]
        if found is None or (found[1] is not None and found[1] != first[new]):
            # An alias class keeps its Keras 1 name (still valid in Keras 2); the others get no fix.
            if mine is not None and old in ALIAS_CLASSES:
                out[id(finding)] = mine
            continue
        assert mine is not None
        worst: Applicability = "unsafe" if "unsafe" in (found[2], mine[1]) else "safe"
        out[id(finding)] = (tuple(sorted({*mine[0], *found[0]})), worst)
    return out


def _group(rename: RenameFacts, old: str, calls: Mapping[Loc, Finding],
           own: Mapping[int, Rewrite | None]) -> Group | None:
    """The edits renaming an imported class and its uses, where the import binds the new name
    (None for `import Old as name`, which keeps binding `name`), and the group's applicability."""
    assert rename.import_at is not None
    new = CLASSES[old]
    edits: list[Edit] = [(rename.import_at, new)]
    applicability: Applicability = "safe"
    for where in rename.references:
        if old not in ALIAS_CLASSES:
            # Renamed, the call must also be rewritten: a Keras 2 class does not take Keras 1 arguments.
            call = calls.get(where)
            rewrite = own.get(id(call)) if call is not None else None
            if rewrite is None:
                return None
            edits.extend(rewrite[0])
            if rewrite[1] == "unsafe":
                applicability = "unsafe"  # the group is as safe as the least safe rewrite it carries
        if not rename.aliased:
            edits.append((where, new))
    return tuple(sorted(set(edits))), None if rename.aliased else rename.import_at, applicability
