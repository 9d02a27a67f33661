"""``import_server`` is deprecated in 3.x (3.ii row 25, E20)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.helpers import server_method


class ImportServerDeprecated(Codemod):
    """What it does:
    Reports ``import_server(...)`` when the upgrade stops at 3.x (the 4.x step rewrites
    it to ``mount``: see ``import-server``).

    Why:
    3.0 deprecated ``import_server`` (a one-time copy) in favour of ``mount`` (a live
    link); 4.0 removed it.

    Safety:
    Report only: ``mount`` is not equivalent (the child's lifespan and middleware run,
    later changes to the child show up), so it stays ``import_server`` on 3.x.
    """

    ID = "import-server-deprecated"
    TITLE = "import_server() is deprecated"
    KIND = "report"
    ROWS = ("ii.25",)
    LINK = GUIDE_3
    TRIGGERS = ("import_server",)
    EXAMPLES = (
        Example(
            "deprecated",
            to="3",
            before="""
            from fastmcp import FastMCP

            main = FastMCP("main")
            sub = FastMCP("sub")

            async def setup() -> None:
                await main.import_server(sub, prefix="sub")
            """,
            findings=("`import_server()` is deprecated",),
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        return self.facts.final_step == "3"

    def visit_Call(self, node: cst.Call) -> bool:
        if server_method(self, node, frozenset({"import_server"})):
            self.report(
                node,
                "`import_server()` is deprecated in 3.x and removed in 4.0; `mount()` "
                "replaces it but links live (the child's lifespan and middleware run)",
            )
        return True
