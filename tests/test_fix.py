"""Automatic fixes (`cnnlint.fix`, the `fix` of CNN001 and CNN007): exact rewrites, refusals, safety."""

from __future__ import annotations

import json
import os
import stat
import textwrap
from pathlib import Path

import pytest

from cnnlint import fix
from cnnlint.ir import Loc
from cnnlint.report.json_format import fix_json
from cnnlint.rules import ALL_RULES, Diagnostic, select_rules
from cnnlint.rules.base import Fix, make_fix
from cnnlint.runner import FileResult, check_notebook, check_source
from tests.conftest import FIXTURES

CASES = Path(__file__).resolve().parent / "fix_cases"
RULES = select_rules(["CNN"])


def check(code: str, path: str = "snippet.py") -> FileResult:
    return check_source(code, path, RULES)


def fixed(code: str) -> str:
    """The code after one pass of every fix cnnlint offers."""
    code = textwrap.dedent(code)
    result = fix.apply_fixes(code, check(code).diagnostics)
    assert result.error is None
    return result.source


def fix_until_stable(text: str, path: str) -> str:
    """Check and fix until no fix applies, as `--fix` does."""
    notebook = path.endswith(".ipynb")
    for _ in range(10):
        result = (check_notebook if notebook else check_source)(text, path, RULES)
        fixable = [d for d in result.diagnostics if d.fix]
        step = fix.fix_notebook(text, fixable) if notebook else fix.apply_fixes(text, fixable)
        if not step.applied:
            return text
        text = step.source
    raise AssertionError("fixes did not converge")


def fixes(code: str, rule: str) -> list[Fix | None]:
    return [d.fix for d in check(textwrap.dedent(code)).diagnostics if d.code == rule]


# -- CNN007 legacy-keras-api -----------------------------------------------------------------
def test_cnn007_folds_the_kernel_renames_the_class_and_its_import() -> None:
    before = """\
        from keras.layers import Convolution2D, Dense
        from keras.models import Sequential

        model = Sequential()
        model.add(Convolution2D(32, 3, 3, border_mode='same', input_shape=(28, 28, 1)))
        """
    assert fixed(before) == textwrap.dedent("""\
        from keras.layers import Conv2D, Dense
        from keras.models import Sequential

        model = Sequential()
        model.add(Conv2D(32, (3, 3), padding='same', input_shape=(28, 28, 1)))
        """)


def test_cnn007_keeps_comments_line_breaks_and_quotes() -> None:
    before = """\
        from keras import layers

        conv = layers.Convolution2D(nb_filter=64, nb_row=3, nb_col=3,  # 3x3 kernel
                                    subsample=(2, 2),   # halve the map
                                    dim_ordering="th")
        """
    assert fixed(before) == textwrap.dedent("""\
        from keras import layers

        conv = layers.Conv2D(filters=64, kernel_size=(3, 3),  # 3x3 kernel
                                    strides=(2, 2),   # halve the map
                                    data_format="channels_first")
        """)


def test_cnn007_keeps_the_module_prefix() -> None:
    before = """\
        import keras

        conv = keras.layers.Convolution1D(nb_filter=111, filter_length=5, border_mode="valid", subsample_length=1)
        """
    assert fixed(before) == textwrap.dedent("""\
        import keras

        conv = keras.layers.Conv1D(filters=111, kernel_size=5, padding="valid", strides=1)
        """)


def test_cnn007_fixed_call_is_the_spelling_the_message_gives() -> None:
    code = "from keras.layers import Convolution1D\nc = Convolution1D(nb_filter=111, filter_length=5, border_mode='valid')\n"
    (diagnostic,) = check(code).diagnostics
    call = fix.apply_fixes(code, [diagnostic]).source.splitlines()[1].removeprefix("c = ")
    assert call == diagnostic.extra.modern


def test_cnn007_renames_dense_keywords() -> None:
    before = "from keras.layers import Dense\nfc = Dense(output_dim=10, init='uniform', activation='relu')\n"
    assert fixed(before) == \
        "from keras.layers import Dense\nfc = Dense(units=10, kernel_initializer='uniform', activation='relu')\n"


