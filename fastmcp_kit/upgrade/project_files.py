"""Edits of ``pyproject.toml`` (tomlkit) and ``fastmcp.json`` for the pins and for the
dependencies ``FastMCP(dependencies=[...])`` declared in code."""

from __future__ import annotations

import json
import re
from collections.abc import MutableMapping, Sequence
from typing import Any

import tomlkit
import tomlkit.exceptions
from packaging.requirements import Requirement
from packaging.version import InvalidVersion, Version
from tomlkit.items import Array, InlineTable, Table

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import StepName
from fastmcp_kit.upgrade.pins import (
    KEY_VALUE,
    Needs,
    declares,
    is_fastmcp,
    key_value_requirement,
    newest_in_line,
    rewrite_requirement,
)

# Poetry's caret form of the ranges in pins.RANGES.
_POETRY: dict[StepName, str] = {"2.14": "^2.14.3", "3": "^3.2.4", "4": "^4.0"}


def upgrade_pyproject(
    text: str, step: StepName, needs: Needs, notes: list[tuple[Severity, str]]
) -> tuple[str, int]:
    """The pyproject.toml text after the upgrade and the number of changed entries."""
    try:
        document = tomlkit.parse(text)
    except tomlkit.exceptions.ParseError:
        return text, 0
    changed = 0
    for array in _dependency_arrays(document):
        changed += _upgrade_array(array, step, needs, notes)
    tool = document.get("tool")
    section = tool.get("poetry") if isinstance(tool, MutableMapping) else None
    poetry = section.get("dependencies") if isinstance(section, MutableMapping) else None
    if isinstance(poetry, MutableMapping) and "fastmcp" in poetry:
        changed += _upgrade_poetry(poetry, step, needs)
    target = newest_in_line(step)
    for requirement in _fastmcp_requirements(document):
        if not requirement.specifier.contains(target, prereleases=True):
            notes.append(
                (
                    Severity.ERROR,
                    f"`{requirement}` in pyproject.toml still excludes FastMCP {target} and "
                    "fkit could not edit it here: change it by hand",
                )
            )
    notes.extend(_source_overrides(tool, target))
    return (tomlkit.dumps(document), changed) if changed else (text, 0)


def _source_overrides(tool: Any, target: Any) -> list[tuple[Severity, str]]:
    """A ``[tool.uv.sources]`` entry for fastmcp (a git tag, a path, a URL) decides what
    uv installs whatever the version pins say: the upgrade would not take effect."""
    uv = tool.get("uv") if isinstance(tool, MutableMapping) else None
    sources = uv.get("sources") if isinstance(uv, MutableMapping) else None
    if not isinstance(sources, MutableMapping):
        return []
    notes: list[tuple[Severity, str]] = []
    for name, source in sources.items():
        if not is_fastmcp(str(name)) or not isinstance(source, MutableMapping):
            continue
        where = next(
            (f"{key} = {source[key]!r}" for key in ("git", "path", "url") if key in source), None
        )
        if where is None:  # an index or workspace source: the pins still choose the version
            continue
        if _tag_in_line(source.get("tag"), target):
            continue
        pinned = next(
            (f" ({key} {source[key]!r})" for key in ("tag", "rev", "branch") if key in source), ""
        )
        notes.append(
            (
                Severity.ERROR,
                f"`[tool.uv.sources] {name}` installs fastmcp from {where}{pinned} whatever "
                f"the pins say: point it at FastMCP {target} or remove it, or the upgrade does "
                "not take effect",
            )
        )
    return notes


def _fastmcp_requirements(value: Any) -> list[Requirement]:
    """Every PEP 508 string naming fastmcp anywhere in the document, wherever a layout
    fkit does not know put it: what it left unedited is an error, never silence."""
    if isinstance(value, str):
        return [Requirement(value)] if is_fastmcp(value) else []
    if isinstance(value, MutableMapping):
        return [r for item in value.values() for r in _fastmcp_requirements(item)]
    if isinstance(value, list):
        return [r for item in value for r in _fastmcp_requirements(item)]
    return []


def _dependency_arrays(document: Any) -> list[Array]:
    # Mappings, not tomlkit Tables: a `[project]` split by another table (`[project.scripts]`
    # after `[build-system]`) comes back as tomlkit's OutOfOrderTableProxy.
    arrays: list[Array] = []
    project = document.get("project")
    if isinstance(project, MutableMapping):
        if isinstance(project.get("dependencies"), Array):
            arrays.append(project["dependencies"])
        optional = project.get("optional-dependencies")
        if isinstance(optional, MutableMapping):
            arrays.extend(v for v in optional.values() if isinstance(v, Array))
    groups = document.get("dependency-groups")
    if isinstance(groups, MutableMapping):
        arrays.extend(v for v in groups.values() if isinstance(v, Array))
    return arrays


