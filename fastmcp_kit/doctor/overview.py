"""The human part of a doctor run: which server and Python, every component with
its schema, and the sessions with their timings."""

from __future__ import annotations

import json
import os
from collections.abc import Iterator
from typing import Any

from fastmcp_kit.doctor.run import Outcome
from fastmcp_kit.doctor.schemas import signature
from fastmcp_kit.errors import shown_path

HEADINGS = {
    "tools": "Tools",
    "resources": "Resources",
    "resourceTemplates": "Resource templates",
    "prompts": "Prompts",
}


def overview(outcome: Outcome, schemas: bool = False) -> Iterator[str]:
    answer = outcome.answer
    target = outcome.target
    spec = os.path.relpath(target.file, outcome.project)
    spec += f":{target.entrypoint}" if target.entrypoint else ""
    name = (answer.get("initialize") or {}).get("name")
    yield f"Server {name or '(not loaded)'}: {spec} (from {target.origin})"
    versions = answer.get("versions", {})
    installed = ", ".join(f"{d} {versions.get(d) or '-'}" for d in ("fastmcp", "mcp"))
    yield f"Python {shown_path(outcome.python)} ({answer.get('python')}): {installed}"
    if not answer.get("load", {}).get("ok"):
        return
    for key, heading in HEADINGS.items():
        listed = answer.get("lists", {}).get(key, {})
        items = listed.get("items", [])
        yield f"{heading} ({'failed' if 'error' in listed else len(items)}):"
        for item in items:
            yield "  " + _line(key, item)
            if schemas and key == "tools":
                for part in ("inputSchema", "outputSchema"):
                    if part in item:
                        text = json.dumps(item[part], indent=2, sort_keys=True)
                        yield from (f"    {line}" for line in f"{part}: {text}".splitlines())
    calls = answer.get("calls")
    if calls is not None:
        yield f"Calls ({len(calls)}):"
        for call in calls:
            verdict = "ok" if call.get("ok") else f"failed: {call.get('error')}"
            yield f"  {call['name']}({_arguments(call['arguments'])}): {verdict}"
    sessions = list(_sessions(answer))
    if sessions:
        yield "Sessions:"
        yield from sessions
    if outcome.port is not None:
        host, port = outcome.port
        taken = any(v.code == "FMCPD403" for v in outcome.findings)
        yield f"Port {port} on {host} (HTTP deployment): {'in use' if taken else 'free'}"


def _line(key: str, item: dict[str, Any]) -> str:
    if key == "tools":
        return signature(item)
    if key == "prompts":
        arguments = [
            a["name"] + ("" if a.get("required") else "?") for a in item.get("arguments") or []
        ]
        return f"{item['name']}({', '.join(arguments)})"
    uri = item.get("uri") or item.get("uriTemplate")
    return f"{uri} ({item.get('name')})"


def _arguments(arguments: dict[str, Any]) -> str:
    return ", ".join(f"{name}={json.dumps(value)}" for name, value in arguments.items())


def _sessions(answer: dict[str, Any]) -> Iterator[str]:
    for key, label in (("stdio", "stdio"), ("http", "http")):
        session = answer.get(key)
        if session is None:
            continue
        if not session.get("ok"):
            yield f"  {label}: failed"
            continue
        timings = ", ".join(
            f"{step} {seconds:.2f} s" for step, seconds in session["seconds"].items()
        )
        note = (
            " (answered 401: the server requires a token)" if session.get("auth_required") else ""
        )
        yield f"  {label}: {timings}{note}"
