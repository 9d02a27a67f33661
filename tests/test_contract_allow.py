"""Allowing breaking changes: selectors, commit-message lines, pyproject entries."""

from __future__ import annotations

from pathlib import Path

import pytest

from fastmcp_kit.contract.allow import Allowance, apply, from_commit_messages, from_pyproject
from fastmcp_kit.contract.model import Change, Level
from fastmcp_kit.errors import FkitError

REMOVED = Change(
    "tool-removed", Level.BREAKING, "tool", "old_search", "tool `old_search` was removed"
)
ADDED = Change("tool-added", Level.COMPATIBLE, "tool", "search", "tool `search` was added")


@pytest.mark.parametrize(
    ("selector", "matches"),
    [
        ("tool-removed:old_search", True),
        ("tool-removed", True),
        ("tool-removed:old_*", True),
        ("tool-*", True),
        ("tool-removed:search", False),
        ("parameter-removed:old_search", False),
    ],
)
def test_selectors(selector: str, matches: bool) -> None:
    assert Allowance(selector, "pyproject.toml").matches(REMOVED) is matches


def test_commit_message_lines() -> None:
    messages = "Rename search\n\nfkit: allow-breaking tool-removed:old_search, parameter-removed\n\nother text\n"
    assert [a.selector for a in from_commit_messages(messages)] == [
        "tool-removed:old_search",
        "parameter-removed",
    ]
    # A bare line allows everything; a mention inside prose does not count.
    assert [a.selector for a in from_commit_messages("x\n  fkit: allow-breaking\n")] == ["*"]
    assert from_commit_messages("we should not use fkit: allow-breaking lightly\n") == []


def test_apply_marks_only_breaking_changes() -> None:
    marked = apply([REMOVED, ADDED], [Allowance("*", "commit message")])
    assert marked[0].allowed_by == "commit message: *"
    assert marked[1].allowed_by == ""


def test_pyproject(tmp_path: Path) -> None:
    assert from_pyproject(tmp_path) == []
    (tmp_path / "pyproject.toml").write_text(
        '[tool.fkit.contract]\nallow-breaking = ["tool-removed:a"]\n'
    )
    assert from_pyproject(tmp_path) == [Allowance("tool-removed:a", "pyproject.toml")]
    (tmp_path / "pyproject.toml").write_text("[tool.fkit.contract]\nallow-breaking = [1]\n")
    with pytest.raises(FkitError, match="allow-breaking must be a list"):
        from_pyproject(tmp_path)
    (tmp_path / "pyproject.toml").write_text("[tool.fkit.contract\n")
    with pytest.raises(FkitError, match="cannot read it"):
        from_pyproject(tmp_path)
