"""``await mcp.import_server(sub, prefix=p)`` -> ``mcp.mount(sub, namespace=p)``
(3.iii row 18, E20)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Codemod, Example
from fastmcp_kit.upgrade.cstutil import rename_keyword
from fastmcp_kit.upgrade.helpers import server_method

_ASYNCIO_RUN = frozenset({"asyncio.run"})


class ImportServer(Codemod):
    """What it does:
    Rewrites the statements ``await X.import_server(sub, prefix=p)`` and
    ``asyncio.run(X.import_server(sub, prefix=p))`` to ``X.mount(sub, namespace=p)``,
    and reports each rewrite as a behaviour change. Other uses are reported.

    Why:
    4.0 removed ``import_server`` (``AttributeError``); ``mount`` is its replacement.

    Safety:
    Not equivalent, hence the warning: ``import_server`` copied the child's components
    once, ``mount`` links live (components added to the child later appear), and the
    child's lifespan and middleware now run. Names stay the same (``prefix_name``). For
    a frozen copy, register the components on the parent directly.
    """

    ID = "import-server"
    TITLE = "import_server() becomes mount() (behaviour change, flagged)"
    KIND = "partial"
    ROWS = ("iii.18",)
    LINK = GUIDE_4
    TRIGGERS = ("import_server",)
    EXAMPLES = (
        Example(
            "await-and-asyncio-run",
            before="""
            import asyncio
            from fastmcp import FastMCP

            main = FastMCP("main")
            sub = FastMCP("sub")
            asyncio.run(main.import_server(sub, prefix="sub"))

            async def setup(other: FastMCP) -> None:
                await main.import_server(other)
            """,
            after="""
            from fastmcp import FastMCP

            main = FastMCP("main")
            sub = FastMCP("sub")
            main.mount(sub, namespace="sub")

            async def setup(other: FastMCP) -> None:
                main.mount(other)
            """,
            findings=("`import_server()` is now `mount()`", "`import_server()` is now `mount()`"),
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._handled: set[int] = set()
        return True

    def visit_Expr(self, node: cst.Expr) -> bool:
        call = self._statement_call(node)
        if call is not None:
            self._handled.add(id(call))
        return True

    def _statement_call(self, node: cst.Expr) -> cst.Call | None:
        value = node.value
        call: cst.BaseExpression | None = None
        if isinstance(value, cst.Await):
            call = value.expression
        elif (
            isinstance(value, cst.Call)
            and self.names.qualified_name(value.func) in _ASYNCIO_RUN
            and len(value.args) == 1
        ):
            call = value.args[0].value
        if isinstance(call, cst.Call) and server_method(self, call, frozenset({"import_server"})):
            return call
        return None

    def leave_Expr(self, original_node: cst.Expr, updated_node: cst.Expr) -> cst.Expr:
        value = original_node.value
        call: cst.BaseExpression | None = None
        if isinstance(value, cst.Await):
            call = value.expression
        elif (
            isinstance(value, cst.Call)
            and self.names.qualified_name(value.func) in _ASYNCIO_RUN
            and len(value.args) == 1
        ):
            call = value.args[0].value
        if not isinstance(call, cst.Call) or not server_method(
            self, call, frozenset({"import_server"})
        ):
            return updated_node
        assert isinstance(call.func, cst.Attribute)
        if isinstance(value, cst.Call):  # asyncio.run(...) is gone: maybe its import too
            self.remove_import_if_unused("asyncio")
        mount = rename_keyword(call, "prefix", "namespace").with_changes(
            func=call.func.with_changes(attr=cst.Name("mount"))
        )
        self.rewrote()
        self.report(
            original_node,
            "`import_server()` is now `mount()`: a live link instead of a one-time copy; the "
            "child's lifespan and middleware now run",
            Severity.WARNING,
        )
        return updated_node.with_changes(value=mount)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if id(original_node) not in self._handled and server_method(
            self, original_node, frozenset({"import_server"})
        ):
            self.report(
                original_node,
                "`import_server()` was removed in 4.0: use `mount(server, namespace=...)` "
                "(a live link: the child's lifespan and middleware run)",
                Severity.ERROR,
            )
        return updated_node
