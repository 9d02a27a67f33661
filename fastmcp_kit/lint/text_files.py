"""Lint a non-Python file (.env, Dockerfiles, compose files, fastmcp.json) with the
text rules that claim its name, and fix what they can.

A text rule that judges the whole project (it overrides ``check_project``) does not
report here: its reports become facts, and the project pass decides with what the
project's Python files recorded for it (:meth:`TextRule.python_facts`), for example
whether the code already does what a setting in a ``.env`` file no longer does.
"""

from __future__ import annotations

import ast
from collections.abc import Sequence
from typing import TYPE_CHECKING

from fastmcp_kit.lint.edits import line_edits
from fastmcp_kit.lint.lines import split_lines
from fastmcp_kit.lint.noqa import is_suppressed, parse_suppressions
from fastmcp_kit.lint.rule import TextReport, TextRule
from fastmcp_kit.lint.violation import Fact, FixSummary, Location, Violation

if TYPE_CHECKING:
    from fastmcp_kit.lint.engine import FileResult, LintSettings

# Fixes can enable or unblock other fixes; stop after this many rounds regardless.
MAX_FIX_PASSES = 10


def lint_text(
    source: str,
    result: FileResult,
    settings: LintSettings,
    match_path: str,
    rules: Sequence[type[TextRule]],
) -> None:
    per_file = [rule for rule in rules if not rule.is_project_rule()]
    project = [rule for rule in rules if rule.is_project_rule()]
    current = source
    for _ in range(MAX_FIX_PASSES):
        reports = _check_text(current, result.path, match_path, per_file, settings)
        result.violations = [violation for violation, _ in reports]
        chosen = [
            report
            for violation, report in reports
            if report.replacement is not None
            and settings.fix != "none"
            and violation.is_fixable(settings.fix == "unsafe")
        ]
        fixed = apply_text_reports(current, chosen)
        if not chosen or fixed == current:
            break
        current = fixed
        result.fixes_applied += len(chosen)
        taken = {id(report) for report in chosen}
        result.fixed += [(v.code, v.name) for v, report in reports if id(report) in taken]
    if current != source:
        result.fixed_source = current
    result.facts = _report_facts(current, match_path, project, settings)


def python_facts_for_text_rules(
    source: str, tree: ast.Module | None, rules: Sequence[type[TextRule]]
) -> dict[str, list[Fact]]:
    """What a Python file tells the project text rules (``tree`` None: parse it)."""
    wanted = [
        rule
        for rule in rules
        if rule.is_project_rule() and any(needle in source for needle in rule.python_needles)
    ]
    if not wanted:
        return {}
    if tree is None:
        try:
            tree = ast.parse(source)
        except (SyntaxError, ValueError, RecursionError, MemoryError):
            return {}
    facts: dict[str, list[Fact]] = {}
    for rule in wanted:
        found = rule.python_facts(tree)
        if found:
            facts[rule.code] = found
    return facts


def _report_facts(
    source: str, match_path: str, rules: Sequence[type[TextRule]], settings: LintSettings
) -> dict[str, list[Fact]]:
    """A project text rule's reports, kept as facts (noqa already applied) for
    its ``check_project``: ``{"message": ..., "text": <the flagged text>}`` at the
    reported span."""
    facts: dict[str, list[Fact]] = {}
    for violation, report in _check_text(source, match_path, match_path, rules, settings):
        flagged = violation.source_line[report.column - 1 : report.end_column - 1]
        facts.setdefault(violation.code, []).append(
            Fact(
                {"message": report.message, "text": flagged},
                violation.location,
                violation.end_location,
            )
        )
    return facts


def _check_text(
    source: str,
    path: str,
    match_path: str,
    rules: Sequence[type[TextRule]],
    settings: LintSettings,
) -> list[tuple[Violation, TextReport]]:
    lines = split_lines(source)
    suppressions = parse_suppressions(source) if "#" in source else {}
    found: list[tuple[Violation, TextReport]] = []
    for rule in rules:
        for report in rule(settings.context_for(rule, match_path)).check_text(source):
            if is_suppressed(suppressions, report.row, rule.code):
                continue
            summary = None
            if report.replacement is not None:
                edits = line_edits(source, apply_text_reports(source, [report]))
                summary = FixSummary(report.applicability, report.fix_message, edits)
            violation = Violation(
                code=rule.code,
                name=rule.name(),
                message=report.message,
                filename=path,
                location=Location(report.row, report.column),
                end_location=Location(report.row, report.end_column),
                severity=rule.severity,
                fix=summary,
                source_line=lines[report.row - 1] if report.row <= len(lines) else "",
            )
            found.append((violation, report))
    found.sort(key=lambda item: item[0].sort_key)
    return found


def apply_text_reports(source: str, reports: Sequence[TextReport]) -> str:
    """Replace each report's span; overlapping spans after the first are left for
    the next pass."""
    lines = split_lines(source, keepends=True)
    taken: dict[int, list[tuple[int, int]]] = {}
    # Right to left within a row, so earlier columns stay valid.
    for report in sorted(reports, key=lambda r: (r.row, -r.column)):
        if report.replacement is None or not 1 <= report.row <= len(lines):
            continue
        spans = taken.setdefault(report.row, [])
        if any(not (report.end_column <= a or report.column >= b) for a, b in spans):
            continue
        spans.append((report.column, report.end_column))
        line = lines[report.row - 1]
        lines[report.row - 1] = (
            line[: report.column - 1] + report.replacement + line[report.end_column - 1 :]
        )
    return "".join(lines)
