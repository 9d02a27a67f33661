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
from fastmcp_kit.lint.rule import Fix, ImportSpec, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.lint.walk import walk

REQUESTS_FUNCTIONS = ("get", "post", "put", "patch", "delete", "head", "options", "request")
BLOCKING = frozenset(
    {
        "time.sleep",
        "urllib.request.urlopen",
        "subprocess.run",
        "subprocess.call",
        "subprocess.check_call",
        "subprocess.check_output",
        *(f"requests.{name}" for name in REQUESTS_FUNCTIONS),
        *(f"requests.api.{name}" for name in REQUESTS_FUNCTIONS),
    }
)
BLOCKING_NAMES = frozenset(name.rpartition(".")[2] for name in BLOCKING)

COMPREHENSIONS: tuple[type[cst.BaseExpression], ...] = (
    cst.GeneratorExp,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
)


class _Calls(cst.CSTVisitor):
    def __init__(self) -> None:
        super().__init__()
        self.found: list[cst.Call] = []

    def visit_Call(self, node: cst.Call) -> None:
        self.found.append(node)


def _calls_in(node: cst.CSTNode) -> list[cst.Call]:
    collector = _Calls()
    walk(node, collector)
    return collector.found


def _calls_in_comprehensions(function: cst.FunctionDef) -> set[int]:
    """Calls inside comprehensions and generator expressions: `await` there would turn
    them asynchronous, so `time.sleep` in them gets no fix."""
    return {
        id(call)
        for kind in COMPREHENSIONS
        for comprehension in direct_nodes(function, kind)
        for call in _calls_in(comprehension)
    }


