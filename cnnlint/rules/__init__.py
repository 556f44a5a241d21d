"""The rule table: every rule class, in code order, and selection by code prefix."""

from __future__ import annotations

from collections.abc import Iterable

from cnnlint.rules.base import Diagnostic, Rule
from cnnlint.rules.cnn000_syntax_error import SyntaxError_
from cnnlint.rules.cnn001_flatten_size_mismatch import FlattenSizeMismatch
from cnnlint.rules.cnn002_dense_input_mismatch import DenseInputMismatch
from cnnlint.rules.cnn003_conv_channel_mismatch import ConvChannelMismatch
from cnnlint.rules.cnn004_reshape_size_mismatch import ReshapeSizeMismatch
from cnnlint.rules.cnn005_non_positive_dimension import NonPositiveDimension
from cnnlint.rules.cnn006_rank_mismatch import RankMismatch
from cnnlint.rules.cnn007_legacy_keras_api import LegacyKerasApi
from cnnlint.rules.cnn008_merge_shape_mismatch import MergeShapeMismatch
from cnnlint.rules.cnn009_strided_remainder import StridedRemainder
from cnnlint.rules.cnn010_dense_on_feature_map import DenseOnFeatureMap
from cnnlint.rules.cnn011_weight_shape_mismatch import WeightShapeMismatch
from cnnlint.rules.cnn012_fit_input_mismatch import FitInputMismatch
from cnnlint.rules.cnn013_label_shape_mismatch import LabelShapeMismatch
from cnnlint.rules.cnn014_feed_shape_mismatch import FeedShapeMismatch
from cnnlint.rules.cnn016_version_dependent_arguments import VersionDependentArguments
from cnnlint.rules.cnn100_unused_suppression import UnusedSuppression

ALL_RULES: tuple[type[Rule], ...] = (
    SyntaxError_,
    FlattenSizeMismatch,
    DenseInputMismatch,
    ConvChannelMismatch,
    ReshapeSizeMismatch,
    NonPositiveDimension,
    RankMismatch,
    LegacyKerasApi,
    MergeShapeMismatch,
    StridedRemainder,
    DenseOnFeatureMap,
    WeightShapeMismatch,
    FitInputMismatch,
    LabelShapeMismatch,
    FeedShapeMismatch,
    VersionDependentArguments,
    UnusedSuppression,
)

BY_CODE: dict[str, type[Rule]] = {rule.code: rule for rule in ALL_RULES}


class SelectionError(ValueError):
    pass


def _matches(code: str, patterns: Iterable[str]) -> bool:
    return any(code.startswith(p) for p in patterns)


def validate(patterns: Iterable[str]) -> None:
    for pattern in patterns:
        if not any(rule.code.startswith(pattern) for rule in ALL_RULES):
            raise SelectionError(f"unknown rule code or prefix: {pattern!r}")


def select_rules(
    select: Iterable[str] | None = None,
    ignore: Iterable[str] = (),
    extend_select: Iterable[str] = (),
) -> list[Rule]:
    """Instantiate the enabled rules: the default set (or `select`), plus `extend_select`, minus `ignore`."""
    select = list(select) if select is not None else None
    ignore, extend_select = list(ignore), list(extend_select)
    validate([*(select or []), *ignore, *extend_select])
    chosen: list[Rule] = []
    for rule in ALL_RULES:
        enabled = _matches(rule.code, select) if select is not None else not rule.opt_in
        if _matches(rule.code, extend_select):
            enabled = True
        if _matches(rule.code, ignore):
            enabled = False
        if enabled:
            chosen.append(rule())
    return chosen


__all__ = ["ALL_RULES", "BY_CODE", "Diagnostic", "Rule", "SelectionError", "select_rules"]
