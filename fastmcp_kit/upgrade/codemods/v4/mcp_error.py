"""``McpError(ErrorData(code=C, message=M))`` -> ``McpError(code=C, message=M)`` (3.iii row 32)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Example
from fastmcp_kit.upgrade.cstutil import keyword
from fastmcp_kit.upgrade.imports import ImportMover, Move

_ERROR = frozenset(
    {
        "fastmcp.exceptions.McpError",
        "mcp.McpError",
        "mcp.shared.exceptions.McpError",
    }
)
_ERROR_DATA = frozenset({"mcp.types.ErrorData", "mcp.ErrorData"})


class McpErrorCodemod(ImportMover):
    """What it does:
    Rewrites ``McpError(ErrorData(code=C, message=M[, data=D]))`` to ``McpError(code=C,
    message=M[, data=D])`` and moves ``McpError`` imports from ``mcp`` /
    ``mcp.shared.exceptions`` to ``fastmcp.exceptions``; an unused ``ErrorData`` import
    is removed. Other shapes (``McpError(error_data)``) are reported.

    Why:
    4.x is built on MCP SDK v2, whose ``MCPError`` takes ``code``/``message``
    (``TypeError: MCPError.__init__() missing 1 required positional argument:
    'message'``) and whose modules no longer export ``McpError``; FastMCP keeps the
    ``fastmcp.exceptions.McpError`` alias.

    Safety:
    Safe for the literal ``ErrorData(...)`` shape; catching and ``err.error.code`` are
    unchanged. Not cross-compatible: 3.x rejects the keyword form.
    """

    ID = "mcp-error"
    TITLE = "McpError(ErrorData(...)) becomes McpError(code=, message=)"
    KIND = "rewrite"
    ROWS = ("iii.32",)
    LINK = GUIDE_4
    TRIGGERS = ("McpError",)
    MOVES = (
        Move("mcp", "McpError", "fastmcp.exceptions"),
        Move("mcp.shared.exceptions", "McpError", "fastmcp.exceptions"),
    )
    EXAMPLES = (
        Example(
            "raise",
            before="""
            from mcp import McpError
            from mcp.types import ErrorData

            def refuse() -> None:
                raise McpError(ErrorData(code=-32000, message="Client not supported"))
            """,
            after="""
            from fastmcp.exceptions import McpError

            def refuse() -> None:
                raise McpError(code=-32000, message="Client not supported")
            """,
        ),
        Example(
            "variable",
            before="""
            from fastmcp.exceptions import McpError

            def refuse(data) -> None:
                raise McpError(data)
            """,
            findings=("`McpError(...)` takes `code=` and `message=` in 4.x",),
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.names.qualified_name(original_node.func) not in _ERROR:
            return updated_node
        if len(original_node.args) != 1 or original_node.args[0].keyword is not None:
            return updated_node
        inner = original_node.args[0].value
        if not (
            isinstance(inner, cst.Call)
            and self.names.qualified_name(inner.func) in _ERROR_DATA
            and all(a.keyword is not None for a in inner.args)
            and keyword(inner, "code") is not None
            and keyword(inner, "message") is not None
        ):
            self.report(
                original_node,
                "`McpError(...)` takes `code=` and `message=` in 4.x, not an `ErrorData`",
                Severity.ERROR,
            )
            return updated_node
        for qualified in sorted(_ERROR_DATA):
            self.forget_name(qualified)
        self.rewrote()
        return updated_node.with_changes(args=inner.args)
