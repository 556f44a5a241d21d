"""What the target Keras does with a call: the version-keyed behaviours, each at the release where
it changed (sources in docs/keras-versions.md).

The target of a call is the one of the namespace it was reached through (`keras.layers.Conv2D`:
the `keras` target; `tensorflow.keras...`: the `tf.keras` one; `tf_keras...`: late Keras 2), as
`cnnlint.targets` resolves it from the settings and the project's pins. A target that nothing
states (`KerasTarget.stated` False) keeps cnnlint's version-agnostic reading: a Keras 1
spelling is read as Keras 1 meant it and reported as refused, a reading that depends on the
version (CNN016) leaves the shapes unknown.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Literal

from cnnlint.frontend.keras.values import KerasState
from cnnlint.targets import KerasTarget

if TYPE_CHECKING:
    from cnnlint.frontend.library import Call
    from cnnlint.frontend.python.evaluator import Evaluator

# `os.environ["TF_USE_LEGACY_KERAS"] = "1"` (or `setdefault`, `putenv`) in the module: from TF 2.16
# on, `tf.keras` is then the tf_keras package (late Keras 2), where tf_keras is installed.
_LEGACY_ENV = re.compile(r"""TF_USE_LEGACY_KERAS['"]\s*(?:\]\s*=|,)\s*['"]?(1|true|True|yes)""")

Verdict = Literal["current", "converted", "refused"]


def target_for(interp: Evaluator, written: str) -> KerasTarget:
    """The target Keras of a name as the code reaches it (`c.written`)."""
    state = interp.state(KerasState)
    if state.legacy_env is None:
        state.legacy_env = bool(_LEGACY_ENV.search(interp.text))
    return interp.options.keras.for_name(written, state.legacy_env)


def target_of(c: Call) -> KerasTarget:
    return target_for(c.interp, c.written)


def legacy_interfaces(target: KerasTarget) -> bool:
    """Standalone Keras 2.0-2.3: Keras 1 arguments converted with a warning by the decorators of
    `keras/legacy/interfaces.py` (gone in 2.4, which is tf.keras; never in a TensorFlow's tf.keras)."""
    return not target.in_tensorflow and target.version.major == 2 and target.version.minor < 4


def is_keras1(target: KerasTarget) -> bool:
    return target.version.major < 2


def positional_strides(target: KerasTarget) -> bool:
    """Whether `Conv2D(64, 3, 2)` certainly reads its third argument as `strides` (Keras 2.4+ and
    3, and every tf.keras); False where it may not (Keras 1, 2.0-2.3, a plain `keras` nothing states)."""
    if target.in_tensorflow:
        return True
    return target.stated and target.version.at_least(2, 4)


def legacy_verdict(target: KerasTarget, names: tuple[str, ...]) -> Verdict:
    """What the target does with a Keras 1 spelling (`names`: the Keras 1 names used): `current`
    in Keras 1; `converted` (with a warning) by the legacy interfaces of Keras 2.0-2.3, except what
    Keras 2 removed; `refused` (or silently read otherwise) by tf.keras, Keras 2.4+ and 3, and by
    an unstated target (cnnlint's reading before targets: the code is not Keras 1)."""
    if not target.stated:
        return "refused"
    if is_keras1(target):
        return "current"
    if legacy_interfaces(target):
        return "refused" if removed_in_keras2(names, target) else "converted"
    return "refused"


def removed_in_keras2(names: tuple[str, ...], target: KerasTarget) -> bool:
    """Keras 1 names that Keras 2.0-2.3 no longer accepted at all: the atrous classes (Keras 2.0
    release notes: `AtrousConvolution*` became `dilation_rate`), the `merge` function (in Keras 2
    `keras.layers.merge` is a module: `TypeError: 'module' object is not callable`), and the
    `Merge` layer from 2.2.0 (keras/legacy/layers.py kept it, deprecated, in 2.0-2.1)."""
    if any(n.startswith("Atrous") for n in names) or "merge" in names:
        return True
    return "Merge" in names and target.version.at_least(2, 2)


def refuses_batch_input_shape(target: KerasTarget) -> bool:
    """`Dense(4, batch_input_shape=(8, 3))`: Keras 3 refuses the argument on a layer (`ValueError:
    Unrecognized keyword arguments passed to Dense: {'batch_input_shape': ...}`), Keras 1 and 2 read
    it as the first layer's input; a stated Keras 3 only (tf_keras is Keras 2)."""
    return target.stated and target.version.major >= 3


