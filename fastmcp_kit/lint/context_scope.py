"""Which expressions are a standalone FastMCP ``Context`` (rules on Context methods).

An expression is a fastmcp Context when it is
* a parameter annotated with fastmcp's ``Context`` (``ctx: Context``,
  ``ctx: Context | None = None``, ``ctx: Context = CurrentContext()``),
* a variable assigned from ``get_context()`` (``fastmcp.server.dependencies``) in the
  same function, or that call itself,
* ``<m>.fastmcp_context`` where ``m`` is a parameter annotated with fastmcp's
  ``MiddlewareContext``.

The SDK's Context (``mcp.server.fastmcp.Context``) is never one. Scopes follow
functions: a parameter of an inner function shadows an outer name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

import libcst as cst

from fastmcp_kit.lint.names import ModuleNames
from fastmcp_kit.lint.rule import Rule, RuleContext

GET_CONTEXT = frozenset({"fastmcp.server.dependencies.get_context"})
MIDDLEWARE_CONTEXT = frozenset(
    {
        "fastmcp.server.middleware.MiddlewareContext",
        "fastmcp.server.middleware.middleware.MiddlewareContext",
    }
)

Binding = Literal["context", "middleware", "other"]


@dataclass
class _Scope:
    function: cst.FunctionDef
    bindings: dict[str, Binding] = field(default_factory=dict)
    # Parameters without an annotation (and not rebound since).
    unannotated: set[str] = field(default_factory=set)


class ContextScopes:
    """Feed it FunctionDef enter/leave and Assign visits; ask :meth:`is_context`."""

    def __init__(self, names: ModuleNames) -> None:
        self.names = names
        self.stack: list[_Scope] = []

    def enter(self, node: cst.FunctionDef) -> None:
        scope = _Scope(node)
        params = node.params
        every = [*params.posonly_params, *params.params, *params.kwonly_params]
        for extra in (params.star_arg, params.star_kwarg):
            if isinstance(extra, cst.Param):
                every.append(extra)
        for param in every:
            scope.bindings[param.name.value] = self._classify(param.annotation)
            if param.annotation is None:
                scope.unannotated.add(param.name.value)
        self.stack.append(scope)

    def leave(self, node: cst.FunctionDef) -> None:
        if self.stack and self.stack[-1].function is node:
            self.stack.pop()

    def assign(self, targets: list[cst.BaseExpression], value: cst.BaseExpression | None) -> None:
        if not self.stack:
            return
        kind: Binding = "context" if value is not None and self.is_context(value) else "other"
        for target in targets:
            if isinstance(target, cst.Name):
                self.stack[-1].bindings[target.value] = kind
                self.stack[-1].unannotated.discard(target.value)

    @property
    def function(self) -> cst.FunctionDef | None:
        """The innermost enclosing function."""
        return self.stack[-1].function if self.stack else None

    def _classify(self, annotation: cst.Annotation | None) -> Binding:
        if self.names.context_kind(annotation) == "fastmcp":
            return "context"
        if annotation is not None:
            node = annotation.annotation
            if isinstance(node, cst.Subscript):
                node = node.value
            if self.names.qualified_name(node) in MIDDLEWARE_CONTEXT:
                return "middleware"
        return "other"

    def _lookup(self, name: str) -> Binding | None:
        for scope in reversed(self.stack):
            if name in scope.bindings:
                return scope.bindings[name]
        return None

    def unannotated_parameter_of(self, name: str) -> cst.FunctionDef | None:
        """The function whose unannotated parameter ``name`` is, as seen here."""
        for scope in reversed(self.stack):
            if name in scope.bindings:
                return scope.function if name in scope.unannotated else None
        return None

    def is_context(self, node: cst.BaseExpression) -> bool:
        if isinstance(node, cst.Name):
            return self._lookup(node.value) == "context"
        if isinstance(node, cst.Call):
            return not node.args and self.names.qualified_name(node.func) in GET_CONTEXT
        if isinstance(node, cst.Attribute) and node.attr.value == "fastmcp_context":
            return isinstance(node.value, cst.Name) and self._lookup(node.value.value) == (
                "middleware"
            )
        return False


class ContextRule(Rule):
    """A rule that asks "is this expression a fastmcp Context?": it keeps
    :class:`ContextScopes` up to date through the shared traversal.

    Subclasses that override a visitor below call ``super()`` first.
    """

    def __init__(self, context: RuleContext) -> None:
        super().__init__(context)
        self.scopes = ContextScopes(context.names)

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        self.scopes.enter(node)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self.scopes.leave(original_node)

    def visit_Assign(self, node: cst.Assign) -> None:
        self.scopes.assign([t.target for t in node.targets], node.value)

    def visit_AnnAssign(self, node: cst.AnnAssign) -> None:
        self.scopes.assign([node.target], node.value)
