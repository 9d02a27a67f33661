from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import may_be_server
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.settings_access import (
    PER_SERVER_FIELDS,
    SettingsTracker,
    global_settings_fix,
    write_hint,
)
from fastmcp_kit.lint.violation import Applicability, Severity


class DeprecatedServerSettings(Rule):
    """`server.settings` on a FastMCP 2.x server (deprecated, removed in 3.0).

    ## What it does
    Flags `<server>.settings` where `<server>` is a standalone FastMCP server and the
    target is a FastMCP 2.x release from 2.8.1 on (before 2.8 it was the real API). (`.settings.get(...)`, which fails everywhere, is
    FMCP302's.)

    ## Why is this bad?
    Since 2.8.0 every access warns `DeprecationWarning: Accessing .settings on a
    FastMCP instance is deprecated. Use the global fastmcp.settings instead.`
    (verified 2.13.3, 2.14.7), and FastMCP 3.0 removed the attribute:
    `AttributeError: 'FastMCP' object has no attribute 'settings'`. The code breaks on
    upgrade. Read settings from the global `fastmcp.settings`; pass host and port to
    `mcp.run(transport="http", host=..., port=...)` or set `FASTMCP_HOST` /
    `FASTMCP_PORT`.

    The MCP SDK's `FastMCP` (`mcp.server.fastmcp`) has a real `settings` attribute and
    is never flagged.

    ## Fix safety
    A read `mcp.settings.X` becomes `fastmcp.settings.X` (adding `import fastmcp`).
    In 2.x `mcp.settings` is a copy of the global settings with the server's deprecated
    constructor kwargs (`host`, `port`, `log_level`, `debug`, the paths,
    `json_response`, `stateless_http`) merged in, so the fix is safe for other fields
    and unsafe for those, or when the module also writes to `mcp.settings`: the global
    value can differ. Writes (`mcp.settings.port = 9000`) are reported only.
    """

    code = "FMCP303"
    severity = Severity.WARNING
    message = "`{expr}` is deprecated since FastMCP 2.8 and removed in 3.0; {hint}"
    fix_title = "Read the global `fastmcp.settings`"
    documented_errors = (9,)
    # Before 2.8 `server.settings` was the real API; 2.8.0 had no attribute (FMCP302).
    fastmcp_versions = ">=2.8.1,<3"
    references = (
        "https://gofastmcp.com/more/settings",
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-2",
    )

    # Only `<server>.settings` attributes are reported.
    needles = (".settings",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # `<x>.settings` where `<x>` may be a standalone server.
        return may_be_server(
            tree,
            (
                node.value
                for node in every_node(tree)
                if isinstance(node, ast.Attribute) and node.attr == "settings"
            ),
        )

    VALID = [
        Valid(
            "global-settings",
            """
            import fastmcp
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            print(fastmcp.settings.home)
            """,
        ),
        Valid(
            "sdk-fastmcp-settings",
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")
            mcp.settings.port = 9000
            print(mcp.settings.host)
            """,
        ),
        Valid(
            "pydantic-settings-object",
            """
            from fastmcp import FastMCP
            from myapp.config import AppConfig

            mcp = FastMCP("demo")
            config = AppConfig()
            print(config.settings.port)
            """,
        ),
        Valid(
            "server-named-like-a-package",
            """
            from fastmcp import FastMCP
            from app.settings import settings
            import app.settings.defaults

            app = FastMCP("demo")
            print(settings.port)
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "read-global-field",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            data_dir = mcp.settings.home
            """,
            fixed="""
            import fastmcp
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            data_dir = fastmcp.settings.home
            """,
        ),
        Invalid(
            "read-per-server-field-unsafe",
            """
            import fastmcp

            mcp = fastmcp.FastMCP("demo", port=9000)
            print(mcp.settings.port)
            """,
            fixed="""
            import fastmcp

            mcp = fastmcp.FastMCP("demo", port=9000)
            print(fastmcp.settings.port)
            """,
        ),
        Invalid(
            "write",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            mcp.settings.port = 9000
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.tracker = SettingsTracker(context.names)

    def visit_Assign(self, node: cst.Assign) -> None:
        self.tracker.targets(*(target.target for target in node.targets))

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self.tracker.targets(node.target)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.tracker.targets(node.target)

    def visit_Del(self, node: cst.Del) -> None:
        self.tracker.targets(node.target)

    def visit_Import(self, node: cst.Import) -> None:
        self.tracker.import_statement(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.tracker.import_statement(node)

    def visit_Call(self, node: cst.Call) -> None:
        self.tracker.call(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.tracker.attribute(node)

    def leave_Module(self, original_node: cst.Module) -> None:
        names = self.context.names
        writes = self.tracker.has_writes
        for access in self.tracker.accesses:
            expr = cst.Module([]).code_for_node(access.node)
            if access.kind == "write":
                hint = write_hint(access.field)
            else:
                hint = "use the global `fastmcp.settings`"
            unsafe = writes or access.field in PER_SERVER_FIELDS
            applicability = Applicability.UNSAFE if unsafe else Applicability.SAFE
            self.report(
                access.node,
                self.message.format(expr=expr, hint=hint),
                fix=global_settings_fix(names, access, applicability),
            )
