"""``output_schema=False`` -> ``output_schema=None`` (3.i row 6)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Codemod, Example
from fastmcp_kit.upgrade.cstutil import is_false, keyword, replace_arg

_FROM_FUNCTION = frozenset(
    {
        "fastmcp.tools.Tool.from_function",
        "fastmcp.tools.FunctionTool.from_function",
        "fastmcp.tools.tool.Tool.from_function",
        "fastmcp.tools.tool.FunctionTool.from_function",
    }
)


class OutputSchemaFalse(Codemod):
    """What it does:
    Replaces ``output_schema=False`` with ``output_schema=None`` on
    ``@mcp.tool(...)`` / ``mcp.tool(...)`` and ``Tool.from_function(...)``.

    Why:
    ``False`` was deprecated and 2.14.0 rejects it (``ValidationError: output_schema
    Input should be a valid dictionary``).

    Safety:
    Safe: both mean "no output schema"; 2.13.3 warned "Use output_schema=None instead".
    """

    ID = "output-schema-false"
    TITLE = "output_schema=False becomes output_schema=None"
    KIND = "rewrite"
    ROWS = ("i.6",)
    LINK = GUIDE_2_14
    TRIGGERS = ("output_schema",)
    EXAMPLES = (
        Example(
            "decorator",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("raw")

            @mcp.tool(output_schema=False)
            def dump() -> dict:
                return {"a": 1}
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("raw")

            @mcp.tool(output_schema=None)
            def dump() -> dict:
                return {"a": 1}
            """,
        ),
        Example(
            "from-function",
            before="""
            from fastmcp.tools import Tool

            def dump() -> dict:
                return {}

            tool = Tool.from_function(dump, output_schema=False)
            """,
            after="""
            from fastmcp.tools import Tool

            def dump() -> dict:
                return {}

            tool = Tool.from_function(dump, output_schema=None)
            """,
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        is_tool = isinstance(func, cst.Attribute) and (
            (func.attr.value == "tool" and self.names.is_server(func.value))
            or self.names.qualified_name(func) in _FROM_FUNCTION
        )
        arg = keyword(updated_node, "output_schema")
        if not is_tool or arg is None or not is_false(arg.value):
            return updated_node
        self.rewrote()
        return replace_arg(updated_node, arg, arg.with_changes(value=cst.Name("None")))
