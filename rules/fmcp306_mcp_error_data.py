from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Severity

MCP_ERROR = frozenset(
    {
        "fastmcp.exceptions.McpError",
        "mcp.McpError",
        "mcp.MCPError",
        "mcp.shared.exceptions.McpError",
        "mcp.shared.exceptions.MCPError",
    }
)
# Names mcp 2.x (FastMCP 4) no longer exports: the class is `MCPError` there.
RENAMED = frozenset({"mcp.McpError", "mcp.shared.exceptions.McpError"})
ERROR_DATA = frozenset(
    {
        "mcp.ErrorData",
        "mcp.types.ErrorData",
        "mcp.shared.exceptions.ErrorData",
        "mcp_types.ErrorData",
        "mcp_types.jsonrpc.ErrorData",
    }
)
FIELDS = frozenset({"code", "message", "data"})


class McpErrorData(Rule):
    """`McpError(ErrorData(...))` on FastMCP 4, where the constructor takes `code` and `message`.

    ## What it does
    On FastMCP 4.x, flags `McpError(ErrorData(...))` (also `McpError(error=ErrorData(...))`)
    where `McpError` is `fastmcp.exceptions.McpError` or the MCP SDK's
    `McpError`/`MCPError`, and `ErrorData` is the SDK's (`mcp.types`, `mcp_types`).

    ## Why is this bad?
    FastMCP 4 is built on MCP SDK 2, whose `MCPError` (re-exported as
    `fastmcp.exceptions.McpError`) is constructed as `MCPError(code, message,
    data=None)`. Wrapping an `ErrorData` fails where the error is raised:
    `TypeError: MCPError.__init__() missing 1 required positional argument:
    'message'` (verified 4.0.0 and 4.1.2), so the client gets a generic error
    instead of your code and message. The old form is the only one 3.x accepts
    (`McpError(code=...)` raises `TypeError: ... unexpected keyword argument 'code'`
    in 3.4.10), so code shared between 3.x and 4.x needs a version switch. Catching
    is unchanged: `err.error.code` still works. The SDK also renamed the class:
    `from mcp.shared.exceptions import McpError` fails on 4.x; import `McpError` from
    `fastmcp.exceptions` (or `MCPError` from `mcp`).

    ## Fix safety
    `McpError(ErrorData(code=C, message=M, data=D))` becomes
    `McpError(code=C, message=M, data=D)`. This is safe: 4.x builds the same
    `ErrorData` from those arguments (verified `.error` and `str()` of both forms).
    No fix is offered when `ErrorData(...)` has positional or other arguments.
    """

    code = "FMCP306"
    severity = Severity.ERROR
    message = "`{call}(ErrorData(...))` raises `TypeError: MCPError.__init__() missing 1 required positional argument: 'message'` on MCP SDK 2 (FastMCP 4); pass `code=` and `message=` (and `data=`) directly{rename}"
    fix_title = "Pass `code`, `message` and `data` to the exception directly"
    documented_errors = ()
    fastmcp_versions = ">=4"
    # MCPError's signature is the SDK's: judged by the `mcp` release (2.x since FastMCP 4).
    mcp_versions = ">=2"
    references = ("https://gofastmcp.com/getting-started/upgrading/from-fastmcp-3",)

    # The wrapped argument is always the SDK's `ErrorData`, named in its import.
    needles = ("ErrorData",)

    VALID = [
        Valid(
            "new-form",
            """
            from fastmcp.exceptions import McpError
            from mcp import MCPError

            def fail() -> None:
                raise McpError(code=-32000, message="boom", data={"id": 1})

            def fail_again() -> None:
                raise MCPError(-32602, "bad params")
            """,
        ),
        Valid(
            # An SDK-only project on mcp 1.x: the wrapped form is the only one it takes.
            "sdk-only-project-on-mcp-1",
            """
            from mcp.server.fastmcp import FastMCP
            from mcp.shared.exceptions import McpError
            from mcp.types import ErrorData

            mcp = FastMCP("sdk")

            @mcp.tool()
            def fail() -> None:
                raise McpError(ErrorData(code=-32000, message="boom"))
            """,
            mcp_version="1.22",
        ),
        Valid(
            "old-form-on-3x",
            """
            from fastmcp.exceptions import McpError
            from mcp.types import ErrorData

            def fail() -> None:
                raise McpError(ErrorData(code=-32000, message="boom"))
            """,
            fastmcp_version="3.4",
        ),
        Valid(
            "other-error-classes",
            """
            from myproject.errors import McpError, ErrorData

            def fail() -> None:
                raise McpError(ErrorData(code=1, message="x"))
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "error-data-wrapped",
            """
            from fastmcp.exceptions import McpError
            from mcp.types import ErrorData, INVALID_PARAMS

            def check(x: int) -> None:
                if x < 0:
                    raise McpError(ErrorData(code=INVALID_PARAMS, message="x must be >= 0", data={"x": x}))
            """,
            fixed="""
            from fastmcp.exceptions import McpError
            from mcp.types import ErrorData, INVALID_PARAMS

            def check(x: int) -> None:
                if x < 0:
                    raise McpError(code=INVALID_PARAMS, message="x must be >= 0", data={"x": x})
            """,
        ),
        Invalid(
            "sdk-path-and-keyword",
            """
            import mcp.types as types
            from mcp.shared.exceptions import MCPError

            def fail() -> None:
                raise MCPError(error=types.ErrorData(code=-32000, message="boom"))
            """,
            fixed="""
            import mcp.types as types
            from mcp.shared.exceptions import MCPError

            def fail() -> None:
                raise MCPError(code=-32000, message="boom")
            """,
        ),
        Invalid(
            # An SDK-only project whose mcp is 2.x: the SDK's own MCPError, same TypeError.
            "sdk-only-project-on-mcp-2",
            """
            from mcp import MCPError
            from mcp.types import ErrorData

            def fail() -> None:
                raise MCPError(ErrorData(code=-32000, message="boom"))
            """,
            fixed="""
            from mcp import MCPError
            from mcp.types import ErrorData

            def fail() -> None:
                raise MCPError(code=-32000, message="boom")
            """,
            mcp_version="2.3",
        ),
        Invalid(
            "positional-error-data-no-fix",
            """
            from mcp.shared.exceptions import McpError
            from mcp.types import ErrorData

            data = {"code": 1, "message": "x"}
            error = McpError(ErrorData(**data))
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        names = self.context.names
        qualified = names.qualified_name(node.func)
        if qualified not in MCP_ERROR or len(node.args) != 1:
            return
        arg = node.args[0]
        if arg.star or (arg.keyword is not None and arg.keyword.value != "error"):
            return
        inner = arg.value
        if not isinstance(inner, cst.Call) or names.qualified_name(inner.func) not in ERROR_DATA:
            return
        rename = ""
        if qualified in RENAMED:
            rename = "; mcp 2.x also renamed the class to `MCPError` (`from fastmcp.exceptions import McpError` works in every version)"
        message = self.message.format(call=dotted_name(node.func) or "McpError", rename=rename)
        self.report(node, message, fix=self._fix(node, inner))

    def _fix(self, node: cst.Call, inner: cst.Call) -> Fix | None:
        keywords = [arg.keyword.value for arg in inner.args if arg.keyword is not None]
        if (
            len(keywords) != len(inner.args)
            or any(arg.star for arg in inner.args)
            or not {"code", "message"} <= set(keywords)
            or not set(keywords) <= FIELDS
        ):
            return None
        args = [arg.with_changes(comma=cst.MaybeSentinel.DEFAULT) for arg in inner.args]
        replacement = node.with_changes(args=args)
        return Fix(self.fix_title or "", replacements=((node, replacement),))
