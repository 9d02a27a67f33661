import asyncio

from fastmcp import Client, FastMCP
from pydantic import BaseModel

mcp = FastMCP("registry")


class GetUserParams(BaseModel):
    user_id: int


def create_handler(model: type[BaseModel]):
    def handler(**kwargs):
        headers = kwargs.pop("headers", None) or {}
        params = model(**kwargs)
        return {"params": params.model_dump(), "headers": headers}

    return handler


def register(name: str, model: type[BaseModel]) -> None:
    handler = create_handler(model)
    mcp.tool(handler, name=name)  # MISTAKE


register("get_user", GetUserParams)


async def main() -> None:
    async with Client(mcp) as client:
        print([t.name for t in await client.list_tools()])


if __name__ == "__main__":
    asyncio.run(main())
