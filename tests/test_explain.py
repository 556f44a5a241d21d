"""`cnnlint shapes --explain`: the working behind each size (`Formula`s, declared next to each op's
shape function) ends in the number the shape engine computes, and in Keras's own sizes."""

from __future__ import annotations

import itertools
import json
import re
import textwrap
from collections.abc import Mapping, Sequence
from pathlib import Path

import pytest
from click.testing import CliRunner

from cnnlint.cli import main
from cnnlint.pipeline import dump_result, load_result
from cnnlint.report import text
from cnnlint.report.render import formula_lines
from cnnlint.rules import select_rules
from cnnlint.runner import check_source
from cnnlint.shapes import Dim, Formula, count_params, explain, infer
from tests.conftest import FIXTURES, lint

BATCH = Dim.unknown()


def shape(*sizes: int | str | None) -> tuple[Dim, ...]:
    return tuple(BATCH if s is None else Dim.symbol(s) if isinstance(s, str) else Dim.const(s) for s in sizes)


def last_number(text: str) -> int:
    """The number a working ends in (`... = 3,212,288` -> 3212288)."""
    found = re.findall(r"-?[\d,]+", text.rsplit("=", 1)[-1])
    assert found, text
    return int(found[-1].replace(",", ""))


def check_against_engine(op: str, inputs: Sequence[tuple[Dim, ...]], attrs: Mapping[str, object]) -> list[Formula]:
    """Every working of `op` ends in the size the engine gives on its axis, or (a window that does
    not fit) in a number <= 0; the parameter count in the count of the declaration."""
    result = infer(op, inputs, attrs)
    found = explain(op, inputs, attrs)
    for f in found:
        if f.value is None:
            continue
        assert last_number(f.text) == f.value, f
        if f.axis is None:
            params = count_params(op, inputs, attrs, result.shape)
            assert params is not None and params.value == f.value, (f, params)
        elif result.shape is None:
            assert f.value <= 0 or any(p.kind == "non-positive" for p in result.problems), (f, result)
        else:
            assert result.shape[f.axis].value == f.value, (op, attrs, inputs, f, result.shape)
    return found


WINDOWS = list(itertools.product([1, 2, 5, 7, 28, 29, 300], [1, 2, 3, 5], [1, 2, 3], [1, 2]))


@pytest.mark.parametrize("padding", ["SAME", "VALID", [(1, 1)], [(0, 2)], [(3, 0)]])
def test_every_conv_working_ends_in_the_engines_size(padding: object) -> None:
    checked = 0
    for size, kernel, stride, dilation in WINDOWS:
        attrs = {"rank": 1, "kernel_size": [kernel], "filters": 4, "strides": [stride], "dilations": [dilation],
                 "padding": padding}
        found = check_against_engine("conv", [shape(None, size, 3)], attrs)
        checked += sum(f.axis == 1 for f in found)
    assert checked == len(WINDOWS)


def test_causal_convs_and_2d_3d_windows_end_in_the_engines_size() -> None:
    for size, kernel, stride, dilation in WINDOWS:
        check_against_engine("conv", [shape(None, size, 2)], {"rank": 1, "kernel_size": [kernel], "filters": 4,
                                                             "strides": [stride], "dilations": [dilation],
                                                             "padding": "CAUSAL"})
        check_against_engine("conv", [shape(None, size, size + 1, 3)],
                             {"rank": 2, "kernel_size": [kernel, 1], "filters": 8, "strides": [stride, 1],
                              "dilations": [dilation, 1], "padding": "VALID"})
        check_against_engine("conv", [shape(None, 3, size, size, 1)],
                             {"rank": 3, "kernel_size": [1, kernel, kernel], "filters": 2, "strides": [1, stride, 1],
                              "padding": "SAME"})
        check_against_engine("conv", [shape(None, 3, size, size)],
                             {"rank": 2, "kernel_size": [kernel, kernel], "filters": 2, "strides": [stride, stride],
                              "padding": "VALID", "data_format": "channels_first"})


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_every_pool_and_depthwise_working_ends_in_the_engines_size(padding: str) -> None:
    for size, kernel, stride, dilation in WINDOWS:
        check_against_engine("pool", [shape(None, size, size, 8)],
                             {"rank": 2, "pool_size": [kernel, kernel], "strides": [stride, stride],
                              "padding": padding})
        found = check_against_engine("depthwise_conv", [shape(None, size, size, 8)],
                                     {"rank": 2, "kernel_size": [kernel, kernel], "strides": [stride, stride],
                                      "dilations": [dilation, dilation], "depth_multiplier": 3, "padding": padding})
        assert [f.text for f in found if f.what == "channels"] == ["8 x 3 (depth multiplier) = 24"]


