from fastmcp import FastMCP

mcp = FastMCP(
    name="zulipchat",
    instructions="Zulip tools",
    include_fastmcp_meta=False,  # MISTAKE
)


@mcp.tool
def send_message(stream: str, content: str) -> str:
    return f"{stream}: {content}"


if __name__ == "__main__":
    print(mcp.name)