def test_cnn007_gives_positional_arguments_that_moved_their_keyword() -> None:
    before = "from keras.layers import Convolution2D\nc = Convolution2D(8, 5, 5, 'he_normal', 'relu')\n"
    assert fixed(before) == \
        "from keras.layers import Conv2D\nc = Conv2D(8, (5, 5), kernel_initializer='he_normal', activation='relu')\n"


def test_cnn007_renames_nb_epoch_and_model_inputs_outputs() -> None:
    before = """\
        from keras.layers import Dense, Input
        from keras.models import Model

        a = Input((10,))
        model = Model(input=a, output=Dense(2)(a))
        model.fit(x, y, batch_size=32, nb_epoch=10)
        """
    assert fixed(before) == textwrap.dedent("""\
        from keras.layers import Dense, Input
        from keras.models import Model

        a = Input((10,))
        model = Model(inputs=a, outputs=Dense(2)(a))
        model.fit(x, y, batch_size=32, epochs=10)
        """)


def test_cnn007_drops_the_output_shape_keras_2_computes() -> None:
    before = ("from keras import layers\n"
              "up = layers.Deconvolution2D(3, 3, 3, output_shape=(None, 3, 14, 14), subsample=(2, 2))\n")
    assert fixed(before) == "from keras import layers\nup = layers.Conv2DTranspose(3, (3, 3), strides=(2, 2))\n"


def test_cnn007_renames_every_use_of_an_imported_class() -> None:
    before = """\
        from keras.layers import Convolution2D

        first = Convolution2D(32, 3, 3, border_mode='same')
        second = Convolution2D(64, 3, 3, border_mode='valid')
        is_conv = isinstance(first, Convolution2D)
        """
    assert fixed(before) == textwrap.dedent("""\
        from keras.layers import Conv2D

        first = Conv2D(32, (3, 3), padding='same')
        second = Conv2D(64, (3, 3), padding='valid')
        is_conv = isinstance(first, Conv2D)
        """)


def test_cnn007_each_fix_alone_leaves_a_working_import() -> None:
    code = textwrap.dedent("""\
        from keras.layers import Convolution2D

        first = Convolution2D(32, 3, 3, border_mode='same')
        second = Convolution2D(64, 3, 3, border_mode='valid')
        """)
    _, second = check(code).diagnostics
    after = fix.apply_fixes(code, [second]).source
    assert after == textwrap.dedent("""\
        from keras.layers import Conv2D

        first = Conv2D(32, 3, 3, border_mode='same')
        second = Conv2D(64, (3, 3), padding='valid')
        """)
    assert fix_until_stable(after, "snippet.py") == fixed(code)


def test_cnn007_aliased_import_changes_only_the_imported_name() -> None:
    before = "from keras.layers import Convolution2D as C2\nc = C2(16, 3, 3, border_mode='same')\n"
    assert fixed(before) == "from keras.layers import Conv2D as C2\nc = C2(16, (3, 3), padding='same')\n"


def test_cnn007_keeps_the_old_name_when_the_new_one_is_taken() -> None:
    before = """\
        from keras.layers import Convolution2D
        from mylib import Conv2D

        c = Convolution2D(16, 3, 3, border_mode='same')
        """
    assert fixed(before) == textwrap.dedent("""\
        from keras.layers import Convolution2D
        from mylib import Conv2D

        c = Convolution2D(16, (3, 3), padding='same')
        """)


@pytest.mark.parametrize("code", [
    "from keras.layers import merge\nm = merge([a, b], mode='concat', concat_axis=1)\n",
    "from keras.layers import Merge\nm = Merge([left, right], mode='concat')\n",
    "from keras.layers import Convolution2D\nORDER = 'th'\nc = Convolution2D(8, 3, 3, dim_ordering=ORDER)\n",
    "from keras.layers import Convolution2D\nc = Convolution2D(8, 3, 3, border_mode='full')\n",
    "from keras.layers import Dense\nfrom keras.models import Sequential\nmodel = Sequential([Dense(2, input_dim=3)])\n"
    "model.fit_generator(gen, samples_per_epoch=1000, nb_epoch=2)\n",
    "from keras.layers import Convolution2D\nargs = [8, 3, 3]\nc = Convolution2D(*args, border_mode='same')\n",
], ids=["merge", "Merge", "dim_ordering-variable", "border_mode-full", "samples_per_epoch", "star-args"])
def test_cnn007_no_fix_where_the_meaning_is_not_certain(code: str) -> None:
    found = fixes(code, "CNN007")
    assert found and all(f is None for f in found)


