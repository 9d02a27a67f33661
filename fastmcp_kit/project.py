"""The project around the linted files: its root, its ``[tool.fkit]`` table, the
FastMCP version it targets and the entrypoints its deployment files name.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.version import Version

from fastmcp_kit.config import fkit_table
from fastmcp_kit.dependencies import FASTMCP as FASTMCP_DISTRIBUTIONS
from fastmcp_kit.dependencies import read_toml
from fastmcp_kit.errors import shown_path
from fastmcp_kit.regular_files import read_regular_file
from fastmcp_kit.targets import (
    NOT_DECLARED,
    Target,
    explicit_version,
    read_facts,
    resolve_versions,
)
from fastmcp_kit.versions import NEWEST

__all__ = [
    "FASTMCP_DISTRIBUTIONS",
    "Target",
    "detect_target",
    "find_entrypoints",
    "find_local_modules",
    "find_root",
    "python_below_admitted",
    "read_pyproject",
    "read_toml",
    "requires_python",
]


def find_root(start: Path) -> Path:
    """The nearest directory at or above ``start`` holding a pyproject.toml.

    Without one, the directory of ``start`` itself is the root.
    """
    start = start.resolve()
    base = start if start.is_dir() else start.parent
    for candidate in (base, *base.parents):
        if (candidate / "pyproject.toml").is_file():
            return candidate
    return base


def read_pyproject(root: Path) -> dict[str, Any]:
    path = root / "pyproject.toml"
    return read_toml(path) if path.is_file() else {}


def requires_python(pyproject: Mapping[str, Any]) -> str | None:
    """``[project] requires-python`` as written, None when absent or not a string."""
    project = pyproject.get("project")
    value = project.get("requires-python") if isinstance(project, Mapping) else None
    return value.strip() if isinstance(value, str) and value.strip() else None


# Interpreters a ``requires-python`` is tested against: every 3.x patch a project can run.
_PYTHONS = [Version(f"3.{minor}.{patch}") for minor in range(8, 20) for patch in range(0, 30)]


def python_below_admitted(spec: str | None, release: tuple[int, int]) -> bool:
    """Whether ``requires-python`` admits some Python older than ``release`` (3, 12);
    False when it is unknown or unreadable: no rule guesses the interpreter."""
    if spec is None:
        return False
    try:
        specifiers = SpecifierSet(spec)
    except InvalidSpecifier:
        return False
    floor = Version(".".join(map(str, release)))
    return any(python < floor and specifiers.contains(python) for python in _PYTHONS)


# -- target version ---------------------------------------------------------------


def detect_target(root: Path, pyproject: Mapping[str, Any], override: str | None) -> Target:
    """The FastMCP version one project runs (``fkit upgrade`` upgrades from it).

    Order: ``--fastmcp-version``, ``[tool.fkit] fastmcp-version``, then what runs
    (:mod:`fastmcp_kit.targets`: the lock, an exact pin, the newest release the range
    admits); the newest known release when the project declares no FastMCP.
    """
    configured = fkit_table(pyproject, shown_path(root / "pyproject.toml")).get("fastmcp-version")
    for value, source in (
        (override, "--fastmcp-version"),
        (configured, "[tool.fkit] fastmcp-version"),
    ):
        if value is not None:
            return explicit_version(value, source)
    versions = resolve_versions(read_facts(root, pyproject, boundary=None))
    return versions.fastmcp or Target(NEWEST, NOT_DECLARED)


# -- entrypoints named outside Python ----------------------------------------------

_ENTRYPOINT = re.compile(r"([\w./-]+\.py):([A-Za-z_]\w*)")
_DEPLOYMENT_FILES = (
    "Dockerfile*",
    "Procfile",
    "Makefile",
    "README*",
    "*.md",
    "*.sh",
    "*.toml",
    "*.yaml",
    "*.yml",
    "*.json",
    "*.cfg",
)


def find_entrypoints(root: Path) -> frozenset[str]:
    """``path.py:object`` references in the project's deployment and docs files.

    The FastMCP CLI finds a server by name (mcp, server, app) unless told
    ``file.py:object``; a module named that way elsewhere is not missing a server.
    """
    found: set[str] = set()
    # The root and one level below it (deploy/, docker/, scripts/, .github/...).
    folders = [root, *(p for p in root.iterdir() if p.is_dir() and not _is_bulky(p))]
    for folder, pattern in ((f, p) for f in folders for p in _DEPLOYMENT_FILES):
        for path in folder.glob(pattern):
            try:
                if not path.is_file() or path.stat().st_size > 1_000_000:
                    continue
                text = read_regular_file(path).decode("utf-8", errors="replace")
            except OSError:
                continue  # unreadable: lint reports the files it was asked to read
            if path.name == "fastmcp.json":
                found.update(_fastmcp_json_entrypoint(text))
            found.update(f"{file}:{obj}" for file, obj in _ENTRYPOINT.findall(text))
    return frozenset(found)


def _is_bulky(folder: Path) -> bool:
    """Folders that hold no deployment files of the project's own: hidden folders
    (caches, .git, .venv; fkit's own cache holds finding messages naming `file.py:obj`)
    except .github, virtualenvs and dependency folders."""
    hidden = folder.name.startswith(".") and folder.name != ".github"
    return (
        hidden
        or folder.name in {"node_modules", "__pycache__", "venv"}
        # os.path: False, not PermissionError, inside a folder fkit may not read.
        or os.path.isfile(folder / "pyvenv.cfg")
    )


def _fastmcp_json_entrypoint(text: str) -> Iterator[str]:
    try:
        data = json.loads(text)
    except ValueError:
        return
    source = data.get("source") if isinstance(data, dict) else None
    if not isinstance(source, dict):
        return
    path, entrypoint = source.get("path"), source.get("entrypoint")
    if isinstance(path, str) and isinstance(entrypoint, str):
        yield f"{path}:{entrypoint}"


def find_local_modules(root: Path) -> frozenset[str]:
    """Top-level names importable from the project: ``pkg/`` packages and ``mod.py``
    modules in the root and in ``src/``."""
    found: set[str] = set()
    for folder in (root, root / "src"):
        if not folder.is_dir():
            continue
        for entry in folder.iterdir():
            if entry.is_dir() and os.path.isfile(entry / "__init__.py"):
                found.add(entry.name)
            elif entry.suffix == ".py" and entry.stem.isidentifier():
                found.add(entry.stem)
    return frozenset(found)
