"""``exclude_args=`` is deprecated in 2.14 (3.i row 19)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Codemod, Example
from fastmcp_kit.upgrade.cstutil import keyword


class ExcludeArgsDeprecated(Codemod):
    """What it does:
    Reports ``exclude_args=`` on ``@mcp.tool(...)`` when the upgrade stops before 4.x
    (the 4.x step rewrites it: see ``exclude-args``).

    Why:
    2.14 deprecated it (a ``DeprecationWarning``); 4.0 removed it. The replacement is a
    ``Depends(...)`` default on the parameter (``from fastmcp.dependencies import
    Depends``).

    Safety:
    Report only; the code keeps working on 2.14 and 3.x.
    """

    ID = "exclude-args-deprecated"
    TITLE = "exclude_args= is deprecated"
    KIND = "report"
    ROWS = ("i.19",)
    LINK = GUIDE_2_14
    TRIGGERS = ("exclude_args",)
    EXAMPLES = (
        Example(
            "deprecated",
            to="3",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool(exclude_args=["user_id"])
            def greet(name: str, user_id: str = "anon") -> str:
                return name
            """,
            findings=("`exclude_args=` is deprecated",),
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        return self.facts.final_step != "4"

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "tool"
            and self.names.is_server(func.value)
            and keyword(node, "exclude_args") is not None
        ):
            self.report(
                node,
                "`exclude_args=` is deprecated since 2.14 and removed in 4.0: give each "
                "excluded parameter a `Depends(...)` default instead",
                Severity.INFO,
            )
        return True
