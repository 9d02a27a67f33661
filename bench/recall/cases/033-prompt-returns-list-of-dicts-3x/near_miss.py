import asyncio

from fastmcp import Client, FastMCP
from fastmcp.prompts import Message

mcp = FastMCP("code-review-graph")


@mcp.prompt
def architecture_map() -> list[Message]:
    return [Message("Map the architecture of this repository.", role="user")]


async def main() -> None:
    async with Client(mcp) as client:
        result = await client.get_prompt("architecture_map", {})
        print(result.messages[0].content.text)


if __name__ == "__main__":
    asyncio.run(main())
