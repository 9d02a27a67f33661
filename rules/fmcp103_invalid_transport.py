from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import imports_fastmcp, literal_argument
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

# The transports each method accepts, by the first release with that set. `run` and
# `run_async` check `transport not in {...}` and raise `ValueError: Unknown transport`
# (source of every 2.x tag; executed in 2.13.3, 2.14.7, 3.0.2, 3.4.10, 4.0.0, 4.1.2).
# `run_http_async` / `http_app` take only the HTTP ones: 3.x+ raise the same
# ValueError, 2.x returns no app and fails later.
RUN_TRANSPORTS: tuple[tuple[str, frozenset[str]], ...] = (
    ("0", frozenset({"stdio", "sse"})),
    ("2.3.0", frozenset({"stdio", "sse", "streamable-http"})),
    ("2.9.0", frozenset({"stdio", "http", "sse", "streamable-http"})),
)
HTTP_TRANSPORTS: tuple[tuple[str, frozenset[str]], ...] = (
    ("0", frozenset({"sse", "streamable-http"})),
    ("2.9.0", frozenset({"http", "sse", "streamable-http"})),
)
# method -> (transport table, position of `transport` when passed positionally)
METHODS: dict[str, tuple[tuple[tuple[str, frozenset[str]], ...], int | None]] = {
    "run": (RUN_TRANSPORTS, 0),
    "run_async": (RUN_TRANSPORTS, 0),
    "run_http_async": (HTTP_TRANSPORTS, None),
    "http_app": (HTTP_TRANSPORTS, None),
}
ORDER = ("stdio", "http", "streamable-http", "sse")


def valid_transports(method: str, version: Version) -> frozenset[str]:
    table, _ = METHODS[method]
    return next(valid for since, valid in reversed(table) if version >= Version(since))


def _normalized(value: str, valid: frozenset[str]) -> str | None:
    """The valid transport a near-miss spelling clearly means, if any."""
    candidate = value.strip().lower().replace("_", "-")
    if candidate in {"streamablehttp", "streamable http"}:
        candidate = "streamable-http"
    if candidate == "http" and "http" not in valid:
        candidate = "streamable-http"  # "http" is the 2.9+ alias of streamable-http
    return candidate if candidate in valid else None


