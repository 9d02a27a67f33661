"""What several codemods need to know about the code around a node: which function
they are in (async or not, which parameters are a FastMCP ``Context``), which calls are
methods of a standalone FastMCP server, and where a server is assigned."""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst
from libcst.metadata import ParentNodeProvider

from fastmcp_kit.lint.names import ModuleNames, dotted_name
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


def server_assignment(codemod: Codemod, call: cst.Call) -> str | None:
    """The target (``mcp``, ``self.mcp``) when ``call`` is the whole value of a
    one-target assignment statement, else None."""
    try:
        parent = codemod.get_metadata(ParentNodeProvider, call)
    except KeyError:
        return None
    if isinstance(parent, cst.Assign) and len(parent.targets) == 1:
        return dotted_name(parent.targets[0].target)
    if isinstance(parent, cst.AnnAssign) and parent.value is call:
        return dotted_name(parent.target)
    return None


def module_calls(module: cst.Module) -> list[cst.Call]:
    """Every call in the module, in source order."""
    found: list[cst.Call] = []

    class Collect(cst.CSTVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            found.append(node)

    module.visit(Collect())
    return found


def only_statement(codemod: Codemod, statement: cst.CSTNode) -> bool:
    """Is ``statement`` the only statement of its block (so removing it needs a pass)?"""
    try:
        parent = codemod.get_metadata(ParentNodeProvider, statement)
    except KeyError:
        return False
    return isinstance(parent, cst.IndentedBlock) and len(parent.body) == 1


def module_components(names: ModuleNames, module: cst.Module) -> dict[str, tuple[str, str, str]]:
    """Functions decorated as components anywhere in the module: function name ->
    (server expression, component name, kind: tool/resource/template/prompt)."""
    found: dict[str, tuple[str, str, str]] = {}

    class Collect(cst.CSTVisitor):
        def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
            for component in names.component_decorators(node):
                name = node.name.value
                kind: str = component.kind
                call = component.call
                if call is not None:
                    given = _string_arg(call, "name")
                    name = given or name
                    if kind == "resource":
                        uri = component.argument("uri", 0)
                        uri_text = _string(uri.value) if uri is not None else None
                        if uri_text is not None and "{" in uri_text:
                            kind = "template"
                found[node.name.value] = (component.server, name, kind)

    module.visit(Collect())
    return found


def _string(node: cst.BaseExpression) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _string_arg(call: cst.Call, name: str) -> str | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return _string(arg.value)
    return None
