from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import may_be_server
from fastmcp_kit.lint.keyvalue import keyword
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity


class StorageKeywordOnServer(Rule):
    """`FastMCP(storage=...)`: the server constructor has no `storage` parameter.

    ## What it does
    Flags `storage=` passed to a standalone FastMCP server's constructor (or to
    `create_proxy(...)` / `FastMCP.from_openapi(...)`, which forward their keywords to
    it). Subclasses defined in the file are skipped, since they may define their own
    `storage` parameter.

    ## Why is this bad?
    No FastMCP release has a `storage` parameter: `TypeError: FastMCP.__init__() got an
    unexpected keyword argument 'storage'` (2.x) or `TypeError: FastMCP() got unexpected
    keyword argument(s): 'storage'` (3.x, 4.x) when the server is created (verified
    2.13.3 to 4.1.2; the constructor has had no `**settings` catch-all since 2.9).
    Storage plugs in at three places, each with its own purpose:

    * `FastMCP(session_state_store=...)` backs `ctx.set_state`/`ctx.get_state` (3.0+);
    * `client_storage=` on `OAuthProxy` and the OAuth providers keeps OAuth clients and
      tokens (2.13+);
    * `ResponseCachingMiddleware(cache_storage=...)` holds cached responses (2.13+).

    ## Fix safety
    No fix: which of the three the code meant cannot be inferred.
    """

    code = "FMCP701"
    severity = Severity.ERROR
    message = (
        "`{call}()` has no `storage=` parameter (`TypeError` when the server is created); {advice}"
    )
    documented_errors = (16,)
    # Before 2.9 the constructor took **settings (unknown keys were not a TypeError).
    fastmcp_versions = ">=2.9"
    references = (
        "https://gofastmcp.com/servers/storage-backends",
        "https://gofastmcp.com/servers/middleware#caching",
    )

    # Only a `storage=` keyword is reported (any spacing before `=` on its line).
    needles = ("storage=", "storage =", "storage  ", "storage\t")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # Only server constructor calls with `storage=` are reported.
        return may_be_server(
            tree,
            (
                node
                for node in every_node(tree)
                if isinstance(node, ast.Call)
                and any(keyword.arg == "storage" for keyword in node.keywords)
            ),
        )

    VALID = [
        Valid(
            "real-storage-parameters",
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth.providers.github import GitHubProvider
            from fastmcp.server.middleware.caching import ResponseCachingMiddleware
            from key_value.aio.stores.memory import MemoryStore

            store = MemoryStore()
            auth = GitHubProvider(
                client_id="id", client_secret="secret", base_url="http://localhost:8000",
                client_storage=store,
            )
            mcp = FastMCP("demo", auth=auth, session_state_store=store)
            mcp.add_middleware(ResponseCachingMiddleware(cache_storage=store))
            """,
        ),
        Valid(
            "sdk-server-and-others",
            """
            from mcp.server.fastmcp import FastMCP
            from myapp.cache import Cache

            mcp = FastMCP("demo")
            cache = Cache(storage="redis://localhost")
            """,
        ),
        Valid(
            "own-subclass",
            """
            from fastmcp import FastMCP

            class StoredServer(FastMCP):
                def __init__(self, name: str, storage=None) -> None:
                    super().__init__(name)
                    self.storage = storage

            mcp = StoredServer("demo", storage=None)
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "folklore-storage",
            """
            from fastmcp import FastMCP
            from key_value.aio.stores.disk import DiskStore

            mcp = FastMCP("demo", storage=DiskStore(directory="/var/lib/mcp"))
            """,
        ),
        Invalid(
            "proxy-factory-2x",
            """
            import fastmcp

            proxy = fastmcp.FastMCP.as_proxy("http://localhost:9000/mcp", storage=None)
            """,
            fastmcp_version="2.14",
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        arg = keyword(node, "storage")
        if arg is None:
            return
        names = self.context.names
        if not names.is_server_constructor(node):
            return
        func = node.func
        head = func.value if isinstance(func, cst.Attribute) else func
        if isinstance(head, cst.Name) and head.value in names.server_classes:
            return  # a subclass defined here may take `storage`
        call = cst.Module(body=()).code_for_node(func)
        self.report(arg, self.message.format(call=call, advice=self._advice()))

    def _advice(self) -> str:
        target = self.context.target
        if target < Version("2.13"):
            return "FastMCP before 2.13 has no pluggable storage"
        places = (
            "`client_storage=` of the OAuth provider (OAuth clients and tokens) or "
            "`ResponseCachingMiddleware(cache_storage=...)` (cached responses)"
        )
        if target >= Version("3.0"):
            return f"pass the store as `session_state_store=` (ctx.set_state), {places}"
        return f"pass the store as {places}; FastMCP 2.x has no session-state store"
