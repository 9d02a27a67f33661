import asyncio
import logging

from fastmcp import FastMCP


def create_server() -> FastMCP:
    mcp = FastMCP("KiCad")

    @mcp.tool
    def ping() -> str:
        return "pong"

    return mcp


mcp = create_server()


async def main() -> None:
    logging.info("Starting KiCad MCP server...")
    server = mcp
    await server.run()  # MISTAKE


if __name__ == "__main__":
    asyncio.run(main())
