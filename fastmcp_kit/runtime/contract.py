"""A server's public MCP contract, as a client sees it: the canonical JSON that
``fkit contract`` compares between revisions (shape: ``fkit_contract`` 1).

Tools, resources, templates and prompts in their MCP wire form, from ``tools/list``
and friends of an in-memory ``fastmcp.Client`` in the project's own Python, each
list sorted by its key; ``_meta`` dropped; the server's name and capabilities from
``initialize`` (its version is left out: it changes with every release).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from fastmcp_kit.errors import FkitError, shown_path
from fastmcp_kit.runtime.interpreter import choose_python
from fastmcp_kit.runtime.locate import ServerTarget, locate
from fastmcp_kit.runtime.runner import run_probe

CONTRACT_VERSION = 1
SORT_KEYS = {
    "tools": "name",
    "resources": "uri",
    "resourceTemplates": "uriTemplate",
    "prompts": "name",
}


def probe_request(project: Path, target: ServerTarget, **extra: Any) -> dict[str, Any]:
    """What the probe is asked: the server's file and object, and ``extra`` (sessions)."""
    return {
        "project": str(project),
        "cwd": str(target.working_folder(project)),
        "env": target.environment(),
        "file": str(target.file),
        "entrypoint": target.entrypoint,
        "spec": target.spec,
        **extra,
    }


def contract_from_answer(answer: dict[str, Any]) -> dict[str, Any]:
    """The canonical contract from a probe's answer; a server that did not load or a
    list that failed is an :class:`FkitError` (a contract with a hole would pass
    for one that lost components)."""
    load = answer.get("load", {})
    if not load.get("ok"):
        error = load.get("error", {})
        raise FkitError(f"the server did not load: {error.get('type')}: {error.get('message')}")
    contract: dict[str, Any] = {"fkit_contract": CONTRACT_VERSION}
    initialize = answer.get("initialize") or {}
    contract["server"] = {
        "name": initialize.get("name"),
        "capabilities": initialize.get("capabilities", {}),
    }
    for key, sort_key in SORT_KEYS.items():
        listed = answer["lists"][key]
        if "error" in listed:
            raise FkitError(f"{key}/list failed: {listed['error']}")
        contract[key] = sorted(listed["items"], key=lambda item: str(item.get(sort_key, "")))
    return contract


def dump_contract(
    project_dir: Path,
    *,
    server: str | None,
    python: Path | None,
    timeout: float,
    env: Mapping[str, str] | None = None,
) -> dict[str, Any]:
    """Load the server of ``project_dir`` (``server``: ``file.py[:object]`` or a
    fastmcp.json, default its fastmcp.json) in its own Python (``python``, default
    its ``.venv`` or the active one) and return its canonical contract. ``env``:
    variables set for the probe on top of fkit's environment and fastmcp.json's."""
    project = project_dir.resolve()
    if not project.is_dir():
        raise FkitError(f"{shown_path(project_dir)}: no such folder")
    target = locate(project, server)
    interpreter = choose_python(project, python)
    request = probe_request(project, target)
    request["env"] = {**request["env"], **(env or {})}
    answer = run_probe(interpreter, project, request, timeout)
    return contract_from_answer(answer)


def contract_json(contract: dict[str, Any]) -> str:
    """The contract as written to disk: sorted keys, 2-space indent, final newline."""
    return json.dumps(contract, indent=2, sort_keys=True, ensure_ascii=False) + "\n"
