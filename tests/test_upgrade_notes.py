"""Project notes: the lock file note only when the lock pins fastmcp."""

from __future__ import annotations

from pathlib import Path

from packaging.version import Version

from fastmcp_kit.upgrade.notes import project_notes
from fastmcp_kit.upgrade.pins import Needs
from fastmcp_kit.upgrade.steps import plan


def _lock_notes(root: Path) -> list[str]:
    steps = plan(Version("3.4.7"), "4", "test")
    notes = project_notes(root, steps, Needs(), Version("3.4.7"))
    return [message for _, message, _ in notes if "lock" in message]


def test_a_lock_that_pins_fastmcp_is_named(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").write_text('[[package]]\nname = "fastmcp"\nversion = "3.4.7"\n')
    assert _lock_notes(tmp_path) == [
        "uv.lock still pins the old fastmcp: run `uv lock` after the upgrade"
    ]


def test_an_mcp_sdk_projects_lock_is_not(tmp_path: Path) -> None:
    (tmp_path / "uv.lock").write_text('[[package]]\nname = "mcp"\nversion = "1.22.0"\n')
    assert _lock_notes(tmp_path) == []
