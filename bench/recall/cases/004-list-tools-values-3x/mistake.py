import asyncio

from fastmcp import FastMCP

mcp = FastMCP("filesystem")


@mcp.tool
def read_file(path: str) -> str:
    return path


async def flatten_tool_schemas() -> list[str]:
    names = []
    for tool in (await mcp.list_tools()).values():  # MISTAKE
        names.append(tool.name)
    return names


if __name__ == "__main__":
    print(asyncio.run(flatten_tool_schemas()))
