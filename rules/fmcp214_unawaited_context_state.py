from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import imports_fastmcp, may_be_context
from fastmcp_kit.lint.context_scope import ContextRule
from fastmcp_kit.lint.rule import Fix, Invalid, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

STATE_METHODS = frozenset({"set_state", "get_state", "delete_state"})


class UnawaitedContextState(ContextRule):
    """`ctx.set_state(...)` / `get_state` / `delete_state` without `await` on FastMCP 3.0+.

    ## What it does
    Flags calls to the state methods of a fastmcp `Context` (a parameter annotated
    with it, `get_context()`, or a middleware's `context.fastmcp_context`) whose result
    is not awaited: a discarded `ctx.set_state("k", v)`, or `value = ctx.get_state("k")`.
    A call that is returned or passed on is left alone (FastMCP awaits a tool's
    awaitable result; `asyncio.gather(...)` awaits its arguments).

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
    references = ("https://gofastmcp.com/servers/context#request-state",)

    # Only `set_state`/`get_state`/`delete_state` calls are checked.
    needles = ("set_state", "get_state", "delete_state")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A Context-shaped `<x>.set_state/.get_state/.delete_state(...)` call that is not
        # awaited, returned or passed as an argument, in a module importing fastmcp (a
        # fastmcp Context resolves only through such an import).
        handled: set[int] = set()
        calls: list[ast.Call] = []
        for node in every_node(tree):
            if isinstance(node, (ast.Await, ast.Return)) and node.value is not None:
                handled.add(id(node.value))
            elif isinstance(node, ast.Call):
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

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        self.async_functions.append(node.asynchronous is not None)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(original_node)
        self.async_functions.pop()

    def visit_Await(self, node: cst.Await) -> None:
        self.handled.add(id(node.expression))

    def visit_Return(self, node: cst.Return) -> None:
        if node.value is not None:
            self.handled.add(id(node.value))

    def visit_Arg(self, node: cst.Arg) -> None:
        self.handled.add(id(node.value))

    def visit_Call(self, node: cst.Call) -> None:
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
        self.report(node, self.message.format(call=f"ctx.{method}", effect=effect), fix=fix)
