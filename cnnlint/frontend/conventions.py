"""Conventions every framework plugin reads the same way: `data_format`, `padding`, per-axis
spatial arguments (`strides=2`, `kernel_size=(3, 3)`), window attributes of conv / pool ops, and
the source ranges of an argument (for fixes)."""

from __future__ import annotations

from typing import Any

import libcst as cst

from cnnlint.frontend.library import Call
from cnnlint.frontend.python.values import Const, SeqV, Value, as_int, as_str
from cnnlint.frontend.tensor import TensorV
from cnnlint.ir import Loc


def data_format(value: Value | None, default: str = "channels_last") -> str | None:
    """'NHWC'/'channels_last' -> channels_last, 'NCHW'/'channels_first' -> channels_first."""
    if value is None or (isinstance(value, Const) and value.value is None):
        return default
    text = as_str(value)
    if text is None:
        return None
    lowered = text.lower()
    if lowered in ("channels_last", "nwc", "nhwc", "ndhwc"):
        return "channels_last"
    if lowered in ("channels_first", "ncw", "nchw", "ncdhw"):
        return "channels_first"
    return None


def spatial(value: Value | None, n: int | None, channels_first: bool, default: int | None) -> tuple[int, ...] | None:
    """Per-spatial-axis ints from an int, an n-list, or a full (n+2)-list with unit batch/channel."""
    if n is None:
        return None
    if value is None or (isinstance(value, Const) and value.value is None):
        return None if default is None else (default,) * n
    single = as_int(value)
    if single is not None:
        return (single,) * n
    if not isinstance(value, SeqV):
        return None
    ints = [as_int(v) for v in value.items]
    if any(i is None for i in ints):
        return None
    clean: list[int] = [i for i in ints if i is not None]
    if len(clean) == 1:
        return (clean[0],) * n
    if len(clean) == n:
        return tuple(clean)
    if len(clean) == n + 2:
        outer = (clean[0], clean[1]) if channels_first else (clean[0], clean[-1])
        if outer != (1, 1):
            return None
        return tuple(clean[2:]) if channels_first else tuple(clean[1:-1])
    return None


def padding(value: Value | None, n: int | None, channels_first: bool, default: str = "VALID") -> Any:
    """'SAME' / 'VALID' / 'CAUSAL', or explicit (before, after) pairs per spatial axis."""
    if value is None:
        return default
    text = as_str(value)
    if text is not None:
        upper = text.upper()
        return upper if upper in ("SAME", "VALID", "CAUSAL") else None
    if n is None or not isinstance(value, SeqV):
        return None
    pairs: list[tuple[int, int]] = []
    for item in value.items:
        if not isinstance(item, SeqV) or len(item.items) != 2:
            return None
        before, after = as_int(item.items[0]), as_int(item.items[1])
        if before is None or after is None:
            return None
        pairs.append((before, after))
    if len(pairs) == n + 2:
        pairs = pairs[2:] if channels_first else pairs[1:-1]
    return pairs if len(pairs) == n else None


def window_attrs(
    c: Call, n: int | None, *, strides: str = "strides", dilations: str = "dilations",
    pad: str = "padding", fmt: str = "data_format", pad_default: str = "VALID", stride_default: int | None = None,
) -> dict[str, Any] | None:
    """Strides, dilations, padding and data format of a sliding-window op, or None if unknown."""
    layout = data_format(c.args.get(fmt))
    if layout is None:
        return None
    first = layout == "channels_first"
    attrs = {
        "rank": n,
        "data_format": layout,
        "strides": spatial(c.args.get(strides), n, first, stride_default),
        "dilations": spatial(c.args.get(dilations), n, first, 1),
        "padding": padding(c.args.get(pad), n, first, pad_default),
    }
    if attrs["padding"] is None:
        return None
    return attrs


def spatial_rank(c: Call, node: int | None, fixed: int | None) -> int | None:
    if fixed is not None:
        return fixed
    rank = c.rank_of(node)
    return None if rank is None else rank - 2


def spans(c: Call, name: str) -> dict[str, Loc]:
    """Source ranges of a list or tuple argument and its items (keys as in `Call.sources`), for fixes."""
    node = c.source_nodes.get(name)
    if node is None:
        return {}
    out = {name: c.interp.loc(node)}
    if isinstance(node, (cst.List, cst.Tuple)):
        for i, element in enumerate(node.elements):
            out[f"{name}[{i}]"] = c.interp.loc(element.value)
    return out


def add_spanned(c: Call, op: str, inputs: list[int | None], attrs: dict[str, Any], name: str) -> TensorV:
    """`c.add`, also recording where argument `name` is written."""
    node = c.interp.graph.add(op, c.shown, inputs, attrs, c.loc(), c.sources(), spans=spans(c, name),
                              origins=c.origins())
    return TensorV(node.id)


def training_branch(interp: Any) -> cst.BaseExpression | None:
    """The test of an enclosing `if` on a training flag (`if not is_training:`, `if training:`,
    `if mode == "train":`), where the op being made is: a value made on one branch only, so that
    what is computed at training time may not be it (CNN203)."""
    for test in reversed(interp.conditions):
        if "train" in interp.code(test).lower():
            return test  # type: ignore[no-any-return]
    return None