def test_cnn007_no_fix_for_a_removed_class_used_where_it_cannot_be_rewritten() -> None:
    code = """\
        from keras.layers import AtrousConvolution2D

        c = AtrousConvolution2D(8, 3, 3, atrous_rate=(2, 2))
        kinds = [AtrousConvolution2D]
        """
    assert fixes(code, "CNN007") == [None]


# -- CNN001 flatten-size-mismatch ------------------------------------------------------------
def test_cnn001_fixes_the_flatten_size_and_the_weight_it_feeds() -> None:
    path = FIXTURES / "seeds" / "mnist_tf1_flatten_4x4.py"
    code = path.read_text(encoding="utf-8")
    after = fixed(code)
    assert after == code.replace("tf.reshape(conv2, [-1, 4*4*64])", "tf.reshape(conv2, [-1, 7*7*64])").replace(
        "'wd1': tf.Variable(tf.random_normal([4*4*64, 1024]))", "'wd1': tf.Variable(tf.random_normal([7*7*64, 1024]))")
    assert "# fully connected, 7*7*64 inputs, 1024 outputs" in after  # comments are not edited
    assert check(after).diagnostics == []


def test_cnn001_fix_follows_valid_padding_to_4x4() -> None:
    code = (FIXTURES / "seeds" / "mnist_tf1_valid_7x7.py").read_text(encoding="utf-8")
    after = fixed(code)
    assert "tf.reshape(conv2, [-1, 4*4*64])" in after and "tf.random_normal([4*4*64, 1024])" in after
    assert [d.code for d in check(after).diagnostics] == []


SIMPLE = textwrap.dedent("""\
    import tensorflow as tf
    x = tf.placeholder(tf.float32, [None, 28, 28, 1])
    w = tf.Variable(tf.random_normal([5, 5, 1, 32]))
    h = tf.nn.max_pool(tf.nn.conv2d(x, w, [1, 1, 1, 1], "SAME"), [1, 2, 2, 1], [1, 2, 2, 1], "SAME")
    """)


def test_cnn001_keeps_the_spacing_of_a_product() -> None:
    before = SIMPLE + "flat = tf.reshape(h, [-1, 7 * 7 * 32])  # 2 pools\n"
    assert fixed(before) == SIMPLE + "flat = tf.reshape(h, [-1, 14 * 14 * 32])  # 2 pools\n"


def test_cnn001_writes_a_plain_number_for_a_plain_number() -> None:
    before = SIMPLE + "W = tf.Variable(tf.random_normal([14 * 14 * 32, 10]))\nflat = tf.reshape(h, (-1, 1024))\n" \
                      "y = tf.matmul(flat, W)\n"
    assert fixed(before) == SIMPLE + \
        "W = tf.Variable(tf.random_normal([14 * 14 * 32, 10]))\nflat = tf.reshape(h, (-1, 6272))\ny = tf.matmul(flat, W)\n"
    assert check(fixed(before)).diagnostics == []


def test_cnn001_product_of_another_length_becomes_a_number() -> None:
    before = SIMPLE + "flat = tf.reshape(h, [-1, 49 * 32])\n"
    assert fixed(before).endswith("flat = tf.reshape(h, [-1, 6272])\n")


def test_cnn001_no_fix_when_the_size_is_computed() -> None:
    code = (FIXTURES / "seeds" / "mnist_tf1_wd1_4x4.py").read_text(encoding="utf-8")
    assert fixes(code, "CNN001") == [None]


def test_cnn001_no_fix_when_the_size_is_a_variable() -> None:
    code = SIMPLE + "n_flat = 7 * 7 * 32\nflat = tf.reshape(h, [-1, n_flat])\n"
    assert fixes(code, "CNN001") == [None]


