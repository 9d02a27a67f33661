import asyncio

from fastmcp import Client, Context, FastMCP
from fastmcp.server.middleware import Middleware, MiddlewareContext

mcp = FastMCP("langsmith")


class ApiKeyMiddleware(Middleware):
    async def on_call_tool(self, context: MiddlewareContext, call_next):
        await context.fastmcp_context.set_state("langsmith_api_key", "lsv2-key")
        return await call_next(context)


mcp.add_middleware(ApiKeyMiddleware())


@mcp.tool
async def list_projects(ctx: Context) -> str:
    api_key = ctx.get_state("langsmith_api_key")  # MISTAKE
    return "key:" + str(api_key)


async def main() -> None:
    async with Client(mcp) as client:
        print((await client.call_tool("list_projects", {})).data)


if __name__ == "__main__":
    asyncio.run(main())
