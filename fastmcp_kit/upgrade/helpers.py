"""What several codemods need to know about the code around a node: which function
they are in (async or not, which parameters are a FastMCP ``Context``), which calls are
methods of a standalone FastMCP server, and where a server is assigned."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.upgrade.codemod import Codemod

GET_CONTEXT = frozenset(
    {"fastmcp.server.dependencies.get_context", "fastmcp.server.context.get_context"}
)


@dataclass
class FunctionFrame:
    node: cst.FunctionDef
    is_async: bool
    contexts: set[str] = field(default_factory=set)


class FunctionAware(Codemod):
    """Tracks the enclosing functions and their Context parameters.

    Subclasses that override ``visit_FunctionDef`` / ``leave_FunctionDef`` must call
    ``super()``.
    """

    def visit_Module(self, node: cst.Module) -> bool:
        self.frames: list[FunctionFrame] = []
        return super().visit_Module(node)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        frame = FunctionFrame(node, node.asynchronous is not None)
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if self.names.context_kind(param.annotation) == "fastmcp":
                frame.contexts.add(param.name.value)
        self.frames.append(frame)
        return True

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.BaseStatement | cst.FlattenSentinel[cst.BaseStatement] | cst.RemovalSentinel:
        self.frames.pop()
        return updated_node

    def visit_Assign(self, node: cst.Assign) -> bool:
        # `ctx = get_context()` makes `ctx` a Context in this function.
        value = node.value
        if (
            self.frames
            and isinstance(value, cst.Call)
            and self.names.qualified_name(value.func) in GET_CONTEXT
        ):
            for target in node.targets:
                if isinstance(target.target, cst.Name):
                    self.frames[-1].contexts.add(target.target.value)
        return True

    @property
    def frame(self) -> FunctionFrame | None:
        return self.frames[-1] if self.frames else None

    def is_context(self, node: cst.BaseExpression) -> bool:
        """Is ``node`` a FastMCP Context: a Context parameter, ``get_context()``, or a
        middleware's ``context.fastmcp_context``?"""
        if isinstance(node, cst.Call):
            return self.names.qualified_name(node.func) in GET_CONTEXT
        if isinstance(node, cst.Name):
            return any(node.value in frame.contexts for frame in self.frames)
        return isinstance(node, cst.Attribute) and node.attr.value == "fastmcp_context"


def server_method(codemod: Codemod, call: cst.Call, methods: frozenset[str]) -> str | None:
    """The method name when ``call`` is ``<standalone server>.<method>(...)``."""
    func = call.func
    if not isinstance(func, cst.Attribute) or func.attr.value not in methods:
        return None
    if not codemod.names.is_server(func.value):
        return None
    return func.attr.value


def receiver(call: cst.Call) -> str | None:
    """``mcp`` for ``mcp.mount(...)``."""
    func = call.func
    return dotted_name(func.value) if isinstance(func, cst.Attribute) else None
