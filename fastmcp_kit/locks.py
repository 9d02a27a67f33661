"""The version a lock file records for one distribution, and which lock governs a project.

A project's own lock (``uv.lock``, ``poetry.lock``, ``pdm.lock``, ``pylock.toml``) wins.
A project without one runs in the environment of the project above it that installs it:
a uv workspace root, or a project whose lock lists this folder as a path dependency
(``source = { directory = ... }`` / ``{ editable = ... }`` in ``uv.lock``, a
``directory`` source in ``poetry.lock``). A vendored package with a loose range
(``fastmcp>=0.2``) is not linted for the newest release when the server that installs
it locks 3.3.1.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

from packaging.specifiers import SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from fastmcp_kit.dependencies import read_toml, tool_section
from fastmcp_kit.errors import FkitError

# The C-speed reader for lock files (they run to megabytes); tomlkit is kept for the
# files fkit edits, where it preserves formatting.
if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

LOCK_FILES = ("uv.lock", "poetry.lock", "pdm.lock", "pylock.toml")


@dataclass(frozen=True)
class Locked:
    version: Version
    source: str  # the lock file's path relative to the project root


@dataclass(frozen=True)
class _LockFile:
    path: Path
    note: str  # why a lock above the project governs it ("" for its own)


def read_lock(path: Path) -> dict[str, Any]:
    stat = path.stat()
    return _read_lock_cached(path, stat.st_mtime_ns, stat.st_size)


@lru_cache(maxsize=64)
def _read_lock_cached(path: Path, _mtime: int, _size: int) -> dict[str, Any]:
    try:
        with path.open("rb") as handle:
            data: dict[str, Any] = tomllib.load(handle)
    except OSError as exc:
        raise FkitError(f"cannot read {path}: {exc}") from None
    except tomllib.TOMLDecodeError as exc:
        raise FkitError(f"{path} is not valid TOML: {exc}") from None
    return data


def _packages(data: Mapping[str, Any]) -> list[Mapping[str, Any]]:
    packages = data.get("package", data.get("packages", []))
    return [p for p in packages if isinstance(p, Mapping)] if isinstance(packages, list) else []


def _local_sources(package: Mapping[str, Any]) -> Iterator[str]:
    """The folders a locked package is installed from, as the lock writes them."""
    source = package.get("source")
    if not isinstance(source, Mapping):
        return
    for key in ("directory", "editable", "path"):  # uv
        if isinstance(source.get(key), str):
            yield source[key]
    if source.get("type") == "directory" and isinstance(source.get("url"), str):  # poetry
        yield source["url"]


def installs(lock: Path, folder: Path) -> bool:
    """Whether ``lock`` installs the project in ``folder`` from its source tree."""
    base = lock.parent.resolve()
    return any(
        (base / where).resolve() == folder
        for package in _packages(read_lock(lock))
        for where in _local_sources(package)
    )


def _is_uv_workspace_root(folder: Path) -> bool:
    pyproject = folder / "pyproject.toml"
    if not pyproject.is_file():
        return False
    return tool_section(read_toml(pyproject), "uv").get("workspace") is not None


def lock_files(root: Path, boundary: Path | None) -> list[_LockFile]:
    """The project's own lock files; else the nearest lock above it, no higher than
    ``boundary`` (the repository root), that installs it (workspace or path dependency)."""
    own = [root / name for name in LOCK_FILES if (root / name).is_file()]
    own += sorted(root.glob("pylock.*.toml"))
    if own:
        return [_LockFile(path, "") for path in own]
    folder = root.resolve()
    for parent in folder.parents:
        if boundary is not None and parent != boundary and boundary not in parent.parents:
            break
        uv_lock = parent / "uv.lock"
        if uv_lock.is_file() and _is_uv_workspace_root(parent):
            return [_LockFile(uv_lock, "workspace")]
        for name in ("uv.lock", "poetry.lock"):
            lock = parent / name
            if lock.is_file() and installs(lock, folder):
                return [_LockFile(lock, "installs this project")]
        if parent == boundary:
            break
    return []


def locked(
    root: Path, names: frozenset[str], boundary: Path | None, admitted: SpecifierSet | None = None
) -> Locked | None:
    """The version of ``names`` a lock file records (the newest the declared range
    admits when a lock holds several)."""
    for lock in lock_files(root, boundary):
        version = version_in_lock(lock.path, names, admitted)
        if version is not None:
            shown = Path(os.path.relpath(lock.path, root)).as_posix()
            if lock.note:
                shown += f" ({lock.note})"
            return Locked(version, shown)
    return None


def version_in_lock(
    lock: Path, names: frozenset[str], admitted: SpecifierSet | None = None
) -> Version | None:
    """The version of ``names`` one lock file records."""
    versions = []
    for package in _packages(read_lock(lock)):
        if canonicalize_name(str(package.get("name", ""))) not in names:
            continue
        try:
            versions.append(Version(str(package["version"])))
        except (KeyError, InvalidVersion):
            continue  # an editable checkout without a static version
    if admitted is not None and len(versions) > 1:
        versions = [v for v in versions if admitted.contains(v, prereleases=True)] or versions
    return max(versions) if versions else None
