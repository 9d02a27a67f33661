"""``FastMCP.as_proxy(target)`` -> ``create_proxy(target)`` (3.ii row 27, 3.iii row 17)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.cstutil import rename_keyword


class AsProxy(Codemod):
    """What it does:
    Rewrites ``FastMCP.as_proxy(target, **settings)`` to ``create_proxy(target,
    **settings)`` (``backend=`` becomes ``target=``) and imports ``create_proxy`` from
    ``fastmcp.server``.

    Why:
    3.0 deprecated the classmethod; 4.0 removed it (``AttributeError``).

    Safety:
    Safe: in 3.x ``as_proxy`` calls ``create_proxy`` with the same arguments.
    """

    ID = "as-proxy"
    TITLE = "FastMCP.as_proxy() becomes create_proxy()"
    KIND = "rewrite"
    ROWS = ("ii.27", "iii.17")
    LINK = GUIDE_3
    TRIGGERS = ("as_proxy",)
    EXAMPLES = (
        Example(
            "classmethod",
            before="""
            from fastmcp import FastMCP

            remote = FastMCP.as_proxy("http://localhost:9000/mcp", name="remote")
            other = FastMCP.as_proxy(backend="http://localhost:9001/mcp")
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp.server import create_proxy

            remote = create_proxy("http://localhost:9000/mcp", name="remote")
            other = create_proxy(target="http://localhost:9001/mcp")
            """,
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value == "as_proxy"
            and self.names.is_server_class(func.value)
        ):
            return updated_node
        bound = self.names.aliases.get("create_proxy")
        if bound not in (None, "fastmcp.server.create_proxy"):
            return updated_node
        self.add_import("fastmcp.server", "create_proxy")
        self.rewrote()
        call = rename_keyword(updated_node, "backend", "target")
        return call.with_changes(func=cst.Name("create_proxy"))
