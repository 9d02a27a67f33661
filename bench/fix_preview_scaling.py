"""How the cost of fix previews grows with file size: one module of N tools, each with
an unannotated `ctx` (FMCP201, a safe fix with a preview), linted cold at N and 4N.
A linear preview keeps the ratio near 4; a whole-module render per finding (the old
way) made it near 16. Prints seconds and the ratio from one run. Not part of the suite.

    .venv/bin/python -m bench.fix_preview_scaling [--tools 250]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HEADER = 'from fastmcp import FastMCP\n\nmcp = FastMCP("big")\n'
TOOL = """

@mcp.tool
async def tool_{index}(name: str, ctx) -> str:
    await ctx.info(name)
    return name
"""


def lint_seconds(project: Path, tools: int) -> float:
    module = project / "server.py"
    module.write_text(HEADER + "".join(TOOL.format(index=i) for i in range(tools)))
    command = [sys.executable, "-m", "fastmcp_kit", "lint", "--no-cache", "--select", "FMCP201"]
    start = time.perf_counter()
    done = subprocess.run([*command, str(module)], cwd=project, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if done.stdout.count("FMCP201") < tools:
        raise SystemExit(f"expected {tools} findings, got:\n{done.stdout[-2000:]}{done.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--tools", type=int, default=250)
    tools = parser.parse_args().tools
    with tempfile.TemporaryDirectory() as folder:
        project = Path(folder)
        (project / "pyproject.toml").write_text(
            '[project]\nname = "big"\nversion = "0"\ndependencies = ["fastmcp==4.2.3"]\n'
        )
        small = lint_seconds(project, tools)
        large = lint_seconds(project, 4 * tools)
    print(
        f"{tools} tools: {small:.1f} s; {4 * tools} tools: {large:.1f} s; ratio {large / small:.1f}"
    )


if __name__ == "__main__":
    main()