def test_cnn001_no_fix_when_the_weight_size_is_written_elsewhere() -> None:
    # The weight's size passes through a helper's parameter: fixing the reshape alone would
    # only move the error to the matmul, so neither is fixed.
    code = SIMPLE + textwrap.dedent("""\
        def weight_variable(shape):
            return tf.Variable(tf.truncated_normal(shape, stddev=0.1))

        W_fc1 = weight_variable([7 * 7 * 32, 1024])
        flat = tf.reshape(h, [-1, 7 * 7 * 32])
        fc = tf.matmul(flat, W_fc1)
        """)
    assert fixes(code, "CNN001") == [None]


def test_cnn001_no_fix_when_the_weight_size_is_a_variable() -> None:
    code = SIMPLE + "n = 7 * 7 * 32\nW = tf.Variable(tf.zeros([n, 10]))\nflat = tf.reshape(h, [-1, 7 * 7 * 32])\n" \
                    "y = tf.matmul(flat, W)\n"
    assert fixes(code, "CNN001") == [None]


def test_cnn001_no_fix_when_the_weight_matches_neither_size() -> None:
    code = SIMPLE + "W = tf.Variable(tf.zeros([5 * 5 * 32, 10]))\nflat = tf.reshape(h, [-1, 7 * 7 * 32])\n" \
                    "y = tf.matmul(flat, W)\n"
    assert fixes(code, "CNN001") == [None]


def test_cnn001_no_fix_when_the_weight_is_shared_with_other_rows() -> None:
    code = SIMPLE + textwrap.dedent("""\
        other = tf.placeholder(tf.float32, [None, 7 * 7 * 32])
        W = tf.Variable(tf.zeros([7 * 7 * 32, 10]))
        flat = tf.reshape(h, [-1, 7 * 7 * 32])
        y = tf.matmul(flat, W)
        z = tf.matmul(other, W)
        """)
    assert fixes(code, "CNN001") == [None]


def test_cnn001_no_fix_when_the_rows_are_reshaped_again() -> None:
    code = SIMPLE + "flat = tf.reshape(h, [-1, 7*7*32])\nback = tf.reshape(flat, [-1, 7, 7, 32])\n"
    assert fixes(code, "CNN001") == [None]


def test_cnn001_no_fix_when_the_reshape_runs_on_maps_of_different_sizes() -> None:
    code = """\
        import tensorflow as tf

        def head(features):
            return tf.reshape(features, [-1, 1024])

        a = head(tf.placeholder(tf.float32, [None, 7, 7, 64]))
        b = head(tf.placeholder(tf.float32, [None, 4, 4, 32]))
        """
    assert fixes(code, "CNN001") == [None, None]


# -- apply_fixes ----------------------------------------------------------------------------
def diagnostic(line: int, *edits: tuple[Loc, str], code: str = "CNN007") -> Diagnostic:
    return Diagnostic(code, "test", "error", "snippet.py", Loc(line, 1, line, 1), "test",
                      fix=make_fix("test fix", edits))


def test_overlapping_fixes_are_left_for_the_next_pass() -> None:
    source = "abcdef\n"
    first = diagnostic(1, (Loc(1, 2, 1, 5), "X"))
    second = diagnostic(1, (Loc(1, 4, 1, 6), "Y"))
    result = fix.apply_fixes(source, [second, first])
    assert (result.source, result.applied, result.skipped) == ("aXef\n", [first], [second])


def test_identical_edits_of_several_fixes_are_applied_once() -> None:
    shared = (Loc(1, 1, 1, 2), "A")
    first = diagnostic(1, shared, (Loc(2, 1, 2, 2), "B"))
    second = diagnostic(1, shared, (Loc(3, 1, 3, 2), "C"))
    result = fix.apply_fixes("a\nb\nc\n", [first, second])
    assert result.source == "A\nB\nC\n" and result.skipped == []


def test_fix_that_would_not_compile_applies_nothing() -> None:
    source = "x = f(1)\ny = 2\n"
    good = diagnostic(2, (Loc(2, 5, 2, 6), "3"))
    broken = diagnostic(1, (Loc(1, 6, 1, 6), "("))
    result = fix.apply_fixes(source, [good, broken])
    assert result.source == source and result.applied == []
    assert result.error is not None and "would not compile" in result.error


