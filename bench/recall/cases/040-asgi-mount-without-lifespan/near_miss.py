import asyncio
import socket
import threading
import time

from fastapi import FastAPI
from fastmcp import Client, FastMCP

mcp = FastMCP("calc")


@mcp.tool
def add(a: int, b: int) -> int:
    return a + b


mcp_app = mcp.http_app(transport="streamable-http")
app = FastAPI(lifespan=mcp_app.lifespan)
app.mount("/", mcp_app)


def serve_in_thread() -> tuple[int, object, threading.Thread]:
    import uvicorn

    sock = socket.socket()
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    sock.close()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="error"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    time.sleep(2)
    return port, server, thread


async def main(port: int) -> None:
    async with Client(f"http://127.0.0.1:{port}/mcp") as client:
        print((await client.call_tool("add", {"a": 1, "b": 2})).data)


if __name__ == "__main__":
    port, server, thread = serve_in_thread()
    try:
        asyncio.run(main(port))
    finally:
        server.should_exit = True
        thread.join()
