"""Rows are Python's rows: only ``\\r\\n``, ``\\r`` and ``\\n`` end a line, whatever
other characters ``str.splitlines`` treats as line breaks."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastmcp_kit.lint.engine import LintSettings, lint_bytes
from fastmcp_kit.lint.lines import split_lines
from fastmcp_kit.lint.noqa import parse_suppressions
from fastmcp_kit.lint.rule import ProjectInfo
from fastmcp_kit.versions import NEWEST
from tests.helpers import run_cli, write_tree

# Every character str.splitlines breaks at and Python's tokenizer does not.
NOT_BREAKS = ["\v", "\f", "\x1c", "\x1d", "\x1e", "\x85", "\u2028", "\u2029"]
IDS = ["VT", "FF", "FS", "GS", "RS", "NEL", "LS", "PS"]


@pytest.mark.parametrize(
    "text", ["", "a", "a\n", "a\nb", "a\r\nb\rc\n", "\n\n", "a\r", "\r\n\r\n", "x\n\ny\r\n"]
)
@pytest.mark.parametrize("keepends", [False, True])
def test_split_lines_matches_splitlines_on_python_line_breaks(text: str, keepends: bool) -> None:
    assert split_lines(text, keepends) == text.splitlines(keepends)


@pytest.mark.parametrize("char", NOT_BREAKS, ids=IDS)
def test_split_lines_keeps_other_breaks_inside_a_line(char: str) -> None:
    assert split_lines(f"a{char}b\nc") == [f"a{char}b", "c"]
    assert split_lines(f"a{char}b\r\nc", keepends=True) == [f"a{char}b\r\n", "c"]


def _server(char: str) -> str:
    return (
        "from fastmcp import FastMCP\n"
        "\n"
        'mcp = FastMCP("demo")\n'
        f'NOTE = "a{char}b{char}c"  # a comment{char}with it too\n'
        "\n"
        "@mcp.tool\n"
        "async def greet(name: str, ctx) -> str:  # noqa: FMCP999\n"
        "    await ctx.info(name)\n"
        "    return name\n"
    )


def _lint(source: str, codes: tuple[str, ...] = ("FMCP201",)) -> list[object]:
    settings = LintSettings(codes, NEWEST, ProjectInfo(Path(".")))
    return lint_bytes(source.encode(), "server.py", settings).violations  # type: ignore[return-value]


@pytest.mark.parametrize("char", NOT_BREAKS, ids=IDS)
def test_finding_shows_its_own_line_and_fix_edits_the_right_rows(char: str) -> None:
    (violation,) = _lint(_server(char))
    assert violation.location.row == 7  # type: ignore[attr-defined]
    assert violation.source_line == "async def greet(name: str, ctx) -> str:  # noqa: FMCP999"  # type: ignore[attr-defined]
    edits = violation.fix.edits  # type: ignore[attr-defined]
    assert [(e.location.row, e.end_location.row) for e in edits] == [(1, 2), (7, 8)]
    assert edits[1].content == "async def greet(name: str, ctx: Context) -> str:  # noqa: FMCP999\n"


@pytest.mark.parametrize("char", NOT_BREAKS, ids=IDS)
def test_noqa_rows_count_python_lines(char: str) -> None:
    source = f"x = 1  # a{char}b\ny = 2  # noqa: FMCP201\n"
    assert parse_suppressions(source) == {2: frozenset({"FMCP201"})}
    suppressed = _server(char).replace("# noqa: FMCP999", "# noqa: FMCP201")
    assert _lint(suppressed) == []


def test_noqa_rows_after_a_lone_carriage_return() -> None:
    assert parse_suppressions("x = 1\ry = 2  # noqa\r") == {2: None}


@pytest.mark.parametrize("char", NOT_BREAKS, ids=IDS)
def test_text_file_fix_rewrites_the_right_row(char: str, tmp_path: Path) -> None:
    env = f"# notes{char}more\nFASTMCP_SERVER_PORT=9123\n"
    write_tree(tmp_path, {".env": env, "server.py": "import fastmcp\n"})
    result = run_cli(
        ["lint", "--no-cache", "--select", "FMCP104", "--fix", "--unsafe-fixes", "."], cwd=tmp_path
    )
    assert result.exit_code == 0, result.stdout
    fixed = (tmp_path / ".env").read_bytes().decode()
    assert fixed == f"# notes{char}more\nFASTMCP_PORT=9123\n"


@pytest.mark.parametrize("char", ["\f", "\u2028"], ids=["FF", "LS"])
def test_diff_keeps_lines_whole(char: str, tmp_path: Path) -> None:
    write_tree(tmp_path, {"server.py": _server(char)})
    result = run_cli(["lint", "--no-cache", "--select", "FMCP201", "--diff", "."], cwd=tmp_path)
    assert "+async def greet(name: str, ctx: Context) -> str:  # noqa: FMCP999\n" in result.stdout
    assert f' NOTE = "a{char}b{char}c"  # a comment{char}with it too\n' in result.stdout
