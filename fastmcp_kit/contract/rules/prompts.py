"""A prompt's arguments: clients send them by name, as strings."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastmcp_kit.contract.model import Change, Level
from fastmcp_kit.contract.rules.base import ContractRule, Example, contract
from fastmcp_kit.contract.sites import ComponentPair


def _prompt(**arguments: bool) -> Any:
    """A contract with a prompt `summarize` whose arguments are name=required."""
    listed = [{"name": name, "required": required} for name, required in arguments.items()]
    return contract(prompts=[{"name": "summarize", "arguments": listed}])


def arguments(prompt: dict[str, Any] | None) -> dict[str, bool]:
    """Argument name -> required."""
    listed = (prompt or {}).get("arguments") or []
    return {
        a["name"]: a.get("required") is True
        for a in listed
        if isinstance(a, dict) and isinstance(a.get("name"), str)
    }


class _Arguments(ContractRule):
    def component(self, pair: ComponentPair) -> Iterator[Change]:
        if pair.section == "prompts" and pair.base is not None and pair.head is not None:
            yield from self.check(pair, arguments(pair.base), arguments(pair.head))

    def check(
        self, pair: ComponentPair, old: dict[str, bool], new: dict[str, bool]
    ) -> Iterator[Change]:
        raise NotImplementedError


class PromptArgumentRequiredAdded(_Arguments):
    """A prompt has a new required argument, or an optional one became required.

    Getting the prompt the way the base allowed, without it, now fails.
    """

    id = "prompt-argument-required-added"
    level = Level.BREAKING
    examples = (
        Example("new", _prompt(text=True), _prompt(text=True, style=True)),
        Example("made-required", _prompt(text=True, style=False), _prompt(text=True, style=True)),
        Example("new-optional", _prompt(text=True), _prompt(text=True, style=False), False),
    )

    def check(
        self, pair: ComponentPair, old: dict[str, bool], new: dict[str, bool]
    ) -> Iterator[Change]:
        for name, required in sorted(new.items()):
            if required and name not in old:
                yield self.make(pair, f"prompt `{pair.key}`: required argument `{name}` added")
            elif required and old.get(name) is False:
                yield self.make(pair, f"prompt `{pair.key}`: argument `{name}` is now required")


class PromptArgumentRemoved(_Arguments):
    """A prompt argument is gone: a client that sends it is refused or its value ignored."""

    id = "prompt-argument-removed"
    level = Level.BREAKING
    examples = (
        Example("removed", _prompt(text=True, style=False), _prompt(text=True)),
        Example("kept", _prompt(text=True), _prompt(text=True), False),
    )

    def check(
        self, pair: ComponentPair, old: dict[str, bool], new: dict[str, bool]
    ) -> Iterator[Change]:
        for name in sorted(old.keys() - new.keys()):
            yield self.make(pair, f"prompt `{pair.key}`: argument `{name}` removed")


class PromptArgumentOptionalAdded(_Arguments):
    """A prompt has a new optional argument, or a required one became optional."""

    id = "prompt-argument-optional-added"
    level = Level.COMPATIBLE
    examples = (
        Example("new", _prompt(text=True), _prompt(text=True, style=False)),
        Example("made-optional", _prompt(text=True), _prompt(text=False)),
    )

    def check(
        self, pair: ComponentPair, old: dict[str, bool], new: dict[str, bool]
    ) -> Iterator[Change]:
        for name, required in sorted(new.items()):
            if not required and name not in old:
                yield self.make(pair, f"prompt `{pair.key}`: optional argument `{name}` added")
            elif not required and old.get(name) is True:
                yield self.make(pair, f"prompt `{pair.key}`: argument `{name}` is now optional")
