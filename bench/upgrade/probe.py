"""List one server's components through an in-memory ``fastmcp.Client``.

    <venv>/bin/python probe.py PROJECT_DIR IMPORT_ROOT path/to/module.py:object

Run by ``run.py`` inside a project's venv. ``IMPORT_ROOT`` (relative to the project)
goes first on ``sys.path`` and the module is imported by its dotted name from there,
so relative imports work. ``object`` is a server, or a function (sync or async,
no arguments) returning one; ``object()`` is accepted too. Prints one JSON line:
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


def load(project: Path, root: str, entry: str) -> Any:
    path, _, name = entry.partition(":")
    name = name.removesuffix("()")
    import_root = (project / root).resolve()
    sys.path.insert(0, str(import_root))
    module_path = (project / path).resolve().relative_to(import_root).with_suffix("")
    parts = list(module_path.parts)
    if parts[-1] == "__init__":
        parts.pop()
    module = importlib.import_module(".".join(parts))
    obj = module
    for attr in name.split("."):
        obj = getattr(obj, attr)
    return obj


async def server_of(obj: Any) -> Any:
    if hasattr(obj, "_mcp_server") or type(obj).__name__ in {"FastMCP", "MCPServer"}:
        return obj
    if callable(obj):
        made = obj()
        if inspect.isawaitable(made):
            made = await made
        return made
    return obj


async def main() -> None:
    project, root, entry = Path(sys.argv[1]), sys.argv[2], sys.argv[3]
    import fastmcp

    server = await server_of(load(project, root, entry))
    async with fastmcp.Client(server) as client:
        tools = await client.list_tools()
        resources = await client.list_resources()
        templates = await client.list_resource_templates()
        prompts = await client.list_prompts()
    print(
        json.dumps(
            {
                "ok": True,
                "fastmcp": fastmcp.__version__,
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
