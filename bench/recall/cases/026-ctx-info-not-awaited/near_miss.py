import asyncio

from fastmcp import Client, Context, FastMCP

mcp = FastMCP("kicad")


@mcp.tool
async def generate_bom(project_path: str, ctx: Context | None = None) -> str:
    if ctx:
        await ctx.info(f"Generating BOM for {project_path}")
    return "bom.csv"


async def main() -> None:
    messages = []

    async def log_handler(message) -> None:
        messages.append(message)

    async with Client(mcp, log_handler=log_handler) as client:
        result = await client.call_tool("generate_bom", {"project_path": "board.kicad_pro"})
    print(result.data, f"{len(messages)} log message(s)")


if __name__ == "__main__":
    asyncio.run(main())
