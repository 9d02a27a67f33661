"""The behaviour hints a tool declares (``annotations=`` of ``@server.tool(...)``).

Spellings, verified by listing the tools through a client: ``annotations={"readOnlyHint":
True}`` and ``annotations=ToolAnnotations(readOnlyHint=True)`` publish the hint on every
release (2.13.3 to 4.2.3); the snake-case ``read_only_hint`` does so only from 4.0 (the
mcp 2 SDK), and on 2.x/3.x ends up as an unknown extra field that clients ignore.
"""

from __future__ import annotations

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.names import ComponentDecorator

SNAKE_CASE_FROM = Version("4.0.0")
CAMEL_CASE = {"readOnlyHint": "readOnlyHint", "destructiveHint": "destructiveHint"}
SNAKE_CASE = {"read_only_hint": "readOnlyHint", "destructive_hint": "destructiveHint"}


def declared_hints(decorator: ComponentDecorator, target: Version) -> dict[str, cst.CSTNode]:
    """The hints a tool decorator sets to the literal ``True``: camel-case hint name ->
    the node that sets it."""
    if decorator.kind != "tool":
        return {}
    argument = decorator.argument("annotations")
    if argument is None:
        return {}
    spellings = dict(CAMEL_CASE)
    if target >= SNAKE_CASE_FROM:
        spellings.update(SNAKE_CASE)
    found: dict[str, cst.CSTNode] = {}
    value = argument.value
    if isinstance(value, cst.Dict):
        for element in value.elements:
            if isinstance(element, cst.DictElement) and isinstance(element.key, cst.SimpleString):
                key = element.key.raw_value
                if key in spellings and _is_true(element.value):
                    found[spellings[key]] = element
    elif isinstance(value, cst.Call):
        for arg in value.args:
            if arg.keyword is not None and arg.keyword.value in spellings and _is_true(arg.value):
                found[spellings[arg.keyword.value]] = arg
    return found


def _is_true(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value == "True"
