"""One ``fkit lint`` invocation: projects, discovery, the run, write-back.

Each file is linted for its own project: that project's ``[tool.fkit]`` and the
FastMCP and SDK releases it runs (:mod:`fastmcp_kit.workspace`). Project-wide rules
see every file of the project, the ones not named too. Where a project's declared
range admits a newer release line than the one it runs, the run is repeated for
that line and what only it finds is a forward hazard (:mod:`fastmcp_kit.lint.forward`).
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from fastmcp_kit.config import Config
from fastmcp_kit.errors import FkitError
from fastmcp_kit.lint.cache import ResultCache
from fastmcp_kit.lint.forward import ForwardRun, forward_findings, hazard_note
from fastmcp_kit.lint.plan import FixMode, LintPlan
from fastmcp_kit.lint.project_pass import project_violations
from fastmcp_kit.lint.registry import select_codes
from fastmcp_kit.lint.rule_index import rule_index
from fastmcp_kit.lint.runner import FileGroup, LintResult, SourceFile, lint_groups
from fastmcp_kit.lint.sources import (
    ProjectFiles,
    discover_files,
    project_files,
    read_source,
    stdin_source,
)
from fastmcp_kit.report import LintReport, ProjectSummary
from fastmcp_kit.targets import ProjectVersions, Target
from fastmcp_kit.versions import NEWEST
from fastmcp_kit.workspace import Project, Workspace

if TYPE_CHECKING:
    from fastmcp_kit.lint.violation import Violation


@dataclass(frozen=True)
class LintOptions:
    """The command line's choices; None means "as configured"."""

    paths: Sequence[str]
    select: Sequence[str] | None = None
    extend_select: Sequence[str] = ()
    ignore: Sequence[str] = ()
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    fastmcp_version: str | None = None
    jobs: int = 1
    use_cache: bool = True
    stdin_filename: str | None = None
    config: str | None = None
    forward: bool | None = None


@dataclass(frozen=True)
class LintOutcome:
    report: LintReport
    config: Config
    target: Target | None
    diffs: list[str]
    # Fixed source for stdin (printed instead of written).
    stdin_fixed: str | None = None


@dataclass
class ProjectRun:
    """One project's part of the run."""

    files: ProjectFiles
    plan: LintPlan
    cache: ResultCache | None
    results: list[LintResult]

    @property
    def project(self) -> Project:
        return self.files.project

    @property
    def sources(self) -> list[SourceFile]:
        return self.files.sources


def _fix_mode(options: LintOptions) -> FixMode:
    if not (options.fix or options.diff):
        return "none"
    return "unsafe" if options.unsafe_fixes else "safe"


def plan_for(
    project: Project, options: LintOptions, versions: ProjectVersions, fix: FixMode
) -> LintPlan:
    """A project's settings, checked against the rule index: no rule is imported."""
    config = project.config
    index = rule_index()
    codes = select_codes(
        {code: entry.default_enabled for code, entry in index.items()},
        options.select if options.select is not None else config.select,
        [*config.extend_select, *options.extend_select],
        [*config.ignore, *options.ignore],
    )
    where = f" (in {project.settings.path})" if project.settings.path else ""
    for code in config.rules:
        if code not in index:
            raise FkitError(f"[tool.fkit.rules.{code}]: no rule has that code{where}")
    tables = tuple((code, config.rules.get(code, {})) for code in codes)
    try:
        for code, table in tables:
            index[code].option_values(table)
    except ValueError as exc:
        raise FkitError(f"[tool.fkit.rules]: {exc}{where}") from None
    base = project.settings.base
    prefix = ""
    if base is not None and base.resolve() != project.root:
        prefix = Path(os.path.relpath(project.root, base)).as_posix() + "/"
    return LintPlan(
        rule_codes=tuple(codes),
        target=versions.fastmcp.version if versions.fastmcp else NEWEST,
        root=project.root,
        entrypoints=project.entrypoints,
        local_modules=project.local_modules,
        option_tables=tuple((code, table) for code, table in tables if table),
        per_file_ignores=tuple(config.per_file_ignores.items()),
        fix=fix,
        mcp_target=versions.mcp.version if versions.mcp else None,
        uses_fastmcp=versions.fastmcp is not None,
        ignores_prefix=prefix,
    )


