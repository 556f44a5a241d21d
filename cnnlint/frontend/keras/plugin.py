"""The Keras plugin: layers, models (Sequential, functional, subclassed), training calls, Keras 1
spellings and Keras's data helpers, for Keras 1 to 3 and tf.keras."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst

from cnnlint.frontend.keras import (  # noqa: F401  (they fill the tables)
    building,
    custom_layers,
    datasets,
    idioms,
    imagenet_utils,
    preprocessing,
    super_init,
    training,
)
from cnnlint.frontend.keras.layers import (
    apply,
    call_object,
    finish_legacy_fixes,
    finish_sequentials,
    finish_subclassed,
    name_model,
    object_attribute,
)
from cnnlint.frontend.keras.registry import LIBRARY, METHODS
from cnnlint.frontend.keras.values import FunctionalV, LayerV, SequentialV
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.plugin import FunctionHook, Plugin
from cnnlint.frontend.python.supercall import SuperV
from cnnlint.frontend.python.values import Naming, ObjectV, Value, bound_method

# `keras.applications.*` (a table of networks) is imported on the first lookup of such a name.
LIBRARY.defer("keras.applications.", "cnnlint.frontend.keras.applications")


class KerasPlugin(Plugin):
    name: ClassVar[str] = "keras"
    markers: ClassVar[tuple[bytes, ...]] = (b"keras",)

    def function(self, path: str) -> FunctionHook | None:
        return LIBRARY.hook(path)

    def attribute(self, interp: Evaluator, value: Value, attr: str) -> Value | None:
        if isinstance(value, SuperV):
            return super_init.attribute(interp, value, attr)
        functional = super_init.functional_of(interp, value)  # a subclass that is a functional model
        if functional is not None:
            return interp.attribute(functional, attr)
        prop = idioms.attribute(interp, value, attr)
        if prop is not None:
            return prop
        method = bound_method(METHODS, value, attr)
        if method is not None:
            return method
        if isinstance(value, ObjectV):
            return custom_layers.object_method(interp, value, attr) or building.object_method(interp, value, attr) \
                or object_attribute(interp, value, attr)
        return custom_layers.dimension_value(interp, value, attr)

    def call_value(
        self, interp: Evaluator, value: Value, args: list[Value], kwargs: dict[str, Value],
        site: cst.CSTNode | None,
    ) -> Value | None:
        if isinstance(value, ObjectV):
            interp.state(idioms.IdiomState).objects_called = True
            return call_object(interp, value, args, kwargs, site)
        if isinstance(value, (LayerV, SequentialV, FunctionalV)) and args:
            return apply(interp, value, args[0], site)
        return None

    def named(self, interp: Evaluator, value: Value, name: str, how: Naming) -> None:
        functional = super_init.functional_of(interp, value)  # a subclass that is a functional model
        value = value if functional is None else functional
        if (isinstance(value, (SequentialV, FunctionalV)) and how in ("variable", "attribute")) or \
                (isinstance(value, ObjectV) and how == "variable"):
            name_model(interp, value, name, len(interp.frames))

    def finish(self, interp: Evaluator) -> None:
        finish_legacy_fixes(interp)
        finish_sequentials(interp)
        finish_subclassed(interp)
