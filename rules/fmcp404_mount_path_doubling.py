from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint import asgi
from fastmcp_kit.lint.rule import Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Severity


def _segments(path: str) -> list[str]:
    return [segment for segment in path.split("/") if segment]


class MountPathDoubling(Rule):
    """A FastMCP `http_app()` mounted so that its endpoint repeats the mount path (`/mcp/mcp`).

    ## What it does
    Flags `app.mount("/mcp", mcp.http_app())` and `Mount("/mcp", app=mcp_app)` when
    the app's own endpoint path (its `path=`, by default `/mcp`, or `/sse` for the SSE
    transport) starts with the last segment of the mount path, so the endpoint
    becomes `/mcp/mcp`. Prefixes that do not repeat (`/analytics` + `/mcp` =
    `/analytics/mcp`, as in the FastMCP docs) are not flagged.

    ## Why is this bad?
    `http_app()` serves its endpoint *below* the mount point. With the default path,
    mounting at `/mcp` serves only `/mcp/mcp`; clients configured with `/mcp` get 404
    or a redirect they do not follow (verified 2.13.3 to 4.1.2 with FastAPI and
    Starlette). Use `mcp.http_app(path="/")` to serve the endpoint at the mount path.

    ## Fix safety
    No fix is offered: changing `path=` changes the public URL, and some deployments
    already point clients at `/mcp/mcp`. The server's default path can also be changed
    with the `FASTMCP_STREAMABLE_HTTP_PATH` setting, which this rule cannot see.
    """

    code = "FMCP404"
    severity = Severity.WARNING
    message = '`{app}` serves `{inner}` below the mount path `{outer}`, so the MCP endpoint is `{full}`; use `http_app(path="/")` to serve it at `{outer}`'
    documented_errors = (29,)
    references = (
        "https://gofastmcp.com/integrations/fastapi",
        "https://gofastmcp.com/deployment/http",
    )

    # The mounted app comes from `<server>.http_app()`, `.streamable_http_app()` or `.sse_app()`.
    needles = ("http_app", "sse_app")

    VALID = [
        Valid(
            "path-slash",
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
            "distinct-prefix",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("Analytics Tools")
            mcp_app = mcp.http_app(path="/mcp")
            app = FastAPI(lifespan=mcp_app.lifespan)
            app.mount("/analytics", mcp_app)
            """,
        ),
        Valid(
            "root-mount",
            """
            from fastmcp import FastMCP
            from starlette.applications import Starlette
            from starlette.routing import Mount

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app()
            app = Starlette(routes=[Mount("/", app=mcp_app)], lifespan=mcp_app.lifespan)
            """,
        ),
        Valid(
            "non-literal-path",
            """
            import os
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path=os.environ["MCP_PATH"])
            app = FastAPI(lifespan=mcp_app.lifespan)
            app.mount("/mcp", mcp_app)
            """,
        ),
        Valid(
            "sdk-server",
            """
            from fastapi import FastAPI
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("sdk")
            app = FastAPI()
            app.mount("/mcp", mcp.streamable_http_app())
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "default-path-at-mcp",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app()
            app = FastAPI(lifespan=mcp_app.lifespan)
            app.mount("/mcp", mcp_app)
            """,
        ),
        Invalid(
            "explicit-same-path",
            """
            from fastmcp import FastMCP
            from starlette.applications import Starlette
            from starlette.routing import Mount

            mcp = FastMCP("srv")
            mcp_app = mcp.http_app(path="/mcp/")
            app = Starlette(routes=[Mount("/api/mcp", app=mcp_app)], lifespan=mcp_app.lifespan)
            """,
        ),
        Invalid(
            "sse-default-path",
            """
            from fastapi import FastAPI
            from fastmcp import FastMCP

            mcp = FastMCP("srv")
            app = FastAPI()
            app.mount("/sse", mcp.http_app(transport="sse"))
            """,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        analysis = asgi.analyze(node, self.context.names)
        if analysis is None:
            return
        for mount in analysis.mounts:
            outer = asgi.literal_string(mount.path)
            http = analysis.http_app(mount.app.value, mount.scope)
            if outer is None or http is None or http.path is None:
                continue
            outer_segments, inner_segments = _segments(outer), _segments(http.path)
            if not outer_segments or not inner_segments:
                continue
            if outer_segments[-1] != inner_segments[0]:
                continue
            label = http.binding.name if http.binding is not None else "http_app()"
            full = "/" + "/".join(outer_segments + inner_segments)
            self.report(
                mount.path or mount.call,
                self.message.format(
                    app=label, inner=http.path, outer=outer.rstrip("/") or "/", full=full
                ),
            )
