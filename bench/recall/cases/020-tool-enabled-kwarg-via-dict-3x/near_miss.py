import asyncio

from fastmcp import Client, FastMCP

mcp = FastMCP("terraform-cloud")
read_only_mode = True


def create_workspace(organization: str, name: str) -> str:
    return f"{organization}/{name}"


write_tool_config = {
    "annotations": {"readOnlyHint": False},
}

mcp.tool(**write_tool_config)(create_workspace)
if read_only_mode:
    mcp.disable(names={"create_workspace"})


async def main() -> None:
    async with Client(mcp) as client:
        print([t.name for t in await client.list_tools()])


if __name__ == "__main__":
    asyncio.run(main())
