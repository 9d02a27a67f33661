"""One doctor finding as a :class:`Violation`, the form every reporter prints."""

from __future__ import annotations

from pathlib import Path

from fastmcp_kit.doctor.codes import code as lookup
from fastmcp_kit.errors import shown_path
from fastmcp_kit.lint.violation import Location, Violation


def _line(file: Path, row: int) -> str:
    try:
        lines = file.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return ""
    return lines[row - 1] if 0 < row <= len(lines) else ""


def finding(
    code: str, message: str, file: Path, row: int | None = None, hint: str | None = None
) -> Violation:
    """A finding at ``file`` (line ``row`` when known: the text report then shows it)."""
    entry = lookup(code)
    line = _line(file, row) if row else ""
    column = len(line) - len(line.lstrip()) + 1 if line else 1
    return Violation(
        code=code,
        name=entry.name,
        message=message,
        filename=shown_path(file),
        location=Location(row or 1, column),
        end_location=Location(row or 1, max(len(line) + 1, column + 1) if line else 1),
        severity=entry.severity,
        source_line=line,
        hint=entry.hint if hint is None else hint,
    )
