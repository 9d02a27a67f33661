import asyncio

from fastmcp import Client, FastMCP


class MariaDBServer:
    def __init__(self, server_name: str) -> None:
        self.mcp = FastMCP(server_name)

    async def list_databases(self) -> list[str]:
        return ["app", "analytics"]

    def register_tools(self) -> None:
        self.mcp.add_tool(self.list_databases)  # MISTAKE


server = MariaDBServer("MariaDB_Server")
server.register_tools()
mcp = server.mcp


async def main() -> None:
    async with Client(mcp) as client:
        print([t.name for t in await client.list_tools()])


if __name__ == "__main__":
    asyncio.run(main())
