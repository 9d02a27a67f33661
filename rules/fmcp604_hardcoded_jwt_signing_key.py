from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint import oauth_proxy
from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import last_identifier, local_names_for
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

SHORT = 12  # FastMCP warns below this many characters


def _literal(node: cst.BaseExpression | None) -> str | bytes | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        return node.evaluated_value
    return None


class HardcodedJwtSigningKey(Rule):
    """A hard-coded `jwt_signing_key` for FastMCP's OAuth proxy.

    ## What it does
    Flags `jwt_signing_key="..."` (a string or bytes literal, directly or through a
    module-level constant assigned once) in calls to FastMCP's `OAuthProxy`,
    `OIDCProxy` and the OAuthProxy-based providers.

    ## Why is this bad?
    The key signs every token the proxy issues to MCP clients and (unless you pass
    your own `client_storage`) seeds the key that encrypts the stored upstream
    tokens. Anyone who reads the source can mint valid tokens for your server, and
    rotating a committed key means a code change that logs every client out. FastMCP
    also warns about keys shorter than 12 characters (`jwt_signing_key is less than
    12 characters`; verified 2.13.3 to 4.1.2). FastMCP reads no environment variable
    for it: load it yourself, e.g. `jwt_signing_key=os.environ["JWT_SIGNING_KEY"]`.

    ## Fix safety
    No fix: the key has to come from your own secret store.
    """

    code = "FMCP604"
    severity = Severity.WARNING
    message = '`jwt_signing_key` of `{callee}()` is hard-coded{short}; anyone with the source can forge tokens for this server. Load it from a secret store, e.g. `os.environ["JWT_SIGNING_KEY"]`'
    documented_errors = (23,)
    fastmcp_versions = ">=2.13"
    references = ("https://gofastmcp.com/servers/auth/oauth-proxy",)

    # Only a `jwt_signing_key=` keyword is reported.
    needles = ("jwt_signing_key",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # Calls of an OAuthProxy-based class passing `jwt_signing_key=`.
        calls = [
            node.func
            for node in every_node(tree)
            if isinstance(node, ast.Call) and any(k.arg == "jwt_signing_key" for k in node.keywords)
        ]
        if not calls:
            return False
        known = local_names_for(tree, (c.name for c in oauth_proxy.PROXY_CLASSES))
        return any(last_identifier(func) in known for func in calls)

    VALID = [
        Valid(
            "from-environment",
            """
            import os
            from fastmcp.server.auth.providers.github import GitHubProvider

            auth = GitHubProvider(
                client_id="id",
                client_secret=os.environ["GITHUB_CLIENT_SECRET"],
                base_url="https://mcp.example.com",
                jwt_signing_key=os.environ["JWT_SIGNING_KEY"],
            )
            """,
        ),
        Valid(
            "other-library-and-reassigned-constant",
            """
            import jwt
            from fastmcp.server.auth import OAuthProxy

            KEY = "dev-key"
            KEY = load_key()
            jwt.encode({}, key="secret")
            Signer(jwt_signing_key="not-fastmcp")
            proxy = OAuthProxy(**common, jwt_signing_key=KEY)
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "literal-key",
            """
            import os
            from fastmcp.server.auth.providers.github import GitHubProvider

            auth = GitHubProvider(
                client_id="id",
                client_secret=os.environ["GITHUB_CLIENT_SECRET"],
                base_url="https://mcp.example.com",
                jwt_signing_key="super-secret-signing-key-1234",
            )
            """,
        ),
        Invalid(
            "short-module-constant",
            """
            from fastmcp.server.auth import OAuthProxy

            SIGNING_KEY = b"secret"

            auth = OAuthProxy(**common, jwt_signing_key=SIGNING_KEY)
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.constants: dict[str, cst.BaseExpression | None] = {}
        self.depth = 0

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.depth += 1

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.depth -= 1

    def visit_Module(self, node: cst.Module) -> None:
        # Module-level NAME = <literal>, assigned exactly once.
        for statement in node.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                targets: list[cst.BaseExpression] = []
                value: cst.BaseExpression | None = None
                if isinstance(small, cst.Assign):
                    targets, value = [t.target for t in small.targets], small.value
                elif isinstance(small, (cst.AnnAssign, cst.AugAssign)):
                    targets = [small.target]
                    value = small.value if isinstance(small, cst.AnnAssign) else None
                for target in targets:
                    if isinstance(target, cst.Name):
                        name = target.value
                        self.constants[name] = None if name in self.constants else value

    def visit_Call(self, node: cst.Call) -> None:
        proxy = oauth_proxy.proxy_class(self.context.names, node.func)
        if proxy is None:
            return
        arg = oauth_proxy.keyword(node, "jwt_signing_key")
        if arg is None:
            return
        value: cst.BaseExpression | None = arg.value
        if isinstance(value, cst.Name):
            # Inside functions a lower-case name may be a local: trust CONSTANTS only.
            if self.depth and not value.value.isupper():
                return
            value = self.constants.get(value.value)
        literal = _literal(value)
        if not literal:
            return
        short = f" and only {len(literal)} characters long" if len(literal) < SHORT else ""
        self.report(arg, self.message.format(callee=proxy.name, short=short))
