"""The project around the linted files: its root, its ``[tool.fkit]`` table, the
FastMCP version it targets and the entrypoints its deployment files name.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import tomlkit
import tomlkit.exceptions
from packaging.requirements import InvalidRequirement, Requirement
from packaging.specifiers import InvalidSpecifier, SpecifierSet
from packaging.utils import canonicalize_name
from packaging.version import InvalidVersion, Version

from fastmcp_kit.errors import FkitError
from fastmcp_kit.versions import NEWEST, newest_matching, parse_target

FASTMCP_DISTRIBUTIONS = frozenset({"fastmcp", "fastmcp-slim"})


@dataclass(frozen=True)
class Target:
    """The FastMCP version to lint for, and where that came from (shown to users)."""

    version: Version
    source: str


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


def read_toml(path: Path) -> dict[str, Any]:
    try:
        return tomlkit.parse(path.read_text(encoding="utf-8")).unwrap()
    except (OSError, UnicodeDecodeError) as exc:
        raise FkitError(f"cannot read {path}: {exc}") from None
    except tomlkit.exceptions.ParseError as exc:
        raise FkitError(f"{path} is not valid TOML: {exc}") from None


def read_pyproject(root: Path) -> dict[str, Any]:
    path = root / "pyproject.toml"
    return read_toml(path) if path.is_file() else {}


# -- target version ---------------------------------------------------------------


def _poetry_spec(value: object) -> str | None:
    """Poetry's ``^2.14`` / ``~2.14`` / ``2.14.2`` / ``{version = ...}`` as PEP 440."""
    if isinstance(value, Mapping):
        value = value.get("version")
    if not isinstance(value, str):
        return None
    value = value.strip()
    if value in ("", "*"):
        return ""
    if re.fullmatch(r"\d+(\.\d+)*(\.\*)?", value):  # a bare version is an exact pin
        return f"=={value}"
    match = re.fullmatch(r"([\^~])\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?", value)
    if match is None:
        return value
    op, major, minor, patch = match.groups()
    floor = ".".join(p for p in (major, minor, patch) if p is not None)
    if op == "^":
        ceiling = f"{int(major) + 1}" if int(major) > 0 else f"0.{int(minor or 0) + 1}"
    else:
        ceiling = f"{major}.{int(minor or 0) + 1}" if minor is not None else f"{int(major) + 1}"
    return f">={floor},<{ceiling}"


def _requirement_specs(lines: Iterable[str]) -> Iterator[SpecifierSet]:
    """fastmcp specifiers in PEP 508 requirement lines (pip options are dropped)."""
    for line in lines:
        line = line.split(" #", 1)[0].split(" --", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if canonicalize_name(requirement.name) in FASTMCP_DISTRIBUTIONS:
            yield requirement.specifier


_INCLUDE = re.compile(r"^(?:-r|--requirement)(?:\s+|=)(\S+)")


def _requirements_file_specs(path: Path, seen: set[Path]) -> Iterator[SpecifierSet]:
    """Specifiers in a requirements file, following ``-r`` includes."""
    path = path.resolve()
    if path in seen or not path.is_file():
        return
    seen.add(path)
    # Hash-pinned files continue requirements over lines ending in a backslash.
    text = re.sub(r"\\\r?\n", " ", path.read_text(encoding="utf-8", errors="replace"))
    for line in text.splitlines():
        include = _INCLUDE.match(line.strip())
        if include:
            yield from _requirements_file_specs(path.parent / include.group(1), seen)
        else:
            yield from _requirement_specs([line])


def _pyproject_requirements(pyproject: Mapping[str, Any]) -> Iterator[str]:
    project = pyproject.get("project", {})
    yield from project.get("dependencies", [])
    for group in project.get("optional-dependencies", {}).values():
        yield from group
    for group in pyproject.get("dependency-groups", {}).values():
        yield from (item for item in group if isinstance(item, str))


def _fastmcp_json_dependencies(root: Path) -> list[str]:
    try:
        data = json.loads((root / "fastmcp.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    environment = data.get("environment") if isinstance(data, dict) else None
    dependencies = environment.get("dependencies") if isinstance(environment, dict) else None
    return [d for d in dependencies if isinstance(d, str)] if isinstance(dependencies, list) else []


def _requirements_files(root: Path) -> list[Path]:
    # requirements.txt first: requirements-dev.txt should not decide the runtime version.
    files = sorted(root.glob("requirements*.txt"))
    return sorted(files, key=lambda path: path.name != "requirements.txt")


def _dependency_specs(
    root: Path, pyproject: Mapping[str, Any]
) -> Iterator[tuple[SpecifierSet, str]]:
    """Every fastmcp specifier the project declares, with where, in precedence order."""
    for spec in _requirement_specs(_pyproject_requirements(pyproject)):
        yield spec, "pyproject.toml"
    poetry = pyproject.get("tool", {}).get("poetry", {})
    for section in ("dependencies", "dev-dependencies"):
        text = _poetry_spec(poetry.get(section, {}).get("fastmcp"))
        if text is not None:
            try:
                yield SpecifierSet(text), "pyproject.toml [tool.poetry]"
            except InvalidSpecifier:
                continue
    for path in _requirements_files(root):
        for spec in _requirements_file_specs(path, set()):
            yield spec, path.name
    for spec in _requirement_specs(_fastmcp_json_dependencies(root)):
        yield spec, "fastmcp.json"


def _from_lock(root: Path) -> Target | None:
    for name in ("uv.lock", "poetry.lock"):
        path = root / name
        if not path.is_file():
            continue
        for package in read_toml(path).get("package", []):
            if canonicalize_name(str(package.get("name", ""))) not in FASTMCP_DISTRIBUTIONS:
                continue
            try:
                return Target(Version(str(package["version"])), name)
            except (KeyError, InvalidVersion):
                continue  # an editable checkout without a static version
    return None


def detect_target(root: Path, pyproject: Mapping[str, Any], override: str | None) -> Target:
    """Pick the FastMCP version to lint for.

    Order: ``--fastmcp-version``, ``[tool.fkit] fastmcp-version``, the project's
    dependency specs (pyproject, requirements*.txt, fastmcp.json), then uv.lock or
    poetry.lock; a range resolves to the newest known release inside it. Without any,
    the newest known release (what a fresh ``pip install fastmcp`` gives).
    """
    configured = pyproject.get("tool", {}).get("fkit", {}).get("fastmcp-version")
    for value, source in (
        (override, "--fastmcp-version"),
        (configured, "[tool.fkit] fastmcp-version"),
    ):
        if value is None:
            continue
        if not isinstance(value, str):
            raise FkitError(f'{source} must be a string such as "4.1", not {value!r}')
        try:
            return Target(parse_target(value), source)
        except ValueError as exc:
            raise FkitError(f"{source}: {exc}") from None
    unpinned: str | None = None
    for spec, source in _dependency_specs(root, pyproject):
        if not spec:
            unpinned = unpinned or source
            continue
        found = newest_matching(spec)
        if found is not None:
            return Target(found, f"{source} ({spec})")
    # An unpinned `fastmcp` says nothing a lock file could not say better.
    fallback = f"{unpinned} (any version)" if unpinned else "no pin found; newest known release"
    return _from_lock(root) or Target(NEWEST, fallback)


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
            if not path.is_file() or path.stat().st_size > 1_000_000:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
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
        or (folder / "pyvenv.cfg").is_file()
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
            if entry.is_dir() and (entry / "__init__.py").is_file():
                found.add(entry.name)
            elif entry.suffix == ".py" and entry.stem.isidentifier():
                found.add(entry.stem)
    return frozenset(found)
