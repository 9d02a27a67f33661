"""Fixes that write a name must leave it bound where they write it.

Rules pick the name a fix writes (``Context``, ``logging.INFO``, ``create_proxy``)
from :class:`~fastmcp_kit.lint.names.ModuleNames`, which tracks imports per module,
not per scope: an import inside another function, or in a ``try:`` later in the
module, made a fix write a name that raises NameError where it stands. Every fix
passes through :meth:`FixNames.resolve` before it is shown or applied: each name it
introduces is looked up the way Python will look it up (libcst's ScopeProvider),
and a name not bound there in time gets a module-level import; when no import can
be named, or the name is local and bound only later, the fix is withheld.
"""

from __future__ import annotations

import builtins
import dataclasses
import re
from collections.abc import Callable, Iterator
from enum import Enum

import libcst as cst
from libcst.metadata import (
    BaseAssignment,
    BuiltinScope,
    ClassScope,
    CodeRange,
    FunctionScope,
    GlobalScope,
    ImportAssignment,
    MetadataWrapper,
    Scope,
    ScopeProvider,
)

from fastmcp_kit.lint.names import dotted_name
from fastmcp_kit.lint.rule import Fix, ImportSpec
from fastmcp_kit.lint.walk import children

# Names every module has without binding them.
_MODULE_NAMES = frozenset(dir(builtins)) | {
    "__file__",
    "__path__",
    "__cached__",
    "__builtins__",
    "__annotations__",
}


class _Status(Enum):
    BOUND = "bound"  # bound where the name is used, before it runs
    NEEDS_IMPORT = "needs-import"  # unbound there, or bound at module level only later
    NEVER = "never"  # a local of the enclosing function, bound only after the use


@dataclasses.dataclass(frozen=True)
class _Use:
    name: str
    anchor: cst.CSTNode  # the replaced node: where the name lands
    signature: bool  # in a parameter's annotation or default (evaluated outside)
    deferred: bool  # inside a new function or lambda body: runs later


class FixNames:
    """Scope analysis of one parsed module, computed on the first fix that needs it."""

    def __init__(
        self, module: cst.Module, source: str, positions: Callable[[cst.CSTNode], CodeRange]
    ) -> None:
        self.module = module
        self.source = source
        self.positions = positions
        self._scopes: dict[cst.CSTNode, Scope | None] | None = None
        self._future_annotations = _has_future_annotations(module)

    def resolve(self, fix: Fix) -> Fix | None:
        """``fix`` with the module-level imports the names it writes need, or None
        when no import can make them bound where they are written."""
        added: list[ImportSpec] = []
        for use in _introduced(fix, self._future_annotations):
            if use.name in _MODULE_NAMES and not self._mentions(use.name):
                continue
            provided = _spec_binding(fix.add_imports, use.name)
            if provided is not None and not self._mentions(use.name):
                continue  # bound nowhere else: the added import binds it for all
            status = self._status(use)
            if status is _Status.BOUND:
                continue
            if status is _Status.NEVER:
                return None
            spec = provided or self._import_of(use.name)
            if spec is None or not self._module_level_agrees(use.name, spec):
                return None
            if provided is None and spec not in added:
                added.append(spec)
        if not added:
            return fix
        return dataclasses.replace(fix, add_imports=(*fix.add_imports, *added))

    # -- scope analysis ------------------------------------------------------------

    def _mentions(self, name: str) -> bool:
        return re.search(rf"(?<![\w.]){re.escape(name)}(?!\w)", self.source) is not None

    def _scope_map(self) -> dict[cst.CSTNode, Scope | None]:
        if self._scopes is None:
            wrapper = MetadataWrapper(self.module, unsafe_skip_copy=True)
            self._scopes = dict(wrapper.resolve(ScopeProvider))
        return self._scopes

    def _status(self, use: _Use) -> _Status:
        scope = self._scope_map().get(use.anchor)
        if scope is None:
            return _Status.NEVER
        if use.signature and isinstance(scope, FunctionScope) and scope.parent is not scope:
            scope = scope.parent  # annotations and defaults run where the `def` runs
        where = self.positions(use.anchor).start
        at = (where.line, where.column)
        deferred = use.deferred
        crossed = False  # left a function: class bodies around it are not searched
        while True:
            if isinstance(scope, BuiltinScope):
                return _Status.BOUND if use.name in _MODULE_NAMES else _Status.NEEDS_IMPORT
            if not (crossed and isinstance(scope, ClassScope)):
                local = scope.assignments[use.name]
                if local:
                    if isinstance(scope, GlobalScope) and deferred:
                        return _Status.BOUND
                    if any(self._before(assignment, at) for assignment in local):
                        return _Status.BOUND
                    if isinstance(scope, GlobalScope):
                        return _Status.NEEDS_IMPORT
                    if not isinstance(scope, ClassScope):
                        return _Status.NEVER
            if isinstance(scope, FunctionScope):
                deferred = crossed = True
            scope = scope.parent

    def _before(self, assignment: BaseAssignment, at: tuple[int, int]) -> bool:
        node = getattr(assignment, "node", None)
        if not isinstance(node, cst.CSTNode):
            return True  # a binding libcst has no node for: assume it comes first
        try:
            start = self.positions(node).start
        except KeyError:  # a node positions do not cover: assume it binds in time
            return True
        return (start.line, start.column) < at

    def _import_of(self, name: str) -> ImportSpec | None:
        """The one import that binds ``name`` anywhere in the module, if they agree."""
        specs = {
            _spec_of(assignment)
            for scope in set(self._scope_map().values())
            if scope is not None
            for assignment in scope.assignments[name]
            if assignment.scope is scope
        }
        return specs.pop() if len(specs) == 1 else None

    def _module_level_agrees(self, name: str, spec: ImportSpec) -> bool:
        """False when something else binds ``name`` at module level: an import of
        ``spec`` at the top would change what it means there."""
        scopes = [scope for scope in self._scope_map().values() if isinstance(scope, GlobalScope)]
        if not scopes:
            return True
        return all(_spec_of(assignment) == spec for assignment in scopes[0].assignments[name])


