import asyncio

from fastmcp import FastMCP


class JenkinsMCP(FastMCP):
    async def read_only_tools(self) -> list[str]:
        all_tools = await self.list_tools()
        return sorted(tool.name for tool in all_tools)


mcp = JenkinsMCP("jenkins")


@mcp.tool
def get_job(name: str) -> str:
    return name


@mcp.tool
def build_job(name: str) -> str:
    return name


if __name__ == "__main__":
    print(asyncio.run(mcp.read_only_tools()))