def test_fix_giving_a_keyword_twice_is_refused() -> None:
    source = "f(a=1, b=2)\n"
    result = fix.apply_fixes(source, [diagnostic(1, (Loc(1, 8, 1, 9), "a"))])
    assert result.source == source and result.error is not None


def test_edit_outside_the_text_is_skipped() -> None:
    bad = diagnostic(1, (Loc(9, 1, 9, 2), "x"))
    result = fix.apply_fixes("a = 1\n", [bad])
    assert (result.source, result.skipped) == ("a = 1\n", [bad])


def test_columns_count_characters_not_bytes() -> None:
    source = "s = 'héllo'; x = 1\n"
    result = fix.apply_fixes(source, [diagnostic(1, (Loc(1, 18, 1, 19), "2"))])
    assert result.source == "s = 'héllo'; x = 2\n"


def test_crlf_line_endings_are_kept() -> None:
    code = "from keras.layers import Dense\r\nfc = Dense(output_dim=10)\r\n"
    assert fixed(code) == "from keras.layers import Dense\r\nfc = Dense(units=10)\r\n"


FIXED_FILES = [
    FIXTURES / "seeds" / "mnist_tf1_flatten_4x4.py",
    FIXTURES / "seeds" / "conv1d_keras1_seed002.py",
    FIXTURES / "keras1" / "mnist_cnn_keras1.py",
    FIXTURES / "keras1" / "functional_merge_keras1.py",
    FIXTURES / "tf_raw" / "cifar_tf2_nn_bugs.py",
    CASES / "legacy_keras.ipynb",
]


