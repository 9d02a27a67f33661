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
from packaging.version import Version

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
    """Poetry's ``^2.14`` / ``~2.14`` / ``{version = ...}`` as a PEP 440 specifier."""
    if isinstance(value, Mapping):
        value = value.get("version")
    if not isinstance(value, str):
        return None
    value = value.strip()
    match = re.fullmatch(r"([\^~])\s*(\d+)(?:\.(\d+))?(?:\.(\d+))?", value)
    if match is None:
        return None if value == "*" else value
    op, major, minor, patch = match.groups()
    floor = ".".join(p for p in (major, minor, patch) if p is not None)
    if op == "^":
        ceiling = f"{int(major) + 1}" if int(major) > 0 else f"0.{int(minor or 0) + 1}"
    else:
        ceiling = f"{major}.{int(minor or 0) + 1}" if minor is not None else f"{int(major) + 1}"
    return f">={floor},<{ceiling}"


def _requirement_specs(lines: Iterable[str]) -> Iterator[SpecifierSet]:
    for line in lines:
        line = line.split(" #", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if canonicalize_name(requirement.name) in FASTMCP_DISTRIBUTIONS:
            yield requirement.specifier


def _pyproject_requirements(pyproject: Mapping[str, Any]) -> Iterator[str]:
    project = pyproject.get("project", {})
    yield from project.get("dependencies", [])
    for group in project.get("optional-dependencies", {}).values():
        yield from group
    for group in pyproject.get("dependency-groups", {}).values():
        yield from (item for item in group if isinstance(item, str))


def _spec_target(spec: SpecifierSet, source: str) -> Target | None:
    found = newest_matching(spec)
    return Target(found, f"{source} ({spec or 'any version'})") if found else None


def _from_dependency_specs(root: Path, pyproject: Mapping[str, Any]) -> Target | None:
    for spec in _requirement_specs(_pyproject_requirements(pyproject)):
        return _spec_target(spec, "pyproject.toml")
    poetry = pyproject.get("tool", {}).get("poetry", {})
    for section in ("dependencies", "dev-dependencies"):
        text = _poetry_spec(poetry.get(section, {}).get("fastmcp"))
        if text is not None:
            try:
                return _spec_target(SpecifierSet(text), "pyproject.toml [tool.poetry]")
            except InvalidSpecifier:
                continue
    for path in sorted(root.glob("requirements*.txt")):
        for spec in _requirement_specs(
            path.read_text(encoding="utf-8", errors="replace").splitlines()
        ):
            return _spec_target(spec, path.name)
    config = root / "fastmcp.json"
    if config.is_file():
        try:
            environment = json.loads(config.read_text(encoding="utf-8")).get("environment") or {}
        except (ValueError, AttributeError):
            environment = {}
        for spec in _requirement_specs(environment.get("dependencies") or []):
            return _spec_target(spec, "fastmcp.json")
    return None


def _from_lock(root: Path) -> Target | None:
    for name in ("uv.lock", "poetry.lock"):
        path = root / name
        if not path.is_file():
            continue
        for package in read_toml(path).get("package", []):
            if canonicalize_name(str(package.get("name", ""))) in FASTMCP_DISTRIBUTIONS:
                return Target(Version(str(package["version"])), name)
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
        try:
            return Target(parse_target(str(value)), source)
        except ValueError as exc:
            raise FkitError(f"{source}: {exc}") from None
    return (
        _from_dependency_specs(root, pyproject)
        or _from_lock(root)
        or Target(NEWEST, "no pin found; newest known release")
    )


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
    for pattern in _DEPLOYMENT_FILES:
        for path in root.glob(pattern):
            if not path.is_file() or path.stat().st_size > 1_000_000:
                continue
            text = path.read_text(encoding="utf-8", errors="replace")
            if path.name == "fastmcp.json":
                found.update(_fastmcp_json_entrypoint(text))
            found.update(f"{file}:{obj}" for file, obj in _ENTRYPOINT.findall(text))
    return frozenset(found)


def _fastmcp_json_entrypoint(text: str) -> Iterator[str]:
    try:
        source = json.loads(text).get("source") or {}
    except (ValueError, AttributeError):
        return
    path, entrypoint = source.get("path"), source.get("entrypoint")
    if isinstance(path, str) and isinstance(entrypoint, str):
        yield f"{path}:{entrypoint}"
