"""What a contract rule is: one change class, its level, its docs and its examples.

A rule's docstring is its documentation (``docs/contract-rules.md`` is generated from
it); its first paragraph is the summary. Its examples are pairs of small contracts: the
ones marked ``fires`` must produce a change of that rule, the others must not, and
``tests/test_contract_rules.py`` checks every one.
"""

from __future__ import annotations

import inspect
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, ClassVar

from fastmcp_kit.contract.model import Change, Contract, Level
from fastmcp_kit.contract.sites import ComponentPair, SchemaSite


@dataclass(frozen=True)
class Example:
    """Base and head contracts; ``fires``: whether the rule reports a change."""

    slug: str
    base: Contract
    head: Contract
    fires: bool = True


class ContractRule:
    """One class of change between a base and a head contract."""

    id: ClassVar[str]
    level: ClassVar[Level]
    examples: ClassVar[tuple[Example, ...]] = ()

    @classmethod
    def summary(cls) -> str:
        """The docstring's first paragraph, on one line."""
        text = inspect.getdoc(cls) or ""
        return " ".join(text.split("\n\n", 1)[0].split())

    @classmethod
    def doc(cls) -> str:
        """The docstring after its first paragraph."""
        text = inspect.getdoc(cls) or ""
        return text.split("\n\n", 1)[1].strip() if "\n\n" in text else ""

    def contract(self, base: Contract, head: Contract) -> Iterator[Change]:
        """Changes seen on the contracts as wholes (the server, moved components)."""
        return iter(())

    def component(self, pair: ComponentPair) -> Iterator[Change]:
        """Changes of one component, matched by its key."""
        return iter(())

    def schema(self, site: SchemaSite) -> Iterator[Change]:
        """Changes at one place of a tool's input or output schema."""
        return iter(())

    def make(self, where: ComponentPair | SchemaSite, message: str, **kw: Any) -> Change:
        return where.change(self.id, self.level, message, **kw)


# -- helpers that keep the examples short -------------------------------------------------


def contract(**sections: list[dict[str, Any]]) -> Contract:
    """A contract with the given sections (tools=..., prompts=...), the rest empty."""
    data: Contract = {
        "fkit_contract": 1,
        "server": {"name": "demo", "capabilities": {"tools": {}}},
        "tools": [],
        "resources": [],
        "resourceTemplates": [],
        "prompts": [],
    }
    data.update(sections)
    return data


def tool(
    name: str = "add",
    params: dict[str, Any] | None = None,
    required: tuple[str, ...] | None = None,
    **fields: Any,
) -> dict[str, Any]:
    """A tool as FastMCP 4 lists it; every parameter is required unless told otherwise."""
    properties = {"a": {"type": "integer"}} if params is None else params
    schema: dict[str, Any] = {
        "type": "object",
        "properties": properties,
        "additionalProperties": False,
    }
    needed = list(properties) if required is None else list(required)
    if needed:
        schema["required"] = needed
    return {"name": name, "inputSchema": schema, **fields}


def tools(*entries: dict[str, Any]) -> Contract:
    return contract(tools=list(entries))


def one_param(schema: dict[str, Any], required: bool = True) -> Contract:
    """A contract with one tool `add` whose one parameter `a` has ``schema``."""
    return tools(tool(params={"a": schema}, required=("a",) if required else ()))


def output(schema: dict[str, Any]) -> Contract:
    """A contract with one tool `add` whose output schema is ``schema``."""
    return tools(tool(outputSchema=schema))


def optional(schema: dict[str, Any]) -> dict[str, Any]:
    """``Optional[...]`` as FastMCP writes it."""
    return {"anyOf": [schema, {"type": "null"}], "default": None}