class InvalidTransport(Rule):
    """A transport name that `run()` / `run_async()` / `run_http_async()` do not accept.

    ## What it does
    Flags a string literal passed as `transport` to `run`, `run_async`,
    `run_http_async` or `http_app` of a standalone FastMCP server when the target
    FastMCP version does not accept it. `run` and `run_async` take `"stdio"`, `"http"`,
    `"streamable-http"` and `"sse"` (2.9 and later; `"http"` is an alias of
    `"streamable-http"`; before 2.9 there is no `"http"`, before 2.3 only `"stdio"` and
    `"sse"`). `run_http_async` and `http_app` take only the HTTP transports.

    ## Why is this bad?
    The server does not start: `ValueError: Unknown transport: websocket` (verified
    2.13.3 to 4.1.2 with `"websocket"`, `"ws"`, `"HTTP"`, `"streamable_http"`).
    FastMCP has no WebSocket server transport, the names are case-sensitive and use a
    hyphen. Guides sometimes claim a mismatch surfaces as `ConnectionError: Server using
    different transport`; that error does not exist.

    ## Fix safety
    A near-miss spelling of a valid transport (`"HTTP"`, `"streamable_http"`,
    `"Stdio"`, or `"http"` on releases before 2.9) is replaced with the valid name. This
    is safe: the original call always raised. Other values (`"websocket"`, `"grpc"`)
    are reported only.
    """

    code = "FMCP103"
    severity = Severity.ERROR
    message = '`transport="{value}"` is not valid for `{call}()` on FastMCP {version} ({consequence}); valid transports are {valid}'
    fix_title = "Use the transport's valid name"
    documented_errors = (7,)
    references = (
        "https://gofastmcp.com/deployment/running-server",
        "https://gofastmcp.com/deployment/http",
    )

    # Only `<server>.run/run_async/run_http_async(...)` and `<server>.http_app(...)` are checked.
    needles = (".run", ".http_app")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # An invalid literal `transport` of one of METHODS, in a module importing
        # fastmcp (servers resolve only through such an import).
        for node in every_node(tree):
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
                method = node.func.attr
                if method in METHODS:
                    value = literal_argument(node, "transport", METHODS[method][1])
                    if value is not None and value not in valid_transports(method, context.target):
                        return imports_fastmcp(tree)
        return False

    VALID = [
        Valid(
            "valid-transports",
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            app = mcp.http_app(transport="sse")

            if __name__ == "__main__":
                mcp.run()
                mcp.run("stdio")
                mcp.run(transport="http", host="0.0.0.0", port=8000)
                mcp.run(transport="streamable-http")
                asyncio.run(mcp.run_async(transport="sse"))
                asyncio.run(mcp.run_http_async(transport="http", port=8000))
            """,
        ),
        Valid(
            "sdk-fastmcp",
            """
            from mcp.server.fastmcp import FastMCP

            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run(transport="websocket")
            """,
            fastmcp_version="3.4",
        ),
        Valid(
            "not-a-literal-and-other-objects",
            """
            import os
            import uvicorn
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            transport = os.environ.get("TRANSPORT", "stdio")

            if __name__ == "__main__":
                mcp.run(transport=transport)
                mcp.run(transport=f"{transport}")
                uvicorn.run("app:app", transport="websocket")
            """,
        ),
        Valid(
            "streamable-http-on-2.8",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run(transport="streamable-http")
            """,
            fastmcp_version="2.8.1",
        ),
    ]
    INVALID = [
        Invalid(
            "websocket",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run(transport="websocket", port=8765)
            """,
        ),
        Invalid(
            "near-miss-spellings",
            """
            import asyncio
            import fastmcp

            server = fastmcp.FastMCP("demo")

            async def main() -> None:
                await server.run_async("Streamable_HTTP")

            if __name__ == "__main__":
                server.run(transport="HTTP", port=8000)
            """,
            count=2,
            fixed="""
            import asyncio
            import fastmcp

            server = fastmcp.FastMCP("demo")

            async def main() -> None:
                await server.run_async("streamable-http")

            if __name__ == "__main__":
                server.run(transport="http", port=8000)
            """,
        ),
        Invalid(
            "stdio-on-http-runner",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            app = mcp.http_app(transport="stdio")
            """,
        ),
        Invalid(
            "http-before-2.9",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run(transport="http")
            """,
            fastmcp_version="2.8.1",
            fixed="""
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run(transport="streamable-http")
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not isinstance(func, cst.Attribute) or func.attr.value not in METHODS:
            return
        if not self.context.names.is_server(func.value):
            return
        method = func.attr.value
        argument = self._transport_argument(node, method)
        if argument is None or not isinstance(argument.value, cst.SimpleString):
            return
        literal = argument.value
        value = literal.evaluated_value
        if not isinstance(value, str):
            return
        target = self.context.target
        valid = valid_transports(method, target)
        if value in valid:
            return
        if method in ("run", "run_async") or target.major >= 3:
            consequence = f"`ValueError: Unknown transport: {value}`"
        else:
            consequence = "no HTTP app is created and the server fails to start"
        message = self.message.format(
            call=dotted_name(func) or method,
            value=value,
            version=target,
            consequence=consequence,
            valid=", ".join(f'"{t}"' for t in ORDER if t in valid),
        )
        self.report(argument, message, fix=self._fix(literal, value, valid))

    def _transport_argument(self, node: cst.Call, method: str) -> cst.Arg | None:
        _, position = METHODS[method]
        positional = []
        for arg in node.args:
            if arg.star:
                return None
            if arg.keyword is None:
                positional.append(arg)
            elif arg.keyword.value == "transport":
                return arg
        if position is not None and position < len(positional):
            return positional[position]
        return None

    def _fix(self, literal: cst.SimpleString, value: str, valid: frozenset[str]) -> Fix | None:
        fixed = _normalized(value, valid)
        if fixed is None:
            return None
        quote = literal.quote if literal.quote in ('"', "'") else '"'
        replacement = cst.SimpleString(f"{quote}{fixed}{quote}")
        return Fix(self.fix_title or "", replacements=((literal, replacement),))
