"""``FastMCP(include_tags=, exclude_tags=)`` -> ``mcp.enable/disable(tags=)`` (3.ii row 5)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.cstutil import code, drop_args, keyword, statement
from fastmcp_kit.upgrade.helpers import server_assignment


class TagFilters(Codemod):
    """What it does:
    Removes ``include_tags=S`` / ``exclude_tags=E`` from ``x = FastMCP(...)`` and adds
    ``x.enable(tags=S, only=True)`` / ``x.disable(tags=E)`` right after the assignment.

    Why:
    3.0 removed both keywords (``TypeError: FastMCP() no longer accepts
    `include_tags`. Use `server.enable(tags=..., only=True)` after creating the
    server.``).

    Safety:
    Safe: the same components are listed (checked in 2.14.7 against 3.0.2, 3.4.10 and
    4.1.2: only tagged components with ``include_tags``, tagged ones hidden with
    ``exclude_tags``). A constructor that is not the value of an assignment is reported.
    """

    ID = "tag-filters"
    TITLE = "include_tags/exclude_tags become enable()/disable()"
    KIND = "rewrite"
    ROWS = ("ii.5",)
    LINK = GUIDE_3
    TRIGGERS = ("include_tags", "exclude_tags")
    EXAMPLES = (
        Example(
            "both",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("catalog", include_tags={"public"}, exclude_tags={"beta"})
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("catalog")
            mcp.enable(tags={"public"}, only=True)
            mcp.disable(tags={"beta"})
            """,
        ),
        Example(
            "not-assigned",
            before="""
            from fastmcp import FastMCP

            def build() -> FastMCP:
                return FastMCP("catalog", include_tags={"public"})
            """,
            findings=("`include_tags=` was removed in 3.0",),
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.names.is_server_class(original_node.func):
            return updated_node
        include = keyword(updated_node, "include_tags")
        exclude = keyword(updated_node, "exclude_tags")
        if include is None and exclude is None:
            return updated_node
        target = server_assignment(self, original_node)
        if target is None:
            for arg in (include, exclude):
                if arg is not None and arg.keyword is not None:
                    self.report(
                        original_node,
                        f"`{arg.keyword.value}=` was removed in 3.0: call "
                        "`server.enable(tags=..., only=True)` / `server.disable(tags=...)` "
                        "on the server after creating it",
                        Severity.ERROR,
                    )
            return updated_node
        added = []
        if include is not None:
            added.append(statement(f"{target}.enable(tags={code(include.value)}, only=True)"))
        if exclude is not None:
            added.append(statement(f"{target}.disable(tags={code(exclude.value)})"))
        self.insert_after(original_node, list(added))
        self.rewrote(len(added))
        return drop_args(updated_node, [a for a in (include, exclude) if a is not None])
