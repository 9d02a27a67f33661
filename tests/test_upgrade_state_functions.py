"""A sync component calling ctx.get_state/set_state becomes async only when nothing
else in the project names it; the project is scanned even when one file is upgraded."""

from __future__ import annotations

import textwrap
from pathlib import Path

from fastmcp_kit.upgrade.function_uses import function_uses
from fastmcp_kit.upgrade.session import UpgradeOptions, run_upgrade
from tests.helpers import chdir

SERVER = textwrap.dedent(
    """
    from fastmcp import Context, FastMCP

    mcp = FastMCP("x")

    @mcp.tool
    def whoami(ctx: Context) -> str:
        return ctx.get_state("user")
    """
).lstrip()

TEST = textwrap.dedent(
    """
    from server import whoami

    def test_whoami(ctx):
        assert whoami(ctx)
    """
).lstrip()


def _project(root: Path, with_test: bool) -> None:
    (root / "pyproject.toml").write_text(
        '[project]\nname = "p"\nversion = "0"\ndependencies = ["fastmcp==2.14.7"]\n'
    )
    (root / "server.py").write_text(SERVER)
    if with_test:
        (root / "tests").mkdir()
        (root / "tests" / "test_server.py").write_text(TEST)


def _upgrade(root: Path, paths: list[str]) -> tuple[str, list[str]]:
    with chdir(root):
        outcome = run_upgrade(UpgradeOptions(paths=paths, to="3", only=["state-await"], write=True))
    messages = [finding.message for _, finding in outcome.findings]
    return (root / "server.py").read_text(), messages


def test_component_no_one_else_names_becomes_async(tmp_path: Path) -> None:
    _project(tmp_path, with_test=False)
    code, messages = _upgrade(tmp_path, ["."])
    assert "async def whoami(ctx: Context) -> str:" in code
    assert 'return await ctx.get_state("user")' in code
    assert any("made `whoami` async" in m for m in messages)


def test_component_a_test_calls_stays_sync_and_names_the_caller(tmp_path: Path) -> None:
    _project(tmp_path, with_test=True)
    code, messages = _upgrade(tmp_path, ["."])
    assert code == SERVER
    [message] = messages
    assert "also used at tests/test_server.py:1, tests/test_server.py:4" in message


def test_upgrading_one_file_still_sees_callers_elsewhere(tmp_path: Path) -> None:
    _project(tmp_path, with_test=True)
    code, messages = _upgrade(tmp_path, ["server.py"])
    assert code == SERVER
    assert "tests/test_server.py:4" in messages[0]


def test_uses_skip_def_registration_keywords_and_parameters() -> None:
    uses = function_uses(
        {
            "a.py": "def f(ctx):\n    ctx.get_state('k')\nmcp.add_tool(Tool.from_function(f))\n",
            "b.py": "def g(f=1):\n    return call(f=f)\n",
        }
    )
    assert uses.registered == {"f"}
    assert uses.uses == {"f": ("b.py:2",)}
