"""``fastmcp.server.openapi`` -> ``fastmcp.server.providers.openapi``;
``FastMCPOpenAPI(...)`` -> ``FastMCP.from_openapi(...)`` (3.ii rows 29-30, 3.iii row 2)."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Example
from fastmcp_kit.upgrade.cstutil import add_args, has_star_args, keyword, kwarg, positional
from fastmcp_kit.upgrade.imports import ImportMover, Move

_NAMES = (
    "RouteMap",
    "MCPType",
    "OpenAPITool",
    "OpenAPIResource",
    "OpenAPIResourceTemplate",
    "ComponentFn",
    "RouteMapFn",
)
_CLASS = frozenset({"fastmcp.server.openapi.FastMCPOpenAPI"})
_SERVER = frozenset({"fastmcp.FastMCP", "fastmcp.server.FastMCP", "fastmcp.server.server.FastMCP"})


class OpenAPIProvider(ImportMover):
    """What it does:
    Moves ``RouteMap``, ``MCPType`` and the other OpenAPI names from
    ``fastmcp.server.openapi`` to ``fastmcp.server.providers.openapi``, and rewrites
    ``FastMCPOpenAPI(spec, client, ...)`` to ``FastMCP.from_openapi(spec, client, ...)``
    (with ``name="OpenAPI FastMCP"``, the 2.x default, when no name was given).

    Why:
    3.0 turned OpenAPI servers into a provider and deprecated ``FastMCPOpenAPI`` and
    its module; 4.0 removed both.

    Safety:
    ``FastMCP.from_openapi`` builds the server from an ``OpenAPIProvider`` with the same
    arguments (same tools listed, checked in 2.14.7 and 3.4.10). Calls with
    ``timeout=`` are reported instead: set the timeout on the HTTP client.
    Other uses of the class (``isinstance(x, FastMCPOpenAPI)``, annotations) are
    reported.
    """

    ID = "openapi-provider"
    TITLE = "FastMCPOpenAPI becomes FastMCP.from_openapi; OpenAPI names move to providers"
    KIND = "partial"
    ROWS = ("ii.29", "ii.30", "iii.2")
    LINK = GUIDE_3
    TRIGGERS = ("fastmcp.server.openapi", "FastMCPOpenAPI")
    MOVES = tuple(
        Move("fastmcp.server.openapi", name, "fastmcp.server.providers.openapi") for name in _NAMES
    )
    EXAMPLES = (
        Example(
            "server",
            before="""
            import httpx
            from fastmcp.server.openapi import FastMCPOpenAPI, RouteMap, MCPType

            spec = {"openapi": "3.1.0", "info": {"title": "pets", "version": "1"}, "paths": {}}
            routes = [RouteMap(methods=["GET"], pattern=r".*", mcp_type=MCPType.TOOL)]
            mcp = FastMCPOpenAPI(spec, httpx.AsyncClient(base_url="https://pets.example.com"), route_maps=routes)
            """,
            after="""
            import httpx
            from fastmcp import FastMCP
            from fastmcp.server.providers.openapi import MCPType, RouteMap

            spec = {"openapi": "3.1.0", "info": {"title": "pets", "version": "1"}, "paths": {}}
            routes = [RouteMap(methods=["GET"], pattern=r".*", mcp_type=MCPType.TOOL)]
            mcp = FastMCP.from_openapi(spec, httpx.AsyncClient(base_url="https://pets.example.com"), route_maps=routes, name="OpenAPI FastMCP")
            """,
        ),
        Example(
            "timeout",
            before="""
            import httpx
            from fastmcp.server.openapi import FastMCPOpenAPI

            mcp = FastMCPOpenAPI({}, httpx.AsyncClient(), name="pets", timeout=30)
            assert isinstance(mcp, FastMCPOpenAPI)
            """,
            findings=("`timeout=`", "use `FastMCP` here"),
        ),
    )

    def visit_Name(self, node: cst.Name) -> bool:
        if node.value != "FastMCPOpenAPI" or self.names.qualified_name(node) not in _CLASS:
            return True
        try:
            parent = self.get_metadata(ParentNodeProvider, node)
        except KeyError:
            return True
        if not (isinstance(parent, cst.Call) and parent.func is node):
            self.report(
                node,
                "`FastMCPOpenAPI` is removed in 4.0 (servers from `FastMCP.from_openapi(...)` "
                "are plain `FastMCP` instances): use `FastMCP` here (annotations, "
                "`isinstance` checks, subclasses)",
                Severity.ERROR,
            )
        return True

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.names.qualified_name(original_node.func) not in _CLASS:
            return updated_node
        if keyword(updated_node, "timeout") is not None or has_star_args(updated_node):
            self.report(
                original_node,
                "`FastMCPOpenAPI` is removed in 4.0 and `OpenAPIProvider` has no `timeout=`: "
                "set the timeout on the httpx client, then use `FastMCP.from_openapi(...)`",
                Severity.WARNING,
            )
            return updated_node
        bound = self.names.aliases.get("FastMCP")
        if bound is not None and bound not in _SERVER:
            self.report(
                original_node,
                "`FastMCPOpenAPI` is removed in 4.0: use `fastmcp.FastMCP.from_openapi(...)` "
                "(the name `FastMCP` means something else here)",
            )
            return updated_node
        call = updated_node
        if keyword(call, "name") is None and len(positional(call)) < 3:
            call = add_args(call, [kwarg("name", cst.SimpleString('"OpenAPI FastMCP"'))])
        self.add_import("fastmcp", "FastMCP")
        self.forget_name("fastmcp.server.openapi.FastMCPOpenAPI")
        self.rewrote()
        func = cst.Attribute(value=cst.Name("FastMCP"), attr=cst.Name("from_openapi"))
        return call.with_changes(func=func)
