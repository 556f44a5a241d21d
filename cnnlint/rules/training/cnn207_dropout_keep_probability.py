"""CNN207 dropout-keep-probability."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from cnnlint.frontend.tensorflow.findings import DropoutRate
from cnnlint.ir import ModuleIR
from cnnlint.rules.base import Diagnostic, Rule


class DropoutKeepProbability(Rule):
    """
    ## What it does
    Reports a `tf.nn.dropout` whose drop rate is probably a keep probability (**warning**):

    - `tf.nn.dropout(x, 0.9)`, a second argument above 0.5 given by position, where the code
      certainly uses TF2's `tf.nn.dropout` (reached through `tf.compat.v2`, or plain `tf.nn` in
      a project that pins TensorFlow 2 or states Keras 3);
    - a variable named as a keep probability (`keep_prob`, `self.keep`, `dropout_keep_prob`)
      given as the rate: `rate=keep_prob` in any TensorFlow that has `rate`, or by position in
      TF2.

    and a rate that TensorFlow refuses (**error**): a known `rate=` outside [0, 1), a known
    second argument outside [0, 1) in TF2, outside [0, 1] in any version.

    TF1's `keep_prob=` keyword, `tf.compat.v1.nn.dropout(x, 0.9)` and a positional value where
    the TensorFlow version is not known are not reported: there the second argument may be TF1's
    `keep_prob`.

    ## Why is this bad?
    TF1's `tf.nn.dropout(x, keep_prob)` became TF2's `tf.nn.dropout(x, rate)`: the second
    argument is the fraction of activations *dropped*. Code ported from TF1, or written from a
    TF1 tutorial, that passes 0.9 meaning "keep 90%" zeroes 90% of the activations and scales
    the rest by 10: the model trains very badly, or not at all, without any error. The name
    `keep_prob` passed as the rate says the same mix-up. A rate of 1 or more, or below 0,
    raises `ValueError`.

    ## Example
    ```python
    h = tf.nn.dropout(h, 0.8)  # TF2: drops 80%
    ```

    ## Use instead
    ```python
    h = tf.nn.dropout(h, rate=0.2)  # keeps 80%
    ```

    ## Known limitations
    A large drop rate can be meant (a heavily regularised layer): the warning says it is a
    likely mix-up, not a certainty. A rate passed as a variable of another name is not read.

    ## Fix safety
    This rule has no automatic fix: `rate=1 - 0.8` and a deliberate rate of 0.8 are both
    possible, and the choice is the author's.

    ## References
    - [TensorFlow: tf.nn.dropout](https://www.tensorflow.org/api_docs/python/tf/nn/dropout)
    - [TensorFlow 1: tf.compat.v1.nn.dropout](https://www.tensorflow.org/api_docs/python/tf/compat/v1/nn/dropout)
    """

    code = "CNN207"
    name = "dropout-keep-probability"
    severity = "warning"
    summary = "TF2's `tf.nn.dropout` given a keep probability as its drop rate, or a rate outside [0, 1)"
    VALID = (
        "import tensorflow as tf\nh = tf.nn.dropout(tf.ones([4, 8]), rate=0.2)\n",
        "import tensorflow as tf\nkeep_prob = 0.8\nh = tf.compat.v1.nn.dropout(tf.ones([4, 8]), keep_prob=keep_prob)\n",
    )
    INVALID = (
        "import tensorflow as tf\nkeep_prob = 0.8\nh = tf.nn.dropout(tf.ones([4, 8]), rate=keep_prob)\n",
        "import tensorflow.compat.v2 as tf\nh = tf.nn.dropout(tf.ones([4, 8]), 0.8)\n",
        "import tensorflow as tf\nh = tf.nn.dropout(tf.ones([4, 8]), rate=1.0)\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for finding in module.findings:
            details = finding.details
            if not isinstance(details, DropoutRate):
                continue
            message = self.message(details)
            if message is None:
                continue
            text, severity = message
            yield replace(self.diagnostic(module, finding.loc, text), severity=severity)

    @staticmethod
    def message(d: DropoutRate) -> tuple[str, str] | None:
        """The message and severity of one `tf.nn.dropout` call, or None for none."""
        value, rate = d.value, f"`{d.rate}`"
        certain = d.tf2 or not d.positional  # the argument is certainly the drop rate
        if value is not None and certain and not 0 <= value < 1:
            return (f"the dropout rate {rate} is outside [0, 1): `tf.nn.dropout` raises ValueError; the rate is "
                    f"the fraction of activations dropped (rate = 1 - keep_prob)", "error")
        if value is not None and not 0 <= value <= 1:
            return (f"the second argument {rate} of `tf.nn.dropout` is outside [0, 1]: TensorFlow raises "
                    f"ValueError whether it reads it as TF2's rate or TF1's keep_prob", "error")
        if not certain:
            return None
        if d.keep_name:
            return (f"{rate} is passed as the dropout rate, the fraction of activations dropped, but its name says "
                    f"it is a keep probability: likely a TF1 `keep_prob` mix-up, which drops the fraction it meant "
                    f"to keep; pass `rate=1 - {d.rate}`", "warning")
        if d.positional and value is not None and value > 0.5:
            kept = round(100 * (1 - value))
            return (f"in TensorFlow 2 the second argument of `tf.nn.dropout` is the rate dropped, not TF1's "
                    f"keep_prob: {rate} zeroes {round(100 * value)}% of the activations (and scales the other "
                    f"{kept}% by {1 / (1 - value):.3g}), likely a keep probability by mistake; if you meant to keep "
                    f"{round(100 * value)}%, pass `rate={1 - value:.3g}`", "warning")
        return None
