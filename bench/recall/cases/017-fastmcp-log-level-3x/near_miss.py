import fastmcp
from fastmcp import FastMCP

fastmcp.settings.log_level = "DEBUG"

mcp = FastMCP(
    name="imagesorcery-mcp",
    instructions="Image processing tools",
)


@mcp.tool
def crop(path: str) -> str:
    return path


if __name__ == "__main__":
    print(mcp.name)
