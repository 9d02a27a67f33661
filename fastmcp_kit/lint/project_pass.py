"""The project-wide pass: rules that judge the whole project (an import cycle, a
task tool with no tasks extension anywhere) from the facts each file recorded.

It runs in the main process after every file is linted (or read from the cache),
so it sees every file whatever the cache and the workers did.
"""

from __future__ import annotations

from collections.abc import Sequence

from fastmcp_kit.lint.engine import FileResult, LintSettings, decode, is_python
from fastmcp_kit.lint.noqa import is_suppressed, parse_suppressions
from fastmcp_kit.lint.registry import all_rules
from fastmcp_kit.lint.rule import ProjectContext, ProjectFinding
from fastmcp_kit.lint.runner import SourceFile
from fastmcp_kit.lint.violation import Violation


def _source_lines(source: SourceFile) -> list[str]:
    try:
        text = decode(source.data)[0] if is_python(source.match) else source.data.decode()
    except (SyntaxError, UnicodeDecodeError, LookupError):
        return []
    return text.splitlines()


def project_violations(
    sources: Sequence[SourceFile], results: Sequence[FileResult], settings: LintSettings
) -> list[Violation]:
    """Findings of every enabled project rule, noqa and per-file-ignores applied."""
    rules = [
        rule
        for code, rule in all_rules().items()
        if code in settings.rule_codes
        and rule.is_project_rule()
        and rule.applies_to(settings.target)
    ]
    if not rules:
        return []
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
    code: str, name: str, severity: object, source: SourceFile, finding: ProjectFinding
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
        severity=severity,  # type: ignore[arg-type]
        source_line=lines[row - 1] if 0 < row <= len(lines) else "",
    )
