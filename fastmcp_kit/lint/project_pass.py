"""The project-wide pass: rules that judge the whole project (an import cycle, a
task tool with no tasks extension anywhere) from the facts each file recorded.

It runs in the main process after every file is linted (or read from the cache),
so it sees every file whatever the cache and the workers did. Its findings are
cached too, keyed by every file's path and content: a file's facts follow from its
content and the settings (which key the cache file), so when no file changed the
project rules, and libcst with them, are never imported.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from fastmcp_kit.lint.cache import ResultCache
from fastmcp_kit.lint.noqa import is_suppressed, parse_suppressions
from fastmcp_kit.lint.runner import LintResult, SourceFile
from fastmcp_kit.lint.violation import Severity, Violation

if TYPE_CHECKING:
    from fastmcp_kit.lint.engine import LintSettings
    from fastmcp_kit.lint.plan import LintPlan
    from fastmcp_kit.lint.rule import ProjectFinding


def _source_lines(source: SourceFile) -> list[str]:
    from fastmcp_kit.lint.engine import decode, is_python

    try:
        text = decode(source.data)[0] if is_python(source.match) else source.data.decode()
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return []
    from fastmcp_kit.lint.lines import split_lines

    return split_lines(text)


def project_key(sources: Sequence[SourceFile]) -> str:
    """Every file's path and content, in run order."""
    digest = hashlib.sha256()
    for source in sources:
        digest.update(f"{source.match}\0{source.digest}\0".encode())
    return digest.hexdigest()


def project_violations(
    sources: Sequence[SourceFile],
    results: Sequence[LintResult],
    plan: LintPlan,
    cache: ResultCache | None = None,
    reported: frozenset[str] | None = None,
) -> list[Violation]:
    """Findings of every enabled project rule, noqa and per-file-ignores applied.

    ``sources`` are every file of the project the run could see; findings are kept
    for the files in ``reported`` (paths relative to the root; None: all), those the
    user named, while the others still give their facts (pre-commit passes only
    the staged files)."""
    if not plan.project_rule_codes():
        return []
    # A fix run's facts describe the fixed code, not the bytes the key hashes.
    use_cache = cache is not None and plan.fix == "none"
    key = project_key(sources) if use_cache else ""
    cached = cache.get_project(key) if use_cache and cache is not None else None
    by_match = {source.match: source for source in sources}
    if cached is not None and all(v.filename in by_match for v in cached):
        # Stored under project-relative paths; shown as this run shows the files.
        found = [replace(v, filename=by_match[v.filename].display) for v in cached]
    else:
        found = _check_project(sources, results, plan.settings)
        if use_cache and cache is not None:
            match_of = {source.display: source.match for source in sources}
            cache.put_project(key, [replace(v, filename=match_of[v.filename]) for v in found])
    if reported is None:
        return found
    shown = {source.display for source in sources if source.match in reported}
    return [v for v in found if v.filename in shown]


def _check_project(
    sources: Sequence[SourceFile], results: Sequence[LintResult], settings: LintSettings
) -> list[Violation]:
    from fastmcp_kit.lint.registry import all_rules

    fastmcp = settings.target if settings.uses_fastmcp else None
    rules = [
        rule
        for code, rule in all_rules().items()
        if code in settings.rule_codes
        and rule.is_project_rule()
        and rule.applies_to_versions(fastmcp, settings.mcp_version)
    ]
    from fastmcp_kit.lint.rule import ProjectContext

    by_match = {source.match: source for source in sources}
    found: list[Violation] = []
    for rule in rules:
        facts = {
            source.match: result.facts.get(rule.code, [])
            for source, result in zip(sources, results, strict=True)
        }
        context = ProjectContext(settings.project.root, settings.target, settings.option(rule.code))
        for finding in rule.check_project(facts, context):
            source = by_match.get(finding.path)
            if source is None or rule not in settings.rules_for(finding.path):
                continue
            violation = _violation(rule.code, rule.name(), rule.severity, source, finding)
            if violation is not None:
                found.append(violation)
    return found


def _violation(
    code: str, name: str, severity: Severity, source: SourceFile, finding: ProjectFinding
) -> Violation | None:
    lines = _source_lines(source)
    row = finding.location.row
    if is_suppressed(parse_suppressions("\n".join(lines)), row, code):
        return None
    return Violation(
        code=code,
        name=name,
        message=finding.message,
        filename=source.display,
        location=finding.location,
        end_location=finding.end_location,
        severity=severity,
        source_line=lines[row - 1] if 0 < row <= len(lines) else "",
    )
