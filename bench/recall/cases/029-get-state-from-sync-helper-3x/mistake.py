import asyncio
from dataclasses import dataclass

from fastmcp import Client, Context, FastMCP

mcp = FastMCP("teradata")


@dataclass
class RequestContext:
    request_id: str


def build_query_band(ctx: Context) -> str:
    request_context = ctx.get_state("request_context")  # MISTAKE
    return f"REQUEST_ID={getattr(request_context, 'request_id', None)}"


@mcp.tool
async def base_readQuery(sql: str, ctx: Context) -> str:
    await ctx.set_state("request_context", RequestContext("req-42"), serializable=False)
    return await asyncio.to_thread(build_query_band, ctx)


async def main() -> None:
    async with Client(mcp) as client:
        print((await client.call_tool("base_readQuery", {"sql": "SELECT 1"})).data)


if __name__ == "__main__":
    asyncio.run(main())
