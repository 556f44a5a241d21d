"""The pandas plugin: readers and constructors of DataFrames and Series (`readers.py`), their
selections and properties (`frames.py`), methods (`methods.py`), and the in-place changes the
interpreter does not follow (`mutation.py`)."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from cnnlint.frontend.pandas import methods, readers  # noqa: F401  (they fill the tables)
from cnnlint.frontend.pandas.frames import PandasV
from cnnlint.frontend.pandas.mutation import mutating_call
from cnnlint.frontend.pandas.registry import LIBRARY
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.plugin import FunctionHook, Plugin
from cnnlint.frontend.python.values import Value


class PandasPlugin(Plugin):
    name: ClassVar[str] = "pandas"
    # pandas alone builds no model: a file is worth reading for a framework's markers.
    markers: ClassVar[tuple[bytes, ...]] = ()

    def function(self, path: str) -> FunctionHook | None:
        return LIBRARY.hook(path)

    def observe_call(self, interp: Evaluator, args: list[Value], kwargs: dict[str, Value], site: cst.Call) -> None:
        """A DataFrame passed to a function of the module that item-assigns to its parameter
        (`def add_features(df): df["x"] = ...`) forgets its sizes."""
        values = [*args, *kwargs.values()]
        if any(isinstance(v, PandasV) for v in values) and mutating_call(interp, site):
            for value in values:
                if isinstance(value, PandasV):
                    value.forget_in(interp)
