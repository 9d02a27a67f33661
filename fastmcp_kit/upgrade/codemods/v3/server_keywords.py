"""``on_duplicate_*``, ``include_fastmcp_meta`` and ``tool_serializer`` on ``FastMCP()``
(3.ii rows 3, 4 and 7)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.cstutil import add_args, code, drop_args, is_false, keyword, kwarg

_DUPLICATES = ("on_duplicate_tools", "on_duplicate_resources", "on_duplicate_prompts")


class ServerKeywords(Codemod):
    """What it does:
    On ``FastMCP(...)``: replaces ``on_duplicate_tools=`` / ``on_duplicate_resources=``
    / ``on_duplicate_prompts=`` with one ``on_duplicate=`` when only one is given or all
    given values are the same; removes ``include_fastmcp_meta=``; reports
    ``tool_serializer=``.

    Why:
    3.0 removed these keywords (``TypeError: FastMCP() no longer accepts
    `on_duplicate_tools`. Use `on_duplicate=` instead.``; ``tool_serializer``: "Return
    ToolResult from your tools instead"); FastMCP metadata is always included.

    Safety:
    ``on_duplicate=`` applies to every component type, so a single
    ``on_duplicate_tools=`` now also governs resources and prompts (duplicates are
    rare at startup). Different values per type are reported. With
    ``include_fastmcp_meta=False`` clients now also see the ``fastmcp`` meta (tags), which
    is reported. A ``tool_serializer`` needs tools that return ``ToolResult``: reported.
    """

    ID = "server-keywords"
    TITLE = "on_duplicate_*, include_fastmcp_meta, tool_serializer on FastMCP()"
    KIND = "partial"
    ROWS = ("ii.3", "ii.4", "ii.7")
    LINK = GUIDE_3
    TRIGGERS = ("on_duplicate_", "include_fastmcp_meta", "tool_serializer")
    EXAMPLES = (
        Example(
            "duplicates-and-meta",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("x", on_duplicate_tools="error", on_duplicate_prompts="error", include_fastmcp_meta=True)
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("x", on_duplicate="error")
            """,
        ),
        Example(
            "mixed-and-serializer",
            before="""
            import json
            from fastmcp import FastMCP

            mcp = FastMCP("x", on_duplicate_tools="error", on_duplicate_resources="warn", tool_serializer=json.dumps)
            """,
            findings=("different `on_duplicate_*` values", "`tool_serializer=`"),
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.names.is_server_class(original_node.func):
            return updated_node
        call = updated_node
        duplicates = [a for a in call.args if a.keyword and a.keyword.value in _DUPLICATES]
        if duplicates and keyword(call, "on_duplicate") is None:
            values = {code(a.value) for a in duplicates}
            if len(values) == 1:
                call = drop_args(call, duplicates)
                call = add_args(call, [kwarg("on_duplicate", duplicates[0].value)])
                self.rewrote(len(duplicates))
            else:
                self.report(
                    original_node,
                    "3.0 has one `on_duplicate=` for every component type; this server uses "
                    "different `on_duplicate_*` values: replace them with one `on_duplicate=` "
                    '("warn", "error", "replace" or "ignore")',
                    Severity.ERROR,
                )
        meta = keyword(call, "include_fastmcp_meta")
        if meta is not None:
            if is_false(meta.value):
                self.report(
                    original_node,
                    "`include_fastmcp_meta=False` was removed in 3.0: clients now see the "
                    "`fastmcp` meta (tags) of every component",
                    Severity.INFO,
                )
            call = drop_args(call, [meta])
            self.rewrote()
        if keyword(call, "tool_serializer") is not None:
            self.report(
                original_node,
                "`tool_serializer=` was removed in 3.0: return `ToolResult` (from "
                "`fastmcp.tools`) from the tools that need custom serialization",
                Severity.ERROR,
            )
        return call
