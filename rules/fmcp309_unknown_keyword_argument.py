from __future__ import annotations

import ast
from functools import cache

import libcst as cst
from packaging.version import Version

from fastmcp_kit.apisurface import (
    ApiSurface,
    KeywordSuggestion,
    Signature,
    describe_releases,
    dumped_releases,
    surface_for,
    version_label,
)
from fastmcp_kit.lint.ast_index import nodes
from fastmcp_kit.lint.ast_names import (
    last_identifier,
    local_names_for,
    may_be_server,
    may_hold_context,
)
from fastmcp_kit.lint.context_scope import ContextRule
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, RuleContext, Valid
from fastmcp_kit.lint.version_compat import expects_an_error
from fastmcp_kit.lint.violation import Severity

FASTMCP = "fastmcp.server.server.FastMCP"
CLIENT = "fastmcp.client.client.Client"
CONTEXT = "fastmcp.server.context.Context"
DECORATORS = frozenset({"tool", "resource", "prompt"})
# Server methods other rules check: mount()/import_server() (FMCP80x).
OWNED_METHODS = frozenset({"mount", "import_server"})
# Advice for keywords on the add_* methods, which take a component object (verified in
# 2.13.3, 2.14.7, 3.0.2 and 4.2.3: `mcp.tool(fn, description=...)` and
# `Tool.from_function(fn, description=...)` both register with the description).
ADD_COMPONENT_HINTS = {
    "add_tool": (
        ": it takes a `Tool`; use `{server}.tool(fn, {keyword}=...)` or "
        "`{server}.add_tool(Tool.from_function(fn, {keyword}=...))`"
    ),
    "add_prompt": ": it takes a `Prompt`; use `{server}.prompt(fn, {keyword}=...)`",
    "add_resource": ': it takes a `Resource`; use `{server}.resource("<uri>", {keyword}=...)(fn)`',
}
AUTH_TAGS = frozenset({"auth_provider", "token_verifier"})
V3 = Version("3")
V4 = Version("4")

# Keywords a more specific rule reports, by callee ("*": any callee checked here).
OWNED_KEYWORDS: dict[str, frozenset[str]] = {
    FASTMCP: frozenset({"storage"}),  # FMCP701
    "*": frozenset(
        {
            "resource_prefix_format",  # FMCP805
            "enable_consent_screen",  # FMCP601
            "upstream_scope",  # FMCP603
        }
    ),
}
# On FastMCP 4: server-side sampling (FMCP212) and task= on resources/prompts (FMCP807).
OWNED_KEYWORDS_V4: dict[str, frozenset[str]] = {
    FASTMCP: frozenset({"sampling_handler", "sampling_handler_behavior"}),
    f"{FASTMCP}.resource": frozenset({"task"}),
    f"{FASTMCP}.prompt": frozenset({"task"}),
}


