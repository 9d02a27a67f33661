"""Which functions a module registers as FastMCP components, found through the name
resolution every component rule uses (the component contract rules, FMCP218-222).

A function is registered

* by a component decorator of a standalone server (``@mcp.tool``, ``@mcp.prompt``,
  ``@mcp.resource("uri")``: :meth:`ModuleNames.component_decorators`); FastMCP sees the
  ``def`` itself only when that decorator is the innermost one (``@staticmethod`` may
  sit under it);
* or by a server bound by construction or annotation
  (:meth:`ModuleNames.is_bound_server`) called with it: ``mcp.tool(fn)``,
  ``mcp.prompt(fn)``, ``mcp.tool(name="x")(fn)``, ``mcp.resource("uri")(fn)``, and
  ``mcp.add_tool(fn)`` from 3.0 (before, ``add_tool`` takes Tool objects: FMCP216).

The argument of a registration call is followed through names bound exactly once in
their scope (a ``def``, a ``class``, an assignment, a ``for`` target over a literal
list or dict bound once), attribute access on a class of the module
(``App.run``, ``getattr(App, "run")``, an unbound method) and calls of a function of
the module whose every ``return`` hands back a nested ``def`` (a handler factory).
Anything else is unknown, and an unknown argument registers nothing: no rule guesses.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

import libcst as cst
from packaging.version import Version

from fastmcp_kit.lint.body_walk import direct_nodes
from fastmcp_kit.lint.names import ComponentKind, ModuleNames, dotted_name
from fastmcp_kit.lint.scope_bindings import LoopTarget, Scope, ScopeBindings

# ``server.<method>(fn)`` registers ``fn`` as this kind (``add_tool`` only from 3.0).
_REGISTERING = {"tool": "tool", "prompt": "prompt"}
_FACTORIES = {"tool": "tool", "prompt": "prompt", "resource": "resource"}
ADD_TOOL_TAKES_FUNCTIONS = Version("3")
_DEPTH = 12  # resolution steps before giving up (chains in real code are short)


@dataclass(frozen=True)
class Registration:
    """One function FastMCP registers as a component."""

    kind: ComponentKind
    # The innermost component decorator, or the registration call.
    site: cst.CSTNode
    function: cst.FunctionDef
    # The class whose body defines ``function`` when it is registered as a plain
    # function of that class: decorated in the class body, or taken from the class
    # (``App.run``), not from an instance.
    owner: cst.ClassDef | None
    decorated: bool


@dataclass(frozen=True)
class _Function:
    node: cst.FunctionDef
    owner: cst.ClassDef | None


@dataclass(frozen=True)
class _Class:
    node: cst.ClassDef


@dataclass(frozen=True)
class _Text:
    value: str


_Value = _Function | _Class | _Text


class _Registrations:
    def __init__(self, names: ModuleNames, target: Version) -> None:
        self.names = names
        self.target = target
        self.bindings = ScopeBindings()
        self.found: list[Registration] = []

    def build(self, module: cst.Module) -> None:
        bindings = self.bindings
        bindings.build(module)
        for function, scope in bindings.functions:
            if function.name.value not in scope.rewritten:
                self._decorated(function, scope)
        for call, where in bindings.calls:
            self._registration_call(call, where)

    # -- registrations ------------------------------------------------------------------

    def _decorated(self, node: cst.FunctionDef, scope: Scope) -> None:
        decorators = list(node.decorators)
        # Decorators FastMCP's own decorator may sit on: it still sees this def.
        while decorators and self._is_builtin_decorator(decorators[-1], "staticmethod"):
            decorators.pop()
        if not decorators:
            return
        component = self.names.component_decorator(decorators[-1])
        if component is None:
            return
        in_class = isinstance(scope.node, cst.ClassDef)
        methods_marked = any(
            self._is_builtin_decorator(d, name)
            for d in node.decorators
            for name in ("staticmethod", "classmethod")
        )
        owner = scope.node if in_class and not methods_marked else None
        assert owner is None or isinstance(owner, cst.ClassDef)
        self.found.append(Registration(component.kind, decorators[-1], node, owner, True))

    def _is_builtin_decorator(self, decorator: cst.Decorator, name: str) -> bool:
        return isinstance(decorator.decorator, cst.Name) and decorator.decorator.value == name

    def _registration_call(self, call: cst.Call, scope: Scope) -> None:
        kind = self._registering_kind(call)
        if kind is None:
            return
        positional = [arg for arg in call.args if arg.keyword is None and not arg.star]
        if not positional:
            return
        values = self._resolve(positional[0].value, scope, _DEPTH)
        if not values or not all(isinstance(v, _Function) for v in values):
            return
        for value in values:
            assert isinstance(value, _Function)
            self.found.append(Registration(kind, call, value.node, value.owner, False))

    def _registering_kind(self, call: cst.Call) -> ComponentKind | None:
        func = call.func
        if isinstance(func, cst.Call):  # mcp.resource("uri")(fn), mcp.tool(name="x")(fn)
            inner = func.func
            if (
                isinstance(inner, cst.Attribute)
                and inner.attr.value in _FACTORIES
                and self.names.is_bound_server(inner.value)
            ):
                return inner.attr.value  # type: ignore[return-value]
            return None
        if not isinstance(func, cst.Attribute) or not self.names.is_bound_server(func.value):
            return None
        method = func.attr.value
        if method == "add_tool" and self.target >= ADD_TOOL_TAKES_FUNCTIONS:
            return "tool"
        return _REGISTERING.get(method)  # type: ignore[return-value]

    # -- resolution ---------------------------------------------------------------------

    def _resolve(self, node: cst.BaseExpression, scope: Scope, depth: int) -> list[_Value] | None:
        if depth <= 0:
            return None
        if isinstance(node, cst.SimpleString):
            text = node.evaluated_value
            return [_Text(text)] if isinstance(text, str) else None
        if isinstance(node, cst.Name):
            return self._resolve_name(node.value, scope, depth)
        if isinstance(node, cst.Attribute):
            owners = self._resolve(node.value, scope, depth - 1)
            return self._members(owners, [_Text(node.attr.value)])
        if isinstance(node, cst.Call):
            return self._resolve_call(node, scope, depth)
        return None

    def _resolve_name(self, name: str, scope: Scope, depth: int) -> list[_Value] | None:
        found = self.bindings.lookup(name, scope)
        if found is None or len(found[0]) != 1:
            return None
        how, where = found[0][0], found[1]
        if isinstance(how, cst.FunctionDef):
            in_class = isinstance(where.node, cst.ClassDef)
            unknown = how.decorators or in_class or name in where.rewritten
            return None if unknown else [_Function(how, None)]
        if isinstance(how, cst.ClassDef):
            return [_Class(how)]
        if isinstance(how, cst.BaseExpression):
            return self._resolve(how, where, depth - 1)
        if isinstance(how, LoopTarget):
            elements = self._loop_elements(how, where, depth - 1)
            if elements is None:
                return None
            values: list[_Value] = []
            for element, element_scope in elements:
                resolved = self._resolve(element, element_scope, depth - 1)
                if resolved is None:
                    return None
                values.extend(resolved)
            return values
        return None

    def _resolve_call(self, node: cst.Call, scope: Scope, depth: int) -> list[_Value] | None:
        func = node.func
        if isinstance(func, cst.Name) and func.value == "getattr":
            if self.bindings.lookup("getattr", scope) is not None or len(node.args) != 2:
                return None  # shadowed, or with a default
            owners = self._resolve(node.args[0].value, scope, depth - 1)
            attributes = self._resolve(node.args[1].value, scope, depth - 1)
            return self._members(owners, attributes)
        factories = self._resolve(func, scope, depth - 1)
        if not factories or not all(isinstance(f, _Function) for f in factories):
            return None
        values: list[_Value] = []
        for factory in factories:
            assert isinstance(factory, _Function)
            made = self._returned_functions(factory.node, depth - 1)
            if made is None or factory.owner is not None:
                return None
            values.extend(made)
        return values

    def _returned_functions(self, factory: cst.FunctionDef, depth: int) -> list[_Value] | None:
        """The nested defs a function hands back, when every ``return`` returns one."""
        if factory.asynchronous is not None:
            return None
        inner = self.bindings.scopes.get(id(factory))
        returns = direct_nodes(factory, cst.Return)
        if inner is None or not returns:
            return None
        values: list[_Value] = []
        for statement in returns:
            if not isinstance(statement.value, cst.Name):
                return None
            found = self.bindings.lookup(statement.value.value, inner)
            if found is None or found[1] is not inner:
                return None
            resolved = self._resolve_name(statement.value.value, inner, depth)
            if not resolved or not all(isinstance(v, _Function) for v in resolved):
                return None
            values.extend(resolved)
        return values

    def _members(
        self, owners: list[_Value] | None, attributes: list[_Value] | None
    ) -> list[_Value] | None:
        """``owner.attribute`` for every pair: plain methods taken from a class of the
        module (None when one pair is anything else)."""
        if not owners or not attributes:
            return None
        values: list[_Value] = []
        for owner, attribute in itertools.product(owners, attributes):
            if not isinstance(owner, _Class) or not isinstance(attribute, _Text):
                return None
            body = self.bindings.scopes.get(id(owner.node))
            bound = None if body is None else body.bindings.get(attribute.value)
            if bound is None or len(bound) != 1 or not isinstance(bound[0], cst.FunctionDef):
                return None  # inherited, assigned or bound twice: unknown
            method = bound[0]
            if method.decorators:
                return None  # staticmethod, classmethod, property, wrapped: not plain
            values.append(_Function(method, owner.node))
        return values

    def _loop_elements(
        self, target: LoopTarget, scope: Scope, depth: int
    ) -> list[tuple[cst.BaseExpression, Scope]] | None:
        """The expressions a loop target takes, one per element of the literal the
        loop walks (``for k, (a, b) in REGISTRY.items()``)."""
        iterated = target.loop.iter
        method = None
        if (
            isinstance(iterated, cst.Call)
            and isinstance(iterated.func, cst.Attribute)
            and not iterated.args
        ):
            method = iterated.func.attr.value
            iterated = iterated.func.value
        literal = self._literal(iterated, scope, depth)
        if literal is None:
            return None
        collection, where = literal
        rows: list[list[cst.BaseExpression] | cst.BaseExpression] = []
        if isinstance(collection, cst.Dict):
            if method not in {"items", "values", "keys", None}:
                return None
            for element in collection.elements:
                if not isinstance(element, cst.DictElement):
                    return None
                if method == "items":
                    rows.append([element.key, element.value])
                elif method == "values":
                    rows.append(element.value)
                else:
                    rows.append(element.key)
        elif method is None:
            for item in collection.elements:
                if not isinstance(item, cst.Element):
                    return None
                rows.append(item.value)
        else:
            return None
        found: list[tuple[cst.BaseExpression, Scope]] = []
        for row in rows:
            picked = _pick(row, target.path)
            if picked is None:
                return None
            found.append((picked, where))
        return found

    def _literal(
        self, node: cst.BaseExpression, scope: Scope, depth: int
    ) -> tuple[cst.Dict | cst.List | cst.Tuple, Scope] | None:
        if isinstance(node, (cst.Dict, cst.List, cst.Tuple)):
            return node, scope
        if isinstance(node, cst.Name) and depth > 0:
            found = self.bindings.lookup(node.value, scope)
            if found is None or len(found[0]) != 1:
                return None
            how = found[0][0]
            if isinstance(how, cst.BaseExpression):
                return self._literal(how, found[1], depth - 1)
        return None


def _pick(
    row: list[cst.BaseExpression] | cst.BaseExpression, path: tuple[int, ...]
) -> cst.BaseExpression | None:
    """The part of a literal row a loop target's position names."""
    current: list[cst.BaseExpression] | cst.BaseExpression = row
    for index in path:
        if isinstance(current, (cst.Tuple, cst.List)):
            elements = current.elements
            if any(not isinstance(e, cst.Element) for e in elements):
                return None
            current = [e.value for e in elements]
        if not isinstance(current, list) or index >= len(current):
            return None
        current = current[index]
    return None if isinstance(current, list) else current


def registrations(module: cst.Module, names: ModuleNames, target: Version) -> list[Registration]:
    """Every function the module registers as a component, in source order of the
    registering statements (decorated defs first met, then calls)."""
    finder = _Registrations(names, target)
    finder.build(module)
    return finder.found


def registration_calls(found: Registration) -> list[cst.Call]:
    """The calls whose arguments configure the component: the decorator call, or the
    registration call and, for ``mcp.tool(name=...)(fn)``, its inner call."""
    site = found.site
    if isinstance(site, cst.Decorator):
        return [site.decorator] if isinstance(site.decorator, cst.Call) else []
    calls = [site] if isinstance(site, cst.Call) else []
    if calls and isinstance(calls[0].func, cst.Call):
        calls.append(calls[0].func)
    return calls


def registering_server(found: Registration, names: ModuleNames) -> str | None:
    """The server expression (``mcp``, ``self.mcp``) the component is registered on."""
    site = found.site
    if isinstance(site, cst.Decorator):
        component = names.component_decorator(site)
        return component.server if component is not None else None
    if not isinstance(site, cst.Call):
        return None
    func = site.func.func if isinstance(site.func, cst.Call) else site.func
    return dotted_name(func.value) if isinstance(func, cst.Attribute) else None
