import asyncio
import socket
import threading
import time

from fastmcp import Client, FastMCP
from fastmcp.client.transports import StreamableHttpTransport
from fastmcp.server.dependencies import get_http_headers

mcp = FastMCP("prowler")


@mcp.tool
def whoami() -> str:
    auth_header = get_http_headers(include={"authorization"}).get("authorization")
    return str(auth_header)


def serve_in_thread() -> tuple[int, object, threading.Thread]:
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(mcp.http_app(path="/mcp"), host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    time.sleep(2)
    return port, server, thread


async def main(port: int) -> None:
    transport = StreamableHttpTransport(f"http://127.0.0.1:{port}/mcp", headers={"Authorization": "Bearer abc"})
    async with Client(transport) as client:
        print((await client.call_tool("whoami", {})).data)


if __name__ == "__main__":
    port, server, thread = serve_in_thread()
    try:
        asyncio.run(main(port))
    finally:
        server.should_exit = True
        thread.join()
