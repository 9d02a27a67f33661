"""``FastMCPProxy(client=c)`` -> ``FastMCPProxy(client_factory=c.new)`` (3.i row 5)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Codemod, Example
from fastmcp_kit.upgrade.cstutil import keyword, kwarg, positional, replace_arg

PROXY_CLASSES = frozenset(
    {"fastmcp.server.proxy.FastMCPProxy", "fastmcp.server.providers.proxy.FastMCPProxy"}
)


class ProxyClient(Codemod):
    """What it does:
    Rewrites ``FastMCPProxy(client=c)`` (or ``FastMCPProxy(c)``) to
    ``FastMCPProxy(client_factory=c.new)``.

    Why:
    2.14.0 removed the ``client`` parameter: ``client_factory`` is a required
    keyword-only argument (``TypeError: missing 1 required keyword-only argument``).

    Safety:
    Safe: 2.13 turned ``client=c`` into a factory returning ``c.new()`` (a fresh,
    unconnected copy per session), which is exactly the bound method ``c.new``; the
    client expression is still evaluated once. (The upgrade guide's
    ``lambda: c`` would share one client between sessions.)
    """

    ID = "proxy-client-factory"
    TITLE = "FastMCPProxy(client=) becomes client_factory="
    KIND = "rewrite"
    ROWS = ("i.5",)
    LINK = GUIDE_2_14
    TRIGGERS = ("FastMCPProxy",)
    EXAMPLES = (
        Example(
            "keyword",
            before="""
            from fastmcp import Client
            from fastmcp.server.proxy import FastMCPProxy

            backend = Client("http://localhost:9000/mcp")
            proxy = FastMCPProxy(client=backend, name="gateway")
            """,
            after="""
            from fastmcp import Client
            from fastmcp.server.proxy import FastMCPProxy

            backend = Client("http://localhost:9000/mcp")
            proxy = FastMCPProxy(client_factory=backend.new, name="gateway")
            """,
        ),
        Example(
            "positional-call",
            before="""
            from fastmcp import Client
            from fastmcp.server.proxy import FastMCPProxy

            proxy = FastMCPProxy(Client("http://localhost:9000/mcp"))
            """,
            after="""
            from fastmcp import Client
            from fastmcp.server.proxy import FastMCPProxy

            proxy = FastMCPProxy(client_factory=Client("http://localhost:9000/mcp").new)
            """,
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.names.qualified_name(original_node.func) not in PROXY_CLASSES:
            return updated_node
        arg = keyword(updated_node, "client")
        if arg is None:
            first = positional(updated_node)
            arg = first[0] if first else None
        if arg is None:
            return updated_node
        value = arg.value
        if not isinstance(value, (cst.Name, cst.Attribute, cst.Call, cst.Subscript)):
            value = value.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        factory = cst.Attribute(value=value, attr=cst.Name("new"))
        self.rewrote()
        return replace_arg(
            updated_node, arg, kwarg("client_factory", factory).with_changes(comma=arg.comma)
        )
