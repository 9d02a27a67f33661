"""One ``fkit lint`` invocation: configuration, discovery, the run, write-back."""

from __future__ import annotations

import difflib
import json
import os
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from fastmcp_kit.atomic import write_text_atomic
from fastmcp_kit.config import Config, load_config
from fastmcp_kit.errors import FkitError
from fastmcp_kit.lint.cache import ResultCache
from fastmcp_kit.lint.discovery import discover
from fastmcp_kit.lint.engine import FileResult, FixMode, LintSettings
from fastmcp_kit.lint.project_pass import project_violations
from fastmcp_kit.lint.registry import all_rules, select_rules
from fastmcp_kit.lint.rule import ProjectInfo, TextRule, parse_options
from fastmcp_kit.lint.runner import SourceFile, lint_files
from fastmcp_kit.project import (
    Target,
    detect_target,
    find_entrypoints,
    find_local_modules,
    find_root,
    read_pyproject,
)
from fastmcp_kit.report import LintReport


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


def _display(path: Path) -> str:
    relative = os.path.relpath(path, Path.cwd())
    return Path(path if relative.startswith("..") else relative).as_posix()


def _relative_to(path: Path, root: Path) -> str:
    return Path(os.path.relpath(path.resolve(), root)).as_posix()


def _settings(options: LintOptions, root: Path) -> tuple[LintSettings, Config, Target]:
    pyproject = read_pyproject(root)
    config = load_config(pyproject)
    rules = select_rules(
        options.select if options.select is not None else config.select,
        [*config.extend_select, *options.extend_select],
        [*config.ignore, *options.ignore],
    )
    known = all_rules()
    for code in config.rules:
        if code not in known:
            raise FkitError(f"[tool.fkit.rules.{code}]: no rule has that code")
    try:
        rule_options = tuple(
            (rule.code, parse_options(rule, config.rules.get(rule.code, {}))) for rule in rules
        )
    except ValueError as exc:
        raise FkitError(f"[tool.fkit.rules]: {exc}") from None
    target = detect_target(root, pyproject, options.fastmcp_version)
    settings = LintSettings(
        rule_codes=tuple(rule.code for rule in rules),
        target=target.version,
        project=ProjectInfo(root, find_entrypoints(root), find_local_modules(root)),
        options=rule_options,
        per_file_ignores=tuple(config.per_file_ignores.items()),
        fix=_fix_mode(options),
    )
    return settings, config, target


def _fix_mode(options: LintOptions) -> FixMode:
    if not (options.fix or options.diff):
        return "none"
    return "unsafe" if options.unsafe_fixes else "safe"


def _fingerprint(settings: LintSettings) -> str:
    return json.dumps(
        {
            "rules": settings.rule_codes,
            "target": str(settings.target),
            "options": [(code, repr(value)) for code, value in settings.options],
            "per_file_ignores": settings.per_file_ignores,
            "entrypoints": sorted(settings.project.entrypoints),
            "local_modules": sorted(settings.project.local_modules),
        },
        sort_keys=True,
    )


def _sources(
    options: LintOptions, root: Path, config: Config, settings: LintSettings
) -> list[SourceFile]:
    if list(options.paths) == ["-"]:
        name = options.stdin_filename or "-"
        match = _relative_to(Path(name), root) if options.stdin_filename else name
        return [SourceFile(name, match, sys.stdin.buffer.read())]
    if "-" in options.paths:
        raise FkitError("'-' (stdin) cannot be combined with other paths")
    rules = all_rules()
    text_rules = [rules[code] for code in settings.rule_codes if issubclass(rules[code], TextRule)]

    def read_by_text_rule(name: str) -> bool:
        return any(rule.matches_file(name) for rule in text_rules)  # type: ignore[attr-defined]

    files = discover(
        [Path(p) for p in options.paths],
        root,
        [*config.exclude, *config.extend_exclude],
        also=read_by_text_rule if text_rules else None,
    )
    sources = []
    for path in files:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise FkitError(f"{_display(path)}: cannot read: {exc.strerror}") from None
        sources.append(SourceFile(_display(path), _relative_to(path, root), data, path))
    return sources


def _unified_diff(result: FileResult) -> str:
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
    settings, config, target = _settings(options, root)
    sources = _sources(options, root, config, settings)
    use_cache = options.use_cache and options.paths != ["-"]
    cache = ResultCache(root, _fingerprint(settings)) if use_cache else None
    results = lint_files(sources, settings, jobs=options.jobs, cache=cache)

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
            write_text_atomic(source.path, result.fixed_source, encoding=result.encoding)
    if options.paths == ["-"] and options.fix and not options.diff and stdin_fixed is None:
        stdin_fixed = results[0].source if results and results[0].source is not None else ""

    violations = [v for r in results for v in r.violations]
    violations += project_violations(sources, results, settings)
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
