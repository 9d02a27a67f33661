from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import last_identifier, local_names_for, may_be_server
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.settings_access import (
    SettingsTracker,
    environ_get_fix,
    global_settings_fix,
    write_hint,
)
from fastmcp_kit.lint.violation import Applicability, Severity

REMOVED_IN = 3
# 2.8.0 dropped the attribute; 2.8.1 brought it back as a deprecated property.
MISSING_IN = Version("2.8.0")


class InvalidSettingsAccess(Rule):
    """`server.settings` on FastMCP 3.0+, or `.settings.get(...)` on any version.

    ## What it does
    Flags `<server>.settings` where `<server>` is a standalone FastMCP server and the
    target is FastMCP 3.0 or later (or 2.8.0, the one 2.x release without the
    attribute), and, on every version, `.settings.get(...)` called
    on a standalone server's `.settings` or on the global `fastmcp.settings`.

    ## Why is this bad?
    FastMCP 3.0 removed the per-server `settings` attribute:
    `AttributeError: 'FastMCP' object has no attribute 'settings'` (verified 3.0.2,
    3.4.10, 4.0.0, 4.1.2). Settings are global: `fastmcp.settings.<field>`, set from
    `FASTMCP_*` environment variables. Host and port belong in
    `mcp.run(transport="http", host=..., port=...)`.

    `Settings` is a pydantic-settings model and has never had a `.get()` method, so
    `mcp.settings.get("API_KEY")` (a pattern recommended by migration guides) fails
    with `AttributeError: 'Settings' object has no attribute 'get'` in every release
    (verified 2.13.3 to 4.1.2). Your own configuration belongs in the environment
    (`os.environ.get`) or your own settings class.

    The MCP SDK's `FastMCP` (`mcp.server.fastmcp`) has a real `settings` attribute,
    and `mcp.settings.port = 8080` is correct there; it is never flagged. On 2.x the
    deprecated `server.settings` still works; FMCP303 reports it.

    ## Fix safety
    A read `mcp.settings.X` becomes `fastmcp.settings.X` (adding `import fastmcp`).
    This is safe: on 3.0+ the original line always raised, and the global settings are
    the only settings left. `….settings.get("NAME")` with an environment-variable-style
    literal (`NAME` in upper case) becomes `os.environ.get("NAME")` (adding
    `import os`), which is safe because the original call always raised. Writes such
    as `mcp.settings.port = 9000` and other `.get(...)` calls are reported only: the
    value has to move into `mcp.run(...)`, an environment variable or a field read.
    """

    code = "FMCP302"
    severity = Severity.ERROR
    message = "`{expr}` does not exist on a FastMCP {version} server ({hint})"
    get_message = "`{receiver}.get(...)` always fails: FastMCP's `Settings` has no `.get()` method (`AttributeError: 'Settings' object has no attribute 'get'`); read environment variables with `os.environ.get(...)`"
    fix_title = "Use the global `fastmcp.settings` or `os.environ.get`"
    documented_errors = (9,)
    reported_mistakes = ("009",)
    references = (
        "https://gofastmcp.com/more/settings",
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-2",
    )

    # `<server>.settings`, `<...>.settings.get(...)`, or `settings.get` / `settings as x` after
    # `from fastmcp import settings`.
    needles = (".settings", "settings.get", "settings as")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # `.get(...)` on something ending in `settings` (or an import alias of it), or,
        # where accesses are reported, `<x>.settings` with `<x>` possibly a server.
        receivers = [
            node.func.value
            for node in every_node(tree)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "get"
        ]
        if receivers:
            known = local_names_for(tree, ("settings",))
            if any(last_identifier(receiver) in known for receiver in receivers):
                return True
        target = context.target
        if target.major < REMOVED_IN and target != MISSING_IN:
            return False
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
            print(fastmcp.settings.port, fastmcp.settings.log_level)

            if __name__ == "__main__":
                mcp.run(transport="http", port=8000)
            """,
        ),
        Valid(
            "sdk-fastmcp-settings",
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")
            mcp.settings.port = 9000
            mcp.settings.host = "0.0.0.0"
            print(mcp.settings.port)
            """,
            fastmcp_version="3.4",
        ),
        Valid(
            "same-name-typed-as-the-sdk-server-in-another-function",
            # fastmcp 4.2's own cli/run.py: `server` is a FastMCP proxy in one function
            # and the SDK's MCPServer (which has `settings`) in another.
            """
            from fastmcp.server import create_proxy
            from mcp.server.mcpserver import MCPServer as SDKServer

            def proxy_for(url: str):
                server = create_proxy(url)
                return server

            async def run_sdk_server(server: SDKServer, log_level: str) -> None:
                server.settings.log_level = log_level
                await server.run_stdio_async()
            """,
        ),
        Valid(
            "django-and-pydantic-settings",
            """
            from django.conf import settings
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            key = settings.get("API_KEY")
            config = load_config()
            value = config.settings.get("timeout")
            """,
        ),
        Valid(
            "deprecated-but-working-on-2x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            port = mcp.settings.port
            """,
            fastmcp_version="2.14",
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
            "read-on-3x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            print(f"listening on {mcp.settings.host}:{mcp.settings.port}")
            """,
            count=2,
            fixed="""
            import fastmcp
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            print(f"listening on {fastmcp.settings.host}:{fastmcp.settings.port}")
            """,
        ),
        Invalid(
            "settings-get",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            api_key = mcp.settings.get("API_KEY")
            """,
            fixed="""
            import os

            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            api_key = os.environ.get("API_KEY")
            """,
        ),
        Invalid(
            "global-settings-get-on-2x",
            """
            import os
            import fastmcp

            token = fastmcp.settings.get("GITHUB_TOKEN", "")
            """,
            fastmcp_version="2.14",
            fixed="""
            import os
            import fastmcp

            token = os.environ.get("GITHUB_TOKEN", "")
            """,
        ),
        Invalid(
            "write-on-3x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            mcp.settings.port = 9000
            """,
        ),
        Invalid(
            "non-env-get-key",
            """
            from fastmcp import settings

            level = settings.get("log_level")
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
        for get in self.tracker.gets:
            message = self.get_message.format(receiver=get.receiver)
            self.report(get.call, message, fix=environ_get_fix(names, get))
        target = self.context.target
        if target.major < REMOVED_IN and target != MISSING_IN:
            return
        for access in self.tracker.accesses:
            expr = cst.Module([]).code_for_node(access.node)
            if access.kind == "write":
                hint = write_hint(access.field)
            else:
                removed = "it was removed in 3.0, " if target.major >= REMOVED_IN else ""
                hint = f"`AttributeError: 'FastMCP' object has no attribute 'settings'`; {removed}use the global `fastmcp.settings`"
            self.report(
                access.node,
                self.message.format(expr=expr, version=target, hint=hint),
                fix=global_settings_fix(names, access, Applicability.SAFE),
            )