class UnknownKeywordArgument(ContextRule):
    """A keyword argument that a FastMCP constructor, decorator or `Context` method does not take in the target version.

    ## What it does
    Checks the keyword arguments of calls to `FastMCP(...)`, the component decorators
    (`@mcp.tool(...)`, `@mcp.resource(...)`, `@mcp.prompt(...)`), methods called on a
    FastMCP `Context` (`ctx.report_progress(...)`, `ctx.get_state(...)`, ...),
    other methods called on a server bound by construction or annotation
    (`mcp.add_tool(fn, description=...)`, `mcp.http_app(...)`; a method a server
    subclass of the module defines is its own), `Client(...)` and the auth providers
    and token verifiers of `fastmcp.server.auth`,
    against their signatures in the FastMCP release the project targets (recorded from
    the real release by `scripts/dump_api_surface.py`). A keyword the signature does not
    have is flagged, with the keyword meant when it is known (`current=` ->
    `progress=`) and FastMCP's own hint for removed constructor arguments.

    Callees are resolved through the imports: only `fastmcp` classes and standalone
    FastMCP servers are checked, never the MCP SDK's `FastMCP` or other libraries'
    classes with the same names. Signatures with a real `**kwargs` accept anything and
    are not checked. `**config` is checked too when `config` is a module-level dict
    literal with string keys, bound once and never changed in place. Keywords that
    other rules explain are left to them: `storage=`
    (FMCP701), `resource_prefix_format=` (FMCP805), `enable_consent_screen=` (FMCP601),
    `upstream_scope=` (FMCP603), middleware constructors (FMCP503), `mount()` and
    `import_server()` (FMCP80x), and on FastMCP 4 `sampling_handler=` (FMCP212) and
    `task=` on resources and prompts (FMCP807).

    `mcp.run(...)` and `run_async(...)` pass extra keywords on to the transport's
    runner; when the transport is certainly stdio (a literal `"stdio"`, or no
    transport on 2.x, whose default is stdio; 3.x reads the default from
    `FASTMCP_TRANSPORT`), keywords `run_stdio_async()` does not take are flagged.
    A transport held in a variable is not judged: its value is known only at run time.

    ## Why is this bad?
    The call raises `TypeError` when it runs, and for a constructor or decorator that
    is when the server module is imported, so the server never starts:
    `TypeError: Context.report_progress() got an unexpected keyword argument 'current'`,
    `TypeError: Context.get_state() got an unexpected keyword argument 'default'`
    (verified 2.14.7, 3.0.2, 3.4.10, 4.1.2), ``TypeError: FastMCP() no longer accepts
    `host`. Pass `host` to `run_http_async()`, or set FASTMCP_HOST.`` (3.0+),
    `TypeError: FastMCP.tool() got an unexpected keyword argument 'enabled'` (3.0+),
    `TypeError: TransportMixin.run_stdio_async() got an unexpected keyword argument
    'host'` for `mcp.run("stdio", host=...)` (verified 2.13.3, 2.14.7, 3.2.4, 4.2.3),
    `TypeError: Client.__init__() got an unexpected keyword argument 'mode'` (before
    4.0), `TypeError: FastMCP.add_tool() got an unexpected keyword argument
    'description'` (every release 2.13.3 to 4.2.3: `add_tool()` takes a `Tool`). FastMCP 3.x/4.x declare `FastMCP(**kwargs)` only to raise these errors, so it
    does not make other keywords valid.

    ## Fix safety
    No fix: a renamed keyword can take a different value (`on_duplicate_tools=` ->
    `on_duplicate=`), and removed ones need a different call (`host=` belongs to
    `run()`). The message names the replacement.
    """

    code = "FMCP309"
    severity = Severity.ERROR
    message = "`{callee}()` has no `{keyword}=` parameter in {version}{hint}"
    fastmcp_versions = ">=2.13"
    reported_mistakes = ("013", "014", "015", "016", "017", "018", "019", "020", "022")
    references = (
        "https://gofastmcp.com/servers/server",
        "https://gofastmcp.com/servers/context",
        "https://gofastmcp.com/servers/tools",
        "https://gofastmcp.com/clients/client",
    )
    # Every callee checked (servers, Context, Client, auth classes) is known only
    # through an import from `fastmcp`.
    needles = ("fastmcp",)

    VALID = [
        Valid(
            "dicts-that-change-or-are-unknown",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("terraform-cloud")
            config = {"annotations": {"readOnlyHint": False}}
            changed = {"enabled": False}
            changed.pop("enabled")
            rebound = {"enabled": False}
            rebound = {}

            def create_workspace(organization: str) -> str:
                return organization

            def register(config: dict) -> None:
                mcp.tool(**config)(create_workspace)

            mcp.tool(**config)(create_workspace)
            mcp.tool(**changed)(create_workspace)
            mcp.tool(**rebound)(create_workspace)
            """,
            fastmcp_version="3.0",
        ),
        Valid(
            "server-methods-and-look-alikes",
            """
            from fastmcp import FastMCP
            from fastmcp.tools import Tool

            class Server(FastMCP):
                def add_tool(self, tool, *, description: str = ""):
                    return super().add_tool(tool)

            mcp = FastMCP("demo")
            custom = Server("custom")

            def read_query(query: str) -> str:
                return query

            mcp.add_tool(Tool.from_function(read_query, description="Run a query"))
            mcp.tool(read_query, name="q", description="Run a query")
            custom.add_tool(read_query, description="its own signature")
            app = mcp.http_app(path="/", stateless_http=True)

            def register(server) -> None:
                server.add_tool(read_query, description="unknown receiver")
            """,
        ),
        Valid(
            "context-report-progress",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def work(items: list[str], ctx: Context) -> int:
                for i, _ in enumerate(items):
                    await ctx.report_progress(progress=i, total=len(items))
                return len(items)
            """,
        ),
        Valid(
            "correct-calls-2.14",
            """
            from fastmcp import Client, Context, FastMCP
            from fastmcp.server.auth import JWTVerifier

            mcp = FastMCP(
                "demo",
                instructions="hi",
                host="0.0.0.0",
                port=8000,
                include_tags={"public"},
                on_duplicate_tools="error",
                auth=JWTVerifier(jwks_uri="https://idp/jwks", audience="api"),
            )

            @mcp.tool(name="add", enabled=False, exclude_args=["user"], task=True)
            async def add(a: int, user: str = "x", ctx: Context = None) -> int:
                ctx.set_state("k", a)
                await ctx.report_progress(progress=1, total=2, message="half")
                return a

            @mcp.resource("res://{id}", mime_type="text/plain", enabled=True)
            def res(id: str) -> str:
                return id

            client = Client(mcp, timeout=5, sampling_capabilities=None)
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "correct-calls-3x",
            """
            from fastmcp import Client, Context, FastMCP
            from fastmcp.server.auth import JWTVerifier, MultiAuth

            mcp = FastMCP(
                "demo",
                session_state_store=None,
                on_duplicate="error",
                transforms=[],
                auth=JWTVerifier(jwks_uri="https://idp/jwks", ssrf_safe=True),
            )

            @mcp.tool(version="1.0", timeout=5.0, run_in_thread=False, exclude_args=["u"])
            async def add(a: int, ctx: Context, u: str = "x") -> int:
                await ctx.set_state("k", a, serializable=False)
                value = await ctx.get_state("k")
                await ctx.info("done", logger_name="demo", extra={"a": a})
                return value

            @mcp.prompt(name="p", version=2, task=True)
            async def prompt() -> str:
                return "p"

            client = Client(mcp, verify=False)
            """,
            fastmcp_version="3.4",
        ),
        Valid(
            "correct-calls-4x",
            """
            from fastmcp import Client, Context, FastMCP
            from fastmcp.server.auth.providers.aws import AWSCognitoTokenVerifier

            mcp = FastMCP("demo", resource_security=None, cache_ttl=60, **settings)

            @mcp.resource("res://x", security=None, version="1")
            def res() -> str:
                return "x"

            @mcp.tool(task=True)
            async def tool(ctx: Context) -> bool:
                answer = await ctx.elicit("sure?", response_type=bool, response_title="ok")
                return bool(answer)

            client = Client(mcp, mode="legacy", input_required_max_rounds=3)
            verifier = AWSCognitoTokenVerifier(user_pool_id="p", anything_else=1)
            """,
        ),
        Valid(
            "sdk-fastmcp-with-sdk-only-keywords",
            """
            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("demo", host="0.0.0.0", port=8000, stateless_http=True, json_response=True)

            @mcp.tool(structured_output=True)
            async def work(ctx: Context) -> str:
                await ctx.report_progress(progress=1, total=2)
                return "ok"
            """,
        ),
        Valid(
            "same-names-other-libraries",
            """
            from httpx import Client
            from myauth import OAuthProxy, JWTVerifier
            from myapp import Context

            client = Client(mode="legacy", http2=True)
            proxy = OAuthProxy(issuer="https://idp", whatever=1)
            verifier = JWTVerifier(default=1)

            def helper(ctx: Context, other):
                ctx.get_state("k", default=None)
                other.report_progress(current=1)
            """,
        ),
        Valid(
            "subclass-and-untyped-context",
            """
            from fastmcp import FastMCP

            class MyServer(FastMCP):
                def __init__(self, *, special: int = 1, **kwargs):
                    super().__init__("x", **kwargs)

            server = MyServer(special=2)

            async def helper(ctx):
                await ctx.report_progress(current=1)
            """,
        ),
        Valid(
            "call-expected-to-fail-in-a-test",
            """
            import pytest
            from fastmcp import FastMCP

            def test_host_is_rejected():
                with pytest.raises(TypeError, match="no longer accepts"):
                    FastMCP("x", host="0.0.0.0")
            """,
        ),
        Valid(
            "left-to-other-rules",
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth import OAuthProxy
            from fastmcp.server.middleware.logging import LoggingMiddleware

            mcp = FastMCP("demo", storage=None, resource_prefix_format="path", sampling_handler=h)
            mcp.add_middleware(LoggingMiddleware(level="INFO"))
            mcp.mount(sub, prefix="sub", mode="proxy")
            auth = OAuthProxy(enable_consent_screen=True, upstream_scope="openid")

            @mcp.resource("res://x", task=True)
            async def res() -> str:
                return "x"
            """,
        ),
        Valid(
            "run-keywords-for-the-transport",
            """
            import os
            from fastmcp import FastMCP
            from mcp.server.fastmcp import FastMCP as SdkFastMCP

            mcp = FastMCP("pptx")
            sdk = SdkFastMCP("sdk")

            def main(transport: str, options: dict) -> None:
                if transport == "stdio":
                    mcp.run("stdio", log_level="DEBUG", show_banner=False)
                else:
                    mcp.run(transport=transport, host="127.0.0.1", port=8000)
                mcp.run(transport="http", host="0.0.0.0", port=8000)
                mcp.run(host=os.environ["HOST"], port=8000)
                mcp.run("stdio", **options)
                sdk.run("stdio")
            """,
            fastmcp_version="3.2",
        ),
    ]
    INVALID = [
        Invalid(
            "run-stdio-with-http-keywords",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("pptx")

            if __name__ == "__main__":
                mcp.run(transport="stdio", host="127.0.0.1", port=8000)
            """,
            fastmcp_version="3.2",
            count=2,
            says="go to `run_stdio_async()`",
        ),
        Invalid(
            "run-default-transport-with-host-on-2x",
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("pptx")

            if __name__ == "__main__":
                asyncio.run(mcp.run_async(host="127.0.0.1"))
            """,
            fastmcp_version="2.14",
            says="the default transport of FastMCP 2.x",
        ),
        Invalid(
            "keyword-through-a-dict-literal",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("terraform-cloud")
            read_only = True

            def create_workspace(organization: str, name: str) -> str:
                return f"{organization}/{name}"

            write_tool_config = {
                "enabled": not read_only,
                "annotations": {"readOnlyHint": False},
            }

            mcp.tool(**write_tool_config)(create_workspace)
            """,
            fastmcp_version="3.0",
            says="passed through `**write_tool_config`",
        ),
        Invalid(
            "server-method-keyword",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("starrocks")

            def read_query(query: str) -> str:
                return query

            mcp.add_tool(read_query, description="Execute a SELECT query")
            """,
            fastmcp_version="2.13",
            says="use `mcp.tool(fn, description=...)`",
        ),
        Invalid(
            "context-report-progress-current",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def work(items: list[str], ctx: Context) -> int:
                for i, _ in enumerate(items):
                    await ctx.report_progress(current=i, total=len(items))
                return len(items)
            """,
        ),
        Invalid(
            "context-get-state-default",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def counter(ctx: Context) -> int:
                count = ctx.get_state("count", default=0)
                ctx.set_state("count", count + 1)
                return count
            """,
            fastmcp_version="2.14",
        ),
        Invalid(
            "transport-keywords-removed-in-3",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo", host="0.0.0.0", port=8000)
            """,
            fastmcp_version="3.4",
            count=2,
        ),
        Invalid(
            "decorator-keywords-removed",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool(enabled=False)
            def hidden() -> str:
                return "x"

            @mcp.tool(exclude_args=["user"])
            def greet(name: str, user: str = "") -> str:
                return name
            """,
            count=2,
        ),
        Invalid(
            "keywords-added-later",
            """
            from fastmcp import Client, FastMCP
            from fastmcp.server.auth import JWTVerifier

            mcp = FastMCP("demo", auth=JWTVerifier(jwks_uri="https://idp/jwks", ssrf_safe=True))

            @mcp.tool(version="2")
            def tool() -> str:
                return "x"

            client = Client(mcp, mode="legacy")
            """,
            fastmcp_version="2.14",
            count=3,
        ),
        Invalid(
            "folklore-keywords",
            """
            from fastmcp import FastMCP
            from fastmcp.server.auth import RemoteAuthProvider, JWTVerifier

            mcp = FastMCP("demo", instruction="Be brief.")
            auth = RemoteAuthProvider(
                token_verifier=JWTVerifier(jwks_uri="https://idp/jwks"),
                issuer="https://idp",
                base_url="https://mcp.example.com",
            )
            """,
            count=2,
        ),
        Invalid(
            "get-context-result",
            """
            from fastmcp.server.dependencies import get_context

            async def helper() -> None:
                ctx = get_context()
                await ctx.elicit(prompt="Continue?", response_type=bool)
            """,
        ),
    ]

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # Every fastmcp module has keyword calls; only calls to a server's decorators,
        # a Context method, or FastMCP / Client / an auth class can be checked.
        calls = [
            node
            for node in nodes(tree, ast.Call)
            if any(k.arg is not None or isinstance(k.value, ast.Name) for k in node.keywords)
        ]
        if not calls:
            return False
        known = local_names_for(tree, DECORATORS | _checked_class_names(context.target))
        if any(last_identifier(call.func) in known for call in calls):
            return True
        methods_called = [
            call.func.value
            for call in calls
            if isinstance(call.func, ast.Attribute) and call.func.attr not in OWNED_METHODS
        ]
        if methods_called and may_be_server(tree, methods_called):
            return True
        methods = _context_methods(context.target)
        context_calls = [
            call
            for call in calls
            if isinstance(call.func, ast.Attribute) and call.func.attr in methods
        ]
        return bool(context_calls) and any(
            may_hold_context(call.func.value, tree)  # type: ignore[attr-defined]
            for call in context_calls
        )

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self._surface: ApiSurface | None = None
        # Methods that server subclasses of this module define (their own signatures).
        self.overridden: set[str] = set()
        # Module-level names bound once to a dict literal with string keys, never
        # changed: name -> the keys.
        self.literal_dicts: dict[str, tuple[str, ...]] = {}
        self.expecting_error = 0  # inside `with pytest.raises(...)`: the error is the point

    @property
    def surface(self) -> ApiSurface:
        if self._surface is None:
            self._surface = surface_for(self.context.target)
        return self._surface

    # -- scopes -------------------------------------------------------------------------

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        if any(self.context.names.is_server_class(base.value) for base in node.bases):
            self.overridden.update(
                item.name.value for item in node.body.body if isinstance(item, cst.FunctionDef)
            )

    def visit_With(self, node: cst.With) -> None:
        if expects_an_error(node):
            self.expecting_error += 1

    def leave_With(self, original_node: cst.With) -> None:
        if expects_an_error(original_node):
            self.expecting_error -= 1

    # -- calls --------------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> None:
        self.literal_dicts = _literal_dicts(node)

    def visit_Call(self, node: cst.Call) -> None:
        # (the argument to report on, the keyword, how it was passed)
        keywords: list[tuple[cst.Arg, str, str]] = [
            (arg, arg.keyword.value, "")
            for arg in node.args
            if arg.keyword is not None and not arg.star
        ]
        for arg in node.args:
            # `**config` where `config = {"key": ...}` is bound once at module level and
            # never changed: its literal keys are keywords too.
            if arg.star == "**" and isinstance(arg.value, cst.Name):
                name = arg.value.value
                if name in self.literal_dicts and not any(
                    name in scope.types for scope in self.scopes.stack[1:]
                ):
                    keywords += [
                        (arg, key, f" (passed through `**{name}`)")
                        for key in self.literal_dicts[name]
                    ]
        if not keywords or self.expecting_error:
            return
        target = self._callee(node.func)
        if target is None:
            return
        callable_name, display = target
        signature = self.surface.signature(callable_name)
        if signature is None:
            return
        if signature.has_var_keyword:
            self._check_stdio_run(node, signature, display, keywords)
            return
        owned = self._owned(signature.qualified_name)
        for arg, keyword, passed in keywords:
            if keyword in owned or signature.accepts_keyword(keyword):
                continue
            self.report(arg, self._message(display, keyword, signature) + passed)

    def _check_stdio_run(
        self,
        node: cst.Call,
        signature: Signature,
        display: str,
        keywords: list[tuple[cst.Arg, str, str]],
    ) -> None:
        """``mcp.run("stdio", host=...)``: run()'s ``**transport_kwargs`` go to
        ``run_stdio_async()`` when the transport is stdio, a literal one or, on 2.x,
        the default (3.x reads the default from FASTMCP_TRANSPORT)."""
        if signature.qualified_name not in (f"{FASTMCP}.run", f"{FASTMCP}.run_async"):
            return
        how = _stdio_transport(node, self.context.target)
        stdio = self.surface.signature(f"{FASTMCP}.run_stdio_async")
        if how is None or stdio is None:
            return
        version = version_label(self.context.target, self.surface)
        taken = ", ".join(f"`{name}=`" for name in stdio.keyword_names)
        for arg, keyword, passed in keywords:
            if keyword in signature.keyword_names or stdio.accepts_keyword(keyword):
                continue
            hint = (
                f" with the stdio transport{how}: the extra keywords go to "
                f"`run_stdio_async()`, which takes {taken} (`TypeError` at startup); "
                f'pass `{keyword}=` only with an HTTP transport (`transport="http"`)'
            )
            self.report(
                arg,
                self.message.format(callee=display, keyword=keyword, version=version, hint=hint)
                + passed,
            )

    def _callee(self, func: cst.BaseExpression) -> tuple[str, str] | None:
        """The API path to look the signature up by, and how to name it."""
        names = self.context.names
        if isinstance(func, cst.Attribute):
            member = func.attr.value
            if member in DECORATORS and names.is_server(func.value):
                return f"{FASTMCP}.{member}", f"FastMCP.{member}"
            if self.scopes.is_context(func.value):
                if self.surface.member_kind(CONTEXT, member) != "method":
                    return None  # a missing method is another rule's (e.g. FMCP212/305)
                return f"{CONTEXT}.{member}", f"Context.{member}"
            if self._bound_server(func.value) and member not in OWNED_METHODS | self.overridden:
                if self.surface.member_kind(FASTMCP, member) != "method":
                    return None  # a missing method is FMCP311's
                return f"{FASTMCP}.{member}", f"{dotted_name(func.value) or 'FastMCP'}.{member}"
        qualified = names.qualified_name(func)
        if qualified is None or not (qualified == "fastmcp" or qualified.startswith("fastmcp.")):
            return None
        path = self.surface.resolve(qualified)
        if path is None:
            return None
        tags = self.surface.class_tags(path)
        if path in (FASTMCP, CLIENT) or (tags & AUTH_TAGS and "middleware" not in tags):
            return path, path.rpartition(".")[2]
        return None

    def _bound_server(self, node: cst.BaseExpression) -> bool:
        return self.context.names.is_bound_server(node)

    def _owned(self, path: str) -> frozenset[str]:
        owned = OWNED_KEYWORDS["*"] | OWNED_KEYWORDS.get(path, frozenset())
        if self.context.target >= V4:
            owned |= OWNED_KEYWORDS_V4.get(path, frozenset())
        return owned

    def _message(self, display: str, keyword: str, signature: Signature) -> str:
        suggestion = self.surface.suggest_keyword(signature.qualified_name, keyword)
        hint = _hint(suggestion)
        method = signature.qualified_name.rpartition(".")[2]
        if not hint and display.endswith(f".{method}") and method in ADD_COMPONENT_HINTS:
            server = display.rpartition(".")[0]
            hint = ADD_COMPONENT_HINTS[method].format(server=server, keyword=keyword)
        if not hint:
            hint = self._elsewhere(signature.qualified_name, keyword)
        version = version_label(self.context.target, self.surface)
        return self.message.format(callee=display, keyword=keyword, version=version, hint=hint)

    def _elsewhere(self, path: str, keyword: str) -> str:
        """``; it exists in FastMCP 2.13.3 to 2.14.7`` when other releases take it."""
        having = []
        for release in dumped_releases():
            signature = surface_for(release).signature(path)
            if signature is not None and keyword in signature.keyword_names:
                having.append(release)
        return f"; it exists in FastMCP {describe_releases(having)}" if having else ""