def _spec_of(assignment: object) -> ImportSpec | None:
    if not isinstance(assignment, ImportAssignment):
        return None
    node = assignment.node
    if isinstance(node, cst.ImportFrom):
        if node.relative or node.module is None or isinstance(node.names, cst.ImportStar):
            return None
        module = dotted_name(node.module)
        for alias in node.names:
            bound = alias.evaluated_alias or alias.evaluated_name
            if bound == assignment.name and module is not None:
                return ImportSpec(module, alias.evaluated_name, alias.evaluated_alias)
        return None
    if isinstance(node, cst.Import):
        for alias in node.names:
            if alias.evaluated_alias == assignment.name:
                return ImportSpec(alias.evaluated_name, None, alias.evaluated_alias)
            if alias.evaluated_alias is None and alias.evaluated_name == assignment.name:
                return ImportSpec(alias.evaluated_name)
    return None


def _spec_binding(specs: tuple[ImportSpec, ...], name: str) -> ImportSpec | None:
    for spec in specs:
        if spec.asname is not None:
            bound = spec.asname
        elif spec.name is not None:
            bound = spec.name
        else:
            bound = spec.module.partition(".")[0]
        if bound == name:
            return spec
    return None


def _has_future_annotations(module: cst.Module) -> bool:
    for statement in module.body[:3]:
        if isinstance(statement, cst.SimpleStatementLine):
            for small in statement.body:
                if (
                    isinstance(small, cst.ImportFrom)
                    and isinstance(small.module, cst.Name)
                    and small.module.value == "__future__"
                    and not isinstance(small.names, cst.ImportStar)
                    and any(alias.evaluated_name == "annotations" for alias in small.names)
                ):
                    return True
    return False


# -- the names a fix writes ------------------------------------------------------------


def _introduced(fix: Fix, future_annotations: bool) -> Iterator[_Use]:
    """Names read in a replacement that the node it replaces did not read and that
    no replacement of the fix binds (a fix renaming an import and its uses keeps
    the bindings as they were)."""
    bound = {
        name
        for _, new in fix.replacements
        if not isinstance(new, cst.RemovalSentinel)
        for name in _binds(new)
    }
    for old, new in fix.replacements:
        if isinstance(new, cst.RemovalSentinel):
            continue
        before = {name for name, *_ in _reads(old, future_annotations)}
        seen: set[str] = set()
        for name, signature, deferred in _reads(new, future_annotations):
            if name in before or name in bound or name in seen:
                continue
            seen.add(name)
            yield _Use(name, old, signature, deferred)


def _reads(
    node: cst.CSTNode, future: bool, signature: bool = False, deferred: bool = False
) -> Iterator[tuple[str, bool, bool]]:
    """(name, in a signature, runs later) for every name the subtree reads."""
    if isinstance(node, cst.Name):
        yield node.value, signature, deferred
        return
    if isinstance(node, (cst.Import, cst.ImportFrom, cst.AsName)):
        return
    if isinstance(node, cst.Attribute):
        yield from _reads(node.value, future, signature, deferred)
        return
    if isinstance(node, cst.Arg):
        yield from _reads(node.value, future, signature, deferred)
        return
    if isinstance(node, cst.Param):
        for part in (node.annotation, node.default):
            if part is not None:
                yield from _reads(part, future, True, deferred)
        return
    if isinstance(node, cst.Annotation) and future:
        yield from _reads(node.annotation, future, signature, True)
        return
    if isinstance(node, (cst.FunctionDef, cst.Lambda)):
        for child in children(node):
            later = deferred or child is node.body
            yield from _reads(child, future, signature, later)
        return
    for child in children(node):
        yield from _reads(child, future, signature, deferred)


def _binds(node: cst.CSTNode) -> Iterator[str]:
    """Names the subtree binds (parameters, targets, definitions, imports)."""
    if isinstance(node, (cst.Param, cst.FunctionDef, cst.ClassDef)):
        yield node.name.value
    elif isinstance(node, (cst.AssignTarget, cst.AnnAssign, cst.AugAssign, cst.For, cst.CompFor)):
        yield from (n.value for n in _names_in(node.target))
    elif isinstance(node, cst.AsName):
        yield from (n.value for n in _names_in(node.name))
    elif isinstance(node, cst.NamedExpr):
        yield from (n.value for n in _names_in(node.target))
    elif isinstance(node, cst.ImportAlias):
        bound = node.evaluated_alias or node.evaluated_name.partition(".")[0]
        yield bound
    elif isinstance(node, (cst.Global, cst.Nonlocal)):
        yield from (item.name.value for item in node.names)
    for child in children(node):
        yield from _binds(child)


def _names_in(target: cst.CSTNode) -> Iterator[cst.Name]:
    if isinstance(target, cst.Name):
        yield target
    elif isinstance(target, (cst.Tuple, cst.List)):
        for element in target.elements:
            yield from _names_in(element.value)
    elif isinstance(target, cst.StarredElement):
        yield from _names_in(target.value)
