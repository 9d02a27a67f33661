import asyncio

from fastmcp import Client, FastMCP

mcp = FastMCP("mcp-server-starrocks")


def read_query(query: str) -> str:
    return query


def main() -> None:
    mcp.tool(read_query, description="Execute a SELECT query")


async def list_names() -> list[str]:
    async with Client(mcp) as client:
        return [t.name for t in await client.list_tools()]


if __name__ == "__main__":
    main()
    print(asyncio.run(list_names()))
