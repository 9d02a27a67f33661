"""``from fastmcp.tools.tool import Tool, ToolResult`` -> ``fastmcp.tools`` (3.ii row 32)."""

from __future__ import annotations

from fastmcp_kit.upgrade.codemod import GUIDE_3, Example
from fastmcp_kit.upgrade.imports import ImportMover, Move


class ToolModule(ImportMover):
    """What it does:
    Moves ``Tool`` and ``ToolResult`` imported from ``fastmcp.tools.tool`` to
    ``fastmcp.tools``.

    Why:
    ``fastmcp.tools`` exports ``ToolResult`` from 3.0, and 4.0 removes the
    ``fastmcp.tools.tool`` module. (The 4.x step moves the module's other names.)

    Safety:
    Safe: the same classes (checked in 3.0.2 and 3.4.10).
    """

    ID = "tool-module"
    TITLE = "Tool and ToolResult are imported from fastmcp.tools"
    KIND = "rewrite"
    ROWS = ("ii.32",)
    LINK = GUIDE_3
    TRIGGERS = ("fastmcp.tools.tool",)
    MOVES = (
        Move("fastmcp.tools.tool", "Tool", "fastmcp.tools"),
        Move("fastmcp.tools.tool", "ToolResult", "fastmcp.tools"),
    )
    EXAMPLES = (
        Example(
            "tool-result",
            before="""
            from fastmcp.tools.tool import Tool, ToolResult
            """,
            after="""
            from fastmcp.tools import Tool, ToolResult
            """,
        ),
    )
