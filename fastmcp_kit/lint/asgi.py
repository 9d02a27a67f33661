"""Mounting FastMCP into FastAPI/Starlette (rules FMCP401 to FMCP404).

The facts these rules rest on (verified with FastAPI 0.165 / Starlette 1.10 and
uvicorn against fastmcp 2.13.3, 2.14.7, 3.0.2, 3.4.10, 4.0.0 and 4.1.2):

* ``server.http_app()`` returns a Starlette app whose ``.lifespan`` starts the
  Streamable HTTP session manager. Mounted into another app without that lifespan,
  every MCP request is an HTTP 500 (``RuntimeError: FastMCP's
  StreamableHTTPSessionManager task group was not initialized``). The SSE transport
  (``http_app(transport="sse")``) needs no lifespan.
* ``server.lifespan`` is not that lifespan: 2.x has no such attribute
  (``AttributeError``); 3.x/4.x have a provider method that takes no app argument,
  so the parent app's startup fails with ``TypeError``.
* A ``FastMCP`` object is not an ASGI app: mounting it answers every request with
  500 ``TypeError: 'FastMCP' object is not callable``.
* ``http_app()`` serves at ``path`` (default ``/mcp``; ``/sse`` for SSE) *below* the
  mount point, so mounting the default app at ``/mcp`` serves ``/mcp/mcp``.

Names are resolved per scope (module, function), flow-insensitively: a name is a
server, an ``http_app()`` result or an ASGI app only when *every* binding it has in
its scope is one. Unannotated parameters are never assumed to be anything.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeVar, cast

import libcst as cst

from fastmcp_kit.lint.names import ModuleNames, dotted_name
from fastmcp_kit.lint.walk import walk

ASGI_APP_CLASSES = frozenset(
    {"fastapi.FastAPI", "fastapi.applications.FastAPI", "starlette.applications.Starlette"}
)
MOUNT_CLASSES = frozenset({"starlette.routing.Mount", "fastapi.routing.Mount"})
COMBINE_LIFESPANS = frozenset({"fastmcp.utilities.lifespan.combine_lifespans"})
# Server methods returning an ASGI app, and the transport they serve.
HTTP_APP_METHODS = {"http_app": None, "streamable_http_app": "http", "sse_app": "sse"}
DEFAULT_PATHS = {"http": "/mcp", "sse": "/sse"}
STREAMABLE_TRANSPORTS = frozenset({"http", "streamable-http"})
# Attributes through which a user lifespan (or a later assignment) runs an app's lifespan.
LIFESPAN_ATTRIBUTES = frozenset({"lifespan", "router"})

ScopeKind = Literal["module", "function", "class", "lambda"]
BindingKind = Literal["assign", "annotated", "param", "def", "class", "other"]


@dataclass(eq=False)
class Scope:
    kind: ScopeKind
    parent: Scope | None
    bindings: dict[str, list[Binding]] = field(default_factory=dict)
    globals: set[str] = field(default_factory=set)


@dataclass(eq=False)
class Binding:
    """One binding of a name: ``x = value``, ``x: T = value``, a parameter, a def, ..."""

    name: str
    kind: BindingKind
    scope: Scope
    value: cst.BaseExpression | None = None
    annotation: cst.BaseExpression | None = None
    # The statement line that binds it, when it is a plain statement in a block.
    statement: cst.SimpleStatementLine | None = None


@dataclass(frozen=True)
class HttpApp:
    """A ``<server>.http_app(...)`` call and what it serves."""

    call: cst.Call
    server: cst.BaseExpression
    transport: str | None  # "http", "sse", or None when not a literal
    path: str | None  # the endpoint path below the mount point; None when not a literal
    binding: Binding | None  # the variable holding it, if reached through a name

    @property
    def streamable(self) -> bool:
        return self.transport == "http"


@dataclass(eq=False)
class MountSite:
    """``X.mount(path, app)`` or ``Mount(path, app=app)``."""

    call: cst.Call
    kind: Literal["method", "route"]
    path: cst.BaseExpression | None
    app: cst.Arg
    scope: Scope
    receiver: cst.BaseExpression | None = None  # X, for X.mount(...)
    enclosing_app_call: cst.Call | None = None  # Starlette(routes=[Mount(...)])
    routes_name: str | None = None  # routes = [Mount(...)] ; Starlette(routes=routes)


@dataclass(eq=False)
class AppCall:
    """A ``FastAPI(...)`` / ``Starlette(...)`` call."""

    call: cst.Call
    scope: Scope
    statement: cst.SimpleStatementLine | None

    def keyword(self, name: str) -> cst.Arg | None:
        return keyword(self.call, name)

    @property
    def has_splat(self) -> bool:
        return any(arg.star for arg in self.call.args)


def keyword(call: cst.Call, name: str) -> cst.Arg | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg
    return None


def literal_string(node: cst.BaseExpression | None) -> str | None:
    if isinstance(node, (cst.SimpleString, cst.ConcatenatedString)):
        value = node.evaluated_value
        return value if isinstance(value, str) else None
    return None


def _is_none(node: cst.BaseExpression) -> bool:
    return isinstance(node, cst.Name) and node.value == "None"


class _Collector(cst.CSTVisitor):
    """One walk: scopes and bindings, mount sites, app calls, name uses."""

    def __init__(self, names: ModuleNames) -> None:
        super().__init__()
        self.names = names
        self.module_scope = Scope("module", None)
        self.scopes: list[Scope] = [self.module_scope]
        self.statements: list[cst.SimpleStatementLine] = []
        self.calls: list[cst.Call] = []
        # Position of each statement line in its block: id -> (block id, index).
        self.positions: dict[int, tuple[int, int]] = {}
        self.mounts: list[MountSite] = []
        self.app_calls: list[AppCall] = []
        # Every name read that is not a mount's app argument nor `x.attr`'s x.
        self.other_uses: list[tuple[str, Scope]] = []
        # `x.lifespan` / `x.router` reads.
        self.lifespan_uses: list[tuple[str, Scope]] = []
        # Every Name value seen anywhere (to pick a fresh variable name).
        self.all_names: set[str] = set()
        # Values assigned to attribute chains (`self.app = ...`), None when unknown.
        self.attribute_bindings: dict[str, list[cst.BaseExpression | None]] = {}
        self._not_reads: set[int] = set()
        self._attribute_values: set[int] = set()
        self._mount_args: set[int] = set()

    @property
    def scope(self) -> Scope:
        return self.scopes[-1]

    # -- blocks and statements -------------------------------------------------------

    def _index_block(self, owner: cst.CSTNode, body: Sequence[cst.CSTNode]) -> None:
        for index, statement in enumerate(body):
            self.positions[id(statement)] = (id(owner), index)

    def visit_Module(self, node: cst.Module) -> None:
        self._index_block(node, node.body)

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._index_block(node, node.body)

    def visit_SimpleStatementLine(self, node: cst.SimpleStatementLine) -> None:
        self.statements.append(node)

    def leave_SimpleStatementLine(self, original_node: cst.SimpleStatementLine) -> None:
        self.statements.pop()

    @property
    def statement(self) -> cst.SimpleStatementLine | None:
        return self.statements[-1] if self.statements else None

    # -- bindings --------------------------------------------------------------------

    def _bind(
        self,
        name: str,
        kind: BindingKind,
        value: cst.BaseExpression | None = None,
        annotation: cst.BaseExpression | None = None,
        scope: Scope | None = None,
    ) -> None:
        scope = scope or self.scope
        if name in scope.globals:
            scope = self.module_scope
        binding = Binding(name, kind, scope, value, annotation, self.statement)
        scope.bindings.setdefault(name, []).append(binding)

    def _bind_target(self, target: cst.BaseExpression, value: cst.BaseExpression | None) -> None:
        if isinstance(target, cst.Name):
            self._not_reads.add(id(target))
            self._bind(target.value, "assign" if value is not None else "other", value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_target(element.value, None)
        elif isinstance(target, cst.StarredElement):
            self._bind_target(target.value, None)
        elif isinstance(target, cst.Attribute) and (dotted := dotted_name(target)) is not None:
            # `self.app = FastAPI()`: tracked module-wide by its dotted text.
            self.attribute_bindings.setdefault(dotted, []).append(value)

    def visit_Assign(self, node: cst.Assign) -> None:
        for target in node.targets:
            self._bind_target(target.target, node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        if isinstance(node.target, cst.Name):
            self._not_reads.add(id(node.target))
            self._bind(node.target.value, "annotated", node.value, node.annotation.annotation)
        elif node.value is not None:
            self._bind_target(node.target, node.value)

    def visit_AugAssign(self, node: cst.AugAssign) -> None:
        self._bind_target(node.target, None)

    def visit_For(self, node: cst.For) -> None:
        self._bind_target(node.target, None)

    def visit_CompFor(self, node: cst.CompFor) -> None:
        self._bind_target(node.target, None)

    def visit_NamedExpr(self, node: cst.NamedExpr) -> None:
        self._bind_target(node.target, None)

    def visit_WithItem(self, node: cst.WithItem) -> None:
        if node.asname is not None:
            self._bind_target(node.asname.name, None)

    def visit_ExceptHandler(self, node: cst.ExceptHandler) -> None:
        if node.name is not None and isinstance(node.name.name, cst.Name):
            self._not_reads.add(id(node.name.name))
            self._bind(node.name.name.value, "other")

    def visit_Import(self, node: cst.Import) -> None:
        for alias in node.names:
            self._not_reads.update(id(n) for n in _names_in(alias.name))
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._not_reads.add(id(alias.asname.name))
                self._bind(alias.asname.name.value, "other")
            else:
                self._bind((dotted_name(alias.name) or "").split(".")[0], "other")

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        if node.module is not None:
            self._not_reads.update(id(n) for n in _names_in(node.module))
        if isinstance(node.names, cst.ImportStar):
            return
        for alias in node.names:
            self._not_reads.update(id(n) for n in _names_in(alias.name))
            if alias.asname is not None and isinstance(alias.asname.name, cst.Name):
                self._not_reads.add(id(alias.asname.name))
                self._bind(alias.asname.name.value, "other")
            else:
                self._bind(dotted_name(alias.name) or "", "other")

    def visit_Global(self, node: cst.Global) -> None:
        for item in node.names:
            self._not_reads.add(id(item.name))
            self.scope.globals.add(item.name.value)

    def visit_Nonlocal(self, node: cst.Nonlocal) -> None:
        for item in node.names:
            self._not_reads.add(id(item.name))
            self._bind(item.name.value, "other")

    # -- scopes ------------------------------------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self._not_reads.add(id(node.name))
        self._bind(node.name.value, "def", None)
        self.scopes.append(Scope("function", self.scope))
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            self._bind_param(param)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                self._bind_param(star, annotated=False)

    def _bind_param(self, param: cst.Param, annotated: bool = True) -> None:
        self._not_reads.add(id(param.name))
        annotation = param.annotation.annotation if param.annotation and annotated else None
        self._bind(param.name.value, "param", None, annotation)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.pop()

    def visit_Lambda(self, node: cst.Lambda) -> None:
        self.scopes.append(Scope("lambda", self.scope))
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            self._bind_param(param, annotated=False)

    def leave_Lambda(self, original_node: cst.Lambda) -> None:
        self.scopes.pop()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        self._not_reads.add(id(node.name))
        self._bind(node.name.value, "class")
        self.scopes.append(Scope("class", self.scope))

    def leave_ClassDef(self, original_node: cst.ClassDef) -> None:
        self.scopes.pop()

    # -- expressions -------------------------------------------------------------------

    def visit_Attribute(self, node: cst.Attribute) -> None:
        self._not_reads.add(id(node.attr))
        if isinstance(node.value, cst.Name):
            self._attribute_values.add(id(node.value))
            if node.attr.value in LIFESPAN_ATTRIBUTES:
                self.lifespan_uses.append((node.value.value, self.scope))

    def visit_Arg(self, node: cst.Arg) -> None:
        if node.keyword is not None:
            self._not_reads.add(id(node.keyword))

    def visit_Name(self, node: cst.Name) -> None:
        self.all_names.add(node.value)
        if id(node) in self._not_reads or id(node) in self._attribute_values:
            return
        if id(node) in self._mount_args:
            return
        self.other_uses.append((node.value, self.scope))

    def visit_Call(self, node: cst.Call) -> None:
        qualified = self.names.qualified_name(node.func)
        if qualified in ASGI_APP_CLASSES:
            self.app_calls.append(AppCall(node, self.scope, self.statement))
        elif qualified in MOUNT_CLASSES:
            self._route_mount(node)
        elif isinstance(node.func, cst.Attribute) and node.func.attr.value == "mount":
            path, app = _mount_arguments(node)
            if app is not None:
                self._note_mount_arg(app)
                self.mounts.append(
                    MountSite(node, "method", path, app, self.scope, receiver=node.func.value)
                )
        self.calls.append(node)

    def leave_Call(self, original_node: cst.Call) -> None:
        self.calls.pop()

    def _note_mount_arg(self, app: cst.Arg) -> None:
        if isinstance(app.value, cst.Name):
            self._mount_args.add(id(app.value))

    def _route_mount(self, node: cst.Call) -> None:
        path, app = _mount_arguments(node)
        if app is None:
            return
        self._note_mount_arg(app)
        enclosing = next(
            (
                call
                for call in reversed(self.calls)
                if self.names.qualified_name(call.func) in ASGI_APP_CLASSES
            ),
            None,
        )
        routes_name = None
        statement = self.statement
        if enclosing is None and statement is not None and len(statement.body) == 1:
            small = statement.body[0]
            if (
                isinstance(small, cst.Assign)
                and len(small.targets) == 1
                and isinstance(small.targets[0].target, cst.Name)
                and isinstance(small.value, cst.List)
                and any(element.value is node for element in small.value.elements)
            ):
                routes_name = small.targets[0].target.value
        self.mounts.append(
            MountSite(
                node,
                "route",
                path,
                app,
                self.scope,
                enclosing_app_call=enclosing,
                routes_name=routes_name,
            )
        )


def _names_in(node: cst.BaseExpression) -> Iterator[cst.Name]:
    if isinstance(node, cst.Name):
        yield node
    elif isinstance(node, cst.Attribute):
        yield from _names_in(node.value)
        yield node.attr


def _mount_arguments(call: cst.Call) -> tuple[cst.BaseExpression | None, cst.Arg | None]:
    """(path, app) of ``mount(path, app)`` / ``Mount(path, app=...)``."""
    positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
    path_arg = keyword(call, "path") or (positional[0] if positional else None)
    app = keyword(call, "app") or (positional[1] if len(positional) > 1 else None)
    return (path_arg.value if path_arg is not None else None), app


class Analysis:
    """What one module does with FastMCP servers, ``http_app()`` and ASGI apps."""

    def __init__(self, module: cst.Module, names: ModuleNames) -> None:
        self.module = module
        self.names = names
        collector = _Collector(names)
        walk(module, collector)
        self.module_scope = collector.module_scope
        self.positions = collector.positions
        self.mounts = collector.mounts
        self.app_calls = collector.app_calls
        self.all_names = collector.all_names
        self.attribute_bindings = collector.attribute_bindings
        self._other_uses = collector.other_uses
        self._lifespan_uses = collector.lifespan_uses
        self._app_call_ids = {id(app.call): app for app in self.app_calls}

    # -- lookups -------------------------------------------------------------------------

    def lookup(self, name: str, scope: Scope) -> list[Binding]:
        """The bindings a name read in ``scope`` may refer to (Python's LEGB, minus B)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            if name in current.globals:
                current = self.module_scope
            if (first or current.kind != "class") and name in current.bindings:
                return current.bindings[name]
            first = False
            current = current.parent
        return []

    def _single(self, name: str, scope: Scope) -> Binding | None:
        bindings = self.lookup(name, scope)
        return bindings[0] if len(bindings) == 1 else None

    def is_server(self, node: cst.BaseExpression, scope: Scope, depth: int = 0) -> bool:
        """Is ``node`` certainly a standalone FastMCP server object?"""
        if depth > 5:
            return False
        if isinstance(node, cst.Call):
            return self.names.is_server_constructor(node)
        if isinstance(node, cst.Attribute):
            dotted = dotted_name(node)
            values = self.attribute_bindings.get(dotted or "")
            if values is None:
                return dotted in self.names.servers
            return all(
                value is not None and self.is_server(value, self.module_scope, depth + 1)
                for value in values
            )
        if not isinstance(node, cst.Name):
            return False
        bindings = self.lookup(node.value, scope)
        return bool(bindings) and all(
            self._binding_is_server(binding, depth) for binding in bindings
        )

    def _binding_is_server(self, binding: Binding, depth: int) -> bool:
        if binding.annotation is not None and self.names.is_server_class(binding.annotation):
            return True
        if binding.kind in ("assign", "annotated") and binding.value is not None:
            return self.is_server(binding.value, binding.scope, depth + 1)
        return False

    def http_app(self, node: cst.BaseExpression, scope: Scope) -> HttpApp | None:
        """The ``<server>.http_app(...)`` call ``node`` is (or the one variable holds)."""
        binding = None
        if isinstance(node, cst.Name):
            binding = self._single(node.value, scope)
            if binding is None or binding.kind != "assign" or binding.value is None:
                return None
            node, scope = binding.value, binding.scope
        if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
            return None
        method = node.func.attr.value
        if method not in HTTP_APP_METHODS or not self.is_server(node.func.value, scope):
            return None
        transport, path = _transport_and_path(node, HTTP_APP_METHODS[method])
        return HttpApp(node, node.func.value, transport, path, binding)

    def app_calls_of(self, node: cst.BaseExpression, scope: Scope) -> list[AppCall] | None:
        """The FastAPI/Starlette calls that create ``node`` (None: not an ASGI app; an
        empty list: an ASGI app created elsewhere, e.g. an annotated parameter)."""
        if isinstance(node, cst.Attribute):
            values = self.attribute_bindings.get(dotted_name(node) or "", [])
            found = [self._app_call_ids.get(id(value)) for value in values]
            if not found or any(app is None for app in found):
                return None
            return [app for app in found if app is not None]
        if not isinstance(node, cst.Name):
            return None
        bindings = self.lookup(node.value, scope)
        if not bindings:
            return None
        calls: list[AppCall] = []
        for binding in bindings:
            annotation = binding.annotation
            if annotation is not None and self.names.qualified_name(annotation) in ASGI_APP_CLASSES:
                continue
            value = binding.value
            if isinstance(value, cst.Call) and id(value) in self._app_call_ids:
                calls.append(self._app_call_ids[id(value)])
                continue
            return None
        return calls

    def host_call(self, mount: MountSite) -> AppCall | None:
        """The one FastAPI/Starlette call creating the app ``mount`` mounts into."""
        if mount.kind == "method" and mount.receiver is not None:
            calls = self.app_calls_of(mount.receiver, mount.scope)
            return calls[0] if calls is not None and len(calls) == 1 else None
        if mount.enclosing_app_call is not None:
            return self._app_call_ids.get(id(mount.enclosing_app_call))
        if mount.routes_name is not None:
            binding = self._single(mount.routes_name, mount.scope)
            users = [
                app
                for app in self.app_calls
                if isinstance(routes := app.keyword("routes"), cst.Arg)
                and isinstance(routes.value, cst.Name)
                and routes.value.value == mount.routes_name
                and binding is not None
                and self._single(routes.value.value, app.scope) is binding
            ]
            return users[0] if len(users) == 1 else None
        return None

    def mounts_into_asgi(self, mount: MountSite) -> bool:
        """Is this certainly an ASGI mount (not, e.g., FastMCP's own ``server.mount``)?"""
        if mount.kind == "route":
            return True
        assert mount.receiver is not None
        return self.app_calls_of(mount.receiver, mount.scope) is not None

    # -- uses of a variable ----------------------------------------------------------------

    def lifespan_used(self, binding: Binding) -> bool:
        """Is ``<var>.lifespan`` / ``<var>.router`` read anywhere (a parent lifespan,
        a user lifespan entering it, ``app.router.lifespan_context = ...``)?"""
        return any(
            binding in self.lookup(name, scope)
            for name, scope in self._lifespan_uses
            if name == binding.name
        )

    def escapes(self, binding: Binding) -> bool:
        """Is the variable read other than as a mount's app or ``var.attr``? (Passed
        to a helper, returned, aliased: its lifespan may be handled elsewhere.)"""
        return any(
            binding in self.lookup(name, scope)
            for name, scope in self._other_uses
            if name == binding.name
        )

    def is_local_function(self, node: cst.BaseExpression, scope: Scope) -> bool:
        """A name bound only by a ``def`` in this file."""
        if not isinstance(node, cst.Name):
            return False
        bindings = self.lookup(node.value, scope)
        return bool(bindings) and all(b.kind == "def" for b in bindings)

    def known_lifespan(self, node: cst.BaseExpression, scope: Scope) -> bool:
        """A ``lifespan=`` whose every part is visible here: local functions, other
        ``http_app()`` lifespans, and ``combine_lifespans(...)`` of those."""
        if self.is_local_function(node, scope):
            return True
        if (
            isinstance(node, cst.Attribute)
            and node.attr.value == "lifespan"
            and self.http_app(node.value, scope) is not None
        ):
            return True
        if isinstance(node, cst.Call) and self.names.qualified_name(node.func) in COMBINE_LIFESPANS:
            return all(
                not arg.star and arg.keyword is None and self.known_lifespan(arg.value, scope)
                for arg in node.args
            )
        return False

    # -- positions ---------------------------------------------------------------------

    def precedes(self, binding: Binding, statement: cst.SimpleStatementLine | None) -> bool:
        """Is ``binding`` available when ``statement`` runs? True when it is an earlier
        statement of the same block, or a module-level binding read from a function."""
        if binding.statement is None or statement is None:
            return False
        before = self.positions.get(id(binding.statement))
        after = self.positions.get(id(statement))
        if before is None or after is None:
            return False
        if before[0] == after[0]:
            return before[1] < after[1]
        at_module_level = any(line is statement for line in self.module.body)
        return binding.scope is self.module_scope and not at_module_level

    def fresh_name(self, base: str) -> str | None:
        return None if base in self.all_names else base


def _transport_and_path(call: cst.Call, fixed: str | None) -> tuple[str | None, str | None]:
    positional = [arg for arg in call.args if arg.keyword is None]
    if any(arg.star for arg in call.args) or len(positional) > 1:
        return None, None
    transport: str | None = fixed
    if fixed is None:
        transport_arg = keyword(call, "transport")
        if transport_arg is None:
            transport = "http"
        else:
            literal = literal_string(transport_arg.value)
            transport = (
                "http" if literal in STREAMABLE_TRANSPORTS else "sse" if literal == "sse" else None
            )
    path_arg = keyword(call, "path") or (positional[0] if positional else None)
    if transport is None:
        return None, None
    if path_arg is None or _is_none(path_arg.value):
        return transport, DEFAULT_PATHS[transport]
    return transport, literal_string(path_arg.value)


_CACHE: list[tuple[cst.Module, ModuleNames, Analysis]] = []


def analyze(module: cst.Module, names: ModuleNames) -> Analysis | None:
    """The module's analysis, or None when it cannot mount FastMCP into an ASGI app
    (it imports neither fastmcp nor fastapi/starlette). Shared by the rules that
    lint the same module."""
    qualified = names.aliases.values()
    if not names.imports_fastmcp or not any(
        q.split(".")[0] in ("fastapi", "starlette") for q in qualified
    ):
        return None
    for cached_module, cached_names, analysis in _CACHE:
        if cached_module is module and cached_names is names:
            return analysis
    analysis = Analysis(module, names)
    _CACHE.insert(0, (module, names, analysis))
    del _CACHE[4:]
    return analysis


def with_keyword(call: cst.Call, name: str, value: cst.BaseExpression) -> cst.Call:
    """``call`` with ``name=value`` appended after its last argument, keeping the
    call's layout (one line, or one argument per line with a trailing comma)."""
    args = list(call.args)
    new = cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(
            whitespace_before=cst.SimpleWhitespace(""), whitespace_after=cst.SimpleWhitespace("")
        ),
    )
    if not args:
        return call.with_changes(args=[new])
    last = args[-1]
    # The old last argument takes the separator the others use (or, for a lone
    # argument, the whitespace after the opening parenthesis); the new one takes the
    # old last one's trailing comma and the whitespace before the closing parenthesis.
    if len(args) > 1 and isinstance(args[-2].comma, cst.Comma):
        separator = args[-2].comma
    elif isinstance(call.whitespace_before_args, cst.ParenthesizedWhitespace):
        separator = cst.Comma(whitespace_after=call.whitespace_before_args)
    else:
        separator = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    args[-1] = last.with_changes(comma=separator, whitespace_after_arg=cst.SimpleWhitespace(""))
    args.append(new.with_changes(comma=last.comma, whitespace_after_arg=last.whitespace_after_arg))
    return call.with_changes(args=args)


