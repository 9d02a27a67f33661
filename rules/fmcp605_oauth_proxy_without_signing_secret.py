from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint import oauth_proxy
from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import last_identifier, local_names_for
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

# The secret keyword of each class, by its own name.
_SECRETS = {c.name: c.secret for c in oauth_proxy.PROXY_CLASSES}


class OauthProxyWithoutSigningSecret(Rule):
    """An OAuth proxy given neither a client secret nor `jwt_signing_key`.

    ## What it does
    From FastMCP 3.2, flags calls to `OAuthProxy` without `upstream_client_secret=`
    and without `jwt_signing_key=` (or with `None` for both), and the same for the
    classes whose `client_secret` became optional with it: `OIDCProxy`,
    `AzureProvider`, `GoogleProvider`, `ClerkProvider`, `HuggingFaceProvider`. Calls
    with `**kwargs` are not checked.

    ## Why is this bad?
    The proxy signs the tokens it issues with `jwt_signing_key`; when that is omitted
    FastMCP derives it from the client secret. 3.2 made the secret optional (for
    public PKCE clients), so with neither the server fails at import with
    `ValueError: jwt_signing_key is required when upstream_client_secret is not
    provided. The JWT signing key cannot be derived without a client secret.`
    (verified 3.4.10, 4.0.0, 4.1.2 on OAuthProxy, Google, Azure, Clerk and Hugging
    Face; OIDCProxy raises its own `Either client_secret or jwt_signing_key must be
    provided`). Before 3.2 the secret is a required argument instead (FMCP603).
    FastMCP does not read the key from any environment variable.

    ## Fix safety
    No fix: pass `jwt_signing_key=` read from your secret store (for example
    `os.environ["JWT_SIGNING_KEY"]`), or the upstream client secret.
    """

    code = "FMCP605"
    severity = Severity.ERROR
    message = "`{callee}()` has neither `{secret}=` nor `jwt_signing_key=`: FastMCP 3.2+ raises `ValueError: {error}` at import; pass a `jwt_signing_key` from your secret store"
    documented_errors = (23,)
    fastmcp_versions = ">=3.2"
    references = ("https://gofastmcp.com/servers/auth/oauth-proxy",)

    # Only calls to the proxy classes whose secret may be omitted are checked.
    needles = tuple(c.name for c in oauth_proxy.PROXY_CLASSES if c.optional_secret)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # Calls without `*`/`**` and without a non-None `jwt_signing_key=` (or the class's
        # own secret keyword, when the callee is the class's own name, not an alias).
        calls = [
            node
            for node in every_node(tree)
            if isinstance(node, ast.Call)
            and not any(isinstance(arg, ast.Starred) for arg in node.args)
            and all(keyword.arg is not None for keyword in node.keywords)
        ]
        if not calls:
            return False
        known = local_names_for(tree, cls.needles or ())
        aliases = {
            alias.asname
            for node in every_node(tree)
            if isinstance(node, (ast.Import, ast.ImportFrom))
            for alias in node.names
            if alias.asname
        }
        for call in calls:
            name = last_identifier(call.func)
            if name not in known:
                continue
            secret = _SECRETS.get(name) if name not in aliases else None
            given = {
                keyword.arg
                for keyword in call.keywords
                if not (isinstance(keyword.value, ast.Constant) and keyword.value.value is None)
            }
            if "jwt_signing_key" not in given and (secret is None or secret not in given):
                return True
        return False

    VALID = [
        Valid(
            "signing-key",
            """
            import os
            from fastmcp.server.auth import OAuthProxy

            auth = OAuthProxy(
                upstream_authorization_endpoint=AUTHORIZE,
                upstream_token_endpoint=TOKEN,
                upstream_client_id="public-client",
                token_verifier=verifier,
                base_url=BASE,
                jwt_signing_key=os.environ["JWT_SIGNING_KEY"],
            )
            """,
        ),
        Valid(
            "client-secret",
            """
            import os
            from fastmcp.server.auth.providers.google import GoogleProvider

            auth = GoogleProvider(
                client_id="id", client_secret=os.environ["GOOGLE_SECRET"], base_url=BASE
            )
            """,
        ),
        Valid(
            "required-secret-providers-and-splat",
            """
            from fastmcp.server.auth import OAuthProxy
            from fastmcp.server.auth.providers.github import GitHubProvider

            github = GitHubProvider(client_id="id", base_url=BASE)
            proxy = OAuthProxy(**settings)
            """,
        ),
        Valid(
            "secret-required-in-3-0",
            """
            from fastmcp.server.auth.providers.google import GoogleProvider

            auth = GoogleProvider(client_id="id", base_url=BASE)
            """,
            fastmcp_version="3.0",
        ),
    ]
    INVALID = [
        Invalid(
            "public-client-without-key",
            """
            from fastmcp.server.auth import OAuthProxy

            auth = OAuthProxy(
                upstream_authorization_endpoint=AUTHORIZE,
                upstream_token_endpoint=TOKEN,
                upstream_client_id="public-client",
                token_endpoint_auth_method="none",
                token_verifier=verifier,
                base_url=BASE,
            )
            """,
        ),
        Invalid(
            "explicit-none-provider",
            """
            from fastmcp.server.auth.providers.azure import AzureProvider

            auth = AzureProvider(
                client_id="id",
                client_secret=None,
                tenant_id="tenant",
                required_scopes=["read"],
                base_url=BASE,
                jwt_signing_key=None,
            )
            """,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        proxy = oauth_proxy.proxy_class(self.context.names, node.func)
        if proxy is None or not proxy.secret_optional(self.context.target):
            return
        if oauth_proxy.has_splat(node):
            return
        for name in (proxy.secret, "jwt_signing_key"):
            arg = oauth_proxy.keyword(node, name)
            if arg is not None and not oauth_proxy.is_none(arg.value):
                return
        error = (
            "Either client_secret or jwt_signing_key must be provided."
            if proxy.name == "OIDCProxy"
            else "jwt_signing_key is required when upstream_client_secret is not provided."
        )
        self.report(
            node.func, self.message.format(callee=proxy.name, secret=proxy.secret, error=error)
        )
