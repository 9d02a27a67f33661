from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_names import (
    component_functions,
    imports_fastmcp,
    last_identifier,
    local_names_for,
)
from fastmcp_kit.lint.body_walk import direct_nodes
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity


class AsyncioRunInSyncComponent(Rule):
    """`asyncio.run(...)` inside a sync tool, resource or prompt on FastMCP 2.x.

    ## What it does
    On FastMCP 2.x targets, flags a direct `asyncio.run(...)` call in a plain `def`
    registered with a standalone FastMCP server (`@mcp.tool`, `@mcp.resource(...)`,
    `@mcp.prompt`). Calls in nested functions are not flagged.

    ## Why is this bad?
    FastMCP 2.x calls sync components on the event-loop thread, so `asyncio.run()`
    finds a running loop and every call fails: `ToolError: Error calling tool 't':
    asyncio.run() cannot be called from a running event loop` (resources and prompts
    fail the same way; verified 2.13.3 and 2.14.7). FastMCP 3.0 moved sync components
    to a worker thread, where the same code works (verified 3.0.2, 3.4.10, 4.1.2), so
    the rule is limited to 2.x. Make the component `async def` and `await` the
    coroutine instead.

    ## Fix safety
    There is no fix: turning the function into a coroutine function changes how other
    code may call it.
    """

    code = "FMCP206"
    severity = Severity.ERROR
    message = "`{call}()` in sync {kind} `{function}` fails on FastMCP 2.x (`RuntimeError: asyncio.run() cannot be called from a running event loop`): sync components run on the event-loop thread; make it `async def` and `await` the coroutine"
    documented_errors = (2,)
    fastmcp_versions = "<3"
    references = ("https://gofastmcp.com/servers/tools#async-support",)

    # `asyncio.run` resolves only through an import of `asyncio`.
    needles = ("asyncio",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A sync component function calling something named `run` (or an import alias of
        # `asyncio.run`), in a module importing fastmcp.
        runs: frozenset[str] | None = None
        for function in component_functions(tree):
            if isinstance(function, ast.FunctionDef):
                runs = runs or local_names_for(tree, ("run",))
                if any(
                    isinstance(node, ast.Call) and last_identifier(node.func) in runs
                    for node in ast.walk(function)
                ):
                    return imports_fastmcp(tree)
        return False

    VALID = [
        Valid(
            "async-component",
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def fetch() -> str:
                return "data"

            @mcp.tool
            async def get() -> str:
                return await fetch()

            def main() -> None:
                asyncio.run(mcp.run_async())
            """,
        ),
        Valid(
            "nested-thread-helper-and-sdk",
            """
            import asyncio
            import threading
            from fastmcp import FastMCP
            from mcp.server.fastmcp import FastMCP as SDKServer

            mcp = FastMCP("demo")
            sdk = SDKServer("sdk")

            async def fetch() -> str:
                return "data"

            @mcp.tool
            def get() -> str:
                def worker() -> None:
                    asyncio.run(fetch())
                threading.Thread(target=worker).start()
                return "started"

            @sdk.tool()
            def sdk_tool() -> str:
                return asyncio.run(fetch())
            """,
        ),
        Valid(
            "works-on-3x",
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def fetch() -> str:
                return "data"

            @mcp.tool
            def get() -> str:
                return asyncio.run(fetch())
            """,
            fastmcp_version="3.4",
        ),
    ]
    INVALID = [
        Invalid(
            "sync-tool-and-resource",
            """
            import asyncio
            from asyncio import run
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def fetch() -> str:
                return "data"

            @mcp.tool
            def get() -> str:
                return asyncio.run(fetch())

            @mcp.resource("data://latest")
            def latest() -> str:
                if True:
                    return run(fetch())
                return ""
            """,
            fastmcp_version="2.14",
            count=2,
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is not None:
            return
        components = list(self.context.names.component_decorators(node))
        if not components:
            return
        names = self.context.names
        for call in direct_nodes(node, cst.Call):
            if names.qualified_name(call.func) != "asyncio.run":
                continue
            message = self.message.format(
                call=dotted_name(call.func) or "asyncio.run",
                kind=components[0].kind,
                function=node.name.value,
            )
            self.report(call, message)
