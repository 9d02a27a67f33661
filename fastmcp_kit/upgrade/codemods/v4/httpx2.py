"""httpx objects handed to FastMCP's client become httpx2 (3.iii rows 33 and 34)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.body_walk import all_nodes
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.receiver_types import CLIENT_PATHS
from fastmcp_kit.upgrade.codemod import GUIDE_4, Codemod, Example
from fastmcp_kit.upgrade.cstutil import code
from fastmcp_kit.upgrade.helpers import module_calls

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
_CLIENTS = CLIENT_PATHS
# Methods of fastmcp.Client that make requests (4.1.2): evidence of a client call.
_CLIENT_METHODS = frozenset(
    {
        "call_tool",
        "call_tool_mcp",
        "list_tools",
        "list_resources",
        "list_resource_templates",
        "list_prompts",
        "read_resource",
        "get_prompt",
        "ping",
        "complete",
    }
)


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
            "plain-httpx-client-left-alone",
            # httpx's own Client in a try: not FastMCP's, so its handler stays httpx.
            before="""
            import httpx

            def fetch(url: str) -> str | None:
                try:
                    with httpx.Client() as http:
                        return http.get(url).text
                except httpx.HTTPError:
                    return None
            """,
        ),
        Example(
            "both-libraries",
            before="""
            import httpx
            from fastmcp import Client

            async def check(url: str) -> bool:
                try:
                    await httpx.AsyncClient().get(url)
                    async with Client(url) as client:
                        return await client.ping()
                except httpx.HTTPError:
                    return False
            """,
            after="""
            import httpx
            import httpx2
            from fastmcp import Client

            async def check(url: str) -> bool:
                try:
                    await httpx.AsyncClient().get(url)
                    async with Client(url) as client:
                        return await client.ping()
                except (httpx.HTTPError, httpx2.HTTPError):
                    return False
            """,
        ),
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
            import httpx2
            from fastmcp import Client
            from fastmcp.client.transports import StreamableHttpTransport

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
        self._swap: set[int] = set()
        self._handlers: dict[int, bool] = {}
        if self.names.aliases.get("httpx") != "httpx":
            return False
        # Decided up front, so that `import httpx` (visited first) can be rewritten in
        # place when nothing else in the module uses httpx.
        for call in module_calls(node):
            self._call(call)
        for statement in _tries(node):
            self._try(statement)
        references: set[int] = set()
        _collect(node, references)
        direct = any(self._handlers.values())
        self._in_place = bool(references) and references <= self._swap and not direct
        return True

    def _call(self, node: cst.Call) -> None:
        qualified = self.names.qualified_name(node.func)
        for arg in node.args:
            name = arg.keyword.value if arg.keyword is not None else None
            if (qualified in _TRANSPORTS and name == "httpx_client_factory") or (
                qualified in _CLIENTS and name == "auth"
            ):
                _collect(arg.value, self._swap)

    def _uses_fastmcp_client(self, node: cst.Try) -> bool:
        """A FastMCP ``Client(...)`` built in the body (resolved through the imports, so
        ``httpx.Client(...)`` is not one), or a client method called in a module that
        imports FastMCP's Client."""
        imports_client = any(path in _CLIENTS for path in self.names.aliases.values())
        for call in all_nodes(node.body, cst.Call):
            if self.names.qualified_name(call.func) in _CLIENTS:
                return True
            method = call.func.attr.value if isinstance(call.func, cst.Attribute) else None
            if imports_client and method in _CLIENT_METHODS:
                return True
        return False

    def _try(self, node: cst.Try) -> None:
        if not self._uses_fastmcp_client(node):
            return
        body = code(node.body)
        direct = "httpx." in body
        for handler in node.handlers:
            text = code(handler.type) if handler.type is not None else ""
            if "httpx." in text and "httpx2." not in text:
                self._handlers[id(handler)] = direct
                if not direct and handler.type is not None:
                    _collect(handler.type, self._swap)

    def leave_Import(self, original_node: cst.Import, updated_node: cst.Import) -> cst.Import:
        if not self._in_place:
            return updated_node
        names = [
            alias.with_changes(name=cst.Name("httpx2"))
            if dotted_name(alias.name) == "httpx" and alias.asname is None
            else alias
            for alias in updated_node.names
        ]
        return updated_node.with_changes(names=names)

    def _use_httpx2(self) -> None:
        if not self._in_place:
            self.add_import("httpx2")
            self.remove_import_if_unused("httpx")

    def leave_ExceptHandler(
        self, original_node: cst.ExceptHandler, updated_node: cst.ExceptHandler
    ) -> cst.ExceptHandler:
        # Handlers whose try body also calls httpx directly catch both libraries.
        if not self._handlers.get(id(original_node)) or updated_node.type is None:
            return updated_node
        text = code(updated_node.type)
        new_type = f"({text}, {text.replace('httpx.', 'httpx2.')})"
        self._use_httpx2()
        self.rewrote()
        return updated_node.with_changes(type=cst.parse_expression(new_type))

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if id(original_node) not in self._swap:
            return updated_node
        self._use_httpx2()
        self.rewrote()
        return updated_node.with_changes(value=cst.Name("httpx2"))


def _tries(module: cst.Module) -> list[cst.Try]:
    found: list[cst.Try] = []

    class Visitor(cst.CSTVisitor):
        def visit_Try(self, node: cst.Try) -> None:
            found.append(node)

    module.visit(Visitor())
    return found


def _collect(node: cst.CSTNode, found: set[int]) -> None:
    """The ``httpx.<name>`` attributes inside ``node``."""

    class Visitor(cst.CSTVisitor):
        def visit_Attribute(self, attribute: cst.Attribute) -> None:
            if dotted_name(attribute.value) == "httpx":
                found.add(id(attribute))

    node.visit(Visitor())
