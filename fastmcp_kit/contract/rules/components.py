"""Components appearing, disappearing or moving: tools, resources, templates, prompts."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastmcp_kit.contract.model import SECTIONS, Change, Contract, Level
from fastmcp_kit.contract.rules.base import ContractRule, Example, contract, tool, tools
from fastmcp_kit.contract.sites import ComponentPair


def moved(base: Contract, head: Contract, section: str, key: str) -> dict[str, tuple[str, str]]:
    """Components of ``section`` whose ``name`` stayed while their key (URI) changed:
    name -> (base key, head key). Only one-to-one moves count."""
    before = {entry[key] for entry in base.get(section, [])}
    after = {entry[key] for entry in head.get(section, [])}
    gone = [e for e in base.get(section, []) if e[key] not in after and "name" in e]
    new = [e for e in head.get(section, []) if e[key] not in before and "name" in e]
    found = {}
    for entry in gone:
        same = [e for e in new if e["name"] == entry["name"]]
        if len(same) == 1 and sum(e["name"] == entry["name"] for e in gone) == 1:
            found[entry["name"]] = (entry[key], same[0][key])
    return found


class _Removed(ContractRule):
    section: str
    key: str

    def component(self, pair: ComponentPair) -> Iterator[Change]:
        if pair.section == self.section and pair.base is not None and pair.head is None:
            yield self.make(pair, f"{pair.kind} `{pair.key}` was removed")


class _Added(ContractRule):
    section: str

    def component(self, pair: ComponentPair) -> Iterator[Change]:
        if pair.section != self.section or pair.base is not None or pair.head is None:
            return
        key = SECTIONS[self.section]
        if pair.key not in {
            new
            for _, new in moved(pair.base_contract, pair.head_contract, self.section, key).values()
        }:
            yield self.make(pair, f"{pair.kind} `{pair.key}` was added")


class ToolRemoved(_Removed):
    """A tool the base lists is gone.

    Clients and agents configured to call it get an unknown-tool error. A renamed
    tool is a removed tool and an added one: when a tool added in the same head has
    the same input schema, the finding notes that it looks like a rename.
    """

    id = "tool-removed"
    level = Level.BREAKING
    section = "tools"
    examples = (
        Example("removed", tools(tool("add"), tool("sub")), tools(tool("add"))),
        Example("renamed", tools(tool("add")), tools(tool("plus"))),
        Example("kept", tools(tool("add")), tools(tool("add"), tool("sub")), fires=False),
    )


class ToolAdded(_Added):
    """A tool the base did not list: clients of the base are unaffected."""

    id = "tool-added"
    level = Level.COMPATIBLE
    section = "tools"
    examples = (
        Example("added", tools(tool("add")), tools(tool("add"), tool("sub"))),
        Example("same", tools(tool("add")), tools(tool("add")), fires=False),
    )


_CONFIG = {"uri": "config://app", "name": "app_config"}
_PROFILE = {"uriTemplate": "users://{user_id}/profile", "name": "user_profile"}
_SUMMARIZE = {"name": "summarize", "arguments": [{"name": "text", "required": True}]}


class _NotMoved(_Removed):
    """Skips what :class:`UriChanged` reports as moved."""

    def component(self, pair: ComponentPair) -> Iterator[Change]:
        if pair.section != self.section or pair.head is not None:
            return
        gone = moved(pair.base_contract, pair.head_contract, self.section, self.key).values()
        if pair.key not in {old for old, _ in gone}:
            yield from super().component(pair)


class ResourceRemoved(_NotMoved):
    """A resource the base lists (by URI) is gone.

    Reading its URI now fails. A resource that kept its name under a new URI is
    reported as `resource-uri-changed` instead.
    """

    id = "resource-removed"
    level = Level.BREAKING
    section = "resources"
    key = "uri"
    examples = (
        Example("removed", contract(resources=[_CONFIG]), contract()),
        Example("kept", contract(resources=[_CONFIG]), contract(resources=[_CONFIG]), fires=False),
    )


class ResourceAdded(_Added):
    """A resource the base did not list."""

    id = "resource-added"
    level = Level.COMPATIBLE
    section = "resources"
    examples = (Example("added", contract(), contract(resources=[_CONFIG])),)


class ResourceTemplateRemoved(_NotMoved):
    """A resource template the base lists (by URI template) is gone.

    Reading any URI it matched now fails. A template that kept its name under a new
    URI template is reported as `uri-template-changed` instead.
    """

    id = "resource-template-removed"
    level = Level.BREAKING
    section = "resourceTemplates"
    key = "uriTemplate"
    examples = (
        Example("removed", contract(resourceTemplates=[_PROFILE]), contract()),
        Example(
            "moved-is-not-removed",
            contract(resourceTemplates=[_PROFILE]),
            contract(resourceTemplates=[{**_PROFILE, "uriTemplate": "people://{user_id}"}]),
            fires=False,
        ),
    )


class ResourceTemplateAdded(_Added):
    """A resource template the base did not list."""

    id = "resource-template-added"
    level = Level.COMPATIBLE
    section = "resourceTemplates"
    examples = (Example("added", contract(), contract(resourceTemplates=[_PROFILE])),)


class _UriChanged(ContractRule):
    section: str
    key: str
    noun: str

    def contract(self, base: Contract, head: Contract) -> Iterator[Change]:
        for name, (old, new) in sorted(moved(base, head, self.section, self.key).items()):
            yield Change(
                self.id,
                self.level,
                "resource" if self.section == "resources" else "resource template",
                old,
                f"{self.noun} `{name}` moved from `{old}` to `{new}`",
            )


class UriTemplateChanged(_UriChanged):
    """A resource template kept its name but its URI template changed.

    URIs built for the base template no longer match (a placeholder renamed, a
    segment added or moved), so clients reading them get an error.
    """

    id = "uri-template-changed"
    level = Level.BREAKING
    section = "resourceTemplates"
    key = "uriTemplate"
    noun = "resource template"
    examples = (
        Example(
            "placeholder-renamed",
            contract(resourceTemplates=[_PROFILE]),
            contract(resourceTemplates=[{**_PROFILE, "uriTemplate": "users://{id}/profile"}]),
        ),
        Example(
            "other-name",
            contract(resourceTemplates=[_PROFILE]),
            contract(resourceTemplates=[{"uriTemplate": "a://{x}", "name": "other"}]),
            fires=False,
        ),
    )


class ResourceUriChanged(_UriChanged):
    """A resource kept its name but its URI changed: reading the base URI fails."""

    id = "resource-uri-changed"
    level = Level.BREAKING
    section = "resources"
    key = "uri"
    noun = "resource"
    examples = (
        Example(
            "moved",
            contract(resources=[_CONFIG]),
            contract(resources=[{**_CONFIG, "uri": "config://settings"}]),
        ),
    )


class PromptRemoved(_Removed):
    """A prompt the base lists is gone: getting it now fails."""

    id = "prompt-removed"
    level = Level.BREAKING
    section = "prompts"
    examples = (
        Example("removed", contract(prompts=[_SUMMARIZE]), contract()),
        Example("kept", contract(prompts=[_SUMMARIZE]), contract(prompts=[_SUMMARIZE]), False),
    )


class PromptAdded(_Added):
    """A prompt the base did not list."""

    id = "prompt-added"
    level = Level.COMPATIBLE
    section = "prompts"
    examples = (Example("added", contract(), contract(prompts=[_SUMMARIZE])),)


class MimeTypeChanged(ContractRule):
    """A resource or resource template declares another MIME type.

    A client that parses the content by its declared type (JSON, an image) reads
    something else now.
    """

    id = "mime-type-changed"
    level = Level.BREAKING
    examples = (
        Example(
            "json-to-text",
            contract(resources=[{**_CONFIG, "mimeType": "application/json"}]),
            contract(resources=[{**_CONFIG, "mimeType": "text/plain"}]),
        ),
        Example(
            "same",
            contract(resources=[{**_CONFIG, "mimeType": "text/plain"}]),
            contract(resources=[{**_CONFIG, "mimeType": "text/plain"}]),
            fires=False,
        ),
    )

    def component(self, pair: ComponentPair) -> Iterator[Change]:
        if pair.base is None or pair.head is None:
            return
        old, new = pair.base.get("mimeType"), pair.head.get("mimeType")
        if old != new and old is not None:
            yield self.make(pair, f"{pair.kind} `{pair.key}`: MIME type `{old}` became `{new}`")


_SUM: dict[str, Any] = {"type": "object", "properties": {"sum": {"type": "integer"}}}


class OutputSchemaRemoved(ContractRule):
    """A tool's output schema is gone.

    Clients that read its structured content (`structuredContent`) against the
    schema get unstructured content only.
    """

    id = "output-schema-removed"
    level = Level.BREAKING
    examples = (
        Example("removed", tools(tool(outputSchema=_SUM)), tools(tool())),
        Example("never-had", tools(tool()), tools(tool()), fires=False),
    )

    def component(self, pair: ComponentPair) -> Iterator[Change]:
        if pair.section != "tools" or pair.base is None or pair.head is None:
            return
        if "outputSchema" in pair.base and "outputSchema" not in pair.head:
            yield self.make(pair, f"tool `{pair.key}`: output schema removed", path="outputSchema")


class OutputSchemaAdded(ContractRule):
    """A tool now declares an output schema: structured content on top of what it sent."""

    id = "output-schema-added"
    level = Level.COMPATIBLE
    examples = (Example("added", tools(tool()), tools(tool(outputSchema={"type": "object"}))),)

    def component(self, pair: ComponentPair) -> Iterator[Change]:
        if pair.section != "tools" or pair.base is None or pair.head is None:
            return
        if "outputSchema" not in pair.base and "outputSchema" in pair.head:
            yield self.make(pair, f"tool `{pair.key}`: output schema added", path="outputSchema")
