"""``fkit lint --show-settings`` and ``--show-files``: what a run would assume and
read, without linting anything."""

from __future__ import annotations

from typing import TextIO

from fastmcp_kit.lint.session import LintOptions, collect, plan_for
from fastmcp_kit.workspace import Project, Workspace


def show(options: LintOptions, *, settings: bool, files: bool, out: TextIO) -> int:
    """Print what was asked; the exit status (2 when some file could not be read)."""
    import sys
    from pathlib import Path

    from fastmcp_kit.problems import Problems

    workspace = Workspace(
        Path(options.config) if options.config else None,
        options.fastmcp_version,
        options.config_overrides,
    )
    problems = Problems()
    groups = collect(workspace, options, problems)
    problems.print(sys.stderr)
    if not groups:
        out.write("No files to lint under the given paths.\n")
    for number, group in enumerate(groups):
        if settings:
            if number:
                out.write("\n")
            _settings(group.project, options, len(group.sources), out)
        if files:
            out.writelines(f"{source.display}\n" for source in group.sources)
    return 2 if problems.has_errors else 0


def _settings(project: Project, options: LintOptions, count: int, out: TextIO) -> None:
    versions = project.versions
    plan = plan_for(project, options, versions, "none")
    configured = project.settings.path
    lines = [
        f"Project root: {project.root}",
        f"Configuration: {configured if configured else 'none found (defaults)'}",
    ]
    if versions.fastmcp is None:
        lines.append("FastMCP: not a dependency (SDK-only project): standalone-FastMCP rules off")
    else:
        lines.append(f"FastMCP: {versions.fastmcp.version} ({versions.fastmcp.source})")
    if versions.mcp is not None:
        lines.append(f"mcp: {versions.mcp.version} ({versions.mcp.source})")
    forward = versions.forward
    if forward is not None:
        ahead = forward.describe()
        lines.append(f"Forward: {ahead}, admitted by `{versions.admitted_by}`")
    rules = [entry.code for entry in plan.entries if plan.applies(entry)]
    lines.append(f"Enabled rules ({len(rules)}): {', '.join(rules) or 'none'}")
    lines.append(f"Files: {count}")
    out.writelines(f"{line}\n" for line in lines)
