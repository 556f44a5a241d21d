"""The plugin protocol: how a framework's knowledge reaches the Python interpreter.

In the spirit of mypy's `plugin.py` (`get_function_hook(fullname)`): the interpreter asks its
chain of plugins, in order, and the first plugin that answers (returns something other than
None) wins. A plugin never registers into a global table, so two frameworks never collide and
nothing depends on the order modules happen to be imported in; the chain's order is the plugin
list of `cnnlint.frontend.plugins`.

A plugin owns, besides these hooks, its value types (subclasses of `Value` implementing the value
protocol: join, copy, attributes, operators, calls) and a typed state per interpreted module
(`interp.state(MyState)`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, ClassVar, TypeVar

import libcst as cst

from cnnlint.frontend.python.values import Naming, Value

if TYPE_CHECKING:
    from cnnlint.frontend.python.evaluator import Evaluator

# A library function: called with the interpreter, the path as the code reached it
# (`tensorflow.keras.layers.Conv2D`), positional and keyword arguments, the call site and the
# source expressions of the arguments (by position or keyword).
FunctionHook = Callable[
    ["Evaluator", str, list[Value], dict[str, Value], "cst.CSTNode | None", Mapping[str | int, cst.BaseExpression]],
    Value,
]
T = TypeVar("T")


class Plugin:
    """A framework plugin. Every hook's default answers "not mine"."""

    # Shown in messages and docs.
    name: ClassVar[str] = ""
    # Bytes whose presence in a file means this plugin may have something to say about it
    # (the runner skips files that contain no plugin's marker without parsing them).
    markers: ClassVar[tuple[bytes, ...]] = ()

    def function(self, path: str) -> FunctionHook | None:
        """The handler of a library function or class reached by `path` (`import tensorflow as
        tf; tf.nn.conv2d` is `tensorflow.nn.conv2d`), or None."""
        return None

    def attribute(self, interp: Evaluator, value: Value, attr: str) -> Value | None:
        """`value.attr` where Python does not know it: a method or property of a framework value
        (`x.shape`, `model.fit`), or of a user object whose class derives from a framework class
        (`self.add_weight`)."""
        return None

    def call_value(
        self, interp: Evaluator, value: Value, args: list[Value], kwargs: dict[str, Value],
        site: cst.CSTNode | None,
    ) -> Value | None:
        """A value called that Python cannot call itself: a framework value (a Keras layer
        applied, `Dense(10)(x)`), or a user object whose class defines no `__call__` (a subclassed
        Keras model, whose `call` the framework runs)."""
        return None

    def named(self, interp: Evaluator, value: Value, name: str, how: Naming) -> None:
        """The program gave a value a name (`model = Sequential()`, `self.encoder = Model(...)`)."""

    def observe_call(
        self, interp: Evaluator, args: list[Value], kwargs: dict[str, Value], site: cst.Call,
    ) -> None:
        """Every call the program makes, before it is evaluated (a TF1 `feed_dict=` argument)."""

    def finish(self, interp: Evaluator) -> None:
        """The end of the module: complete what was left open (models never built or called)."""


class Plugins:
    """The chain of plugins, in order: the first that answers wins."""

    def __init__(self, plugins: Sequence[Plugin]) -> None:
        self.plugins = tuple(plugins)
        self._functions: dict[str, FunctionHook | None] = {}
        # The hooks asked at every attribute, call and assignment go to the plugins that define
        # them (a hook a plugin does not define answers "not mine" or does nothing).
        self._attributes = _defining(self.plugins, "attribute")
        self._calls = _defining(self.plugins, "call_value")
        self._naming = _defining(self.plugins, "named")
        self._observing = _defining(self.plugins, "observe_call")

    def __iter__(self) -> Iterator[Plugin]:
        return iter(self.plugins)

    def function(self, path: str) -> FunctionHook | None:
        if path not in self._functions:
            self._functions[path] = _first(p.function(path) for p in self.plugins)
        return self._functions[path]

    def attribute(self, interp: Evaluator, value: Value, attr: str) -> Value | None:
        return _first(p.attribute(interp, value, attr) for p in self._attributes)

    def call_value(
        self, interp: Evaluator, value: Value, args: list[Value], kwargs: dict[str, Value],
        site: cst.CSTNode | None,
    ) -> Value | None:
        return _first(p.call_value(interp, value, args, kwargs, site) for p in self._calls)

    def named(self, interp: Evaluator, value: Value, name: str, how: Naming) -> None:
        for plugin in self._naming:
            plugin.named(interp, value, name, how)

    def observe_call(self, interp: Evaluator, args: list[Value], kwargs: dict[str, Value], site: cst.Call) -> None:
        for plugin in self._observing:
            plugin.observe_call(interp, args, kwargs, site)

    def finish(self, interp: Evaluator) -> None:
        for plugin in self.plugins:
            plugin.finish(interp)


def _defining(plugins: Sequence[Plugin], hook: str) -> tuple[Plugin, ...]:
    """The plugins, in order, whose class defines `hook` (not `Plugin`'s default)."""
    default = getattr(Plugin, hook)
    return tuple(p for p in plugins if getattr(type(p), hook) is not default)


def _first(answers: Iterable[T | None]) -> T | None:
    for answer in answers:
        if answer is not None:
            return answer
    return None
