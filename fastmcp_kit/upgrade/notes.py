"""Project-level findings of each step (fact sheet rows marked *report* that concern the
environment rather than a line of code), shown at the fastmcp pin."""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

from packaging.version import InvalidVersion, Version

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.pins import Needs
from fastmcp_kit.upgrade.steps import Step

_NOTES: dict[str, tuple[tuple[Severity, str], ...]] = {
    "2.14": (
        (
            Severity.INFO,
            "2.14: Docket (background tasks) is always on and servers advertise the task "
            "protocol; tasks through proxies are refused; fastmcp now needs mcp>=1.24,<2",
        ),
    ),
    "3": (
        (
            Severity.INFO,
            "3.x: pydocket only comes with the `fastmcp[tasks]` extra, and py-key-value-aio "
            "moves to 0.4.x (its sanitization helpers moved to "
            "`key_value.aio._utils.sanitization`)",
        ),
    ),
    "4": (
        (
            Severity.INFO,
            "4.x: the client HTTP stack is httpx2: TLS verification uses the OS trust store "
            "(truststore) and the loggers are `httpx2`/`httpcore2`",
        ),
        (
            Severity.INFO,
            "4.1: HTTP sessions expire after 30 idle minutes "
            "(`http_app(session_idle_timeout=...)`); OpenAPI path parameters reject "
            "`.`/`..`; MultiAuth scopes client IDs",
        ),
    ),
}


def project_notes(
    root: Path, steps: Sequence[Step], needs: Needs, source: Version | None = None
) -> list[tuple[Severity, str, str]]:
    """(severity, message, docs link) of the project-level findings of the plan; the
    notes about a release the project already runs (``source``) are left out, so a
    second run after the pins moved says nothing new."""
    link = steps[-1].link
    notes: list[tuple[Severity, str, str]] = []
    for step in steps:
        notes.extend(
            (severity, text, step.link)
            for severity, text in _NOTES.get(step.name, ())
            if source is None or source < _since(text)
        )
    for lock in ("uv.lock", "poetry.lock"):
        if _locks_fastmcp(root / lock):
            tool = lock.split(".")[0]
            notes.append(
                (
                    Severity.WARNING,
                    f"{lock} still pins the old fastmcp: run `{tool} lock` after the upgrade",
                    link,
                )
            )
    if needs.tasks and steps[-1].name == "4" and (source is None or source.major < 4):
        notes.append(
            (
                Severity.INFO,
                "4.x: background tasks come from the `fastmcp-tasks` package "
                "(`fastmcp[tasks]`) and are only negotiated on modern-era connections",
                link,
            )
        )
    return notes


def _since(note: str) -> Version:
    """The release a note is about, from its label: ``4.1: ...`` -> 4.1, ``4.x: ...`` -> 4.0."""
    label = note.partition(":")[0].replace(".x", ".0")
    try:
        return Version(label)
    except InvalidVersion:
        return Version("0")


def _locks_fastmcp(path: Path) -> bool:
    """Does this lock file pin fastmcp (an MCP SDK project's lock does not)?"""
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    return re.search(r'^name = "fastmcp"\s*$', text, re.MULTILINE) is not None
