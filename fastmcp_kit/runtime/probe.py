"""The probe: run by the *project's* Python, never imported by fkit.

fkit starts ``python -c BOOTSTRAP probe.py REQUEST_JSON`` in the project folder. This
file uses the standard library and the project's own ``fastmcp`` only (fkit is usually
not installed there). It loads the server the way ``fastmcp run`` does (2.13 to 4.2:
``FileSystemSource``): the file's folder first on ``sys.path``, the file imported as
``server_module``, then the named object or the first of ``mcp``/``server``/``app``,
a no-argument factory called. It lists what an in-memory ``fastmcp.Client`` sees and,
when asked, opens real sessions over stdio and HTTP through ``fastmcp run``.

Everything the server prints goes to stderr; stdout carries one JSON document.
"""

from __future__ import annotations

import asyncio
import importlib
import importlib.metadata
import importlib.util
import inspect
import json
import os
import sys
import threading
import traceback
from pathlib import Path
from typing import Any


class NotFound(LookupError):
    """The module imported, but holds no server where the CLI looks."""


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _error(exc: BaseException, project: Path) -> dict[str, Any]:
    """The exception's text, where in the project it was raised, and the component
    fastmcp was building then (a decorator's frame holds the function as ``fn``)."""
    where: dict[str, Any] | None = None
    component: dict[str, Any] | None = None
    for frame, line in traceback.walk_tb(exc.__traceback__):
        filename = frame.f_code.co_filename
        if _is_below(filename, project) and "site-packages" not in filename:
            where = {"file": filename, "line": line}
        if f"{os.sep}fastmcp{os.sep}" in filename:
            function = frame.f_locals.get("fn")
            if component is None and callable(function):
                component = {
                    "kind": _kind_of(filename),
                    "name": getattr(function, "__name__", repr(function)),
                }
            elif component is not None and component["kind"] == "component":
                # 2.x decorates in server.py: the tools/ module below it says which kind.
                component["kind"] = _kind_of(filename)
    if isinstance(exc, SyntaxError) and exc.filename and _is_below(exc.filename, project):
        where = {"file": exc.filename, "line": exc.lineno}
    return {
        "type": type(exc).__name__,
        # The first paragraph, on one line (pydantic's advice after it is generic).
        "message": " ".join(str(exc).strip().split("\n\n")[0].split()),
        "where": where,
        "component": component,
        "not_found": isinstance(exc, NotFound),
        "missing_module": getattr(exc, "name", None)
        if isinstance(exc, ModuleNotFoundError)
        else None,
    }


def _kind_of(filename: str) -> str:
    for folder, kind in (("tools", "tool"), ("resources", "resource"), ("prompts", "prompt")):
        if f"{os.sep}{folder}{os.sep}" in filename or f"{os.sep}{folder}.py" in filename:
            return kind
    return "component"


def _is_below(filename: str, folder: Path) -> bool:
    if filename.startswith("<"):  # <frozen importlib._bootstrap>, <string>
        return False
    try:
        Path(filename).resolve().relative_to(folder)
    except (ValueError, OSError):
        return False
    return True


def load_server(file: Path, entrypoint: str | None) -> Any:
    """``FileSystemSource.load_server`` without its ``sys.exit`` calls."""
    folder = str(file.parent)
    if folder not in sys.path:
        sys.path.insert(0, folder)
    spec = importlib.util.spec_from_file_location("server_module", file)
    if spec is None or spec.loader is None:
        raise ImportError(f"cannot load {file} as a module")
    module = importlib.util.module_from_spec(spec)
    sys.modules["server_module"] = module
    spec.loader.exec_module(module)
    server_types = _server_types()
    if entrypoint:
        obj = getattr(module, entrypoint, None)
        if obj is None:
            raise NotFound(f"no object named {entrypoint!r} in {file.name}")
        name = entrypoint
    else:
        for name in ("mcp", "server", "app"):
            obj = getattr(module, name, None)
            if isinstance(obj, server_types):
                break
        else:
            raise NotFound(
                f"no server named mcp, server or app in {file.name}; name it as `{file.name}:OBJECT`"
            )
    if inspect.isfunction(obj) or inspect.iscoroutinefunction(obj):
        obj = obj()
        if inspect.iscoroutine(obj):
            obj = asyncio.run(obj)
        if not isinstance(obj, server_types):
            raise NotFound(f"factory {name!r} returned {type(obj).__name__}, not a server")
    return obj


def _server_types() -> tuple[type, ...]:
    found: list[type] = [importlib.import_module("fastmcp").FastMCP]
    for module, name in (("mcp.server.mcpserver", "MCPServer"), ("mcp.server.fastmcp", "FastMCP")):
        try:
            found.append(getattr(importlib.import_module(module), name))
        except (ImportError, AttributeError):
            continue
    return tuple(found)


def _wire(item: Any) -> dict[str, Any]:
    data: dict[str, Any] = item.model_dump(by_alias=True, exclude_none=True, mode="json")
    data.pop("_meta", None)
    data.pop("meta", None)
    return data


async def _lists(client: Any) -> dict[str, Any]:
    """Each list as the wire form, or the Python error that stopped it."""
    calls = {
        "tools": client.list_tools,
        "resources": client.list_resources,
        "resourceTemplates": client.list_resource_templates,
        "prompts": client.list_prompts,
    }
    found: dict[str, Any] = {}
    for key, call in calls.items():
        try:
            found[key] = {"items": [_wire(item) for item in await call()]}
        except Exception as exc:
            found[key] = {"error": f"{type(exc).__name__}: {exc}".strip()}
    return found


