from __future__ import annotations

import ast
from collections.abc import Sequence

import libcst as cst

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import annotates_with_any, calls_any
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.receiver_types import CLIENT_PATHS
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.lint.walk import walk

CLIENT_CLASSES = CLIENT_PATHS


# Where a client name is visible: the module (None), one function (its node's id)
# or, for `self.<x>` attributes, one class ("class", its node's id).
ScopeKey = int | tuple[str, int] | None


class _Scopes:
    """The enclosing functions and classes of the node being visited."""

    def __init__(self) -> None:
        self.stack: list[cst.FunctionDef | cst.ClassDef] = []

    def key_for(self, name: str) -> ScopeKey:
        """Where a name bound here is visible."""
        if "." in name:
            if name.partition(".")[0] in {"self", "cls"}:
                classes = [s for s in self.stack if isinstance(s, cst.ClassDef)]
                return ("class", id(classes[-1])) if classes else None
            return None  # `app.state.client = Client(...)`: shared by the module
        functions = [s for s in self.stack if isinstance(s, cst.FunctionDef)]
        return id(functions[-1]) if functions else None

    def visible(self) -> set[ScopeKey]:
        """The scopes whose names code here sees (closures see their outer functions)."""
        keys: set[ScopeKey] = {None}
        for scope in self.stack:
            keys.add(id(scope) if isinstance(scope, cst.FunctionDef) else ("class", id(scope)))
        return keys


