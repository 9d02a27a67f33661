import asyncio

from fastmcp import FastMCP


class FliMCP(FastMCP):
    async def tool_names(self) -> list[str]:
        tools = (await self._tool_manager.get_tools()).values()
        return [tool.name for tool in tools]


mcp = FliMCP("fli")


@mcp.tool
def search_flights(origin: str, destination: str) -> str:
    return f"{origin}-{destination}"


if __name__ == "__main__":
    print(asyncio.run(mcp.tool_names()))
