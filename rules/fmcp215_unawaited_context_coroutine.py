from __future__ import annotations

import ast
from functools import cache

import libcst as cst
from packaging.version import Version

from fastmcp_kit.apisurface import dumped_releases, surface_for, version_label
from fastmcp_kit.lint.ast_index import nodes
from fastmcp_kit.lint.ast_names import imports_fastmcp, may_be_context
from fastmcp_kit.lint.context_scope import ContextRule
from fastmcp_kit.lint.receiver_types import CONTEXT
from fastmcp_kit.lint.rule import Fix, Invalid, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

# FMCP214 owns the state methods (sync in 2.x, coroutines since 3.0).
OWNED_ELSEWHERE = frozenset({"set_state", "get_state", "delete_state"})
# What is lost, by method; anything else "never runs".
_LOG = "the log message never reaches the client"
EFFECTS = {
    **dict.fromkeys(("debug", "info", "warning", "error", "log"), _LOG),
    "report_progress": "no progress notification is sent",
    "elicit": "the user is never asked and the result is a coroutine, not the answer",
    "read_resource": "the result is a coroutine, not the resource contents",
    "get_prompt": "the result is a coroutine, not the prompt",
    "list_resources": "the result is a coroutine, not the list",
    "list_prompts": "the result is a coroutine, not the list",
    "list_roots": "the result is a coroutine, not the list",
    "sample": "nothing is sampled and the result is a coroutine",
    "sample_step": "nothing is sampled and the result is a coroutine",
}


@cache
def async_context_methods(target: Version) -> frozenset[str]:
    """The coroutine methods of ``Context`` in the target's API dump (state excluded)."""
    surface = surface_for(target)
    return frozenset(
        name
        for name, member in surface.class_members(CONTEXT).items()
        if member.is_async and name not in OWNED_ELSEWHERE
    )


@cache
def every_async_context_method() -> frozenset[str]:
    """The pre-check's names: coroutine methods of Context in any dumped release."""
    return frozenset().union(*(async_context_methods(Version(r)) for r in dumped_releases()))


