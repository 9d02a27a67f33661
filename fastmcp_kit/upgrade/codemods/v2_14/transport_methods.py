"""Removed transport methods: ``streamable_http_app``, ``sse_app``,
``run_streamable_http_async``, ``run_sse_async`` (3.i rows 9-12)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Codemod, Example
from fastmcp_kit.upgrade.cstutil import has_star_args, kwarg, string_literal
from fastmcp_kit.upgrade.helpers import server_method

# method -> (new method, transport, the old method's positional parameters)
_METHODS: dict[str, tuple[str, str | None, tuple[str, ...]]] = {
    "streamable_http_app": ("http_app", None, ("path", "middleware")),
    "sse_app": ("http_app", "sse", ("path", "message_path", "middleware")),
    "run_streamable_http_async": (
        "run_http_async",
        "http",
        ("host", "port", "log_level", "path", "uvicorn_config"),
    ),
    "run_sse_async": (
        "run_http_async",
        "sse",
        ("host", "port", "log_level", "path", "uvicorn_config"),
    ),
}


class TransportMethods(Codemod):
    """What it does:
    On standalone FastMCP servers, rewrites ``streamable_http_app(...)`` to
    ``http_app(...)``, ``sse_app(...)`` to ``http_app(transport="sse", ...)``,
    ``run_streamable_http_async(...)`` to ``run_http_async(transport="http", ...)`` and
    ``run_sse_async(...)`` to ``run_http_async(transport="sse", ...)``; positional
    arguments become keywords.

    Why:
    The four methods were removed in 2.14.0 (``AttributeError``).

    Safety:
    Safe: in 2.13.3 the two ``run_*`` methods called ``run_http_async`` with exactly
    these arguments, and ``http_app`` takes the same ``path``/``middleware``.
    ``sse_app(message_path=...)`` has no keyword equivalent (only the
    ``FASTMCP_MESSAGE_PATH`` setting), so such calls are reported, not rewritten. The
    MCP SDK's own FastMCP (which still has these methods) is never touched.
    """

    ID = "transport-methods"
    TITLE = "removed *_app / run_*_async methods become http_app / run_http_async"
    KIND = "partial"
    ROWS = ("i.9", "i.10", "i.11", "i.12")
    LINK = GUIDE_2_14
    TRIGGERS = ("streamable_http_app", "sse_app", "run_streamable_http_async", "run_sse_async")
    EXAMPLES = (
        Example(
            "apps",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("web")
            app = mcp.streamable_http_app("/mcp")
            legacy = mcp.sse_app(path="/sse")
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("web")
            app = mcp.http_app("/mcp")
            legacy = mcp.http_app(transport="sse", path="/sse")
            """,
        ),
        Example(
            "runners",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("web")

            async def main() -> None:
                await mcp.run_streamable_http_async("0.0.0.0", 8080)
                await mcp.run_sse_async(port=8081)
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("web")

            async def main() -> None:
                await mcp.run_http_async(transport="http", host="0.0.0.0", port=8080)
                await mcp.run_http_async(transport="sse", port=8081)
            """,
        ),
        Example(
            "message-path",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("web")
            legacy = mcp.sse_app(path="/sse", message_path="/msgs")
            """,
            findings=("`sse_app(message_path=...)`",),
        ),
        Example(
            "sdk-server-untouched",
            before="""
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("sdk")
            app = mcp.streamable_http_app()
            """,
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        method = server_method(self, original_node, frozenset(_METHODS))
        if method is None or has_star_args(updated_node):
            return updated_node
        new_method, transport, parameters = _METHODS[method]
        args: list[cst.Arg] = []
        for index, arg in enumerate(updated_node.args):
            if arg.keyword is None and method != "streamable_http_app":
                if index >= len(parameters):
                    return updated_node
                arg = kwarg(parameters[index], arg.value).with_changes(comma=arg.comma)
            args.append(arg)
        if any(a.keyword is not None and a.keyword.value == "message_path" for a in args):
            self.report(
                original_node,
                "`sse_app(message_path=...)` was removed in 2.14 and `http_app` has no such "
                'argument: use `http_app(transport="sse", ...)` and set FASTMCP_MESSAGE_PATH',
                Severity.ERROR,
            )
            return updated_node
        if transport is not None:
            first = kwarg("transport", string_literal(transport))
            comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
            args = [first.with_changes(comma=comma if args else cst.MaybeSentinel.DEFAULT), *args]
        assert isinstance(updated_node.func, cst.Attribute)
        self.rewrote()
        return updated_node.with_changes(
            func=updated_node.func.with_changes(attr=cst.Name(new_method)), args=args
        )
