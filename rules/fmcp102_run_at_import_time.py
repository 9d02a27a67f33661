from __future__ import annotations

import ast
from collections.abc import Iterator, Sequence

import libcst as cst

from fastmcp_kit.lint.ast_names import may_bind_module_server
from fastmcp_kit.lint.names import dotted_name, nested_blocks
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Applicability, Severity

EVENT_LOOP_RUNNERS = frozenset({"asyncio.run", "anyio.run", "trio.run"})
SERVER_RUNNERS = frozenset({"run"})


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


def _import_time_lines(
    statements: Sequence[cst.BaseStatement | cst.BaseSmallStatement], top: bool
) -> Iterator[tuple[cst.SimpleStatementLine, bool]]:
    """Statement lines that run when the module is imported (module level, including
    if/try/with/for blocks, but not functions, classes or the ``__main__`` guard),
    each with whether it sits directly at module level."""
    for statement in statements:
        if isinstance(statement, cst.SimpleStatementLine):
            yield statement, top
        elif isinstance(statement, (cst.FunctionDef, cst.ClassDef)) or _is_main_guard(statement):
            continue
        elif isinstance(statement, cst.BaseCompoundStatement):
            for block in nested_blocks(statement):
                yield from _import_time_lines(block, top=False)


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
        for line, top in _import_time_lines(node.body, top=True):
            for small in line.body:
                if not isinstance(small, cst.Expr) or not isinstance(small.value, cst.Call):
                    continue
                call = small.value
                label, applicability = self._classify(call)
                if label is None:
                    continue
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
