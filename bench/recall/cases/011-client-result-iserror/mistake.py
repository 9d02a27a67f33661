import asyncio

from fastmcp import Client, FastMCP

mcp = FastMCP("tools")


@mcp.tool
def add(a: int, b: int) -> int:
    return a + b


async def call(name: str, arguments: dict) -> str:
    async with Client(mcp) as client:
        result = await client.call_tool(name, arguments, raise_on_error=False)
        if result.isError:  # MISTAKE
            raise RuntimeError(f"Failed to call a MCP tool: {result.content}")
        return result.content[0].text


if __name__ == "__main__":
    print(asyncio.run(call("add", {"a": 1, "b": 2})))
