from contextlib import asynccontextmanager

from fastmcp import FastMCP


@asynccontextmanager
async def server_lifespan(server: FastMCP):
    yield {}


mcp = FastMCP("Zotero", dependencies=["pyzotero", "python-dotenv"], lifespan=server_lifespan)  # MISTAKE


@mcp.tool
def search_items(query: str) -> str:
    return query


if __name__ == "__main__":
    print(mcp.name)
