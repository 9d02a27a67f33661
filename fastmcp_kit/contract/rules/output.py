"""The properties of a tool's structured output: the side the client reads."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastmcp_kit.contract.model import Change, Level
from fastmcp_kit.contract.rules.base import ContractRule, Example, output
from fastmcp_kit.contract.sites import SchemaSite

_INT = {"type": "integer"}


def _obj(required: tuple[str, ...] = ("sum",), **properties: Any) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": properties or {"sum": _INT},
        "required": list(required),
    }


class _Output(ContractRule):
    def schema(self, site: SchemaSite) -> Iterator[Change]:
        if site.direction == "output":
            yield from self.check(site)

    def check(self, site: SchemaSite) -> Iterator[Change]:
        raise NotImplementedError


class OutputPropertyRemoved(_Output):
    """A property the base's output always held (a required one) is gone, or no longer always there.

    A client reading it finds nothing.
    """

    id = "output-property-removed"
    level = Level.BREAKING
    examples = (
        Example("removed", output(_obj(sum=_INT, n=_INT, required=("sum", "n"))), output(_obj())),
        Example("made-optional", output(_obj()), output(_obj(required=()))),
        Example("optional-removed", output(_obj(sum=_INT, n=_INT)), output(_obj()), fires=False),
    )

    def check(self, site: SchemaSite) -> Iterator[Change]:
        for name in sorted(site.base.required & site.base.properties.keys()):
            if name not in site.head.properties:
                yield self.make(site, f"tool `{site.tool}`: {site.name(name)} removed")
            elif name not in site.head.required:
                yield self.make(
                    site, f"tool `{site.tool}`: {site.name(name)} is no longer always present"
                )


class OutputOptionalPropertyRemoved(_Output):
    """A property the base's output held only sometimes (not required) is gone.

    Clients already had to cope with its absence.
    """

    id = "output-optional-property-removed"
    level = Level.COMPATIBLE
    examples = (Example("optional-removed", output(_obj(sum=_INT, n=_INT)), output(_obj())),)

    def check(self, site: SchemaSite) -> Iterator[Change]:
        gone = site.base.properties.keys() - site.base.required - site.head.properties.keys()
        for name in sorted(gone):
            yield self.make(site, f"tool `{site.tool}`: optional {site.name(name)} removed")


class OutputPropertyAdded(_Output):
    """The output holds a new property, or one it sometimes held is now always there."""

    id = "output-property-added"
    level = Level.COMPATIBLE
    examples = (
        Example("added", output(_obj()), output(_obj(sum=_INT, n=_INT))),
        Example("made-required", output(_obj(required=())), output(_obj())),
    )

    def check(self, site: SchemaSite) -> Iterator[Change]:
        for name in sorted(site.head.properties.keys() - site.base.properties.keys()):
            yield self.make(site, f"tool `{site.tool}`: {site.name(name)} added")
        both = site.base.properties.keys() & site.head.properties.keys()
        for name in sorted((site.head.required - site.base.required) & both):
            yield self.make(site, f"tool `{site.tool}`: {site.name(name)} is now always present")


class OutputAdditionalPropertiesChanged(_Output):
    """The output's `additionalProperties` changed.

    Clients read the properties they know and pass over others, so neither way
    breaks them.
    """

    id = "output-additional-properties-changed"
    level = Level.COMPATIBLE
    examples = (
        Example("closed", output(_obj()), output({**_obj(), "additionalProperties": False})),
    )

    def check(self, site: SchemaSite) -> Iterator[Change]:
        old, new = site.base.additional, site.head.additional
        if (old is True) != (new is True) or (old is False) != (new is False):
            yield self.make(site, f"tool `{site.tool}`: {site.name()} additionalProperties changed")
