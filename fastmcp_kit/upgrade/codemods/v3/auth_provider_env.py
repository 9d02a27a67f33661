"""Auth providers configured from ``FASTMCP_SERVER_AUTH_<PROVIDER>_*`` (3.ii rows 17, 18)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.cstutil import add_args, has_star_args, keyword, kwarg

_P = "fastmcp.server.auth.providers"
# class path -> (2.x env prefix, keywords 3.x requires, optional str keywords 2.x read)
PROVIDERS: dict[str, tuple[str, tuple[str, ...], tuple[str, ...]]] = {
    f"{_P}.github.GitHubProvider": (
        "FASTMCP_SERVER_AUTH_GITHUB_",
        ("client_id", "client_secret", "base_url"),
        ("issuer_url", "redirect_path", "jwt_signing_key"),
    ),
    f"{_P}.google.GoogleProvider": (
        "FASTMCP_SERVER_AUTH_GOOGLE_",
        ("client_id", "client_secret", "base_url"),
        ("issuer_url", "redirect_path", "jwt_signing_key"),
    ),
    f"{_P}.discord.DiscordProvider": (
        "FASTMCP_SERVER_AUTH_DISCORD_",
        ("client_id", "client_secret", "base_url"),
        ("issuer_url", "redirect_path", "jwt_signing_key"),
    ),
    f"{_P}.workos.WorkOSProvider": (
        "FASTMCP_SERVER_AUTH_WORKOS_",
        ("client_id", "client_secret", "authkit_domain", "base_url"),
        ("issuer_url", "redirect_path", "jwt_signing_key"),
    ),
    f"{_P}.workos.AuthKitProvider": (
        "FASTMCP_SERVER_AUTH_AUTHKITPROVIDER_",
        ("authkit_domain", "base_url"),
        (),
    ),
    f"{_P}.auth0.Auth0Provider": (
        "FASTMCP_SERVER_AUTH_AUTH0_",
        ("config_url", "client_id", "client_secret", "audience", "base_url"),
        ("issuer_url", "redirect_path", "jwt_signing_key"),
    ),
    f"{_P}.aws.AWSCognitoProvider": (
        "FASTMCP_SERVER_AUTH_AWS_COGNITO_",
        ("user_pool_id", "client_id", "client_secret", "base_url"),
        ("issuer_url", "jwt_signing_key"),
    ),
    f"{_P}.oci.OCIProvider": (
        "FASTMCP_SERVER_AUTH_OCI_",
        ("config_url", "client_id", "client_secret", "base_url"),
        ("audience", "issuer_url", "redirect_path", "jwt_signing_key"),
    ),
    f"{_P}.supabase.SupabaseProvider": (
        "FASTMCP_SERVER_AUTH_SUPABASE_",
        ("project_url", "base_url"),
        (),
    ),
    f"{_P}.scalekit.ScalekitProvider": (
        "FASTMCP_SERVER_AUTH_SCALEKITPROVIDER_",
        ("environment_url", "resource_id"),
        ("base_url",),
    ),
    f"{_P}.introspection.IntrospectionTokenVerifier": (
        "FASTMCP_SERVER_AUTH_INTROSPECTION_",
        ("introspection_url", "client_id", "client_secret"),
        ("base_url",),
    ),
    f"{_P}.jwt.JWTVerifier": (
        "FASTMCP_SERVER_AUTH_JWT_",
        (),
        ("public_key", "jwks_uri", "issuer", "audience", "algorithm", "base_url"),
    ),
}
_ALIASES = {"fastmcp.server.auth.JWTVerifier": f"{_P}.jwt.JWTVerifier"}


class AuthProviderEnv(Codemod):
    """What it does:
    For an auth provider constructed without the keywords that 3.x requires
    (``GitHubProvider()``, ``GoogleProvider(base_url=...)``, ``JWTVerifier()``, ...), adds
    each missing required keyword as ``os.environ["FASTMCP_SERVER_AUTH_<PROVIDER>_<KW>"]``
    -- the variable 2.x read -- and each optional string keyword whose variable the
    project's env files set as ``os.environ.get(...)``. Other settings read from the
    environment are reported.

    Why:
    3.0 stopped configuring providers from ``FASTMCP_SERVER_AUTH_*`` variables: the
    keywords are required (``TypeError: missing ... 'client_id'``) or silently unset.

    Safety:
    Safe: the server reads the same variables, explicitly (a missing required variable
    fails at start-up, as it did in 2.x). Non-string settings (scopes lists, timeouts)
    are not converted; they are reported when an env file sets them.
    """

    ID = "auth-provider-env"
    TITLE = "auth providers read their FASTMCP_SERVER_AUTH_* variables explicitly"
    KIND = "rewrite"
    ROWS = ("ii.17",)
    LINK = GUIDE_3
    TRIGGERS = ("Provider", "Verifier")
    EXAMPLES = (
        Example(
            "github",
            files={
                ".env": 'FASTMCP_SERVER_AUTH_GITHUB_REDIRECT_PATH=/cb\nFASTMCP_SERVER_AUTH_GITHUB_REQUIRED_SCOPES=["user"]\n'
            },
            before="""
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.github import GitHubProvider

            mcp = FastMCP("gh", auth=GitHubProvider(base_url="https://mcp.example.com"))
            """,
            after="""
            import os

            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.github import GitHubProvider

            mcp = FastMCP("gh", auth=GitHubProvider(base_url="https://mcp.example.com", client_id=os.environ["FASTMCP_SERVER_AUTH_GITHUB_CLIENT_ID"], client_secret=os.environ["FASTMCP_SERVER_AUTH_GITHUB_CLIENT_SECRET"], redirect_path=os.environ.get("FASTMCP_SERVER_AUTH_GITHUB_REDIRECT_PATH")))
            """,
            findings=("`FASTMCP_SERVER_AUTH_GITHUB_REQUIRED_SCOPES` is no longer read",),
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        qualified = self.names.qualified_name(original_node.func)
        qualified = _ALIASES.get(qualified or "", qualified)
        if qualified not in PROVIDERS or has_star_args(updated_node):
            return updated_node
        if any(a.keyword is None for a in updated_node.args):
            return updated_node
        prefix, required, optional = PROVIDERS[qualified]
        added: list[cst.Arg] = []
        for name in required:
            if keyword(updated_node, name) is None:
                added.append(kwarg(name, _environ(f"{prefix}{name.upper()}", required=True)))
        for name in optional:
            variable = f"{prefix}{name.upper()}"
            if keyword(updated_node, name) is None and variable in self.facts.env_names:
                added.append(kwarg(name, _environ(variable, required=False)))
        given = {a.keyword.value for a in updated_node.args if a.keyword is not None}
        known = {f"{prefix}{n.upper()}" for n in (*required, *optional, *given)}
        for variable in sorted(self.facts.env_names):
            if variable.startswith(prefix) and variable not in known:
                self.report(
                    original_node,
                    f"`{variable}` is no longer read from the environment in 3.x: pass that "
                    "setting to the provider explicitly",
                    Severity.WARNING,
                )
        if not added:
            return updated_node
        self.add_import("os")
        self.rewrote(len(added))
        return add_args(updated_node, added)


def _environ(variable: str, required: bool) -> cst.BaseExpression:
    if required:
        return cst.parse_expression(f'os.environ["{variable}"]')
    return cst.parse_expression(f'os.environ.get("{variable}")')