class BlockingCallInAsyncComponent(Rule):
    """A blocking call (`time.sleep`, `requests.get`, `subprocess.run`, ...) in an async tool, resource or prompt.

    ## What it does
    In an `async def` registered with a standalone FastMCP server (`@mcp.tool`,
    `@mcp.resource(...)`, `@mcp.prompt`), flags direct calls of well-known blocking
    functions: `time.sleep`, `requests.get/post/put/patch/delete/head/options/request`,
    `urllib.request.urlopen` and `subprocess.run/call/check_call/check_output`
    (resolved through imports, so `from time import sleep` counts). Calls inside
    nested functions and lambdas (for example helpers handed to `asyncio.to_thread`,
    `anyio.to_thread.run_sync` or `loop.run_in_executor`) and sync components are not
    flagged.

    ## Why is this bad?
    FastMCP runs async components on the server's event loop. A blocking call stops
    the loop, so every other request, notification and heartbeat of the server waits
    until it returns. Verified with two concurrent calls, one to an async tool doing
    `time.sleep(1)` and one to a trivial tool: the trivial call took 1 s in 2.14.7,
    3.4.10 and 4.1.2. (Sync tools run in a worker thread in 3.x/4.x and do not block.)
    Use the async equivalent (`await asyncio.sleep`, `httpx.AsyncClient`,
    `asyncio.create_subprocess_exec`), run the blocking call with
    `await asyncio.to_thread(...)`, or make the component a plain `def` on 3.x+.

    ## Fix safety
    `time.sleep(x)` becomes `await asyncio.sleep(x)` (adding `import asyncio`). This is
    safe: it waits as long and returns `None` too, without blocking the loop. No fix is
    offered inside a comprehension or generator expression (an `await` would make it
    asynchronous) or when the name `asyncio` is bound to something else. The other
    calls have no drop-in async equivalent and are reported only.
    """

    code = "FMCP205"
    severity = Severity.WARNING
    message = "`{call}()` blocks the event loop in async {kind} `{function}`; every other request waits until it returns ({hint})"
    fix_title = "Use `await asyncio.sleep(...)`"
    documented_errors = (2,)
    references = ("https://gofastmcp.com/servers/tools#async-support",)

    # Each blocking call resolves through an import naming its module or function.
    needles = ("sleep", "requests", "urlopen", "subprocess")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # An async component function calling something named like a BLOCKING function
        # (or an import alias of one), in a module importing fastmcp.
        blocking: frozenset[str] | None = None
        for function in component_functions(tree):
            if isinstance(function, ast.AsyncFunctionDef):
                blocking = blocking or local_names_for(tree, BLOCKING_NAMES)
                if any(
                    isinstance(node, ast.Call) and last_identifier(node.func) in blocking
                    for node in ast.walk(function)
                ):
                    return imports_fastmcp(tree)
        return False

    VALID = [
        Valid(
            "offloaded-and-async",
            """
            import asyncio
            import subprocess
            import time

            import anyio
            import httpx
            import requests
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def fetch(url: str) -> str:
                async with httpx.AsyncClient() as client:
                    response = await client.get(url)
                await asyncio.sleep(1)
                return response.text

            @mcp.tool
            async def offloaded(url: str) -> str:
                def download() -> str:
                    time.sleep(1)
                    return requests.get(url).text

                text = await asyncio.to_thread(download)
                more = await anyio.to_thread.run_sync(lambda: requests.get(url).text)
                loop = asyncio.get_running_loop()
                out = await loop.run_in_executor(None, subprocess.check_output, ["ls"])
                return text + more + out.decode()
            """,
        ),
        Valid(
            "sync-component",
            """
            import time
            import requests
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def fetch(url: str) -> str:
                time.sleep(1)
                return requests.get(url).text
            """,
        ),
        Valid(
            "not-registered-or-not-fastmcp",
            """
            import time
            from fastapi import FastAPI
            from mcp.server.fastmcp import FastMCP

            app = FastAPI()
            sdk = FastMCP("sdk")

            async def helper() -> None:
                time.sleep(1)

            @app.get("/")
            async def index() -> str:
                time.sleep(1)
                return "ok"

            @sdk.tool()
            async def sdk_tool() -> str:
                time.sleep(1)
                return "not standalone FastMCP"
            """,
        ),
        Valid(
            "same-names-other-modules",
            """
            from fastmcp import FastMCP
            from mylib import requests, time

            mcp = FastMCP("demo")

            @mcp.tool
            async def ok() -> str:
                time.sleep(1)
                return requests.get("x")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "time-sleep",
            """
            import time
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def wait(seconds: float) -> str:
                time.sleep(seconds)
                return "done"
            """,
            fixed="""
            import asyncio
            import time

            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def wait(seconds: float) -> str:
                await asyncio.sleep(seconds)
                return "done"
            """,
        ),
        Invalid(
            "requests-urlopen-subprocess",
            """
            import subprocess
            import requests as http
            from urllib.request import urlopen
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.resource("data://status")
            async def status() -> str:
                page = urlopen("https://example.com").read()
                return http.get("https://example.com/api").text

            @mcp.prompt
            async def listing() -> str:
                return subprocess.check_output(["ls"]).decode()
            """,
            count=3,
        ),
        Invalid(
            "sleep-in-comprehension-no-fix",
            """
            import time
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def poll(n: int) -> list:
                return [time.sleep(0.1) for _ in range(n)]
            """,
        ),
        Invalid(
            "from-import-sleep-in-expression",
            """
            from time import sleep
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool()
            async def wait() -> None:
                result = sleep(1)
                if True:
                    sleep(2)
            """,
            count=2,
            fixed="""
            import asyncio
            from time import sleep

            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool()
            async def wait() -> None:
                result = await asyncio.sleep(1)
                if True:
                    await asyncio.sleep(2)
            """,
        ),
    ]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        if node.asynchronous is None:
            return
        components = list(self.context.names.component_decorators(node))
        if not components:
            return
        names = self.context.names
        in_comprehension: set[int] | None = None
        for call in direct_nodes(node, cst.Call):
            qualified = names.qualified_name(call.func)
            if qualified not in BLOCKING:
                continue
            is_sleep = qualified == "time.sleep"
            hint = (
                "use `await asyncio.sleep(...)`"
                if is_sleep
                else "use an async library or `await asyncio.to_thread(...)`"
            )
            message = self.message.format(
                call=dotted_name(call.func) or qualified,
                kind=components[0].kind,
                function=node.name.value,
                hint=hint,
            )
            if is_sleep and in_comprehension is None:
                in_comprehension = _calls_in_comprehensions(node)
            fixable = is_sleep and id(call) not in (in_comprehension or set())
            self.report(call, message, fix=self._sleep_fix(call) if fixable else None)

    def _sleep_fix(self, call: cst.Call) -> Fix | None:
        names = self.context.names
        local = next(
            (n for n, q in names.aliases.items() if q == "asyncio" and n == "asyncio"), None
        )
        add: tuple[ImportSpec, ...] = ()
        if local is None:
            if "asyncio" in names.module_bindings or "asyncio" in names.aliases:
                return None
            local, add = "asyncio", (ImportSpec("asyncio"),)
        func = cst.Attribute(value=cst.Name(local), attr=cst.Name("sleep"))
        replacement = cst.Await(expression=call.with_changes(func=func))
        return Fix(self.fix_title or "", replacements=((call, replacement),), add_imports=add)
