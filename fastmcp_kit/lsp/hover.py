"""Hover over a finding: the rule's documentation, as ``fkit rule CODE`` shows it."""

from __future__ import annotations

from collections.abc import Sequence

from lsprotocol import types

from fastmcp_kit.lint.registry import ENGINE_CODES, all_rules
from fastmcp_kit.lint.violation import Violation
from fastmcp_kit.lsp.diagnostics import overlaps, violation_range
from fastmcp_kit.lsp.positions import LineIndex


def rule_markdown(code: str) -> str | None:
    """A rule's page in Markdown (``fkit rule CODE``); the engine's own codes get
    their one-line description."""
    from fastmcp_kit.lint.docs import rule_page

    if code in ENGINE_CODES:
        name, description = ENGINE_CODES[code]
        return f"# {code}: {name}\n\n{description}\n"
    rule = all_rules().get(code)
    return None if rule is None else rule_page(rule)


def hover(
    violations: Sequence[Violation], index: LineIndex, position: types.Position
) -> types.Hover | None:
    """The pages of the rules whose findings cover ``position`` (each rule once)."""
    here = types.Range(position, position)
    pages: dict[str, str] = {}
    covered: types.Range | None = None
    for violation in violations:
        span = violation_range(violation, index)
        if not overlaps(span, here) or violation.code in pages:
            continue
        page = rule_markdown(violation.code)
        if page is not None:
            pages[violation.code] = page
            covered = covered or span
    if not pages:
        return None
    return types.Hover(
        contents=types.MarkupContent(
            kind=types.MarkupKind.Markdown, value="\n---\n\n".join(pages.values())
        ),
        range=covered,
    )
