"""`super()`: the zero-argument form inside a method and `super(Class, obj)`, as Python resolves them.

A `SuperV`'s attribute lookup starts after the class in the C3 method resolution order of the
object's class; a user class's method found there is bound to the same object. Where the lookup
reaches a base that is not a user class (a framework's `Layer`), the plugins answer.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst

from cnnlint.frontend.python.values import UNKNOWN, BoundV, BuiltinV, ClassV, Const, FuncV, ModuleV, ObjectV, Value

if TYPE_CHECKING:
    from cnnlint.frontend.python.evaluator import Evaluator

_MAX_DEPTH = 64  # class hierarchies deeper than this are not linearised


@dataclass(eq=False)
class SuperV(Value):
    """`super(cls, obj)`: `after` is the MRO of `type(obj)` after `cls`."""

    cls: ClassV
    obj: ObjectV
    after: list[Value]

    def attribute(self, interp: Evaluator, attr: str) -> Value | None:
        for entry in self.after:
            if not isinstance(entry, ClassV):
                return None  # a framework's class (or an unknown one): the plugins answer
            if attr in entry.methods:
                found = entry.methods[attr]
                return BoundV(found, self.obj) if isinstance(found, FuncV) else found
        if attr == "__init__":  # `object.__init__`, which takes no arguments
            return BuiltinV("__init__", lambda interp, *args, **kwargs: UNKNOWN if args or kwargs else Const(None))
        return None

    def framework_base(self) -> Value | None:
        """The first base after `cls` that is not a user class: where a lookup no user class
        answers goes on (None when every base is a user class)."""
        return next((entry for entry in self.after if not isinstance(entry, ClassV)), None)


def _key(value: Value) -> object:
    """Bases are the same class when they are the same object, or the same library path."""
    return ("module", value.path) if isinstance(value, ModuleV) else id(value)


def mro(cls: ClassV, depth: int = 0) -> list[Value] | None:
    """The C3 linearisation of `cls` (Python's `__mro__`), a base that is not a user class being a
    leaf; None where Python would refuse the hierarchy (or it is too deep)."""
    if depth > _MAX_DEPTH:
        return None
    sequences: list[list[Value]] = []
    for base in cls.bases:
        if isinstance(base, ClassV):
            linear = mro(base, depth + 1)
            if linear is None:
                return None
            sequences.append(list(linear))
        else:
            sequences.append([base])
    sequences.append(list(cls.bases))
    out: list[Value] = [cls]
    while True:
        sequences = [s for s in sequences if s]
        if not sequences:
            return out
        for sequence in sequences:
            head = _key(sequence[0])
            if not any(head in {_key(v) for v in other[1:]} for other in sequences):
                break
        else:
            return None  # no consistent order: Python raises TypeError at the class statement
        chosen = sequence[0]
        out.append(chosen)
        for other in sequences:
            if _key(other[0]) == head:
                other.pop(0)


def make_super(cls: Value, obj: Value) -> Value:
    """`super(cls, obj)`: UNKNOWN unless `obj` is an object whose class derives from `cls`."""
    if not isinstance(cls, ClassV) or not isinstance(obj, ObjectV):
        return UNKNOWN
    order = mro(obj.cls)
    at = None if order is None else next((i for i, entry in enumerate(order) if entry is cls), None)
    if order is None or at is None:
        return UNKNOWN  # Python: "obj must be an instance or subtype of type"
    return SuperV(cls, obj, order[at + 1 :])


def builtin_super(interp: Evaluator, *args: Value) -> Value:
    """`super(cls, obj)`, or `super()` in a method: the class the method is defined in (the one
    of `type(self)`'s MRO whose body holds it) and the method's first argument."""
    if len(args) == 2:
        return make_super(args[0], args[1])
    frame = interp.frames[-1] if interp.frames else None
    if args or frame is None or frame.scope is None or not isinstance(frame.func, FuncV):
        return UNKNOWN
    func = frame.func
    node = func.node
    if func.scope.kind != "class" or not isinstance(node, cst.FunctionDef):
        return UNKNOWN  # a function not defined in a class body: Python raises RuntimeError
    params = [*node.params.posonly_params, *node.params.params]
    if not params:
        return UNKNOWN
    obj = frame.scope.vars.get(params[0].name.value, UNKNOWN)
    if not isinstance(obj, ObjectV):
        return UNKNOWN
    defining = next((entry for entry in mro(obj.cls) or [] if isinstance(entry, ClassV)
                     and entry.methods is func.scope.vars), None)  # a class's body scope holds its methods
    return UNKNOWN if defining is None else make_super(defining, obj)
