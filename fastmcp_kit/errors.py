"""Errors that mean "print this one line and exit 2"."""

from __future__ import annotations

from pathlib import Path


class FkitError(Exception):
    """A user-facing error: bad input, bad configuration, a missing path.

    The CLI prints ``fkit: error: <message>`` on stderr and exits with status 2,
    never a traceback.
    """


def warn(message: str) -> None:
    """One ``fkit: warning: <message>`` line on stderr: the run goes on."""
    import sys

    print(f"fkit: warning: {message}", file=sys.stderr)


def shown_path(path: Path) -> str:
    """A path as messages name it: relative to the working directory when below it."""
    import os

    absolute = Path(os.path.abspath(path))
    try:
        return absolute.relative_to(Path.cwd()).as_posix() or "."
    except ValueError:
        return str(absolute)
