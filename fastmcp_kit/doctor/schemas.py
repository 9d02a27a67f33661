"""Judging the schemas a server publishes, as a client receives them (pure JSON).

* ``self``/``cls`` among a tool's arguments: a method registered unbound; any
  ``ctx``/``context`` with no type, or a ``Context`` type FastMCP did not inject
  (the SDK's, say): the client is asked for an object it cannot have.
* ``param: str = None``: the schema says ``{"type": "string", "default": null}``, so
  a client that sends the advertised default gets a validation error.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

ALWAYS_INJECTED = frozenset({"self", "cls"})
CONTEXT_NAMES = frozenset({"ctx", "context", "_ctx"})
_TYPE_KEYS = ("type", "$ref", "anyOf", "oneOf", "allOf", "enum", "const")


@dataclass(frozen=True)
class SchemaProblem:
    code: str
    tool: str
    parameter: str
    message: str


def _is_untyped(schema: Mapping[str, Any]) -> bool:
    return not any(key in schema for key in _TYPE_KEYS)


def _names_context(schema: Mapping[str, Any]) -> bool:
    reference = str(schema.get("$ref", ""))
    return reference.rsplit("/", 1)[-1] == "Context" or schema.get("title") == "Context"


def _accepts_null(schema: Mapping[str, Any]) -> bool:
    kind = schema.get("type")
    if kind is None or kind == "null" or (isinstance(kind, list) and "null" in kind):
        return True
    alternatives = [*schema.get("anyOf", []), *schema.get("oneOf", [])]
    return any(isinstance(a, Mapping) and _accepts_null(a) for a in alternatives)


def judge_tool(tool: Mapping[str, Any]) -> Iterator[SchemaProblem]:
    name = str(tool.get("name"))
    properties = (tool.get("inputSchema") or {}).get("properties") or {}
    for parameter, schema in properties.items():
        if not isinstance(schema, Mapping):
            continue
        if parameter in ALWAYS_INJECTED or (
            parameter in CONTEXT_NAMES and (_is_untyped(schema) or _names_context(schema))
        ):
            yield SchemaProblem(
                "FMCPD601",
                name,
                parameter,
                f"tool `{name}` asks clients for `{parameter}`, which looks injected: "
                "FastMCP publishes it as an ordinary argument",
            )
        elif "default" in schema and schema["default"] is None and not _accepts_null(schema):
            yield SchemaProblem(
                "FMCPD602",
                name,
                parameter,
                f"tool `{name}`: `{parameter}` defaults to null, but its schema "
                f"({_type_text(schema)}) rejects null",
            )


def _type_text(schema: Mapping[str, Any]) -> str:
    kind = schema.get("type")
    return f"type {kind}" if isinstance(kind, str) else "its type"


def signature(tool: Mapping[str, Any]) -> str:
    """``name(a: integer, b?: string)``: a one-line view of a tool's input schema."""
    schema = tool.get("inputSchema") or {}
    required = set(schema.get("required") or ())
    parts = []
    for parameter, prop in (schema.get("properties") or {}).items():
        mark = "" if parameter in required else "?"
        parts.append(f"{parameter}{mark}: {type_name(prop) if isinstance(prop, Mapping) else '?'}")
    return f"{tool.get('name')}({', '.join(parts)})"


def type_name(schema: Mapping[str, Any]) -> str:
    if "$ref" in schema:
        return str(schema["$ref"]).rsplit("/", 1)[-1]
    for key in ("anyOf", "oneOf"):
        if key in schema:
            return " | ".join(type_name(s) for s in schema[key] if isinstance(s, Mapping))
    if "enum" in schema:
        return " | ".join(repr(v) for v in schema["enum"])
    kind = schema.get("type")
    if kind == "array" and isinstance(schema.get("items"), Mapping):
        return f"array[{type_name(schema['items'])}]"
    if isinstance(kind, list):
        return " | ".join(map(str, kind))
    return str(kind) if kind else "any"
