"""``PromptToolMiddleware`` / ``ResourceToolMiddleware`` -> transforms (3.iii row 16)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Codemod, Example
from fastmcp_kit.upgrade.cstutil import code
from fastmcp_kit.upgrade.helpers import server_method

_MODULE = "fastmcp.server.middleware.tool_injection"
_TRANSFORMS = {
    f"{_MODULE}.PromptToolMiddleware": "PromptsAsTools",
    f"{_MODULE}.ResourceToolMiddleware": "ResourcesAsTools",
}


class ToolInjection(Codemod):
    """What it does:
    Rewrites ``mcp.add_middleware(PromptToolMiddleware())`` to
    ``mcp.add_transform(PromptsAsTools(mcp))`` and ``ResourceToolMiddleware()`` to
    ``ResourcesAsTools(mcp)`` (from ``fastmcp.server.transforms``). Other uses (in
    ``FastMCP(middleware=[...])``) are reported.

    Why:
    3.x deprecated the two middleware classes; 4.0 removed them (``ImportError``).

    Safety:
    Safe: the server exposes the same tools (``list_prompts``, ``get_prompt``,
    ``list_resources``, ``read_resource``) with the same arguments (checked in 3.4.10 and
    4.1.2); the transforms were already available in 3.x.
    """

    ID = "tool-injection"
    TITLE = "Prompt/ResourceToolMiddleware become PromptsAsTools/ResourcesAsTools"
    KIND = "rewrite"
    ROWS = ("iii.16",)
    LINK = GUIDE_4
    TRIGGERS = ("ToolMiddleware",)
    EXAMPLES = (
        Example(
            "add-middleware",
            before="""
            from fastmcp import FastMCP
            from fastmcp.server.middleware.tool_injection import PromptToolMiddleware, ResourceToolMiddleware

            mcp = FastMCP("x")
            mcp.add_middleware(PromptToolMiddleware())
            mcp.add_middleware(ResourceToolMiddleware())
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp.server.transforms import PromptsAsTools, ResourcesAsTools

            mcp = FastMCP("x")
            mcp.add_transform(PromptsAsTools(mcp))
            mcp.add_transform(ResourcesAsTools(mcp))
            """,
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._handled: set[int] = set()
        return True

    def visit_Call(self, node: cst.Call) -> bool:
        if server_method(self, node, frozenset({"add_middleware"})) and len(node.args) == 1:
            inner = node.args[0].value
            if (
                isinstance(inner, cst.Call)
                and not inner.args
                and self.names.qualified_name(inner.func) in _TRANSFORMS
            ):
                self._handled.add(id(inner))
        return True

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        qualified = self.names.qualified_name(original_node.func)
        if qualified in _TRANSFORMS and id(original_node) not in self._handled:
            self.report(
                original_node,
                f"`{qualified.rpartition('.')[2]}` was removed in 4.0: add "
                f"`{_TRANSFORMS[qualified]}(server)` with `server.add_transform(...)`",
                Severity.ERROR,
            )
            return updated_node
        if not server_method(self, original_node, frozenset({"add_middleware"})):
            return updated_node
        inner = original_node.args[0].value if len(original_node.args) == 1 else None
        if not isinstance(inner, cst.Call) or id(inner) not in self._handled:
            return updated_node
        transform = _TRANSFORMS[self.names.qualified_name(inner.func) or ""]
        assert isinstance(original_node.func, cst.Attribute)
        server = code(original_node.func.value)
        self.add_import("fastmcp.server.transforms", transform)
        for qualified_name in _TRANSFORMS:
            self.forget_name(qualified_name)
        self.rewrote()
        assert isinstance(updated_node.func, cst.Attribute)
        return updated_node.with_changes(
            func=updated_node.func.with_changes(attr=cst.Name("add_transform")),
            args=[cst.Arg(cst.parse_expression(f"{transform}({server})"))],
        )
