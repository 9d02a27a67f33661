from __future__ import annotations

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Applicability, Severity

GET_CONTEXT = frozenset({"fastmcp.server.dependencies.get_context"})


class RequestContextLifespanContext(Rule):
    """`ctx.request_context.lifespan_context` where FastMCP 3.0+ has `ctx.lifespan_context`.

    ## What it does
    Flags `<ctx>.request_context.lifespan_context` when `<ctx>` is a FastMCP `Context`
    (a parameter annotated with `fastmcp.Context`, or the result of
    `fastmcp.server.dependencies.get_context()`) and the project targets FastMCP 3.0+.
    Opt-in: this is a modernisation, not an error.

    ## Why is this bad?
    FastMCP 2.x only offered the MCP SDK's path through the request context. 3.0 added
    the `Context.lifespan_context` property, which is what the docs use and which also
    works where there is no request context (background tasks in 3.x). Since 3.3 the two
    differ for a tool of a *mounted* server: `ctx.request_context.lifespan_context` is
    the lifespan result of the parent that owns the session, `ctx.lifespan_context` the
    child's own (verified: parent and child with different lifespans, a child tool read
    `{'who': 'parent'}` and `{'who': 'child'}` in 3.4.10, 4.0.0 and 4.1.2; both read
    the parent's in 3.0.2). Code written against a server's own lifespan usually wants
    the latter.

    ## Fix safety
    The fix rewrites to `<ctx>.lifespan_context`. Targeting 3.0-3.2 it is safe (during
    a request both return the same object). From 3.3 on it is unsafe: for tools of a mounted server it
    switches from the parent's lifespan result to the server's own.
    """

    code = "FMCP808"
    severity = Severity.INFO
    message = "Use `{ctx}.lifespan_context` (FastMCP 3.0+) instead of `{ctx}.request_context.lifespan_context`{note}"
    fix_title = "Use `ctx.lifespan_context`"
    documented_errors = (25,)
    fastmcp_versions = ">=3"
    default_enabled = False
    references = (
        "https://gofastmcp.com/servers/lifespan",
        "https://gofastmcp.com/servers/context",
    )

    # Only `<ctx>.request_context.lifespan_context` is reported.
    needles = ("lifespan_context",)

    VALID = [
        Valid(
            "lifespan-context-property",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def query(sql: str, ctx: Context) -> str:
                return ctx.lifespan_context["db"].execute(sql)
            """,
        ),
        Valid(
            "sdk-context",
            """
            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool()
            def query(sql: str, ctx: Context) -> str:
                return ctx.request_context.lifespan_context["db"].execute(sql)
            """,
        ),
        Valid(
            "fastmcp-2x",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def query(sql: str, ctx: Context) -> str:
                return ctx.request_context.lifespan_context["db"].execute(sql)
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "unannotated-receiver",
            """
            def handler(request):
                return request.request_context.lifespan_context
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "request-context-path",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def query(sql: str, ctx: Context) -> str:
                db = ctx.request_context.lifespan_context["db"]
                return db.execute(sql)
            """,
            fixed="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def query(sql: str, ctx: Context) -> str:
                db = ctx.lifespan_context["db"]
                return db.execute(sql)
            """,
        ),
        Invalid(
            "get-context-safe-on-3-2",
            """
            from fastmcp.server.dependencies import get_context

            def current_db():
                ctx = get_context()
                return ctx.request_context.lifespan_context["db"]

            def current_cache():
                return get_context().request_context.lifespan_context["cache"]
            """,
            count=2,
            fixed="""
            from fastmcp.server.dependencies import get_context

            def current_db():
                ctx = get_context()
                return ctx.lifespan_context["db"]

            def current_cache():
                return get_context().lifespan_context["cache"]
            """,
            fastmcp_version="3.2",
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.scopes: list[set[str]] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        names = self.context.names
        found = set(self.scopes[-1]) if self.scopes else set()
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if names.context_kind(param.annotation) == "fastmcp":
                found.add(param.name.value)
            else:
                found.discard(param.name.value)
        self.scopes.append(found)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        if not self.scopes:
            return
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                if self._is_context(node.value):
                    self.scopes[-1].add(target.target.value)
                else:
                    self.scopes[-1].discard(target.target.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        inner = node.value
        if node.attr.value != "lifespan_context" or not isinstance(inner, cst.Attribute):
            return
        if inner.attr.value != "request_context" or not self._is_context(inner.value):
            return
        safe = self.context.target < Version("3.3")
        note = "" if safe else "; for a mounted server's tools the two differ since 3.3"
        fix = Fix(
            self.fix_title or "",
            Applicability.SAFE if safe else Applicability.UNSAFE,
            replacements=((node, node.with_changes(value=inner.value)),),
        )
        ctx = dotted_name(inner.value) or cst.Module(body=()).code_for_node(inner.value)
        self.report(node, self.message.format(ctx=ctx, note=note), fix=fix)

    def _is_context(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name):
            return bool(self.scopes) and node.value in self.scopes[-1]
        return (
            isinstance(node, cst.Call)
            and not node.args
            and self.context.names.qualified_name(node.func) in GET_CONTEXT
        )
