"""CNN007's fix is written by the rule from the facts the front end reports (the call's exact
source text and where it starts); these cases pin the positions where that text is not the one
libcst would render: continuation lines inside an indented block, tabs, notebooks' cells."""

from __future__ import annotations

import textwrap

from cnnlint import fix
from cnnlint.rules import select_rules
from cnnlint.runner import check_source

RULES = select_rules(["CNN"])


def fixed(code: str) -> str:
    code = textwrap.dedent(code)
    result = fix.apply_fixes(code, check_source(code, "snippet.py", RULES).diagnostics)
    assert result.error is None
    return result.source


def test_a_call_continued_inside_a_function_is_rewritten_in_place() -> None:
    code = """
        from keras.layers import Convolution2D

        def block(x, weight_decay):
            x = Convolution2D(16, 3, 3, init="he_uniform", border_mode="same", bias=False,
                              W_regularizer=weight_decay)(x)
            return x
    """
    assert fixed(code) == textwrap.dedent("""
        from keras.layers import Conv2D

        def block(x, weight_decay):
            x = Conv2D(16, (3, 3), kernel_initializer="he_uniform", padding="same", use_bias=False,
                              kernel_regularizer=weight_decay)(x)
            return x
    """)


def test_keywords_renamed_on_a_continuation_line_of_an_indented_call() -> None:
    code = """
        from keras.models import Model

        def build(a, b):
            if a is not None:
                return Model(
                    input=a,
                    output=b)
    """
    assert fixed(code) == textwrap.dedent("""
        from keras.models import Model

        def build(a, b):
            if a is not None:
                return Model(
                    inputs=a,
                    outputs=b)
    """)


def test_a_call_after_a_tab_keeps_its_columns() -> None:
    code = "from keras.layers import Dense\n\nif True:\n\tfc = Dense(output_dim=10,\n\t\tinit='uniform')\n"
    assert fixed(code) == "from keras.layers import Dense\n\nif True:\n\tfc = Dense(units=10,\n\t\tkernel_initializer='uniform')\n"


def test_a_form_feed_before_the_call_is_not_a_line_end() -> None:
    code = "from keras.layers import Dense\n\x0c\nfc = Dense(output_dim=10,\n           init='uniform')\n"
    assert fixed(code) == "from keras.layers import Dense\n\x0c\nfc = Dense(units=10,\n           kernel_initializer='uniform')\n"


def test_carriage_return_line_ends_keep_their_columns() -> None:
    code = "from keras.layers import Dense\r\nif True:\r\n    fc = Dense(output_dim=10,\r\n        init='uniform')\r\n"
    assert fixed(code) == "from keras.layers import Dense\r\nif True:\r\n    fc = Dense(units=10,\r\n        kernel_initializer='uniform')\r\n"
