"""A run's settings as known before any rule is imported: enabled codes, target,
options, per-file-ignores and what the project's files say. Enough to key the
cache and find the files; :meth:`LintPlan.settings` builds the engine's settings
(importing libcst and the rules) only when some file has to be linted.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from packaging.version import Version

from fastmcp_kit.errors import FkitError
from fastmcp_kit.lint.rule_index import RuleEntry, rule_index

if TYPE_CHECKING:
    from fastmcp_kit.lint.engine import LintSettings

# The engine's FixMode, repeated so that naming it does not import the engine.
FixMode = Literal["none", "safe", "unsafe"]


def _api_data_files() -> list[str]:
    """The API dump files shipped beside the code (listed, not loaded: importing
    ``fastmcp_kit.apisurface`` would cost a warm run more than this)."""
    data = Path(__file__).resolve().parent.parent / "apisurface" / "data"
    return sorted(entry.name for entry in data.iterdir()) if data.is_dir() else []


@dataclass(frozen=True)
class LintPlan:
    rule_codes: tuple[str, ...]
    target: Version
    root: Path
    entrypoints: frozenset[str]
    local_modules: frozenset[str]
    # The [tool.fkit.rules.CODE] table of each enabled rule, already validated.
    option_tables: tuple[tuple[str, Mapping[str, Any]], ...] = ()
    per_file_ignores: tuple[tuple[str, tuple[str, ...]], ...] = ()
    fix: FixMode = "none"
    # None: the SDK release ``target`` requires.
    mcp_target: Version | None = None
    # False in an SDK-only project: rules about standalone FastMCP are off.
    uses_fastmcp: bool = True
    ignores_prefix: str = ""
    # The project's ``requires-python`` (None: not declared).
    requires_python: str | None = None

    @property
    def entries(self) -> list[RuleEntry]:
        index = rule_index()
        return [index[code] for code in self.rule_codes]

    def fingerprint(self) -> str:
        """Everything besides a file's bytes that can change its findings."""
        tables = dict(self.option_tables)
        return json.dumps(
            {
                "rules": self.rule_codes,
                "target": str(self.target),
                "mcp": str(self.mcp_target),
                "uses_fastmcp": self.uses_fastmcp,
                "ignores_prefix": self.ignores_prefix,
                # Defaults filled in: the same options spelt out or left out are one key.
                "options": [
                    (entry.code, entry.option_values(tables.get(entry.code, {})))
                    for entry in self.entries
                ],
                "per_file_ignores": self.per_file_ignores,
                "entrypoints": sorted(self.entrypoints),
                "local_modules": sorted(self.local_modules),
                "requires_python": self.requires_python,
                # Refreshed API data changes findings without a new fkit version.
                "api_data": _api_data_files(),
            },
            sort_keys=True,
        )

    def text_rule_entries(self) -> list[RuleEntry]:
        return [entry for entry in self.entries if entry.file_patterns is not None]

    def applies(self, entry: RuleEntry) -> bool:
        """Whether an enabled rule applies to the project's versions."""
        from fastmcp_kit.sdk_releases import mcp_required_by

        mcp = self.mcp_target or mcp_required_by(self.target)
        return entry.applies_to_versions(self.target if self.uses_fastmcp else None, mcp)

    def project_rule_codes(self) -> list[str]:
        """The enabled project rules that apply to the project's versions."""
        return [entry.code for entry in self.entries if entry.project and self.applies(entry)]

    @cached_property
    def settings(self) -> LintSettings:
        """The engine's settings; imports libcst, the engine and every rule."""
        from fastmcp_kit.lint.engine import LintSettings
        from fastmcp_kit.lint.registry import all_rules
        from fastmcp_kit.lint.rule import ProjectInfo, parse_options

        rules = all_rules()
        tables = dict(self.option_tables)
        try:
            options = tuple(
                (code, parse_options(rules[code], tables.get(code, {}))) for code in self.rule_codes
            )
        except ValueError as exc:
            raise FkitError(f"[tool.fkit.rules]: {exc}") from None
        return LintSettings(
            rule_codes=self.rule_codes,
            target=self.target,
            project=ProjectInfo(
                self.root, self.entrypoints, self.local_modules, self.requires_python
            ),
            options=options,
            per_file_ignores=self.per_file_ignores,
            fix=self.fix,
            mcp_target=self.mcp_target,
            uses_fastmcp=self.uses_fastmcp,
            ignores_prefix=self.ignores_prefix,
        )
