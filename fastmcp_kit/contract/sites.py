"""What the rules look at: components matched between base and head, and every
pair of schema nodes inside a tool's input or output schema."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from fastmcp_kit.contract.model import SECTIONS, Change, Contract, Level
from fastmcp_kit.contract.schema import Node, Schema, own_types, shown_types, view

KINDS = {
    "tools": "tool",
    "resources": "resource",
    "resourceTemplates": "resource template",
    "prompts": "prompt",
}


@dataclass(frozen=True)
class ComponentPair:
    """One component by its key; ``base`` or ``head`` is None when it is only on one side."""

    section: str
    key: str
    base: dict[str, Any] | None
    head: dict[str, Any] | None
    # The whole contracts, for rules that look across components (moves, renames).
    base_contract: Contract
    head_contract: Contract

    @property
    def kind(self) -> str:
        return KINDS[self.section]

    def change(
        self, rule: str, level: Level, message: str, path: str = "", notes: tuple[str, ...] = ()
    ) -> Change:
        return Change(rule, level, self.kind, self.key, message, path, notes)


def component_pairs(base: Contract, head: Contract) -> Iterator[ComponentPair]:
    """Every component of either side, matched by its key (a tool's name, a resource's URI)."""
    for section, key in SECTIONS.items():
        before = {entry[key]: entry for entry in base.get(section, [])}
        after = {entry[key]: entry for entry in head.get(section, [])}
        for name in sorted(before.keys() | after.keys()):
            yield ComponentPair(section, name, before.get(name), after.get(name), base, head)


@dataclass(frozen=True)
class SchemaSite:
    """The same place in a tool's base and head schema, both sides present.

    ``direction`` is "input" (the client writes values: narrowing breaks it) or
    "output" (the client reads values: widening breaks it).
    """

    tool: str
    direction: str
    # Property names from the schema's root; "[]" for array items, "{}" for the
    # values of additionalProperties, "<type>" for one alternative of a union.
    steps: tuple[str, ...]
    base: Node
    head: Node

    @property
    def top(self) -> bool:
        """The schema's root: for input, the object of the tool's parameters."""
        return not self.steps

    @property
    def path(self) -> str:
        text = "inputSchema" if self.direction == "input" else "outputSchema"
        for step in self.steps:
            text += step if step.startswith(("[", "{", "<")) else f".{step}"
        return text

    def name(self, child: str | None = None) -> str:
        """How messages name this place (or its property ``child``)."""
        steps = [*self.steps, child] if child is not None else list(self.steps)
        text = ""
        for step in steps:
            text += step if step.startswith(("[", "{", "<")) or not text else f".{step}"
        if self.direction == "input":
            return f"parameter `{text}`"
        return f"output `{text}`" if text else "the output"

    def change(self, rule: str, level: Level, message: str, notes: tuple[str, ...] = ()) -> Change:
        return Change(rule, level, "tool", self.tool, message, self.path, notes)


def schema_sites(pair: ComponentPair) -> Iterator[SchemaSite]:
    """Every matched pair of schema nodes of a tool present on both sides."""
    if pair.section != "tools" or pair.base is None or pair.head is None:
        return
    for direction, key in (("input", "inputSchema"), ("output", "outputSchema")):
        base_root, head_root = pair.base.get(key), pair.head.get(key)
        if not isinstance(base_root, dict) or not isinstance(head_root, dict):
            continue
        yield from _walk(pair.key, direction, (), base_root, head_root, base_root, head_root, set())


def _walk(
    tool: str,
    direction: str,
    steps: tuple[str, ...],
    base_schema: Schema,
    head_schema: Schema,
    base_root: dict[str, Any],
    head_root: dict[str, Any],
    seen: set[tuple[str, str]],
) -> Iterator[SchemaSite]:
    base, head = view(base_schema, base_root), view(head_schema, head_root)
    if base.ref is not None and head.ref is not None:
        # A recursive model: each pair of definitions is compared once.
        if (base.ref, head.ref) in seen:
            return
        seen = seen | {(base.ref, head.ref)}
    yield SchemaSite(tool, direction, steps, base, head)

    def walk(step: str, before: Schema, after: Schema) -> Iterator[SchemaSite]:
        yield from _walk(tool, direction, (*steps, step), before, after, base_root, head_root, seen)

    for name in sorted(base.properties.keys() & head.properties.keys()):
        yield from walk(name, base.properties[name], head.properties[name])
    if base.items is not None and head.items is not None:
        yield from walk("[]", base.items, head.items)
    if isinstance(base.additional, dict) and isinstance(head.additional, dict):
        yield from walk("{}", base.additional, head.additional)
    for label, before, after in paired_branches(base, head):
        yield from walk(label, before, after)


def paired_branches(base: Node, head: Node) -> Iterator[tuple[str, Schema, Schema]]:
    """Alternatives of a union that can be told apart by their type on both sides
    (``int | str`` against ``int | str | None``); others are not paired."""
    if not base.branches or not head.branches:
        return
    before = _by_type(base.branches)
    after = _by_type(head.branches)
    for label in sorted(before.keys() & after.keys()):
        yield label, before[label], after[label]


def _by_type(branches: tuple[dict[str, Any], ...]) -> dict[str, dict[str, Any]]:
    found: dict[str, list[dict[str, Any]]] = {}
    for branch in branches:
        found.setdefault(f"<{shown_types(own_types(branch))}>", []).append(branch)
    return {label: group[0] for label, group in found.items() if len(group) == 1}