def collect(workspace: Workspace, options: LintOptions) -> list[ProjectFiles]:
    """The run's files grouped by project, in the order they were found."""
    if list(options.paths) == ["-"]:
        return [stdin_source(workspace, options.stdin_filename)]
    if "-" in options.paths:
        raise FkitError("'-' (stdin) cannot be combined with other paths")
    cwd = os.getcwd()
    groups: dict[Path, ProjectFiles] = {}
    for path, project in discover_files(workspace, options.paths):
        files = groups.setdefault(project.root, ProjectFiles(project))
        files.sources.append(read_source(path, project, cwd))
    return list(groups.values())


def _reads(plan: LintPlan, source: SourceFile) -> bool:
    """Whether some enabled rule reads this file (any rule reads Python)."""
    from fastmcp_kit.lint.discovery import is_python_file

    name = Path(source.match).name
    return (
        is_python_file(name)
        or source.path is None
        or any(entry.matches_file(name) for entry in plan.text_rule_entries())
    )


def _unified_diff(result: LintResult) -> str:
    import difflib

    from fastmcp_kit.lint.lines import split_lines

    assert result.source is not None and result.fixed_source is not None
    return "".join(
        difflib.unified_diff(
            split_lines(result.source, keepends=True),
            split_lines(result.fixed_source, keepends=True),
            fromfile=f"a/{result.path}",
            tofile=f"b/{result.path}",
        )
    )


def _covers(paths: Sequence[str], root: Path) -> bool:
    """Whether a path named on the command line holds the whole project."""
    for name in paths:
        path = Path(name).resolve()
        if path.is_dir() and (path == root or path in root.parents):
            return True
    return False


def project_findings(
    workspace: Workspace,
    run: ProjectRun,
    plan: LintPlan,
    results: Sequence[LintResult],
    options: LintOptions,
    cache: ResultCache | None,
) -> list[Violation]:
    """Project rules' findings in the run's files of one project, judged on every
    file of the project (read from disk, or the cache, when not named)."""
    if not plan.project_rule_codes():
        return []
    given = {source.match for source in run.sources}
    others: list[SourceFile] = []
    if not _covers(options.paths, run.project.root):
        cwd = os.getcwd()
        for path in project_files(workspace, run.project):
            source = read_source(path, run.project, cwd)
            if source.match not in given:
                others.append(source)
    check_only = replace(plan, fix="none")
    other_results = lint_groups([FileGroup(others, check_only, cache)], jobs=options.jobs)[0]
    return project_violations(
        [*run.sources, *others],
        [*results, *other_results],
        plan,
        cache,
        reported=frozenset(given),
    )


def _write_back(runs: Sequence[ProjectRun], options: LintOptions) -> tuple[list[str], str | None]:
    diffs: list[str] = []
    stdin_fixed = None
    for run in runs:
        for source, result in zip(run.sources, run.results, strict=True):
            if result.fixed_source is None:
                continue
            if options.diff:
                diffs.append(_unified_diff(result))
            elif source.path is None:
                stdin_fixed = result.fixed_source
            else:
                from fastmcp_kit.atomic import write_text_atomic

                write_text_atomic(source.path, result.fixed_source, encoding=result.encoding)
    if options.paths == ["-"] and options.fix and not options.diff and stdin_fixed is None:
        first = runs[0].results[0] if runs and runs[0].results else None
        stdin_fixed = first.source if first is not None and first.source is not None else ""
    return diffs, stdin_fixed


