"""``tool_transformations=`` / ``add_tool_transformation`` -> ``add_transform(ToolTransform)``
(3.ii rows 6 and 31, 3.iii rows 21 and 22)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.cstutil import code, drop_args, keyword, positional, statement
from fastmcp_kit.upgrade.helpers import only_statement, server_assignment, server_method


class ToolTransformations(Codemod):
    """What it does:
    Rewrites ``x = FastMCP(..., tool_transformations={name: config})`` to the
    constructor without the keyword plus ``x.add_transform(ToolTransform({name:
    config}))``; ``x.add_tool_transformation(name, config)`` to
    ``x.add_transform(ToolTransform({name: config}))``; deletes the statement
    ``x.remove_tool_transformation(name)``. ``ToolTransform`` is imported from
    ``fastmcp.server.transforms``.

    Why:
    3.0 replaced tool transformations with transforms: the keyword raises
    ``TypeError``, the methods are deprecated (3.4.10 warns "add_tool_transformation
    is deprecated. Use server.add_transform(ToolTransform({tool_name: config}))") and
    removed in 4.0.

    Safety:
    Safe: ``ToolTransform`` applies the same ``ToolTransformConfig``.
    ``remove_tool_transformation`` was already a no-op in 3.x (``mcp.disable(...)``
    hides a tool). A constructor that is not assigned is reported.
    """

    ID = "tool-transformations"
    TITLE = "tool transformations become ToolTransform transforms"
    KIND = "rewrite"
    ROWS = ("ii.6", "ii.31", "iii.21", "iii.22")
    LINK = GUIDE_3
    TRIGGERS = ("tool_transformation",)
    EXAMPLES = (
        Example(
            "constructor-and-methods",
            before="""
            from fastmcp import FastMCP
            from fastmcp.tools.tool_transform import ToolTransformConfig

            mcp = FastMCP("t", tool_transformations={"search": ToolTransformConfig(name="find")})
            mcp.add_tool_transformation("fetch", ToolTransformConfig(description="Fetch a page"))
            mcp.remove_tool_transformation("old")
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp.server.transforms import ToolTransform
            from fastmcp.tools.tool_transform import ToolTransformConfig

            mcp = FastMCP("t")
            mcp.add_transform(ToolTransform({"search": ToolTransformConfig(name="find")}))
            mcp.add_transform(ToolTransform({"fetch": ToolTransformConfig(description="Fetch a page")}))
            """,
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.names.is_server_class(original_node.func):
            return self._constructor(original_node, updated_node)
        if server_method(self, original_node, frozenset({"add_tool_transformation"})) is None:
            return updated_node
        args = positional(updated_node)
        if len(args) != 2 or len(updated_node.args) != 2:
            return updated_node
        self.add_import("fastmcp.server.transforms", "ToolTransform")
        self.rewrote()
        assert isinstance(updated_node.func, cst.Attribute)
        mapping = f"{{{code(args[0].value)}: {code(args[1].value)}}}"
        new = cst.parse_expression(f"ToolTransform({mapping})")
        return updated_node.with_changes(
            func=updated_node.func.with_changes(attr=cst.Name("add_transform")),
            args=[cst.Arg(new)],
        )

    def _constructor(self, original: cst.Call, updated: cst.Call) -> cst.BaseExpression:
        arg = keyword(updated, "tool_transformations")
        if arg is None:
            return updated
        target = server_assignment(self, original)
        if target is None:
            self.report(
                original,
                "`tool_transformations=` was removed in 3.0: call "
                "`server.add_transform(ToolTransform({...}))` after creating the server",
                Severity.ERROR,
            )
            return updated
        self.add_import("fastmcp.server.transforms", "ToolTransform")
        self.insert_after(
            original, [statement(f"{target}.add_transform(ToolTransform({code(arg.value)}))")]
        )
        self.rewrote()
        return drop_args(updated, [arg])

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        if len(original_node.body) != 1 or not isinstance(original_node.body[0], cst.Expr):
            return updated_node
        call = original_node.body[0].value
        if isinstance(call, cst.Call) and server_method(
            self, call, frozenset({"remove_tool_transformation"})
        ):
            self.rewrote()
            if only_statement(self, original_node):
                return updated_node.with_changes(body=[cst.Pass()])
            return cst.RemoveFromParent()
        return updated_node
