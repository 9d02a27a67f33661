from fastmcp import FastMCP

mcp = FastMCP("Test")


@mcp.tool
def add(a: int, b: int) -> int:
    """Add two numbers"""
    return a + b


if __name__ == "__main__":
    print(add.fn(1, 2))
