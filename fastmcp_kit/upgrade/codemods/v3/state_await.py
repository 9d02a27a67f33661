"""``ctx.set_state`` / ``ctx.get_state`` become async (3.ii rows 13 and 14)."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Example
from fastmcp_kit.upgrade.cstutil import add_args, keyword, kwarg
from fastmcp_kit.upgrade.helpers import FunctionAware

# Parents in which `await x` needs parentheses around it.
_TIGHT = (cst.Attribute, cst.Subscript, cst.Call)


class StateAwait(FunctionAware):
    """What it does:
    Inside ``async def``, turns ``ctx.set_state(k, v)`` into ``await ctx.set_state(k, v,
    serializable=False)`` and ``ctx.get_state(k)`` into ``await ctx.get_state(k)`` for a
    FastMCP ``Context`` (parameters annotated ``Context``, ``get_context()``, and
    ``context.fastmcp_context`` in middleware). The same calls in a sync ``def`` are
    reported.

    Why:
    3.0 made both methods coroutines. Without ``await`` the value is never stored and
    ``get_state`` returns a coroutine.

    Safety:
    Safe. ``serializable=False`` keeps the 2.x semantics: the value lives for the
    current request only, may be any object (3.x otherwise requires JSON values and
    raises ``TypeError``), and is shared with mounted servers. Checked in 2.14.7,
    3.0.2, 3.4.10 and 4.1.2: a later request reads ``None``; a mounted child reads
    what the parent's middleware set. Drop ``serializable=False`` to opt into 3.x
    session state.
    """

    ID = "state-await"
    TITLE = "ctx.set_state/get_state are awaited (request-scoped as in 2.x)"
    KIND = "rewrite"
    ROWS = ("ii.13", "ii.14")
    LINK = GUIDE_3
    TRIGGERS = ("set_state", "get_state")
    EXAMPLES = (
        Example(
            "tool-and-middleware",
            before="""
            from fastmcp import Context, FastMCP
            from fastmcp.server.middleware import Middleware

            mcp = FastMCP("x")

            class Tenant(Middleware):
                async def on_call_tool(self, context, call_next):
                    context.fastmcp_context.set_state("tenant", "acme")
                    return await call_next(context)

            @mcp.tool
            async def whoami(ctx: Context) -> str:
                tenant = ctx.get_state("tenant") or "none"
                return ctx.get_state("user").upper() + tenant
            """,
            after="""
            from fastmcp import Context, FastMCP
            from fastmcp.server.middleware import Middleware

            mcp = FastMCP("x")

            class Tenant(Middleware):
                async def on_call_tool(self, context, call_next):
                    await context.fastmcp_context.set_state("tenant", "acme", serializable=False)
                    return await call_next(context)

            @mcp.tool
            async def whoami(ctx: Context) -> str:
                tenant = await ctx.get_state("tenant") or "none"
                return (await ctx.get_state("user")).upper() + tenant
            """,
        ),
        Example(
            "sync-function",
            before="""
            from fastmcp import Context

            def remember(ctx: Context) -> None:
                ctx.set_state("k", 1)
            """,
            findings=("is a coroutine in 3.x",),
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value in ("set_state", "get_state")
            and self.is_context(func.value)
        ):
            return updated_node
        parent = self._parent(original_node)
        if isinstance(parent, cst.Await):
            return updated_node
        frame = self.frame
        if frame is None or not frame.is_async:
            self.report(
                original_node,
                f"`{func.attr.value}` is a coroutine in 3.x and this function is not async: "
                "make it `async def` and `await` the call",
                Severity.ERROR,
            )
            return updated_node
        call = updated_node
        if func.attr.value == "set_state" and keyword(call, "serializable") is None:
            call = add_args(call, [kwarg("serializable", cst.Name("False"))])
        self.rewrote()
        awaited = cst.Await(expression=call)
        if (
            isinstance(parent, _TIGHT)
            and getattr(parent, "value", getattr(parent, "func", None)) is original_node
        ):
            return awaited.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return awaited

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        try:
            return self.get_metadata(ParentNodeProvider, node)
        except KeyError:
            return None
