"""Which names in a component function hold what the MCP client sent.

Every argument of a tool, resource template or prompt is chosen by the model, and so
by whoever can put text in front of it. This module follows those values inside one
function, in source order: a parameter the client fills is tainted unless its type
cannot carry text (``int``, ``float``, ``bool``, a ``Literal`` of choices); a name
assigned from an expression that uses a tainted name is tainted, and reassigning it
from clean values cleans it. Calls that neutralise text for the sink (``shlex.quote``)
or reduce it to a number (``int``, ``len``) stop the taint. Nothing is guessed across
functions: a value passed to a helper is followed only where the sink is in the
component itself.
"""

from __future__ import annotations

from collections.abc import Iterable

import libcst as cst

from fastmcp_kit.lint.body_walk import direct_nodes
from fastmcp_kit.lint.names import ModuleNames, dotted_name
from fastmcp_kit.lint.walk import walk

# Types whose values cannot carry a command or code.
SAFE_TYPES = frozenset({"int", "float", "bool", "complex", "datetime", "date", "UUID"})
# Calls whose result no longer carries the text as given.
NEUTRALISING = frozenset(
    {
        "shlex.quote",
        "shlex.join",
        "int",
        "float",
        "bool",
        "len",
        "abs",
        "round",
        "hash",
        "isinstance",
    }
)
# A call whose result is dropped and whose name starts so checks its argument.
VALIDATOR_PREFIXES = ("validate", "_validate", "check", "_check", "ensure", "verify", "sanitize")
# Defaults through which FastMCP injects values itself (not the client's).
INJECTED_DEFAULTS = ("Depends", "Current")


def client_parameters(function: cst.FunctionDef, names: ModuleNames) -> set[str]:
    """The parameters of a component function that the client fills with text."""
    found: set[str] = set()
    params = function.params
    for param in (*params.posonly_params, *params.params, *params.kwonly_params):
        name = param.name.value
        if name in ("self", "cls") or names.context_kind(param.annotation) is not None:
            continue
        if param.default is not None and _injected(param.default):
            continue
        if param.annotation is not None and _cannot_carry_text(param.annotation.annotation, names):
            continue
        found.add(name)
    return found


def tainted_names(function: cst.FunctionDef, names: ModuleNames) -> set[str]:
    """Client parameters plus every local assigned from them, in source order: a later
    reassignment from clean values removes the name, and so does a validator called on
    it as a statement (``validate_expr(expr)``: its result unused, it must raise)."""
    tainted = client_parameters(function, names)
    for line in direct_nodes(function, cst.SimpleStatementLine):
        for statement in line.body:
            if isinstance(statement, cst.Assign):
                dirty = uses_tainted(statement.value, tainted, names)
                for target in statement.targets:
                    for name in _bound_names(target.target):
                        (tainted.add if dirty else tainted.discard)(name)
            elif isinstance(statement, cst.AugAssign):
                augmented = statement.target
                if isinstance(augmented, cst.Name) and uses_tainted(
                    statement.value, tainted, names
                ):
                    tainted.add(augmented.value)
            elif isinstance(statement, cst.Expr) and isinstance(statement.value, cst.Call):
                tainted -= _validated(statement.value)
    return tainted


def _validated(call: cst.Call) -> set[str]:
    """The names a validator call checks (``validate_x(expr)``, ``check_path(p)``)."""
    called = (dotted_name(call.func) or "").rpartition(".")[2].lower()
    if not called.startswith(VALIDATOR_PREFIXES):
        return set()
    return {arg.value.value for arg in call.args if isinstance(arg.value, cst.Name)}


def uses_tainted(node: cst.CSTNode, tainted: set[str], names: ModuleNames) -> bool:
    """Does the expression use a tainted name outside a neutralising call?"""
    return first_tainted(node, tainted, names) is not None


def first_tainted(node: cst.CSTNode, tainted: set[str], names: ModuleNames) -> str | None:
    if not tainted:
        return None
    finder = _Finder(tainted, names)
    walk(node, finder)
    return finder.found


class _Finder(cst.CSTVisitor):
    def __init__(self, tainted: set[str], names: ModuleNames) -> None:
        super().__init__()
        self.tainted = tainted
        self.names = names
        self.found: str | None = None

    def visit_Call(self, node: cst.Call) -> bool:
        called = self.names.qualified_name(node.func) or dotted_name(node.func) or ""
        return called not in NEUTRALISING

    # Only names that are read: not ``x.name``'s attribute nor ``f(name=...)``'s keyword.
    def visit_Attribute(self, node: cst.Attribute) -> bool:
        walk(node.value, self)
        return False

    def visit_Arg(self, node: cst.Arg) -> bool:
        walk(node.value, self)
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if self.found is None and node.value in self.tainted:
            self.found = node.value

    def visit_Lambda(self, node: cst.Lambda) -> bool:
        return False


def _injected(default: cst.BaseExpression) -> bool:
    if not isinstance(default, cst.Call):
        return False
    called = (dotted_name(default.func) or "").rpartition(".")[2]
    return called.startswith(INJECTED_DEFAULTS)


def _cannot_carry_text(annotation: cst.BaseExpression, names: ModuleNames) -> bool:
    if isinstance(annotation, cst.BinaryOperation) and isinstance(annotation.operator, cst.BitOr):
        return _cannot_carry_text(annotation.left, names) and _cannot_carry_text(
            annotation.right, names
        )
    if isinstance(annotation, cst.Name) and annotation.value == "None":
        return True
    if isinstance(annotation, cst.Subscript):
        wrapper = names.qualified_name(annotation.value) or dotted_name(annotation.value) or ""
        wrapper = wrapper.rpartition(".")[2]
        if wrapper == "Literal":  # the published schema restricts it to these values
            return True
        if wrapper in ("Optional", "Annotated"):
            first = annotation.slice[0].slice
            return isinstance(first, cst.Index) and _cannot_carry_text(first.value, names)
        return False
    name = (dotted_name(annotation) or "").rpartition(".")[2]
    return name in SAFE_TYPES


def _bound_names(target: cst.BaseExpression) -> Iterable[str]:
    if isinstance(target, cst.Name):
        yield target.value
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _bound_names(element.value)
