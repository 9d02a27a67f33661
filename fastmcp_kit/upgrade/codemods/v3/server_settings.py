"""``mcp.settings.X`` -> ``fastmcp.settings.X`` (E9: ``FastMCP.settings`` is gone in 3.0)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.settings_access import PER_SERVER_FIELDS, write_hint
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example


class ServerSettings(Codemod):
    """What it does:
    Rewrites reads of ``<server>.settings.X`` on a standalone FastMCP server to the
    global ``fastmcp.settings.X`` (adding ``import fastmcp``). Writes, and reads of the
    fields a 2.x server could override in its constructor (``host``, ``port``,
    ``log_level``, ``debug``, the paths, ``json_response``, ``stateless_http``), are
    reported.

    Why:
    ``server.settings`` was deprecated in 2.8 ("Use the global `fastmcp.settings`
    instead") and removed in 3.0 (``AttributeError: 'FastMCP' object has no attribute
    'settings'``).

    Safety:
    Safe for the other fields: 2.x's ``server.settings`` was a copy of the global
    settings plus the constructor's overrides of exactly those fields. The MCP SDK's
    FastMCP (whose ``settings`` is real) is never touched.
    """

    ID = "server-settings"
    TITLE = "server.settings becomes fastmcp.settings"
    KIND = "partial"
    ROWS = ("E9",)
    LINK = GUIDE_3
    TRIGGERS = (".settings",)
    EXAMPLES = (
        Example(
            "read-and-write",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("x")
            home = mcp.settings.home
            mcp.settings.port = 9000
            """,
            after="""
            import fastmcp
            from fastmcp import FastMCP

            mcp = FastMCP("x")
            home = fastmcp.settings.home
            mcp.settings.port = 9000
            """,
            findings=("`server.settings` was removed in 3.0",),
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._targets: set[int] = set()
        return True

    def visit_Assign(self, node: cst.Assign) -> bool:
        self._targets.update(id(t.target) for t in node.targets)
        return True

    def visit_AugAssign(self, node: cst.AugAssign) -> bool:
        self._targets.add(id(node.target))
        return True

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        inner = original_node.value
        if not (
            isinstance(inner, cst.Attribute)
            and inner.attr.value == "settings"
            and self.names.is_server(inner.value)
        ):
            return updated_node
        field = original_node.attr.value
        bound = self.names.aliases.get("fastmcp")
        taken = bound not in (None, "fastmcp") or (
            bound is None and "fastmcp" in self.names.module_bindings
        )
        if id(original_node) in self._targets or field in PER_SERVER_FIELDS or taken:
            self.report(
                original_node,
                f"`server.settings` was removed in 3.0: {write_hint(field)}",
                Severity.ERROR,
            )
            return updated_node
        self.add_import("fastmcp")
        self.rewrote()
        return updated_node.with_changes(
            value=cst.Attribute(value=cst.Name("fastmcp"), attr=cst.Name("settings"))
        )
