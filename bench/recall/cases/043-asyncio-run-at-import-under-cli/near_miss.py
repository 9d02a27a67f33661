import asyncio

from fastmcp import FastMCP

mcp = FastMCP("kinetica")
sql = FastMCP("sql")


@sql.tool
def query(statement: str) -> str:
    return statement


async def setup() -> None:
    await mcp.import_server(sql, prefix="sql")


if __name__ == "__main__":
    asyncio.run(setup())
    mcp.run()
