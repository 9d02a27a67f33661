"""A tool's parameters (and the properties of objects it takes) added, removed,
made required or optional: the input side, where the client writes the values."""

from __future__ import annotations

from collections.abc import Iterator

from fastmcp_kit.contract.model import Change, Level
from fastmcp_kit.contract.rules.base import ContractRule, Example, one_param, tool, tools
from fastmcp_kit.contract.schema import literal
from fastmcp_kit.contract.sites import SchemaSite

_INT = {"type": "integer"}
_PERSON = {
    "type": "object",
    "properties": {"name": {"type": "string"}},
    "required": ["name"],
}


class _Input(ContractRule):
    def schema(self, site: SchemaSite) -> Iterator[Change]:
        if site.direction == "input":
            yield from self.check(site)

    def check(self, site: SchemaSite) -> Iterator[Change]:
        raise NotImplementedError


class RequiredParameterAdded(_Input):
    """A new parameter that clients must send (or a new required property of an object a tool takes).

    Every call written against the base lacks it and is refused. Give the new
    parameter a default to make the change compatible.
    """

    id = "required-parameter-added"
    level = Level.BREAKING
    examples = (
        Example("new-required", tools(tool()), tools(tool(params={"a": _INT, "b": _INT}))),
        Example(
            "nested",
            one_param(_PERSON),
            one_param(
                {**_PERSON, "properties": {"name": _INT, "age": _INT}, "required": ["name", "age"]}
            ),
        ),
        Example(
            "new-optional",
            tools(tool()),
            tools(tool(params={"a": _INT, "b": {**_INT, "default": 0}}, required=("a",))),
            fires=False,
        ),
    )

    def check(self, site: SchemaSite) -> Iterator[Change]:
        for name in sorted(site.head.required - site.base.properties.keys()):
            if name in site.head.properties:
                yield self.make(site, f"tool `{site.tool}`: required {site.name(name)} added")


class OptionalParameterAdded(_Input):
    """A new parameter that clients may leave out: calls written against the base still work."""

    id = "optional-parameter-added"
    level = Level.COMPATIBLE
    examples = (
        Example(
            "new-optional",
            tools(tool()),
            tools(tool(params={"a": _INT, "b": {**_INT, "default": 0}}, required=("a",))),
        ),
        Example("new-required", tools(tool()), tools(tool(params={"a": _INT, "b": _INT})), False),
    )

    def check(self, site: SchemaSite) -> Iterator[Change]:
        for name in sorted(site.head.properties.keys() - site.base.properties.keys()):
            if name not in site.head.required:
                yield self.make(site, f"tool `{site.tool}`: optional {site.name(name)} added")


class ParameterRemoved(_Input):
    """A parameter (or a property of an object a tool takes) is gone.

    FastMCP refuses a call with an argument the tool does not take (checked in
    2.14.7, 3.4.11 and 4.2.3: `Unexpected keyword argument`), so every call that
    sends it fails; inside an object the value is dropped or refused. A renamed
    parameter is a removed one and an added one: the finding notes the rename when
    a parameter with the same schema was added.
    """

    id = "parameter-removed"
    level = Level.BREAKING
    examples = (
        Example("removed", tools(tool(params={"a": _INT, "b": _INT})), tools(tool())),
        Example("renamed", tools(tool()), tools(tool(params={"x": _INT}))),
        Example("kept", tools(tool()), tools(tool()), fires=False),
    )

    def check(self, site: SchemaSite) -> Iterator[Change]:
        for name in sorted(site.base.properties.keys() - site.head.properties.keys()):
            yield self.make(site, f"tool `{site.tool}`: {site.name(name)} removed")


class ParameterMadeRequired(_Input):
    """A parameter clients could leave out must now be sent.

    Every call that relied on its default is refused.
    """

    id = "parameter-made-required"
    level = Level.BREAKING
    examples = (
        Example(
            "default-dropped",
            tools(tool(params={"a": _INT, "b": {**_INT, "default": 1}}, required=("a",))),
            tools(tool(params={"a": _INT, "b": _INT})),
        ),
        Example(
            "already-required",
            tools(tool(params={"a": _INT, "b": _INT})),
            tools(tool(params={"a": _INT, "b": _INT})),
            fires=False,
        ),
    )

    def check(self, site: SchemaSite) -> Iterator[Change]:
        both = site.base.properties.keys() & site.head.properties.keys()
        for name in sorted((site.head.required - site.base.required) & both):
            yield self.make(site, f"tool `{site.tool}`: {site.name(name)} is now required")


