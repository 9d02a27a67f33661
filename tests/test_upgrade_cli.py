"""``fkit upgrade`` through the real command line: dry run, --write, --check, --list,
--only/--skip, --add-todos, --from, output formats, errors, and idempotence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from fastmcp_kit.upgrade.pins import newest_in_line
from tests.helpers import run_cli, write_tree

SERVER_213 = '''\
"""A 2.13 server."""

from fastmcp import Context, FastMCP, Image

mcp = FastMCP("demo", dependencies=["pandas"])


def remember(ctx: Context) -> None:
    ctx.set_state("seen", True)


@mcp.tool
def whoami(ctx: Context) -> str:
    remember(ctx)
    return ctx.get_http_request().headers["user-agent"]


@mcp.tool
def logo() -> Image:
    return Image(data=b"x", format="png")


if __name__ == "__main__":
    mcp.run()
'''

PYPROJECT = """\
[project]
name = "demo"
version = "0.1.0"
dependencies = [
    "fastmcp==2.13.3",  # keep this comment
]
"""


@pytest.fixture
def project(tmp_path: Path) -> Path:
    return write_tree(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT,
            "server.py": SERVER_213,
            ".env": "FASTMCP_SERVER_PORT=9000\n",
            "README.md": "Run `fastmcp dev server.py`.\n",
        },
    )


def test_dry_run_prints_a_diff_and_a_summary_and_writes_nothing(project: Path) -> None:
    before = {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()}
    result = run_cli(["upgrade", "--to", "4"], cwd=project)
    assert result.exit_code == 0, result.stderr
    assert "--- a/server.py" in result.stdout and "+++ b/server.py" in result.stdout
    assert "+from fastmcp.utilities.types import Image" in result.stdout
    assert "-FASTMCP_SERVER_PORT=9000" in result.stdout
    assert "Upgrade plan: FastMCP 2.13.3 (pyproject.toml (==2.13.3)) -> 2.14 -> 3 -> 4" in (
        result.stdout
    )
    assert "Would rewrite" in result.stdout and "Run again with --write" in result.stdout
    assert "Found " not in result.stdout  # the lint summary line is not shown
    after = {p.name: p.read_bytes() for p in project.iterdir() if p.is_file()}
    assert after == before


def test_write_applies_and_a_second_run_changes_nothing(project: Path) -> None:
    result = run_cli(["upgrade", "--to", "4", "--write"], cwd=project)
    assert result.exit_code == 0, result.stderr
    server = (project / "server.py").read_text()
    assert "from fastmcp.utilities.types import Image" in server
    assert "get_http_request()" in server and "ctx.get_http_request" not in server
    assert "dependencies=" not in server
    assert json.loads((project / "fastmcp.json").read_text())["environment"]["dependencies"] == [
        "pandas"
    ]
    assert (project / ".env").read_text() == "FASTMCP_PORT=9000\n"
    assert "fastmcp dev inspector server.py" in (project / "README.md").read_text()
    pyproject = (project / "pyproject.toml").read_text()
    assert f'"fastmcp=={newest_in_line("4")}",  # keep this comment' in pyproject
    # The sync helper's set_state needs a human: reported at its line in the new file.
    row = server.splitlines().index('    ctx.set_state("seen", True)') + 1
    assert f"server.py:{row}:5: state-await" in result.stdout
    again = run_cli(["upgrade", "--to", "4", "--check"], cwd=project)
    assert again.exit_code == 0, again.stdout
    assert "Nothing to rewrite." in again.stdout
    # The notes about 4.x were for the way there: the project now runs it.
    assert "dependency-pins 4" not in again.stdout, again.stdout


def test_check_exits_1_when_rewrites_are_pending(project: Path) -> None:
    result = run_cli(["upgrade", "--to", "2.14", "--check"], cwd=project)
    assert result.exit_code == 1
    assert "Would upgrade server.py" in result.stdout
    assert "---" not in result.stdout  # no diff with --check
    assert (project / "server.py").read_text() == SERVER_213


def test_only_and_skip(project: Path) -> None:
    only = run_cli(["upgrade", "--to", "4", "--only", "image-import", "--write"], cwd=project)
    assert only.exit_code == 0, only.stderr
    server = (project / "server.py").read_text()
    assert "from fastmcp.utilities.types import Image" in server
    assert "ctx.get_http_request()" in server  # not selected
    assert (project / ".env").read_text() == "FASTMCP_SERVER_PORT=9000\n"
    skip = run_cli(
        ["upgrade", "--to", "4", "--skip", "env-server-prefix,dependency-pins", "--write"],
        cwd=project,
    )
    assert skip.exit_code == 0, skip.stderr
    assert (project / ".env").read_text() == "FASTMCP_SERVER_PORT=9000\n"
    assert '"fastmcp==2.13.3"' in (project / "pyproject.toml").read_text()
    assert "get_http_request()" in (project / "server.py").read_text()


def test_unknown_codemod_id_is_an_error(project: Path) -> None:
    result = run_cli(["upgrade", "--to", "4", "--only", "nope"], cwd=project)
    assert result.exit_code == 2
    assert result.stderr.startswith("fkit: error: unknown codemod id 'nope'")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["upgrade"], "--to is required"),
        (["upgrade", "--to", "5"], "--to must be one of 2.14, 3, 4"),
        (["upgrade", "--to", "4", "--from", "banana"], "--from:"),
        (["upgrade", "--to", "4", "--write", "--check"], "cannot be combined"),
        (["upgrade", "--to", "4", "--output-format", "sarif"], "--output-format must be"),
        (["upgrade", "--to", "4", "missing.py"], "missing.py: no such file or directory"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(project: Path, args: list[str], message: str) -> None:
    result = run_cli(args, cwd=project)
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and message in result.stderr, result.stderr


def test_list_shows_the_plan(project: Path) -> None:
    everything = run_cli(["upgrade", "--list"], cwd=project)
    assert everything.exit_code == 0
    assert "Step 2.14:" in everything.stdout and "Step 4:" in everything.stdout
    planned = run_cli(["upgrade", "--list", "--to", "3"], cwd=project)
    assert planned.stdout.startswith("From FastMCP 2.13.3 (pyproject.toml (==2.13.3)):")
    assert "Step 2.14:" in planned.stdout and "Step 3:" in planned.stdout
    assert "Step 4:" not in planned.stdout
    assert "bearer-auth-provider" in planned.stdout and "[i.1]" not in planned.stdout
    from_3 = run_cli(["upgrade", "--list", "--to", "4", "--from", "3.4"], cwd=project)
    assert "Step 2.14:" not in from_3.stdout and "Step 4:" in from_3.stdout


def test_add_todos_marks_the_findings_once(project: Path) -> None:
    result = run_cli(["upgrade", "--to", "4", "--write", "--add-todos"], cwd=project)
    assert result.exit_code == 0, result.stderr
    server = (project / "server.py").read_text()
    todo = "    # TODO(fkit): `set_state` is a coroutine in 3.x"
    assert server.count(todo) == 1
    lines = server.splitlines()
    assert lines[lines.index(next(line for line in lines if line.startswith(todo))) + 1] == (
        '    ctx.set_state("seen", True)'
    )
    again = run_cli(["upgrade", "--to", "4", "--write", "--add-todos"], cwd=project)
    assert again.exit_code == 0
    assert (project / "server.py").read_text() == server


def test_from_overrides_the_pins(project: Path) -> None:
    result = run_cli(["upgrade", "--to", "4", "--from", "3.4", "--check"], cwd=project)
    assert "Upgrade plan: FastMCP 3.4.11 (--from) -> 4" in result.stdout
    # The 2.14 step does not run: `from fastmcp import Image` stays for lint to report.
    assert (project / "server.py").read_text() == SERVER_213


def test_json_output_has_the_findings_and_no_diff(project: Path) -> None:
    result = run_cli(["upgrade", "--to", "4", "--output-format", "json"], cwd=project)
    assert result.exit_code == 0, result.stderr
    findings = json.loads(result.stdout)
    codes = {f["code"] for f in findings}
    assert {"state-await", "dependency-pins"} <= codes
    state = next(f for f in findings if f["code"] == "state-await")
    row = SERVER_213.splitlines().index('    ctx.set_state("seen", True)') + 1
    assert state["filename"] == "server.py" and state["location"]["row"] == row  # original
    assert "Upgrade plan:" in result.stderr


def test_concise_and_github_formats(project: Path) -> None:
    concise = run_cli(["upgrade", "--to", "4", "--output-format", "concise"], cwd=project)
    row = SERVER_213.splitlines().index('    ctx.set_state("seen", True)') + 1
    assert f"server.py:{row}:5: state-await " in concise.stdout
    github = run_cli(["upgrade", "--to", "4", "--output-format", "github"], cwd=project)
    assert "::error" in github.stdout and "state-await" in github.stdout


def test_sdk_servers_and_unparsable_files_are_left_alone(tmp_path: Path) -> None:
    write_tree(
        tmp_path,
        {
            "pyproject.toml": PYPROJECT,
            "sdk.py": 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("x")\n'
            "app = mcp.streamable_http_app()\n",
            "broken.py": "def broken(:\n",
        },
    )
    result = run_cli(["upgrade", "--to", "4", "--write"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert "streamable_http_app()" in (tmp_path / "sdk.py").read_text()
    assert "broken.py:1:" in result.stdout and "parse-error" in result.stdout


def test_crlf_and_encoding_are_kept(tmp_path: Path) -> None:
    source = "# -*- coding: latin-1 -*-\r\nfrom fastmcp import Image\r\nNAME = 'caf\xe9'\r\n"
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "pics.py": source.encode("latin-1")})
    result = run_cli(["upgrade", "--to", "2.14", "--write", "pics.py"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "pics.py").read_bytes() == (
        "# -*- coding: latin-1 -*-\r\nfrom fastmcp.utilities.types import Image\r\n"
        "NAME = 'caf\xe9'\r\n"
    ).encode("latin-1")


def test_moves_chain_across_and_within_steps(tmp_path: Path) -> None:
    """An experimental OpenAPI import goes to fastmcp.server.openapi in the 2.14 step and on
    to the providers module in the 3 step; 3.x code going to 4 gets both moves in one step."""
    code = "from fastmcp.experimental.server.openapi import MCPType, RouteMap\n"
    write_tree(tmp_path, {"pyproject.toml": PYPROJECT, "a.py": code, "b.py": code})
    result = run_cli(["upgrade", "--to", "3", "--write", "a.py"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    moved = "from fastmcp.server.providers.openapi import MCPType, RouteMap\n"
    assert (tmp_path / "a.py").read_text() == moved
    result = run_cli(["upgrade", "--to", "4", "--from", "3.4", "--write", "b.py"], cwd=tmp_path)
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "b.py").read_text() == moved


REEXPORTING_SERVER = """\
from fastmcp import FastMCP
from fastmcp.prompts.prompt import PromptMessage, TextContent
from fastmcp.server.server import Request, SDKTool
from fastmcp.tools.tool import TextContent as Text