def _stdio_transport(call: cst.Call, target: Version) -> str | None:
    """How ``call`` (``run``/``run_async``) selects stdio: ``""`` for a literal
    ``"stdio"``, a note for 2.x's default; None when the transport is not certain."""
    if any(arg.star for arg in call.args):
        return None  # `**options` may carry the transport
    transport = next(
        (arg.value for arg in call.args if arg.keyword and arg.keyword.value == "transport"),
        None,
    )
    if transport is None and call.args and call.args[0].keyword is None:
        transport = call.args[0].value
    if transport is None:
        # 2.x: `transport = "stdio"` when None (verified 2.13.3, 2.14.7).
        return " (the default transport of FastMCP 2.x)" if target < V3 else None
    if isinstance(transport, cst.SimpleString) and transport.evaluated_value == "stdio":
        return ""
    return None


def _hint(suggestion: KeywordSuggestion | None) -> str:
    if suggestion is None:
        return ""
    if suggestion.keyword is None:
        return f": {suggestion.note}" if suggestion.note else ""
    note = f" ({suggestion.note})" if suggestion.note else ""
    return f"; did you mean `{suggestion.keyword}=`{note}?"


_MUTATORS = frozenset({"update", "setdefault", "pop", "popitem", "clear", "__setitem__"})


