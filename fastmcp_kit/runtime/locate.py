"""Find the server the way the FastMCP CLI does: a ``fastmcp.json`` (its ``source``
path relative to the file, its ``entrypoint``), ``file.py:object``, or ``file.py``
(then the first of ``mcp``/``server``/``app``, decided by the probe)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastmcp_kit.errors import FkitError, shown_path

CONFIG_NAME = "fastmcp.json"


@dataclass(frozen=True)
class ServerTarget:
    """The server's file and object, and how ``fastmcp run`` would deploy it."""

    file: Path
    entrypoint: str | None
    # Where it was named: "fastmcp.json" or "the command line".
    origin: str
    # fastmcp.json's "deployment" table (transport, host, port, path), if any.
    deployment: dict[str, Any] = field(default_factory=dict)

    def environment(self) -> dict[str, str]:
        """``deployment.env`` with ``${VAR}`` filled from the environment, as
        ``fastmcp run fastmcp.json`` sets it before importing the server."""
        import os
        import re

        variables = self.deployment.get("env")
        if not isinstance(variables, dict):
            return {}

        def fill(match: re.Match[str]) -> str:
            return os.environ.get(match.group(1), match.group(0))

        return {
            str(key): re.sub(r"\$\{([^}]+)\}", fill, str(value)) for key, value in variables.items()
        }

    def working_folder(self, project: Path) -> Path:
        """``deployment.cwd`` (relative to fastmcp.json, in the project), else the project."""
        cwd = self.deployment.get("cwd")
        return (project / cwd).resolve() if isinstance(cwd, str) and cwd else project

    @property
    def spec(self) -> str:
        """The ``fastmcp run`` argument naming it."""
        return f"{self.file}:{self.entrypoint}" if self.entrypoint else str(self.file)


def _split_spec(text: str) -> tuple[str, str | None]:
    if ":" in text and not (len(text) > 1 and text[1] == ":" and text.count(":") == 1):
        path, name = text.rsplit(":", 1)
        return path, name or None
    return text, None


def _from_config(config: Path) -> ServerTarget:
    try:
        data = json.loads(config.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise FkitError(f"{shown_path(config)}: cannot read: {exc}") from None
    source = data.get("source") if isinstance(data, dict) else None
    if not isinstance(source, dict) or not isinstance(source.get("path"), str):
        raise FkitError(f"{shown_path(config)}: no source.path naming the server file")
    if source.get("type", "filesystem") != "filesystem":
        raise FkitError(f"{shown_path(config)}: source type {source['type']!r} is not a file")
    path, entrypoint = _split_spec(source["path"])
    entrypoint = source.get("entrypoint") or entrypoint
    deployment = data.get("deployment")
    return _checked(
        config.parent / path,
        entrypoint if isinstance(entrypoint, str) else None,
        CONFIG_NAME,
        deployment if isinstance(deployment, dict) else {},
    )


def _checked(
    file: Path, entrypoint: str | None, origin: str, deployment: dict[str, Any]
) -> ServerTarget:
    file = file.resolve()
    if not file.is_file():
        raise FkitError(f"{shown_path(file)} (from {origin}): no such file")
    return ServerTarget(file, entrypoint, origin, deployment)


def locate(project: Path, server: str | None) -> ServerTarget:
    """The server of ``project``; ``server`` (``--server``) is a ``file.py[:object]``
    or a fastmcp.json, relative to the project."""
    if server is not None:
        path, entrypoint = _split_spec(server)
        candidate = project / path
        if candidate.suffix == ".json":
            return _from_config(candidate)
        return _checked(candidate, entrypoint, "the command line", {})
    config = project / CONFIG_NAME
    if config.is_file():
        return _from_config(config)
    raise FkitError(
        f"no {CONFIG_NAME} in {shown_path(project)}: name the server, e.g. `--server server.py:mcp`"
    )


def split_path_argument(argument: Path) -> tuple[Path, str | None]:
    """``fkit doctor PATH``: a folder is the project; a file (``server.py[:mcp]``) is
    the server, in the project around it."""
    text, entrypoint = _split_spec(str(argument))
    path = Path(text)
    if path.is_dir() and entrypoint is None:
        return path.resolve(), None
    if path.is_file():
        from fastmcp_kit.project import find_root

        root = find_root(path)
        relative = path.resolve().relative_to(root).as_posix()
        return root, relative + (f":{entrypoint}" if entrypoint else "")
    raise FkitError(f"{argument}: no such file or folder")
