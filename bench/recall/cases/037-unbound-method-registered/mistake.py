import asyncio

from fastmcp import Client, FastMCP

mcp = FastMCP("atlan-app")


class EnrichmentStudio:
    def run_workflow(self, workflow: str) -> str:
        return f"ran {workflow}"


REGISTRY = {"run_workflow": (EnrichmentStudio, "run_workflow")}


def register_tools_from_registry() -> None:
    for name, (app_cls, attr) in REGISTRY.items():
        task = getattr(app_cls, attr)
        mcp.tool(task, name=name)  # MISTAKE


register_tools_from_registry()


async def main() -> None:
    async with Client(mcp) as client:
        print((await client.call_tool("run_workflow", {"workflow": "daily"})).data)


if __name__ == "__main__":
    asyncio.run(main())
