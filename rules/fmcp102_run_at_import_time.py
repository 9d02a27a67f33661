from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

import libcst as cst

from fastmcp_kit.lint.ast_names import may_bind_module_server
from fastmcp_kit.lint.cst_statements import nested_blocks
from fastmcp_kit.lint.names import ModuleNames, dotted_name
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Applicability, Severity

EVENT_LOOP_RUNNERS = frozenset({"asyncio.run", "anyio.run", "trio.run"})
SERVER_RUNNERS = frozenset({"run"})
# Exceptions whose handler catches the RuntimeError of `asyncio.get_running_loop()`.
NO_LOOP_EXCEPTIONS = frozenset({"RuntimeError", "Exception", "BaseException"})


def _is_name_dunder(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "__name__"


def _is_main_guard(statement: cst.BaseStatement | cst.BaseSmallStatement) -> bool:
    """``if __name__ == "...":`` (either operand order), one comparison only."""
    # Plain isinstance checks: libcst.matchers costs 0.3 s to import, more than a
    # fully cached lint run may take.
    if not isinstance(statement, cst.If):
        return False
    test = statement.test
    if not isinstance(test, cst.Comparison) or len(test.comparisons) != 1:
        return False
    target = test.comparisons[0]
    if not isinstance(target.operator, cst.Equal):
        return False
    left, right = test.left, target.comparator
    return (_is_name_dunder(left) and isinstance(right, cst.SimpleString)) or (
        isinstance(left, cst.SimpleString) and _is_name_dunder(right)
    )


def _calls_get_running_loop(
    line: cst.BaseStatement | cst.BaseSmallStatement, names: ModuleNames
) -> bool:
    """``asyncio.get_running_loop()`` as a statement or the value of an assignment."""
    if not isinstance(line, cst.SimpleStatementLine):
        return False
    for small in line.body:
        value = small.value if isinstance(small, (cst.Expr, cst.Assign, cst.AnnAssign)) else None
        if (
            isinstance(value, cst.Call)
            and names.qualified_name(value.func) == "asyncio.get_running_loop"
        ):
            return True
    return False


def _catches_no_loop(handler: cst.ExceptHandler, names: ModuleNames) -> bool:
    """Does the handler catch the RuntimeError raised when no event loop is running?"""
    if handler.type is None:  # bare ``except:``
        return True
    caught = (
        [element.value for element in handler.type.elements]
        if isinstance(handler.type, cst.Tuple)
        else [handler.type]
    )
    return any(
        isinstance(node, cst.Name)
        and node.value in NO_LOOP_EXCEPTIONS
        and node.value not in names.aliases  # not an imported look-alike
        for node in caught
    )


def _no_loop_handlers(statement: cst.BaseStatement, names: ModuleNames) -> list[cst.ExceptHandler]:
    """The handlers of ``try: asyncio.get_running_loop() except RuntimeError: ...``: they only
    run when no event loop is running, so an event-loop runner in them cannot fail that way."""
    if not isinstance(statement, cst.Try):
        return []
    if not any(_calls_get_running_loop(line, names) for line in statement.body.body):
        return []
    return [handler for handler in statement.handlers if _catches_no_loop(handler, names)]


def _import_time_lines(
    statements: Sequence[cst.BaseStatement | cst.BaseSmallStatement],
    top: bool,
    names: ModuleNames,
    no_loop: bool = False,
) -> Iterator[tuple[cst.SimpleStatementLine, bool, bool]]:
    """Statement lines that run when the module is imported (module level, including
    if/try/with/for blocks, but not functions, classes or the ``__main__`` guard),
    each with whether it sits directly at module level and whether it only runs when
    no event loop is running (see `_no_loop_handlers`)."""
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            yield statement, top, no_loop
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)) or _is_main_guard(statement):
            continue
        elif isinstance(statement, cst.BaseCompoundStatement):
            guarded = _no_loop_handlers(statement, names)
            guarded_blocks = [handler.body.body for handler in guarded]
            for block in nested_blocks(statement):
                inside = no_loop or any(block is guarded_block for guarded_block in guarded_blocks)
                yield from _import_time_lines(block, top=False, names=names, no_loop=inside)


def _guarded(line: cst.SimpleStatementLine) -> cst.If:
    guard = cst.ensure_type(cst.parse_statement('if __name__ == "__main__":\n    pass\n'), cst.If)
    body = cst.IndentedBlock(body=[line.with_changes(leading_lines=())])
    return guard.with_changes(body=body, leading_lines=line.leading_lines)


