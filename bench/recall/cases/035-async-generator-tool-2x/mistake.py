import asyncio

from fastmcp import Client, FastMCP

mcp = FastMCP("stream")


@mcp.tool(name="test", description="test")
async def test():  # MISTAKE
    yield "step 1"
    await asyncio.sleep(0.1)
    yield "step 2"


async def main() -> None:
    async with Client(mcp) as client:
        result = await client.call_tool("test", {})
        print(result.content[0].text)


if __name__ == "__main__":
    asyncio.run(main())
