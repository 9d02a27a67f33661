"""JSON Schema nodes as FastMCP emits them, reduced to what a comparison needs.

FastMCP inlines a model used once and keeps ``$defs``/``$ref`` for recursive models
(checked in 2.14.7, 3.4.11 and 4.2.3: ``tests/fixtures/contract/``), writes
``Optional[X]`` as ``anyOf: [X, {"type": "null"}]``, a ``Literal`` or ``Enum`` as
``enum`` (one value: ``const``), and a ``$ref`` with siblings such as ``default``.
:func:`view` follows the references, folds the Optional shape into a type set with
``"null"`` in it, and keeps the keywords that decide which values are valid.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

Schema = Any  # a JSON Schema: a dict, or True/False

# Keywords that bound the values of one type; compared by :mod:`.rules.constraints`.
LOWER_BOUNDS = ("minimum", "exclusiveMinimum", "minLength", "minItems", "minProperties")
UPPER_BOUNDS = ("maximum", "exclusiveMaximum", "maxLength", "maxItems", "maxProperties")
# Keywords whose any change is a change of the valid values that cannot be ordered.
EXACT = ("pattern", "format", "multipleOf", "uniqueItems", "prefixItems")
# Keywords for readers only: they never make a value valid or invalid.
ANNOTATIONS = frozenset(
    {
        "title",
        "description",
        "examples",
        "default",
        "$comment",
        "deprecated",
        "readOnly",
        "writeOnly",
    }
)
_MAX_REFS = 64


def json_type(value: object) -> str:
    """The JSON Schema type of a JSON value."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    return "array" if isinstance(value, list) else "object"


def literal(value: object) -> str:
    """A JSON value as messages show it and enum sets compare it."""
    return json.dumps(value, sort_keys=True)


@dataclass(frozen=True)
class Node:
    """One schema after references and the Optional shape are folded in."""

    raw: dict[str, Any]
    # The JSON types a value may have; None: any value.
    types: frozenset[str] | None
    # The values allowed by ``enum``/``const`` (as :func:`literal` text); None: not listed.
    values: frozenset[str] | None
    properties: dict[str, Schema] = field(default_factory=dict)
    required: frozenset[str] = frozenset()
    # ``additionalProperties``: True when absent (JSON Schema's default).
    additional: Schema = True
    items: Schema | None = None
    # Several non-null alternatives (a Union), each already a resolved schema.
    branches: tuple[dict[str, Any], ...] = ()
    # The ``$defs`` name this node was reached through, to stop on recursive models.
    ref: str | None = None

    @property
    def nullable(self) -> bool:
        return self.types is None or "null" in self.types

    def has(self, keyword: str) -> bool:
        return keyword in self.raw


def _follow(schema: Schema, root: dict[str, Any]) -> tuple[dict[str, Any], str | None]:
    """The schema a ``$ref`` names, its sibling keywords laid over it."""
    if schema is True or schema is None:
        return {}, None
    if schema is False:
        return {"not": {}}, None
    node: dict[str, Any] = dict(schema)
    ref_name = None
    for _ in range(_MAX_REFS):
        reference = node.get("$ref")
        all_of = node.get("allOf")
        if isinstance(reference, str):
            target = _lookup(reference, root)
            ref_name = reference
            siblings = {k: v for k, v in node.items() if k != "$ref"}
            node = {**target, **siblings}
        elif isinstance(all_of, list) and len(all_of) == 1 and isinstance(all_of[0], dict):
            # Older pydantic wraps a referenced model with a description in allOf.
            siblings = {k: v for k, v in node.items() if k != "allOf"}
            node = {**all_of[0], **siblings}
        else:
            break
    return node, ref_name


def _lookup(reference: str, root: dict[str, Any]) -> dict[str, Any]:
    if not reference.startswith("#/"):
        return {}  # a remote reference: FastMCP never emits one; treated as "any value"
    target: Any = root
    for part in reference[2:].split("/"):
        part = part.replace("~1", "/").replace("~0", "~")
        target = target.get(part) if isinstance(target, dict) else None
    return dict(target) if isinstance(target, dict) else {}


