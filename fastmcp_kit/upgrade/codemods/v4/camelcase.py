"""camelCase reads on MCP result objects -> snake_case (3.iii row 35)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.receiver_types import CLIENT_PATHS
from fastmcp_kit.upgrade.codemod import GUIDE_4, Codemod, Example

CAMEL = {
    "inputSchema": "input_schema",
    "outputSchema": "output_schema",
    "mimeType": "mime_type",
    "uriTemplate": "uri_template",
    "isError": "is_error",
    "structuredContent": "structured_content",
    "nextCursor": "next_cursor",
    "serverInfo": "server_info",
    "protocolVersion": "protocol_version",
    "readOnlyHint": "read_only_hint",
    "destructiveHint": "destructive_hint",
    "idempotentHint": "idempotent_hint",
    "openWorldHint": "open_world_hint",
}
_LISTS = frozenset(
    {
        "list_tools",
        "list_resources",
        "list_resource_templates",
        "list_prompts",
        "list_tools_mcp",
        "list_resources_mcp",
        "list_resource_templates_mcp",
        "list_prompts_mcp",
    }
)
_RESULTS = frozenset({"call_tool_mcp", "read_resource_mcp", "get_prompt_mcp"})
_CLIENTS = CLIENT_PATHS


class CamelCase(Codemod):
    """What it does:
    Renames camelCase attribute reads (``inputSchema``, ``outputSchema``, ``mimeType``,
    ``uriTemplate``, ``isError``, ``structuredContent``, ``nextCursor``, ``serverInfo``,
    ``protocolVersion``, ``readOnlyHint``, ...) to snake_case on objects known to come
    from a FastMCP ``Client``: loop variables over ``await client.list_tools()`` (and the
    other ``list_*``), and names assigned from ``await client.list_*()`` /
    ``client.call_tool_mcp(...)``.

    Why:
    4.x builds on MCP SDK v2, whose fields are snake_case; the camelCase names still work
    through a bridge that warns (``FastMCPDeprecationWarning``) and will be removed.

    Safety:
    Safe on those objects (both names resolve in 4.1.2). Dictionary keys and JSON are
    never touched; other objects are left alone (the bridge keeps them working).
    """

    ID = "camelcase-fields"
    TITLE = "camelCase reads on client results become snake_case"
    KIND = "partial"
    ROWS = ("iii.35",)
    LINK = GUIDE_4
    TRIGGERS = tuple(CAMEL)
    EXAMPLES = (
        Example(
            "loop",
            before="""
            from fastmcp import Client

            async def schemas(url: str) -> dict:
                async with Client(url) as client:
                    tools = await client.list_tools()
                    first = tools[0].inputSchema
                    return {t.name: t.inputSchema for t in await client.list_tools()} | {"first": first}
            """,
            after="""
            from fastmcp import Client

            async def schemas(url: str) -> dict:
                async with Client(url) as client:
                    tools = await client.list_tools()
                    first = tools[0].input_schema
                    return {t.name: t.input_schema for t in await client.list_tools()} | {"first": first}
            """,
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._clients: set[str] = set()
        self._results: set[str] = set()
        self._items: set[str] = set()
        return True

    def visit_WithItem(self, node: cst.WithItem) -> bool:
        if (
            isinstance(node.item, cst.Call)
            and self.names.qualified_name(node.item.func) in _CLIENTS
            and node.asname is not None
            and isinstance(node.asname.name, cst.Name)
        ):
            self._clients.add(node.asname.name.value)
        return True

    def visit_Assign(self, node: cst.Assign) -> bool:
        value = node.value
        if isinstance(value, cst.Call) and self.names.qualified_name(value.func) in _CLIENTS:
            self._clients.update(_names(node))
        elif self._client_call(value, _LISTS | _RESULTS):
            self._results.update(_names(node))
        return True

    # A comprehension's element is visited before its `for`: look at the `for` first.
    def visit_ListComp(self, node: cst.ListComp) -> bool:
        return self._comprehension(node.for_in)

    def visit_SetComp(self, node: cst.SetComp) -> bool:
        return self._comprehension(node.for_in)

    def visit_GeneratorExp(self, node: cst.GeneratorExp) -> bool:
        return self._comprehension(node.for_in)

    def visit_DictComp(self, node: cst.DictComp) -> bool:
        return self._comprehension(node.for_in)

    def _comprehension(self, clause: cst.CompFor | None) -> bool:
        while clause is not None:
            if self._client_call(clause.iter, _LISTS) and isinstance(clause.target, cst.Name):
                self._items.add(clause.target.value)
            clause = clause.inner_for_in
        return True

    def visit_For(self, node: cst.For) -> bool:
        if (
            self._client_call(node.iter, _LISTS) or dotted_name(node.iter) in self._results
        ) and isinstance(node.target, cst.Name):
            self._items.add(node.target.value)
        return True

    def _client_call(self, node: cst.BaseExpression, methods: frozenset[str]) -> bool:
        if isinstance(node, cst.Await):
            node = node.expression
        return (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and node.func.attr.value in methods
            and dotted_name(node.func.value) in self._clients
        )

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        new = CAMEL.get(original_node.attr.value)
        if new is None or not self._known(original_node.value):
            return updated_node
        self.rewrote()
        return updated_node.with_changes(attr=cst.Name(new))

    def _known(self, node: cst.BaseExpression) -> bool:
        while isinstance(node, (cst.Attribute, cst.Subscript)):
            if isinstance(node, cst.Attribute) and node.attr.value != "annotations":
                return False
            node = node.value
        if not isinstance(node, cst.Name):
            return False
        return node.value in self._items or node.value in self._results


def _names(node: cst.Assign) -> list[str]:
    return [t.target.value for t in node.targets if isinstance(t.target, cst.Name)]
