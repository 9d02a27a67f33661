from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint import oauth_proxy
from fastmcp_kit.lint.rule import Fix, Invalid, Rule, Valid
from fastmcp_kit.lint.violation import Severity

WRONG = "enable_consent_screen"
RIGHT = "require_authorization_consent"


class ConsentScreenKeyword(Rule):
    """`enable_consent_screen=` passed to a FastMCP auth class, which has no such parameter.

    ## What it does
    Flags the keyword argument `enable_consent_screen=` in calls to FastMCP's
    `OAuthProxy`, `OIDCProxy` and the classes under `fastmcp.server.auth` (GitHub,
    Google, Azure, WorkOS, ... providers). The callee must resolve to an import from
    `fastmcp`; other libraries' `enable_consent_screen` settings are not flagged.

    ## Why is this bad?
    No FastMCP release has this parameter, and no constructor takes `**kwargs`, so
    the server fails at import with `TypeError: OAuthProxy.__init__() got an
    unexpected keyword argument 'enable_consent_screen'` (verified 2.13.3 to 4.1.2,
    on OAuthProxy and GitHubProvider). The real parameter of OAuthProxy-based classes
    is `require_authorization_consent`, and the consent screen is **on by default**
    since 2.13.0. Token verifiers and the `RemoteAuthProvider`-based providers
    (Descope, Supabase, AuthKit, Scalekit, ...) have no consent screen at all.

    ## Fix safety
    On OAuthProxy-based classes (FastMCP 2.13+), the fix renames the keyword to
    `require_authorization_consent`, keeping the value: same meaning, same polarity,
    so it is safe. No fix when the call already passes `require_authorization_consent`
    or the class has no consent screen (remove the argument).
    """

    code = "FMCP601"
    severity = Severity.ERROR
    message = "`{callee}` has no `enable_consent_screen` parameter (TypeError at import); {hint}"
    fix_title = "Rename to `require_authorization_consent=`"
    documented_errors = (22,)
    references = ("https://gofastmcp.com/servers/auth/oauth-proxy",)

    # Only the `enable_consent_screen=` keyword is reported.
    needles = ("enable_consent_screen",)

    VALID = [
        Valid(
            "real-parameter",
            """
            import os

            from fastmcp.server.auth.providers.github import GitHubProvider

            auth = GitHubProvider(
                client_id="Ov23li...",
                client_secret=os.environ["GITHUB_CLIENT_SECRET"],
                base_url="http://localhost:8000",
                require_authorization_consent=True,
            )
            """,
        ),
        Valid(
            "other-library-settings",
            """
            from onyx.configs import Settings
            from myapp.oauth import OAuthProxy

            settings = Settings(enable_consent_screen=True)
            proxy = OAuthProxy(enable_consent_screen=True)
            """,
        ),
        Valid(
            "dict-and-attribute",
            """
            from fastmcp.server.auth import OAuthProxy

            config = {"enable_consent_screen": True}
            enable_consent_screen = config["enable_consent_screen"]
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "oauth-proxy",
            """
            import os

            from fastmcp.server.auth import OAuthProxy
            from fastmcp.server.auth.providers.jwt import JWTVerifier

            auth = OAuthProxy(
                upstream_authorization_endpoint="https://idp.example.com/authorize",
                upstream_token_endpoint="https://idp.example.com/token",
                upstream_client_id="client-id",
                upstream_client_secret=os.environ["IDP_SECRET"],
                token_verifier=JWTVerifier(jwks_uri="https://idp.example.com/jwks"),
                base_url="https://mcp.example.com",
                enable_consent_screen=True,
            )
            """,
            fixed="""
            import os

            from fastmcp.server.auth import OAuthProxy
            from fastmcp.server.auth.providers.jwt import JWTVerifier

            auth = OAuthProxy(
                upstream_authorization_endpoint="https://idp.example.com/authorize",
                upstream_token_endpoint="https://idp.example.com/token",
                upstream_client_id="client-id",
                upstream_client_secret=os.environ["IDP_SECRET"],
                token_verifier=JWTVerifier(jwks_uri="https://idp.example.com/jwks"),
                base_url="https://mcp.example.com",
                require_authorization_consent=True,
            )
            """,
        ),
        Invalid(
            "provider-module-alias",
            """
            from fastmcp.server.auth.providers import google

            auth = google.GoogleProvider(
                client_id="id", client_secret=SECRET, base_url=URL, enable_consent_screen=False
            )
            """,
            fixed="""
            from fastmcp.server.auth.providers import google

            auth = google.GoogleProvider(
                client_id="id", client_secret=SECRET, base_url=URL, require_authorization_consent=False
            )
            """,
        ),
        Invalid(
            "no-consent-screen-class",
            """
            from fastmcp.server.auth.providers.supabase import SupabaseProvider

            auth = SupabaseProvider(project_url=URL, base_url=BASE, enable_consent_screen=True)
            """,
        ),
        Invalid(
            "both-keywords",
            """
            from fastmcp.server.auth.oidc_proxy import OIDCProxy

            auth = OIDCProxy(
                config_url=URL,
                client_id="id",
                client_secret=SECRET,
                base_url=BASE,
                enable_consent_screen=True,
                require_authorization_consent=True,
            )
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        wrong = oauth_proxy.keyword(node, WRONG)
        if wrong is None or wrong.keyword is None:
            return
        names = self.context.names
        qualified = oauth_proxy.fastmcp_auth_class(names, node.func)
        if qualified is None:
            return
        callee = qualified.rpartition(".")[2]
        proxy = oauth_proxy.proxy_class(names, node.func)
        fix = None
        if proxy is None:
            hint = f"`{callee}` has no consent screen: remove the argument"
        else:
            hint = (
                f"use `{RIGHT}=` (True by default since 2.13)"
                if self.context.target.release >= (2, 13)
                else "FastMCP 2.13 added the consent screen (`require_authorization_consent=`)"
            )
            if self.context.target.release >= (2, 13) and oauth_proxy.keyword(node, RIGHT) is None:
                renamed = wrong.with_changes(keyword=wrong.keyword.with_changes(value=RIGHT))
                fix = Fix(self.fix_title or "", replacements=((wrong, renamed),))
        self.report(wrong, self.message.format(callee=callee, hint=hint), fix=fix)
