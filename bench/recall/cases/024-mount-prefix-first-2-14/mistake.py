import asyncio

from fastmcp import Client, FastMCP

workflow_mcp = FastMCP("workflow")


@workflow_mcp.tool
def start_workflow(name: str) -> str:
    return name


mcp = FastMCP("orkes-conductor")
mcp.mount('workflow', workflow_mcp)  # MISTAKE


async def main() -> None:
    async with Client(mcp) as client:
        print([t.name for t in await client.list_tools()])


if __name__ == "__main__":
    asyncio.run(main())
