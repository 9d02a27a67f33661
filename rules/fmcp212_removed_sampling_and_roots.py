from __future__ import annotations

import ast

import libcst as cst

from fastmcp_kit.lint.ast_index import every_node
from fastmcp_kit.lint.ast_names import (
    SERVER_CLASS_NAMES,
    imports_fastmcp,
    last_identifier,
    local_names_for,
    may_be_context,
)
from fastmcp_kit.lint.context_scope import ContextRule
from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Invalid, RuleContext, Valid
from fastmcp_kit.lint.violation import Severity

SAMPLING_ADVICE = "call an LLM from your tool with your own client, or ask the caller through the guard pattern (`InputRequiredResult`)"
ROOTS_ADVICE = (
    "take the paths as tool arguments, or ask through the guard pattern (`InputRequiredResult`)"
)
REMOVED_METHODS = {
    "sample": SAMPLING_ADVICE,
    "sample_step": SAMPLING_ADVICE,
    "list_roots": ROOTS_ADVICE,
}
REMOVED_KWARGS = ("sampling_handler", "sampling_handler_behavior")


class RemovedSamplingAndRoots(ContextRule):
    """Server-side sampling or roots (`ctx.sample`, `ctx.list_roots`, `FastMCP(sampling_handler=)`) on FastMCP 4.

    ## What it does
    On FastMCP 4.x, flags `sample(...)`, `sample_step(...)` and `list_roots(...)`
    called on a FastMCP `Context` (a parameter annotated with `fastmcp.Context`, a
    `get_context()` result, or `context.fastmcp_context` in middleware), and the
    `sampling_handler=` / `sampling_handler_behavior=` arguments of a standalone
    `FastMCP(...)` constructor.

    ## Why is this bad?
    FastMCP 4.0 removed server-initiated sampling and roots: the sessionless
    2026-07-28 protocol has no back-channel for a server to push requests.
    * `await ctx.sample("...")` fails with `AttributeError: 'Context' object has no
      attribute 'sample'`; the client sees `ToolError` (verified 4.0.0, 4.1.2; the same
      for `sample_step` and `list_roots`, which are absent from `Context`).
    * `FastMCP("x", sampling_handler=...)` raises at import: `TypeError: FastMCP() no
      longer accepts sampling_handler. Server-initiated sampling is deprecated in MCP
      (SEP-2577)...` (verified 4.0.0, 4.1.2).

    For generation, call an LLM from the server with your own API key; for roots,
    take paths as tool arguments; or ask the caller through the guard pattern (the
    tool returns an `InputRequiredResult`). The client side is unchanged:
    `Client(sampling_handler=..., roots=...)` is correct and never flagged.

    ## Fix safety
    There is no fix: the replacement is a redesign of the tool.
    """

    code = "FMCP212"
    severity = Severity.ERROR
    message = "{what} was removed in FastMCP 4.0 ({error}); {advice}"
    documented_errors = ()
    fastmcp_versions = ">=4"
    references = (
        "https://gofastmcp.com/getting-started/upgrading/from-fastmcp-3",
        "https://gofastmcp.com/servers/sampling",
    )

    # `sample`/`sample_step`/`list_roots` calls and `sampling_handler*=` keywords.
    needles = ("sample", "list_roots", "sampling_handler")

    @classmethod
    def may_apply_to_tree(cls, tree: ast.Module, context: RuleContext) -> bool:
        # A Context-shaped `<x>.sample/.sample_step/.list_roots(...)` call, or a
        # `sampling_handler*=` keyword of a call named like a server class (aliases and
        # subclasses included), in a module importing fastmcp (Context and server
        # classes resolve only through it).
        servers: frozenset[str] | None = None
        for node in every_node(tree):
            if not isinstance(node, ast.Call):
                continue
            func = node.func
            if (
                isinstance(func, ast.Attribute)
                and func.attr in REMOVED_METHODS
                and may_be_context(func.value)
            ):
                return imports_fastmcp(tree)
            if any(keyword.arg in REMOVED_KWARGS for keyword in node.keywords):
                servers = servers or local_names_for(tree, SERVER_CLASS_NAMES)
                if last_identifier(node.func) in servers:
                    return imports_fastmcp(tree)
        return False

    VALID = [
        Valid(
            "client-side-sampling-and-roots",
            """
            from fastmcp import Client

            async def handler(messages, params, context) -> str:
                return "ok"

            client = Client("server.py", sampling_handler=handler, roots=["file:///tmp"])
            """,
        ),
        Valid(
            "other-objects-and-sdk",
            """
            import random
            from fastmcp import FastMCP
            from mcp.server.fastmcp import FastMCP as SDKServer, Context as SDKContext

            mcp = FastMCP("demo")
            sdk = SDKServer("sdk")
            picked = random.sample(range(10), 3)

            @sdk.tool()
            async def sdk_tool(ctx: SDKContext) -> str:
                return str(await ctx.session.list_roots())

            def pick(df, n: int):
                return df.sample(n)
            """,
        ),
        Valid(
            "still-available-on-3x",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo", sampling_handler=None)

            @mcp.tool
            async def summarize(text: str, ctx: Context) -> str:
                result = await ctx.sample(f"Summarize: {text}")
                roots = await ctx.list_roots()
                return result.text
            """,
            fastmcp_version="3.4",
        ),
    ]
    INVALID = [
        Invalid(
            "sample-and-roots",
            """
            from fastmcp import FastMCP, Context

            mcp = FastMCP("demo")

            @mcp.tool
            async def summarize(text: str, ctx: Context) -> str:
                result = await ctx.sample(f"Summarize: {text}", max_tokens=200)
                roots = await ctx.list_roots()
                step = await ctx.sample_step(messages=["hi"])
                return result.text
            """,
            count=3,
        ),
        Invalid(
            "server-sampling-handler",
            """
            import fastmcp
            from fastmcp.client.sampling.handlers.anthropic import AnthropicSamplingHandler

            mcp = fastmcp.FastMCP(
                "demo",
                sampling_handler=AnthropicSamplingHandler(default_model="claude"),
                sampling_handler_behavior="fallback",
            )
            """,
            count=2,
        ),
    ]

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        names = self.context.names
        if names.is_server_class(func):
            for arg in node.args:
                if arg.keyword is not None and arg.keyword.value in REMOVED_KWARGS:
                    key = arg.keyword.value
                    self.report(
                        arg,
                        self.message.format(
                            what=f"`FastMCP({key}=...)`",
                            error=f"`TypeError: FastMCP() no longer accepts {key}`",
                            advice=SAMPLING_ADVICE
                            + "; `Client(sampling_handler=...)` is unaffected",
                        ),
                    )
            return
        if not isinstance(func, cst.Attribute) or func.attr.value not in REMOVED_METHODS:
            return
        if not self.scopes.is_context(func.value):
            return
        method = func.attr.value
        self.report(
            node,
            self.message.format(
                what=f"`{dotted_name(func) or method}()`",
                error=f"`AttributeError: 'Context' object has no attribute '{method}'`",
                advice=REMOVED_METHODS[method],
            ),
        )
