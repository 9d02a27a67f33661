import asyncio

from fastmcp import Client, FastMCP

mcp = FastMCP("code-review-graph")


@mcp.prompt
def architecture_map() -> list[dict]:
    return [{"role": "user", "content": "Map the architecture of this repository."}]  # MISTAKE


async def main() -> None:
    async with Client(mcp) as client:
        result = await client.get_prompt("architecture_map", {})
        print(result.messages[0].content.text)


if __name__ == "__main__":
    asyncio.run(main())
