from __future__ import annotations

from collections.abc import Iterable

from fastmcp_kit.lint.envfiles import ENV_FILE_PATTERNS, field_of, server_prefixed_variables
from fastmcp_kit.lint.rule import Invalid, TextReport, TextRule, Valid
from fastmcp_kit.lint.settings_fields import settings_fields
from fastmcp_kit.lint.violation import Applicability, Severity


class IgnoredServerSettingsPrefix(TextRule):
    """A `FASTMCP_SERVER_*` setting that FastMCP 2.14+ silently ignores.

    ## What it does
    In `.env` files, Dockerfiles, compose files and `fastmcp.json`, flags environment
    variables such as `FASTMCP_SERVER_PORT` whose setting now lives under the plain
    `FASTMCP_` prefix (`FASTMCP_PORT`). Names that are still settings of their own
    (`FASTMCP_SERVER_DEPENDENCIES`, and `FASTMCP_SERVER_AUTH` on 2.14) are left alone.

    ## Why is this bad?
    The `FASTMCP_SERVER_` prefix was deprecated in 2.8 and removed in 2.14.0: the
    variable is silently ignored. `FASTMCP_SERVER_PORT=9123` starts the server on the
    default port 8000 in 2.14.7 (2.13.3 still honoured it, with a warning). Nothing
    fails; the setting just stops applying.

    ## Fix safety
    The fix renames the variable to its `FASTMCP_` form. It is unsafe: the setting,
    ignored until now, takes effect (the server moves to the port you asked for).
    """

    code = "FMCP104"
    severity = Severity.ERROR
    message = "`{name}` is ignored since FastMCP 2.14; the setting is now `{new}`"
    fix_title = "Rename to `{new}`"
    fastmcp_versions = ">=2.14"
    file_patterns = ENV_FILE_PATTERNS
    references = ("https://gofastmcp.com/more/settings",)

    VALID = [
        Valid("new-prefix", "FASTMCP_PORT=9123\nFASTMCP_LOG_LEVEL=DEBUG\n", filename=".env"),
        Valid(
            "fields-named-server",
            "FASTMCP_SERVER_DEPENDENCIES='[\"httpx\"]'\nFASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider\n",
            filename=".env",
            fastmcp_version="2.14",
        ),
        Valid(
            "provider-settings-are-another-rule",
            "FASTMCP_SERVER_AUTH_GITHUB_CLIENT_ID=abc\n",
            filename=".env",
            fastmcp_version="2.14",
        ),
        Valid("before-2-14", "FASTMCP_SERVER_PORT=9123\n", filename=".env", fastmcp_version="2.13"),
    ]
    INVALID = [
        Invalid(
            "env-file",
            "FASTMCP_SERVER_PORT=9123\nFASTMCP_SERVER_HOST=0.0.0.0\n",
            filename=".env",
            count=2,
            fixed="FASTMCP_PORT=9123\nFASTMCP_HOST=0.0.0.0\n",
        ),
        Invalid(
            "dockerfile",
            'FROM python:3.12-slim\nENV FASTMCP_SERVER_LOG_LEVEL=DEBUG\nCMD ["fastmcp", "run", "server.py"]\n',
            filename="Dockerfile",
            fixed='FROM python:3.12-slim\nENV FASTMCP_LOG_LEVEL=DEBUG\nCMD ["fastmcp", "run", "server.py"]\n',
        ),
        Invalid(
            "compose-file",
            "services:\n  mcp:\n    environment:\n      - FASTMCP_SERVER_STATELESS_HTTP=true\n",
            filename="docker-compose.yml",
            fixed="services:\n  mcp:\n    environment:\n      - FASTMCP_STATELESS_HTTP=true\n",
        ),
        Invalid(
            "fastmcp-json",
            '{"deployment": {"env": {"FASTMCP_SERVER_JSON_RESPONSE": "true"}}}\n',
            filename="fastmcp.json",
            fixed='{"deployment": {"env": {"FASTMCP_JSON_RESPONSE": "true"}}}\n',
        ),
    ]

    def check_text(self, text: str) -> Iterable[TextReport]:
        fields = settings_fields(self.context.target)
        for variable in server_prefixed_variables(text):
            with_server = field_of(variable.name, "FASTMCP_")
            plain = field_of(variable.name, "FASTMCP_SERVER_")
            if with_server in fields or plain not in fields:
                continue  # a setting of its own, or not a setting at all
            new = "FASTMCP_" + variable.name[len("FASTMCP_SERVER_") :]
            yield TextReport(
                variable.row,
                variable.column,
                variable.end_column,
                self.message.format(name=variable.name, new=new),
                replacement=new,
                fix_message=(self.fix_title or "").format(new=new),
                applicability=Applicability.UNSAFE,
            )
