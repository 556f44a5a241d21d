"""The abstract interpreter over a libcst module: it runs the program on abstract values.

Constants, containers, user functions (inlined at each call), classes, loops over known
iterables and `if` on unknown conditions (both branches, then a join) are modelled; library
calls go to the plugin chain, which adds ops to the model graph. Nothing of the user's code is
ever imported or executed. Whatever cannot be resolved becomes UNKNOWN. This package knows
Python only: it imports no framework plugin.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import libcst as cst

from cnnlint.frontend.python import modules
from cnnlint.frontend.python.builtins import havoc_value
from cnnlint.frontend.python.evaluator import Evaluator
from cnnlint.frontend.python.join import (
    Joiner,
    join,
    join_all,
    join_items,
    restore,
    snapshot,
    snapshot_within,
    state_size,
)
from cnnlint.frontend.python.limits import MAX_FORK_STATE, MAX_ITEMS, MAX_STEPS, MAX_UNROLL, MAX_UNROLL_STEPS
from cnnlint.frontend.python.scope import (
    BreakSignal,
    BudgetExceeded,
    ContinueSignal,
    LoopUncertain,
    RaiseSignal,
    ReturnSignal,
    Scope,
    name_of,
)
from cnnlint.frontend.python.values import (
    UNKNOWN,
    ClassV,
    Const,
    DictV,
    FuncV,
    ListOfV,
    ModuleV,
    ObjectV,
    SeqV,
    Value,
    as_bool,
    as_int,
    py_literal,
)
from cnnlint.frontend.python.visitors import assigned_in, handler, straight_body
from cnnlint.ir import ModuleIR


class Interpreter(Evaluator):
    """Interprets one module; `run()` returns its ModuleIR."""

    # -- entry points -----------------------------------------------------------------
    def run(self) -> ModuleIR:
        scope = Scope("module")
        scope.vars["__name__"] = Const("__main__")
        scope.vars["__file__"] = Const(self.path)
        self._run_guarded(lambda: self.exec_block(self.module.body, scope), "the module body")
        self._analyze_uncalled(scope)
        self._run_guarded(lambda: self.plugins.finish(self), "finishing the models")
        self.ir.graphs = [g for g in self.ir.graphs if g.own_nodes]
        return self.ir

    def module_scope(self, context: object) -> Scope:
        """The module body run as an import runs it (`__name__` is the module's, not `"__main__"`):
        the scope it leaves, for the summary of a project module another file imports; `context`
        (`modules.FileContext`) marks the scope as that file's."""
        scope = Scope("module")
        scope.file = context
        scope.vars["__name__"] = Const(self.path)
        scope.vars["__file__"] = Const(self.path)
        self._run_guarded(lambda: self.exec_block(self.module.body, scope), "the module body")
        return scope

    def _run_guarded(self, action: Any, unit: str = "") -> None:
        try:
            action()
        except (ReturnSignal, BreakSignal, ContinueSignal, RaiseSignal, LoopUncertain):
            pass
        except BudgetExceeded:
            self.ir.incomplete = f"stopped after {self.options.file_seconds:g} s" if self.out_of_time else \
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
            self.graph = module_graph.extension(f"{stmt.name.value}()", self.loc(stmt))
            self.ir.graphs.append(self.graph)
            self.steps = 0
            kwargs = self._configured_arguments(stmt.name.value)
            self.uncalled = True  # another file's functions are not run for it (see `call_function`)
            self._run_guarded(lambda f=func, k=kwargs: self.call_function(f, [], k, partial=True),
                              f"function {stmt.name.value}()")

    def _configured_arguments(self, function: str) -> dict[str, Value]:
        """`input-shapes` entries `"function.parameter" = [sizes]`: the value of that argument
        (a tuple of ints) when the function has no caller in the file."""
        out: dict[str, Value] = {}
        for key, sizes in self.options.input_shapes.items():
            name, _, parameter = key.partition(".")
            if name == function and parameter:
                out[parameter] = SeqV([Const(int(n)) for n in sizes], is_tuple=True)
        return out

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
        method = handler(type(self), "stmt_", type(stmt))
        if method is not None:
            method(self, stmt, scope)

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
        name = name_of(stmt.target)
        if name is not None:
            scope.vars.pop(name, None)
        elif isinstance(stmt.target, cst.Subscript):
            self._del_item(stmt.target, scope)

    def _del_item(self, target: cst.Subscript, scope: Scope) -> None:
        """`del xs[i]` / `del d[k]`: the item is removed where known; otherwise what the container
        holds is not known (never the list as it was before)."""
        container = self.eval(target.value, scope)
        key = self.eval_slice(target.slice[0].slice, scope) if len(target.slice) == 1 else UNKNOWN
        if isinstance(container, SeqV) and not container.is_tuple:
            i = as_int(key)
            if i is not None and -len(container.items) <= i < len(container.items):
                del container.items[i]
                return
        elif isinstance(container, DictV) and py_literal(key) in container.items:
            del container.items[py_literal(key)]
            return
        havoc_value(container)
        base = name_of(target.value)
        if base is not None:
            scope.assign(base, UNKNOWN)

    def stmt_Import(self, stmt: cst.Import, scope: Scope) -> None:
        for alias in stmt.names:
            full = self.code(alias.name)
            if alias.asname is not None:
                scope.assign(self.code(alias.asname.name), modules.module_value(self, full, 0) or ModuleV(full))
                continue
            parts = full.split(".")
            head = modules.module_value(self, parts[0], 0)
            if isinstance(head, modules.ProjectModuleV):  # `import models.resnet`: the package, its submodule set
                outer = head
                for k in range(2, len(parts) + 1):
                    inner = modules.module_value(self, ".".join(parts[:k]), 0)
                    if not isinstance(inner, modules.ProjectModuleV):
                        break
                    outer.exports[parts[k - 1]] = inner
                    outer = inner
            scope.assign(parts[0], head or ModuleV(parts[0]))

    def stmt_ImportFrom(self, stmt: cst.ImportFrom, scope: Scope) -> None:
        module = self.code(stmt.module) if stmt.module is not None else ""
        level = len(stmt.relative)
        base = "." * level + module
        if isinstance(stmt.names, cst.ImportStar):
            project = modules.star_import(self, module, level)
            if project is None:
                scope.star_imports.append(base)
                return
            scope.star_imports.extend(project.star_imports)
            for name, value in project.values.items():
                scope.assign(name, value)
            return
        for alias in stmt.names:
            name = self.code(alias.name)
            local = self.code(alias.asname.name) if alias.asname is not None else name
            scope.assign(local, modules.from_import(self, module, name, level) or ModuleV(f"{base}.{name}"))

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
        self.conditions.append(stmt.test)
        try:
            self._if(stmt, scope)
        finally:
            self.conditions.pop()

    def _if(self, stmt: cst.If, scope: Scope) -> None:
        test = as_bool(self.eval(stmt.test, scope))
        orelse = stmt.orelse
        if test is True:
            self.exec_block(stmt.body, scope)
        elif test is False:
            if orelse is not None:
                self.exec_else(orelse, scope)
        elif (saved := snapshot_within(scope.chain(), MAX_FORK_STATE)) is None:
            # Copying a large state for every `if` inside a loop is quadratic: give up precision instead.
            self.havoc(stmt, scope)
        else:
            self.fork(scope, stmt, lambda: self.exec_block(stmt.body, scope),
                      lambda: self.exec_else(orelse, scope) if orelse is not None else None, saved)

    def exec_else(self, orelse: cst.If | cst.Else, scope: Scope) -> None:
        if isinstance(orelse, cst.If):
            self.stmt_If(orelse, scope)
        else:
            self.exec_block(orelse.body, scope)

    def stmt_For(self, stmt: cst.For, scope: Scope) -> None:
        iterable = self.eval(stmt.iter, scope)
        items = self.iterate(iterable)
        if items is None or len(items) > MAX_UNROLL:
            item = self.summarize(iterable, stmt.iter)
            self.loop_pass(stmt, scope, UNKNOWN if item is None else item)
            self.last_iteration(stmt, scope)
            return
        self.loop_kinds.append("unrolled")
        start, rest = self.total_steps, None
        try:
            for done, item in enumerate(items, 1):
                self.bind(stmt.target, item, scope)
                try:
                    self.exec_block(stmt.body, scope)
                except ContinueSignal:
                    pass
                except BreakSignal:
                    return
                if self.total_steps - start > MAX_UNROLL_STEPS and done < len(items) - 1:
                    rest = items[done:]  # an expensive body: the other iterations as one abstract pass
                    break
        except LoopUncertain:
            self.havoc(stmt, scope)
            return
        finally:
            self.loop_kinds.pop()
        if rest is not None:
            item = self.summarize(SeqV(rest), stmt.iter)
            self.loop_pass(stmt, scope, UNKNOWN if item is None else item)
            self.last_iteration(stmt, scope)
            return
        if stmt.orelse is not None:
            self.exec_block(stmt.orelse.body, scope)

    def stmt_While(self, stmt: cst.While, scope: Scope) -> None:
        if as_bool(self.eval(stmt.test, scope)) is False:
            if stmt.orelse is not None:
                self.exec_block(stmt.orelse.body, scope)
            return
        counted = self._counted_while(stmt, scope)
        self.loop_pass(stmt, scope, None)
        if counted is not None:
            self.last_iteration(stmt, scope, counted)

    def _counted_while(self, stmt: cst.While, scope: Scope) -> tuple[cst.Name, int] | None:
        """`while start < n:` whose body steps `start` once, at its top level, by a known amount
        (`start += bs`, `start = start + bs`), from a known start to a known `n`: the counter and
        its value in the last iteration."""
        test = stmt.test
        if not (isinstance(test, cst.Comparison) and isinstance(test.left, cst.Name) and len(test.comparisons) == 1
                and isinstance(test.comparisons[0].operator, (cst.LessThan, cst.LessThanEqual))):
            return None
        name = test.left.value
        body = stmt.body.body if isinstance(stmt.body, cst.IndentedBlock) else ()
        steps: list[cst.BaseExpression] = []
        for line in body:
            collector = assigned_in(line)
            if name not in collector.names:
                continue
            small = line.body[0] if isinstance(line, cst.SimpleStatementLine) and len(line.body) == 1 else None
            if isinstance(small, cst.AugAssign) and isinstance(small.operator, cst.AddAssign) and isinstance(
                    small.target, cst.Name):
                steps.append(small.value)
            elif (isinstance(small, cst.Assign) and len(small.targets) == 1
                  and isinstance(small.value, cst.BinaryOperation) and isinstance(small.value.operator, cst.Add)
                  and isinstance(small.value.left, cst.Name) and small.value.left.value == name):
                steps.append(small.value.right)
            else:
                return None
        if len(steps) != 1 or not isinstance(steps[0], (cst.Name, cst.Integer)):
            return None
        assigned = assigned_in(stmt.body)
        if isinstance(steps[0], cst.Name) and steps[0].value in assigned.names:
            return None
        bound = self.eval(test.comparisons[0].comparator, scope)
        first, stop, step = (as_int(v) for v in (scope.lookup(name) or UNKNOWN, bound, self.eval(steps[0], scope)))
        if first is None or stop is None or step is None or step <= 0:
            return None
        values = range(first, stop + isinstance(test.comparisons[0].operator, cst.LessThanEqual), step)
        return (test.left, values[-1]) if values else None  # `len` overflows past sys.maxsize items

    def loop_pass(self, stmt: cst.For | cst.While, scope: Scope, item: Value | None) -> None:
        """A loop whose trip count is unknown: one abstract pass of its body, whose findings do
        not depend on the iteration, then the state after the loop.

        The pass starts from a state where whatever the body may change is unknown (as `havoc`
        makes it), except lists the body only appends to, which become lists of unknown length
        (`ListOfV`) whose item describes what is appended; the target is `item`, what describes
        every item of the iterable. So what the pass finds holds in every iteration. After the
        pass the state is what the state before the loop and the one after the pass agree on,
        with `havoc` applied again, and each such list is the list of unknown length the pass
        grew (`images.append(cv2.imread(p))` in a loop makes `np.array(images)` an array of
        unknown length of images)."""
        if state_size(scope) > MAX_FORK_STATE:
            self.havoc(stmt, scope)
            return
        scopes = scope.chain()
        saved = snapshot(scopes)
        grown = self.havoc(stmt, scope, grow=True)
        self.loop_kinds.append("abstract")
        try:
            outcome = self._attempt(lambda: self._one_pass(stmt, scope, item))
        finally:
            self.loop_kinds.pop()
        results = {chain: self._reach(chain, scope) for chain in grown}
        # The state after the loop: what zero iterations and the pass agree on (a call in the body
        # may change a value the body does not name: `grow()` adding layers to a global model),
        # then whatever the body may change made unknown.
        joiner = Joiner(self, stmt, self.graph)
        restore(scopes, [{k: join(v, s.vars[k], joiner) if k in s.vars else v for k, v in vars_.items()}
                         for s, vars_ in zip(scopes, saved, strict=True)])
        self.havoc(stmt, scope)
        for chain, value in results.items():
            if isinstance(value, ListOfV):
                self._put(chain, ListOfV(value.item, value.is_tuple), scope)
        if outcome[0] == "return":
            self._possible_return(outcome[1])

    def last_iteration(self, stmt: cst.For | cst.While, scope: Scope,
                       counted: tuple[cst.Name, int] | None = None) -> None:
        """A `for` over a known `range` too long to unroll (or a counted `while`, `counted`: its
        counter and that counter's last value), after its abstract pass: its last iteration once
        more, with the target the range's last value, so that what only that iteration does is
        found (`X[i:i + bs]` is shorter than `bs` rows there: a remainder batch fed to a
        fixed-size placeholder). Only for a non-empty range and a body that surely runs to its
        end in every iteration (no `break`, `continue`, `return`, `raise`, `yield`, `try`:
        `straight_body`); of that body only what surely runs in the iteration runs (simple
        statements, `with` blocks), each other compound statement (`if`, a nested loop) makes
        what it may change unknown instead. The state after the loop stays the abstract pass's."""
        if counted is not None:
            target: cst.BaseExpression = counted[0]
            last: int | None = counted[1]
        elif isinstance(stmt, cst.For):
            target, last = stmt.target, self._range_last(stmt.iter, scope)
        else:
            return
        if last is None or not straight_body(stmt.body) or state_size(scope) > MAX_FORK_STATE:
            return
        scopes = scope.chain()
        saved = snapshot(scopes)
        self.loop_kinds.append("abstract")
        try:
            self.bind(target, Const(last), scope)
            self._attempt(lambda: self._run_surely(stmt.body, scope))
        finally:
            self.loop_kinds.pop()
            restore(scopes, saved)

    def _range_last(self, node: cst.BaseExpression, scope: Scope) -> int | None:
        """The last value of `range(...)` with known int arguments (the builtin, not shadowed)."""
        if not (isinstance(node, cst.Call) and isinstance(node.func, cst.Name) and node.func.value == "range"
                and scope.lookup("range") is None and 1 <= len(node.args) <= 3
                and all(arg.keyword is None and not arg.star for arg in node.args)):
            return None
        ints = [as_int(self.eval(arg.value, scope)) for arg in node.args]
        if any(i is None for i in ints) or (len(ints) == 3 and ints[2] == 0):
            return None
        r = range(*ints)  # type: ignore[arg-type]
        return r[-1] if r else None  # `len` overflows past sys.maxsize items

    def _run_surely(self, body: cst.BaseSuite, scope: Scope) -> None:
        stmts: Sequence[cst.CSTNode] = (body.body if isinstance(body, (cst.IndentedBlock, cst.SimpleStatementSuite))
                                        else ())
        for stmt in stmts:
            if isinstance(stmt, cst.With):
                for item in stmt.items:  # as `stmt_With`, its body run the same way
                    manager = self.eval(item.item, scope)
                    if item.asname is not None:
                        entered = manager.enter(self)
                        self.bind(item.asname.name, UNKNOWN if entered is None else entered, scope)
                self._run_surely(stmt.body, scope)
            elif isinstance(stmt, (cst.SimpleStatementLine, cst.BaseSmallStatement)):
                self.exec_stmt(stmt, scope)  # a small statement: the body of `for ...: stmt; stmt`
            elif not isinstance(stmt, (cst.FunctionDef, cst.ClassDef)):
                self.havoc(stmt, scope)
            else:
                self.exec_stmt(stmt, scope)

    def stmt_With(self, stmt: cst.With, scope: Scope) -> None:
        for item in stmt.items:
            manager = self.eval(item.item, scope)
            if item.asname is not None:
                entered = manager.enter(self)
                self.bind(item.asname.name, UNKNOWN if entered is None else entered, scope)
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
    def fork(self, scope: Scope, site: cst.CSTNode, first: Any, second: Any,
             saved: list[dict[str, Value]] | None = None) -> None:
        """Run two alternative paths from the same state (`saved`: its snapshot, made already)
        and join the outcomes."""
        graph = self.graph
        joiner = Joiner(self, site, graph)
        scopes = scope.chain()
        saved = snapshot(scopes) if saved is None else saved
        outcome_a = self._attempt(first)
        state_a = [dict(s.vars) for s in scopes]
        restore(scopes, saved)
        outcome_b = self._attempt(second)
        kinds = (outcome_a[0], outcome_b[0])
        if "loop" in kinds and self.loop_kinds and self.loop_kinds[-1] == "abstract":
            # `if c: continue` in a loop's abstract pass: that path's iteration ends there; the
            # pass goes on with the other (as a path that raised).
            kinds = tuple("raise" if kind == "loop" else kind for kind in kinds)  # type: ignore[assignment]
            outcome_a, outcome_b = (("raise", UNKNOWN) if o[0] == "loop" else o for o in (outcome_a, outcome_b))
        if "loop" in kinds:
            raise LoopUncertain()
        if kinds == ("raise", "raise"):
            raise RaiseSignal()
        if kinds[0] in ("raise", "return") and kinds[1] in ("raise", "return"):
            values = [o[1] for o in (outcome_a, outcome_b) if o[0] == "return"]
            raise ReturnSignal(join_all(values, joiner))
        if kinds[0] in ("raise", "return"):
            if kinds[0] == "return":
                self._possible_return(outcome_a[1])
            return  # state b is live already
        if kinds[1] in ("raise", "return"):
            if kinds[1] == "return":
                self._possible_return(outcome_b[1])
            restore(scopes, state_a)
            return
        for s, vars_a in zip(scopes, state_a, strict=True):
            joined = {k: join(v, s.vars[k], joiner) for k, v in vars_a.items() if k in s.vars}
            s.vars.clear()
            s.vars.update(joined)
            if graph is self.graph:
                for name, value in joined.items():
                    if any(value is made for made in joiner.made):
                        value.named(self, name, "variable")  # the join node is labelled, as the variable was

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

    def _one_pass(self, stmt: cst.For | cst.While, scope: Scope, item: Value | None) -> None:
        if isinstance(stmt, cst.For):
            self.bind(stmt.target, item or UNKNOWN, scope)
        else:
            self.eval(stmt.test, scope)
        self.exec_block(stmt.body, scope)

    def havoc(self, stmt: cst.CSTNode, scope: Scope, grow: bool = False) -> list[tuple[str, ...]]:
        """A loop or match with unknown effect: whatever its body may change becomes UNKNOWN.

        That reaches every mutable value the body may touch, through the names and attribute
        chains it assigns, subscripts, calls methods on or passes to calls (`self.blocks.add(...)`):
        a container becomes UNKNOWN where it is held, a model loses its known contents in place
        (so that every alias sees it), never keeping the part that happens to be known. A value
        the body only calls methods on that leave it as it is (`Value.mutated_by`: `model.fit`)
        keeps what is known. With `grow`, a list the body only appends to becomes a list of
        unknown length instead (`ListOfV`) whose item describes its items so far; their chains
        are returned."""
        collector = assigned_in(stmt)
        grown: list[tuple[str, ...]] = []
        for name in collector.names:
            if name in scope.vars or scope.lookup(name) is None:
                scope.assign(name, UNKNOWN)
        for chain in collector.rebound:
            self._forget(chain, scope)
        for chain in collector.receivers:
            current = self._reach(chain, scope)
            methods = collector.only_methods(chain)
            if current is None:
                continue
            if methods is not None and not any(current.mutated_by(m) for m in methods):
                continue
            grows = methods is not None and methods <= {"append", "extend"}
            if grow and grows and isinstance(current, (SeqV, ListOfV)):
                items: list[Value | None] = [current.item] if isinstance(current, ListOfV) else list(current.items)
                self._put(chain, ListOfV(join_items(items, Joiner(self, stmt, self.graph)), current.is_tuple), scope)
                grown.append(chain)
            elif current.forgettable:
                current.forget()
            elif isinstance(current, (SeqV, DictV, ObjectV, ListOfV)):
                self._forget(chain, scope)
        return grown

    def _put(self, chain: tuple[str, ...], value: Value, scope: Scope) -> None:
        """Make `chain` name `value` where it is held: a variable, or an object's attribute."""
        if len(chain) == 1:
            holder = next((s for s in scope.chain() if chain[0] in s.vars), scope)
            holder.vars[chain[0]] = value
            return
        obj = self._reach(chain[:-1], scope)
        if isinstance(obj, ObjectV):
            obj.attrs[chain[-1]] = value

    def _forget(self, chain: tuple[str, ...], scope: Scope) -> None:
        """Make what `chain` names UNKNOWN where it is held: a name, or an object's attribute
        (a model holding it loses its contents)."""
        if len(chain) == 1:
            scope.assign(chain[0], UNKNOWN)
            return
        holder = self._reach(chain[:-1], scope)
        if isinstance(holder, ObjectV):
            holder.attrs[chain[-1]] = UNKNOWN
        elif holder is not None and holder.forgettable:
            holder.forget()

    def _reach(self, chain: tuple[str, ...], scope: Scope) -> Value | None:
        """The value a chain of names reaches through objects' attributes (`self.blocks`); a
        model met on the way is the value (`model.layers[0]...` may change the model)."""
        current = scope.lookup(chain[0])
        for attr in chain[1:]:
            if current is not None and current.forgettable:
                return current
            if not isinstance(current, ObjectV):
                return None
            current = current.attrs.get(attr)
        return current

