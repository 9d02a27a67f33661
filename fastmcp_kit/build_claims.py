"""Folders a project builds into its own distribution.

A monorepo often keeps each shared package in a folder with a ``pyproject.toml`` of its
own, then ships them all from one parent project (``[tool.setuptools.packages.find]
where = ["packages/mcp_auth", ...]``, Hatch ``packages``/``sources``/``force-include``,
Poetry ``packages = [{include, from}]``). The code in those folders runs wherever the
parent is installed, so it belongs to the parent project, not to the vestigial
``pyproject.toml`` (and stale lock) beside it.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any


def _strings(value: object) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, list):
        yield from (item for item in value if isinstance(item, str))
    elif isinstance(value, Mapping):
        yield from (key for key in value if isinstance(key, str))


def _table(value: object, *keys: str) -> Mapping[str, Any]:
    for key in keys:
        value = value.get(key, {}) if isinstance(value, Mapping) else {}
    return value if isinstance(value, Mapping) else {}


def _build_paths(pyproject: Mapping[str, Any]) -> Iterator[str]:
    setuptools = _table(pyproject, "tool", "setuptools")
    yield from _strings(_table(setuptools, "packages", "find").get("where"))
    package_dir = setuptools.get("package-dir")
    if isinstance(package_dir, Mapping):
        yield from (v for k, v in package_dir.items() if k and isinstance(v, str))
    wheel = _table(pyproject, "tool", "hatch", "build", "targets", "wheel")
    for key in ("packages", "sources", "force-include", "only-include"):
        yield from _strings(wheel.get(key))
    for entry in _table(pyproject, "tool", "poetry").get("packages", []) or []:
        if isinstance(entry, Mapping) and isinstance(entry.get("include"), str):
            yield f"{entry.get('from', '.')}/{entry['include']}"


def claims(pyproject: Mapping[str, Any], base: Path, folder: Path) -> bool:
    """Whether the project at ``base`` builds code that lives in or below ``folder``
    (``folder`` itself being below ``base``)."""
    for written in _build_paths(pyproject):
        if written in ("", "."):
            continue  # the project's own root claims nothing below it in particular
        path = (base / written).resolve()
        if path == folder or folder in path.parents:
            return True
    return False
