from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.context_scope import ContextRule
from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Valid
from fastmcp_kit.lint.violation import Severity

MODULE = "fastmcp.server.dependencies"
FUNCTION = "get_http_request"
# Unannotated component parameters meant as a Context (FMCP201's default names).
CONTEXT_NAMES = frozenset({"ctx", "context"})


class ContextGetHttpRequest(ContextRule):
    """`ctx.get_http_request()` on a FastMCP `Context` (removed in 2.14).

    ## What it does
    Flags a call of `.get_http_request()` on a FastMCP `Context`: a parameter annotated
    with `fastmcp.Context`, a variable assigned from `get_context()`,
    `context.fastmcp_context` in a middleware hook, or an unannotated `ctx`/`context`
    parameter of a tool, resource or prompt (meant as the Context; FMCP201 says why
    it is not injected). The function `get_http_request()` itself, however it is
    imported (`dependencies.get_http_request()`), is the replacement, never flagged.

    ## Why is this bad?
    `Context.get_http_request()` was deprecated in 2.2.11 and removed in FastMCP
    2.14.0, so the call fails at runtime with `AttributeError: 'Context' object has no
    attribute 'get_http_request'` (verified 2.14.7, 3.4.10, 4.1.2). Guides that
    suggest replacing it with middleware or `InitializeResult` are wrong: the
    replacement is the function `get_http_request()` from
    `fastmcp.server.dependencies`, present from 2.13 to 4.1 (outside an HTTP request
    it raises `RuntimeError: No active HTTP request found.`, exactly as the method
    did).

    ## Fix safety
    The fix calls `get_http_request()` from `fastmcp.server.dependencies` (adding the
    import). This is safe: in 2.13 the method was a one-line wrapper around that very
    function. No fix is offered when the name `get_http_request` is bound to something
    else in the module.
    """

    code = "FMCP305"
    severity = Severity.ERROR
    message = "`Context.get_http_request()` was removed in FastMCP 2.14 (`AttributeError`); call `get_http_request()` from `fastmcp.server.dependencies`"
    fix_title = "Call `get_http_request()` from `fastmcp.server.dependencies`"
    documented_errors = (27,)
    fastmcp_versions = ">=2.14"
    references = (
        "https://gofastmcp.com/servers/dependency-injection",
        "https://gofastmcp.com/servers/context",
    )

    # Only calls of `.get_http_request()` are reported.
    needles = ("get_http_request",)

    VALID = [
        Valid(
            "dependency-function",
            """
            from fastmcp import FastMCP, Context
            from fastmcp.server.dependencies import get_http_request

            mcp = FastMCP("demo")

            @mcp.tool
            async def whoami(ctx: Context) -> str:
                request = get_http_request()
                return request.headers.get("user-agent", "")
            """,
        ),
        Valid(
            "sdk-context",
            """
            from mcp.server.fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool()
            async def whoami(ctx: Context) -> str:
                return str(ctx.request_context.request)
            """,
        ),
        Valid(
            "other-objects",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            def handler(request_holder, ctx) -> None:
                request_holder.get_http_request()
                ctx.get_http_request()

            @mcp.tool
            async def outer(ctx: Context) -> None:
                def inner(ctx: str) -> None:
                    ctx.get_http_request()
            """,
        ),
        Valid(
            "still-present-on-2.13",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def whoami(ctx: Context) -> str:
                return ctx.get_http_request().client.host
            """,
            fastmcp_version="2.13.3",
        ),
        Valid(
            "dependency-function-through-a-module",
            """
            from fastmcp import FastMCP
            from fastmcp.server import dependencies

            mcp = FastMCP("demo")

            @mcp.tool
            async def whoami(context: str = "") -> str:
                return dependencies.get_http_request().headers.get("user-agent", context)
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "tool-context",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def whoami(ctx: Context) -> str:
                request = ctx.get_http_request()
                return request.headers.get("user-agent", "")
            """,
            fixed="""
            from fastmcp import FastMCP, Context
            from fastmcp.server.dependencies import get_http_request

            mcp = FastMCP("demo")

            @mcp.tool
            async def whoami(ctx: Context) -> str:
                request = get_http_request()
                return request.headers.get("user-agent", "")
            """,
        ),
        Invalid(
            "get-context-and-middleware",
            """
            from fastmcp.server.dependencies import get_context, get_http_request as http_request
            from fastmcp.server.middleware import Middleware, MiddlewareContext

            def client_ip() -> str:
                ctx = get_context()
                return ctx.get_http_request().client.host

            class Audit(Middleware):
                async def on_call_tool(self, context: MiddlewareContext, call_next):
                    print(context.fastmcp_context.get_http_request().url)
                    return await call_next(context)
            """,
            count=2,
            fixed="""
            from fastmcp.server.dependencies import get_context, get_http_request as http_request
            from fastmcp.server.middleware import Middleware, MiddlewareContext

            def client_ip() -> str:
                ctx = get_context()
                return http_request().client.host

            class Audit(Middleware):
                async def on_call_tool(self, context: MiddlewareContext, call_next):
                    print(http_request().url)
                    return await call_next(context)
            """,
        ),
        Invalid(
            "unannotated-tool-context",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def whoami(ctx) -> str:
                return ctx.get_http_request().headers.get("user-agent", "")
            """,
            fixed="""
            from fastmcp import FastMCP
            from fastmcp.server.dependencies import get_http_request

            mcp = FastMCP("demo")

            @mcp.tool
            async def whoami(ctx) -> str:
                return get_http_request().headers.get("user-agent", "")
            """,
        ),
        Invalid(
            "name-taken",
            """
            from fastmcp import Context
            from myapp.web import get_http_request

            async def handler(ctx: Context | None = None) -> None:
                ctx.get_http_request()
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == FUNCTION
            and not node.args
            and (self.scopes.is_context(func.value) or self._meant_as_context(func.value))
        ):
            self.report(node, fix=self._fix(node))

    def _meant_as_context(self, receiver: cst.BaseExpression) -> bool:
        """An unannotated `ctx`/`context` parameter of a component function."""
        if not isinstance(receiver, cst.Name) or receiver.value not in CONTEXT_NAMES:
            return False
        function = self.scopes.unannotated_parameter_of(receiver.value)
        return function is not None and any(self.context.names.component_decorators(function))

    def _fix(self, node: cst.Call) -> Fix | None:
        names = self.context.names
        local = next(
            (n for n, q in names.aliases.items() if q == f"{MODULE}.{FUNCTION}"),
            None,
        )
        title = self.fix_title or ""
        if local is not None:
            replacement = cst.Call(func=cst.Name(local))
            return Fix(title, replacements=((node, replacement),))
        if FUNCTION in names.module_bindings or FUNCTION in names.aliases:
            return None
        return Fix(
            title,
            replacements=((node, cst.Call(func=cst.Name(FUNCTION))),),
            add_imports=(ImportSpec(MODULE, FUNCTION),),
        )
