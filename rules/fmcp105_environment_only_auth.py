from __future__ import annotations

import ast
from collections.abc import Iterable, Mapping, Sequence

from fastmcp_kit.lint.envfiles import ENV_FILE_PATTERNS, server_prefixed_variables
from fastmcp_kit.lint.lines import split_lines
from fastmcp_kit.lint.rule import (
    Invalid,
    ProjectContext,
    ProjectFinding,
    TextReport,
    TextRule,
    Valid,
)
from fastmcp_kit.lint.violation import Fact, Severity

AUTH_PREFIX = "FASTMCP_SERVER_AUTH"
# ``NAME=``, ``NAME=""``, ``NAME: ''``: the rest of a line that sets nothing.
EMPTY_VALUES = frozenset({"", '""', "''"})


class EnvironmentOnlyAuth(TextRule):
    """`FASTMCP_SERVER_AUTH*` configuration, which FastMCP 3.0+ silently ignores.

    ## What it does
    In `.env` files, Dockerfiles, compose files and `fastmcp.json`, flags
    `FASTMCP_SERVER_AUTH` (the auth provider's import path) and the provider settings
    `FASTMCP_SERVER_AUTH_<PROVIDER>_*` when the project targets FastMCP 3.0 or later
    and its Python code neither passes `auth=` to `FastMCP(...)` (or sets `.auth`)
    nor reads the variable itself. A variable set to nothing (`NAME=`) is not flagged.

    ## Why is this bad?
    FastMCP 2.x could build the server's auth provider from the environment. 3.0
    removed that without an error: a server configured only this way **runs without
    authentication** (`FastMCP("x").auth is None` with `FASTMCP_SERVER_AUTH` set,
    verified 3.0.2 and 4.2.3). Pass `auth=` in code, reading the secrets from the
    environment explicitly (e.g. `GitHubProvider(client_id=os.environ[...], ...)`).

    A project whose code builds its provider and passes it as `auth=` is
    authenticated whatever its env files hold, and one whose own settings read
    `FASTMCP_SERVER_AUTH_GOOGLE_CLIENT_ID` uses that name on purpose: neither is
    reported. The rule judges the whole project, so lint the project (not one env
    file alone) to give it the code.

    ## Fix safety
    No automatic fix: the provider must be constructed in code.
    """

    code = "FMCP105"
    severity = Severity.ERROR
    message = (
        "`{name}` is ignored since FastMCP 3.0, and no code in this project passes `auth=`:"
        " the server runs without authentication"
    )
    documented_errors = (26,)
    fastmcp_versions = ">=3"
    file_patterns = ENV_FILE_PATTERNS
    python_needles = ("auth", AUTH_PREFIX)
    references = ("https://gofastmcp.com/servers/auth/authentication",)

    VALID = [
        Valid(
            "explicit-names-read-in-code",
            "GITHUB_CLIENT_ID=abc\nGITHUB_CLIENT_SECRET=xyz\n",
            filename=".env",
        ),
        Valid(
            "still-works-on-2x",
            "FASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider\n",
            filename=".env",
            fastmcp_version="2.14",
        ),
        Valid(
            "auth-passed-in-code",
            "FASTMCP_SERVER_AUTH_GOOGLE_CLIENT_ID=abc\nFASTMCP_SERVER_AUTH_GOOGLE_CLIENT_SECRET=xyz\n",
            filename=".env.example",
            files={
                "server.py": """\
import os

from fastmcp import FastMCP
from fastmcp.server.auth.providers.google import GoogleProvider

auth = GoogleProvider(
    client_id=os.environ["GOOGLE_CLIENT_ID"],
    client_secret=os.environ["GOOGLE_CLIENT_SECRET"],
    base_url="http://localhost:8000",
)
mcp = FastMCP("docs", auth=auth)
""",
            },
        ),
        Valid(
            "auth-set-on-the-server",
            "FASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider\n",
            filename=".env",
            files={
                "server.py": """\
from fastmcp import FastMCP

from app.security import build_provider

mcp = FastMCP("docs")
mcp.auth = build_provider()
""",
            },
        ),
        Valid(
            "names-read-by-the-project-settings",
            "FASTMCP_SERVER_AUTH_GOOGLE_CLIENT_ID=abc\n",
            filename=".env.local.example",
            files={
                "settings.py": """\
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="FASTMCP_SERVER_AUTH_GOOGLE_")

    client_id: str = ""
""",
            },
        ),
        Valid(
            "set-to-nothing",
            "# leave empty for the legacy flow\nFASTMCP_SERVER_AUTH_GOOGLE_CLIENT_ID=\n"
            'FASTMCP_SERVER_AUTH_GOOGLE_CLIENT_SECRET=""\n',
            filename=".env.local.example",
        ),
    ]
    INVALID = [
        Invalid(
            "provider-from-env",
            "FASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider\n"
            "FASTMCP_SERVER_AUTH_GITHUB_CLIENT_ID=abc\n",
            filename=".env.production",
            count=2,
        ),
        Invalid(
            "auth-none-in-code",
            "FASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider\n",
            filename=".env",
            files={
                "server.py": """\
from fastmcp import FastMCP

mcp = FastMCP("docs", auth=None)
""",
            },
        ),
        Invalid(
            "in-a-dockerfile",
            "FROM python:3.12\nENV FASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider\n",
            filename="Dockerfile",
        ),
    ]

    def check_text(self, text: str) -> Iterable[TextReport]:
        lines = split_lines(text)
        for variable in server_prefixed_variables(text):
            if not variable.name.startswith(AUTH_PREFIX):
                continue
            if variable.name != AUTH_PREFIX and not variable.name.startswith(AUTH_PREFIX + "_"):
                continue
            rest = lines[variable.row - 1][variable.end_column - 1 :].strip()
            if rest[:1] in ("=", ":") and rest[1:].strip() in EMPTY_VALUES:
                continue
            yield TextReport(
                variable.row,
                variable.column,
                variable.end_column,
                self.message.format(name=variable.name),
            )

    @classmethod
    def python_facts(cls, tree: ast.Module) -> list[Fact]:
        passes_auth = False
        names_read: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called_name(node.func) == "FastMCP":
                passes_auth = passes_auth or any(_sets_auth(kw) for kw in node.keywords)
            elif isinstance(node, (ast.Assign, ast.AnnAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                passes_auth = passes_auth or (
                    not _is_none(node.value)
                    and any(isinstance(t, ast.Attribute) and t.attr == "auth" for t in targets)
                )
            elif (
                isinstance(node, ast.Constant)
                and isinstance(node.value, str)
                and node.value.startswith(AUTH_PREFIX)
            ):
                names_read.add(node.value)
        facts = [Fact({"passes_auth": True})] if passes_auth else []
        if names_read:
            facts.append(Fact({"reads": sorted(names_read)}))
        return facts

    @classmethod
    def check_project(
        cls, facts: Mapping[str, Sequence[Fact]], project: ProjectContext
    ) -> Iterable[ProjectFinding]:
        every = [fact for items in facts.values() for fact in items]
        if any(fact.data.get("passes_auth") for fact in every):
            return
        read = {name for fact in every for name in fact.data.get("reads", ())}
        for path, items in facts.items():
            for fact in items:
                if "message" not in fact.data or fact.location is None:
                    continue
                name = fact.data["text"]
                if any(
                    name == known or (known.endswith("_") and name.startswith(known))
                    for known in read
                ):
                    continue
                yield ProjectFinding(
                    path, fact.data["message"], fact.location, fact.end_location or fact.location
                )


def _called_name(func: ast.expr) -> str | None:
    if isinstance(func, ast.Name):
        return func.id
    if isinstance(func, ast.Attribute):
        return func.attr
    return None


def _sets_auth(keyword: ast.keyword) -> bool:
    # ``**options`` may carry ``auth``: unknown, so the code is given the benefit.
    return keyword.arg is None or (keyword.arg == "auth" and not _is_none(keyword.value))


def _is_none(value: ast.expr | None) -> bool:
    return value is None or (isinstance(value, ast.Constant) and value.value is None)
