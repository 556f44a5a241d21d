"""The rule index: every rule's code, name, severity, opt-in flag and module, without importing any.

Selection (`--select`, `--ignore`, `--extend-select`, the configuration) is decided here, so that a
run answered from the cache, `--show-settings` and a configuration check never import the rules,
and through them the front end, the shape engine and libcst (docs/performance.md). The rule
modules stay the source of truth: `tests/test_catalog.py` fails, printing the lines to paste here,
when a rule is added, renamed or moved and this table is not (as ruff's generated registry).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple


class RuleInfo(NamedTuple):
    code: str
    name: str
    severity: str
    opt_in: bool
    module: str


_R = RuleInfo
RULES: tuple[RuleInfo, ...] = (
    _R("CNN000", "syntax-error", "error", False, "cnnlint.rules.cnn000_syntax_error"),
    _R("CNN001", "flatten-size-mismatch", "error", False, "cnnlint.rules.cnn001_flatten_size_mismatch"),
    _R("CNN002", "dense-input-mismatch", "error", False, "cnnlint.rules.cnn002_dense_input_mismatch"),
    _R("CNN003", "conv-channel-mismatch", "error", False, "cnnlint.rules.cnn003_conv_channel_mismatch"),
    _R("CNN004", "reshape-size-mismatch", "error", False, "cnnlint.rules.cnn004_reshape_size_mismatch"),
    _R("CNN005", "non-positive-dimension", "error", False, "cnnlint.rules.cnn005_non_positive_dimension"),
    _R("CNN006", "rank-mismatch", "error", False, "cnnlint.rules.cnn006_rank_mismatch"),
    _R("CNN007", "legacy-keras-api", "error", False, "cnnlint.rules.cnn007_legacy_keras_api"),
    _R("CNN008", "merge-shape-mismatch", "error", False, "cnnlint.rules.cnn008_merge_shape_mismatch"),
    _R("CNN009", "strided-remainder", "warning", True, "cnnlint.rules.cnn009_strided_remainder"),
    _R("CNN010", "dense-on-feature-map", "error", False, "cnnlint.rules.cnn010_dense_on_feature_map"),
    _R("CNN011", "weight-shape-mismatch", "error", False, "cnnlint.rules.cnn011_weight_shape_mismatch"),
    _R("CNN012", "fit-input-mismatch", "error", False, "cnnlint.rules.feeding.cnn012_fit_input_mismatch"),
    _R("CNN013", "label-shape-mismatch", "error", False, "cnnlint.rules.feeding.cnn013_label_shape_mismatch"),
    _R("CNN014", "feed-shape-mismatch", "error", False, "cnnlint.rules.feeding.cnn014_feed_shape_mismatch"),
    _R("CNN015", "silent-broadcast", "warning", False, "cnnlint.rules.feeding.cnn015_silent_broadcast"),
    _R("CNN016", "version-dependent-arguments", "warning", False,
       "cnnlint.rules.cnn016_version_dependent_arguments"),
    _R("CNN100", "unused-suppression", "warning", True, "cnnlint.rules.cnn100_unused_suppression"),
    _R("CNN201", "softmax-over-one-unit", "error", False, "cnnlint.rules.training.cnn201_softmax_over_one_unit"),
    _R("CNN202", "categorical-loss-on-one-unit", "error", False,
       "cnnlint.rules.training.cnn202_categorical_loss_on_one_unit"),
    _R("CNN203", "probabilities-into-logits-loss", "warning", False,
       "cnnlint.rules.training.cnn203_probabilities_into_logits_loss"),
    _R("CNN204", "scores-into-probability-loss", "warning", False,
       "cnnlint.rules.training.cnn204_scores_into_probability_loss"),
    _R("CNN205", "activation-applied-twice", "warning", False,
       "cnnlint.rules.training.cnn205_activation_applied_twice"),
    _R("CNN206", "uninitialised-variables", "error", False,
       "cnnlint.rules.training.cnn206_uninitialised_variables"),
    _R("CNN207", "dropout-keep-probability", "warning", False,
       "cnnlint.rules.training.cnn207_dropout_keep_probability"),
    _R("CNN208", "symmetric-initialisation", "warning", False,
       "cnnlint.rules.training.cnn208_symmetric_initialisation"),
)

BY_CODE: dict[str, RuleInfo] = {info.code: info for info in RULES}
BY_NAME: dict[str, RuleInfo] = {info.name: info for info in RULES}


class SelectionError(ValueError):
    pass


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code.startswith(p) for p in patterns)


def validate(patterns: Iterable[str]) -> None:
    """Raise SelectionError for a pattern that is no rule's code or code prefix."""
    for pattern in patterns:
        if not any(info.code.startswith(pattern) for info in RULES):
            raise SelectionError(f"unknown rule code or prefix: {pattern!r}")


def selected(select: Iterable[str] | None = None, ignore: Iterable[str] = (),
             extend_select: Iterable[str] = ()) -> list[RuleInfo]:
    """The enabled rules, in code order: the default set (or `select`; a prefix selects opt-in rules
    too), plus `extend_select`, minus `ignore`. Raises SelectionError for an unknown pattern."""
    chosen = list(select) if select is not None else None
    ignored, extended = list(ignore), list(extend_select)
    validate([*(chosen or []), *ignored, *extended])
    enabled: list[RuleInfo] = []
    for info in RULES:
        on = _matches(info.code, chosen) if chosen is not None else not info.opt_in
        if _matches(info.code, extended):
            on = True
        if _matches(info.code, ignored):
            on = False
        if on:
            enabled.append(info)
    return enabled
