"""CNN100 unused-suppression."""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from cnnlint.ir import ModuleIR
from cnnlint.rules.base import Diagnostic, Suppression, SuppressionRule

NOQA = "`# " + "noqa"  # spelled apart: ruff would read the literal as its own directive


class UnusedSuppression(SuppressionRule):
    """
    ## What it does
    Reports a `# cnnlint: ignore` or `# cnnlint: ignore[CODE, ...]` comment that silences
    nothing: no finding of a selected rule is reported on its line (or on the lines of the call
    it ends). Codes of rules that are not selected in this run are never reported as unused.
    The same holds for a noqa comment listing cnnlint codes (`noqa: CNN001`; codes of other tools,
    such as `E501`, are not cnnlint's and never reported; a bare noqa is not either, other tools
    read it too) and for a
    file-level `# cnnlint: ignore-file[...]`. An unknown `# cnnlint:` directive (`# cnnlint:
    ignroe`) silences nothing and is reported here too, and so is an `ignore-file` after the
    file's first comment block, where it is not read.
    Opt-in: select it with `--extend-select CNN100` (as ruff's `RUF100`).

    ## Why is this bad?
    A suppression outlives the bug it was written for: once the shapes are fixed, the comment
    would silently hide the next real mismatch on that line.

    ## Example
    ```python
    x = tf.reshape(conv2, [-1, 7 * 7 * 64])  # cnnlint: ignore[CNN001]
    ```

    ## Use instead
    ```python
    x = tf.reshape(conv2, [-1, 7 * 7 * 64])
    ```

    ## Fix safety
    This rule has no automatic fix yet: removing a comment is safe, but a reviewer should see
    which suppression went stale.

    ## References
    - [ruff: unused-noqa (RUF100)](https://docs.astral.sh/ruff/rules/unused-noqa/)
    """

    code = "CNN100"
    name = "unused-suppression"
    severity = "warning"
    opt_in = True
    summary = "a `# cnnlint: ignore` comment that silences no finding"
    VALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 7, 7, 64])\n"
        "y = tf.reshape(x, [-1, 1024])  # cnnlint: ignore[CNN001]\n",
    )
    INVALID = (
        "import tensorflow as tf\n"
        "x = tf.placeholder(tf.float32, [None, 7, 7, 64])\n"
        "y = tf.reshape(x, [-1, 3136])  # cnnlint: ignore[CNN001]\n",
    )

    def check_suppressions(
        self, module: ModuleIR, silenced: Mapping[Suppression, frozenset[str]], selected: frozenset[str]
    ) -> Iterator[Diagnostic]:
        """Comments that silenced nothing; codes of rules not selected in this run are left alone."""
        for suppression, used in sorted(silenced.items(), key=lambda item: item[0].loc.line):
            codes = suppression.codes
            if suppression.kind == "unknown":
                what = ("unknown `# cnnlint:` directive: not read as a suppression "
                        "(write `# cnnlint: ignore[CODE]` or `# cnnlint: ignore-file[CODE]`)")
                yield self.diagnostic(module, suppression.loc, what)
                continue
            if suppression.kind == "misplaced":
                what = ("`# cnnlint: ignore-file` is read only in the file's first comment block "
                        "(before any code): here it silences nothing")
                yield self.diagnostic(module, suppression.loc, what)
                continue
            where = "in this file" if suppression.kind == "file" else "on this line"
            spelled = {"file": "`# cnnlint: ignore-file", "noqa": NOQA, "noqa-bare": NOQA}.get(
                suppression.kind, "`# cnnlint: ignore")
            if codes is None:
                if used or suppression.kind == "noqa-bare":  # a bare noqa may be for another tool
                    continue
                what = f"{spelled}` silences no finding {where}"
            elif self.code in codes:
                continue  # `# cnnlint: ignore[CNN100]` keeps a comment on purpose
            else:
                stale = sorted(c for c in codes if c in selected and c not in used)
                if not stale:
                    continue
                verb = "is" if len(stale) == 1 else "are"
                listing = f"{spelled}: ...`" if suppression.kind.startswith("noqa") else f"{spelled}[...]`"
                what = f"{listing} lists {', '.join(stale)}, which {verb} not reported {where}"
            yield self.diagnostic(module, suppression.loc, what)
