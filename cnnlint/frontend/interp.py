"""An abstract interpreter over a libcst module: it runs the program on abstract values.

Constants, containers, user functions (inlined at each call), classes, loops over known
iterables and `if` on unknown conditions (both branches, then a join) are modelled; library
calls go to the API table (`frontend.api`), which adds ops to the model graph. Nothing of the
user's code is ever imported or executed. Whatever cannot be resolved becomes UNKNOWN.
"""

from __future__ import annotations

import math
import re
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import libcst as cst
from libcst.metadata import CodeRange, MetadataWrapper, PositionProvider

from cnnlint.frontend.values import (
    ELLIPSIS,
    NOKEY,
    UNKNOWN,
    BoundV,
    BuiltinV,
    ClassV,
    Const,
    DictV,
    DimV,
    FeedDictV,
    FunctionalV,
    FuncV,
    LayerV,
    ModuleV,
    ObjectV,
    SequentialV,
    SeqV,
    ShapeV,
    SliceV,
    TensorV,
    Value,
    as_bool,
    as_dim,
    as_int,
    int_value,
    py_literal,
)
from cnnlint.ir import Finding, Graph, Loc, ModuleIR
from cnnlint.shapes import Dim

if TYPE_CHECKING:
    from cnnlint.frontend.api import ApiTable

MAX_STEPS = 200_000
# Wall-clock budget for interpreting one file: past it, every analysis still running stops and
# what was built so far is checked (quiet on the rest, never a hang).
FILE_SECONDS = 10.0
MAX_CALL_DEPTH = 24
MAX_UNROLL = 512
MAX_FORK_STATE = 2_000  # container items a fork may copy
# Constant folding stops (the value becomes unknown) past these sizes: a loop that squares a
# number or doubles a string or list would otherwise take exponential time and memory in one step.
MAX_INT_BITS = 10_000  # also keeps str() of a folded int under Python's 4300-digit limit
MAX_TEXT = 100_000  # characters of a folded string
MAX_ITEMS = 100_000  # items of a modelled list or tuple
MAX_DIM_TERMS = 64  # terms of a symbolic dimension (a polynomial)


class _Signal(Exception):
    """Control flow of the interpreted program."""


class ReturnSignal(_Signal):
    def __init__(self, value: Value) -> None:
        self.value = value


class BreakSignal(_Signal):
    pass


class ContinueSignal(_Signal):
    pass


class RaiseSignal(_Signal):
    """The program certainly raises here: the rest of this path never runs."""


class LoopUncertain(_Signal):
    """A break/continue under an unknown condition: the loop's effect is unknown."""


class BudgetExceeded(Exception):
    pass


class Scope:
    """Variables of a module, function or class body."""

    def __init__(self, kind: str, parent: Scope | None = None, module: Scope | None = None) -> None:
        self.kind = kind
        self.vars: dict[str, Value] = {}
        self.parent = parent
        self.module: Scope = module or self
        self.global_names: set[str] = set()
        self.star_imports: list[str] = []

    def lookup(self, name: str) -> Value | None:
        scope: Scope | None = self
        while scope is not None:
            if name in scope.vars and not (scope.kind == "class" and scope is not self):
                return scope.vars[name]
            scope = scope.parent
        if name in self.module.vars:
            return self.module.vars[name]
        return None

    def assign(self, name: str, value: Value) -> None:
        target = self.module if name in self.global_names else self
        target.vars[name] = value

    def chain(self) -> list[Scope]:
        out: list[Scope] = []
        scope: Scope | None = self
        while scope is not None:
            out.append(scope)
            scope = scope.parent
        if self.module not in out:
            out.append(self.module)
        return out


@dataclass
class Frame:
    possible_returns: list[Value] = field(default_factory=list)


def _name_of(node: cst.CSTNode) -> str | None:
    if isinstance(node, cst.Name):
        return node.value
    return None


