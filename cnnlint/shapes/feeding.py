"""How Keras standardises data before a model sees it (pure shape rules, ints and None): Keras 3's
leniency, and the strict checks of early Keras (`StrictFit`)."""

from __future__ import annotations

from dataclasses import dataclass

Ints = tuple[int | None, ...]


def keras_adjusted_input(data: Ints, expected: Ints) -> Ints | None:
    """The data as Keras 3 feeds it to a functional / Sequential model: a rank off by one is
    fixed when the extra or missing axis is a trailing 1 (`Functional._adjust_input_rank`);
    None when Keras refuses the rank."""
    if len(data) == len(expected):
        return data
    if len(data) == len(expected) + 1 and data[-1] == 1:
        return data[:-1]
    if len(data) == len(expected) - 1 and expected[-1] == 1:
        return (*data, 1)
    return None


def keras_adjusted_labels(labels: Ints, output: Ints) -> Ints:
    """Keras 3 losses first bring the labels to the output's rank when only a trailing 1
    differs (`squeeze_or_expand_to_same_rank`)."""
    if len(labels) == len(output) - 1 and output[-1] == 1:
        return (*labels, 1)
    if len(output) == len(labels) - 1 and labels[-1] == 1:
        return labels[:-1]
    return labels


def keras2_adjusted_labels(labels: Ints, output: Ints) -> Ints:
    """Late Keras 2's compiled losses: labels of rank 1 against an output of rank 2 become `(n, 1)`
    (`compile_utils.match_dtype_and_rank`), then the trailing-1 rule of `keras_adjusted_labels`
    (`losses_utils.squeeze_or_expand_dimensions`)."""
    if len(labels) == 1 and len(output) == 2:
        return (*labels, 1)
    return keras_adjusted_labels(labels, output)


def broadcast_fails(a: Ints, b: Ints) -> bool:
    """Whether NumPy broadcasting of `a` and `b` fails for certain (axes aligned from the end; the
    first axis of each, a batch, compared only where both are known)."""
    for k in range(1, min(len(a), len(b)) + 1):
        da, db = a[-k], b[-k]
        if da is not None and db is not None and da != db and da != 1 and db != 1:
            return True
    return False


def mismatched_axes(data: Ints, expected: Ints) -> list[int]:
    """Per-example axes (1...) where both sizes are known and differ; shapes of one rank."""
    return [i for i in range(1, len(expected)) if data[i] is not None and expected[i] is not None
            and data[i] != expected[i]]


# -- the strict checks of early Keras (docs/keras-versions.md, "Input and target checks at fit") ----
# Losses by cnnlint's canonical name (cnnlint.frontend.keras.training.LOSSES): all are functions
# of the `losses` module, whose targets early Keras checks against the output's shape.
_SPARSE = "sparse_categorical_crossentropy"
_CATEGORICAL = "categorical_crossentropy"


@dataclass(frozen=True)
class StrictFit:
    """A target whose `fit` / `evaluate` / `predict` / `*_on_batch` check arrays against the
    model before running (Keras 1, standalone Keras 2.0-2.3, tf.keras of TF <= 2.1:
    `cnnlint.frontend.keras.versions.strict_fit_checks`), with what its messages name."""

    keras: str  # the target, as messages say it: "Keras 2.2.4 (--keras-version)"
    version: tuple[int, int, int]
    in_tensorflow: bool
    input_names: tuple[str, ...]  # the names Keras gives the model's inputs and output
    output_name: str

    def prefix(self, what: str) -> str:
        """`exception_prefix`: "model input" / "model target" in Keras 1.x and 2.0.0-2.0.3
        (keras 2.0.3 `keras/engine/training.py`), "input" / "target" from 2.0.4 and in tf.keras."""
        if not self.in_tensorflow and self.version < (2, 0, 4):
            return f"model {what}"
        return what

    def standardized(self, data: Ints, expected: Ints | None) -> Ints:
        """`standardize_single_array`: a 1-D array becomes `(n, 1)`; tf.keras (TF 1.13+) keeps it
        when the expected shape has rank 1."""
        if len(data) != 1:
            return data
        if self.in_tensorflow and expected is not None and len(expected) == 1:
            return data
        return (*data, 1)

    def refusal(self, what: str, name: str, data: Ints, expected: Ints, axes: bool = True) -> str | None:
        """The error `standardize_input_data` raises for `data` (already standardized) against the
        expected shape (batch axis included, not checked), None where it accepts it; `axes`
        False checks the rank only."""
        if len(data) != len(expected):
            return (f"Error when checking {self.prefix(what)}: expected {name} to have {len(expected)} dimensions, "
                    f"but got array with shape {_python(data)}")
        if axes and any(e is not None and d is not None and d != e for d, e in zip(data[1:], expected[1:],
                                                                                 strict=True)):
            return (f"Error when checking {self.prefix(what)}: expected {name} to have shape {_python(expected[1:])} "
                    f"but got array with shape {_python(data[1:])}")
        return None

    def target_refusal(self, loss: str | None, labels: Ints, output: Ints) -> str | None:
        """What early Keras raises for targets `labels` (as given) against a model output of shape
        `output` under the compiled `loss` (canonical name): `standardize_input_data` against the
        loss's expected target shape (sparse: `output[:-1] + (1,)`; a loss not in the `losses`
        module: not checked), then `check_loss_and_target_compatibility` (categorical cross-entropy
        with one column of targets). None where it accepts them or cannot tell."""
        if loss is None or loss == "?" or len(output) < 2:
            return None
        if loss == _SPARSE:
            expected: Ints = (*output[:-1], 1)
            # 2.2+ and tf.keras put the 1 first for channels_first rank-4/5 outputs: rank only there.
            axes = len(output) not in (4, 5) or (not self.in_tensorflow and self.version < (2, 2, 0))
        else:
            expected, axes = output, True
        targets = self.standardized(labels, expected)
        found = self.refusal("target", self.output_name, targets, expected, axes)
        if found is not None:
            return found
        if loss == _CATEGORICAL and targets[-1] == 1:
            return (f"You are passing a target array of shape {_python(targets)} while using as loss "
                    "`categorical_crossentropy`. `categorical_crossentropy` expects targets to be binary matrices "
                    "(1s and 0s) of shape (samples, classes)")
        return None


def _python(shape: Ints) -> str:
    """A shape as Python prints the tuple: `(100, 30)`, `(10,)`."""
    return "(" + ", ".join("None" if d is None else str(d) for d in shape) + ("," if len(shape) == 1 else "") + ")"
