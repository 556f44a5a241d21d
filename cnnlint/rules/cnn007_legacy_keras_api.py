"""CNN007 legacy-keras-api."""

from __future__ import annotations

from collections.abc import Iterator

from cnnlint.ir import ModuleIR
from cnnlint.rules.base import Diagnostic, Rule


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
            yield self.diagnostic(module, finding.loc, message, modern=finding.details["modern"])
