"""What the 2026-07-28 protocol era changes for code that still runs (3.iii rows 39-45, 48)."""

from __future__ import annotations

import re

import libcst as cst
from libcst.metadata import ParentNodeProvider

from fastmcp_kit.lint.receiver_types import CLIENT_PATHS
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Example
from fastmcp_kit.upgrade.cstutil import keyword, string_value
from fastmcp_kit.upgrade.helpers import FunctionAware

MIDDLEWARE = frozenset(
    {"fastmcp.server.middleware.Middleware", "fastmcp.server.middleware.middleware.Middleware"}
)
CLIENTS = CLIENT_PATHS
_PATHLIKE = re.compile(r"\{(\w*(?:path|file|dir)\w*|\w+\*)\}", re.IGNORECASE)


class EraReports(FunctionAware):
    """What it does:
    Reports code whose behaviour 4.x changes without an error: ``on_initialize`` (never
    runs on modern-era connections) and ``on_message``/``on_request`` (now also see
    ``server/discover``, notifications and invalid requests) in FastMCP middleware;
    ``await ctx.set_state(...)`` without ``serializable=False`` (not kept across requests
    on the modern era); resource templates with wildcard or path-like parameters (path
    traversal is screened); the literal ``-32002`` (resource-not-found is ``-32602``);
    OAuth providers with ``issuer_url=`` (clients re-authorize once);
    ``client.set_logging_level()`` (raises on the modern era); ``Client(...)`` without
    ``mode=`` (defaults to ``"auto"``; ``mode="legacy"`` keeps 3.x semantics).

    Why:
    FastMCP 4 serves the sessionless ``2026-07-28`` protocol era next to the handshake
    era; a default 4.x client speaks the new one (checked in 4.1.2).

    Safety:
    Report only.
    """

    ID = "era-reports"
    TITLE = "behaviour the 2026-07-28 protocol era changes"
    KIND = "report"
    ROWS = ("iii.39", "iii.40", "iii.41", "iii.42", "iii.43", "iii.44", "iii.45", "iii.48")
    LINK = GUIDE_4
    TRIGGERS = (
        "Middleware",
        "set_state",
        "set_logging_level",
        "Client",
        "issuer_url",
        "32002",
        "resource(",
    )
    EXAMPLES = (
        Example(
            "middleware-and-state",
            before="""
            from fastmcp import Client, Context, FastMCP
            from fastmcp.server.middleware import Middleware

            class Gate(Middleware):
                async def on_initialize(self, context, call_next):
                    return await call_next(context)

            mcp = FastMCP("x")

            @mcp.tool
            async def remember(ctx: Context) -> None:
                await ctx.set_state("k", 1)

            @mcp.resource("files://{path*}")
            def read(path: str) -> str:
                return path

            client = Client(mcp)
            """,
            findings=(
                "`on_initialize` never runs",
                "not kept across requests",
                "path traversal",
                '`mode="auto"`',
            ),
        ),
    )

    def visit_ClassDef(self, node: cst.ClassDef) -> bool:
        if not any(self.names.qualified_name(b.value) in MIDDLEWARE for b in node.bases):
            return True
        for statement in node.body.body:
            if not isinstance(statement, cst.FunctionDef):
                continue
            name = statement.name.value
            if name == "on_initialize":
                self.report(
                    statement,
                    "`on_initialize` never runs on modern-era (2026-07-28) connections: move "
                    "gating or auth checks to per-request hooks",
                    Severity.WARNING,
                )
            elif name in ("on_message", "on_request"):
                self.report(
                    statement,
                    f"`{name}` now also sees `server/discover`, notifications and invalid "
                    "requests: guard on `context.method`",
                    Severity.INFO,
                )
        return True

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        qualified = self.names.qualified_name(func)
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "set_state"
            and self.is_context(func.value)
            and keyword(node, "serializable") is None
            and isinstance(self._parent(node), cst.Await)
        ):
            self.report(
                node,
                "state is not kept across requests on modern-era connections: use "
                '`UserSession`/`SessionId` (fastmcp.server.sessions) or `Client(mode="legacy")`',
                Severity.WARNING,
            )
        elif isinstance(func, cst.Attribute) and func.attr.value == "set_logging_level":
            self.report(
                node, "`set_logging_level()` raises on modern-era connections", Severity.WARNING
            )
        elif qualified in CLIENTS and keyword(node, "mode") is None:
            self.report(
                node,
                '4.x clients default to `mode="auto"` (the 2026-07-28 era): elicitation, '
                'sampling, state and on_initialize behave differently; pass `mode="legacy"` '
                "for 3.x semantics",
                Severity.INFO,
            )
        elif keyword(node, "issuer_url") is not None and "Provider" in (qualified or ""):
            self.report(
                node,
                "with `issuer_url` different from `base_url`, 4.x changes the token `iss` "
                "claim: clients re-authorize once",
                Severity.INFO,
            )
        return True

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        try:
            return self.get_metadata(ParentNodeProvider, node)
        except KeyError:
            return None

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        for component in self.names.component_decorators(node):
            uri = component.argument("uri", 0)
            text = (
                string_value(uri.value)
                if uri is not None and component.kind == "resource"
                else None
            )
            if text and _PATHLIKE.search(text):
                self.report(
                    node,
                    "4.x screens template parameters for path traversal (`..`, absolute paths) "
                    "by default: opt out with `security=None` on the resource if needed",
                    Severity.INFO,
                )
        return super().visit_FunctionDef(node)

    def visit_UnaryOperation(self, node: cst.UnaryOperation) -> bool:
        if (
            isinstance(node.operator, cst.Minus)
            and isinstance(node.expression, cst.Integer)
            and node.expression.value == "32002"
        ):
            self.report(
                node,
                "resource-not-found is error code -32602 in 4.x (was -32002)",
                Severity.WARNING,
            )
        return True
