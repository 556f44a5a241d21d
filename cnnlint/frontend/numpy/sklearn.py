"""scikit-learn's array helpers that reach a model's data (`train_test_split`)."""

from __future__ import annotations

from cnnlint.frontend.library import Call
from cnnlint.frontend.numpy.registry import api
from cnnlint.frontend.python.values import UNKNOWN, SeqV, Value
from cnnlint.frontend.tensor import TensorV, dtype_attrs


@api("sklearn.model_selection.train_test_split", "sklearn.cross_validation.train_test_split", params="")
def train_test_split(c: Call) -> Value:
    """Two parts of every array (train, test): some of its rows, how many left unknown."""
    out: list[Value] = []
    for array in c.extra:
        node = c.interp_tensor(array) if isinstance(array, (TensorV, SeqV)) else None
        for _ in range(2):
            out.append(c.add("index", [node], {"key": (("slice?",),), **dtype_attrs(c.interp.graph, node)})
                       if node is not None else UNKNOWN)
    return SeqV(out) if out else UNKNOWN
