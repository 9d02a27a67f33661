"""Which parts of a prose document a command rewrite may touch."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastmcp_kit.upgrade.prose import is_dated, is_history, rewrite_instructions


@pytest.mark.parametrize(
    "path",
    ["CHANGELOG.md", "HISTORY.rst", "NEWS.txt", "release_notes.md", "changes/12.bugfix.md"],
)
def test_history_files(path: str) -> None:
    assert is_history(Path(path))


@pytest.mark.parametrize("path", ["README.md", "docs/history-of-mcp-guide/../usage.md"])
def test_instruction_files(path: str) -> None:
    assert not is_history(Path(path))


def test_a_date_field_at_the_top_dates_the_note() -> None:
    assert is_dated("# Research\n\n| **Date** | 2025-12-09 |\n")
    assert is_dated("# Summary\n\nDate: 2025-11-30\n")
    assert not is_dated("# Guide\n\nLast released in 2025.\n")


def test_only_instructions_are_rewritten() -> None:
    text = (
        "Use `fastmcp dev` while you work.\n"
        "$ fastmcp dev app.py\n"
        "```python\n"
        "# only for Cloud/fastmcp dev\n"
        "```\n"
    )
    done = rewrite_instructions(text, Path("README.md"), lambda line: line.replace("dev", "DEV"))
    assert done.splitlines() == [
        "Use `fastmcp dev` while you work.",
        "$ fastmcp DEV app.py",
        "```python",
        "# only for Cloud/fastmcp dev",
        "```",
    ]
