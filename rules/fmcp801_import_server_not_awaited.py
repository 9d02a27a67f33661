from __future__ import annotations

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

# Scope kinds on the stack: an `async def`, a plain `def`, or a class body.
_ASYNC, _SYNC, _CLASS = "async", "sync", "class"


class ImportServerNotAwaited(Rule):
    """`server.import_server(...)` called without `await`, so nothing is imported.

    ## What it does
    Flags a statement that calls `import_server(...)` on a standalone FastMCP server and
    discards the result, e.g. `main.import_server(sub, "api")` on a line of its own.

    ## Why is this bad?
    `FastMCP.import_server` is a coroutine function in every release that has it (2.2
    to 3.x). Calling it without `await` only creates a coroutine object: the
    sub-server's tools, resources and prompts are never copied, the parent serves an
    empty list, and Python prints `RuntimeWarning: coroutine 'FastMCP.import_server'
    was never awaited` (verified 2.13.3, 2.14.7, 3.0.2 and 3.4.10). The method was
    deprecated in 3.0 and removed in 4.0 (see FMCP802).

    ## Fix safety
    Inside an `async def` the fix adds `await`, which is what the call needs to do
    anything at all, so it is safe. At module level or in a plain `def` no fix is
    offered: await it from an async set-up function, or switch to the synchronous
    `mount()` (a live link rather than a one-time copy; see FMCP802).
    """

    code = "FMCP801"
    severity = Severity.ERROR
    message = (
        "`{call}(...)` is a coroutine and is never awaited here, so nothing is imported; {advice}"
    )
    fix_title = "Add `await`"
    documented_errors = (20,)
    fastmcp_versions = ">=2.2,<4"
    references = ("https://gofastmcp.com/servers/composition",)

    # Only `<server>.import_server(...)` statements are checked.
    needles = ("import_server",)

    VALID = [
        Valid(
            "awaited-in-setup",
            """
            import asyncio
            from fastmcp import FastMCP

            main = FastMCP("main")
            sub = FastMCP("sub")

            async def setup() -> None:
                await main.import_server(sub, prefix="sub")

            if __name__ == "__main__":
                asyncio.run(setup())
                main.run()
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "passed-to-a-runner",
            """
            import asyncio
            from fastmcp import FastMCP

            main = FastMCP("main")
            sub = FastMCP("sub")

            async def setup(subs) -> None:
                await asyncio.gather(*(main.import_server(s) for s in subs))

            if __name__ == "__main__":
                asyncio.run(main.import_server(sub))
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "mount-is-synchronous",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            sub = FastMCP("sub")
            main.mount(sub, "sub")
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "not-a-fastmcp-server",
            """
            from myproject.registry import Registry

            registry = Registry()
            registry.import_server(config)
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "starlette-app",
            """
            from starlette.applications import Starlette

            app = Starlette()
            app.import_server("x")
            """,
            fastmcp_version="2.14",
        ),
    ]
    INVALID = [
        Invalid(
            "async-function",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            weather = FastMCP("weather")

            async def setup() -> None:
                main.import_server(weather, prefix="weather")
            """,
            fixed="""
            from fastmcp import FastMCP

            main = FastMCP("main")
            weather = FastMCP("weather")

            async def setup() -> None:
                await main.import_server(weather, prefix="weather")
            """,
            fastmcp_version="2.14",
        ),
        Invalid(
            "module-level-no-fix",
            """
            from fastmcp import FastMCP

            main = FastMCP("main")
            sub = FastMCP("sub")
            main.import_server(sub)
            """,
            fastmcp_version="2.14",
        ),
        Invalid(
            "sync-function-no-fix-3x",
            """
            import fastmcp

            def build(sub: fastmcp.FastMCP) -> fastmcp.FastMCP:
                server = fastmcp.FastMCP("main")
                server.import_server(sub, "sub")
                return server
            """,
        ),
        Invalid(
            "attribute-server-in-method",
            """
            from fastmcp import FastMCP

            class Gateway:
                def __init__(self) -> None:
                    self.mcp = FastMCP("gateway")

                async def add(self, sub: FastMCP) -> None:
                    self.mcp.import_server(sub)
            """,
            fixed="""
            from fastmcp import FastMCP

            class Gateway:
                def __init__(self) -> None:
                    self.mcp = FastMCP("gateway")

                async def add(self, sub: FastMCP) -> None:
                    await self.mcp.import_server(sub)
            """,
            fastmcp_version="3.4",
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.scopes: list[str] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.append(_ASYNC if node.asynchronous is not None else _SYNC)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.append(_CLASS)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    def visit_Expr(self, node: cst.Expr) -> None:
        call = node.value
        if not isinstance(call, cst.Call) or not isinstance(call.func, cst.Attribute):
            return
        func = call.func
        if func.attr.value != "import_server" or not self.context.names.is_server(func.value):
            return
        receiver = dotted_name(func.value) or "server"
        in_async = bool(self.scopes) and self.scopes[-1] == _ASYNC
        if self.context.target >= Version("3.0"):
            advice = (
                f"`import_server` is deprecated since FastMCP 3.0 (removed in 4.0): "
                f"use `{receiver}.mount(sub, namespace=...)`"
            )
        elif in_async:
            advice = "add `await`"
        else:
            # mount() took (prefix, server) before 2.9 and (server, prefix) since.
            order = "sub, prefix" if self.context.target >= Version("2.9") else "prefix, sub"
            advice = (
                "await it inside an `async def` (e.g. run by `asyncio.run()` before "
                f"`{receiver}.run()`), or use the synchronous `{receiver}.mount({order})`"
            )
        fix = None
        if in_async:
            fix = Fix(self.fix_title or "", replacements=((call, cst.Await(expression=call)),))
        self.report(call, self.message.format(call=dotted_name(func), advice=advice), fix=fix)
