"""``ctx.get_http_request()`` -> ``get_http_request()`` (3.i row 2, E27)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Example
from fastmcp_kit.upgrade.helpers import FunctionAware

_FUNCTION = "fastmcp.server.dependencies.get_http_request"


class ContextGetHttpRequest(FunctionAware):
    """What it does:
    Replaces ``ctx.get_http_request()`` on a FastMCP ``Context`` (a parameter annotated
    ``Context``, or the result of ``get_context()``) with the function
    ``get_http_request()`` from ``fastmcp.server.dependencies``, and imports it.

    Why:
    ``Context.get_http_request()`` was deprecated in 2.2.11 and removed in 2.14.0
    (``AttributeError``).

    Safety:
    Safe: the method called that function. Both raise ``RuntimeError: No active HTTP
    request found.`` outside HTTP. When the module already binds the name
    ``get_http_request`` to something else, the call is reported instead.
    """

    ID = "context-get-http-request"
    TITLE = "ctx.get_http_request() becomes get_http_request()"
    KIND = "rewrite"
    ROWS = ("i.2",)
    LINK = GUIDE_2_14
    TRIGGERS = ("get_http_request",)
    EXAMPLES = (
        Example(
            "tool",
            before="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("web")

            @mcp.tool
            async def user_agent(ctx: Context) -> str:
                request = ctx.get_http_request()
                return request.headers.get("user-agent", "")
            """,
            after="""
            from fastmcp import Context, FastMCP
            from fastmcp.server.dependencies import get_http_request

            mcp = FastMCP("web")

            @mcp.tool
            async def user_agent(ctx: Context) -> str:
                request = get_http_request()
                return request.headers.get("user-agent", "")
            """,
        ),
        Example(
            "not-a-context",
            before="""
            def handler(session) -> object:
                return session.get_http_request()
            """,
        ),
        Example(
            "name-taken",
            before="""
            from fastmcp import Context
            from myapp.web import get_http_request

            async def whoami(ctx: Context) -> str:
                return ctx.get_http_request().url.path
            """,
            findings=("`get_http_request` is already bound",),
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value == "get_http_request"
            and not original_node.args
            and self.is_context(func.value)
        ):
            return updated_node
        bound = self.names.aliases.get("get_http_request")
        if bound not in (None, _FUNCTION) or "get_http_request" in self.names.module_definitions:
            self.report(
                original_node,
                "`Context.get_http_request()` was removed in 2.14; call "
                "`fastmcp.server.dependencies.get_http_request()` (the name "
                "`get_http_request` is already bound in this module)",
            )
            return updated_node
        self.add_import("fastmcp.server.dependencies", "get_http_request")
        self.rewrote()
        return updated_node.with_changes(func=cst.Name("get_http_request"))