def removed_in_keras3(target: KerasTarget) -> bool:
    """What Keras 3 dropped and every Keras 2 still has (docs/keras-versions.md): `fit_generator`,
    `evaluate_generator`, `predict_generator` (`AttributeError: 'Sequential' object has no attribute
    'fit_generator'`; deprecated but working in tf.keras 2.1-2.15 and tf-keras 2.21),
    `keras.preprocessing.image.ImageDataGenerator` (Keras 3 keeps it under `tf.keras` only),
    `load_img(grayscale=...)`, `Input(tensor=...)` of a tensor that is not a Keras tensor. A stated
    Keras 3 only (TensorFlow 2.16+'s `tf.keras` included; the tf_keras package is Keras 2)."""
    return target.stated and target.version.major >= 3


def removed_image_dim_ordering(target: KerasTarget) -> bool:
    """`K.set_image_dim_ordering('th')`: Keras 1 and standalone 2.0-2.2.4 export it; from 2.2.5
    `keras/backend/__init__.py` imports an explicit list from `load_backend` without it
    (`AttributeError: module 'keras.backend' has no attribute 'set_image_dim_ordering'`); tf.keras
    of TF 2 (2.4+ here: tf-keras 2.21 has none) and Keras 3 have none. A stated target only (the
    tf.keras of TF 1 is not decided)."""
    if not target.stated:
        return False
    if target.in_tensorflow:
        return target.version.at_least(2, 4)
    return target.version.parts >= (2, 2, 5)


def replay_checks_input_specs(target: KerasTarget) -> bool:
    """Whether a model applied as a layer to new tensors (`head_model([a, b])`) checks each inner
    layer's built `InputSpec` at that call: Keras 1 and 2 (tf-keras 2.21 too) run each layer's
    `__call__` on the new tensors ("Input 0 of layer \"batch_normalization_1\" is incompatible
    with the layer: expected ndim=3, found ndim=2"); Keras 3 runs only their `compute_output_spec`
    (`Function.compute_output_spec` in keras/src/ops/function.py), which checks none, and fails at
    the first batch instead. A stated Keras 1 or 2 only."""
    return target.stated and target.version.major < 3


def strict_fit_checks(target: KerasTarget) -> bool:
    """Whether `fit` / `evaluate` / `predict` check arrays against the model's inputs and outputs
    before running (`standardize_input_data`: `Error when checking input: expected conv1d_input to
    have 3 dimensions, but got array with shape (100, 30)`; `check_loss_and_target_compatibility`):
    Keras 1, standalone Keras 2.0-2.3, and tf.keras up to TF 2.1 (Keras 2.2.4-tf). TF 2.2's
    rewritten `fit` (data adapters) no longer did, and its functional / Sequential models add or
    drop a trailing axis of 1 (`Network._conform_to_reference_input` in TF 2.2's network.py, then
    functional.py; Keras 3's `_adjust_input_rank`); standalone Keras 2.4.0 is a wrapper of that
    tf.keras (`keras/engine/training.py`: `from tensorflow.keras import Model`, TF >= 2.2)."""
    if not target.stated:
        return False
    if target.in_tensorflow:
        return not target.version.at_least(2, 3)
    return not target.version.at_least(2, 4)


def broadcasts_compiled_labels(target: KerasTarget) -> bool:
    """Whether a compiled loss expands labels `(n,)` to `(n, 1)` against a rank-2 output and then
    broadcasts them (`compile_utils.match_dtype_and_rank` and `LossFunctionWrapper`, tf.keras of TF
    2.2+, standalone 2.4-2.15, tf-keras: mse of `(n,)` labels on `Dense(3)` trains on a `(n, 3)`
    difference), where Keras 3 refuses labels of another shape; a stated late Keras 2 only."""
    return target.stated and target.version.major == 2 and not strict_fit_checks(target)


def loss_functions_squeeze(target: KerasTarget) -> bool | None:
    """Whether a Keras loss function called directly (`keras.losses.mse(y, p)`) squeezes or expands
    the labels to the predictions' rank first: Keras 3 does (`squeeze_or_expand_to_same_rank` in
    `keras/src/losses/losses.py`); Keras 1 and every Keras 2 do not (`K.mean(K.square(y_pred -
    y_true), axis=-1)` in keras 2.2.4's `losses.py`, the same in tf-keras 2.21: `(n,)` labels and
    `(n, 1)` predictions give an `(n, n)` difference). None for an unstated target."""
    if not target.stated:
        return None
    return target.version.major >= 3


def described(target: KerasTarget) -> str:
    """`Keras 2.2.4 (requirements.txt:3: keras==2.2.4)`: the target in a message; "" if not stated."""
    if not target.stated:
        return ""
    return f"Keras {target.version}{' (tf.keras)' if target.in_tensorflow else ''} ({target.source})"
