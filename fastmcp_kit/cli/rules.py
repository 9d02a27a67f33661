"""``fkit rules`` (the catalogue) and ``fkit rule CODE|NAME`` (one rule's page)."""

from __future__ import annotations

import json
import sys
from typing import Annotated, Any

import typer


def rule_record(rule: Any) -> dict[str, Any]:
    return {
        "code": rule.code,
        "name": rule.name(),
        "summary": rule.summary(),
        "severity": rule.severity.value,
        "documented_errors": list(rule.documented_errors),
        "fix": rule.fix_availability(),
        "fastmcp_versions": rule.fastmcp_versions or "all",
        "default_enabled": rule.default_enabled,
    }


def rules(
    output_format: Annotated[str, typer.Option(help="text or json.")] = "text",
) -> int:
    """List every rule: code, name, severity, fix availability, FastMCP versions."""
    from fastmcp_kit.errors import FkitError
    from fastmcp_kit.lint.registry import all_rules

    records = [rule_record(rule) for rule in all_rules().values()]
    if output_format == "json":
        json.dump(records, sys.stdout, indent=2)
        sys.stdout.write("\n")
        return 0
    if output_format != "text":
        raise FkitError(f"--output-format must be text or json, not {output_format!r}")
    # Plain aligned columns, never truncated: people pipe this into grep.
    rows = [("code", "name", "severity", "fix", "fastmcp", "errors", "default")]
    for r in records:
        errors = ",".join(f"E{n}" for n in r["documented_errors"]) or "-"
        default = "yes" if r["default_enabled"] else "opt-in"
        rows.append(
            (r["code"], r["name"], r["severity"], r["fix"], r["fastmcp_versions"], errors, default)
        )
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    for row in rows:
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
        )
    return 0


def find_rule(wanted: str) -> Any:
    """The rule with this code (``FMCP201``) or name (``context-parameter-not-injected``);
    None when no rule has it."""
    from fastmcp_kit.lint.registry import all_rules

    rules = all_rules()
    found = rules.get(wanted.strip().upper())
    if found is not None:
        return found
    name = wanted.strip().lower().replace("_", "-")
    return next((rule for rule in rules.values() if rule.name() == name), None)


def complete_rule(incomplete: str) -> list[str]:
    """Shell completion for ``fkit rule``: the codes and names that start with what
    was typed (from the rule index: no rule is imported)."""
    from fastmcp_kit.lint.rule_index import rule_index

    typed = incomplete.strip()
    candidates = [code for code in rule_index()]
    candidates += [entry.name for entry in rule_index().values()]
    return [c for c in candidates if c.lower().startswith(typed.lower())]


def rule(
    code: Annotated[
        str,
        typer.Argument(
            autocompletion=complete_rule,
            metavar="CODE_OR_NAME",
            help="A rule code or name, e.g. FMCP201 or context-parameter-not-injected.",
        ),
    ],
) -> int:
    """Show one rule's documentation."""
    from rich.console import Console
    from rich.markdown import Markdown

    from fastmcp_kit.errors import FkitError
    from fastmcp_kit.lint.docs import rule_page

    found = find_rule(code)
    if found is None:
        raise FkitError(f"no rule {code!r}; `fkit rules` lists them")
    Console(highlight=False).print(Markdown(rule_page(found)))
    return 0
