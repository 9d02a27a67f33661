"""Reporters: one module per ``--output-format``, behind one function signature.

Every reporter takes the run's findings and writes to a text stream (stdout);
progress and errors never go there.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TextIO

from fastmcp_kit.lint.violation import Violation


@dataclass(frozen=True)
class ProjectSummary:
    """One linted project: where it is and the versions it was linted for."""

    root: str
    files: int
    versions: str
    fastmcp: str | None = None
    fastmcp_source: str | None = None
    mcp: str | None = None
    mcp_source: str | None = None
    # Places that break on a newer release line the declared range admits.
    hazards: int = 0
    hazard_note: str = ""


@dataclass(frozen=True)
class LintReport:
    """What a lint run found, as reporters see it."""

    violations: list[Violation]
    files_checked: int
    fixes_applied: int = 0
    unsafe_fixes_enabled: bool = False
    fix_enabled: bool = False
    # Where the target FastMCP version came from, e.g. "pyproject.toml (>=4.1,<5)".
    target: str = ""
    notes: list[str] = field(default_factory=list)
    projects: list[ProjectSummary] = field(default_factory=list)
    # (file, code, rule name) of each finding a fix removed.
    fixed: list[tuple[str, str, str]] = field(default_factory=list)
    # How the closing lines read: ``--show-fixes`` lists fixes, ``--quiet`` drops them.
    show_fixes: bool = False
    quiet: bool = False


Reporter = Callable[[LintReport, TextIO], None]

_MODULES = {
    "text": "text",
    "concise": "concise",
    "json": "json_format",
    "sarif": "sarif",
    "github": "github",
}


def get_reporter(output_format: str) -> Reporter:
    module = importlib.import_module(f"fastmcp_kit.report.{_MODULES[output_format]}")
    reporter: Reporter = module.report
    return reporter


def fixable(violation: Violation, report: LintReport) -> bool:
    return violation.is_fixable(report.unsafe_fixes_enabled)
