"""Contracts as data: loading and checking one, and the changes a comparison finds."""

from __future__ import annotations

import enum
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from fastmcp_kit.errors import FkitError

FORMAT_VERSION = 1
# Each list of components and the key that names an entry in it.
SECTIONS = {
    "tools": "name",
    "resources": "uri",
    "resourceTemplates": "uriTemplate",
    "prompts": "name",
}

Contract = dict[str, Any]


class Level(enum.Enum):
    """How a change affects clients written against the base."""

    # A call or a read that was valid against the base fails or is misread against the head.
    BREAKING = "breaking"
    # Every client of the base keeps working.
    COMPATIBLE = "compatible"
    # Text for people and models (descriptions, titles, defaults): worth a look, never a failure.
    INFO = "info"


@dataclass(frozen=True)
class Change:
    """One classified difference between base and head."""

    rule: str
    level: Level
    # "tool", "resource", "resource template", "prompt" or "server".
    kind: str
    # The component's name (a tool's name, a resource's URI, ...), "" for the server.
    component: str
    message: str
    # Where inside the component: "inputSchema.properties.a", "" for the component itself.
    path: str = ""
    notes: tuple[str, ...] = field(default=())
    # Set by ``[tool.fkit.contract] allow-breaking`` or a commit's allow line.
    allowed_by: str = ""

    @property
    def selector(self) -> str:
        """``rule:component`` as allow-breaking entries name it."""
        return f"{self.rule}:{self.component}"

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "rule": self.rule,
            "level": self.level.value,
            "kind": self.kind,
            "component": self.component,
            "path": self.path,
            "message": self.message,
            "notes": list(self.notes),
        }
        if self.allowed_by:
            data["allowed_by"] = self.allowed_by
        return data


def canonical_json(contract: Contract) -> str:
    """The text a contract is written as: sorted keys, 2-space indent, a final newline."""
    return json.dumps(contract, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def check_contract(data: object, source: str) -> Contract:
    """``data`` as a contract, or one clear error naming ``source``."""
    if not isinstance(data, dict):
        raise FkitError(f"{source}: not an fkit contract (expected a JSON object)")
    version = data.get("fkit_contract")
    if version != FORMAT_VERSION:
        raise FkitError(
            f"{source}: not an fkit contract of format {FORMAT_VERSION} "
            f"(fkit_contract is {json.dumps(version)}); write one with `fkit contract dump`"
        )
    for section, key in SECTIONS.items():
        entries = data.get(section, [])
        if not isinstance(entries, list) or not all(
            isinstance(entry, dict) and isinstance(entry.get(key), str) for entry in entries
        ):
            raise FkitError(f"{source}: {section} must be a list of objects that each have {key!r}")
    server = data.get("server", {})
    if not isinstance(server, dict):
        raise FkitError(f"{source}: server must be an object")
    return data


def load_contract_file(path: Path) -> Contract:
    """A contract written by ``fkit contract dump``."""
    from fastmcp_kit.errors import shown_path

    shown = shown_path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise FkitError(f"{shown}: no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FkitError(f"{shown}: cannot read it ({exc})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise FkitError(f"{shown}: not JSON ({exc.msg} at line {exc.lineno})") from None
    return check_contract(data, shown)
