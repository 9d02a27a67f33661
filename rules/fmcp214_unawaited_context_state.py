from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import imports_fastmcp, last_identifier, may_be_context
from fastmcp_kit.lint.context_scope import ContextRule
from fastmcp_kit.lint.rule import Fix, Invalid, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

STATE_METHODS = frozenset({"set_state", "get_state", "delete_state"})
# Callees (by last identifier) that never await an argument: a coroutine passed to
# them is a bug (`str(ctx.get_state("k"))` is "<coroutine object ...>").
SYNC_CONSUMERS = frozenset(
    {"str", "repr", "int", "float", "bool", "len", "list", "dict", "tuple", "set", "sorted"}
    | {"print", "dumps", "loads", "debug", "info", "warning", "error", "exception"}
)
# `if inspect.iscoroutine(x): x = await x` (or isawaitable, asyncio.iscoroutine).
AWAITABLE_CHECKS = frozenset({"iscoroutine", "isawaitable"})


def _callee(func: cst.BaseExpression) -> str | None:
    if isinstance(func, cst.Name):
        return func.value
    return func.attr.value if isinstance(func, cst.Attribute) else None


class UnawaitedContextState(ContextRule):
    """`ctx.set_state(...)` / `get_state` / `delete_state` without `await` on FastMCP 3.0+.

    ## What it does
    Flags calls to the state methods of a fastmcp `Context` (a parameter annotated
    with it, `get_context()`, or a middleware's `context.fastmcp_context`) whose result
    is not awaited: a discarded `ctx.set_state("k", v)` or `get_context().set_state(...)`,
    `value = ctx.get_state("k")`, or a call passed to something that never awaits it
    (`str(...)`, `print(...)`, `json.dumps(...)`, a logging call). A call that is
    returned or passed to another callee is left alone (FastMCP awaits a tool's
    awaitable result; `asyncio.gather(...)` awaits its arguments), and so is
    `x = ctx.get_state("k")` when the function later awaits `x`, returns it, or checks
    it (`if inspect.iscoroutine(x): x = await x`, `inspect.isawaitable`,
    `asyncio.iscoroutine`: code that runs on 2.x and 3.x alike).

    ## Why is this bad?
    In 2.x the state methods were synchronous and request-scoped. From 3.0 they are
    coroutines (session-scoped state): without `await`, `set_state` stores nothing and
    `get_state` hands back a coroutine instead of the value, with only a
    `RuntimeWarning: coroutine ... was never awaited` in the log (verified 3.0.2,
    3.4.10, 4.1.2). Code written for 2.x breaks silently on upgrade.

    ## Fix safety
    Inside an `async def` the fix adds `await`, which is what the API requires: safe.
    In a sync function there is no fix: it has to become `async def` first.
    """

    code = "FMCP214"
    severity = Severity.ERROR
    message = "`{call}()` is a coroutine since FastMCP 3.0; without `await` {effect}"
    fix_title = "Add `await`"
    fastmcp_versions = ">=3"
    reported_mistakes = ("027", "028", "029")
    references = ("https://gofastmcp.com/servers/context#request-state",)

    # Only `set_state`/`get_state`/`delete_state` calls are checked.
    needles = ("set_state", "get_state", "delete_state")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A Context-shaped `<x>.set_state/.get_state/.delete_state(...)` call that is not
        # awaited, returned or passed as an argument (other than to a SYNC_CONSUMERS
        # callee), in a module importing fastmcp (a fastmcp Context resolves only
        # through such an import).
        handled: set[int] = set()
        calls: list[ast.Call] = []
        for node in every_node(tree):
            if isinstance(node, (ast.Await, ast.Return)) and node.value is not None:
                handled.add(id(node.value))
            elif isinstance(node, ast.Call):
                if last_identifier(node.func) not in SYNC_CONSUMERS:
                    for arg in node.args:
                        handled.add(id(arg.value if isinstance(arg, ast.Starred) else arg))
                    handled.update(id(keyword.value) for keyword in node.keywords)
                func = node.func
                if (
                    isinstance(func, ast.Attribute)
                    and func.attr in STATE_METHODS
                    and may_be_context(func.value)
                ):
                    calls.append(node)
        return any(id(call) not in handled for call in calls) and imports_fastmcp(tree)

    VALID = [
        Valid(
            "awaited",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def remember(value: str, ctx: Context) -> str:
                await ctx.set_state("last", value)
                previous = await ctx.get_state("last")
                return str(previous)
            """,
        ),
        Valid(
            "returned-or-gathered",
            """
            import asyncio
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def last(ctx: Context) -> str:
                return ctx.get_state("last")

            @mcp.tool
            async def both(ctx: Context) -> None:
                await asyncio.gather(ctx.set_state("a", 1), ctx.set_state("b", 2))
            """,
        ),
        Valid(
            "checked-for-a-coroutine",
            """
            import asyncio
            import inspect
            from fastmcp import FastMCP, Context
            from fastmcp.server.dependencies import get_context

            mcp = FastMCP("demo")

            @mcp.tool
            async def recall(ctx: Context) -> str:
                value = ctx.get_state("last")
                if inspect.iscoroutine(value):
                    value = await value
                stored = get_context().set_state("seen", True)
                if inspect.isawaitable(stored):
                    await stored
                other = get_context().get_state("other")
                if asyncio.iscoroutine(other):
                    other = await other
                return f"{value} {other}"
            """,
        ),
        Valid(
            "sync-state-on-2x",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            def remember(value: str, ctx: Context) -> None:
                ctx.set_state("last", value)
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "not-a-fastmcp-context",
            """
            def handler(ctx) -> None:
                ctx.set_state("k", 1)
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "discarded-set-state",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def remember(value: str, ctx: Context) -> str:
                ctx.set_state("last", value)
                return value
            """,
            fixed="""
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def remember(value: str, ctx: Context) -> str:
                await ctx.set_state("last", value)
                return value
            """,
        ),
        Invalid(
            "get-state-value-in-sync-tool",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            def recall(ctx: Context) -> str:
                value = ctx.get_state("last")
                return str(value)
            """,
        ),
        Invalid(
            "get-context-state",
            """
            from fastmcp import FastMCP
            from fastmcp.server.dependencies import get_context

            mcp = FastMCP("demo")

            @mcp.tool
            async def remember(value: str) -> str:
                get_context().set_state("last", value)
                return str(get_context().get_state("last"))
            """,
            count=2,
            fixed="""
            from fastmcp import FastMCP
            from fastmcp.server.dependencies import get_context

            mcp = FastMCP("demo")

            @mcp.tool
            async def remember(value: str) -> str:
                await get_context().set_state("last", value)
                return str(await get_context().get_state("last"))
            """,
        ),
        Invalid(
            "middleware-state",
            """
            from fastmcp.server.middleware import Middleware, MiddlewareContext

            class Stamp(Middleware):
                async def on_call_tool(self, context: MiddlewareContext, call_next):
                    context.fastmcp_context.set_state("seen", True)
                    return await call_next(context)
            """,
            fixed="""
            from fastmcp.server.middleware import Middleware, MiddlewareContext

            class Stamp(Middleware):
                async def on_call_tool(self, context: MiddlewareContext, call_next):
                    await context.fastmcp_context.set_state("seen", True)
                    return await call_next(context)
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        # Calls whose coroutine someone else takes care of (awaited, returned, passed on).
        self.handled: set[int] = set()
        self.async_functions: list[bool] = []
        # Calls assigned to a plain name: `x = ctx.get_state("k")` -> "x".
        self.assigned: dict[int, str] = {}
        # Per enclosing function: reports on assigned calls, held until the function
        # ends, and the names it awaits or checks (`await x`, `inspect.iscoroutine(x)`).
        self.pending: list[list[tuple[str, cst.Call, str, Fix | None]]] = []
        self.settled: list[set[str]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        self.async_functions.append(node.asynchronous is not None)
        self.pending.append([])
        self.settled.append(set())

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(original_node)
        self.async_functions.pop()
        settled = self.settled.pop()
        for name, node, message, fix in self.pending.pop():
            if name not in settled:
                self.report(node, message, fix=fix)

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        if len(node.targets) == 1 and isinstance(node.targets[0].target, cst.Name):
            self.assigned[id(node.value)] = node.targets[0].target.value

    def visit_Await(self, node: cst.Await) -> None:
        self.handled.add(id(node.expression))
        if isinstance(node.expression, cst.Name) and self.settled:
            self.settled[-1].add(node.expression.value)

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.handled.add(id(node.value))
            if isinstance(node.value, cst.Name) and self.settled:
                self.settled[-1].add(node.value.value)

    def visit_Call(self, node: cst.Call) -> None:
        callee = _callee(node.func)
        if callee not in SYNC_CONSUMERS:
            self.handled.update(id(arg.value) for arg in node.args)
        if callee in AWAITABLE_CHECKS and node.args and self.settled:
            checked = node.args[0].value
            if isinstance(checked, cst.Name):
                self.settled[-1].add(checked.value)
        self._check_state_call(node)

    def _check_state_call(self, node: cst.Call) -> None:
        func = node.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value in STATE_METHODS
            and id(node) not in self.handled
            and self.scopes.is_context(func.value)
        ):
            return
        method = func.attr.value
        effect = (
            "nothing is stored"
            if method != "get_state"
            else "the value is a coroutine, never the state"
        )
        if method == "delete_state":
            effect = "nothing is deleted"
        fix = None
        if self.async_functions and self.async_functions[-1]:
            fix = Fix(self.fix_title or "", replacements=((node, cst.Await(expression=node)),))
        receiver = "get_context()" if isinstance(func.value, cst.Call) else "ctx"
        message = self.message.format(call=f"{receiver}.{method}", effect=effect)
        name = self.assigned.get(id(node))
        if name is not None and self.pending:
            # `x = ctx.get_state(...)` is fine when the function later awaits `x` or
            # checks it (`if inspect.iscoroutine(x): x = await x`).
            self.pending[-1].append((name, node, message, fix))
        else:
            self.report(node, message, fix=fix)
