from fastmcp import FastMCP

mcp = FastMCP("openapi-proxy")


@mcp.tool
def ping() -> str:
    return "pong"


app = mcp.http_app()

if __name__ == "__main__":
    print(type(app).__name__)
