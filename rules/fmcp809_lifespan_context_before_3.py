from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

GET_CONTEXT = frozenset({"fastmcp.server.dependencies.get_context"})


class ContextLifespanContextBeforeV3(Rule):
    """`ctx.lifespan_context` on FastMCP 2.x, where `Context` has no such attribute.

    ## What it does
    Flags `<ctx>.lifespan_context` when `<ctx>` is a FastMCP `Context` (a parameter
    annotated with `fastmcp.Context`, or the result of
    `fastmcp.server.dependencies.get_context()`) and the project targets FastMCP 2.x.

    ## Why is this bad?
    The `Context.lifespan_context` property was added in FastMCP 3.0; the current docs
    use it everywhere. On 2.x the access raises `AttributeError: 'Context' object has
    no attribute 'lifespan_context'` when the tool runs, so the client gets a tool error
    (verified 2.13.3 and 2.14.7). On 2.x the lifespan result is reached through the
    request context: `ctx.request_context.lifespan_context`.

    ## Fix safety
    The fix rewrites to `<ctx>.request_context.lifespan_context`, the only spelling
    that works on 2.x and the value the property returns on 3.0-3.2, so it is safe.
    """

    code = "FMCP809"
    severity = Severity.ERROR
    message = "`{ctx}.lifespan_context` does not exist before FastMCP 3.0 (`AttributeError` when the tool runs); use `{ctx}.request_context.lifespan_context`"
    fix_title = "Use `ctx.request_context.lifespan_context`"
    documented_errors = (25,)
    fastmcp_versions = "<3"
    references = ("https://gofastmcp.com/servers/context",)

    # Only `<ctx>.lifespan_context` is reported.
    needles = ("lifespan_context",)

    VALID = [
        Valid(
            "request-context-path",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def query(sql: str, ctx: Context) -> str:
                return ctx.request_context.lifespan_context["db"].execute(sql)
            """,
        ),
        Valid(
            "fastmcp-3x",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def query(sql: str, ctx: Context) -> str:
                return ctx.lifespan_context["db"].execute(sql)
            """,
            fastmcp_version="3.0",
        ),
        Valid(
            "other-objects",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            def helper(app, state):
                return app.lifespan_context, state.lifespan_context
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "property-on-2x",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def query(sql: str, ctx: Context | None = None) -> str:
                db = ctx.lifespan_context["db"]
                return await db.execute(sql)
            """,
            fixed="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def query(sql: str, ctx: Context | None = None) -> str:
                db = ctx.request_context.lifespan_context["db"]
                return await db.execute(sql)
            """,
        ),
        Invalid(
            "get-context",
            """
            from fastmcp.server.dependencies import get_context

            def current_db():
                return get_context().lifespan_context["db"]
            """,
            fixed="""
            from fastmcp.server.dependencies import get_context

            def current_db():
                return get_context().request_context.lifespan_context["db"]
            """,
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
        if node.attr.value != "lifespan_context" or not self._is_context(node.value):
            return
        request_context = cst.Attribute(value=node.value, attr=cst.Name("request_context"))
        fix = Fix(
            self.fix_title or "",
            replacements=((node, node.with_changes(value=request_context)),),
        )
        ctx = dotted_name(node.value) or cst.Module(body=()).code_for_node(node.value)
        self.report(node, self.message.format(ctx=ctx), fix=fix)

    def _is_context(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name):
            return bool(self.scopes) and node.value in self.scopes[-1]
        return (
            isinstance(node, cst.Call)
            and not node.args
            and self.context.names.qualified_name(node.func) in GET_CONTEXT
        )