@pytest.mark.parametrize("padding", ["SAME", "VALID"])
def test_every_transposed_conv_working_ends_in_the_engines_size(padding: str) -> None:
    for size, kernel, stride, dilation in WINDOWS:
        for output_padding in [None, *range(stride)]:
            attrs = {"rank": 2, "kernel_size": [kernel, kernel], "filters": 4, "strides": [stride, stride],
                     "dilations": [dilation, dilation], "padding": padding,
                     "output_padding": None if output_padding is None else [output_padding, output_padding]}
            found = check_against_engine("conv_transpose", [shape(None, size, size, 3)], attrs)
            assert sum(f.axis is not None for f in found) == 2


def test_the_seed_000_windows_read_as_the_accepted_answer() -> None:
    same = {"rank": 2, "padding": "SAME", "strides": [2, 2], "pool_size": [2, 2]}
    assert formula_lines(explain("pool", [shape(None, 28, 28, 32)], same)) == \
        ["height and width: SAME: ceil(28 / 2) = 14"]
    assert formula_lines(explain("pool", [shape(None, 14, 14, 64)], same)) == \
        ["height and width: SAME: ceil(14 / 2) = 7"]


def test_valid_and_dilated_windows_show_their_working() -> None:
    valid = explain("conv", [shape(None, 300, 1)], {"rank": 1, "kernel_size": [5], "filters": 111})
    assert [f.text for f in valid] == ["VALID: floor((300 - 5) / 1) + 1 = 296", "5 x 1 x 111 + 111 = 666"]
    dilated = explain("conv", [shape(None, 28, 28, 1)],
                      {"rank": 2, "kernel_size": [3, 3], "filters": 8, "dilations": [2, 2]}, params=False)
    assert dilated[0].text == "kernel 3 dilated by 2: 3 + (3 - 1)(2 - 1) = 5; VALID: floor((28 - 5) / 1) + 1 = 24"
    padded = explain("conv", [shape(None, 28, 28, 1)],
                     {"rank": 2, "kernel_size": [3, 3], "filters": 8, "padding": [(1, 1), (1, 1)], "strides": [2, 2]})
    assert padded[0].text == "padded 28 + 1 + 1 = 30; floor((30 - 3) / 2) + 1 = 14"


def test_a_window_too_wide_shows_where_the_size_goes_to_zero() -> None:
    found = explain("conv", [shape(None, 2, 2, 1)], {"rank": 2, "kernel_size": [3, 3], "filters": 8}, params=False)
    assert formula_lines(found) == ["height and width: VALID: floor((2 - 3) / 1) + 1 = 0"]


def test_transposed_convs_show_their_working() -> None:
    attrs: dict[str, object] = {"rank": 2, "kernel_size": [3, 3], "filters": 8, "strides": [2, 2]}
    same = explain("conv_transpose", [shape(None, 14, 14, 8)], {**attrs, "padding": "SAME"}, params=False)
    assert same[0].text == "SAME: 14 x 2 = 28"
    valid = explain("conv_transpose", [shape(None, 14, 14, 8)], {**attrs, "padding": "VALID"}, params=False)
    assert valid[0].text == "VALID: 14 x 2 + max(3 - 2, 0) = 29"
    padded = explain("conv_transpose", [shape(None, 14, 14, 8)],
                     {**attrs, "padding": "SAME", "output_padding": [1, 1]}, params=False)
    assert padded[0].text == "SAME with output_padding 1: (14 - 1) x 2 + 3 - 2 x 1 + 1 = 28"


