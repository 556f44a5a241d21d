"""Property tests (hypothesis): whatever the source, cnnlint answers without crashing.

Three families of inputs: the fixtures mutated token by token, generated Keras / `tf.nn` models
with valid and invalid arguments, and fixtures whose local names are consistently renamed (the
findings must not change). `benchmarks/fuzz_campaign.py` runs the same properties with many more
examples; every bug it found has a regression test at the end of this file.
"""

from __future__ import annotations

import builtins
import contextlib
import json
import keyword
import math
import re
import signal
import unicodedata
import warnings
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any
from unittest import mock

import libcst as cst
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from libcst.metadata import PositionProvider

from cnnlint import fix, notebook
from cnnlint.frontend import extract
from cnnlint.frontend.python import Interpreter
from cnnlint.frontend.python.builtins import BUILTINS
from cnnlint.frontend.python.values import BuiltinV
from cnnlint.report import github, json_format, sarif, text
from cnnlint.rules import ALL_RULES, BY_CODE, select_rules
from cnnlint.runner import FileResult, check_notebook, check_source
from cnnlint.shapes.dim import Dim, different

pytestmark = pytest.mark.fuzz

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = ROOT / "fixtures"
PY_FIXTURES = sorted(FIXTURES.rglob("*.py"))
NOTEBOOKS = sorted(FIXTURES.rglob("*.ipynb")) + sorted((ROOT / "tests" / "fix_cases").glob("*.ipynb"))
EXPECT = re.compile(r"#\s*expect:\s*CNN\d{3}")
CLEAN_FIXTURES = [p for p in PY_FIXTURES if not EXPECT.search(p.read_text(encoding="utf-8"))]
BUGGY_FIXTURES = [p for p in PY_FIXTURES if p not in CLEAN_FIXTURES]
RULES = select_rules(["CNN"])

# One example may take this long before it counts as a hang (a failure, not a slow test).
EXAMPLE_TIME_LIMIT_S = 20
# CI: fixed examples, derandomized, no shared database; the campaign overrides max_examples.
CI = settings(max_examples=150, derandomize=True, deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


# -- the properties ------------------------------------------------------------------------
class Hang(BaseException):
    """An example ran past EXAMPLE_TIME_LIMIT_S (a BaseException, so that check_source's
    containment does not turn it into an internal error)."""


@contextlib.contextmanager
def time_limit(seconds: float) -> Iterator[None]:
    def expire(signum: int, frame: Any) -> None:
        raise Hang(f"no answer after {seconds} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def compiles(code: str) -> bool:
    """Whether Python compiles `code` (compiled only, never run)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            compile(code, "<fuzz>", "exec", dont_inherit=True)
    except (SyntaxError, ValueError, RecursionError, MemoryError, OverflowError):
        return False
    return True


def _reject_constant(name: str) -> Any:
    raise AssertionError(f"not JSON: {name}")


def strict_json(report: str) -> Any:
    """`report` parsed as JSON proper (no NaN / Infinity), checked to round-trip."""
    data = json.loads(report, parse_constant=_reject_constant)
    assert json.loads(json.dumps(data)) == data
    return data


def assert_reports_are_valid(path: str, result: FileResult) -> None:
    """Every formatter answers, and the JSON and SARIF reports are valid JSON with 1-based positions."""
    diagnostics = result.diagnostics
    errors = [(path, result.error)] if result.error is not None else []
    report = strict_json(json_format.check_report(1, diagnostics, errors))
    for entry in report["diagnostics"]:
        assert entry["code"] in BY_CODE and entry["severity"] in ("error", "warning")
        assert entry["line"] >= 1 and entry["column"] >= 1, entry
        assert (entry["end_line"], entry["end_column"]) >= (entry["line"], entry["column"]), entry
    log = strict_json(sarif.sarif_report(diagnostics, errors, ALL_RULES, "."))
    assert len(log["runs"][0]["results"]) == len(diagnostics)
    text.check_report(diagnostics, errors)
    text.check_report(diagnostics, errors, colour=True)
    text.statistics(diagnostics)
    github.github_report(diagnostics, errors)
    if result.module is not None:
        strict_json(json_format.shapes_report([result.module]))
        text.shapes_report([result.module])


def assert_fixes_keep_code_compiling(code: str, path: str, result: FileResult) -> None:
    """The --fix loop (apply, check again, repeat) never raises, and compiling code stays compiling."""
    source_compiles = compiles(code)
    current = code
    for _ in range(4):
        fixable = [d for d in result.diagnostics if d.fix]
        if not fixable:
            return
        fixed = fix.apply_fixes(current, fixable)
        if source_compiles and fixed.changed:
            assert compiles(fixed.source), (fixed.source, [d.fix for d in fixed.applied])
        if fixed.source == current:
            return
        current = fixed.source
        result = check_source(current, path, RULES)
        assert_no_internal_error(result, current, path)
        fix.unified_diff(path, code, current)


def assert_no_internal_error(result: FileResult, code: str, path: str) -> None:
    """On an internal error, raise the original exception (its traceback, and a place that tells
    hypothesis one bug from another) by running the front end and the rules again uncontained."""
    if result.internal:
        _reraise_internal(code, path)
        raise AssertionError(result.error)


def _reraise_internal(code: str, path: str) -> None:
    """The interpreter contains a crash per part of the file (`Interpreter._run_guarded`) and the
    runner per rule: record what the interpreter caught, and run the rules unguarded."""
    guarded = getattr(Interpreter, "_run_guarded", None)
    if guarded is None:
        return
    caught: list[Exception] = []

    def recording(self: Interpreter, action: Callable[[], None], *args: Any) -> None:
        def run() -> None:
            try:
                action()
            except Exception as error:
                caught.append(error)
                raise

        guarded(self, run, *args)

    with mock.patch.object(Interpreter, "_run_guarded", recording):
        module = extract(code, path, {})
    reported = "; ".join(getattr(module, "internal_errors", []))
    for error in caught:
        if f"{type(error).__name__}: {error}"[:200] in reported:
            raise error
    for rule in RULES:
        list(rule.check(module))


def check_everything(code: str, path: str = "fuzz.py", seconds: float = EXAMPLE_TIME_LIMIT_S) -> FileResult:
    """The whole property: check, every report, the fix loop; returns the first check's result."""
    with time_limit(seconds):
        result = check_source(code, path, RULES)
        assert_no_internal_error(result, code, path)
        assert_reports_are_valid(path, result)
        assert_fixes_keep_code_compiling(code, path, result)
    return result


def check_notebook_everything(notebook_text: str, path: str = "fuzz.ipynb") -> FileResult:
    with time_limit(EXAMPLE_TIME_LIMIT_S):
        result = check_notebook(notebook_text, path, RULES)
        if result.internal:
            assert_no_internal_error(result, notebook.load(notebook_text).source, path)
        assert_reports_are_valid(path, result)
        for entry in result.diagnostics:
            assert entry.cell is not None and entry.cell >= 1, entry
        fixable = [d for d in result.diagnostics if d.fix]
        if fixable:
            fixed = fix.fix_notebook(notebook_text, fixable)
            if fixed.changed:
                json.loads(fixed.source)
                again = check_notebook(fixed.source, path, RULES)
                if again.internal:
                    assert_no_internal_error(again, notebook.load(fixed.source).source, path)
    return result


# -- a. fixtures mutated ---------------------------------------------------------------------
TOKEN = re.compile(r"\w+|[^\w\s]")
NUMBER = re.compile(r"\b\d+\b")
NUMBERS = st.one_of(
    st.sampled_from(["0", "-1", "1", "-3", "2", "10**30", "-10**30", str(10**30), str(2**63), str(2**31 - 1), "9" * 5000,
                     "1000003", "0.5", "1e308", "1e999", "0x10", "1_000", "(-2)", "True", "None"]),
    st.integers(-100, 100).map(str),
    st.integers().map(str),
)
ODD_TEXT = st.one_of(
    st.sampled_from(["\u2028", "\u2029", "\x0c", "\x0b", "\r", "\r\n", "\t", "\ufeff", "\u200b", "\u202e", "\x85",
                     "\x1c", "\u00e9", "\ufb01", "\U0001d54f", "\u01c5", "\u0663", "\u00b2", "\\", "'", '"', '"""', "#", "(", ")", "[", "]", "{", "}",
                     ":", "=", ",", "\\\n", "    ", "\n", "@", "*", "**", "lambda", "yield", "async ", "await ",
                     "# cnnlint: ignore", "# cnnlint: ignore[CNN001]", "# type: ignore", "# -*- coding: latin-1 -*-"]),
    st.text(st.characters(exclude_categories=["Cs"], exclude_characters="\x00"), min_size=1, max_size=4),
)
Mutation = Callable[[st.DrawFn, str], str]


def _delete_token(draw: st.DrawFn, code: str) -> str:
    tokens = list(TOKEN.finditer(code))
    if not tokens:
        return code
    token = tokens[draw(st.integers(0, len(tokens) - 1))]
    return code[: token.start()] + code[token.end():]


def _change_number(draw: st.DrawFn, code: str) -> str:
    numbers = list(NUMBER.finditer(code))
    if not numbers:
        return code
    number = numbers[draw(st.integers(0, len(numbers) - 1))]
    return code[: number.start()] + draw(NUMBERS) + code[number.end():]


def _swap_lines(draw: st.DrawFn, code: str) -> str:
    lines = code.split("\n")
    i, j = draw(st.integers(0, len(lines) - 1)), draw(st.integers(0, len(lines) - 1))
    lines[i], lines[j] = lines[j], lines[i]
    return "\n".join(lines)


def _duplicate_line(draw: st.DrawFn, code: str) -> str:
    lines = code.split("\n")
    i = draw(st.integers(0, len(lines) - 1))
    return "\n".join([*lines[: i + 1], lines[i], *lines[i + 1:]])


def _delete_line(draw: st.DrawFn, code: str) -> str:
    lines = code.split("\n")
    del lines[draw(st.integers(0, len(lines) - 1))]
    return "\n".join(lines)


def _insert_text(draw: st.DrawFn, code: str) -> str:
    at = draw(st.integers(0, len(code)))
    return code[:at] + draw(ODD_TEXT) + code[at:]


MUTATIONS: tuple[Mutation, ...] = (_delete_token, _change_number, _swap_lines, _duplicate_line, _delete_line,
                                   _insert_text)


def mutate(draw: st.DrawFn, code: str, max_mutations: int = 4) -> str:
    for _ in range(draw(st.integers(1, max_mutations))):
        code = draw(st.sampled_from(MUTATIONS))(draw, code)
    return code


@st.composite
def mutated_fixtures(draw: st.DrawFn) -> tuple[str, str]:
    path = draw(st.sampled_from(PY_FIXTURES))
    return str(path.relative_to(ROOT)), mutate(draw, path.read_text(encoding="utf-8"))


@st.composite
def fixtures_with_nul(draw: st.DrawFn) -> tuple[str, str]:
    path = draw(st.sampled_from(PY_FIXTURES))
    code = path.read_text(encoding="utf-8")
    at = draw(st.integers(0, len(code)))
    return str(path.relative_to(ROOT)), code[:at] + "\x00" + code[at:]


@st.composite
def mutated_notebooks(draw: st.DrawFn) -> str:
    data = json.loads(draw(st.sampled_from(NOTEBOOKS)).read_text(encoding="utf-8"))
    code_cells = [c for c in data["cells"] if c.get("cell_type") == "code"]
    cell = draw(st.sampled_from(code_cells))
    raw = cell["source"]
    new = mutate(draw, "".join(raw) if isinstance(raw, list) else raw, max_mutations=3)
    cell["source"] = new.splitlines(keepends=True) if isinstance(raw, list) else new
    return json.dumps(data, indent=1, ensure_ascii=draw(st.booleans()))


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False, allow_infinity=False) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=3),
    max_leaves=8,
)
CELL_TEXT = st.sampled_from(["import tensorflow as tf\n", "y = tf.reshape(tf.zeros([6]), [4, 4])\n", "%%time\n",
                             "from keras.layers import Convolution2D\n", "x = Convolution2D(8, 3, 3)\n", "!ls\n"])
