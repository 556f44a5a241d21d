"""CNN007 legacy-keras-api."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from cnnlint.frontend.keras.findings import LegacyApi
from cnnlint.ir import ModuleIR
from cnnlint.rules.base import Diagnostic, Extra, Rule, make_fix
from cnnlint.rules.keras1_fixes import fix_edits

# Keras 2 names that only Keras 3 removed (reported under a stated Keras 3 target only).
KERAS3_REMOVED = frozenset({"fit_generator", "evaluate_generator", "predict_generator", "ImageDataGenerator",
                            "load_img(grayscale=...)", "Input(tensor=...)"})


class LegacyKerasApi(Rule):
    """
    ## What it does
    Reports Keras 1 names that Keras 2 deprecated and tf.keras and Keras 3 refuse:
    `Convolution2D(32, 3, 3)` with the kernel as two numbers, `nb_filter`, `filter_length`,
    `border_mode`, `subsample`, `dim_ordering`, `init`, `W_regularizer`, `output_dim` of
    `Dense` and of recurrent layers (with `inner_init`, `inner_activation`, `dropout_W`,
    `dropout_U`), a `Convolution1D`'s `input_dim` / `input_length`, `BatchNormalization(mode=)`,
    `merge(..., mode=...)`, `Merge`, `Model(input=..., output=...)` and `fit(nb_epoch=...)`.
    The message gives the call spelt the Keras 2+ way.

    Under a stated Keras 3 target (settings or pins), also the Keras 2 APIs Keras 3 removed:
    `model.fit_generator`, `evaluate_generator` and `predict_generator` (when every Keras
    namespace the module uses is Keras 3), `keras.preprocessing.image.ImageDataGenerator`
    through standalone `keras` (TensorFlow 2.16+'s `tf.keras.preprocessing.image` keeps it),
    `load_img(grayscale=...)` and `Input(tensor=...)` of a tensor no Keras layer made. Keras 2
    runs them (tf.keras 2.1+ deprecates the generator methods), so nothing is reported for an
    unstated target.

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
    A fix is *safe* (applied by `--fix`) only where it makes exactly the conversion that Keras
    2.0-2.3's own legacy interface made for that class (`keras/legacy/interfaces.py`):
    keywords renamed (`nb_filter` to `filters`, `border_mode` to `padding`, `subsample` to
    `strides`, `init` to `kernel_initializer`, `output_dim` to `units`, ...), `nb_row, nb_col`
    folded into one kernel tuple (`Convolution2D(32, 3, 3)` becomes `Conv2D(32, (3, 3))`),
    `dim_ordering='th'` written `data_format='channels_first'`, a Keras 1 `Convolution1D`'s
    `input_dim=300, input_length=40` written `input_shape=(40, 300)` (`input_dim=300` alone:
    `input_shape=(None, 300)`), `Deconvolution2D`'s `output_shape` dropped,
    `Model(input=, output=)` written `Model(inputs=, outputs=)` and `fit(nb_epoch=)` written
    `fit(epochs=)`. The test suite runs that Keras 2.3.1 code as the oracle for every class and
    argument the fix rewrites, and builds the fixed layer in today's Keras with the same
    configuration. A class imported by name is renamed in its import and at every use
    (`from keras.layers import Convolution2D` becomes `import Conv2D`), unless the new name is
    already taken: `Convolution2D` then keeps its name, which Keras 2 still accepts. Only names
    change, so formatting and comments stay.

    A fix that cannot be checked that way is *unsafe* and offered only with `--unsafe-fixes`:
    a class Keras 2 removed (`AtrousConvolution2D` to `Conv2D` with `dilation_rate`), a
    positional argument that Keras 2 refused and the fix gives a keyword, and a
    `tf.keras.layers.Convolution2D(32, 3, 3)`, which tf.keras runs as a 3-wide kernel with
    stride 3: the fix writes the Keras 1 meaning, a different model from the one that runs.

    `model.fit_generator(gen, steps_per_epoch=..., epochs=...)` becomes `model.fit(gen, ...)`
    (`evaluate_generator` / `predict_generator`: `evaluate` / `predict`, `generator=` written
    `x=`), safe where the only positional argument is the generator and every keyword is one the
    successor takes with the same meaning (`steps_per_epoch`, `epochs`, `verbose`, `callbacks`,
    `validation_data`, `validation_steps`, `validation_freq`, `class_weight`, `shuffle`,
    `initial_epoch`; `steps`, `callbacks`, `verbose`): the test suite trains both in tf-keras and
    compares the weights, losses and predictions, and runs the fixed call in Keras 3. Keras 3 refuses
    `workers`, `use_multiprocessing` and `max_queue_size` on the call; dropping them changes only
    how batches are loaded, an unsafe fix. A second positional argument (`fit` would read it as `y`)
    or a Keras 1 keyword leaves no fix.

    There is no fix where the meaning would have to be guessed: `merge(..., mode=...)`,
    `Merge`, a `dim_ordering` other than a literal `'th'` or `'tf'`, Theano's
    `border_mode='full'`, `samples_per_epoch` (samples became batches), `*args`.

    A modern-named `Conv2D(32, 3, 3)` from a plain `keras` import is not this rule's: its
    meaning depends on the Keras version (CNN016).

    ## References
    - [Keras 2.0 release notes: API changes](https://github.com/keras-team/keras/releases/tag/2.0.0)
    - [keras-team/keras#19225: 'Functional' object has no attribute 'fit_generator'](https://github.com/keras-team/keras/issues/19225)
    """

    code = "CNN007"
    name = "legacy-keras-api"
    summary = "Keras 1 names that tf.keras and Keras 3 refuse or read differently (`nb_filter`, `border_mode`, ...)"
    VALID = (
        "from keras.layers import Conv1D, Convolution2D\n"
        "conv = Conv1D(filters=111, kernel_size=5, padding='valid', strides=1)\n"
        "alias = Convolution2D(32, (3, 3), padding='same')\n",
        # tf.keras reads a third positional argument as the stride, in every version.
        "import tensorflow as tf\n"
        "conv = tf.keras.layers.Conv2D(64, 3, 2, padding='same')\n",
    )
    INVALID = (
        "from keras.layers import Convolution1D\n"
        "conv = Convolution1D(nb_filter=111, filter_length=5, border_mode='valid', subsample_length=1)\n",
        "from keras.layers import Convolution2D\n"
        "conv = Convolution2D(32, 3, 3, border_mode='same')\n",
        "from keras.layers import Dense\n"
        "fc = Dense(output_dim=10, init='uniform')\n",
        "from keras.layers import Convolution1D\n"
        "conv = Convolution1D(64, 3, input_dim=300, input_length=40)\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        findings = [f for f in module.findings if isinstance(f.details, LegacyApi)]
        fixes = fix_edits(findings)
        for finding in findings:
            details = finding.details
            assert isinstance(details, LegacyApi)
            names = list(details.names)
            parts = [f"`{n}`" for n in names if n not in ("nb_row", "nb_col")]
            if "nb_col" in names:
                reader = "tf.keras reads the second as the stride here" if details.as_strides \
                    else "Keras 2.4+ reads the second as the stride"
                parts.insert(0, f"the kernel as two numbers `nb_row, nb_col` ({reader})")
            modern = details.modern
            advice = modern if details.prose or not modern.endswith(")") else f"write `{modern}`"
            # Keras 2.0-2.3 still converted these with a warning; tf.keras and Keras 3 do not.
            removed = bool(details.names) and details.names[0] in KERAS3_REMOVED
            if removed:
                where = f"that {details.target} no longer has"
            elif details.verdict == "converted":
                where = f"that {details.target} converts with a deprecation warning (Keras 2.4+ and 3 refuse it)"
            elif details.target:
                where = f"that {details.target} refuses or reads differently"
            else:
                where = "that tf.keras and Keras 3 refuse or read differently"
            era = "Keras 1/2 API" if details.names in (("batch_input_shape",), ("set_image_dim_ordering",)) \
                else "Keras 2 API" if removed else "Keras 1 API"
            message = f"{era} ({', '.join(parts)}) {where}: {advice}" if parts else f"{era} {where}: {advice}"
            found = fixes.get(id(finding))
            fix = make_fix(details.fix_message or "", found[0], found[1]) if found and found[0] else None
            yield replace(self.diagnostic(module, finding.loc, message, extra=Extra(modern=modern)), fix=fix,
                          severity="warning" if details.verdict == "converted" else self.severity)
