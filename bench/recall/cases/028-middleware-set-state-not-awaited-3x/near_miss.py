import asyncio

from fastmcp import Client, Context, FastMCP
from fastmcp.server.middleware import Middleware, MiddlewareContext

mcp = FastMCP("google_workspace")


class AuthInfoMiddleware(Middleware):
    async def on_call_tool(self, context: MiddlewareContext, call_next):
        email = "alice@example.com"
        await context.fastmcp_context.set_state("authenticated_user_email", email)
        return await call_next(context)


mcp.add_middleware(AuthInfoMiddleware())


@mcp.tool
async def get_events(ctx: Context) -> str:
    return "user:" + str(await ctx.get_state("authenticated_user_email"))


async def main() -> None:
    async with Client(mcp) as client:
        print((await client.call_tool("get_events", {})).data)


if __name__ == "__main__":
    asyncio.run(main())