def test_flatten_dense_and_conv_params_show_their_working() -> None:
    assert [f.text for f in check_against_engine("flatten", [shape(None, 7, 7, 64)], {})] == ["7 x 7 x 64 = 3136"]
    dense = check_against_engine("dense", [shape(None, 3136)], {"units": 1024})
    assert [f.text for f in dense] == ["3136 x 1024 + 1024 = 3,212,288"]
    conv = check_against_engine("conv", [shape(None, 28, 28, 1)],
                                {"rank": 2, "kernel_size": [3, 3], "filters": 32, "padding": "SAME"})
    assert conv[-1].text == "3 x 3 x 1 x 32 + 32 = 320"
    grouped = check_against_engine("conv", [shape(None, 28, 28, 8)],
                                   {"rank": 2, "kernel_size": [3, 3], "filters": 4, "groups": 2, "use_bias": False})
    assert grouped[-1].text == "3 x 3 x 4 x 4 = 144"
    separable = check_against_engine("conv", [shape(None, 28, 28, 8)],
                                     {"rank": 2, "kernel_size": [3, 3], "filters": 16, "separable": 1})
    assert separable[-1].text == "3 x 3 x 8 x 1 + 8 x 1 x 16 + 16 = 216"
    lstm = check_against_engine("rnn", [shape(None, 20, 100)], {"units": 64, "gates": 4})
    assert lstm[-1].text == "4 gates x (100 x 64 + 64 x 64 + 64) = 42,240"
    check_against_engine("embedding", [shape(None, 20)], {"input_dim": 10000, "output_dim": 64})


def test_reshape_shows_the_size_a_minus_one_stands_for() -> None:
    minus_one = Dim.const(-1)
    rows = check_against_engine("reshape", [shape(55000, 784)],
                                {"shape": [minus_one, Dim.const(28), Dim.const(28), Dim.const(1)]})
    assert [f.text for f in rows] == ["-1 = (55000 x 784) / (28 x 28 x 1) = 55000"]
    batch = explain("reshape", [shape(None, 7, 7, 64)], {"shape": [minus_one, Dim.const(3136)]})
    assert [f.text for f in batch] == ["-1 = (None x 7 x 7 x 64) / 3136 = None"]
    keras = check_against_engine("reshape", [shape(None, 7, 7, 64)],
                                 {"shape": [None, minus_one, Dim.const(64)], "keep_batch": True})
    assert [f.text for f in keras] == ["-1 = (7 x 7 x 64) / 64 = 49"]


def test_padding_cropping_upsampling_concat_and_matmul_show_their_working() -> None:
    padded = check_against_engine("pad", [shape(None, 28, 28, 3)], {"paddings": [(0, 0), (2, 2), (1, 1), (0, 0)]})
    assert [f.text for f in padded] == ["padded 28 + 2 + 2 = 32", "padded 28 + 1 + 1 = 30"]
    cropped = check_against_engine("crop", [shape(None, 28, 28, 3)], {"cropping": [(2, 2), (0, 1)]})
    assert formula_lines(cropped) == ["height: cropped 28 - 2 - 2 = 24", "width: cropped 28 - 0 - 1 = 27"]
    up = check_against_engine("upsample", [shape(None, 7, 7, 3)], {"size": [2, 2]})
    assert formula_lines(up) == ["height and width: 7 x 2 = 14"]
    joined = check_against_engine("concat", [shape(None, 7, 7, 32), shape(None, 7, 7, 64)], {"axis": -1})
    assert formula_lines(joined) == ["axis 3: 32 + 64 = 96"]
    product = check_against_engine("matmul", [shape(None, 3136), shape(3136, 1024)], {})
    assert [f.text for f in product] == ["(None x 3136) @ (3136 x 1024) = None x 1024"]


