from fastmcp import FastMCP

mcp = FastMCP(
    name="ursa-hitl",
    instructions="Human-in-the-loop tools",
    on_duplicate="error",
    mask_error_details=True,
)


@mcp.tool
def ask(question: str) -> str:
    return question


if __name__ == "__main__":
    print(mcp.name)