def _initialize(client: Any) -> dict[str, Any] | None:
    """The server's name and capabilities: era-neutral properties on 4.x (a modern
    ``server/discover`` connection has no ``initialize_result``), else initialize's."""
    info = getattr(client, "server_info", None)
    capabilities = getattr(client, "server_capabilities", None)
    if info is None or capabilities is None:
        result = getattr(client, "initialize_result", None)
        if result is None:
            return None
        info, capabilities = result.serverInfo, result.capabilities
    return {"name": info.name, "version": info.version, "capabilities": _wire(capabilities)}


async def in_memory(server: Any, call: dict[str, Any]) -> dict[str, Any]:
    client_class = importlib.import_module("fastmcp").Client
    async with client_class(server) as client:
        found: dict[str, Any] = {
            "initialize": _initialize(client),
            "lists": await _lists(client),
        }
        if call:
            tools = found["lists"]["tools"].get("items", [])
            found["calls"] = [await _call(client, t) for t in tools if _chosen(t, call)]
        return found


def _chosen(tool: dict[str, Any], call: dict[str, Any]) -> bool:
    """Tools named by the user, and with ``read_only`` those that say they only read."""
    read_only = (tool.get("annotations") or {}).get("readOnlyHint") is True
    return tool["name"] in call.get("names", []) or (bool(call.get("read_only")) and read_only)


_MISMATCH = ("Output validation error", "Invalid structured content")


async def _call(client: Any, tool: dict[str, Any]) -> dict[str, Any]:
    """One call with arguments made up from the input schema; whether the result
    breaks the tool's output schema (the server says so on 2.x, the SDK's client
    on 3.x and later)."""
    examples = _load_sibling("examples")
    arguments = examples.arguments(tool.get("inputSchema") or {})
    outcome: dict[str, Any] = {"name": tool["name"], "arguments": arguments}
    try:
        result = await client.call_tool_mcp(tool["name"], arguments)
    except Exception as exc:
        text = f"{type(exc).__name__}: {exc}"
    else:
        if not result.isError:
            return {**outcome, "ok": True}
        text = " ".join(getattr(part, "text", "") for part in result.content)
    text = " ".join(text.split("\n\n")[0].split())
    mismatch = any(marker in text for marker in _MISMATCH)
    return {**outcome, "ok": False, "error": text, "output_mismatch": mismatch}


def _load_sibling(name: str) -> Any:
    """A module shipped beside this file, loaded by path: fkit's folder is never put
    on the project's sys.path."""
    spec = importlib.util.spec_from_file_location(
        f"_fkit_{name}", Path(__file__).with_name(f"{name}.py")
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def probe(request: dict[str, Any], answer: Any = None) -> dict[str, Any]:
    project = Path(request["project"]).resolve()
    result: dict[str, Any] = {
        "python": sys.version.split()[0],
        "executable": sys.executable,
        "versions": {name: _version(name) for name in ("fastmcp", "mcp", "pydantic")},
    }
    if result["versions"]["fastmcp"] is None or importlib.util.find_spec("fastmcp") is None:
        result["no_fastmcp"] = True
        return result
    # An import that blocks (a service waited for, a sleep, a prompt) cannot be
    # interrupted: a watchdog answers for it and ends the process.
    limit = float(request.get("load_timeout", 60))
    watchdog = threading.Timer(limit, _give_up, (answer, {"load_timeout": limit}))
    watchdog.daemon = True
    watchdog.start()
    try:
        server = load_server(Path(request["file"]), request.get("entrypoint"))
    except BaseException as exc:  # SystemExit at import is a finding too
        if isinstance(exc, KeyboardInterrupt):
            raise
        result["load"] = {"ok": False, "error": _error(exc, project)}
        return result
    finally:
        watchdog.cancel()
    result["load"] = {
        "ok": True,
        "server_type": f"{type(server).__module__}.{type(server).__name__}",
    }
    result["packages"] = {
        name: getattr(sys.modules.get(name), "__file__", None)
        for name in request.get("packages", [])
    }
    result.update(asyncio.run(in_memory(server, request.get("call") or {})))
    spec, cwd = request["spec"], request.get("cwd") or str(project)
    sessions = _load_sibling("sessions")
    timeout = float(request.get("session_timeout", 30))
    if request.get("stdio"):
        result["stdio"] = asyncio.run(sessions.stdio_session(spec, cwd, timeout, _lists))
    if request.get("http_port"):
        port, path = int(request["http_port"]), request.get("http_path") or "/mcp"
        result["http"] = asyncio.run(sessions.http_session(spec, cwd, port, path, timeout, _lists))
    return result


def _give_up(answer: Any, result: dict[str, Any]) -> None:
    if answer is not None:
        json.dump(result, answer)
        answer.write("\n")
        answer.flush()
    os._exit(0)


def main() -> None:
    request = json.loads(sys.argv[1])
    # Whatever the server prints (banners, logs, print()) must not corrupt the answer.
    answer = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    try:
        result = probe(request, answer)
    except BaseException as exc:  # reported, never a traceback in fkit
        if isinstance(exc, KeyboardInterrupt):
            raise
        result = {"crash": f"{type(exc).__name__}: {exc}".strip()}
    json.dump(result, answer)
    answer.write("\n")
    answer.flush()


if __name__ == "__main__":
    main()
