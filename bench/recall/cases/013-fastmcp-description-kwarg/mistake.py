from fastmcp import FastMCP

mcp = FastMCP("ThemeParksWiki", description="Real-time data for theme parks globally")  # MISTAKE


@mcp.tool
async def search_destinations() -> str:
    return "Walt Disney World Resort"


if __name__ == "__main__":
    print(mcp.name)
