"""Name resolution shared by all rules: which names are standalone FastMCP servers,
which decorators register tools/resources/prompts, which annotations mean Context.

A full QualifiedNameProvider costs several times a parse (see bench/), so this is a
small import/alias tracker: one walk over the *statements* of a module (never its
expressions) that records imports and the assignments that bind servers. Names
are tracked per module, not per scope; that is imprecise only for code that binds
one name to a server in one function and to something else in another.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from fastmcp_kit.lint.body_walk import all_nodes
from fastmcp_kit.lint.cst_statements import nested_blocks, suite_body

# Standalone FastMCP, under every public path it has had (2.x to 4.x).
SERVER_CLASSES = frozenset(
    {
        "fastmcp.FastMCP",
        "fastmcp.server.FastMCP",
        "fastmcp.server.server.FastMCP",
        "fastmcp.server.proxy.FastMCPProxy",
        "fastmcp.server.providers.proxy.FastMCPProxy",
        "fastmcp.server.openapi.FastMCPOpenAPI",
    }
)
# Functions and alternative constructors that return a standalone server.
SERVER_FACTORIES = frozenset(
    {
        "fastmcp.server.create_proxy",
        "fastmcp.server.server.create_proxy",
        "fastmcp.server.providers.proxy.create_proxy",
    }
)
SERVER_CLASSMETHODS = frozenset({"from_openapi", "from_fastapi", "as_proxy", "from_client"})

# The MCP SDK's own server classes: different APIs, never the target of our rules.
SDK_SERVER_CLASSES = frozenset(
    {
        "mcp.server.FastMCP",
        "mcp.server.MCPServer",
        "mcp.server.fastmcp.FastMCP",
        "mcp.server.fastmcp.server.FastMCP",
        "mcp.server.mcpserver.MCPServer",
        "mcp.server.mcpserver.server.MCPServer",
    }
)

FASTMCP_CONTEXT = frozenset(
    {"fastmcp.Context", "fastmcp.server.Context", "fastmcp.server.context.Context"}
)
SDK_CONTEXT = frozenset(
    {
        "mcp.server.fastmcp.Context",
        "mcp.server.fastmcp.server.Context",
        "mcp.server.mcpserver.Context",
        "mcp.server.mcpserver.server.Context",
        "mcp.server.mcpserver.context.Context",
    }
)

ComponentKind = Literal["tool", "resource", "prompt"]
COMPONENT_KINDS: frozenset[str] = frozenset({"tool", "resource", "prompt"})
ContextKind = Literal["fastmcp", "sdk"]


@dataclass(frozen=True)
class ComponentDecorator:
    """``@server.tool``, ``@server.tool(...)``, ``@server.resource("uri")``, ``@server.prompt``."""

    kind: ComponentKind
    server: str
    decorator: cst.Decorator
    call: cst.Call | None

    def argument(self, keyword: str, position: int | None = None) -> cst.Arg | None:
        """The decorator call's argument by keyword, or by position when given."""
        if self.call is None:
            return None
        positional = [arg for arg in self.call.args if arg.keyword is None and not arg.star]
        for arg in self.call.args:
            if arg.keyword is not None and arg.keyword.value == keyword:
                return arg
        if position is not None and position < len(positional):
            return positional[position]
        return None


def _parse_string_annotation(node: cst.SimpleString) -> cst.BaseExpression | None:
    value = node.evaluated_value
    if not isinstance(value, str):
        return None
    try:
        return cst.parse_expression(value)
    except cst.ParserSyntaxError:
        return None


def _head(node: cst.BaseExpression) -> cst.BaseExpression:
    """``a`` of ``a.b.c``."""
    while isinstance(node, cst.Attribute):
        node = node.value
    return node


def dotted_name(node: cst.BaseExpression) -> str | None:
    """``a.b.c`` for a Name/Attribute chain, None for anything else."""
    if isinstance(node, cst.Name):
        return node.value
    if isinstance(node, cst.Attribute):
        base = dotted_name(node.value)
        return None if base is None else f"{base}.{node.attr.value}"
    return None


def _module_name(node: cst.Attribute | cst.Name) -> str:
    return dotted_name(node) or ""


