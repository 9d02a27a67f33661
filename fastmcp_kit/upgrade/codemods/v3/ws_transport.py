"""``WSTransport`` -> ``StreamableHttpTransport`` (3.ii row 19)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.cstutil import positional, string_literal, string_value

_WS = frozenset({"fastmcp.client.transports.WSTransport", "fastmcp.client.WSTransport"})


class WSTransport(Codemod):
    """What it does:
    Rewrites ``WSTransport("ws://host/path")`` to ``StreamableHttpTransport(
    "http://host/path")`` (``wss`` becomes ``https``), imported from
    ``fastmcp.client.transports``; each rewrite is reported so the URL can be checked.

    Why:
    3.0 removed the WebSocket client transport (``ImportError``); FastMCP servers speak
    Streamable HTTP (default path ``/mcp``).

    Safety:
    Partial: the scheme changes mechanically, but the server must serve Streamable HTTP
    at that URL (a FastMCP server's default path is ``/mcp``), hence the finding. A URL
    that is not a literal is reported and left alone.
    """

    ID = "ws-transport"
    TITLE = "WSTransport becomes StreamableHttpTransport"
    KIND = "partial"
    ROWS = ("ii.19",)
    LINK = GUIDE_3
    TRIGGERS = ("WSTransport",)
    EXAMPLES = (
        Example(
            "literal-url",
            before="""
            from fastmcp import Client
            from fastmcp.client.transports import WSTransport

            client = Client(WSTransport("wss://tools.example.com/ws"))
            """,
            after="""
            from fastmcp import Client
            from fastmcp.client.transports import StreamableHttpTransport

            client = Client(StreamableHttpTransport("https://tools.example.com/ws"))
            """,
            findings=(
                "check that the server serves Streamable HTTP at https://tools.example.com/ws",
            ),
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.names.qualified_name(original_node.func) not in _WS:
            return updated_node
        args = positional(updated_node)
        url = string_value(args[0].value) if args else None
        if url is None or not url.startswith(("ws://", "wss://")) or len(updated_node.args) != 1:
            self.report(
                original_node,
                "`WSTransport` was removed in 3.0: use `StreamableHttpTransport` with the "
                "server's http(s) URL",
                Severity.ERROR,
            )
            return updated_node
        new_url = "http" + url[2:]
        self.add_import("fastmcp.client.transports", "StreamableHttpTransport")
        self.forget_name("fastmcp.client.transports.WSTransport")
        self.rewrote()
        self.report(
            original_node,
            f"WebSocket transport replaced: check that the server serves Streamable HTTP at "
            f"{new_url} (FastMCP's default path is /mcp)",
            Severity.WARNING,
        )
        return updated_node.with_changes(
            func=cst.Name("StreamableHttpTransport"),
            args=[args[0].with_changes(value=string_literal(new_url))],
        )
