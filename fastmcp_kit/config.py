"""``[tool.fkit]``: reading, validating and merging it with command-line options."""

from __future__ import annotations

import json
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
    {
        *_LIST_KEYS,
        "per-file-ignores",
        "fastmcp-version",
        "output-format",
        "rules",
        "forward",
        # [tool.fkit.contract]: read by `fkit contract check` (fastmcp_kit/contract/allow.py).
        "contract",
    }
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


_SCALARS = ((bool, "boolean"), (int, "integer"), (float, "float"), (str, "string"))


def type_name(value: object) -> str:
    """A TOML value's type as a message names it, with the value when short."""
    if isinstance(value, list):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    kind = next((name for cls, name in _SCALARS if isinstance(value, cls)), None)
    if kind is None:
        return type(value).__name__
    text = repr(value)
    return f"{kind} {text}" if len(text) <= 40 else kind


class _Table:
    """Checks one ``[tool.fkit]`` table, naming the file and key in every error."""

    def __init__(self, where: str) -> None:
        self.where = where

    def error(self, key: str, expected: str, value: object) -> FkitError:
        return FkitError(
            f"{self.where}: [tool.fkit] {key} must be {expected}, got {type_name(value)}"
        )

    def string_list(self, key: str, value: object) -> tuple[str, ...]:
        if not isinstance(value, Sequence) or isinstance(value, str):
            raise self.error(key, "a list of strings", value)
        for item in value:
            if not isinstance(item, str):
                raise FkitError(
                    f"{self.where}: [tool.fkit] {key} must be a list of strings, "
                    f"got an array holding {type_name(item)}"
                )
        return tuple(value)


def tool_table(pyproject: Mapping[str, Any], where: str = "pyproject.toml") -> Mapping[str, Any]:
    """``[tool]`` (empty when absent); an error naming the file when it is not a table."""
    tool = pyproject.get("tool", {})
    if not isinstance(tool, Mapping):
        raise FkitError(f"{where}: [tool] must be a table, got {type_name(tool)}")
    return tool


def fkit_table(pyproject: Mapping[str, Any], where: str = "pyproject.toml") -> Mapping[str, Any]:
    """``[tool.fkit]`` (empty when absent); an error when it is not a table."""
    table = tool_table(pyproject, where).get("fkit", {})
    if not isinstance(table, Mapping):
        raise FkitError(f"{where}: [tool.fkit] must be a table, got {type_name(table)}")
    return table


def unknown_key_warning(key: str, where: str) -> str:
    """The line an unknown ``[tool.fkit]`` key gets: ignored, with the closest key."""
    import difflib

    close = difflib.get_close_matches(key, sorted(KNOWN_KEYS), n=1)
    hint = (
        f"; did you mean {close[0]!r}?" if close else f" (known: {', '.join(sorted(KNOWN_KEYS))})"
    )
    return f"{where}: unknown key {key!r} in [tool.fkit] ignored{hint}"


def load_config(pyproject: Mapping[str, Any], where: str = "pyproject.toml") -> Config:
    """Validate ``[tool.fkit]`` of the file shown as ``where``: a mistyped value is an
    error naming the file and key; an unknown key is ignored with a warning (a newer
    fkit's setting must not stop this one)."""
    from fastmcp_kit.errors import warn

    table = fkit_table(pyproject, where)
    check = _Table(where)
    for key in table:
        if key not in KNOWN_KEYS:
            warn(unknown_key_warning(str(key), where))
    values: dict[str, Any] = {}
    for key in _LIST_KEYS:
        if key in table:
            values[key.replace("-", "_")] = check.string_list(key, table[key])
    per_file = table.get("per-file-ignores", {})
    if not isinstance(per_file, Mapping):
        raise check.error("per-file-ignores", "a table of glob = [codes]", per_file)
    values["per_file_ignores"] = {
        glob: check.string_list(f"per-file-ignores.{json.dumps(glob)}", codes)
        for glob, codes in per_file.items()
    }
    if "fastmcp-version" in table:
        values["fastmcp_version"] = _fastmcp_version(check, table["fastmcp-version"])
    if "output-format" in table:
        chosen = table["output-format"]
        if chosen not in OUTPUT_FORMATS:
            raise check.error("output-format", f"one of {', '.join(OUTPUT_FORMATS)}", chosen)
        values["output_format"] = chosen
    if "forward" in table:
        if not isinstance(table["forward"], bool):
            raise check.error("forward", "true or false", table["forward"])
        values["forward"] = table["forward"]
    rules = table.get("rules", {})
    if not isinstance(rules, Mapping):
        raise check.error("rules", "a table of one table per rule code", rules)
    for code, options in rules.items():
        if not isinstance(options, Mapping):
            raise check.error(f"rules.{code}", "a table of the rule's options", options)
    values["rules"] = dict(rules)
    return Config(**values)


def _fastmcp_version(check: _Table, value: object) -> str:
    from fastmcp_kit.versions import parse_target

    if not isinstance(value, str):
        # TOML `2.10` is the float 2.1: refuse it rather than lint for 2.1.
        raise check.error("fastmcp-version", 'a string such as "4.1"', value)
    try:
        parse_target(value)
    except ValueError as exc:
        raise FkitError(f"{check.where}: [tool.fkit] fastmcp-version: {exc}") from None
    return value
