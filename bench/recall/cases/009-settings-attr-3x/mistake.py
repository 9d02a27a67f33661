import sys

from fastmcp import FastMCP

mcp = FastMCP("aws-support")


@mcp.tool
def describe_case(case_id: str) -> str:
    return case_id


def main() -> None:
    if "--debug" in sys.argv:
        mcp.settings.debug = True  # MISTAKE
    print("configured")


if __name__ == "__main__":
    sys.argv.append("--debug")
    main()
