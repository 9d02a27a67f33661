"""``FASTMCP_*`` settings in env files, Dockerfiles, compose files and fastmcp.json:
the text codemod that renames, deletes and reports them, configured per step."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import ClassVar

from fastmcp_kit.lint.envfiles import ENV_FILE_PATTERNS
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import TextCodemod, split_lines

_VARIABLE = re.compile(r"\bFASTMCP_[A-Z0-9_]+\b")


def _assignment_line(name: str) -> re.Pattern[str]:
    """A line that sets only ``name`` (dotenv, shell ``export``, Dockerfile ``ENV``,
    compose list or mapping entry)."""
    return re.compile(
        rf"""^\s*(?:export\s+|ENV\s+|-\s*)?["']?{re.escape(name)}\s*[=:]\s*[^\s#]*["']?\s*(?:\#.*)?$"""
    )


def assigned_value(line: str, name: str) -> str | None:
    match = re.search(rf"\b{re.escape(name)}\s*[=:]\s*[\"']?([^\s\"'#]*)", line)
    return match.group(1) if match else None


class EnvSettings(TextCodemod):
    """Base class: a step's changes to ``FASTMCP_*`` variables.

    ``rename(name)`` returns the new name or None; ``DELETE`` maps a variable to the
    values whose line may be deleted (None: any value); ``REPORTS`` maps a variable
    name (or a prefix ending in ``_``) to (severity, message).
    """

    PATTERNS = ENV_FILE_PATTERNS
    DELETE: ClassVar[Mapping[str, frozenset[str] | None]] = {}
    REPORTS: ClassVar[Mapping[str, tuple[Severity, str]]] = {}

    def rename(self, name: str) -> str | None:
        return None

    def transform(self, text: str, path: Path) -> str:
        out: list[str] = []
        deletable = path.name != "fastmcp.json"
        for row, line, newline in split_lines(text):
            deleted = False
            for match in _VARIABLE.finditer(line):
                name = match.group()
                if name in self.DELETE:
                    values = self.DELETE[name]
                    value = assigned_value(line, name)
                    allowed = values is None or (value is not None and value.lower() in values)
                    if allowed and deletable and _assignment_line(name).match(line):
                        deleted = True
                        self.rewrites += 1
                        break
                    if allowed:
                        self.report(row, match.start() + 1, f"remove `{name}`: {self._why(name)}")
                        continue
                report = self._report_for(name)
                if report is not None:
                    severity, message = report
                    self.report(row, match.start() + 1, message, severity)
            if deleted:
                continue
            new_line = _VARIABLE.sub(self._renamer(), line)
            if new_line != line:
                self.rewrites += 1
            out.append(new_line + newline)
        return "".join(out)

    def _renamer(self) -> Callable[[re.Match[str]], str]:
        def replace(match: re.Match[str]) -> str:
            return self.rename(match.group()) or match.group()

        return replace

    def _why(self, name: str) -> str:
        report = self._report_for(name)
        return report[1] if report else "no longer a FastMCP setting"

    def _report_for(self, name: str) -> tuple[Severity, str] | None:
        if name in self.REPORTS:
            return self.REPORTS[name]
        for prefix, report in self.REPORTS.items():
            if prefix.endswith("_") and name.startswith(prefix):
                return report
        return None
