"""How Keras 3 standardises data before a model sees it (pure shape rules, ints and None)."""

from __future__ import annotations

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


def mismatched_axes(data: Ints, expected: Ints) -> list[int]:
    """Per-example axes (1...) where both sizes are known and differ; shapes of one rank."""
    return [i for i in range(1, len(expected)) if data[i] is not None and expected[i] is not None
            and data[i] != expected[i]]
