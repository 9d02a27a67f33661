import asyncio

from fastmcp import FastMCP

mcp = FastMCP("studio")


@mcp.tool
def start_training() -> str:
    return "started"


async def main() -> None:
    result = await mcp.call_tool("start_training", {})
    print(result.content[0].text)


if __name__ == "__main__":
    asyncio.run(main())
