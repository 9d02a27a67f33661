"""``ctx.set_state`` / ``ctx.get_state`` become async (3.ii rows 13 and 14); a sync
component function that calls them becomes ``async def``."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Example
from fastmcp_kit.upgrade.cstutil import add_args, keyword, kwarg
from fastmcp_kit.upgrade.function_uses import STATE_METHODS
from fastmcp_kit.upgrade.helpers import GET_CONTEXT, FunctionAware

# Parents in which `await x` needs parentheses around it.
_TIGHT = (cst.Attribute, cst.Subscript, cst.Call)
# Expressions inside which `await` is not allowed or changes what they are.
_NO_AWAIT = (cst.Lambda, cst.GeneratorExp)


class StateAwait(FunctionAware):
    """What it does:
    Inside ``async def``, turns ``ctx.set_state(k, v)`` into ``await ctx.set_state(k, v,
    serializable=False)`` and ``ctx.get_state(k)`` into ``await ctx.get_state(k)`` for a
    FastMCP ``Context`` (parameters annotated ``Context``, ``get_context()``, and
    ``context.fastmcp_context`` in middleware). A sync function making such calls
    becomes ``async def`` when it is a component (decorated with ``@mcp.tool`` /
    ``prompt`` / ``resource``, or passed to ``Tool.from_function``, ``add_tool``,
    ``mcp.tool(fn)``) and nothing else in the project names it (no direct call, import,
    test or mock). Otherwise the calls are reported with the places that use the
    function.

    Why:
    3.0 made both methods coroutines. Without ``await`` the value is never stored and
    ``get_state`` returns a coroutine.

    Safety:
    Safe. ``serializable=False`` keeps the 2.x semantics: the value lives for the
    current request only, may be any object (3.x otherwise requires JSON values and
    raises ``TypeError``), and is shared with mounted servers. Checked in 2.14.7,
    3.0.2, 3.4.10 and 4.1.2: a later request reads ``None``; a mounted child reads
    what the parent's middleware set. Drop ``serializable=False`` to opt into 3.x
    session state. A component made ``async def`` is awaited by FastMCP as before
    (checked in 3.4.11 and 4.2.3: a sync tool's ``ctx.get_state`` returns a never-awaited
    coroutine, the async one reads the value); it runs on the event loop as every
    2.x component did (3.x runs sync ones in a worker thread), which is reported.
    """

    ID = "state-await"
    TITLE = "ctx.set_state/get_state are awaited (request-scoped as in 2.x)"
    KIND = "rewrite"
    ROWS = ("ii.13", "ii.14")
    LINK = GUIDE_3
    TRIGGERS = ("set_state", "get_state")
    EXAMPLES = (
        Example(
            "tool-and-middleware",
            before="""
            from fastmcp import Context, FastMCP
            from fastmcp.server.middleware import Middleware

            mcp = FastMCP("x")

            class Tenant(Middleware):
                async def on_call_tool(self, context, call_next):
                    context.fastmcp_context.set_state("tenant", "acme")
                    return await call_next(context)

            @mcp.tool
            async def whoami(ctx: Context) -> str:
                tenant = ctx.get_state("tenant") or "none"
                return ctx.get_state("user").upper() + tenant
            """,
            after="""
            from fastmcp import Context, FastMCP
            from fastmcp.server.middleware import Middleware

            mcp = FastMCP("x")

            class Tenant(Middleware):
                async def on_call_tool(self, context, call_next):
                    await context.fastmcp_context.set_state("tenant", "acme", serializable=False)
                    return await call_next(context)

            @mcp.tool
            async def whoami(ctx: Context) -> str:
                tenant = await ctx.get_state("tenant") or "none"
                return (await ctx.get_state("user")).upper() + tenant
            """,
        ),
        Example(
            "sync-component",
            before="""
            from fastmcp import Context, FastMCP
            from fastmcp.tools import Tool

            mcp = FastMCP("x")

            @mcp.tool
            def whoami(ctx: Context) -> str:
                return ctx.get_state("user") or "anonymous"

            def remember(ctx: Context, note: str) -> None:
                ctx.set_state("note", note)

            mcp.add_tool(Tool.from_function(remember))
            """,
            after="""
            from fastmcp import Context, FastMCP
            from fastmcp.tools import Tool

            mcp = FastMCP("x")

            @mcp.tool
            async def whoami(ctx: Context) -> str:
                return await ctx.get_state("user") or "anonymous"

            async def remember(ctx: Context, note: str) -> None:
                await ctx.set_state("note", note, serializable=False)

            mcp.add_tool(Tool.from_function(remember))
            """,
            findings=("made `whoami` async", "made `remember` async"),
        ),
        Example(
            "sync-helper",
            before="""
            from fastmcp import Context, FastMCP
            from fastmcp.server.dependencies import get_context

            mcp = FastMCP("x")

            def tenant() -> str:
                return get_context().get_state("tenant")

            @mcp.tool
            def report() -> str:
                return f"report for {tenant()}"
            """,
            findings=(
                "`tenant` is not async and not a component: make `tenant` `async def` and `await` this call, then `await` every call of `tenant` (used at server.py:11)",
            ),
        ),
        Example(
            "sync-component-called-elsewhere",
            before="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            def whoami(ctx: Context) -> str:
                return ctx.get_state("user")
            """,
            files={
                "test_server.py": """
                from unittest.mock import MagicMock

                from server import whoami

                def test_whoami():
                    assert whoami(MagicMock()) is not None
                """
            },
            findings=("is also used at test_server.py:3, test_server.py:6",),
        ),
    )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value in ("set_state", "get_state")
            and self.is_context(func.value)
        ):
            return updated_node
        parent = self._parent(original_node)
        if isinstance(parent, cst.Await):
            return updated_node
        frame = self.frame
        method = func.attr.value
        if frame is None or not frame.is_async:
            self.report(original_node, self._why_sync(method), Severity.ERROR)
            return updated_node
        if self._inside_no_await(original_node):
            self.report(
                original_node,
                f"`{method}` is a coroutine in 3.x and this call is inside a lambda or a "
                f"generator expression, where it cannot be awaited: move it into a "
                f"statement of the function (`value = await ctx.{method}(...)`)",
                Severity.ERROR,
            )
            return updated_node
        call = updated_node
        if func.attr.value == "set_state" and keyword(call, "serializable") is None:
            call = add_args(call, [kwarg("serializable", cst.Name("False"))])
        self.rewrote()
        awaited = cst.Await(expression=call)
        if (
            isinstance(parent, _TIGHT)
            and getattr(parent, "value", getattr(parent, "func", None)) is original_node
        ):
            return awaited.with_changes(lpar=[cst.LeftParen()], rpar=[cst.RightParen()])
        return awaited

    # -- sync functions ------------------------------------------------------------------

    def visit_Module(self, node: cst.Module) -> bool:
        self._made_async: set[int] = set()
        # id(function) -> why it stays sync (for the findings on its calls)
        self._kept_sync: dict[int, str] = {}
        return super().visit_Module(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        super().visit_FunctionDef(node)
        frame = self.frames[-1]
        if frame.is_async:
            return True
        calls, awkward = _state_calls(node, frame.contexts | _context_names(self, node), self)
        if not calls:
            return True
        name = node.name.value
        uses = self.facts.function_uses
        component = any(True for _ in self.names.component_decorators(node)) or (
            name in uses.registered
        )
        if not component:
            self._kept_sync[id(node)] = "not a component"
        elif uses.uses.get(name):
            self._kept_sync[id(node)] = f"used at {uses.places(name)}"
        elif awkward:
            self._kept_sync[id(node)] = "awkward"
        elif _is_generator(node):
            self._kept_sync[id(node)] = "generator"
        else:
            frame.is_async = True
            self._made_async.add(id(node))
        return True

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        if id(original_node) in self._made_async:
            name = original_node.name.value
            self.report(
                original_node,
                f"made `{name}` async to await its Context state calls: it runs on the event "
                f"loop as every 2.x component did (3.x runs sync components in a worker "
                f"thread), so move blocking I/O in it to `await anyio.to_thread.run_sync(...)`",
                Severity.INFO,
            )
            updated_node = updated_node.with_changes(asynchronous=cst.Asynchronous())
        return super().leave_FunctionDef(original_node, updated_node)

    def _why_sync(self, method: str) -> str:
        head = f"`{method}` is a coroutine in 3.x"
        frame = self.frame
        if frame is None:
            return f"{head}: call it with `await` inside an `async def`"
        name = frame.node.name.value
        why = self._kept_sync.get(id(frame.node), "")
        fix = f"make `{name}` `async def` and `await` this call"
        if why == "not a component":
            places = self.facts.function_uses.places(name)
            callers = f" (used at {places})" if places else ""
            return (
                f"{head} and `{name}` is not async and not a component: {fix}, then `await` "
                f"every call of `{name}`{callers}; or read the state with `await "
                f"ctx.{method}(...)` in the async component and pass the value in"
            )
        if why.startswith("used at "):
            return (
                f"{head} and the component `{name}` is sync; fkit left it sync because it is "
                f"also {why}: {fix}, then `await` it at those places"
            )
        if why == "generator":
            return f"{head} and `{name}` is a sync generator: {fix} (an async generator)"
        return f"{head} and `{name}` is not async: {fix}"

    def _inside_no_await(self, node: cst.CSTNode) -> bool:
        current = self._parent(node)
        while current is not None and not isinstance(current, cst.FunctionDef):
            if isinstance(current, _NO_AWAIT):
                return True
            current = self._parent(current)
        return False

    def _parent(self, node: cst.CSTNode) -> cst.CSTNode | None:
        try:
            return self.get_metadata(ParentNodeProvider, node)
        except KeyError:
            return None


def _context_names(codemod: StateAwait, function: cst.FunctionDef) -> set[str]:
    """Names the function binds to ``get_context()`` (``ctx = get_context()``)."""
    found: set[str] = set()
    for node in _own_nodes(function):
        if (
            isinstance(node, cst.Assign)
            and isinstance(node.value, cst.Call)
            and codemod.names.qualified_name(node.value.func) in GET_CONTEXT
        ):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    found.add(target.target.value)
    return found


def _state_calls(
    function: cst.FunctionDef, contexts: set[str], codemod: StateAwait
) -> tuple[int, bool]:
    """How many Context state calls the function makes itself, and whether one of them
    sits in a lambda or a generator expression (where it cannot be awaited)."""
    count, awkward = 0, False
    for node, inside in _own_nodes_in(function):
        func = node.func if isinstance(node, cst.Call) else None
        if not (isinstance(func, cst.Attribute) and func.attr.value in STATE_METHODS):
            continue
        value = func.value
        if (
            (isinstance(value, cst.Name) and value.value in contexts)
            or (isinstance(value, cst.Call) and codemod.is_context(value))
            or (isinstance(value, cst.Attribute) and value.attr.value == "fastmcp_context")
        ):
            count += 1
            awkward = awkward or inside
    return count, awkward


def _own_nodes(function: cst.FunctionDef) -> list[cst.CSTNode]:
    return [node for node, _ in _own_nodes_in(function)]


def _own_nodes_in(function: cst.FunctionDef) -> list[tuple[cst.CSTNode, bool]]:
    """Every node of the function body outside nested functions and classes, each with
    whether it sits inside a lambda or a generator expression."""
    found: list[tuple[cst.CSTNode, bool]] = []

    class Collect(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.depth = 0

        def on_visit(self, node: cst.CSTNode) -> bool:
            if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
                return False
            if isinstance(node, _NO_AWAIT):
                self.depth += 1
            found.append((node, self.depth > 0))
            return True

        def on_leave(self, original_node: cst.CSTNode) -> None:
            if isinstance(original_node, _NO_AWAIT):
                self.depth -= 1

    function.body.visit(Collect())
    return found


def _is_generator(function: cst.FunctionDef) -> bool:
    return any(isinstance(node, (cst.Yield)) for node in _own_nodes(function))
