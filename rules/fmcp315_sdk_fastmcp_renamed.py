from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.version_compat import catches_import_errors
from fastmcp_kit.lint.violation import Severity

REMOVED = "mcp.server.fastmcp"


def _is_removed(module: str) -> bool:
    return module == REMOVED or module.startswith(REMOVED + ".")


class SdkFastmcpRenamed(Rule):
    """An import of the MCP SDK's `mcp.server.fastmcp`, which SDK 2.x renamed to `mcp.server.mcpserver`.

    ## What it does
    Where the project runs the MCP Python SDK 2.x (`mcp>=2`, which FastMCP 4 requires
    too), flags `from mcp.server.fastmcp import ...` and `import mcp.server.fastmcp`
    (and its submodules). Imports inside a `try:` whose handler catches
    `ImportError`, and imports under `if TYPE_CHECKING:`, are left alone.

    ## Why is this bad?
    SDK 2 renamed its FastMCP server to `MCPServer`: importing `mcp.server.fastmcp`
    raises `ModuleNotFoundError: No module named 'mcp.server.fastmcp'` at start-up
    (verified with mcp 2.3.0; the module exists in 1.30.0, and
    `mcp.server.mcpserver` does not). An SDK-only project that declares `mcp>=1.6`
    without a lock gets 2.x from a fresh install: fkit then lints for the 1.x line
    the range started on and reports this as a forward hazard (`--forward`).

    ## Fix safety
    No fix: `MCPServer` is not a drop-in rename (SDK 2 changed other APIs, see its
    migration guide); either port the server, move to standalone FastMCP, or pin
    `mcp<2`.
    """

    code = "FMCP315"
    severity = Severity.ERROR
    message = (
        "`{module}` does not exist in MCP SDK 2.x (`ModuleNotFoundError`): the SDK renamed "
        "FastMCP to `MCPServer` (`from mcp.server.mcpserver import MCPServer`); port the "
        "server or pin `mcp<2`"
    )
    fastmcp_versions = ">=4"
    mcp_versions = ">=2"
    needs_fastmcp = False
    references = ("https://py.sdk.modelcontextprotocol.io/v2/migration/",)

    needles = (REMOVED,)

    VALID = [
        Valid(
            "sdk-1-project",
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("weather")
            """,
            mcp_version="1.22",
        ),
        Valid(
            "sdk-2-names",
            """
            from mcp.server.mcpserver import MCPServer

            server = MCPServer("weather")
            """,
            mcp_version="2.3",
        ),
        Valid(
            # A fallback chain that works on both SDK lines.
            "guarded-fallback",
            """
            try:
                from mcp.server.mcpserver import MCPServer as Server
            except ImportError:
                from mcp.server.fastmcp import FastMCP as Server
            """,
            mcp_version="2.3",
        ),
        Valid(
            "type-checking-only",
            """
            from typing import TYPE_CHECKING

            if TYPE_CHECKING:
                from mcp.server.fastmcp import Context
            """,
            mcp_version="2.3",
        ),
        Valid(
            # A module that merely shares the prefix.
            "similar-name",
            """
            from mcp.server.fastmcp_compat import FastMCP
            """,
            mcp_version="2.3",
        ),
    ]
    INVALID = [
        Invalid(
            "from-import-on-sdk-2",
            """
            from mcp.server.fastmcp import FastMCP, Context

            mcp = FastMCP("weather")
            """,
            mcp_version="2.3",
        ),
        Invalid(
            "submodule-import",
            """
            import mcp.server.fastmcp.prompts.base as base
            """,
            mcp_version="2.3",
        ),
        Invalid(
            # A standalone FastMCP 4 project brings mcp 2 as well.
            "beside-fastmcp-4",
            """
            from fastmcp import FastMCP
            from mcp.server.fastmcp import Image

            mcp = FastMCP("weather")
            """,
            fastmcp_version="4.1",
        ),
        Invalid(
            # A handler for another error does not guard the import.
            "try-without-import-error-handler",
            """
            try:
                from mcp.server.fastmcp import FastMCP
            except ValueError:
                FastMCP = None
            """,
            mcp_version="2.3",
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._guarded = 0

    def visit_Try(self, node: cst.Try) -> None:
        if any(catches_import_errors(handler) for handler in node.handlers):
            self._guarded += 1

    def leave_Try(self, original_node: cst.Try) -> None:
        if any(catches_import_errors(handler) for handler in original_node.handlers):
            self._guarded -= 1

    def visit_If(self, node: cst.If) -> None:
        if (dotted_name(node.test) or "").rsplit(".", 1)[-1] == "TYPE_CHECKING":
            self._guarded += 1

    def leave_If(self, original_node: cst.If) -> None:
        if (dotted_name(original_node.test) or "").rsplit(".", 1)[-1] == "TYPE_CHECKING":
            self._guarded -= 1

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if self._guarded or node.relative or node.module is None:
            return
        module = dotted_name(node.module) or ""
        if _is_removed(module):
            self.report(node, self.message.format(module=module))

    def visit_Import(self, node: cst.Import) -> None:
        if self._guarded:
            return
        for alias in node.names:
            module = dotted_name(alias.name) or ""
            if _is_removed(module):
                self.report(node, self.message.format(module=module))