def test_symbolic_sizes_print_by_name_and_never_crash() -> None:
    found = explain("conv", [shape(None, "h", "w", 3)], {"rank": 2, "kernel_size": [3, 3], "filters": 8,
                                                         "strides": [2, 2], "padding": "VALID"})
    assert found[0].text.startswith("VALID: floor((h - 3) / 2) + 1 = ") and found[0].value is None
    assert found[-1].text == "3 x 3 x 3 x 8 + 8 = 224"
    same = explain("pool", [shape(None, "h", None, 3)], {"rank": 2, "pool_size": [2, 2], "strides": [2, 2],
                                                         "padding": "SAME"})
    assert [f.text.split(" = ")[0] for f in same] == ["SAME: ceil(h / 2)", "SAME: ceil(? / 2)"]
    flat = explain("flatten", [shape(None, "h", 4, 8)], {})
    assert flat[0].text == "h x 4 x 8 = 32*h"
    for op, attrs in [("conv", {"rank": 2}), ("pool", {"rank": 2}), ("reshape", {"shape": None}),
                      ("dense", {}), ("conv_transpose", {"rank": 2, "kernel_size": [3, 3]})]:
        assert explain(op, [None], attrs) == [] or op == "dense"


def test_an_op_without_a_formula_has_no_working() -> None:
    assert explain("identity", [shape(None, 4)], {}) == []


# -- through the command line ----------------------------------------------------------------------
def shapes(*args: str) -> str:
    result = CliRunner().invoke(main, ["shapes", *args])
    assert result.exit_code == 0, result.output
    return result.output


def test_shapes_explain_walks_seed_000_from_28_to_7() -> None:
    out = shapes("--explain", str(FIXTURES / "seeds" / "mnist_tf1_clean.py"))
    lines = [line.strip() for line in out.splitlines()]
    pools = [line for line in lines if line.startswith("height and width: SAME: ceil(") and "/ 2)" in line]
    assert pools == ["height and width: SAME: ceil(28 / 2) = 14", "height and width: SAME: ceil(14 / 2) = 7"]
    assert "axis 0: -1 = (None x 7 x 7 x 64) / 3136 = None" in lines
    relu = lines.index(next(line for line in lines if "tf.nn.relu" in line))
    assert not lines[relu + 1].startswith(("height", "axis", "params")), "relu has no formula"


def test_shapes_without_explain_prints_no_working() -> None:
    out = shapes(str(FIXTURES / "seeds" / "mnist_tf1_clean.py"))
    assert "ceil(" not in out


def test_keras_rows_show_the_parameter_arithmetic() -> None:
    out = shapes("--explain", str(FIXTURES / "seeds" / "conv1d_modern_seed002.py"))
    assert "length: VALID: floor((300 - 5) / 1) + 1 = 296" in out
    assert re.search(r"params: 5 x \d+ x 111 \+ 111 = [\d,]+", out), out


JSON_FIXTURES = ["seeds/mnist_tf1_clean.py", "seeds/conv1d_modern_seed002.py", "seeds/fc_as_conv_keras.py",
                 "seeds/conv40_128x128.py", "keras"]


@pytest.mark.parametrize("path", JSON_FIXTURES)
def test_every_json_working_ends_in_the_rows_size(path: str) -> None:
    report = json.loads(shapes("--explain", "--format", "json", str(FIXTURES / path)))
    checked = 0
    for model in report["models"]:
        for layer in model["layers"]:
            for f in layer["explain"]:
                if f["value"] is None:
                    continue
                assert last_number(f["text"]) == f["value"], f
                if f["axis"] is None:
                    assert layer["params"] == f["value"], (layer, f)
                elif layer["output"] is not None:
                    assert layer["output"][f["axis"]] == f["value"], (layer, f)
                checked += 1
    assert checked > 0


def test_json_has_no_explain_without_the_flag() -> None:
    report = json.loads(shapes("--format", "json", str(FIXTURES / "seeds" / "mnist_tf1_clean.py")))
    assert all("explain" not in layer for model in report["models"] for layer in model["layers"])