class RunAtImportTime(Rule):
    """`mcp.run()` or `asyncio.run(...)` executed when a server module is imported.

    ## What it does
    In a module that defines a standalone FastMCP server, flags a call to
    `<server>.run(...)` or to an event-loop runner (`asyncio.run`, `anyio.run`,
    `trio.run`) that runs at import time, i.e. not inside a function and not under
    `if __name__ == "__main__":`.

    An event-loop runner in the handler of
    `try: asyncio.get_running_loop()` / `except RuntimeError:` (or a handler that
    also catches `RuntimeError`: `Exception`, `BaseException`, a bare `except:`) is
    not flagged: it only runs when no event loop is running, so the CLI skips it
    instead of failing. Note that the set-up it does is then *skipped* under
    `fastmcp run` / `fastmcp inspect` (verified 2.14 and 4.2: the module is imported
    inside the CLI's running loop), while a plain import (tests, `python server.py`)
    still runs it; set-up the server needs belongs in a lifespan. `mcp.run()` there
    is still flagged, since a plain import would start the server.

    ## Why is this bad?
    `python server.py` works, but the FastMCP CLI (`fastmcp run`, `fastmcp inspect`,
    `fastmcp dev`, `fastmcp install`) imports the module *inside a running event loop*:
    an unguarded `mcp.run()` fails with `RuntimeError: Already running asyncio in this
    thread`, a module-level `asyncio.run(setup())` with `RuntimeError: asyncio.run()
    cannot be called from a running event loop` (verified 2.14 and 4.1). Tests that
    import the module hang or fail the same way. Set-up work belongs in the server's
    `lifespan=`.

    ## Fix safety
    Wrapping `mcp.run()` in `if __name__ == "__main__":` is safe: running the file
    directly behaves as before and importing it no longer starts a server. Wrapping
    `asyncio.run(...)` is unsafe: if the coroutine prepared state the server needs,
    that set-up no longer happens under the FastMCP CLI and must move to a lifespan.
    No fix is offered for calls nested in other blocks or sharing a line.
    """

    code = "FMCP102"
    severity = Severity.ERROR
    message = "`{call}` runs when the module is imported; the FastMCP CLI imports it inside a running event loop and fails"
    fix_title = 'Move the call under `if __name__ == "__main__":`'
    documented_errors = (15,)
    reported_mistakes = ("043",)
    references = (
        "https://gofastmcp.com/deployment/running-server",
        "https://gofastmcp.com/servers/server#running-the-server",
    )

    # Only modules that bind a server (a FastMCP class, subclass or create_proxy) are checked.
    needles = ("FastMCP", "create_proxy")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # Only a module that binds a server at module level is judged (visit_Module).
        return may_bind_module_server(tree)

    VALID = [
        Valid(
            "main-guard",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            if __name__ == "__main__":
                mcp.run()
            """,
        ),
        Valid(
            "inside-function",
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            def main() -> None:
                asyncio.run(mcp.run_async())
            """,
        ),
        Valid(
            "client-script",
            """
            import asyncio
            from fastmcp import Client

            async def main() -> None:
                async with Client("server.py") as client:
                    print(await client.list_tools())

            asyncio.run(main())
            """,
        ),
        Valid(
            "guarded-by-running-loop-check",
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def _flatten_tool_schemas() -> None:
                ...

            try:
                asyncio.get_running_loop()
            except RuntimeError:
                asyncio.run(_flatten_tool_schemas())
            """,
        ),
        Valid(
            "guarded-by-running-loop-check-imported-name",
            """
            import asyncio as aio
            from asyncio import get_running_loop
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def warm_up() -> None:
                ...

            try:
                loop = get_running_loop()
            except (RuntimeError, ValueError):
                aio.run(warm_up())
            else:
                loop.create_task(warm_up())
            """,
        ),
        Valid(
            "not-a-fastmcp-server",
            """
            from flask import Flask

            app = Flask(__name__)
            app.run()
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "unguarded-run",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def ping() -> str:
                return "pong"

            # Start the server
            mcp.run(transport="http", port=8000)
            """,
            fixed="""
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def ping() -> str:
                return "pong"

            # Start the server
            if __name__ == "__main__":
                mcp.run(transport="http", port=8000)
            """,
        ),
        Invalid(
            "asyncio-run-setup",
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def warm_up() -> None:
                ...

            asyncio.run(warm_up())
            """,
            fixed="""
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def warm_up() -> None:
                ...

            if __name__ == "__main__":
                asyncio.run(warm_up())
            """,
        ),
        Invalid(
            "handler-catches-another-exception",
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def warm_up() -> None:
                ...

            try:
                asyncio.get_running_loop()
            except ImportError:
                asyncio.run(warm_up())
            """,
        ),
        Invalid(
            "try-without-running-loop-check",
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            async def warm_up() -> None:
                ...

            try:
                asyncio.run(warm_up())
            except RuntimeError:
                pass
            """,
        ),
        Invalid(
            "server-run-in-guarded-handler",
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            try:
                asyncio.get_running_loop()
            except RuntimeError:
                mcp.run()
            """,
        ),
        Invalid(
            "nested-block-no-fix",
            """
            import os
            import fastmcp

            server = fastmcp.FastMCP("demo")

            if os.environ.get("SERVE"):
                server.run()
            """,
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        names = self.context.names
        if not names.module_servers:
            return  # not a server module (client scripts, helpers)
        for line, top, no_loop in _import_time_lines(node.body, top=True, names=names):
            for small in line.body:
                if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
                    continue
                call = small.value
                label, applicability = self._classify(call)
                if label is None:
                    continue
                if no_loop and names.qualified_name(call.func) in EVENT_LOOP_RUNNERS:
                    continue  # only runs when no event loop is running
                fix = None
                if top and len(line.body) == 1:
                    fix = Fix(
                        self.fix_title or "", applicability, replacements=((line, _guarded(line)),)
                    )
                self.report(call, self.message.format(call=label), fix=fix)

    def _classify(self, call: cst.Call) -> tuple[str | None, Applicability]:
        names = self.context.names
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in SERVER_RUNNERS
            and names.is_server(func.value)
        ):
            return f"{dotted_name(func)}()", Applicability.SAFE
        qualified = names.qualified_name(func)
        if qualified in EVENT_LOOP_RUNNERS:
            return f"{dotted_name(func)}()", Applicability.UNSAFE
        return None, Applicability.SAFE
