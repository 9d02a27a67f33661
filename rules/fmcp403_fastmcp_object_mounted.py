from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint import asgi
from fastmcp_kit.lint.ast_names import (
    imports_fastmcp_and_asgi_framework,
    may_build_server,
    may_mount,
)
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Applicability, Severity


class FastmcpObjectMounted(Rule):
    """A FastMCP server object mounted into FastAPI/Starlette instead of its `http_app()`.

    ## What it does
    Flags `app.mount(path, mcp)`, `Mount(path, app=mcp)` and
    `Starlette(routes=[Mount(path, app=mcp)])` where `mcp` is a standalone FastMCP
    server (not the ASGI app `mcp.http_app()` returns) and `app` is a FastAPI or
    Starlette application.

    ## Why is this bad?
    A `FastMCP` object is not an ASGI application. FastAPI and Starlette accept the
    mount without complaint, but every request under the mount path answers HTTP 500
    and the server logs `TypeError: 'FastMCP' object is not callable` (verified with
    FastMCP 2.13.3, 2.14.7, 3.0.2, 3.4.10, 4.0.0 and 4.1.2). Mount the app that
    `mcp.http_app()` returns, and pass its lifespan to the parent app.

    ## Fix safety
    When the server variable and the parent app are created in the same block and the
    parent app has no `lifespan=` yet, the fix creates `<server>_app =
    <server>.http_app(path="/")` before the parent app, passes
    `lifespan=<server>_app.lifespan` to it and mounts `<server>_app`. With `path="/"`
    the MCP endpoint is the mount path itself (a POST to `/mcp` is redirected to
    `/mcp/`). The fix is unsafe: it adds a variable and starts the server's lifespan
    with the parent app, which the broken mount never did. Other layouts are reported
    without a fix.
    """

    code = "FMCP403"
    severity = Severity.ERROR
    message = "`{server}` is a FastMCP server, not an ASGI app; mounting it makes every request fail with `'FastMCP' object is not callable`. Mount `{server}.http_app()` instead"
    fix_title = 'Mount `{server}.http_app(path="/")` and pass its lifespan to the app'
    documented_errors = (29, 17)
    references = (
        "https://gofastmcp.com/integrations/fastapi",
        "https://gofastmcp.com/deployment/http",
    )

    # `Mount(...)` routes, or `.mount(...)` on an app made by `FastAPI(...)`/`Starlette(...)`.
    needles = ("Mount", "FastAPI", "Starlette")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # asgi.analyze needs fastmcp and fastapi/starlette imports; the report needs a
        # mount whose app is a server (built or annotated in this module).
        if not imports_fastmcp_and_asgi_framework(tree):
            return False
        return may_mount(tree) and may_build_server(tree)

    VALID = [
        Valid(
            "http-app-mounted",
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
            "starlette-routes-http-app",
            """
            from fastmcp import FastMCP
            from starlette.applications import Starlette
            from starlette.routing import Mount

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/mcp")
            app = Starlette(routes=[Mount("/mcp-server", app=mcp_app)], lifespan=mcp_app.lifespan)
            """,
        ),
        Valid(
            "fastmcp-composition-mount",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            weather = FastMCP("weather")
            main.mount(weather, namespace="weather")
            main.mount("weather", weather)
            """,
        ),
        Valid(
            "sdk-fastmcp-app",
            """
            from mcp.server.fastmcp import FastMCP
            from starlette.applications import Starlette
            from starlette.routing import Mount

            mcp = FastMCP("sdk")
            app = Starlette(routes=[Mount("/", app=mcp.streamable_http_app())])
            """,
        ),
        Valid(
            "unannotated-parameter",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            def attach(app: FastAPI, mcp_app) -> None:
                app.mount("/mcp", mcp_app)
            """,
        ),
        Valid(
            "rebound-to-app",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            def build() -> FastAPI:
                mcp = FastMCP("srv")
                mcp = mcp.http_app(path="/")
                app = FastAPI(lifespan=mcp.lifespan)
                app.mount("/mcp", mcp)
                return app
            """,
        ),
        Valid(
            "from-fastapi-opposite-direction",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            api = FastAPI()
            mcp = FastMCP.from_fastapi(app=api)

            if __name__ == "__main__":
                mcp.run()
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "fastapi-mount",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            app = FastAPI()
            app.mount("/mcp", mcp)
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
            "starlette-routes",
            """
            from fastmcp import FastMCP
            from starlette.applications import Starlette
            from starlette.routing import Mount

            server = FastMCP("srv")

            # The ASGI application
            app = Starlette(
                debug=True,
                routes=[Mount("/mcp", app=server)],
            )
            """,
            fixed="""
            from fastmcp import FastMCP
            from starlette.applications import Starlette
            from starlette.routing import Mount

            server = FastMCP("srv")

            # The ASGI application
            server_app = server.http_app(path="/")
            app = Starlette(
                debug=True,
                routes=[Mount("/mcp", app=server_app)],
                lifespan=server_app.lifespan,
            )
            """,
        ),
        Invalid(
            "existing-lifespan-no-fix",
            """
            from contextlib import asynccontextmanager
            from fastapi import FastAPI
            import fastmcp

            mcp = fastmcp.FastMCP("srv")

            @asynccontextmanager
            async def lifespan(app):
                yield

            app = FastAPI(lifespan=lifespan)
            app.mount("/mcp", mcp)
            """,
        ),
        Invalid(
            "inside-factory-inline-server",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP
            from starlette.routing import Mount

            def create_app(api: FastAPI) -> FastAPI:
                api.mount("/tools", FastMCP("inline"))
                api.routes.append(Mount("/other", app=FastMCP("other")))
                return api
            """,
            count=2,
        ),
        Invalid(
            "instance-attributes",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            class Service:
                def __init__(self) -> None:
                    self.mcp = FastMCP("srv")
                    self.api = FastAPI()
                    self.api.mount("/mcp", self.mcp)
            """,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        analysis = asgi.analyze(node, self.context.names)
        if analysis is None:
            return
        for mount in analysis.mounts:
            value = mount.app.value
            if not analysis.is_server(value, mount.scope) or not analysis.mounts_into_asgi(mount):
                continue
            label = dotted_name(value) or "FastMCP(...)"
            self.report(
                value,
                self.message.format(server=label),
                fix=self._fix(analysis, mount),
            )

    def _fix(self, analysis: asgi.Analysis, mount: asgi.MountSite) -> Fix | None:
        server = mount.app.value
        if not isinstance(server, cst.Name):
            return None
        host = analysis.host_call(mount)
        if host is None or host.keyword("lifespan") is not None or host.has_splat:
            return None
        bindings = analysis.lookup(server.value, mount.scope)
        if len(bindings) != 1 or not analysis.precedes(bindings[0], host.statement):
            return None
        app_name = analysis.fresh_name(f"{server.value}_app")
        if app_name is None or host.statement is None:
            return None
        created = cst.ensure_type(
            cst.parse_statement(f'{app_name} = {server.value}.http_app(path="/")\n'),
            cst.SimpleStatementLine,
        )
        new_host = asgi.with_keyword(host.call, "lifespan", asgi.attribute(app_name, "lifespan"))
        replacements: list[tuple[cst.CSTNode, cst.CSTNode]] = [
            (server, cst.Name(app_name)),
            (host.call, new_host),
        ]
        if mount.enclosing_app_call is host.call:
            # The Mount sits inside the host call: rewrite both in one replacement.
            new_host = asgi.replace_inside(host.call, server, cst.Name(app_name))
            new_host = asgi.with_keyword(new_host, "lifespan", asgi.attribute(app_name, "lifespan"))
            replacements = [(host.call, new_host)]
        return Fix(
            (self.fix_title or "").format(server=server.value),
            Applicability.UNSAFE,
            replacements=asgi.edit_module(
                analysis.module, replacements, [(host.statement, created)]
            ),
        )
