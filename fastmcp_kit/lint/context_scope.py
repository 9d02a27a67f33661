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

import libcst as cst

from fastmcp_kit.lint.receiver_types import CONTEXT, ReceiverTypes
from fastmcp_kit.lint.rule import Rule, RuleContext


class ContextScopes(ReceiverTypes):
    """:class:`ReceiverTypes`, asked one question: is this a fastmcp Context?"""

    def is_context(self, node: cst.BaseExpression) -> bool:
        return self.type_of(node) == CONTEXT


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
        self.scopes.assign([node.target], node.value, node.annotation)

    def visit_With(self, node: cst.With) -> None:
        self.scopes.with_items(node)
