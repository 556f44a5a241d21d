"""Source ranges of a layer call's arguments, kept on its node (`Node.spans`) for the automatic
fixes of the rules that change a layer's activation (CNN201, CNN204)."""

from __future__ import annotations

import libcst as cst

from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.ir import Loc


def argument_spans(interp: Evaluator, site: cst.Call, kind: str) -> dict[str, Loc]:
    """Where a layer call's `activation` argument is (an `Activation` layer's first argument:
    "arg"), and "end": the empty range after its last argument, for fixes that change or add the
    activation (CNN201, CNN204); none where an argument is starred (`**kwargs` may hold it)."""
    if not site.args or any(arg.star for arg in site.args):
        return {}
    last = interp.loc(site.args[-1].value)

    def end() -> Loc:
        return Loc(last.end_line, last.end_column, last.end_line, last.end_column, last.path, last.via)

    # Lazy, as every location is until a finding reads it: a clean file resolves no positions.
    out = {"end": Loc.lazy(end)}
    for i, arg in enumerate(site.args):
        if arg.keyword is not None and arg.keyword.value == "activation":
            out["activation"] = interp.loc(arg.value)
        elif i == 0 and arg.keyword is None and kind == "Activation":
            out["arg"] = interp.loc(arg.value)
    return out
