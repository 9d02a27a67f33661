"""``FastMCP(resource_prefix_format=...)`` removed (3.i rows 7 and 8, E21)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Codemod, Example
from fastmcp_kit.upgrade.cstutil import drop_args, keyword, string_value


class ResourcePrefixFormat(Codemod):
    """What it does:
    Removes ``resource_prefix_format="path"`` from ``FastMCP(...)``. The value
    ``"protocol"`` (or a computed one) is reported and left in place.

    Why:
    2.14.0 removed the parameter (``TypeError``): mounted resources are always prefixed
    in the path format, ``resource://prefix/path``.

    Safety:
    ``"path"`` was the default, so removing it changes nothing. ``"protocol"`` made
    URIs like ``prefix+resource://path``; the path format changes the URIs clients see,
    so a human must decide (and update the clients).
    """

    ID = "resource-prefix-format"
    TITLE = "resource_prefix_format= is removed"
    KIND = "partial"
    ROWS = ("i.7", "i.8")
    LINK = GUIDE_2_14
    TRIGGERS = ("resource_prefix_format",)
    EXAMPLES = (
        Example(
            "path",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("gateway", resource_prefix_format="path")
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("gateway")
            """,
        ),
        Example(
            "protocol",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("gateway", resource_prefix_format="protocol")
            """,
            findings=('resource_prefix_format="protocol"',),
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.names.is_server_class(original_node.func):
            return updated_node
        arg = keyword(updated_node, "resource_prefix_format")
        if arg is None:
            return updated_node
        if string_value(arg.value) == "path":
            self.rewrote()
            return drop_args(updated_node, [arg])
        self.report(
            original_node,
            'resource_prefix_format="protocol" (or a computed value) was removed in 2.14: '
            "mounted resources are always `resource://prefix/path`, which changes the URIs "
            "clients use (`prefix+resource://path` before): delete the argument and update "
            "the clients and tests that read `prefix+resource://...` URIs",
            Severity.ERROR,
        )
        return updated_node
