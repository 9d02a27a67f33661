"""``from fastmcp import Image`` -> ``fastmcp.utilities.types`` (3.i row 3, E28)."""

from __future__ import annotations

from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Example
from fastmcp_kit.upgrade.imports import ImportMover, Move


class ImageImport(ImportMover):
    """What it does:
    Moves ``Image`` imported from ``fastmcp`` (``from fastmcp import Image`` or
    ``fastmcp.Image``) to ``fastmcp.utilities.types``.

    Why:
    The deprecated top-level alias was removed in 2.14.0 (``ImportError``). Note that
    ``from fastmcp.utilities import Image`` fails in every release; the module is
    ``fastmcp.utilities.types``.

    Safety:
    Safe: both paths are the same class in 2.13.3, and ``fastmcp.utilities.types.Image``
    exists in every release up to 4.1.
    """

    ID = "image-import"
    TITLE = "Image moves to fastmcp.utilities.types"
    KIND = "rewrite"
    ROWS = ("i.3",)
    LINK = GUIDE_2_14
    TRIGGERS = ("Image",)
    MOVES = (Move("fastmcp", "Image", "fastmcp.utilities.types"),)
    EXAMPLES = (
        Example(
            "from-import",
            before="""
            from fastmcp import FastMCP, Image

            mcp = FastMCP("pics")

            @mcp.tool
            def logo() -> Image:
                return Image(data=b"...", format="png")
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp.utilities.types import Image

            mcp = FastMCP("pics")

            @mcp.tool
            def logo() -> Image:
                return Image(data=b"...", format="png")
            """,
        ),
        Example(
            "attribute",
            before="""
            import fastmcp

            def thumbnail(data: bytes) -> fastmcp.Image:
                return fastmcp.Image(data=data, format="png")
            """,
            after="""
            import fastmcp
            import fastmcp.utilities.types

            def thumbnail(data: bytes) -> fastmcp.utilities.types.Image:
                return fastmcp.utilities.types.Image(data=data, format="png")
            """,
        ),
    )
