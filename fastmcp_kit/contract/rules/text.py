"""What people and models read: descriptions and titles. Never a failure, but a
tool's description is part of what steers the model that calls it."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastmcp_kit.contract.model import Change, Level
from fastmcp_kit.contract.rules.base import ContractRule, Example, contract, one_param, tool, tools
from fastmcp_kit.contract.schema import literal
from fastmcp_kit.contract.sites import ComponentPair, SchemaSite

# The fields other rules compare, by section.
COMPARED = {
    "tools": {"name", "title", "description", "inputSchema", "outputSchema", "annotations"},
    "resources": {"uri", "name", "title", "description", "mimeType"},
    "resourceTemplates": {"uriTemplate", "name", "title", "description", "mimeType"},
    "prompts": {"name", "title", "description", "arguments"},
}


def _both(pair: ComponentPair) -> tuple[dict[str, Any], dict[str, Any]] | None:
    if pair.base is None or pair.head is None:
        return None
    return pair.base, pair.head


class DescriptionChanged(ContractRule):
    """The description of a component, a tool parameter or a prompt argument changed.

    Models choose tools and fill their arguments from these texts, so a changed
    description can change how a client's model uses the tool; calls stay valid.
    """

    id = "description-changed"
    level = Level.INFO
    examples = (
        Example(
            "tool", tools(tool(description="Add.")), tools(tool(description="Sum two numbers."))
        ),
        Example(
            "parameter",
            one_param({"type": "integer", "description": "x"}),
            one_param({"type": "integer", "description": "y"}),
        ),
        Example("same", tools(tool(description="Add.")), tools(tool(description="Add.")), False),
    )

    def component(self, pair: ComponentPair) -> Iterator[Change]:
        both = _both(pair)
        if both is None:
            return
        base, head = both
        if base.get("description") != head.get("description"):
            yield self.make(
                pair, f"{pair.kind} `{pair.key}`: description changed", path="description"
            )
        if pair.section == "prompts":
            before = {a.get("name"): a.get("description") for a in base.get("arguments") or []}
            after = {a.get("name"): a.get("description") for a in head.get("arguments") or []}
            for name in sorted(n for n in before.keys() & after.keys() if isinstance(n, str)):
                if before[name] != after[name]:
                    yield self.make(
                        pair, f"prompt `{pair.key}`: argument `{name}` description changed"
                    )

    def schema(self, site: SchemaSite) -> Iterator[Change]:
        if site.direction != "input" or site.top:
            return
        if site.base.raw.get("description") != site.head.raw.get("description"):
            yield self.make(site, f"tool `{site.tool}`: {site.name()} description changed")


class TitleChanged(ContractRule):
    """A component's title (or a resource's display `name`, or a tool's `annotations.title`) changed.

    FastMCP 4 gives every tool a title made from its name; 2.x and 3.x gave none.
    """

    id = "title-changed"
    level = Level.INFO
    examples = (
        Example("fastmcp-4-title", tools(tool()), tools(tool(title="Add"))),
        Example("same", tools(tool(title="Add")), tools(tool(title="Add")), False),
    )

    def component(self, pair: ComponentPair) -> Iterator[Change]:
        both = _both(pair)
        if both is None:
            return
        base, head = both
        fields = ["title"] + (["name"] if pair.section.startswith("resource") else [])
        for field in fields:
            if base.get(field) != head.get(field):
                yield self.make(
                    pair,
                    f"{pair.kind} `{pair.key}`: {field} {_was(base.get(field), head.get(field))}",
                    path=field,
                )
        if pair.section == "tools":
            old = (base.get("annotations") or {}).get("title")
            new = (head.get("annotations") or {}).get("title")
            # FastMCP copies annotations.title into the tool's title: one change, one line.
            same_as_title = new == head.get("title") and old == base.get("title")
            if old != new and not same_as_title:
                yield self.make(
                    pair,
                    f"tool `{pair.key}`: annotations.title {_was(old, new)}",
                    path="annotations.title",
                )


def _was(old: object, new: object) -> str:
    if old is None:
        return f"{literal(new)} added"
    if new is None:
        return f"{literal(old)} removed"
    return f"{literal(old)} became {literal(new)}"


class OtherFieldChanged(ContractRule):
    """A field of a component that no other rule compares changed (`icons`, `execution`, `size`, ...).

    Listed so that no change goes unseen; read it to judge what it means for clients.
    """

    id = "other-field-changed"
    level = Level.INFO
    examples = (
        Example("icons", tools(tool()), tools(tool(icons=[{"src": "https://example.com/a.png"}]))),
        Example(
            "resource-size",
            contract(resources=[{"uri": "a://b", "name": "b", "size": 1}]),
            contract(resources=[{"uri": "a://b", "name": "b", "size": 2}]),
        ),
        Example("same", tools(tool()), tools(tool()), False),
    )

    def component(self, pair: ComponentPair) -> Iterator[Change]:
        both = _both(pair)
        if both is None:
            return
        base, head = both
        known = COMPARED[pair.section]
        for field in sorted((base.keys() | head.keys()) - known):
            if literal(base.get(field)) != literal(head.get(field)):
                yield self.make(pair, f"{pair.kind} `{pair.key}`: `{field}` changed", path=field)
        if pair.section == "tools":
            before, after = base.get("annotations") or {}, head.get("annotations") or {}
            hints = {"title", "readOnlyHint", "destructiveHint", "idempotentHint", "openWorldHint"}
            for field in sorted((before.keys() | after.keys()) - hints):
                if literal(before.get(field)) != literal(after.get(field)):
                    yield self.make(
                        pair,
                        f"tool `{pair.key}`: annotation `{field}` changed",
                        path=f"annotations.{field}",
                    )