class ParameterMadeOptional(_Input):
    """A required parameter got a default: calls that send it keep working."""

    id = "parameter-made-optional"
    level = Level.COMPATIBLE
    examples = (
        Example(
            "default-added",
            tools(tool(params={"a": _INT, "b": _INT})),
            tools(tool(params={"a": _INT, "b": {**_INT, "default": 1}}, required=("a",))),
        ),
    )

    def check(self, site: SchemaSite) -> Iterator[Change]:
        both = site.base.properties.keys() & site.head.properties.keys()
        for name in sorted((site.base.required - site.head.required) & both):
            yield self.make(site, f"tool `{site.tool}`: {site.name(name)} is now optional")


class DefaultChanged(_Input):
    """A parameter's default value changed.

    Every call stays valid, but a client that leaves the parameter out now gets
    other behaviour: worth a line in the release notes.
    """

    id = "default-changed"
    level = Level.INFO
    examples = (
        Example(
            "changed",
            one_param({**_INT, "default": 1}, required=False),
            one_param({**_INT, "default": 2}, required=False),
        ),
        Example(
            "same",
            one_param({**_INT, "default": 1}, required=False),
            one_param({**_INT, "default": 1, "description": "A"}, required=False),
            fires=False,
        ),
    )

    def check(self, site: SchemaSite) -> Iterator[Change]:
        if site.top or "default" not in site.base.raw or "default" not in site.head.raw:
            return
        old, new = site.base.raw["default"], site.head.raw["default"]
        if literal(old) != literal(new):
            yield self.make(
                site,
                f"tool `{site.tool}`: {site.name()} default {literal(old)} became {literal(new)}",
            )


class AdditionalPropertiesClosed(_Input):
    """An object a tool takes (not the tool's own arguments) now refuses properties it accepted.

    `additionalProperties` went from allowed (absent or `true`) to `false`, or from
    any value to a schema: a client that sent other keys is refused. (A pydantic
    model with `extra="forbid"` does this.)
    """

    id = "additional-properties-closed"
    level = Level.BREAKING
    examples = (
        Example(
            "forbid", one_param(_PERSON), one_param({**_PERSON, "additionalProperties": False})
        ),
        Example(
            "top-level-is-arguments-closed",
            tools({"name": "add", "inputSchema": {"type": "object", "properties": {}}}),
            tools(tool(params={}, required=())),
            fires=False,
        ),
    )

    def check(self, site: SchemaSite) -> Iterator[Change]:
        if site.top:
            return
        old, new = site.base.additional, site.head.additional
        if old is True and new is not True:
            yield self.make(site, f"tool `{site.tool}`: {site.name()} no longer accepts other keys")


class AdditionalPropertiesOpened(_Input):
    """An object a tool takes now accepts keys it refused (`additionalProperties` relaxed)."""

    id = "additional-properties-opened"
    level = Level.COMPATIBLE
    examples = (
        Example("allow", one_param({**_PERSON, "additionalProperties": False}), one_param(_PERSON)),
    )

    def check(self, site: SchemaSite) -> Iterator[Change]:
        old, new = site.base.additional, site.head.additional
        if old is not True and new is True:
            yield self.make(
                site,
                f"tool `{site.tool}`: {site.name() if not site.top else 'arguments'} now accept other keys",
            )


class ArgumentsClosed(_Input):
    """A tool's input schema now says `additionalProperties: false` at the top.

    FastMCP 3 and 4 write this; 2.x did not. Only the schema changed: every
    FastMCP release refuses an argument a tool does not take (checked in 2.14.7,
    3.4.11 and 4.2.3), so no call that worked before fails now.
    """

    id = "arguments-closed"
    level = Level.INFO
    examples = (
        Example(
            "fastmcp-3",
            tools({"name": "add", "inputSchema": {"type": "object", "properties": {}}}),
            tools(tool(params={}, required=())),
        ),
    )

    def check(self, site: SchemaSite) -> Iterator[Change]:
        if site.top and site.base.additional is True and site.head.additional is False:
            yield self.make(
                site, f"tool `{site.tool}`: input schema now lists unknown arguments as refused"
            )
