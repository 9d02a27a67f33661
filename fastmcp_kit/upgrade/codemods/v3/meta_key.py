"""The component meta key ``"_fastmcp"`` -> ``"fastmcp"`` (3.ii row 20)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.cstutil import string_value


class MetaKey(Codemod):
    """What it does:
    Replaces the string ``"_fastmcp"`` with ``"fastmcp"`` where it reads component meta:
    ``<x>.meta["_fastmcp"]``, ``<x>.meta.get("_fastmcp")`` (also ``_meta``).

    Why:
    3.0 renamed the key under which FastMCP puts its metadata (tags) into a component's
    meta: 2.14 ``{'_fastmcp': {'tags': [...]}}``, 3.x and 4.x ``{'fastmcp': {...}}``.

    Safety:
    Safe: only string literals used as keys of a ``.meta``/``._meta`` mapping change.
    """

    ID = "meta-key"
    TITLE = 'meta["_fastmcp"] becomes meta["fastmcp"]'
    KIND = "rewrite"
    ROWS = ("ii.20",)
    LINK = GUIDE_3
    TRIGGERS = ("_fastmcp",)
    EXAMPLES = (
        Example(
            "reads",
            before="""
            async def tags_of(client) -> list[list[str]]:
                tools = await client.list_tools()
                return [t.meta["_fastmcp"]["tags"] for t in tools] + [t.meta.get("_fastmcp", {}) for t in tools]
            """,
            after="""
            async def tags_of(client) -> list[list[str]]:
                tools = await client.list_tools()
                return [t.meta["fastmcp"]["tags"] for t in tools] + [t.meta.get("fastmcp", {}) for t in tools]
            """,
        ),
    )

    def leave_Subscript(
        self, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> cst.BaseExpression:
        if not _is_meta(original_node.value) or len(updated_node.slice) != 1:
            return updated_node
        element = updated_node.slice[0]
        index = element.slice
        if isinstance(index, cst.Index) and string_value(index.value) == "_fastmcp":
            self.rewrote()
            new = element.with_changes(slice=index.with_changes(value=_renamed(index.value)))
            return updated_node.with_changes(slice=[new])
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (
            isinstance(func, cst.Attribute) and func.attr.value == "get" and _is_meta(func.value)
        ):
            return updated_node
        if not updated_node.args or string_value(updated_node.args[0].value) != "_fastmcp":
            return updated_node
        self.rewrote()
        first = updated_node.args[0]
        return updated_node.with_changes(
            args=[first.with_changes(value=_renamed(first.value)), *updated_node.args[1:]]
        )


def _is_meta(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Attribute) and node.attr.value in ("meta", "_meta")


def _renamed(node: cst.BaseExpression) -> cst.BaseExpression:
    assert isinstance(node, cst.SimpleString)
    return node.with_changes(value=node.value.replace("_fastmcp", "fastmcp"))
