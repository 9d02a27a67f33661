"""``StreamableHttpTransport(url, sse_read_timeout=)`` -> ``Client(..., timeout=)`` (3.iii row 27)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.receiver_types import CLIENT_PATHS
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Codemod, Example
from fastmcp_kit.upgrade.cstutil import add_args, drop_args, keyword, kwarg

_STREAMABLE = frozenset(
    {"fastmcp.client.transports.StreamableHttpTransport", "fastmcp.client.StreamableHttpTransport"}
)
_CLIENTS = CLIENT_PATHS


class SseReadTimeout(Codemod):
    """What it does:
    Rewrites ``Client(StreamableHttpTransport(url, sse_read_timeout=T))`` (no ``timeout=``
    on the client) to ``Client(StreamableHttpTransport(url), timeout=T)``. Other
    ``StreamableHttpTransport(sse_read_timeout=...)`` calls are reported.
    (``SSETransport`` keeps ``sse_read_timeout``.)

    Why:
    4.x's ``StreamableHttpTransport`` has no ``sse_read_timeout`` (``TypeError`` in 4.1.2).

    Safety:
    Partial: the client timeout bounds each request, where ``sse_read_timeout`` bounded
    reads on the event stream; for tool calls that is the same budget.
    """

    ID = "sse-read-timeout"
    TITLE = "StreamableHttpTransport(sse_read_timeout=) becomes Client(timeout=)"
    KIND = "partial"
    ROWS = ("iii.27",)
    LINK = GUIDE_4
    TRIGGERS = ("sse_read_timeout",)
    EXAMPLES = (
        Example(
            "nested",
            before="""
            from fastmcp import Client
            from fastmcp.client.transports import StreamableHttpTransport

            client = Client(StreamableHttpTransport("https://x/mcp", sse_read_timeout=60))
            transport = StreamableHttpTransport("https://y/mcp", sse_read_timeout=30)
            """,
            after="""
            from fastmcp import Client
            from fastmcp.client.transports import StreamableHttpTransport

            client = Client(StreamableHttpTransport("https://x/mcp"), timeout=60)
            transport = StreamableHttpTransport("https://y/mcp", sse_read_timeout=30)
            """,
            findings=("`sse_read_timeout=` was removed",),
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._handled: set[int] = set()
        return True

    def visit_Call(self, node: cst.Call) -> bool:
        if self.names.qualified_name(node.func) in _CLIENTS and node.args:
            inner = node.args[0].value
            if (
                node.args[0].keyword is None
                and isinstance(inner, cst.Call)
                and self.names.qualified_name(inner.func) in _STREAMABLE
                and keyword(inner, "sse_read_timeout") is not None
                and keyword(node, "timeout") is None
            ):
                self._handled.add(id(inner))
        return True

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        qualified = self.names.qualified_name(original_node.func)
        if qualified in _STREAMABLE and keyword(original_node, "sse_read_timeout") is not None:
            if id(original_node) in self._handled:
                arg = keyword(updated_node, "sse_read_timeout")
                assert arg is not None
                return drop_args(updated_node, [arg])
            self.report(
                original_node,
                "`sse_read_timeout=` was removed from StreamableHttpTransport in 4.0: pass "
                "`timeout=` to the Client instead",
                Severity.ERROR,
            )
            return updated_node
        if qualified in _CLIENTS and original_node.args:
            inner = original_node.args[0].value
            if id(inner) in self._handled:
                assert isinstance(inner, cst.Call)
                timeout = keyword(inner, "sse_read_timeout")
                assert timeout is not None
                self.rewrote()
                return add_args(updated_node, [kwarg("timeout", timeout.value)])
        return updated_node
