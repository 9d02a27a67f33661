from fastmcp import FastMCP

mcp = FastMCP(
    name="imagesorcery-mcp",
    instructions="Image processing tools",
    log_level="DEBUG",  # MISTAKE
)


@mcp.tool
def crop(path: str) -> str:
    return path


if __name__ == "__main__":
    print(mcp.name)
