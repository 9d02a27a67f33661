import asyncio

from fastmcp import Client, FastMCP

mcp = FastMCP("KiCad")


@mcp.tool
async def extract_schematic_netlist(schematic_path: str) -> dict:
    return {"components": 8, "source": schematic_path}


@mcp.tool
async def extract_project_netlist(project_path: str) -> dict:
    schematic_path = project_path.replace(".kicad_pro", ".kicad_sch")
    netlist = await extract_schematic_netlist(schematic_path)  # MISTAKE
    return netlist


async def main() -> None:
    async with Client(mcp) as client:
        result = await client.call_tool("extract_project_netlist", {"project_path": "board.kicad_pro"})
        print(result.data)


if __name__ == "__main__":
    asyncio.run(main())
