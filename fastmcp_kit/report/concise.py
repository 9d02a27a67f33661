"""``path:row:col: CODE [*] message``, one finding a line (ruff's concise format)."""

from __future__ import annotations

from typing import TextIO

from fastmcp_kit.report import LintReport, fixable


def report(lint: LintReport, out: TextIO) -> None:
    for v in lint.violations:
        marker = " [*]" if fixable(v, lint) else ""
        out.write(
            f"{v.filename}:{v.location.row}:{v.location.column}: {v.code}{marker} {v.message}\n"
        )


def summary(lint: LintReport, out: TextIO) -> None:
    """The closing lines ``fkit lint`` prints after the findings, as ruff does; kept
    apart from :func:`report` because ``fkit upgrade`` prints a summary of its own."""
    from fastmcp_kit.report.text import summary_lines

    for line in summary_lines(lint):
        out.write(line + "\n")
