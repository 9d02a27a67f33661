"""Which values a schema place accepts: types, enum values and bounds, both ways.

On the input side a client writes the values, so fewer accepted values break it;
on the output side a client reads them, so more possible values break it. Each
comparison below is one rule per side.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from fastmcp_kit.contract.model import Change, Contract, Level
from fastmcp_kit.contract.rules.base import ContractRule, Example, one_param, optional, output
from fastmcp_kit.contract.schema import (
    EXACT,
    LOWER_BOUNDS,
    UPPER_BOUNDS,
    Node,
    accepts,
    shown_types,
)
from fastmcp_kit.contract.sites import SchemaSite

_INT = {"type": "integer"}
_STR = {"type": "string"}
_NUM = {"type": "number"}


def _wrapped(schema: dict[str, Any]) -> dict[str, Any]:
    """An output schema as FastMCP wraps a non-object return value."""
    return {
        "type": "object",
        "properties": {"result": schema},
        "required": ["result"],
        "x-fastmcp-wrap-result": True,
    }


def _through_defs(schema: dict[str, Any]) -> Contract:
    """``one_param`` with the parameter's schema behind a ``$ref``, as for a recursive model."""
    data = one_param({"$ref": "#/$defs/N"})
    data["tools"][0]["inputSchema"]["$defs"] = {"N": schema}
    return data


class _Side(ContractRule):
    direction: str

    def schema(self, site: SchemaSite) -> Iterator[Change]:
        if site.direction == self.direction:
            yield from self.check(site)

    def check(self, site: SchemaSite) -> Iterator[Change]:
        raise NotImplementedError


def type_move(base: Node, head: Node) -> str | None:
    """ "narrowed", "widened", "changed" or None (same types)."""
    if base.types == head.types:
        return None
    wider = accepts(head.types, base.types)
    narrower = accepts(base.types, head.types)
    if wider and not narrower:
        return "widened"
    if narrower and not wider:
        return "narrowed"
    return None if wider and narrower else "changed"


def _types_message(site: SchemaSite, verb: str) -> str:
    return (
        f"tool `{site.tool}`: {site.name()} type {verb} from "
        f"`{shown_types(site.base.types)}` to `{shown_types(site.head.types)}`"
    )


class _TypeRule(_Side):
    move: str
    verb: str

    def check(self, site: SchemaSite) -> Iterator[Change]:
        if type_move(site.base, site.head) == self.move:
            yield self.make(site, _types_message(site, self.verb))


class ParameterTypeNarrowed(_TypeRule):
    """A parameter accepts fewer types than it did.

    `int | None` became `int` (null refused), `number` became `integer`, a type was
    dropped from a union or a type list. Calls sending the dropped types fail.
    """

    id = "parameter-type-narrowed"
    level = Level.BREAKING
    direction = "input"
    move = "narrowed"
    verb = "narrowed"
    examples = (
        Example("optional-dropped", one_param(optional(_INT), False), one_param(_INT, False)),
        Example("number-to-integer", one_param(_NUM), one_param(_INT)),
        Example("type-list", one_param({"type": ["string", "integer"]}), one_param(_STR)),
        Example("widened", one_param(_INT), one_param(_NUM), fires=False),
        Example("inline-to-ref", one_param(_INT), _through_defs(_INT), fires=False),
        Example("ref-narrowed", _through_defs(_NUM), _through_defs(_INT)),
    )


class ParameterTypeWidened(_TypeRule):
    """A parameter accepts more types than it did (`int` became `int | None`, `integer` became `number`)."""

    id = "parameter-type-widened"
    level = Level.COMPATIBLE
    direction = "input"
    move = "widened"
    verb = "widened"
    examples = (Example("optional-added", one_param(_INT), one_param(optional(_INT))),)


class ParameterTypeChanged(_TypeRule):
    """A parameter's type changed to one that shares nothing with it (`string` became `integer`)."""

    id = "parameter-type-changed"
    level = Level.BREAKING
    direction = "input"
    move = "changed"
    verb = "changed"
    examples = (
        Example("str-to-int", one_param(_STR), one_param(_INT)),
        Example("same", one_param(_STR), one_param({**_STR, "description": "x"}), fires=False),
    )


