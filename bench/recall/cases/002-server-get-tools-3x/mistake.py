import asyncio

from fastmcp import FastMCP

mcp = FastMCP("ecs")


@mcp.tool
def knowledge_search(query: str) -> str:
    return query


async def filter_tools() -> list[str]:
    tools = await mcp.get_tools()  # MISTAKE
    return sorted(tools)


if __name__ == "__main__":
    print(asyncio.run(filter_tools()))