CELLS = st.fixed_dictionaries(
    {"cell_type": st.sampled_from(["code", "code", "markdown", "raw"]) | JSON_VALUES,
     "source": st.one_of(st.lists(CELL_TEXT, max_size=4), st.lists(CELL_TEXT, max_size=4).map("".join), JSON_VALUES,
                         st.lists(st.one_of(CELL_TEXT, JSON_VALUES), max_size=3))},
    optional={"metadata": JSON_VALUES, "outputs": JSON_VALUES, "execution_count": JSON_VALUES},
)
NOTEBOOK_JSON = st.one_of(
    st.fixed_dictionaries({"cells": st.lists(CELLS | JSON_VALUES, max_size=4)},
                          optional={"metadata": JSON_VALUES, "nbformat": JSON_VALUES}).map(json.dumps),
    JSON_VALUES.map(json.dumps),
    st.text(max_size=40),
)


LINE_LIKE = ["\u2028", "\u2029", "\x0c", "\x0b", "\x1c", "\x1d", "\x1e", "\x85"]  # str.splitlines breaks here


def _statement_starts(code: str) -> list[int]:
    """The first line of each top-level statement (where a notebook may start a new cell)."""
    try:
        wrapper = cst.MetadataWrapper(cst.parse_module(code))
    except (cst.ParserSyntaxError, cst.CSTValidationError):
        return [1]
    positions = wrapper.resolve(PositionProvider)
    return sorted({positions[statement].start.line for statement in wrapper.module.body})


@st.composite
def fixtures_as_notebooks(draw: st.DrawFn) -> tuple[str, str, list[int]]:
    """A fixture with characters that `str.splitlines` (but not Python) breaks lines at, put in
    comments and string literals; the same code cut into notebook cells between statements; and
    the script line each cell starts at."""
    path = draw(st.sampled_from(PY_FIXTURES))
    lines = path.read_text(encoding="utf-8").split("\n")
    for _ in range(draw(st.integers(0, 3))):
        index = draw(st.integers(0, len(lines) - 1))
        odd = draw(st.sampled_from(LINE_LIKE))
        if "'" in lines[index] and draw(st.booleans()):
            lines[index] = lines[index].replace("'", "'" + odd, 1)
        elif "#" in lines[index] or not lines[index].strip():
            lines[index] += odd + "x"
        else:
            lines[index] += f"  # {odd}"
    code = "\n".join(lines)
    starts = _statement_starts(code)
    cuts = sorted(set(draw(st.lists(st.sampled_from(starts), max_size=4))) | {1})
    cells: list[dict[str, Any]] = [{"cell_type": "markdown", "metadata": {}, "source": ["# A notebook\n"]}]
    for begin, end in zip(cuts, [*cuts[1:], len(lines) + 1], strict=True):
        text_ = "\n".join(lines[begin - 1: end - 1])
        cells.append({"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                      "source": text_.splitlines(keepends=True) if draw(st.booleans()) else text_})
    book = json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}, indent=1)
    return code, book, cuts


