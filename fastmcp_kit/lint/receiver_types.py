"""Which FastMCP object an expression holds: a small, flow-sensitive type inference for
the receivers rules ask about (``ctx.info(...)``, ``client.list_tools()``).

A name is typed by
* its parameter annotation (``ctx: Context``, ``Context | None``, ``Optional[...]``,
  ``Annotated[Context, ...]``, ``"Context"``), resolved through the module's imports;
* an assignment from a typed expression (``c = Client(url)``, ``ctx = get_context()``),
  the latest one seen in traversal order winning;
* ``async with Client(url) as client`` / ``with ...`` (the client enters as itself).
An expression is typed when it is such a name, a constructor call of a known class,
a call of a known factory (``get_context()``), or a known attribute of a typed
receiver (``middleware_context.fastmcp_context``). Anything else is unknown, and
rules report nothing on unknown receivers: an unannotated parameter, a rebinding to
an unknown value or a name bound in a way this walk does not follow is never guessed.

Scopes follow functions: a parameter or assignment in an inner function shadows the
outer name; module-level bindings are visible in functions defined after them.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import libcst as cst

from fastmcp_kit.lint.names import ModuleNames

CONTEXT = "fastmcp.server.context.Context"
CLIENT = "fastmcp.client.client.Client"
MIDDLEWARE_CONTEXT = "fastmcp.server.middleware.middleware.MiddlewareContext"

# Every public path of each class, to its defining module's path.
CLASS_PATHS: dict[str, str] = {
    **dict.fromkeys(
        ("fastmcp.Context", "fastmcp.server.Context", "fastmcp.server.context.Context"), CONTEXT
    ),
    **dict.fromkeys(
        ("fastmcp.Client", "fastmcp.client.Client", "fastmcp.client.client.Client"), CLIENT
    ),
    **dict.fromkeys(
        (
            "fastmcp.server.middleware.MiddlewareContext",
            "fastmcp.server.middleware.middleware.MiddlewareContext",
        ),
        MIDDLEWARE_CONTEXT,
    ),
}
CLIENT_PATHS = frozenset(path for path, defined in CLASS_PATHS.items() if defined == CLIENT)
# Functions whose result has a known type (called without arguments).
FACTORIES: dict[str, str] = {
    "fastmcp.server.dependencies.get_context": CONTEXT,
}
# Attributes of typed receivers with a known type.
ATTRIBUTES: dict[tuple[str, str], str] = {
    (MIDDLEWARE_CONTEXT, "fastmcp_context"): CONTEXT,
}
# Classes whose instances enter an `async with` / `with` as themselves.
ENTER_AS_SELF = frozenset({CLIENT})

_WRAPPERS = frozenset({"Optional", "Union", "Annotated"})


@dataclass
class _Scope:
    function: cst.FunctionDef | None  # None: the module
    types: dict[str, str | None] = field(default_factory=dict)  # None: known untyped
    # Parameters without an annotation (and not rebound since).
    unannotated: set[str] = field(default_factory=set)


class ReceiverTypes:
    """Feed it function enter/leave, assignment and ``with`` visits (the shared
    traversal's order); ask :meth:`type_of`."""

    def __init__(self, names: ModuleNames) -> None:
        self.names = names
        self.stack: list[_Scope] = [_Scope(None)]

    # -- traversal ----------------------------------------------------------------------

    def enter(self, node: cst.FunctionDef) -> None:
        scope = _Scope(node)
        params = node.params
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        every += [p for p in (params.star_arg, params.star_kwarg) if isinstance(p, cst.Param)]
        for param in every:
            name = param.name.value
            scope.types[name] = self.annotation_type(param.annotation)
            if param.annotation is None:
                scope.unannotated.add(name)
        self.stack.append(scope)

    def leave(self, node: cst.FunctionDef) -> None:
        if len(self.stack) > 1 and self.stack[-1].function is node:
            self.stack.pop()

    def assign(
        self,
        targets: list[cst.BaseExpression],
        value: cst.BaseExpression | None,
        annotation: cst.Annotation | None = None,
    ) -> None:
        typed = self.annotation_type(annotation) if annotation is not None else None
        if typed is None and value is not None:
            typed = self.type_of(value)
        for target in targets:
            self._bind(target, typed)

    def with_items(self, node: cst.With) -> None:
        for item in node.items:
            if item.asname is None:
                continue
            entered = self.type_of(item.item)
            self._bind(item.asname.name, entered if entered in ENTER_AS_SELF else None)

    def _bind(self, target: cst.BaseExpression, typed: str | None) -> None:
        if isinstance(target, cst.Name):
            self.stack[-1].types[target.value] = typed
            self.stack[-1].unannotated.discard(target.value)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind(element.value, None)

    # -- questions ----------------------------------------------------------------------

    @property
    def function(self) -> cst.FunctionDef | None:
        """The innermost enclosing function."""
        return self.stack[-1].function

    def unannotated_parameter_of(self, name: str) -> cst.FunctionDef | None:
        """The function whose unannotated parameter ``name`` is, as seen here."""
        for scope in reversed(self.stack):
            if name in scope.types:
                return scope.function if name in scope.unannotated else None
        return None

    def type_of(self, node: cst.BaseExpression) -> str | None:
        """The defining path of the FastMCP class ``node`` holds, or None (unknown)."""
        if isinstance(node, cst.Name):
            for scope in reversed(self.stack):
                if node.value in scope.types:
                    return scope.types[node.value]
            return None
        if isinstance(node, cst.Call):
            called = self.names.qualified_name(node.func)
            if called in CLASS_PATHS:
                return CLASS_PATHS[called]
            if called in FACTORIES and not node.args:
                return FACTORIES[called]
            return None
        if isinstance(node, cst.Attribute):
            owner = self.type_of(node.value)
            return None if owner is None else ATTRIBUTES.get((owner, node.attr.value))
        return None

    def annotation_type(self, annotation: cst.Annotation | None) -> str | None:
        return None if annotation is None else self._annotated(annotation.annotation)

    def _annotated(self, node: cst.BaseExpression) -> str | None:
        if isinstance(node, cst.SimpleString):
            value = node.evaluated_value
            if not isinstance(value, str):
                return None
            try:
                return self._annotated(cst.parse_expression(value))
            except cst.ParserSyntaxError:
                return None
        if isinstance(node, cst.BinaryOperation) and isinstance(node.operator, cst.BitOr):
            return self._annotated(node.left) or self._annotated(node.right)
        if isinstance(node, cst.Subscript):
            wrapper = (self.names.qualified_name(node.value) or "").rpartition(".")[2]
            if wrapper not in _WRAPPERS:
                return None
            elements = node.slice[:1] if wrapper == "Annotated" else node.slice
            for element in elements:
                if isinstance(element.slice, cst.Index):
                    found = self._annotated(element.slice.value)
                    if found is not None:
                        return found
            return None
        return CLASS_PATHS.get(self.names.qualified_name(node) or "")
