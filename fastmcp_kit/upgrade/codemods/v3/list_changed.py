"""``ctx.send_*_list_changed()`` -> ``ctx.send_notification(...)`` (3.ii row 33)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.upgrade.codemod import GUIDE_3, Example
from fastmcp_kit.upgrade.helpers import FunctionAware

_NOTIFICATIONS = {
    "send_tool_list_changed": "ToolListChangedNotification",
    "send_resource_list_changed": "ResourceListChangedNotification",
    "send_prompt_list_changed": "PromptListChangedNotification",
}


class ListChanged(FunctionAware):
    """What it does:
    Rewrites ``ctx.send_tool_list_changed()`` (and the resource and prompt variants) on
    a FastMCP ``Context`` to ``ctx.send_notification(ToolListChangedNotification())``,
    importing the notification class from ``mcp.types``.

    Why:
    The three helpers are gone in 3.0 (``AttributeError``); ``send_notification`` takes
    the MCP notification object.

    Safety:
    Safe: the helpers sent exactly these notifications. The classes come from
    ``mcp.types`` (not ``import mcp.types`` + ``mcp.types.X``: ``mcp`` is usually the
    server variable); ``mcp.types`` still provides them in 4.1.2 (mcp 2.3).
    """

    ID = "list-changed-notifications"
    TITLE = "ctx.send_*_list_changed() becomes ctx.send_notification()"
    KIND = "rewrite"
    ROWS = ("ii.33",)
    LINK = GUIDE_3
    TRIGGERS = ("_list_changed",)
    EXAMPLES = (
        Example(
            "tool-list",
            before="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("dyn")

            @mcp.tool
            async def reload(ctx: Context) -> str:
                await ctx.send_tool_list_changed()
                return "ok"
            """,
            after="""
            from fastmcp import Context, FastMCP
            from mcp.types import ToolListChangedNotification

            mcp = FastMCP("dyn")

            @mcp.tool
            async def reload(ctx: Context) -> str:
                await ctx.send_notification(ToolListChangedNotification())
                return "ok"
            """,
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value in _NOTIFICATIONS
            and not original_node.args
            and self.is_context(func.value)
        ):
            return updated_node
        notification = _NOTIFICATIONS[func.attr.value]
        self.add_import("mcp.types", notification)
        self.rewrote()
        assert isinstance(updated_node.func, cst.Attribute)
        return updated_node.with_changes(
            func=updated_node.func.with_changes(attr=cst.Name("send_notification")),
            args=[cst.Arg(cst.Call(func=cst.Name(notification)))],
        )