# -- against Keras itself ----------------------------------------------------------------------------
KERAS_CASES: list[tuple[str, tuple[int, ...], str, dict[str, object]]] = [
    ("Conv2D(32, 5, padding='same', strides=2)", (28, 28, 1), "conv",
     {"rank": 2, "kernel_size": [5, 5], "filters": 32, "padding": "SAME", "strides": [2, 2]}),
    ("Conv1D(111, 5)", (300, 1), "conv", {"rank": 1, "kernel_size": [5], "filters": 111}),
    ("Conv2D(8, 3, dilation_rate=2)", (29, 31, 3), "conv",
     {"rank": 2, "kernel_size": [3, 3], "filters": 8, "dilations": [2, 2]}),
    ("MaxPooling2D(3, strides=2)", (29, 30, 4), "pool", {"rank": 2, "pool_size": [3, 3], "strides": [2, 2]}),
    ("Conv2DTranspose(4, 3, strides=2, padding='valid')", (7, 9, 3), "conv_transpose",
     {"rank": 2, "kernel_size": [3, 3], "filters": 4, "strides": [2, 2], "padding": "VALID"}),
    ("Conv2DTranspose(4, 3, strides=2, padding='same', output_padding=1)", (7, 9, 3), "conv_transpose",
     {"rank": 2, "kernel_size": [3, 3], "filters": 4, "strides": [2, 2], "padding": "SAME", "output_padding": [1, 1]}),
    ("DepthwiseConv2D(3, depth_multiplier=2)", (10, 12, 5), "depthwise_conv",
     {"rank": 2, "kernel_size": [3, 3], "depth_multiplier": 2}),
    ("Dense(1024)", (3136,), "dense", {"units": 1024}),
    ("Flatten()", (7, 7, 64), "flatten", {}),
]


@pytest.mark.tensorflow
@pytest.mark.parametrize(("layer", "input_shape", "op", "attrs"), KERAS_CASES, ids=[c[0] for c in KERAS_CASES])
def test_workings_end_in_the_sizes_keras_builds(layer: str, input_shape: tuple[int, ...], op: str,
                                                attrs: dict[str, object]) -> None:
    keras = pytest.importorskip("keras")
    built = eval(f"keras.layers.{layer}", {"keras": keras})  # the test's own layer text
    out = built.compute_output_shape((None, *input_shape))
    built.build((None, *input_shape))
    found = explain(op, [shape(None, *input_shape)], attrs)
    assert found
    for f in found:
        if f.axis is None:
            assert f.value == built.count_params(), (f, built.count_params())
        else:
            assert f.value == out[f.axis], (f, out)


# -- the failing step of a finding's trace -------------------------------------------------------------
WINDOW_TOO_WIDE = """
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([
    keras.Input(shape=(6, 6, 1)),
    layers.Conv2D(16, 3),
    layers.MaxPooling2D(2),
    layers.Conv2D(32, 3),
])
"""


def test_the_failing_step_of_a_trace_carries_its_working() -> None:
    (finding,) = lint(WINDOW_TOO_WIDE, "CNN005")
    *before, failing = finding.trace
    assert failing.explain == ("height and width: VALID: floor((2 - 3) / 1) + 1 = 0",)
    assert all(step.explain == () for step in before)


def test_the_text_report_shows_the_working_under_the_failing_step() -> None:
    (finding,) = lint(WINDOW_TOO_WIDE, "CNN005")
    lines = text.trace_lines(finding.trace)
    fails = next(i for i, line in enumerate(lines) if "<- fails here" in line)
    assert lines[fails + 1].strip() == "Conv2D height and width: VALID: floor((2 - 3) / 1) + 1 = 0"
    assert "(None, 6, 6, 1)" in "\n".join(lines), "the batch axis is written None, as in the tables"


def test_a_cached_result_keeps_the_working() -> None:
    result = check_source(textwrap.dedent(WINDOW_TOO_WIDE), "snippet.py", select_rules(["CNN005"]))
    again = load_result("snippet.py", json.loads(json.dumps(dump_result(result))))
    assert again.diagnostics[0].trace == result.diagnostics[0].trace
    assert again.diagnostics[0].trace[-1].explain


