import asyncio
import functools
from contextlib import asynccontextmanager

from fastmcp import Client, FastMCP


@asynccontextmanager
async def kicad_lifespan(server: FastMCP, kicad_modules_available: bool = False):
    yield {"kicad_modules_available": kicad_modules_available}


mcp = FastMCP("KiCad", lifespan=functools.partial(kicad_lifespan, kicad_modules_available=False))


@mcp.tool
def ping() -> str:
    return "pong"


async def main() -> None:
    async with Client(mcp) as client:
        print((await client.call_tool("ping", {})).data)


if __name__ == "__main__":
    asyncio.run(main())