def _upgrade_array(
    array: Array, step: StepName, needs: Needs, notes: list[tuple[Severity, str]]
) -> int:
    changed = 0
    strings = [str(item) for item in array if isinstance(item, str)]
    fastmcp_index: int | None = None
    for index, item in enumerate(list(array)):
        if not isinstance(item, str):
            continue
        text = str(item)
        if is_fastmcp(text):
            fastmcp_index = index
        new = rewrite_requirement(text, step, needs, notes)
        if new != text:
            array[index] = new
            changed += 1
    if (
        fastmcp_index is not None
        and needs.key_value_extras
        and step != "2.14"
        and not declares(strings, KEY_VALUE)
    ):
        array.append(key_value_requirement(needs))
        changed += 1
    return changed


def _upgrade_poetry(table: Any, step: StepName, needs: Needs) -> int:
    value = table["fastmcp"]
    version = value.get("version") if isinstance(value, (Table, InlineTable)) else value
    if not isinstance(version, str):
        return 0
    wanted = (
        _POETRY[step]
        if not re.fullmatch(r"=?=?\d+(\.\d+)*", version)
        else str(newest_in_line(step))
    )
    changed = 0
    if isinstance(value, (Table, InlineTable)):
        if str(version) != wanted:
            value["version"] = wanted
            changed += 1
        if needs.tasks and step != "2.14":
            extras = value.get("extras")
            if extras is None:
                value["extras"] = ["tasks"]
                changed += 1
            elif "tasks" not in [str(e) for e in extras]:
                extras.append("tasks")
                changed += 1
        return changed
    if needs.tasks and step != "2.14":
        inline = tomlkit.inline_table()
        inline.update({"version": wanted, "extras": ["tasks"]})
        table["fastmcp"] = inline
        return 1
    if str(version) != wanted:
        table["fastmcp"] = wanted
        return 1
    return 0


def fastmcp_row(text: str) -> int | None:
    """The 1-based row of the first fastmcp requirement in a dependency file."""
    for row, line in enumerate(text.splitlines(), start=1):
        if re.search(r"""(^|["'\s])fastmcp(-slim)?\s*(\[|[<>=!~;"'@]|$)""", line.strip()):
            return row
    return None


# -- fastmcp.json ---------------------------------------------------------------------------

_STRING = re.compile(r'"((?:[^"\\]|\\.)*)"')


def upgrade_fastmcp_json_pins(
    text: str, step: StepName, needs: Needs, notes: list[tuple[Severity, str]]
) -> tuple[str, int]:
    """Rewrite the requirement strings of ``environment.dependencies`` in place."""
    try:
        data = json.loads(text)
    except ValueError:
        return text, 0
    environment = data.get("environment") if isinstance(data, dict) else None
    dependencies = environment.get("dependencies") if isinstance(environment, dict) else None
    if not isinstance(dependencies, list):
        return text, 0
    changed = 0
    for item in dependencies:
        if not isinstance(item, str):
            continue
        new = rewrite_requirement(item, step, needs, notes)
        if new != item:
            text = text.replace(json.dumps(item), json.dumps(new), 1)
            changed += 1
    return text, changed


def merge_fastmcp_json(
    text: str | None, source_path: str, entrypoint: str | None, dependencies: Sequence[str]
) -> str:
    """fastmcp.json with ``dependencies`` added to ``environment.dependencies`` (a new
    file gets ``source`` too). An existing file is re-serialised only when it changes.

    Raises ValueError saying why when an existing file has no place for them: the
    codemod takes ``dependencies=`` out of the code, so they must land somewhere.
    """
    data: dict[str, Any]
    if text is None:
        source: dict[str, Any] = {"type": "filesystem", "path": source_path}
        if entrypoint:
            source["entrypoint"] = entrypoint
        data = {
            "$schema": "https://gofastmcp.com/public/schemas/fastmcp.json/v1.json",
            "source": source,
            "environment": {"type": "uv", "dependencies": []},
        }
    else:
        try:
            loaded = json.loads(text)
        except ValueError as exc:
            raise ValueError(f"not valid JSON ({exc})") from None
        if not isinstance(loaded, dict):
            raise ValueError("not a JSON object")
        data = loaded
    environment = data.setdefault("environment", {})
    if not isinstance(environment, dict):
        raise ValueError('"environment" is not an object')
    existing = environment.setdefault("dependencies", [])
    if not isinstance(existing, list):
        raise ValueError('"environment.dependencies" is not a list')
    added = [d for d in dependencies if d not in existing]
    if not added and text is not None:
        return text
    existing.extend(added)
    return json.dumps(data, indent=2) + "\n"


def _tag_in_line(tag: object, target: Any) -> bool:
    """``v4.2.3`` / ``4.2.3`` on the target's major line: the source already moved."""
    if not isinstance(tag, str):
        return False
    try:
        return bool(Version(tag.removeprefix("v")).major == target.major)
    except InvalidVersion:
        return False
