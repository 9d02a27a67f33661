"""``initializationOptions`` of ``fkit server`` (a server of its own, started with them)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import pytest_lsp
from lsprotocol import types
from pygls.uris import from_fs_path
from pytest_lsp import LanguageClient, client_capabilities

from tests.helpers import run_cli
from tests.test_lsp import PYPROJECT, SERVER, actions_at, apply, edits_of, open_file, published

pytestmark = pytest.mark.asyncio(loop_scope="module")

# FMCP202 (not selected), FMCP212 (FastMCP >= 4 only) and FMCP201.
SERVER_PY = """\
from fastmcp import Context, FastMCP

mcp = FastMCP("demo")


@mcp.resource("config")
def config() -> str:
    return ""


@mcp.tool
async def roots(ctx: Context) -> list:
    return await ctx.list_roots()


@mcp.tool
async def ping(note: str = "😀", ctx=None) -> str:
    await ctx.info(note)
    return "pong"
"""
OPTIONS = {"select": ["fmcp201", "FMCP212"], "fastmcpVersion": "3.2", "colour": "blue"}


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("options")
    (root / "pyproject.toml").write_text(PYPROJECT)
    return root


@pytest_lsp.fixture(scope="module", config=SERVER)
async def client(lsp_client: LanguageClient, project: Path):  # type: ignore[no-untyped-def]
    await lsp_client.initialize_session(
        types.InitializeParams(
            # Emacs: UTF-32 columns first, no codeAction/resolve.
            capabilities=client_capabilities("emacs"),
            root_uri=from_fs_path(str(project)),
            initialization_options=OPTIONS,
        )
    )
    yield
    await lsp_client.shutdown_session()


async def test_options_override_the_project_settings(client: LanguageClient, project: Path) -> None:
    (project / "server.py").write_text(SERVER_PY)
    cli = run_cli(["lint", "--no-cache", "--output-format", "json", "server.py"], cwd=project)
    assert {v["code"] for v in json.loads(cli.stdout)} == {"FMCP201", "FMCP202", "FMCP212"}

    uri = open_file(client, project / "server.py", SERVER_PY)
    (diagnostic,) = await published(client, uri, 1)
    assert diagnostic.code == "FMCP201"
    line = SERVER_PY.splitlines()[16]
    assert diagnostic.range.start == types.Position(16, line.index("ctx"))
    shown = [message.message for message in client.messages]
    assert shown == [
        "fkit: initializationOptions: unknown key 'colour' (known: select, fastmcpVersion)"
    ]


async def test_fix_all_comes_with_its_edit_when_the_client_cannot_resolve(
    client: LanguageClient, project: Path
) -> None:
    text = SERVER_PY
    uri = open_file(client, project / "fixed.py", text)
    (diagnostic,) = await published(client, uri, 1)
    (fix_all,) = await actions_at(client, uri, diagnostic.range, ["source.fixAll"])
    fixed = apply(text, edits_of(fix_all, uri), units=len)
    assert 'async def ping(note: str = "😀", ctx: Context = None) -> str:' in fixed
    (project / "cli.py").write_text(text)
    run_cli(["lint", "--fix", "--no-cache", "--select", "FMCP201", "cli.py"], cwd=project)
    assert fixed == (project / "cli.py").read_text()
