"""Findings as LSP diagnostics: range, severity, code, a link to the rule's page."""

from __future__ import annotations

from lsprotocol import types

from fastmcp_kit.lint.rule_index import rule_url
from fastmcp_kit.lint.violation import Severity, Violation
from fastmcp_kit.lsp.positions import LineIndex

SOURCE = "fkit"

SEVERITIES = {
    Severity.ERROR: types.DiagnosticSeverity.Error,
    Severity.WARNING: types.DiagnosticSeverity.Warning,
    Severity.INFO: types.DiagnosticSeverity.Information,
}


def violation_range(violation: Violation, index: LineIndex) -> types.Range:
    start, end = violation.location, violation.end_location
    return index.range_of((start.row, start.column), (end.row, end.column))


def to_diagnostic(violation: Violation, index: LineIndex) -> types.Diagnostic:
    href = rule_url(violation.code)
    return types.Diagnostic(
        range=violation_range(violation, index),
        message=violation.message,
        severity=SEVERITIES[violation.severity],
        code=violation.code,
        code_description=None if href is None else types.CodeDescription(href=href),
        source=SOURCE,
    )


def overlaps(a: types.Range, b: types.Range) -> bool:
    """Whether two ranges share a position (touching counts: a cursor at either
    end of a finding is on it)."""
    return (a.start.line, a.start.character) <= (b.end.line, b.end.character) and (
        b.start.line,
        b.start.character,
    ) <= (a.end.line, a.end.character)
