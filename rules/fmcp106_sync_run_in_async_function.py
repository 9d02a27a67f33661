from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_names import imports_fastmcp, may_be_server
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity


class SyncRunInAsyncFunction(Rule):
    """`mcp.run()` (or `await mcp.run()`) inside an `async def`, where an event loop is already running.

    ## What it does
    Flags calls of the synchronous `run()` of a standalone FastMCP server (bound by
    construction or annotation) made directly in the body of an `async def`, awaited
    or not: typically `async def main(): ... await server.run()` started with
    `asyncio.run(main())`. Calls inside a nested `def` or `lambda` (handed to a
    thread, say) are left alone.

    ## Why is this bad?
    `run()` starts its own event loop (`anyio.run`), which cannot happen inside a
    running one: `RuntimeError: Already running asyncio in this thread` (verified
    2.13.3, 3.0.2 and 4.2.3); with `await` in front the server never starts either.
    The coroutine form is `await mcp.run_async(...)`, which takes the same
    arguments (`transport`, `show_banner`, `**transport_kwargs` in every release
    from 2.13.3 to 4.2.3, per the API data).

    ## Fix safety
    `run(...)` -> `await run_async(...)` with the same arguments starts the same
    server on the running loop: safe.
    """

    code = "FMCP106"
    severity = Severity.ERROR
    message = (
        "`{server}.run()` starts its own event loop, but it is called inside `async def "
        "{function}` (RuntimeError: Already running asyncio in this thread); use "
        "`await {server}.run_async(...)`"
    )
    fix_title = "Use `await run_async(...)`"
    fastmcp_versions = ">=2.13"
    reported_mistakes = ("025",)
    references = ("https://gofastmcp.com/deployment/running-server",)

    needles = (".run(",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        receivers = [
            node.func.value
            for function in ast.walk(tree)
            if isinstance(function, ast.AsyncFunctionDef)
            for node in ast.walk(function)
            if isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr == "run"
        ]
        if not receivers or not imports_fastmcp(tree):
            return False
        # `server = mcp` aliases inside the function: their values may be servers too.
        aliased = [
            node.value
            for function in ast.walk(tree)
            if isinstance(function, ast.AsyncFunctionDef)
            for node in ast.walk(function)
            if isinstance(node, ast.Assign) and isinstance(node.value, ast.Name)
        ]
        return may_be_server(tree, [*receivers, *aliased])

    VALID = [
        Valid(
            "run-async-or-sync-main",
            """
            import anyio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def main() -> None:
                await mcp.run_async(transport="http", port=8000)

            async def in_thread() -> None:
                await anyio.to_thread.run_sync(lambda: mcp.run())

                def blocking() -> None:
                    mcp.run()

                await anyio.to_thread.run_sync(blocking)

            def sync_main() -> None:
                mcp.run(transport="stdio")
            """,
        ),
        Valid(
            "other-run-methods",
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def main(runner, app) -> None:
                runner.run()
                await app.run()
                await asyncio.create_subprocess_exec("x")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "await-run-in-async-main",
            """
            import asyncio
            from fastmcp import FastMCP

            server = FastMCP("kicad")

            async def main() -> None:
                app = server
                await app.run(transport="stdio")

            if __name__ == "__main__":
                asyncio.run(main())
            """,
            fixed="""
            import asyncio
            from fastmcp import FastMCP

            server = FastMCP("kicad")

            async def main() -> None:
                app = server
                await app.run_async(transport="stdio")

            if __name__ == "__main__":
                asyncio.run(main())
            """,
        ),
        Invalid(
            "run-in-async-function",
            """
            from fastmcp import FastMCP

            class App:
                def __init__(self) -> None:
                    self.mcp = FastMCP("demo")

                async def serve(self) -> None:
                    self.mcp.run("http", port=8000)
            """,
            fixed="""
            from fastmcp import FastMCP

            class App:
                def __init__(self) -> None:
                    self.mcp = FastMCP("demo")

                async def serve(self) -> None:
                    await self.mcp.run_async("http", port=8000)
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        # Per enclosing function (and lambda: None): its name when it is `async def`.
        self.functions: list[str | None] = []
        self.awaited: set[int] = set()
        # Awaited run() calls, reported when their `await` is left (the fix replaces it).
        self.reported: set[int] = set()
        # Per enclosing function: local names assigned a server (`server = mcp`).
        self.aliases: list[set[str]] = [set()]

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.functions.append(node.name.value if node.asynchronous is not None else None)
        self.aliases.append(set())

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.functions.pop()
        self.aliases.pop()

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                if len(node.targets) == 1 and self._bound(node.value):
                    self.aliases[-1].add(target.target.value)
                else:
                    self.aliases[-1].discard(target.target.value)

    def _bound(self, receiver: cst.BaseExpression) -> bool:
        """A server by construction, annotation or a local alias of one."""
        if isinstance(receiver, cst.Name) and receiver.value in self.aliases[-1]:
            return True
        return self.context.names.is_bound_server(receiver)

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.functions.append(None)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.functions.pop()

    def visit_Await(self, node: cst.Await) -> None:
        self.awaited.add(id(node.expression))

    def leave_Await(self, original_node: cst.Await) -> None:
        call = original_node.expression
        if id(call) in self.reported and isinstance(call, cst.Call):
            self._report(call, original_node)

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if not (isinstance(func, cst.Attribute) and func.attr.value == "run"):
            return
        if not self.functions or self.functions[-1] is None:
            return
        if not self._bound(func.value):
            return
        if id(node) in self.awaited:
            self.reported.add(id(node))  # reported with the `await` around it
        else:
            self._report(node, None)

    def _report(self, call: cst.Call, awaited: cst.Await | None) -> None:
        func = call.func
        assert isinstance(func, cst.Attribute)
        replacement = cst.Await(
            expression=call.with_changes(func=func.with_changes(attr=cst.Name("run_async")))
        )
        target: cst.CSTNode = awaited if awaited is not None else call
        fix = Fix(self.fix_title or "", replacements=((target, replacement),))
        self.report(
            target,
            self.message.format(
                server=dotted_name(func.value) or "FastMCP(...)",
                function=self.functions[-1] if self.functions else "",
            ),
            fix=fix,
        )
