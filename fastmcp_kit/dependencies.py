"""What a project says about one distribution: the requirements it declares and the
version its lock file records.

Declared requirements come from ``pyproject.toml`` (PEP 621 dependencies and extras,
``[dependency-groups]``, Poetry tables), ``requirements*.txt`` (``-r`` includes
followed), ``setup.cfg``/``setup.py`` and ``fastmcp.json``'s environment, in that order
of precedence. What a lock records is :mod:`fastmcp_kit.locks`' business.
"""

from __future__ import annotations

import configparser
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

from fastmcp_kit.errors import FkitError, shown_path

FASTMCP = frozenset({"fastmcp", "fastmcp-slim"})
MCP = frozenset({"mcp"})


@dataclass(frozen=True)
class Declared:
    """One requirement on the distribution: its specifier and the file that states it."""

    spec: SpecifierSet
    source: str

    @property
    def exact(self) -> Version | None:
        """The version an ``==X`` / ``===X`` pin names, else None."""
        specs = list(self.spec)
        if len(specs) == 1 and specs[0].operator in ("==", "===") and "*" not in specs[0].version:
            try:
                return Version(specs[0].version)
            except InvalidVersion:
                return None
        return None


def read_toml(path: Path) -> dict[str, Any]:
    """A TOML file's content; an error naming the file when it cannot be read."""
    shown = shown_path(path)
    try:
        data = path.read_bytes()
    except IsADirectoryError:
        raise FkitError(f"{shown}: is a folder, not a TOML file") from None
    except OSError as exc:
        raise FkitError(f"{shown}: cannot read: {exc.strerror or exc}") from None
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise FkitError(
            f"{shown}: not UTF-8 text (byte {data[exc.start]:#04x} at offset {exc.start}); "
            "TOML files must be UTF-8"
        ) from None
    try:
        return tomlkit.parse(text).unwrap()
    except tomlkit.exceptions.TOMLKitError as exc:
        raise FkitError(f"{shown}: not valid TOML: {exc}") from None


# -- declared requirements --------------------------------------------------------------


def poetry_spec(value: object) -> str | None:
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


def requirement_specs(lines: Iterable[str], names: frozenset[str]) -> Iterator[SpecifierSet]:
    """Specifiers of ``names`` in PEP 508 requirement lines (pip options are dropped)."""
    for line in lines:
        line = line.split(" #", 1)[0].split(" --", 1)[0].strip()
        if not line or line.startswith(("#", "-")):
            continue
        try:
            requirement = Requirement(line)
        except InvalidRequirement:
            continue
        if canonicalize_name(requirement.name) in names:
            yield requirement.specifier


_INCLUDE = re.compile(r"^(?:-r|--requirement)(?:\s+|=)(\S+)")


def _requirements_file_lines(path: Path, seen: set[Path]) -> Iterator[str]:
    """Requirement lines of a requirements file, following ``-r`` includes."""
    path = path.resolve()
    if path in seen or not path.is_file():
        return
    seen.add(path)
    # Hash-pinned files continue requirements over lines ending in a backslash.
    text = re.sub(r"\\\r?\n", " ", path.read_text(encoding="utf-8", errors="replace"))
    for line in text.splitlines():
        include = _INCLUDE.match(line.strip())
        if include:
            yield from _requirements_file_lines(path.parent / include.group(1), seen)
        else:
            yield line


def _shape_error(value: object, expected: str, where: str, key: str) -> FkitError:
    """A value without the shape PEP 621 / PEP 735 give ``key`` (pip and uv refuse
    such a file too): an error naming the file and key."""
    from fastmcp_kit.config import type_name

    return FkitError(f"{where}: {key} must be {expected}, got {type_name(value)}")


