import asyncio
from contextlib import asynccontextmanager

from fastmcp import Client, FastMCP


@asynccontextmanager
async def kicad_lifespan(server: FastMCP, kicad_modules_available: bool = False):
    yield {"kicad_modules_available": kicad_modules_available}


mcp = FastMCP("KiCad", lifespan=kicad_lifespan, lifespan_kwargs={"kicad_modules_available": False})  # MISTAKE


@mcp.tool
def ping() -> str:
    return "pong"


async def main() -> None:
    async with Client(mcp) as client:
        print((await client.call_tool("ping", {})).data)


if __name__ == "__main__":
    asyncio.run(main())
