"""MCP SDK servers in a project that FastMCP 4 moves to SDK 2.x."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.version_compat import catches_import_errors
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Codemod, Example

_SDK_MODULE = "mcp.server.fastmcp"
MESSAGE = (
    "`{module}` does not exist in MCP SDK 2.x, which FastMCP 4 requires (`mcp>=2`): this "
    "server fails with ModuleNotFoundError. Move it to standalone FastMCP (`from fastmcp "
    "import FastMCP`; check its tools with `fkit lint` after), port it to the SDK's "
    "`MCPServer` (`from mcp.server.mcpserver import MCPServer`), or keep it in a project "
    "pinned to `mcp<2`"
)


def _is_sdk_module(module: str | None) -> bool:
    return module is not None and (module == _SDK_MODULE or module.startswith(_SDK_MODULE + "."))


class SdkServer(Codemod):
    """What it does:
    Reports every ``from mcp.server.fastmcp import ...`` and ``import mcp.server.fastmcp``
    (the MCP SDK's own FastMCP server) in a project moving to FastMCP 4, unless it is a
    guarded fallback (inside a ``try:`` with an ``except ImportError``, or in that
    ``except`` branch).

    Why:
    FastMCP 4 requires MCP SDK 2.x, which renamed its server to ``MCPServer``
    (``mcp.server.mcpserver``): the old module raises ``ModuleNotFoundError`` at start-up
    (verified with mcp 2.3.0). Upgrading the pins without touching these servers breaks
    them silently.

    Safety:
    Report only: the SDK's server and standalone FastMCP differ (decorators, settings,
    context), so the move is a decision for a human.
    """

    ID = "sdk-server"
    TITLE = "MCP SDK servers (mcp.server.fastmcp) break on SDK 2.x"
    KIND = "report"
    ROWS = ()
    LINK = GUIDE_4
    TRIGGERS = (_SDK_MODULE,)
    EXAMPLES = (
        Example(
            "sdk-server",
            before="""
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("weather")
            """,
            findings=("`mcp.server.fastmcp` does not exist in MCP SDK 2.x",),
        ),
        Example(
            "guarded-fallback",
            before="""
            try:
                from fastmcp import FastMCP
            except ImportError:
                from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("weather")
            """,
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        # Only a project that moves onto FastMCP 4 here moves onto SDK 2.x; one already on
        # 4.x, or an SDK project declaring no fastmcp (its pins stay), is lint's to judge.
        return self.facts.from_version.major < 4

    def visit_ImportFrom(self, node: cst.ImportFrom) -> bool:
        if node.relative or node.module is None:
            return False
        module = dotted_name(node.module)
        if _is_sdk_module(module) and not self._guarded(node):
            self.report(node, MESSAGE.format(module=module), Severity.ERROR)
        return False

    def visit_Import(self, node: cst.Import) -> bool:
        for alias in node.names:
            module = dotted_name(alias.name)
            if _is_sdk_module(module) and not self._guarded(node):
                self.report(node, MESSAGE.format(module=module), Severity.ERROR)
        return False

    def _guarded(self, node: cst.CSTNode) -> bool:
        current: cst.CSTNode | None = node
        while current is not None:
            parent = self.get_metadata(ParentNodeProvider, current, None)
            # In a ``try:`` that falls back on ImportError, or in that fallback itself.
            if (
                isinstance(parent, cst.Try)
                and current is parent.body
                and any(catches_import_errors(handler) for handler in parent.handlers)
            ):
                return True
            if isinstance(parent, cst.ExceptHandler) and catches_import_errors(parent):
                return True
            current = parent
        return False