def test_a_reshape_that_cuts_examples_apart_says_so_on_its_step() -> None:
    found = explain("reshape", [shape(None, 4, 4, 64)], {"shape": [Dim.const(-1), Dim.const(3136)]})
    assert [f.text for f in found] == [
        "-1 = (None x 4 x 4 x 64) / 3136: rows of 3136 values cut examples of 4 x 4 x 64 = 1024 values apart"]
    inner = explain("matmul", [shape(None, 3136), shape(1024, 10)], {})
    assert inner[0].text.endswith("the inner sizes 3136 and 1024 must be equal") and inner[0].value is None


# -- the one-line summary and the helper calls of a trace -----------------------------------------------
BLOCKS = """
from tensorflow import keras
from tensorflow.keras import layers


def block(x, filters):
    x = layers.Conv2D(filters, 3)(x)
    x = layers.MaxPooling2D(2)(x)
    return x


inputs = keras.Input(shape=(20, 20, 3))
x = block(inputs, 32)
x = block(x, 64)
x = block(x, 128)
model = keras.Model(inputs, x)
"""


def test_trace_steps_of_a_helper_called_more_than_once_say_which_call() -> None:
    (finding,) = lint(BLOCKS, "CNN005")
    calls = [(s.line, s.call) for s in finding.trace]
    assert calls == [(12, ""), (7, "block(inputs, 32) at line 13"), (8, "block(inputs, 32) at line 13"),
                     (7, "block(x, 64) at line 14"), (8, "block(x, 64) at line 14"),
                     (7, "block(x, 128) at line 15"), (8, "block(x, 128) at line 15")]
    lines = text.trace_lines(finding.trace)
    assert lines[-2].endswith("<- fails here       in block(x, 128) at line 15")


def test_a_helper_called_once_is_not_named() -> None:
    once = BLOCKS.replace("x = block(x, 64)\nx = block(x, 128)\n", "")
    code = once.replace("layers.MaxPooling2D(2)(x)", "layers.MaxPooling2D(32)(x)")
    (finding,) = lint(code, "CNN005")
    assert all(s.call == "" for s in finding.trace)


def test_the_summary_keeps_a_first_axis_that_is_no_batch() -> None:
    from cnnlint.findings import TraceStep

    data = (TraceStep(4, "randn", (4000, 64)), TraceStep(6, "reshape", (4000, 8, 8)))
    assert text.shape_path(data) == "4000x64 -> reshape 4000x8x8"
    labels = (TraceStep(4, "randint", (4000,)), TraceStep(6, "reshape", None))
    assert text.shape_path(labels) == "4000 -> reshape"
    batch = (TraceStep(4, "placeholder", (None, 784)), TraceStep(6, "reshape", None))
    assert text.shape_path(batch) == "784 -> reshape"


def test_a_notebooks_helper_calls_are_named_by_cell_and_line(tmp_path: Path) -> None:
    first, second = BLOCKS.split("inputs = ")
    cells = [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None, "source": source}
             for source in (first.strip() + "\n", "inputs = " + second.strip() + "\n")]
    notebook = tmp_path / "blocks.ipynb"
    notebook.write_text(json.dumps({"cells": cells, "metadata": {}, "nbformat": 4, "nbformat_minor": 5}))
    result = CliRunner().invoke(main, ["check", "--no-cache", "--select", "CNN005", str(notebook)])
    assert "in block(x, 128) at cell 2, line 4" in result.output, result.output


def test_json_trace_steps_carry_the_working_and_the_call() -> None:
    from cnnlint.report import json_format

    (finding,) = lint(BLOCKS, "CNN005")
    steps = json_format.diagnostic_json(finding)["trace"]
    assert steps[-1]["explain"] == ["height and width: VALID: floor((1 - 2) / 2) + 1 = 0"]
    assert steps[-1]["call"] == "block(x, 128) at line 15"
    assert "explain" not in steps[0] and "call" not in steps[0]