def _literal_dicts(module: cst.Module) -> dict[str, tuple[str, ...]]:
    """Module-level ``name = {"key": ...}`` (string keys only, no ``**``), the name bound
    by no other statement anywhere and never changed in place."""
    found: dict[str, tuple[str, ...]] = {}
    for statement in module.body:
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            if not (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.Dict)
            ):
                continue
            keys: list[str] = []
            for element in small.value.elements:
                key = element.key if isinstance(element, cst.DictElement) else None
                value = key.evaluated_value if isinstance(key, cst.SimpleString) else None
                if not isinstance(value, str):
                    break
                keys.append(value)
            else:
                name = small.targets[0].target.value
                found[name] = () if name in found else tuple(keys)
    if not found:
        return found
    binds: dict[str, int] = {}
    changed: set[str] = set()

    class Uses(cst.CSTVisitor):
        def visit_AssignTarget(self, node: cst.AssignTarget) -> None:
            target = node.target
            if isinstance(target, cst.Name):
                binds[target.value] = binds.get(target.value, 0) + 1
            elif isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                changed.add(target.value.value)

        def visit_AugAssign(self, node: cst.AugAssign) -> None:
            target: cst.BaseExpression = node.target
            if isinstance(target, cst.Subscript):
                target = target.value
            if isinstance(target, cst.Name):
                changed.add(target.value)

        def visit_Del(self, node: cst.Del) -> None:
            target = node.target
            if isinstance(target, cst.Subscript) and isinstance(target.value, cst.Name):
                changed.add(target.value.value)

        def visit_Attribute(self, node: cst.Attribute) -> None:
            if isinstance(node.value, cst.Name) and node.attr.value in _MUTATORS:
                changed.add(node.value.value)

        def visit_Global(self, node: cst.Global) -> None:
            changed.update(item.name.value for item in node.names)

    module.visit(Uses())
    return {
        name: keys
        for name, keys in found.items()
        if keys and binds.get(name) == 1 and name not in changed
    }


@cache
def _checked_class_names(target: Version) -> frozenset[str]:
    """The names (any public path's last part) of the classes whose calls are checked."""
    surface = surface_for(target)
    names: set[str] = set()
    for public, path in surface.class_paths().items():
        tags = surface.class_tags(path)
        if path in (FASTMCP, CLIENT) or (tags & AUTH_TAGS and "middleware" not in tags):
            names.add(public.rpartition(".")[2])
    return frozenset(names)


@cache
def _context_methods(target: Version) -> frozenset[str]:
    surface = surface_for(target)
    return frozenset(
        member
        for member in surface.members(CONTEXT)
        if surface.member_kind(CONTEXT, member) == "method"
    )
