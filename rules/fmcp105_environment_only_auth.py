from __future__ import annotations

from collections.abc import Iterable

from fastmcp_kit.lint.envfiles import ENV_FILE_PATTERNS, server_prefixed_variables
from fastmcp_kit.lint.rule import Invalid, TextReport, TextRule, Valid
from fastmcp_kit.lint.violation import Severity


class EnvironmentOnlyAuth(TextRule):
    """`FASTMCP_SERVER_AUTH*` configuration, which FastMCP 3.0+ silently ignores.

    ## What it does
    In `.env` files, Dockerfiles, compose files and `fastmcp.json`, flags
    `FASTMCP_SERVER_AUTH` (the auth provider's import path) and the provider settings
    `FASTMCP_SERVER_AUTH_<PROVIDER>_*` when the project targets FastMCP 3.0 or later.

    ## Why is this bad?
    FastMCP 2.x could build the server's auth provider from the environment. 3.0
    removed that without an error: a server configured only this way **runs without
    authentication** (`FastMCP("x").auth is None` with `FASTMCP_SERVER_AUTH` set,
    verified 3.4.10). Pass `auth=` in code, reading the secrets from the environment
    explicitly (e.g. `GitHubProvider(client_id=os.environ[...], ...)`).

    ## Fix safety
    No automatic fix: the provider must be constructed in code.
    """

    code = "FMCP105"
    severity = Severity.ERROR
    message = "`{name}` is ignored since FastMCP 3.0: unless the server passes `auth=` in code, it runs without authentication"
    documented_errors = (26,)
    fastmcp_versions = ">=3"
    file_patterns = ENV_FILE_PATTERNS
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
    ]
    INVALID = [
        Invalid(
            "provider-from-env",
            "FASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider\n"
            "FASTMCP_SERVER_AUTH_GITHUB_CLIENT_ID=abc\n",
            filename=".env.production",
            count=2,
        ),
    ]

    def check_text(self, text: str) -> Iterable[TextReport]:
        for variable in server_prefixed_variables(text):
            if variable.name == "FASTMCP_SERVER_AUTH" or variable.name.startswith(
                "FASTMCP_SERVER_AUTH_"
            ):
                yield TextReport(
                    variable.row,
                    variable.column,
                    variable.end_column,
                    self.message.format(name=variable.name),
                )