def _table(value: object, where: str, key: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _shape_error(value, "a table", where, key)
    return value


def _strings(value: object, where: str, key: str) -> list[str]:
    if not isinstance(value, list):
        raise _shape_error(value, "a list of strings", where, key)
    for item in value:
        if not isinstance(item, str):
            raise _shape_error(item, "a list of strings", where, key)
    return value


def _pyproject_requirements(pyproject: Mapping[str, Any], where: str) -> Iterator[str]:
    project = _table(pyproject.get("project", {}), where, "[project]")
    yield from _strings(project.get("dependencies", []), where, "[project] dependencies")
    key = "[project] optional-dependencies"
    for name, group in _table(project.get("optional-dependencies", {}), where, key).items():
        yield from _strings(group, where, f"{key}.{name}")
    key = "[dependency-groups]"
    for name, group in _table(pyproject.get("dependency-groups", {}), where, key).items():
        if not isinstance(group, list):
            raise _shape_error(group, "a list", where, f"{key} {name}")
        # Items may also be {include-group = "..."} tables.
        yield from (item for item in group if isinstance(item, str))


def tool_section(pyproject: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    """``[tool.<name>]`` of another tool, or empty when it (or ``[tool]``) is not a
    table: that tool's business, not fkit's to refuse."""
    tool = pyproject.get("tool", {})
    section = tool.get(name, {}) if isinstance(tool, Mapping) else {}
    return section if isinstance(section, Mapping) else {}


def _poetry_tables(pyproject: Mapping[str, Any]) -> Iterator[Mapping[str, Any]]:
    poetry = tool_section(pyproject, "poetry")
    for section in ("dependencies", "dev-dependencies"):
        yield poetry.get(section, {})
    groups = poetry.get("group", {})
    for group in groups.values() if isinstance(groups, Mapping) else ():
        if isinstance(group, Mapping):
            yield group.get("dependencies", {})


def requirements_files(root: Path) -> list[Path]:
    # requirements.txt first: requirements-dev.txt should not decide the runtime version.
    files = sorted(root.glob("requirements*.txt")) + sorted(root.glob("requirements/*.txt"))
    return sorted(files, key=lambda path: path.name != "requirements.txt")


def _fastmcp_json_dependencies(root: Path) -> list[str]:
    try:
        data = json.loads((root / "fastmcp.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return []
    environment = data.get("environment") if isinstance(data, dict) else None
    dependencies = environment.get("dependencies") if isinstance(environment, dict) else None
    return [d for d in dependencies if isinstance(d, str)] if isinstance(dependencies, list) else []


def _setup_cfg_requirements(root: Path) -> list[str]:
    path = root / "setup.cfg"
    if not path.is_file():
        return []
    parser = configparser.ConfigParser()
    try:
        parser.read(path, encoding="utf-8")
        value = parser.get("options", "install_requires", fallback="")
    except (configparser.Error, UnicodeDecodeError):
        return []
    return value.splitlines()


# A requirement string literal in setup.py: not executed, only read.
_SETUP_PY_REQUIREMENT = re.compile(
    r"""["']([A-Za-z0-9_.\-]+\s*(?:\[[^\]]*\])?\s*[<>=!~][^"']*|[A-Za-z0-9_.\-]+)["']"""
)


def _setup_py_requirements(root: Path, names: frozenset[str]) -> list[str]:
    path = root / "setup.py"
    if not path.is_file():
        return []
    text = path.read_text(encoding="utf-8", errors="replace")
    if "install_requires" not in text:
        return []
    found = []
    for literal in _SETUP_PY_REQUIREMENT.findall(text):
        name = re.split(r"[\s\[<>=!~;]", literal, maxsplit=1)[0]
        if canonicalize_name(name) in names:
            found.append(literal)
    return found


def declared(root: Path, pyproject: Mapping[str, Any], names: frozenset[str]) -> list[Declared]:
    """Every requirement on ``names`` the project declares, in precedence order."""
    found = [
        Declared(spec, "pyproject.toml")
        for spec in requirement_specs(
            _pyproject_requirements(pyproject, shown_path(root / "pyproject.toml")), names
        )
    ]
    for table in _poetry_tables(pyproject):
        for key, value in table.items() if isinstance(table, Mapping) else ():
            if canonicalize_name(str(key)) not in names:
                continue
            text = poetry_spec(value)
            try:
                if text is not None:
                    found.append(Declared(SpecifierSet(text), "pyproject.toml [tool.poetry]"))
            except InvalidSpecifier:
                continue
    for path in requirements_files(root):
        name = path.relative_to(root).as_posix()
        included = _requirements_file_lines(path, set())
        found += [Declared(spec, name) for spec in requirement_specs(included, names)]
    for source, lines in (
        ("setup.cfg", _setup_cfg_requirements(root)),
        ("setup.py", _setup_py_requirements(root, names)),
        ("fastmcp.json", _fastmcp_json_dependencies(root)),
    ):
        found += [Declared(spec, source) for spec in requirement_specs(lines, names)]
    return found


def declares_anything(root: Path, pyproject: Mapping[str, Any]) -> bool:
    """Whether the project has a dependency list at all (any file, any package)."""
    project = pyproject.get("project", {})
    return bool(
        (isinstance(project, Mapping) and project.get("dependencies"))
        or tool_section(pyproject, "poetry").get("dependencies")
        or requirements_files(root)
        or (root / "setup.py").is_file()
        or (root / "setup.cfg").is_file()
    )
