"""Settings 4.0 removed, in env files, Dockerfiles, compose files and fastmcp.json (3.iii row 26)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from packaging.version import Version

from fastmcp_kit.lint.envfiles import field_of
from fastmcp_kit.lint.settings_fields import settings_fields
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_4, Example
from fastmcp_kit.upgrade.envtext import EnvSettings

_OLD = settings_fields(Version("3.4"))
_NEW = settings_fields(Version("4.0"))


class EnvSettings4(EnvSettings):
    """What it does:
    Reports ``FASTMCP_DECORATOR_MODE``, ``FASTMCP_DOCKET__*`` and every other
    ``FASTMCP_<FIELD>`` whose setting 4.0 removed.

    Why:
    4.0 dropped ``decorator_mode`` (decorators always return the function) and the
    ``docket`` settings (tasks moved to the fastmcp-tasks extension); their variables
    are silently ignored.

    Safety:
    Report only.
    """

    ID = "env-settings-4"
    TITLE = "FASTMCP_* settings removed in 4.0"
    KIND = "report"
    ROWS = ("iii.26",)
    LINK = GUIDE_4
    REPORTS: ClassVar[Mapping[str, tuple[Severity, str]]] = {}
    EXAMPLES = (
        Example(
            "dotenv",
            filename=".env",
            before="""
            FASTMCP_DECORATOR_MODE=object
            FASTMCP_LOG_LEVEL=INFO
            """,
            findings=("`FASTMCP_DECORATOR_MODE` is ignored from 4.0",),
        ),
    )

    def _report_for(self, name: str) -> tuple[Severity, str] | None:
        field = field_of(name, "FASTMCP_")
        if field in _OLD and field not in _NEW:
            return (
                Severity.WARNING,
                f"`{name}` is ignored from 4.0 (the setting was removed): delete it, and set "
                "what it did in code if you relied on it",
            )
        return None
