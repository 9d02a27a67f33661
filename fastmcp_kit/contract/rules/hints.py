"""Tool annotations: the hints clients use to decide what to run without asking.

Absent hints take the MCP specification's defaults (`readOnlyHint` false,
`destructiveHint` true, `idempotentHint` false, `openWorldHint` true), and
`destructiveHint`/`idempotentHint` mean something only when `readOnlyHint` is false.
A hint that now claims less safety can make a client run a tool that changes things
under a policy written for a tool that did not, or stop auto-approving it: breaking.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastmcp_kit.contract.model import Change, Level
from fastmcp_kit.contract.rules.base import ContractRule, Example, tool, tools
from fastmcp_kit.contract.sites import ComponentPair

DEFAULTS = {
    "readOnlyHint": False,
    "destructiveHint": True,
    "idempotentHint": False,
    "openWorldHint": True,
}
# The value of each hint that promises the safer behaviour.
SAFE = {
    "readOnlyHint": True,
    "destructiveHint": False,
    "idempotentHint": True,
    "openWorldHint": False,
}


def effective(annotations: dict[str, Any] | None, hint: str) -> bool:
    """The hint as a client must read it, defaults and readOnlyHint applied."""
    hints = annotations or {}
    read_only = hints.get("readOnlyHint", DEFAULTS["readOnlyHint"]) is True
    if read_only and hint == "destructiveHint":
        return False  # a read-only tool destroys nothing
    if read_only and hint == "idempotentHint":
        return True  # nor does calling it twice change anything
    value = hints.get(hint, DEFAULTS[hint])
    return value if isinstance(value, bool) else DEFAULTS[hint]


def _annotated(**hints: bool) -> Any:
    return tools(tool(annotations=hints))


def _hints(pair: ComponentPair) -> tuple[Any, Any] | None:
    if pair.section != "tools" or pair.base is None or pair.head is None:
        return None
    return pair.base.get("annotations"), pair.head.get("annotations")


class _LessSafe(ContractRule):
    hint: str
    text: str

    def component(self, pair: ComponentPair) -> Iterator[Change]:
        hints = _hints(pair)
        if hints is None:
            return
        before, after = (effective(h, self.hint) for h in hints)
        was_read_only, is_read_only = (effective(h, "readOnlyHint") for h in hints)
        if self.hint != "readOnlyHint" and was_read_only and not is_read_only:
            # From read-only, read-only-hint-removed says it; this hint adds only what
            # the head states outright.
            after = (hints[1] or {}).get(self.hint, SAFE[self.hint])
        if before == SAFE[self.hint] and after != SAFE[self.hint]:
            yield self.make(
                pair, f"tool `{pair.key}`: {self.text}", path=f"annotations.{self.hint}"
            )


class ReadOnlyHintRemoved(_LessSafe):
    """A tool marked read-only (`readOnlyHint: true`) no longer is (false or absent).

    Clients that run read-only tools without asking the user now have a tool that
    may change things.
    """

    id = "read-only-hint-removed"
    level = Level.BREAKING
    hint = "readOnlyHint"
    text = "no longer read-only (`readOnlyHint` true -> false or absent)"
    examples = (
        Example("to-false", _annotated(readOnlyHint=True), _annotated(readOnlyHint=False)),
        Example("to-absent", _annotated(readOnlyHint=True), tools(tool())),
        Example("kept", _annotated(readOnlyHint=True), _annotated(readOnlyHint=True), False),
    )


class DestructiveHintAdded(_LessSafe):
    """A tool that promised not to destroy anything may now (`destructiveHint` false -> true).

    Absent means true (the specification's default), so dropping an explicit
    `destructiveHint: false` counts too; a read-only tool destroys nothing whatever
    the hint says, so a tool losing `readOnlyHint` counts here only when it now says
    `destructiveHint: true` outright (`read-only-hint-removed` reports the rest).
    """

    id = "destructive-hint-added"
    level = Level.BREAKING
    hint = "destructiveHint"
    text = "may now be destructive (`destructiveHint` false -> true)"
    examples = (
        Example("to-true", _annotated(destructiveHint=False), _annotated(destructiveHint=True)),
        Example("to-absent", _annotated(destructiveHint=False), tools(tool())),
        Example("absent-to-true", tools(tool()), _annotated(destructiveHint=True), fires=False),
        Example(
            "read-only-to-destructive",
            _annotated(readOnlyHint=True),
            _annotated(destructiveHint=True),
        ),
        Example(
            "still-read-only",
            _annotated(readOnlyHint=True),
            _annotated(readOnlyHint=True, destructiveHint=True),
            fires=False,
        ),
    )


class IdempotentHintRemoved(_LessSafe):
    """A tool that was safe to call twice (`idempotentHint: true`) no longer says so.

    Clients that retry it on a timeout may now cause the effect twice.
    """

    id = "idempotent-hint-removed"
    level = Level.BREAKING
    hint = "idempotentHint"
    text = "no longer idempotent (`idempotentHint` true -> false or absent)"
    examples = (
        Example("to-absent", _annotated(idempotentHint=True), tools(tool())),
        Example("read-only-lost", _annotated(readOnlyHint=True), tools(tool()), fires=False),
        Example("absent", tools(tool()), tools(tool()), fires=False),
    )


class OpenWorldHintAdded(_LessSafe):
    """A tool that touched only a closed world (`openWorldHint: false`) may now reach outside it
    (true or absent)."""

    id = "open-world-hint-added"
    level = Level.BREAKING
    hint = "openWorldHint"
    text = "may now reach the open world (`openWorldHint` false -> true or absent)"
    examples = (
        Example("to-absent", _annotated(openWorldHint=False), tools(tool())),
        Example("absent-to-true", tools(tool()), _annotated(openWorldHint=True), False),
    )


class HintsSafer(ContractRule):
    """A tool's hints now promise more safety (read-only, not destructive, idempotent, closed world)."""

    id = "hints-safer"
    level = Level.COMPATIBLE
    examples = (
        Example("read-only", tools(tool()), _annotated(readOnlyHint=True)),
        Example("not-destructive", tools(tool()), _annotated(destructiveHint=False)),
        Example("less-safe", _annotated(readOnlyHint=True), tools(tool()), False),
    )

    def component(self, pair: ComponentPair) -> Iterator[Change]:
        hints = _hints(pair)
        if hints is None:
            return
        became_read_only = not effective(hints[0], "readOnlyHint") and effective(
            hints[1], "readOnlyHint"
        )
        for hint, safe in SAFE.items():
            if became_read_only and hint != "readOnlyHint":
                continue  # read-only says the rest: nothing destroyed, safe to repeat
            before, after = (effective(h, hint) for h in hints)
            if before != safe and after == safe:
                yield self.make(
                    pair,
                    f"tool `{pair.key}`: now `{hint}: {str(safe).lower()}`",
                    path=f"annotations.{hint}",
                )
