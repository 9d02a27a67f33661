import asyncio

from fastmcp import Client, FastMCP

mcp = FastMCP("drmcp")


@mcp.prompt
def summarize(text: str) -> str:
    return f"Summarize: {text}"


async def remove_prompt_mapping(name: str) -> None:
    prompt = await mcp.get_prompt(name)
    prompt.disable()  # MISTAKE


async def main() -> None:
    await remove_prompt_mapping("summarize")
    async with Client(mcp) as client:
        print([p.name for p in await client.list_prompts()])


if __name__ == "__main__":
    asyncio.run(main())
