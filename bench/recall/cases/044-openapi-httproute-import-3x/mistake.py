from fastmcp import FastMCP
from fastmcp.server.openapi import HTTPRoute  # MISTAKE

mcp = FastMCP("crm")


def route_map_fn(route: HTTPRoute, mcp_type: str) -> str:
    if route.method == "GET":
        return "resource"
    return mcp_type


if __name__ == "__main__":
    print(route_map_fn(HTTPRoute(path="/accounts", method="POST"), "tool"))
