"""One ``fkit lint`` invocation: configuration, discovery, the run, write-back."""

from __future__ import annotations

import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from fastmcp_kit.config import Config, load_config
from fastmcp_kit.errors import FkitError
from fastmcp_kit.lint.cache import ResultCache
from fastmcp_kit.lint.discovery import discover, is_below, relative_posix
from fastmcp_kit.lint.plan import FixMode, LintPlan
from fastmcp_kit.lint.project_pass import project_violations
from fastmcp_kit.lint.registry import select_codes
from fastmcp_kit.lint.rule_index import rule_index
from fastmcp_kit.lint.runner import LintResult, SourceFile, lint_files
from fastmcp_kit.project import (
    Target,
    detect_target,
    find_entrypoints,
    find_local_modules,
    find_root,
    read_pyproject,
)
from fastmcp_kit.report import LintReport

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


@dataclass(frozen=True)
class LintOutcome:
    report: LintReport
    config: Config
    target: Target
    diffs: list[str]
    # Fixed source for stdin (printed instead of written).
    stdin_fixed: str | None = None


def _relative_to(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path.resolve(), root)).as_posix()


def _shown_and_matched(path: Path, cwd: str, root: str) -> tuple[str, str]:
    """How a discovered file is shown (relative to the working directory when below
    it) and matched (relative to the project root, symlinks resolved). Discovery
    resolved every folder it returns, so only a symlinked file itself needs
    resolving: this runs for every file of every run, cached or not."""
    text = str(path)
    shown = relative_posix(text, cwd) if is_below(text, cwd) else path.as_posix()
    real = os.path.realpath(text) if os.path.islink(text) else text
    return shown, relative_posix(real, root)


def _settings(options: LintOptions, root: Path) -> tuple[LintPlan, Config, Target]:
    """The run's settings, checked against the rule index: no rule is imported."""
    pyproject = read_pyproject(root)
    config = load_config(pyproject)
    index = rule_index()
    codes = select_codes(
        {code: entry.default_enabled for code, entry in index.items()},
        options.select if options.select is not None else config.select,
        [*config.extend_select, *options.extend_select],
        [*config.ignore, *options.ignore],
    )
    for code in config.rules:
        if code not in index:
            raise FkitError(f"[tool.fkit.rules.{code}]: no rule has that code")
    tables = tuple((code, config.rules.get(code, {})) for code in codes)
    try:
        for code, table in tables:
            index[code].option_values(table)
    except ValueError as exc:
        raise FkitError(f"[tool.fkit.rules]: {exc}") from None
    target = detect_target(root, pyproject, options.fastmcp_version)
    plan = LintPlan(
        rule_codes=tuple(codes),
        target=target.version,
        root=root,
        entrypoints=find_entrypoints(root),
        local_modules=find_local_modules(root),
        option_tables=tuple((code, table) for code, table in tables if table),
        per_file_ignores=tuple(config.per_file_ignores.items()),
        fix=_fix_mode(options),
    )
    return plan, config, target


def _fix_mode(options: LintOptions) -> FixMode:
    if not (options.fix or options.diff):
        return "none"
    return "unsafe" if options.unsafe_fixes else "safe"


def _sources(options: LintOptions, root: Path, config: Config, plan: LintPlan) -> list[SourceFile]:
    if list(options.paths) == ["-"]:
        name = options.stdin_filename or "-"
        match = _relative_to(Path(name), root) if options.stdin_filename else name
        return [SourceFile(name, match, sys.stdin.buffer.read())]
    if "-" in options.paths:
        raise FkitError("'-' (stdin) cannot be combined with other paths")
    text_rules = plan.text_rule_entries()

    def read_by_text_rule(name: str) -> bool:
        return any(rule.matches_file(name) for rule in text_rules)

    files = discover(
        [Path(p) for p in options.paths],
        root,
        [*config.exclude, *config.extend_exclude],
        also=read_by_text_rule if text_rules else None,
    )
    sources = []
    cwd = os.getcwd()
    for path in files:
        shown, match = _shown_and_matched(path, cwd, str(root))
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FkitError(f"{shown}: cannot read: {exc.strerror}") from None
        sources.append(SourceFile(shown, match, data, path))
    return sources


def _unified_diff(result: LintResult) -> str:
    import difflib

    assert result.source is not None and result.fixed_source is not None
    return "".join(
        difflib.unified_diff(
            result.source.splitlines(keepends=True),
            result.fixed_source.splitlines(keepends=True),
            fromfile=f"a/{result.path}",
            tofile=f"b/{result.path}",
        )
    )


def run_lint(options: LintOptions) -> LintOutcome:
    anchor = options.stdin_filename if options.paths == ["-"] and options.stdin_filename else None
    first = Path(anchor or (options.paths[0] if options.paths and options.paths[0] != "-" else "."))
    root = find_root(first if first.exists() else Path.cwd())
    plan, config, target = _settings(options, root)
    sources = _sources(options, root, config, plan)
    use_cache = options.use_cache and options.paths != ["-"]
    cache = ResultCache(root, plan.fingerprint()) if use_cache else None
    results = lint_files(sources, plan, jobs=options.jobs, cache=cache)

    diffs: list[str] = []
    stdin_fixed = None
    for source, result in zip(sources, results, strict=True):
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
        stdin_fixed = results[0].source if results and results[0].source is not None else ""

    violations: list[Violation] = [v for r in results for v in r.violations]
    violations += project_violations(sources, results, plan, cache)
    if cache is not None:
        cache.save()
    violations.sort(key=lambda v: v.sort_key)
    report = LintReport(
        violations=violations,
        files_checked=len(sources),
        fixes_applied=0 if options.diff else sum(r.fixes_applied for r in results),
        unsafe_fixes_enabled=options.unsafe_fixes,
        fix_enabled=options.fix,
        target=f"FastMCP {target.version} ({target.source})",
    )
    return LintOutcome(report, config, target, diffs, stdin_fixed)
