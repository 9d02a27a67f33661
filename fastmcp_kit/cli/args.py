"""Checks shared by the commands' arguments: each bad one is one error line."""

from __future__ import annotations

from collections.abc import Sequence

from fastmcp_kit.errors import FkitError


def split_list(option: str, values: Sequence[str] | None) -> list[str]:
    """``--option A,B --option C`` -> [A, B, C]; an option given with nothing in it
    (``--select ""``, an unset shell variable) is an error rather than "none"."""
    items = [item.strip() for value in values or [] for item in value.split(",") if item.strip()]
    if values and not items:
        raise FkitError(f"{option} was given no value (got {', '.join(map(repr, values))})")
    return items


def check_paths(paths: Sequence[str] | None) -> list[str]:
    """The paths to work on (default: the working directory); an empty one is an
    error, not a silent ``.``."""
    for path in paths or ():
        if not path.strip():
            raise FkitError(f"{path!r} is not a path: name a file or folder")
    return list(paths or ["."])


def check_file_option(option: str, value: str | None) -> str | None:
    if value is not None and not value.strip():
        raise FkitError(f"{option} was given no value (got {value!r})")
    return value
