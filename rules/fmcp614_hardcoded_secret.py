from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.secrets import (
    is_test_file,
    key_format,
    looks_like_secret,
    names_a_secret,
)
from fastmcp_kit.lint.violation import Severity


class HardcodedSecret(Rule):
    """A password, token or API key committed as a string literal.

    ## What it does
    Flags a string literal that either
    * has the exact format of a provider's key (AWS `AKIA...`, GitHub `ghp_...`, GitLab
      `glpat-...`, Google `AIza...`, Slack `xoxb-...`, Stripe `sk_live_...`, OpenAI
      `sk-...`, Anthropic `sk-ant-...`) anywhere in code, or is a connection URL with a
      password (`postgresql://app:s3cr3t-pw@db/app`);
    * or is bound to a name whose last word says it is a secret (`DB_PASSWORD = ...`,
      `api_key="..."`, `{"client_secret": "..."}`, `def connect(token="...")`,
      `clientSecret`) and looks like one: 8 characters or more, no spaces, at least 3
      bits of entropy per character.

    Never flagged: docstrings and comments; empty strings and environment lookups
    (`os.environ["API_KEY"]`, `os.getenv("TOKEN", "")`); environment variable names
    (`TOKEN_ENV = "GITHUB_TOKEN"`); identifier-like values (`"refresh_token"`);
    templates (`"${password}"`, `"{token}"`); placeholders containing change(me),
    your, example, placeholder, dummy, fake, test, sample, mock, valid, key, xxx,
    redacted, todo, secret, password or token; connection URLs whose password is the
    user name or whose host is local (`postgres:postgres@localhost`). In test code
    (`tests/`, `test_*.py`, `conftest.py`) only provider key formats count: fixtures
    hold made-up credentials by design. `.env` files are not read (`.env.example`
    holds placeholders by design).

    ## Why is this bad?
    Anyone who can read the repository (or the package, or a container image built
    from it) can use the credential, and removing it later leaves it in the git
    history: it has to be rotated. An MCP server that holds a credential acts for its
    owner; read it from the environment or a secret store
    (`os.environ["DB_PASSWORD"]`, pydantic-settings) instead.

    ## Fix safety
    No automatic fix: the credential must be rotated, not only moved.
    """

    code = "FMCP614"
    severity = Severity.ERROR
    needs_fastmcp = False
    message = "{what} is committed in the source: rotate it and read it from the environment or a secret store."
    references = ("https://cwe.mitre.org/data/definitions/798.html",)

    # Key prefixes, `://` for connection URLs, and pieces of the secret words in any case.
    needles = (
        "AKIA",
        "ASIA",
        "gh",
        "glpat-",
        "AIza",
        "xox",
        "_live_",
        "sk-",
        "://",
        "ass",
        "ASS",
        "wd",
        "WD",
        "ecret",
        "ECRET",
        "oken",
        "OKEN",
        "ey",
        "EY",
    )

    VALID = [
        Valid(
            "environment-and-placeholders",
            """
            import os

            from fastmcp import FastMCP

            API_KEY = os.environ["API_KEY"]
            DB_PASSWORD = os.getenv("DB_PASSWORD", "")
            TOKEN_ENV = "GITHUB_TOKEN"
            DEFAULT_TOKEN = "your-api-key-here"
            ADMIN_PASSWORD = "changeme"
            GRANT = {"token_type_hint": "refresh_token", "client_secret": "<client-secret>"}
            URL = "postgresql://user:password@localhost/app"
            LOCAL = "postgresql://postgres:postgres@db:5432/app"
            RERANKERS = {"COHERE_API_KEY": "cohere/rerank-multilingual-v3.0"}

            mcp = FastMCP("x", instructions="Set api_key=sk-... in your config")

            def connect(password: str = "", token: str | None = None) -> None:
                \"\"\"Example: connect(password="Zx8#kq2!Lm9v")\"\"\"
            """,
        ),
        Valid(
            "test-values",
            """
            client = make_client(api_key="sk-test-1234567890abcdef")
            secret_token = "xoxp-secret-12345-67890-abcdef"
            API_KEY = "k9Qm2xV7pL4s"
            DATABASE_URL = "postgresql://app:Zx8kq2Lm9v@db.internal/app"
            """,
            filename="tests/test_client.py",
        ),
    ]
    INVALID = [
        Invalid(
            "named-secrets",
            """
            import psycopg

            from fastmcp import FastMCP

            DB_PASSWORD = "Zx8#kq2!Lm9v"
            mcp = FastMCP("db")

            def connect() -> psycopg.Connection:
                return psycopg.connect(host="db", user="app", password="pg-Q7w9e2r4")
            """,
            count=2,
            says="rotate it",
        ),
        Invalid(
            "provider-key-format",
            """
            # (A made-up key of the real format.)
            WEBHOOK = (
                "https://chat.googleapis.com/v1/spaces/AAQA/messages"
                "?key=AIzaSyHdUwBs3ik4FEGDmxOChJoGtnItFnrAI4o"
            )
            """,
            says="A Google API key",
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.docstrings: set[int] = set()
        self.reported: set[int] = set()
        self.test_file = is_test_file(context.path)

    # -- strings with a provider's key format, wherever they are ---------------------

    # The shared traversal visits every node (a visitor cannot prune it): strings to
    # leave alone are remembered by id before their turn comes.
    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, (cst.SimpleString, cst.ConcatenatedString)):
            self.docstrings.update(_parts(node.value))

    def visit_ConcatenatedString(self, node: cst.ConcatenatedString) -> None:
        if id(node) not in self.docstrings:
            self._check_format(node)
        self.docstrings.update(_parts(node) - {id(node)})

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        if id(node) not in self.docstrings:
            self._check_format(node)

    def _check_format(self, node: cst.SimpleString | cst.ConcatenatedString) -> None:
        value = _text(node)
        provider = key_format(value, urls=not self.test_file) if value else None
        if provider is not None and id(node) not in self.reported:
            self.reported.add(id(node))
            self.report(node, self.message.format(what=provider[0].upper() + provider[1:]))

    # -- literals bound to a secret's name -------------------------------------------

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._check_named(_target_name(target.target), node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if node.value is not None:
            self._check_named(_target_name(node.target), node.value)

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._check_named(node.keyword.value, node.value)

    def visit_Param(self, node: cst.Param) -> None:
        if node.default is not None:
            self._check_named(node.name.value, node.default)

    def visit_DictElement(self, node: cst.DictElement) -> None:
        if isinstance(node.key, cst.SimpleString):
            key = node.key.evaluated_value
            self._check_named(key if isinstance(key, str) else None, node.value)

    def _check_named(self, name: str | None, value: cst.BaseExpression) -> None:
        if self.test_file or name is None:
            return
        if not isinstance(value, (cst.SimpleString, cst.ConcatenatedString)):
            return
        text = _text(value)
        if not text or id(value) in self.reported or key_format(text, urls=True) is not None:
            return  # a key format is reported by the string visitor
        if names_a_secret(name) and looks_like_secret(text):
            self.reported.add(id(value))
            self.report(value, self.message.format(what=f"The value of `{name}`"))


def _parts(node: cst.BaseExpression) -> set[int]:
    """The ids of a string and of every piece of it, if it is concatenated."""
    if isinstance(node, cst.ConcatenatedString):
        return {id(node)} | _parts(node.left) | _parts(node.right)
    return {id(node)}


def _text(node: cst.SimpleString | cst.ConcatenatedString) -> str | None:
    try:
        value = node.evaluated_value
    except Exception:  # an f-string part: a template, not a literal
        return None
    if isinstance(value, bytes):
        return value.decode("latin-1")
    return value


def _target_name(target: cst.BaseExpression) -> str | None:
    if isinstance(target, cst.Attribute):
        return target.attr.value
    if isinstance(target, cst.Subscript) and len(target.slice) == 1:
        index = target.slice[0].slice
        if isinstance(index, cst.Index) and isinstance(index.value, cst.SimpleString):
            key = index.value.evaluated_value
            return key if isinstance(key, str) else None
        return None
    return dotted_name(target)