mcp = FastMCP("x")


@mcp.prompt
def hello() -> list[PromptMessage]:
    return [PromptMessage(role="user", content=TextContent(type="text", text="hi"))]


def describe(request: Request, tool: SDKTool) -> Text:
    return Text(type="text", text=f"{request.url} {tool.name}")
"""

PROBE_IMPORT = """\
import asyncio, json, sys
sys.path.insert(0, ".")
from fastmcp import Client
import server

async def main():
    async with Client(server.mcp) as client:
        prompt = await client.get_prompt("hello")
    print(json.dumps([m.content.text for m in prompt.messages]))

asyncio.run(main())
"""


def test_names_reexported_by_deleted_modules_are_imported_from_where_they_live(
    tmp_path: Path,
) -> None:
    """2.x code importing SDK and Starlette names through fastmcp's modules runs on the
    fastmcp 4 of the test environment after the upgrade (it raised ModuleNotFoundError)."""
    import subprocess
    import sys

    root = write_tree(
        tmp_path, {"requirements.txt": "fastmcp==2.12.4\n", "server.py": REEXPORTING_SERVER}
    )
    result = run_cli(["upgrade", "--to", "4", "--write"], cwd=root)
    assert result.exit_code == 0, result.stdout + result.stderr
    upgraded = (root / "server.py").read_text()
    assert "fastmcp.prompts.prompt" not in upgraded and "fastmcp.tools.tool" not in upgraded
    assert "from mcp.types import Tool as SDKTool" in upgraded
    assert "from starlette.requests import Request" in upgraded
    (root / "probe.py").write_text(PROBE_IMPORT)
    probe = subprocess.run(
        [sys.executable, "probe.py"], cwd=root, capture_output=True, text=True, timeout=120
    )
    assert probe.returncode == 0, probe.stderr[-2000:]
    assert json.loads(probe.stdout.splitlines()[-1]) == ["hi"]


LIFESPAN_SERVER = """\
from fastmcp import Context, FastMCP

