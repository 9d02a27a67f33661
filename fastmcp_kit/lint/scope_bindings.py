"""The names each scope of a module binds, and how: a statement walk (no expressions)
for :mod:`fastmcp_kit.lint.registered_functions`, which follows a registered value
back to the ``def`` it names.

A binding is a ``def`` or ``class`` node, the expression assigned, a ``for`` target
(the loop and the target's position in its tuple pattern), or None for anything else
(imports, parameters, augmented assignments, ``with`` and ``except`` targets,
``global``): a name bound twice, or by None, is unknown to the resolver.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import libcst as cst

from fastmcp_kit.lint.cst_statements import nested_blocks, suite_body

# Attributes that replace what ``inspect.signature`` reports for a function.
_SIGNATURE_ATTRIBUTES = frozenset({"__signature__", "__wrapped__"})
_SIGNATURE_REWRITERS = frozenset({"setattr", "update_wrapper"})


@dataclass(eq=False)
class Scope:
    node: cst.Module | cst.FunctionDef | cst.ClassDef
    parent: Scope | None
    # name -> what binds it: a def/class node, an assigned expression, a loop target
    # (the for statement and the target's position), or None for anything else.
    bindings: dict[str, list[object]] = field(default_factory=dict)
    # Functions whose signature the scope rewrites (``fn.__signature__ = ...``,
    # ``functools.update_wrapper(fn, ...)``): FastMCP reads that one, not the def's.
    rewritten: set[str] = field(default_factory=set)

    def bind(self, name: str, how: object) -> None:
        self.bindings.setdefault(name, []).append(how)


@dataclass(frozen=True)
class LoopTarget:
    loop: cst.For
    path: tuple[int, ...]


class ScopeBindings:
    """Every scope of one module, the calls made as statements or assigned values,
    and every ``def`` with the scope that binds it."""

    def __init__(self) -> None:
        self.scopes: dict[int, Scope] = {}  # id(def or class) -> its own scope
        self.calls: list[tuple[cst.Call, Scope]] = []
        self.functions: list[tuple[cst.FunctionDef, Scope]] = []

    def build(self, module: cst.Module) -> None:
        self._walk(module.body, Scope(module, None))

    def _walk(
        self, statements: Sequence[cst.BaseStatement | cst.BaseSmallStatement], scope: Scope
    ) -> None:
        for statement in statements:
            if isinstance(statement, cst.SimpleStatementLine):
                for small in statement.body:
                    self._small(small, scope)
            elif isinstance(statement, cst.BaseSmallStatement):
                self._small(statement, scope)
            elif isinstance(statement, cst.FunctionDef):
                self._function(statement, scope)
            elif isinstance(statement, cst.ClassDef):
                scope.bind(statement.name.value, statement)
                inner = Scope(statement, scope)
                self.scopes[id(statement)] = inner
                self._walk(suite_body(statement.body), inner)
            else:
                if isinstance(statement, cst.For):
                    self._bind_target(statement.target, scope, statement, ())
                elif isinstance(statement, cst.With):
                    for item in statement.items:
                        if item.asname is not None:
                            self._bind_unknown(item.asname.name, scope)
                elif isinstance(statement, cst.Try):
                    for handler in statement.handlers:
                        if handler.name is not None:
                            self._bind_unknown(handler.name.name, scope)
                for block in nested_blocks(statement):
                    self._walk(block, scope)

    def _function(self, node: cst.FunctionDef, scope: Scope) -> None:
        scope.bind(node.name.value, node)
        inner = Scope(node, scope)
        self.scopes[id(node)] = inner
        params = node.params
        for param in (*params.posonly_params, *params.params, *params.kwonly_params):
            inner.bind(param.name.value, None)
        for star in (params.star_arg, params.star_kwarg):
            if isinstance(star, cst.Param):
                inner.bind(star.name.value, None)
        self.functions.append((node, scope))
        self._walk(suite_body(node.body), inner)

    def _small(self, small: cst.BaseSmallStatement, scope: Scope) -> None:
        value: cst.BaseExpression | None = None
        if isinstance(small, cst.Assign):
            value = small.value
            single = len(small.targets) == 1 and isinstance(small.targets[0].target, cst.Name)
            for target in small.targets:
                self._note_rewrite(target.target, scope)
                if single:
                    self._bind_name(target.target, scope, small.value)
                else:
                    self._bind_unknown(target.target, scope)
        elif isinstance(small, cst.AnnAssign):
            value = small.value
            if small.value is not None:
                self._bind_name(small.target, scope, small.value)
        elif isinstance(small, cst.AugAssign):
            self._bind_unknown(small.target, scope)
        elif isinstance(small, (cst.Import, cst.ImportFrom)):
            if not isinstance(small.names, cst.ImportStar):
                for alias in small.names:
                    head: cst.BaseExpression = (
                        alias.asname.name if alias.asname is not None else alias.name
                    )
                    while isinstance(head, cst.Attribute):
                        head = head.value
                    self._bind_unknown(head, scope)
        elif isinstance(small, (cst.Global, cst.Nonlocal, cst.Del)):
            names = small.names if not isinstance(small, cst.Del) else ()
            for item in names:
                scope.bind(item.name.value, None)
            if isinstance(small, cst.Del):
                self._bind_unknown(small.target, scope)
        elif isinstance(small, cst.Expr):
            value = small.value
        if isinstance(value, cst.Call):
            self.calls.append((value, scope))
            func = value.func
            called = func.attr.value if isinstance(func, cst.Attribute) else None
            called = func.value if isinstance(func, cst.Name) else called
            first = value.args[0].value if value.args else None
            if called in _SIGNATURE_REWRITERS and isinstance(first, cst.Name):
                scope.rewritten.add(first.value)

    def _note_rewrite(self, target: cst.BaseExpression, scope: Scope) -> None:
        if (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.attr.value in _SIGNATURE_ATTRIBUTES
        ):
            scope.rewritten.add(target.value.value)

    def _bind_name(
        self, target: cst.BaseExpression, scope: Scope, value: cst.BaseExpression
    ) -> None:
        if isinstance(target, cst.Name):
            scope.bind(target.value, value)

    def _bind_unknown(self, target: cst.BaseExpression, scope: Scope) -> None:
        if isinstance(target, cst.Name):
            scope.bind(target.value, None)
        elif isinstance(target, (cst.Tuple, cst.List)):
            for element in target.elements:
                self._bind_unknown(element.value, scope)
        elif isinstance(target, cst.StarredElement):
            self._bind_unknown(target.value, scope)

    def _bind_target(
        self, target: cst.BaseExpression, scope: Scope, loop: cst.For, path: tuple[int, ...]
    ) -> None:
        if isinstance(target, cst.Name):
            scope.bind(target.value, LoopTarget(loop, path))
        elif isinstance(target, (cst.Tuple, cst.List)) and not any(
            isinstance(e, cst.StarredElement) for e in target.elements
        ):
            for index, element in enumerate(target.elements):
                self._bind_target(element.value, scope, loop, (*path, index))
        else:
            self._bind_unknown(target, scope)

    def lookup(self, name: str, scope: Scope) -> tuple[list[object], Scope] | None:
        """What binds ``name`` seen from ``scope``, and the scope binding it (None: bound
        nowhere in the module, a builtin or a star import)."""
        current: Scope | None = scope
        first = True
        while current is not None:
            # Function bodies do not see the names of an enclosing class body.
            visible = first or not isinstance(current.node, cst.ClassDef)
            if visible and name in current.bindings:
                return current.bindings[name], current
            first = False
            current = current.parent
        return None
