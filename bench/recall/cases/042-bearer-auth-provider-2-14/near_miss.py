from fastmcp import FastMCP
from fastmcp.server.auth import JWTVerifier

auth = JWTVerifier(
    jwks_uri="https://auth.example.com/.well-known/jwks.json",
    issuer="https://auth.example.com/",
    audience="rabbitmq-mcp",
)
mcp = FastMCP("RabbitMQ", auth=auth)


@mcp.tool
def list_queues() -> list[str]:
    return ["orders"]


if __name__ == "__main__":
    print(mcp.name)