mcp = FastMCP("db")


@mcp.tool
def query(sql: str, ctx: Context) -> str:
    return ctx.request_context.lifespan_context["db"].run(sql)
"""


def test_an_opt_in_codemod_runs_only_when_asked_for(tmp_path: Path) -> None:
    root = write_tree(
        tmp_path, {"requirements.txt": "fastmcp==2.14.7\n", "server.py": LIFESPAN_SERVER}
    )
    listed = run_cli(["upgrade", "--list"], cwd=root).stdout
    assert "lifespan-context" in listed and "opt-in (--with lifespan-context)" in listed
    default = run_cli(["upgrade", "--to", "4"], cwd=root).stdout
    assert "ctx.lifespan_context" not in default
    asked = run_cli(["upgrade", "--to", "4", "--with", "lifespan-context"], cwd=root).stdout
    assert '+    return ctx.lifespan_context["db"].run(sql)' in asked
    unknown = run_cli(["upgrade", "--to", "4", "--with", "no-such-codemod"], cwd=root)
    assert unknown.exit_code == 2 and "unknown codemod id 'no-such-codemod'" in unknown.stderr


def test_an_mcp_sdk_project_keeps_its_pins(tmp_path: Path) -> None:
    """A project on the MCP SDK's own FastMCP (no fastmcp dependency) is not moved onto
    `mcp>=2`, which removed `mcp.server.fastmcp` (found on a real project by bench/upgrade)."""
    pyproject = '[project]\nname = "i"\nversion = "0"\ndependencies = ["mcp[cli]>=1.4.0,<2.0.0"]\n'
    server = 'from mcp.server.fastmcp import FastMCP\n\nmcp = FastMCP("x")\n'
    root = write_tree(tmp_path, {"pyproject.toml": pyproject, "server.py": server})
    result = run_cli(["upgrade", "--to", "4", "--write"], cwd=root)
    assert result.exit_code == 0, result.stdout + result.stderr
    assert (root / "pyproject.toml").read_text() == pyproject
    assert (root / "server.py").read_text() == server
    assert "no dependency file declares fastmcp" in result.stdout
    assert "sdk-server" not in result.stdout
