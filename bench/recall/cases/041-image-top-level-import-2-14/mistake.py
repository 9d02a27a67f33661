from fastmcp import Context, FastMCP, Image  # MISTAKE

mcp = FastMCP("obsidian")


@mcp.tool
async def view_image(path: str, ctx: Context) -> Image:
    await ctx.info(f"Loading {path}")
    return Image(data=b"\x89PNG\r\n", format="png")


if __name__ == "__main__":
    print(Image(data=b"\x89PNG\r\n", format="png").to_image_content().mimeType)
