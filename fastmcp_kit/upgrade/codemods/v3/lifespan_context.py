"""``ctx.request_context.lifespan_context`` -> ``ctx.lifespan_context`` (3.ii row 35, E25)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.upgrade.codemod import GUIDE_3, Example
from fastmcp_kit.upgrade.helpers import FunctionAware


class LifespanContext(FunctionAware):
    """What it does:
    Shortens ``ctx.request_context.lifespan_context`` to ``ctx.lifespan_context`` on a
    FastMCP ``Context``.

    Why:
    3.0 added ``Context.lifespan_context``, the documented way; the old path reaches
    into the MCP SDK's request context.

    Safety:
    Safe for the server (an optional change, not a required one): both return the server
    lifespan's value in 3.x and 4.x. Opt-in (`--with lifespan-context`): tests and mocks
    wired on the old attribute path break after it.
    """

    ID = "lifespan-context"
    TITLE = "ctx.request_context.lifespan_context becomes ctx.lifespan_context"
    KIND = "rewrite"
    # The old path still works in 3.x and 4.x, and tests that mock it break after the
    # rewrite (27 in one real project): run it when asked.
    OPT_IN = True
    ROWS = ("ii.35",)
    LINK = GUIDE_3
    TRIGGERS = ("lifespan_context",)
    EXAMPLES = (
        Example(
            "tool",
            before="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("db")

            @mcp.tool
            def query(sql: str, ctx: Context) -> list:
                db = ctx.request_context.lifespan_context["db"]
                return db.execute(sql)
            """,
            after="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("db")

            @mcp.tool
            def query(sql: str, ctx: Context) -> list:
                db = ctx.lifespan_context["db"]
                return db.execute(sql)
            """,
        ),
    )

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        inner = original_node.value
        if (
            original_node.attr.value == "lifespan_context"
            and isinstance(inner, cst.Attribute)
            and inner.attr.value == "request_context"
            and self.is_context(inner.value)
        ):
            self.rewrote()
            assert isinstance(updated_node.value, cst.Attribute)
            return updated_node.with_changes(value=updated_node.value.value)
        return updated_node
