"""``serializer=``, ``FASTMCP_DECORATOR_MODE`` / ``settings.decorator_mode`` (3.iii rows 24, 26)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Codemod, Example
from fastmcp_kit.upgrade.cstutil import keyword


class RemovedOptions(Codemod):
    """What it does:
    Reports ``serializer=`` on ``@mcp.tool(...)`` / ``Tool.from_function(...)`` and
    reads or writes of ``settings.decorator_mode``.

    Why:
    4.0 removed tool serializers (``Tool.from_function`` has ``serializer`` in 3.4.10,
    not in 4.1.2) and the ``decorator_mode`` setting (3.x's escape hatch for decorators
    returning component objects).

    Safety:
    Report only: return a ``ToolResult`` from tools that need custom serialization;
    use ``await mcp.get_tool(...)`` where a component object was needed.
    """

    ID = "removed-options"
    TITLE = "serializer= and decorator_mode are removed"
    KIND = "report"
    ROWS = ("iii.24", "iii.26")
    LINK = GUIDE_4
    TRIGGERS = ("serializer", "decorator_mode")
    EXAMPLES = (
        Example(
            "serializer",
            before="""
            import fastmcp
            from fastmcp.tools import Tool

            def f() -> dict:
                return {}

            tool = Tool.from_function(f, serializer=str)
            fastmcp.settings.decorator_mode = "object"
            """,
            findings=("`serializer=` was removed in 4.0", "`decorator_mode` setting was removed"),
        ),
    )

    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in ("tool", "from_function")
            and keyword(node, "serializer") is not None
        ):
            self.report(
                node,
                "`serializer=` was removed in 4.0: return a `ToolResult` from the tool",
                Severity.ERROR,
            )
        return True

    def visit_Attribute(self, node: cst.Attribute) -> bool:
        value = node.value
        if (
            node.attr.value == "decorator_mode"
            and isinstance(value, cst.Attribute)
            and value.attr.value == "settings"
        ):
            self.report(
                node,
                "the `decorator_mode` setting was removed in 4.0: decorators always return "
                "the function",
                Severity.ERROR,
            )
        return True
