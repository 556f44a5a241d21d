"""CNN016 version-dependent-arguments."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from cnnlint.frontend.keras.findings import VersionDependent
from cnnlint.ir import ModuleIR
from cnnlint.rules.base import Diagnostic, Rule


class VersionDependentArguments(Rule):
    """
    ## What it does
    Warns about a convolution imported from a plain `keras` whose arguments after `kernel_size`
    are given by position, as in `Conv2D(64, 3, 2, padding="same")` or `Conv2D(32, 3, 3)`.
    Written with `tf.keras` (`tensorflow.keras`, `tf_keras`) the same call is ordinary and is not
    reported.

    ## Why is this bad?
    The call means different things in different Keras versions, and a plain `import keras`
    does not say which one the code is for. Keras 2.4+ and 3 (and `tf.keras` in every
    TensorFlow) read the third argument as `strides`. Keras 2.0 to 2.3 accepted only `filters`
    and `kernel_size` by position: they read `Conv2D(32, 3, 3)` as a 3x3 kernel (with a
    warning), refused `Conv2D(64, 3, 2, padding="same")` with a `ValueError` and
    `Conv2D(64, (3, 3), (2, 2))` with a `TypeError` (`keras/legacy/interfaces.py`). Keras 1
    read the third number as the kernel's width.

    cnnlint does not guess: the shapes after such a layer are unknown, so no shape finding
    depends on the reading.

    ## Example
    ```python
    from keras.layers import Conv2D
    x = Conv2D(64, 3, 2, padding="same")(inputs)
    ```

    ## Use instead
    ```python
    from keras.layers import Conv2D
    x = Conv2D(64, 3, strides=2, padding="same")(inputs)  # or kernel_size=(3, 2) for a Keras 1 kernel
    ```

    ## Fix safety
    There is no automatic fix: `strides=` and a Keras 1 kernel are both plausible readings,
    and a fix would have to pick one.

    ## References
    - [Keras 2.3.1 `legacy/interfaces.py`: `conv2d_args_preprocessor`](https://github.com/keras-team/keras/blob/2.3.1/keras/legacy/interfaces.py)
    - [Keras 3 `Conv2D`](https://keras.io/api/layers/convolution_layers/convolution2d/)
    """

    code = "CNN016"
    name = "version-dependent-arguments"
    severity = "warning"
    summary = ("a plain-`keras` convolution with positional arguments after `kernel_size` "
               "(read differently by Keras 1, 2.0-2.3 and 3)")
    VALID = (
        "import tensorflow as tf\n"
        "conv = tf.keras.layers.Conv2D(64, 3, 2, padding='same')\n",
        "from keras.layers import Conv2D\n"
        "conv = Conv2D(64, 3, strides=2, padding='same')\n",
        "from keras.layers import Conv2D\n"
        "conv = Conv2D(32, (3, 3), activation='relu')\n",
    )
    INVALID = (
        "from keras.layers import Conv2D\n"
        "conv = Conv2D(64, 3, 2, padding='same')\n",
        "from keras.layers import Conv2D\n"
        "conv = Conv2D(32, 3, 3)\n",
        "import keras\n"
        "conv = keras.layers.Conv1D(64, 5, 2)\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for finding in module.findings:
            details = finding.details
            if not isinstance(details, VersionDependent):
                continue
            kind = details.layer_kind
            names = [n for n in details.names if not n.startswith("argument ")]
            values = list(details.values)
            spelled = ", ".join(f"{name}={value}" for name, value in zip(names, values, strict=False))
            advice = f"write `{spelled}`" if spelled else "give them as keywords"
            given = ", ".join(f"`{value}`" for value in values) or "the extra arguments"
            modern = ' and '.join(f'`{n}`' for n in names) or 'later arguments'
            if details.verdict == "refused":
                message = (f"{details.target} refuses `{kind}` with {given} by position after `kernel_size` "
                           f"(its legacy interface raises a ValueError or TypeError; Keras 2.4+ and 3 would read "
                           f"{modern}): {advice}, or `kernel_size=` for a Keras 1 kernel")
                yield replace(self.diagnostic(module, finding.loc, message), severity="error")
                continue
            if details.verdict == "converted":
                message = (f"{details.target} reads `{kind}` with {given} by position after `kernel_size` as a "
                           f"Keras 1 kernel (with a warning), where Keras 2.4+ and 3 read {modern}: write the "
                           f"kernel as `kernel_size=` so that every Keras builds the same layer")
                yield self.diagnostic(module, finding.loc, message)
                continue
            message = (f"`{kind}` from a plain `keras` import with {given} by position after `kernel_size`: "
                       f"Keras 2.4+ and 3 read it as {modern}, "
                       f"Keras 2.0-2.3 as a Keras 1 kernel or an error, so the shapes after this layer are left "
                       f"unknown; {advice} (or `kernel_size=` for a Keras 1 kernel; or set `keras-version`)")
            yield self.diagnostic(module, finding.loc, message)
