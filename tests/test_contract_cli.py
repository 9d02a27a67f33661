"""``fkit contract dump`` and ``fkit contract check`` end to end: real servers loaded
by real FastMCP (this test run's own, from the test extra) in a subprocess, bases
taken from contract files and from git revisions."""

from __future__ import annotations

import contextlib
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from fastmcp_kit.cli import main

PYTHON = ["--python", sys.executable]


def fkit(*args: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def git(project: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.email=t@example.com", "-c", "user.name=t", *args],
        cwd=project,
        capture_output=True,
        text=True,
        check=True,
    )
    return done.stdout


def worktrees(project: Path) -> list[str]:
    return [line for line in git(project, "worktree", "list").splitlines() if line.strip()]


# -- the storage template: a parameter renamed, another made required -----------------


@pytest.fixture
def storage(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    project = tmp_path / "notes"
    assert fkit("new", str(project), "--defaults", "--template", "storage")[0] == 0
    git(project, "init", "--quiet")
    git(project, "add", "-A")
    git(project, "commit", "--quiet", "-m", "initial")
    # What `pip install -e .` gives the project's own venv: its package importable.
    monkeypatch.setenv("PYTHONPATH", str(project / "src"))
    monkeypatch.setenv("DATA_DIR", str(tmp_path / "data"))
    monkeypatch.chdir(project)
    return project


def _edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


def test_template_rename_and_required_break_the_contract(storage: Path) -> None:
    server = storage / "src" / "notes" / "server.py"
    _edit(
        server,
        "async def add_note(session_id: SessionId, text: str)",
        "async def add_note(session_id: SessionId, note: str)",
    )
    _edit(
        server, '[*await session.get("notes", []), text]', '[*await session.get("notes", []), note]'
    )
    _edit(
        server,
        "def word_frequencies(text: str, top: int = 5)",
        "def word_frequencies(text: str, top: int)",
    )

    code, out, err = fkit("contract", "check", "HEAD", *PYTHON)
    assert code == 1, out + err
    assert "parameter-removed" in out and "tool `add_note`: parameter `text` removed" in out
    assert "looks renamed to `note`" in out
    assert "tool `add_note`: required parameter `note` added" in out
    assert (
        "parameter-made-required" in out
        and "tool `word_frequencies`: parameter `top` is now required" in out
    )
    # The base's worktree is gone again.
    assert len(worktrees(storage)) == 1


def test_template_optional_parameter_is_compatible(storage: Path) -> None:
    server = storage / "src" / "notes" / "server.py"
    _edit(
        server,
        "def word_frequencies(text: str, top: int = 5)",
        "def word_frequencies(text: str, top: int = 5, min_length: int = 1)",
    )

    code, out, err = fkit("contract", "check", "HEAD", *PYTHON)
    assert code == 0, out + err
    assert "compatible optional-parameter-added" in out
    assert "tool `word_frequencies`: optional parameter `min_length` added" in out
    assert "0 breaking, 1 compatible" in out
    assert len(worktrees(storage)) == 1
