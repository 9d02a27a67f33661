"""Where FastMCP settings hide outside Python: env files, Dockerfiles, compose
files, fastmcp.json. Shared by the rules that read ``FASTMCP_*`` variables."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from fastmcp_kit.lint.lines import split_lines

ENV_FILE_PATTERNS = (
    ".env",
    ".env.*",
    "*.env",
    "Dockerfile",
    "Dockerfile.*",
    "*.dockerfile",
    "docker-compose*.yml",
    "docker-compose*.yaml",
    "compose*.yml",
    "compose*.yaml",
    "fastmcp.json",
)

_VARIABLE = re.compile(r"\bFASTMCP_SERVER_[A-Z0-9_]+\b")


@dataclass(frozen=True)
class EnvVariable:
    name: str
    row: int
    column: int  # 1-based

    @property
    def end_column(self) -> int:
        return self.column + len(self.name)


def server_prefixed_variables(text: str) -> Iterator[EnvVariable]:
    """Every ``FASTMCP_SERVER_*`` name in the text (comments included: a commented
    variable is a template someone will uncomment)."""
    for row, line in enumerate(split_lines(text), start=1):
        for match in _VARIABLE.finditer(line):
            yield EnvVariable(match.group(), row, match.start() + 1)


def field_of(name: str, prefix: str) -> str:
    """``FASTMCP_SERVER_PORT`` with prefix ``FASTMCP_SERVER_`` -> ``port``; the nested
    delimiter ``__`` ends the field name."""
    return name[len(prefix) :].split("__", 1)[0].lower()
