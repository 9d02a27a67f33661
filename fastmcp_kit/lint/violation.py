"""The results of a lint run: plain, picklable data shared by the engine, the cache
and every reporter.

Field names follow ruff's JSON output (``location``/``end_location`` with 1-based
``row`` and ``column``) so that tools which read ruff's output read ours.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field
from typing import Any


class Severity(str, enum.Enum):
    """How bad a finding is; mapped to SARIF levels and GitHub annotation kinds."""

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


class Applicability(str, enum.Enum):
    """Whether a fix keeps behaviour (``safe``) or may change it (``unsafe``)."""

    SAFE = "safe"
    UNSAFE = "unsafe"


@dataclass(frozen=True, order=True)
class Location:
    row: int
    column: int

    def to_json(self) -> dict[str, int]:
        return {"row": self.row, "column": self.column}


@dataclass(frozen=True)
class Edit:
    """Replace the text between two locations (end exclusive) with ``content``."""

    content: str
    location: Location
    end_location: Location

    def to_json(self) -> dict[str, Any]:
        return {
            "content": self.content,
            "location": self.location.to_json(),
            "end_location": self.end_location.to_json(),
        }


@dataclass(frozen=True)
class FixSummary:
    """What a reporter shows of a fix; the engine applies fixes on the syntax tree."""

    applicability: Applicability
    message: str
    edits: tuple[Edit, ...]

    def to_json(self) -> dict[str, Any]:
        return {
            "applicability": self.applicability.value,
            "message": self.message,
            "edits": [edit.to_json() for edit in self.edits],
        }


@dataclass(frozen=True)
class Violation:
    code: str
    name: str
    message: str
    filename: str
    location: Location
    end_location: Location
    severity: Severity
    fix: FixSummary | None = None
    # The source line the finding starts on, for the text reporter's caret view.
    source_line: str = field(default="", compare=False)
    # What to do about it, when there is no fix to show (``fkit doctor``'s findings).
    hint: str = field(default="", compare=False)

    @property
    def sort_key(self) -> tuple[str, int, int, str]:
        return (self.filename, self.location.row, self.location.column, self.code)

    def is_fixable(self, unsafe: bool) -> bool:
        if self.fix is None:
            return False
        return unsafe or self.fix.applicability is Applicability.SAFE


@dataclass(frozen=True)
class Fact:
    """What a rule recorded about one file, with where (None: the whole file).

    Project rules judge the whole project from these; they live here, beside
    :class:`Violation`, because the cache stores both without importing the rules.
    """

    data: Any
    location: Location | None = None
    end_location: Location | None = None
