from __future__ import annotations

import ast

import libcst as cst
from packaging.version import Version

from fastmcp_kit.apisurface import surface_for, version_label
from fastmcp_kit.lint.ast_index import nodes_of
from fastmcp_kit.lint.ast_names import may_register_functions
from fastmcp_kit.lint.body_walk import direct_nodes
from fastmcp_kit.lint.registered_functions import registrations
from fastmcp_kit.lint.rule import Invalid, Rule, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

V3 = Version("3")
# 3.2 collects what an async-generator tool yields into a list (3.1.1 still did not).
TOOLS_COLLECT_ASYNC_GENERATORS = Version("3.2")

FIXES = {
    "tool": "return the result (progress goes through `await ctx.report_progress(...)`)",
    "prompt": "return the messages as a list",
    "resource": "return the contents",
}


def _effect(kind: str, asynchronous: bool, target: Version) -> str | None:
    """What goes wrong, or None where the release handles this generator."""
    if kind == "tool":
        if asynchronous and target < TOOLS_COLLECT_ASYNC_GENERATORS:
            return (
                "the call succeeds with the text `<async_generator object ...>` and "
                "nothing is streamed (MCP has no streaming tool results)"
            )
        return None
    if target >= V3:
        reading = "rendering the prompt" if kind == "prompt" else "reading the resource"
        return f"{reading} fails (`... got {'async_generator' if asynchronous else 'generator'}`)"
    if asynchronous:
        return "the client gets the text `<async_generator object ...>`"
    return None


class GeneratorComponent(Rule):
    """A tool, prompt or resource written as a generator (`yield`) on a release that does not iterate it.

    ## What it does
    Flags a function with `yield` in its own body registered with a standalone
    FastMCP server (decorated, or passed to `mcp.tool(...)` and the like), where the
    release mis-handles it: an `async def` tool before 3.2, an `async def` prompt or
    resource on every release, and a sync generator prompt or resource from 3.0.
    Sync generator tools (every release turns what they yield into a list), async
    generator tools on 3.2+ and generators that are not components are left alone.

    ## Why is this bad?
    MCP has no streaming tool results, and FastMCP does not iterate the generator
    the function returns. Before 3.2 an async-generator tool "succeeds" and the
    client gets the text `"<async_generator object test at 0x...>"` (verified
    2.13.3, 2.14.7, 3.0.2, 3.1.1; 3.2.4 to 4.2.3 collect the yielded values into a
    list). An async-generator prompt or resource renders the same text on 2.x and
    fails from 3.0 (`Prompt must return str, list[Message], or PromptResult, got
    async_generator`, `contents must be str, bytes, or list[ResourceContent], got
    generator`; sync generators alike), verified 2.13.3 to 4.2.3. Report progress
    with `await ctx.report_progress(...)` and return the final value.

    ## Fix safety
    There is no fix: what the function should return is the author's choice.
    """

    code = "FMCP221"
    reported_mistakes = ("035",)
    severity = Severity.ERROR
    message = (
        "`{function}` is {article} {shape} registered as a {kind}: {effect} in {version}; {fix}"
    )
    fastmcp_versions = ">=2.13"
    references = ("https://gofastmcp.com/servers/progress",)

    needles = ("yield",)

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        return bool(nodes_of(tree, ast.Yield, ast.YieldFrom)) and may_register_functions(tree)

    VALID = [
        Valid(
            "progress-instead-of-yield",
            """
            import asyncio
            from fastmcp import Context, FastMCP

            mcp = FastMCP("stream")

            @mcp.tool(name="test", description="test")
            async def test(ctx: Context) -> str:
                steps = []
                for i in (1, 2):
                    await ctx.report_progress(progress=i, total=2)
                    steps.append(f"step {i}")
                    await asyncio.sleep(0.1)
                return ", ".join(steps)

            async def stream_rows():
                yield "row"

            @mcp.tool
            async def rows() -> list[str]:
                return [row async for row in stream_rows()]
            """,
            fastmcp_version="2.13",
        ),
        Valid(
            "sync-generator-tool",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            def numbers(n: int):
                for i in range(n):
                    yield i
            """,
            fastmcp_version="2.14",
        ),
        Valid(
            "async-generator-tool-on-3-2",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.tool
            async def steps():
                yield "step 1"
                yield "step 2"
            """,
            fastmcp_version="3.2",
        ),
        Valid(
            "lifespan-and-nested-generators",
            """
            from contextlib import asynccontextmanager
            from fastmcp import FastMCP

            @asynccontextmanager
            async def lifespan(server):
                yield {"db": None}

            mcp = FastMCP("demo", lifespan=lifespan)

            @mcp.resource("data://lines")
            def lines() -> list[str]:
                def gen():
                    yield "a"
                return list(gen())
            """,
            fastmcp_version="3.0",
        ),
    ]
    INVALID = [
        Invalid(
            "async-generator-tool-on-2x",
            """
            import asyncio
            from fastmcp import FastMCP

            mcp = FastMCP("stream")

            @mcp.tool(name="test", description="test")
            async def test():
                yield "step 1"
                await asyncio.sleep(0.1)
                yield "step 2"
            """,
            fastmcp_version="2.13",
            says="<async_generator object",
        ),
        Invalid(
            "generator-prompt-and-resource-on-3x",
            """
            from fastmcp import FastMCP

            mcp = FastMCP("demo")

            @mcp.prompt
            def review(code: str):
                yield f"Review this: {code}"

            async def rows():
                yield "a"

            mcp.resource("data://rows")(rows)
            """,
            count=2,
            fastmcp_version="4.2",
            says="fails",
        ),
    ]

    def visit_Module(self, node: cst.Module) -> None:
        target = self.context.target
        version = version_label(target, surface_for(target))
        for found in registrations(node, self.context.names, target):
            function = found.function
            if not (direct_nodes(function, cst.Yield)):
                continue
            asynchronous = function.asynchronous is not None
            effect = _effect(found.kind, asynchronous, target)
            if effect is None:
                continue
            self.report(
                function.name if found.decorated else found.site,
                self.message.format(
                    function=function.name.value,
                    article="an" if asynchronous else "a",
                    shape="async generator" if asynchronous else "generator",
                    kind=found.kind,
                    effect=effect,
                    version=version,
                    fix=FIXES[found.kind],
                ),
            )
