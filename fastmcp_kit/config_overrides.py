"""``--config``: a settings file, or ``KEY = VALUE`` overrides of ``[tool.fkit]`` in
ruff's syntax (``--config "select = ['FMCP2']"``), applied over every project's table
and checked by the same code that checks ``[tool.fkit]``."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastmcp_kit.config import KNOWN_KEYS, load_config
from fastmcp_kit.errors import FkitError


@dataclass(frozen=True)
class ConfigArguments:
    """What the ``--config`` options said: at most one file, and the overrides."""

    file: str | None = None
    overrides: Mapping[str, Any] = field(default_factory=dict)


def parse_config_arguments(values: Sequence[str]) -> ConfigArguments:
    """Each ``--config`` value is a file when it names one, else a TOML ``key = value``
    (dotted keys reach rule options: ``rules.FMCP201.context-names = ['c']``)."""
    files: list[str] = []
    overrides: dict[str, Any] = {}
    for value in values:
        if not value.strip():
            raise FkitError(f"--config was given no value (got {value!r})")
        if "=" not in value or Path(value).is_file():
            files.append(value)
            continue
        merge(overrides, _override(value))
    if len(files) > 1:
        raise FkitError(f"--config names more than one settings file: {', '.join(files)}")
    return ConfigArguments(files[0] if files else None, overrides)


def _override(value: str) -> dict[str, Any]:
    import tomlkit
    import tomlkit.exceptions

    shown = f"--config {value!r}"
    try:
        table = tomlkit.parse(value).unwrap()
    except tomlkit.exceptions.TOMLKitError as exc:
        raise FkitError(
            f"{shown}: neither a file nor a valid `key = value` TOML pair ({exc})"
        ) from None
    if len(table) != 1:
        raise FkitError(f"{shown}: give one `key = value` pair per --config")
    for key in table:
        if key not in KNOWN_KEYS:
            from fastmcp_kit.config import unknown_key_warning

            raise FkitError(unknown_key_warning(key, shown).replace(" ignored", ""))
    # Checked alone, so that a mistake names the option rather than a pyproject.toml.
    load_config({"tool": {"fkit": table}}, shown)
    return table


def merge(base: dict[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """``override`` laid over ``base`` in place: tables merge key by key (one rule's
    option leaves its others), any other value replaces."""
    for key, value in override.items():
        if isinstance(value, Mapping) and isinstance(base.get(key), Mapping):
            base[key] = merge(dict(base[key]), value)
        else:
            base[key] = value
    return base


def with_overrides(
    pyproject: Mapping[str, Any], overrides: Mapping[str, Any], where: str
) -> dict[str, Any]:
    """A pyproject document whose ``[tool.fkit]`` has ``overrides`` laid over it."""
    from fastmcp_kit.config import fkit_table, tool_table

    table = merge(dict(fkit_table(pyproject, where)), overrides)
    return {**pyproject, "tool": {**tool_table(pyproject, where), "fkit": table}}
