from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint import asgi
from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import (
    imports_fastmcp_and_asgi_framework,
    may_build_server,
)
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity


class FastmcpLifespanPassedToAsgi(Rule):
    """`FastAPI(lifespan=mcp.lifespan)`: the server's attribute instead of its ASGI app's lifespan.

    ## What it does
    Flags `lifespan=<server>.lifespan` in a `FastAPI(...)` or `Starlette(...)` call
    (also inside `combine_lifespans(...)`) where `<server>` is a standalone FastMCP
    server.

    ## Why is this bad?
    The lifespan a parent app needs is the one of the ASGI app that
    `mcp.http_app()` returns; it starts the Streamable HTTP session manager (and the
    server's own `lifespan=`). `mcp.lifespan` is something else: FastMCP 2.x has no
    such attribute (`AttributeError: 'FastMCP' object has no attribute 'lifespan'` at
    import), and in 3.x/4.x it is a provider method taking no app argument, so the
    app fails at startup with `TypeError: AggregateProvider.lifespan() takes 1
    positional argument but 2 were given` ("Application startup failed"; verified
    2.13.3 to 4.1.2). Guides that recommend `FastAPI(lifespan=mcp.lifespan)` are wrong.

    ## Fix safety
    When exactly one variable holding `<server>.http_app(...)` (Streamable HTTP) is
    assigned before the app is created, the fix replaces `<server>.lifespan` with
    `<var>.lifespan`. That is the lifespan the mounted app needs, so the fix is safe.
    Otherwise create `mcp_app = mcp.http_app(path="/")` first and pass
    `lifespan=mcp_app.lifespan`; no fix is offered.
    """

    code = "FMCP401"
    severity = Severity.ERROR
    message = "`{expr}` is not the lifespan of an ASGI app ({why}); pass the lifespan of `{server}.http_app()` instead"
    fix_title = "Use `{var}.lifespan`"
    documented_errors = (17,)
    references = (
        "https://gofastmcp.com/integrations/fastapi",
        "https://gofastmcp.com/deployment/http",
    )

    # The lifespan is passed to a `FastAPI(...)` or `Starlette(...)` call.
    needles = ("FastAPI", "Starlette")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # asgi.analyze needs fastmcp and fastapi/starlette imports; the report needs a
        # `lifespan=` keyword holding `<server>.lifespan`, so a server in the module.
        if not imports_fastmcp_and_asgi_framework(tree):
            return False
        return any(
            isinstance(node, ast.keyword)
            and node.arg == "lifespan"
            and any(
                isinstance(part, ast.Attribute) and part.attr == "lifespan"
                for part in ast.walk(node.value)
            )
            for node in every_node(tree)
        ) and may_build_server(tree)

    VALID = [
        Valid(
            "http-app-lifespan",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/")
            app = FastAPI(lifespan=mcp_app.lifespan)
            app.mount("/mcp", mcp_app)
            """,
        ),
        Valid(
            "combined-with-own-lifespan",
            """
            from contextlib import asynccontextmanager
            from fastapi import FastAPI
            from fastmcp import FastMCP
            from fastmcp.utilities.lifespan import combine_lifespans

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/")

            @asynccontextmanager
            async def app_lifespan(app):
                yield

            app = FastAPI(lifespan=combine_lifespans(app_lifespan, mcp_app.lifespan))
            app.mount("/mcp", mcp_app)
            """,
        ),
        Valid(
            "other-object-lifespan",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP
            from myapp import database

            mcp = FastMCP("srv")
            app = FastAPI(lifespan=database.lifespan)
            """,
        ),
        Valid(
            "sdk-server",
            """
            from fastapi import FastAPI
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("sdk")
            app = FastAPI(lifespan=mcp.lifespan)
            """,
        ),
        Valid(
            "user-lifespan-enters-http-app",
            """
            from contextlib import asynccontextmanager
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/")

            @asynccontextmanager
            async def lifespan(app):
                async with mcp_app.lifespan(app):
                    yield

            app = FastAPI(lifespan=lifespan)
            app.mount("/mcp", mcp_app)
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "fastapi-mcp-lifespan",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/")
            app = FastAPI(lifespan=mcp.lifespan)
            app.mount("/mcp", mcp_app)
            """,
            fixed="""
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/")
            app = FastAPI(lifespan=mcp_app.lifespan)
            app.mount("/mcp", mcp_app)
            """,
        ),
        Invalid(
            "no-http-app-variable",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            app = FastAPI(lifespan=mcp.lifespan)
            app.mount("/mcp", mcp.http_app(path="/"))
            """,
        ),
        Invalid(
            "starlette-in-combine",
            """
            from fastmcp import FastMCP
            from fastmcp.utilities.lifespan import combine_lifespans
            from starlette.applications import Starlette
            from starlette.routing import Mount

            def create_app(own_lifespan) -> Starlette:
                server = FastMCP("srv")
                http = server.http_app(path="/")
                return Starlette(
                    routes=[Mount("/mcp", app=http)],
                    lifespan=combine_lifespans(own_lifespan, server.lifespan),
                )
            """,
            fixed="""
            from fastmcp import FastMCP
            from fastmcp.utilities.lifespan import combine_lifespans
            from starlette.applications import Starlette
            from starlette.routing import Mount

            def create_app(own_lifespan) -> Starlette:
                server = FastMCP("srv")
                http = server.http_app(path="/")
                return Starlette(
                    routes=[Mount("/mcp", app=http)],
                    lifespan=combine_lifespans(own_lifespan, http.lifespan),
                )
            """,
        ),
        Invalid(
            "two-http-apps-no-fix",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            api_app = mcp.http_app(path="/")
            sse_app = mcp.http_app(path="/", transport="sse")
            other_app = mcp.http_app(path="/", stateless_http=True)
            app = FastAPI(lifespan=mcp.lifespan)
            """,
            fastmcp_version="2.14",
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        analysis = asgi.analyze(node, self.context.names)
        if analysis is None:
            return
        for app in analysis.app_calls:
            lifespan = app.keyword("lifespan")
            if lifespan is not None:
                self._check(analysis, app, lifespan.value)

    def _check(self, analysis: asgi.Analysis, app: asgi.AppCall, value: cst.BaseExpression) -> None:
        if isinstance(value, cst.Call) and (
            analysis.names.qualified_name(value.func) in asgi.COMBINE_LIFESPANS
        ):
            for arg in value.args:
                self._check(analysis, app, arg.value)
            return
        if not (
            isinstance(value, cst.Attribute)
            and value.attr.value == "lifespan"
            and analysis.is_server(value.value, app.scope)
        ):
            return
        server = dotted_name(value.value) or "FastMCP(...)"
        why = (
            "FastMCP 2.x servers have no `lifespan` attribute"
            if self.context.target.major < 3
            else "it takes no app argument, so startup fails with TypeError"
        )
        message = self.message.format(expr=f"{server}.lifespan", why=why, server=server)
        self.report(value, message, fix=self._fix(analysis, app, value))

    def _fix(self, analysis: asgi.Analysis, app: asgi.AppCall, value: cst.Attribute) -> Fix | None:
        server = dotted_name(value.value)
        candidates = [
            binding
            for bindings in _visible_bindings(analysis, app.scope)
            for binding in bindings
            if binding.kind == "assign"
            and binding.value is not None
            and (http := analysis.http_app(binding.value, binding.scope)) is not None
            and http.streamable
            and dotted_name(http.server) == server
            and analysis.lookup(binding.name, app.scope) == [binding]
            and analysis.precedes(binding, app.statement)
        ]
        if len(candidates) != 1:
            return None
        name = candidates[0].name
        return Fix(
            (self.fix_title or "").format(var=name),
            replacements=((value, asgi.attribute(name, "lifespan")),),
        )


def _visible_bindings(analysis: asgi.Analysis, scope: asgi.Scope) -> list[list[asgi.Binding]]:
    found: list[list[asgi.Binding]] = []
    current: asgi.Scope | None = scope
    while current is not None:
        if current is scope or current.kind != "class":
            found.extend(current.bindings.values())
        current = current.parent
    return found
