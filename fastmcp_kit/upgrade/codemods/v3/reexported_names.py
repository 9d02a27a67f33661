"""SDK, pydantic and Starlette names imported through FastMCP's own modules."""

from __future__ import annotations

from fastmcp_kit.upgrade.codemod import GUIDE_3, Example
from fastmcp_kit.upgrade.imports import ImportMover
from fastmcp_kit.upgrade.reexports import REEXPORTS, reexport_moves


class ReexportedNames(ImportMover):
    """What it does:
    Imports names that FastMCP's modules re-exported from where they are defined:
    ``from fastmcp.tools.tool import TextContent`` -> ``from mcp.types import
    TextContent``; ``from fastmcp.server.server import Request`` -> ``from
    starlette.requests import Request``; ``from fastmcp.resources.resource import Field``
    -> ``from pydantic import Field``; a name FastMCP renamed keeps its spelling
    (``from mcp.types import Tool as SDKTool``). A ``from`` import that mixes these with
    FastMCP's own names is split.

    Why:
    3.0 no longer re-exports them from ``fastmcp.server.server`` and 4.0 deletes
    ``fastmcp.tools.tool``, ``fastmcp.resources.resource`` and ``fastmcp.prompts.prompt``:
    ``ImportError`` / ``ModuleNotFoundError`` at start-up.

    Safety:
    Safe: the same objects (read off 2.13.3, 2.14.7, 3.0.2 and 3.4.11, where each was
    imported from its defining module), and every destination imports in 3.0.2, 4.0.0
    and 4.2.3.
    """

    ID = "reexported-names"
    TITLE = "SDK, pydantic and Starlette names imported from where they are defined"
    KIND = "rewrite"
    ROWS = ()
    LINK = GUIDE_3
    TRIGGERS = tuple(REEXPORTS)
    MOVES = reexport_moves()
    EXAMPLES = (
        Example(
            "split",
            before="""
            from fastmcp.prompts.prompt import Message, PromptMessage, TextContent
            from fastmcp.server.server import Request, SDKTool
            """,
            after="""
            from fastmcp.prompts.prompt import Message
            from mcp.types import PromptMessage, TextContent
            from mcp.types import Tool as SDKTool
            from starlette.requests import Request
            """,
        ),
    )
