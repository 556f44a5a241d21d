"""CNN206 uninitialised-variables."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

from cnnlint.frontend.tensorflow.findings import InitialiserInLoop, UninitialisedRun
from cnnlint.ir import ModuleIR
from cnnlint.rules.base import Diagnostic, Rule


class UninitialisedVariables(Rule):
    """
    ## What it does
    Reports, for a TF1 `tf.Session()` / `tf.InteractiveSession()` (`tf.compat.v1` too, also
    bound by `with ... as sess:`):

    - a `sess.run(...)` that runs a training op (`optimizer.minimize(loss)`) or reads a
      variable (`tf.Variable`, `tf.get_variable`, or a tensor computed from one) before anything
      that may initialise the session's variables has run in it (**error**);
    - `sess.run(tf.global_variables_initializer())` (or `initialize_all_variables`) run at every
      pass of a loop that also runs the training op in that session: directly in the loop's body,
      or in a nested loop when the outer loop counts epochs (`for epoch in ...`) (**warning**).

    What may initialise the variables keeps the first check quiet for that session: any
    initialiser run (`global_variables_initializer`, `variables_initializer`,
    `local_variables_initializer`, `tf.group(...)`), any fetch cnnlint does not know
    (`sess.run(init)` where `init` comes from unknown code, `w.assign(v)`), the session passed to
    any call (`saver.restore(sess, path)`, `K.set_session(sess)`, a helper of the program), an
    initialiser run on the default session (`init.run()`, which keeps the whole file quiet), a
    monitored session (`MonitoredTrainingSession`, `Scaffold`) or `tf.train.Supervisor`, and a
    session that a function nobody calls in the file also runs.

    ## Why is this bad?
    A TF1 variable has no value until an initialiser (or a restore, or an assignment) gives it
    one: the first run that reads it raises `FailedPreconditionError: Attempting to use
    uninitialized value`. An initialiser run in the training loop resets every weight to its
    initial value at each pass: the model never learns more than one pass of training, and
    the training log shows a loss that does not go down between epochs.

    ## Example
    ```python
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    with tf.Session() as sess:
        for epoch in range(10):
            sess.run(tf.global_variables_initializer())
            sess.run(train, feed_dict={x: X, y: Y})
    ```

    ## Use instead
    ```python
    train = tf.train.AdamOptimizer(0.01).minimize(loss)
    with tf.Session() as sess:
        sess.run(tf.global_variables_initializer())
        for epoch in range(10):
            sess.run(train, feed_dict={x: X, y: Y})
    ```

    ## Known limitations
    An initialiser run in a loop over folds or trials that trains in a nested loop
    (`for fold in folds: sess.run(init); for epoch ...: sess.run(train)`) is what cross-validation
    wants, and is not reported; so a per-epoch reset is reported only when the loop's variable
    says it counts epochs, or when the training op runs directly in the same loop.

    ## Fix safety
    This rule has no automatic fix: where the initialiser belongs (and whether a restore was
    meant) is the author's choice.

    ## References
    - [TensorFlow 1: tf.compat.v1.global_variables_initializer](https://www.tensorflow.org/api_docs/python/tf/compat/v1/global_variables_initializer)
    """

    code = "CNN206"
    name = "uninitialised-variables"
    summary = "a TF1 session runs its variables before any initialiser, or re-initialises them in the training loop"
    VALID = (
        "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32, [None, 4])\n"
        "w = tf.Variable(tf.zeros([4, 1]))\nloss = tf.reduce_mean(tf.matmul(x, w))\n"
        "train = tf.compat.v1.train.GradientDescentOptimizer(0.1).minimize(loss)\n"
        "with tf.compat.v1.Session() as sess:\n    sess.run(tf.compat.v1.global_variables_initializer())\n"
        "    sess.run(train, feed_dict={x: [[1.0, 2.0, 3.0, 4.0]]})\n",
    )
    INVALID = (
        "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32, [None, 4])\n"
        "w = tf.Variable(tf.zeros([4, 1]))\nloss = tf.reduce_mean(tf.matmul(x, w))\n"
        "train = tf.compat.v1.train.GradientDescentOptimizer(0.1).minimize(loss)\n"
        "with tf.compat.v1.Session() as sess:\n    sess.run(train, feed_dict={x: [[1.0, 2.0, 3.0, 4.0]]})\n",
        "import tensorflow as tf\nx = tf.compat.v1.placeholder(tf.float32, [None, 4])\n"
        "w = tf.Variable(tf.zeros([4, 1]))\nloss = tf.reduce_mean(tf.matmul(x, w))\n"
        "train = tf.compat.v1.train.GradientDescentOptimizer(0.1).minimize(loss)\n"
        "with tf.compat.v1.Session() as sess:\n    for epoch in range(10):\n"
        "        sess.run(tf.compat.v1.global_variables_initializer())\n"
        "        sess.run(train, feed_dict={x: [[1.0, 2.0, 3.0, 4.0]]})\n",
    )

    def check(self, module: ModuleIR) -> Iterator[Diagnostic]:
        for finding in module.findings:
            details = finding.details
            if isinstance(details, UninitialisedRun):
                what = f"`{details.session}.run({details.what})`"
                message = (f"{what} runs {details.reads} before any initialiser has run in this session: its "
                           f"variables have no value yet, so this run raises FailedPreconditionError "
                           f"(\"Attempting to use uninitialized value\"); run "
                           f"`{details.session}.run(tf.compat.v1.global_variables_initializer())` (or restore a "
                           f"checkpoint) first")
                yield self.diagnostic(module, finding.loc, message, related=finding.related)
            elif isinstance(details, InitialiserInLoop):
                message = (f"`{details.initialiser}` is run at every pass of `{details.loop}`, which also runs the "
                           f"training op: every weight is reset to its initial value at each pass, so the model "
                           f"never learns more than one pass; run the initialiser once, before the loop")
                yield replace(self.diagnostic(module, finding.loc, message, related=finding.related),
                              severity="warning")
