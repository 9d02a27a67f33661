"""Arguments made up from a JSON schema, for ``fkit doctor --call``.

Shipped beside the probe and run in the project's Python (standard library only; the
probe loads it by path). The smallest value each schema admits: a call meant to
exercise the tool's output, not to test its input validation.
"""

from __future__ import annotations

from typing import Any


def example(schema: Any, definitions: dict[str, Any], depth: int = 0) -> Any:
    if not isinstance(schema, dict) or depth > 8:
        return None
    if "$ref" in schema:
        name = str(schema["$ref"]).rsplit("/", 1)[-1]
        return example(definitions.get(name, {}), definitions, depth + 1)
    for key in ("default", "const"):
        if key in schema:
            return schema[key]
    if schema.get("enum"):
        return schema["enum"][0]
    for key in ("anyOf", "oneOf"):
        alternatives = [a for a in schema.get(key, []) if a.get("type") != "null"]
        if alternatives:
            return example(alternatives[0], definitions, depth + 1)
    if schema.get("allOf"):
        return example(schema["allOf"][0], definitions, depth + 1)
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if kind == "string":
        return "x" * max(1, int(schema.get("minLength", 1)))
    if kind == "integer":
        return int(schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1))
    if kind == "number":
        return float(schema.get("minimum", schema.get("exclusiveMinimum", 0) + 1))
    if kind == "boolean":
        return False
    if kind == "array":
        count = int(schema.get("minItems", 0))
        return [example(schema.get("items", {}), definitions, depth + 1) for _ in range(count)]
    if kind == "object" or "properties" in schema:
        return arguments(schema, definitions, depth + 1)
    return None


def arguments(
    schema: dict[str, Any], definitions: dict[str, Any] | None = None, depth: int = 0
) -> dict[str, Any]:
    """The required properties of an object schema, each with an example value."""
    definitions = definitions if definitions is not None else schema.get("$defs", {})
    properties = schema.get("properties", {})
    return {
        name: example(properties.get(name, {}), definitions, depth)
        for name in schema.get("required", [])
    }
