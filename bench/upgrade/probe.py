"""List one server's components through an in-memory ``fastmcp.Client``.

    <venv>/bin/python probe.py PROJECT_DIR IMPORT_ROOT path/to/module.py:object

Run by ``run.py`` inside a project's venv. ``IMPORT_ROOT`` (relative to the project;
empty: the folder above the file's outermost package) goes first on ``sys.path`` and the module is imported by its dotted name from there,
so relative imports work. ``object`` is a name or an expression evaluated in the
module's namespace (``make_server(debug=False).mcp``) giving a server, an awaitable of
one, or a function (sync or async, no arguments) returning one. Prints one JSON line:
``{"ok": true, "fastmcp": ..., "tools": {name: input_schema}, "resources": [...],
"templates": [...], "prompts": {name: [arguments]}}``; errors go to stderr with a
non-zero exit. Nothing is called but the list endpoints.
"""

from __future__ import annotations

import asyncio
import importlib
import inspect
import json
import sys
from pathlib import Path
from typing import Any


def import_root_of(file: Path) -> Path:
    """The folder above the outermost package holding ``file``."""
    folder = file.parent
    while (folder / "__init__.py").is_file():
        folder = folder.parent
    return folder


def load(project: Path, root: str, entry: str) -> Any:
    path, _, expression = entry.partition(":")
    file = (project / path).resolve()
    import_root = (project / root).resolve() if root else import_root_of(file)
    sys.path.insert(0, str(import_root))
    module_path = file.relative_to(import_root).with_suffix("")
    parts = list(module_path.parts)
    if parts[-1] == "__init__":
        parts.pop()
    module = importlib.import_module(".".join(parts))
    # a name, or an expression in the module's namespace: `make_server(debug=False).mcp`
    return eval(expression, vars(module))


async def server_of(obj: Any) -> Any:
    if inspect.isawaitable(obj):
        obj = await obj
    if hasattr(obj, "_mcp_server") or type(obj).__name__ in {"FastMCP", "MCPServer"}:
        return obj
    if callable(obj):
        made = obj()
        if inspect.isawaitable(made):
            made = await made
        return made
    return obj


async def list_sdk(server: Any) -> tuple[Any, Any, Any, Any]:
    """An MCP SDK server (``mcp.server.fastmcp``) in a venv without fastmcp."""
    from mcp.shared.memory import create_connected_server_and_client_session

    low = getattr(server, "_mcp_server", server)
    async with create_connected_server_and_client_session(low) as session:
        return (
            (await session.list_tools()).tools,
            (await session.list_resources()).resources,
            (await session.list_resource_templates()).resourceTemplates,
            (await session.list_prompts()).prompts,
        )


async def main() -> None:
    project, root, entry = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    server = await server_of(load(project, root, entry))
    try:
        import fastmcp
    except ImportError:
        version = "-"
        tools, resources, templates, prompts = await list_sdk(server)
    else:
        version = fastmcp.__version__
        async with fastmcp.Client(server) as client:
            tools = await client.list_tools()
            resources = await client.list_resources()
            templates = await client.list_resource_templates()
            prompts = await client.list_prompts()
    print(
        json.dumps(
            {
                "ok": True,
                "fastmcp": version,
                "server_class": f"{type(server).__module__}.{type(server).__name__}",
                "tools": {t.name: t.inputSchema for t in tools},
                "resources": sorted(str(r.uri) for r in resources),
                "templates": sorted(str(t.uriTemplate) for t in templates),
                "prompts": {p.name: sorted(a.name for a in (p.arguments or [])) for p in prompts},
            },
            sort_keys=True,
        )
    )


if __name__ == "__main__":
    asyncio.run(main())