class UnawaitedContextCoroutine(ContextRule):
    """A coroutine method of a FastMCP `Context` (`ctx.info(...)`, `ctx.report_progress(...)`, `ctx.elicit(...)`) called without `await`.

    ## What it does
    Flags calls to the coroutine methods of a fastmcp `Context` whose coroutine is
    dropped: the call is a statement of its own (`ctx.info("...")`), or its result
    is assigned to a name that the function then only reads attributes or items of
    (`answer = ctx.elicit(...)` followed by `answer.action`). The methods checked
    are those the target release's `Context` defines as `async def`, read from the
    API data recorded from the real release: the logging methods (`debug`, `info`,
    `warning`, `error`, `log`), `report_progress`, `elicit`, `read_resource`,
    `get_prompt`, `list_resources`, `list_prompts`, `send_notification`, the
    visibility methods (3.0+), and `sample`, `sample_step` and `list_roots` before
    4.0. The state methods are FMCP214's.

    The Context is known from a parameter annotation (`ctx: Context`,
    `ctx: Context | None = None`, `ctx: Context = CurrentContext()`),
    `get_context()`, or a middleware's `context.fastmcp_context`. A call that is
    awaited, returned, passed to another call (`asyncio.create_task(...)`,
    `asyncio.gather(...)`), or assigned to a name the function later awaits,
    returns or passes on, is left alone. The MCP SDK's Context and objects of other
    libraries with an `info()` method are never checked.

    ## Why is this bad?
    Nothing fails: the call creates a coroutine that never runs. The tool succeeds,
    but the log message, progress notification or elicitation never reaches the
    client, and Python prints only `RuntimeWarning: coroutine 'Context.info' was
    never awaited` on the server's stderr (verified 3.0.2: 0 log messages reach the
    client; the same methods are coroutines in every release from 2.13.3 to 4.2.3).
    Tests that pass `ctx=None` never notice.

    ## Fix safety
    Inside an `async def` the fix adds `await`, which is what the API requires:
    safe. In a sync function there is no fix: it has to become `async def` first.
    """

    code = "FMCP215"
    severity = Severity.ERROR
    message = "`{call}()` is a coroutine in {version}; without `await` {effect}"
    fix_title = "Add `await`"
    fastmcp_versions = ">=2.13"
    reported_mistakes = ("026",)
    references = ("https://gofastmcp.com/servers/context",)

    # A dropped call is `<receiver>.<method>(...)`: the method name follows a dot.
    needles = (
        ".close_sse_stream",
        ".debug",
        ".disable_components",
        ".elicit",
        ".enable_components",
        ".error",
        ".get_prompt",
        ".info",
        ".list_prompts",
        ".list_resources",
        ".list_roots",
        ".log",
        ".read_resource",
        ".report_progress",
        ".reset_visibility",
        ".sample",
        ".sample_step",
        ".send_notification",
        ".send_prompt_list_changed",
        ".send_resource_list_changed",
        ".send_tool_list_changed",
        ".warning",
    )

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A Context-shaped `<x>.<coroutine method>(...)` that is a statement of its own
        # or the value of an assignment, in a module importing fastmcp.
        methods = async_context_methods(context.target)
        values = [node.value for node in nodes(tree, ast.Expr)]
        values += [node.value for node in nodes(tree, ast.Assign)]
        return any(
            isinstance(value, ast.Call)
            and isinstance(value.func, ast.Attribute)
            and value.func.attr in methods
            and may_be_context(value.func.value)
            for value in values
        ) and imports_fastmcp(tree)

    VALID = [
        Valid(
            "awaited",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def work(items: list[str], ctx: Context | None = None) -> int:
                if ctx:
                    await ctx.info(f"processing {len(items)} items")
                for i, _ in enumerate(items):
                    await ctx.report_progress(progress=i, total=len(items))
                answer = await ctx.elicit("Continue?", response_type=bool)
                return len(items) if answer.action == "accept" else 0
            """,
        ),
        Valid(
            "returned-scheduled-or-gathered",
            """
            import asyncio
            from fastmcp import Context, FastMCP
            from fastmcp.server.dependencies import get_context

            mcp = FastMCP("demo")

            @mcp.tool
            async def both(ctx: Context) -> None:
                await asyncio.gather(ctx.info("a"), ctx.debug("b"))
                asyncio.create_task(get_context().report_progress(1, 2))

            def log_later(ctx: Context):
                return ctx.info("later")

            @mcp.tool
            async def later(ctx: Context) -> None:
                pending = ctx.warning("slow")
                await pending
            """,
        ),
        Valid(
            "sdk-context",
            """
            from mcp.server.fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool()
            async def work(ctx: Context) -> str:
                await ctx.info("sdk context, awaited")
                return "ok"
            """,
        ),
        Valid(
            "duck-typed-logger",
            """
            import logging
            from fastmcp import FastMCP

            mcp = FastMCP("demo")
            log = logging.getLogger(__name__)

            class Ctx:
                def info(self, message: str) -> None:
                    log.info(message)

            @mcp.tool
            def work(ctx: Ctx, context) -> str:
                ctx.info("a plain method")
                context.info("unknown receiver")
                log.info("logging")
                return "ok"
            """,
        ),
        Valid(
            "state-left-to-fmcp214",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def remember(ctx: Context) -> None:
                ctx.set_state("k", 1)
            """,
            fastmcp_version="2.14",
        ),
    ]
    INVALID = [
        Invalid(
            "info-not-awaited",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def generate(path: str, ctx: Context | None = None) -> str:
                if ctx:
                    ctx.info(f"Generating for {path}")
                return "done"
            """,
            fixed="""
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def generate(path: str, ctx: Context | None = None) -> str:
                if ctx:
                    await ctx.info(f"Generating for {path}")
                return "done"
            """,
            fastmcp_version="3.0",
            says="never reaches the client",
        ),
        Invalid(
            "progress-in-sync-tool",
            """
            from fastmcp import Context, FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def work(items: list[str], ctx: Context) -> int:
                for i, _ in enumerate(items):
                    ctx.report_progress(i, len(items))
                return len(items)
            """,
            fastmcp_version="2.13",
        ),
        Invalid(
            "elicit-result-used",
            """
            from fastmcp import FastMCP
            from fastmcp.dependencies import CurrentContext
            from fastmcp.server.context import Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def confirm(ctx: Context = CurrentContext()) -> bool:
                answer = ctx.elicit("Continue?", response_type=bool)
                return answer.action == "accept"
            """,
            fixed="""
            from fastmcp import FastMCP
            from fastmcp.dependencies import CurrentContext
            from fastmcp.server.context import Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def confirm(ctx: Context = CurrentContext()) -> bool:
                answer = await ctx.elicit("Continue?", response_type=bool)
                return answer.action == "accept"
            """,
        ),
        Invalid(
            "get-context-and-middleware",
            """
            from fastmcp.server.dependencies import get_context
            from fastmcp.server.middleware import Middleware, MiddlewareContext

            async def helper() -> None:
                get_context().debug("in helper")

            class Audit(Middleware):
                async def on_call_tool(self, context: MiddlewareContext, call_next):
                    context.fastmcp_context.info("calling a tool")
                    return await call_next(context)
            """,
            count=2,
            fixed="""
            from fastmcp.server.dependencies import get_context
            from fastmcp.server.middleware import Middleware, MiddlewareContext

            async def helper() -> None:
                await get_context().debug("in helper")

            class Audit(Middleware):
                async def on_call_tool(self, context: MiddlewareContext, call_next):
                    await context.fastmcp_context.info("calling a tool")
                    return await call_next(context)
            """,
        ),
    ]

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.methods = async_context_methods(context.target)
        self.async_functions: list[bool] = []
        # Per enclosing function: assigned calls waiting for the function's end, by
        # name, and the names it uses other than through `x.attr` / `x[...]`.
        self.pending: list[dict[str, list[tuple[cst.Call, str, Fix | None]]]] = []
        self.settled: list[set[str]] = []
        # Name nodes that are the receiver of an attribute or subscript, or an
        # assignment target: uses that do not take care of a coroutine.
        self.inert: set[int] = set()

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        super().visit_FunctionDef(node)
        self.async_functions.append(node.asynchronous is not None)
        self.pending.append({})
        self.settled.append(set())

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        super().leave_FunctionDef(original_node)
        self.async_functions.pop()
        settled = self.settled.pop()
        for name, reports in self.pending.pop().items():
            if name not in settled:
                for call, message, fix in reports:
                    self.report(call, message, fix=fix)

    def visit_Expr(self, node: cst.Expr) -> None:
        if isinstance(node.value, cst.Call):
            found = self._dropped(node.value)
            if found is not None:
                message, fix = found
                self.report(node.value, message, fix=fix)

    def visit_Assign(self, node: cst.Assign) -> None:
        super().visit_Assign(node)
        for target in node.targets:
            if isinstance(target.target, cst.Name):
                self.inert.add(id(target.target))
        if not (
            self.pending
            and len(node.targets) == 1
            and isinstance(node.targets[0].target, cst.Name)
            and isinstance(node.value, cst.Call)
        ):
            return
        found = self._dropped(node.value)
        if found is not None:
            name = node.targets[0].target.value
            self.settled[-1].discard(name)
            self.pending[-1].setdefault(name, []).append((node.value, *found))

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self.inert.add(id(node.value))

    def visit_Subscript(self, node: cst.Subscript) -> None:
        self.inert.add(id(node.value))

    def visit_Name(self, node: cst.Name) -> None:
        # Any other use (awaited, returned, passed on, checked, stored) may take care
        # of the coroutine: unknown, so not reported.
        # A nested function using the name counts for the function that assigned it.
        if id(node) in self.inert:
            return
        for pending, settled in zip(self.pending, self.settled, strict=True):
            if node.value in pending:
                settled.add(node.value)

    def _dropped(self, node: cst.Call) -> tuple[str, Fix | None] | None:
        func = node.func
        if not (
            isinstance(func, cst.Attribute)
            and func.attr.value in self.methods
            and self.scopes.is_context(func.value)
        ):
            return None
        method = func.attr.value
        receiver = func.value
        if isinstance(receiver, cst.Name):
            shown = receiver.value
        elif isinstance(receiver, cst.Call):
            shown = "get_context()"
        else:
            shown = "context.fastmcp_context"
        fix = None
        if self.async_functions and self.async_functions[-1]:
            fix = Fix(self.fix_title or "", replacements=((node, cst.Await(expression=node)),))
        effect = EFFECTS.get(method, "it never runs")
        if fix is None:
            effect += " (a sync function cannot await it: make it `async def`)"
        version = version_label(self.context.target, surface_for(self.context.target))
        message = self.message.format(call=f"{shown}.{method}", version=version, effect=effect)
        return message, fix
