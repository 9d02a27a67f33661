from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint import oauth_proxy
from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import last_identifier, local_names_for
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity


class ConsentDisabled(Rule):
    """`require_authorization_consent=False` on FastMCP's OAuth proxy: the consent screen is off.

    ## What it does
    Flags `require_authorization_consent=False` in calls to FastMCP's `OAuthProxy`,
    `OIDCProxy` and the OAuthProxy-based providers (GitHub, Google, Azure, WorkOS,
    Auth0, AWS Cognito, Discord, OCI, Clerk, Hugging Face).

    ## Why is this bad?
    FastMCP's OAuth proxy registers MCP clients dynamically and forwards them to one
    upstream OAuth app. The consent screen (on by default since 2.13.0) is what stops
    a malicious client from riding on a user's earlier approval of that app (a
    confused deputy attack). With it disabled FastMCP logs `Authorization consent
    screen disabled - only use for local development or testing. In production, this
    screen protects against confused deputy attacks.` (verified 2.13.3 to 4.1.2).
    `"external"` (3.2+) declares that the upstream shows its own consent screen and
    `"remember"` (3.3+) remembers approvals; those are not flagged.

    ## Fix safety
    No fix: disabling consent may be deliberate for local development. Remove the
    argument (the default is `True`) for deployed servers, or suppress the finding
    where it is intended.
    """

    code = "FMCP602"
    severity = Severity.WARNING
    message = "`{callee}(require_authorization_consent=False)` disables the consent screen that protects against confused deputy attacks; keep it enabled outside local development"
    documented_errors = (22,)
    fastmcp_versions = ">=2.13"
    references = ("https://gofastmcp.com/servers/auth/oauth-proxy",)

    # Only a `require_authorization_consent=False` keyword is reported.
    needles = ("require_authorization_consent",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # Calls of an OAuthProxy-based class passing `require_authorization_consent=False`.
        calls = [
            node.func
            for node in every_node(tree)
            if isinstance(node, ast.Call)
            and any(
                k.arg == "require_authorization_consent"
                and isinstance(k.value, ast.Constant)
                and k.value.value is False
                for k in node.keywords
            )
        ]
        if not calls:
            return False
        known = local_names_for(tree, (c.name for c in oauth_proxy.PROXY_CLASSES))
        return any(last_identifier(func) in known for func in calls)

    VALID = [
        Valid(
            "default-consent",
            """
            from fastmcp.server.auth.providers.github import GitHubProvider

            auth = GitHubProvider(client_id="id", client_secret=SECRET, base_url=URL)
            strict = GitHubProvider(
                client_id="id", client_secret=SECRET, base_url=URL, require_authorization_consent=True
            )
            """,
        ),
        Valid(
            "remember-and-external",
            """
            from fastmcp.server.auth import OIDCProxy

            auth = OIDCProxy(
                config_url=URL, client_id="id", client_secret=SECRET, base_url=BASE,
                require_authorization_consent="remember",
            )
            """,
        ),
        Valid(
            "other-library",
            """
            from myapp.auth import OAuthProxy

            OAuthProxy(require_authorization_consent=False)
            """,
        ),
        Valid(
            "environment-driven",
            """
            import os
            from fastmcp.server.auth import OAuthProxy

            auth = OAuthProxy(**common, require_authorization_consent=os.getenv("ENV") != "dev")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "github-provider",
            """
            from fastmcp.server.auth.providers.github import GitHubProvider

            auth = GitHubProvider(
                client_id="id",
                client_secret=SECRET,
                base_url="https://mcp.example.com",
                require_authorization_consent=False,
            )
            """,
        ),
        Invalid(
            "oauth-proxy-module-import",
            """
            import fastmcp.server.auth as auth

            provider = auth.OAuthProxy(**settings, require_authorization_consent=False)
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        proxy = oauth_proxy.proxy_class(self.context.names, node.func)
        if proxy is None:
            return
        arg = oauth_proxy.keyword(node, "require_authorization_consent")
        if arg is None or not (isinstance(arg.value, cst.Name) and arg.value.value == "False"):
            return
        self.report(arg, self.message.format(callee=proxy.name))