def attribute(name: str, attr: str) -> cst.Attribute:
    return cst.Attribute(value=cst.Name(name), attr=cst.Name(attr))


_Node = TypeVar("_Node", bound=cst.CSTNode)


class _Edit(cst.CSTTransformer):
    """Replace nodes by identity and insert statements before others, in one pass."""

    def __init__(
        self,
        replacements: Sequence[tuple[cst.CSTNode, cst.CSTNode]],
        insertions: Sequence[tuple[cst.SimpleStatementLine, cst.SimpleStatementLine]],
    ) -> None:
        super().__init__()
        self.replacements = {id(old): new for old, new in replacements}
        self.insertions = {id(before): new for before, new in insertions}

    def on_leave(
        self, original_node: _Node, updated_node: _Node
    ) -> _Node | cst.RemovalSentinel | cst.FlattenSentinel[_Node]:
        result = cast(_Node, self.replacements.get(id(original_node), updated_node))
        inserted = self.insertions.get(id(original_node))
        if inserted is not None and isinstance(result, cst.SimpleStatementLine):
            moved = inserted.with_changes(leading_lines=result.leading_lines)
            return cast(
                cst.FlattenSentinel[_Node],
                cst.FlattenSentinel([moved, result.with_changes(leading_lines=())]),
            )
        return result


def replace_inside(node: _Node, old: cst.CSTNode, new: cst.CSTNode) -> _Node:
    """``node`` with its descendant ``old`` (by identity) replaced by ``new``."""
    return cast(_Node, node.visit(_Edit([(old, new)], [])))


def edit_module(
    module: cst.Module,
    replacements: Sequence[tuple[cst.CSTNode, cst.CSTNode]],
    insertions: Sequence[tuple[cst.SimpleStatementLine, cst.SimpleStatementLine]] = (),
) -> tuple[tuple[cst.CSTNode, cst.CSTNode], ...]:
    """Fix replacements making all these changes together (see ``tree_edits``)."""
    if len(replacements) == 1 and not insertions:
        return tuple(replacements)
    return ((module, module.visit(_Edit(replacements, insertions))),)