def run_lint(options: LintOptions) -> LintOutcome:
    workspace = Workspace(Path(options.config) if options.config else None, options.fastmcp_version)
    use_cache = options.use_cache and options.paths != ["-"]
    runs: list[ProjectRun] = []
    for files in collect(workspace, options):
        project = files.project
        plan = plan_for(project, options, project.versions, _fix_mode(options))
        files.sources = [source for source in files.sources if _reads(plan, source)]
        cache = ResultCache(project.root, plan.fingerprint()) if use_cache else None
        runs.append(ProjectRun(files, plan, cache, []))
    groups = [FileGroup(run.sources, run.plan, run.cache) for run in runs]
    for run, results in zip(runs, lint_groups(groups, jobs=options.jobs), strict=True):
        run.results = results
    diffs, stdin_fixed = _write_back(runs, options)

    violations: list[Violation] = []
    summaries: list[ProjectSummary] = []
    forward_runs: list[ForwardRun] = []
    for run in runs:
        found = [v for r in run.results for v in r.violations]
        found += project_findings(workspace, run, run.plan, run.results, options, run.cache)
        violations += found
        forward = _forward(run, options, use_cache)
        if forward is not None:
            forward_runs.append(ForwardRun(run, forward[0], forward[1], found))
    hazards = forward_findings(workspace, forward_runs, options)
    show_forward = _show_forward(options, runs)
    for run in runs:
        found_ahead = hazards.get(run.project.root, [])
        if show_forward:
            violations += found_ahead
        summaries.append(_summary(run, found_ahead, show_forward))
        if run.cache is not None:
            run.cache.save()
    violations.sort(key=lambda v: v.sort_key)
    first = runs[0].project if runs else None
    report = LintReport(
        violations=violations,
        files_checked=sum(len(run.sources) for run in runs),
        fixes_applied=0
        if options.diff
        else sum(r.fixes_applied for run in runs for r in run.results),
        unsafe_fixes_enabled=options.unsafe_fixes,
        fix_enabled=options.fix,
        target=first.versions.describe() if first else "",
        notes=_notes(runs),
        projects=summaries,
    )
    config = first.config if first else workspace.settings_for(Path.cwd()).config
    target = first.versions.fastmcp if first else None
    return LintOutcome(report, config, target, diffs, stdin_fixed)


def _forward(
    run: ProjectRun, options: LintOptions, use_cache: bool
) -> tuple[LintPlan, ResultCache | None] | None:
    """The plan for what a fresh install would run, when that is a newer line."""
    forward = run.project.versions.forward
    if forward is None or not run.sources:
        return None
    plan = plan_for(run.project, options, forward, "none")
    cache = ResultCache(run.project.root, plan.fingerprint()) if use_cache else None
    return plan, cache


def _show_forward(options: LintOptions, runs: Sequence[ProjectRun]) -> bool:
    if options.forward is not None:
        return options.forward
    return any(run.project.config.forward for run in runs)


def _display_root(root: Path) -> str:
    relative = os.path.relpath(root, Path.cwd())
    return (
        "." if relative == "." else Path(root if relative.startswith("..") else relative).as_posix()
    )


def _summary(run: ProjectRun, ahead: Sequence[Violation], shown: bool) -> ProjectSummary:
    versions = run.project.versions
    return ProjectSummary(
        root=_display_root(run.project.root),
        files=len(run.sources),
        versions=versions.describe(),
        fastmcp=None if versions.fastmcp is None else str(versions.fastmcp.version),
        fastmcp_source=None if versions.fastmcp is None else versions.fastmcp.source,
        mcp=None if versions.mcp is None else str(versions.mcp.version),
        mcp_source=None if versions.mcp is None else versions.mcp.source,
        hazards=len(ahead),
        hazard_note=hazard_note(versions, len(ahead), shown) if ahead else "",
    )


def _notes(runs: Sequence[ProjectRun]) -> list[str]:
    """One notice per release fkit's API data does not know yet."""
    from packaging.version import Version

    from fastmcp_kit.apisurface import dumped_releases

    newest = max(Version(v) for v in dumped_releases())
    notes = []
    for target in sorted(
        {
            run.project.versions.fastmcp.version
            for run in runs
            if run.project.versions.fastmcp is not None and run.sources
        }
    ):
        if target.release[:2] > newest.release[:2]:
            notes.append(
                f"FastMCP {target} is newer than fkit's API data (up to {newest}): "
                f"names and keywords it added are not checked; upgrade fkit for its rules."
            )
    return notes
