"""Auth changes a human must decide: env-only auth, OAuth client storage, Supabase HS256
(3.ii rows 18, 22 and 37)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example, UpgradeFacts
from fastmcp_kit.upgrade.cstutil import keyword, string_value

_P = "fastmcp.server.auth.providers"
OAUTH_PROXIES = frozenset(
    {
        "fastmcp.server.auth.OAuthProxy",
        "fastmcp.server.auth.oauth_proxy.OAuthProxy",
        "fastmcp.server.auth.OIDCProxy",
        "fastmcp.server.auth.oidc_proxy.OIDCProxy",
        f"{_P}.github.GitHubProvider",
        f"{_P}.google.GoogleProvider",
        f"{_P}.discord.DiscordProvider",
        f"{_P}.workos.WorkOSProvider",
        f"{_P}.auth0.Auth0Provider",
        f"{_P}.aws.AWSCognitoProvider",
        f"{_P}.oci.OCIProvider",
        f"{_P}.azure.AzureProvider",
    }
)
_SUPABASE = frozenset({f"{_P}.supabase.SupabaseProvider"})


class AuthReports(Codemod):
    """What it does:
    Reports (1) a ``FastMCP(...)`` without ``auth=`` in a project whose env files set
    ``FASTMCP_SERVER_AUTH`` (error); (2) OAuth proxies and providers without
    ``client_storage=``; (3) ``SupabaseProvider(algorithm="HS256")``.

    Why:
    (1) 3.x no longer builds the auth provider from ``FASTMCP_SERVER_AUTH``: such a
    server silently runs *without* authentication. (2) 3.x keeps OAuth clients in an
    encrypted FileTreeStore instead of a DiskStore, so clients register once more
    (an explicit ``DiskStore`` now needs ``py-key-value-aio[disk]``, which the pins add).
    (3) 3.4 accepts only ``RS256``/``ES256``.

    Safety:
    Report only.
    """

    ID = "auth-reports"
    TITLE = "env-only auth, OAuth client storage, Supabase algorithm"
    KIND = "report"
    ROWS = ("ii.18", "ii.22", "ii.37")
    LINK = GUIDE_3
    TRIGGERS = ("Provider", "Proxy")

    @classmethod
    def wanted(cls, code: str, facts: UpgradeFacts) -> bool:
        env_auth = "FASTMCP_SERVER_AUTH" in facts.env_names and "FastMCP" in code
        return env_auth or super().wanted(code, facts)

    EXAMPLES = (
        Example(
            "env-only-auth",
            files={
                ".env": "FASTMCP_SERVER_AUTH=fastmcp.server.auth.providers.github.GitHubProvider\n"
            },
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("secure")
            """,
            findings=("runs WITHOUT authentication",),
        ),
        Example(
            "storage-and-supabase",
            before="""
            from fastmcp.server.auth.providers.github import GitHubProvider
            from fastmcp.server.auth.providers.supabase import SupabaseProvider

            gh = GitHubProvider(client_id="a", client_secret="b", base_url="https://x")
            sb = SupabaseProvider(project_url="https://p.supabase.co", base_url="https://x", algorithm="HS256")
            """,
            findings=("clients register once more", "HS256"),
        ),
    )

    def visit_Call(self, node: cst.Call) -> bool:
        qualified = self.names.qualified_name(node.func)
        if (
            self.names.is_server_class(node.func)
            and "FASTMCP_SERVER_AUTH" in self.facts.env_names
            and keyword(node, "auth") is None
        ):
            self.report(
                node,
                "FASTMCP_SERVER_AUTH is set in the environment files, but 3.x no longer builds "
                "auth from it: this server runs WITHOUT authentication unless `auth=` is "
                "passed in code",
                Severity.ERROR,
            )
        elif qualified in OAUTH_PROXIES and keyword(node, "client_storage") is None:
            self.report(
                node,
                "3.x stores OAuth clients in an encrypted FileTreeStore (2.x: DiskStore): "
                "clients register once more; pass `client_storage=` for a shared store",
                Severity.INFO,
            )
        elif qualified in _SUPABASE:
            algorithm = keyword(node, "algorithm")
            if algorithm is not None and string_value(algorithm.value) == "HS256":
                self.report(
                    node,
                    'SupabaseProvider(algorithm="HS256") is rejected from 3.4: use "RS256" or '
                    '"ES256" (the project\'s JWT signing keys)',
                    Severity.ERROR,
                )
        return True
