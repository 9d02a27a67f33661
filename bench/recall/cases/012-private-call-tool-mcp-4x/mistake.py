import asyncio

from fastmcp import FastMCP

mcp = FastMCP("studio")


@mcp.tool
def start_training() -> str:
    return "started"


async def main() -> None:
    result = await mcp._call_tool_mcp("start_training", {})  # MISTAKE
    print(result)


if __name__ == "__main__":
    asyncio.run(main())
