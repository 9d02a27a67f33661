"""One ``fkit lint`` invocation: projects, discovery, the run, write-back.

Each file is linted for its own project: that project's ``[tool.fkit]`` and the
FastMCP and SDK releases it runs (:mod:`fastmcp_kit.workspace`). Project-wide rules
see every file of the project, the ones not named too. Where a project's declared
range admits a newer release line than the one it runs, the run is repeated for
that line and what only it finds is a forward hazard (:mod:`fastmcp_kit.lint.forward`).
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeAlias

from fastmcp_kit.config import Config
from fastmcp_kit.errors import FkitError, shown_path
from fastmcp_kit.lint.add_noqa import NoqaOutcome, add_noqa_directives
from fastmcp_kit.lint.cache import ResultCache, cache_folder
from fastmcp_kit.lint.forward import ForwardRun, forward_findings, hazard_note
from fastmcp_kit.lint.plan import FixMode, LintPlan
from fastmcp_kit.lint.project_pass import project_violations
from fastmcp_kit.lint.registry import check_named_selectors, select_codes
from fastmcp_kit.lint.rule_index import rule_index
from fastmcp_kit.lint.runner import (
    CachedResult,
    FileGroup,
    LintResult,
    Progress,
    SourceFile,
    lint_groups,
)
from fastmcp_kit.lint.sources import (
    ProjectFiles,
    discover_files,
    project_files,
    read_source,
    stdin_source,
)
from fastmcp_kit.lint.write_back import write_back
from fastmcp_kit.problems import Problems
from fastmcp_kit.report import LintReport, ProjectSummary
from fastmcp_kit.targets import ProjectVersions, Target
from fastmcp_kit.versions import NEWEST
from fastmcp_kit.workspace import Project, Workspace
from fastmcp_kit.writeback import WriteOutcome

if TYPE_CHECKING:
    from fastmcp_kit.lint.violation import Violation

CacheFactory: TypeAlias = Callable[[Path, str], "ResultCache | None"]
"""A project root and a plan's fingerprint -> the result cache to use (None: none)."""


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
    # ``--config KEY=VALUE``: laid over every project's [tool.fkit].
    config_overrides: Mapping[str, Any] = field(default_factory=dict)
    add_noqa: bool = False


@dataclass(frozen=True)
class LintOutcome:
    report: LintReport
    config: Config
    target: Target | None
    diffs: list[str]
    # With ``- --fix``: the bytes to print for stdin (the input's own bytes unless fixes
    # changed it, then the fixed code in the input's encoding, BOM included).
    stdin_fixed: bytes | None = None
    # Files skipped or not written, for stderr; an error makes the exit status 2.
    problems: Problems = field(default_factory=Problems)
    writes: WriteOutcome = field(default_factory=WriteOutcome)
    # For ``--verbose``: each project's settings file, rules and cache use.
    details: list[str] = field(default_factory=list)
    # With ``--add-noqa``: the directives written, and the files.
    noqa: NoqaOutcome | None = None


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
    where = f"{shown_path(project.settings.path)}: " if project.settings.path else ""
    check_named_selectors(list(index), _named_selectors(options, config, where))
    codes = select_codes(
        {code: entry.default_enabled for code, entry in index.items()},
        options.select if options.select is not None else config.select,
        [*config.extend_select, *options.extend_select],
        [*config.ignore, *options.ignore],
    )
    for code in config.rules:
        if code not in index:
            raise FkitError(f"{where}[tool.fkit.rules.{code}]: no rule has that code")
    tables = tuple((code, config.rules.get(code, {})) for code in codes)
    try:
        for code, table in tables:
            index[code].option_values(table)
    except ValueError as exc:
        raise FkitError(f"{where}[tool.fkit.rules]: {exc}") from None
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
        requires_python=project.requires_python,
    )


def _named_selectors(
    options: LintOptions, config: Config, where: str
) -> list[tuple[str, Sequence[str], bool]]:
    """Every list of rule codes of the run, named as the user wrote it."""
    key = f"{where}[tool.fkit] "
    return [
        ("--select", options.select or (), False),
        ("--extend-select", options.extend_select, False),
        ("--ignore", options.ignore, True),
        (f"{key}select", config.select or (), False),
        (f"{key}extend-select", config.extend_select, False),
        (f"{key}ignore", config.ignore, True),
        *(
            (f"{key}per-file-ignores.{json.dumps(glob)}", codes, True)
            for glob, codes in config.per_file_ignores.items()
        ),
    ]


def collect(
    workspace: Workspace, options: LintOptions, problems: Problems, stdin: bytes | None = None
) -> list[ProjectFiles]:
    """The run's files grouped by project, in the order they were found; what could
    not be found or read is added to ``problems``; ``stdin`` is what ``-`` stands for
    (None: read standard input)."""
    if list(options.paths) == ["-"]:
        return [stdin_source(workspace, options.stdin_filename, stdin)]
    if "-" in options.paths:
        raise FkitError("'-' (stdin) cannot be combined with other paths")
    cwd = os.getcwd()
    groups: dict[Path, ProjectFiles] = {}
    for path, project in discover_files(workspace, options.paths, problems):
        source = read_source(path, project, cwd, problems)
        if source is not None:
            groups.setdefault(project.key, ProjectFiles(project)).sources.append(source)
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
        # The files not named are read for their facts only: what cannot be read among
        # them is not the user's question (pre-commit names the staged files), and a
        # run over the whole folder reports it anyway.
        unasked = Problems()
        for path in project_files(workspace, run.project, unasked):
            source = read_source(path, run.project, cwd, unasked)
            if source is not None and source.match not in given:
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


