import asyncio
from dataclasses import dataclass

from fastmcp import Client, Context, FastMCP
from fastmcp.server.middleware import Middleware, MiddlewareContext

mcp = FastMCP("teradata")


@dataclass
class RequestContext:
    request_id: str


class RequestContextMiddleware(Middleware):
    async def on_call_tool(self, context: MiddlewareContext, call_next):
        await context.fastmcp_context.set_state("request_context", RequestContext(request_id="req-42"))  # MISTAKE
        return await call_next(context)


mcp.add_middleware(RequestContextMiddleware())


@mcp.tool
async def query_band(ctx: Context) -> str:
    request_context = await ctx.get_state("request_context")
    return request_context.request_id


async def main() -> None:
    async with Client(mcp) as client:
        print((await client.call_tool("query_band", {})).data)


if __name__ == "__main__":
    asyncio.run(main())
