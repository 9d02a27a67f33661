import asyncio

from fastmcp import FastMCP

mcp = FastMCP("winremote")


@mcp.tool
def screenshot() -> str:
    return "png"


async def tool_names() -> list[str]:
    names = []
    for tool in await mcp.list_tools():
        names.append(tool.name)
    return names


if __name__ == "__main__":
    print(asyncio.run(tool_names()))
