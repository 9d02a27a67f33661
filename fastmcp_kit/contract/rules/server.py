"""The server as a whole: its name and the capabilities it announces."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastmcp_kit.contract.model import Change, Contract, Level
from fastmcp_kit.contract.rules.base import ContractRule, Example, contract
from fastmcp_kit.contract.schema import literal


def _server(name: str = "demo", **capabilities: Any) -> Contract:
    data = contract()
    data["server"] = {"name": name, "capabilities": capabilities}
    return data


def _capabilities(data: Contract) -> dict[str, Any]:
    found = (data.get("server") or {}).get("capabilities") or {}
    # An empty `experimental` announces nothing (FastMCP 2 and 3 send one).
    return {k: v for k, v in found.items() if not (k == "experimental" and not v)}


class CapabilityRemoved(ContractRule):
    """The server no longer announces a capability (`tools`, `resources`, `prompts`, `logging`, `tasks`, ...).

    Clients that use it (task-augmented calls, log messages, completions) lose it.
    Moving from FastMCP 3 to 4 drops `tasks` unless the tasks extension is added.
    """

    id = "capability-removed"
    level = Level.BREAKING
    examples = (
        Example("tasks", _server(tools={}, tasks={}), _server(tools={})),
        Example("empty-experimental", _server(tools={}, experimental={}), _server(tools={}), False),
    )

    def contract(self, base: Contract, head: Contract) -> Iterator[Change]:
        before, after = _capabilities(base), _capabilities(head)
        for name in sorted(before.keys() - after.keys()):
            yield Change(
                self.id,
                self.level,
                "server",
                "",
                f"capability `{name}` no longer announced",
                f"capabilities.{name}",
            )


class CapabilityAdded(ContractRule):
    """The server announces a capability it did not."""

    id = "capability-added"
    level = Level.COMPATIBLE
    examples = (Example("logging", _server(tools={}), _server(tools={}, logging={})),)

    def contract(self, base: Contract, head: Contract) -> Iterator[Change]:
        before, after = _capabilities(base), _capabilities(head)
        for name in sorted(after.keys() - before.keys()):
            yield Change(
                self.id,
                self.level,
                "server",
                "",
                f"capability `{name}` now announced",
                f"capabilities.{name}",
            )


class CapabilityChanged(ContractRule):
    """The details of an announced capability changed (`listChanged`, `subscribe`, ...).

    FastMCP 4 announces `listChanged: false` where 3.x announced true.
    """

    id = "capability-changed"
    level = Level.INFO
    examples = (
        Example(
            "list-changed",
            _server(tools={"listChanged": True}),
            _server(tools={"listChanged": False}),
        ),
    )

    def contract(self, base: Contract, head: Contract) -> Iterator[Change]:
        before, after = _capabilities(base), _capabilities(head)
        for name in sorted(before.keys() & after.keys()):
            if literal(before[name]) != literal(after[name]):
                text = f"capability `{name}` {literal(before[name])} became {literal(after[name])}"
                yield Change(self.id, self.level, "server", "", text, f"capabilities.{name}")


class ServerRenamed(ContractRule):
    """The server's name (`serverInfo.name`) changed: clients show it, some key settings on it."""

    id = "server-renamed"
    level = Level.INFO
    examples = (Example("renamed", _server("a"), _server("b")),)

    def contract(self, base: Contract, head: Contract) -> Iterator[Change]:
        old = (base.get("server") or {}).get("name")
        new = (head.get("server") or {}).get("name")
        if old != new:
            yield Change(
                self.id,
                self.level,
                "server",
                "",
                f"server name {literal(old)} became {literal(new)}",
                "name",
            )
