"""``FASTMCP_SERVER_*`` -> ``FASTMCP_*`` and the settings 2.14 removed, in env files,
Dockerfiles, compose files and fastmcp.json (3.i rows 7, 13, 13b, 18 and 22)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from packaging.version import Version

from fastmcp_kit.lint.envfiles import field_of
from fastmcp_kit.lint.settings_fields import settings_fields
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_2_14, Example
from fastmcp_kit.upgrade.envtext import EnvSettings

_PREFIX = "FASTMCP_SERVER_"
_FIELDS = settings_fields(Version("2.14"))


class EnvSettings214(EnvSettings):
    """What it does:
    In ``.env*`` files, Dockerfiles, compose files and ``fastmcp.json``, renames
    ``FASTMCP_SERVER_<FIELD>`` to ``FASTMCP_<FIELD>`` (except ``FASTMCP_SERVER_AUTH``
    and ``FASTMCP_SERVER_AUTH_*``, which 2.14 still reads). Deletes
    ``FASTMCP_RESOURCE_PREFIX_FORMAT=path`` and
    ``FASTMCP_EXPERIMENTAL_ENABLE_NEW_OPENAPI_PARSER`` lines (reported instead inside
    ``fastmcp.json`` or a line that sets several variables); reports
    ``FASTMCP_RESOURCE_PREFIX_FORMAT=protocol``.

    Why:
    The ``FASTMCP_SERVER_`` prefix was deprecated in 2.8.0 and is *silently ignored*
    from 2.14.0 (``FASTMCP_SERVER_PORT=9123`` gives port 8000). The two settings were
    removed (the new OpenAPI parser is the only one; the path prefix format is the only
    one).

    Safety:
    Safe: the renamed variables set the same setting 2.13 read. Only names that are a
    2.14 setting are renamed; other ``FASTMCP_SERVER_*`` names are reported.
    """

    ID = "env-server-prefix"
    TITLE = "FASTMCP_SERVER_* env variables become FASTMCP_*"
    KIND = "rewrite"
    ROWS = ("i.7", "i.13", "i.13b", "i.18", "i.22")
    LINK = GUIDE_2_14
    DELETE: ClassVar[Mapping[str, frozenset[str] | None]] = {
        "FASTMCP_RESOURCE_PREFIX_FORMAT": frozenset({"path"}),
        "FASTMCP_EXPERIMENTAL_ENABLE_NEW_OPENAPI_PARSER": None,
    }
    REPORTS: ClassVar[Mapping[str, tuple[Severity, str]]] = {
        "FASTMCP_RESOURCE_PREFIX_FORMAT": (
            Severity.ERROR,
            "FASTMCP_RESOURCE_PREFIX_FORMAT was removed in 2.14: mounted resources are "
            "always `resource://prefix/path`, which changes the URIs clients use: delete it "
            "and update the clients that read `prefix+resource://...` URIs",
        ),
        "FASTMCP_EXPERIMENTAL_ENABLE_NEW_OPENAPI_PARSER": (
            Severity.INFO,
            "the new OpenAPI parser is the only one from 2.14",
        ),
    }
    EXAMPLES = (
        Example(
            "dotenv",
            filename=".env",
            before="""
            FASTMCP_SERVER_PORT=9000
            FASTMCP_SERVER_LOG_LEVEL=DEBUG
            FASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider
            FASTMCP_SERVER_AUTH_GITHUB_CLIENT_ID=abc
            FASTMCP_RESOURCE_PREFIX_FORMAT=path
            """,
            after="""
            FASTMCP_PORT=9000
            FASTMCP_LOG_LEVEL=DEBUG
            FASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider
            FASTMCP_SERVER_AUTH_GITHUB_CLIENT_ID=abc
            """,
        ),
        Example(
            "dockerfile",
            filename="Dockerfile",
            before="""
            FROM python:3.12-slim
            ENV FASTMCP_SERVER_HOST=0.0.0.0 FASTMCP_SERVER_PORT=8080
            ENV FASTMCP_EXPERIMENTAL_ENABLE_NEW_OPENAPI_PARSER=true
            CMD ["fastmcp", "run", "server.py", "--transport", "http"]
            """,
            after="""
            FROM python:3.12-slim
            ENV FASTMCP_HOST=0.0.0.0 FASTMCP_PORT=8080
            CMD ["fastmcp", "run", "server.py", "--transport", "http"]
            """,
        ),
        Example(
            "compose-and-unknown",
            filename="docker-compose.yml",
            before="""
            services:
              mcp:
                environment:
                  - FASTMCP_SERVER_STATELESS_HTTP=true
                  - FASTMCP_SERVER_COLOR=blue
                  - FASTMCP_RESOURCE_PREFIX_FORMAT=protocol
            """,
            after="""
            services:
              mcp:
                environment:
                  - FASTMCP_STATELESS_HTTP=true
                  - FASTMCP_SERVER_COLOR=blue
                  - FASTMCP_RESOURCE_PREFIX_FORMAT=protocol
            """,
            findings=("`FASTMCP_SERVER_COLOR` is not a FastMCP 2.14 setting", "removed in 2.14"),
        ),
        Example(
            "fastmcp-json",
            filename="fastmcp.json",
            before="""
            {
              "source": {"path": "server.py"},
              "deployment": {"env": {"FASTMCP_SERVER_DEBUG": "true"}}
            }
            """,
            after="""
            {
              "source": {"path": "server.py"},
              "deployment": {"env": {"FASTMCP_DEBUG": "true"}}
            }
            """,
        ),
    )

    def rename(self, name: str) -> str | None:
        if not name.startswith(_PREFIX) or name == "FASTMCP_SERVER_AUTH":
            return None
        if name.startswith("FASTMCP_SERVER_AUTH_"):
            return None
        if field_of(name, _PREFIX) not in _FIELDS:
            return None
        return "FASTMCP_" + name[len(_PREFIX) :]

    def _report_for(self, name: str) -> tuple[Severity, str] | None:
        if (
            name.startswith(_PREFIX)
            and not name.startswith("FASTMCP_SERVER_AUTH")
            and self.rename(name) is None
        ):
            return (
                Severity.WARNING,
                f"`{name}` is not a FastMCP 2.14 setting (and 2.14 ignores the "
                "FASTMCP_SERVER_ prefix): delete it, or give the value to the code that "
                "reads it under another name",
            )
        return super()._report_for(name)
