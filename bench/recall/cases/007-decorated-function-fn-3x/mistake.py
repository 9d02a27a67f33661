import asyncio

from fastmcp import Client, FastMCP

mcp = FastMCP("galaxy")


@mcp.tool
def get_iwc_workflows() -> list[str]:
    return ["rnaseq", "variant-calling"]


@mcp.tool
def search_iwc_workflows(query: str) -> str:
    workflows = get_iwc_workflows.fn()  # MISTAKE
    return f"{len(workflows)} workflows"


async def main() -> None:
    async with Client(mcp) as client:
        result = await client.call_tool("search_iwc_workflows", {"query": "rna"})
        print(result.data)


if __name__ == "__main__":
    asyncio.run(main())