def _disk_caches(options: LintOptions) -> CacheFactory:
    """Each project's ``.fkit_cache`` (none for stdin, nor with ``--no-cache``)."""
    if not options.use_cache or list(options.paths) == ["-"]:
        return lambda root, fingerprint: None

    def cache_for(root: Path, fingerprint: str) -> ResultCache:
        folder = cache_folder(root, Path.cwd())
        # Several unmarked folders may share the working folder's cache: each keeps
        # its own file there, or their paths (relative to each root) would collide.
        key = fingerprint if folder == root else f"{fingerprint}\0{root}"
        return ResultCache(folder, key)

    return cache_for


def run_lint(
    options: LintOptions,
    *,
    workspace: Workspace | None = None,
    stdin: bytes | None = None,
    caches: CacheFactory | None = None,
    progress: Progress | None = None,
) -> LintOutcome:
    """One ``fkit lint`` run. A caller that lints text it holds in memory (the
    language server) runs ``paths=["-"]`` with the text as ``stdin``, the
    ``workspace`` it keeps between runs and ``caches`` of its own; ``progress``
    hears of each file linted (not read from the cache)."""
    if workspace is None:
        config_file = Path(options.config) if options.config else None
        workspace = Workspace(config_file, options.fastmcp_version, options.config_overrides)
    cache_for = caches or _disk_caches(options)
    problems = Problems()
    runs: list[ProjectRun] = []
    stdin_data = None
    for files in collect(workspace, options, problems, stdin):
        project = files.project
        if options.paths == ["-"]:
            stdin_data = files.sources[0].data
        plan = plan_for(project, options, project.versions, _fix_mode(options))
        files.sources = [source for source in files.sources if _reads(plan, source)]
        runs.append(ProjectRun(files, plan, cache_for(project.root, plan.fingerprint()), []))
    groups = [FileGroup(run.sources, run.plan, run.cache) for run in runs]
    linted = lint_groups(groups, jobs=options.jobs, progress=progress)
    for run, results in zip(runs, linted, strict=True):
        run.results = results
    written = write_back(runs, options, problems, stdin_data)

    violations: list[Violation] = []
    summaries: list[ProjectSummary] = []
    forward_runs: list[ForwardRun] = []
    for run in runs:
        found = [v for r in run.results for v in r.violations]
        found += project_findings(workspace, run, run.plan, run.results, options, run.cache)
        violations += found
        forward = _forward(run, options, cache_for)
        if forward is not None:
            forward_runs.append(ForwardRun(run, forward[0], forward[1], found))
    hazards = forward_findings(workspace, forward_runs, options)
    show_forward = _show_forward(options, runs)
    for run in runs:
        found_ahead = hazards.get(run.project.key, [])
        if show_forward:
            violations += found_ahead
        summaries.append(_summary(run, found_ahead, show_forward))
        if run.cache is not None:
            run.cache.save()
    violations.sort(key=lambda v: v.sort_key)
    noqa = None
    if options.add_noqa:
        sources = [source for run in runs for source in run.sources]
        noqa = add_noqa_directives(sources, violations, problems)
    first = runs[0].project if runs else None
    report = LintReport(
        violations=violations,
        files_checked=sum(len(run.sources) for run in runs),
        fixes_applied=0
        if options.diff
        else sum(r.fixes_applied for run in runs for r in run.results),
        unsafe_fixes_enabled=options.unsafe_fixes,
        fix_enabled=options.fix,
        fixed=[]
        if options.diff
        else [(r.path, *fixed) for run in runs for r in run.results for fixed in r.fixed],
        target=first.versions.describe() if first else "",
        notes=_notes(runs),
        projects=summaries,
    )
    config = first.config if first else workspace.settings_for(Path.cwd()).config
    target = first.versions.fastmcp if first else None
    return LintOutcome(
        report,
        config,
        target,
        written.diffs,
        written.stdin,
        problems,
        written.writes if noqa is None else noqa.writes,
        [_details(run) for run in runs],
        noqa,
    )


def _details(run: ProjectRun) -> str:
    """One ``--verbose`` line: where a project's settings and cache are, how much of
    it the cache answered."""
    settings = run.project.settings.path
    cached = sum(1 for result in run.results if isinstance(result, CachedResult))
    cache = "no cache" if run.cache is None else f"cache {shown_path(run.cache.path.parent)}"
    return (
        f"{_display_root(run.project.key)}: settings from "
        f"{shown_path(settings) if settings else 'defaults'}, {len(run.plan.rule_codes)} rules, "
        f"{len(run.sources)} file{'' if len(run.sources) == 1 else 's'} "
        f"({cached} from the cache), {cache}"
    )


def _forward(
    run: ProjectRun, options: LintOptions, cache_for: CacheFactory
) -> tuple[LintPlan, ResultCache | None] | None:
    """The plan for what a fresh install would run, when that is a newer line."""
    forward = run.project.versions.forward
    if forward is None or not run.sources:
        return None
    plan = plan_for(run.project, options, forward, "none")
    return plan, cache_for(run.project.root, plan.fingerprint())


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
        root=_display_root(run.project.key),
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
