"""httpx objects handed to FastMCP's client become httpx2 (3.iii rows 33 and 34)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.upgrade.codemod import GUIDE_4, Codemod, Example
from fastmcp_kit.upgrade.cstutil import code

_TRANSPORTS = frozenset(
    {
        "fastmcp.client.transports.StreamableHttpTransport",
        "fastmcp.client.transports.SSETransport",
        "fastmcp.client.StreamableHttpTransport",
        "fastmcp.client.SSETransport",
        "fastmcp.client.auth.OAuth",
        "fastmcp.client.auth.oauth.OAuth",
    }
)
_CLIENTS = frozenset({"fastmcp.Client", "fastmcp.client.Client", "fastmcp.client.client.Client"})


class Httpx2(Codemod):
    """What it does:
    Replaces ``httpx.`` with ``httpx2.`` (adding ``import httpx2``, dropping an unused
    ``import httpx``) (1) inside the ``httpx_client_factory=`` argument of
    ``StreamableHttpTransport``, ``SSETransport`` and ``OAuth``, and inside
    ``Client(auth=...)``; (2) in ``except httpx.<Error>`` clauses of a ``try`` whose body
    uses a FastMCP ``Client`` (when the body also calls httpx directly, the clause
    catches both: ``except (httpx.X, httpx2.X)``).

    Why:
    4.x's client stack is httpx2 (MCP SDK v2): an ``httpx.AsyncClient`` factory or
    ``httpx.Auth`` no longer fits, and ``except httpx.HTTPError`` around client calls
    silently stops matching.

    Safety:
    httpx2 is a drop-in fork with the same names (checked in 4.1.2: ``AsyncClient``,
    ``Auth``, ``HTTPError``, ``ConnectError``, ``HTTPStatusError``,
    ``TimeoutException``). ``FastMCP.from_openapi(client=httpx.AsyncClient(...))`` stays
    on httpx (still accepted). TLS now uses the OS trust store.
    """

    ID = "httpx2"
    TITLE = "httpx objects given to the FastMCP client become httpx2"
    KIND = "partial"
    ROWS = ("iii.33", "iii.34")
    LINK = GUIDE_4
    TRIGGERS = ("httpx",)
    EXAMPLES = (
        Example(
            "factory-and-except",
            before="""
            import httpx
            from fastmcp import Client
            from fastmcp.client.transports import StreamableHttpTransport

            transport = StreamableHttpTransport(
                "https://example.com/mcp",
                httpx_client_factory=lambda **kw: httpx.AsyncClient(verify=False, **kw),
            )

            async def ping() -> bool:
                try:
                    async with Client(transport) as client:
                        return await client.ping()
                except httpx.ConnectError:
                    return False
            """,
            after="""
            from fastmcp import Client
            from fastmcp.client.transports import StreamableHttpTransport
            import httpx2

            transport = StreamableHttpTransport(
                "https://example.com/mcp",
                httpx_client_factory=lambda **kw: httpx2.AsyncClient(verify=False, **kw),
            )

            async def ping() -> bool:
                try:
                    async with Client(transport) as client:
                        return await client.ping()
                except httpx2.ConnectError:
                    return False
            """,
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._inside = 0
        self._swap: set[int] = set()
        self._handlers: dict[int, bool] = {}
        return self.names.aliases.get("httpx") == "httpx"

    def visit_Call(self, node: cst.Call) -> bool:
        qualified = self.names.qualified_name(node.func)
        for arg in node.args:
            name = arg.keyword.value if arg.keyword is not None else None
            if (qualified in _TRANSPORTS and name == "httpx_client_factory") or (
                qualified in _CLIENTS and name == "auth"
            ):
                _collect(arg.value, self._swap)
        return True

    def visit_Try(self, node: cst.Try) -> bool:
        body = code(node.body)
        uses_client = "Client(" in body or ".call_tool(" in body or ".list_tools(" in body
        if not uses_client:
            return True
        direct = "httpx." in body
        for handler in node.handlers:
            if handler.type is not None and "httpx." in code(handler.type):
                self._handlers[id(handler)] = direct
        return True

    def leave_ExceptHandler(
        self, original_node: cst.ExceptHandler, updated_node: cst.ExceptHandler
    ) -> cst.ExceptHandler:
        both = self._handlers.get(id(original_node))
        if both is None or updated_node.type is None:
            return updated_node
        text = code(updated_node.type)
        if "httpx2." in text:
            return updated_node
        swapped = text.replace("httpx.", "httpx2.")
        new_type = f"({text}, {swapped})" if both else swapped
        self.add_import("httpx2")
        self.remove_import_if_unused("httpx")
        self.rewrote()
        return updated_node.with_changes(type=cst.parse_expression(new_type))

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if id(original_node) not in self._swap:
            return updated_node
        self.add_import("httpx2")
        self.remove_import_if_unused("httpx")
        self.rewrote()
        return updated_node.with_changes(value=cst.Name("httpx2"))


def _collect(node: cst.CSTNode, found: set[int]) -> None:
    """The ``httpx.<name>`` attributes inside ``node``."""

    class Visitor(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            if dotted_name(attribute.value) == "httpx":
                found.add(id(attribute))

    node.visit(Visitor())
