"""GitHub Actions workflow commands: each finding becomes an inline annotation."""

from __future__ import annotations

from typing import TextIO

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.report import LintReport

_COMMAND = {Severity.ERROR: "error", Severity.WARNING: "warning", Severity.INFO: "notice"}


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def report(lint: LintReport, out: TextIO) -> None:
    for v in lint.violations:
        properties = ",".join(
            [
                f"title={_escape_property(f'fkit ({v.code})')}",
                f"file={_escape_property(v.filename)}",
                f"line={v.location.row}",
                f"col={v.location.column}",
                f"endLine={v.end_location.row}",
                f"endColumn={v.end_location.column}",
            ]
        )
        out.write(
            f"::{_COMMAND[v.severity]} {properties}::{_escape_data(f'{v.code} {v.message}')}\n"
        )
