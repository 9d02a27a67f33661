import argparse

from fastmcp import FastMCP

mcp = FastMCP("pptx_generator")


@mcp.tool
def make_slide(title: str) -> str:
    return title


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--transport", default="stdio")
    args = parser.parse_args([])
    transport = args.transport
    mcp.run(transport=transport, host="127.0.0.1", port=8000)  # MISTAKE


if __name__ == "__main__":
    main()
