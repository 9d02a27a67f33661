"""The catalogue of contract rules, one class per change class, in report order."""

from __future__ import annotations

from fastmcp_kit.contract.rules import (
    components,
    hints,
    output,
    parameters,
    prompts,
    server,
    text,
    unclassified,
    values,
)
from fastmcp_kit.contract.rules.base import ContractRule

_MODULES = (components, parameters, values, output, hints, prompts, server, text, unclassified)


def all_rules() -> list[type[ContractRule]]:
    """Every rule class, each module's in the order it defines them."""
    found: list[type[ContractRule]] = []
    for module in _MODULES:
        for value in vars(module).values():
            if (
                isinstance(value, type)
                and issubclass(value, ContractRule)
                and value.__module__ == module.__name__
                and "id" in vars(value)
            ):
                found.append(value)
    return found


def rule_by_id() -> dict[str, type[ContractRule]]:
    return {rule.id: rule for rule in all_rules()}