@pytest.mark.parametrize("path", FIXED_FILES, ids=lambda p: p.name)
def test_fixing_is_idempotent(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    once = fix_until_stable(text, path.name)
    assert once != text
    result = (check_notebook if path.suffix == ".ipynb" else check_source)(once, path.name, RULES)
    assert [d for d in result.diagnostics if d.fix] == []
    assert fix_until_stable(once, path.name) == once


def test_every_fixture_fix_compiles_and_removes_its_finding() -> None:
    for path in sorted(FIXTURES.rglob("*.py")):
        code = path.read_text(encoding="utf-8")
        before = check(code, path.name).diagnostics
        result = fix.apply_fixes(code, before)
        assert result.error is None, path
        after = check(result.source, path.name).diagnostics
        remaining = {(d.code, d.message) for d in after}
        for d in result.applied:
            assert (d.code, d.message) not in remaining, path


# -- notebooks -------------------------------------------------------------------------------
def test_notebook_fix_locations_are_cell_relative() -> None:
    text = (CASES / "legacy_keras.ipynb").read_text(encoding="utf-8")
    fit = next(d for d in check_notebook(text, "nb.ipynb", RULES).diagnostics if "nb_epoch" in d.message)
    assert fit.cell == 4 and fit.fix is not None
    assert fix_json(fit.fix)["edits"] == [{"content": "epochs", "location": {"row": 1, "column": 27, "cell": 4},
                                          "end_location": {"row": 1, "column": 35, "cell": 4}}]


def test_notebook_fix_rewrites_only_the_code_cells_sources() -> None:
    text = (CASES / "legacy_keras.ipynb").read_text(encoding="utf-8")
    result = fix.fix_notebook(text, check_notebook(text, "nb.ipynb", RULES).diagnostics)
    assert result.error is None and len(result.applied) == 3
    old, new = json.loads(text), json.loads(result.source)
    assert [c["source"] for c in new["cells"]][1:] == [
        ["%matplotlib inline\n", "from keras.layers import Conv2D, Dense, Flatten\n", "from keras.models import Sequential"],
        ["model = Sequential()\n", "# the first layer — 32 filters\n",
         "model.add(Conv2D(32, (3, 3), padding='same', input_shape=(28, 28, 1)))\n", "model.add(Flatten())\n",
         "model.add(Dense(units=10))"],
        "model.fit(x=None, y=None, epochs=12)\n",
    ]
    for cell in (*old["cells"], *new["cells"]):
        cell.pop("source")
    assert new == old  # outputs, metadata, execution counts: all as they were
    # ... and so is their text: the same indentation, escapes, key order and final newline.
    assert result.source.endswith("}\n") and result.source.count("\n") == text.count("\n")
    assert [line for line in result.source.splitlines() if "Conv2D" not in line and "units" not in line
            and "epochs" not in line] == [line for line in text.splitlines() if "Convolution2D" not in line
                                          and "output_dim" not in line and "nb_epoch" not in line]


def test_notebook_fix_keeps_ascii_escapes_when_the_file_used_them() -> None:
    data = {"cells": [{"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
                       "source": ["# caf\u00e9\n", "from keras.layers import Dense\n", "fc = Dense(output_dim=2)\n"]}],
            "metadata": {}, "nbformat": 4, "nbformat_minor": 4}
    text = json.dumps(data, indent=2)  # ensure_ascii: `\u00e9`
    result = fix.fix_notebook(text, check_notebook(text, "nb.ipynb", RULES).diagnostics)
    assert result.source == text.replace("output_dim", "units")


# -- writing and showing --------------------------------------------------------------------
def test_write_atomic_replaces_the_content_and_keeps_the_mode(tmp_path: Path) -> None:
    target = tmp_path / "model.py"
    target.write_text("old\n")
    target.chmod(0o751)
    fix.write_atomic(str(target), "new\r\n")
    assert target.read_bytes() == b"new\r\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o751
    assert [p.name for p in tmp_path.iterdir()] == ["model.py"]


def test_write_atomic_keeps_the_declared_encoding(tmp_path: Path) -> None:
    target = tmp_path / "legacy.py"
    target.write_bytes(b"# -*- coding: latin-1 -*-\nname = '\xe9'\n")
    fix.write_atomic(str(target), "# -*- coding: latin-1 -*-\nname = '\u00e8'\n")
    assert target.read_bytes() == b"# -*- coding: latin-1 -*-\nname = '\xe8'\n"


def test_write_atomic_failure_leaves_the_original_untouched(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    target = tmp_path / "model.py"
    target.write_text("original\n")

    def failing_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", failing_replace)
    with pytest.raises(OSError):
        fix.write_atomic(str(target), "fixed\n")
    assert target.read_text() == "original\n"
    assert [p.name for p in tmp_path.iterdir()] == ["model.py"]  # no temporary file left behind


def test_write_atomic_refuses_a_read_only_file(tmp_path: Path) -> None:
    target = tmp_path / "model.py"
    target.write_text("original\n")
    target.chmod(0o444)
    with pytest.raises(PermissionError):
        fix.write_atomic(str(target), "fixed\n")
    assert target.read_text() == "original\n"


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root may write anywhere")
def test_write_atomic_in_a_read_only_directory_raises(tmp_path: Path) -> None:
    target = tmp_path / "model.py"
    target.write_text("original\n")
    tmp_path.chmod(0o555)
    try:
        with pytest.raises(OSError):
            fix.write_atomic(str(target), "fixed\n")
    finally:
        tmp_path.chmod(0o755)
    assert target.read_text() == "original\n"


def test_write_atomic_writes_through_a_symbolic_link(tmp_path: Path) -> None:
    target = tmp_path / "real.py"
    target.write_text("old\n")
    link = tmp_path / "link.py"
    link.symlink_to(target)
    fix.write_atomic(str(link), "new\n")
    assert link.is_symlink() and target.read_text() == "new\n"


def test_unified_diff_names_both_sides_like_git() -> None:
    diff = fix.unified_diff("src/model.py", "a = 1\nb = 2\n", "a = 1\nb = 3\n")
    assert diff == "--- a/src/model.py\n+++ b/src/model.py\n@@ -1,2 +1,2 @@\n a = 1\n-b = 2\n+b = 3\n"
    assert fix.unified_diff("m.py", "same\n", "same\n") == ""


def test_unified_diff_marks_a_missing_final_newline() -> None:
    diff = fix.unified_diff("m.py", "x = 1", "x = 2")
    assert diff.endswith("-x = 1\n\\ No newline at end of file\n+x = 2\n\\ No newline at end of file\n")


# -- documentation -----------------------------------------------------------------------------
@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.code)
def test_every_rule_documents_its_fix_safety_before_its_references(rule: type) -> None:
    doc = rule.documentation()
    assert "## Fix safety" in doc
    if "## References" in doc:
        assert doc.index("## Fix safety") < doc.index("## References")
