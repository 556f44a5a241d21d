"""CNN007 legacy-keras-api."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from cnnlint.ir import ModuleIR
from cnnlint.rules.base import Diagnostic, Rule, make_fix


class LegacyKerasApi(Rule):
    """
    ## What it does
    Reports Keras 1 names that Keras 2 removed: `Convolution2D(32, 3, 3)` with the kernel as
    two numbers, `nb_filter`, `filter_length`, `border_mode`, `subsample`, `dim_ordering`,
    `init`, `W_regularizer`, `output_dim` of `Dense`, `merge(..., mode=...)`, `Merge`,
    `Model(input=..., output=...)` and `fit(nb_epoch=...)`. The message gives the call spelt
    the Keras 2+ way.

    ## Why is this bad?
    Current Keras raises `TypeError` on these names, and old answers and tutorials still use
    them. A kernel given as `nb_row, nb_col` is worse: modern `Conv2D(32, 3, 3)` silently reads
    the third number as the stride. The shapes cnnlint reports for such a call are the ones
    Keras 1 computed.

    ## Example
    ```python
    model.add(Convolution1D(nb_filter=111, filter_length=5, border_mode="valid", subsample_length=1))
    ```

    ## Use instead
    ```python
    model.add(Conv1D(filters=111, kernel_size=5, padding="valid", strides=1))
    ```

    ## Fix safety
    The fix is safe: it writes the same call the Keras 2+ way, as the message shows, and only
    names change, so formatting and comments stay. `Convolution2D(32, 3, 3)` becomes
    `Conv2D(32, (3, 3))`, keywords are renamed (`nb_filter` to `filters`, `border_mode` to
    `padding`, `subsample` to `strides`, `init` to `kernel_initializer`, `output_dim` to
    `units`, ...), positional arguments Keras 2 moved get their keyword, `dim_ordering='th'`
    becomes `data_format='channels_first'`, `Model(input=, output=)` becomes
    `Model(inputs=, outputs=)` and `fit(nb_epoch=)` becomes `fit(epochs=)`. A class imported by
    name is renamed in its import and at every use (`from keras.layers import Convolution2D`
    becomes `import Conv2D`), unless the new name is already taken: `Convolution2D` then keeps
    its name, which Keras 2 still accepts. There is no fix where the meaning would have to be
    guessed: `merge(..., mode=...)`, `Merge`, a `dim_ordering` other than a literal `'th'` or
    `'tf'`, Theano's `border_mode='full'`, `samples_per_epoch` (samples became batches), `*args`.

    ## References
    - [Keras 2.0 release notes: API changes](https://github.com/keras-team/keras/releases/tag/2.0.0)
    """

    code = "CNN007"
    name = "legacy-keras-api"
    summary = "Keras 1 names removed in Keras 2 (`Convolution2D`, `nb_filter`, `border_mode`, `subsample`, ...)"
    VALID = (
        "from keras.layers import Conv1D, Convolution2D\n"
        "conv = Conv1D(filters=111, kernel_size=5, padding='valid', strides=1)\n"
        "alias = Convolution2D(32, (3, 3), padding='same')\n",
    )
    INVALID = (
        "from keras.layers import Convolution1D\n"
        "conv = Convolution1D(nb_filter=111, filter_length=5, border_mode='valid', subsample_length=1)\n",
        "from keras.layers import Convolution2D\n"
        "conv = Convolution2D(32, 3, 3, border_mode='same')\n",
        "from keras.layers import Dense\n"
        "fc = Dense(output_dim=10, init='uniform')\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for finding in module.findings:
            if finding.kind != "legacy-keras-api":
                continue
            names = list(finding.details["names"])
            parts = [f"`{n}`" for n in names if n not in ("nb_row", "nb_col")]
            if "nb_col" in names:
                parts.insert(0, "the kernel as two numbers `nb_row, nb_col` (Keras 2+ reads the second as the stride)")
            modern = finding.details["modern"]
            advice = f"write `{modern}`" if modern.endswith(")") else modern
            message = f"Keras 1 API ({', '.join(parts)}) removed in Keras 2: {advice}" if parts else \
                f"Keras 1 API removed in Keras 2: {advice}"
            edits = finding.details.get("fix")
            fix = make_fix(finding.details["fix_message"], edits) if edits else None
            yield replace(self.diagnostic(module, finding.loc, message, modern=finding.details["modern"]), fix=fix)
