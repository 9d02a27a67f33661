"""``await mcp.get_tools()`` (a dict) -> ``await mcp.list_tools()`` (a list) (3.ii rows 11, 12)."""

from __future__ import annotations

import libcst as cst

from fastmcp_kit.lint.violation import Severity
from fastmcp_kit.upgrade.codemod import GUIDE_3, Codemod, Example
from fastmcp_kit.upgrade.cstutil import code, string_value
from fastmcp_kit.upgrade.helpers import server_method

# old method -> (new method, the attribute that was the dict key)
_METHODS = {
    "get_tools": ("list_tools", "name"),
    "get_prompts": ("list_prompts", "name"),
    "get_resources": ("list_resources", "str(c.uri)"),
    "get_resource_templates": ("list_resource_templates", "c.uri_template"),
}


class GetComponents(Codemod):
    """What it does:
    Rewrites ``await mcp.get_tools()`` (also ``get_resources``, ``get_resource_templates``,
    ``get_prompts``) in the shapes that keep their meaning with a list:
    ``(await ...).values()`` -> ``await mcp.list_tools(run_middleware=False)``,
    ``len(await ...)`` -> ``len(await mcp.list_tools(...))``,
    ``(await ...).keys()`` -> a list of the keys,
    ``(await ...)["x"]`` -> ``next(c for c in await mcp.list_tools(...) if c.name == "x")``,
    ``"x" in await ...`` -> ``any(c.name == "x" for c in ...)``; any other use gets the
    same dict, ``{c.name: c for c in await mcp.list_tools(...)}``. ``get_tool(...)``
    inside ``try``/``except NotFoundError`` is reported.

    Why:
    3.0 replaced the dict-returning ``get_*`` methods with ``list_*`` methods returning
    lists (``AttributeError``); ``get_tool`` now returns ``None`` instead of raising
    ``NotFoundError``, which leaves such ``except`` clauses dead.

    Safety:
    For the shapes above the keys were the names (URIs for resources, URI templates for
    templates), and ``run_middleware=False`` skips middleware as ``get_tools()`` did.
    One difference remains, reported (info) at each rewrite: ``list_*`` applies
    visibility (``disable``/tag filters) and transforms (``PromptsAsTools``), while
    ``get_*`` returned every registered component (checked in 2.14.7 and 4.1.2).
    """

    ID = "get-components"
    TITLE = "get_tools()/get_resources()/... become list_*()"
    KIND = "partial"
    ROWS = ("ii.11", "ii.12")
    LINK = GUIDE_3
    TRIGGERS = ("get_tool", "get_resource", "get_prompt")
    EXAMPLES = (
        Example(
            "shapes",
            before="""
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            async def describe() -> tuple:
                count = len(await mcp.get_tools())
                names = list((await mcp.get_prompts()).keys())
                tools = (await mcp.get_tools()).values()
                add = (await mcp.get_tools())["add"]
                has = "data://x" in await mcp.get_resources()
                return count, names, tools, add, has
            """,
            after="""
            from fastmcp import FastMCP

            mcp = FastMCP("x")

            async def describe() -> tuple:
                count = len(await mcp.list_tools(run_middleware=False))
                names = list([c.name for c in await mcp.list_prompts(run_middleware=False)])
                tools = await mcp.list_tools(run_middleware=False)
                add = next(c for c in await mcp.list_tools(run_middleware=False) if c.name == "add")
                has = any(str(c.uri) == "data://x" for c in await mcp.list_resources(run_middleware=False))
                return count, names, tools, add, has
            """,
            findings=("lists what the server exposes",) * 5,
        ),
        Example(
            "other-uses",
            before="""
            from fastmcp import FastMCP
            from fastmcp.exceptions import NotFoundError

            mcp = FastMCP("x")

            async def check() -> object:
                tools = await mcp.get_tools()
                try:
                    return await mcp.get_tool("add")
                except NotFoundError:
                    return sorted(name for name, tool in tools.items())
            """,
            after="""
            from fastmcp import FastMCP
            from fastmcp.exceptions import NotFoundError

            mcp = FastMCP("x")

            async def check() -> object:
                tools = {c.name: c for c in await mcp.list_tools(run_middleware=False)}
                try:
                    return await mcp.get_tool("add")
                except NotFoundError:
                    return sorted(name for name, tool in tools.items())
            """,
            findings=("`list_tools()` lists what the server exposes", "`get_tool()` returns None"),
        ),
    )

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self._handled: set[int] = set()
        self._try_depth: list[bool] = []
        return True

    def visit_Try(self, node: cst.Try) -> bool:
        catches = any(h.type is not None and "NotFoundError" in code(h.type) for h in node.handlers)
        self._try_depth.append(catches)
        return True

    def leave_Try(self, original_node: cst.Try, updated_node: cst.Try) -> cst.Try:
        self._try_depth.pop()
        return updated_node

    # The visit_* methods run before the awaited call is left: they mark the shapes
    # that leave_* rewrites, so leave_Await reports only the other uses.
    def visit_Call(self, node: cst.Call) -> bool:
        func = node.func
        if isinstance(func, cst.Attribute) and func.attr.value in ("values", "keys"):
            self._mark(func.value if not node.args else None)
        if isinstance(func, cst.Name) and func.value == "len" and len(node.args) == 1:
            self._mark(node.args[0].value)
        return True

    def visit_Subscript(self, node: cst.Subscript) -> bool:
        if len(node.slice) == 1:
            index = node.slice[0].slice
            if isinstance(index, cst.Index) and string_value(index.value) is not None:
                self._mark(node.value)
        return True

    def visit_Comparison(self, node: cst.Comparison) -> bool:
        if len(node.comparisons) == 1 and string_value(node.left) is not None:
            target = node.comparisons[0]
            if isinstance(target.operator, (cst.In, cst.NotIn)):
                self._mark(target.comparator)
        return True

    def _mark(self, node: cst.BaseExpression | None) -> None:
        found = self._awaited(node) if node is not None else None
        if found is not None:
            self._handled.add(id(found[0]))

    def leave_Await(self, original_node: cst.Await, updated_node: cst.Await) -> cst.BaseExpression:
        call = original_node.expression
        if not isinstance(call, cst.Call):
            return updated_node
        if server_method(self, call, frozenset({"get_tool"})) and any(self._try_depth):
            self.report(
                original_node,
                "`get_tool()` returns None for an unknown name from 3.0 instead of raising "
                "`NotFoundError`: check for None",
                Severity.WARNING,
            )
            return updated_node
        method = server_method(self, call, frozenset(_METHODS))
        if method is None or call.args:
            return updated_node
        if id(original_node) in self._handled:
            return updated_node
        # Any other use gets the same dict back, keyed as get_*() keyed it.
        assert isinstance(call.func, cst.Attribute)
        new, key = _METHODS[method]
        listing = f"await {code(call.func.value)}.{new}(run_middleware=False)"
        self.rewrote()
        self._note(original_node, method)
        return cst.parse_expression(f"{{{_key(key)}: c for c in {listing}}}")

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        # (await get_x()).values() / .keys()
        if isinstance(func, cst.Attribute) and func.attr.value in ("values", "keys"):
            found = self._awaited(func.value)
            if found is not None and not original_node.args:
                awaited, method, receiver = found
                self._handled.add(id(awaited))
                new, key = _METHODS[method]
                listing = f"await {receiver}.{new}(run_middleware=False)"
                self.rewrote()
                self._note(original_node, method)
                if func.attr.value == "values":
                    return cst.parse_expression(listing)
                return cst.parse_expression(f"[{_key(key)} for c in {listing}]")
        if isinstance(func, cst.Name) and func.value == "len" and len(original_node.args) == 1:
            found = self._awaited(original_node.args[0].value)
            if found is not None:
                awaited, method, receiver = found
                self._handled.add(id(awaited))
                self.rewrote()
                self._note(original_node, method)
                new = _METHODS[method][0]
                return cst.parse_expression(f"len(await {receiver}.{new}(run_middleware=False))")
        return updated_node

    def leave_Subscript(
        self, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> cst.BaseExpression:
        found = self._awaited(original_node.value)
        if found is None or len(original_node.slice) != 1:
            return updated_node
        index = original_node.slice[0].slice
        if not isinstance(index, cst.Index) or string_value(index.value) is None:
            return updated_node
        awaited, method, receiver = found
        self._handled.add(id(awaited))
        new, key = _METHODS[method]
        self.rewrote()
        self._note(original_node, method)
        return cst.parse_expression(
            f"next(c for c in await {receiver}.{new}(run_middleware=False) "
            f"if {_key(key)} == {code(index.value)})"
        )

    def leave_Comparison(
        self, original_node: cst.Comparison, updated_node: cst.Comparison
    ) -> cst.BaseExpression:
        if len(original_node.comparisons) != 1:
            return updated_node
        target = original_node.comparisons[0]
        if not isinstance(target.operator, (cst.In, cst.NotIn)):
            return updated_node
        found = self._awaited(target.comparator)
        if found is None or string_value(original_node.left) is None:
            return updated_node
        awaited, method, receiver = found
        self._handled.add(id(awaited))
        new, key = _METHODS[method]
        self.rewrote()
        self._note(original_node, method)
        test = f"any({_key(key)} == {code(original_node.left)} for c in await {receiver}.{new}(run_middleware=False))"
        if isinstance(target.operator, cst.NotIn):
            test = f"not {test}"
        return cst.parse_expression(test)

    def _note(self, node: cst.CSTNode, method: str) -> None:
        self.report(
            node,
            f"`{_METHODS[method][0]}()` lists what the server exposes (visibility and "
            f"transforms applied); `{method}()` returned every registered component",
            Severity.INFO,
        )

    def _awaited(self, node: cst.BaseExpression) -> tuple[cst.Await, str, str] | None:
        if not isinstance(node, cst.Await) or not isinstance(node.expression, cst.Call):
            return None
        call = node.expression
        method = server_method(self, call, frozenset(_METHODS))
        if method is None or call.args:
            return None
        assert isinstance(call.func, cst.Attribute)
        return node, method, code(call.func.value)


def _key(key: str) -> str:
    return key if "c." in key else f"c.{key}"
