"""``mcp.remove_tool(name)`` -> ``mcp.local_provider.remove_tool(name)`` (3.iii row 23)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Codemod, Example
from fastmcp_kit.upgrade.cstutil import code
from fastmcp_kit.upgrade.helpers import server_method


class RemoveTool(Codemod):
    """What it does:
    Rewrites ``mcp.remove_tool(name)`` to ``mcp.local_provider.remove_tool(name)``.
    Inside a ``try`` whose handler catches ``NotFoundError`` it is reported instead.

    Why:
    4.0 removed ``FastMCP.remove_tool``; tools live in the server's local provider.

    Safety:
    Partial: the removal is the same, but a missing tool raises ``KeyError`` instead of
    ``NotFoundError``, so surrounding ``except NotFoundError`` clauses need a human.
    """

    ID = "remove-tool"
    TITLE = "remove_tool() moves to local_provider"
    KIND = "partial"
    ROWS = ("iii.23",)
    LINK = GUIDE_4
    TRIGGERS = ("remove_tool",)
    EXAMPLES = (
        Example(
            "plain-and-try",
            before="""
            from fastmcp import FastMCP
            from fastmcp.exceptions import NotFoundError

            mcp = FastMCP("x")
            mcp.remove_tool("debug")
            try:
                mcp.remove_tool("maybe")
            except NotFoundError:
                pass
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp.exceptions import NotFoundError

            mcp = FastMCP("x")
            mcp.local_provider.remove_tool("debug")
            try:
                mcp.remove_tool("maybe")
            except NotFoundError:
                pass
            """,
            findings=("raises `KeyError`",),
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._tries: list[bool] = []
        return True

    def visit_Try(self, node: cst.Try) -> bool:
        self._tries.append(
            any(h.type is not None and "NotFoundError" in code(h.type) for h in node.handlers)
        )
        return True

    def leave_Try(self, original_node: cst.Try, updated_node: cst.Try) -> cst.Try:
        self._tries.pop()
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not server_method(self, original_node, frozenset({"remove_tool"})):
            return updated_node
        if any(self._tries):
            self.report(
                original_node,
                "`remove_tool()` was removed in 4.0: `server.local_provider.remove_tool(name)` "
                "raises `KeyError` (not `NotFoundError`) for a missing tool; fix the except",
                Severity.ERROR,
            )
            return updated_node
        func = updated_node.func
        assert isinstance(func, cst.Attribute)
        self.rewrote()
        provider = cst.Attribute(value=func.value, attr=cst.Name("local_provider"))
        return updated_node.with_changes(func=func.with_changes(value=provider))