@dataclass
class ModuleNames:
    """What one module binds: import aliases, server variables, server subclasses."""

    aliases: dict[str, str] = field(default_factory=dict)
    # Dotted names ("mcp", "self.mcp") bound to a standalone server anywhere in the module.
    servers: set[str] = field(default_factory=set)
    # Module-level server bindings: name -> the statement that binds it.
    module_servers: dict[str, cst.CSTNode] = field(default_factory=dict)
    # Unannotated function parameters: servers if the module only uses standalone FastMCP.
    parameters: set[str] = field(default_factory=set)
    # Every name bound at module level (assignments, imports, defs, classes).
    module_bindings: set[str] = field(default_factory=set)
    # The module-level names bound by `def` or `class` (functions are not servers).
    module_definitions: set[str] = field(default_factory=set)
    server_classes: set[str] = field(default_factory=set)
    sdk_server_classes: set[str] = field(default_factory=set)
    # The server name sets above are module-wide, not scope-aware. These are the ids of
    # the `Name` nodes, inside a function, of a parameter that function annotates as
    # something else (`server: SDKServer` while another function binds `server =
    # create_proxy(...)`): never servers.
    not_servers: set[int] = field(default_factory=set)
    _typed_parameters: list[tuple[cst.FunctionDef, str]] = field(default_factory=list)

    # -- queries ------------------------------------------------------------------

    @property
    def imports_fastmcp(self) -> bool:
        return any(q == "fastmcp" or q.startswith("fastmcp.") for q in self.aliases.values())

    @property
    def imports_sdk_server(self) -> bool:
        # `import mcp.server.fastmcp` binds plain `mcp`; any SDK server import counts.
        return any(q == "mcp" or q.startswith("mcp.server") for q in self.aliases.values())

    def qualified_name(self, node: cst.BaseExpression) -> str | None:
        """The import path a Name/Attribute chain refers to, if it starts at an import."""
        dotted = dotted_name(node)
        if dotted is None:
            return None
        head, _, rest = dotted.partition(".")
        target = self.aliases.get(head)
        if target is None:
            return None
        return f"{target}.{rest}" if rest else target

    def is_server_class(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.SimpleString):  # "FastMCP" under TYPE_CHECKING imports
            parsed = _parse_string_annotation(node)
            return parsed is not None and self.is_server_class(parsed)
        qualified = self.qualified_name(node)
        if qualified in SERVER_CLASSES:
            return True
        return isinstance(node, cst.Name) and node.value in self.server_classes

    def is_server_constructor(self, call: cst.Call) -> bool:
        """Does this call create a standalone FastMCP server?"""
        func = call.func
        if self.is_server_class(func) or self.qualified_name(func) in SERVER_FACTORIES:
            return True
        return (
            isinstance(func, cst.Attribute)
            and func.attr.value in SERVER_CLASSMETHODS
            and self.is_server_class(func.value)
        )

    def is_server(self, node: cst.BaseExpression) -> bool:
        """Is this expression a standalone FastMCP server object?"""
        if isinstance(node, cst.Call):
            return self.is_server_constructor(node)
        dotted = dotted_name(node)
        if dotted is None or id(_head(node)) in self.not_servers:
            return False
        if dotted in self.servers:
            return True
        # `def register(mcp): @mcp.tool ...` in a module that only knows standalone FastMCP.
        return dotted in self.parameters and self.imports_fastmcp and not self.imports_sdk_server

    def is_bound_server(self, node: cst.BaseExpression) -> bool:
        """A server by construction or annotation, not the guess :meth:`is_server` makes
        for an unannotated parameter."""
        if isinstance(node, cst.Call):
            return self.is_server_constructor(node)
        return dotted_name(node) in self.servers and self.is_server(node)

    def component_decorator(self, decorator: cst.Decorator) -> ComponentDecorator | None:
        expression = decorator.decorator
        call = expression if isinstance(expression, cst.Call) else None
        target = call.func if call is not None else expression
        if not isinstance(target, cst.Attribute) or target.attr.value not in COMPONENT_KINDS:
            return None
        if not self.is_server(target.value):
            return None
        kind: ComponentKind = target.attr.value  # type: ignore[assignment]
        return ComponentDecorator(kind, dotted_name(target.value) or "", decorator, call)

    def component_decorators(self, function: cst.FunctionDef) -> Iterator[ComponentDecorator]:
        for decorator in function.decorators:
            component = self.component_decorator(decorator)
            if component is not None:
                yield component

    def context_kind(self, annotation: cst.Annotation | None) -> ContextKind | None:
        """Whether an annotation names fastmcp's Context, the SDK's, or neither.

        Understands ``Context``, ``"Context"``, ``Context | None``, ``Optional[Context]``,
        ``Union[...]`` and ``Annotated[Context, ...]``.
        """
        if annotation is None:
            return None
        return self._context_kind(annotation.annotation)

    def _context_kind(self, node: cst.BaseExpression) -> ContextKind | None:
        if isinstance(node, cst.SimpleString):
            parsed = _parse_string_annotation(node)
            return None if parsed is None else self._context_kind(parsed)
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return self._context_kind(node.left) or self._context_kind(node.right)
        if isinstance(node, cst.Subscript):
            wrapper = (self.qualified_name(node.value) or "").rpartition(".")[2]
            if wrapper not in {"Optional", "Union", "Annotated"}:
                return None
            elements = node.slice if wrapper != "Annotated" else node.slice[:1]
            for element in elements:
                if isinstance(element.slice, cst.Index):
                    kind = self._context_kind(element.slice.value)
                    if kind:
                        return kind
            return None
        qualified = self.qualified_name(node)
        if qualified in FASTMCP_CONTEXT:
            return "fastmcp"
        if qualified in SDK_CONTEXT:
            return "sdk"
        return None

    # -- construction ---------------------------------------------------------------

    def _record_import(self, node: cst.Import | cst.ImportFrom, module_level: bool) -> None:
        bound: list[str] = []
        if isinstance(node, cst.Import):
            for alias in node.names:
                module = _module_name(alias.name)
                if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                    self.aliases[alias.asname.name.value] = module
                    bound.append(alias.asname.name.value)
                else:
                    head = module.split(".")[0]
                    self.aliases[head] = head
                    bound.append(head)
            if module_level:
                self._bind_imported(bound)
            return
        if module_level and not isinstance(node.names, cst.ImportStar):
            for alias in node.names:
                asname = alias.asname.name if alias.asname is not None else None
                bound.append(
                    asname.value if isinstance(asname, cst.Name) else _module_name(alias.name)
                )
            self._bind_imported(bound)
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return
        module = _module_name(node.module)
        for alias in node.names:
            name = _module_name(alias.name)
            local = name
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                local = alias.asname.name.value
            self.aliases[local] = f"{module}.{name}"

    def _bind_imported(self, names: Sequence[str]) -> None:
        self.module_bindings.update(names)
        for name in names:
            self.module_servers.pop(name, None)

    def _record_binding(
        self,
        targets: Iterable[cst.BaseExpression],
        value: cst.BaseExpression | None,
        annotation: cst.Annotation | None,
        statement: cst.CSTNode,
        module_level: bool,
    ) -> None:
        is_server = (annotation is not None and self.is_server_class(annotation.annotation)) or (
            isinstance(value, cst.Call) and self.is_server_constructor(value)
        )
        for target in targets:
            if isinstance(target, (cst.Tuple, cst.List)):
                # `a, b = ...`: each element is rebound to something that is not a server.
                elements = [element.value for element in target.elements]
                self._record_binding(elements, None, None, statement, module_level)
                continue
            name = dotted_name(target)
            if name is None:
                continue
            if module_level:
                self.module_bindings.add(name)
            if is_server:
                self.servers.add(name)
                if module_level and "." not in name:
                    self.module_servers[name] = statement
            elif module_level:
                # Rebinding a module-level name to something else ends its server-ness.
                self.module_servers.pop(name, None)

    def _record_class(self, node: cst.ClassDef) -> None:
        for base in node.bases:
            if self.is_server_class(base.value):
                self.server_classes.add(node.name.value)
            elif self.qualified_name(base.value) in SDK_SERVER_CLASSES:
                self.sdk_server_classes.add(node.name.value)

    def _define(self, name: str) -> None:
        """A module-level def/class: bound, and no longer a server if it was one."""
        self.module_bindings.add(name)
        self.module_definitions.add(name)
        self.module_servers.pop(name, None)

    def _record_parameters(self, node: cst.FunctionDef) -> None:
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            if param.annotation is None:
                if param.name.value not in {"self", "cls"}:
                    self.parameters.add(param.name.value)
            elif self.is_server_class(param.annotation.annotation):
                self.servers.add(param.name.value)
            else:
                self._typed_parameters.append((node, param.name.value))

    def _shadow_typed_parameters(self) -> None:
        for function, name in self._typed_parameters:
            if name in self.servers or name in self.parameters:
                self.not_servers.update(
                    id(found) for found in all_nodes(function.body, cst.Name) if found.value == name
                )
        self._typed_parameters.clear()

    def _walk(
        self, statements: Sequence[cst.BaseStatement | cst.BaseSmallStatement], module_level: bool
    ) -> None:
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    self._walk_small(small, statement, module_level)
            elif isinstance(statement, cst.BaseSmallStatement):  # `if x: a = 1` bodies
                self._walk_small(statement, statement, module_level)
            elif isinstance(statement, cst.FunctionDef):
                if module_level:
                    self._define(statement.name.value)
                self._record_parameters(statement)
                self._walk(suite_body(statement.body), module_level=False)
            elif isinstance(statement, cst.ClassDef):
                if module_level:
                    self._define(statement.name.value)
                self._record_class(statement)
                self._walk(suite_body(statement.body), module_level=False)
            else:
                for block in nested_blocks(statement):
                    self._walk(block, module_level)

    def _walk_small(
        self, small: cst.BaseSmallStatement, statement: cst.CSTNode, module_level: bool
    ) -> None:
        if isinstance(small, (cst.Import, cst.ImportFrom)):
            self._record_import(small, module_level)
        elif isinstance(small, cst.Assign):
            targets = [t.target for t in small.targets]
            self._record_binding(targets, small.value, None, statement, module_level)
        elif isinstance(small, cst.AnnAssign):
            self._record_binding(
                [small.target], small.value, small.annotation, statement, module_level
            )


def analyze(module: cst.Module) -> ModuleNames:
    """Resolve the names of one module (a walk over its statements only)."""
    names = ModuleNames()
    names._walk(module.body, module_level=True)
    names._shadow_typed_parameters()
    return names
