import asyncio

from fastmcp import Client, FastMCP

mcp = FastMCP("pipefunc")


@mcp.tool
def add(a: int, b: int) -> int:
    return a + b


async def main() -> None:
    async with Client(mcp) as client:
        result = await client.call_tool("add", {"a": 1, "b": 2})
        text = result[0].text  # MISTAKE
        print(text)


if __name__ == "__main__":
    asyncio.run(main())
