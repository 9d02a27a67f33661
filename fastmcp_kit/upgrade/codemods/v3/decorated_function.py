"""Decorators return the plain function in 3.x (3.ii row 10)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example, UpgradeFacts
from fastmcp_kit.upgrade.helpers import module_components

# Attributes of 2.x component objects that a plain function lacks.
_COMPONENT_ATTRIBUTES = frozenset(
    {
        "name", "title", "description", "key", "tags", "meta", "enabled", "parameters",
        "output_schema", "annotations", "uri", "uri_template", "arguments", "run", "read",
        "render", "to_mcp_tool", "to_mcp_resource", "to_mcp_prompt", "model_copy",
        "model_dump", "serializer", "exclude_args", "icons",
    }
)  # fmt: skip


class DecoratedFunction(Codemod):
    """What it does:
    Where a function decorated with ``@mcp.tool`` / ``@mcp.resource(...)`` /
    ``@mcp.prompt`` in the same module is used as the component object:
    ``my_tool.fn`` becomes ``my_tool`` (the function itself); other component
    attributes (``my_tool.name``, ``.description``, ``.run(...)``, ``.key``, ...) are
    reported.

    Why:
    From 3.0 the decorators return the original function, not a ``FunctionTool`` /
    ``FunctionResource`` / ``FunctionPrompt``: attribute reads fail with
    ``AttributeError`` (and calling the name directly now works).

    Safety:
    ``.fn`` was the wrapped function, so the rewrite is exact. For the rest, get the
    component with ``await mcp.get_tool("name")`` (``get_resource``/``get_prompt``); the
    3.x-only escape hatch ``FASTMCP_DECORATOR_MODE=object`` is gone in 4.0.
    """

    ID = "decorated-function"
    TITLE = "decorated names are plain functions (.fn, .name, ...)"
    KIND = "partial"
    ROWS = ("ii.10",)
    LINK = GUIDE_3

    @classmethod
    def wanted(cls, code: str, facts: UpgradeFacts) -> bool:
        return "@" in code and any(f".{name}" in code for name in ("fn", *_COMPONENT_ATTRIBUTES))

    EXAMPLES = (
        Example(
            "fn-and-name",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            def add(a: int, b: int) -> int:
                return a + b

            assert add.fn(1, 2) == 3
            print(add.name)
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            @mcp.tool
            def add(a: int, b: int) -> int:
                return a + b

            assert add(1, 2) == 3
            print(add.name)
            """,
            findings=("`add.name`: from 3.0 `@mcp.tool` returns the plain function",),
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._components = module_components(self.names, node)
        return bool(self._components)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        base = original_node.value
        if not isinstance(base, cst.Name) or base.value not in self._components:
            return updated_node
        attribute = original_node.attr.value
        if attribute == "fn":
            self.rewrote()
            return updated_node.value
        if attribute in _COMPONENT_ATTRIBUTES:
            server, name, kind = self._components[base.value]
            getter = {"template": "get_resource_template"}.get(kind, f"get_{kind}")
            self.report(
                original_node,
                f"`{base.value}.{attribute}`: from 3.0 `@{server}.{_decorator(kind)}` returns "
                f"the plain function; use the component from `await {server}.{getter}(...)` "
                f"(`{name}`)",
                Severity.ERROR,
            )
        return updated_node


def _decorator(kind: str) -> str:
    return "resource" if kind == "template" else kind
