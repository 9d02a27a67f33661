"""The catch-all: a change of a schema keyword no other rule understands.

Every change gets a class: what the specific rules cannot order (a `not`, an
`if`/`then`, unions whose alternatives cannot be told apart by type) is reported
here, as breaking, since fkit cannot show it is safe.
"""

from __future__ import annotations

from collections.abc import Iterator

from fastmcp_kit.contract.model import Change, Level
from fastmcp_kit.contract.rules.base import ContractRule, Example, one_param, output
from fastmcp_kit.contract.schema import EXACT, LOWER_BOUNDS, UPPER_BOUNDS, Node, literal, validating
from fastmcp_kit.contract.sites import SchemaSite, paired_branches

# Keywords the other rules compare (or walk into).
UNDERSTOOD = frozenset(
    {
        "type", "enum", "const", "properties", "required", "additionalProperties", "items",
        "anyOf", "oneOf", "allOf", "$ref", "$defs", "definitions",
        *LOWER_BOUNDS, *UPPER_BOUNDS, *EXACT,
    }
)  # fmt: skip


def unexplained(base: Node, head: Node) -> list[str]:
    """Keywords (or unpaired union alternatives) that differ and no rule compares."""
    old, new = validating(base.raw), validating(head.raw)
    keywords = sorted(
        key
        for key in old.keys() | new.keys()
        if key not in UNDERSTOOD and literal(old.get(key)) != literal(new.get(key))
    )
    if base.branches or head.branches:
        paired = {label for label, _, _ in paired_branches(base, head)}
        unpaired_before = len(base.branches) - len(paired)
        unpaired_after = len(head.branches) - len(paired)
        if unpaired_before and unpaired_after:
            before = [literal(validating(b)) for b in base.branches]
            after = [literal(validating(b)) for b in head.branches]
            if sorted(before) != sorted(after):
                keywords.append("anyOf")
    return keywords


_UNION = {
    "anyOf": [
        {"type": "object", "properties": {"x": {"type": "integer"}}},
        {"type": "object", "properties": {"y": {"type": "integer"}}},
    ]
}
_UNION2 = {
    "anyOf": [
        {"type": "object", "properties": {"x": {"type": "string"}}},
        {"type": "object", "properties": {"y": {"type": "integer"}}},
    ]
}


class _Unclassified(ContractRule):
    direction: str

    def schema(self, site: SchemaSite) -> Iterator[Change]:
        if site.direction != self.direction:
            return
        keywords = unexplained(site.base, site.head)
        if keywords:
            shown = ", ".join(f"`{k}`" for k in keywords)
            yield self.make(site, f"tool `{site.tool}`: {site.name()} changed ({shown})")


class ParameterSchemaChanged(_Unclassified):
    """A parameter's schema changed in a way no other rule classifies (assumed breaking).

    Examples: a `not` or `if`/`then` added, two object alternatives of a union
    changed where fkit cannot pair them by type. Read the change; if it is safe,
    allow it (see "Allowing a breaking change").
    """

    id = "parameter-schema-changed"
    level = Level.BREAKING
    direction = "input"
    examples = (
        Example("object-union", one_param(_UNION), one_param(_UNION2)),
        Example(
            "not-added",
            one_param({"type": "string"}),
            one_param({"type": "string", "not": {"const": ""}}),
        ),
        Example(
            "description-only",
            one_param({"type": "string"}),
            one_param({"type": "string", "description": "x"}),
            False,
        ),
    )


class OutputSchemaChanged(_Unclassified):
    """A tool's output schema changed in a way no other rule classifies (assumed breaking)."""

    id = "output-schema-changed"
    level = Level.BREAKING
    direction = "output"
    examples = (
        Example("object-union", output(_UNION), output(_UNION2)),
        Example("same", output(_UNION), output(_UNION), fires=False),
    )
