"""Names FastMCP's own modules re-exported from the MCP SDK, pydantic and Starlette
(``from fastmcp.tools.tool import TextContent``), which 3.0 and 4.0 stopped providing:
3.0 dropped them from ``fastmcp.server.server`` and 4.0 deleted ``fastmcp.tools.tool``,
``fastmcp.resources.resource`` and ``fastmcp.prompts.prompt`` with the rest.

Each is imported from where it is defined instead. The table was read off the installed
releases (2.13.3, 2.14.7, 3.0.2 and 3.4.11: every public name of those modules whose
``__module__`` is ``mcp.types``, a pydantic module exporting it at the top level, or a
public Starlette module) and every destination was imported in 3.0.2, 4.0.0 and 4.2.3. Names 4.0.0 and 4.2.3 still
provide where they were (``fastmcp.server.server.AnyUrl``) are left alone.
Each entry: the name as FastMCP exported it, the defining module, and the defining name
when FastMCP renamed it on import (``SDKTool`` is ``mcp.types.Tool``).
"""

from __future__ import annotations

from fastmcp_kit.upgrade.imports import Move

REEXPORTS: dict[str, tuple[tuple[str, str, str | None], ...]] = {
    "fastmcp.prompts.prompt": (
        ("AudioContent", "mcp.types", None),
        ("EmbeddedResource", "mcp.types", None),
        ("Field", "pydantic", None),
        ("GetPromptResult", "mcp.types", None),
        ("Icon", "mcp.types", None),
        ("ImageContent", "mcp.types", None),
        ("MCPPrompt", "mcp.types", "Prompt"),
        ("MCPPromptArgument", "mcp.types", "PromptArgument"),
        ("PromptMessage", "mcp.types", None),
        ("SDKPrompt", "mcp.types", "Prompt"),
        ("SDKPromptArgument", "mcp.types", "PromptArgument"),
        ("TextContent", "mcp.types", None),
        ("TypeAdapter", "pydantic", None),
    ),
    "fastmcp.resources.resource": (
        ("Annotations", "mcp.types", None),
        ("AnyUrl", "pydantic", None),
        ("ConfigDict", "pydantic", None),
        ("Field", "pydantic", None),
        ("Icon", "mcp.types", None),
        ("MCPResource", "mcp.types", "Resource"),
        ("SDKResource", "mcp.types", "Resource"),
        ("UrlConstraints", "pydantic", None),
        ("field_validator", "pydantic", None),
        ("model_validator", "pydantic", None),
    ),
    "fastmcp.server.server": (
        ("ASGIMiddleware", "starlette.middleware", "Middleware"),
        ("ErrorData", "mcp.types", None),
        ("GetPromptResult", "mcp.types", None),
        ("MCPPrompt", "mcp.types", "Prompt"),
        ("MCPResource", "mcp.types", "Resource"),
        ("MCPResourceTemplate", "mcp.types", "ResourceTemplate"),
        ("MCPTool", "mcp.types", "Tool"),
        ("Request", "starlette.requests", None),
        ("Response", "starlette.responses", None),
        ("Route", "starlette.routing", None),
        ("SDKPrompt", "mcp.types", "Prompt"),
        ("SDKResource", "mcp.types", "Resource"),
        ("SDKResourceTemplate", "mcp.types", "ResourceTemplate"),
        ("SDKTool", "mcp.types", "Tool"),
    ),
    "fastmcp.tools.tool": (
        ("BaseModel", "pydantic", None),
        ("CallToolResult", "mcp.types", None),
        ("Field", "pydantic", None),
        ("Icon", "mcp.types", None),
        ("MCPTool", "mcp.types", "Tool"),
        ("PydanticSchemaGenerationError", "pydantic", None),
        ("TextContent", "mcp.types", None),
        ("ToolAnnotations", "mcp.types", None),
        ("ToolExecution", "mcp.types", None),
        ("model_validator", "pydantic", None),
    ),
}


def reexport_moves() -> tuple[Move, ...]:
    """A renamed name keeps its spelling in the code through an alias."""
    return tuple(
        Move(module, name, defined_in, real_name, keep_alias=real_name is not None)
        for module, names in REEXPORTS.items()
        for name, defined_in, real_name in names
    )