class _ClientNames(cst.CSTVisitor):
    """Names bound to a fastmcp ``Client``, each with the scope that binds it."""

    def __init__(self, rule: ExceptHttpxOn4x) -> None:
        super().__init__()
        self.rule = rule
        self.scopes = _Scopes()
        self.found: set[tuple[ScopeKey, str]] = set()

    def _add(self, name: str | None) -> None:
        if name:
            self.found.add((self.scopes.key_for(name), name))

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.stack.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.stack.append(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.stack.pop()

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if self.rule.is_client(node.item) and node.asname is not None:
            target = node.asname.name
            if isinstance(target, (cst.Name, cst.Attribute)):
                self._add(dotted_name(target))

    def visit_Assign(self, node: cst.Assign) -> None:
        if self.rule.is_client(node.value):
            for target in node.targets:
                self._add(dotted_name(target.target))

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if self.rule.is_client_class(node.annotation.annotation) or (
            node.value is not None and self.rule.is_client(node.value)
        ):
            self._add(dotted_name(node.target))

    def visit_Param(self, node: cst.Param) -> None:
        # Visited inside the function's FunctionDef: the parameter is its local.
        if node.annotation is not None and self.rule.is_client_class(node.annotation.annotation):
            self._add(node.name.value)


class _UsesClient(cst.CSTVisitor):
    def __init__(self, rule: ExceptHttpxOn4x, clients: set[str]) -> None:
        super().__init__()
        self.rule = rule
        self.clients = clients
        self.found = False

    def on_visit(self, node: cst.CSTNode) -> bool:
        if isinstance(node, (cst.FunctionDef, cst.Lambda, cst.ClassDef)):
            return False
        if isinstance(node, cst.Call):
            func = node.func
            if self.rule.is_client(node) or (
                isinstance(func, cst.Attribute) and dotted_name(func.value) in self.clients
            ):
                self.found = True
        return not self.found


class ExceptHttpxOn4x(Rule):
    """`except httpx.<Error>` around FastMCP client calls on FastMCP 4, where the client no longer uses httpx.

    ## What it does
    On FastMCP 4.x, flags `except httpx.<X>` (also in a tuple, or `except*`) whose
    `try` body uses a FastMCP `Client`: it constructs one (`async with Client(...)`)
    or calls a method of a name bound to one where that code sees it (in the same
    function or an enclosing one, at module level, or `self.<name>` in the same
    class). A `client` of another function, often an `httpx.AsyncClient` there, is
    no evidence.

    ## Why is this bad?
    FastMCP 4 replaced httpx with httpx2 and no longer depends on httpx at all, so the
    handler never runs (and `import httpx` fails unless the project installs it
    itself). What a 4.1.2 client raises instead (verified against a live server):
    * connection refused or DNS failure: `RuntimeError: Client failed to connect: All
      connection attempts failed` (the `httpx2.ConnectError` is only its cause);
    * HTTP 401/404/500 and request timeouts on the default streamable-HTTP
      transport: `fastmcp.exceptions.McpError` (`mcp.MCPError`), e.g. `Server
      returned an error response`;
    * HTTP errors on the SSE transport: `httpx2.HTTPStatusError`.
    In 3.4.10 the same 401 and 500 raised `httpx.HTTPStatusError`, so code that
    worked on 3.x silently stops handling errors after the upgrade. Catch
    `McpError` and `RuntimeError` (and `httpx2` errors for SSE).

    ## Fix safety
    There is no fix. Renaming `httpx` to `httpx2`, as the upgrade guide suggests,
    still misses connection failures and streamable-HTTP errors; the right exception
    depends on what the handler means to catch.
    """

    code = "FMCP307"
    severity = Severity.WARNING
    message = "`{name}` never matches errors from the FastMCP 4 client, which uses httpx2 instead of httpx: connection failures raise `RuntimeError: Client failed to connect`, HTTP errors and timeouts raise `fastmcp.exceptions.McpError` (SSE transport: `httpx2.HTTPStatusError`)"
    documented_errors = ()
    fastmcp_versions = ">=4"
    references = (
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-3",
        "https://gofastmcp.com/clients/client",
    )

    # The handler's exception type resolves to `httpx.<X>`, so `httpx` is imported.
    needles = ("httpx",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # An `except` type resolving to `httpx.<X>` starts at a name imported from httpx,
        # and a client is only recognised through a `Client(...)` call or annotation.
        httpx_names = {
            alias.asname or alias.name.partition(".")[0]
            for node in every_node(tree)
            if isinstance(node, ast.Import)
            for alias in node.names
            if alias.name.partition(".")[0] == "httpx"
        } | {
            alias.asname or alias.name
            for node in every_node(tree)
            if isinstance(node, ast.ImportFrom)
            and node.level == 0
            and (node.module or "").partition(".")[0] == "httpx"
            for alias in node.names
        }
        if not any(
            _root_name(element) in httpx_names
            for node in every_node(tree)
            if isinstance(node, ast.ExceptHandler) and node.type is not None
            for element in (node.type.elts if isinstance(node.type, ast.Tuple) else [node.type])
        ):
            return False
        return calls_any(tree, ("Client",)) or annotates_with_any(tree, ("Client",))

    VALID = [
        Valid(
            "right-exceptions",
            """
            from fastmcp import Client
            from fastmcp.exceptions import McpError

            async def main() -> None:
                try:
                    async with Client("https://example.com/mcp") as client:
                        await client.call_tool("ping", {})
                except (McpError, RuntimeError) as error:
                    print(error)
            """,
        ),
        Valid(
            "httpx-for-other-calls",
            """
            import httpx
            from fastmcp import Client, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def weather(city: str) -> str:
                try:
                    async with httpx.AsyncClient() as http:
                        return (await http.get(f"https://wttr.in/{city}")).text
                except httpx.HTTPError:
                    return "unavailable"

            async def check() -> None:
                async with Client(mcp) as client:
                    await client.ping()
            """,
        ),
        Valid(
            "still-httpx-on-3x",
            """
            import httpx
            from fastmcp import Client

            async def main() -> None:
                try:
                    async with Client("https://example.com/mcp") as client:
                        await client.list_tools()
                except httpx.HTTPStatusError:
                    pass
            """,
            fastmcp_version="3.4",
        ),
        Valid(
            "same-name-bound-to-a-client-elsewhere",
            """
            import httpx
            from fastmcp import Client, FastMCP

            mcp = FastMCP("demo")

            async def check() -> None:
                async with Client(mcp) as client:
                    await client.ping()

            @mcp.tool
            async def weather(city: str) -> str:
                async with httpx.AsyncClient() as client:
                    try:
                        return (await client.get(f"https://wttr.in/{city}")).text
                    except httpx.HTTPError:
                        return "unavailable"

            class Mcp:
                def __init__(self) -> None:
                    self.client = Client("https://example.com/mcp")

            class Http:
                def __init__(self) -> None:
                    self.client = httpx.AsyncClient()

                async def fetch(self) -> str:
                    try:
                        return (await self.client.get("https://example.com")).text
                    except httpx.HTTPError:
                        return ""
            """,
        ),
    ]
    INVALID = [
        Invalid(
            "client-context-manager",
            """
            import httpx
            from fastmcp import Client

            async def main() -> None:
                try:
                    async with Client("https://example.com/mcp") as client:
                        await client.call_tool("ping", {})
                except httpx.ConnectError:
                    print("server down")
                except (httpx.HTTPStatusError, ValueError) as error:
                    print(error)
            """,
            count=2,
        ),
        Invalid(
            "client-attribute",
            """
            from httpx import TimeoutException
            from fastmcp.client import Client

            class Agent:
                def __init__(self) -> None:
                    self.client = Client("https://example.com/mcp")

                async def ask(self) -> str:
                    try:
                        result = await self.client.call_tool("answer", {})
                    except TimeoutException:
                        return "timeout"
                    return str(result.data)
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.clients: set[tuple[ScopeKey, str]] = set()
        self.scopes = _Scopes()

    def is_client_class(self, node: cst.BaseExpression) -> bool:
        return self.context.names.qualified_name(node) in CLIENT_CLASSES

    def is_client(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Call) and self.is_client_class(node.func)

    def visit_Module(self, node: cst.Module) -> None:
        collector = _ClientNames(self)
        walk(node, collector)
        self.clients = collector.found

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.stack.append(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.stack.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self.scopes.stack.append(node)

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.stack.pop()

    def visit_Try(self, node: cst.Try) -> None:
        self._check(node.body, node.handlers)

    def visit_TryStar(self, node: cst.TryStar) -> None:
        self._check(node.body, node.handlers)

    def _check(
        self,
        body: cst.BaseSuite,
        handlers: Sequence[cst.ExceptHandler] | Sequence[cst.ExceptStarHandler],
    ) -> None:
        flagged = [
            (handler, types)
            for handler in handlers
            if handler.type is not None and (types := self._httpx_types(handler.type))
        ]
        if not flagged:
            return
        # Only clients this code can see: a `client` of another function (often an
        # `httpx.AsyncClient` there) is no evidence for this `try`.
        visible = self.scopes.visible()
        uses = _UsesClient(self, {name for key, name in self.clients if key in visible})
        walk(body, uses)
        if not uses.found:
            return
        for _, types in flagged:
            for expression in types:
                name = dotted_name(expression) or "httpx"
                self.report(expression, self.message.format(name=f"except {name}"))

    def _httpx_types(self, node: cst.BaseExpression) -> list[cst.BaseExpression]:
        elements = [e.value for e in node.elements] if isinstance(node, cst.Tuple) else [node]
        names = self.context.names
        return [e for e in elements if (names.qualified_name(e) or "").startswith("httpx.")]


def _root_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Starred):  # libcst's StarredElement.value is the inner name
        node = node.value
    while isinstance(node, ast.Attribute):
        node = node.value
    return node.id if isinstance(node, ast.Name) else None
