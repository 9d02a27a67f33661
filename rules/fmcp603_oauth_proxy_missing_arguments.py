from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint import oauth_proxy
from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import last_identifier, local_names_for
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

ALWAYS_REQUIRED = (
    "upstream_authorization_endpoint",
    "upstream_token_endpoint",
    "upstream_client_id",
    "token_verifier",
    "base_url",
)


def _quoted(names: list[str]) -> str:
    quoted = [f"'{name}'" for name in names]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + ", and " + quoted[-1]


class OauthProxyMissingArguments(Rule):
    """An `OAuthProxy(...)` call missing a required argument or passing `upstream_scope=`.

    ## What it does
    Flags calls to FastMCP's `OAuthProxy` that omit a required keyword argument
    (`upstream_authorization_endpoint`, `upstream_token_endpoint`,
    `upstream_client_id`, `token_verifier`, `base_url`, and before 3.2
    `upstream_client_secret`) or pass `upstream_scope=`, which does not exist.
    Calls with `*args`/`**kwargs` are not checked.

    ## Why is this bad?
    `OAuthProxy.__init__` takes keyword-only arguments and no `**kwargs`, so the
    server fails at import: `TypeError: OAuthProxy.__init__() missing 2 required
    keyword-only arguments: 'token_verifier' and 'base_url'`, or `TypeError:
    OAuthProxy.__init__() got an unexpected keyword argument 'upstream_scope'`
    (verified 2.13.3 to 4.1.2; `upstream_client_secret` became optional in 3.2.0).
    Guides show OAuthProxy without `token_verifier`/`base_url` and with
    `upstream_scope=`. Scopes are set with `valid_scopes=` (scopes clients may
    request), `extra_authorize_params={"scope": ...}` (sent upstream), or the token
    verifier's `required_scopes=`.

    ## Fix safety
    No fix: the missing values (the upstream's endpoints, a token verifier for its
    tokens, the server's public URL) cannot be guessed.
    """

    code = "FMCP603"
    severity = Severity.ERROR
    message = "`OAuthProxy()` is missing {what} (TypeError at import: `OAuthProxy.__init__() missing {count} required keyword-only argument{s}: {names}`)"
    documented_errors = (22,)
    fastmcp_versions = ">=2.12"
    references = ("https://gofastmcp.com/servers/auth/oauth-proxy",)

    # Only calls whose callee resolves to `...OAuthProxy` (import or attribute) are checked.
    needles = ("OAuthProxy",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # Only keyword-only calls (no positional argument, no `*`/`**`) are checked.
        calls = [
            node
            for node in every_node(tree)
            if isinstance(node, ast.Call)
            and not node.args
            and all(keyword.arg is not None for keyword in node.keywords)
        ]
        if not calls:
            return False
        known = local_names_for(tree, ("OAuthProxy",))
        return any(last_identifier(call.func) in known for call in calls)

    VALID = [
        Valid(
            "complete",
            """
            import os

            from fastmcp.server.auth import OAuthProxy
            from fastmcp.server.auth.providers.jwt import JWTVerifier

            auth = OAuthProxy(
                upstream_authorization_endpoint="https://idp.example.com/authorize",
                upstream_token_endpoint="https://idp.example.com/token",
                upstream_client_id="client-id",
                upstream_client_secret=os.environ["IDP_CLIENT_SECRET"],
                token_verifier=JWTVerifier(jwks_uri="https://idp.example.com/jwks"),
                base_url="https://mcp.example.com",
                valid_scopes=["openid", "profile"],
            )
            """,
        ),
        Valid(
            "no-secret-from-3-2",
            """
            import os

            from fastmcp.server.auth import OAuthProxy

            auth = OAuthProxy(
                upstream_authorization_endpoint=AUTHORIZE,
                upstream_token_endpoint=TOKEN,
                upstream_client_id="public-client",
                token_verifier=verifier,
                base_url="https://mcp.example.com",
                jwt_signing_key=os.environ["JWT_SIGNING_KEY"],
            )
            """,
        ),
        Valid(
            "splat-and-providers",
            """
            from fastmcp.server.auth import OAuthProxy
            from fastmcp.server.auth.providers.github import GitHubProvider

            auth = OAuthProxy(**settings.oauth)
            github = GitHubProvider(client_id="id", client_secret=SECRET, base_url=URL)
            """,
        ),
        Valid(
            "other-oauth-proxy",
            """
            from authlib_proxy import OAuthProxy

            proxy = OAuthProxy(upstream_scope="openid")
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "seed-oauth-proxy",
            """
            import os

            from fastmcp.server.auth import OAuthProxy

            auth = OAuthProxy(
                upstream_authorization_endpoint="https://github.com/login/oauth/authorize",
                upstream_token_endpoint="https://github.com/login/oauth/access_token",
                upstream_client_id=os.environ["GITHUB_CLIENT_ID"],
                upstream_client_secret=os.environ["GITHUB_CLIENT_SECRET"],
                upstream_scope="read:user",
            )
            """,
            count=2,
        ),
        Invalid(
            "secret-required-before-3-2",
            """
            from fastmcp.server.auth.oauth_proxy import OAuthProxy

            auth = OAuthProxy(
                upstream_authorization_endpoint=AUTHORIZE,
                upstream_token_endpoint=TOKEN,
                upstream_client_id="id",
                token_verifier=verifier,
                base_url=BASE,
                jwt_signing_key=KEY,
            )
            """,
            fastmcp_version="3.0",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        if oauth_proxy.proxy_class(self.context.names, node.func) is not oauth_proxy.OAUTH_PROXY:
            return
        if oauth_proxy.has_splat(node) or any(arg.keyword is None for arg in node.args):
            return
        scope = oauth_proxy.keyword(node, "upstream_scope")
        if scope is not None:
            self.report(
                scope,
                "`OAuthProxy()` has no `upstream_scope` parameter (TypeError at import); use "
                '`valid_scopes=[...]` or `extra_authorize_params={"scope": ...}`',
            )
        required = list(ALWAYS_REQUIRED)
        if self.context.target.release < (3, 2):
            required.insert(3, "upstream_client_secret")
        missing = [name for name in required if oauth_proxy.keyword(node, name) is None]
        if missing:
            what = ", ".join(f"`{name}=`" for name in missing)
            self.report(
                node.func,
                self.message.format(
                    what=what,
                    count=len(missing),
                    s="" if len(missing) == 1 else "s",
                    names=_quoted(missing),
                ),
            )