class Interpreter:
    """Interprets one module; `run()` returns its ModuleIR."""

    def __init__(self, module: cst.Module, path: str, api: ApiTable, options: dict[str, Any] | None = None) -> None:
        self.module = module
        self.path = path
        self.api = api
        self.options = options or {}
        wrapper = MetadataWrapper(module, unsafe_skip_copy=True)
        self.positions = wrapper.resolve(PositionProvider)
        self.graph = Graph("<module>", path, 1)
        self.ir = ModuleIR(path, graphs=[self.graph])
        self.steps = 0
        self.total_steps = 0
        self.deadline = time.monotonic() + float(self.options.get("file_seconds", FILE_SECONDS))
        self.out_of_time = False
        # The call being evaluated, for builtins and methods that add ops (their source location).
        self.call_site: cst.CSTNode | None = None
        self.frames: list[Frame] = []
        self.called: set[cst.FunctionDef] = set()
        self._generator_cache: dict[cst.FunctionDef, bool] = {}
        # Per-module state of front-end modules (Keras layer-name counters, models seen).
        self.state: dict[str, Any] = {}

    # -- entry points -----------------------------------------------------------------
    def run(self) -> ModuleIR:
        scope = Scope("module")
        scope.vars["__name__"] = Const("__main__")
        scope.vars["__file__"] = Const(self.path)
        self._run_guarded(lambda: self.exec_block(self.module.body, scope), "the module body")
        self._analyze_uncalled(scope)
        self._run_guarded(lambda: self.api.finish(self), "finishing the models")
        self.ir.graphs = [g for g in self.ir.graphs if g.own_nodes]
        return self.ir

    def _run_guarded(self, action: Any, unit: str = "") -> None:
        try:
            action()
        except (ReturnSignal, BreakSignal, ContinueSignal, RaiseSignal, LoopUncertain):
            pass
        except BudgetExceeded:
            self.ir.incomplete = f"stopped after {FILE_SECONDS:g} s" if self.out_of_time else \
                f"stopped after {MAX_STEPS} interpretation steps"
        except RecursionError:
            self.ir.incomplete = "nesting too deep to interpret"
        except Exception as error:  # a cnnlint bug: give this part up, keep the others
            self.ir.internal_errors.append(f"{unit}: {type(error).__name__}: {error}"[:300])

    def _analyze_uncalled(self, scope: Scope) -> None:
        """Functions no code in the file calls are run once with unknown arguments."""
        module_graph = self.graph
        for stmt in self.module.body:
            if not isinstance(stmt, cst.FunctionDef) or stmt in self.called:
                continue
            func = scope.vars.get(stmt.name.value)
            if not isinstance(func, FuncV) or func.node is not stmt:
                continue
            pos = self.loc(stmt)
            self.graph = module_graph.extension(f"{stmt.name.value}()", pos.line)
            self.ir.graphs.append(self.graph)
            self.steps = 0
            kwargs = self._configured_arguments(stmt.name.value)
            self._run_guarded(lambda f=func, k=kwargs: self.call_function(f, [], k, partial=True),
                              f"function {stmt.name.value}()")

    def _configured_arguments(self, function: str) -> dict[str, Value]:
        """`input-shapes` entries `"function.parameter" = [sizes]`: the value of that argument
        (a tuple of ints) when the function has no caller in the file."""
        out: dict[str, Value] = {}
        for key, sizes in (self.options.get("input_shapes") or {}).items():
            name, _, parameter = key.partition(".")
            if name == function and parameter:
                out[parameter] = SeqV([Const(int(n)) for n in sizes], is_tuple=True)
        return out

    # -- helpers ------------------------------------------------------------------------
    def loc(self, node: cst.CSTNode) -> Loc:
        rng: CodeRange = self.positions[node]
        return Loc(rng.start.line, rng.start.column + 1, rng.end.line, rng.end.column + 1)

    def code(self, node: cst.CSTNode) -> str:
        return self.module.code_for_node(node).strip()

    def tick(self) -> None:
        self.steps += 1
        if self.steps > MAX_STEPS:
            raise BudgetExceeded
        self.total_steps += 1
        if self.out_of_time or (self.total_steps & 1023 == 0 and time.monotonic() > self.deadline):
            self.out_of_time = True  # every later part stops at its first step
            raise BudgetExceeded

    def finding(self, kind: str, node: cst.CSTNode, **details: Any) -> None:
        self.ir.findings.append(Finding(kind, self.loc(node), details))

    # -- statements ---------------------------------------------------------------------
    def exec_block(self, body: Sequence[cst.BaseStatement] | cst.BaseSuite, scope: Scope) -> None:
        if isinstance(body, cst.IndentedBlock):
            stmts: Sequence[cst.CSTNode] = body.body
        elif isinstance(body, cst.SimpleStatementSuite):
            stmts = body.body
        else:
            stmts = body  # type: ignore[assignment]
        for stmt in stmts:
            self.exec_stmt(stmt, scope)

    def exec_stmt(self, stmt: cst.CSTNode, scope: Scope) -> None:
        self.tick()
        method = getattr(self, "stmt_" + type(stmt).__name__, None)
        if method is not None:
            method(stmt, scope)

    def stmt_SimpleStatementLine(self, stmt: cst.SimpleStatementLine, scope: Scope) -> None:
        for small in stmt.body:
            self.exec_stmt(small, scope)

    def stmt_Expr(self, stmt: cst.Expr, scope: Scope) -> None:
        self.eval(stmt.value, scope)

    def stmt_Assign(self, stmt: cst.Assign, scope: Scope) -> None:
        value = self.eval(stmt.value, scope)
        for target in stmt.targets:
            self.bind(target.target, value, scope)

    def stmt_AnnAssign(self, stmt: cst.AnnAssign, scope: Scope) -> None:
        if stmt.value is not None:
            self.bind(stmt.target, self.eval(stmt.value, scope), scope)

    def stmt_AugAssign(self, stmt: cst.AugAssign, scope: Scope) -> None:
        current = self.eval(stmt.target, scope)
        operand = self.eval(stmt.value, scope)
        op_name = type(stmt.operator).__name__.replace("Assign", "")
        if isinstance(current, SeqV) and not current.is_tuple and op_name == "Add":
            items = self.iterate(operand)
            if items is None or len(current.items) + len(items) > MAX_ITEMS:
                self.bind(stmt.target, UNKNOWN, scope)
            else:
                current.items.extend(items)
            return
        self.bind(stmt.target, self.binop(op_name, current, operand, stmt), scope)

    def stmt_Return(self, stmt: cst.Return, scope: Scope) -> None:
        value = self.eval(stmt.value, scope) if stmt.value is not None else Const(None)
        raise ReturnSignal(value)

    def stmt_Raise(self, stmt: cst.Raise, scope: Scope) -> None:
        raise RaiseSignal()

    def stmt_Break(self, stmt: cst.Break, scope: Scope) -> None:
        raise BreakSignal()

    def stmt_Continue(self, stmt: cst.Continue, scope: Scope) -> None:
        raise ContinueSignal()

    def stmt_Global(self, stmt: cst.Global, scope: Scope) -> None:
        scope.global_names.update(n.name.value for n in stmt.names)

    def stmt_Del(self, stmt: cst.Del, scope: Scope) -> None:
        name = _name_of(stmt.target)
        if name is not None:
            scope.vars.pop(name, None)

    def stmt_Import(self, stmt: cst.Import, scope: Scope) -> None:
        for alias in stmt.names:
            full = self.code(alias.name)
            if alias.asname is not None:
                scope.assign(self.code(alias.asname.name), ModuleV(full))
            else:
                head = full.split(".")[0]
                scope.assign(head, ModuleV(head))

    def stmt_ImportFrom(self, stmt: cst.ImportFrom, scope: Scope) -> None:
        base = "." * len(stmt.relative) + (self.code(stmt.module) if stmt.module is not None else "")
        if isinstance(stmt.names, cst.ImportStar):
            scope.star_imports.append(base)
            return
        for alias in stmt.names:
            name = self.code(alias.name)
            local = self.code(alias.asname.name) if alias.asname is not None else name
            scope.assign(local, ModuleV(f"{base}.{name}"))

    def stmt_FunctionDef(self, stmt: cst.FunctionDef, scope: Scope) -> None:
        defaults: dict[str, Value] = {}
        params = stmt.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.default is not None:
                defaults[param.name.value] = self.eval(param.default, scope)
        for decorator in stmt.decorators:
            self.eval(decorator.decorator, scope)
        scope.assign(stmt.name.value, FuncV(stmt, scope, stmt.name.value, defaults))

    def stmt_ClassDef(self, stmt: cst.ClassDef, scope: Scope) -> None:
        bases = [self.eval(arg.value, scope) for arg in stmt.bases]
        body_scope = Scope("class", parent=scope, module=scope.module)
        cls = ClassV(stmt.name.value, bases, body_scope.vars, stmt)
        self.exec_block(stmt.body, body_scope)
        scope.assign(stmt.name.value, cls)

    def stmt_If(self, stmt: cst.If | cst.Else, scope: Scope) -> None:
        assert isinstance(stmt, cst.If)
        test = as_bool(self.eval(stmt.test, scope))
        orelse = stmt.orelse
        if test is True:
            self.exec_block(stmt.body, scope)
        elif test is False:
            if orelse is not None:
                self.exec_else(orelse, scope)
        elif _state_size(scope) > MAX_FORK_STATE:
            # Copying a large state for every `if` inside a loop is quadratic: give up precision instead.
            self.havoc(stmt, scope)
        else:
            self.fork(scope, stmt, lambda: self.exec_block(stmt.body, scope),
                      lambda: self.exec_else(orelse, scope) if orelse is not None else None)

    def exec_else(self, orelse: cst.If | cst.Else, scope: Scope) -> None:
        if isinstance(orelse, cst.If):
            self.stmt_If(orelse, scope)
        else:
            self.exec_block(orelse.body, scope)

    def stmt_For(self, stmt: cst.For, scope: Scope) -> None:
        items = self.iterate(self.eval(stmt.iter, scope))
        if items is None or len(items) > MAX_UNROLL:
            self.havoc(stmt, scope)
            return
        try:
            for item in items:
                self.bind(stmt.target, item, scope)
                try:
                    self.exec_block(stmt.body, scope)
                except ContinueSignal:
                    continue
                except BreakSignal:
                    return
        except LoopUncertain:
            self.havoc(stmt, scope)
            return
        if stmt.orelse is not None:
            self.exec_block(stmt.orelse.body, scope)

    def stmt_While(self, stmt: cst.While, scope: Scope) -> None:
        if as_bool(self.eval(stmt.test, scope)) is False:
            if stmt.orelse is not None:
                self.exec_block(stmt.orelse.body, scope)
            return
        self.havoc(stmt, scope)

    def stmt_With(self, stmt: cst.With, scope: Scope) -> None:
        for item in stmt.items:
            self.eval(item.item, scope)
            if item.asname is not None:
                self.bind(item.asname.name, UNKNOWN, scope)
        self.exec_block(stmt.body, scope)

    def stmt_Try(self, stmt: cst.Try, scope: Scope) -> None:
        self.exec_block(stmt.body, scope)
        if stmt.orelse is not None:
            self.exec_block(stmt.orelse.body, scope)
        if stmt.finalbody is not None:
            self.exec_block(stmt.finalbody.body, scope)

    def stmt_Match(self, stmt: cst.Match, scope: Scope) -> None:
        self.eval(stmt.subject, scope)
        self.havoc(stmt, scope)

    # -- forks and joins ----------------------------------------------------------------
    def fork(self, scope: Scope, site: cst.CSTNode, first: Any, second: Any) -> None:
        """Run two alternative paths from the same state and join the outcomes."""
        tensors = self._tensor_join(site)
        scopes = scope.chain()
        memo: dict[int, Value] = {}
        saved = [{k: _copy(v, memo) for k, v in s.vars.items()} for s in scopes]
        outcome_a = self._attempt(first)
        state_a = [dict(s.vars) for s in scopes]
        for s, vars_ in zip(scopes, saved, strict=True):
            s.vars.clear()
            s.vars.update(vars_)
        outcome_b = self._attempt(second)
        kinds = (outcome_a[0], outcome_b[0])
        if "loop" in kinds:
            raise LoopUncertain()
        if kinds == ("raise", "raise"):
            raise RaiseSignal()
        if kinds[0] in ("raise", "return") and kinds[1] in ("raise", "return"):
            values = [o[1] for o in (outcome_a, outcome_b) if o[0] == "return"]
            raise ReturnSignal(_join_all(values, tensors))
        if kinds[0] in ("raise", "return"):
            if kinds[0] == "return":
                self._possible_return(outcome_a[1])
            return  # state b is live already
        if kinds[1] in ("raise", "return"):
            if kinds[1] == "return":
                self._possible_return(outcome_b[1])
            for s, vars_ in zip(scopes, state_a, strict=True):
                s.vars.clear()
                s.vars.update(vars_)
            return
        for s, vars_a in zip(scopes, state_a, strict=True):
            joined = {k: _join(v, s.vars[k], tensors) for k, v in vars_a.items() if k in s.vars}
            s.vars.clear()
            s.vars.update(joined)
            for name, value in joined.items():
                if isinstance(value, TensorV) and self.graph.nodes[value.node].op == "join":
                    self.graph.label(value.node, name, len(self.frames))

    def _tensor_join(self, site: cst.CSTNode) -> TensorJoin:
        """Two tensors the branches of `site` left in one variable: a `join` node of both, whose
        shape keeps the sizes they agree on (so a bug after the `if` is still seen)."""
        graph = self.graph

        def join(a: TensorV, b: TensorV) -> Value:
            if graph is not self.graph or max(a.node, b.node) >= len(graph.nodes):
                return UNKNOWN
            if graph.nodes[a.node].shape is None or graph.nodes[b.node].shape is None:
                return UNKNOWN
            return TensorV(graph.add("join", "if/else", [a.node, b.node], {}, self.loc(site)).id)

        return join

    def _attempt(self, action: Any) -> tuple[str, Value]:
        try:
            action()
        except ReturnSignal as signal:
            return "return", signal.value
        except RaiseSignal:
            return "raise", UNKNOWN
        except (BreakSignal, ContinueSignal, LoopUncertain):
            return "loop", UNKNOWN
        return "normal", UNKNOWN

    def _possible_return(self, value: Value) -> None:
        if self.frames:
            self.frames[-1].possible_returns.append(value)

    def havoc(self, stmt: cst.CSTNode, scope: Scope) -> None:
        """A loop or match with unknown effect: whatever its body may change becomes UNKNOWN.

        That reaches every mutable value the body may touch, through the names and attribute
        chains it assigns, subscripts, calls methods on or passes to calls (`self.blocks.add(...)`):
        a container becomes UNKNOWN where it is held, a model loses its known contents in place
        (so that every alias sees it), never keeping the part that happens to be known."""
        collector = _AssignedNames()
        stmt.visit(collector)
        for name in collector.names:
            if name in scope.vars or scope.lookup(name) is None:
                scope.assign(name, UNKNOWN)
        for chain in collector.rebound:
            self._forget(chain, scope)
        for chain in collector.receivers:
            current = self._reach(chain, scope)
            if isinstance(current, SequentialV):
                current.lose_contents()
            elif isinstance(current, (SeqV, DictV, ObjectV)):
                self._forget(chain, scope)

    def _forget(self, chain: tuple[str, ...], scope: Scope) -> None:
        """Make what `chain` names UNKNOWN where it is held: a name, or an object's attribute
        (a model holding it loses its contents)."""
        if len(chain) == 1:
            scope.assign(chain[0], UNKNOWN)
            return
        holder = self._reach(chain[:-1], scope)
        if isinstance(holder, ObjectV):
            holder.attrs[chain[-1]] = UNKNOWN
        elif isinstance(holder, SequentialV):
            holder.lose_contents()

    def _reach(self, chain: tuple[str, ...], scope: Scope) -> Value | None:
        """The value a chain of names reaches through objects' attributes (`self.blocks`); a
        model met on the way is the value (`model.layers[0]...` may change the model)."""
        current = scope.lookup(chain[0])
        for attr in chain[1:]:
            if isinstance(current, SequentialV):
                return current
            if not isinstance(current, ObjectV):
                return None
            current = current.attrs.get(attr)
        return current

    # -- binding ------------------------------------------------------------------------
    def bind(self, target: cst.BaseExpression, value: Value, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.assign(target.value, value)
            if isinstance(value, TensorV):
                self.graph.label(value.node, target.value, len(self.frames))
            elif isinstance(value, (SequentialV, FunctionalV, ObjectV)):
                self.api.name_model(self, value, target.value, len(self.frames))
            elif isinstance(value, DictV):
                for key, item in value.items.items():
                    if isinstance(item, TensorV) and isinstance(key, str):
                        self.graph.label(item.node, f"{target.value}[{key!r}]", len(self.frames))
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
                if isinstance(value, TensorV):
                    self.graph.label(value.node, self.code(target), len(self.frames))
                elif isinstance(value, (SequentialV, FunctionalV)):
                    self.api.name_model(self, value, self.code(target), len(self.frames))
        elif isinstance(target, cst.Subscript):
            container = self.eval(target.value, scope)
            if len(target.slice) != 1 or not isinstance(target.slice[0].slice, cst.Index):
                return
            key = self.eval(target.slice[0].slice.value, scope)
            if isinstance(container, DictV):
                hashable = py_literal(key)
                if hashable is NOKEY:
                    self._havoc_value(container)
                else:
                    container.items[hashable] = value
                    if isinstance(value, TensorV):
                        label = f"{self.code(target.value)}[{hashable!r}]"
                        self.graph.label(value.node, label, len(self.frames))
            elif isinstance(container, SeqV) and not container.is_tuple:
                index = as_int(key)
                if index is not None and -len(container.items) <= index < len(container.items):
                    container.items[index] = value
                else:
                    self._havoc_value(container)

    def _havoc_value(self, container: Value) -> None:
        if isinstance(container, DictV):
            for k in container.items:
                container.items[k] = UNKNOWN
        elif isinstance(container, SeqV):
            container.items[:] = [UNKNOWN] * len(container.items)

    # -- expressions --------------------------------------------------------------------
    def eval(self, node: cst.BaseExpression | None, scope: Scope) -> Value:
        if node is None:
            return UNKNOWN
        self.tick()
        method = getattr(self, "expr_" + type(node).__name__, None)
        if method is None:
            return UNKNOWN
        result: Value = method(node, scope)
        return result

    def expr_Name(self, node: cst.Name, scope: Scope) -> Value:
        name = node.value
        found = scope.lookup(name)
        if found is not None:
            return found
        if name in ("True", "False", "None"):
            return Const({"True": True, "False": False, "None": None}[name])
        builtin = BUILTINS.get(name)
        if builtin is not None:
            return builtin
        for module in scope.module.star_imports:
            path = f"{module}.{name}"
            if self.api.knows(path):
                return ModuleV(path)
        return UNKNOWN

    def expr_Ellipsis(self, node: cst.Ellipsis, scope: Scope) -> Value:
        return ELLIPSIS

    def expr_Integer(self, node: cst.Integer, scope: Scope) -> Value:
        try:
            return Const(int(node.evaluated_value))
        except (ValueError, SyntaxError):  # over Python's 4300-digit limit: Python rejects the file too
            return UNKNOWN

    def expr_Float(self, node: cst.Float, scope: Scope) -> Value:
        try:
            return Const(float(node.evaluated_value))
        except (ValueError, SyntaxError):
            return UNKNOWN

    def expr_SimpleString(self, node: cst.SimpleString, scope: Scope) -> Value:
        try:
            value = node.evaluated_value
        except Exception:
            return UNKNOWN
        return Const(value) if isinstance(value, str) else UNKNOWN

    def expr_ConcatenatedString(self, node: cst.ConcatenatedString, scope: Scope) -> Value:
        try:
            value = node.evaluated_value
        except Exception:
            return UNKNOWN
        return Const(value) if isinstance(value, str) else UNKNOWN

    def expr_FormattedString(self, node: cst.FormattedString, scope: Scope) -> Value:
        parts: list[str] = []
        for part in node.parts:
            if isinstance(part, cst.FormattedStringText):
                parts.append(part.value)
                continue
            assert isinstance(part, cst.FormattedStringExpression)
            value = self.eval(part.expression, scope)
            if part.conversion is not None or part.format_spec is not None or not _formattable(value):
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
        tensor_keyed: list[tuple[Value, Value, str]] = []
        for element in node.elements:
            if isinstance(element, cst.StarredDictElement):
                other = self.eval(element.value, scope)
                if not isinstance(other, DictV):
                    return UNKNOWN
                out.update(other.items)
                continue
            assert isinstance(element, cst.DictElement)
            key_value = self.eval(element.key, scope)
            key = py_literal(key_value)
            value = self.eval(element.value, scope)
            if isinstance(key_value, TensorV):
                tensor_keyed.append((key_value, value, self.code(element.value)))
                continue
            if key is NOKEY:
                return UNKNOWN
            out[key] = value
            if isinstance(value, TensorV) and isinstance(key, str):
                self.graph.label(value.node, key, len(self.frames) + 1)
        if tensor_keyed:
            return FeedDictV(tensor_keyed) if not out else UNKNOWN
        return DictV(out)

    def expr_Set(self, node: cst.Set, scope: Scope) -> Value:
        self.eval_elements(node.elements, scope)
        return UNKNOWN

    def expr_Attribute(self, node: cst.Attribute, scope: Scope) -> Value:
        obj = self.eval(node.value, scope)
        if not isinstance(obj, TensorV):
            return self.attribute(obj, node.attr.value)
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
            method = _class_lookup(obj.cls, attr)
            if isinstance(method, FuncV):
                return BoundV(method, obj)
            return method if method is not None else self.api.object_attribute(self, obj, attr)
        if isinstance(obj, ClassV):
            found = _class_lookup(obj, attr)
            return found if found is not None else UNKNOWN
        method = METHODS.get((type(obj).__name__, attr))
        if method is not None:
            return BoundV(BuiltinV(attr, method), obj)
        if isinstance(obj, TensorV):
            return self.api.tensor_attribute(self, obj, attr)
        if isinstance(obj, (Const, DimV)) and attr == "value" and as_dim(obj) is not None:
            return obj  # TF1 Dimension.value
        if isinstance(obj, ShapeV) and attr in ("ndims", "rank"):
            return UNKNOWN if obj.dims is None else Const(len(obj.dims))
        return UNKNOWN

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
        if isinstance(container, (SeqV, ShapeV)):
            items: list[Value] | None
            if isinstance(container, ShapeV):
                if container.dims is None:
                    return UNKNOWN
                items = [int_value(d) for d in container.dims]
            else:
                items = container.items
            if isinstance(key, SliceV):
                bounds = [_opt_int(v) for v in (key.start, key.stop, key.step)]
                if any(b is False for b in bounds):
                    return UNKNOWN
                sliced = items[slice(*bounds)]
                if isinstance(container, ShapeV):
                    return ShapeV(tuple(as_dim(v) or Dim.unknown() for v in sliced))
                return SeqV(list(sliced), container.is_tuple)
            index = as_int(key)
            if index is None or not -len(items) <= index < len(items):
                return UNKNOWN
            return items[index]
        if isinstance(container, DictV):
            hashable = py_literal(key)
            if hashable is NOKEY:
                return UNKNOWN
            return container.items.get(hashable, UNKNOWN)
        if isinstance(container, TensorV):
            return self.api.tensor_index(self, container, key, node)
        return UNKNOWN

    def expr_BinaryOperation(self, node: cst.BinaryOperation, scope: Scope) -> Value:
        left = self.eval(node.left, scope)
        right = self.eval(node.right, scope)
        return self.binop(type(node.operator).__name__, left, right, node)

    def binop(self, op: str, left: Value, right: Value, node: cst.CSTNode) -> Value:
        if isinstance(left, TensorV) or isinstance(right, TensorV):
            return self.api.tensor_binop(self, op, left, right, node)
        if isinstance(left, Const) and isinstance(right, Const):
            return _const_binop(op, left.value, right.value)
        a, b = as_dim(left), as_dim(right)
        if a is not None and b is not None:
            return _dim_binop(op, a, b)
        if isinstance(left, Const) and isinstance(left.value, str) and op == "Modulo" and isinstance(right, SeqV):
            if all(_formattable(v) for v in right.items) and len(left.value) < 1000 and _modest_format(left.value):
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
        if isinstance(left, ShapeV) and isinstance(right, ShapeV) and op == "Add":
            if left.dims is None or right.dims is None:
                return ShapeV(None)
            return ShapeV(left.dims + right.dims)
        return UNKNOWN

    def expr_UnaryOperation(self, node: cst.UnaryOperation, scope: Scope) -> Value:
        value = self.eval(node.expression, scope)
        op = type(node.operator).__name__
        if op == "Not":
            truth = as_bool(value)
            return UNKNOWN if truth is None else Const(not truth)
        if isinstance(value, TensorV):
            return self.api.tensor_unop(self, value, node)
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
            if len(node.comparisons) == 1 and (isinstance(left, TensorV) or isinstance(right, TensorV)):
                elementwise = self.api.tensor_compare(self, type(target.operator).__name__, left, right, node)
                if elementwise is not None:  # `y == 3` on an array: a boolean array
                    return elementwise
            outcome = _compare(type(target.operator).__name__, left, right)
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
        return _join(self.eval(node.body, scope), self.eval(node.orelse, scope))

    def expr_Lambda(self, node: cst.Lambda, scope: Scope) -> Value:
        defaults = {p.name.value: self.eval(p.default, scope) for p in node.params.params if p.default is not None}
        return FuncV(node, scope, "<lambda>", defaults)

    def expr_NamedExpr(self, node: cst.NamedExpr, scope: Scope) -> Value:
        value = self.eval(node.value, scope)
        self.bind(node.target, value, scope)
        return value

    def expr_ListComp(self, node: cst.ListComp, scope: Scope) -> Value:
        items = self.comprehension(node.for_in, node.elt, scope)
        return UNKNOWN if items is None else SeqV(items)

    def expr_GeneratorExp(self, node: cst.GeneratorExp, scope: Scope) -> Value:
        items = self.comprehension(node.for_in, node.elt, scope)
        return UNKNOWN if items is None else SeqV(items, is_tuple=True)

    def comprehension(self, for_in: cst.CompFor, elt: cst.BaseExpression, scope: Scope) -> list[Value] | None:
        inner = Scope("function", parent=scope, module=scope.module)
        out: list[Value] = []

        def run(clause: cst.CompFor) -> bool:
            items = self.iterate(self.eval(clause.iter, inner))
            if items is None or len(items) > MAX_UNROLL:
                return False
            for item in items:
                self.bind(clause.target, item, inner)
                keep: bool | None = True
                for cond in clause.ifs:
                    keep = as_bool(self.eval(cond.test, inner))
                    if keep is not True:
                        break
                if keep is None:
                    return False
                if keep is False:
                    continue
                if clause.inner_for_in is not None:
                    if not run(clause.inner_for_in):
                        return False
                else:
                    out.append(self.eval(elt, inner))
            return True

        return out if run(for_in) else None

    def expr_Call(self, node: cst.Call, scope: Scope) -> Value:
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
        feed = kwargs.get("feed_dict")
        if isinstance(feed, FeedDictV):
            for hook in FEED_HOOKS:
                hook(self, feed, node)
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
            return self.call(func.func, [func.self_value, *args], kwargs, site, _shift(sources))
        if isinstance(func, FuncV):
            return self.call_function(func, args, kwargs)
        if isinstance(func, BuiltinV):
            self.call_site = site
            try:
                return func.impl(self, *args, **kwargs)
            except TypeError:
                return UNKNOWN
        if isinstance(func, ModuleV):
            return self.api.call(self, func.path, args, kwargs, site, sources or {})
        if isinstance(func, ClassV):
            return self.instantiate(func, args, kwargs, site, sources)
        if isinstance(func, ObjectV):
            return self.api.call_object(self, func, args, kwargs, site, sources or {})
        if isinstance(func, (LayerV, SequentialV, FunctionalV)) and args:
            return self.api.apply_layer(self, func, args[0], site)
        return UNKNOWN

    def instantiate(
        self, cls: ClassV, args: list[Value], kwargs: dict[str, Value],
        site: cst.CSTNode | None, sources: dict[str | int, cst.BaseExpression] | None,
    ) -> Value:
        obj = ObjectV(cls)
        init = _class_lookup(cls, "__init__")
        if isinstance(init, FuncV):
            self.call_function(init, [obj, *args], kwargs)
        return obj

    def call_function(self, func: FuncV, args: list[Value], kwargs: dict[str, Value], partial: bool = False) -> Value:
        """Inline a user function; `partial` runs it with unknowns for missing arguments."""
        if len(self.frames) >= MAX_CALL_DEPTH:
            return UNKNOWN
        node = func.node
        if isinstance(node, cst.FunctionDef):
            self.called.add(node)
            if self._is_generator(node):
                return UNKNOWN
        scope = Scope("function", parent=func.scope if func.scope.kind != "class" else func.scope.parent,
                      module=func.scope.module)
        if not self._bind_params(node.params, func, args, kwargs, scope, partial):
            return UNKNOWN
        frame = Frame()
        self.frames.append(frame)
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
        if frame.possible_returns:
            return _join_all([*frame.possible_returns, result])
        return result

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
                scope.vars[name] = func.defaults[name]
            elif partial:
                scope.vars[name] = UNKNOWN
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
                scope.vars[name] = func.defaults[name]
            elif partial:
                scope.vars[name] = UNKNOWN
            else:
                return False
        if params.star_kwarg is not None:
            scope.vars[params.star_kwarg.name.value] = DictV(remaining) if not partial else UNKNOWN
        elif remaining:
            return False
        return True

    def _is_generator(self, node: cst.FunctionDef) -> bool:
        cached = self._generator_cache.get(node)
        if cached is None:
            finder = _YieldFinder()
            node.body.visit(finder)
            cached = self._generator_cache[node] = finder.found
        return cached

    # -- iteration ----------------------------------------------------------------------
    def iterate(self, value: Value) -> list[Value] | None:
        if isinstance(value, SeqV):
            return list(value.items)
        if isinstance(value, DictV):
            return [_key_value(k) for k in value.items]
        if isinstance(value, ShapeV):
            return None if value.dims is None else [int_value(d) for d in value.dims]
        if isinstance(value, Const) and isinstance(value.value, str) and len(value.value) <= MAX_UNROLL:
            return [Const(c) for c in value.value]
        return None


class _AssignedNames(cst.CSTVisitor):
    """Names a statement may rebind, attributes it may rebind (`self.x = ...`), and the values it
    may mutate, each as the chain of names that reaches it (`("self", "blocks")` for
    `self.blocks.add(...)`)."""

    def __init__(self) -> None:
        self.names: set[str] = set()
        self.rebound: set[tuple[str, ...]] = set()
        self.receivers: set[tuple[str, ...]] = set()

    def _targets(self, node: cst.BaseExpression) -> None:
        if isinstance(node, cst.Name):
            self.names.add(node.value)
        elif isinstance(node, (cst.Tuple, cst.List)):
            for element in node.elements:
                self._targets(element.value)
        elif isinstance(node, cst.StarredElement):
            self._targets(node.value)
        elif isinstance(node, cst.Attribute):
            chain = _chain(node)
            if chain is not None and len(chain) > 1 and chain[-1] == node.attr.value:
                self.rebound.add(chain)
            else:
                self._receiver(node.value)  # `a[i].x = ...` changes the object `a` holds
        elif isinstance(node, cst.Subscript):
            self._receiver(node.value)

    def _receiver(self, node: cst.BaseExpression) -> None:
        chain = _chain(node)
        if chain is not None:
            self.receivers.add(chain)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._targets(target.target)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self._targets(node.target)

    def visit_For(self, node: cst.For) -> None:
        self._targets(node.target)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._targets(node.target)

    def visit_AsName(self, node: cst.AsName) -> None:
        if isinstance(node.name, (cst.Name, cst.Tuple, cst.List)):
            self._targets(node.name)

    def visit_MatchAs(self, node: cst.MatchAs) -> None:
        if node.name is not None:
            self.names.add(node.name.value)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        self.names.add(node.name.value)
        return False

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if isinstance(func, cst.Attribute):
            self._receiver(func.value)  # `blocks.add(...)`, `self.blocks.add(...)`
        for arg in node.args:
            self._receiver(arg.value)  # a value passed to a call may be changed by it


def _chain(node: cst.BaseExpression) -> tuple[str, ...] | None:
    """The names that reach the value `node` holds or is part of: `a.b.c` -> `("a", "b", "c")`,
    `a.b[i].c` -> `("a", "b")` (the container subscripted), `f().x` -> None."""
    parts: list[str] = []
    while isinstance(node, (cst.Attribute, cst.Subscript)):
        if isinstance(node, cst.Subscript):
            parts.clear()
        else:
            parts.append(node.attr.value)
        node = node.value
    return (node.value, *reversed(parts)) if isinstance(node, cst.Name) else None


class _YieldFinder(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found = False

    def visit_Yield(self, node: cst.Yield) -> None:
        self.found = True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


# -- value helpers ----------------------------------------------------------------------
def _formattable(value: Value) -> bool:
    return isinstance(value, Const) and isinstance(value.value, (int, str)) and not isinstance(value.value, bool)


def _shift(sources: dict[str | int, cst.BaseExpression] | None) -> dict[str | int, cst.BaseExpression]:
    if not sources:
        return {}
    return {(k + 1 if isinstance(k, int) else k): v for k, v in sources.items()}


def _key_value(key: Any) -> Value:
    if isinstance(key, tuple):
        return SeqV([_key_value(k) for k in key], is_tuple=True)
    return Const(key)


def _opt_int(value: Value) -> int | bool | None:
    """An int, None for an omitted bound, False when unknown."""
    if isinstance(value, Const) and value.value is None:
        return None
    n = as_int(value)
    return False if n is None else n


def _class_lookup(cls: ClassV, attr: str) -> Value | None:
    if attr in cls.methods:
        return cls.methods[attr]
    for base in cls.bases:
        if isinstance(base, ClassV):
            found = _class_lookup(base, attr)
            if found is not None:
                return found
    return None


def _state_size(scope: Scope) -> int:
    """Container items reachable from the scopes a fork would copy (stops counting past the limit)."""
    seen: set[int] = set()
    stack: list[Value] = [v for s in scope.chain() for v in s.vars.values()]
    count = 0
    while stack and count <= MAX_FORK_STATE:
        value = stack.pop()
        if id(value) in seen:
            continue
        seen.add(id(value))
        if isinstance(value, SeqV):
            count += len(value.items)
            stack.extend(value.items)
        elif isinstance(value, DictV):
            count += len(value.items)
            stack.extend(value.items.values())
        elif isinstance(value, ObjectV):
            count += len(value.attrs)
            stack.extend(value.attrs.values())
    return count


def _copy(value: Value, memo: dict[int, Value]) -> Value:
    if id(value) in memo:
        return memo[id(value)]
    if isinstance(value, SeqV):
        seq_copy = SeqV([], value.is_tuple)
        memo[id(value)] = seq_copy
        seq_copy.items = [_copy(v, memo) for v in value.items]
        return seq_copy
    if isinstance(value, DictV):
        dict_copy = DictV({})
        memo[id(value)] = dict_copy
        dict_copy.items = {k: _copy(v, memo) for k, v in value.items.items()}
        return dict_copy
    if isinstance(value, ObjectV):
        obj_copy = ObjectV(value.cls)
        memo[id(value)] = obj_copy
        obj_copy.attrs = {k: _copy(v, memo) for k, v in value.attrs.items()}
        return obj_copy
    if isinstance(value, SequentialV):
        # Each branch of an unknown `if` adds its own layers (`if use_bn: model.add(...)`).
        seq_model = SequentialV(list(value.layers), value.model, value.output, value.graph, value.complete)
        memo[id(value)] = seq_model
        return seq_model
    return value


TensorJoin = Callable[[TensorV, TensorV], Value]


def _join(a: Value, b: Value, tensors: TensorJoin | None = None) -> Value:
    """The value known on both paths; UNKNOWN where they disagree. Two different tensors join
    through `tensors` (a node whose shape keeps the sizes both agree on), where it is given."""
    if a is b:
        return a
    if isinstance(a, Const) and isinstance(b, Const) and type(a.value) is type(b.value) and a.value == b.value:
        return a
    if isinstance(a, DimV) and isinstance(b, DimV) and a.dim == b.dim:
        return a
    if isinstance(a, TensorV) and isinstance(b, TensorV):
        return a if a.node == b.node else tensors(a, b) if tensors is not None else UNKNOWN
    if isinstance(a, SeqV) and isinstance(b, SeqV) and len(a.items) == len(b.items) and a.is_tuple == b.is_tuple:
        return SeqV([_join(x, y, tensors) for x, y in zip(a.items, b.items, strict=True)], a.is_tuple)
    if isinstance(a, DictV) and isinstance(b, DictV) and a.items.keys() == b.items.keys():
        return DictV({k: _join(v, b.items[k], tensors) for k, v in a.items.items()})
    if isinstance(a, ObjectV) and isinstance(b, ObjectV) and a.cls is b.cls and a.attrs.keys() == b.attrs.keys():
        return ObjectV(a.cls, {k: _join(v, b.attrs[k], tensors) for k, v in a.attrs.items()})
    if isinstance(a, ShapeV) and isinstance(b, ShapeV) and a.dims == b.dims:
        return a
    if isinstance(a, SequentialV) and isinstance(b, SequentialV) and a.model is b.model:
        return _join_sequential(a, b)
    if isinstance(a, (FuncV, ClassV, ModuleV, BuiltinV)) and _same_callable(a, b):
        return a
    return UNKNOWN


def _join_sequential(a: SequentialV, b: SequentialV) -> SequentialV:
    """The same model on both paths; where they added different layers (`if use_bn:
    model.add(...)`), its contents are not known: never only the layers both share."""
    same_layers = len(a.layers) == len(b.layers) and all(x is y for x, y in zip(a.layers, b.layers, strict=True))
    same_output = (a.output is None and b.output is None) or (
        a.output is not None and b.output is not None and _join(a.output, b.output) is not UNKNOWN
    )
    if same_output and same_layers and a.complete and b.complete:
        return a
    joined = SequentialV(list(a.layers), a.model, a.output, a.graph)
    joined.lose_contents()
    return joined


def _same_callable(a: Value, b: Value) -> bool:
    if isinstance(a, ModuleV) and isinstance(b, ModuleV):
        return a.path == b.path
    if isinstance(a, FuncV) and isinstance(b, FuncV):
        return a.node is b.node
    return False


def _join_all(values: list[Value], tensors: TensorJoin | None = None) -> Value:
    if not values:
        return UNKNOWN
    out = values[0]
    for v in values[1:]:
        out = _join(out, v, tensors)
    return out


def _const_binop(op: str, a: Any, b: Any) -> Value:
    numeric = (int, float)
    try:
        if op == "Add" and isinstance(a, str) and isinstance(b, str):
            return Const(a + b) if len(a) + len(b) <= MAX_TEXT else UNKNOWN
        if op == "Add" and isinstance(a, numeric) and isinstance(b, numeric):
            return Const(a + b)
        if not (isinstance(a, numeric) and isinstance(b, numeric)):
            if op == "Modulo" and isinstance(a, str) and isinstance(b, (int, str)):
                return Const(a % b) if len(a) < 1000 and _modest_format(a) else UNKNOWN
            if op == "Multiply" and isinstance(a, str) and isinstance(b, int) and b < 10_000 \
                    and len(a) * b <= MAX_TEXT:
                return Const(a * b)
            return UNKNOWN
        if op == "Subtract":
            return Const(a - b)
        if op == "Multiply":
            if isinstance(a, int) and isinstance(b, int) and a.bit_length() + b.bit_length() > MAX_INT_BITS:
                return UNKNOWN
            return Const(a * b)
        if op == "Divide":
            return Const(a / b)
        if op == "FloorDivide":
            return Const(a // b)
        if op == "Modulo":
            return Const(a % b)
        if op == "Power":
            if (isinstance(b, int) and b > 64) or abs(a) > 1e6:
                return UNKNOWN
            return Const(a**b)
    except (ZeroDivisionError, OverflowError, ValueError, TypeError):
        return UNKNOWN
    return UNKNOWN


def _dim_binop(op: str, a: Dim, b: Dim) -> Value:
    if op == "Add":
        return int_value(a + b)
    if op == "Subtract":
        return int_value(a - b)
    if op == "Multiply":
        if len(a.terms) * len(b.terms) > MAX_DIM_TERMS or _dim_bits(a) + _dim_bits(b) > MAX_INT_BITS:
            return UNKNOWN  # repeated squaring: exponentially many terms, or huge coefficients and powers
        return int_value(a * b)
    den = b.value
    if op == "FloorDivide" and den is not None and den > 0:
        return int_value(a.floordiv(den))
    if op == "Modulo" and den is not None and den > 0:
        return int_value(a.mod(den))
    return UNKNOWN


def _dim_bits(d: Dim) -> int:
    """A size measure of a dimension: its largest coefficient's bits plus its highest power."""
    return max((abs(c).bit_length() + sum(p for _, p in m) for m, c in d.terms), default=0)


def _modest_format(text: str) -> bool:
    """Whether a `%` format string asks for no width or precision of 10,000 or more characters."""
    return re.search(r"%[^a-zA-Z%]*\d{5}", text) is None


def _compare(op: str, a: Value, b: Value) -> bool | None:
    if op in ("Is", "IsNot"):
        if isinstance(a, Const) and isinstance(b, Const) and (a.value is None or b.value is None):
            same = a.value is b.value
            return same if op == "Is" else not same
        if isinstance(b, Const) and b.value is None and a is not UNKNOWN:
            return op == "IsNot"
        return None
    if op in ("In", "NotIn"):
        if isinstance(b, (SeqV, DictV)):
            key = py_literal(a)
            pool = [py_literal(v) for v in b.items] if isinstance(b, SeqV) else list(b.items)
            if key is NOKEY or NOKEY in pool:
                return None
            return (key in pool) if op == "In" else (key not in pool)
        return None
    if isinstance(a, Const) and isinstance(b, Const):
        try:
            return bool(_CMP[op](a.value, b.value))
        except (TypeError, KeyError):
            return None
    da, db = as_dim(a), as_dim(b)
    if da is None or db is None:
        return None
    diff = da - db
    lo, hi = diff.bounds()
    if op == "Equal":
        return True if diff.value == 0 else (False if lo > 0 or hi < 0 else None)
    if op == "NotEqual":
        return False if diff.value == 0 else (True if lo > 0 or hi < 0 else None)
    if op == "LessThan":
        return True if hi < 0 else (False if lo >= 0 else None)
    if op == "LessThanEqual":
        return True if hi <= 0 else (False if lo > 0 else None)
    if op == "GreaterThan":
        return True if lo > 0 else (False if hi <= 0 else None)
    if op == "GreaterThanEqual":
        return True if lo >= 0 else (False if hi < 0 else None)
    return None


_CMP: dict[str, Any] = {
    "Equal": lambda a, b: a == b,
    "NotEqual": lambda a, b: a != b,
    "LessThan": lambda a, b: a < b,
    "LessThanEqual": lambda a, b: a <= b,
    "GreaterThan": lambda a, b: a > b,
    "GreaterThanEqual": lambda a, b: a >= b,
}


_ZERO: Value = Const(0)
_ZERO_F: Value = Const(0.0)
_MINUS_ONE: Value = Const(-1)
_NONE: Value = Const(None)


# -- builtins ---------------------------------------------------------------------------
def _b_range(interp: Interpreter, *args: Value) -> Value:
    ints = [as_int(a) for a in args]
    if not ints or any(i is None for i in ints) or len(ints) > 3:
        return UNKNOWN
    try:
        r = range(*ints)  # type: ignore[arg-type]
        if len(r) > MAX_UNROLL * 4:  # OverflowError past sys.maxsize items
            return UNKNOWN
    except (ValueError, OverflowError):  # a zero step
        return UNKNOWN
    return SeqV([Const(i) for i in r], is_tuple=True)


def _b_len(interp: Interpreter, value: Value) -> Value:
    if isinstance(value, ShapeV):
        return UNKNOWN if value.dims is None else Const(len(value.dims))
    items = interp.iterate(value)
    if items is not None:
        return Const(len(items))
    if isinstance(value, TensorV):
        return interp.api.tensor_len(interp, value)
    return UNKNOWN


def _b_int(interp: Interpreter, value: Value = _ZERO, *rest: Value) -> Value:
    if rest:
        return UNKNOWN
    if isinstance(value, Const) and isinstance(value.value, (int, float)) and not isinstance(value.value, bool):
        if isinstance(value.value, float) and not math.isfinite(value.value):
            return UNKNOWN
        return Const(int(value.value))
    if isinstance(value, Const) and isinstance(value.value, str):
        try:
            return Const(int(value.value))
        except ValueError:
            return UNKNOWN
    if isinstance(value, DimV):
        return value
    return UNKNOWN


def _b_float(interp: Interpreter, value: Value = _ZERO_F) -> Value:
    if isinstance(value, Const) and isinstance(value.value, (int, float)):
        return Const(float(value.value))
    return UNKNOWN


def _b_list(interp: Interpreter, value: Value | None = None) -> Value:
    if value is None:
        return SeqV([])
    items = interp.iterate(value)
    return UNKNOWN if items is None else SeqV(items)


def _b_tuple(interp: Interpreter, value: Value | None = None) -> Value:
    if value is None:
        return SeqV([], is_tuple=True)
    items = interp.iterate(value)
    return UNKNOWN if items is None else SeqV(items, is_tuple=True)


def _b_dict(interp: Interpreter, *args: Value, **kwargs: Value) -> Value:
    if args:
        return UNKNOWN
    return DictV(dict(kwargs))


def _b_enumerate(interp: Interpreter, value: Value, start: Value = _ZERO) -> Value:
    items = interp.iterate(value)
    first = as_int(start)
    if items is None or first is None:
        return UNKNOWN
    return SeqV([SeqV([Const(first + i), v], True) for i, v in enumerate(items)], True)


def _b_zip(interp: Interpreter, *values: Value) -> Value:
    lists = [interp.iterate(v) for v in values]
    if any(items is None for items in lists):
        return UNKNOWN
    return SeqV([SeqV(list(group), True) for group in zip(*lists, strict=False)], True)


def _b_reversed(interp: Interpreter, value: Value) -> Value:
    items = interp.iterate(value)
    return UNKNOWN if items is None else SeqV(list(reversed(items)), True)


def _numeric_fold(interp: Interpreter, args: tuple[Value, ...], fn: Any) -> Value:
    values = list(args)
    if len(values) == 1:
        items = interp.iterate(values[0])
        if items is None:
            return UNKNOWN
        values = items
    consts = [v.value for v in values if isinstance(v, Const) and isinstance(v.value, (int, float))]
    if len(consts) != len(values) or not consts:
        return UNKNOWN
    return Const(fn(consts))


def _b_min(interp: Interpreter, *args: Value) -> Value:
    return _numeric_fold(interp, args, min)


def _b_max(interp: Interpreter, *args: Value) -> Value:
    return _numeric_fold(interp, args, max)


def _b_sum(interp: Interpreter, value: Value) -> Value:
    items = interp.iterate(value)
    if items is None:
        return UNKNOWN
    total = Dim.const(0)
    for item in items:
        d = as_dim(item)
        if d is None:
            return _numeric_fold(interp, (value,), sum)
        total = total + d
    return int_value(total)


def _b_abs(interp: Interpreter, value: Value) -> Value:
    if isinstance(value, Const) and isinstance(value.value, (int, float)):
        return Const(abs(value.value))
    if isinstance(value, TensorV) and interp.call_site is not None:
        return interp.api.tensor_unop(interp, value, interp.call_site)
    return UNKNOWN


def _b_round(interp: Interpreter, value: Value, digits: Value | None = None) -> Value:
    if digits is None and isinstance(value, Const) and isinstance(value.value, (int, float)):
        if isinstance(value.value, float) and not math.isfinite(value.value):
            return UNKNOWN
        return Const(round(value.value))
    return UNKNOWN


def _b_unknown(interp: Interpreter, *args: Value, **kwargs: Value) -> Value:
    return UNKNOWN


def _b_none(interp: Interpreter, *args: Value, **kwargs: Value) -> Value:
    return Const(None)


_BUILTIN_IMPLS: dict[str, Callable[..., Value]] = {
        "range": _b_range,
        "len": _b_len,
        "int": _b_int,
        "float": _b_float,
        "list": _b_list,
        "tuple": _b_tuple,
        "dict": _b_dict,
        "enumerate": _b_enumerate,
        "zip": _b_zip,
        "reversed": _b_reversed,
        "min": _b_min,
        "max": _b_max,
        "sum": _b_sum,
        "abs": _b_abs,
        "round": _b_round,
        "print": _b_none,
        "isinstance": _b_unknown,
        "getattr": _b_unknown,
        "open": _b_unknown,
        "eval": _b_unknown,
        "exec": _b_unknown,
        "__import__": _b_unknown,
}
BUILTINS: dict[str, Value] = {name: BuiltinV(name, impl) for name, impl in _BUILTIN_IMPLS.items()}


# -- methods of modelled values ----------------------------------------------------------
def _m_append(interp: Interpreter, seq: SeqV, value: Value) -> Value:
    seq.items.append(value)
    return Const(None)


def _m_extend(interp: Interpreter, seq: SeqV, value: Value) -> Value:
    items = interp.iterate(value)
    if items is None or len(seq.items) + len(items) > MAX_ITEMS:
        seq.items[:] = [UNKNOWN] * len(seq.items)
        return UNKNOWN
    seq.items.extend(items)
    return Const(None)


def _m_insert(interp: Interpreter, seq: SeqV, index: Value, value: Value) -> Value:
    i = as_int(index)
    if i is None:
        return UNKNOWN
    seq.items.insert(i, value)
    return Const(None)


def _m_pop(interp: Interpreter, seq: SeqV, index: Value = _MINUS_ONE) -> Value:
    i = as_int(index)
    if i is None or not seq.items or not -len(seq.items) <= i < len(seq.items):
        return UNKNOWN
    return seq.items.pop(i)


def _m_get(interp: Interpreter, d: DictV, key: Value, default: Value = _NONE) -> Value:
    k = py_literal(key)
    if k is NOKEY:
        return UNKNOWN
    return d.items.get(k, default)


def _m_keys(interp: Interpreter, d: DictV) -> Value:
    return SeqV([_key_value(k) for k in d.items], True)


def _m_values(interp: Interpreter, d: DictV) -> Value:
    return SeqV(list(d.items.values()), True)


def _m_items(interp: Interpreter, d: DictV) -> Value:
    return SeqV([SeqV([_key_value(k), v], True) for k, v in d.items.items()], True)


def _m_update(interp: Interpreter, d: DictV, other: Value | None = None, **kwargs: Value) -> Value:
    if other is not None:
        if not isinstance(other, DictV):
            interp._havoc_value(d)
            return UNKNOWN
        d.items.update(other.items)
    d.items.update(kwargs)
    return Const(None)


def _m_as_list(interp: Interpreter, shape: ShapeV) -> Value:
    if shape.dims is None:
        return UNKNOWN
    return SeqV([int_value(d) if not d.has_anonymous or d.value is not None else Const(None)
                 for d in shape.dims])


def _m_ndims(interp: Interpreter, shape: ShapeV) -> Value:
    return UNKNOWN if shape.dims is None else Const(len(shape.dims))


def _m_format(interp: Interpreter, template: Const, *args: Value, **kwargs: Value) -> Value:
    if not isinstance(template.value, str) or len(template.value) > 1000:
        return UNKNOWN
    if not all(_formattable(v) for v in (*args, *kwargs.values())):
        return UNKNOWN
    try:
        return Const(template.value.format(*(v.value for v in args),  # type: ignore[attr-defined]
                                           **{k: v.value for k, v in kwargs.items()}))  # type: ignore[attr-defined]
    except (IndexError, KeyError, ValueError, AttributeError):
        return UNKNOWN


# Called with (interpreter, the FeedDictV, the call) for every call given `feed_dict=` (feeds.py).
FEED_HOOKS: list[Any] = []

METHODS: dict[tuple[str, str], Any] = {
    ("Const", "format"): _m_format,
    ("SeqV", "append"): _m_append,
    ("SeqV", "extend"): _m_extend,
    ("SeqV", "insert"): _m_insert,
    ("SeqV", "pop"): _m_pop,
    ("DictV", "get"): _m_get,
    ("DictV", "keys"): _m_keys,
    ("DictV", "values"): _m_values,
    ("DictV", "items"): _m_items,
    ("DictV", "update"): _m_update,
    ("ShapeV", "as_list"): _m_as_list,
}