def notebook_matches_script(case: tuple[str, str, list[int]]) -> None:
    """The notebook's findings, mapped back to script lines, are the script's findings."""
    code, book, cuts = case
    script = check_everything(code, "script.py")
    cells = check_notebook_everything(book)
    mapped = {(d.code, cuts[(d.cell or 0) - 2] + d.loc.line - 1) for d in cells.diagnostics}
    assert mapped == findings(script), (cells.diagnostics, script.diagnostics)


# -- b. generated models ---------------------------------------------------------------------
def mostly(valid: st.SearchStrategy[str], invalid: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    """Valid arguments three times in four."""
    return st.one_of(valid, valid, valid, invalid)


STRIDE = mostly(st.sampled_from(["1", "1", "2", "2", "3"]), st.sampled_from(["0", "-1", "10**30", "None", "7"]))
SIZE = mostly(st.integers(1, 9).map(str), st.sampled_from(["0", "-1", "-3", "10**30", "None", "2.5", "'3'"]))
FILTERS = mostly(st.sampled_from(["1", "3", "8", "16", "32", "64"]), st.sampled_from(["0", "-4", "None", "10**30"]))
UNITS = mostly(st.sampled_from(["1", "10", "64", "128", "3136"]), st.sampled_from(["0", "-1", "None", "2**70"]))
PADDING = mostly(st.sampled_from(["'valid'", "'same'", "\"same\"", "'VALID'", "'SAME'"]),
                 st.sampled_from(["'causal'", "'full'", "'bogus'", "''", "1", "None", "(1, 1)", "[[0, 0], [1, 1]]"]))
DATA_FORMAT = st.sampled_from(["'channels_last'", "'channels_last'", "'channels_first'", "'NHWC'", "'NCHW'", "None",
                               "'bogus'", "K.image_data_format()"])
INPUT_DIM = st.one_of(st.integers(1, 64).map(str), st.sampled_from(["None", "None", "28", "32", "224", "0", "-1"]),
                      st.sampled_from(["28", "32", "64", "100", "128"]))


def spatial(draw: st.DrawFn, rank: int, values: st.SearchStrategy[str] | None = None) -> str:
    """An int, or a tuple of `rank` ints (sometimes of the wrong length)."""
    values = SIZE if values is None else values
    form = draw(st.sampled_from(["int", "tuple", "tuple", "list", "wrong"]))
    if form == "int":
        return draw(values)
    count = rank if form != "wrong" else draw(st.sampled_from([0, 1, rank + 1]))
    items = [draw(values) for _ in range(count)]
    if form == "list":
        return "[" + ", ".join(items) + "]"
    return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"


def keyword_args(draw: st.DrawFn, options: dict[str, st.SearchStrategy[str]]) -> list[str]:
    return [f"{name}={draw(value)}" for name, value in options.items() if draw(st.booleans())]


def keras_layer(draw: st.DrawFn, api: str, rank: int = 2) -> str:
    """One Keras layer constructor call (no input applied), mostly for inputs of `rank` spatial axes."""
    n = draw(st.sampled_from([rank, rank, rank, 1, 2, 3]))
    kind = draw(st.sampled_from(["conv", "conv", "conv", "pool", "pool", "dense", "flatten", "reshape", "dropout",
                                 "batchnorm", "zeropad", "upsample", "crop", "global", "transpose", "separable",
                                 "depthwise", "activation", "permute", "repeat", "lstm", "timedistributed",
                                 "keras1", "keras1"]))
    common = {"data_format": DATA_FORMAT}
    if kind == "keras1":
        return keras1_layer(draw, api, n)
    if kind == "conv":
        args = [draw(FILTERS), spatial(draw, n)] + ([f"strides={spatial(draw, n, STRIDE)}"] if draw(st.booleans()) else [])
        args += keyword_args(draw, {
            "padding": PADDING, "dilation_rate": SIZE, "groups": st.sampled_from(["1", "2", "0"]),
            "activation": st.just("'relu'"), "use_bias": st.sampled_from(["False", "True"]), **common})
        return f"{api}Conv{n}D({', '.join(args)})"
    if kind == "transpose":
        args = [draw(FILTERS), spatial(draw, n), *keyword_args(draw, {
            "strides": STRIDE, "padding": PADDING, "output_padding": SIZE, **common})]
        return f"{api}Conv{n}DTranspose({', '.join(args)})"
    if kind == "separable":
        args = [draw(FILTERS), spatial(draw, min(n, 2)), *keyword_args(draw, {
            "strides": STRIDE, "padding": PADDING, "depth_multiplier": SIZE})]
        return f"{api}SeparableConv{min(n, 2)}D({', '.join(args)})"
    if kind == "depthwise":
        args = [spatial(draw, 2), *keyword_args(draw, {"strides": STRIDE, "padding": PADDING,
                                                        "depth_multiplier": SIZE})]
        return f"{api}DepthwiseConv2D({', '.join(args)})"
    if kind == "pool":
        kind_name = draw(st.sampled_from(["MaxPooling", "AveragePooling", "MaxPool", "AvgPool"]))
        args = ([spatial(draw, n)] if draw(st.booleans()) else []) + keyword_args(draw, {
            "strides": st.one_of(STRIDE, st.just("None")), "padding": PADDING, **common})
        return f"{api}{kind_name}{n}D({', '.join(args)})"
    if kind == "global":
        kind_name = draw(st.sampled_from(["GlobalMaxPooling", "GlobalAveragePooling", "GlobalAvgPool"]))
        args = keyword_args(draw, {"keepdims": st.sampled_from(["True", "False"]), **common})
        return f"{api}{kind_name}{n}D({', '.join(args)})"
    if kind == "dense":
        args = [draw(UNITS), *keyword_args(draw, {"activation": st.just("'softmax'"), "input_dim": UNITS})]
        return f"{api}Dense({', '.join(args)})"
    if kind == "flatten":
        return f"{api}Flatten({', '.join(keyword_args(draw, common))})"
    if kind == "reshape":
        dims = st.one_of(st.sampled_from(["-1", "-1", "0", "-2", "None"]), st.integers(1, 64).map(str),
                         st.sampled_from(["7", "49", "64", "3136", "784"]))
        items = draw(st.lists(dims, min_size=0, max_size=4))
        return f"{api}Reshape(({', '.join(items)}{',' if len(items) == 1 else ''}))"
    if kind == "dropout":
        return f"{api}Dropout({draw(st.sampled_from(['0.5', '0', '1.5', '-1']))})"
    if kind == "batchnorm":
        args = keyword_args(draw, {"axis": st.sampled_from(["-1", "1", "3", "7", "-9", "[1, 2]"])})
        return f"{api}BatchNormalization({', '.join(args)})"
    if kind == "zeropad":
        form = draw(st.sampled_from(["int", "pairs", "spatial"]))
        value = draw(SIZE) if form == "int" else spatial(draw, n) if form == "spatial" else \
            "(" + ", ".join(f"({draw(SIZE)}, {draw(SIZE)})" for _ in range(n)) + ("," if n == 1 else "") + ")"
        return f"{api}ZeroPadding{n}D({value})"
    if kind == "upsample":
        args = [spatial(draw, n), *keyword_args(draw, {**common, "interpolation": st.just("'bilinear'")})]
        return f"{api}UpSampling{n}D({', '.join(args)})"
    if kind == "crop":
        form = draw(st.sampled_from(["int", "pairs", "spatial"]))
        value = draw(SIZE) if form == "int" else spatial(draw, n) if form == "spatial" else \
            "(" + ", ".join(f"({draw(SIZE)}, {draw(SIZE)})" for _ in range(n)) + ("," if n == 1 else "") + ")"
        return f"{api}Cropping{n}D({value})"
    if kind == "activation":
        return f"{api}Activation({draw(st.sampled_from(['relu', 'softmax', 'bogus']).map(repr))})"
    if kind == "permute":
        axes = draw(st.lists(st.integers(0, 4).map(str), min_size=1, max_size=4))
        return f"{api}Permute(({', '.join(axes)},))"
    if kind == "repeat":
        return f"{api}RepeatVector({draw(SIZE)})"
    if kind == "lstm":
        return f"{api}LSTM({draw(UNITS)}, return_sequences={draw(st.sampled_from(['True', 'False']))})"
    return f"{api}TimeDistributed({api}Dense({draw(UNITS)}))"


def keras1_layer(draw: st.DrawFn, api: str, n: int) -> str:
    """A layer in Keras 1 spelling (`Convolution2D(32, 3, 3, border_mode='same')`, `output_dim`, ...)."""
    dim_ordering = st.sampled_from(["'tf'", "'th'", "'default'", "'bogus'"])
    kind = draw(st.sampled_from(["conv", "conv", "atrous", "deconv", "pool", "dense", "dropout"]))
    if kind in ("conv", "atrous"):
        name = f"{'Atrous' if kind == 'atrous' else ''}Convolution{min(n, 2) if kind == 'atrous' else n}D"
        kernel = [draw(SIZE) for _ in range(min(n, 2) if kind == "atrous" else n)]
        args = [draw(FILTERS), *kernel, *keyword_args(draw, {
            "border_mode": PADDING, "subsample": st.one_of(SIZE, st.just(f"({draw(SIZE)}, {draw(SIZE)})")),
            "dim_ordering": dim_ordering, "init": st.just("'glorot_uniform'"), "bias": st.sampled_from(["False"]),
            **({"atrous_rate": SIZE} if kind == "atrous" else {}),
            **({"subsample_length": STRIDE, "filter_length": SIZE} if n == 1 else {})})]
        return f"{api}{name}({', '.join(args)})"
    if kind == "deconv":
        args = [draw(FILTERS), draw(SIZE), draw(SIZE), *keyword_args(draw, {
            "output_shape": st.just(f"(None, {draw(SIZE)}, {draw(SIZE)}, {draw(FILTERS)})"), "border_mode": PADDING,
            "subsample": st.just(f"({draw(STRIDE)}, {draw(STRIDE)})")})]
        return f"{api}Deconvolution2D({', '.join(args)})"
    if kind == "pool":
        args = keyword_args(draw, {"pool_size": st.just(spatial(draw, n)), "border_mode": PADDING,
                                   "dim_ordering": dim_ordering, **({"pool_length": SIZE, "stride": STRIDE}
                                                                    if n == 1 else {})})
        return f"{api}MaxPooling{n}D({', '.join(args)})"
    if kind == "dense":
        return f"{api}Dense(output_dim={draw(UNITS)}, init='uniform')"
    return f"{api}Dropout(p={draw(st.sampled_from(['0.5', '0', '2']))})"


KERAS_HEADERS = [
    # (header, prefix of layers, prefix of Sequential / Model / Input)
    ("import tensorflow as tf\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n", "layers.",
     "keras."),
    ("import keras\nfrom keras import layers\n", "layers.", "keras."),
    ("import tensorflow as tf\n", "tf.keras.layers.", "tf.keras."),
    ("from tensorflow.keras.layers import *\nfrom tensorflow.keras.models import Sequential, Model\n", "", ""),
    ("from keras import layers, models, Input\n", "layers.", "models."),
]
PRELUDE = "from keras import backend as K\nimport numpy as np\n"


def input_shape(draw: st.DrawFn, rank: int = 2) -> str:
    """A Keras input shape (no batch axis): mostly `rank` spatial axes and channels."""
    if draw(st.integers(0, 3)):
        dims = [draw(INPUT_DIM) for _ in range(rank)] + [draw(st.sampled_from(["1", "3", "16", "None"]))]
    else:
        dims = draw(st.lists(INPUT_DIM, min_size=0, max_size=4))
    return "(" + ", ".join(dims) + ("," if len(dims) == 1 else "") + ")"


def _input(models: str) -> str:
    return "Input" if models in ("", "models.") else f"{models}Input"


def _in_function(draw: st.DrawFn, body: list[str], result: str) -> list[str]:
    """The model built at module level, or in a helper function that is called (or not)."""
    if not draw(st.booleans()):
        return body
    lines = ["def build(num_classes=10):", *("    " + line for line in body), f"    return {result}", ""]
    if draw(st.integers(0, 3)):
        lines.append(f"{result} = build()")
    return lines


@st.composite
def keras_sequential_sources(draw: st.DrawFn) -> str:
    header, api, models = draw(st.sampled_from(KERAS_HEADERS))
    rank = draw(st.sampled_from([1, 2, 2, 3]))
    layers = [keras_layer(draw, api, rank) for _ in range(draw(st.integers(1, 8)))]
    first = draw(st.sampled_from(["input", "input_shape", "input_shape", "none", "build"]))
    shape = input_shape(draw, rank)
    if first == "input":
        layers.insert(0, f"{_input(models)}(shape={shape})")
    elif first == "input_shape":
        layers[0] = layers[0][:-1] + (", " if not layers[0].endswith("()") else "") + f"input_shape={shape})"
    form = draw(st.sampled_from(["list", "add", "loop"]))
    if form == "list":
        body = [f"model = {models}Sequential(["] + [f"    {layer}," for layer in layers] + ["])"]
    else:
        body = [f"model = {models}Sequential()"] + [f"model.add({layer})" for layer in layers]
    if form == "loop":  # some layers added in a loop
        at = draw(st.integers(1, len(body) - 1))
        bound = draw(st.sampled_from(["2", "3", "0", "-1", "600", "10**30", "len(filters)"]))
        body[at:at + 1] = ["filters = [16, 32, 64]", f"for i in range({bound}):", "    " + body[at]]
    if first == "build":
        body.append(f"model.build((None,) + {shape})")
    body = _in_function(draw, body, "model")
    if draw(st.booleans()):
        body.append("model.summary()")
    return header + PRELUDE + "\n" + "\n".join(body) + "\n"


@st.composite
def keras_functional_sources(draw: st.DrawFn) -> str:
    header, api, models = draw(st.sampled_from(KERAS_HEADERS))
    rank = draw(st.sampled_from([1, 2, 2, 3]))
    tensors = ["inputs"]
    body = [f"inputs = {_input(models)}(shape={input_shape(draw, rank)})"]
    if draw(st.integers(0, 3)) == 0:
        tensors.append("extra")
        body.append(f"extra = {_input(models)}(shape={input_shape(draw, rank)})")
    for index in range(draw(st.integers(1, 8))):
        name = f"x{index}"
        if draw(st.integers(0, 3)) == 0 and len(tensors) >= 2:
            pair = draw(st.lists(st.sampled_from(tensors), min_size=2, max_size=3))
            merge = draw(st.sampled_from([f"{api}Concatenate(axis={draw(st.sampled_from(['-1', '1', '2', '3', '0', '9']))})",
                                          f"{api}Add()", f"{api}Multiply()", f"{api}Average()", f"{api}Subtract()",
                                          f"{api}Maximum()"]))
            if draw(st.booleans()):
                body.append(f"{name} = {merge}([{', '.join(pair)}])")
            else:
                helper = draw(st.sampled_from(["add", "concatenate", "multiply", "merge"]))
                mode = draw(st.sampled_from(["", ", mode='concat'", ", mode='sum'", ", mode='concat', concat_axis=1"]))
                body.append(f"{name} = {api}{helper}([{', '.join(pair)}]{mode if helper == 'merge' else ''})")
        elif draw(st.integers(0, 5)) == 0 and len(tensors) >= 2:
            op = draw(st.sampled_from(["+", "*", "-"]))
            body.append(f"{name} = {draw(st.sampled_from(tensors))} {op} {draw(st.sampled_from(tensors))}")
        else:
            source = draw(st.sampled_from(tensors[-3:]))
            body.append(f"{name} = {keras_layer(draw, api, rank)}({source})")
        tensors.append(name)
    ins = "[inputs, extra]" if "extra" in tensors else "inputs"
    outs = draw(st.sampled_from([tensors[-1], f"[{tensors[-1]}, {tensors[len(tensors) // 2]}]"]))
    body.append(draw(st.sampled_from([f"model = {models}Model({ins}, {outs})",
                                      f"model = {models}Model(inputs={ins}, outputs={outs})",
                                      f"model = {models}Model(input={ins}, output={outs})"])))
    body = _in_function(draw, body, "model")
    return header + PRELUDE + "\n" + "\n".join(body) + "\n"


TF_HEADERS = [("import tensorflow as tf\n", "tf."), ("import tensorflow.compat.v1 as tf\n", "tf."),
              ("import tensorflow as tf\n", "tf.compat.v1."), ("from tensorflow import nn\nimport tensorflow as tf\n", "tf.")]


@st.composite
def tf_nn_sources(draw: st.DrawFn) -> str:
    header, tf = draw(st.sampled_from(TF_HEADERS))
    dims = [draw(INPUT_DIM) for _ in range(draw(st.sampled_from([2, 3, 4, 4, 4, 5])))]
    channels = dims[-1] if dims[-1] not in ("None",) else "3"
    placeholder = draw(st.sampled_from([f"{tf}placeholder(tf.float32, [{', '.join(dims)}])",
                                        f"{tf}placeholder(tf.float32, shape=({', '.join(dims)},))",
                                        f"tf.zeros([{', '.join(d if d != 'None' else '8' for d in dims)}])"]))
    body = [f"x = {placeholder}"]
    current = "x"
    init = draw(st.sampled_from(["tf.random_normal", "tf.random.normal", "tf.zeros", "tf.truncated_normal",
                                 "np.zeros"]))
    for index in range(draw(st.integers(1, 8))):
        kind = draw(st.sampled_from(["conv", "conv", "pool", "pool", "reshape", "matmul", "relu", "bias", "concat",
                                     "transpose", "squeeze", "expand", "conv1d", "conv3d"]))
        out = f"h{index}"
        strides = draw(st.sampled_from(["[1, 1, 1, 1]", "[1, 2, 2, 1]", "[1, 3, 3, 1]", "2", "[1, 0, 0, 1]",
                                        "[1, -1, -1, 1]", "[1, 2, 1]", "[2, 2]"]))
        padding = draw(PADDING)
        if kind == "conv":
            k, cout = draw(SIZE), draw(FILTERS)
            cin = draw(st.one_of(st.just(channels), SIZE))
            body.append(f"w{index} = tf.Variable({init}([{k}, {k}, {cin}, {cout}]))")
            body.append(f"{out} = tf.nn.conv2d({current}, w{index}, strides={strides}, padding={padding})")
            channels = cout
        elif kind in ("conv1d", "conv3d"):
            n = 1 if kind == "conv1d" else 3
            kernel = ", ".join([draw(SIZE)] * n + [channels, draw(FILTERS)])
            body.append(f"w{index} = tf.Variable({init}([{kernel}]))")
            body.append(f"{out} = tf.nn.{kind}({current}, w{index}, {draw(st.sampled_from(['1', '2', strides]))}, "
                        f"{padding})")
        elif kind == "pool":
            fn = draw(st.sampled_from(["max_pool", "avg_pool", "max_pool2d"]))
            ksize = draw(st.sampled_from(["[1, 2, 2, 1]", "[1, 3, 3, 1]", "2", "[1, 0, 0, 1]", "[1, 2, 2]"]))
            body.append(f"{out} = tf.nn.{fn}({current}, ksize={ksize}, strides={strides}, padding={padding})")
        elif kind == "reshape":
            target = draw(st.lists(st.one_of(st.sampled_from(["-1", "-1", "0", "None"]), st.integers(1, 4096).map(str),
                                             st.sampled_from(["7 * 7 * 64", "1024", "784", "3136"])),
                                   min_size=1, max_size=4))
            body.append(f"{out} = tf.reshape({current}, [{', '.join(target)}])")
        elif kind == "matmul":
            rows, m = draw(st.one_of(st.just(channels), UNITS)), draw(UNITS)
            body.append(f"w{index} = tf.Variable({init}([{rows}, {m}]))")
            body.append(draw(st.sampled_from([f"{out} = tf.matmul({current}, w{index})",
                                              f"{out} = {current} @ w{index}",
                                              f"{out} = tf.matmul({current}, w{index}) + tf.Variable(tf.zeros([{m}]))"])))
            channels = m
        elif kind == "relu":
            body.append(f"{out} = tf.nn.relu({current})")
        elif kind == "bias":
            body.append(f"{out} = tf.nn.bias_add({current}, tf.Variable(tf.zeros([{draw(FILTERS)}])))")
        elif kind == "concat":
            body.append(f"{out} = tf.concat([{current}, {draw(st.sampled_from(['x', current]))}], "
                        f"axis={draw(st.sampled_from(['-1', '0', '1', '3', '7']))})")
        elif kind == "transpose":
            perm = draw(st.permutations(list(range(draw(st.integers(1, 5))))))
            body.append(f"{out} = tf.transpose({current}, perm={list(perm)})")
        elif kind == "squeeze":
            body.append(f"{out} = tf.squeeze({current}, axis={draw(st.sampled_from(['[1]', '[1, 2]', '0', '-1']))})")
        else:
            body.append(f"{out} = tf.expand_dims({current}, {draw(st.sampled_from(['-1', '0', '1', '9']))})")
        current = out
    return header + "import numpy as np\n\n" + "\n".join(_in_function(draw, body, current)) + "\n"


VALUE_ATOMS = st.one_of(
    st.integers(-10, 10).map(str),
    st.sampled_from(["0", "-1", "3", "28", "10**30", "2**64", "-2**63", "1e308", "1e999", "0.5", "-0.0", "'ab'",
                     "'%05d'", "'%s-%s'", "'{}x{}'", "[1, 2]", "(3,)", "[]", "{'k': 4}", "None", "True", "a", "b", "i",
                     "n", "s", "x.shape[1]", "x.get_shape().as_list()[-1]", "len(a)", "tf.shape(x)[0]"]),
)
VALUE_OPS = ["+", "-", "*", "/", "//", "%", "**", "<<", ">>", "&", "|", "^", "@", "==", "<", "and", "or", "if 1 else"]
VALUE_FUNCTIONS = ["int", "float", "str", "len", "abs", "round", "range", "list", "tuple", "min", "max", "sum", "bool",
                   "math.sqrt", "math.ceil", "math.floor", "math.prod", "np.prod", "np.zeros", "sorted", "reversed",
                   "enumerate", "zip", "'{}'.format", "'x'.join", "divmod", "pow", "hash", "ord", "chr", "repr"]
VALUES = st.recursive(
    VALUE_ATOMS,
    lambda inner: st.one_of(
        st.tuples(inner, st.sampled_from(VALUE_OPS), inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(VALUE_FUNCTIONS), st.lists(inner, min_size=1, max_size=2)).map(
            lambda t: f"{t[0]}({', '.join(t[1])})"),
        st.tuples(inner, inner).map(lambda t: f"[{t[0]}, {t[1]}]"),
        st.tuples(inner, inner).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(inner, inner, inner).map(lambda t: f"{t[0]}[{t[1]}:{t[2]}]"),
        inner.map(lambda v: f"-{v}"),
        st.tuples(inner, st.sampled_from(["", "05", "0999999999", ">10", ".3f", "x"])).map(
            lambda t: f"f'{{{t[0]}:{t[1]}}}'" if t[1] else f"f'{{{t[0]}}}'"),
        st.tuples(inner, inner).map(lambda t: f"[{t[0]} for _ in range({t[1]})]"),
    ),
    max_leaves=6,
)
LOOP_BOUNDS = st.one_of(st.integers(0, 70).map(str), st.sampled_from(["-1", "600", "10**30", "n", "len(a)", "a"]))


@st.composite
def python_value_sources(draw: st.DrawFn) -> str:
    """Plain Python arithmetic (constants, loops, builtins) that feeds tensor shapes: the interpreter's
    constant folding on hostile values."""
    lines = ["import math", "import numpy as np", "import tensorflow as tf", "",
             f"x = tf.compat.v1.placeholder(tf.float32, [None, {draw(VALUES)}, 28, 3])"]
    for name in ("a", "b", "n", "s"):
        lines.append(f"{name} = {draw(VALUES)}")
    for _ in range(draw(st.integers(0, 3))):
        target = draw(st.sampled_from(["a", "b", "s"]))
        op = draw(st.sampled_from(["+", "*", "-", "//", "**", "%", "<<"]))
        body = draw(st.sampled_from([f"{target} = {target} {op} {target}", f"{target} {op}= {draw(VALUES)}",
                                     f"{target} = {draw(VALUES)}", f"{target}.append({target})",
                                     f"{target} = [{target}, {target}]", f"{target} = {target} + [{target}]"]))
        if draw(st.booleans()):
            lines += [f"for i in range({draw(LOOP_BOUNDS)}):", f"    {body}"]
        else:
            lines += [f"while {draw(VALUES)}:", f"    {body}", "    break" if draw(st.booleans()) else "    pass"]
    lines += [f"y = tf.reshape(x, [-1, {draw(VALUES)}])",
              f"z = tf.zeros([{draw(VALUES)}, {draw(VALUES)}])",
              f"w = tf.keras.layers.Dense({draw(VALUES)})(tf.keras.layers.Conv2D({draw(VALUES)}, {draw(VALUES)})(x))",
              f"v = tf.matmul(z, tf.Variable(tf.zeros([{draw(VALUES)}, 4])))"]
    return "\n".join(lines) + "\n"


# -- c. consistent renaming --------------------------------------------------------------------
PROTECTED = frozenset(dir(builtins)) | {"self", "cls"}


class _Names(cst.CSTVisitor):
    """Names a module binds, and those that must keep their spelling (imported, class members,
    call keywords, builtins)."""

    def __init__(self) -> None:
        self.bound: set[str] = set()
        self.fixed: set[str] = set()
        self.seen: set[str] = set()

    def _target(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name):
            self.bound.add(node.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self._target(element.value)
        elif isinstance(node, cst.StarredElement):
            self._target(node.value)

    def visit_Name(self, node: cst.Name) -> None:
        self.seen.add(node.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.seen.add(node.attr.value)

    def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
        self._target(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._target(node.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._target(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._target(node.target)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._target(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        self._target(node.name)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._target(node.target)

    def visit_Param(self, node: cst.Param) -> None:
        self.bound.add(node.name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.bound.add(node.name.value)

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.bound.add(node.name.value)
        for statement in node.body.body:  # members are reached as attributes: keep them
            if isinstance(statement, (cst.FunctionDef, cst.ClassDef)):
                self.fixed.add(statement.name.value)
            elif isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    targets = [t.target for t in small.targets] if isinstance(small, cst.Assign) else \
                        [small.target] if isinstance(small, cst.AnnAssign) else []
                    self.fixed |= {t.value for t in targets if isinstance(t, cst.Name)}

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self.fixed.add(node.keyword.value)

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self.fixed.add(_bound_by_import(alias))

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                self.fixed.add(_bound_by_import(alias))

    def renamable(self) -> list[str]:
        return sorted(n for n in self.bound - self.fixed - PROTECTED if not n.startswith("__"))


def _bound_by_import(alias: cst.ImportAlias) -> str:
    if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
        return alias.asname.name.value
    name = alias.name
    while isinstance(name, cst.Attribute):
        name = name.value  # type: ignore[assignment]
    return name.value if isinstance(name, cst.Name) else ""


class _Rename(cst.CSTTransformer):
    """Renames every `Name` in `mapping`, except attribute names, call keywords and imports."""

    def __init__(self, mapping: dict[str, str]) -> None:
        self.mapping = mapping

    def visit_Import(self, node: cst.Import) -> bool:
        return False

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        return False

    def leave_Name(self, original: cst.Name, updated: cst.Name) -> cst.Name:
        return updated.with_changes(value=self.mapping.get(updated.value, updated.value))

    def leave_Attribute(self, original: cst.Attribute, updated: cst.Attribute) -> cst.Attribute:
        return updated.with_changes(attr=original.attr)

    def leave_Arg(self, original: cst.Arg, updated: cst.Arg) -> cst.Arg:
        return updated.with_changes(keyword=original.keyword)


def rename(code: str, mapping: dict[str, str]) -> str:
    return cst.parse_module(code).visit(_Rename(mapping)).code


def _stable_identifier(name: str) -> bool:
    return name.isidentifier() and not keyword.iskeyword(name) and unicodedata.normalize("NFKC", name) == name


NEW_NAMES = st.one_of(
    st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,12}", fullmatch=True),
    st.text(st.characters(categories=("Ll", "Lu", "Lo", "Nd")), min_size=1, max_size=6),
).filter(_stable_identifier)


@st.composite
def renamed(draw: st.DrawFn, paths: Sequence[Path]) -> tuple[str, str, dict[str, str]]:
    """A fixture, and the same fixture with some of its local names consistently renamed."""
    path = draw(st.sampled_from(paths))
    code = path.read_text(encoding="utf-8")
    names = _Names()
    cst.parse_module(code).visit(names)
    taken = names.seen | names.fixed | set(dir(builtins))
    mapping: dict[str, str] = {}
    for old in names.renamable():
        if draw(st.booleans()):
            new = draw(NEW_NAMES.filter(lambda n: n not in taken and not n.startswith("__")))
            taken.add(new)
            mapping[old] = new
    return str(path.relative_to(ROOT)), code, mapping


def findings(result: FileResult) -> set[tuple[str, int]]:
    return {(d.code, d.loc.line) for d in result.diagnostics}


# -- the properties, as the tests and benchmarks/fuzz_campaign.py run them ---------------------------
def mutated_fixture_is_handled(case: tuple[str, str]) -> None:
    check_everything(case[1], case[0])


def mutated_notebook_is_handled(notebook_text: str) -> None:
    check_notebook_everything(notebook_text)


def generated_source_is_handled(code: str) -> None:
    check_everything(code)


def clean_fixture_stays_clean_when_renamed(case: tuple[str, str, dict[str, str]]) -> None:
    path, code, mapping = case
    result = check_everything(rename(code, mapping), path)
    assert result.error is None
    assert [d.code for d in result.diagnostics] == []


def buggy_fixture_keeps_its_findings_when_renamed(case: tuple[str, str, dict[str, str]]) -> None:
    path, code, mapping = case
    before = check_source(code, path, RULES)
    after = check_everything(rename(code, mapping), path)
    assert findings(after) == findings(before)


def _renamed_source(case: tuple[str, str, dict[str, str]]) -> str:
    return f"# renamed: {case[2]!r}\n" + rename(case[1], case[2])


class Property:
    """A strategy, the check every example must pass, and how many examples CI runs."""

    def __init__(self, strategy: st.SearchStrategy[Any], check: Callable[[Any], None], ci_examples: int,
                 source: Callable[[Any], str], suffix: str = ".py") -> None:
        self.strategy, self.check, self.ci_examples = strategy, check, ci_examples
        self.source, self.suffix = source, suffix  # a failing example as a file


PROPERTIES: dict[str, Property] = {
    "mutated_fixture": Property(mutated_fixtures(), mutated_fixture_is_handled, 300, lambda c: c[1]),
    "fixture_with_nul": Property(fixtures_with_nul(), mutated_fixture_is_handled, 60, lambda c: c[1]),
    "mutated_notebook": Property(mutated_notebooks(), mutated_notebook_is_handled, 100, str, ".ipynb"),
    "notebook_json": Property(NOTEBOOK_JSON, mutated_notebook_is_handled, 200, str, ".ipynb"),
    "notebook_matches_script": Property(fixtures_as_notebooks(), notebook_matches_script, 80, lambda c: c[1],
                                        ".ipynb"),
    "keras_sequential": Property(keras_sequential_sources(), generated_source_is_handled, 200, str),
    "keras_functional": Property(keras_functional_sources(), generated_source_is_handled, 200, str),
    "tf_nn_stack": Property(tf_nn_sources(), generated_source_is_handled, 200, str),
    "python_values": Property(python_value_sources(), generated_source_is_handled, 200, str),
    "renamed_clean_fixture": Property(renamed(CLEAN_FIXTURES), clean_fixture_stays_clean_when_renamed, 60,
                                      _renamed_source),
    "renamed_buggy_fixture": Property(renamed(BUGGY_FIXTURES), buggy_fixture_keeps_its_findings_when_renamed, 60,
                                      _renamed_source),
}


def ci_test(name: str) -> Callable[[], None]:
    prop = PROPERTIES[name]
    test: Callable[[], None] = settings(CI, max_examples=prop.ci_examples)(given(prop.strategy)(prop.check))
    return test


test_mutated_fixture_never_crashes_and_reports_valid_output = ci_test("mutated_fixture")
test_fixture_with_a_nul_byte_never_crashes = ci_test("fixture_with_nul")
test_mutated_notebook_never_crashes_and_reports_valid_output = ci_test("mutated_notebook")
test_notebook_of_any_json_never_crashes = ci_test("notebook_json")
test_notebook_cells_have_the_findings_of_the_same_script = ci_test("notebook_matches_script")
test_generated_sequential_model_never_crashes = ci_test("keras_sequential")
test_generated_functional_model_never_crashes = ci_test("keras_functional")
test_generated_tf_nn_stack_never_crashes = ci_test("tf_nn_stack")
test_generated_python_values_never_crash = ci_test("python_values")
test_clean_fixture_stays_clean_when_names_change = ci_test("renamed_clean_fixture")
test_buggy_fixture_keeps_its_findings_when_names_change = ci_test("renamed_buggy_fixture")


def test_renaming_keeps_attributes_keywords_and_imports() -> None:
    code = ("import tensorflow as tf\nfrom keras import layers\n"
            "def block(x, filters):\n    return layers.Conv2D(filters=filters)(x)\n"
            "class M:\n    def call(self, inputs):\n        return inputs\n"
            "y = block(tf.zeros([1, 8, 8, 3]), 4)\n")
    names = _Names()
    cst.parse_module(code).visit(names)
    assert names.renamable() == ["M", "block", "inputs", "x", "y"]
    assert rename(code, {"x": "a", "y": "b", "filters": "c"}).splitlines()[3:4] == [
        "    return layers.Conv2D(filters=c)(a)"]


def test_fixture_sets_are_not_empty() -> None:
    assert len(CLEAN_FIXTURES) >= 3 and len(BUGGY_FIXTURES) >= 5 and NOTEBOOKS


# -- regressions found by the fuzz campaign ------------------------------------------------------
def test_dimension_bounds_beyond_the_float_range_do_not_overflow() -> None:
    # Dim.bounds added an integer beyond the float range to an infinite bound: OverflowError.
    assert (Dim.symbol("b") * 64 - 10**320).bounds() == (64 - 10**320, math.inf)
    assert (Dim.symbol("b").floordiv(3) - 10**400).bounds() == (-(10**400), math.inf)
    assert different(Dim.symbol("b") + 10**320, 0)


def test_reshape_to_a_size_beyond_the_float_range_is_checked() -> None:
    code = ("import numpy as np\nimport tensorflow as tf\n"
            "W = tf.Variable(np.random.randn(1e308 * 20 * 10, 64).astype(np.float32))\n"
            "x = tf.placeholder(tf.float32, [None, 100, 60, 10])\n"
            "kernel = tf.reshape(W, [1e308, 20, 20, 64])\n"
            "local = tf.nn.conv2d(x, kernel, strides=[1, 20, 20, 1], padding='VALID')\n")
    assert [(d.code, d.loc.line) for d in check_everything(code).diagnostics] == [("CNN003", 6)]


@pytest.mark.parametrize("arguments", ["10**30", "0, 10**30", "0, 5, 0", "10**30, 0, -1"])
def test_range_too_long_or_with_a_zero_step_is_unknown(arguments: str) -> None:
    # len(range(10**30)) raised OverflowError, range(0, 5, 0) ValueError.
    code = (f"import tensorflow as tf\nfor i in range({arguments}):\n    pass\n"
            f"v = [0 for _ in range({arguments})]\ny = tf.reshape(tf.zeros([6]), [4, 4])\n")
    assert [d.code for d in check_everything(code).diagnostics] == ["CNN004"]


GROWING = "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32, [None, 3])\n"


@pytest.mark.parametrize("program", [
    "a = 3\nfor i in range(60):\n    a = a * a\n",
    "a = 3\nfor i in range(60):\n    a *= a\n",
    "s = 'ab'\nfor i in range(60):\n    s = s + s\n",
    "s = 'ab'\nfor i in range(60):\n    s += s * 2\n",
    "a = [1]\nfor i in range(60):\n    a = a + a\n",
    "a = [1]\nfor i in range(60):\n    a += a\n",
    "a = [1]\nfor i in range(60):\n    a.extend(a)\n",
    "a = [1]\nfor i in range(60):\n    a = a * 2\n",
    "a = tf.shape(x)[1] + 1\nfor i in range(60):\n    a = a * a\n",
    "a = tf.shape(x)[1] * 2\nfor i in range(60):\n    a = a * a\n",
    "s = '%0999999999d' % 5\nt = '%0999999999d %s' % (5, 'a')\n",
], ids=["int-squared", "int-times-equal", "str-doubled", "str-plus-equal", "list-doubled", "list-plus-equal",
        "list-extended", "list-times", "dim-squared", "dim-coefficient-squared", "format-width"])
def test_values_that_grow_exponentially_become_unknown(program: str) -> None:
    # Each of these took exponential time and memory in the interpreter's constant folding: a hang.
    code = GROWING + program + "y = tf.reshape(tf.zeros([6]), [4, 4])\n"
    assert [d.code for d in check_everything(code, seconds=5).diagnostics] == ["CNN004"]


def test_a_size_too_long_to_print_is_reported_without_crashing() -> None:
    # Dim.render and the JSON report called str() on a number beyond Python's 4300-digit limit.
    code = GROWING + "a = 10**60\nb = " + "*".join(["a"] * 48) + "\ny = tf.reshape(tf.zeros([b, b, b, b, b]), [-1, 7])\n"
    (finding,) = check_everything(code).diagnostics
    assert finding.code == "CNN001" and "= <a 11521-digit number> values per example" in finding.message


def test_internal_error_is_raised_again_with_its_own_traceback(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args: Any) -> Any:
        raise ZeroDivisionError("planted")

    monkeypatch.setitem(BUILTINS, "len", BuiltinV("len", broken))
    code = "import tensorflow as tf\nn = len([1])\n"
    result = check_source(code, "planted.py", RULES)
    assert result.internal
    with pytest.raises(ZeroDivisionError, match="planted"):
        assert_no_internal_error(result, code, "planted.py")


def test_keras1_string_argument_with_a_nul_character_is_read() -> None:
    # keras1._string called SimpleString.evaluated_value (ast.literal_eval), which raises on NUL.
    code = "from keras.layers import Convolution2D\nx = Convolution2D(16, 3, 3, border_mode='\x00same')\n"
    assert [d.code for d in check_everything(code).diagnostics] == ["CNN007"]


def test_integer_literal_over_the_digit_limit_is_unknown() -> None:
    # int(evaluated_value) raised on a literal of more than 4300 digits (Python refuses the file too).
    code = f"import tensorflow as tf\nx = {'9' * 5000}\ny = tf.reshape(tf.zeros([x]), [2, 2])\n"
    assert [d.code for d in check_everything(code).diagnostics] == []


@pytest.mark.parametrize("call", ["model.add(Dense, Dense(3))", "model.add()", "model.build(1, 2, 3)",
                                  "model.summary(1, 2, x=3)", "[].append(1, 2)", "{}.get()"])
def test_method_called_with_the_wrong_arguments_is_unknown(call: str) -> None:
    # A modelled method (Sequential.add, list.append, ...) given arguments it does not take raised TypeError.
    code = ("from keras.models import Sequential\nfrom keras.layers import Dense\nimport tensorflow as tf\n"
            f"model = Sequential()\n{call}\ny = tf.reshape(tf.zeros([6]), [4, 4])\n")
    assert [d.code for d in check_everything(code).diagnostics] == ["CNN004"]


@pytest.mark.parametrize("literal", ['b"a" "b"', 'B"\u2028""doc"""', '"a" rb"b"'])
def test_bytes_and_str_literals_concatenated_are_a_syntax_error(literal: str) -> None:
    # libcst raises CSTValidationError (not ParserSyntaxError) for these; parse() let it escape.
    code = f"{literal}\nimport tensorflow as tf\n"
    assert [(d.code, d.loc.line) for d in check_everything(code).diagnostics] == [("CNN000", 1)]


def _one_cell_notebook(source: str | list[Any]) -> str:
    return json.dumps({"cells": [{"cell_type": "code", "execution_count": None, "metadata": {}, "outputs": [],
                                  "source": source}], "metadata": {}, "nbformat": 4, "nbformat_minor": 5})


@pytest.mark.parametrize("odd", LINE_LIKE)
def test_notebook_cell_is_split_into_lines_as_python_splits_them(odd: str) -> None:
    # notebook.load used str.splitlines, which also breaks at form feeds, U+2028 ...: a string
    # holding one became unterminated (a false CNN000) and every later line number moved.
    code = (f"import tensorflow as tf\ns = 'a{odd}b'  # c{odd}d\n"
            "y = tf.reshape(tf.zeros([6]), [4, 4])\n")
    result = check_notebook_everything(_one_cell_notebook(code))
    assert [(d.code, d.cell, d.loc.line) for d in result.diagnostics] == [("CNN004", 1, 3)]
    assert findings(check_everything(code)) == {("CNN004", 3)}


def test_notebook_fix_lands_after_a_form_feed_in_the_cell() -> None:
    code = "from keras.layers import Convolution2D\n# a\x0cb\nx = Convolution2D(16, 3, 3, border_mode='same')\n"
    book = _one_cell_notebook(code.splitlines(keepends=True))
    result = check_notebook(book, "fix.ipynb", RULES)
    fixed = fix.fix_notebook(book, [d for d in result.diagnostics if d.fix])
    assert fixed.changed
    assert "".join(json.loads(fixed.source)["cells"][0]["source"]) == \
        "from keras.layers import Conv2D\n# a\x0cb\nx = Conv2D(16, (3, 3), padding='same')\n"


@pytest.mark.parametrize("source", [[1, 2], ["import tensorflow as tf\n", None], [["x"]]])
def test_notebook_cell_source_that_is_not_text_is_an_error(source: list[Any]) -> None:
    # "".join(source) raised TypeError outside the runner's containment.
    result = check_notebook_everything(_one_cell_notebook(source))
    assert result.error is not None and "not a valid notebook" in result.error
