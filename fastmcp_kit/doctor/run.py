"""One ``fkit doctor`` run: find the server and its Python, probe it, judge the answer."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastmcp_kit.doctor import checks, ports
from fastmcp_kit.doctor.finding import finding
from fastmcp_kit.lint.violation import Violation
from fastmcp_kit.runtime.contract import probe_request
from fastmcp_kit.runtime.interpreter import choose_python
from fastmcp_kit.runtime.locate import ServerTarget, locate
from fastmcp_kit.runtime.runner import run_probe

DEFAULT_PORT = 8000  # FastMCP's own default (settings.port)


@dataclass(frozen=True)
class DoctorOptions:
    project: Path
    server: str | None = None
    python: Path | None = None
    timeout: float = 60.0
    sessions: bool = True
    port: int | None = None
    # --call: every read-only tool; --call-tool NAME: those named, read-only or not.
    call_read_only: bool = False
    call_tools: tuple[str, ...] = ()


@dataclass
class Outcome:
    """What the run learnt: the probe's answer and the findings."""

    project: Path
    target: ServerTarget
    python: Path
    answer: dict[str, Any]
    findings: list[Violation] = field(default_factory=list)
    # (host, port) checked for a clash, and who holds it when taken.
    port: tuple[str, int] | None = None


def _configured_port(target: ServerTarget, override: int | None) -> tuple[str, int, bool]:
    """The host and port ``fastmcp run --transport http`` would bind, and whether the
    deployment is HTTP (then a clash stops the server as configured)."""
    deployment = target.deployment
    host = str(deployment.get("host") or "127.0.0.1")
    port = override or deployment.get("port") or os.environ.get("FASTMCP_PORT") or DEFAULT_PORT
    transport = str(deployment.get("transport") or "stdio")
    return host, int(port), transport != "stdio"


def run_doctor(options: DoctorOptions) -> Outcome:
    project = options.project.resolve()
    target = locate(project, options.server)
    python = choose_python(project, options.python)
    packages = checks.project_packages(project)
    extra: dict[str, Any] = {"packages": sorted(packages), "session_timeout": options.timeout}
    if options.sessions:
        path = str(target.deployment.get("path") or "/mcp")
        extra.update(stdio=True, http_port=ports.free_port(), http_path=path)
    if options.call_read_only or options.call_tools:
        extra["call"] = {"read_only": options.call_read_only, "names": list(options.call_tools)}
    request = probe_request(project, target, **extra)
    # Loading and each session are bounded by the timeout.
    answer = run_probe(python, project, request, options.timeout)
    outcome = Outcome(project, target, python, answer)
    found = outcome.findings
    found += checks.version_findings(project, answer.get("versions", {}))
    load = answer.get("load", {})
    if not load.get("ok"):
        found += checks.load_findings(project, target, load.get("error", {}), packages)
    else:
        found += checks.shadow_findings(project, target, answer.get("packages", {}), packages)
        lists = answer.get("lists", {})
        found += checks.list_findings(target, lists)
        found += checks.unlisted_findings(target, lists)
        found += checks.schema_findings(target, lists.get("tools", {}).get("items", []))
        found += checks.session_findings(target, answer)
        found += checks.call_findings(target, answer.get("calls", []))
    found += _port_findings(outcome, options.port)
    found.sort(key=lambda v: (v.filename, v.location.row, v.code))
    return outcome


def _port_findings(outcome: Outcome, override: int | None) -> list[Violation]:
    """A clash on the port the server deploys on over HTTP (fastmcp.json's
    deployment, or ``--port``); a stdio deployment binds no port."""
    host, port, http_deployment = _configured_port(outcome.target, override)
    if not http_deployment and override is None:
        return []
    outcome.port = (host, port)
    if not ports.in_use(host, port):
        return []
    who = ports.holder(port)
    held = f" by {who}" if who else ""
    config = outcome.project / "fastmcp.json"
    where = config if override is None and config.is_file() else outcome.target.file
    message = (
        f"port {port} on {host} is already in use{held}: "
        "`fastmcp run --transport http` cannot bind it"
    )
    return [finding("FMCPD403", message, where, _port_line(where, port))]


def _port_line(file: Path, port: int) -> int | None:
    if file.name != "fastmcp.json":
        return None
    try:
        lines = file.read_text(encoding="utf-8").splitlines()
    except OSError:
        return None
    return next((row for row, line in enumerate(lines, 1) if f'"port": {port}' in line), None)
