"""``git init`` for a new project, so that ``pre-commit install`` works from the start.

A project created inside an existing work tree belongs to that repository (a monorepo,
an examples folder) and gets no repository of its own; nor does one made with
``--no-git``. A missing or failing git never fails ``fkit new``: the project is there,
only the repository is not, and the caller says so.
"""

from __future__ import annotations

import shutil
import subprocess
from enum import Enum
from pathlib import Path


class GitState(Enum):
    """What ``fkit new`` did about git, for the summary it prints."""

    INITIALISED = "initialised"
    INSIDE_REPOSITORY = "inside a git repository"
    SKIPPED = "skipped (--no-git)"
    UNAVAILABLE = "git not found"
    FAILED = "git init failed"


def _git(*args: str, cwd: Path) -> subprocess.CompletedProcess[str] | None:
    """Run git quietly; None when git is not installed."""
    git = shutil.which("git")
    if git is None:
        return None
    try:
        return subprocess.run(
            [git, *args], cwd=cwd, capture_output=True, text=True, timeout=60, check=False
        )
    except (OSError, subprocess.TimeoutExpired):
        return None


def inside_work_tree(path: Path) -> bool:
    """Whether ``path`` (or, if it does not exist yet, its nearest existing parent)
    is inside a git work tree."""
    existing = next((p for p in (path, *path.parents) if p.is_dir()), None)
    if existing is None:
        return False
    result = _git("rev-parse", "--is-inside-work-tree", cwd=existing)
    return result is not None and result.returncode == 0 and result.stdout.strip() == "true"


def planned_state(dest: Path, *, wanted: bool) -> GitState:
    """What :func:`init_repository` will do for a project about to be made at ``dest``."""
    if not wanted:
        return GitState.SKIPPED
    if shutil.which("git") is None:
        return GitState.UNAVAILABLE
    return GitState.INSIDE_REPOSITORY if inside_work_tree(dest.parent) else GitState.INITIALISED


def init_repository(folder: Path) -> GitState:
    """``git init`` in ``folder``; INITIALISED, or why not."""
    # A plain init records no absolute path, so the folder can still be moved after.
    result = _git("init", "--quiet", cwd=folder)
    if result is None:
        return GitState.UNAVAILABLE
    return GitState.INITIALISED if result.returncode == 0 else GitState.FAILED
