import os
import sys

from fastmcp import FastMCP

SERVER_NAME = "ArgoCD"
MCP_MODE = os.getenv("MCP_MODE", "http")
MCP_HOST = os.getenv("MCP_HOST", "127.0.0.1")
MCP_PORT = int(os.getenv("MCP_PORT", "8000"))

mcp = FastMCP(f"{SERVER_NAME} MCP Server")


@mcp.tool
def list_applications() -> list[str]:
    return ["guestbook"]


if __name__ == "__main__":
    print(mcp.name)
    if "--serve" in sys.argv:
        mcp.run(transport="http", host=MCP_HOST, port=MCP_PORT)
