from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Severity

CREATE_PROXY_PATHS = frozenset(
    {"fastmcp.server.create_proxy", "fastmcp.server.server.create_proxy"}
)


class ServerAsProxyRemoved(Rule):
    """`FastMCP.as_proxy(...)`, removed in FastMCP 4.0 in favour of `create_proxy(...)`.

    ## What it does
    Flags calls to the `as_proxy` class method of a standalone FastMCP server class
    (`FastMCP.as_proxy(backend)`, under any alias) when the project targets 4.x.

    ## Why is this bad?
    `as_proxy` was deprecated in 3.0 and removed in 4.0: the module fails to import
    with `AttributeError: type object 'FastMCP' has no attribute 'as_proxy'` (verified
    4.0.0, 4.1.2). `fastmcp.server.create_proxy(target, **settings)` takes the same
    backends and settings (its first parameter is named `target` instead of
    `backend`).

    ## Fix safety
    The fix calls `create_proxy` with the same arguments (renaming a `backend=`
    keyword to `target=`) and imports it from `fastmcp.server`. Both build the same
    proxy server, so the fix is safe. No fix when the name `create_proxy` is already
    taken by something else.
    """

    code = "FMCP310"
    severity = Severity.ERROR
    message = "`FastMCP.as_proxy()` was removed in FastMCP 4.0; use `fastmcp.server.create_proxy()`"
    fix_title = "Use `create_proxy(...)`"
    fastmcp_versions = ">=4"
    references = (
        "https://gofastmcp.com/servers/providers/proxy",
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-3",
    )

    # Only `<server class>.as_proxy(...)` calls are reported.
    needles = ("as_proxy",)

    VALID = [
        Valid(
            "create-proxy",
            """
            from fastmcp.server import create_proxy

            proxy = create_proxy("http://localhost:8000/mcp")
            """,
        ),
        Valid(
            "as-proxy-on-3x",
            """
            from fastmcp import FastMCP

            proxy = FastMCP.as_proxy("http://localhost:8000/mcp")
            """,
            fastmcp_version="3.4",
        ),
        Valid(
            "unrelated-as-proxy",
            """
            from mylib import Gateway

            proxy = Gateway.as_proxy("x")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "as-proxy",
            """
            from fastmcp import FastMCP

            proxy = FastMCP.as_proxy("http://localhost:8000/mcp", name="remote")
            """,
            fixed="""
            from fastmcp import FastMCP
            from fastmcp.server import create_proxy

            proxy = create_proxy("http://localhost:8000/mcp", name="remote")
            """,
        ),
        Invalid(
            "backend-keyword-and-alias",
            """
            import fastmcp as fm

            proxy = fm.FastMCP.as_proxy(backend="config.json")
            """,
            fixed="""
            import fastmcp as fm
            from fastmcp.server import create_proxy

            proxy = create_proxy(target="config.json")
            """,
        ),
        Invalid(
            "create-proxy-name-taken",
            """
            from fastmcp import FastMCP
            from mylib import create_proxy

            proxy = FastMCP.as_proxy("http://localhost:8000/mcp")
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        names = self.context.names
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "as_proxy"
            and names.is_server_class(func.value)
        ):
            self.report(node, fix=self._fix(node))

    def _fix(self, node: cst.Call) -> Fix | None:
        names = self.context.names
        local = next((n for n, q in names.aliases.items() if q in CREATE_PROXY_PATHS), None)
        imports: tuple[ImportSpec, ...] = ()
        if local is None:
            if "create_proxy" in names.module_bindings:
                return None
            local, imports = "create_proxy", (ImportSpec("fastmcp.server", "create_proxy"),)
        args = [
            arg.with_changes(keyword=cst.Name("target"))
            if arg.keyword is not None and arg.keyword.value == "backend"
            else arg
            for arg in node.args
        ]
        call = node.with_changes(func=cst.Name(local), args=args)
        return Fix(self.fix_title or "", replacements=((node, call),), add_imports=imports)