def own_types(node: dict[str, Any]) -> frozenset[str] | None:
    declared = node.get("type")
    if isinstance(declared, str):
        return frozenset({declared})
    if isinstance(declared, list):
        return frozenset(t for t in declared if isinstance(t, str))
    if "const" in node:
        return frozenset({json_type(node["const"])})
    if isinstance(node.get("enum"), list):
        return frozenset(json_type(v) for v in node["enum"])
    if "properties" in node:
        return frozenset({"object"})
    if "items" in node or "prefixItems" in node:
        return frozenset({"array"})
    return None


def own_values(node: dict[str, Any]) -> frozenset[str] | None:
    if "const" in node:
        return frozenset({literal(node["const"])})
    if isinstance(node.get("enum"), list):
        return frozenset(literal(v) for v in node["enum"])
    return None


def view(schema: Schema, root: dict[str, Any]) -> Node:
    """``schema`` (found in the document ``root``) as a :class:`Node`."""
    node, ref = _follow(schema, root)
    alternatives = node.get("anyOf", node.get("oneOf"))
    if isinstance(alternatives, list) and alternatives:
        resolved = [_follow(alternative, root) for alternative in alternatives]
        nulls = [alt for alt, _ in resolved if own_types(alt) == frozenset({"null"})]
        others = [(alt, name) for alt, name in resolved if own_types(alt) != frozenset({"null"})]
        outer = {k: v for k, v in node.items() if k not in ("anyOf", "oneOf")}
        if len(others) == 1:
            # Optional[X]: X itself, with null allowed; the outer default/description kept.
            inner = view(others[0][0], root)
            merged = {**inner.raw, **outer}
            types = inner.types
            if types is not None and nulls:
                types = types | {"null"}
            values = inner.values
            if values is not None and nulls:
                values = values | {literal(None)}
            return _node(merged, types, values, ref=others[0][1] or ref)
        types_union: frozenset[str] | None = frozenset({"null"}) if nulls else frozenset()
        for alt, _ in others:
            alt_types = own_types(alt)
            types_union = (
                None if alt_types is None or types_union is None else types_union | alt_types
            )
        return _node(outer, types_union, None, branches=tuple(alt for alt, _ in others), ref=ref)
    return _node(node, own_types(node), own_values(node), ref=ref)


def _node(
    raw: dict[str, Any],
    types: frozenset[str] | None,
    values: frozenset[str] | None,
    *,
    branches: tuple[dict[str, Any], ...] = (),
    ref: str | None = None,
) -> Node:
    properties = raw.get("properties")
    required = raw.get("required")
    items = raw.get("items")
    return Node(
        raw=raw,
        types=types,
        values=values,
        properties=dict(properties) if isinstance(properties, dict) else {},
        required=frozenset(r for r in required if isinstance(r, str))
        if isinstance(required, list)
        else frozenset(),
        additional=raw.get("additionalProperties", True),
        items=items if isinstance(items, (dict, bool)) else None,
        branches=branches,
        ref=ref,
    )


def accepts(wider: frozenset[str] | None, narrower: frozenset[str] | None) -> bool:
    """Every value of the types ``narrower`` is also of the types ``wider``
    (an integer is a number)."""
    if wider is None:
        return True
    if narrower is None:
        return False
    return all(t in wider or (t == "integer" and "number" in wider) for t in narrower)


def shown_types(types: frozenset[str] | None) -> str:
    """A type set as messages show it: ``integer | null``, ``any``."""
    if types is None:
        return "any"
    order = ["string", "integer", "number", "boolean", "array", "object", "null"]
    return " | ".join(sorted(types, key=lambda t: (order.index(t) if t in order else 99, t)))


# Keywords whose value maps names (not keywords) to schemas.
_NAME_MAPS = frozenset({"properties", "$defs", "definitions", "patternProperties"})


def validating(schema: Schema) -> Schema:
    """``schema`` without the annotation keywords, for "did anything real change"."""
    if isinstance(schema, dict):
        return {
            key: (
                {name: validating(sub) for name, sub in value.items()}
                if key in _NAME_MAPS and isinstance(value, dict)
                else validating(value)
            )
            for key, value in schema.items()
            if key not in ANNOTATIONS and not key.startswith("x-")
        }
    if isinstance(schema, list):
        return [validating(value) for value in schema]
    return schema
