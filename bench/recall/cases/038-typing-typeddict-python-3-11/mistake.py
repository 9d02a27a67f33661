import asyncio
from typing import TypedDict  # MISTAKE

from fastmcp import Client, FastMCP

mcp = FastMCP("apple-mail")


class Mailbox(TypedDict):
    name: str
    unread: int


@mcp.tool
def list_mailboxes() -> list[Mailbox]:
    return [{"name": "INBOX", "unread": 3}]


async def main() -> None:
    async with Client(mcp) as client:
        print((await client.call_tool("list_mailboxes", {})).structured_content["result"])


if __name__ == "__main__":
    asyncio.run(main())
