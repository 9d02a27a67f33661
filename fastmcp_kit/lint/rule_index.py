"""What a lint run must know about the rules before it knows whether it will lint
anything: codes, default selection, FastMCP versions, option names and types, text
rules' file names, which rules judge the whole project, and what reporters show.

A fully cached run answers from ``rule_index.json`` alone and never imports libcst
or a rule module (that import costs more than the rest of such a run). The file is
generated from the rule classes by ``scripts/generate_docs.py``; a test fails when
it is stale, like the README's rules table.
"""

from __future__ import annotations

import dataclasses
import fnmatch
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from packaging.version import Version

from fastmcp_kit.lint.applicability import applies
from fastmcp_kit.lint.registry import ENGINE_CODES

INDEX_PATH = Path(__file__).with_name("rule_index.json")
HOMEPAGE = "https://github.com/fastmcp-kit/fastmcp-kit"

# The option types TOML can produce; parse_options compares with the default's type.
_OPTION_TYPES: dict[str, type] = {
    cls.__name__: cls for cls in (bool, int, float, str, list, dict, tuple)
}


@dataclass(frozen=True)
class RuleEntry:
    """One rule as the index records it (see :func:`entry_json` for the source)."""

    code: str
    name: str
    summary: str
    doc: str
    severity: str
    default_enabled: bool
    fastmcp_versions: str
    mcp_versions: str | None
    needs_fastmcp: bool
    documented_errors: tuple[int, ...]
    fix: str
    # None for rules over Python source; the file name globs of a text rule.
    file_patterns: tuple[str, ...] | None
    project: bool
    # kebab-case option name -> (type name, default)
    options: Mapping[str, tuple[str, Any]] | None

    def applies_to(self, version: Version) -> bool:
        from fastmcp_kit.sdk_releases import mcp_required_by

        return self.applies_to_versions(version, mcp_required_by(version))

    def applies_to_versions(self, fastmcp: Version | None, mcp: Version | None) -> bool:
        return applies(self.fastmcp_versions, self.mcp_versions, self.needs_fastmcp, fastmcp, mcp)

    def matches_file(self, name: str) -> bool:
        return any(fnmatch.fnmatch(name, pattern) for pattern in self.file_patterns or ())

    def option_values(self, table: Mapping[str, Any]) -> dict[str, Any]:
        """Every option's value (defaults filled in), checked exactly as
        :func:`fastmcp_kit.lint.rule.parse_options` checks them.

        Raises ValueError naming the first unknown key or mistyped value.
        """
        if self.options is None:
            if table:
                raise ValueError(f"rule {self.code} takes no options (got {sorted(table)[0]!r})")
            return {}
        values = {key: default for key, (_, default) in self.options.items()}
        for key, value in table.items():
            if key not in self.options:
                raise ValueError(f"unknown option {key!r} for rule {self.code}")
            type_name = self.options[key][0]
            if not isinstance(value, _OPTION_TYPES[type_name]):
                raise ValueError(f"option {key!r} of rule {self.code} must be a {type_name}")
            values[key] = value
        return values


def _entry(data: Mapping[str, Any]) -> RuleEntry:
    patterns = data["file_patterns"]
    options = data["options"]
    return RuleEntry(
        code=data["code"],
        name=data["name"],
        summary=data["summary"],
        doc=data["doc"],
        severity=data["severity"],
        default_enabled=data["default_enabled"],
        fastmcp_versions=data["fastmcp_versions"],
        mcp_versions=data.get("mcp_versions"),
        needs_fastmcp=data.get("needs_fastmcp", True),
        documented_errors=tuple(data["documented_errors"]),
        fix=data["fix"],
        file_patterns=None if patterns is None else tuple(patterns),
        project=data["project"],
        options=None
        if options is None
        else {key: (spec["type"], spec["default"]) for key, spec in options.items()},
    )


@cache
def rule_index() -> dict[str, RuleEntry]:
    """Every shipped rule, by code, in code order."""
    data = json.loads(INDEX_PATH.read_text(encoding="utf-8"))
    return {item["code"]: _entry(item) for item in data["rules"]}


def rule_url(code: str) -> str | None:
    """The documentation page of a finding's code; None for codes with no page
    (`fkit upgrade` findings carry their guide link in the message)."""
    if code in ENGINE_CODES:
        return f"{HOMEPAGE}#engine-findings"
    if code.startswith("FMCPD"):
        return f"{HOMEPAGE}#checking-a-running-server-fkit-doctor"
    if code in rule_index():
        return f"{HOMEPAGE}/blob/main/docs/rules/{code}.md"
    return None


# -- generation (imports every rule; only scripts and tests call this) -----------------


def entry_json(rule: Any) -> dict[str, Any]:
    """The index record of one rule class."""
    options = None
    if rule.Options is not None:
        defaults = rule.default_options()
        options = {}
        for item in dataclasses.fields(rule.Options):
            default = getattr(defaults, item.name)
            if type(default).__name__ not in _OPTION_TYPES:
                raise TypeError(f"{rule.code}: option {item.name} has no TOML type")
            options[item.name.replace("_", "-")] = {
                "type": type(default).__name__,
                "default": default,
            }
    patterns = getattr(rule, "file_patterns", None)
    return {
        "code": rule.code,
        "name": rule.name(),
        "summary": rule.summary(),
        "doc": rule.doc(),
        "severity": rule.severity.value,
        "default_enabled": rule.default_enabled,
        "fastmcp_versions": rule.fastmcp_versions,
        "mcp_versions": rule.mcp_versions,
        "needs_fastmcp": rule.needs_fastmcp,
        "documented_errors": list(rule.documented_errors),
        "fix": rule.fix_availability(),
        "file_patterns": None if patterns is None else list(patterns),
        "project": rule.is_project_rule(),
        "options": options,
    }


def render_index(rules: Iterable[Any] | None = None) -> str:
    """The content ``rule_index.json`` must have for these rule classes (default:
    every shipped rule)."""
    if rules is None:
        from fastmcp_kit.lint.registry import all_rules

        rules = all_rules().values()
    document = {
        "generated-by": "scripts/generate_docs.py; do not edit",
        "rules": [entry_json(rule) for rule in rules],
    }
    return json.dumps(document, indent=1, ensure_ascii=False) + "\n"
