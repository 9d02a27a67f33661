"""Settings 3.0 renamed or dropped, in env files, Dockerfiles, compose files and fastmcp.json
(3.ii rows 18 and 21)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from packaging.version import Version

from fastmcp_kit.lint.envfiles import field_of
from fastmcp_kit.lint.settings_fields import settings_fields
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Example
from fastmcp_kit.upgrade.envtext import EnvSettings

_OLD = settings_fields(Version("2.14"))
_NEW = settings_fields(Version("3.0"))


class EnvSettings3(EnvSettings):
    """What it does:
    Renames ``FASTMCP_SHOW_CLI_BANNER`` to ``FASTMCP_SHOW_SERVER_BANNER``; reports
    ``FASTMCP_SERVER_AUTH`` (error), the ``FASTMCP_SERVER_AUTH_<PROVIDER>_*`` variables,
    and every other ``FASTMCP_<FIELD>`` whose setting 3.0 removed (``INCLUDE_TAGS``,
    ``EXCLUDE_TAGS``, ``INCLUDE_FASTMCP_META``, ``EXPERIMENTAL__*``).

    Why:
    3.0 renamed the banner setting and removed the others: their variables are silently
    ignored. Without ``auth=`` in code, a server that relied on ``FASTMCP_SERVER_AUTH``
    runs without authentication.

    Safety:
    The rename is exact; the rest is reported.
    """

    ID = "env-settings-3"
    TITLE = "FASTMCP_* settings renamed or removed in 3.0"
    KIND = "partial"
    ROWS = ("ii.18", "ii.21")
    LINK = GUIDE_3
    REPORTS: ClassVar[Mapping[str, tuple[Severity, str]]] = {
        "FASTMCP_SERVER_AUTH": (
            Severity.ERROR,
            "3.x ignores FASTMCP_SERVER_AUTH: a server that relies on it runs WITHOUT "
            "authentication; pass `auth=` to FastMCP() in code",
        ),
        "FASTMCP_SERVER_AUTH_": (
            Severity.WARNING,
            "3.x no longer configures auth providers from FASTMCP_SERVER_AUTH_* variables: "
            "the code must read them (see auth-provider-env)",
        ),
    }
    EXAMPLES = (
        Example(
            "dotenv",
            filename=".env",
            before="""
            FASTMCP_SHOW_CLI_BANNER=false
            FASTMCP_INCLUDE_TAGS=["public"]
            FASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider
            """,
            after="""
            FASTMCP_SHOW_SERVER_BANNER=false
            FASTMCP_INCLUDE_TAGS=["public"]
            FASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider
            """,
            findings=("`FASTMCP_INCLUDE_TAGS` is ignored from 3.0", "WITHOUT authentication"),
        ),
    )

    def rename(self, name: str) -> str | None:
        return "FASTMCP_SHOW_SERVER_BANNER" if name == "FASTMCP_SHOW_CLI_BANNER" else None

    def _report_for(self, name: str) -> tuple[Severity, str] | None:
        report = super()._report_for(name)
        if report is not None or name.startswith("FASTMCP_SERVER_"):
            return report
        field = field_of(name, "FASTMCP_")
        if field in _OLD and field not in _NEW and self.rename(name) is None:
            return (
                Severity.WARNING,
                f"`{name}` is ignored from 3.0 (the setting was removed): delete it, and set "
                "what it did in code if you relied on it",
            )
        return None
