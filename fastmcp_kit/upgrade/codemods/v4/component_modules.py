"""``fastmcp.tools.tool``, ``fastmcp.resources.resource``, ``fastmcp.prompts.prompt`` are gone
in 4.0 (3.iii rows 5, 6 and 7)."""

from __future__ import annotations

from fastmcp_kit.upgrade.codemod import GUIDE_4, Example
from fastmcp_kit.upgrade.imports import ImportMover, Move

_PACKAGE = {
    "fastmcp.tools.tool": ("fastmcp.tools", ("Tool", "ToolResult", "FunctionTool")),
    "fastmcp.resources.resource": ("fastmcp.resources", ("Resource",)),
    "fastmcp.prompts.prompt": ("fastmcp.prompts", ("Prompt", "Message", "PromptResult")),
}
_FUNCTION = {
    "fastmcp.tools.tool": ("fastmcp.tools.function_tool", ("ParsedFunction", "tool")),
    "fastmcp.resources.resource": (
        "fastmcp.resources.function_resource",
        ("FunctionResource", "resource"),
    ),
    "fastmcp.prompts.prompt": ("fastmcp.prompts.function_prompt", ("FunctionPrompt", "prompt")),
}


class ComponentModules(ImportMover):
    """What it does:
    Moves imports from the component modules 4.0 removed:
    ``fastmcp.tools.tool`` (``Tool``, ``ToolResult``, ``FunctionTool`` -> ``fastmcp.tools``;
    ``ParsedFunction``, ``tool`` -> ``fastmcp.tools.function_tool``),
    ``fastmcp.resources.resource`` (``Resource`` -> ``fastmcp.resources``;
    ``FunctionResource``, ``resource`` -> ``fastmcp.resources.function_resource``) and
    ``fastmcp.prompts.prompt`` (``Prompt``, ``Message``, ``PromptResult`` ->
    ``fastmcp.prompts``; ``FunctionPrompt``, ``prompt`` ->
    ``fastmcp.prompts.function_prompt``).

    Why:
    ``ModuleNotFoundError`` in 4.0; 3.x already deprecated these paths.

    Safety:
    Safe: the same objects in 3.4.10, and all new paths exist in 4.0.0 and 4.1.2.
    """

    ID = "component-modules"
    TITLE = "fastmcp.tools.tool / resources.resource / prompts.prompt imports move"
    KIND = "rewrite"
    ROWS = ("iii.5", "iii.6", "iii.7")
    LINK = GUIDE_4
    TRIGGERS = ("fastmcp.tools.tool", "fastmcp.resources.resource", "fastmcp.prompts.prompt")
    MOVES = tuple(
        Move(old, name, new)
        for table in (_PACKAGE, _FUNCTION)
        for old, (new, names) in table.items()
        for name in names
    )
    EXAMPLES = (
        Example(
            "mixed",
            before="""
            from fastmcp.tools.tool import FunctionTool, ParsedFunction, ToolResult
            from fastmcp.prompts.prompt import Message
            """,
            after="""
            from fastmcp.prompts import Message
            from fastmcp.tools import FunctionTool, ToolResult
            from fastmcp.tools.function_tool import ParsedFunction
            """,
        ),
    )
