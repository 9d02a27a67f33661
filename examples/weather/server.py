"""A small weather server with the mistakes FastMCP users make most often.

Run `fkit lint examples/weather` to see them, `fkit lint --fix examples/weather`
to repair the ones that can be repaired mechanically.
"""

import asyncio
from datetime import datetime

from fastmcp import FastMCP, Image

mcp = FastMCP("weather")


@mcp.tool
async def forecast(city: str, days: int, ctx) -> dict:
    """Forecast for a city."""
    await ctx.info(f"forecasting {city}")
    return {"city": city, "days": days, "issued": datetime.utcnow().timestamp()}


@mcp.resource("config")
def config() -> dict:
    return {"units": "metric"}


@mcp.resource("weather://{city}/current")
def current(name: str) -> str:
    return f"sunny in {name}"


@mcp.tool
def radar(city: str) -> Image:
    return Image(path=f"/var/radar/{city}.png")


async def warm_cache() -> None:
    await asyncio.sleep(0)


asyncio.run(warm_cache())
mcp.run()
