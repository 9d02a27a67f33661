"""``[tool.fkit]``: reading, validating and merging it with command-line options."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from fastmcp_kit.errors import FkitError

OUTPUT_FORMATS = ("text", "concise", "json", "sarif", "github")

# Folders never worth linting; `exclude` replaces this list, `extend-exclude` adds to it.
DEFAULT_EXCLUDE = (
    ".bzr",
    ".direnv",
    ".eggs",
    ".git",
    ".hg",
    ".mypy_cache",
    ".nox",
    ".pants.d",
    ".pytest_cache",
    ".ruff_cache",
    ".fkit_cache",
    ".svn",
    ".tox",
    ".venv",
    "venv",
    "__pypackages__",
    "__pycache__",
    "_build",
    "build",
    "dist",
    "node_modules",
    "site-packages",
    "*.egg-info",
)

_LIST_KEYS = ("select", "extend-select", "ignore", "exclude", "extend-exclude")
KNOWN_KEYS = frozenset(
    {*_LIST_KEYS, "per-file-ignores", "fastmcp-version", "output-format", "rules", "forward"}
)


@dataclass(frozen=True)
class Config:
    """The validated ``[tool.fkit]`` table, kebab-case keys as snake_case fields."""

    select: tuple[str, ...] | None = None
    extend_select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    per_file_ignores: Mapping[str, tuple[str, ...]] = field(default_factory=dict)
    exclude: tuple[str, ...] = DEFAULT_EXCLUDE
    extend_exclude: tuple[str, ...] = ()
    fastmcp_version: str | None = None
    output_format: str = "text"
    rules: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    # List forward hazards (breakage on a newer release the pins admit) as findings.
    forward: bool = False


def _string_list(key: str, value: object) -> tuple[str, ...]:
    if (
        not isinstance(value, Sequence)
        or isinstance(value, str)
        or not all(isinstance(item, str) for item in value)
    ):
        raise FkitError(f"[tool.fkit] {key} must be a list of strings")
    return tuple(value)


def load_config(pyproject: Mapping[str, Any]) -> Config:
    """Validate ``[tool.fkit]``; an unknown key or a mistyped value is an error."""
    table = pyproject.get("tool", {}).get("fkit", {})
    if not isinstance(table, Mapping):
        raise FkitError("[tool.fkit] must be a table")
    for key in table:
        if key not in KNOWN_KEYS:
            raise FkitError(
                f"unknown key {key!r} in [tool.fkit] (known: {', '.join(sorted(KNOWN_KEYS))})"
            )
    values: dict[str, Any] = {}
    for key in _LIST_KEYS:
        if key in table:
            values[key.replace("-", "_")] = _string_list(key, table[key])
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, Mapping):
        raise FkitError("[tool.fkit] per-file-ignores must be a table of glob = [codes]")
    values["per_file_ignores"] = {
        glob: _string_list(f"per-file-ignores.{glob}", codes) for glob, codes in per_file.items()
    }
    if "fastmcp-version" in table:
        if not isinstance(table["fastmcp-version"], str):
            # TOML `2.10` is the float 2.1: refuse it rather than lint for 2.1.
            raise FkitError('[tool.fkit] fastmcp-version must be a string such as "4.1"')
        values["fastmcp_version"] = table["fastmcp-version"]
    if "output-format" in table:
        if table["output-format"] not in OUTPUT_FORMATS:
            raise FkitError(f"[tool.fkit] output-format must be one of {', '.join(OUTPUT_FORMATS)}")
        values["output_format"] = table["output-format"]
    if "forward" in table:
        if not isinstance(table["forward"], bool):
            raise FkitError("[tool.fkit] forward must be true or false")
        values["forward"] = table["forward"]
    rules = table.get("rules", {})
    if not isinstance(rules, Mapping) or not all(isinstance(v, Mapping) for v in rules.values()):
        raise FkitError("[tool.fkit.rules] must hold one table per rule code")
    values["rules"] = dict(rules)
    return Config(**values)
