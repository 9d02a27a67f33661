"""Private attributes of ``FastMCP`` in the dumped releases (``data/private-members.json``,
written by ``scripts/dump_private_members.py``): the API surface dumps hold public names
only, and code reaching into a server's internals breaks when a release drops them."""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from fastmcp_kit.apisurface.members import History

__all__ = ["private_history", "private_names", "private_releases", "private_type"]


@cache
def _raw() -> dict[str, Any]:
    path = resources.files(__package__).joinpath("data").joinpath("private-members.json")
    try:
        loaded: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return {}
    return loaded


@cache
def _data() -> dict[str, dict[str, frozenset[str]]]:
    return {
        release: {cls: frozenset(names) for cls, names in classes.items()}
        for release, classes in _raw().get("releases", {}).items()
    }


def private_releases() -> tuple[str, ...]:
    """The releases with recorded private names."""
    return tuple(_data())


def private_history(releases: tuple[str, ...], qualified_class: str, name: str) -> History:
    """Whether each of ``releases`` has the private attribute: None where the release
    or the class was not recorded."""
    found: list[tuple[str, bool | None]] = []
    for release in releases:
        names = _data().get(release, {}).get(qualified_class)
        found.append((release, None if names is None else name in names))
    return History(tuple(found))


def private_names(release: str, qualified_class: str) -> frozenset[str]:
    """The private attributes recorded for the class in the release (empty: unknown)."""
    return _data().get(release, {}).get(qualified_class, frozenset())


def private_type(releases: tuple[str, ...], qualified_class: str, name: str) -> str | None:
    """The class of the private instance attribute (``_tool_manager``: the 2.x
    ``ToolManager``) when every one of ``releases`` recorded the same one; else None."""
    found = {
        _raw().get("types", {}).get(release, {}).get(qualified_class, {}).get(name)
        for release in releases
    }
    if len(found) != 1:
        return None
    (path,) = found
    return path if isinstance(path, str) else None
