from fastmcp import FastMCP

mcp = FastMCP("ThemeParksWiki", instructions="Real-time data for theme parks globally")


@mcp.tool
async def search_destinations() -> str:
    return "Walt Disney World Resort"


if __name__ == "__main__":
    print(mcp.name)
