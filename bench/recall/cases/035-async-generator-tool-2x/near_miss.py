import asyncio

from fastmcp import Client, Context, FastMCP

mcp = FastMCP("stream")


@mcp.tool(name="test", description="test")
async def test(ctx: Context) -> str:
    steps = []
    for i in (1, 2):
        await ctx.report_progress(progress=i, total=2)
        steps.append(f"step {i}")
        await asyncio.sleep(0.1)
    return ", ".join(steps)


async def main() -> None:
    async with Client(mcp) as client:
        result = await client.call_tool("test", {})
        print(result.content[0].text)


if __name__ == "__main__":
    asyncio.run(main())
