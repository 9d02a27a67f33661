"""The receiver-type inference: what FastMCP object each method call's receiver holds,
and that anything it cannot follow stays unknown."""

from __future__ import annotations

import textwrap

import libcst as cst
from libcst.metadata import MetadataWrapper, PositionProvider

from fastmcp_kit.lint.names import analyze
from fastmcp_kit.lint.receiver_types import CLIENT, CONTEXT, ReceiverTypes


class _Receivers(cst.CSTVisitor):
    METADATA_DEPENDENCIES = (PositionProvider,)

    def __init__(self, types: ReceiverTypes) -> None:
        super().__init__()
        self.types = types
        self.found: dict[tuple[int, str], str | None] = {}

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.types.enter(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.types.leave(original_node)

    def visit_Assign(self, node: cst.Assign) -> None:
        self.types.assign([t.target for t in node.targets], node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.types.assign([node.target], node.value, node.annotation)

    def visit_With(self, node: cst.With) -> None:
        self.types.with_items(node)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute):
            line = self.get_metadata(PositionProvider, node).start.line
            receiver = cst.Module([]).code_for_node(node.func.value)
            self.found[(line, receiver)] = self.types.type_of(node.func.value)


def receivers(source: str) -> dict[tuple[int, str], str | None]:
    module = cst.parse_module(textwrap.dedent(source).lstrip("\n"))
    visitor = _Receivers(ReceiverTypes(analyze(module)))
    MetadataWrapper(module).visit(visitor)
    return visitor.found


def test_contexts_however_obtained() -> None:
    found = receivers(
        """
        from typing import Annotated, Optional
        from fastmcp import Context, FastMCP
        from fastmcp.server.dependencies import get_context
        from fastmcp.server.middleware import MiddlewareContext

        async def a(ctx: Context): await ctx.info("x")
        async def b(ctx: Optional[Context] = None): await ctx.info("x")
        async def c(ctx: Annotated[Context, "doc"]): await ctx.info("x")
        async def d(ctx: "Context | None"): await ctx.info("x")
        async def e():
            ctx = get_context()
            await ctx.info("x")
            await get_context().info("y")
        async def f(context: MiddlewareContext, call_next):
            await context.fastmcp_context.info("z")
        """
    )
    assert found[(6, "ctx")] == found[(7, "ctx")] == found[(8, "ctx")] == CONTEXT
    assert found[(9, "ctx")] == found[(12, "ctx")] == found[(13, "get_context()")] == CONTEXT
    assert found[(15, "context.fastmcp_context")] == CONTEXT


def test_clients_in_and_out_of_async_with() -> None:
    found = receivers(
        """
        import fastmcp
        from fastmcp import Client

        shared = Client("http://localhost:8000/mcp")

        async def main():
            async with Client("server.py") as client:
                await client.list_tools()
            async with fastmcp.Client("x") as other, open("f") as handle:
                await other.ping()
                handle.read()
            await shared.list_tools()
        """
    )
    assert found[(8, "client")] == found[(10, "other")] == found[(12, "shared")] == CLIENT
    assert found[(11, "handle")] is None


def test_what_it_cannot_follow_stays_unknown() -> None:
    found = receivers(
        """
        from fastmcp import Client, Context
        from mcp.server.fastmcp import Context as SDKContext

        async def sdk(ctx: SDKContext): await ctx.info("x")
        async def untyped(ctx): await ctx.info("x")
        async def rebound(ctx: Context):
            ctx = make_context()
            await ctx.info("x")
        async def shadowed(client: Client):
            def inner(client):
                client.close()
            await client.close()
        async def unpacked():
            client, other = Client("a"), Client("b")
            await client.ping()
        """
    )
    assert found[(4, "ctx")] is None and found[(5, "ctx")] is None and found[(8, "ctx")] is None
    assert found[(11, "client")] is None and found[(12, "client")] == CLIENT
    assert found[(15, "client")] is None
