"""The language server's pure parts: positions, edits, noqa, settings, and the
one-line error of ``fkit server`` without pygls."""

from __future__ import annotations

import sys

import pytest
from hypothesis import given
from hypothesis import strategies as st
from lsprotocol import types

from fastmcp_kit.lint.edits import apply_line_edits, line_edits
from fastmcp_kit.lint.noqa import add_noqa
from fastmcp_kit.lsp.documents import ServerSettings, engine_bytes, lints
from fastmcp_kit.lsp.positions import LineIndex, changed_span
from tests.helpers import run_cli

UTF8, UTF16, UTF32 = (
    types.PositionEncodingKind.Utf8,
    types.PositionEncodingKind.Utf16,
    types.PositionEncodingKind.Utf32,
)


@pytest.mark.parametrize(
    ("encoding", "character"),
    # 'x = "' and one emoji, in each unit; a client's plain string works as the enum does.
    [(UTF16, 7), (UTF8, 9), (UTF32, 6), ("utf-32", 6), ("utf-8", 9)],
)
def test_columns_count_the_negotiated_code_units(encoding: str, character: int) -> None:
    index = LineIndex('a\nx = "😀b"\n', encoding)
    assert index.range_of((2, 7), (2, 8)) == types.Range(
        types.Position(1, character), types.Position(1, character + 1)
    )
    assert index.offset_at(types.Position(1, character)) == len('a\nx = "😀')


def test_lines_end_where_lsp_says() -> None:
    index = LineIndex("a\r\nb\rc\x0cd\u2028e\nf")
    assert [index.position_at(offset).line for offset in (0, 3, 5, 11)] == [0, 1, 2, 3]
    # A form feed and U+2028 are characters of line 2, not line breaks.
    assert index.position_at(9) == types.Position(2, 4)
    # Past a line's end is its end, before the \r\n.
    assert index.offset_at(types.Position(0, 99)) == 1
    assert index.range_of((1, 40), (9, 1)).start == types.Position(0, 1)


def test_a_byte_order_mark_shifts_the_first_line_only() -> None:
    index = LineIndex("\ufeffimport os\nx\n", skip=1)
    assert index.range_of((1, 1), (1, 7)) == types.Range(types.Position(0, 1), types.Position(0, 7))
    assert index.range_of((2, 1), (2, 2)).start == types.Position(1, 0)
    edit = index.edit("import os\nx\n", "import sys\nx\n")
    assert edit == types.TextEdit(types.Range(types.Position(0, 8), types.Position(0, 9)), "sy")


@given(st.text("ab\r\n"), st.text("ab\r\n"))
def test_changed_span_turns_one_text_into_the_other(before: str, after: str) -> None:
    span = changed_span(before, after)
    if span is None:
        assert before == after
        return
    start, end, text = span
    assert before[:start] + text + before[end:] == after
    for offset in (start, end):  # never inside a \r\n
        assert before[offset - 1 : offset + 1] != "\r\n"


@given(st.text("ab\n"), st.text("ab\n"))
def test_apply_line_edits_inverts_line_edits(before: str, after: str) -> None:
    assert apply_line_edits(before, line_edits(before, after)) == after


@pytest.mark.parametrize(
    ("source", "row", "expected"),
    [
        ("x = 1\n", 1, "x = 1  # noqa: FMCP202\n"),
        ("x = 1   \r\ny = 2\r\n", 1, "x = 1  # noqa: FMCP202\r\ny = 2\r\n"),
        ("x = 1  # why\n", 1, "x = 1  # why  # noqa: FMCP202\n"),
        ("x = 1  # noqa: FMCP101\n", 1, "x = 1  # noqa: FMCP101, FMCP202\n"),
        ("x = 1  # noqa:FMCP101 (see #12)\n", 1, "x = 1  # noqa:FMCP101, FMCP202 (see #12)\n"),
        ("f(\n    a,\n)\n", 2, "f(\n    a,  # noqa: FMCP202\n)\n"),
        ("x = 1", 1, "x = 1  # noqa: FMCP202"),
        # Already suppressed: nothing to add.
        ("x = 1  # noqa\n", 1, None),
        ("x = 1  # noqa: FMCP202\n", 1, None),
        # No comment can end a line inside a string or before a backslash continuation.
        ('x = """a\nb"""\n', 1, None),
        ("x = 1 + \\\n    2\n", 1, None),
        ("def f(:\n", 1, None),
    ],
)
def test_add_noqa(source: str, row: int, expected: str | None) -> None:
    assert add_noqa(source, row, "FMCP202") == expected


def test_initialization_options() -> None:
    assert ServerSettings.parse(None) == (ServerSettings(), [])
    settings, problems = ServerSettings.parse(
        {"select": ["fmcp2", " FMCP101,FMCP3 "], "fastmcpVersion": "4.1"}
    )
    assert settings == ServerSettings(("FMCP2", "FMCP101", "FMCP3"), "4.1")
    assert problems == []
    settings, problems = ServerSettings.parse({"select": "FMCP2", "fastmcpVersion": "banana"})
    assert settings == ServerSettings()
    assert len(problems) == 2
    assert problems[0].startswith("initializationOptions.select must be a list")
    assert problems[1].startswith("initializationOptions.fastmcpVersion:")
    assert ServerSettings.parse([1])[1] == ["initializationOptions must be an object, not [1]"]


@pytest.mark.parametrize(
    ("text", "python", "expected"),
    [
        ("x = 'é'\n", True, ("x = 'é'\n".encode(), 0)),
        ("\ufeffx = 1\n", True, ("\ufeffx = 1\n".encode(), 1)),
        ("# coding: latin-1\nx = 'é€'\n", True, (b"# coding: latin-1\nx = '\xe9?'\n", 0)),
        ("# coding: klingon\n", True, (b"# coding: klingon\n", 0)),
        ("\udcff", True, (b"\xed\xb3\xbf", 0)),
        ("\ufeffA=1\n", False, ("\ufeffA=1\n".encode(), 0)),
    ],
)
def test_engine_bytes(text: str, python: bool, expected: tuple[bytes, int]) -> None:
    assert engine_bytes(text, python) == expected


def test_linted_files() -> None:
    assert all(map(lints, ["server.py", "stubs.pyi", ".env", "Dockerfile", "fastmcp.json"]))
    assert not any(map(lints, ["README.md", "pyproject.toml", "notes.txt"]))


def test_server_without_pygls_is_one_clear_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pygls", None)
    monkeypatch.delitem(sys.modules, "fastmcp_kit.lsp.server", raising=False)
    result = run_cli(["server"])
    assert result.exit_code == 2
    assert result.stderr == (
        "fkit: error: `fkit server` needs pygls: pip install 'fastmcp-fkit[server]'\n"
    )
    assert result.stdout == ""
