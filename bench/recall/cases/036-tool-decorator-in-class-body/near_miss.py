import asyncio

from fastmcp import Client, FastMCP

mcp = FastMCP("db-utils")


class Calculator:
    def add(self, x: int, y: int) -> int:
        return x + y


calc = Calculator()
mcp.tool(calc.add)


async def main() -> None:
    async with Client(mcp) as client:
        print((await client.call_tool("add", {"x": 1, "y": 2})).data)


if __name__ == "__main__":
    asyncio.run(main())