class OutputTypeWidened(_TypeRule):
    """A tool's output (or a property of it) may now be of more types.

    `int` became `int | None`, or a union grew: a client that reads the value as
    the base type gets something it does not handle.
    """

    id = "output-type-widened"
    level = Level.BREAKING
    direction = "output"
    move = "widened"
    verb = "widened"
    examples = (
        Example("optional-result", output(_wrapped(_INT)), output(_wrapped(optional(_INT)))),
        Example("narrowed", output(_wrapped(_NUM)), output(_wrapped(_INT)), fires=False),
    )


class OutputTypeNarrowed(_TypeRule):
    """A tool's output (or a property of it) is of fewer types: every value is one the client handled."""

    id = "output-type-narrowed"
    level = Level.COMPATIBLE
    direction = "output"
    move = "narrowed"
    verb = "narrowed"
    examples = (Example("not-null", output(_wrapped(optional(_INT))), output(_wrapped(_INT))),)


class OutputTypeChanged(_TypeRule):
    """A tool's output (or a property of it) changed to an unrelated type."""

    id = "output-type-changed"
    level = Level.BREAKING
    direction = "output"
    move = "changed"
    verb = "changed"
    examples = (Example("int-to-str", output(_wrapped(_INT)), output(_wrapped(_STR))),)


def _enum_message(site: SchemaSite, verb: str, values: set[str]) -> str:
    shown = ", ".join(sorted(values))
    plural = "s" if len(values) > 1 else ""
    return f"tool `{site.tool}`: {site.name()} value{plural} {shown} {verb}"


class _EnumRule(_Side):
    # Values taken away (a list appearing counts: it limits the values) or added
    # (a list going away counts: it lifts the limit).
    removed: bool

    def check(self, site: SchemaSite) -> Iterator[Change]:
        old, new = site.base.values, site.head.values
        if old is None and new is None:
            return
        if old is None or new is None:
            if (old is None) == self.removed:
                text = (
                    f"now limited to {', '.join(sorted(new))}"
                    if new
                    else "no longer limited to a list"
                )
                yield self.make(site, f"tool `{site.tool}`: {site.name()} {text}")
            return
        delta = set(old - new) if self.removed else set(new - old)
        if delta:
            yield self.make(
                site, _enum_message(site, "removed" if self.removed else "added", delta)
            )


_MODE = {"type": "string", "enum": ["fast", "slow"]}


class EnumValueRemoved(_EnumRule):
    """A parameter no longer accepts a value of its `enum` (a `Literal` or `Enum` lost a member),
    or a parameter that took any value is now limited to a list (or a `const`).

    Calls sending the removed value fail validation.
    """

    id = "enum-value-removed"
    level = Level.BREAKING
    direction = "input"
    removed = True
    examples = (
        Example("literal", one_param(_MODE), one_param({**_MODE, "enum": ["fast"]})),
        Example("now-limited", one_param(_STR), one_param(_MODE)),
        Example(
            "optional-enum",
            one_param(optional(_MODE), False),
            one_param(optional({**_MODE, "enum": ["slow"]}), False),
        ),
        Example(
            "value-added",
            one_param(_MODE),
            one_param({**_MODE, "enum": ["fast", "slow", "auto"]}),
            False,
        ),
    )


class EnumValueAdded(_EnumRule):
    """A parameter accepts a value its `enum` did not list (or is no longer limited to a list)."""

    id = "enum-value-added"
    level = Level.COMPATIBLE
    direction = "input"
    removed = False
    examples = (
        Example(
            "literal", one_param(_MODE), one_param({**_MODE, "enum": ["fast", "slow", "auto"]})
        ),
        Example("removed", one_param(_MODE), one_param({**_MODE, "enum": ["fast"]}), False),
    )


class OutputEnumValueAdded(_EnumRule):
    """A tool's output (or a property of it) may hold a value its `enum` did not list.

    A client that switches over the base's values meets one it does not know.
    """

    id = "output-enum-value-added"
    level = Level.BREAKING
    direction = "output"
    removed = False
    examples = (
        Example(
            "new-status",
            output(_wrapped(_MODE)),
            output(_wrapped({**_MODE, "enum": ["fast", "slow", "auto"]})),
        ),
        Example(
            "fewer", output(_wrapped(_MODE)), output(_wrapped({**_MODE, "enum": ["fast"]})), False
        ),
    )


