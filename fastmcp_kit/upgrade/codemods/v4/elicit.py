"""``ctx.elicit``: ``response_type`` is required and the call is era-gated (3.iii rows 28, 29)."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Example
from fastmcp_kit.upgrade.cstutil import add_args, keyword, kwarg, positional
from fastmcp_kit.upgrade.helpers import FunctionAware


class Elicit(FunctionAware):
    """What it does:
    Reports every ``ctx.elicit(...)`` on a FastMCP ``Context``. When the call has no
    ``response_type`` and its result is only used as a confirmation (only ``.action``
    is read), adds ``response_type=bool``; otherwise the missing argument is reported.

    Why:
    4.x requires ``response_type`` (``TypeError``; ``None`` is rejected: "use `bool`
    for a confirmation"), and on a default (``mode="auto"``) client elicitation raises
    ``ToolError: elicitation via server-initiated requests is unavailable on 2026-07-28
    connections`` -- the most likely runtime break of the upgrade.

    Safety:
    ``response_type=bool`` shows the user a yes/no field instead of an empty form; the
    server's logic (reading ``.action``) is unchanged. The era gate needs a design
    decision (``InputRequiredResult`` guard, branching on the protocol version, or
    ``Client(mode="legacy")``), so it is always reported.
    """

    ID = "elicit"
    TITLE = "ctx.elicit needs response_type and is era-gated"
    KIND = "partial"
    ROWS = ("iii.28", "iii.29")
    LINK = GUIDE_4
    TRIGGERS = ("elicit",)
    EXAMPLES = (
        Example(
            "confirmation",
            before="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            async def delete(ctx: Context) -> str:
                answer = await ctx.elicit("Really delete?")
                if answer.action != "accept":
                    return "kept"
                return "deleted"
            """,
            after="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            async def delete(ctx: Context) -> str:
                answer = await ctx.elicit("Really delete?", response_type=bool)
                if answer.action != "accept":
                    return "kept"
                return "deleted"
            """,
            findings=("unavailable on modern-era",),
        ),
        Example(
            "data-used",
            before="""
            from fastmcp import Context

            async def ask(ctx: Context) -> object:
                reply = await ctx.elicit("Name?")
                return reply.data
            """,
            findings=("unavailable on modern-era", "`response_type` is required"),
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value == "elicit"
            and self.is_context(func.value)
        ):
            return updated_node
        self.report(
            original_node,
            "`ctx.elicit()` is unavailable on modern-era (2026-07-28) connections, which 4.x "
            'clients use by default: guard with `InputRequiredResult`, or keep clients on `mode="legacy"`',
            Severity.WARNING,
        )
        if keyword(updated_node, "response_type") is not None or len(positional(updated_node)) > 1:
            return updated_node
        if self._confirmation(original_node):
            self.rewrote()
            return add_args(updated_node, [kwarg("response_type", cst.Name("bool"))])
        self.report(
            original_node,
            "`response_type` is required in 4.x (`None` is rejected): pass the type you "
            "expect back",
            Severity.ERROR,
        )
        return updated_node

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        try:
            return self.get_metadata(ParentNodeProvider, node)
        except KeyError:
            return None

    def _confirmation(self, call: cst.Call) -> bool:
        awaited = self._parent(call)
        if not isinstance(awaited, cst.Await):
            return False
        parent = self._parent(awaited)
        if isinstance(parent, cst.Attribute):
            return parent.attr.value == "action"
        if not (isinstance(parent, cst.Assign) and len(parent.targets) == 1):
            return False
        target = parent.targets[0].target
        frame = self.frame
        if not isinstance(target, cst.Name) or frame is None:
            return False
        uses = _Uses(target.value)
        frame.node.body.visit(uses)
        return uses.only_action


class _Uses(cst.CSTVisitor):
    def __init__(self, name: str) -> None:
        self.name = name
        self.only_action = True
        self._attributes: set[int] = set()

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.value.value == self.name:
            self._attributes.add(id(node.value))
            if node.attr.value != "action":
                self.only_action = False

    def visit_Name(self, node: cst.Name) -> None:
        if node.value == self.name and id(node) not in self._attributes:
            # A bare use (passed on, returned, isinstance): not just a confirmation.
            self._bare = getattr(self, "_bare", 0) + 1
            if self._bare > 1:  # the assignment target itself is the first
                self.only_action = False
