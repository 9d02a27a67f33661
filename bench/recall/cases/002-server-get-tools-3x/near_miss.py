import asyncio

from fastmcp import FastMCP

mcp = FastMCP("ecs")


@mcp.tool
def knowledge_search(query: str) -> str:
    return query


async def filter_tools() -> list[str]:
    tools = await mcp.list_tools()
    return sorted(tool.name for tool in tools)


if __name__ == "__main__":
    print(asyncio.run(filter_tools()))