class OutputEnumValueRemoved(_EnumRule):
    """A tool's output (or a property of it) no longer holds one of its `enum` values: nothing new to handle."""

    id = "output-enum-value-removed"
    level = Level.COMPATIBLE
    direction = "output"
    removed = True
    examples = (
        Example("fewer", output(_wrapped(_MODE)), output(_wrapped({**_MODE, "enum": ["fast"]}))),
    )


def bound_moves(base: Node, head: Node) -> Iterator[tuple[str, str]]:
    """(keyword, "tightened" or "loosened") for each bound or exact keyword that changed."""
    for keyword in (*LOWER_BOUNDS, *UPPER_BOUNDS, *EXACT):
        old, new = base.raw.get(keyword), head.raw.get(keyword)
        if old == new:
            continue
        if old is None:
            yield keyword, "tightened"
        elif new is None:
            yield keyword, "loosened"
        elif keyword in EXACT:
            # A new pattern or format is not ordered against the old one: assume the worst.
            yield keyword, "changed"
        elif not isinstance(old, (int, float)) or not isinstance(new, (int, float)):
            yield keyword, "changed"
        elif (new > old) == (keyword in LOWER_BOUNDS):
            yield keyword, "tightened"
        else:
            yield keyword, "loosened"


def _bound_text(site: SchemaSite, keyword: str) -> str:
    old, new = site.base.raw.get(keyword), site.head.raw.get(keyword)
    if old is None:
        return f"`{keyword}: {new}` added"
    if new is None:
        return f"`{keyword}: {old}` removed"
    return f"`{keyword}` {old} became {new}"


class _BoundRule(_Side):
    # The moves this rule reports; "changed" goes with the side's breaking rule.
    moves: tuple[str, ...]

    def check(self, site: SchemaSite) -> Iterator[Change]:
        for keyword, move in bound_moves(site.base, site.head):
            if move in self.moves:
                yield self.make(
                    site, f"tool `{site.tool}`: {site.name()} {_bound_text(site, keyword)}"
                )


_SMALL = {"type": "integer", "minimum": 0, "maximum": 10}


class ConstraintTightened(_BoundRule):
    """A parameter's bounds got stricter: `minimum`/`minLength`/`minItems` raised,
    `maximum`/`maxLength`/`maxItems` lowered, a bound or a `pattern`/`format`/`multipleOf` added,
    or a `pattern`/`format` changed.

    Values the base accepted may now be refused.
    """

    id = "constraint-tightened"
    level = Level.BREAKING
    direction = "input"
    moves = ("tightened", "changed")
    examples = (
        Example("max-lowered", one_param(_SMALL), one_param({**_SMALL, "maximum": 5})),
        Example("pattern-added", one_param(_STR), one_param({**_STR, "pattern": "^[a-z]+$"})),
        Example("max-raised", one_param(_SMALL), one_param({**_SMALL, "maximum": 50}), False),
    )


class ConstraintLoosened(_BoundRule):
    """A parameter's bounds got wider, or a bound was dropped: every value the base accepted still is."""

    id = "constraint-loosened"
    level = Level.COMPATIBLE
    direction = "input"
    moves = ("loosened",)
    examples = (Example("max-raised", one_param(_SMALL), one_param({**_SMALL, "maximum": 50})),)


class OutputConstraintLoosened(_BoundRule):
    """A tool's output (or a property of it) may now fall outside bounds the base promised
    (a `maximum` raised or dropped, a `pattern` changed)."""

    id = "output-constraint-loosened"
    level = Level.BREAKING
    direction = "output"
    moves = ("loosened", "changed")
    examples = (
        Example("max-dropped", output(_wrapped(_SMALL)), output(_wrapped(_INT))),
        Example(
            "max-lowered",
            output(_wrapped(_SMALL)),
            output(_wrapped({**_SMALL, "maximum": 5})),
            False,
        ),
    )


class OutputConstraintTightened(_BoundRule):
    """A tool's output (or a property of it) promises tighter bounds: every value is one the base allowed."""

    id = "output-constraint-tightened"
    level = Level.COMPATIBLE
    direction = "output"
    moves = ("tightened",)
    examples = (
        Example(
            "max-lowered", output(_wrapped(_SMALL)), output(_wrapped({**_SMALL, "maximum": 5}))
        ),
    )
