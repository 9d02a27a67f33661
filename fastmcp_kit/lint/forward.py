"""Forward hazards: code that works on the release a project runs but breaks on a
newer release line its declared range admits (``fastmcp>=2.12`` locked at 2.13.1
admits 4.x; a fresh install or ``uv lock --upgrade`` brings it).

They are not errors: by default a project gets one summary line; ``--forward`` (or
``forward = true`` in ``[tool.fkit]``) lists them, each naming both versions.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fastmcp_kit.lint.cache import ResultCache
from fastmcp_kit.lint.registry import ENGINE_CODES
from fastmcp_kit.lint.runner import FileGroup, SourceFile, lint_groups
from fastmcp_kit.targets import ProjectVersions, Target

if TYPE_CHECKING:
    from fastmcp_kit.lint.plan import LintPlan
    from fastmcp_kit.lint.session import LintOptions, ProjectRun
    from fastmcp_kit.lint.violation import Violation
    from fastmcp_kit.workspace import Workspace


@dataclass
class ForwardRun:
    """A project run, the plan for its forward versions, and what the run found."""

    run: ProjectRun
    plan: LintPlan
    cache: ResultCache | None
    found: Sequence[Violation]


def _moved(versions: ProjectVersions) -> tuple[str, Target, Target] | None:
    """The distribution whose admitted line moved: its name, what runs, what a fresh
    install would run."""
    forward = versions.forward
    if forward is None:
        return None
    if versions.admitted_by.startswith("fastmcp") and versions.fastmcp and forward.fastmcp:
        return "FastMCP", versions.fastmcp, forward.fastmcp
    if versions.mcp and forward.mcp:
        return "mcp", versions.mcp, forward.mcp
    return None


def _ceiling(version: Target, ahead: Target) -> str:
    """The upper bound that keeps what runs: ``<4`` across a major, else ``<4.2``."""
    major, minor = ahead.version.release[:2]
    if version.version.release[0] != major:
        return f"<{major}"
    return f"<{major}.{minor}"


def marker(versions: ProjectVersions) -> str:
    moved = _moved(versions)
    if moved is None:
        return ""
    name, running, ahead = moved
    return (
        f" [forward: breaks on {name} {ahead.version}, which `{versions.admitted_by}` admits;"
        f" {running.version} runs ({running.source})]"
    )


def hazard_note(versions: ProjectVersions, count: int, shown: bool) -> str:
    """The one line a project gets for its forward hazards."""
    moved = _moved(versions)
    if moved is None:
        return ""
    name, running, ahead = moved
    distribution = "fastmcp" if name == "FastMCP" else "mcp"
    places = "1 place" if count == 1 else f"{count} places"
    advice = f"pin `{distribution}{_ceiling(running, ahead)}`"
    if name == "FastMCP":
        advice += f" or run `fkit upgrade --to {ahead.version.release[0]}`"
    listed = "listed above" if shown else "`--forward` lists them"
    return (
        f"{places} would break on {name} {ahead.version}, which `{versions.admitted_by}` admits"
        f" ({running.version} runs, from {running.source}): {advice}; {listed}."
    )


def _current(source: SourceFile, result: object) -> SourceFile:
    """The file as it is after this run's fixes."""
    fixed = getattr(result, "fixed_source", None)
    if fixed is None:
        return source
    encoding = getattr(result, "encoding", "utf-8")
    return replace(source, data=fixed.encode(encoding))


def forward_findings(
    workspace: Workspace, runs: Sequence[ForwardRun], options: LintOptions
) -> dict[Path, list[Violation]]:
    """Per project (root or script), what only the forward versions find, marked as such."""
    from fastmcp_kit.lint.session import project_findings

    if not runs:
        return {}
    groups = [
        FileGroup(
            [_current(s, r) for s, r in zip(f.run.sources, f.run.results, strict=True)],
            f.plan,
            f.cache,
        )
        for f in runs
    ]
    found: dict[Path, list[Violation]] = {}
    for forward, group, results in zip(
        runs, groups, lint_groups(groups, jobs=options.jobs), strict=True
    ):
        run = replace(forward.run, files=replace(forward.run.files, sources=list(group.sources)))
        ahead = [v for r in results for v in r.violations]
        ahead += project_findings(workspace, run, forward.plan, results, options, forward.cache)
        if forward.cache is not None:
            forward.cache.save()
        seen = {(v.filename, v.code, v.location) for v in forward.found}
        suffix = marker(run.project.versions)
        found[run.project.key] = [
            replace(v, message=v.message + suffix, fix=None)
            for v in ahead
            if v.code not in ENGINE_CODES and (v.filename, v.code, v.location) not in seen
        ]
    return found
