from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint import asgi
from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import (
    imports_fastmcp_and_asgi_framework,
    may_build_server,
    may_mount,
)
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Applicability, Severity


class AsgiMountWithoutLifespan(Rule):
    """A FastMCP `http_app()` mounted into FastAPI/Starlette whose lifespan never runs.

    ## What it does
    Flags `app.mount(path, mcp_app)` and `Mount(path, app=mcp_app)` where `mcp_app`
    comes from `<server>.http_app(...)` (Streamable HTTP, the default transport) and
    the `FastAPI(...)`/`Starlette(...)` app it is mounted into gets no `lifespan=`
    that runs `mcp_app.lifespan`: neither directly, nor through
    `combine_lifespans(...)`, nor in a lifespan function of the file that enters
    `mcp_app.lifespan(app)` or `mcp_app.router.lifespan_context(app)`.

    ## Why is this bad?
    Starlette does not run the lifespans of mounted apps. Without
    `mcp_app.lifespan`, the Streamable HTTP session manager never starts: every MCP
    request answers HTTP 500 and the server logs `RuntimeError: FastMCP's
    StreamableHTTPSessionManager task group was not initialized. This commonly occurs
    when the FastMCP application's lifespan is not passed to the parent ASGI
    application (e.g., FastAPI or Starlette).` The server's own `lifespan=` never runs
    either. Stateless HTTP (`stateless_http=True`) fails the same way; the SSE
    transport does not need the lifespan (all verified 2.13.3 to 4.1.2).

    ## Fix safety
    When the app has no `lifespan=` and `mcp_app` is assigned before it, the fix adds
    `lifespan=mcp_app.lifespan`: safe, it only starts what the mount needs (including
    the server's own lifespan). When the app already has a lifespan defined in this
    file, the fix wraps it as `combine_lifespans(existing, mcp_app.lifespan)`
    (FastMCP 3.0+); that is unsafe because the combined lifespan yields the merged
    state of both. On 2.x, enter `mcp_app.lifespan(app)` inside your own lifespan.
    """

    code = "FMCP402"
    severity = Severity.ERROR
    message = "`{app}` is mounted without its lifespan; every MCP request will fail with HTTP 500 (session manager task group not initialized). {advice}"
    # A named app's own lifespan; an inline `mcp.http_app()` needs a name first, since
    # `lifespan=mcp.http_app().lifespan` would build (and start) a second, unmounted app.
    named_advice = "Pass `lifespan={app}.lifespan` to the `{host}(...)` app"
    inline_advice = "Assign it first (`mcp_app = {app}`), mount `mcp_app` and pass `lifespan=mcp_app.lifespan` to the `{host}(...)` app"
    fix_title = "Pass `lifespan={app}.lifespan`"
    documented_errors = (17,)
    reported_mistakes = ("040",)
    references = (
        "https://gofastmcp.com/integrations/fastapi",
        "https://gofastmcp.com/deployment/http",
    )

    # The mount is into an app made by a `FastAPI(...)` or `Starlette(...)` call.
    needles = ("FastAPI", "Starlette")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # asgi.analyze needs fastmcp and fastapi/starlette imports; the report needs a
        # mount of a `<server>.http_app()`-like call's result.
        if not imports_fastmcp_and_asgi_framework(tree):
            return False
        return (
            any(
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Attribute)
                and node.func.attr in asgi.HTTP_APP_METHODS
                for node in every_node(tree)
            )
            and may_mount(tree)
            and may_build_server(tree)
        )

    VALID = [
        Valid(
            "lifespan-passed",
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
            "combined-lifespans",
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
            "user-lifespan-enters-it",
            """
            from contextlib import asynccontextmanager
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/")

            @asynccontextmanager
            async def lifespan(app):
                async with mcp_app.router.lifespan_context(app):
                    yield

            app = FastAPI(lifespan=lifespan)
            app.mount("/mcp", mcp_app)
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "nested-mounts-outer-lifespan",
            """
            from fastmcp import FastMCP
            from starlette.applications import Starlette
            from starlette.routing import Mount

            mcp = FastMCP("MyServer")
            mcp_app = mcp.http_app(path="/mcp")
            inner_app = Starlette(routes=[Mount("/inner", app=mcp_app)])
            app = Starlette(routes=[Mount("/outer", app=inner_app)], lifespan=mcp_app.lifespan)
            """,
        ),
        Valid(
            "http-app-as-root-app",
            """
            import uvicorn
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            app = mcp.http_app()

            if __name__ == "__main__":
                uvicorn.run(mcp.http_app(), port=8000)
            """,
        ),
        Valid(
            "sse-transport",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            sse = mcp.http_app(path="/sse", transport="sse")
            app = FastAPI()
            app.mount("/legacy", sse)
            """,
        ),
        Valid(
            "from-fastapi",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            api = FastAPI()
            mcp = FastMCP.from_fastapi(app=api, name="API")
            """,
        ),
        Valid(
            "sdk-streamable-http-app",
            """
            from fastapi import FastAPI
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("sdk")
            app = FastAPI()
            app.mount("/mcp", mcp.streamable_http_app())
            """,
        ),
        Valid(
            "passed-to-helper",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP
            from myapp.lifespans import lifespan_for

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/")
            app = FastAPI(lifespan=lifespan_for(mcp_app))
            app.mount("/mcp", mcp_app)
            """,
        ),
        Valid(
            "app-created-elsewhere",
            """
            from fastmcp import FastMCP
            from myapp import app

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/")
            app.mount("/mcp", mcp_app)
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "inline-http-app-needs-a-name-first",
            # `lifespan=mcp.http_app().lifespan` would start a second, unmounted app:
            # still HTTP 500 ("Task group is not initialized") under uvicorn.
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            app = FastAPI()
            app.mount("/mcp", mcp.http_app(path="/"))
            """,
            says='Assign it first (`mcp_app = mcp.http_app(path="/")`), mount `mcp_app`',
        ),
        Invalid(
            "fastapi-without-lifespan",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/")
            app = FastAPI(title="API")
            app.mount("/mcp", mcp_app)
            """,
            fixed="""
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/")
            app = FastAPI(title="API", lifespan=mcp_app.lifespan)
            app.mount("/mcp", mcp_app)
            """,
        ),
        Invalid(
            "own-lifespan-combined",
            """
            from contextlib import asynccontextmanager
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/", stateless_http=True)

            @asynccontextmanager
            async def lifespan(app):
                yield

            app = FastAPI(lifespan=lifespan)
            app.mount("/mcp", mcp_app)
            """,
            fixed="""
            from contextlib import asynccontextmanager

            from fastapi import FastAPI
            from fastmcp import FastMCP
            from fastmcp.utilities.lifespan import combine_lifespans

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/", stateless_http=True)

            @asynccontextmanager
            async def lifespan(app):
                yield

            app = FastAPI(lifespan=combine_lifespans(lifespan, mcp_app.lifespan))
            app.mount("/mcp", mcp_app)
            """,
        ),
        Invalid(
            "own-lifespan-on-2x-no-fix",
            """
            from contextlib import asynccontextmanager
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/")

            @asynccontextmanager
            async def lifespan(app):
                yield

            app = FastAPI(lifespan=lifespan)
            app.mount("/mcp", mcp_app)
            """,
            fastmcp_version="2.14",
        ),
        Invalid(
            "starlette-routes-in-factory",
            """
            from fastmcp import FastMCP
            from starlette.applications import Starlette
            from starlette.routing import Mount

            def create_app(server: FastMCP) -> Starlette:
                http = server.http_app()
                return Starlette(
                    routes=[
                        Mount("/", app=http),
                    ],
                )
            """,
            fixed="""
            from fastmcp import FastMCP
            from starlette.applications import Starlette
            from starlette.routing import Mount

            def create_app(server: FastMCP) -> Starlette:
                http = server.http_app()
                return Starlette(
                    routes=[
                        Mount("/", app=http),
                    ],
                    lifespan=http.lifespan,
                )
            """,
        ),
        Invalid(
            "inline-http-app",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            app = FastAPI()
            app.mount("/mcp", mcp.http_app(path="/"))
            """,
        ),
        Invalid(
            "app-created-before-http-app",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            app = FastAPI()
            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/")
            app.mount("/mcp", mcp_app)
            """,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        analysis = asgi.analyze(node, self.context.names)
        if analysis is None:
            return
        for mount in analysis.mounts:
            http = analysis.http_app(mount.app.value, mount.scope)
            if http is None or not http.streamable:
                continue
            host = analysis.host_call(mount)
            if host is None or host.has_splat:
                continue
            binding = http.binding
            if binding is not None and (
                analysis.lifespan_used(binding) or analysis.escapes(binding)
            ):
                continue
            lifespan = host.keyword("lifespan")
            if lifespan is not None and not analysis.known_lifespan(lifespan.value, host.scope):
                continue
            label = binding.name if binding is not None else _code(mount.app.value)
            host_name = (dotted_name(host.call.func) or "FastAPI").rpartition(".")[2]
            advice = self.named_advice if binding is not None else self.inline_advice
            message = self.message.format(
                app=label, advice=advice.format(app=label, host=host_name)
            )
            self.report(mount.app.value, message, fix=self._fix(analysis, host, binding, lifespan))

    def _fix(
        self,
        analysis: asgi.Analysis,
        host: asgi.AppCall,
        binding: asgi.Binding | None,
        lifespan: cst.Arg | None,
    ) -> Fix | None:
        if binding is None or not analysis.precedes(binding, host.statement):
            return None
        if analysis.lookup(binding.name, host.scope) != [binding]:
            return None
        title = (self.fix_title or "").format(app=binding.name)
        ours = asgi.attribute(binding.name, "lifespan")
        if lifespan is None:
            new = asgi.with_keyword(host.call, "lifespan", ours)
            return Fix(title, replacements=((host.call, new),))
        if self.context.target.major < 3:
            return None  # combine_lifespans arrived in 3.0
        combined = cst.Call(
            func=cst.Name("combine_lifespans"),
            args=[
                cst.Arg(
                    lifespan.value, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
                ),
                cst.Arg(ours),
            ],
        )
        local = next(
            (
                name
                for name, qualified in analysis.names.aliases.items()
                if qualified in asgi.COMBINE_LIFESPANS
            ),
            None,
        )
        imports: tuple[ImportSpec, ...] = ()
        if local is not None:
            combined = combined.with_changes(func=cst.Name(local))
        elif "combine_lifespans" in analysis.all_names:
            return None
        else:
            imports = (ImportSpec("fastmcp.utilities.lifespan", "combine_lifespans"),)
        return Fix(
            f"Combine the existing lifespan with `{binding.name}.lifespan`",
            Applicability.UNSAFE,
            replacements=((lifespan.value, combined),),
            add_imports=imports,
        )


def _code(node: cst.CSTNode) -> str:
    return cst.Module([]).code_for_node(node)
