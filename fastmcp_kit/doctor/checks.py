"""From the probe's answer to findings: versions, the import, the components,
the sessions and the published schemas."""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from packaging.version import InvalidVersion, Version

from fastmcp_kit.doctor import settings
from fastmcp_kit.doctor.finding import finding
from fastmcp_kit.doctor.schemas import judge_tool
from fastmcp_kit.lint.violation import Violation
from fastmcp_kit.runtime.locate import ServerTarget

LIST_METHODS = {
    "tools": "tools/list",
    "resources": "resources/list",
    "resourceTemplates": "resources/templates/list",
    "prompts": "prompts/list",
}


def version_findings(root: Path, installed: dict[str, str | None]) -> Iterator[Violation]:
    """The installed fastmcp and mcp against the project's first pin and its lock."""
    from fastmcp_kit.project import read_pyproject
    from fastmcp_kit.targets import read_facts

    facts = read_facts(root, read_pyproject(root), boundary=None)
    for distribution, declared, lock in (
        ("fastmcp", facts.fastmcp, facts.fastmcp_lock),
        ("mcp", facts.mcp, facts.mcp_lock),
    ):
        text = installed.get(distribution)
        if text is None:
            continue
        try:
            version = Version(text)
        except InvalidVersion:
            continue
        if declared is not None and not declared.spec.contains(version, prereleases=True):
            yield finding(
                "FMCPD101",
                f"{distribution} {version} is installed, but {declared.source} requires "
                f"{distribution}{declared.spec}",
                root / declared.source.split()[0],
            )
        if lock is not None and lock.version != version:
            yield finding(
                "FMCPD102",
                f"{distribution} {version} is installed, but {lock.source} locks {lock.version}",
                root / lock.source.split()[0],
            )


def project_packages(root: Path) -> dict[str, Path]:
    """The project's own packages (``pkg/__init__.py`` in the root or ``src/``)."""
    found: dict[str, Path] = {}
    for folder in (root, root / "src"):
        if folder.is_dir():
            for entry in sorted(folder.iterdir()):
                if entry.is_dir() and (entry / "__init__.py").is_file():
                    found.setdefault(entry.name, entry)
    return found


def load_findings(
    root: Path, target: ServerTarget, error: dict[str, Any], packages: dict[str, Path]
) -> Iterator[Violation]:
    """Why the server did not load, under the CLI's conditions."""
    where = error.get("where") or {}
    file = Path(where["file"]) if where.get("file") else target.file
    row = where.get("line")
    text = f"{error['type']}: {error['message']}"
    component = error.get("component")
    missing = (error.get("missing_module") or "").split(".")[0]
    if error.get("not_found"):
        yield finding(
            "FMCPD204",
            f"no server for `fastmcp run {_spec(root, target)}`: {error['message']}",
            target.file,
        )
    elif component is not None:
        yield finding(
            "FMCPD301",
            f"{component['kind']} `{component['name']}` cannot be registered: {text}",
            file,
            row,
        )
    elif missing and missing in packages:
        yield finding(
            "FMCPD202",
            f"`fastmcp run` cannot import the project's package `{missing}` ({text}): "
            "it is not installed in this environment",
            file,
            row,
        )
    else:
        yield finding("FMCPD201", f"importing the server raises {text}", file, row)
    for name, line in settings.missing_named(root, error["message"]):
        yield finding(
            "FMCPD501",
            f"{name} is not set; the server's error names it",
            root / settings.EXAMPLE,
            line,
        )


def _spec(root: Path, target: ServerTarget) -> str:
    relative = os.path.relpath(target.file, root)
    return f"{relative}:{target.entrypoint}" if target.entrypoint else relative


def shadow_findings(
    root: Path, target: ServerTarget, loaded: dict[str, str | None], packages: dict[str, Path]
) -> Iterator[Violation]:
    """Project packages the server imported from somewhere other than their source."""
    for name, file in sorted(loaded.items()):
        source = packages.get(name)
        if file is None or source is None:
            continue
        if not Path(file).resolve().is_relative_to(source.resolve()):
            yield finding(
                "FMCPD203",
                f"the server imports `{name}` from {file}, not from {os.path.relpath(source, root)}",
                target.file,
            )


def list_findings(target: ServerTarget, lists: dict[str, Any]) -> Iterator[Violation]:
    for key, method in LIST_METHODS.items():
        error = lists.get(key, {}).get("error")
        if error:
            yield finding("FMCPD302", f"{method} fails: {error}", target.file)


def schema_findings(target: ServerTarget, tools: list[dict[str, Any]]) -> Iterator[Violation]:
    try:
        lines = target.file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for tool in tools:
        for problem in judge_tool(tool):
            yield finding(
                problem.code, problem.message, target.file, _def_line(lines, problem.tool)
            )


def _def_line(lines: list[str], function: str) -> int | None:
    """The line defining a tool's function in the server file, when it is there."""
    pattern = re.compile(rf"^\s*(async\s+)?def\s+{re.escape(function)}\s*\(")
    return next((row for row, line in enumerate(lines, 1) if pattern.match(line)), None)


def session_findings(target: ServerTarget, answer: dict[str, Any]) -> Iterator[Violation]:
    for key, code, what in (("stdio", "FMCPD401", "stdio"), ("http", "FMCPD402", "HTTP")):
        session = answer.get(key)
        if session is None or session.get("ok"):
            continue
        why = session.get("error") or "; ".join(
            f"{LIST_METHODS[k]} fails: {v}" for k, v in session.get("errors", {}).items()
        )
        yield finding(code, f"the {what} session fails: {why}", target.file)


def call_findings(target: ServerTarget, calls: list[dict[str, Any]]) -> Iterator[Violation]:
    """``--call``: results that break the published output schema. Other failures
    are shown, not reported: made-up arguments may be refused for good reasons."""
    try:
        lines = target.file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        lines = []
    for call in calls:
        if call.get("output_mismatch"):
            yield finding(
                "FMCPD303",
                f"tool `{call['name']}` called with {call['arguments']}: {call['error']}",
                target.file,
                _def_line(lines, call["name"]),
            )


_DECORATOR = re.compile(r"^\s*@\s*[A-Za-z_][\w.]*\.(tool|resource|prompt)\b")
_LISTS_OF = {
    "tool": ("tools",),
    "resource": ("resources", "resourceTemplates"),
    "prompt": ("prompts",),
}


def unlisted_findings(target: ServerTarget, lists: dict[str, Any]) -> Iterator[Violation]:
    """A kind the server file registers (``@x.tool``...) that the server lists none of.
    Fewer listed than decorated is left alone: tags, visibility and ``disable`` hide
    components on purpose; none at all, with the lists working, is the wrong server."""
    try:
        lines = target.file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return
    first: dict[str, int] = {}
    for row, line in enumerate(lines, 1):
        match = _DECORATOR.match(line)
        if match:
            first.setdefault(match.group(1), row)
    for kind, row in first.items():
        listed = [lists.get(key, {}) for key in _LISTS_OF[kind]]
        if any("error" in found for found in listed):
            continue
        if not any(found.get("items") for found in listed):
            yield finding(
                "FMCPD304",
                f"the server file registers {kind}s, but the server lists none",
                target.file,
                row,
            )
