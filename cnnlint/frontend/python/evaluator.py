"""The expression half of the interpreter: values of expressions, assignment targets, calls.

`Evaluator` holds the state of one module's interpretation (graph, budgets, frames, the plugin
chain, per-plugin state); `Interpreter` (statements) extends it. Framework values are reached
only through the value protocol (`values.Value`) and the plugin chain (`plugin.Plugins`).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import libcst as cst
from libcst.metadata import CodeRange

from cnnlint.frontend.python.builtins import BUILTINS, METHODS, havoc_value
from cnnlint.frontend.python.folding import compare, const_binop, dim_binop, formattable, modest_format
from cnnlint.frontend.python.join import Joiner, join, join_all, join_items, restore, snapshot
from cnnlint.frontend.python.limits import MAX_CALL_DEPTH, MAX_FOREIGN_STEPS, MAX_ITEMS, MAX_STEPS, MAX_UNROLL
from cnnlint.frontend.python.plugin import Plugins
from cnnlint.frontend.python.positions import Entry, Placing, kept_text
from cnnlint.frontend.python.scope import (
    BreakSignal,
    BudgetExceeded,
    ContinueSignal,
    Frame,
    LoopUncertain,
    RaiseSignal,
    ReturnSignal,
    Scope,
)
from cnnlint.frontend.python.values import (
    ELLIPSIS,
    NOKEY,
    UNKNOWN,
    BoundV,
    BuiltinV,
    ClassV,
    Const,
    DefaultNone,
    DictV,
    FuncV,
    GeneratorV,
    ListOfV,
    ModuleV,
    Naming,
    ObjectKeyedDictV,
    ObjectV,
    OpaqueV,
    ParamV,
    SeqV,
    SliceV,
    Value,
    as_bool,
    as_dim,
    as_int,
    bound_method,
    class_lookup,
    int_value,
    key_value,
    opaque,
    py_literal,
    subscript_items,
)
from cnnlint.frontend.python.visitors import handler, has_yield
from cnnlint.ir import Finding, FindingDetails, Graph, HelperCall, Loc, ModuleIR
from cnnlint.options import FrontendOptions

S = TypeVar("S")


class Evaluator(Placing):
    """Evaluates expressions of one module; see `Interpreter` for statements. Where nodes are and
    their text: `Placing`."""

    def __init__(self, module: cst.Module, path: str, plugins: Plugins, options: FrontendOptions | None = None) -> None:
        self.module = module
        self.path = path
        self.plugins = plugins
        self.options = options or FrontendOptions()
        self._positions: Mapping[cst.CSTNode, CodeRange] | None = None
        self._spanning_nodes: set[cst.CSTNode] | None = None
        self.graph = Graph("<module>", path, 1)
        self.ir = ModuleIR(path, graphs=[self.graph])
        self.steps = 0
        self.total_steps = self.foreign_steps = 0  # the latter: in other files' functions (MAX_FOREIGN_STEPS)
        self.deadline = time.monotonic() + self.options.file_seconds
        self.out_of_time = False
        # The call being evaluated, for builtins and methods that add ops (their source location).
        self.call_site: cst.CSTNode | None = None
        self.frames: list[Frame] = []
        # The loops being run, innermost last: "unrolled" (over known items) or "abstract" (one
        # pass for an unknown trip count); a call starts with none of its caller's.
        self.loop_kinds: list[str] = []
        # The tests of the `if` statements whose branch is being run, innermost last (both
        # branches of each: a rule may need to know that a value is made only on one of them).
        self.conditions: list[cst.BaseExpression] = []
        self.called: set[cst.FunctionDef] = set()
        # Each plugin's state for this module, by its type (`interp.state(KerasState)`).
        self._states: dict[type[Any], Any] = {}
        self._lines: list[str] | None = None
        # For a variable read as an integer (`flat` in `tf.reshape(x, [-1, flat])`): where the
        # assignment that gave it its value is, for findings to point at (`Call.origins`).
        self.name_sites: dict[cst.Name, Loc] = {}
        # While a function of another project file runs: the call in this file that ran it.
        self.entry: Entry | tuple[()] = ()
        self.running: list[Any] = []  # the other files (`modules.FileContext`) whose functions are running
        self.uncalled = False  # analysing the functions no code of the file calls
        self._site: cst.CSTNode | None = None  # the call being made, for `entry`
        self.own_calls: set[cst.Call] = set()  # calls of this module that ran (`owns`, before positions)

    def state(self, kind: type[S]) -> S:
        """The plugin state of type `kind` for this module, made on first use."""
        found = self._states.get(kind)
        if found is None:
            found = self._states[kind] = kind()
        return found

    def exec_block(self, body: Sequence[cst.BaseStatement] | cst.BaseSuite, scope: Scope) -> None:
        raise NotImplementedError  # statements: `Interpreter`

    # -- helpers ------------------------------------------------------------------------
    def name(self, value: Value, name: str, how: Naming) -> None:
        """The program gave `value` a name: the value and the plugins hear of it."""
        value.named(self, name, how)
        self.plugins.named(self, value, name, how)

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise BudgetExceeded
        self.total_steps += 1
        if self.out_of_time or (self.total_steps & 1023 == 0 and time.monotonic() > self.deadline):
            self.out_of_time = True  # every later part stops at its first step
            raise BudgetExceeded

    def finding(self, node: cst.CSTNode, details: FindingDetails) -> None:
        """A front-end fact that is not a shape, at `node`, for the rules to report."""
        self.ir.findings.append(Finding(self.loc(node), details))

    # -- binding ------------------------------------------------------------------------
    def bind(self, target: cst.BaseExpression, value: Value, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.assign(target.value, value, self.loc(target) if isinstance(value, Const) else None)
            if isinstance(value, DictV):
                for key, item in value.items.items():
                    if isinstance(key, str):
                        self.name(item, f"{target.value}[{key!r}]", "item")
            else:
                self.name(value, target.value, "variable")
        elif isinstance(target, (cst.Tuple, cst.List)):
            elements = target.elements
            items = self.iterate(value)
            starred = [i for i, e in enumerate(elements) if isinstance(e, cst.StarredElement)]
            if items is None or (not starred and len(items) != len(elements)):
                for element in elements:
                    self.bind(element.value, UNKNOWN, scope)
                return
            if starred:
                at = starred[0]
                tail = len(elements) - at - 1
                if len(items) < len(elements) - 1:
                    for element in elements:
                        self.bind(element.value, UNKNOWN, scope)
                    return
                parts: list[Value] = [*items[:at], SeqV(list(items[at : len(items) - tail])),
                                      *items[len(items) - tail :]]
            else:
                parts = list(items)
            for element, item in zip(elements, parts, strict=True):
                self.bind(element.value, item, scope)
        elif isinstance(target, cst.Attribute):
            obj = self.eval(target.value, scope)
            if isinstance(obj, ObjectV):
                obj.attrs[target.attr.value] = value
                self.name(value, self.code(target), "attribute")
        elif isinstance(target, cst.Subscript):
            container = self.eval(target.value, scope)
            if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
                return
            key = self.eval(target.slice[0].slice.value, scope)
            if isinstance(container, DictV):
                hashable = py_literal(key)
                if hashable is NOKEY:
                    havoc_value(container)
                else:
                    container.items[hashable] = value
                    self.name(value, f"{self.code(target.value)}[{hashable!r}]", "item")
            elif isinstance(container, SeqV) and not container.is_tuple:
                index = as_int(key)
                if index is not None and -len(container.items) <= index < len(container.items):
                    container.items[index] = value
                else:
                    havoc_value(container)

    # -- expressions --------------------------------------------------------------------
    def eval(self, node: cst.BaseExpression | None, scope: Scope) -> Value:
        if node is None:
            return UNKNOWN
        self.tick()
        method = handler(type(self), "expr_", type(node))
        if method is None:
            return UNKNOWN
        result: Value = method(self, node, scope)
        return result

    def expr_Name(self, node: cst.Name, scope: Scope) -> Value:
        name = node.value
        found = scope.lookup(name)
        if found is not None:
            if isinstance(found, Const) and isinstance(found.value, int):
                at = scope.assigned_at(name, found)
                if at is not None:
                    self.name_sites[node] = at
            return found
        if name in ("True", "False", "None"):
            return Const({"True": True, "False": False, "None": None}[name])
        builtin = BUILTINS.get(name)
        if builtin is not None:
            return builtin
        for module in scope.module.star_imports:
            path = f"{module}.{name}"
            if self.plugins.function(path) is not None:
                return ModuleV(path)
        return UNKNOWN

    def expr_Ellipsis(self, node: cst.Ellipsis, scope: Scope) -> Value:
        return ELLIPSIS

    def expr_Integer(self, node: cst.Integer, scope: Scope) -> Value:
        text = node.value
        if text.isascii() and text.isdigit() and (text[0] != "0" or len(text) == 1) and len(text) < 19:
            return Const(int(text))  # what `ast.literal_eval` (libcst's `evaluated_value`) gives
        try:
            return Const(int(node.evaluated_value))
        except (ValueError, SyntaxError):  # over Python's 4300-digit limit: Python rejects the file too
            return UNKNOWN

    def expr_Float(self, node: cst.Float, scope: Scope) -> Value:
        try:
            return Const(float(node.evaluated_value))
        except (ValueError, SyntaxError):
            return UNKNOWN

    def expr_SimpleString(self, node: cst.SimpleString | cst.ConcatenatedString, scope: Scope) -> Value:
        if isinstance(node, cst.SimpleString):
            text = node.value
            if len(text) >= 2 and text[0] in "'\"" and text[-1] == text[0] and "\\" not in text \
                    and text[0] not in text[1:-1]:
                return Const(text[1:-1])  # a plain one-line literal: its text is its value
        try:
            value = node.evaluated_value
        except Exception:
            return UNKNOWN
        return Const(value) if isinstance(value, str) else UNKNOWN

    expr_ConcatenatedString = expr_SimpleString

    def expr_FormattedString(self, node: cst.FormattedString, scope: Scope) -> Value:
        parts: list[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(part.value)
                continue
            assert isinstance(part, cst.FormattedStringExpression)
            value = self.eval(part.expression, scope)
            if part.conversion is not None or part.format_spec is not None or not formattable(value):
                return UNKNOWN
            parts.append(str(value.value))  # type: ignore[attr-defined]
        return Const("".join(parts))

    def expr_Tuple(self, node: cst.Tuple, scope: Scope) -> Value:
        items = self.eval_elements(node.elements, scope)
        return UNKNOWN if items is None else SeqV(items, is_tuple=True)

    def expr_List(self, node: cst.List, scope: Scope) -> Value:
        items = self.eval_elements(node.elements, scope)
        return UNKNOWN if items is None else SeqV(items)

    def eval_elements(self, elements: Sequence[cst.BaseElement], scope: Scope) -> list[Value] | None:
        items: list[Value] = []
        known = True
        for element in elements:
            value = self.eval(element.value, scope)
            if isinstance(element, cst.StarredElement):
                expanded = self.iterate(value)
                if expanded is None:
                    known = False
                else:
                    items.extend(expanded)
            else:
                items.append(value)
        return items if known else None

    def expr_Dict(self, node: cst.Dict, scope: Scope) -> Value:
        out: dict[Any, Value] = {}
        object_keyed: list[tuple[Value, Value, str]] = []
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                other = self.eval(element.value, scope)
                if not isinstance(other, DictV):
                    return UNKNOWN
                out.update(other.items)
                continue
            assert isinstance(element, cst.DictElement)
            key_of = self.eval(element.key, scope)
            key = py_literal(key_of)
            value = self.eval(element.value, scope)
            if key_of.hashed_by_identity:
                object_keyed.append((key_of, value, self.code(element.value)))
                continue
            if key is NOKEY:
                return UNKNOWN
            out[key] = value
            if isinstance(key, str):
                self.name(value, key, "entry")
        if object_keyed:
            return ObjectKeyedDictV(object_keyed) if not out else UNKNOWN
        return DictV(out)

    def expr_Set(self, node: cst.Set, scope: Scope) -> Value:
        self.eval_elements(node.elements, scope)
        return UNKNOWN

    def expr_Attribute(self, node: cst.Attribute, scope: Scope) -> Value:
        obj = self.eval(node.value, scope)
        outer, self.call_site = self.call_site, node  # an op an attribute makes (`x.T`) is placed here
        try:
            return self.attribute(obj, node.attr.value)
        finally:
            self.call_site = outer

    def attribute(self, obj: Value, attr: str) -> Value:
        if isinstance(obj, ModuleV):
            return ModuleV(f"{obj.path}.{attr}")
        if isinstance(obj, ObjectV):
            if attr in obj.attrs:
                return obj.attrs[attr]
            method = class_lookup(obj.cls, attr)
            if isinstance(method, FuncV):
                return BoundV(method, obj)
            if method is not None:
                return method
            found = self.plugins.attribute(self, obj, attr)
            return UNKNOWN if found is None else found
        if isinstance(obj, ClassV):
            found = class_lookup(obj, attr)
            return found if found is not None else UNKNOWN
        python_method = bound_method(METHODS, obj, attr)
        if python_method is not None:
            return python_method
        own = obj.attribute(self, attr)
        if own is not None:
            return own
        found = self.plugins.attribute(self, obj, attr)
        return UNKNOWN if found is None else found

    def expr_Subscript(self, node: cst.Subscript, scope: Scope) -> Value:
        container = self.eval(node.value, scope)
        if len(node.slice) != 1:  # `x[a, b]` is `x[(a, b)]`
            key: Value = SeqV([self.eval_slice(element.slice, scope) for element in node.slice], is_tuple=True)
            return self.subscript(container, key, node)
        key = self.eval_slice(node.slice[0].slice, scope)
        return self.subscript(container, key, node)

    def eval_slice(self, part: cst.BaseSlice, scope: Scope) -> Value:
        if isinstance(part, cst.Index):
            return self.eval(part.value, scope)
        assert isinstance(part, cst.Slice)
        return SliceV(
            self.eval(part.lower, scope) if part.lower is not None else Const(None),
            self.eval(part.upper, scope) if part.upper is not None else Const(None),
            self.eval(part.step, scope) if part.step is not None else Const(None),
        )

    def subscript(self, container: Value, key: Value, node: cst.CSTNode | None) -> Value:
        if isinstance(container, SeqV):
            return subscript_items(container.items, key, lambda items: SeqV(items, container.is_tuple))
        if isinstance(container, DictV):
            hashable = py_literal(key)
            if hashable is NOKEY:
                return UNKNOWN
            return container.items.get(hashable, UNKNOWN)
        found = container.subscript(self, key, node)
        return UNKNOWN if found is None else found

    def expr_BinaryOperation(self, node: cst.BinaryOperation, scope: Scope) -> Value:
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        return self.binop(type(node.operator).__name__, left, right, node)

    def binop(self, op: str, left: Value, right: Value, node: cst.CSTNode) -> Value:
        for operand in (left, right):
            result = operand.binop(self, op, left, right, node)
            if result is not None:
                return result
        if isinstance(left, Const) and isinstance(right, Const):
            return const_binop(op, left.value, right.value)
        a, b = as_dim(left), as_dim(right)
        if a is not None and b is not None:
            return dim_binop(op, a, b)
        if isinstance(left, Const) and isinstance(left.value, str) and op == "Modulo" and isinstance(right, SeqV):
            if all(formattable(v) for v in right.items) and len(left.value) < 1000 and modest_format(left.value):
                try:
                    return Const(left.value % tuple(v.value for v in right.items))  # type: ignore[attr-defined]
                except (TypeError, ValueError):
                    return UNKNOWN
            return UNKNOWN
        if isinstance(left, SeqV) and isinstance(right, SeqV) and op == "Add":
            if len(left.items) + len(right.items) > MAX_ITEMS:
                return UNKNOWN
            return SeqV(left.items + right.items, left.is_tuple)
        if isinstance(left, SeqV) and op == "Multiply":
            times = as_int(right)
            if times is None or times >= 10_000 or len(left.items) * times > MAX_ITEMS:
                return UNKNOWN
            return SeqV(left.items * times, left.is_tuple)
        return UNKNOWN

    def expr_UnaryOperation(self, node: cst.UnaryOperation, scope: Scope) -> Value:
        value = self.eval(node.expression, scope)
        op = type(node.operator).__name__
        if op == "Not":
            truth = as_bool(value)
            return UNKNOWN if truth is None else Const(not truth)
        own = value.unop(self, op, node)
        if own is not None:
            return own
        dim = as_dim(value)
        if op == "Minus":
            if isinstance(value, Const) and isinstance(value.value, (int, float)):
                return Const(-value.value)
            return int_value(-dim) if dim is not None else UNKNOWN
        if op == "Plus":
            return value
        return UNKNOWN

    def expr_BooleanOperation(self, node: cst.BooleanOperation, scope: Scope) -> Value:
        left = self.eval(node.left, scope)
        truth = as_bool(left)
        is_and = isinstance(node.operator, cst.And)
        if truth is None:
            self.eval(node.right, scope)
            return UNKNOWN
        if truth is (not is_and):
            return left
        return self.eval(node.right, scope)

    def expr_Comparison(self, node: cst.Comparison, scope: Scope) -> Value:
        left = self.eval(node.left, scope)
        result: bool | None = True
        for target in node.comparisons:
            right = self.eval(target.comparator, scope)
            if len(node.comparisons) == 1:
                for operand in (left, right):
                    elementwise = operand.compare(self, type(target.operator).__name__, left, right, node)
                    if elementwise is not None:  # `y == 3` on an array: a boolean array
                        return elementwise
            outcome = compare(type(target.operator).__name__, left, right)
            if outcome is False:
                return Const(False)
            if outcome is None:
                result = None
            left = right
        return UNKNOWN if result is None else Const(True)

    def expr_IfExp(self, node: cst.IfExp, scope: Scope) -> Value:
        test = as_bool(self.eval(node.test, scope))
        if test is True:
            return self.eval(node.body, scope)
        if test is False:
            return self.eval(node.orelse, scope)
        return join(self.eval(node.body, scope), self.eval(node.orelse, scope))

    def expr_Lambda(self, node: cst.Lambda, scope: Scope) -> Value:
        defaults = {p.name.value: self.eval(p.default, scope) for p in node.params.params if p.default is not None}
        return FuncV(node, scope, "<lambda>", defaults)

    def expr_NamedExpr(self, node: cst.NamedExpr, scope: Scope) -> Value:
        value = self.eval(node.value, scope)
        self.bind(node.target, value, scope)
        return value

    def expr_ListComp(self, node: cst.ListComp, scope: Scope) -> Value:
        return self.comprehension(node, node.for_in, node.elt, scope, is_tuple=False)

    def expr_GeneratorExp(self, node: cst.GeneratorExp, scope: Scope) -> Value:
        return self.comprehension(node, node.for_in, node.elt, scope, is_tuple=True)

    def comprehension(self, node: cst.CSTNode, for_in: cst.CompFor, elt: cst.BaseExpression, scope: Scope,
                      is_tuple: bool) -> Value:
        """A list comprehension or generator: the list of its items where the iterables and the
        conditions are known; otherwise a list of unknown length (`ListOfV`) whose item is `elt`
        evaluated once with each target bound to what describes every item of its iterable."""
        inner = Scope("function", parent=scope, module=scope.module)
        out: list[Value] = []
        exact = True

        def run(clause: cst.CompFor) -> bool:
            nonlocal exact
            iterable = self.eval(clause.iter, inner)
            items = self.iterate(iterable)
            if items is None or len(items) > MAX_UNROLL:
                exact = False
                # Items of unknown number (and, if nothing describes them, unknown): the
                # expression evaluated once describes every item the comprehension makes.
                summary = self.summarize(iterable, clause.iter)
                items = [summary if summary is not None else UNKNOWN]
            for item in items:
                self.bind(clause.target, item, inner)
                keep: bool | None = True
                for cond in clause.ifs:
                    keep = as_bool(self.eval(cond.test, inner))
                    if keep is not True:
                        break
                if keep is False:
                    continue
                if keep is None:
                    exact = False  # some items are left out: the item is still what the others are
                if clause.inner_for_in is not None:
                    if not run(clause.inner_for_in):
                        return False
                else:
                    out.append(self.eval(elt, inner))
            return True

        if not run(for_in):
            return UNKNOWN
        if exact:
            return SeqV(out, is_tuple)
        return ListOfV(join_items(list(out), Joiner(self, node, self.graph)), is_tuple)

    def expr_Call(self, node: cst.Call, scope: Scope) -> Value:
        if not self.running:
            self.own_calls.add(node)
        func = self.eval(node.func, scope)
        args: list[Value] = []
        kwargs: dict[str, Value] = {}
        sources: dict[str | int, cst.BaseExpression] = {}
        exact = True
        for arg in node.args:
            value = self.eval(arg.value, scope)
            if arg.star == "*":
                expanded = self.iterate(value)
                if expanded is None:
                    exact = False
                else:
                    args.extend(expanded)
            elif arg.star == "**":
                if isinstance(value, DictV) and all(isinstance(k, str) for k in value.items):
                    kwargs.update(value.items)
                else:
                    exact = False
            elif arg.keyword is not None:
                kwargs[arg.keyword.value] = value
                sources[arg.keyword.value] = arg.value
            else:
                sources[len(args)] = arg.value
                args.append(value)
        if not exact:
            return UNKNOWN
        self.plugins.observe_call(self, args, kwargs, node)
        return self.call(func, args, kwargs, node, sources)

    def call(
        self,
        func: Value,
        args: list[Value],
        kwargs: dict[str, Value],
        site: cst.CSTNode | None = None,
        sources: dict[str | int, cst.BaseExpression] | None = None,
    ) -> Value:
        if isinstance(func, BoundV):
            if isinstance(func.func, BuiltinV):
                self.call_site = site
                try:
                    return func.func.impl(self, func.self_value, *args, **kwargs)
                except TypeError:  # called with arguments the method does not take, as for builtins
                    return UNKNOWN
            return self.call(func.func, [func.self_value, *args], kwargs, site, _shifted(sources))
        if isinstance(func, FuncV):
            self._site = site
            return self.call_function(func, args, kwargs)
        if isinstance(func, BuiltinV):
            self.call_site = site
            try:
                return func.impl(self, *args, **kwargs)
            except TypeError:
                return UNKNOWN
        if isinstance(func, ModuleV):
            hook = self.plugins.function(func.path)
            return hook(self, func.path, args, kwargs, site, sources or {}) if hook else opaque(args, kwargs, site)
        if isinstance(func, ClassV):
            return self.instantiate(func, args, kwargs, site, sources)
        if isinstance(func, ObjectV):
            method = class_lookup(func.cls, "__call__")
            if method is not None:
                return self.call(method, [func, *args], kwargs)
        result = func.call(self, args, kwargs, site, sources or {})
        if result is None:
            result = self.plugins.call_value(self, func, args, kwargs, site)
        if result is None:
            return opaque(args, kwargs, site) if func is UNKNOWN or isinstance(func, OpaqueV) else UNKNOWN
        return result

    def instantiate(
        self, cls: ClassV, args: list[Value], kwargs: dict[str, Value],
        site: cst.CSTNode | None, sources: dict[str | int, cst.BaseExpression] | None,
    ) -> Value:
        obj = ObjectV(cls, site=site)
        init = class_lookup(cls, "__init__")
        if isinstance(init, FuncV):
            self._site = site
            self.call_function(init, [obj, *args], kwargs)
        return obj

    def call_function(self, func: FuncV, args: list[Value], kwargs: dict[str, Value], partial: bool = False) -> Value:
        """Inline a user function; `partial` runs it with unknowns for missing arguments. A function
        of another project file (imported) runs with `entry` set to the call in this file."""
        site, self._site = self._site, None
        context = func.scope.module.file
        if context is None:
            return self._call_function(func, args, kwargs, partial, site)
        if self.uncalled or (not self.entry and self.foreign_steps > MAX_FOREIGN_STEPS):  # only cost: a function
            return UNKNOWN if self.uncalled else opaque(args, kwargs, site)  # nobody calls, a library's every call
        entry, before = self.entry, self.total_steps
        if not entry:
            self.entry = Entry(self, site)
        self.running.append(context)
        try:
            return self._call_function(func, args, kwargs, partial, site)
        finally:
            self.running.pop()
            self.entry = entry
            self.foreign_steps += 0 if entry else self.total_steps - before

    def _call_function(self, func: FuncV, args: list[Value], kwargs: dict[str, Value], partial: bool,
                       site: cst.CSTNode | None = None) -> Value:
        if len(self.frames) >= MAX_CALL_DEPTH:
            return UNKNOWN
        if site is None or not isinstance(func.node, cst.FunctionDef):
            return self._run_function(func, args, kwargs, partial)
        graph = self.graph  # the nodes the call makes remember it (`Graph.helpers`)
        function = f"{func.node.name.value}#{id(func.node)}"
        graph.helper_stack.append(HelperCall(self.loc(site), function, lambda: self.code(site)))
        try:
            return self._run_function(func, args, kwargs, partial)
        finally:
            graph.helper_stack.pop()

    def _run_function(self, func: FuncV, args: list[Value], kwargs: dict[str, Value], partial: bool) -> Value:
        node = func.node
        generator = False
        if isinstance(node, cst.FunctionDef):
            self.called.add(node)
            generator = self._is_generator(func, node)
        scope = Scope("function", parent=func.scope if func.scope.kind != "class" else func.scope.parent,
                      module=func.scope.module)
        if not self._bind_params(node.params, func, args, kwargs, scope, partial):
            return UNKNOWN
        if generator:
            return self._generator(func, scope)
        frame = Frame(func=func, scope=scope)
        self.frames.append(frame)
        loops, self.loop_kinds = self.loop_kinds, []
        try:
            if isinstance(node, cst.Lambda):
                result = self.eval(node.body, scope)
            else:
                self.exec_block(node.body, scope)
                result = Const(None)
        except ReturnSignal as signal:
            result = signal.value
        except (RaiseSignal, LoopUncertain, BreakSignal, ContinueSignal):
            return UNKNOWN
        finally:
            self.frames.pop()
            self.loop_kinds = loops
        if frame.possible_returns:
            return join_all([*frame.possible_returns, result])
        return result

    def _generator(self, func: FuncV, scope: Scope) -> Value:
        """A call of a generator function: its body runs once, now, to learn what it yields (a
        `GeneratorV` of those values joined); what the body changes outside the generator is
        undone, as nothing has iterated it yet."""
        node = func.node
        assert isinstance(node, cst.FunctionDef)
        outer = [s for s in scope.chain() if s is not scope]
        saved = snapshot(outer)
        frame = Frame(yields=[])
        self.frames.append(frame)
        loops, self.loop_kinds = self.loop_kinds, []
        try:
            self.exec_block(node.body, scope)
        except (ReturnSignal, RaiseSignal, LoopUncertain, BreakSignal, ContinueSignal):
            pass
        finally:
            self.frames.pop()
            self.loop_kinds = loops
            restore(outer, saved)
        yields = frame.yields or []
        return GeneratorV(join_items(list(yields), Joiner(self, node, self.graph)), is_tuple=True)

    def expr_Yield(self, node: cst.Yield, scope: Scope) -> Value:
        value: Value = Const(None)
        if isinstance(node.value, cst.From):
            source = self.eval(node.value.item, scope)
            item = self.summarize(source, node.value.item)
            value = UNKNOWN if item is None else item
        elif node.value is not None:
            value = self.eval(node.value, scope)
        frame = self.frames[-1] if self.frames else None
        if frame is not None and frame.yields is not None:
            frame.yields.append(value)
        return UNKNOWN  # what the consumer sends back

    def _bind_params(
        self, params: cst.Parameters, func: FuncV, args: list[Value], kwargs: dict[str, Value],
        scope: Scope, partial: bool,
    ) -> bool:
        positional = [*params.posonly_params, *params.params]
        remaining = dict(kwargs)
        for i, param in enumerate(positional):
            name = param.name.value
            if i < len(args):
                scope.vars[name] = args[i]
            elif name in remaining:
                scope.vars[name] = remaining.pop(name)
            elif name in func.defaults:
                scope.vars[name] = _default(func.defaults[name], partial)
            elif partial:
                scope.vars[name] = ParamV(func.name, name, param.name) if func.name else UNKNOWN
            else:
                return False
        extra = args[len(positional):]
        if isinstance(params.star_arg, cst.Param):
            scope.vars[params.star_arg.name.value] = SeqV(list(extra), is_tuple=True) if not partial else UNKNOWN
        elif extra:
            return False
        for param in params.kwonly_params:
            name = param.name.value
            if name in remaining:
                scope.vars[name] = remaining.pop(name)
            elif name in func.defaults:
                scope.vars[name] = _default(func.defaults[name], partial)
            elif partial:
                scope.vars[name] = UNKNOWN
            else:
                return False
        if params.star_kwarg is not None:
            scope.vars[params.star_kwarg.name.value] = DictV(remaining) if not partial else UNKNOWN
        elif remaining:
            return False
        return True

    def _is_generator(self, func: FuncV, node: cst.FunctionDef) -> bool:
        """Whether the function holds a `yield`: never where its file's text has no `yield` (most
        model files), else found by walking its body once."""
        context = func.scope.module.file
        text = kept_text(context.module if context is not None else self.module)
        return (text is None or "yield" in text) and has_yield(node.body)

    # -- iteration ----------------------------------------------------------------------
    def iterate(self, value: Value) -> list[Value] | None:
        if isinstance(value, SeqV):
            return list(value.items)
        if isinstance(value, DictV):
            return [key_value(k) for k in value.items]
        if isinstance(value, Const) and isinstance(value.value, str) and len(value.value) <= MAX_UNROLL:
            return [Const(c) for c in value.value]
        return value.elements()

    def summarize(self, value: Value, site: cst.CSTNode | None) -> Value | None:
        """One value describing every item iterating over `value` gives, where their number is
        unknown or too large to unroll (`Value.element`); None where nothing is known of them."""
        items = self.iterate(value)
        if items is not None:
            return join_items(list(items), Joiner(self, site, self.graph) if site is not None else None)
        return value.element(self, site)



def _shifted(sources: dict[str | int, cst.BaseExpression] | None) -> dict[str | int, cst.BaseExpression]:
    if not sources:
        return {}
    return {(k + 1 if isinstance(k, int) else k): v for k, v in sources.items()}


def _default(value: Value, partial: bool) -> Value:
    """A parameter's default; a `None` one, in a function no code calls, is a `DefaultNone`."""
    if partial and type(value) is Const and value.value is None:
        return DefaultNone(None)
    return value
