"""Which Python runs the user's server: the project's ``.venv``, else the active
virtualenv, else the one named by ``--python``."""

from __future__ import annotations

import os
from pathlib import Path

from fastmcp_kit.errors import FkitError, shown_path


def _venv_python(venv: Path) -> Path:
    for candidate in (venv / "bin" / "python", venv / "Scripts" / "python.exe"):
        if candidate.is_file():
            return candidate
    raise FkitError(f"{shown_path(venv)} has no bin/python: is it a virtualenv?")


def choose_python(project: Path, python: Path | None) -> Path:
    """``--python`` when given; else ``PROJECT/.venv``; else ``$VIRTUAL_ENV``.

    Absolute, but symlinks kept: a virtualenv's python is a link whose target is
    outside the virtualenv."""
    if python is not None:
        python = Path(os.path.abspath(python))
        if python.is_dir():
            return _venv_python(python)
        if not python.is_file():
            raise FkitError(f"--python {python}: no such interpreter")
        return python
    own = project / ".venv"
    if (own / "pyvenv.cfg").is_file():
        return _venv_python(own)
    active = os.environ.get("VIRTUAL_ENV")
    if active:
        return _venv_python(Path(active))
    raise FkitError(
        f"no virtualenv for {shown_path(project)}: create .venv there, activate one, "
        "or name an interpreter with --python"
    )
