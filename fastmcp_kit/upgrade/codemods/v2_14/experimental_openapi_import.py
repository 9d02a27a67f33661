"""``fastmcp.experimental.{server,utilities}.openapi`` -> the promoted modules (3.i row 17)."""

from __future__ import annotations

from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Example
from fastmcp_kit.upgrade.imports import ImportMover, Move


class ExperimentalOpenAPIImport(ImportMover):
    """What it does:
    Moves imports of ``fastmcp.experimental.server.openapi`` to ``fastmcp.server.openapi``
    and of ``fastmcp.experimental.utilities.openapi`` to ``fastmcp.utilities.openapi``.
    (When the upgrade goes on to 3.x or 4.x, the ``openapi-provider`` codemod then moves
    them on to ``fastmcp.server.providers.openapi``.)

    Why:
    2.14 promoted the new OpenAPI parser: the experimental modules became deprecated
    aliases of the promoted ones (and are gone in 4.0).

    Safety:
    Safe: in 2.14.7 both paths hold the same ``FastMCPOpenAPI``, ``RouteMap``,
    ``MCPType`` and ``HTTPRoute``.
    """

    ID = "experimental-openapi-import"
    TITLE = "experimental OpenAPI modules move to their promoted paths"
    KIND = "rewrite"
    ROWS = ("i.17", "iii.3")
    LINK = GUIDE_2_14
    TRIGGERS = ("fastmcp.experimental",)
    MOVES = (
        Move("fastmcp.experimental.server.openapi", None, "fastmcp.server.openapi"),
        Move("fastmcp.experimental.utilities.openapi", None, "fastmcp.utilities.openapi"),
    )
    EXAMPLES = (
        Example(
            "server-and-utilities",
            before="""
            from fastmcp.experimental.server.openapi import FastMCPOpenAPI, MCPType, RouteMap
            from fastmcp.experimental.utilities.openapi import HTTPRoute
            """,
            after="""
            from fastmcp.server.openapi import FastMCPOpenAPI, MCPType, RouteMap
            from fastmcp.utilities.openapi import HTTPRoute
            """,
        ),
    )
